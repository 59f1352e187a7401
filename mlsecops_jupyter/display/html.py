"""Self-contained HTML rendering of a ``Report`` (nbconvert, exported reports, widget fallback).

No JavaScript, no external CSS or fonts: inline styles only, with JupyterLab's CSS variables and a
fallback colour each (``var(--jp-ui-font-color1, #222)``) so the same HTML reads well in light and
dark themes and outside Jupyter. Everything taken from the report is escaped: file names, member
names and evidence are chosen by whoever made the scanned file.
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any

from ..core.finding import Finding
from ..core.report import Figure, Report
from ..core.severity import Severity
from .text import metrics_summary, printable

MAX_ROWS = 500

# badge background per severity: JupyterLab theme colours, with a fallback for plain HTML
SEVERITY_COLOURS = {
    Severity.CRITICAL: "var(--jp-error-color0, #a4161a)",
    Severity.HIGH: "var(--jp-error-color1, #d32f2f)",
    Severity.MEDIUM: "var(--jp-warn-color1, #e65100)",
    Severity.LOW: "var(--jp-info-color1, #0277bd)",
    Severity.INFO: "var(--jp-border-color1, #757575)",
}

_ROOT_STYLE = (
    "font-family: var(--jp-ui-font-family, system-ui, sans-serif); "
    "font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color1, #222); "
    "background: var(--jp-layout-color1, transparent); line-height: 1.4; max-width: 100%;"
)
_BADGE_STYLE = (
    "display: inline-block; padding: 1px 7px; margin-right: 4px; border-radius: 9px; "
    "font-size: 0.85em; font-weight: 600; color: var(--jp-ui-inverse-font-color0, #fff); "
    "background: {colour};"
)
_MUTED_BADGE_STYLE = (
    "display: inline-block; padding: 1px 7px; margin-right: 4px; border-radius: 9px; "
    "font-size: 0.85em; color: var(--jp-ui-font-color2, #666); "
    "border: 1px solid var(--jp-border-color2, #ccc);"
)
# colour and font are inherited explicitly: tables in quirks-mode pages do not inherit them
_TABLE_STYLE = (
    "border-collapse: collapse; width: 100%; margin: 6px 0; color: inherit; "
    "font-size: inherit; font-family: inherit;"
)
_CELL_STYLE = (
    "text-align: left; vertical-align: top; padding: 3px 8px; "
    "border-bottom: 1px solid var(--jp-border-color2, #ddd);"
)
_CODE_STYLE = (
    "font-family: var(--jp-code-font-family, monospace); font-size: 0.92em; "
    "overflow-wrap: anywhere;"
)
_RULE_STYLE = "font-family: var(--jp-code-font-family, monospace); font-size: 0.92em;"
_PRE_STYLE = (
    "font-family: var(--jp-code-font-family, monospace); font-size: 0.9em; margin: 4px 0; "
    "padding: 4px 6px; white-space: pre-wrap; overflow-wrap: anywhere; "
    "background: var(--jp-layout-color2, #f4f4f4); color: var(--jp-content-font-color1, #222);"
)
_MUTED_STYLE = "color: var(--jp-ui-font-color2, #666);"


def esc(text: Any) -> str:
    """HTML-escape (quotes included) after making invisible control characters visible."""
    return html.escape(printable(str(text)), quote=True)


def severity_badge(severity: Severity, text: str | None = None) -> str:
    label = severity.label.upper() if text is None else text
    style = _BADGE_STYLE.format(colour=SEVERITY_COLOURS[severity])
    return f'<span class="jp-MLSec-badge" style="{style}">{esc(label)}</span>'


def render_html(report: Report, max_rows: int = MAX_ROWS) -> str:
    """The report as one self-contained ``<div>``: header, counts, findings, skipped, figures."""
    parts = [f'<div class="jp-MLSec-report" style="{_ROOT_STYLE}">']
    parts.append(_header(report))
    if report.findings:
        parts.append(findings_table(report.findings[:max_rows]))
        hidden = len(report.findings) - max_rows
        if hidden > 0:
            parts.append(
                f'<p style="{_MUTED_STYLE}">... and {hidden} more finding(s) not shown '
                "(use the JSON output).</p>"
            )
    parts.append(skipped_html(report))
    parts.append(_metrics(report))
    from .tables import render_html_tables

    parts.append(render_html_tables(report.metrics))
    parts.extend(_figure(fig) for fig in report.figures)
    parts.append("</div>")
    return "".join(p for p in parts if p)


def _header(report: Report) -> str:
    title = (
        f'<div style="font-weight: 600; margin-bottom: 4px;">'
        f'<span style="{_CODE_STYLE}">{esc(report.check)}</span> on '
        f'<span style="{_CODE_STYLE}">{esc(report.subject)}</span></div>'
    )
    return title + f"<div>{counts_badges(report)}</div>"


def counts_badges(report: Report) -> str:
    """One badge per severity; severities with no finding are drawn muted."""
    if not report.findings:
        return f'<span style="{_MUTED_STYLE}">No findings.</span>'
    counts = report.counts()
    badges = []
    for severity in sorted(Severity, reverse=True):
        count = counts[severity.label]
        text = f"{severity.label} {count}"
        if count:
            badges.append(severity_badge(severity, text))
        else:
            badges.append(f'<span style="{_MUTED_BADGE_STYLE}">{esc(text)}</span>')
    return "".join(badges)


def findings_table(findings: list[Finding]) -> str:
    """A table, one row per finding; the last column opens to detail, evidence and remedy."""
    head = "".join(
        f'<th style="{_CELL_STYLE}">{name}</th>'
        for name in ("severity", "rule", "location", "finding")
    )
    rows = [
        f'<table class="jp-MLSec-findings" style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead>'
        "<tbody>"
    ]
    for finding in findings:
        rows.append(
            "<tr>"
            f'<td style="{_CELL_STYLE}">{severity_badge(finding.severity)}</td>'
            f'<td style="{_CELL_STYLE} white-space: nowrap;">'
            f'<span style="{_RULE_STYLE}">{esc(finding.rule)}</span></td>'
            f'<td style="{_CELL_STYLE} min-width: 12em;">'
            f'<span style="{_CODE_STYLE}">{esc(finding.location.describe())}</span></td>'
            f'<td style="{_CELL_STYLE}">{finding_details(finding)}</td>'
            "</tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def finding_details(finding: Finding, open_: bool = False) -> str:
    """``<details>`` whose summary is the title and whose body is detail, evidence, remedy."""
    body = []
    if finding.detail:
        body.append(f'<p style="margin: 4px 0;">{esc(finding.detail)}</p>')
    if finding.evidence:
        evidence = json.dumps(finding.evidence, indent=2, sort_keys=True, default=str,
                              ensure_ascii=False)
        body.append(
            f'<div style="{_MUTED_STYLE}">evidence</div><pre style="{_PRE_STYLE}">'
            f"{esc(evidence)}</pre>"
        )
    if finding.remediation:
        body.append(
            f'<p style="margin: 4px 0;"><b>What to do:</b> {esc(finding.remediation)}</p>'
        )
    attribute = " open" if open_ else ""
    return (
        f"<details{attribute}><summary style=\"cursor: pointer;\">{esc(finding.title)}</summary>"
        + "".join(body)
        + "</details>"
    )


def skipped_html(report: Report) -> str:
    if not report.skipped:
        return ""
    items = "".join(
        f'<li><span style="{_CODE_STYLE}">{esc(s.what)}</span>: {esc(s.why)}</li>'
        for s in report.skipped
    )
    return (
        f"<details><summary>skipped ({len(report.skipped)})</summary>"
        f'<ul style="margin: 4px 0;">{items}</ul></details>'
    )


def _metrics(report: Report) -> str:
    lines = metrics_summary(report.metrics)
    if not lines:
        return ""
    text = "<br>".join(esc(line) for line in lines)
    return f'<div style="{_MUTED_STYLE} margin-top: 4px;">{text}</div>'


def _figure(figure: Figure) -> str:
    """The figure as a ``data:`` image at its width (CSS pixels), never wider than the output."""
    data = base64.b64encode(figure.data).decode("ascii")
    return (
        '<figure style="margin: 8px 0;">'
        f'<img alt="{esc(figure.title)}" width="{figure.width}" '
        f'src="data:{figure.mime};base64,{data}" style="max-width: 100%; height: auto;">'
        f'<figcaption style="{_MUTED_STYLE}">{esc(figure.title)}</figcaption></figure>'
    )
