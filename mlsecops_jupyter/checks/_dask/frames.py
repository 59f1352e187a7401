"""A dask frame's shape, and rows taken from it by global position, the way pandas takes them.

The pandas checks sample rows by position (``rng.choice(len(df))`` then ``iloc``). Here one pass
counts each partition's rows (and each column's missing values, which the checks need too), so
a global position maps to (partition, local position): the same seeded draw picks the same rows
as it would from the whole frame in memory, and only those rows leave the workers.

Row labels: a frame read from files has a fresh ``RangeIndex`` per partition (every partition
starts at 0), where pandas reading the same files numbers the rows once. When every partition's
index is such a plain row number, a row's label is its global position, what pandas would show;
any other index keeps its own labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from .run import run_parts


def parts_of(collection: Any) -> list[Any]:
    """The partitions of a dask collection as Delayed objects, exactly as it is partitioned.

    Optimised without fusing: the column selection reaches the Parquet (or other) reader, so
    a one-column pass reads one column, not whole parts (reading every column of every part
    was most of this engine's cost). Fusing stays off because dask's optimiser would merge the
    small partitions of a Parquet read when only a few columns are selected, so ``frame[column]``
    could come in fewer, larger pieces than ``frame``, and a row's partition and position,
    counted once on the whole frame, would point elsewhere. Should an optimised graph still
    come in other pieces, the collection is taken as it is, unoptimised.
    """
    optimised = collection.optimize(fuse=False)
    if optimised.npartitions != collection.npartitions:
        optimised = collection
    return list(optimised.to_delayed(optimize_graph=False))


def column_parts(frame: Any, column: Any) -> list[Any]:
    """One column's partitions as Delayed pandas Series, reading that column alone.

    Selected as a one-column frame: dask pushes a frame's column list into the Parquet read,
    where a Series selection was still read whole in our measurements.
    """
    import operator

    import dask

    return [dask.delayed(operator.getitem, pure=True)(part, column)
            for part in parts_of(frame[[column]])]


def as_dask(data: Any, side: str, feature_names: Sequence[str] | None,
            as_frame: Callable[[Any, str, Sequence[str] | None], Any]) -> Any:
    """A dask frame for one side of a check: as it is, or an in-memory input (read by the
    check's own ``as_frame``, with its errors) in one partition."""
    import dask
    import dask.dataframe as dd

    from . import is_dask

    if is_dask(data):
        return data.to_frame() if not hasattr(data, "columns") else data
    frame = as_frame(data, side, feature_names)
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(frame, npartitions=1, sort=False)


class MissingCounts:
    """Missing values per column, counted when first asked, one column read at a time.

    A column whose dtype cannot hold a missing value (numpy integers and booleans) has none,
    without a read; a counted frame (``frame_info(..., missing=True)``) starts with every
    column known.
    """

    def __init__(self, frame: Any, label: str, known: dict[Any, int] | None = None) -> None:
        self.frame, self.label = frame, label
        self.known: dict[Any, int] = dict(known or {})

    def __getitem__(self, column: Any) -> int:
        if column not in self.known:
            self.known[column] = self._count(column)
        return self.known[column]

    def _count(self, column: Any) -> int:
        import dask

        dtype = self.frame._meta[column].dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            return 0
        return sum(run_parts([dask.delayed(_missing)(part)
                              for part in column_parts(self.frame, column)],
                             f"{self.label}: missing values of {column!r}"))


def _missing(series: Any) -> int:
    return int(series.isna().sum())


@dataclass
class FrameInfo:
    """Rows per partition, missing values per column, and whether labels are row numbers."""

    lengths: np.ndarray
    missing: MissingCounts
    positional: bool

    @property
    def rows(self) -> int:
        return int(self.lengths.sum())

    @property
    def starts(self) -> np.ndarray:
        """The global position of each partition's first row."""
        return np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)

    def locate(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(partition, position within it) of sorted global positions."""
        ends = np.cumsum(self.lengths)
        partition = np.searchsorted(ends, positions, side="right")
        return partition, positions - self.starts[partition]


def _partition_stats(part: Any, missing: bool) -> tuple[int, Any, tuple[str, int]]:
    import pandas as pd

    index = part.index
    plain = isinstance(index, pd.RangeIndex) and index.step == 1 and index.name is None
    return len(part), part.isna().sum() if missing else None, (
        "range" if plain else "other", int(index.start) if plain else 0)


def frame_info(frame: Any, label: str, *, missing: bool = False) -> FrameInfo:
    """One pass over ``frame``: rows per partition and index kind, and with ``missing`` the
    missing values of every column.

    Without ``missing`` the pass reads one column (the rows and the index are all it needs),
    and each column's missing values are counted when first asked (``MissingCounts``): a full
    read of every part only to count rows was the largest single cost of a check.
    """
    import dask

    counted = missing or len(frame.columns) == 0
    source = frame if counted else frame[list(frame.columns[:1])]
    stats = run_parts([dask.delayed(_partition_stats)(part, missing) for part in
                       parts_of(source)], f"{label}: counting rows")
    lengths = np.array([s[0] for s in stats], dtype=np.int64)
    known: dict[Any, int] | None = None
    if missing:
        known = {column: 0 for column in frame.columns}
        for _, counts, _ in stats:
            for column, count in counts.items():
                known[column] += int(count)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    kinds = [s[2] for s in stats]
    ranges = all(kind == "range" for kind, _ in kinds)
    positional = ranges and (all(start == 0 for _, start in kinds)
                             or all(int(start) == int(first) for (_, start), first
                                    in zip(kinds, starts, strict=True)))
    return FrameInfo(lengths, MissingCounts(frame, label, known), positional)


def validate(frame: Any, side: str, info: FrameInfo, messages: Any) -> None:
    """The one-line errors the pandas check gives for a frame without rows, columns or with
    duplicate names (``messages``: the check's module holding EMPTY, NO_COLUMNS and
    DUPLICATE_COLUMNS)."""
    if len(frame.columns) == 0:
        raise MLSecInputError(messages.NO_COLUMNS.format(side=side))
    if info.rows == 0:
        raise MLSecInputError(messages.EMPTY.format(side=side))
    names = list(frame.columns)
    duplicated = [name for i, name in enumerate(names) if name in names[:i]]
    if duplicated:
        raise MLSecInputError(messages.DUPLICATE_COLUMNS.format(
            side=side, names=", ".join(map(str, duplicated[:3]))))


def _rows_at(part: Any, local: np.ndarray) -> Any:
    return part.iloc[local]


def take(frame: Any, info: FrameInfo, positions: np.ndarray, label: str) -> Any:
    """The rows at sorted global ``positions`` as one pandas frame, in order."""
    import dask
    import pandas as pd

    partition, local = info.locate(positions)
    parts = parts_of(frame)
    tasks = []
    for number in np.unique(partition):
        chosen = local[partition == number]
        tasks.append(dask.delayed(_rows_at)(parts[int(number)], chosen))
    pieces = run_parts(tasks, f"{label}: sampling rows")
    rows = pd.concat(pieces) if pieces else frame._meta
    if info.positional:
        rows.index = pd.Index(np.asarray(positions, dtype=np.int64))
    return rows


def whole(frame: Any, info: FrameInfo, label: str) -> Any:
    """The whole (small) frame as pandas, labelled as pandas would label it."""
    import pandas as pd

    pieces = run_parts(list(parts_of(frame)), f"{label}: reading rows")
    rows = pd.concat(pieces) if pieces else frame._meta
    if info.positional:
        rows.index = pd.RangeIndex(len(rows))
    return rows


def sample(frame: Any, info: FrameInfo, size: int, rng: np.random.Generator,
           label: str) -> Any:
    """The seeded sample the pandas checks draw (``np.sort(rng.choice(rows, size))``)."""
    if info.rows <= size:
        return whole(frame, info, label)
    positions = np.sort(rng.choice(info.rows, size=size, replace=False))
    return take(frame, info, positions, label)


def _labels_at(index: Any, local: np.ndarray) -> list[Any]:
    return [_plain(value) for value in index[local]]


def labels_at(frame: Any, info: FrameInfo, positions: Sequence[int], label: str) -> list[Any]:
    """Row labels of global ``positions`` (any order), as examples quote them."""
    import dask

    wanted = np.asarray(positions, dtype=np.int64)
    if info.positional or not len(wanted):
        return [int(p) for p in wanted]
    order = np.argsort(wanted, kind="stable")
    partition, local = info.locate(wanted[order])
    index = [dask.delayed(getattr, pure=True)(part, "index")
             for part in parts_of(frame[list(frame.columns[:1])])]
    numbers = np.unique(partition)
    found = run_parts([dask.delayed(_labels_at)(index[int(n)], local[partition == n])
                       for n in numbers], f"{label}: row labels")
    ordered = [value for chunk in found for value in chunk]
    labels: list[Any] = [None] * len(wanted)
    for slot, value in zip(order, ordered, strict=True):
        labels[int(slot)] = value
    return labels


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def partition_offsets(info: FrameInfo) -> list[int]:
    """Global position of each partition's first row, as plain ints (to ship to workers)."""
    return [int(start) for start in info.starts]
