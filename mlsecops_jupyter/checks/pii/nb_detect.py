"""What one notebook text holds: credentials and personal data, as ``Hit``s with their lines.

Secrets come from ``secrets.scan_secrets`` over the text (the markup, for HTML); personal data
from ``text.find_pii`` over what a reader sees (HTML and SVG without their tags), with
``context="code"`` for code cells. On top of those two scanners the notebook adds what only a
notebook has:

- tables: a displayed DataFrame (pandas' text repr or its HTML ``<table>``) is read as columns
  (``tables``): each value is judged with its column's name as context, so a bare number is a
  phone only in a column named like one, and hits carry their column for grouping;
- payloads: base64 (``data:`` URIs, long base64 runs) is blanked before the scan, offsets kept:
  it holds no readable text and, read as text, it yields digit runs and letter pairs by chance;
- values already masked (``j***@x.org``, ``ghp_********(40 chars)``, ``[REDACTED:...]``) are
  what this product writes in place of a value, never a value;
- a PII span inside a secret (the e-mail of a URL's user part) is left to the secret.

Values stay in ``Hit`` objects in memory (the redaction needs them); the report gets masked
forms only.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .nb_read import TextPiece
from .rules import NOT_IN_NOTEBOOKS
from .secret_rules import rule_for
from .secret_toml import CustomRule, load_rules
from .secrets import SecretSpan, scan_secrets
from .tables import Table, html_tables, text_tables

if TYPE_CHECKING:
    from ...core.settings import Settings

HTML_TAG = re.compile(r"<[^>]*>", re.DOTALL)
MAILTO = re.compile(r"""mailto:([^"'\s>?]+)""", re.I)
SVG_TEXT = re.compile(r"<!--(.*?)-->|<(?:text|tspan|title|desc)\b[^>]*>([^<]*)", re.S | re.I)
DATA_URI = re.compile(r"data:[\w.+\-]+/[\w.+\-]+(?:;[\w.+\-]+=[\w.+\-]+)*;base64,"
                      r"[A-Za-z0-9+/]{16,}={0,2}")
BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
MASKED = re.compile(r"\*{2,}|\[REDACTED(?::[\w\-]*)?\]")
REDACTED_NEAR = re.compile(r"\[REDACTED(?::[\w\-]*)?\]")
# card numbers payment processors publish for tests (Visa, Mastercard, Amex, Discover, JCB,
# Diners; Stripe's and Adyen's lists): in a notebook they are fixtures, as AWS's example key is
TEST_CARDS = frozenset({
    "4111111111111111", "4012888888881881", "4222222222222", "4242424242424242",
    "4000056655665556", "5555555555554444", "5105105105105100", "5200828282828210",
    "2223003122003222", "378282246310005", "371449635398431", "378734493671000",
    "6011111111111117", "6011000990139424", "3530111333300000", "3566002020360505",
    "30569309025904", "38520000023237", "36227206271667", "6200000000000005",
})
# addresses of machines, not people: service accounts and no-reply senders
NON_PERSONAL_EMAIL = re.compile(
    r"(?i)@(?:[\w\-]+\.)*(?:iam\.gserviceaccount\.com|developer\.gserviceaccount\.com|"
    r"users\.noreply\.github\.com|appspot\.gserviceaccount\.com)$")


@dataclass(frozen=True)
class Hit:
    """A finding's raw material: where in the piece and the value (never reported).

    ``line`` is 1-based in the piece's text; ``column`` names the table column for a value of a
    displayed frame (``None`` elsewhere).
    """

    rule: str
    start: int
    end: int
    value: str
    evidence: dict[str, Any] = field(hash=False)
    severity: Any = None
    line: int = 1
    text_column: int = 1
    column: str | None = None


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with each match of ``pattern`` replaced by spaces (newlines kept): offsets and
    lines stay where they were."""
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def visible_text(markup: str) -> str:
    """Visible text of HTML with the line structure kept (a tag spanning lines keeps them).

    A ``mailto:`` link's address counts as visible (a click shows it), URL-decoded
    (``mailto:jane%40example.org``)."""
    def tag(match: re.Match[str]) -> str:
        text = match.group()
        targets = [unquote(t) for t in MAILTO.findall(text)]
        return "\n" * text.count("\n") or (" " + " ".join(targets) + " " if targets else " ")

    return html.unescape(HTML_TAG.sub(tag, markup))


def svg_text(markup: str) -> str:
    """The words an SVG shows (``<text>``, titles, and the comments matplotlib writes each
    label in), one per line; path data and coordinates are left out."""
    parts = [(m.group(1) or m.group(2) or "").strip() for m in SVG_TEXT.finditer(markup)]
    return html.unescape("\n".join(p for p in parts if p))


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    starts = _line_starts(text)  # one index per text: a long output has thousands of hits
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def is_masked(text: str, start: int, end: int) -> bool:
    """A value this product (or a person) already masked: stars in it, or a redaction label."""
    value = text[start:end]
    if MASKED.search(value):
        return True
    return bool(REDACTED_NEAR.search(text[max(0, start - 12):end + 12]))


def detect(piece: TextPiece, settings: Settings, seen: str = "") -> list[Hit]:
    """Secret and PII hits of one piece (see the module docstring)."""
    return detect_counted(piece, settings, seen)[0]


def detect_counted(piece: TextPiece, settings: Settings, seen: str = ""
                   ) -> tuple[list[Hit], int]:
    """``detect`` and the number of allowlisted look-alikes (placeholders) in the piece.

    ``seen`` is text already scanned for the same output (its ``text/plain``): table cells of
    the HTML form that it shows are not judged twice.
    """
    text = blank(piece.text, DATA_URI)
    matches = scan_secrets(text, context=piece.context, settings=settings.secrets,
                           extra=extra_rules(settings))
    hits = [_secret_hit(text, span) for span in matches.spans
            if not is_masked(text, span.start, span.end)]
    if settings.secrets.pii:
        hits += _pii_hits(piece, blank(text, BASE64_RUN), hits, settings, seen)
    return hits, sum(matches.allowlisted.values())


def extra_rules(settings: Settings) -> tuple[CustomRule, ...]:
    """The team's gitleaks-format rules (``notebook.extra_rules``), none when unset."""
    name = settings.notebook.extra_rules
    if not name:
        return ()
    from ..signing.policy import settings_folder

    path = Path(name).expanduser()
    return load_rules(path if path.is_absolute() else settings_folder(settings) / path)


def _secret_hit(text: str, span: SecretSpan) -> Hit:
    evidence: dict[str, Any] = {
        "type": span.type, "masked": span.masked, "length": span.length,
        "entropy": span.entropy, "fingerprint": span.fingerprint, **span.detail,
    }
    line, column = _line_and_column(text, span.start)
    return Hit(rule_for(span.type).id, span.start, span.end, text[span.start:span.end],
               evidence, span.severity, line, column)


def _pii_hits(piece: TextPiece, text: str, secrets: list[Hit], settings: Settings,
              seen: str) -> list[Hit]:
    """PII of the visible text: tables by column, the rest by lines."""
    kind = piece.kind
    if kind == "text/html":
        tables = html_tables(text)
        if seen and not text_tables(seen):
            seen = ""  # the text form was not read as a table: judge the cells by column here
        rest = visible_text(_cut(text, tables))
    elif kind == "image/svg+xml" or kind.endswith("(image/svg+xml)"):
        tables, rest = [], svg_text(text)
    else:
        tables = text_tables(text) if piece.location.output is not None else []
        rest = _cut(text, tables)
    secret_values = [h.value for h in secrets]
    taken = [(h.start, h.end) for h in secrets] if rest is text else []
    hits = []
    for span in _find_pii(rest, piece.context, settings):
        value = rest[span.start:span.end]
        if _skip_pii(rest, span.start, span.end, span.entity, value, taken, secret_values):
            continue
        line, column = _line_and_column(rest, span.start)
        hits.append(_pii_hit(span.entity, span.start, span.end, value, span.score,
                             span.validated, line, column))
    for table in tables:
        hits += _table_hits(text, table, piece, settings, secret_values, seen)
    return hits


def _cut(text: str, tables: list[Table]) -> str:
    """``text`` with the tables' regions blanked (lines kept)."""
    for table in tables:
        region = text[table.start:table.end]
        text = text[:table.start] + re.sub(r"[^\n]", " ", region) + text[table.end:]
    return text


def _skip_pii(text: str, start: int, end: int, entity: str, value: str,
              taken: list[tuple[int, int]], secret_values: list[str]) -> bool:
    if entity in NOT_IN_NOTEBOOKS:
        return True
    if entity == "EMAIL_ADDRESS" and NON_PERSONAL_EMAIL.search(value):
        return True  # an address of a machine (service account, no-reply), not of a person
    if entity == "CREDIT_CARD" and re.sub(r"\D", "", value) in TEST_CARDS:
        return True  # a processor's published test number: a fixture, nobody's card
    if is_masked(text, start, end):
        return True
    return any(start < e and s < end for s, e in taken) or any(
        value in secret or secret in value for secret in secret_values)


def _pii_hit(entity: str, start: int, end: int, value: str, score: float, validated: bool,
             line: int, column: int, table_column: str | None = None) -> Hit:
    from .mask import mask
    from .rules import rule_id

    return Hit(rule_id(entity), start, end, value, {
        "entity": entity, "score": round(float(score), 2), "validated": bool(validated),
        "masked": mask(value, entity)}, None, line, column, table_column)


def _table_hits(text: str, table: Table, piece: TextPiece, settings: Settings,
                secret_values: list[str], seen: str) -> list[Hit]:
    """Each cell judged with its column's name as context.

    A value that is an entity whole is typed as the frame check types a column's values
    (``frame.value_entity``: shape, validator, the column name as context), which needs no
    Presidio call; any other value that could hold one (a note, a list) is read by
    ``find_pii`` as ``<column>: <value>``, so the column name is the context word a bare number
    needs.
    """
    from .candidates import is_candidate
    from .frame import column_context, value_entity
    from .validators import PHONE_SHAPE

    lines: list[str] = []
    cells = []
    hits = []
    contexts = {c: column_context(c) for c in table.columns}
    for cell in table.cells:
        if seen and cell.value in seen:
            continue  # the text/plain form of this output showed it: judged there
        context = contexts.get(cell.column) or column_context(cell.column)
        person = context.get("PERSON", False)
        if not (person or is_candidate(cell.value)):
            continue  # no recognizer could match it: a number, a word, a category
        line, column = _line_and_column(text, cell.start)
        entity = value_entity(cell.value, context)
        if entity is None and PHONE_SHAPE.match(cell.value):
            continue  # one number that is not a valid phone: no part of it is one either
        if entity is not None:
            if not _skip_pii(cell.value, 0, len(cell.value), entity, cell.value, [],
                             secret_values) and not _not_reported(cell.value, entity):
                hits.append(_pii_hit(entity, cell.start, cell.end, cell.value, 1.0,
                                     entity not in ("PERSON", "STREET_ADDRESS"), line, column,
                                     cell.column))
            continue
        lines.append(f"{cell.column}: {cell.value}")
        cells.append((cell, line, column))
    if not lines:
        return hits
    joined = "\n".join(lines)
    starts = [0]
    for entry in lines[:-1]:
        starts.append(starts[-1] + len(entry) + 1)
    import bisect

    for span in _find_pii(joined, "text", settings):
        row = bisect.bisect_right(starts, span.start) - 1
        cell, line, column = cells[row]
        prefix = len(cell.column) + 2
        start = span.start - starts[row] - prefix
        if start < 0:
            continue  # a hit in the column name itself
        value = joined[span.start:span.end]
        if _skip_pii(joined, span.start, span.end, span.entity, value, [], secret_values):
            continue
        # the cell's own offsets: a value in an HTML cell is where its text starts
        at = cell.start + max(0, cell.value.find(value))
        hits.append(_pii_hit(span.entity, at, at + len(value), value, span.score,
                             span.validated, line, column + max(0, start), cell.column))
    return hits


def _not_reported(value: str, entity: str) -> bool:
    """What ``find_pii`` drops in text is dropped in a cell too: address templates, loopback
    and version-like dotted quads."""
    from .text import _is_reportable_ip, is_template, is_version_like

    if entity == "EMAIL_ADDRESS":
        return is_template(value, 0, value)
    if entity == "IP_ADDRESS":
        return not _is_reportable_ip(value) or is_version_like(value, 0, len(value))
    return False


def _find_pii(text: str, context: Any, settings: Settings) -> list[Any]:
    from .text import find_pii

    return find_pii(text, context=context, settings=settings)
