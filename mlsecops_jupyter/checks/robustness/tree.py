"""Exact minimal L-inf perturbations of a single decision tree.

A fitted tree cuts the input space into boxes, one per leaf, each predicting one class. The
smallest move that changes a row's class is the L-inf distance (in standard deviations) from
the row to the nearest box of another class that the attacker may enter: held columns must
already lie inside it, categorical ones may switch to a category inside it (at most
``categorical_changes`` of them), numeric ones must be able to reach it within the range of X.
Trees compare ``float32(x) <= threshold``, so the point built for each box is computed in
float32 too, and asked of the model to confirm the flip.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .space import Queries

CHUNK_ROWS = 64


def single_tree(model: Any) -> Any | None:
    """The fitted scikit-learn tree classifier, when the model is one (not a forest)."""
    from sklearn.tree import BaseDecisionTree

    if isinstance(model, BaseDecisionTree) and hasattr(model, "tree_"):
        return model
    return None


def leaf_boxes(tree: Any, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower (exclusive) and upper (inclusive) bounds of every leaf, and the leaf's class."""
    structure = tree.tree_
    left, right = structure.children_left, structure.children_right
    feature, threshold = structure.feature, structure.threshold
    lows, highs, classes = [], [], []
    stack = [(0, np.full(width, -np.inf), np.full(width, np.inf))]
    while stack:
        node, low, high = stack.pop()
        if left[node] == -1:
            lows.append(low)
            highs.append(high)
            classes.append(int(np.argmax(structure.value[node][0])))
            continue
        j, t = feature[node], threshold[node]
        left_high = high.copy()
        left_high[j] = min(high[j], t)
        right_low = low.copy()
        right_low[j] = max(low[j], t)
        stack.append((right[node], right_low, high))
        stack.append((left[node], low, left_high))
    return np.array(lows), np.array(highs), np.array(classes, dtype=np.int64)


def _inside_float32(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest values whose float32 falls in ``(low, high]``."""
    low32 = low.astype(np.float32)
    up = np.where(low32.astype(np.float64) <= low, np.nextafter(low32, np.float32(np.inf)),
                  low32)
    high32 = high.astype(np.float32)
    down = np.where(high32.astype(np.float64) > high, np.nextafter(high32, np.float32(-np.inf)),
                    high32)
    return up.astype(np.float64), down.astype(np.float64)


def exact_tree(queries: Queries, rows: np.ndarray, predicted: np.ndarray, tree: Any,
               changes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimal perturbation of each row: epsilon, the move ``u`` and the categories chosen."""
    space = queries.space
    columns = queries.columns
    lows, highs, leaf_class = leaf_boxes(tree, len(columns))
    first, last = _inside_float32(lows, highs)
    numeric_at = np.array(queries.numeric_at, dtype=np.int64)
    # a numeric column may be set anywhere in [range low, range high] within the leaf
    n_low = np.maximum(first[:, numeric_at], space.low[None, :])
    n_high = np.minimum(last[:, numeric_at], space.high[None, :])
    full = queries.base.to_numpy(dtype=float)
    held_at = [i for i, c in enumerate(columns) if c not in set(space.numeric)
               and not any(c in f.columns for f in space.categorical)]
    n, m = len(rows), space.dimensions
    epsilons = np.full(n, np.inf)
    moves = np.zeros((n, m))
    chosen = queries.codes0[rows].copy()
    fits = [_category_fit(feature, columns, first, last) for feature in space.categorical]
    for start in range(0, n, CHUNK_ROWS):
        block = np.arange(start, min(n, start + CHUNK_ROWS))
        for i in block:
            row = rows[i]
            other = leaf_class != predicted[i]
            x = full[row]
            held = np.all((x[held_at] >= first[:, held_at]) & (x[held_at] <= last[:, held_at]),
                          axis=1) if held_at else np.ones(len(leaf_class), bool)
            feasible = other & held
            switches = np.zeros(len(leaf_class), dtype=np.int64)
            for g, fit in enumerate(fits):
                current = fit[:, queries.codes0[row, g]]
                switches += ~current
                feasible &= current | fit.any(axis=1)
            feasible &= switches <= max(changes, 0)
            if not feasible.any():
                continue
            distance = np.zeros(len(leaf_class))
            if m:
                x_num = queries.x0[row]
                below, above = n_low - x_num, x_num - n_high
                reachable = (n_low <= n_high).all(axis=1)
                feasible &= reachable & np.isfinite(x_num).all()
                if not feasible.any():
                    continue
                gap = np.maximum(np.maximum(below, above), 0.0) / space.scale
                distance = gap.max(axis=1)
            distance = np.where(feasible, distance, np.inf)
            best = int(np.argmin(distance))
            epsilons[i] = distance[best]
            if m:
                target = np.clip(queries.x0[row], n_low[best], n_high[best])
                moves[i] = (target - queries.x0[row]) / space.scale
            for g, fit in enumerate(fits):
                if not fit[best, queries.codes0[row, g]]:
                    chosen[i, g] = int(np.flatnonzero(fit[best])[0])
    return epsilons, moves, chosen


def _category_fit(feature: Any, columns: list[str], first: np.ndarray,
                  last: np.ndarray) -> np.ndarray:
    """Leaves x categories: whether each category of ``feature`` lies inside each leaf."""
    positions = [columns.index(c) for c in feature.columns]
    fit = np.ones((first.shape[0], len(feature.categories)), dtype=bool)
    for k, category in enumerate(feature.categories):
        if feature.kind == "one-hot":
            values = np.array([1.0 if c == category else 0.0 for c in feature.columns])
        else:
            values = np.array([float(category)])
        fit[:, k] = np.all((values >= first[:, positions]) & (values <= last[:, positions]),
                           axis=1)
    return fit
