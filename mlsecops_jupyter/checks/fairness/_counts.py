"""Confusion counts per group in one ``np.bincount`` pass, and every rate derived from counts.

All classification metrics here are ratios of confusion-matrix cells, so one weighted count of
``(group, true class, predicted class)`` per row is all the data the check needs: rates, gaps and
bootstrap replicates are then arithmetic on a small ``(groups, classes, classes)`` array instead of
repeated passes over the rows (what makes this check fast next to fairlearn's ``MetricFrame``).
"""

from __future__ import annotations

import numpy as np

# one-vs-rest cells, in the order scikit-learn's binary confusion matrix ravels them
TN, FP, FN, TP = range(4)
CLASSIFICATION_METRICS = (
    "base_rate", "selection_rate", "true_positive_rate", "false_positive_rate",
    "true_negative_rate", "false_negative_rate", "accuracy", "precision",
)
# the denominators that can be zero, per rate (what BIAS-ZERO-DENOMINATOR reports)
DENOMINATOR_OF = {
    "true_positive_rate": "actual positives",
    "false_negative_rate": "actual positives",
    "false_positive_rate": "actual negatives",
    "true_negative_rate": "actual negatives",
    "precision": "predicted positives",
}
REGRESSION_METRICS = ("mean_prediction", "mean_error", "mean_absolute_error")


def confusion_counts(codes: np.ndarray, n_groups: int, true_index: np.ndarray,
                     pred_index: np.ndarray, n_classes: int,
                     weights: np.ndarray | None = None) -> np.ndarray:
    """``(n_groups, n_classes, n_classes)`` counts (weighted when ``weights`` is given).

    ``codes`` are group codes in ``0..n_groups-1``; rows with a negative code are ignored.
    """
    keep = codes >= 0
    if not keep.all():
        codes, true_index, pred_index = codes[keep], true_index[keep], pred_index[keep]
        weights = None if weights is None else weights[keep]
    cells = n_classes * n_classes
    flat = (codes * cells + true_index * n_classes + pred_index)
    counts = np.bincount(flat, weights=weights, minlength=n_groups * cells)
    return counts.reshape(n_groups, n_classes, n_classes)


def one_vs_rest(matrix: np.ndarray) -> np.ndarray:
    """``(..., K, K)`` confusion matrices -> ``(..., K, 4)`` TN/FP/FN/TP cells per class."""
    tp = np.diagonal(matrix, axis1=-2, axis2=-1)
    actual = matrix.sum(axis=-1)
    predicted = matrix.sum(axis=-2)
    total = actual.sum(axis=-1, keepdims=True)
    fn = actual - tp
    fp = predicted - tp
    tn = total - tp - fn - fp
    return np.stack([tn, fp, fn, tp], axis=-1)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with 0 where the denominator is 0 (scikit-learn's choice)."""
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


def rates(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Every classification rate from ``(..., 4)`` one-vs-rest cells, vectorised."""
    tn, fp, fn, tp = (cells[..., i] for i in (TN, FP, FN, TP))
    total = tn + fp + fn + tp
    positives = tp + fn
    negatives = tn + fp
    predicted = tp + fp
    return {
        "base_rate": _ratio(positives, total),
        "selection_rate": _ratio(predicted, total),
        "true_positive_rate": _ratio(tp, positives),
        "false_positive_rate": _ratio(fp, negatives),
        "true_negative_rate": _ratio(tn, negatives),
        "false_negative_rate": _ratio(fn, positives),
        "accuracy": _ratio(tp + tn, total),
        "precision": _ratio(tp, predicted),
    }


def zero_denominators(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Per rate, a boolean array: True where its denominator is zero."""
    positives = cells[..., TP] + cells[..., FN]
    negatives = cells[..., TN] + cells[..., FP]
    predicted = cells[..., TP] + cells[..., FP]
    by_denominator = {"actual positives": positives == 0, "actual negatives": negatives == 0,
                      "predicted positives": predicted == 0}
    return {metric: by_denominator[name] for metric, name in DENOMINATOR_OF.items()}


def regression_sums(codes: np.ndarray, n_groups: int, y_true: np.ndarray, y_pred: np.ndarray,
                    weights: np.ndarray | None) -> dict[str, np.ndarray]:
    """Weighted sums per group from which means and their standard errors follow."""
    keep = codes >= 0
    codes, y_true, y_pred = codes[keep], y_true[keep], y_pred[keep]
    w = np.ones(len(codes)) if weights is None else weights[keep]
    error = y_pred - y_true
    absolute = np.abs(error)

    def total(values: np.ndarray | None) -> np.ndarray:
        return np.bincount(codes, weights=w if values is None else w * values,
                           minlength=n_groups)

    return {
        "weight": total(None),
        "pred": total(y_pred), "pred2": total(y_pred * y_pred),
        "error": total(error),
        "abs": total(absolute), "abs2": total(absolute * absolute),
    }


def regression_metrics(sums: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    weight = sums["weight"]
    return {
        "mean_prediction": _ratio(sums["pred"], weight),
        "mean_error": _ratio(sums["error"], weight),
        "mean_absolute_error": _ratio(sums["abs"], weight),
    }


def difference(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """fairlearn's ``difference(method="between_groups")``: largest minus smallest group."""
    return values.max(axis=axis) - values.min(axis=axis)


def ratio(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """fairlearn's ``ratio(method="between_groups")``: smallest over largest (0/0 is NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return values.min(axis=axis) / values.max(axis=axis)
