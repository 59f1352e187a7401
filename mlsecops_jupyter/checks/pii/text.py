"""PII in free text: ``find_pii`` (spans, for other checks) and ``scan_text`` (a Report).

``find_pii`` is the one entry point other checks use (the notebook scanner calls it on every cell
source and output). It runs the offline Presidio engine (``engine``) with our validated
recognizers, then applies our rules: weak entity types and bare digit runs count only next to a
context word, dates count only as dates of birth, URLs/organisations are not reported, and
overlapping spans keep the strongest. ``context="code"`` says the text is source code: there a
bare number never counts as a phone or SSN (ids, seeds, shapes) and attribute chains such as
``customers.head()`` are never URLs (URLs are not reported anyway).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ...core.errors import MLSecUsageError
from ...core.finding import Location
from ...core.report import Report, Skipped
from .mask import mask
from .rules import CHECK, ENTITIES, IGNORED, RULES, context_match, rule_id
from .validators import is_email, is_ip

if TYPE_CHECKING:
    from ...core.settings import PiiSettings, Settings

NOT_TEXT = "find_pii needs a str, got {kind}"
BAD_CONTEXT = "context must be 'text' or 'code', got {context!r}"
TEXT_REMEDIATION = ("Remove or mask the value (`mlsec redact` writes a masked copy); use "
                    "synthetic or pseudonymised examples in shared text.")
CONTEXT_BEFORE = 48
CONTEXT_AFTER = 24
_WORD = re.compile(r"[a-z][a-z0-9#]*")
# context stays within a clause: "order 4155550132, phone ..." does not make the order a phone
_PLAIN_DECIMAL = re.compile(r"[-+]?\d+\.\d+")
_CLAUSE_END = re.compile(r"[;,\n|]\s|[;\n|]|\.\s")
# words that make a dotted quad a version or an object identifier
VERSION_WORDS = ("version", "ver", "release", "build", "oid", "x509", "asn1", "snmp", "mib",
                 "tag", "firmware", "v")
CHUNK_CHARS = 20_000


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data in a text: ``text[start:end]`` is an ``entity``.

    ``validated`` is True when a checksum or structural validator (Luhn, IBAN mod-97, SSN area
    rules, libphonenumber validity, e-mail/IP syntax) confirmed the value, not just a pattern,
    a context word or a name list.
    """

    start: int
    end: int
    entity: str
    score: float
    validated: bool


def find_pii(text: str, *, context: Literal["text", "code"] = "text",
             settings: Settings | None = None) -> list[PiiSpan]:
    """Personal data in ``text``, as non-overlapping spans sorted by ``start``.

    Parameters
    ----------
    text : str
        Any text: a cell source, an output, a free-text value.
    context : {"text", "code"}
        ``"code"`` for source code (stricter on bare numbers).
    settings : Settings, optional
        ``settings.pii.min_score``, ``.entities`` and ``.spacy_model`` apply.
    """
    if not isinstance(text, str):
        raise MLSecUsageError(NOT_TEXT.format(kind=type(text).__name__))
    if context not in ("text", "code"):
        raise MLSecUsageError(BAD_CONTEXT.format(context=context))
    pii = _pii_settings(settings)
    if not text.strip():
        return []
    from .candidates import entities_for, segments
    from .engine import engine_info, text_analyzer

    engine, artifacts = text_analyzer(pii.spacy_model)
    supported = _supported(engine)
    spans: list[PiiSpan] = []
    for segment in segments(text, ner=engine_info(pii.spacy_model).ner, limit=CHUNK_CHARS):
        entities = entities_for(segment.text, supported)
        if not entities:
            continue
        # the decision process keeps each result's explanation: its checksum outcome is read
        results = engine.analyze(text=segment.text, language="en", entities=entities,
                                 return_decision_process=True, nlp_artifacts=artifacts)
        for result in results:
            span = _judge(segment.text, result, context)
            if span is None:
                continue
            line, start = segment.offset_of(span.start)
            end_line, end = segment.offset_of(max(span.start, span.end - 1))
            if end_line != line and segment.origins[end_line] != \
                    segment.origins[line] + segment.starts[end_line] - segment.starts[line]:
                continue  # across two lines that are not neighbours in the text
            spans.append(PiiSpan(start, end + 1, span.entity, span.score, span.validated))
    wanted = set(pii.entities)
    spans = [s for s in spans if s.score >= pii.min_score and (not wanted or s.entity in wanted)]
    return _non_overlapping(spans)


_SUPPORTED: dict[int, frozenset[str]] = {}


def _supported(engine: Any) -> frozenset[str]:
    """The entity types the engine's recognizers report that we keep."""
    key = id(engine)
    if key not in _SUPPORTED:
        names = engine.get_supported_entities(language="en")
        _SUPPORTED[key] = frozenset(n for n in names if n in ENTITIES and n not in IGNORED)
    return _SUPPORTED[key]


def _judge(text: str, result: Any, context: str) -> PiiSpan | None:
    """Our verdict on one Presidio result: keep (maybe relabelled) or drop."""
    metadata = result.recognition_metadata or {}
    entity = result.entity_type
    value = text[result.start:result.end]
    explanation = result.analysis_explanation
    # ours say so in the metadata; Presidio's pattern recognizers record their checksum result
    validated = bool(metadata.get("mlsec_validated")) or (
        explanation is not None and explanation.validation_result is True)
    score = float(result.score)
    if entity in IGNORED or entity not in ENTITIES:
        return None
    if entity == "EMAIL_ADDRESS":
        validated = is_email(value)
        # ``https://analyst@github.com``: the user part of a URL, not a mailbox
        if not validated or text[max(0, result.start - 3):result.start] == "://":
            return None
        if is_template(text, result.start, value):
            return None
    elif entity == "PHONE_NUMBER" and _PLAIN_DECIMAL.fullmatch(value.strip("()[] ")):
        return None  # ``7043.000000`` in a describe() table is a number, not a phone
    elif entity == "IP_ADDRESS":
        if not _is_reportable_ip(value) or is_version_like(text, result.start, result.end):
            return None
        validated = True
    needs_context = bool(metadata.get("mlsec_needs_context")) or ENTITIES[entity].weak
    if needs_context:
        if context == "code" and entity in ("US_SSN", "PHONE_NUMBER"):
            return None
        if not has_context(text, result.start, result.end, ENTITIES[entity].context):
            return None
        score = max(score, 0.6)
    return PiiSpan(result.start, result.end, entity, round(score, 3), validated)


def is_template(text: str, start: int, value: str) -> bool:
    """An address built from placeholders (``f"{i}@example.com"``, ``"%s@host"``,
    ``$USER@host``): a template in code, nobody's mailbox."""
    before = text[max(0, start - 2):start]
    return "{" in value or "}" in value or before.endswith(("{", "$", "%")) or \
        value.startswith("%")


def is_version_like(text: str, start: int, end: int) -> bool:
    """A dotted quad that is a version or an OID, not an address: part of a longer dotted
    number (``1.3.6.1.4.1``), every part a single digit (``2.4.6.1``, ``1.4.2.0``), or next to
    a word such as ``version``, ``v`` or ``oid``."""
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    if (len(before) == 2 and before[1] == "." and before[0].isdigit()) or (
            after[:1] == "." and after[1:2].isdigit()) or before[-1:] in ("v", "V"):
        return True
    parts = text[start:end].split(".")
    if len(parts) == 4 and all(len(part) == 1 for part in parts):
        return True
    return has_context(text, start, end, VERSION_WORDS)


def _is_reportable_ip(value: str) -> bool:
    import ipaddress

    if not is_ip(value):
        return False
    address = ipaddress.ip_address(value)
    return not (address.is_loopback or address.is_unspecified or address.is_multicast
                or address.is_reserved or address.is_link_local)


def has_context(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Is one of ``words`` (or a word starting with it) near ``text[start:end]``?"""
    before = _CLAUSE_END.split(text[max(0, start - CONTEXT_BEFORE):start])[-1]
    after = _CLAUSE_END.split(text[end:end + CONTEXT_AFTER])[0]
    window = before + " " + after
    found = _WORD.findall(window.lower())
    return any(context_match(token, word) for token in found for word in words)


def _non_overlapping(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Strongest first (validated, score, length); later overlapping spans are dropped."""
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-s.validated, -s.score, s.start - s.end, s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


def _pii_settings(settings: Settings | None) -> PiiSettings:
    from ...core.settings import Settings

    return (settings or Settings()).pii


def scan_text(text: str, settings: Settings | None = None,
              subject: str | None = None) -> Report:
    """A ``pii`` Report of the personal data in ``text``: one finding per span.

    Findings carry ``location.line`` and ``location.column`` (1-based) and a masked example;
    ``metrics`` says which Presidio engine ran and lists the entity types found.
    """
    from .engine import engine_info

    started = time.perf_counter()
    pii = _pii_settings(settings)
    spans = find_pii(text, settings=settings)
    findings = []
    for span in spans:
        line = text.count("\n", 0, span.start) + 1
        column = span.start - (text.rfind("\n", 0, span.start) + 1) + 1
        value = text[span.start:span.end]
        findings.append(RULES[rule_id(span.entity)].finding(
            f"{span.entity} at line {line}, column {column}: {mask(value, span.entity)}",
            Location(line=line, column=column),
            {"entity": span.entity, "start": span.start, "end": span.end, "score": span.score,
             "validated": span.validated, "example": mask(value, span.entity)},
            remediation=TEXT_REMEDIATION))
    info = engine_info(pii.spacy_model)
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.entity] = counts.get(span.entity, 0) + 1
    return Report(
        check=CHECK, subject=subject or "text", findings=findings,
        metrics={**info.metrics(), "entities": dict(sorted(counts.items())),
                 "characters": len(text)},
        skipped=engine_skipped(info), elapsed_s=time.perf_counter() - started)


def engine_skipped(info: Any) -> list[Skipped]:
    """What the engine cannot see, as a ``Skipped`` entry (empty with an NER model)."""
    if not info.unseen:
        return []
    return [Skipped("NER entity types " + ", ".join(info.unseen), info.note)]
