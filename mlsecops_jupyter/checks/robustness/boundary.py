"""A decision-based black-box attack under L-inf (HopSkipJump-style), run on many rows at once.

It needs only the model's predicted class. For each row it finds a point of another class
(the nearest rows of X the model puts in another class, then random corners of growing cubes),
walks back to the decision boundary by bisection along the L-inf projection (clipping the move
to a shrinking cube), then repeats: estimate the boundary's normal from the signs of random
probes, step along its sign, and bisect back towards the row. Each round is a few batched
``predict`` calls for all rows still being attacked, so the cost is in model calls of
thousands of rows, not in Python loops. The distance found is an upper bound of the true
minimal perturbation; the report says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ...core.progress import task
from .space import Queries

NEAREST = 5  # rows of X of another class tried as starting points, per attacked row
RADII = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
CORNERS = 8  # random cube corners tried per radius
BISECTIONS = 12
PROBES = (20, 100)  # probes per gradient estimate: first round, most
STEP_HALVINGS = 6
STALL_ROUNDS = 4
STALL_GAIN = 1e-3


@dataclass
class BoundaryResult:
    epsilons: np.ndarray
    moves: np.ndarray
    influence: np.ndarray  # |estimated normal| per coordinate, to order features
    rounds: int = 0
    stopped: list[str] = field(default_factory=list)


class _Budget:
    def __init__(self, queries: Queries, max_queries: int, deadline: float) -> None:
        self.queries = queries
        self.max_queries = max_queries
        self.deadline = deadline
        self.out_of_time = False

    def left(self, rows: np.ndarray) -> np.ndarray:
        return self.max_queries - self.queries.queries[rows]

    def expired(self) -> bool:
        if time.process_time() > self.deadline:
            self.out_of_time = True
        return self.out_of_time


def boundary_attack(queries: Queries, rows: np.ndarray, predicted: np.ndarray,
                    codes: np.ndarray, pool: np.ndarray, pool_class: np.ndarray, *,
                    max_queries: int, deadline: float, rng: np.random.Generator
                    ) -> BoundaryResult:
    """Attack ``rows`` (class ``predicted``, categories ``codes``) within the query budget.

    ``pool`` holds the numeric columns of X (raw values) and ``pool_class`` the model's class
    for each, the cheapest source of starting points of another class.
    """
    n, m = len(rows), queries.space.dimensions
    result = BoundaryResult(np.full(n, np.inf), np.zeros((n, m)), np.zeros((n, m)))
    if m == 0:
        result.stopped.append("no numeric column to move")
        return result
    budget = _Budget(queries, max_queries, deadline)
    free = queries.high_u[rows] > queries.low_u[rows]  # coordinates a row can move at all

    def adversarial(at: np.ndarray, u: np.ndarray) -> np.ndarray:
        return queries.predict(rows[at], u, codes[at]) != predicted[at]

    with task("robustness: black-box attack", total=max_queries) as progress:
        start = _starting_points(queries, rows, predicted, pool, pool_class, adversarial,
                                 free, rng)
        found = np.isfinite(np.abs(start).max(axis=1)) & ~np.isnan(start).any(axis=1)
        at = np.flatnonzero(found)
        if len(at):
            boundary, dist = _bisect(adversarial, at, start[at], np.abs(start[at]).max(axis=1))
            result.moves[at], result.epsilons[at] = boundary, dist
        stall = np.zeros(n, dtype=np.int64)
        while True:
            active = np.flatnonzero(np.isfinite(result.epsilons) & (stall < STALL_ROUNDS)
                                    & (result.epsilons > 0))
            active = active[budget.left(rows[active]) > PROBES[1] + STEP_HALVINGS + BISECTIONS]
            if len(active) == 0 or budget.expired():
                break
            result.rounds += 1
            probes = min(PROBES[1], int(PROBES[0] * np.sqrt(result.rounds)))
            normal = _estimate_normal(adversarial, active, result.moves[active],
                                      result.epsilons[active], free[active], probes, rng)
            result.influence[active] = np.abs(normal)
            previous = result.epsilons[active].copy()
            stepped = _step(queries, rows, adversarial, active, result.moves[active],
                            np.sign(normal), previous / np.sqrt(result.rounds))
            moved = np.flatnonzero(np.isfinite(np.abs(stepped).max(axis=1)))
            if len(moved):
                take = active[moved]
                boundary, dist = _bisect(adversarial, take, stepped[moved],
                                         np.abs(stepped[moved]).max(axis=1))
                better = dist < result.epsilons[take]
                result.moves[take[better]] = boundary[better]
                result.epsilons[take[better]] = dist[better]
            gain = (previous - result.epsilons[active]) / np.maximum(previous, 1e-12)
            stall[active] = np.where(gain < STALL_GAIN, stall[active] + 1, 0)
            progress.update(int(queries.queries[rows].max(initial=0)))
    if budget.out_of_time:
        result.stopped.append("CPU budget reached: rows keep the best point found so far")
    return result


def _starting_points(queries: Queries, rows: np.ndarray, predicted: np.ndarray,
                     pool: np.ndarray, pool_class: np.ndarray, adversarial, free: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    """A point of another class per row (inf where none was found)."""
    n, m = len(rows), queries.space.dimensions
    start = np.full((n, m), np.inf)
    # 1. rows of X the model puts in another class, nearest first (numeric columns only)
    candidates, owners = [], []
    for i, row in enumerate(rows):
        others = np.flatnonzero(pool_class != predicted[i])
        if len(others) == 0:
            continue
        with np.errstate(invalid="ignore"):
            u = (pool[others] - queries.x0[row]) / queries.space.scale
        u = np.where(np.isfinite(u), u, 0.0)
        u = queries.clip(np.full(len(u), row), u)
        nearest = np.argsort(np.abs(u).max(axis=1), kind="stable")[:NEAREST]
        candidates.append(u[nearest])
        owners.append(np.full(len(nearest), i))
    if candidates:
        _keep_nearest(start, np.concatenate(owners), np.concatenate(candidates), adversarial)
    # 2. random corners of growing cubes, for the rows still without a start
    for radius in RADII:
        missing = np.flatnonzero(~np.isfinite(start).all(axis=1))
        if len(missing) == 0:
            break
        owners_r = np.repeat(missing, CORNERS)
        corners = rng.choice((-1.0, 1.0), size=(len(owners_r), m)) * radius
        corners = np.where(free[owners_r], corners, 0.0)
        corners = queries.clip(rows[owners_r], corners)
        _keep_nearest(start, owners_r, corners, adversarial)
    return start


def _keep_nearest(start: np.ndarray, owners: np.ndarray, points: np.ndarray,
                  adversarial) -> None:
    hit = adversarial(owners, points)
    size = np.abs(points).max(axis=1)
    for k in np.argsort(size, kind="stable"):
        if hit[k] and size[k] < np.abs(start[owners[k]]).max():
            start[owners[k]] = points[k]


def _bisect(adversarial, at: np.ndarray, points: np.ndarray,
            upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shrink each adversarial point towards its row along the L-inf projection
    ``clip(point, -t, t)``: the smallest ``t`` found still adversarial, and that point."""
    high = upper.copy()
    low = np.zeros_like(high)
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        trial = np.clip(points, -middle[:, None], middle[:, None])
        hit = adversarial(at, trial)
        high = np.where(hit, middle, high)
        low = np.where(hit, low, middle)
    boundary = np.clip(points, -high[:, None], high[:, None])
    return boundary, np.abs(boundary).max(axis=1)


def _estimate_normal(adversarial, at: np.ndarray, points: np.ndarray, dist: np.ndarray,
                     free: np.ndarray, probes: int, rng: np.random.Generator) -> np.ndarray:
    """Monte-Carlo estimate of the boundary's normal (pointing into the other class)."""
    n, m = points.shape
    directions = rng.normal(size=(n, probes, m)) * free[:, None, :]
    norms = np.abs(directions).max(axis=2, keepdims=True)
    directions = directions / np.where(norms > 0, norms, 1.0)
    delta = np.maximum(dist * 0.01, 1e-4)[:, None, None]
    trial = (points[:, None, :] + delta * directions).reshape(n * probes, m)
    hit = adversarial(np.repeat(at, probes), trial).reshape(n, probes)
    signs = np.where(hit, 1.0, -1.0)
    mean = signs.mean(axis=1, keepdims=True)
    centred = np.where(np.abs(mean) < 1, signs - mean, signs)
    return (centred[:, :, None] * directions).mean(axis=1)


def _step(queries: Queries, rows: np.ndarray, adversarial, at: np.ndarray,
          points: np.ndarray, direction: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Step from the boundary along ``direction`` (halving until still adversarial)."""
    stepped = np.full(points.shape, np.inf)
    todo = np.arange(len(at))
    size = size.copy()
    for _ in range(STEP_HALVINGS):
        if len(todo) == 0:
            break
        trial = queries.clip(rows[at[todo]], points[todo] + size[todo, None] * direction[todo])
        hit = adversarial(at[todo], trial)
        stepped[todo[hit]] = trial[hit]
        todo = todo[~hit]
        size[todo] /= 2
    return stepped
