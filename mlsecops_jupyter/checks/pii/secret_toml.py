"""A team's own secret rules, read from a gitleaks-format TOML file.

Why: teams that already scan repositories with gitleaks keep their company-specific rules
(internal token prefixes, vendor keys) in a ``gitleaks.toml``. Setting
``[tool.mlsec.notebook] extra_rules = "gitleaks.toml"`` makes the notebook scan apply the same
rules, reported as ``SECRET-CUSTOM`` with the rule's id, after our own detectors.

What is read from each ``[[rules]]`` table: ``id``, ``regex``, ``secretGroup`` (0: the first
group that matched, else the whole match -- gitleaks' choice), ``entropy`` (minimum Shannon
entropy of the secret), ``keywords`` (one must occur, any case, before the regex is tried) and
the rule's allowlists (``[rules.allowlist]`` or ``[[rules.allowlists]]``: ``regexes`` tested
against the secret, the match or the line per ``regexTarget``, and ``stopwords``), plus the
file's global ``[allowlist]`` / ``[[allowlists]]``. Rules with only a ``path`` (file-name
rules) have nothing to match in a notebook and are skipped. Go's regex syntax differs from
Python's in a few spellings, translated here (``\\z``, POSIX classes, ``\\x{...}``, flags in
the middle of a pattern, ``(?<name>``).

A file that cannot be read, is no TOML or holds a regex Python cannot compile is a
``MLSecConfigError`` with one line naming the file and the rule.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import MLSecConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CUSTOM_TYPE = "CUSTOM"

_POSIX = {
    "alnum": "A-Za-z0-9", "alpha": "A-Za-z", "digit": "0-9", "lower": "a-z", "upper": "A-Z",
    "space": r"\s", "xdigit": "0-9A-Fa-f", "word": r"\w", "punct": r"!-/:-@\[-`{-~",
    "blank": r" \t", "cntrl": r"\x00-\x1f\x7f", "print": r" -~", "graph": "!-~",
    "ascii": r"\x00-\x7f",
}


def translate(go_regex: str) -> str:
    """The Python spelling of a Go (RE2) regex: the constructs gitleaks rules use."""
    text = go_regex.replace(r"\z", r"\Z")
    text = re.sub(r"\[:(\^?)([a-z]+):\]",
                  lambda m: _POSIX.get(m.group(2), m.group()) if not m.group(1) else m.group(),
                  text)
    text = re.sub(r"\\x\{([0-9A-Fa-f]{1,6})\}", lambda m: f"\\U{int(m.group(1), 16):08x}", text)
    text = re.sub(r"\(\?<(?![=!])", "(?P<", text)
    # a flag group (?i) after the start applies to the rest in Go; Python wants flags first
    flags = ""

    def lift(match: re.Match[str]) -> str:
        nonlocal flags
        flags += match.group(1)
        return ""

    head = re.match(r"\(\?[imsU]+\)", text)
    start = head.end() if head else 0
    text = text[:start] + re.sub(r"\(\?([ims]+)\)", lift, text[start:])
    if flags:
        text = f"(?{''.join(sorted(set(flags)))})" + text
    return text


@dataclass(frozen=True)
class Allowlist:
    """What a rule (or the whole file) lets through."""

    regexes: tuple[re.Pattern[str], ...] = ()
    target: str = "secret"  # secret | match | line
    stopwords: tuple[str, ...] = ()

    def allows(self, secret: str, match: str, line: str) -> bool:
        subject = {"match": match, "line": line}.get(self.target, secret)
        if any(p.search(subject) for p in self.regexes):
            return True
        lowered = secret.lower()
        return any(word.lower() in lowered for word in self.stopwords)


@dataclass(frozen=True)
class CustomRule:
    """One gitleaks ``[[rules]]`` entry, ready to run on a text."""

    id: str
    description: str
    pattern: re.Pattern[str]
    secret_group: int = 0
    entropy: float = 0.0
    keywords: tuple[str, ...] = ()
    allowlists: tuple[Allowlist, ...] = field(default_factory=tuple)

    def secrets(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        """Spans of the secrets this rule finds in ``text`` (``lowered`` is its lower case)."""
        if self.keywords and not any(k in lowered for k in self.keywords):
            return
        from .secrets import shannon_entropy

        for match in self.pattern.finditer(text):
            start, end = _secret_span(match, self.secret_group)
            if start < 0 or start == end:
                continue
            secret = text[start:end]
            if self.entropy and shannon_entropy(secret) < self.entropy:
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line = text[line_start: len(text) if line_end < 0 else line_end]
            if any(a.allows(secret, match.group(), line) for a in self.allowlists):
                continue
            yield start, end


def _secret_span(match: re.Match[str], group: int) -> tuple[int, int]:
    if group:
        return match.span(group) if group <= (match.re.groups or 0) else (-1, -1)
    for index in range(1, (match.re.groups or 0) + 1):
        if match.group(index):
            return match.span(index)
    return match.span()


def _allowlist(table: Mapping[str, Any], where: str) -> Allowlist:
    regexes = []
    for regex in table.get("regexes", []) or []:
        regexes.append(_compile(str(regex), where))
    target = str(table.get("regexTarget", "secret") or "secret")
    return Allowlist(tuple(regexes), target, tuple(str(w) for w in table.get("stopwords", [])))


def _allowlists(table: Mapping[str, Any], where: str) -> tuple[Allowlist, ...]:
    found = []
    single = table.get("allowlist")
    if isinstance(single, Mapping):
        found.append(_allowlist(single, where))
    for entry in table.get("allowlists", []) or []:
        if isinstance(entry, Mapping):
            found.append(_allowlist(entry, where))
    return tuple(found)


def _compile(go_regex: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(translate(go_regex))
    except re.error as exc:
        raise MLSecConfigError(f"{where}: regex does not compile in Python ({exc})") from None


def parse_rules(document: str, source: str = "extra_rules") -> tuple[CustomRule, ...]:
    """The rules of a gitleaks TOML document (``source`` names it in errors)."""
    try:
        data = tomllib.loads(document)
    except tomllib.TOMLDecodeError as exc:
        raise MLSecConfigError(f"{source}: not valid TOML ({exc})") from None
    rules_table = data.get("rules", [])
    if not isinstance(rules_table, list):
        raise MLSecConfigError(f"{source}: 'rules' must be an array of tables ([[rules]])")
    shared = _allowlists(data, f"{source}: global allowlist")
    rules = []
    for index, entry in enumerate(rules_table, start=1):
        if not isinstance(entry, Mapping):
            raise MLSecConfigError(f"{source}: rule {index} is not a table")
        rule_id = str(entry.get("id") or f"rule-{index}")
        where = f"{source}: rule {rule_id!r}"
        regex = entry.get("regex")
        if not regex:
            continue  # a path-only rule: it names files, a notebook cell has no file name
        try:
            secret_group = int(entry.get("secretGroup", 0) or 0)
            entropy = float(entry.get("entropy", 0) or 0)
        except (TypeError, ValueError):
            raise MLSecConfigError(f"{where}: secretGroup and entropy must be numbers") from None
        rules.append(CustomRule(
            rule_id, str(entry.get("description", "")), _compile(str(regex), where),
            secret_group, entropy,
            tuple(str(k).lower() for k in entry.get("keywords", []) or []),
            _allowlists(entry, where) + shared))
    return tuple(rules)


_CACHE: dict[tuple[str, int, int], tuple[CustomRule, ...]] = {}


def load_rules(path: Path) -> tuple[CustomRule, ...]:
    """The rules of the file at ``path``, read once per version of the file."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            _CACHE[key] = parse_rules(path.read_text(encoding="utf-8"), f"extra_rules {path}")
    except OSError as exc:
        raise MLSecConfigError(f"extra_rules {path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise MLSecConfigError(f"extra_rules {path}: not UTF-8 text") from None
    return _CACHE[key]
