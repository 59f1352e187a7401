"""Values two dask frames share in one column (entities, ids, free text), in bounded memory.

The non-missing values of both sides, in the one representation the pandas engine compares
them in (``_overlap``: text as ``str``, numbers as int64/float64, dates as nanoseconds), meet in
a hash-partitioned shuffle on the value, so each bucket tallies every occurrence of its values
on each side. A bucket's tallies give its shared values, the test rows carrying one, the test
side's distinct values and how often each pooled value repeats (what a random split would
share: ``_overlap.Chance``); buckets add up, and the smallest shared values are the examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..leakage._hashing import numeric_values
from ..leakage._overlap import Chance, Shared
from .frames import column_parts, parts_of

SIDE_TRAIN, SIDE_TEST = 0, 1


def _value_dtype(kind: str) -> Any:
    import pandas as pd

    if kind == "text":
        return pd.StringDtype("pyarrow")
    return np.dtype(np.float64) if kind == "float" else np.dtype(np.int64)


def values_partition(series: Any, kind: str, side: int) -> Any:
    """The non-missing values of one partition, as the pandas engine compares them."""
    import pandas as pd

    if kind == "text":
        text = series.astype(str).where(series.notna()).dropna()
        values = text.astype(_value_dtype(kind)).to_numpy()
    else:
        numbers = numeric_values(series, kind)
        if kind == "float":
            numbers = numbers[~np.isnan(numbers)]
        elif kind == "datetime":
            numbers = numbers[numbers != np.iinfo(np.int64).min]
        values = numbers
    return pd.DataFrame({"value": pd.array(values, dtype=_value_dtype(kind)),
                         "side": np.full(len(values), side, dtype=np.int8)})


def _meta(kind: str) -> Any:
    import pandas as pd

    return pd.DataFrame({"value": pd.array([], dtype=_value_dtype(kind)),
                         "side": np.zeros(0, dtype=np.int8)})


@dataclass
class Tally:
    """One bucket's (or all buckets') shared values and repeat counts."""

    shared: int
    test_rows: int
    test_distinct: int
    examples: list[Any]
    repeats: dict[int, int]   # pooled count (>= 2) -> how many values occur that often


def tally_bucket(bucket: Any, max_examples: int) -> Tally:
    """Shared values, affected test rows and pooled repeat counts of one bucket.

    One factorisation of the bucket's values, then counts per side by ``bincount``.
    """
    import pandas as pd

    if not len(bucket):
        return Tally(0, 0, 0, [], {})
    codes, uniques = pd.factorize(bucket["value"], sort=False)
    side = bucket["side"].to_numpy()
    train = np.bincount(codes[side == SIDE_TRAIN], minlength=len(uniques))
    test = np.bincount(codes[side == SIDE_TEST], minlength=len(uniques))
    both = (train > 0) & (test > 0)
    smallest = pd.Series(uniques[both]).sort_values(kind="stable").iloc[:max_examples]
    pooled = train + test
    repeated, frequency = np.unique(pooled[pooled >= 2], return_counts=True)
    return Tally(int(both.sum()), int(test[both].sum()), int((test > 0).sum()),
                 [_plain(v) for v in smallest],
                 {int(c): int(f) for c, f in zip(repeated, frequency, strict=True)})


def merge_tallies(tallies: list[Tally], max_examples: int) -> Tally:
    repeats: dict[int, int] = {}
    for tally in tallies:
        for count, frequency in tally.repeats.items():
            repeats[count] = repeats.get(count, 0) + frequency
    examples = sorted(v for tally in tallies for v in tally.examples)[:max_examples]
    return Tally(sum(t.shared for t in tallies), sum(t.test_rows for t in tallies),
                 sum(t.test_distinct for t in tallies), examples, repeats)


def chance(repeats: dict[int, int], n_train: int, n_test: int) -> Chance:
    """``_overlap.random_split_chance`` from the pooled repeat counts."""
    if not repeats or not n_train or not n_test:
        return Chance(0.0, 0.0, 0.0)
    p = n_train / (n_train + n_test)
    q = 1.0 - p
    c = np.array(sorted(repeats), dtype=np.float64)
    frequency = np.array([repeats[int(k)] for k in c], dtype=np.float64)
    both = 1.0 - p ** c - q ** c
    rows = c * q * (1.0 - q ** (c - 1.0))
    return Chance(float((frequency * both).sum()),
                  float(np.sqrt((frequency * both * (1.0 - both)).sum())),
                  float((frequency * rows).sum()))


def shared_values(train: Any, test: Any, infos: tuple[Any, Any], column: Any, kind: str,
                  max_examples: int, label: str) -> tuple[Shared, Chance]:
    """``_overlap.shared_ids`` and ``random_split_chance`` of one column of two dask frames."""
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from .fingerprints import buckets_for
    from .run import active_client, run_parts

    pieces = [dask.delayed(values_partition)(part, kind, side)
              for side, frame in ((SIDE_TRAIN, train), (SIDE_TEST, test))
              for part in column_parts(frame, column)]
    held = run_parts(pieces, f"{label}: reading {column!r}", keep=True)
    if active_client() is None:
        held = [dask.delayed(piece) for piece in held]
    values = dd.from_delayed(held, meta=_meta(kind), verify_meta=False)
    rows = infos[0].rows + infos[1].rows
    method = "p2p" if active_client() is not None else "disk"
    shuffled = values.shuffle(on="value", npartitions=buckets_for(rows, len(held)),
                              shuffle_method=method)
    tallies = run_parts([dask.delayed(tally_bucket)(part, max_examples)
                         for part in parts_of(shuffled)], f"{label}: shared {column!r}")
    total = merge_tallies(tallies, max_examples)
    examples = total.examples
    if kind == "datetime":
        examples = [str(pd.Timestamp(int(v))) for v in examples]
    n_train = infos[0].rows - infos[0].missing[column]
    n_test = infos[1].rows - infos[1].missing[column]
    return (Shared(total.shared, total.test_rows, total.test_distinct, examples),
            chance(total.repeats, n_train, n_test))


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else value
