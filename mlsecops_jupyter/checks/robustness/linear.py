"""Exact minimal L-inf perturbations of a classifier whose decision function is affine.

For a linear model (or a Pipeline of affine steps, scalers and one-hot encoders, before one)
the decision function moves by a constant vector per standard deviation of each numeric
column, so the gradient attack needs no iterations: stepping every free coordinate by the sign
of the gradient, as far as its range allows, is the fastest way to the boundary, and the
smallest L-inf budget that reaches it is found exactly by sorting the coordinates by the room
they have. Whether the model *is* affine is not assumed from its type: it is measured with
finite differences and verified on other rows and random directions; a model that fails the
test is attacked by the black-box attack instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .space import Queries

AFFINE_TOLERANCE = 1e-6
CHECK_ROWS = 8
# the exact infimum sits on the boundary, where the class is a tie: the point the model is
# asked about lies this little (relative, then absolute) beyond it
BEYOND = (1e-7, 1e-9)


@dataclass
class LinearModel:
    """The decision function as ``D(u) = D0 + u @ W`` per row (plus categorical shifts)."""

    weights: np.ndarray  # m x K: change of each decision column per standard deviation
    binary: bool  # one decision column: class 1 when D > 0 (scikit-learn's convention)


def affine_model(queries: Queries, rows: np.ndarray, d0: np.ndarray,
                 rng: np.random.Generator) -> LinearModel | None:
    """Measure ``W`` on one row and check it on others; ``None`` when the model is not affine
    in the numeric columns (or predicts something other than its decision's argmax)."""
    if queries.space.dimensions == 0 or not _predicts_argmax(queries, rows, d0):
        return None
    finite = rows[np.isfinite(queries.x0[rows]).all(axis=1)]
    if len(finite) == 0:
        return None
    m = queries.space.dimensions
    reference = finite[0]
    steps = np.eye(m)
    measured = queries.decision(np.full(m, reference), steps)
    weights = measured - d0[np.flatnonzero(rows == reference)[0]]
    picks = finite[rng.permutation(len(finite))[:CHECK_ROWS]]
    moves = rng.normal(size=(len(picks), m))
    at = {row: i for i, row in enumerate(rows)}
    expected = d0[[at[r] for r in picks]] + moves @ weights
    got = queries.decision(picks, moves)
    scale = 1.0 + np.abs(expected)
    if not np.all(np.abs(got - expected) <= AFFINE_TOLERANCE * scale * (1 + np.abs(moves).sum(
            axis=1, keepdims=True))):
        return None
    return LinearModel(weights=weights, binary=weights.shape[1] == 1)


def _predicts_argmax(queries: Queries, rows: np.ndarray, d0: np.ndarray) -> bool:
    predicted = queries.predict(rows, np.zeros((len(rows), queries.space.dimensions)))
    implied = (d0[:, 0] > 0).astype(np.int64) if d0.shape[1] == 1 else d0.argmax(axis=1)
    return bool(np.array_equal(predicted, implied))


def minimal_linf(gain: np.ndarray, room: np.ndarray, margin: float) -> float:
    """Smallest ``eps`` with ``sum_j gain_j * min(eps, room_j) >= margin``; inf if none.

    ``gain`` (>= 0) is how much the margin shrinks per standard deviation moved along each
    coordinate, ``room`` (>= 0, may be inf) how far that coordinate can go. The left side is
    piecewise linear and increasing in ``eps``: walk its breakpoints in order.
    """
    if margin <= 0:
        return 0.0
    useful = gain > 0
    gain, room = gain[useful], room[useful]
    if len(gain) == 0:
        return float("inf")
    order = np.argsort(room, kind="stable")
    gain, room = gain[order], room[order]
    spent = np.concatenate([[0.0], np.cumsum(gain * np.where(np.isfinite(room), room, 0.0))])
    tail = np.concatenate([np.cumsum(gain[::-1])[::-1], [0.0]])
    for k in range(len(gain) + 1):
        # on [room_{k-1}, room_k] the shrink is spent[k] + eps * tail[k]
        if tail[k] <= 0:
            return float("inf")
        eps = (margin - spent[k]) / tail[k]
        upper = room[k] if k < len(room) else np.inf
        if eps <= upper:
            return max(float(eps), float(room[k - 1]) if k > 0 else 0.0)
    return float("inf")


@dataclass
class Solution:
    """The smallest L-inf move of one row that changes its class, and the move itself."""

    epsilon: float
    direction: np.ndarray  # sign of the move per coordinate
    gain: np.ndarray  # how much each coordinate shrinks the margin per standard deviation
    target: int  # the decision column pair (class) it crosses to


def solve_row(linear: LinearModel, d_row: np.ndarray, predicted: int, low: np.ndarray,
              high: np.ndarray) -> Solution:
    """The exact minimal perturbation of one row with decision values ``d_row``."""
    if linear.binary:
        slope = linear.weights[:, 0]
        # class 1 (D > 0) must fall to D <= 0, class 0 must rise above 0; a category switch
        # may already have crossed (margin <= 0: nothing left to move)
        sign = -1.0 if predicted == 1 else 1.0
        candidates = [(-sign * float(d_row[0]), sign * slope, 1 - predicted)]
    else:
        candidates = []
        for k in range(linear.weights.shape[1]):
            if k == predicted:
                continue
            slope = linear.weights[:, k] - linear.weights[:, predicted]
            candidates.append((float(d_row[predicted] - d_row[k]), slope, k))
    best = Solution(float("inf"), np.zeros(len(low)), np.zeros(len(low)), predicted)
    for margin, slope, target in candidates:
        direction = np.sign(slope)
        room = np.where(direction > 0, high, np.where(direction < 0, -low, 0.0))
        gain = np.abs(slope)
        eps = minimal_linf(gain, room, margin)
        if eps < best.epsilon:
            best = Solution(eps, direction, gain, target)
    return best


def move(solution: Solution, low: np.ndarray, high: np.ndarray, eps: float) -> np.ndarray:
    """The move of ``solution`` at budget ``eps``: every coordinate as far as it helps."""
    step = solution.direction * eps
    return np.clip(step, low, high)


def beyond(eps: float) -> float:
    """A budget just past ``eps``: the point the model is asked about to confirm a flip."""
    return eps * (1 + BEYOND[0]) + BEYOND[1]


def exact_linear(queries: Queries, rows: np.ndarray, predicted: np.ndarray, d0: np.ndarray,
                 linear: LinearModel, codes: np.ndarray, shifts: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Solution]]:
    """Minimal perturbations of ``rows`` (each also under every one-category switch in
    ``codes``/``shifts``): returns the epsilon, the move, the chosen categories, and each
    row's solution (its gradient gains order the features for the report)."""
    n, m = len(rows), queries.space.dimensions
    epsilons = np.full(n, np.inf)
    moves = np.zeros((n, m))
    chosen = queries.codes0[rows].copy()
    solutions: list[Solution] = []
    for i, row in enumerate(rows):
        low, high = queries.low_u[row], queries.high_u[row]
        best = solve_row(linear, d0[i], int(predicted[i]), low, high)
        best_codes = chosen[i]
        if shifts is not None:
            for s in range(shifts.shape[1]):
                if (codes[i, s] == queries.codes0[row]).all():
                    continue
                shifted = solve_row(linear, d0[i] + shifts[i, s], int(predicted[i]), low, high)
                if shifted.epsilon < best.epsilon:
                    best, best_codes = shifted, codes[i, s]
        epsilons[i] = best.epsilon
        chosen[i] = best_codes
        if np.isfinite(best.epsilon):
            moves[i] = move(best, low, high, beyond(best.epsilon))
        solutions.append(best)
    return epsilons, moves, chosen, solutions


def category_shifts(queries: Queries, rows: np.ndarray, d0: np.ndarray,
                    changes: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every one-feature category switch of each row and the decision shift it causes.

    Returns ``codes`` (n x S x G) and ``shifts`` (n x S x K); ``None`` without switchable
    features. An affine model's numeric slope does not depend on the categories, so each
    switch only moves the starting point.
    """
    features = queries.space.categorical
    if changes <= 0 or not features:
        return None
    options = [(g, k) for g, f in enumerate(features) for k in range(len(f.categories))]
    n = len(rows)
    codes = np.repeat(queries.codes0[rows][:, None, :], len(options), axis=1)
    for s, (g, k) in enumerate(options):
        codes[:, s, g] = k
    flat_rows = np.repeat(rows, len(options))
    flat_codes = codes.reshape(n * len(options), -1)
    values = queries.decision(flat_rows, np.zeros((len(flat_rows), queries.space.dimensions)),
                              flat_codes)
    shifts = values.reshape(n, len(options), -1) - d0[:, None, :]
    return codes, shifts


def describe(linear: LinearModel) -> dict[str, Any]:
    return {"decision_columns": int(linear.weights.shape[1])}
