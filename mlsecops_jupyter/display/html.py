"""Self-contained HTML of a ``Report``: the output a saved notebook keeps.

It must read the same wherever a notebook is opened, long after the kernel is gone. What the
renderers keep of an HTML output:

- JupyterLab 4.6, trusted (outputs you ran, or a notebook signed on save): everything.
- JupyterLab 4.6, untrusted (a notebook from elsewhere), measured in the browser: ``<style>``,
  ``<script>`` and inline ``<svg>`` are removed; ``id`` becomes ``data-jupyter-id``, ``name``
  and ``hidden`` are removed, ``<input>`` is forced ``disabled``; style declarations whose value
  uses ``var()`` (or ``overflow-wrap``) are dropped, literal ones (``rgba()``, ``min()``) kept;
  ``<details>``/``<summary>``, tables, ``class`` and ``<img>`` with ``data:`` PNG/SVG are kept.
- nbconvert's HTML: everything (no sanitising by default).
- VS Code: trusted workspaces insert the HTML as is; untrusted ones show ``text/plain``.
- GitHub (public reports, not measurable offline): ``<style>``, style and class attributes, ids
  and scripts are stripped.

So the report relies only on what all of them keep:

- no script, no external CSS, fonts or images (figures are ``data:`` URIs);
- interaction by ``<details>`` only: each severity is a section whose heading hides or shows
  it (a severity filter that needs neither script nor CSS), each finding opens to its detail,
  evidence table and remedy. JupyterLab keeps ``<details>`` in untrusted notebooks too;
- inline styles limited to what JupyterLab's sanitiser of untrusted HTML keeps: no ``var()``
  (it drops such declarations), literal colours that read on light and dark pages (white text
  on saturated badges, translucent grey rules), text colour inherited from the page;
- a ``<style>`` block only for extras that may be lost without harm (JupyterLab drops it from
  untrusted outputs, GitHub from every output): it inverts the figures' light card under a
  dark theme (JupyterLab, nbconvert ``--theme dark``, VS Code).

Everything taken from the report is escaped: file names, member names and evidence are chosen
by whoever made the scanned file.
"""

from __future__ import annotations

import base64
from dataclasses import replace

from ..core.finding import Finding, Location
from ..core.report import Figure, Report
from ..core.severity import Severity
from .evidence import MUTED_STYLE, esc, evidence_table
from .text import metrics_summary, open_counts, split_accepted

MAX_ROWS = 500
# findings a report may have and still show every finding's details opened
OPEN_DETAILS_UP_TO = 3
# accepted findings shown opened up to this many; more are folded under their heading
OPEN_ACCEPTED_UP_TO = 5

# literal colours (the sanitiser drops var()): white text reads on each, in light and dark themes
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#b71c1c",
    Severity.HIGH: "#d84315",
    Severity.MEDIUM: "#b35c00",
    Severity.LOW: "#1565c0",
    Severity.INFO: "#616161",
}

_ROOT_STYLE = "line-height: 1.45; max-width: 100%;"
_BADGE_STYLE = (
    "display: inline-block; padding: 0 7px; margin: 1px 4px 1px 0; border-radius: 9px; "
    "font-size: 0.85em; font-weight: 600; color: #ffffff; background: {colour}; "
    "white-space: nowrap;"
)
_MUTED_BADGE_STYLE = (
    "display: inline-block; padding: 0 7px; margin: 1px 4px 1px 0; border-radius: 9px; "
    "font-size: 0.85em; border: 1px solid rgba(128,128,128,.5); opacity: 0.75; "
    "white-space: nowrap;"
)
_ACCEPTED_BADGE_STYLE = (
    "display: inline-block; padding: 0 7px; margin: 1px 4px 1px 0; border-radius: 9px; "
    "font-size: 0.85em; font-weight: 600; border: 1px dashed rgba(128,128,128,.8); "
    "white-space: nowrap;"
)
_SCROLL_STYLE = "overflow-x: auto; max-width: 100%;"
# JupyterLab lays rendered tables out with table-layout: fixed (equal columns): ask for auto
_TABLE_STYLE = "border-collapse: collapse; width: 100%; table-layout: auto; margin: 2px 0 6px 0;"
_HEAD_STYLE = (
    "text-align: left; vertical-align: bottom; padding: 3px 8px; font-weight: 600; "
    "border-bottom: 1px solid rgba(128,128,128,.6); "
)
_CELL_STYLE = (
    "text-align: left; vertical-align: top; padding: 3px 8px; "
    "border-bottom: 1px solid rgba(128,128,128,.3);"
)
# rule and location columns as narrow as their content: the finding column takes the rest
_NARROW = "width: 1%; white-space: nowrap;"
# JupyterLab's <code> sets its own white-space (pre-wrap): ids and places must not break
_NOWRAP = "white-space: nowrap;"
_GROUP_STYLE = "margin: 6px 0;"
MAX_SHOWN_PATH = 40  # characters of a file path shown in the location column
_SUMMARY_STYLE = "cursor: pointer; padding: 2px 0;"
_P_STYLE = "margin: 4px 0;"

# extras for renderers that keep <style> (trusted JupyterLab, nbconvert, VS Code); losing them
# loses nothing essential. Figures are drawn on a light card: under a dark theme, invert it.
STYLE = (
    "<style>"
    ".jp-MLSec-report summary{cursor:pointer}"
    ".jp-MLSec-report details>summary:hover{text-decoration:underline}"
    "body[data-jp-theme-light='false'] .jp-MLSec-figure img,"
    "body.vscode-dark .jp-MLSec-figure img,"
    "body.vscode-high-contrast:not(.vscode-high-contrast-light) .jp-MLSec-figure img"
    "{filter:invert(0.9) hue-rotate(180deg)}"
    "</style>"
)


def severity_badge(severity: Severity, text: str | None = None) -> str:
    label = severity.label.upper() if text is None else text
    style = _BADGE_STYLE.format(colour=SEVERITY_COLOURS[severity])
    return f'<span class="jp-MLSec-badge" style="{style}">{esc(label)}</span>'


def accepted_badge(text: str = "ACCEPTED") -> str:
    return f'<span class="jp-MLSec-badge" style="{_ACCEPTED_BADGE_STYLE}">{esc(text)}</span>'


def render_html(report: Report, max_rows: int = MAX_ROWS) -> str:
    """The report as one self-contained ``<div>``: header, counts, findings, skipped, figures."""
    parts = [f'<div class="jp-MLSec-report" style="{_ROOT_STYLE}">', STYLE, _header(report)]
    open_findings, accepted = split_accepted(report.findings)
    shown_open = open_findings[:max_rows]
    shown_accepted = accepted[:max(0, max_rows - len(shown_open))]
    expand = len(report.findings) <= OPEN_DETAILS_UP_TO
    for severity in sorted(Severity, reverse=True):
        group = [f for f in shown_open if f.severity == severity]
        if group:
            parts.append(_severity_group(severity, group, expand))
    if shown_accepted:
        parts.append(_accepted_group(shown_accepted, len(accepted), expand))
    hidden = len(report.findings) - len(shown_open) - len(shown_accepted)
    if hidden > 0:
        parts.append(f'<p style="{_P_STYLE} {MUTED_STYLE}">... and {hidden} more finding(s) '
                     "not shown (use the JSON output).</p>")
    parts.append(skipped_html(report))
    parts.append(_metrics(report))
    from .tables import render_html_tables

    parts.append(render_html_tables(report.metrics))
    parts.extend(figure_html(fig) for fig in report.figures)
    parts.append("</div>")
    return "".join(p for p in parts if p)


def _header(report: Report) -> str:
    title = (f'<div style="margin-bottom: 2px;"><b>{esc(report.check)}</b> on '
             f"<code>{esc(report.subject)}</code></div>")
    return title + f'<div class="jp-MLSec-counts">{counts_badges(report)}</div>'


def counts_badges(report: Report) -> str:
    """One badge per severity (open findings; none drawn muted), then the accepted count."""
    open_findings, accepted = split_accepted(report.findings)
    if not report.findings:
        return f'<span style="{MUTED_STYLE}">No findings.</span>'
    badges = []
    if not open_findings:
        badges.append(f'<span style="{MUTED_STYLE} margin-right: 6px;">No open findings.</span>')
    else:
        for severity in sorted(Severity, reverse=True):
            count = open_counts(report)[severity.label]
            text = f"{severity.label} {count}"
            if count:
                badges.append(severity_badge(severity, text))
            else:
                badges.append(f'<span style="{_MUTED_BADGE_STYLE}">{esc(text)}</span>')
    if accepted:
        badges.append(accepted_badge(f"accepted {len(accepted)}"))
    return "".join(badges)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _short_place(location: Location) -> str:
    """The location as the table shows it: a long path cut to its last two parts.

    The column never wraps (a place must read as one token), so an absolute temporary path
    would push the finding column off screen; the full place stays in the cell's tooltip.
    """
    path = location.file
    if path is None or len(path) <= MAX_SHOWN_PATH:
        return location.describe()
    parts = [part for part in path.replace("\\", "/").split("/") if part]
    return replace(location, file="…/" + "/".join(parts[-2:])).describe()


def _rule_and_location(finding: Finding) -> str:
    """The rule and location cells of a finding's row: narrow, never broken inside."""
    full = finding.location.describe()
    return (f'<td style="{_CELL_STYLE} {_NARROW}"><code style="{_NOWRAP}">{esc(finding.rule)}'
            f'</code></td><td style="{_CELL_STYLE} {_NARROW}" title="{esc(full)}">'
            f'<code style="{_NOWRAP}">{esc(_short_place(finding.location))}</code></td>')


def _severity_group(severity: Severity, findings: list[Finding], expand: bool) -> str:
    summary = f"{severity_badge(severity)} {_plural(len(findings), 'finding')}"
    rows = "".join(
        "<tr>"
        f"{_rule_and_location(f)}"
        f'<td style="{_CELL_STYLE} min-width: 16em;">{finding_details(f, expand)}</td>'
        "</tr>"
        for f in findings
    )
    return (f'<details open class="jp-MLSec-group jp-MLSec-sev-{severity.label}" '
            f'style="{_GROUP_STYLE}"><summary style="{_SUMMARY_STYLE}">{summary}</summary>'
            + _table(("rule", "location", "finding"), rows, f"jp-MLSec-sev-{severity.label}")
            + "</details>")


def _accepted_group(findings: list[Finding], total: int, expand: bool) -> str:
    summary = (f"{accepted_badge()} {_plural(total, 'finding')} accepted by a reviewer "
               f'<span style="{MUTED_STYLE}">(strict mode does not fail on them)</span>')
    rows = "".join(
        f'<tr style="{MUTED_STYLE}">'
        f'<td style="{_CELL_STYLE} {_NARROW}">{severity_badge(f.severity)}</td>'
        f"{_rule_and_location(f)}"
        f'<td style="{_CELL_STYLE} min-width: 10em;">{esc(f.accepted)}</td>'
        f'<td style="{_CELL_STYLE} min-width: 16em;">{finding_details(f, expand)}</td>'
        "</tr>"
        for f in findings
    )
    attribute = " open" if total <= OPEN_ACCEPTED_UP_TO else ""
    return (f'<details{attribute} class="jp-MLSec-group jp-MLSec-accepted" '
            f'style="{_GROUP_STYLE}"><summary style="{_SUMMARY_STYLE}">{summary}</summary>'
            + _table(("severity", "rule", "location", "accepted because", "finding"), rows,
                     "jp-MLSec-accepted")
            + "</details>")


def _table(columns: tuple[str, ...], rows: str, css_class: str) -> str:
    """A findings table in a box that scrolls sideways instead of being cut.

    Every column but the last (the finding) is as narrow as its content.
    """
    head = "".join(f'<th style="{_HEAD_STYLE}{"" if index == len(columns) - 1 else _NARROW}">'
                   f"{name}</th>" for index, name in enumerate(columns))
    return (f'<div style="{_SCROLL_STYLE}"><table class="jp-MLSec-findings {css_class}" '
            f'style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
            "</table></div>")


def findings_table(findings: list[Finding]) -> str:
    """All ``findings`` in one table (severity, rule, location, finding): the widget's list."""
    rows = "".join(
        "<tr>"
        f'<td style="{_CELL_STYLE}">{severity_badge(f.severity)}'
        f"{accepted_badge() if f.is_accepted else ''}</td>"
        f"{_rule_and_location(f)}"
        f'<td style="{_CELL_STYLE}">{finding_details(f)}</td></tr>'
        for f in findings
    )
    return _table(("severity", "rule", "location", "finding"), rows, "jp-MLSec-all")


def finding_details(finding: Finding, open_: bool = False) -> str:
    """``<details>`` whose summary is the title; the body: detail, evidence table, remedy."""
    body = []
    if finding.is_accepted:
        body.append(f'<p style="{_P_STYLE}"><b>Accepted:</b> {esc(finding.accepted)}</p>')
    if finding.detail:
        body.append(f'<p style="{_P_STYLE}">{esc(finding.detail)}</p>')
    if finding.evidence:
        body.append(f'<div style="{MUTED_STYLE} font-size: 0.9em;">evidence</div>'
                    f'<div style="{_SCROLL_STYLE}">{evidence_table(finding.evidence)}</div>')
    if finding.remediation:
        body.append(f'<p style="{_P_STYLE}"><b>What to do:</b> {esc(finding.remediation)}</p>')
    attribute = " open" if open_ else ""
    return (f'<details{attribute}><summary style="{_SUMMARY_STYLE}">{esc(finding.title)}'
            f"</summary>{''.join(body)}</details>")


def skipped_html(report: Report) -> str:
    if not report.skipped:
        return ""
    items = "".join(f"<li><code>{esc(s.what)}</code>: {esc(s.why)}</li>"
                    for s in report.skipped)
    return (f'<details style="{_GROUP_STYLE}"><summary style="{_SUMMARY_STYLE}">'
            f"skipped ({len(report.skipped)})</summary>"
            f'<ul style="margin: 4px 0;">{items}</ul></details>')


def _metrics(report: Report) -> str:
    lines = metrics_summary(report.metrics)
    if not lines:
        return ""
    text = "<br>".join(esc(line) for line in lines)
    return f'<div style="{MUTED_STYLE} margin-top: 4px;">{text}</div>'


def figure_html(figure: Figure) -> str:
    """The figure as a ``data:`` image at its width, never wider than the output."""
    data = base64.b64encode(figure.data).decode("ascii")
    return (
        f'<figure class="jp-MLSec-figure" style="margin: 8px 0;">'
        f'<img alt="{esc(figure.title)}" width="{figure.width}" '
        f'src="data:{figure.mime};base64,{data}" style="max-width: 100%; height: auto;">'
        f'<figcaption style="{MUTED_STYLE} font-size: 0.9em;">{esc(figure.title)}</figcaption>'
        "</figure>"
    )
