"""Rows equal on every feature but labelled differently, judged against chance.

Rows are fingerprinted with the leakage check's 64-bit row hashes (every column, one vectorised
pass each) and candidate groups are verified value by value, missing equal to missing. Whether
two rows sharing every value is a copy or a coincidence depends on the values: with a few
categorical columns most rows have twins, with a measured number or two almost none do. For a
group's feature vector the expected number of other rows that would equal it by chance, if the
columns were independent, is ``(n - 1) * prod_c f_c`` with ``f_c`` the share of rows holding the
group's value in column ``c`` (the group counted once). A conflicting group is a copy when that
expectation is at most ``alpha`` over the number of conflicting groups; otherwise the conflict is
what a coarse feature space gives, counted but not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..leakage._hashing import column_kind, row_hashes
from ._features import category_codes


@dataclass
class Conflict:
    """One set of identical rows with more than one label."""

    rows: np.ndarray             # positions among the labelled rows
    expected_matches: float      # other rows equal to it by chance, columns independent


def _groups_by_hash(hashes: np.ndarray, codes: np.ndarray) -> list[np.ndarray]:
    """Rows sharing a hash, in groups of two or more whose labels differ."""
    order = np.argsort(hashes, kind="stable")
    sorted_hashes = hashes[order]
    starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    groups = []
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        rows = np.sort(order[start:start + size])
        if len(np.unique(codes[rows])) > 1:
            groups.append(rows)
    return groups


def _verified(features: Any, rows: np.ndarray) -> list[np.ndarray]:
    """Split a hash group into sets of rows equal value by value (missing equals missing)."""
    import pandas as pd

    block = features.iloc[rows]
    left = np.arange(len(rows))
    sets = []
    while len(left) > 1:
        same = np.ones(len(left), dtype=bool)
        for column in block.columns:
            values = block[column].iloc[left]
            first = values.iloc[0]
            if np.ndim(first) == 0 and bool(pd.isna(first)):  # None, NaN, NaT, pd.NA
                equal = np.asarray(values.isna())
            else:
                equal = np.asarray((values == first).fillna(False), dtype=bool)
            same &= equal
        if same.sum() > 1:
            sets.append(rows[left[same]])
        left = left[~same]
    return sets


def _log_shares(features: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per column: each row's value code, and the number of rows holding each code."""
    all_codes, all_counts = [], []
    for column in features.columns:
        codes, count = category_codes(features[column])
        codes = np.where(codes < 0, count, codes)  # missing is one value of its own
        all_codes.append(codes)
        all_counts.append(np.bincount(codes, minlength=count + 1))
    return all_codes, all_counts


def find_conflicts(features: Any, codes: np.ndarray) -> list[Conflict]:
    """Every set of identical rows with differing labels, with its chance expectation."""
    columns = list(features.columns)
    kinds = {c: column_kind(features[c]) for c in columns}
    hashes, _ = row_hashes(features, columns, kinds, 0)
    candidates = _groups_by_hash(hashes, codes)
    if not candidates:
        return []
    value_codes, value_counts = _log_shares(features)
    n_rows = len(codes)
    conflicts = []
    for group in candidates:
        for rows in _verified(features, group):
            if len(np.unique(codes[rows])) < 2:
                continue
            log_expected = np.log(max(n_rows - 1, 1))
            for column_codes, counts in zip(value_codes, value_counts, strict=True):
                share = (counts[column_codes[rows[0]]] - len(rows) + 1) / n_rows
                log_expected += np.log(max(share, 1.0 / n_rows))
            conflicts.append(Conflict(rows, float(np.exp(log_expected))))
    conflicts.sort(key=lambda c: (c.expected_matches, int(c.rows[0])))
    return conflicts
