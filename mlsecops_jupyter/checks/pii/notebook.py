"""``scan_notebook``: credentials and personal data in a notebook's cells and outputs.

A notebook leaks in more places than its code: a printed config, a ``df.head()`` of customers, a
traceback quoting a database URL, an HTML table, a markdown note with a token, papermill's
parameters in the metadata, a saved password widget. ``nb_read`` turns every readable part into
a ``TextPiece`` (and lists what it skips: images, binary payloads, this product's own report
outputs); ``nb_detect`` finds the ``Hit``s of one piece; this module turns hits into findings:

- a credential is one finding per distinct value per output (or source);
- personal data is grouped: one finding per rule per output (per column of a displayed frame)
  or per source, with the count of distinct values, their lines and a few masked examples;
- the same value shown twice by one output (its ``text/plain`` and ``text/html``) counts once;
- a cell with ``# mlsec: ignore RULE reason`` accepts that rule's findings of the cell
  (``core.baseline``); they stay in the report, accepted, and never fail strict mode.

Nothing is executed; values are never put into the report, only masked forms.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ...core.baseline import Ignore, accept_inline, inline_ignores
from ...core.errors import MLSecInputError
from ...core.finding import Finding
from ...core.notebook_io import check_notebook_data, parse_notebook_text, read_notebook_file
from ...core.progress import task
from ...core.report import Report, Skipped
from ...core.settings import Settings
from .nb_detect import Hit, detect, detect_counted, visible_text
from .nb_read import (
    SKIP_MIMES_QUIETLY,
    TEXT_MIMES,
    TextPiece,
    notebook_pieces,
    strip_ansi,
    text_of,
)
from .secret_rules import CHECK

__all__ = ["REDACTED", "SKIP_MIMES_QUIETLY", "TEXT_MIMES", "Hit", "TextPiece", "detect",
           "detect_counted", "html_text", "load_notebook", "notebook_pieces", "redact_notebook",
           "rule_table", "scan_notebook", "scan_pieces", "strip_ansi"]

WRONG_TYPE = ("scan_notebook takes a path or notebook JSON (dict or str), not "
              "{type}")
REDACTED = "[REDACTED:{label}]"
PII_REMEDIATION = ("Take the personal data out of the cell, or clear the output before sharing "
                   "the notebook (`mlsec redact NOTEBOOK.ipynb` writes a masked copy).")
MAX_LINES_LISTED = 20
MAX_EXAMPLES = 3
html_text = visible_text
_text = text_of


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


# -- the check ---------------------------------------------------------------------------------
def scan_pieces(pieces: Iterable[TextPiece], *, subject: str, settings: Settings,
                skipped: Iterable[Skipped] = (), metrics: Mapping[str, Any] | None = None
                ) -> Report:
    """A ``notebook`` report of the secrets and PII in ``pieces`` (any texts with locations)."""
    from ...core.rules import RULES

    started = time.process_time()
    pieces = list(pieces)
    skipped_list = list(skipped)
    scanned_chars = 0
    allowlisted = 0
    secrets: dict[tuple[Any, ...], tuple[TextPiece, Hit]] = {}
    personal: dict[tuple[Any, ...], dict[str, list[tuple[TextPiece, Hit]]]] = {}
    plain: dict[tuple[Any, ...], str] = {}
    ignores: dict[tuple[Any, ...], list[Ignore]] = {}
    with task("scanning notebook texts", total=len(pieces)) as step:
        for piece in pieces:
            if len(piece.text) > settings.secrets.max_chars:
                skipped_list.append(Skipped(
                    f"{piece.location.describe()} {piece.kind}: characters "
                    f"{settings.secrets.max_chars}-{len(piece.text)}",
                    "longer than secrets.max_chars; the start was scanned"))
                piece = dataclasses.replace(piece, text=piece.text[: settings.secrets.max_chars])
            scanned_chars += len(piece.text)
            if piece.kind == "source":
                ignores.setdefault(_cell_key(piece), []).extend(inline_ignores(piece.text))
            hits, lookalikes = detect_counted(piece, settings, plain.get(piece.group, ""))
            if piece.kind == "text/plain":
                plain[piece.group] = piece.text
            allowlisted += lookalikes
            for hit in hits:
                normal = _normal(hit.value)
                if hit.rule.startswith("SECRET-"):
                    known = [k for k in secrets if k[:2] == (piece.group, hit.rule)]
                    # one output showing a value twice (text/plain and text/html) is one
                    # finding; a number also when one form adds a prefix ("+1 415 ...")
                    if any(k[2] == normal or (normal.isdigit() and k[2].isdigit() and (
                            normal.endswith(k[2]) or k[2].endswith(normal))) for k in known):
                        continue
                    secrets[(piece.group, hit.rule, normal)] = (piece, hit)
                else:
                    values = personal.setdefault((piece.group, hit.rule), {})
                    values.setdefault(normal, []).append((piece, hit))
            step.advance(note=piece.location.describe())
    findings = [_secret_finding(piece, hit, RULES) for piece, hit in secrets.values()]
    for values in personal.values():
        findings += _pii_findings(values, RULES)
    findings = [accept_inline(f, ignores.get(_finding_key(f), ())) for f in findings]
    all_metrics: dict[str, Any] = dict(metrics or {})
    all_metrics.update({
        "texts_scanned": len(pieces),
        "chars_scanned": scanned_chars,
        "allowlisted_lookalikes": allowlisted,
        "pii_scanned": settings.secrets.pii,
        "accepted_inline": sum(f.is_accepted for f in findings),
        "tables": rule_table(findings),
    })
    if not settings.secrets.pii:
        skipped_list.append(Skipped("personal data (PII-*)", "secrets.pii is off"))
    return Report(check=CHECK, subject=subject, findings=findings, metrics=all_metrics,
                  skipped=skipped_list, elapsed_s=time.process_time() - started)


def _normal(value: str) -> str:
    return re.sub(r"\W", "", value).lower() or value


def _live_number(origin: str) -> str | None:
    match = re.search(r"\[(\d+)\]", origin)
    return match.group(1) if match else None


def _cell_key(piece: TextPiece) -> tuple[Any, ...]:
    """The cell a piece belongs to (a live In[n] and its Out[n] share one)."""
    if piece.origin:
        return ("live", _live_number(piece.origin))
    return ("cell", piece.location.file, piece.location.cell)


def _finding_key(finding: Finding) -> tuple[Any, ...]:
    origin = str(finding.evidence.get("in", ""))
    if origin.startswith("live"):
        return ("live", _live_number(origin))
    if finding.location.cell is None:
        return ("none",)
    return ("cell", finding.location.file, finding.location.cell)


def rule_table(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The ``Findings by rule`` metrics table (empty list when there is nothing)."""
    by_rule = Counter(f.rule for f in findings)
    if not by_rule:
        return []
    return [{"title": "Findings by rule", "columns": ["rule", "findings"],
             "rows": [[rule, count] for rule, count in sorted(by_rule.items())]}]


def _where(piece: TextPiece) -> tuple[str, str]:
    """(``evidence["in"]``, the place in prose) of a piece."""
    if piece.origin:
        return piece.origin, piece.origin
    if piece.location.output is None:
        if piece.kind == "source":
            return "source", "the source"
        return piece.kind, f"the {piece.kind}"
    return f"output ({piece.kind})", f"output {piece.location.output} ({piece.kind})"


def _digest(*values: str) -> str:
    return hashlib.sha256("\n".join(values).encode("utf-8", "surrogatepass")).hexdigest()


def _secret_finding(piece: TextPiece, hit: Hit, rules: Mapping[str, Any]) -> Finding:
    location = dataclasses.replace(piece.location, line=hit.line, column=hit.text_column)
    source, where = _where(piece)
    evidence = {**hit.evidence, "in": source}
    detail = f"{hit.evidence.get('masked', '')} in {where}"
    if hit.evidence.get("variable"):
        detail += f", assigned to {hit.evidence['variable']}"
    finding = rules[hit.rule].finding(detail, location, evidence, severity=hit.severity)
    return dataclasses.replace(finding, value_digest=_digest(hit.value))


def _pii_findings(values: dict[str, list[tuple[TextPiece, Hit]]],
                  rules: Mapping[str, Any]) -> list[Finding]:
    """One finding per table column (or one for the values outside tables) of one rule in one
    output or source, with the count of distinct values."""
    by_column: dict[str | None, list[list[tuple[TextPiece, Hit]]]] = {}
    for occurrences in values.values():
        column = next((hit.column for _, hit in occurrences if hit.column), None)
        by_column.setdefault(column, []).append(occurrences)
    findings = []
    for column, groups in by_column.items():
        groups.sort(key=lambda g: (g[0][1].line, g[0][1].text_column))
        piece, first = groups[0][0]
        lines = sorted({hit.line for group in groups for piece_, hit in group
                        if piece_.kind == piece.kind})
        examples = [group[0][1].evidence["masked"] for group in groups[:MAX_EXAMPLES]]
        entity = first.evidence["entity"]
        source, where = _where(piece)
        evidence: dict[str, Any] = {
            "entity": entity, "count": len(groups),
            "occurrences": sum(len(g) for g in groups), "lines": lines[:MAX_LINES_LISTED],
            "examples": examples, "masked": examples[0],
            "validated": all(g[0][1].evidence["validated"] for g in groups),
            "score": max(g[0][1].evidence["score"] for g in groups), "in": source}
        if column is not None:
            evidence["column"] = column
        location = dataclasses.replace(piece.location, line=first.line,
                                       column=column if column is not None
                                       else first.text_column)
        rule = rules.get(first.rule)
        if len(groups) == 1:
            detail = f"{examples[0]} in {where}"
        else:
            title = rule.title.split(": ", 1)[-1] if rule is not None else entity
            place = f"column {column!r} of {where}" if column is not None else where
            detail = f"{len(groups)} {title} in {place}: {', '.join(examples)}" + (
                ", ..." if len(groups) > len(examples) else "")
        digest = _digest(*sorted(_normal(g[0][1].value) for g in groups))
        if rule is None:  # a PII entity the PII check has no rule for: still reported
            from ...core.severity import Severity

            finding = Finding(first.rule, Severity.MEDIUM, f"Personal data: {entity}", detail,
                              location, evidence, PII_REMEDIATION)
        else:
            finding = rule.finding(detail, location, evidence, remediation=PII_REMEDIATION)
        findings.append(dataclasses.replace(finding, value_digest=digest))
    return findings


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
                                                   "outputs": counts.get("outputs", 0),
                                                   "report_outputs_skipped":
                                                   counts.get("report_outputs", 0)})
    report.elapsed_s = time.process_time() - started
    return report


def redact_notebook(path_or_nbjson: Any, settings: Settings | None = None
                    ) -> tuple[dict[str, Any], Report]:
    """A masked copy of the notebook and the scan report of what was masked (``nb_redact``)."""
    from .nb_redact import redact_notebook as redact

    return redact(path_or_nbjson, settings=settings)
