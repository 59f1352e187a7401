"""Show a ``Report`` three ways at once: ipywidgets view, self-contained HTML, plain text.

``show(report)`` displays ONE output whose mimebundle carries all three representations, and each
front end picks what it can render: JupyterLab with a live kernel draws the widget; nbconvert and
notebook viewers use ``text/html``; nbval compares ``text/plain`` (so the text is deterministic);
terminals print ``text/plain``. Without a kernel (terminal IPython, tests) no widget is made.

ipywidgets and IPython are imported only inside the functions that need them.
"""

from __future__ import annotations

import sys
from typing import Any

from ..core.report import Report
from .html import render_html
from .text import render_text

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# notebook outputs stay small: the JSON output always has every finding
MAX_FINDINGS_IN_NOTEBOOK = 500

__all__ = [
    "WIDGET_MIME",
    "display_report",
    "render_html",
    "render_text",
    "report_mimebundle",
    "show",
    "widgets_available",
]


def widgets_available() -> bool:
    """True when a kernel with comms is running and ipywidgets can be imported.

    A widget needs a front end at the other end of a comm; in terminal IPython or in a plain
    Python process it would render as nothing, so the HTML/text fallback is used instead.
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def report_mimebundle(report: Report, *, widget: bool | None = None) -> dict[str, Any]:
    """The mimebundle of one report output.

    Parameters
    ----------
    report : Report
        What to show.
    widget : bool, optional
        Include the ipywidgets view; ``None`` decides by ``widgets_available()``.
    """
    bundle: dict[str, Any] = {}
    if widget if widget is not None else widgets_available():
        from .widget import ReportWidget

        view = ReportWidget(report, max_rows=MAX_FINDINGS_IN_NOTEBOOK)
        # the widget's own bundle has the view reference and a repr as text/plain; our text and
        # HTML replace the repr so nbval, nbconvert and terminals see a useful fallback
        bundle.update(view._repr_mimebundle_() or {})
    bundle["text/html"] = render_html(report, max_rows=MAX_FINDINGS_IN_NOTEBOOK)
    bundle["text/plain"] = render_text(report, max_findings=MAX_FINDINGS_IN_NOTEBOOK)
    return bundle


def show(report: Report, *, widget: bool | None = None) -> None:
    """Display ``report`` as one output (widget + HTML + text) in the running IPython."""
    from IPython.display import display

    display(report_mimebundle(report, widget=widget), raw=True)


display_report = show
