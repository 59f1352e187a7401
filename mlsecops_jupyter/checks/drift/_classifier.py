"""The domain classifier: can a model tell current rows from reference rows?

Rows of both samples are labelled by side and split into two halves (each side split evenly);
a small histogram gradient-boosting model is fitted on one half and scored on the other, and the
other way round. Each held-out AUC is a Mann-Whitney statistic of scores that, when both sides
come from one distribution, are independent of the held-out labels: its null distribution is
known (mean 1/2, variance (n1 + n2 + 1) / (12 n1 n2) without ties, less with them). The report's
AUC is the mean of the two folds, and its p-value uses the variance of one fold, which is
conservative for the mean. No refitting under permutations is needed.

The columns that drive a separation are found by permutation importance on the held-out halves
(at most ``IMPORTANCE_ROWS`` rows of each): how much the AUC falls when one column's values are
shuffled. Numeric and date columns enter as
numbers (missing as NaN, which the trees route on their own); categories as codes of their most
frequent values, the rest pooled. Fits run on one thread: on a shared machine OpenMP's spinning
threads cost several times the CPU of the fit itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._inputs import CATEGORICAL, as_numbers, as_text

MAX_CODES = 50            # categories kept as their own code per column; the rest share one
MIN_ROWS = 50             # per side, below which the classifier is not run
MIN_IMPORTANCE = 0.005    # AUC drop below which a column does not drive the separation
TREES = 50
IMPORTANCE_ROWS = 2_000   # held-out rows per fold the permutation importance shuffles


@dataclass
class DomainResult:
    """The cross-fitted AUC, its p-value, and what is needed to find the driving columns."""

    auc: float
    fold_aucs: list[float]
    p_value: float
    rows: dict[str, int]
    columns: list[Any]
    drivers: list[tuple[Any, float]] = field(default_factory=list)
    _folds: list[tuple[Any, np.ndarray, np.ndarray]] = field(default_factory=list, repr=False)


def encode(reference: Any, current: Any, columns: list[Any], kinds: dict[Any, str]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature matrix of both samples (reference rows first), categorical mask, side labels."""
    import pandas as pd

    n = len(reference)
    matrix = np.empty((n + len(current), len(columns)), dtype=np.float64)
    mask = np.zeros(len(columns), dtype=bool)
    for j, name in enumerate(columns):
        if kinds[name] == CATEGORICAL:
            mask[j] = True
            text = np.concatenate([as_text(reference[name]), as_text(current[name])])
            codes, _ = pd.factorize(text, use_na_sentinel=True)
            counts = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(1)
            keep = np.argsort(-counts, kind="stable")[:MAX_CODES]
            lookup = np.full(len(counts), float(MAX_CODES))
            lookup[keep] = np.arange(len(keep))
            matrix[:, j] = np.where(codes >= 0, lookup[np.maximum(codes, 0)], np.nan)
        else:
            matrix[:n, j] = as_numbers(reference[name])
            matrix[n:, j] = as_numbers(current[name])
    sides = np.concatenate([np.zeros(n), np.ones(len(current))])
    return matrix, mask, sides


def null_sd(n_reference: int, n_current: int) -> float:
    """Standard deviation of a Mann-Whitney AUC when scores do not depend on the side."""
    return math.sqrt((n_reference + n_current + 1) / (12.0 * n_reference * n_current))


def fit(matrix: np.ndarray, mask: np.ndarray, sides: np.ndarray, columns: list[Any],
        seed: int) -> DomainResult:
    """Two-fold cross-fitted AUC of side-vs-side and its one-sided p-value."""
    from scipy import stats
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    folds = np.zeros(len(sides), dtype=np.int64)
    for side in (0, 1):
        rows = np.flatnonzero(sides == side)
        folds[rng.permutation(rows)[: len(rows) // 2]] = 1
    aucs: list[float] = []
    kept: list[tuple[Any, np.ndarray, np.ndarray]] = []
    sizes: list[tuple[int, int]] = []
    with threadpool_limits(limits=1):
        for k in (0, 1):
            train, held = folds != k, folds == k
            model = HistGradientBoostingClassifier(
                max_iter=TREES, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=40,
                l2_regularization=1.0, early_stopping=False, random_state=seed,
                categorical_features=mask if mask.any() else None)
            model.fit(matrix[train], sides[train])
            scores = model.predict_proba(matrix[held])[:, 1]
            aucs.append(float(roc_auc_score(sides[held], scores)))
            kept.append((model, matrix[held], sides[held]))
            sizes.append((int(np.count_nonzero(sides[held] == 0)),
                          int(np.count_nonzero(sides[held] == 1))))
    auc = float(np.mean(aucs))
    spread = max(null_sd(*size) for size in sizes)
    p_value = float(stats.norm.sf((auc - 0.5) / spread))
    counts = {"reference": int(np.count_nonzero(sides == 0)),
              "current": int(np.count_nonzero(sides == 1))}
    return DomainResult(auc, aucs, p_value, counts, list(columns), _folds=kept)


def find_drivers(result: DomainResult, top: int, seed: int) -> list[tuple[Any, float]]:
    """Columns whose shuffling lowers the held-out AUC most (mean over both folds)."""
    from sklearn.metrics import roc_auc_score
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed + 1)
    drops = np.zeros(len(result.columns))
    with threadpool_limits(limits=1):
        for model, held, sides in result._folds:
            if len(sides) > IMPORTANCE_ROWS:  # a ranking needs no more; predictions cost
                rows = rng.choice(len(sides), IMPORTANCE_ROWS, replace=False)
                held, sides = held[rows], sides[rows]
            auc = roc_auc_score(sides, model.predict_proba(held)[:, 1])
            shuffled = held.copy()
            for j in range(len(result.columns)):
                shuffled[:, j] = rng.permutation(held[:, j])
                score = roc_auc_score(sides, model.predict_proba(shuffled)[:, 1])
                shuffled[:, j] = held[:, j]
                drops[j] += (auc - score) / len(result._folds)
    order = np.argsort(-drops, kind="stable")
    result.drivers = [(result.columns[j], round(float(drops[j]), 4)) for j in order[:top]
                      if drops[j] >= MIN_IMPORTANCE]
    return result.drivers
