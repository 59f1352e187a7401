"""What ``check_leakage`` reads from whole frames, behind one small interface.

Everything the check computes over every row (row and missing counts, the fingerprint overlap,
shared values and what chance predicts for them, date order, parsed dates, the span of a
counter) goes through a ``Measures`` object; everything else runs on seeded samples. The
pandas engine here wraps the in-memory functions of ``_hashing``/``_overlap``/``_roles``; the
dask engine (``checks/_dask/leakage.py``) answers the same questions with per-partition
reductions and a bounded-memory merge, so the two give the same findings and counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ...core.settings import LeakageSettings
from . import _overlap
from ._hashing import column_kind, row_hashes
from ._inputs import as_frame


class Measures(Protocol):
    """The whole-frame questions of the leakage check (``train``/``test`` are the sides)."""

    train: Any
    test: Any

    def rows(self, side: str) -> int:
        """Rows of one side."""

    def missing(self, side: str, column: Any) -> int:
        """Missing values of one column of one side."""

    def kind(self, side: str, column: Any) -> str:
        """How the column is hashed (``_hashing.column_kind``)."""

    def index_name(self, side: str) -> Any:
        """The name of the side's row index (examples quote its labels)."""

    def sample(self, side: str, size: int, rng: np.random.Generator) -> Any:
        """A seeded pandas sample of ``size`` rows in frame order (all rows when fewer)."""

    def duplicates(self, columns: list[Any], kinds: dict[Any, str],
                   config: LeakageSettings) -> tuple[_overlap.Overlap, _overlap.Overlap]:
        """Exact and near-duplicate test rows over ``columns``."""

    def shared_ids(self, column: Any, max_examples: int) -> _overlap.Shared:
        """Distinct values on both sides and the test rows carrying one."""

    def chance(self, column: Any) -> _overlap.Chance:
        """What a random split of the pooled rows would share."""

    def dates(self, side: str, column: Any) -> Any | None:
        """The column as dates (text parsed once); None when no value parses."""

    def temporal(self, train_dates: Any, test_dates: Any,
                 max_examples: int) -> _overlap.Temporal | None:
        """Test rows dated before the latest training date."""

    def sample_dates(self, dates: Any, sample: Any) -> Any:
        """The parsed dates of the sampled training rows."""

    def whole_numbers(self, column: Any) -> tuple[int, int] | None:
        """Smallest and largest value of a training column of whole numbers, else None."""

    def describe(self) -> dict[str, Any]:
        """Metrics about how the data was read (engine, partitions); empty for pandas."""


def measures_for(train: Any, test: Any, feature_names: Sequence[str] | None) -> Measures:
    """The engine for the two inputs: dask when either side is a dask frame, else pandas."""
    from .._dask import engine_of

    if engine_of(train, test) == "dask":
        from .._dask.leakage import DaskMeasures

        return DaskMeasures(train, test, feature_names)
    return FrameMeasures(as_frame(train, "train", feature_names),
                         as_frame(test, "test", feature_names))


class FrameMeasures:
    """The pandas engine: two frames in memory, read in place."""

    def __init__(self, train: Any, test: Any) -> None:
        self.train = train
        self.test = test

    def _frame(self, side: str) -> Any:
        return self.train if side == "train" else self.test

    def rows(self, side: str) -> int:
        return len(self._frame(side))

    def missing(self, side: str, column: Any) -> int:
        return int(self._frame(side)[column].isna().sum())

    def kind(self, side: str, column: Any) -> str:
        return column_kind(self._frame(side)[column])

    def index_name(self, side: str) -> Any:
        return self._frame(side).index.name

    def sample(self, side: str, size: int, rng: np.random.Generator) -> Any:
        frame = self._frame(side)
        if len(frame) <= size:
            return frame
        positions = np.sort(rng.choice(len(frame), size=size, replace=False))
        return frame.iloc[positions]

    def duplicates(self, columns: list[Any], kinds: dict[Any, str],
                   config: LeakageSettings) -> tuple[_overlap.Overlap, _overlap.Overlap]:
        train, test = self.train, self.test
        train_exact, train_normal = row_hashes(train, columns, kinds, config.float_decimals)
        test_exact, test_normal = row_hashes(test, columns, kinds, config.float_decimals)
        exact, exact_mask = _overlap.exact_duplicates(train, test, columns, kinds, train_exact,
                                                      test_exact, config.max_examples)
        del train_exact, test_exact
        near = _overlap.near_duplicates(train, test, train_normal, test_normal, exact_mask,
                                        config.max_examples)
        return exact, near

    def shared_ids(self, column: Any, max_examples: int) -> _overlap.Shared:
        return _overlap.shared_ids(self.train[column], self.test[column], max_examples)

    def chance(self, column: Any) -> _overlap.Chance:
        return _overlap.random_split_chance(self.train[column], self.test[column])

    def dates(self, side: str, column: Any) -> Any | None:
        import pandas as pd

        from ._roles import parse_dates

        series = self._frame(side)[column]
        if column_kind(series) == "datetime":
            return series
        parsed = parse_dates(series)
        if parsed.notna().sum() == 0 and series.notna().any():
            return None
        return pd.Series(parsed, index=series.index, copy=False)

    def temporal(self, train_dates: Any, test_dates: Any,
                 max_examples: int) -> _overlap.Temporal | None:
        return _overlap.temporal_order(train_dates, test_dates, max_examples)

    def sample_dates(self, dates: Any, sample: Any) -> Any:
        return dates.loc[sample.index]

    def whole_numbers(self, column: Any) -> tuple[int, int] | None:
        from ._roles import as_numbers

        series = self.train[column]
        whole = series if column_kind(series) == "int" else as_numbers(series.dropna(),
                                                                        probe=None)
        if whole is None or not len(whole):
            return None
        return int(whole.min()), int(whole.max())

    def describe(self) -> dict[str, Any]:
        return {}
