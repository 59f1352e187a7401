"""Compact, bounded fingerprints of the rows an array or frame holds.

Which rows did this fit see, and are these test rows among them? Answering it exactly would keep
every row; a fingerprint keeps the full-row hashes of at most ``max_rows`` rows, evenly spread
over the table (all rows of a table that small). Reading those rows is all the hook does, so its
cost does not grow with the table (a consistent, value-keyed sample would have to read every row:
for a cheap fit such as a scaler that alone is over 5 % of the fit). Comparing two fingerprints
then estimates how much of one table lies inside the other: the share of the inner sample found
in the outer one, divided by the share of rows the outer fingerprint kept. Memory per
fingerprint is bounded (16 bytes a row kept). The data is only read, never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_ROW_PRIME = np.uint64(0x100000001B3)
MIN_EXPECTED_HITS = 8.0  # fewer expected matches than this at full overlap: no answer


@dataclass(frozen=True)
class RowPrint:
    """A fingerprint: ``n_rows`` rows of ``n_cols`` columns, the kept rows' ``positions`` and
    full-row ``hashes``."""

    n_rows: int
    n_cols: int
    hashes: np.ndarray
    positions: np.ndarray

    @property
    def fraction(self) -> float:
        """Share of the table's rows this fingerprint kept."""
        return len(self.positions) / self.n_rows if self.n_rows else 0.0

    @property
    def nbytes(self) -> int:
        return int(self.hashes.nbytes + self.positions.nbytes)

    def subset(self, rows: np.ndarray) -> RowPrint:
        """The fingerprint of ``array[rows]`` (rows by position), cut out of this one."""
        mask = np.isin(self.positions, rows)
        return RowPrint(len(rows), self.n_cols, self.hashes[mask], self.positions[mask])


def _column_hash(values: np.ndarray) -> np.ndarray:
    """uint64 per value; numbers hash by value (1 and 1.0 alike), anything else via pandas."""
    kind = values.dtype.kind
    if kind in "biuf":
        as_float = values.astype(np.float64, copy=False) + 0.0  # -0.0 -> 0.0
        bits = np.where(np.isnan(as_float), np.float64(np.pi), as_float).view(np.uint64)
        with np.errstate(over="ignore"):
            mixed = bits * _GOLDEN
            mixed ^= mixed >> np.uint64(31)
            mixed *= _MIX
            mixed ^= mixed >> np.uint64(29)
        return mixed
    import pandas as pd

    return np.asarray(pd.util.hash_array(np.asarray(values, dtype=object)), dtype=np.uint64)


def _columns(data: Any) -> tuple[int, int, Any] | None:
    """(rows, columns, column getter) of a 2-D table; ``None`` when it is not one."""
    if hasattr(data, "iloc") and hasattr(data, "columns"):  # pandas DataFrame
        frame = data
        return len(frame), frame.shape[1], lambda j: frame.iloc[:, j].to_numpy()
    if hasattr(data, "toarray") or hasattr(data, "tocsr"):  # scipy sparse: not fingerprinted
        return None
    array = data if isinstance(data, np.ndarray) else None
    if array is None:
        if not isinstance(data, (list, tuple)) or not data:
            return None
        try:
            array = np.asarray(data)
        except (ValueError, TypeError):
            return None
    if array.ndim != 2 or array.shape[0] == 0:
        return None
    return array.shape[0], array.shape[1], lambda j: array[:, j]


def row_print(data: Any, max_rows: int = 2048) -> RowPrint | None:
    """The fingerprint of a 2-D table (DataFrame, ndarray, list of rows), else ``None``."""
    shape = _columns(data)
    if shape is None:
        return None
    n_rows, n_cols, column = shape
    if n_rows == 0 or n_cols == 0:
        return None
    if n_rows <= max_rows:
        positions = np.arange(n_rows)
    else:
        positions = np.unique(np.linspace(0, n_rows - 1, max_rows).astype(np.int64))
    hashes = np.zeros(len(positions), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n_cols):
            hashes = hashes * _ROW_PRIME ^ _column_hash(np.asarray(column(j))[positions])
    return RowPrint(n_rows, n_cols, hashes, positions)


def containment(inner: RowPrint | None, outer: RowPrint | None) -> tuple[float, int] | None:
    """Estimated share of ``inner``'s rows that are rows of ``outer``, and rows compared.

    The share of ``inner``'s kept rows found among ``outer``'s kept rows, divided by the share
    of rows ``outer`` kept (capped at 1 and at the ratio of their sizes). ``None`` when they
    cannot be compared: different widths, or too few expected matches for an answer.
    """
    if inner is None or outer is None or inner.n_cols != outer.n_cols:
        return None
    compared = len(inner.hashes)
    if compared == 0 or compared * outer.fraction < MIN_EXPECTED_HITS:
        return None
    found = float(np.isin(inner.hashes, outer.hashes).mean())
    # a table cannot lie more inside another than their sizes allow; this also bounds the
    # estimate when both samples come from one grid (a fold cut out of its whole table)
    return min(1.0, found / outer.fraction, outer.n_rows / inner.n_rows), compared
