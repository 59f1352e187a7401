"""Static figures of an explanation (matplotlib Agg, PNG bytes): bar, beeswarm, waterfall.

Drawn with shap's own plot functions where they exist (users know them), always on a private
Agg figure that is closed afterwards, so nothing leaks into the notebook's pyplot state.
"""

from __future__ import annotations

import io
from typing import Any

from ...core.report import Figure

MAX_DISPLAY = 12
DPI = 80


def _png(draw: Any, title: str) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"figure.dpi": DPI}):
        plt.figure()
        try:
            draw()
            figure = plt.gcf()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
        finally:
            plt.close("all")
    return Figure(title, buffer.getvalue())


def bar_figure(table: list[dict[str, Any]], title: str) -> Figure:
    """Mean |SHAP| per feature with its standard deviation as error bars."""
    import matplotlib.pyplot as plt

    rows = table[:MAX_DISPLAY][::-1]

    def draw() -> None:
        plt.barh([r["feature"] for r in rows], [r["mean_abs_shap"] for r in rows],
                 xerr=[r["std_abs_shap"] for r in rows], color="#1f77b4", ecolor="#555555")
        plt.xlabel("mean |SHAP value| (error bar: std)")
        plt.gcf().set_size_inches(7, 0.4 * len(rows) + 1.2)

    return _png(draw, title)


def beeswarm_figure(explanation: Any, title: str) -> Figure:
    import shap

    return _png(lambda: shap.plots.beeswarm(explanation, max_display=MAX_DISPLAY, show=False),
                title)


def waterfall_figure(explanation: Any, title: str) -> Figure:
    import shap

    return _png(lambda: shap.plots.waterfall(explanation, max_display=MAX_DISPLAY, show=False),
                title)
