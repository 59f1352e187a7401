"""Secrets redaction of cell sources (and error messages) before they reach the lineage file.

The lineage log is meant to be shared with reviewers and auditors, so a key pasted into a cell
must not travel with it. The code's SHA-256 is taken from the *original* text (so a record still
matches its notebook cell); only the stored copy is redacted.

Rules are data: ``SECRET_PATTERNS`` lists well-known token formats (matched anywhere), and
``ASSIGNMENT_PATTERNS`` string literals assigned to a secret-sounding name (``password = "..."``,
``api_key = "..."``, ``{"token": "..."}``). For names like ``*key*`` or ``*token*`` the literal
must also look random (length and Shannon entropy), so ``sort_key = "date"`` stays readable.
This is a safety net, not a scanner: ``%mlsec secrets`` is the real check.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

# (kind, pattern): the whole match is replaced.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("private-key", re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?"
        r"(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)", re.DOTALL)),
    ("aws-access-key-id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    ("github-token", re.compile(
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b")),
    ("gitlab-token", re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}\b")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}\b")),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("secret-key", re.compile(
        r"\b(?:sk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_\-]{20,}\b")),
    ("huggingface-token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
)

# A password inside a URL: scheme://user:PASSWORD@host (only the password group is replaced).
URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@'\"]+:)"
                          r"(?P<secret>[^\s@/'\"]+)(?=@)")

# name = "literal", name: "literal", "name": "literal", name="literal" (keyword argument).
_ASSIGNMENT = (r"(?P<name>\b[A-Za-z_][A-Za-z0-9_]*)['\"]?\s*(?::|=|:=)\s*"
               r"(?P<quote>[rbuRBU]{0,2}['\"])(?P<secret>[^'\"\n]+)['\"]")
ASSIGNMENT = re.compile(_ASSIGNMENT)

# (kind, name pattern, must look random): a name matching is enough for passwords, while
# keys/tokens/secrets must also have a random-looking value.
ASSIGNMENT_PATTERNS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("password", re.compile(r"(?i)(passw(or)?d|passwd|\bpwd\b|passphrase)"), False),
    ("credential", re.compile(
        r"(?i)(secret|token|api_?key|access_?key|private_?key|auth|credential|\bkey$|_key\b)"),
     True),
)

MIN_RANDOM_LENGTH = 12
MIN_RANDOM_ENTROPY = 3.0  # bits per character


@dataclass(frozen=True)
class Redaction:
    """The redacted text and what was taken out of it (kinds and counts, never the values)."""

    text: str
    counts: dict[str, int]

    def to_list(self) -> list[dict[str, object]]:
        return [{"kind": kind, "count": count} for kind, count in sorted(self.counts.items())]


def shannon_entropy(text: str) -> float:
    """Bits per character: random tokens score ~4-6, words and identifiers ~2-3."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_random(value: str) -> bool:
    return (len(value) >= MIN_RANDOM_LENGTH and " " not in value
            and shannon_entropy(value) >= MIN_RANDOM_ENTROPY)


def redact(text: str) -> Redaction:
    """``text`` with secrets replaced by ``[REDACTED:<kind>]``."""
    counts: Counter[str] = Counter()
    for kind, pattern in SECRET_PATTERNS:
        text, found = pattern.subn(f"[REDACTED:{kind}]", text)
        if found:
            counts[kind] += found

    def url_password(match: re.Match[str]) -> str:
        counts["url-password"] += 1
        return match["head"] + "[REDACTED:url-password]"

    text = URL_PASSWORD.sub(url_password, text)

    def assignment(match: re.Match[str]) -> str:
        value = match["secret"]
        if value.startswith("[REDACTED:"):
            return match[0]
        for kind, name_pattern, must_look_random in ASSIGNMENT_PATTERNS:
            if name_pattern.search(match["name"]) and (not must_look_random
                                                       or looks_random(value)):
                counts[kind] += 1
                start, end = match.span("secret")
                offset = match.start()
                return match[0][:start - offset] + f"[REDACTED:{kind}]" + match[0][end - offset:]
        return match[0]

    text = ASSIGNMENT.sub(assignment, text)
    return Redaction(text, dict(counts))
