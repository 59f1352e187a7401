"""``scan_pii`` on a dask frame: the pandas engine's row sample, drawn across partitions.

The pandas engine types columns on a seeded sample of ``pii.sample_rows`` rows
(``np.sort(rng.choice(len(df), size))``). Here one pass counts the rows of each partition, the
same generator draws the same global positions, and only those rows are taken from the
partitions they fall in: the sample (and so every verdict, share and example) is the one pandas
would draw from the same rows in the same order. Nothing else of the frame leaves the workers.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError, MLSecUsageError

LABEL = "pii (dask)"


class _Rows:
    """Stands for the frame where the report only needs its length."""

    def __init__(self, rows: int) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return self.rows


def sampled_frame(df: Any, columns: Sequence[Any] | None, sample: int | None,
                  pii: Any) -> tuple[Any, int, dict[str, Any]]:
    """The sampled pandas rows of the wanted columns, the frame's row count, engine metrics."""
    from ..pii import frame as pii_frame
    from . import frames, require_dask
    from .run import scheduler_name

    require_dask()
    rows = pii.sample_rows if sample is None else sample
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows <= 0:
        raise MLSecUsageError(pii_frame.BAD_SAMPLE.format(value=sample))
    if len(df.columns) == 0:
        raise MLSecInputError(pii_frame.NO_COLUMNS)
    wanted = _wanted(df, columns)
    info = frames.frame_info(df[wanted] if wanted else df, LABEL)
    if info.rows == 0:
        raise MLSecInputError(pii_frame.NO_ROWS)
    rng = np.random.default_rng(pii.seed)
    picked = frames.sample(df[wanted], info, int(rows), rng, LABEL)
    engine = {"name": "dask", "scheduler": scheduler_name(),
              "partitions": int(df.npartitions), "sample_rows": len(picked)}
    return picked, info.rows, engine


def _wanted(df: Any, columns: Sequence[Any] | None) -> list[Any]:
    from ..pii import frame as pii_frame

    if columns is None:
        return list(df.columns)
    if isinstance(columns, str):
        columns = [columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MLSecInputError(pii_frame.UNKNOWN_COLUMNS.format(
            names=", ".join(map(repr, missing))))
    return [c for c in df.columns if c in set(columns)]


def scan_pii_dask(df: Any, columns: Sequence[Any] | None = None, sample: int | None = None,
                  spans: bool = False, settings: Any = None, subject: str | None = None) -> Any:
    """``scan_pii`` of a dask DataFrame (same parameters, same report, plus ``engine``)."""
    from ...core.settings import Settings
    from ..pii import frame as pii_frame
    from ..pii.protected import protected_columns

    started = time.perf_counter()
    pii = (settings or Settings()).pii
    picked, total, engine = sampled_frame(df, columns, sample, pii)
    verdicts = [pii_frame.classify_column(picked.columns[i], picked.iloc[:, i], pii,
                                          spans=spans) for i in range(picked.shape[1])]
    report = pii_frame._report(verdicts, _Rows(total), len(picked), pii, subject,
                               time.perf_counter() - started)
    # protected attributes are judged on the sample, as the pandas engine judges them
    pii_frame.add_protected(report, protected_columns(picked, pii.protected_columns,
                                                      pii.not_protected_columns))
    report.metrics["data_engine"] = engine
    return report
