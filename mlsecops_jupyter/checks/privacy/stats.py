"""How well a membership score separates members from non-members, with its uncertainty.

The AUC's interval uses DeLong's variance (computed from mid-ranks in O(n log n)): exact for
the sample, no resampling, so the same scores give the same interval. Attacker advantage is
Yeom et al.'s ``max(TPR - FPR)`` over thresholds; TPR at 1 % FPR is what Carlini et al. argue
matters: how many members an attacker names while almost never naming a non-member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOW_FPR = 0.01


@dataclass(frozen=True)
class Separation:
    auc: float
    ci_low: float
    ci_high: float
    advantage: float
    tpr_at_low_fpr: float


def _midranks(values: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(values, method="average")


def delong_auc(members: np.ndarray, others: np.ndarray) -> tuple[float, float]:
    """AUC of ``members`` scoring above ``others`` (ties count half) and DeLong's variance."""
    m, n = len(members), len(others)
    pooled = _midranks(np.concatenate([members, others]))
    ranks_m, ranks_o = _midranks(members), _midranks(others)
    auc = (pooled[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (pooled[:m] - ranks_m) / n  # per member: share of non-members below it
    v01 = 1 - (pooled[m:] - ranks_o) / m  # per non-member: share of members above it
    variance = (np.var(v10, ddof=1) / m if m > 1 else 0.0) + (
        np.var(v01, ddof=1) / n if n > 1 else 0.0)
    return float(auc), float(variance)


def separation(members: np.ndarray, others: np.ndarray, z: float) -> Separation:
    from sklearn.metrics import roc_curve

    auc, variance = delong_auc(members, others)
    spread = z * np.sqrt(max(variance, 0.0))
    truth = np.concatenate([np.ones(len(members)), np.zeros(len(others))])
    fpr, tpr, _ = roc_curve(truth, np.concatenate([members, others]))
    low = tpr[fpr <= LOW_FPR]
    return Separation(auc=auc, ci_low=max(0.0, auc - spread), ci_high=min(1.0, auc + spread),
                      advantage=float(np.max(tpr - fpr)),
                      tpr_at_low_fpr=float(low.max()) if len(low) else 0.0)


def z_value(level: float, comparisons: int) -> float:
    """Two-sided normal quantile at ``level``, Bonferroni-adjusted for ``comparisons``."""
    from scipy.stats import norm

    return float(norm.ppf(1 - (1 - level) / (2 * max(comparisons, 1))))
