"""Date columns of a dask frame: parsed as the pandas engine parses them, and their order.

The pandas engine parses a text column as ISO 8601 when 99 % of its values read so, else with
pandas' own inference, which guesses one format from the first value. Parsing partition by
partition would let each partition decide (and guess) on its own, so here the decision is made
once for the whole column (one pass counting what ISO 8601 reads, and the first value), and
every partition then parses the same way. LEAK-TEMPORAL needs the latest training date and the
earliest test date before it can count, so it takes two passes over the date column.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..leakage._hashing import column_kind, numeric_values
from ..leakage._overlap import Temporal
from .frames import column_parts

ISO, AS_IS = "ISO8601", "datetime"
NAT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class DateParser:
    """How a column becomes dates: the same for every partition (shipped to the workers)."""

    method: str   # AS_IS (a datetime dtype), ISO, a strptime format, or "mixed"

    def parse(self, series: Any) -> Any:
        """The values of ``series`` (a pandas slice of this column) as datetimes."""
        import pandas as pd

        if self.method == AS_IS:
            return series
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return pd.to_datetime(series, errors="coerce", format=self.method)
            except (ValueError, TypeError, OverflowError):
                return pd.Series(pd.NaT, index=series.index)


class Dates:
    """A column of one side read as dates: where it lives, and its parser."""

    def __init__(self, frame: Any, info: Any, column: Any, method: str, label: str) -> None:
        self.frame, self.info, self.column, self.label = frame, info, column, label
        self.parser = DateParser(method)

    def parse(self, series: Any) -> Any:
        return self.parser.parse(series)


def _iso_counts(series: Any) -> tuple[int, int, bool, Any]:
    import pandas as pd

    present = series.dropna()
    first = present.iloc[0] if len(present) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(series, errors="coerce", format=ISO)
        except (ValueError, TypeError):
            return 0, len(present), True, first
    return int(parsed.notna().sum()), len(present), False, first


def _parsed_count(series: Any, parser: DateParser) -> int:
    return int(parser.parse(series).notna().sum())


def read_dates(frame: Any, info: Any, column: Any, label: str) -> Dates | None:
    """How this side's column reads as dates (as ``_roles.parse_dates`` would read it whole);
    None when it holds values and none of them parses."""
    import dask

    from .run import run_parts

    if column_kind(frame._meta[column]) == "datetime":
        return Dates(frame, info, column, AS_IS, label)
    parts = column_parts(frame, column)
    counts = run_parts([dask.delayed(_iso_counts)(part) for part in parts],
                       f"{label}: reading {column!r} as dates")
    iso = sum(c[0] for c in counts)
    present = sum(c[1] for c in counts)
    raised = any(c[2] for c in counts)
    if not raised and iso >= 0.99 * present:
        dates = Dates(frame, info, column, ISO, label)
        parsed = iso
    else:
        first = next((c[3] for c in counts if c[3] is not None), None)
        dates = Dates(frame, info, column, _guessed_format(first), label)
        parsed = sum(run_parts([dask.delayed(_parsed_count)(part, dates.parser) for part in parts],
                               f"{label}: parsing {column!r}"))
    if parsed == 0 and present:
        return None
    return dates


def _guessed_format(first: Any) -> str:
    """The format pandas infers from a column's first value ("mixed" when it cannot)."""
    if not isinstance(first, str):
        return "mixed"
    from pandas.tseries.api import guess_datetime_format

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        guessed = guess_datetime_format(first)
    return guessed or "mixed"


def _nanoseconds(part: Any, parser: DateParser) -> np.ndarray:
    return numeric_values(parser.parse(part), "datetime")


def _extremes(part: Any, parser: DateParser) -> tuple[int, int, int, int]:
    """(valid, missing, earliest, latest) of one partition (NAT when it has no date)."""
    values = _nanoseconds(part, parser)
    valid = values[values != NAT]
    if not len(valid):
        return 0, len(values), NAT, NAT
    return len(valid), len(values) - len(valid), int(valid.min()), int(valid.max())


def _count_before(part: Any, parser: DateParser, bound: int) -> int:
    values = _nanoseconds(part, parser)
    return int(np.count_nonzero((values != NAT) & (values < bound)))


def _test_before(part: Any, parser: DateParser, bound: int, start: int,
                 max_examples: int) -> tuple[int, list[int]]:
    values = _nanoseconds(part, parser)
    before = np.flatnonzero((values != NAT) & (values < bound))
    return len(before), [start + int(p) for p in before[:max_examples]]


def temporal_order(train: Dates, test: Dates, max_examples: int) -> Temporal | None:
    """``_overlap.temporal_order`` over two dask date columns (None: a side has no date)."""
    import dask
    import pandas as pd

    from .frames import labels_at, partition_offsets
    from .run import run_parts

    train_parts = column_parts(train.frame, train.column)
    test_parts = column_parts(test.frame, test.column)
    seen = run_parts([dask.delayed(_extremes)(part, dates.parser)
                      for dates, parts in ((train, train_parts), (test, test_parts))
                      for part in parts], f"{train.label}: date range")
    train_seen, test_seen = seen[:len(train_parts)], seen[len(train_parts):]
    train_valid = sum(s[0] for s in train_seen)
    test_valid = sum(s[0] for s in test_seen)
    if not train_valid or not test_valid:
        return None
    latest = max(s[3] for s in train_seen if s[0])
    earliest_test = min(s[2] for s in test_seen if s[0])
    counted = run_parts(
        [dask.delayed(_count_before)(part, train.parser, earliest_test) for part in train_parts]
        + [dask.delayed(_test_before)(part, test.parser, latest, start, max_examples)
           for part, start in zip(test_parts, partition_offsets(test.info), strict=True)],
        f"{train.label}: date order")
    train_before = sum(counted[:len(train_parts)])
    test_counts = counted[len(train_parts):]
    examples = sorted(p for _, positions in test_counts for p in positions)[:max_examples]
    return Temporal(
        count=sum(c for c, _ in test_counts),
        train_max=str(pd.Timestamp(latest)),
        test_min=str(pd.Timestamp(earliest_test)),
        train_share_before_test=float(train_before) / train_valid,
        examples=labels_at(test.frame, test.info, examples, test.label),
        missing_test=sum(s[1] for s in test_seen),
    )
