"""``check_leakage`` on dask frames: the ``Measures`` of ``checks/leakage`` as partition work.

``check_leakage`` asks its questions of whole frames through ``leakage._measures.Measures``;
this class answers them without bringing a frame to one machine:

* row counts and the index kind: one pass reading one column (``frames.frame_info``);
  missing values per column counted when first asked, a column at a time;
* samples for role detection and the label checks: the rows the pandas engine's seeded draw
  picks, taken by global position (``frames.sample``);
* duplicate rows: fingerprints shuffled on disk by hash (``fingerprints``);
* shared entities and what chance predicts: a shuffle per entity column (``values``);
* dates: parsed once per column the way pandas decides, two passes for the order (``dates``);
* a counter's span: a min/max pass.

A pandas frame, array or path on one side goes in as a one-partition dask frame, so a dask
training set can be checked against an in-memory test set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.settings import LeakageSettings
from ..leakage import _inputs as messages
from ..leakage._hashing import column_kind
from ..leakage._overlap import Chance, Overlap, Shared, Temporal
from . import frames

LABEL = "leakage (dask)"


class DaskMeasures:
    """The leakage check's whole-frame questions, answered by partition reductions."""

    def __init__(self, train: Any, test: Any, feature_names: Sequence[str] | None) -> None:
        from . import require_dask

        require_dask()
        self.train = frames.as_dask(train, "train", feature_names, messages.as_frame)
        self.test = frames.as_dask(test, "test", feature_names, messages.as_frame)
        self.infos = {"train": frames.frame_info(self.train, f"{LABEL} train"),
                      "test": frames.frame_info(self.test, f"{LABEL} test")}
        for side in ("train", "test"):
            frames.validate(self._frame(side), side, self.infos[side], messages)
        self._values: dict[Any, tuple[Shared, Chance]] = {}
        self._sampled: dict[str, int] = {}

    def _frame(self, side: str) -> Any:
        return self.train if side == "train" else self.test

    def rows(self, side: str) -> int:
        return self.infos[side].rows

    def missing(self, side: str, column: Any) -> int:
        return self.infos[side].missing[column]

    def kind(self, side: str, column: Any) -> str:
        kind = column_kind(self._frame(side)._meta[column])
        if kind == "int" and self.missing(side, column):
            return "float"  # a nullable integer column with missing values, as pandas says
        return kind

    def index_name(self, side: str) -> Any:
        return self._frame(side)._meta.index.name

    def sample(self, side: str, size: int, rng: np.random.Generator) -> Any:
        rows = frames.sample(self._frame(side), self.infos[side], size, rng, f"{LABEL} {side}")
        self._sampled[side] = len(rows)
        return rows

    def duplicates(self, columns: list[Any], kinds: dict[Any, str],
                   config: LeakageSettings) -> tuple[Overlap, Overlap]:
        from .fingerprints import duplicates

        return duplicates(self.train, self.test, (self.infos["train"], self.infos["test"]),
                          columns, kinds, config.float_decimals, config.max_examples, LABEL)

    def _shared(self, column: Any, max_examples: int) -> tuple[Shared, Chance]:
        if column not in self._values:
            from ..leakage._hashing import pair_kind
            from .values import shared_values

            kind = pair_kind(self.kind("train", column), self.kind("test", column))
            self._values[column] = shared_values(
                self.train, self.test, (self.infos["train"], self.infos["test"]), column, kind,
                max_examples, LABEL)
        return self._values[column]

    def shared_ids(self, column: Any, max_examples: int) -> Shared:
        return self._shared(column, max_examples)[0]

    def chance(self, column: Any) -> Chance:
        return self._values[column][1]  # always asked after shared_ids of the same column

    def dates(self, side: str, column: Any) -> Any | None:
        from .dates import read_dates

        return read_dates(self._frame(side), self.infos[side], column, f"{LABEL} {side}")

    def temporal(self, train_dates: Any, test_dates: Any,
                 max_examples: int) -> Temporal | None:
        from .dates import temporal_order

        return temporal_order(train_dates, test_dates, max_examples)

    def sample_dates(self, dates: Any, sample: Any) -> Any:
        return dates.parse(sample[dates.column])

    def whole_numbers(self, column: Any) -> tuple[int, int] | None:
        import dask

        from .run import run_parts

        integers = self.kind("train", column) == "int"
        spans = run_parts([dask.delayed(_span)(part, integers)
                           for part in frames.column_parts(self.train, column)],
                          f"{LABEL}: range of {column!r}")
        if any(span is False for span in spans):
            return None  # some value is not a number
        found = [span for span in spans if span is not None]
        if not found:
            return None
        return min(low for low, _ in found), max(high for _, high in found)

    def describe(self) -> dict[str, Any]:
        from .run import scheduler_name

        return {"data_engine": {
            "name": "dask",
            "scheduler": scheduler_name(),
            "partitions": {side: len(self.infos[side].lengths) for side in ("train", "test")},
            "sample_rows": dict(sorted(self._sampled.items())),
        }}


def _span(series: Any, integers: bool) -> tuple[int, int] | None | bool:
    """(min, max) of a partition's whole numbers; None when empty; False when not numbers."""
    from ..leakage._roles import as_numbers

    whole = series if integers else as_numbers(series.dropna(), probe=None)
    if whole is None:
        return False if len(series.dropna()) else None
    if not len(whole):
        return None
    return int(whole.min()), int(whole.max())
