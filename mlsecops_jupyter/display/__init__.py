"""Show a ``Report`` in a notebook so that it outlives the kernel: self-contained HTML + text.

``show(report)`` displays ONE output with two representations, marked as ours
(``core/output_marker``) so the notebook scan skips it:

- ``text/html``: the report with counts, a severity filter (``<details>`` sections), the
  findings, evidence tables and figures, interactive without any script or kernel. It reads the
  same live, after the notebook is saved and reopened, in nbconvert, VS Code and on GitHub;
- ``text/plain``: deterministic text for terminals, ``mlsec execute`` and nbval.

No widget view goes into the output: a saved widget view needs its kernel-side model, and
without it JupyterLab shows "Error displaying widget: model not found" *instead of* the HTML.
``ReportWidget`` (``display/widget.py``) stays available to explore a report live:
``display(ReportWidget(report))``.

IPython is imported only inside the functions that need it.
"""

from __future__ import annotations

import sys
from typing import Any

from ..core.output_marker import report_output_metadata
from ..core.report import Report
from .text import render_text

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# notebook outputs stay small: the JSON output always has every finding
MAX_FINDINGS_IN_NOTEBOOK = 500

__all__ = [
    "WIDGET_MIME",
    "display_marked",
    "display_report",
    "render_html",
    "render_text",
    "report_mimebundle",
    "show",
    "show_live_widget",
    "widgets_available",
]


def __getattr__(name: str) -> Any:
    """``render_html`` on first use: the CLI renders text only and never pays for the HTML code."""
    if name == "render_html":
        from .html import render_html

        return render_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def widgets_available() -> bool:
    """True when a kernel with comms is running and ipywidgets can be imported.

    A widget needs a front end at the other end of a comm; in terminal IPython or in a plain
    Python process it would render as nothing.
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


def report_mimebundle(report: Report) -> dict[str, Any]:
    """The data of one report output: self-contained HTML and deterministic text."""
    from .html import render_html

    return {
        "text/html": render_html(report, max_rows=MAX_FINDINGS_IN_NOTEBOOK),
        "text/plain": render_text(report, max_findings=MAX_FINDINGS_IN_NOTEBOOK),
    }


def display_marked(data: dict[str, Any], check: str) -> None:
    """Display ``data`` as one output carrying our marker (``metadata["mlsecops_jupyter"]``)."""
    from IPython.display import display

    display(data, raw=True, metadata=report_output_metadata(check, data))


def show_live_widget(report: Report) -> bool:
    """Display the interactive ``ReportWidget`` as its own output, when a live kernel has one.

    Always shown after (never instead of) the marked HTML output, so a saved notebook keeps the
    report even where the widget's model is gone. Returns whether a widget was shown.
    """
    if not widgets_available():
        return False
    from IPython.display import display

    from .widget import ReportWidget

    view = ReportWidget(report, max_rows=MAX_FINDINGS_IN_NOTEBOOK)
    bundle = dict(view._repr_mimebundle_() or {})
    # what a reopened notebook shows for this output instead of the live view
    bundle["text/plain"] = "(interactive view of the report above; needs the running kernel)"
    display(bundle, raw=True, metadata=report_output_metadata(report.check, bundle))
    return True


def show(report: Report) -> None:
    """Display ``report`` as one marked output (HTML + text) in the running IPython."""
    display_marked(report_mimebundle(report), report.check)


display_report = show
