"""How well one column predicts the label: cross-fitted single-feature scores and their nulls.

Every feature is cut into bins (numeric: quantiles; categories: the most frequent ones, the rest
pooled; missing: its own bin). Per-bin label rates (smoothed towards the overall rate) are fitted
on one random half of the sample and scored on the other, and the other way round, so a
high-cardinality column cannot score by memorising: the statistic is an honest out-of-sample AUC
(classification; multiclass: one-vs-rest, prevalence-weighted) or R2 (regression). All of it is
``np.bincount`` over the sample, so a permutation test (the label shuffled ``permutations``
times) costs milliseconds per feature; it runs only for columns whose score passes the
threshold, to reject strong-looking scores that are chance on small samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._hashing import column_kind
from ._roles import as_int_rank

MAX_CLASSES = 20
SMOOTHING = 5.0  # pseudo-rows pulling a bin's label rate towards the overall rate


@dataclass
class Label:
    """The label of a sample: ``binary``/``multiclass`` class codes, or ``regression`` values."""

    task: str
    values: np.ndarray          # class codes (int) or floats
    classes: list[str]

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def encode_label(series: Any) -> tuple[Label | None, str]:
    """The label's task and values (rows with a missing label must be dropped before)."""
    import pandas as pd

    kind = column_kind(series)
    if kind in ("int", "float"):
        values = np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))
        distinct = np.unique(values)
        if len(distinct) <= MAX_CLASSES and np.all(distinct == np.round(distinct)):
            codes = np.searchsorted(distinct, values)
            labels = [str(int(v)) for v in distinct]
            return _classes(codes, labels)
        return Label("regression", values, []), ""
    codes, uniques = pd.factorize(series.astype(str), sort=True)
    if len(uniques) > MAX_CLASSES:
        return None, f"the target has {len(uniques)} classes (more than {MAX_CLASSES})"
    return _classes(np.asarray(codes), [str(u) for u in uniques])


def _classes(codes: np.ndarray, labels: list[str]) -> tuple[Label | None, str]:
    if len(labels) < 2:
        return None, "the target has a single class"
    task = "binary" if len(labels) == 2 else "multiclass"
    return Label(task, codes.astype(np.int64), labels), ""


def bin_codes(series: Any, bins: int, max_categories: int, ordinal: bool = False
              ) -> tuple[np.ndarray, int]:
    """Bin index per row (missing: the last bin) and the number of bins."""
    import pandas as pd

    kind = column_kind(series)
    if ordinal or kind in ("int", "float", "datetime"):
        values = as_int_rank(series)
        missing = np.isnan(values)
        present = values[~missing]
        distinct = np.unique(present)
        if len(distinct) <= bins:
            codes = np.searchsorted(distinct, np.where(missing, 0.0, values))
            n_bins = len(distinct)
        else:
            # a value at an edge gets a bin of its own: a point mass (zeros of a mostly-zero
            # column) is never pooled with the small values next to it
            edges = np.unique(np.quantile(present, np.linspace(0, 1, bins + 1)[1:-1]))
            filled = np.where(missing, edges[0], values)
            below = np.searchsorted(edges, filled, side="left")
            at_edge = edges[np.minimum(below, len(edges) - 1)] == filled
            codes = 2 * below + at_edge
            n_bins = 2 * len(edges) + 1
        codes = np.where(missing, n_bins, codes)
        return codes.astype(np.int64), n_bins + 1
    raw, _ = pd.factorize(series.astype(str).where(series.notna()), use_na_sentinel=True)
    raw = np.asarray(raw)
    counts = np.bincount(raw[raw >= 0]) if (raw >= 0).any() else np.zeros(0, dtype=np.int64)
    keep = np.argsort(-counts, kind="stable")[:max_categories]
    keep = keep[counts[keep] >= 2]
    lookup = np.full(len(counts) + 1, len(keep), dtype=np.int64)  # pooled "other"
    lookup[keep] = np.arange(len(keep))
    codes = np.where(raw >= 0, lookup[np.maximum(raw, 0)], len(keep) + 1)
    return codes.astype(np.int64), len(keep) + 2


def _auc_binary(codes: np.ndarray, n_bins: int, positive: np.ndarray, folds: np.ndarray
                ) -> float:
    """Cross-fitted AUC of per-bin positive rates (two folds, weighted by their size)."""
    total, weight = 0.0, 0
    for k in (0, 1):
        fit, held = folds != k, folds == k
        fit_n = np.bincount(codes[fit], minlength=n_bins)
        fit_pos = np.bincount(codes[fit], weights=positive[fit], minlength=n_bins)
        prior = fit_pos.sum() / max(fit_n.sum(), 1)
        rate = (fit_pos + SMOOTHING * prior) / (fit_n + SMOOTHING)
        held_pos = np.bincount(codes[held], weights=positive[held], minlength=n_bins)
        held_neg = np.bincount(codes[held], minlength=n_bins) - held_pos
        n_pos, n_neg = held_pos.sum(), held_neg.sum()
        if n_pos == 0 or n_neg == 0:
            continue
        levels, level_of_bin = np.unique(rate, return_inverse=True)
        pos = np.bincount(level_of_bin, weights=held_pos, minlength=len(levels))
        neg = np.bincount(level_of_bin, weights=held_neg, minlength=len(levels))
        below = np.cumsum(neg) - neg
        auc = float((pos * (below + 0.5 * neg)).sum() / (n_pos * n_neg))
        size = int(held.sum())
        total += auc * size
        weight += size
    return total / weight if weight else float("nan")


def _r2(codes: np.ndarray, n_bins: int, values: np.ndarray, folds: np.ndarray) -> float:
    """Cross-fitted R2 of per-bin means (two folds, weighted by their size)."""
    total, weight = 0.0, 0
    for k in (0, 1):
        fit, held = folds != k, folds == k
        fit_n = np.bincount(codes[fit], minlength=n_bins)
        fit_sum = np.bincount(codes[fit], weights=values[fit], minlength=n_bins)
        prior = fit_sum.sum() / max(fit_n.sum(), 1)
        mean = (fit_sum + SMOOTHING * prior) / (fit_n + SMOOTHING)
        held_values = values[held]
        if len(held_values) < 2:
            continue
        sst = float(((held_values - held_values.mean()) ** 2).sum())
        if sst == 0:
            continue
        sse = float(((held_values - mean[codes[held]]) ** 2).sum())
        size = len(held_values)
        total += (1.0 - sse / sst) * size
        weight += size
    return total / weight if weight else float("nan")


def predictive_score(codes: np.ndarray, n_bins: int, label: Label, folds: np.ndarray,
                     values: np.ndarray | None = None) -> float:
    """AUC (binary; multiclass one-vs-rest weighted by prevalence) or R2 of one binned column.

    ``values`` replaces ``label.values`` (a permuted label) without rebuilding the label.
    """
    target = label.values if values is None else values
    if label.task == "regression":
        return _r2(codes, n_bins, target, folds)
    if label.task == "binary":
        return _auc_binary(codes, n_bins, (target == 1).astype(np.float64), folds)
    total, weight = 0.0, 0
    for cls in range(label.n_classes):
        positive = (target == cls).astype(np.float64)
        count = int(positive.sum())
        auc = _auc_binary(codes, n_bins, positive, folds)
        if np.isnan(auc):
            continue
        total += auc * count
        weight += count
    return total / weight if weight else float("nan")


def missing_association(missing: np.ndarray, label: Label, values: np.ndarray | None = None
                        ) -> float:
    """Cramer's V of (missing, class), or |r| of (missing, value) for a numeric label."""
    target = label.values if values is None else values
    indicator = missing.astype(np.float64)
    n = len(indicator)
    rate = indicator.mean()
    if n == 0 or rate in (0.0, 1.0):
        return 0.0
    if label.task == "regression":
        spread = target.std()
        if spread == 0:
            return 0.0
        return float(abs(np.corrcoef(indicator, target)[0, 1]))
    class_n = np.bincount(target, minlength=label.n_classes).astype(np.float64)
    class_missing = np.bincount(target, weights=indicator, minlength=label.n_classes)
    observed = np.stack([class_missing, class_n - class_missing])
    expected = np.stack([class_n * rate, class_n * (1 - rate)])
    valid = expected > 0
    chi2 = float((((observed - expected) ** 2)[valid] / expected[valid]).sum())
    return float(np.sqrt(chi2 / n))


@dataclass
class Tested:
    """An observed statistic, its permutation p-value and the 99th percentile of its null."""

    score: float
    p_value: float
    null_p99: float


def permutation_test(observed: float, statistic: Any, label: Label, permutations: int,
                     rng: np.random.Generator) -> Tested:
    """p = (1 + #null >= observed) / (1 + permutations), the label shuffled each time."""
    null = np.empty(permutations)
    for i in range(permutations):
        null[i] = statistic(rng.permutation(label.values))
    null = np.nan_to_num(null, nan=-np.inf)
    p_value = (1 + int(np.count_nonzero(null >= observed))) / (1 + permutations)
    p99 = float(np.quantile(null, 0.99)) if permutations else float("nan")
    return Tested(observed, p_value, p99)
