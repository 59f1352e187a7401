"""Go RE2 regexes in Python, a seeded sampler of matching strings, and gitleaks' rule check.

Three small tools the gitleaks extraction and the vector tests share:

- ``translate(go_pattern)``: the same regex in Python ``re`` syntax. The differences that occur
  in gitleaks' rules: ``\\z`` (Python ``\\Z``); inline flags such as ``(?i)`` in the middle of a
  pattern, which RE2 applies up to the end of the enclosing group and Python 3.11 refuses
  (rewritten as scoped groups ``(?i:...)``, re-opened after each ``|``); POSIX classes
  (``[[:alnum:]]``); ``\\x{...}``; ``(?<name>``; ``{`` that RE2 reads literally; ``[`` and doubled
  set operators inside a class, which Python warns about. Compile the result with ``re.ASCII``:
  RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII.
- ``sample(pattern, rng)``: a random string matching a (Python) pattern, from the parse tree of
  Python's own regex parser; unbounded repeats add at most one more item, as the Go generator
  gitleaks uses does with its limit of 1. Our own code; the same idea as gitleaks' ``NewSecret``.
- ``rule_check(rule, text)``: whether gitleaks' rule would report ``text`` (regex, first
  non-empty capture group or ``secretGroup`` as the secret, Shannon entropy strictly above the
  rule's, a keyword in the lower-cased text, the rule's and the global allowlists by regex and
  stop word, a ``gitleaks:allow`` line), as gitleaks' ``detectRule`` does. Decoding of encoded
  segments and multi-part rules are not reproduced.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
         "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
         "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ",
         "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f"}
_INLINE_FLAGS = re.compile(r"\(\?([imsU-]+)\)")
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")


class TranslationError(ValueError):
    """A Go regex feature with no Python equivalent here."""


def translate(go: str) -> str:
    """``go`` (RE2 syntax) as a Python ``re`` pattern with the same meaning."""
    out: list[str] = []
    # per open group: the inline flags set so far in it (each opened a "(?f:" to close)
    levels: list[list[str]] = [[]]
    i, n = 0, len(go)
    while i < n:
        c = go[i]
        if c == "\\":
            i = _escape(go, i, out)
        elif c == "[":
            i = _char_class(go, i, out)
        elif c == "(":
            flags = _INLINE_FLAGS.match(go, i)
            if flags is not None:
                if "U" in flags.group(1):
                    raise TranslationError("ungreedy flag (?U)")
                if not out and len(levels) == 1:
                    out.append(flags.group())  # a leading global flag: same in Python
                else:
                    out.append(f"(?{flags.group(1)}:")
                    levels[-1].append(flags.group(1))
                i = flags.end()
                continue
            if go.startswith("(?<", i) and not go.startswith("(?<=", i) \
                    and not go.startswith("(?<!", i):
                out.append("(?P<")
                i += 3
            else:
                out.append("(")
                i += 1
            levels.append([])
        elif c == ")":
            out.append(")" * len(levels.pop()))
            out.append(")")
            i += 1
        elif c == "|":
            open_flags = levels[-1]
            out.append(")" * len(open_flags) + "|" + "".join(f"(?{f}:" for f in open_flags))
            i += 1
        elif c == "{":
            m = _REPEAT.match(go, i)
            if m is None or (m.group(3) and int(m.group(3)) < int(m.group(1))):
                out.append("\\{")  # RE2 reads a "{" that starts no repeat as a literal
                i += 1
            else:
                out.append(m.group())
                i = m.end()
        else:
            out.append(c)
            i += 1
    if len(levels) != 1:
        raise TranslationError("unbalanced parentheses")
    out.append(")" * len(levels[0]))
    return "".join(out)


def _escape(go: str, i: int, out: list[str]) -> int:
    e = go[i + 1]
    if e == "z":
        out.append("\\Z")
        return i + 2
    if e == "Q":
        end = go.find("\\E", i + 2)
        end = len(go) if end < 0 else end
        out.append(re.escape(go[i + 2:end]))
        return end + 2
    if e == "x" and go.startswith("{", i + 2):
        end = go.index("}", i)
        out.append(_codepoint(int(go[i + 3:end], 16)))
        return end + 1
    if e in "pP":
        raise TranslationError("Unicode class \\p")
    if e == "C":
        raise TranslationError("\\C")
    out.append(go[i:i + 2])
    return i + 2


def _codepoint(value: int) -> str:
    return f"\\x{value:02x}" if value < 0x100 else (
        f"\\u{value:04x}" if value < 0x10000 else f"\\U{value:08x}")


def _char_class(go: str, i: int, out: list[str]) -> int:
    """Copy ``[...]`` starting at ``go[i]``; returns the index after it."""
    parts = ["["]
    i += 1
    if go[i] == "^":
        parts.append("^")
        i += 1
    first = True
    while True:
        c = go[i]
        if c == "]" and not first:
            break
        first = False
        if go.startswith("[:", i):
            end = go.index(":]", i)
            name = go[i + 2:end]
            negated = name.startswith("^")
            if negated:
                raise TranslationError("negated POSIX class")
            parts.append(POSIX[name])
            i = end + 2
            continue
        if c == "\\":
            e = go[i + 1]
            if e == "x" and go.startswith("{", i + 2):
                end = go.index("}", i)
                parts.append(_codepoint(int(go[i + 3:end], 16)))
                i = end + 1
                continue
            if e in "pP":
                raise TranslationError("Unicode class \\p")
            parts.append(go[i:i + 2])
            i += 2
            continue
        if c == "[":
            parts.append("\\[")
        elif c == "]":
            parts.append("\\]")
        elif c in "-&|~" and go[i + 1] == c:
            parts.append("\\" + c)  # Python reserves doubled set operators
        else:
            parts.append(c)
        i += 1
    parts.append("]")
    out.append("".join(parts))
    return i + 1


def compile_go(go: str) -> re.Pattern[str]:
    """``translate`` and compile with RE2's ASCII classes."""
    return re.compile(translate(go), re.ASCII)


# -- sampling -----------------------------------------------------------------------------------
_PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]
_CATEGORY = {
    sre_constants.CATEGORY_DIGIT: [chr(c) for c in range(0x30, 0x3A)],
    sre_constants.CATEGORY_WORD: [chr(c) for c in range(0x30, 0x3A)]
    + [chr(c) for c in range(0x41, 0x5B)] + [chr(c) for c in range(0x61, 0x7B)] + ["_"],
    sre_constants.CATEGORY_SPACE: [" ", "\t", "\n"],
    sre_constants.CATEGORY_NOT_DIGIT: [c for c in _PRINTABLE if not c.isdigit()],
    sre_constants.CATEGORY_NOT_WORD: [c for c in _PRINTABLE if not (c.isalnum() or c == "_")],
    sre_constants.CATEGORY_NOT_SPACE: _PRINTABLE,
}


def sample(pattern: str, rng: random.Random, unbounded_extra: int = 1) -> str:
    """A random string that ``pattern`` (Python syntax) matches, drawn with ``rng``."""
    tree = sre_parse.parse(pattern, re.ASCII)
    groups: dict[int, str] = {}
    return _emit(tree, rng, groups, unbounded_extra)


def _emit(items: Any, rng: random.Random, groups: dict[int, str], extra: int) -> str:
    out: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL:
            out.append(rng.choice([c for c in _PRINTABLE if ord(c) != arg]))
        elif op is sre_constants.ANY:
            out.append(rng.choice(_PRINTABLE))
        elif op is sre_constants.IN:
            out.append(_pick_in(arg, rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
                    getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            if high is sre_constants.MAXREPEAT:
                high = low + extra
            count = rng.randint(low, high)
            out.extend(_emit(body, rng, groups, extra) for _ in range(count))
        elif op is sre_constants.SUBPATTERN:
            group, _add, _del, body = arg
            text = _emit(body, rng, groups, extra)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            out.append(_emit(rng.choice(arg[1]), rng, groups, extra))
        elif op is sre_constants.GROUPREF:
            out.append(groups.get(arg, ""))
        elif op is sre_constants.CATEGORY:
            out.append(rng.choice(_CATEGORY[arg]))
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue  # anchors and look-arounds emit nothing
        else:
            raise TranslationError(f"cannot sample regex op {op}")
    return "".join(out)


def _pick_in(items: Any, rng: random.Random) -> str:
    negate = any(op is sre_constants.NEGATE for op, _ in items)
    allowed: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            allowed.append(chr(arg))
        elif op is sre_constants.RANGE:
            allowed.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is sre_constants.CATEGORY:
            allowed.extend(_CATEGORY[arg])
    if negate:
        excluded = set(allowed)
        return rng.choice([c for c in _PRINTABLE if c not in excluded])
    return rng.choice(allowed)


# -- gitleaks' rule check -----------------------------------------------------------------------
def shannon_entropy(text: str) -> float:
    """Bits per character, over code points (gitleaks' ``shannonEntropy``)."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(c / len(text) * math.log2(c / len(text)) for c in counts.values())


@dataclass(frozen=True)
class Allowlist:
    """One gitleaks allowlist, reduced to what a text (no path, no commit) can trigger."""

    regexes: tuple[str, ...]  # Python patterns
    target: str  # "" (the secret), "match" or "line"
    stopwords: tuple[str, ...]
    condition_and: bool
    has_paths: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Allowlist:
        return cls(tuple(data.get("regexes_python", ())), data.get("regex_target", ""),
                   tuple(data.get("stopwords", ())), data.get("condition") == "AND",
                   bool(data.get("paths")))

    def allows(self, secret: str, match: str, line: str) -> bool:
        target = {"match": match, "line": line}.get(self.target, secret)
        regex_ok = bool(target) and any(re.search(p, target, re.ASCII) for p in self.regexes)
        lowered = secret.lower()
        stop_ok = bool(secret) and any(w in lowered for w in self.stopwords)
        if self.condition_and:
            checks = ([regex_ok] if self.regexes else []) + ([stop_ok] if self.stopwords else [])
            # a path condition never holds for a text without a file name
            return bool(checks) and all(checks) and not self.has_paths
        return regex_ok or stop_ok


@dataclass(frozen=True)
class Secret:
    """What a rule reports in a text: the match, its secret and where the secret is."""

    match: str
    secret: str
    start: int  # of the secret, in the text
    end: int
    entropy: float


def rule_check(rule: dict[str, Any], text: str,
               global_allowlists: list[Allowlist] | None = None) -> tuple[list[Secret], str]:
    """What gitleaks' ``rule`` (a rule record of ``rules.json``) reports in ``text``.

    Returns the reported secrets and, when none, why (``no match``, ``no keyword``,
    ``entropy``, ``allowlist``, ``gitleaks:allow``, ``path rule``).
    """
    if rule.get("path") and not rule.get("regex_python"):
        return [], "path rule"
    lowered = text.lower()
    keywords = [k.lower() for k in rule.get("keywords", [])]
    if keywords and not any(k in lowered for k in keywords):
        return [], "no keyword"
    pattern = re.compile(rule["regex_python"], re.ASCII)
    allowlists = [Allowlist.from_json(a) for a in rule.get("allowlists", [])]
    reasons = []
    found: list[Secret] = []
    for m in pattern.finditer(text):
        match = m.group().strip("\n")
        start = m.start() + (len(m.group()) - len(m.group().lstrip("\n")))
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start + len(match))
        line = text[line_start:len(text) if line_end < 0 else line_end]
        if "gitleaks:allow" in line:
            reasons.append("gitleaks:allow")
            continue
        secret, offset = _secret_of(pattern, match, rule.get("secret_group", 0))
        entropy = shannon_entropy(secret)
        if rule.get("entropy") and entropy <= rule["entropy"]:
            reasons.append("entropy")
            continue
        if any(a.allows(secret, match, line)
               for a in [*(global_allowlists or []), *allowlists]):
            reasons.append("allowlist")
            continue
        found.append(Secret(match, secret, start + offset, start + offset + len(secret),
                            round(entropy, 3)))
    if found:
        return found, ""
    return [], reasons[0] if reasons else "no match"


def _secret_of(pattern: re.Pattern[str], match: str, secret_group: int) -> tuple[str, int]:
    """The secret inside ``match``, and its offset there (gitleaks re-matches the match)."""
    m = pattern.search(match)
    if m is None or pattern.groups == 0:
        return match, 0
    if secret_group:
        value = m.group(secret_group) or ""
        return value, max(m.start(secret_group), 0)
    for index in range(1, pattern.groups + 1):
        value = m.group(index)
        if value:
            return value, m.start(index)
    return match, 0
