"""Turn what users pass as reference and current data into two frames and typed columns.

Every problem becomes one ``MLSecInputError`` line naming it before anything is computed:
a side that is not a table, empty, too short to test, columns the current data lacks, a column
that holds numbers on one side and text on the other. Frames are never copied whole: the check
samples rows first and reads only the sample's columns.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.suggest import did_you_mean
from ...core.table_io import read_table

NOT_TABULAR = "{side} must be a DataFrame, a 2-D array or a CSV/Parquet path, got {kind}"
NOT_2D = "{side} must be 2-D (rows x columns), got shape {shape}"
EMPTY = "{side} has no rows: there is nothing to compare"
NO_COLUMNS = "{side} has no columns"
TOO_FEW_ROWS = ("{side} has {rows} row(s): drift needs at least {minimum} rows on each side "
                "(drift.min_rows) for any test to mean something")
NAMES_MISMATCH = "feature_names has {got} names but {side} has {expected} columns"
DUPLICATE_COLUMNS = "{side} has duplicate column names ({names}); rename them first"
MISSING_COLUMNS = ("the current data lacks {count} column(s) of the reference: {names}; pass "
                   "columns=[...] (--columns) to compare only the others")
UNKNOWN_COLUMN = "{what}={name!r} is not a column of the {side} data"
BAD_COLUMN_NAME = "{what} must be a column name (str) or a pair (reference values, current " \
    "values), got {kind}"
KIND_MISMATCH = ("column {name!r} holds {reference} values in the reference but {current} "
                 "values in the current data; cast one side (pd.to_numeric, astype(str)) so "
                 "both hold the same kind")
NOT_1D = "{what} ({side}) must be one column of values, got shape {shape}"
NOTHING_LEFT = "no column is left to compare (after columns=/exclude= and the target and " \
    "prediction columns)"

# what a column holds, as the tests see it
NUMERIC, CATEGORICAL, DATETIME = "numeric", "categorical", "datetime"


def as_frame(data: Any, side: str, feature_names: Sequence[str] | None = None) -> Any:
    """A DataFrame for one side: a frame as is, an array with names, a file read."""
    import pandas as pd

    if isinstance(data, (str, os.PathLike)):
        frame = read_table(data)
    elif isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, pd.Series):
        frame = data.to_frame()
    elif isinstance(data, (np.ndarray, list, tuple)):
        array = np.asarray(data)
        if array.ndim == 1:
            array = array.reshape(-1, 1)
        if array.ndim != 2:
            raise MLSecInputError(NOT_2D.format(side=side, shape=array.shape))
        if feature_names is not None:
            names = [str(name) for name in feature_names]
            if len(names) != array.shape[1]:
                raise MLSecInputError(NAMES_MISMATCH.format(got=len(names), side=side,
                                                            expected=array.shape[1]))
        else:  # the names the lineage reference and the leakage check give array columns
            names = [f"x{i}" for i in range(array.shape[1])]
        frame = pd.DataFrame(array, columns=names, copy=False)
        if array.dtype == object:  # a mixed array holds every cell as an object
            frame = frame.infer_objects()
    else:
        raise MLSecInputError(NOT_TABULAR.format(side=side, kind=type(data).__name__))
    if frame.shape[1] == 0:
        raise MLSecInputError(NO_COLUMNS.format(side=side))
    if len(frame) == 0:
        raise MLSecInputError(EMPTY.format(side=side))
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise MLSecInputError(DUPLICATE_COLUMNS.format(
            side=side, names=", ".join(map(str, duplicated[:3]))))
    return frame


def check_rows(rows: int, side: str, minimum: int) -> None:
    if rows < minimum:
        raise MLSecInputError(TOO_FEW_ROWS.format(side=side, rows=rows, minimum=minimum))


def kind_of(values: Any) -> str:
    """``numeric`` (numbers, booleans, durations), ``datetime`` or ``categorical``."""
    import pandas as pd

    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return NUMERIC
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATETIME
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return NUMERIC
    return CATEGORICAL


def as_numbers(values: Any) -> np.ndarray:
    """float64 values (NaN for missing) of a numeric, boolean, duration or date column."""
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        if getattr(dtype, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        numbers = series.to_numpy(dtype="int64", na_value=np.iinfo(np.int64).min).astype(
            np.float64) / 1e9
        numbers[series.isna().to_numpy()] = np.nan
        return numbers
    if pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def as_text(values: Any) -> np.ndarray:
    """Object array of category labels (``str`` of each value), ``None`` for missing."""
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = series.isna().to_numpy()
    text = series.astype(str).to_numpy(dtype=object)
    text[missing] = None
    return text


@dataclass
class Columns:
    """The columns to compare, their kinds, and what was left out and why."""

    features: list[Any]
    kinds: dict[Any, str]
    only_current: list[Any]


def resolve_columns(reference: Any, current: Any, columns: Sequence[Any] | None,
                    exclude: Sequence[Any] | None, reserved: Sequence[Any],
                    all_missing: Callable[[str, Any], bool] | None = None) -> Columns:
    """The feature columns both sides must hold, with one kind each, in the reference's order.

    ``all_missing(side, column)`` says whether a side has no value at all in a column (default:
    read the frames; the dask engine answers from its counts).
    """
    if all_missing is None:
        def all_missing(side: str, name: Any) -> bool:
            return _all_missing((reference if side == "reference" else current)[name])

    wanted = list(reference.columns) if columns is None else list(columns)
    if columns is not None:
        for name in wanted:
            if name not in reference.columns:
                raise MLSecInputError(UNKNOWN_COLUMN.format(what="columns", name=name,
                                                            side="reference")
                                      + did_you_mean(str(name), map(str, reference.columns)))
    dropped = set(exclude or ()) | set(reserved)
    for name in exclude or ():
        if name not in reference.columns and name not in current.columns:
            raise MLSecInputError(UNKNOWN_COLUMN.format(what="exclude", name=name,
                                                        side="reference")
                                  + did_you_mean(str(name), map(str, reference.columns)))
    features = [c for c in wanted if c not in dropped]
    missing = [c for c in features if c not in current.columns]
    if missing:
        shown = ", ".join(repr(str(c)) for c in missing[:5])
        if len(missing) > 5:
            shown += f" and {len(missing) - 5} more"
        raise MLSecInputError(MISSING_COLUMNS.format(count=len(missing), names=shown))
    if not features:
        raise MLSecInputError(NOTHING_LEFT)
    kinds = {}
    for name in features:
        reference_kind, current_kind = kind_of(reference[name]), kind_of(current[name])
        if reference_kind != current_kind:
            # a column with no value at all has no kind of its own: it takes the other side's
            if all_missing("reference", name):
                reference_kind = current_kind
            elif all_missing("current", name):
                current_kind = reference_kind
        if reference_kind != current_kind:
            raise MLSecInputError(KIND_MISMATCH.format(name=str(name), reference=reference_kind,
                                                       current=current_kind))
        kinds[name] = reference_kind
    only_current = [c for c in current.columns if c not in reference.columns
                    and c not in dropped]
    return Columns(features, kinds, only_current)


def _all_missing(values: Any) -> bool:
    return bool(values.isna().all())


def named_or_pair(spec: Any, what: str, reference: Any, current: Any
                  ) -> tuple[Any | None, tuple[Any, Any] | None]:
    """A target/prediction given as a column name of both sides, or as two arrays of values.

    Returns ``(column name, None)`` or ``(None, (reference values, current values))``.
    """
    if spec is None:
        return None, None
    if isinstance(spec, str) or (not isinstance(spec, (tuple, list)) and spec in
                                 reference.columns):
        for frame, side in ((reference, "reference"), (current, "current")):
            if spec not in frame.columns:
                raise MLSecInputError(UNKNOWN_COLUMN.format(what=what, name=spec, side=side)
                                      + did_you_mean(str(spec), map(str, frame.columns)))
        return spec, None
    if isinstance(spec, (tuple, list)) and len(spec) == 2:
        pair = (_vector(spec[0], what, "reference"), _vector(spec[1], what, "current"))
        for values, side in zip(pair, ("reference", "current"), strict=True):
            if len(values) == 0:
                raise MLSecInputError(EMPTY.format(side=f"{what} ({side})"))
        return None, pair
    raise MLSecInputError(BAD_COLUMN_NAME.format(what=what, kind=type(spec).__name__))


def _vector(values: Any, what: str, side: str) -> Any:
    """A Series from a list, array, Series or one-column frame."""
    import pandas as pd

    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise MLSecInputError(NOT_1D.format(what=what, side=side, shape=values.shape))
        return values.iloc[:, 0].reset_index(drop=True)
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    array = np.asarray(values)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise MLSecInputError(NOT_1D.format(what=what, side=side, shape=array.shape))
    series = pd.Series(array)
    return series.infer_objects() if array.dtype == object else series


def sample_positions(rows: int, size: int, rng: np.random.Generator) -> np.ndarray | None:
    """Sorted positions of a seeded uniform sample of ``size`` rows; None for all rows."""
    if rows <= size:
        return None
    return np.sort(rng.choice(rows, size=size, replace=False))


def take(values: Any, positions: np.ndarray | None) -> Any:
    """The sampled rows of a Series (all of them when ``positions`` is None)."""
    return values if positions is None else values.iloc[positions]
