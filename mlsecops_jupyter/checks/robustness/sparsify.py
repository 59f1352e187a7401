"""Which features an attack actually needed: undo each move the flip survives without.

An L-inf attack moves every free coordinate (the cube's corner is the cheapest way to the
boundary), so "what changed" would list every feature. For the report each adversarial point
is reduced greedily: coordinates are put back to their original value one at a time, least
influential first, and each reset is kept if the model still predicts another class; the
categories switched are tried last. What remains is what an attacker must change.
"""

from __future__ import annotations

import numpy as np

from .space import Queries


def sparsify(queries: Queries, rows: np.ndarray, predicted: np.ndarray, moves: np.ndarray,
             codes: np.ndarray, influence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Greedy resets of ``moves``/``codes`` (one batched query per coordinate)."""
    moves, codes = moves.copy(), codes.copy()
    if len(rows) == 0:
        return moves, codes
    n, m = moves.shape
    # never-moved coordinates first (free), then the least influential
    order = np.lexsort((np.arange(m)[None, :].repeat(n, axis=0), influence,
                        np.abs(moves) > 0), axis=1) if m else np.zeros((n, 0), dtype=np.int64)
    everyone = np.arange(n)
    for step in range(m):
        column = order[:, step]
        moved = moves[everyone, column] != 0
        at = np.flatnonzero(moved)
        if len(at) == 0:
            continue
        trial = moves[at].copy()
        trial[np.arange(len(at)), column[at]] = 0.0
        still = queries.predict(rows[at], trial, codes[at]) != predicted[at]
        moves[at[still]] = trial[still]
    original = queries.codes0[rows]
    for g in range(codes.shape[1]):
        at = np.flatnonzero(codes[:, g] != original[:, g])
        if len(at) == 0:
            continue
        trial = codes[at].copy()
        trial[:, g] = original[at, g]
        still = queries.predict(rows[at], moves[at], trial) != predicted[at]
        codes[at[still]] = trial[still]
    return moves, codes
