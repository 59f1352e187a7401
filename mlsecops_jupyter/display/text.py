"""Plain-text rendering of a ``Report`` for terminals, the CLI and nbval.

The text is deterministic (no elapsed time, no timestamps, no object addresses) because nbval
compares ``text/plain`` outputs cell by cell, and it is safe to print: file names, member names and
evidence come from the scanned files, so control characters and bidirectional-override characters
are shown escaped instead of being sent to the terminal.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from ..core.finding import Finding
from ..core.report import Report

WIDTH = 100
INDENT = "    "
MAX_EVIDENCE_CHARS = 300
# metrics that measure time differ from run to run; the text view leaves them out
_VOLATILE_METRIC_MARKERS = ("elapsed", "seconds", "time", "duration")


def render_text(report: Report, max_findings: int | None = None) -> str:
    """The report as plain text: header, findings most severe first, skipped items, metrics.

    Parameters
    ----------
    report : Report
        What a check returned.
    max_findings : int, optional
        Show at most this many findings and say how many more there are (notebook outputs stay
        small); ``None`` shows all of them.
    """
    lines = [header_line(report)]
    open_findings, accepted = split_accepted(report.findings)
    limit = len(report.findings) if max_findings is None else max_findings
    shown_open = open_findings[:limit]
    shown_accepted = accepted[:max(0, limit - len(shown_open))]
    for finding in shown_open:
        lines.append("")
        lines.extend(_finding_lines(finding))
    if shown_accepted:
        lines += ["", f"accepted ({len(accepted)}): reviewed, strict mode does not fail on them"]
    for finding in shown_accepted:
        lines.append("")
        lines.extend(_finding_lines(finding))
    hidden = len(report.findings) - len(shown_open) - len(shown_accepted)
    if hidden > 0:
        lines += ["", f"... and {hidden} more finding(s) not shown (use the JSON output)"]
    if report.skipped:
        lines += ["", f"skipped ({len(report.skipped)}):"]
        lines += [
            _wrap(f"- {printable(s.what)}: {printable(s.why)}", "  ", "    ")
            for s in report.skipped
        ]
    summary = metrics_summary(report.metrics)
    if summary:
        lines += [""] + summary
    from .tables import render_text_tables

    lines += render_text_tables(report.metrics)
    return "\n".join(lines)


def split_accepted(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``(open, accepted)``: accepted findings (with a reviewer's reason) are counted apart."""
    return ([f for f in findings if not f.is_accepted], [f for f in findings if f.is_accepted])


def open_counts(report: Report) -> dict[str, int]:
    """Open (not accepted) findings per severity, every severity present, most severe first."""
    counts = dict.fromkeys(report.counts(), 0)
    for finding in report.findings:
        if not finding.is_accepted:
            counts[finding.severity.label] += 1
    return counts


def header_line(report: Report) -> str:
    """``modelscan on model.pkl: 2 findings (critical 1, high 0, medium 1, low 0, info 0)``.

    Accepted findings are counted apart: ``1 finding (critical 1, ...), 2 accepted``.
    """
    subject = one_line(report.subject)
    open_findings, accepted = split_accepted(report.findings)
    also = f", {len(accepted)} accepted" if accepted else ""
    if not open_findings:
        return f"{report.check} on {subject}: no {'open ' if accepted else ''}findings{also}"
    counts = ", ".join(f"{label} {n}" for label, n in open_counts(report).items())
    total = len(open_findings)
    return (f"{report.check} on {subject}: {total} finding{'s' if total != 1 else ''} "
            f"({counts}){also}")


def finding_heading(finding: Finding) -> str:
    """``[CRITICAL] MODEL-PICKLE-EXEC  model.pkl!archive/data.pkl@123``."""
    where = one_line(finding.location.describe())
    heading = f"[{finding.severity.label.upper()}] {finding.rule}"
    return f"{heading}  {where}" if where else heading


def _finding_lines(finding: Finding) -> list[str]:
    lines = [finding_heading(finding)]
    if finding.is_accepted:
        lines.append(_wrap("accepted: " + printable(str(finding.accepted)), INDENT, INDENT * 2))
    if finding.title:
        lines.append(_wrap(printable(finding.title), INDENT, INDENT))
    for paragraph in printable(finding.detail).splitlines():
        if paragraph.strip():
            lines.append(_wrap(paragraph, INDENT, INDENT))
    if finding.evidence:
        lines.append(_wrap("evidence: " + evidence_text(finding.evidence), INDENT, INDENT * 2))
    if finding.remediation:
        lines.append(_wrap("fix: " + printable(finding.remediation), INDENT, INDENT * 2))
    return lines


def evidence_text(evidence: dict[str, Any]) -> str:
    """``key=value; key=value`` with sorted keys, JSON for non-strings, bounded in length."""
    parts = []
    for key in sorted(evidence, key=str):
        value = evidence[key]
        shown = value if isinstance(value, str) else _compact_json(value)
        parts.append(f"{key}={shown}")
    text = one_line("; ".join(parts))
    if len(text) > MAX_EVIDENCE_CHARS:
        text = text[: MAX_EVIDENCE_CHARS - 3] + "..."
    return text


def metrics_summary(metrics: dict[str, Any]) -> list[str]:
    """A few lines: what was scanned (files, bytes, formats), then the other metrics, sorted.

    ``files`` (a list of ``{"file", "member"?, "format"}``), ``files_scanned`` and
    ``bytes_scanned`` make the first line; any other metric is shown as ``key: value``, tables
    as their entries in key order, bounded in length. Time measurements are left out.
    """
    lines = []
    scanned_line = _scanned_line(metrics)
    if scanned_line:
        lines.append(_wrap(printable(scanned_line), "", INDENT))
    for key in sorted(metrics, key=str):
        shown_as_table = key == "tables" or key in metrics.get("tables_cover", ())
        if key in _SCANNED_KEYS or shown_as_table or _is_volatile(str(key), metrics[key]):
            continue
        lines.append(_wrap(f"{printable(str(key))}: {_metric_value(metrics[key])}", "", INDENT))
    return lines


_SCANNED_KEYS = ("files", "files_scanned", "bytes_scanned")


def _scanned_line(metrics: dict[str, Any]) -> str:
    files = metrics.get("files")
    entries = files if isinstance(files, list) else []
    entries = [entry for entry in entries if isinstance(entry, dict)]
    count = metrics.get("files_scanned")
    if not isinstance(count, int):
        count = len({str(e.get("file")) for e in entries if e.get("file") is not None})
    if not entries and "files_scanned" not in metrics:
        return ""
    text = f"scanned: {count} file{'s' if count != 1 else ''}"
    size = metrics.get("bytes_scanned")
    if isinstance(size, int):
        text += f", {size} bytes"
    formats = Counter(str(e["format"]) for e in entries if "format" in e)
    if formats:
        text += "; formats: " + ", ".join(f"{name} {n}" for name, n in sorted(formats.items()))
    return text


def _is_volatile(key: str, value: Any) -> bool:
    if any(marker in key for marker in _VOLATILE_METRIC_MARKERS):
        return True
    return key.endswith("_s") and isinstance(value, float)


def _metric_value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        if not value:
            return "none"
        # whole entries only, never cut inside a name: "a (1), b (2) and 8 more"
        shown: list[str] = []
        length = 0
        for key in sorted(value, key=str):
            item = f"{one_line(str(key))} ({_metric_value(value[key])})"
            if shown and length + len(item) + 2 > MAX_EVIDENCE_CHARS:
                break
            shown.append(item)
            length += len(item) + 2
        rest = len(value) - len(shown)
        return ", ".join(shown) + (f" and {rest} more" if rest else "")
    if isinstance(value, (list, tuple)):
        return f"{len(value)} entries"
    return _bounded(one_line(str(value)), "")


def _bounded(text: str, suffix: str) -> str:
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    return text[: MAX_EVIDENCE_CHARS - 3] + "..." + suffix


def _compact_json(value: Any) -> str:
    import json  # json and textwrap on first use: a clean scan's report needs neither

    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _wrap(text: str, first_indent: str, next_indent: str) -> str:
    import textwrap

    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=first_indent,
        subsequent_indent=next_indent,
        break_long_words=True,
        break_on_hyphens=False,
    )


def printable(text: str) -> str:
    """Escape control and invisible formatting characters (ANSI escapes, bidi overrides).

    Newlines and tabs are kept; everything in Unicode categories Cc/Cf/Cs/Co/Cn other than those
    becomes a visible ``\\xNN`` / ``\\uNNNN`` escape, so an attacker-chosen member name cannot
    rewrite the terminal or reorder what the reader sees.
    """
    out = []
    for char in str(text):
        if char in "\n\t" or unicodedata.category(char)[0] != "C":
            out.append(char)
        else:
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    return "".join(out)


def one_line(text: str) -> str:
    """``printable`` with newlines and tabs escaped as well (headings, locations)."""
    return printable(str(text)).replace("\n", "\\n").replace("\t", "\\t")
