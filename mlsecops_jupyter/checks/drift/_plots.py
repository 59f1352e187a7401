"""Reference-vs-current distributions of the drifted columns, drawn as report figures.

All drawing of the drift check lives here, on plain plot data the column comparison prepared
(histogram shares on common bins, or category shares), so changing how figures are made (PNG
to SVG, another library) touches this module only. A bare matplotlib ``Figure`` renders with
Agg and leaves the notebook's pyplot backend alone, as the bias check's figures do.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ...core.report import Figure

REFERENCE_COLOR = "#4c72b0"
CURRENT_COLOR = "#dd8452"


def drift_figures(results: Sequence[Any], limit: int) -> list[Figure]:
    """One figure per drifted column with plot data, at most ``limit``, in report order."""
    try:
        from matplotlib.figure import Figure as PlotFigure
    except ImportError:  # figures are an extra: the report stands without them
        return []
    chosen = [r for r in results if r.drifted and "values" in r.drifted and r.plot][:limit]
    return [_draw(PlotFigure, result) for result in chosen]


def _draw(plot_figure: Any, result: Any) -> Figure:
    figure = plot_figure(figsize=(5.0, 2.8), dpi=90)
    axes = figure.add_subplot()
    name = str(result.name) if result.role == "feature" else f"{result.role} {result.name}"
    if "histogram" in result.plot:
        data = result.plot["histogram"]
        edges = data["edges"]
        for side, color in (("reference", REFERENCE_COLOR), ("current", CURRENT_COLOR)):
            axes.stairs(data[side], edges, label=side, color=color, fill=True, alpha=0.45)
        axes.set_ylabel("share of rows", fontsize=8)
        kind = "values"
    else:
        data = result.plot["bars"]
        positions = range(len(data["labels"]))
        width = 0.4
        axes.bar([p - width / 2 for p in positions], data["reference"], width,
                 label="reference", color=REFERENCE_COLOR)
        axes.bar([p + width / 2 for p in positions], data["current"], width,
                 label="current", color=CURRENT_COLOR)
        axes.set_xticks(list(positions))
        axes.set_xticklabels([_short(label) for label in data["labels"]], fontsize=7,
                             rotation=30, ha="right")
        axes.set_ylabel("share of rows", fontsize=8)
        kind = "categories"
    axes.set_title(f"{name}: reference vs current {kind}", fontsize=9)
    axes.tick_params(labelsize=7)
    axes.legend(fontsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return Figure(f"{name}: reference vs current {kind}", buffer.getvalue())


def _short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
