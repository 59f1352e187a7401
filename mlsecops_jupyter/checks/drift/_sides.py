"""The two sides of a drift check as it reads them: row and missing counts, then samples.

``check_drift`` needs three things from the whole data: how many rows each side has, how many
values of each compared column are missing (missing shares count every row), and a seeded
sample of rows for the value tests and the domain classifier. ``FrameSides`` answers them for
pandas frames in memory (the sample stays a list of positions into the frame); the dask engine
(``checks/_dask/drift.py``) answers them with one counting pass and the same rows taken across
partitions, so both engines test the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ...core.settings import DriftSettings
from ._inputs import as_frame, check_rows, sample_positions

SIDES = ("reference", "current")
Positions = tuple[np.ndarray | None, np.ndarray | None]


class Sides(Protocol):
    """Reference and current data, counted; ``sampled`` gives the frames the tests read."""

    reference: Any
    current: Any

    def rows(self, side: str) -> int:
        """All rows of ``side`` (``reference`` or ``current``)."""

    def missing(self, side: str, column: Any) -> int:
        """Missing values of ``column`` over every row of ``side``."""

    def sampled(self, columns: Sequence[Any], config: DriftSettings
                ) -> tuple[Any, Any, Positions]:
        """Pandas frames holding (at least) the sampled rows of ``columns``, and the positions
        of the sample in them (None: the whole frame is the sample)."""

    def describe(self) -> dict[str, Any]:
        """Metrics about how the data was read (engine, partitions); empty for pandas."""


def sides_for(reference: Any, current: Any, feature_names: Sequence[str] | None,
              config: DriftSettings) -> Sides:
    """The engine for the two inputs: dask when either is a dask frame, else pandas."""
    from .._dask import engine_of

    if engine_of(reference, current) == "dask":
        from .._dask.drift import DaskSides

        return DaskSides(reference, current, feature_names, config)
    return FrameSides(as_frame(reference, "reference", feature_names),
                      as_frame(current, "current", feature_names), config)


class FrameSides:
    """Two pandas frames in memory; the sample is a seeded list of positions into each."""

    def __init__(self, reference: Any, current: Any, config: DriftSettings) -> None:
        self.reference, self.current = reference, current
        check_rows(len(reference), "reference", config.min_rows)
        check_rows(len(current), "current", config.min_rows)

    def _frame(self, side: str) -> Any:
        return self.reference if side == "reference" else self.current

    def rows(self, side: str) -> int:
        return len(self._frame(side))

    def missing(self, side: str, column: Any) -> int:
        return int(self._frame(side)[column].isna().sum())

    def sampled(self, columns: Sequence[Any], config: DriftSettings
                ) -> tuple[Any, Any, Positions]:
        rng = np.random.default_rng(config.seed)
        positions = (sample_positions(len(self.reference), config.sample_rows, rng),
                     sample_positions(len(self.current), config.sample_rows, rng))
        return self.reference, self.current, positions

    def describe(self) -> dict[str, Any]:
        return {}


def all_missing(sides: Sides, side: str, column: Any) -> bool:
    """No value at all in ``column`` of ``side``."""
    return sides.missing(side, column) == sides.rows(side)
