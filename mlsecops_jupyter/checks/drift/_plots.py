"""Reference-vs-current distributions of the drifted columns, drawn as report figures.

All drawing of the drift check lives here, on plain plot data the column comparison prepared
(histogram shares on common bins, or category shares). The charts are SVG written by
``checks/svg_charts.py`` (as the bias and explain checks draw theirs): crisp at any zoom, a few
kilobytes, no plotting library to import, and drawn lazily -- a report that is never displayed
(the CLI, strict mode in CI) never pays for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.report import Figure


def drift_figures(results: Sequence[Any], limit: int) -> list[Figure]:
    """One figure per drifted column with plot data, at most ``limit``, in report order."""
    chosen = [r for r in results if r.drifted and "values" in r.drifted and r.plot][:limit]
    return [_figure(result) for result in chosen]


def _figure(result: Any) -> Figure:
    name = str(result.name) if result.role == "feature" else f"{result.role} {result.name}"
    kind = "values" if "histogram" in result.plot else "categories"
    title = f"{name}: reference vs current {kind}"
    plot = result.plot
    # the width is known before drawing: the histogram's is fixed, the bars' grows per category
    width = _histogram_width() if kind == "values" else _bars_width(len(plot["bars"]["labels"]))
    return Figure(title, mime="image/svg+xml", width=width, draw=lambda: _draw(title, plot))


def _histogram_width() -> int:
    from ..svg_charts import HISTOGRAM_WIDTH
    return HISTOGRAM_WIDTH


def _bars_width(categories: int) -> int:
    from ..svg_charts import grouped_bars
    return grouped_bars("", ["x"] * max(1, categories), []).width


def _draw(title: str, plot: dict[str, Any]) -> bytes:
    from ..svg_charts import Series, grouped_bars, overlaid_histograms

    if "histogram" in plot:
        data = plot["histogram"]
        return overlaid_histograms(title, data["edges"], [
            Series("reference", data["reference"]), Series("current", data["current"])]).svg
    data = plot["bars"]
    return grouped_bars(title, [str(label) for label in data["labels"]], [
        Series("reference", data["reference"]), Series("current", data["current"])],
        y_label="share of rows").svg
