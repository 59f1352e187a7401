"""Small bar charts written directly as SVG: no plotting library, microseconds to draw.

The bias and explain checks show simple bar charts (rates per group with confidence intervals,
importance per feature). Drawing them with matplotlib cost more than the bias check itself (its
import alone is ~0.4 s of CPU, then layout and rasterising); writing the few dozen shapes as SVG
text costs well under a millisecond, stays crisp at any zoom and weighs a few kilobytes.

The charts are drawn on a light card (white background, dark ink), which reads on any page; the
report's HTML inverts the card under a dark theme where CSS is allowed (see display/html.py).
Every label comes from the data (group names, feature names): it is escaped, and long labels are
shortened. Coordinates are rounded, so the same data gives byte-identical SVG.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
INK = "#333333"
MUTED_INK = "#666666"
GRID = "#dddddd"
CARD = "#ffffff"
# colour-blind safe (Paul Tol's "bright" scheme)
PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb")
MAX_LABEL = 18
MIN_PLOT_WIDTH = 300.0


@dataclass(frozen=True)
class Chart:
    """An SVG document and its size in CSS pixels."""

    svg: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Series:
    """One coloured series of a bar chart: a value per category and an optional interval."""

    name: str
    values: Sequence[float]
    low: Sequence[float] | None = None
    high: Sequence[float] | None = None


def _num(value: float) -> str:
    """A coordinate with one decimal and no ``-0``: the SVG text must be deterministic."""
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _label(text: str, limit: int = MAX_LABEL) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(shown, quote=True)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``value`` (axis maximum)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-12:
            return step * power
    return 10 * power


def _document(width: float, height: float, title: str, body: list[str]) -> Chart:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" '
            f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" role="img" '
            f'aria-label="{html.escape(title, quote=True)}" font-family="{html.escape(FONT)}" '
            f'font-size="11" fill="{INK}">'
            f"<title>{html.escape(title)}</title>"
            f'<rect width="100%" height="100%" rx="6" fill="{CARD}"/>')
    return Chart((head + "".join(body) + "</svg>").encode("utf-8"), math.ceil(width),
                 math.ceil(height))


def grouped_bars(title: str, categories: Sequence[str], series: Sequence[Series], *,
                 y_label: str = "", subtitles: Sequence[str] | None = None,
                 y_max: float | None = None) -> Chart:
    """Vertical bars per category, one colour per series, with interval whiskers.

    Parameters
    ----------
    title : str
        Drawn at the top and used as the accessible name.
    categories : sequence of str
        One group of bars each (e.g. the groups of a sensitive feature).
    series : sequence of Series
        The bars of each category, in legend order.
    y_label : str
        Label of the value axis.
    subtitles : sequence of str, optional
        A second line under each category label (e.g. ``n=120``).
    y_max : float, optional
        Top of the axis; default: a round number above the largest value or interval end.
    """
    n_cats, n_series = len(categories), max(1, len(series))
    bar = 14.0 if n_series > 2 else 18.0
    slot = max(56.0, bar * n_series + 20)
    left, right, top, bottom = 46.0, 14.0, 40.0, 44.0
    plot_w = max(slot * max(1, n_cats), MIN_PLOT_WIDTH)
    slot = plot_w / max(1, n_cats)
    width, height = left + plot_w + right, top + 170.0 + bottom
    plot_h = height - top - bottom
    ends = [float(v) for s in series for v in (*s.values, *(s.high or ()), *(s.low or ()))
            if _finite(v) is not None]
    top_value = y_max if y_max is not None else _nice_ceiling(max(ends, default=1.0))
    low_value = -_nice_ceiling(-min(ends)) if ends and min(ends) < 0 else 0.0
    scale = plot_h / (top_value - low_value)

    def y(value: float) -> float:
        return top + plot_h - (max(low_value, min(value, top_value)) - low_value) * scale

    body = [f'<text x="{_num(left)}" y="16" font-size="12" font-weight="600">'
            f"{html.escape(title)}</text>"]
    # legend on the second line
    x = left
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        body.append(f'<rect x="{_num(x)}" y="24" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{_num(x + 14)}" y="33">{_label(item.name, 24)}</text>')
        x += 22 + 6.5 * min(len(item.name), 24)
    for tick in range(5):
        value = low_value + (top_value - low_value) * tick / 4
        ty = y(value)
        body.append(f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(ty)}" '
                    f'y2="{_num(ty)}" stroke="{GRID}"/>'
                    f'<text x="{_num(left - 5)}" y="{_num(ty + 4)}" text-anchor="end" '
                    f'fill="{MUTED_INK}">{value:.2g}</text>')
    if y_label:
        body.append(f'<text transform="translate(11 {_num(top + plot_h / 2)}) rotate(-90)" '
                    f'text-anchor="middle" fill="{MUTED_INK}">{html.escape(y_label)}</text>')
    for c, category in enumerate(categories):
        centre = left + slot * c + slot / 2
        first = centre - bar * n_series / 2
        for index, item in enumerate(series):
            finite = _finite(item.values[c]) if c < len(item.values) else None
            if finite is None:
                continue
            value = finite
            colour = PALETTE[index % len(PALETTE)]
            x0 = first + bar * index
            body.append(f'<rect x="{_num(x0 + 1)}" y="{_num(min(y(value), y(0)))}" '
                        f'width="{_num(bar - 2)}" height="{_num(abs(y(0) - y(value)))}" '
                        f'fill="{colour}"/>')
            low = _finite(item.low[c]) if item.low is not None else None
            high = _finite(item.high[c]) if item.high is not None else None
            if low is not None and high is not None and high > low:
                mid = x0 + bar / 2
                body.append(f'<path d="M{_num(mid)} {_num(y(low))}V{_num(y(high))}'
                            f'M{_num(mid - 3)} {_num(y(low))}H{_num(mid + 3)}'
                            f'M{_num(mid - 3)} {_num(y(high))}H{_num(mid + 3)}" '
                            f'stroke="{INK}" fill="none"/>')
        body.append(f'<text x="{_num(centre)}" y="{_num(top + plot_h + 15)}" '
                    f'text-anchor="middle">{_label(category)}</text>')
        if subtitles is not None and c < len(subtitles):
            body.append(f'<text x="{_num(centre)}" y="{_num(top + plot_h + 29)}" '
                        f'text-anchor="middle" fill="{MUTED_INK}">'
                        f"{_label(subtitles[c])}</text>")
    body.append(f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y(0))}" '
                f'y2="{_num(y(0))}" stroke="{INK}"/>')
    return _document(width, height, title, body)


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[float], *,
                    errors: Sequence[float] | None = None, x_label: str = "") -> Chart:
    """One bar per label, longest first as given, with optional +-error whiskers."""
    row = 20.0
    left, right, top, bottom = 150.0, 24.0, 30.0, 36.0
    plot_w = 380.0
    width = left + plot_w + right
    height = top + row * max(1, len(labels)) + bottom
    spreads = [_finite(e) or 0.0 for e in errors] if errors is not None else [0.0] * len(values)
    ends = [(_finite(v) or 0.0) + spread for v, spread in zip(values, spreads, strict=True)]
    top_value = _nice_ceiling(max(ends, default=1.0))
    scale = plot_w / top_value

    body = [f'<text x="8" y="18" font-size="12" font-weight="600">{html.escape(title)}</text>']
    for tick in range(5):
        value = top_value * tick / 4
        tx = left + value * scale
        body.append(f'<line x1="{_num(tx)}" x2="{_num(tx)}" y1="{_num(top)}" '
                    f'y2="{_num(height - bottom)}" stroke="{GRID}"/>'
                    f'<text x="{_num(tx)}" y="{_num(height - bottom + 13)}" '
                    f'text-anchor="middle" fill="{MUTED_INK}">{value:.3g}</text>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y0 = top + row * index
        shown = _finite(value) or 0.0
        body.append(f'<text x="{_num(left - 6)}" y="{_num(y0 + 14)}" text-anchor="end">'
                    f"{_label(label, 24)}</text>"
                    f'<rect x="{_num(left)}" y="{_num(y0 + 4)}" width="{_num(shown * scale)}" '
                    f'height="{_num(row - 8)}" fill="{PALETTE[0]}"/>')
        error = _finite(errors[index]) if errors is not None else None
        if error:
            x1, x2 = left + max(0.0, shown - error) * scale, left + (shown + error) * scale
            mid = y0 + row / 2
            body.append(f'<path d="M{_num(x1)} {_num(mid)}H{_num(x2)}" stroke="{INK}" '
                        'fill="none"/>')
    if x_label:
        body.append(f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 6)}" '
                    f'text-anchor="middle" fill="{MUTED_INK}">{html.escape(x_label)}</text>')
    return _document(width, height, title, body)


# left, top, bottom margins and the plot's size; the right margin leaves room for half of the
# last tick label, which is centred on the plot's right edge
HISTOGRAM_MARGINS = (52.0, 40.0, 34.0)
HISTOGRAM_PLOT = (400.0, 160.0)
HISTOGRAM_WIDTH = int(HISTOGRAM_MARGINS[0] + HISTOGRAM_PLOT[0] + 34.0)


def overlaid_histograms(title: str, edges: Sequence[float], series: Sequence[Series], *,
                        y_label: str = "share of rows") -> Chart:
    """Step histograms on common bins, drawn over each other with translucent fills.

    Used where two samples of one column are compared (drift: reference vs current): bars side
    by side would halve the resolution, overlaid steps show where the mass moved.
    """
    left, top, bottom = HISTOGRAM_MARGINS
    plot_w, plot_h = HISTOGRAM_PLOT
    width, height = HISTOGRAM_WIDTH, top + plot_h + bottom
    finite_edges = [float(e) for e in edges if _finite(e) is not None]
    low_x, high_x = (finite_edges[0], finite_edges[-1]) if len(finite_edges) > 1 else (0.0, 1.0)
    span_x = (high_x - low_x) or 1.0
    peak = max((_finite(v) or 0.0 for s in series for v in s.values), default=0.0)
    top_value = _nice_ceiling(peak)

    def x(value: float) -> float:
        return left + (value - low_x) / span_x * plot_w

    def y(value: float) -> float:
        return top + plot_h - max(0.0, min(value, top_value)) / top_value * plot_h

    body = [f'<text x="{_num(left)}" y="16" font-size="12" font-weight="600">'
            f"{html.escape(title)}</text>"]
    legend_x = left
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        body.append(f'<rect x="{_num(legend_x)}" y="24" width="10" height="10" '
                    f'fill="{colour}"/><text x="{_num(legend_x + 14)}" y="33">'
                    f"{_label(item.name, 24)}</text>")
        legend_x += 22 + 6.5 * min(len(item.name), 24)
    for tick in range(5):
        value = top_value * tick / 4
        body.append(f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y(value))}" '
                    f'y2="{_num(y(value))}" stroke="{GRID}"/>'
                    f'<text x="{_num(left - 5)}" y="{_num(y(value) + 4)}" text-anchor="end" '
                    f'fill="{MUTED_INK}">{value:.2g}</text>')
    for tick in range(5):
        value = low_x + span_x * tick / 4
        body.append(f'<text x="{_num(x(value))}" y="{_num(top + plot_h + 15)}" '
                    f'text-anchor="middle" fill="{MUTED_INK}">{value:.4g}</text>')
    if y_label:
        body.append(f'<text transform="translate(11 {_num(top + plot_h / 2)}) rotate(-90)" '
                    f'text-anchor="middle" fill="{MUTED_INK}">{html.escape(y_label)}</text>')
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        path = [f"M{_num(x(low_x))} {_num(y(0))}"]
        for b, value in enumerate(item.values[: max(0, len(finite_edges) - 1)]):
            level = y(_finite(value) or 0.0)
            path.append(f"V{_num(level)}H{_num(x(finite_edges[b + 1]))}")
        path.append(f"V{_num(y(0))}Z")
        body.append(f'<path d="{"".join(path)}" fill="{colour}" fill-opacity="0.4" '
                    f'stroke="{colour}" stroke-width="1.5"/>')
    body.append(f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y(0))}" '
                f'y2="{_num(y(0))}" stroke="{INK}"/>')
    return _document(width, height, title, body)
