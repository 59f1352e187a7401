"""Bootstrap confidence intervals from group counts, not from re-running metrics on rows.

Resampling the rows of a group with replacement is the same, in distribution, as drawing its
confusion-matrix cells from a multinomial with the group's size and observed cell proportions.
So one vectorised ``Generator.multinomial`` call gives every replicate of every group at once,
and each replicate's rates and gaps are arithmetic on counts. With sample weights the cell
proportions are the weighted ones and the number of draws the group's row count, an approximation
(weights are treated as fixed per cell) that the report states.
"""

from __future__ import annotations

import numpy as np

from ._counts import one_vs_rest, rates

# bound on groups x replicates x cells held in memory at once (about 400 MB of int64)
MAX_DRAWN_CELLS = 50_000_000


def replicate_count(requested: int, n_groups: int, n_cells: int) -> int:
    """The number of replicates that fits the memory bound (never below 100 unless asked)."""
    fits = MAX_DRAWN_CELLS // max(1, n_groups * n_cells)
    return max(min(requested, fits), min(requested, 100))


def bootstrap_rates(weighted: np.ndarray, sizes: np.ndarray, replicates: int,
                    seed: int) -> dict[str, np.ndarray]:
    """Rates per replicate: ``{metric: (groups, replicates, classes)}``.

    ``weighted`` is ``(groups, K, K)`` confusion counts (weighted or not), ``sizes`` the row count
    of each group.
    """
    n_groups, n_classes, _ = weighted.shape
    flat = weighted.reshape(n_groups, -1).astype(float)
    totals = flat.sum(axis=1, keepdims=True)
    proportions = np.divide(flat, np.where(totals == 0, 1.0, totals))
    proportions[totals[:, 0] == 0, 0] = 1.0  # an empty group draws nothing anyway
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(sizes.astype(np.int64)[:, None], proportions[:, None, :],
                            size=(n_groups, replicates))
    matrices = draws.reshape(n_groups, replicates, n_classes, n_classes)
    return rates(one_vs_rest(matrices))


def interval(samples: np.ndarray, confidence: float, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along ``axis`` (NaN replicates, e.g. 0/0 ratios, ignored)."""
    import warnings

    tail = (1.0 - confidence) / 2.0 * 100.0
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: the interval is NaN, fine
        low, high = np.nanpercentile(samples, [tail, 100.0 - tail], axis=axis)
    return low, high


def mean_interval(total: np.ndarray, squares: np.ndarray, weight: np.ndarray, sizes: np.ndarray,
                  confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Normal-approximation interval of a weighted mean per group (regression metrics)."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    safe = np.where(weight == 0, 1.0, weight)
    mean = total / safe
    variance = np.maximum(squares / safe - mean * mean, 0.0)
    half = z * np.sqrt(variance / np.maximum(sizes, 1))
    return mean - half, mean + half
