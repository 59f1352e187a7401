"""Figures of an explanation: importance bars (SVG), beeswarm and waterfall (shap's own plots).

The importance bars are written as SVG text (``checks/svg_charts.py``): no plotting library and
no cost. The beeswarm and the waterfall are shap's plot functions (users know them); they are
*lazy*: drawn the first time the figure's image is asked for, so a report that is never
displayed (CLI, scripts, strict runs) never pays for them. They are drawn on a private pyplot
figure that is closed afterwards, so nothing leaks into the notebook's own figures and the
notebook's backend is left alone. The waterfall (a few dozen shapes) is SVG; the beeswarm (a dot
per row and feature) is a PNG at twice its display size, smaller than the SVG and still crisp.
"""

from __future__ import annotations

import io
from typing import Any

from ...core.report import Figure

MAX_DISPLAY = 12
DPI = 72  # matplotlib points per inch = CSS pixels per inch: sizes below are CSS pixels / 72
HI_DPI = 2  # PNGs are drawn at twice the pixels they are shown at
SVG_SALT = "mlsecops"  # matplotlib's SVG ids are random unless salted: same data, same bytes
WIDTH = 560  # CSS pixels the shap figures are shown at (they are ~8 inches wide)


def _render(draw: Any, image_format: str) -> bytes:
    """Run ``draw`` on a fresh pyplot figure and encode it (``png`` at 2x, or ``svg``).

    shap's beeswarm jitters dots with numpy's global generator: it is seeded for the drawing
    (and the caller's state given back), so the same explanation draws the same image.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    from ...core.progress import task
    from .run import seeded_global_rng

    rc = matplotlib.rc_context({"figure.dpi": DPI, "svg.fonttype": "none",
                                "svg.hashsalt": SVG_SALT})
    with task("explain: drawing a figure"), rc, seeded_global_rng(0):
        created = figure = plt.figure()
        try:
            draw()
            figure = plt.gcf()  # shap may have made a figure of its own
            buffer = io.BytesIO()
            dpi = DPI * HI_DPI if image_format == "png" else DPI
            metadata = {"Software": None} if image_format == "png" else {"Date": None}
            figure.savefig(buffer, format=image_format, dpi=dpi, bbox_inches="tight",
                           facecolor="white", metadata=metadata)
        finally:
            plt.close(figure)
            plt.close(created)
    return buffer.getvalue()


def _lazy(title: str, draw: Any, image_format: str) -> Figure:
    mime = "image/png" if image_format == "png" else "image/svg+xml"
    return Figure(title, mime=mime, width=WIDTH, draw=lambda: _render(draw, image_format))


def bar_figure(table: list[dict[str, Any]], title: str) -> Figure:
    """Mean |SHAP| per feature with its standard deviation as whiskers, most important first."""
    from ..svg_charts import horizontal_bars

    rows = table[:MAX_DISPLAY]
    chart = horizontal_bars(title, [str(r["feature"]) for r in rows],
                            [float(r["mean_abs_shap"]) for r in rows],
                            errors=[float(r["std_abs_shap"]) for r in rows],
                            x_label="mean |SHAP value| (whisker: std)")
    return Figure(title, chart.svg, mime="image/svg+xml", width=chart.width)


def beeswarm_figure(explanation: Any, title: str) -> Figure:
    """shap's beeswarm of ``explanation`` (drawn when first shown)."""

    def draw() -> None:
        import shap

        shap.plots.beeswarm(explanation, max_display=MAX_DISPLAY, show=False)

    return _lazy(title, draw, "png")


def waterfall_figure(explanation: Any, title: str) -> Figure:
    """shap's waterfall of one row's ``explanation`` (drawn when first shown)."""

    def draw() -> None:
        import shap

        shap.plots.waterfall(explanation, max_display=MAX_DISPLAY, show=False)

    return _lazy(title, draw, "svg")
