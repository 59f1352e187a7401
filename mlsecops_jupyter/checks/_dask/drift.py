"""``check_drift`` on dask frames: counts over every row, the tests on the same sample.

One pass per side counts rows and missing values per column (missing shares count every row,
as in the pandas engine); the per-column tests and the domain classifier read a seeded sample
of rows. The sample is drawn exactly as the pandas engine draws it (the same generator, the
same global positions, reference first), taken from the partitions those positions fall in, so
the tests see the same values in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.settings import DriftSettings
from ..drift import _inputs as messages
from ..drift._inputs import check_rows, sample_positions
from ..drift._sides import SIDES, Positions
from . import frames

LABEL = "drift (dask)"


class DaskSides:
    """Reference and current dask frames: counted once, sampled by global position."""

    def __init__(self, reference: Any, current: Any, feature_names: Sequence[str] | None,
                 config: DriftSettings) -> None:
        from . import require_dask

        require_dask()
        self.reference = frames.as_dask(reference, "reference", feature_names,
                                         messages.as_frame)
        self.current = frames.as_dask(current, "current", feature_names, messages.as_frame)
        self.infos = {}
        for side in SIDES:
            frame = self._frame(side)
            info = frames.frame_info(frame, f"{LABEL} {side}", missing=True)
            frames.validate(frame, side, info, messages)
            check_rows(info.rows, side, config.min_rows)
            self.infos[side] = info
        self._sampled: dict[str, int] = {}

    def _frame(self, side: str) -> Any:
        return self.reference if side == "reference" else self.current

    def rows(self, side: str) -> int:
        return self.infos[side].rows

    def missing(self, side: str, column: Any) -> int:
        return self.infos[side].missing[column]

    def sampled(self, columns: Sequence[Any], config: DriftSettings
                ) -> tuple[Any, Any, Positions]:
        rng = np.random.default_rng(config.seed)
        taken = []
        for side in SIDES:
            frame, info = self._frame(side), self.infos[side]
            wanted = [c for c in frame.columns if c in set(columns)]
            positions = sample_positions(info.rows, config.sample_rows, rng)
            if positions is None:
                rows = frames.whole(frame[wanted], info, f"{LABEL} {side}")
            else:
                rows = frames.take(frame[wanted], info, positions, f"{LABEL} {side}")
            self._sampled[side] = len(rows)
            taken.append(rows)
        return taken[0], taken[1], (None, None)

    def describe(self) -> dict[str, Any]:
        from .run import scheduler_name

        return {"data_engine": {
            "name": "dask",
            "scheduler": scheduler_name(),
            "partitions": {side: len(self.infos[side].lengths) for side in SIDES},
            "sample_rows": dict(self._sampled),
        }}
