"""A notebook's state as the sidebar shows it: findings, timeline and chain status, from its log.

Why a module of its own: the lineage file is the single source of truth, and the server, the
sidebar and any other reader must agree on what "the findings of a notebook" are. They are the
findings of the *latest* run of each check on each subject (re-running a cell replaces its
findings, it does not add to them); every run stays in the timeline. Nothing here imports
jupyter_server: the REST handlers only translate these dictionaries to HTTP.

One notebook, one set of findings: ``%mlsec notebook`` in a kernel names the notebook by the
absolute path jupyter_server gave the kernel (or its bare name), the sidebar's "Scan now" by
its path relative to the server's root. Subjects and file locations are therefore normalised to
root-relative paths before "latest run" is decided, and a finding two checks both report (same
rule, same place, same title) is shown once. Nothing the overview sends names an absolute path:
paths under the root become relative, others shrink to their file name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.errors import MLSecInputError
from ..core.severity import Severity
from .chain import VerifyResult
from .records import CheckedRecords, check_records
from .statements import STATEMENT_KEYS, STATEMENTS_CHECK, card_models, last_card_model
from .store import LINEAGE_DIR, LINEAGE_SUFFIX, LineageStore, read_records, verify

__all__ = ["NO_LINEAGE", "RootPaths", "chain_status", "data_seen", "findings_of",
           "last_card_model", "latest_checks", "load_lineage", "notebook_lineage_file",
           "notebook_overview", "record_static_report", "timeline_of"]

NO_LINEAGE = "no lineage log for {notebook} yet: run a cell with %load_ext mlsecops_jupyter"
NOT_A_LOG = "{path} is not a lineage log: it holds no mlsecops-lineage/1 record"
UNREADABLE = "cannot read the lineage log {path}: {why}"
MAX_TIMELINE = 300  # newest entries sent to a viewer; the count of all is sent too
SEVERITIES = tuple(s.label for s in sorted(Severity, reverse=True))  # critical .. info
SERVER_ORIGIN = "sidebar"


def notebook_lineage_file(notebook: Path) -> Path:
    """``.mlsec/<name>.lineage.jsonl`` beside ``notebook``.

    Unlike ``lineage_path_for`` this ignores ``MLSEC_LINEAGE_FILE``: a server shows many
    notebooks, and one pinned file for all of them would mix their logs.
    """
    return notebook.parent / LINEAGE_DIR / (notebook.name + LINEAGE_SUFFIX)


def load_lineage(path: Path, notebook: str) -> tuple[list[dict[str, Any]], VerifyResult]:
    """The records of ``path`` and its verification; ``MLSecInputError`` when there is no log.

    A log whose chain is broken is still returned (the viewer shows "broken" and why); a file
    with no record at all (garbage, binary, a folder) is an input error.
    """
    if not path.exists():
        raise MLSecInputError(NO_LINEAGE.format(notebook=notebook))
    try:
        records = read_records(path)
        result = verify(path)
    except OSError as exc:
        raise MLSecInputError(UNREADABLE.format(path=path.name,
                                                why=exc.strerror or exc)) from None
    if not records and path.stat().st_size > 0:
        raise MLSecInputError(NOT_A_LOG.format(path=path.name))
    return records, result


def chain_status(result: VerifyResult) -> dict[str, Any]:
    """``verify``'s answer with a one-word status the panel can show."""
    return {"status": "verified" if result.ok else "broken",
            **result.to_dict(), "reason": " ".join(result.reason.split())}


# a path segment: no separators, quotes, brackets or the punctuation that ends a path in text
_SEGMENT = r"[^\s/\\'\"`<>|:;,()\[\]{}]+"
# absolute POSIX paths of two or more segments not preceded by a word, dot, colon or slash
# (``./a/b``, ``~/a``, URLs and ``x/y`` fractions are left alone), and Windows drive paths
_ABSOLUTE_PATH = re.compile(
    rf"(?<![\w.:/\\~$-])/(?:{_SEGMENT}/)+{_SEGMENT}"
    rf"|(?<![\w.:/\\~$-])[A-Za-z]:[\\/](?:{_SEGMENT}[\\/])*{_SEGMENT}")


class RootPaths:
    """Paths as a browser on this server knows them: relative to the root, never absolute.

    Parameters
    ----------
    notebook
        The notebook's path relative to the root (``dir/nb.ipynb``).
    root
        The server's root folder; None when unknown (then only names are made relative).
    """

    def __init__(self, notebook: str, root: str | os.PathLike[str] | None = None) -> None:
        self.notebook = PurePosixPath(notebook).as_posix()
        self.root = Path(root).expanduser() if root is not None else None
        prefixes: list[str] = []
        if self.root is not None:
            for candidate in (self.root, self.root.resolve()):
                text = str(candidate).rstrip("/\\")
                if text and text not in prefixes:
                    prefixes.append(text)
        self._prefixes = sorted(prefixes, key=len, reverse=True)
        self._folder = PurePosixPath(self.notebook).parent

    def path(self, value: str) -> str:
        """One path: root-relative when under the root, else its name; the notebook's bare
        name (or a file beside it) as the root knows it."""
        text = value.strip()
        if not text:
            return value
        windows = re.match(r"^[A-Za-z]:[\\/]", text) is not None
        if text.startswith("/") or windows:
            for prefix in self._prefixes:
                if text == prefix:
                    return "."
                if text.startswith(prefix) and text[len(prefix)] in "/\\":
                    return text[len(prefix) + 1:].replace("\\", "/")
            return re.split(r"[\\/]", text.rstrip("/\\"))[-1] or text
        if self._folder != PurePosixPath(".") and "/" not in text and "\\" not in text:
            if text == PurePosixPath(self.notebook).name:
                return self.notebook
            if self.root is not None and (self.root / self._folder / text).exists():
                return (self._folder / text).as_posix()
        return text

    def text(self, value: str) -> str:
        """Free text with every absolute path in it made relative (or reduced to a name)."""
        if "/" not in value and "\\" not in value:
            return value
        for prefix in self._prefixes:
            value = value.replace(prefix + "/", "").replace(prefix + "\\", "")
        return _ABSOLUTE_PATH.sub(lambda match: self.path(match.group(0)), value)

    def scrub(self, value: Any) -> Any:
        """``text`` applied to every string of a JSON-like value (the overview's last pass)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        return value


def _subject_of(paths: RootPaths | None) -> Callable[[Any], Any]:
    if paths is None:
        return lambda subject: subject
    return lambda subject: paths.path(subject) if isinstance(subject, str) else subject


def latest_checks(records: Sequence[dict[str, Any]], paths: RootPaths | None = None
                  ) -> list[dict[str, Any]]:
    """The newest check record per (check, subject), oldest first; with how many runs it had.

    With ``paths``, subjects are compared root-relative: the kernel's ``%mlsec notebook`` on
    ``/srv/root/nb.ipynb`` and the sidebar's scan of ``nb.ipynb`` are runs of one check.
    Card statements are not checks of the notebook and are left out.
    """
    subject_of = _subject_of(paths)
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    runs: dict[tuple[Any, Any], int] = {}
    for record in records:
        if record.get("kind") != "check" or not isinstance(record.get("report"), dict):
            continue
        report = record["report"]
        if report.get("check") == STATEMENTS_CHECK:
            continue
        key = (report.get("check"), subject_of(report.get("subject")))
        latest.pop(key, None)  # re-insert: dict order is then the order of the latest runs
        latest[key] = record
        runs[key] = runs.get(key, 0) + 1
    return [{"record": r, "runs": runs[k], "subject": k[1]} for k, r in latest.items()]


LOCATION_KEYS = ("file", "member", "offset", "cell", "output", "line", "column")


def _location(location: Any, paths: RootPaths | None) -> dict[str, Any]:
    if not isinstance(location, dict):
        return {}
    out = {k: v for k, v in location.items() if k in LOCATION_KEYS or k == "origin"}
    if paths is not None and isinstance(out.get("file"), str):
        out["file"] = paths.path(out["file"])
    return out


def _finding_key(finding: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two reported findings the same finding: rule, place and title."""
    location = finding["location"]
    return (finding["rule"], finding["cell"] if finding["cell"] is not None
            else finding["cell_id"],
            *(str(location.get(k)) for k in LOCATION_KEYS if k != "cell"),
            " ".join(str(finding["title"]).split()))


def findings_of(records: Sequence[dict[str, Any]], paths: RootPaths | None = None
                ) -> list[dict[str, Any]]:
    """Every finding of the latest run of each check, most severe first, with its cell.

    ``cell`` is the cell index the finding names (static scans of the notebook file);
    ``cell_id`` the id of the cell that ran the check (checks run from the notebook), so a
    viewer can select the cell either way. ``accepted`` is a reviewer's reason, or None. A
    finding reported by more than one latest run (same rule, place and title) is kept once,
    from the newest run.
    """
    findings: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in latest_checks(records, paths):
        record = entry["record"]
        report = record["report"]
        cell = record.get("cell") or {}
        for finding in report.get("findings") or ():
            if not isinstance(finding, dict):
                continue
            location = _location(finding.get("location"), paths)
            accepted = finding.get("accepted")
            item = {
                "check": report.get("check"),
                "subject": entry["subject"],
                "seq": record.get("seq"),
                "rule": finding.get("rule"),
                "severity": _severity(finding.get("severity")),
                "title": finding.get("title", ""),
                "detail": finding.get("detail", ""),
                "remediation": finding.get("remediation", ""),
                "location": location,
                "cell": location.get("cell") if isinstance(location.get("cell"), int) else None,
                "cell_id": cell.get("id"),
                "accepted": str(accepted) if accepted is not None else None,
            }
            key = _finding_key(item)
            findings.pop(key, None)  # the newer run's copy (its seq, its cell) wins
            findings[key] = item
    ordered = list(findings.values())
    ordered.sort(key=lambda f: (f["accepted"] is not None, SEVERITIES.index(f["severity"]),
                                f["cell"] is None, f["cell"] or 0, f["seq"] or 0,
                                str(f["rule"])))
    return ordered


def _severity(value: Any) -> str:
    text = str(value).lower()
    return text if text in SEVERITIES else "info"


def _statements_label(report: dict[str, Any]) -> str:
    stated = (report.get("metrics") or {}).get("statements") or {}
    keys = [key.replace("_", " ") for key in STATEMENT_KEYS if key in stated]
    return f"card statements: {report.get('subject') or 'no model'} ({', '.join(keys)})"


def timeline_of(records: Sequence[dict[str, Any]], paths: RootPaths | None = None
                ) -> list[dict[str, Any]]:
    """One entry per record: what ran, when, with what outcome, and which data it touched."""
    subject_of = _subject_of(paths)
    entries = []
    for record in records:
        kind = record.get("kind")
        cell = record.get("cell") or {}
        entry: dict[str, Any] = {"seq": record.get("seq"), "kind": kind,
                                 "time": record.get("time"), "cell_id": cell.get("id"),
                                 "execution_count": cell.get("execution_count")}
        if kind == "cell":
            outcome = record.get("outcome") or {}
            code = record.get("code") or {}
            entry["status"] = outcome.get("status")
            entry["error"] = (outcome.get("error") or {}).get("type")
            entry["duration_ms"] = (record.get("timing") or {}).get("duration_ms")
            entry["label"] = _first_line(code.get("source", ""))
            entry["data"] = [_data_entry(d) for d in record.get("data") or ()
                             if isinstance(d, dict)]
            entry["files"] = [{"path": subject_of(f.get("path")), "mode": f.get("mode")}
                              for f in record.get("files") or () if isinstance(f, dict)]
        elif kind == "check":
            summary = record.get("summary") or {}
            stored = record.get("report")
            report: dict[str, Any] = stored if isinstance(stored, dict) else {}
            entry["check"] = summary.get("check")
            entry["label"] = (_statements_label(report)
                              if summary.get("check") == STATEMENTS_CHECK else
                              f"{summary.get('check')}: {subject_of(summary.get('subject'))}")
            entry["findings"] = summary.get("findings", 0)
            entry["max_severity"] = summary.get("max_severity")
            entry["origin"] = record.get("origin")
        elif kind == "session":
            env = record.get("env") or {}
            entry["label"] = f"kernel started (Python {env.get('python', '?')})"
        elif kind == "recovery":
            entry["label"] = "recovered a torn write"
        else:
            entry["label"] = f"{kind} record"
        entries.append(entry)
    return entries


def _first_line(source: str) -> str:
    line = next((text.strip() for text in source.splitlines() if text.strip()), "")
    return line[:120]


def _data_entry(fingerprint: dict[str, Any]) -> dict[str, Any]:
    return {key: fingerprint[key] for key in ("name", "change", "kind", "shape", "rows_total")
            if key in fingerprint}


def data_seen(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest fingerprint of each frame/array name the log saw created or changed."""
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("kind") != "cell":
            continue
        for item in record.get("data") or ():
            if isinstance(item, dict) and item.get("change") in ("created", "changed"):
                seen.pop(str(item.get("name")), None)
                seen[str(item.get("name"))] = {**_data_entry(item), "seq": record.get("seq"),
                                               "sha256": item.get("content_sha256")}
    return list(seen.values())


def notebook_overview(notebook: str, lineage_file: str,
                      records: Sequence[dict[str, Any]] | CheckedRecords,
                      result: VerifyResult, root: str | os.PathLike[str] | None = None
                      ) -> dict[str, Any]:
    """Everything the sidebar shows about one notebook, as plain JSON.

    ``root`` is the server's root: with it, subjects and locations are root-relative and no
    string of the answer holds an absolute path (see ``RootPaths``). Records of a shape this
    package never writes are left out (``lineage/records.py``) and listed in ``skipped``, with
    a one-line ``warning``.
    """
    checked = check_records(records)
    records = checked.records
    paths = RootPaths(notebook, root)
    findings = findings_of(records, paths)
    open_findings = [f for f in findings if f["accepted"] is None]
    by_severity = dict.fromkeys(SEVERITIES, 0)
    for finding in open_findings:
        by_severity[finding["severity"]] += 1
    timeline = timeline_of(records, paths)
    latest = latest_checks(records, paths)
    checks = [{"check": e["record"]["report"].get("check"), "subject": e["subject"],
               "seq": e["record"].get("seq"), "time": e["record"].get("time"),
               "findings": len(e["record"]["report"].get("findings") or ()),
               "runs": e["runs"]} for e in latest]
    data = data_seen(records)
    overview = {
        "notebook": notebook,
        "lineage_file": lineage_file,
        "chain": chain_status(result),
        "counts": {
            "records": len(records),
            "sessions": sum(1 for r in records if r.get("kind") == "session"),
            "cells": sum(1 for r in records if r.get("kind") == "cell"),
            "checks": sum(1 for r in records if r.get("kind") == "check"
                          and (r.get("summary") or {}).get("check") != STATEMENTS_CHECK),
            "data": len(data),
            "findings": len(open_findings),
        },
        "by_severity": by_severity,
        "accepted": len(findings) - len(open_findings),
        "findings": findings,
        "checks": checks,
        "data": data,
        "models": card_models(records),
        "card_model": last_card_model(records),
        "timeline": timeline[-MAX_TIMELINE:],
        "timeline_total": len(timeline),
        "skipped": [skipped.to_dict() for skipped in checked.skipped],
        "warning": checked.warning() or None,
    }
    scrubbed: dict[str, Any] = paths.scrub(overview)
    return scrubbed


def record_static_report(path: Path, report: Any, notebook: str) -> dict[str, Any]:
    """Append a report made outside a kernel (the sidebar's "scan now") as a check record.

    It joins the log's latest recording session, so the model card of that session counts
    it, and says where it came from (``origin``). Returns the stored record.
    """
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    findings = [f for f in data.get("findings") or () if isinstance(f, dict)]
    counts: dict[str, int] = {}
    for finding in findings:
        label = _severity(finding.get("severity"))
        counts[label] = counts.get(label, 0) + 1
    worst = next((s for s in SEVERITIES if counts.get(s)), None)
    session = None
    if path.exists():
        session = next((r["session"] for r in reversed(read_records(path))
                        if isinstance(r.get("session"), str) and r["session"]), None)
    body = {
        "kind": "check",
        "session": session,
        "origin": SERVER_ORIGIN,
        "cell": {"id": None, "execution_count": None, "notebook": os.fspath(notebook)},
        "summary": {"check": data.get("check"), "subject": data.get("subject"),
                    "findings": len(findings), "by_severity": dict(sorted(counts.items())),
                    "max_severity": worst},
        "report": data,
    }
    return LineageStore(path).append(body)
