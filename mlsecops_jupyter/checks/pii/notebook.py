"""``scan_notebook``: credentials and personal data in a notebook's cells and outputs.

A notebook leaks in more places than its code: a printed config, a ``df.head()`` of customers, a
traceback quoting a database URL, an HTML table, a markdown note with a token. Every cell source
(code, markdown, raw) and every text output (stream, execute_result/display_data ``text/*`` and
JSON, error tracebacks with ANSI colours stripped) is one ``TextPiece``; images and other binary
payloads cannot hold readable text and are listed in ``skipped``, never silently dropped.

Secrets come from ``secrets.scan_secrets`` (``SECRET-*``), personal data from the PII check's
``find_pii`` with ``context="code"`` for code cells, so ``customers.head()`` is not a URL. A PII
span inside a secret (the e-mail in a URL's user part) is left to the secret. The same value
shown twice by one output (its ``text/plain`` and ``text/html``) is one finding.

Nothing is executed; values are never put into the report, only masked forms and fingerprints.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...core.errors import MLSecInputError
from ...core.finding import Finding, Location
from ...core.notebook_io import check_notebook_data, parse_notebook_text, read_notebook_file
from ...core.report import Report, Skipped
from ...core.settings import Settings
from .secret_rules import CHECK, rule_for
from .secrets import Context, SecretSpan, scan_secrets

WRONG_TYPE = ("scan_notebook takes a path or notebook JSON (dict or str), not "
              "{type}")
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json",
              "application/javascript", "text/x-python")
SKIP_MIMES_QUIETLY = ("application/vnd.jupyter.widget-view+json",)
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
HTML_TAG = re.compile(r"<[^>]*>", re.DOTALL)
REDACTED = "[REDACTED:{label}]"
PII_REMEDIATION = ("Take the personal data out of the cell, or clear the output before sharing "
                   "the notebook (`mlsec redact NOTEBOOK.ipynb` writes a masked copy).")
# addresses of machines, not people: service accounts and no-reply senders
NON_PERSONAL_EMAIL = re.compile(
    r"(?i)@(?:[\w\-]+\.)*(?:iam\.gserviceaccount\.com|developer\.gserviceaccount\.com|"
    r"users\.noreply\.github\.com|appspot\.gserviceaccount\.com)$")


@dataclass(frozen=True)
class TextPiece:
    """One text of a notebook: a cell source or one text form of one output."""

    text: str
    context: Context
    location: Location
    kind: str  # "source", "stream", "error" or a mime type
    origin: str = ""  # where the text came from when not a saved cell ("live In[5]")


@dataclass(frozen=True)
class Hit:
    """A finding's raw material: where in ``piece.text`` and the value (never reported)."""

    rule: str
    start: int
    end: int
    value: str
    evidence: dict[str, Any]
    severity: Any = None


# -- reading -----------------------------------------------------------------------------------
def load_notebook(source: Any) -> tuple[dict[str, Any], str | None]:
    """The notebook as a v4 dict, and its path when read from a file.

    Reading goes through ``core.notebook_io``: bounded size and nesting, one-line errors.
    """
    if isinstance(source, Mapping):
        return check_notebook_data(source), None
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return parse_notebook_text(source), None
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        return read_notebook_file(path), path
    raise MLSecInputError(WRONG_TYPE.format(type=type(source).__name__))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    if isinstance(value, (dict, int, float, bool)) or value is None:
        return json.dumps(value, indent=1, ensure_ascii=False)
    return str(value)


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def html_text(markup: str) -> str:
    """Visible text of HTML with the line structure kept (a tag spanning lines keeps them)."""
    return html.unescape(HTML_TAG.sub(lambda m: "\n" * m.group().count("\n") or " ", markup))


def notebook_pieces(notebook: Mapping[str, Any], file: str | None = None
                    ) -> tuple[list[TextPiece], list[Skipped], dict[str, int]]:
    """Every text of the notebook, what was skipped, and counts of cells and outputs."""
    pieces: list[TextPiece] = []
    skipped_mimes: dict[str, list[str]] = {}
    counts = Counter[str]()
    for cell_index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, Mapping):
            continue
        counts["cells"] += 1
        kind = str(cell.get("cell_type", "code"))
        context: Context = "code" if kind == "code" else "text"
        where = Location(file=file, cell=cell_index)
        pieces.append(TextPiece(_text(cell.get("source", "")), context, where, "source"))
        for attachment in (cell.get("attachments") or {}).values():
            for mime in attachment if isinstance(attachment, Mapping) else ():
                skipped_mimes.setdefault(f"attachment {mime}", []).append(str(cell_index))
        for output_index, output in enumerate(cell.get("outputs") or []):
            if not isinstance(output, Mapping):
                continue
            counts["outputs"] += 1
            at = dataclasses.replace(where, output=output_index)
            for piece, mime in _output_pieces(output, at):
                if piece is not None:
                    pieces.append(piece)
                else:
                    skipped_mimes.setdefault(mime, []).append(f"{cell_index}.{output_index}")
    skipped = [
        Skipped(f"{len(places)} {mime} payload(s) (cell.output {', '.join(places[:8])}"
                f"{' ...' if len(places) > 8 else ''})",
                "images and binary payloads hold no readable text; not scanned")
        for mime, places in sorted(skipped_mimes.items())
    ]
    return pieces, skipped, dict(counts)


def _output_pieces(output: Mapping[str, Any], at: Location
                   ) -> Iterator[tuple[TextPiece | None, str]]:
    kind = output.get("output_type")
    if kind == "stream":
        yield TextPiece(strip_ansi(_text(output.get("text", ""))), "text", at, "stream"), ""
    elif kind == "error":
        lines = [strip_ansi(str(line)) for line in output.get("traceback") or []]
        head = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        yield TextPiece("\n".join([head, *lines]), "text", at, "error"), ""
    elif kind in ("execute_result", "display_data", "update_display_data"):
        data = output.get("data") or {}
        # text/plain first: when the HTML shows the same value, the plain line is reported
        for mime in sorted(data, key=lambda m: (m != "text/plain", m)):
            value = data[mime]
            if mime in SKIP_MIMES_QUIETLY:
                continue
            if mime in TEXT_MIMES or mime.startswith("text/") or mime.endswith("+json"):
                yield TextPiece(_text(value), "text", at, mime), mime
            else:
                yield None, mime


# -- detection ---------------------------------------------------------------------------------
def detect(piece: TextPiece, settings: Settings) -> list[Hit]:
    """Secret and PII hits of one piece (HTML: secrets in the markup, PII in the visible text)."""
    return detect_counted(piece, settings)[0]


def detect_counted(piece: TextPiece, settings: Settings) -> tuple[list[Hit], int]:
    """``detect`` and the number of allowlisted look-alikes (placeholders) in the piece."""
    secret_matches = scan_secrets(piece.text, context=piece.context, settings=settings.secrets)
    hits = [_secret_hit(piece.text, span) for span in secret_matches.spans]
    if settings.secrets.pii:
        visible = html_text(piece.text) if piece.kind == "text/html" else piece.text
        secret_values = [h.value for h in hits]
        taken = [(h.start, h.end) for h in hits] if visible is piece.text else []
        for span in _find_pii(visible, piece.context, settings):
            value = visible[span.start:span.end]
            if not_personal(visible, span.start, span.entity, value):
                continue
            if any(span.start < e and s < span.end for s, e in taken) or any(
                    value in secret or secret in value for secret in secret_values):
                continue
            hits.append(Hit(_pii_rule(span.entity), span.start, span.end, value, {
                "entity": span.entity, "score": round(float(span.score), 2),
                "validated": bool(span.validated), "masked": mask_pii(value, span.entity),
            }))
    return hits, sum(secret_matches.allowlisted.values())


def not_personal(text: str, start: int, entity: str, value: str) -> bool:
    """E-mail addresses of machines, not people (service accounts, no-reply senders), which
    notebooks print in plenty; URL user parts and plain decimals are dropped by ``find_pii``."""
    return entity == "EMAIL_ADDRESS" and bool(NON_PERSONAL_EMAIL.search(value))


def _secret_hit(text: str, span: SecretSpan) -> Hit:
    evidence: dict[str, Any] = {
        "type": span.type, "masked": span.masked, "length": span.length,
        "entropy": span.entropy, "fingerprint": span.fingerprint, **span.detail,
    }
    return Hit(rule_for(span.type).id, span.start, span.end, text[span.start:span.end],
               evidence, span.severity)


def _find_pii(text: str, context: Context, settings: Settings) -> list[Any]:
    from .text import find_pii

    return find_pii(text, context=context, settings=settings)


def _pii_rule(entity: str) -> str:
    """The PII check's rule id of an entity type (``EMAIL_ADDRESS`` -> ``PII-EMAIL-ADDRESS``)."""
    from .rules import rule_id

    return rule_id(entity)


def mask_pii(value: str, entity: str) -> str:
    """The PII check's masking: enough to recognise the kind, never the value."""
    from .mask import mask

    return mask(value, entity)


# -- the check ---------------------------------------------------------------------------------
def scan_pieces(pieces: Iterable[TextPiece], *, subject: str, settings: Settings,
                skipped: Iterable[Skipped] = (), metrics: Mapping[str, Any] | None = None
                ) -> Report:
    """A ``notebook`` report of the secrets and PII in ``pieces`` (any texts with locations)."""
    from ...core.rules import RULES

    started = time.process_time()
    pieces = list(pieces)
    findings: list[Finding] = []
    skipped_list = list(skipped)
    seen: dict[tuple[Any, ...], set[str]] = {}
    scanned_chars = 0
    allowlisted = 0
    for piece in pieces:
        text = piece.text
        if len(text) > settings.secrets.max_chars:
            skipped_list.append(Skipped(
                f"{piece.location.describe()} {piece.kind}: characters "
                f"{settings.secrets.max_chars}-{len(text)}",
                "longer than secrets.max_chars; the start was scanned"))
            piece = dataclasses.replace(piece, text=text[: settings.secrets.max_chars])
        scanned_chars += len(piece.text)
        hits, lookalikes = detect_counted(piece, settings)
        allowlisted += lookalikes
        for hit in hits:
            place = (piece.location.cell, piece.location.output, hit.rule)
            normal = re.sub(r"\W", "", hit.value).lower() or hit.value
            known = seen.setdefault(place, set())
            # one output showing a value twice (text/plain and text/html) is one finding; a
            # number also when one form adds a prefix ("+1 415 ..." and "415 ...")
            if normal in known or (normal.isdigit() and any(
                    k.isdigit() and (normal.endswith(k) or k.endswith(normal)) for k in known)):
                continue
            known.add(normal)
            findings.append(_finding(piece, hit, RULES))
    all_metrics: dict[str, Any] = dict(metrics or {})
    all_metrics.update({
        "texts_scanned": len(pieces),
        "chars_scanned": scanned_chars,
        "allowlisted_lookalikes": allowlisted,
        "pii_scanned": settings.secrets.pii,
        "tables": rule_table(findings),
    })
    if not settings.secrets.pii:
        skipped_list.append(Skipped("personal data (PII-*)", "secrets.pii is off"))
    return Report(check=CHECK, subject=subject, findings=findings, metrics=all_metrics,
                  skipped=skipped_list, elapsed_s=time.process_time() - started)


def rule_table(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The ``Findings by rule`` metrics table (empty list when there is nothing)."""
    by_rule = Counter(f.rule for f in findings)
    if not by_rule:
        return []
    return [{"title": "Findings by rule", "columns": ["rule", "findings"],
             "rows": [[rule, count] for rule, count in sorted(by_rule.items())]}]


def _finding(piece: TextPiece, hit: Hit, rules: Mapping[str, Any]) -> Finding:
    text = piece.text if piece.kind != "text/html" or hit.rule.startswith("SECRET-") \
        else html_text(piece.text)
    line = text.count("\n", 0, hit.start) + 1
    column = hit.start - (text.rfind("\n", 0, hit.start) + 1) + 1
    location = dataclasses.replace(piece.location, line=line, column=column)
    source = "source" if piece.location.output is None else f"output ({piece.kind})"
    evidence = {**hit.evidence, "in": piece.origin or source}
    rule = rules.get(hit.rule)
    shown = hit.evidence.get("masked", "")
    where = piece.origin or ("the source" if piece.location.output is None
                             else f"output {piece.location.output} ({piece.kind})")
    detail = f"{shown} in {where}"
    if hit.evidence.get("variable"):
        detail += f", assigned to {hit.evidence['variable']}"
    if rule is None:  # a PII entity the PII check has no rule for: still reported
        from ...core.severity import Severity

        return Finding(hit.rule, Severity.MEDIUM, f"Personal data: {hit.evidence.get('entity')}",
                       detail, location, evidence, PII_REMEDIATION)
    if hit.rule.startswith("PII-"):
        return rule.finding(detail, location, evidence, remediation=PII_REMEDIATION)
    return rule.finding(detail, location, evidence, severity=hit.severity)


def scan_notebook(path_or_nbjson: Any, settings: Settings | None = None,
                  subject: str | None = None) -> Report:
    """Scan a notebook's cell sources and outputs for credentials and personal data.

    Parameters
    ----------
    path_or_nbjson
        A ``.ipynb`` path, or the notebook as a dict / JSON text (nbformat 4; 3 is converted).
    settings
        ``secrets`` (thresholds, allowlist, ``pii`` on/off) and ``pii`` sections are used;
        default: ``Settings.load()``.
    subject
        Name of the notebook in the report (default: its path, else ``"notebook"``).

    Returns
    -------
    Report
        Check ``notebook``: ``SECRET-*`` and ``PII-*`` findings with ``location.cell``,
        ``location.output`` (absent for the source), ``location.line`` and ``column``; masked
        evidence only; skipped images and binary outputs in ``skipped``.
    """
    if settings is None:
        settings = Settings.load()
    started = time.process_time()
    notebook, path = load_notebook(path_or_nbjson)
    pieces, skipped, counts = notebook_pieces(notebook, file=path)
    report = scan_pieces(pieces, subject=subject or path or "notebook", settings=settings,
                         skipped=skipped, metrics={"cells": counts.get("cells", 0),
                                                   "outputs": counts.get("outputs", 0)})
    report.elapsed_s = time.process_time() - started
    return report


def _same_shape(original: Any, masked_text: str) -> Any:
    """Masked text in the JSON shape the notebook had (a JSON mime's object stays an object)."""
    if isinstance(original, dict):
        try:
            return json.loads(masked_text)
        except ValueError:
            return masked_text
    return masked_text


# -- redaction -----------------------------------------------------------------------------------
def redact_text(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with every hit's value (and its HTML-escaped form) replaced by a label."""
    replacements: dict[str, str] = {}
    for hit in hits:
        label = hit.evidence.get("entity") or hit.evidence.get("type") or hit.rule
        replacements[hit.value] = REDACTED.format(label=label)
        escaped = html.escape(hit.value, quote=False)
        if escaped != hit.value:
            replacements[escaped] = REDACTED.format(label=label)
    for value in sorted(replacements, key=len, reverse=True):
        if value:
            text = text.replace(value, replacements[value])
    return text


def redact_notebook(path_or_nbjson: Any, settings: Settings | None = None
                    ) -> tuple[dict[str, Any], Report]:
    """A masked copy of the notebook, and the scan report of what was masked.

    Every secret and PII value found in a source or output is replaced, wherever else it
    appears in that same text too, by ``[REDACTED:<TYPE>]``; tracebacks lose their colours
    (the masked text is the ANSI-stripped one). Images and binary outputs are copied as they are
    (``skipped`` in the report says so).
    """
    if settings is None:
        settings = Settings.load()
    notebook, path = load_notebook(path_or_nbjson)
    report = scan_notebook(notebook if path is None else path, settings=settings,
                           subject=path or "notebook")
    masked = json.loads(json.dumps(notebook))
    redacted = 0
    for cell_index, cell in enumerate(masked.get("cells", [])):
        if not isinstance(cell, dict):
            continue
        context: Context = "code" if cell.get("cell_type", "code") == "code" else "text"
        where = Location(cell=cell_index)
        source = _text(cell.get("source", ""))
        hits = detect(TextPiece(source, context, where, "source"), settings)
        if hits:
            cell["source"] = redact_text(source, hits)
            redacted += len(hits)
        for output_index, output in enumerate(cell.get("outputs") or []):
            redacted += _redact_output(output, dataclasses.replace(where, output=output_index),
                                       settings)
    report.metrics["redacted_values"] = redacted
    return masked, report


def _redact_output(output: dict[str, Any], at: Location, settings: Settings) -> int:
    count = 0
    kind = output.get("output_type")
    if kind == "stream":
        text = strip_ansi(_text(output.get("text", "")))
        hits = detect(TextPiece(text, "text", at, "stream"), settings)
        if hits:
            output["text"] = redact_text(text, hits)
    elif kind == "error":
        piece = next(p for p, _ in _output_pieces(output, at) if p is not None)
        hits = detect(piece, settings)
        if hits:
            output["evalue"] = redact_text(str(output.get("evalue", "")), hits)
            output["traceback"] = [redact_text(strip_ansi(str(line)), hits)
                                   for line in output.get("traceback") or []]
    else:
        hits = []
        for mime, value in list((output.get("data") or {}).items()):
            if mime in SKIP_MIMES_QUIETLY or not (
                    mime in TEXT_MIMES or mime.startswith("text/") or mime.endswith("+json")):
                continue
            text = _text(value)
            found = detect(TextPiece(text, "text", at, mime), settings)
            if found:
                hits.extend(found)
                output["data"][mime] = _same_shape(value, redact_text(text, found))
    count += len(hits)
    return count
