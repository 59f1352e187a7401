"""The two-sample statistics of the drift check, on plain numpy arrays.

Numeric columns: each side is sorted once; the Kolmogorov-Smirnov distance, the Wasserstein
distance (the area between the two empirical CDFs) and the PSI over the reference's deciles are
read off the sorted arrays by ``searchsorted``. The KS p-value is Smirnov's distribution at the
effective sample size (scipy's ``kstwo``, as ``ks_2samp(method="asymp")``), exact
(``ks_2samp(method="exact")``) when n * m is at most 10,000; with ties it is conservative.

Categorical columns: a chi-square test of homogeneity on the 2 x K table of category counts,
after pooling categories too rare for the test (expected count below 5) and beyond the most
frequent ``max_test_categories``; the Jensen-Shannon distance (base 2) and PSI on the full
distributions. Missing values: a two-proportion test (Fisher's exact test when an expected
count is below 5). ``holm`` adjusts every p-value of a report as one family.

scipy is the oracle of the tests (tests/checks/test_drift_stats.py).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PSI_FLOOR = 1e-4          # a share of 0 in PSI's logarithm counts as this
MIN_EXPECTED = 5.0        # chi-square: categories expected less often than this are pooled
EXACT_KS_PRODUCT = 10_000  # n * m at or below which the KS p-value is computed exactly
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class Tested:
    """One test of one column: statistic, p-value, effect, and what the evidence shows."""

    test: str                   # ks | chi2 | fisher | proportions | mann-whitney
    statistic: float
    p_value: float
    effect_name: str
    effect: float
    psi: float | None = None
    facts: dict[str, Any] = field(default_factory=dict)


# -- numeric ------------------------------------------------------------------------------------
def numeric(reference: np.ndarray, current: np.ndarray, psi_bins: int) -> Tested:
    """KS test, Wasserstein distance over the reference's standard deviation, PSI.

    ``reference`` and ``current`` hold the non-missing values of each side (any order).
    """
    ref = np.sort(reference)
    cur = np.sort(current)
    n, m = len(ref), len(cur)
    pooled = np.concatenate([ref, cur])
    pooled.sort()
    cdf_ref = np.searchsorted(ref, pooled, side="right") / n
    cdf_cur = np.searchsorted(cur, pooled, side="right") / m
    gaps = np.abs(cdf_ref - cdf_cur)
    distance = float(gaps.max())
    wasserstein = float(np.sum(gaps[:-1] * np.diff(pooled)))
    scale = _scale(ref, pooled)
    # a zero scale means both sides hold one and the same constant
    effect = wasserstein / scale if scale > 0 else (0.0 if wasserstein == 0 else math.inf)
    return Tested(
        test="ks", statistic=distance, p_value=ks_p_value(distance, n, m, ref, cur),
        effect_name="wasserstein/std", effect=effect,
        psi=_psi(_decile_counts(ref, ref, psi_bins), _decile_counts(ref, cur, psi_bins)),
        facts={"wasserstein": wasserstein, "scale": scale,
               "overlap": bool(cur[0] <= ref[-1] and ref[0] <= cur[-1])},
    )


def _scale(ref: np.ndarray, pooled: np.ndarray) -> float:
    """The reference's standard deviation; the pooled one when the reference is constant."""
    if len(ref) > 1:
        spread = float(np.std(ref, ddof=1))
        if spread > 0:
            return spread
    return float(np.std(pooled, ddof=1)) if len(pooled) > 1 else 0.0


def ks_p_value(distance: float, n: int, m: int, ref: np.ndarray | None = None,
               cur: np.ndarray | None = None) -> float:
    """Two-sided p-value of the two-sample KS distance (exact for small samples)."""
    from scipy import stats

    if n * m <= EXACT_KS_PRODUCT and ref is not None and cur is not None:
        with warnings.catch_warnings():  # scipy falls back to Smirnov's formula and says so
            warnings.simplefilter("ignore", RuntimeWarning)
            return float(stats.ks_2samp(ref, cur, method="exact").pvalue)
    big, small = max(n, m), min(n, m)
    effective = big * small / (big + small)
    return float(min(1.0, max(0.0, stats.kstwo.sf(distance, np.round(effective)))))


def _decile_counts(ref_sorted: np.ndarray, values_sorted: np.ndarray, bins: int) -> np.ndarray:
    """Counts of ``values`` in the bins cut at the reference's quantiles (ties kept whole)."""
    edges = np.unique(np.quantile(ref_sorted, np.linspace(0, 1, bins + 1)[1:-1]))
    cuts = np.searchsorted(values_sorted, edges, side="right")
    return np.diff(np.concatenate([[0], cuts, [len(values_sorted)]]))


def _psi(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    p = np.maximum(ref_counts / max(ref_counts.sum(), 1), PSI_FLOOR)
    q = np.maximum(cur_counts / max(cur_counts.sum(), 1), PSI_FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_summary(values: np.ndarray, missing: int, total: int) -> dict[str, Any]:
    """Rows, missing share, mean, standard deviation, quantiles of one side's values."""
    summary: dict[str, Any] = {"rows": int(total), "missing_share": _share(missing, total)}
    if len(values) == 0:
        return summary
    quantiles = np.quantile(values, QUANTILES)
    summary.update({
        "mean": float(np.mean(values)),
        "std": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
        "min": float(np.min(values)),
        **{f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, quantiles,
                                                               strict=True)},
        "max": float(np.max(values)),
    })
    return summary


def _share(part: int, total: int) -> float:
    return float(part / total) if total else 0.0


# -- categorical ---------------------------------------------------------------------------------
def categorical(ref_counts: np.ndarray, cur_counts: np.ndarray,
                max_test_categories: int) -> Tested:
    """Chi-square homogeneity test, Jensen-Shannon distance and PSI of two count vectors.

    Both vectors count the same categories in the same order (zero where a side lacks one).
    """
    n, m = float(ref_counts.sum()), float(cur_counts.sum())
    table = pooled_table(ref_counts, cur_counts, max_test_categories)
    if table.shape[1] < 2:
        statistic, p_value, dof = 0.0, 1.0, 0
    else:
        statistic, p_value, dof = chi_square(table)
    p = ref_counts / n
    q = cur_counts / m
    return Tested(
        test="chi2", statistic=statistic, p_value=p_value,
        effect_name="jensen-shannon", effect=jensen_shannon(p, q), psi=_psi(ref_counts,
                                                                              cur_counts),
        facts={"dof": dof, "categories_tested": int(table.shape[1])},
    )


def pooled_table(ref_counts: np.ndarray, cur_counts: np.ndarray, max_columns: int
                 ) -> np.ndarray:
    """The 2 x K table the chi-square test may use: frequent categories, the rest pooled.

    Categories are taken most frequent first (over both sides); one is kept as its own column
    while its smaller expected count is at least ``MIN_EXPECTED`` and fewer than
    ``max_columns - 1`` are kept; everything else forms one pooled column (dropped when even
    that is too rare, so every expected count of the table is at least ``MIN_EXPECTED``).
    """
    total = ref_counts + cur_counts
    n, m = ref_counts.sum(), cur_counts.sum()
    smaller = min(n, m) / max(n + m, 1)
    order = np.argsort(-total, kind="stable")
    keep = [i for i in order[: max(1, max_columns - 1)] if total[i] * smaller >= MIN_EXPECTED]
    rest = np.setdiff1d(np.arange(len(total)), keep)
    columns = [np.array([ref_counts[i], cur_counts[i]]) for i in keep]
    pooled = np.array([ref_counts[rest].sum(), cur_counts[rest].sum()])
    if pooled.sum() * smaller >= MIN_EXPECTED:
        columns.append(pooled)
    return np.column_stack(columns).astype(np.float64) if columns else np.zeros((2, 0))


def chi_square(table: np.ndarray) -> tuple[float, float, int]:
    """Pearson's chi-square test of homogeneity of a 2 x K table (no continuity correction)."""
    from scipy import stats

    rows = table.sum(axis=1, keepdims=True)
    cols = table.sum(axis=0, keepdims=True)
    expected = rows * cols / table.sum()
    statistic = float(np.sum((table - expected) ** 2 / expected))
    dof = table.shape[1] - 1
    return statistic, float(stats.chi2.sf(statistic, dof)), dof


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon distance (square root of the divergence), base 2: between 0 and 1."""
    middle = (p + q) / 2
    divergence = 0.5 * _kl(p, middle) + 0.5 * _kl(q, middle)
    return float(math.sqrt(max(divergence, 0.0)))


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    present = p > 0
    return float(np.sum(p[present] * np.log2(p[present] / q[present])))


def categorical_summary(labels: list[str], counts: np.ndarray, missing: int, total: int,
                        top: int = 5) -> dict[str, Any]:
    """Rows, missing share, distinct values and the most frequent categories with shares."""
    seen = int(counts.sum())
    order = [i for i in np.argsort(-counts, kind="stable")[:top] if counts[i] > 0]
    return {"rows": int(total), "missing_share": _share(missing, total),
            "distinct": int(np.count_nonzero(counts)),
            "top": {labels[i]: round(float(counts[i] / seen), 6) for i in order} if seen
            else {}}


# -- missing values ------------------------------------------------------------------------------
def missing_rate(ref_missing: int, ref_total: int, cur_missing: int, cur_total: int) -> Tested:
    """Two-proportion test of the missing shares; Fisher's exact test for small counts."""
    from scipy import stats

    table = np.array([[ref_missing, ref_total - ref_missing],
                      [cur_missing, cur_total - cur_missing]], dtype=np.float64)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    change = cur_missing / cur_total - ref_missing / ref_total
    if (expected < MIN_EXPECTED).any():
        result = stats.fisher_exact(table.astype(np.int64))
        test, statistic, p_value = "fisher", float(result.statistic), float(result.pvalue)
    else:
        statistic, p_value, _ = chi_square(table)
        test = "proportions"
    return Tested(test=test, statistic=statistic, p_value=min(1.0, p_value),
                  effect_name="missing share change", effect=abs(float(change)),
                  facts={"change": float(change)})


# -- the family ---------------------------------------------------------------------------------
def holm(p_values: list[float]) -> list[float]:
    """Holm-adjusted p-values (step-down Bonferroni): reject where adjusted <= alpha."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
