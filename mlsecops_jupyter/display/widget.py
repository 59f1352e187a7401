"""``ReportWidget``: a live explorer of a ``Report`` in JupyterLab (``display(ReportWidget(r))``).

Severity counts as badges, a severity filter, the list of findings and the detail, evidence and
remediation of the selected one, then what was skipped. Accepted findings are listed as such,
with the reviewer's reason, and counted apart. The state that matters (filter, visible rows,
selection) lives in traitlets, so tests drive the widget through its state without a browser.

The magic does not display it: a widget view saved in a notebook needs its kernel-side model, so
the saved notebook would show "model not found" once the kernel is gone. ``%mlsec`` shows the
self-contained HTML (``display/html.py``) instead, which is interactive without a kernel.
This module imports ipywidgets at import time.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from ..core.errors import MLSecError
from ..core.finding import Finding
from ..core.report import Report
from ..core.severity import Severity
from .html import (
    MAX_ROWS,
    accepted_badge,
    counts_badges,
    esc,
    figure_html,
    finding_details,
    severity_badge,
    skipped_html,
)
from .text import one_line, open_counts

# (button label, lowest severity shown)
SEVERITY_FILTER = (
    ("all", "info"),
    ("low+", "low"),
    ("medium+", "medium"),
    ("high+", "high"),
    ("critical", "critical"),
)
LIST_ROWS = 8


class ReportWidget(widgets.VBox):
    """A ``Report`` as badges, a severity filter, a findings list and a detail pane.

    Parameters
    ----------
    report : Report
        The report to show; the widget never changes it.
    min_severity : str
        Initial filter: show findings at or above this severity.
    max_rows : int
        At most this many findings are listed; the widget says how many more there are.

    Attributes (traitlets)
    ----------------------
    min_severity : str
        The filter; setting it (or clicking a filter button) updates ``visible``.
    visible : list of int
        Indices into ``report.findings`` of the listed findings, most severe first.
    selected : int or None
        Index into ``report.findings`` of the finding whose details are shown.
    counts : dict
        Open (not accepted) findings per severity label (all severities, zero included).
    accepted : int
        Findings a reviewer accepted; they are listed (marked) but not in ``counts``.
    """

    min_severity = traitlets.Unicode("info")
    visible = traitlets.List(traitlets.Int())
    selected = traitlets.Int(None, allow_none=True)
    counts = traitlets.Dict()
    accepted = traitlets.Int(0)

    def __init__(self, report: Report, *, min_severity: str = "info", max_rows: int = MAX_ROWS,
                 **kwargs: Any) -> None:
        self.report = report
        self.max_rows = max_rows
        self.header = widgets.HTML(self._header_html())
        self.severity_filter = widgets.ToggleButtons(
            options=SEVERITY_FILTER,
            value=Severity.parse(min_severity).label,
            description="show",
            style={"button_width": "auto"},
        )
        self.findings_list = widgets.Select(
            options=[], rows=LIST_ROWS, layout=widgets.Layout(width="100%")
        )
        self.overflow_note = widgets.HTML("")
        self.details = widgets.HTML("")
        self.skipped = widgets.HTML(skipped_html(report))
        children = [self.header]
        if report.findings:
            children += [self.severity_filter, self.findings_list, self.overflow_note,
                         self.details]
        children.append(self.skipped)
        from .tables import render_html_tables

        tables = render_html_tables(report.metrics)
        if tables:
            children.append(widgets.HTML(tables))
        children += [widgets.HTML(figure_html(figure)) for figure in report.figures]
        super().__init__(children=children, **kwargs)
        self.add_class("jp-MLSec-report")
        self.counts = open_counts(report)
        self.accepted = sum(1 for f in report.findings if f.is_accepted)
        self.findings_list.observe(self._on_pick, names="value")
        traitlets.link((self.severity_filter, "value"), (self, "min_severity"))
        self.min_severity = Severity.parse(min_severity).label
        self._apply_filter()

    # -- state -----------------------------------------------------------------------------
    @property
    def visible_findings(self) -> list[Finding]:
        return [self.report.findings[i] for i in self.visible]

    @property
    def selected_finding(self) -> Finding | None:
        return None if self.selected is None else self.report.findings[self.selected]

    @traitlets.validate("min_severity")
    def _valid_severity(self, proposal: Any) -> str:
        try:
            return Severity.parse(proposal["value"]).label
        except MLSecError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @traitlets.observe("min_severity")
    def _on_filter(self, change: Any) -> None:
        self._apply_filter()

    @traitlets.validate("selected")
    def _valid_selection(self, proposal: Any) -> int | None:
        index = proposal["value"]
        if index is not None and not 0 <= index < len(self.report.findings):
            raise traitlets.TraitError(f"no finding at index {index}")
        return index

    @traitlets.observe("selected")
    def _on_selected(self, change: Any) -> None:
        finding = self.selected_finding
        if finding is None:
            self.details.value = ""
        else:
            marker = accepted_badge() if finding.is_accepted else ""
            self.details.value = (
                f"<div>{severity_badge(finding.severity)}{marker}<b>{esc(finding.rule)}</b> "
                f"<code>{esc(finding.location.describe())}</code></div>"
                + finding_details(finding, open_=True)
            )
        if self.selected in self.visible and self.findings_list.value != self.selected:
            self.findings_list.value = self.selected

    # -- view updates ----------------------------------------------------------------------
    def _apply_filter(self) -> None:
        level = Severity.parse(self.min_severity)
        matching = [i for i, f in enumerate(self.report.findings)
                    if f.severity >= level and not f.is_accepted]
        matching += [i for i, f in enumerate(self.report.findings)  # accepted ones last
                     if f.severity >= level and f.is_accepted]
        previous = self.selected
        self.visible = matching[: self.max_rows]
        self.findings_list.options = [(self._row_label(i), i) for i in self.visible]
        self.findings_list.rows = min(LIST_ROWS, max(2, len(self.visible)))
        hidden = len(matching) - len(self.visible)
        if not matching:
            self.overflow_note.value = (
                f"<i>No findings at or above {esc(level.label)}.</i>" if self.report.findings
                else ""
            )
        elif hidden > 0:
            self.overflow_note.value = (
                f"<i>... and {hidden} more finding(s) not listed (see the JSON output).</i>"
            )
        else:
            self.overflow_note.value = ""
        self.findings_list.layout.display = None if self.visible else "none"
        if previous in self.visible:
            self.selected = previous
            self.findings_list.value = previous
        else:
            self.selected = self.visible[0] if self.visible else None

    def _on_pick(self, change: Any) -> None:
        if change["new"] is not None:
            self.selected = change["new"]

    def _row_label(self, index: int) -> str:
        finding = self.report.findings[index]
        where = one_line(finding.location.describe())
        accepted = "  (accepted)" if finding.is_accepted else ""
        return f"{finding.severity.label.upper():<8}  {finding.rule}  {where}{accepted}"

    def _header_html(self) -> str:
        return (
            f"<div><b>{esc(self.report.check)}</b> on <code>{esc(self.report.subject)}</code>"
            f"</div><div>{counts_badges(self.report)}</div>"
        )
