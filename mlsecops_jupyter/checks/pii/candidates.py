"""Which lines of a long text could hold personal data, and which recognizers to run on them.

A notebook's text is mostly code, numbers, logs and tracebacks. Presidio costs time in
proportion to the text it is given, so ``find_pii`` gives it only the lines a cheap pattern says
could hold an entity, joined into one text with a map back to the original offsets, and asks only
for the entity types that can occur there (an e-mail needs an ``@``; a weak type needs one of its
context words in the text, or ``find_pii`` would drop it anyway).

The candidate pattern is the union of the necessary parts of every recognizer's own pattern, so
a line it rejects is one on which no recognizer could have matched: the verdicts are the same as
on the whole text, because context never crosses a line (``text.has_context`` stops at a line
end). With an NER model installed every line with a capitalised word is a candidate too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .names import STREET_SUFFIXES
from .rules import ENTITIES

# Triggers: the necessary part of each recognizer's pattern, each one fast to scan for (a
# literal or a small set of first characters), run over the whole text, never per line.
TRIGGERS = (
    re.compile(r"@"),  # e-mail
    re.compile(r"\d(?:[^\w\n]{0,3}\d){6}"),  # 7+ digits: phone, card, SSN, IBAN, bank, NHS ...
    re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d"),  # IPv4
    re.compile(r":[0-9A-Fa-f]{0,4}:"),  # IPv6, MAC
    re.compile(r"-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-|-[0-9A-Fa-f]{4}-"),  # MAC, UUID
    re.compile(r"[A-Z][a-z\u00c0-\u024f]+[-'A-Za-z\u00c0-\u024f]*[ \t]+(?:[A-Z]\.[ \t]+)?"
               r"[A-Z][a-z]"),  # a given name and a surname
    re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Prof)\b"),  # a title before a name
)
# ...and words, looked for in the lower-cased text: introductions of a name, the context
# words of the weak types (they count only next to one, on the same line), street suffixes
_WORDS = sorted({w for e in ENTITIES.values() if e.weak for w in e.context}
                | {"name is", "named", "dear ", "patient", "customer", "sincerely", "regards"},
                key=len, reverse=True)
WORD_TRIGGERS = (
    re.compile("|".join(re.escape(w) for w in _WORDS)),
    re.compile(rf"(?:{STREET_SUFFIXES})\b"),
)
CAPITALISED = re.compile(r"[A-Z][a-z]")
DIGIT = re.compile(r"\d")
# entity types that need digits, and those found from words alone
NEEDS_DIGITS = frozenset({"CREDIT_CARD", "US_SSN", "IBAN_CODE", "PHONE_NUMBER", "IP_ADDRESS",
                          "MAC_ADDRESS", "US_DRIVER_LICENSE", "US_BANK_NUMBER", "US_PASSPORT",
                          "US_ITIN", "MEDICAL_LICENSE", "UK_NHS", "UUID", "DATE_OF_BIRTH",
                          "STREET_ADDRESS"})
_CONTEXT_WORDS = {
    name: re.compile(r"(?<![a-z])(?:" + "|".join(
        re.escape(word) + ("s?(?![a-z])" if len(word) < 5 else "") for word in entity.context)
        + ")")
    for name, entity in ENTITIES.items() if entity.weak and entity.context}


def is_candidate(value: str, *, ner: bool = False) -> bool:
    """Could a recognizer match anything in ``value`` (one short text, a table cell)?"""
    if any(t.search(value) for t in TRIGGERS) or (ner and CAPITALISED.search(value)):
        return True
    lowered = value.lower()
    return any(t.search(lowered) for t in WORD_TRIGGERS)


@dataclass(frozen=True)
class Segment:
    """Candidate lines joined into one text; ``offset_of`` maps its offsets back."""

    text: str
    starts: list[int]  # where each joined line starts in ``text``
    origins: list[int]  # ... and in the original text

    def offset_of(self, position: int) -> tuple[int, int]:
        """(line index, offset in the original text) of ``text[position]``."""
        line = bisect.bisect_right(self.starts, position) - 1
        return line, self.origins[line] + position - self.starts[line]


def segments(text: str, *, ner: bool, limit: int) -> list[Segment]:
    """The candidate lines of ``text`` in segments of about ``limit`` characters at most."""
    line_starts = [0]
    at = text.find("\n")
    while at >= 0:
        line_starts.append(at + 1)
        at = text.find("\n", at + 1)
    wanted: set[int] = set()
    lowered = text.lower()
    sources = [(t, text) for t in TRIGGERS] + [(t, lowered) for t in WORD_TRIGGERS]
    if ner:
        sources.append((CAPITALISED, text))
    for trigger, source in sources:
        for match in trigger.finditer(source):
            wanted.add(bisect.bisect_right(line_starts, match.start()) - 1)
    found: list[Segment] = []
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    size = 0
    for index in sorted(wanted):
        begin = line_starts[index]
        end = line_starts[index + 1] - 1 if index + 1 < len(line_starts) else len(text)
        line = text[begin:end]
        if size and size + len(line) > limit:
            found.append(Segment("\n".join(parts), starts, origins))
            parts, starts, origins, size = [], [], [], 0
        starts.append(size)
        origins.append(begin)
        parts.append(line)
        size += len(line) + 1
    if parts:
        found.append(Segment("\n".join(parts), starts, origins))
    return found


def entities_for(text: str, wanted: frozenset[str]) -> list[str]:
    """The entity types worth asking for in ``text`` (of ``wanted``, all supported ones)."""
    digits = DIGIT.search(text) is not None
    lowered = text.lower()
    chosen = []
    for entity in wanted:
        if entity == "EMAIL_ADDRESS" and "@" not in text:
            continue
        if entity in NEEDS_DIGITS and not digits:
            continue
        pattern = _CONTEXT_WORDS.get(entity)
        if pattern is not None and not pattern.search(lowered):
            continue
        chosen.append(entity)
    return sorted(chosen)
