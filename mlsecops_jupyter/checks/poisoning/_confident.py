"""Confident learning: which given labels out-of-sample probabilities contradict, and how many
of those a clean data set of the same difficulty would show.

The method (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in Dataset
Labels", JAIR 2021), written from the paper:

1. per-class thresholds ``t_j``: the mean probability of class ``j`` over the rows labelled ``j``
   (a model's self-confidence differs by class, so one global threshold would not do);
2. the confident joint ``C[i, j]``: rows labelled ``i`` whose probability of ``j`` reaches
   ``t_j`` (of several such classes, the most probable one), counted;
3. calibration: each row of ``C`` rescaled to the number of rows labelled ``i``, the whole
   divided by the total, giving the joint distribution ``Q`` of given and true labels;
4. prune by noise rate: for each ``i != j``, the ``n * Q[i, j]`` rows labelled ``i`` with the
   largest margin ``p_j - p_i`` are label issues, kept when the model's top class is not the
   given one.

Issues are ranked by that margin (most confident first). The chance figure: if every label were
drawn from the model's own probabilities, a row would show a non-top label of probability at
most ``tau`` with probability ``sum of those probabilities``; summed over rows this is the
number of "confidently wrong" labels clean data of this difficulty shows. More than that, beyond
a one-sided Poisson tail, is evidence of tampering; as many is the classes' natural overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LabelIssues:
    """Rows (indices into the scored rows) whose labels the probabilities contradict."""

    rows: np.ndarray            # ranked, most confident first
    suggested: np.ndarray       # the class the model prefers, per issue
    margin: np.ndarray          # p(suggested) - p(given), per issue
    given_probability: np.ndarray
    thresholds: np.ndarray      # per class
    joint: np.ndarray           # calibrated joint of given (rows) and true (columns) labels
    confident: int              # issues whose given label has probability <= tau
    expected_confident: float   # what the model's own uncertainty predicts
    p_value: float              # one-sided Poisson tail of ``confident``

    @property
    def noise_rate(self) -> float:
        """Estimated share of labels that differ from the true one (off-diagonal mass)."""
        return float(1.0 - np.trace(self.joint))


def class_thresholds(probabilities: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Mean self-confidence per class; a class no row carries gets an unreachable threshold."""
    n_classes = probabilities.shape[1]
    counts = np.bincount(codes, minlength=n_classes).astype(np.float64)
    sums = np.bincount(codes, weights=probabilities[np.arange(len(codes)), codes],
                       minlength=n_classes)
    thresholds = np.full(n_classes, np.inf)
    present = counts > 0
    thresholds[present] = sums[present] / counts[present]
    return thresholds


def confident_joint(probabilities: np.ndarray, codes: np.ndarray,
                    thresholds: np.ndarray) -> np.ndarray:
    """``C[i, j]``: rows labelled ``i`` confidently in class ``j``."""
    n_classes = probabilities.shape[1]
    above = probabilities >= thresholds[None, :]
    counted = above.any(axis=1)
    confident_class = np.where(above, probabilities, -np.inf).argmax(axis=1)
    joint = np.zeros((n_classes, n_classes))
    np.add.at(joint, (codes[counted], confident_class[counted]), 1.0)
    return joint


def calibrated_joint(joint: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Rows of ``C`` rescaled to the class counts, normalised to sum to one."""
    n_classes = joint.shape[0]
    class_counts = np.bincount(codes, minlength=n_classes).astype(np.float64)
    row_sums = joint.sum(axis=1, keepdims=True)
    scaled = np.divide(joint, row_sums, out=np.zeros_like(joint), where=row_sums > 0)
    scaled *= class_counts[:, None]
    total = scaled.sum()
    return scaled / total if total > 0 else scaled


def prune_by_noise_rate(probabilities: np.ndarray, codes: np.ndarray,
                        joint: np.ndarray) -> np.ndarray:
    """Mask of rows pruned: per off-diagonal cell, the rows with the largest margin."""
    n_rows, n_classes = probabilities.shape
    flagged = np.zeros(n_rows, dtype=bool)
    for given in range(n_classes):
        members = np.flatnonzero(codes == given)
        if not len(members):
            continue
        for true in range(n_classes):
            if true == given:
                continue
            count = int(round(n_rows * joint[given, true]))
            if count <= 0:
                continue
            margin = probabilities[members, true] - probabilities[members, given]
            order = np.lexsort((members, -margin))  # largest margin first, ties by row
            flagged[members[order[:count]]] = True
    return flagged


def expected_confident(probabilities: np.ndarray, tau: float) -> float:
    """Expected rows with a non-top label of probability <= ``tau``, labels drawn from the
    probabilities themselves."""
    top = probabilities.argmax(axis=1)
    low = probabilities <= tau
    low[np.arange(len(top)), top] = False
    return float(np.where(low, probabilities, 0.0).sum())


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    from scipy.stats import poisson

    return float(poisson.sf(observed - 1, max(expected, 1e-12)))


def find_label_issues(probabilities: np.ndarray, codes: np.ndarray, tau: float) -> LabelIssues:
    """Confident learning over ``probabilities`` (rows x classes) and given ``codes``."""
    thresholds = class_thresholds(probabilities, codes)
    joint = calibrated_joint(confident_joint(probabilities, codes, thresholds), codes)
    flagged = prune_by_noise_rate(probabilities, codes, joint)
    flagged &= probabilities.argmax(axis=1) != codes
    rows = np.flatnonzero(flagged)
    given = probabilities[rows, codes[rows]]
    others = probabilities[rows].copy()
    others[np.arange(len(rows)), codes[rows]] = -np.inf
    suggested = others.argmax(axis=1)
    margin = others[np.arange(len(rows)), suggested] - given
    order = np.lexsort((rows, -margin))
    confident = int(np.count_nonzero(given <= tau))
    expected = expected_confident(probabilities, tau)
    return LabelIssues(rows=rows[order], suggested=suggested[order], margin=margin[order],
                       given_probability=given[order], thresholds=thresholds, joint=joint,
                       confident=confident, expected_confident=expected,
                       p_value=poisson_tail(confident, expected))
