"""Redaction of cell sources (and error messages) before they reach the lineage file.

The lineage log is meant to be shared with reviewers and auditors, so a key pasted into a cell
must not travel with it, nor must a customer's e-mail address typed into one. Two scanners
decide, the same ones ``%mlsec notebook`` and ``mlsec redact`` use:

- credentials: the secrets scanner (``checks/pii/secrets.py``, the ``SECRET-*`` rules), every
  cell; each is replaced by ``[REDACTED:<TYPE>]``.
- personal data: the PII scanner (``checks/pii``: Presidio with our validators), replaced by
  ``[REDACTED:<ENTITY>]``. Presidio costs milliseconds per text (and seconds to load, once), so
  it runs only on *candidates*: a text in which a cheap pattern test (``pii_candidates``) finds
  something personal data could be made of (an ``@`` between words, a formatted number of a
  phone, card, SSN or IBAN, an IP address, a name pair, a street address, a date or an id next
  to a word that makes it personal). Ordinary cells pay only that test (microseconds). The test
  is built to over-select: every span ``find_pii`` reports in the project's notebook corpus is
  in a candidate text (``tests/lineage/test_redact.py``). ``lineage.redact_pii = false`` keeps
  personal data in the log.

The scanners are imported on the first call, so ``%load_ext`` does not pay for them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

log = logging.getLogger("mlsecops_jupyter.lineage")

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f"
_CAPITALISED = rf"[A-Z\u00c0-\u00d6\u00d8-\u00de][{_LOWER}]+(?:[-'][A-Z]?[{_LOWER}]+)?"
_STREET_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|aly|row|close|"
    r"crescent|cres|grove|gardens|hill|path|pike|plaza|plz|loop|run|walk|strasse|straße|rue|"
    r"via)"
)

# Shapes personal data needs no context word for, one pattern per kind (each searched on its
# own, so one kind's match never hides another's). Each is wider than the recognisers behind
# find_pii (see the module docstring): a false candidate costs one Presidio call in the writer
# thread, a missed one would leave personal data in the log. Name pairs are looked for at every
# word (a lookahead), so "Dear Wei Zhang" also yields "Wei Zhang".
_STRONG = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("email", r"\S@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}"),
    ("ipv4", r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),
    # payment cards (4-4-4-x, 4-6-5, 12-19 bare digits), formatted SSNs and phones
    ("number", r"\+?\(?\d{1,4}\)?(?:[ .\-/]\(?\d{1,6}\)?){2,}|\d{4}[ \-]?\d{4,6}[ \-]?\d{4,5}"
               r"|\d{3}[ \-]\d{2}[ \-]\d{4}"),
    ("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,}"),
    ("ipv6", r"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"),
    ("pair", rf"(?=({_CAPITALISED}\s+(?:[A-Z]\.\s+)?{_CAPITALISED}))"),
    ("intro", r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?|\b(?:[Mm]y name is|[Nn]amed|[Dd]ear|"
              r"[Pp]atient|[Cc]ustomer|[Ss]incerely,?|[Rr]egards,?))\s+[A-Z]"),
    ("street", rf"(?i:\d{{1,6}}[a-z]?\s+(?:[{_LETTER}0-9'.\-]+\s+){{1,5}}{_STREET_SUFFIX}\b)"),
))
# one pass that says whether any of the shapes above occurs at all (most cells: none)
_ANY_STRONG = re.compile("|".join(f"(?:{pattern.pattern})" for _kind, pattern in _STRONG))
_DIGIT = re.compile(r"\d")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]+")
_ANY_CAPITALISED = re.compile(rf"\b{_CAPITALISED}\b")


@dataclass(frozen=True)
class Redaction:
    """The redacted text and what was taken out of it (types and counts, never the values)."""

    text: str
    counts: dict[str, int]

    def to_list(self) -> list[dict[str, object]]:
        return [{"kind": kind, "count": count} for kind, count in sorted(self.counts.items())]


def redact(text: str, context: Literal["code", "text"] = "code", *,
           pii: bool = False) -> Redaction:
    """``text`` with every credential (and with ``pii`` every piece of personal data) replaced.

    ``context="text"`` (error messages) also reads ``password: value`` prose. Personal data is
    looked for only when ``pii_candidates`` says the text may hold some.
    """
    from ..checks.pii.redaction import splice
    from ..checks.pii.secrets import find_secrets

    spans = [(s.start, s.end, s.type) for s in find_secrets(text, context=context)]
    if pii and pii_candidates(text, context):
        spans += _personal_data(text, context)
    if not spans:
        return Redaction(text, {})
    counts = Counter(label for _start, _end, label in _without_overlaps(spans))
    spans = _without_overlaps(_everywhere(text, spans))
    return Redaction(splice(text, spans), dict(counts))


# what a span is labelled when Presidio could not judge it and every candidate was masked
UNCHECKED = "PII-UNCHECKED"


def _personal_data(text: str, context: Literal["code", "text"]) -> list[tuple[int, int, str]]:
    """Spans of personal data, from Presidio; every *candidate* span when Presidio cannot run.

    Presidio loads on first use, and a load that cannot happen (the interpreter is shutting
    down: the recorder's last records are written from ``atexit``, where no new thread or
    ``atexit`` hook may be registered; a broken install) must neither put the raw text in the
    log nor cost the whole text: the candidates (``candidate_spans``, a broad over-selection)
    are masked instead, labelled ``PII-UNCHECKED``.
    """
    from ..checks.pii import find_pii

    try:
        return [(p.start, p.end, p.entity) for p in find_pii(text, context=context)]
    except Exception as exc:
        log.warning("mlsec lineage: personal data could not be checked (%s: %s); every "
                    "candidate is masked instead", type(exc).__name__, exc)
        return [_whole_token(text, start, end) for start, end in candidate_spans(text, context)]


_TOKEN_EDGE = frozenset(" \t\r\n'\"`()[]{}<>,;=")


def _whole_token(text: str, start: int, end: int) -> tuple[int, int, str]:
    """A candidate span grown to the whole token around it: a candidate pattern may match
    only the end of a value (``doe@example.org`` of ``jane.doe@example.org``)."""
    while start > 0 and text[start - 1] not in _TOKEN_EDGE:
        start -= 1
    while end < len(text) and text[end] not in _TOKEN_EDGE:
        end += 1
    return start, end, UNCHECKED


def _everywhere(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spans`` plus every other occurrence of their values: a value found once (next to a
    context word) must not survive where it appears again (``seed(4155550132)``)."""
    found = {text[start:end]: label for start, end, label in spans if end - start >= 4}
    extra = []
    for value, label in found.items():
        position = text.find(value)
        while position >= 0:
            extra.append((position, position + len(value), label))
            position = text.find(value, position + 1)
    return spans + extra


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge overlapping spans (a credential inside an e-mail address...) into the first's
    label, so no character of either survives the splice."""
    merged: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if merged and start < merged[-1][1]:
            first_start, first_end, first_label = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_label)
        else:
            merged.append((start, end, label))
    return merged


def pii_candidates(text: str, context: Literal["code", "text"] = "code") -> bool:
    """May ``text`` hold personal data ``find_pii`` would report? (Cheap; over-selects.)"""
    return next(candidate_spans(text, context), None) is not None


def candidate_spans(text: str, context: Literal["code", "text"] = "code"
                    ) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every piece of ``text`` that could be personal data (a generator).

    In ``context="text"`` a bare number next to a phone or SSN word counts too (``find_pii``
    reads bare numbers in prose, never in code).
    """
    given, surnames, broad_names = _names()
    for kind, pattern in _STRONG if _ANY_STRONG.search(text) else ():
        for match in pattern.finditer(text):
            value = match.group(1) if kind == "pair" else match.group()
            if kind == "number" and len(_DIGIT.findall(value)) < 7:
                continue
            if kind == "ipv6" and (len(_HEX_GROUP.findall(value)) < 2 or not (
                    _is_ip(value.strip(":.")) or _is_ip(value))):
                continue
            if kind == "pair" and not broad_names:
                words = value.split()
                if not (words[0].lower() in given and words[-1].lower() in surnames):
                    continue
            yield match.start(), match.start() + len(value)
    lowered = text.lower()
    any_word, rules = _weak_rules(context == "text")
    for words, shape in rules if any_word.search(lowered) else ():
        # weak types (dates of birth, licence, passport, bank, NHS numbers, ids, MAC
        # addresses; in prose bare phone and SSN numbers too) count only next to one of
        # their words: then every value of their shape is a candidate
        if words.search(lowered):
            for match in shape.finditer(text):
                yield match.start(), match.end()
    if broad_names:
        for match in _ANY_CAPITALISED.finditer(text):
            yield match.start(), match.end()


def masked_for_hashing(text: str) -> str:
    """``text`` with credentials and every PII candidate replaced: what an id may be hashed
    from without letting a guess of a redacted value be confirmed."""
    from ..checks.pii.redaction import splice
    from ..checks.pii.secrets import find_secrets

    spans = [(s.start, s.end, s.type) for s in find_secrets(text, context="code")]
    spans += [(start, end, "CANDIDATE") for start, end in candidate_spans(text, "text")]
    return splice(text, _without_overlaps(spans)) if spans else text


def text_sha256(text: str) -> str:
    """SHA-256 of ``text`` as UTF-8 (unpaired surrogates escaped, as the log stores them)."""
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str], bool]:
    """(given names, surnames, broad): with a spaCy NER model installed Presidio finds names
    no lexicon knows, so every capitalised word becomes a candidate."""
    from ..checks.pii import engine

    broad = engine.choose_model() is not None
    try:
        from ..checks.pii.names import lexicon

        given, surnames = lexicon()
    except (ImportError, AttributeError, OSError, ValueError):  # the lexicon moved: be broad
        return frozenset(), frozenset(), True
    return frozenset(given), frozenset(surnames), broad


# The value shape of a weak type, where one narrower than "a digit" is known; any other weak
# type (licence, passport, bank, NHS numbers, and types added later) takes every digit run.
_WEAK_SHAPES = {
    "DATE_OF_BIRTH": r"\d{1,4}[-/. ]\d{1,2}[-/., ]+\d{1,4}|\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}|"
                     r"[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}",
    "MAC_ADDRESS": r"[0-9A-Fa-f]{2}(?:[:\-]?[0-9A-Fa-f]{2}){5}|"
                   r"[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2}",
    "UUID": r"[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}",
}
_DIGIT_RUN = r"[\w\-:/.]*\d[\w\-:/.]*"


@lru_cache(maxsize=2)
def _weak_rules(every_type: bool) -> tuple[re.Pattern[str],
                                          tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]]:
    """Any context word at all, and ``(context words, value shape)`` per weak entity type (with
    ``every_type``: per type), the words matched as ``find_pii`` matches them."""
    from ..checks.pii.rules import ENTITIES

    rules = []
    every_word: set[str] = set()
    for name, entity in sorted(ENTITIES.items()):
        if not entity.context or not (entity.weak or every_type):
            continue
        shape = _WEAK_SHAPES.get(name, _DIGIT_RUN) if entity.weak else _DIGIT_RUN
        rules.append((_words_pattern(entity.context), re.compile(shape)))
        every_word.update(entity.context)
    return _words_pattern(tuple(sorted(every_word))), tuple(rules)


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """``words`` as ``rules.context_match`` reads them: a long word as a prefix, a short one
    whole (or with an s)."""
    long_words = [re.escape(w) for w in words if len(w) >= 5]
    short_words = [re.escape(w) for w in words if len(w) < 5]
    parts = []
    if long_words:
        parts.append(rf"(?<![a-z])(?:{'|'.join(long_words)})")
    if short_words:
        parts.append(rf"(?<![a-z])(?:{'|'.join(short_words)})s?(?![a-z0-9#])")
    return re.compile("|".join(parts) or r"(?!)")
