"""Row overlap (exact and near duplicates), shared entities and temporal order.

Duplicates are found by fingerprint membership (a hash table, not a sort) and every exact match
is then verified value by value against one training row with the same fingerprint, so
``count`` is exact. Near duplicates rest on the normalised fingerprints (64 bits: a chance
collision among millions of rows has a probability of about 1e-7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._hashing import numeric_values, pair_kind


@dataclass
class Overlap:
    """Test rows matching a training row: how many, and a few (test, train) index pairs."""

    count: int
    examples: list[dict[str, Any]] = field(default_factory=list)


def _member(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    import pandas as pd

    return np.array(pd.Series(values, copy=False).isin(reference), dtype=bool)


def _first_positions(train_hashes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each fingerprint in ``wanted``, the position of one training row that has it.

    Only the training rows whose fingerprint is wanted are indexed (a hash table of the few
    wanted values probed by every training row), never the whole training set.
    """
    import pandas as pd

    candidates = np.flatnonzero(_member(train_hashes, np.unique(wanted)))
    positions = pd.Series(candidates, index=train_hashes[candidates], copy=False)
    positions = positions[~positions.index.duplicated()]
    return np.asarray(positions.reindex(wanted).to_numpy(), dtype=np.int64)


def _same_values(train_col: Any, test_col: Any, train_pos: np.ndarray,
                 test_pos: np.ndarray, kind: str) -> np.ndarray:
    """Value-by-value equality of matched cells (missing equals missing)."""
    import pandas as pd

    left = train_col.iloc[train_pos]
    right = test_col.iloc[test_pos]
    if kind in ("int", "float", "datetime"):
        a, b = numeric_values(left, kind), numeric_values(right, kind)
        equal = a == b
        if kind == "float":
            equal |= np.isnan(a) & np.isnan(b)
        return np.asarray(equal)
    a_obj = left.to_numpy(dtype=object)
    b_obj = right.to_numpy(dtype=object)
    a_na, b_na = np.asarray(pd.isna(a_obj)), np.asarray(pd.isna(b_obj))
    same = np.array([str(x) == str(y) for x, y in zip(a_obj, b_obj, strict=True)], dtype=bool)
    return (same & ~a_na & ~b_na) | (a_na & b_na)


def exact_duplicates(train: Any, test: Any, columns: list[Any], kinds: dict[Any, str],
                     train_hashes: np.ndarray, test_hashes: np.ndarray,
                     max_examples: int) -> tuple[Overlap, np.ndarray]:
    """Test rows identical to a training row; also returns the verified match mask."""
    matched = _member(test_hashes, train_hashes)
    test_pos = np.flatnonzero(matched)
    if len(test_pos):
        train_pos = _first_positions(train_hashes, test_hashes[test_pos])
        verified = np.ones(len(test_pos), dtype=bool)
        for column in columns:
            verified &= _same_values(train[column], test[column], train_pos, test_pos,
                                     kinds[column])
        matched[test_pos[~verified]] = False
        test_pos, train_pos = test_pos[verified], train_pos[verified]
    else:
        train_pos = test_pos
    return Overlap(len(test_pos), _examples(train, test, train_pos, test_pos, max_examples)), \
        matched


def near_duplicates(train: Any, test: Any, train_hashes: np.ndarray, test_hashes: np.ndarray,
                    exact_mask: np.ndarray, max_examples: int) -> Overlap:
    """Test rows equal to a training row after normalisation that are not exact duplicates."""
    matched = _member(test_hashes, train_hashes) & ~exact_mask
    test_pos = np.flatnonzero(matched)
    train_pos = _first_positions(train_hashes, test_hashes[test_pos[:max_examples]]) \
        if len(test_pos) else test_pos
    return Overlap(len(test_pos), _examples(train, test, train_pos, test_pos, max_examples))


def _examples(train: Any, test: Any, train_pos: np.ndarray, test_pos: np.ndarray,
              limit: int) -> list[dict[str, Any]]:
    return [{"test": _plain(test.index[t]), "train": _plain(train.index[r])}
            for t, r in zip(test_pos[:limit], train_pos[:limit], strict=False)]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@dataclass
class Shared:
    """Entities present in both sets: distinct ids shared, affected test rows, examples."""

    count: int
    test_rows: int
    test_distinct: int
    examples: list[Any]


def shared_ids(train_col: Any, test_col: Any, max_examples: int) -> Shared:
    """Distinct non-missing ids on both sides and the test rows that carry one of them.

    The hash table is built on the test side's distinct ids (the smaller set) and probed by
    every training row, which is cheaper than tabulating the training ids. Text ids go through
    Arrow's compute kernels (pandas' ``isin`` on Arrow strings loops in Python).
    """
    import pandas as pd

    kind = pair_kind(_kind(train_col), _kind(test_col))
    if kind == "text":
        return _shared_text(train_col, test_col, max_examples)
    train_values = pd.Series(numeric_values(train_col, kind), copy=False)
    test_values = pd.Series(numeric_values(test_col, kind), copy=False)
    if kind == "datetime":
        nat = np.iinfo(np.int64).min
        train_values = train_values.where(train_values != nat)
        test_values = test_values.where(test_values != nat)
    test_unique = pd.unique(test_values.dropna())
    in_test = np.asarray(train_values.isin(test_unique))
    shared = pd.unique(train_values[in_test].dropna()) if in_test.any() else test_unique[:0]
    rows = int(test_values.isin(shared).sum()) if len(shared) else 0
    examples = [_plain(v) for v in np.sort(np.asarray(shared))[:max_examples]]
    if kind == "datetime":
        examples = [str(pd.Timestamp(int(v))) for v in examples]
    return Shared(len(shared), rows, len(test_unique), examples)


def _arrow_text(series: Any) -> Any:
    """The column as an Arrow string array (missing values as nulls), zero-copy when it is one."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return pa.chunked_array(pa.array(series.array)).cast(pa.large_string())
    text = series.astype(str).where(series.notna()).to_numpy(dtype=object)
    return pa.chunked_array([pa.array(text, type=pa.large_string(), from_pandas=True)])


def _shared_text(train_col: Any, test_col: Any, max_examples: int) -> Shared:
    try:
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is optional: pandas' hash tables on Python strings
        return _shared_text_pandas(train_col, test_col, max_examples)
    train_values, test_values = _arrow_text(train_col), _arrow_text(test_col)
    test_unique = pc.unique(test_values.drop_null())
    in_test = pc.is_in(train_values, value_set=test_unique)
    shared = pc.unique(pc.filter(train_values, in_test))
    rows = int(pc.sum(pc.is_in(test_values, value_set=shared)).as_py() or 0) \
        if len(shared) else 0
    first = pc.take(shared, pc.sort_indices(shared)[:max_examples]) if len(shared) else shared
    return Shared(len(shared), rows, len(test_unique), first.to_pylist())


def _shared_text_pandas(train_col: Any, test_col: Any, max_examples: int) -> Shared:
    import pandas as pd

    train_values = train_col.astype(str).where(train_col.notna()).astype(object)
    test_values = test_col.astype(str).where(test_col.notna()).astype(object)
    test_unique = pd.unique(test_values.dropna())
    in_test = np.asarray(train_values.isin(test_unique))
    shared = pd.unique(train_values[in_test].dropna()) if in_test.any() else test_unique[:0]
    rows = int(test_values.isin(shared).sum()) if len(shared) else 0
    return Shared(len(shared), rows, len(test_unique), sorted(shared)[:max_examples])


@dataclass
class Chance:
    """What a random split of the same rows would share: the yardstick for an overlap.

    A value that occurs ``c`` times in train and test together lands on both sides of a random
    split with probability ``1 - p**c - (1 - p)**c`` (``p``: train's share of the rows), and a
    test row carrying it meets it in training with probability ``1 - (1 - p)**(c - 1)``.
    Summed over the values, these give the shared values and test rows to expect by chance.
    """

    shared: float
    shared_sd: float
    test_rows: float

    def exceeded_by(self, observed: int, z: float) -> bool:
        """Is ``observed`` above chance by more than ``z`` standard deviations?"""
        return observed > self.shared + z * self.shared_sd + 0.5


def random_split_chance(train_col: Any, test_col: Any) -> Chance:
    """Shared values and test rows a random split of the pooled rows would give (``Chance``)."""
    counts = _pooled_counts(train_col, test_col)
    n_train = int(train_col.notna().sum())
    n_test = int(test_col.notna().sum())
    if not len(counts) or not n_train or not n_test:
        return Chance(0.0, 0.0, 0.0)
    p = n_train / (n_train + n_test)
    q = 1.0 - p
    c = counts.astype(np.float64)
    both = 1.0 - p ** c - q ** c
    rows = c * q * (1.0 - q ** (c - 1.0))
    return Chance(float(both.sum()), float(np.sqrt((both * (1.0 - both)).sum())),
                  float(rows.sum()))


def _pooled_counts(train_col: Any, test_col: Any) -> np.ndarray:
    """How often each value repeated in train and test together occurs (counts of 2 or more)."""
    import pandas as pd

    kind = pair_kind(_kind(train_col), _kind(test_col))
    if kind == "text":
        try:
            import pyarrow as pa
            import pyarrow.compute as pc
        except ImportError:
            both = pd.concat([train_col.astype(str).where(train_col.notna()),
                              test_col.astype(str).where(test_col.notna())], ignore_index=True)
            counts = both.dropna().value_counts(sort=False).to_numpy()
        else:
            pooled = pa.chunked_array([*_arrow_text(train_col).chunks,
                                       *_arrow_text(test_col).chunks])
            tally = pc.value_counts(pooled.drop_null())
            counts = np.asarray(tally.field("counts"), dtype=np.int64) if len(tally) \
                else np.zeros(0, dtype=np.int64)
    else:
        values = np.concatenate([numeric_values(train_col, kind), numeric_values(test_col, kind)])
        if kind == "int" and len(values):
            low, high = int(values.min()), int(values.max())
            if high - low < 4 * len(values):  # dense ids: a bincount beats a hash table
                counts = np.bincount(values - low)
                return counts[counts >= 2]
        series = pd.Series(values, copy=False)
        if kind == "datetime":
            series = series.where(series != np.iinfo(np.int64).min)
        counts = series.dropna().value_counts(sort=False).to_numpy()
    counts = np.asarray(counts, dtype=np.int64)
    return counts[counts >= 2]


def _kind(series: Any) -> str:
    from ._hashing import column_kind

    return column_kind(series)


@dataclass
class Temporal:
    """Test rows dated before the latest training date."""

    count: int
    train_max: str
    test_min: str
    train_share_before_test: float
    examples: list[Any]
    missing_test: int


def temporal_order(train_dates: Any, test_dates: Any, max_examples: int) -> Temporal | None:
    """Compare dates (already datetime64); ``None`` when a side has no dates at all."""
    import pandas as pd

    train_ns = numeric_values(train_dates, "datetime")
    test_ns = numeric_values(test_dates, "datetime")
    nat = np.iinfo(np.int64).min
    train_ok = train_ns[train_ns != nat]
    test_valid = test_ns != nat
    if not len(train_ok) or not test_valid.any():
        return None
    latest = train_ok.max()
    earliest_test = test_ns[test_valid].min()
    before = test_valid & (test_ns < latest)
    positions = np.flatnonzero(before)
    share = float(np.count_nonzero(train_ok < earliest_test)) / len(train_ok)
    return Temporal(
        count=int(len(positions)),
        train_max=str(pd.Timestamp(latest)),
        test_min=str(pd.Timestamp(earliest_test)),
        train_share_before_test=share,
        examples=[_plain(test_dates.index[p]) for p in positions[:max_examples]],
        missing_test=int(np.count_nonzero(~test_valid)),
    )
