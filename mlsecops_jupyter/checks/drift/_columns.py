"""One column's comparison: its kind, its tests (values and missing share), summaries, plot data.

A numeric column with at most ``max_categories`` distinct values over both samples is compared
as categories (a chi-square test has the power a KS test loses to ties); a text column whose
sampled reference values are nearly all distinct is an identifier and is not compared (every
value would be "new"). Missing-value shares are counted on every row; values on the samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._inputs import CATEGORICAL, DATETIME, as_numbers, as_text, take
from ._stats import (
    Tested,
    categorical,
    categorical_summary,
    missing_rate,
    numeric,
    numeric_summary,
)

DISCRETE = "discrete"
HISTOGRAM_BINS = 30
PLOT_RANGE = (0.005, 0.995)   # the histogram spans these pooled quantiles
MAX_LISTED = 5                # new / vanished categories listed per column
MAX_PLOTTED_CATEGORIES = 12


@dataclass
class ColumnResult:
    """Everything measured for one column (a feature, the label or the prediction)."""

    name: Any
    role: str                                   # feature | label | prediction
    kind: str                                   # numeric | discrete | categorical | datetime
    sample_rows: dict[str, int]
    values: Tested | None = None                # the distribution test
    missing: Tested | None = None               # the missing-share test, when any is missing
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)  # new / vanished, with counts
    plot: dict[str, Any] = field(default_factory=dict)
    not_tested: str = ""                        # why the values were not compared
    identifier: bool = False                    # nearly every value distinct: not compared
    # filled in by the family decision
    adjusted: dict[str, float] = field(default_factory=dict)
    drifted: list[str] = field(default_factory=list)

    @property
    def tests(self) -> list[tuple[str, Tested]]:
        found = [("values", self.values), ("missing", self.missing)]
        return [(aspect, tested) for aspect, tested in found if tested is not None]


def measure(name: Any, role: str, kind: str, reference: Any, current: Any,
            positions: tuple[np.ndarray | None, np.ndarray | None], config: Any,
            totals: tuple[int, int, int, int] | None = None) -> ColumnResult:
    """Compare one column of the two sides (full Series; ``positions`` pick the samples).

    ``totals`` (missing and rows of each side) come from the whole data when the Series hold
    only the sample (the dask engine); by default they are counted on the Series.
    """
    if totals is None:
        totals = (int(reference.isna().sum()), len(reference), int(current.isna().sum()),
                  len(current))
    ref_missing, ref_rows, cur_missing, cur_rows = totals
    ref_sample, cur_sample = take(reference, positions[0]), take(current, positions[1])
    result = ColumnResult(name, role, kind, {"reference": len(ref_sample),
                                             "current": len(cur_sample)})
    if ref_missing or cur_missing:
        result.missing = missing_rate(ref_missing, ref_rows, cur_missing, cur_rows)
    if kind == CATEGORICAL:
        _categorical(result, as_text(ref_sample), as_text(cur_sample), totals, config)
    else:
        _numeric(result, as_numbers(ref_sample), as_numbers(cur_sample), totals, config)
    return result


def _numeric(result: ColumnResult, ref: np.ndarray, cur: np.ndarray,
             totals: tuple[int, int, int, int], config: Any) -> None:
    infinite = (int(np.count_nonzero(np.isinf(ref))), int(np.count_nonzero(np.isinf(cur))))
    ref = np.sort(ref[np.isfinite(ref)])
    cur = np.sort(cur[np.isfinite(cur)])
    ref_missing, ref_total, cur_missing, cur_total = totals
    result.summaries = {"reference": numeric_summary(ref, ref_missing, ref_total),
                        "current": numeric_summary(cur, cur_missing, cur_total)}
    for side, count in zip(("reference", "current"), infinite, strict=True):
        if count:  # +-inf has no place on a distance scale: counted, left out of the tests
            result.summaries[side]["infinite_in_sample"] = count
    if _too_few(result, len(ref), len(cur)):
        return
    if _distinct(ref) <= config.max_categories and _distinct(cur) <= config.max_categories:
        levels = np.unique(np.concatenate([ref, cur]))
        if len(levels) <= config.max_categories:
            ref_counts = _level_counts(levels, ref)
            cur_counts = _level_counts(levels, cur)
            labels = [_level_label(v) for v in levels]
            result.kind = DISCRETE if result.kind != DATETIME else DATETIME
            result.values = categorical(ref_counts, cur_counts, config.max_test_categories)
            for side, counts in (("reference", ref_counts), ("current", cur_counts)):
                shares = categorical_summary(labels, counts, 0, 1)
                result.summaries[side].update(distinct=shares["distinct"], top=shares["top"])
            _category_changes(result, labels, ref_counts, cur_counts)
            result.plot = {"bars": _bars(labels, ref_counts, cur_counts, ordered=True)}
            return
    result.values = numeric(ref, cur, config.psi_bins)
    result.plot = {"histogram": _histogram(ref, cur)}


def _too_few(result: ColumnResult, ref_values: int, cur_values: int) -> bool:
    """Say why values cannot be compared when a side has fewer than two of them."""
    if ref_values >= 2 and cur_values >= 2:
        return False
    if ref_values < 2 and cur_values < 2:
        result.not_tested = "no values to compare on either side"
    else:
        side = "reference" if ref_values < 2 else "current"
        result.not_tested = f"fewer than 2 values in the {side} sample"
    return True


def _distinct(values_sorted: np.ndarray) -> int:
    return 1 + int(np.count_nonzero(np.diff(values_sorted))) if len(values_sorted) else 0


def _level_counts(levels: np.ndarray, values_sorted: np.ndarray) -> np.ndarray:
    left = np.searchsorted(values_sorted, levels, side="left")
    right = np.searchsorted(values_sorted, levels, side="right")
    return right - left


def _level_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _categorical(result: ColumnResult, ref: np.ndarray, cur: np.ndarray,
                 totals: tuple[int, int, int, int], config: Any) -> None:
    import pandas as pd

    ref_missing, ref_total, cur_missing, cur_total = totals
    ref = ref[pd.notna(ref)]
    cur = cur[pd.notna(cur)]
    codes, uniques = pd.factorize(np.concatenate([ref, cur]), sort=True)
    labels = [str(u) for u in uniques]
    ref_counts = np.bincount(codes[: len(ref)], minlength=len(labels))
    cur_counts = np.bincount(codes[len(ref):], minlength=len(labels))
    result.summaries = {
        "reference": categorical_summary(labels, ref_counts, ref_missing, ref_total),
        "current": categorical_summary(labels, cur_counts, cur_missing, cur_total)}
    if _too_few(result, len(ref), len(cur)):
        return
    distinct = int(np.count_nonzero(ref_counts))
    if distinct > config.max_test_categories and distinct >= config.id_unique_ratio * len(ref):
        result.not_tested = (f"an identifier: {distinct} of {len(ref)} sampled reference values "
                             "are distinct, so every current value would be new")
        result.identifier = True
        return
    result.values = categorical(ref_counts, cur_counts, config.max_test_categories)
    _category_changes(result, labels, ref_counts, cur_counts)
    result.plot = {"bars": _bars(labels, ref_counts, cur_counts, ordered=False)}


def _category_changes(result: ColumnResult, labels: list[str], ref_counts: np.ndarray,
                      cur_counts: np.ndarray) -> None:
    """New categories (current only) and vanished ones (reference only), largest share first."""
    for key, mine, other in (("new", cur_counts, ref_counts),
                             ("vanished", ref_counts, cur_counts)):
        only = np.flatnonzero((mine > 0) & (other == 0))
        if not len(only):
            continue
        total = mine.sum()
        order = only[np.argsort(-mine[only], kind="stable")]
        result.categories[key] = {labels[i]: round(float(mine[i] / total), 6)
                                  for i in order[:MAX_LISTED]}
        result.categories[f"{key}_count"] = int(len(only))


def _histogram(ref: np.ndarray, cur: np.ndarray) -> dict[str, Any]:
    """Shares of each side in common bins over the pooled central range (plot data)."""
    pooled = np.concatenate([ref, cur])
    low, high = np.quantile(pooled, PLOT_RANGE)
    if not high > low:
        low, high = float(pooled.min()), float(pooled.max()) or 1.0
    edges = np.linspace(low, high, HISTOGRAM_BINS + 1)
    shares = []
    for values in (ref, cur):
        cuts = np.searchsorted(values, edges, side="left")
        shares.append((np.diff(cuts) / len(values)).tolist())
    return {"edges": edges.tolist(), "reference": shares[0], "current": shares[1]}


def _bars(labels: list[str], ref_counts: np.ndarray, cur_counts: np.ndarray,
          ordered: bool) -> dict[str, Any]:
    """Shares of the most frequent categories on each side (plot data)."""
    ref_share = ref_counts / max(ref_counts.sum(), 1)
    cur_share = cur_counts / max(cur_counts.sum(), 1)
    order = np.argsort(-(ref_share + cur_share), kind="stable")[:MAX_PLOTTED_CATEGORIES]
    if ordered:
        order = np.sort(order)
    return {"labels": [labels[i] for i in order],
            "reference": [float(ref_share[i]) for i in order],
            "current": [float(cur_share[i]) for i in order]}
