"""Turn what users pass as train and test (frames, arrays, file paths) into two DataFrames.

Every problem becomes one ``MLSecInputError`` line naming it before anything is computed. Frames
are never copied: the checks read their columns in place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.suggest import did_you_mean
from ...core.table_io import read_table

NOT_TABULAR = "{side} must be a DataFrame, a 2-D array or a CSV/Parquet path, got {kind}"
NOT_2D = "{side} must be 2-D (rows x columns), got shape {shape}"
EMPTY = "{side} has no rows: nothing to compare"
NO_COLUMNS = "{side} has no columns"
NAMES_MISMATCH = "feature_names has {got} names but {side} has {expected} columns"
NO_SHARED = "train and test share no column: check the column names"
DUPLICATE_COLUMNS = "{side} has duplicate column names ({names}); rename them first"
UNKNOWN_ROLE_COLUMN = "{role}={column!r} is not a column of {side}"
BAD_ROLE = "{role} must be a column name (str), got {kind}"


def as_frame(data: Any, side: str, feature_names: Sequence[str] | None) -> Any:
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
        if array.ndim != 2:
            raise MLSecInputError(NOT_2D.format(side=side, shape=array.shape))
        if feature_names is not None:
            names = [str(name) for name in feature_names]
            if len(names) != array.shape[1]:
                raise MLSecInputError(NAMES_MISMATCH.format(
                    got=len(names), side=side, expected=array.shape[1]))
        else:
            names = [f"x{i}" for i in range(array.shape[1])]
        frame = pd.DataFrame(array, columns=names, copy=False)
        if array.dtype == object:
            # a mixed array (``df.to_numpy()`` of numbers and text) holds every cell as an
            # object: give each column its own type back, or numbers would be compared as text
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


def shared_columns(train: Any, test: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Columns of both sides (in train's order), and those only in train / only in test."""
    test_columns = set(test.columns)
    train_columns = set(train.columns)
    shared = [c for c in train.columns if c in test_columns]
    if not shared:
        raise MLSecInputError(NO_SHARED)
    only_train = [c for c in train.columns if c not in test_columns]
    only_test = [c for c in test.columns if c not in train_columns]
    return shared, only_train, only_test


def role_columns(value: Any, role: str, train: Any, test: Any, *,
                 test_optional: bool = False) -> list[Any]:
    """The columns named for one role (one name, or several for ``group``/``id``)."""
    if value is None:
        return []
    names = list(value) if isinstance(value, (list, tuple)) else [value]
    for name in names:
        if not isinstance(name, str):
            raise MLSecInputError(BAD_ROLE.format(role=role, kind=type(name).__name__))
        if name not in train.columns:
            raise MLSecInputError(UNKNOWN_ROLE_COLUMN.format(role=role, column=name,
                                                             side="train")
                                  + did_you_mean(name, train.columns))
        if not test_optional and name not in test.columns:
            raise MLSecInputError(UNKNOWN_ROLE_COLUMN.format(role=role, column=name,
                                                             side="test")
                                  + did_you_mean(name, test.columns))
    return names
