"""Figures: SVG bar charts written without a plotting library, lazy shap figures, ``Figure``."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from mlsecops_jupyter.checks.svg_charts import Series, grouped_bars, horizontal_bars
from mlsecops_jupyter.core.report import Figure

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def _bars() -> bytes:
    return grouped_bars("rates <by> group", ["F", "M & <x>", "a-very-long-group-name-indeed"],
                        [Series("selection", [0.2, 0.5, float("nan")], [0.1, 0.4, 0.0],
                                [0.3, 0.6, 0.0]),
                         Series("TPR", [0.7, 0.8, 0.9])],
                        subtitles=["n=10", "n=20", "n=30"], y_max=1.0).svg


def test_svg_is_well_formed_escaped_and_deterministic() -> None:
    svg = _bars()
    assert svg == _bars()
    tree = ElementTree.fromstring(svg)  # escaping: a hostile label cannot break the document
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert "M & <x>" in texts and "a-very-long-group…" in texts
    assert tree.find(f"{SVG}title").text == "rates <by> group"
    assert b"<script" not in svg and b"nan" not in svg.lower()
    bars = [r for r in tree.iter(f"{SVG}rect") if r.get("fill") not in ("#ffffff",)]
    assert len(bars) == 2 + 5  # legend swatches + one bar per finite value


def test_negative_values_draw_below_the_zero_line() -> None:
    chart = grouped_bars("errors", ["a", "b"], [Series("mean error", [-0.4, 0.2])])
    tree = ElementTree.fromstring(chart.svg)
    heights = [float(r.get("height")) for r in tree.iter(f"{SVG}rect")
               if r.get("fill") == "#4477aa" and float(r.get("height")) != 10]
    assert len(heights) == 2 and heights[0] > heights[1] > 0


def test_horizontal_bars_have_one_bar_per_label() -> None:
    chart = horizontal_bars("importance", ["income", "age"], [0.5, 0.1], errors=[0.05, 0.01])
    tree = ElementTree.fromstring(chart.svg)
    assert sum(1 for r in tree.iter(f"{SVG}rect") if r.get("fill") == "#4477aa") == 2
    assert chart.width == 554 and chart.height > 60


def test_a_figure_needs_exactly_one_source_and_draws_once() -> None:
    with pytest.raises(ValueError):
        Figure("x")
    with pytest.raises(ValueError):
        Figure("x", b"png", draw=lambda: b"png")
    with pytest.raises(ValueError):
        Figure("x", b"gif", mime="image/gif")
    calls = []
    lazy = Figure("x", mime="image/svg+xml", draw=lambda: calls.append(1) or b"<svg/>")
    assert "not drawn" in repr(lazy)
    assert lazy.data == b"<svg/>" and lazy.data == b"<svg/>" and calls == [1]
    assert lazy == Figure("x", b"<svg/>", mime="image/svg+xml")
    assert Figure("t", b"\x89PNG").mime == "image/png"  # the old positional form still works


def test_the_bias_check_draws_its_figures_without_matplotlib() -> None:
    """Figures on (the default) must not pull in a plotting library: that was their cost."""
    code = ("import sys, numpy as np\n"
            "from mlsecops_jupyter.checks.fairness import check_bias\n"
            "rng = np.random.default_rng(0)\n"
            "r = check_bias(rng.integers(0, 2, 500), rng.integers(0, 2, 500),\n"
            "               rng.choice(['a', 'b'], 500))\n"
            "assert r.figures and r.figures[0].mime == 'image/svg+xml'\n"
            "print('matplotlib' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
