"""Reviewed findings: inline ``# mlsec: ignore RULE reason`` comments and a baseline file.

A team leaves the notebook scan on in pre-commit only if a finding someone reviewed (a test
fixture's fake key, a public e-mail in a demo) stops blocking commits without being hidden. Both
ways mark the finding ``accepted`` with the reviewer's reason: reports, the lineage and the card
still show it, ``Report.fails`` (strict mode, the CLI's exit code) ignores it.

**Inline**: a line ``# mlsec: ignore RULE[,RULE...] reason`` (``<!-- ... -->`` in markdown)
anywhere in a cell accepts that cell's findings of those rules, in its source and its outputs.
Rules may end in ``*`` (``PII-*``). A missing reason is recorded as such.

**Baseline file** (``mlsec baseline`` writes it; ``.mlsec/baseline.json`` found upwards from the
working directory, or the ``baseline`` setting): one entry per accepted finding, matched by
check, rule, file (relative to the folder holding ``.mlsec``) and a keyed hash of the finding's
value. No line numbers, so edits and moved cells keep matching; the value hash, so a different
secret in the same place does not. The file never holds a value: the hash is an HMAC-SHA256 with
a random salt kept in the file, of a SHA-256 of the value that exists only in memory during the
scan (``Finding.value_digest``, never serialised). Findings without a value (most checks') are
keyed by their detail with numbers removed, plus their place.

``apply_baseline(report, settings)`` is what front ends call before strict mode decides.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MLSecInputError
from .finding import Finding
from .report import Report

SCHEMA = "mlsec-baseline/1"
DEFAULT_PATH = Path(".mlsec") / "baseline.json"
NO_REASON = "accepted inline (no reason given)"
NOT_A_BASELINE = "{path} is not an mlsec baseline file: {reason}"
IGNORE_COMMENT = re.compile(
    r"mlsec:\s*ignore[ \t]+(?P<rules>[A-Za-z0-9*?\-]+(?:[ \t]*,[ \t]*[A-Za-z0-9*?\-]+)*)"
    r"(?:[ \t]+(?P<reason>[^\n]*?))?[ \t]*(?:-->|\*/)?[ \t]*$", re.M)

__all__ = ["Baseline", "BaselineEntry", "Ignore", "accept_inline", "apply_baseline",
           "find_baseline", "inline_ignores"]


# -- inline comments ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Ignore:
    """One ``mlsec: ignore`` comment: the rule patterns it names and its reason."""

    rules: tuple[str, ...]
    reason: str

    def covers(self, rule: str) -> bool:
        return any(fnmatch.fnmatchcase(rule.upper(), pattern.upper()) for pattern in self.rules)


def inline_ignores(source: str) -> list[Ignore]:
    """The ``mlsec: ignore`` comments of one cell source."""
    if "mlsec:" not in source:
        return []
    found = []
    for match in IGNORE_COMMENT.finditer(source):
        rules = tuple(r.strip() for r in match.group("rules").split(",") if r.strip())
        reason = (match.group("reason") or "").strip().strip("-").strip()
        found.append(Ignore(rules, reason or NO_REASON))
    return found


def accept_inline(finding: Finding, ignores: Sequence[Ignore]) -> Finding:
    """``finding`` accepted with the reason of the first comment covering its rule."""
    if finding.is_accepted:
        return finding
    for ignore in ignores:
        if ignore.covers(finding.rule):
            return dataclasses.replace(finding, accepted=ignore.reason)
    return finding


# -- the baseline file -------------------------------------------------------------------------
@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding: how it is matched (check, rule, file, value) and why."""

    check: str
    rule: str
    file: str
    value: str
    reason: str
    where: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.check, self.rule, self.file, self.value)

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "rule": self.rule, "file": self.file, "where": self.where,
                "value": self.value, "reason": self.reason}


@dataclass
class Baseline:
    """The accepted findings of one project, and where its file lives."""

    path: Path
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    entries: list[BaselineEntry] = field(default_factory=list)

    @property
    def root(self) -> Path:
        """The folder files are named relative to: the one holding ``.mlsec``."""
        parent = self.path.resolve().parent
        return parent.parent if parent.name == ".mlsec" else parent

    # -- reading and writing -------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read a baseline file; a file that is not one is a one-line input error."""
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise MLSecInputError(NOT_A_BASELINE.format(path=path, reason=reason)) from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise MLSecInputError(NOT_A_BASELINE.format(path=path,
                                                        reason=f"no schema {SCHEMA!r}"))
        entries = []
        for item in data.get("entries") or []:
            if not isinstance(item, dict) or not all(
                    isinstance(item.get(k), str) for k in ("check", "rule", "file", "value")):
                raise MLSecInputError(NOT_A_BASELINE.format(path=path,
                                                            reason="an entry lacks its keys"))
            entries.append(BaselineEntry(item["check"], item["rule"], item["file"],
                                         item["value"], str(item.get("reason") or ""),
                                         str(item.get("where") or "")))
        salt = data.get("salt")
        if not isinstance(salt, str) or len(salt) < 16:
            raise MLSecInputError(NOT_A_BASELINE.format(path=path, reason="no salt"))
        return cls(file, salt, entries)

    def save(self) -> None:
        """Write the file atomically (a temporary file renamed over it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"schema": SCHEMA, "salt": self.salt,
                "about": "findings reviewed and accepted (mlsec baseline); values are never "
                         "stored, only keyed hashes",
                "entries": [e.to_dict() for e in sorted(self.entries, key=lambda e: (
                    e.file, e.check, e.rule, e.where, e.value))]}
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        handle, temporary = tempfile.mkstemp(prefix=".baseline-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    # -- matching ------------------------------------------------------------------------------
    def entry_for(self, finding: Finding, report: Report, reason: str) -> BaselineEntry:
        """The entry that accepts ``finding`` of ``report``."""
        return BaselineEntry(report.check, finding.rule, self.file_of(finding, report),
                             self.value_of(finding), reason, _where(finding))

    def file_of(self, finding: Finding, report: Report) -> str:
        return self.file_of_path(finding.location.file or report.subject)

    def file_of_path(self, name: str) -> str:
        """``name`` relative to the project (the folder holding ``.mlsec``), posix style."""
        path = Path(os.path.expanduser(name))
        if not path.exists():
            return Path(name).as_posix()
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.name  # outside the project: its name, never a machine's path

    def value_of(self, finding: Finding) -> str:
        identity = value_identity(finding)
        return hmac.new(bytes.fromhex(self.salt), identity.encode("utf-8"),
                        hashlib.sha256).hexdigest()[:24]

    def apply(self, report: Report) -> Report:
        """``report`` with the findings this baseline lists accepted (new findings objects)."""
        if not self.entries or not report.findings:
            return report
        by_key = {e.key: e for e in self.entries}
        changed = False
        findings = []
        for finding in report.findings:
            entry = None if finding.is_accepted else by_key.get(
                (report.check, finding.rule, self.file_of(finding, report),
                 self.value_of(finding)))
            if entry is not None:
                finding = dataclasses.replace(finding, accepted=entry.reason or "in the baseline")
                changed = True
            findings.append(finding)
        if not changed:
            return report
        return dataclasses.replace(report, findings=findings)

    def merge(self, new: Iterable[BaselineEntry], files: set[str]) -> tuple[int, int, int]:
        """Replace the entries of ``files`` by ``new`` (keeping the reasons of entries that
        stay); entries of other files are kept. Returns (added, kept, dropped)."""
        old = {e.key: e for e in self.entries if e.file in files}
        others = [e for e in self.entries if e.file not in files]
        merged: dict[tuple[str, str, str, str], BaselineEntry] = {}
        added = kept = 0
        for entry in new:
            if entry.key in merged:
                continue
            previous = old.get(entry.key)
            if previous is not None:
                entry = dataclasses.replace(entry, reason=previous.reason or entry.reason)
                kept += 1
            else:
                added += 1
            merged[entry.key] = entry
        dropped = len([k for k in old if k not in merged])
        self.entries = others + list(merged.values())
        return added, kept, dropped


def value_identity(finding: Finding) -> str:
    """What makes a finding the same finding on the next run, before it is keyed.

    The value's SHA-256 when the check saw one (``value_digest``, in memory only), else a
    fingerprint the check published, else its detail with numbers removed and its place.
    """
    if finding.value_digest:
        return "value:" + finding.value_digest
    fingerprint = finding.evidence.get("fingerprint") if isinstance(finding.evidence,
                                                                    Mapping) else None
    if isinstance(fingerprint, str) and fingerprint:
        return "fingerprint:" + fingerprint
    location = finding.location
    place = (location.member or "", location.cell if location.cell is not None else "",
             str(location.column) if isinstance(location.column, str) else "")
    detail = re.sub(r"\d+(?:\.\d+)?", "#", f"{finding.title}|{finding.detail}")
    return "detail:" + json.dumps([detail, *place], ensure_ascii=False)


def _where(finding: Finding) -> str:
    """A human hint of where the finding was (no line numbers: they change)."""
    location = finding.location
    parts = []
    if location.member:
        parts.append(location.member)
    if location.cell is not None:
        parts.append(f"cell {location.cell}")
    if location.output is not None:
        parts.append("output")
    if isinstance(location.column, str):
        parts.append(f"column {location.column}")
    return ", ".join(parts)


def find_baseline(settings: Any = None, start: str | os.PathLike[str] | None = None
                  ) -> Path | None:
    """The baseline file that applies: the ``baseline`` setting (relative to the settings
    file's folder, else the working directory), else ``.mlsec/baseline.json`` upwards from
    ``start`` (default: the working directory), stopping at a repository's top."""
    configured = str(getattr(settings, "baseline", "") or "")
    if configured:
        path = Path(os.path.expanduser(configured))
        source = Path(str(getattr(settings, "source", "")).split(" + ")[0])
        if not path.is_absolute() and source.suffix == ".toml" and source.is_file():
            path = source.parent / path
        return path
    folder = Path(start or Path.cwd()).resolve()
    for candidate in [folder, *folder.parents]:
        path = candidate / DEFAULT_PATH
        if path.is_file():
            return path
        if (candidate / ".git").exists():
            break
    return None


def apply_baseline(report: Report, settings: Any = None,
                   start: str | os.PathLike[str] | None = None) -> Report:
    """``report`` with the findings of the project's baseline accepted (see the module doc).

    Front ends call it before strict mode decides. No baseline file: the report unchanged. A
    configured baseline that is missing or unreadable is an error: a run must not pass or fail
    on a file it could not read.
    """
    path = find_baseline(settings, start)
    if path is None:
        return report
    if not path.is_file():
        raise MLSecInputError(f"no baseline file at {path} (the baseline setting names it)")
    return Baseline.load(path).apply(report)
