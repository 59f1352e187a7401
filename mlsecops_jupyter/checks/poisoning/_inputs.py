"""Turn what users pass as X and y (frames, arrays, a path and a column name) into one frame of
features and one vector of class codes.

Every problem becomes one ``MLSecInputError`` line naming it before anything is fitted; X is
read as the leakage check reads its sides (a frame, a 2-D array, a CSV/Parquet path). Rows are
addressed by their 0-based position in the data as given (never by index label), because that is
what ``evidence.rows`` lists and what ``X.iloc[rows]`` reads back. Rows without a label are left
out of every rule and counted in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.suggest import did_you_mean
from ..leakage._inputs import as_frame

NO_COLUMNS = "X has no feature columns"
NO_LABELS = "give the labels: y (an array or Series) or the name of a column of X"
UNKNOWN_TARGET = "y={name!r} is not a column of X"
BAD_LABELS = "y must be an array, a list, a Series or a column name, got {kind}"
LABELS_NOT_1D = "y must be one label per row (1-D), got shape {shape}"
LENGTH_MISMATCH = "y has {labels} labels but X has {rows} rows"
ALL_MISSING = "y has no labels (every value is missing)"
ONE_CLASS = "y has a single class ({label!r}): label issues and triggers need two or more"
CONTINUOUS = ("y looks continuous ({count} distinct numbers, not all whole): the poisoning "
              "check needs class labels")
TOO_MANY_CLASSES = "y has {count} classes (more than {limit}): the poisoning check needs classes"
MAX_CLASSES = 100


@dataclass
class Labelled:
    """The rows that carry a label: their features, class codes and where they were in X."""

    features: Any                # DataFrame of the labelled rows (a view where possible)
    codes: np.ndarray            # class code per labelled row, 0 .. K-1
    classes: list[str]           # class names, sorted as the labels sort
    positions: np.ndarray        # 0-based position in X of each labelled row
    rows_total: int              # rows of X
    target: str | None           # the column of X that held the labels, if one did

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    @property
    def unlabelled(self) -> int:
        return self.rows_total - len(self.positions)


def split_labels(frame: Any, y: Any) -> tuple[Any, Any, str | None]:
    """The feature frame, the labels as a Series aligned by position, and the target column."""
    import pandas as pd

    if y is None:
        raise MLSecInputError(NO_LABELS)
    if isinstance(y, str):
        if y not in frame.columns:
            raise MLSecInputError(UNKNOWN_TARGET.format(name=y) + did_you_mean(y, frame.columns))
        features = frame.drop(columns=[y])
        if features.shape[1] == 0:
            raise MLSecInputError(NO_COLUMNS)
        return features, frame[y].reset_index(drop=True), y
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise MLSecInputError(LABELS_NOT_1D.format(shape=y.shape))
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        labels = y.reset_index(drop=True)
    elif isinstance(y, (np.ndarray, list, tuple)):
        array = np.asarray(y)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise MLSecInputError(LABELS_NOT_1D.format(shape=array.shape))
        labels = pd.Series(array)
    else:
        raise MLSecInputError(BAD_LABELS.format(kind=type(y).__name__))
    if len(labels) != len(frame):
        raise MLSecInputError(LENGTH_MISMATCH.format(labels=len(labels), rows=len(frame)))
    return frame, labels, None


def encode_classes(labels: Any) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Class codes of the labelled rows, the class names, and which rows carry a label."""
    import pandas as pd

    present = np.asarray(labels.notna())
    if not present.any():
        raise MLSecInputError(ALL_MISSING)
    values = labels[present]
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(str)
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=np.float64)
        distinct = np.unique(numbers)
        if not np.all(distinct == np.round(distinct)):
            raise MLSecInputError(CONTINUOUS.format(count=len(distinct)))
        names = [str(int(v)) for v in distinct]
        codes = np.searchsorted(distinct, numbers)
    else:
        codes, uniques = pd.factorize(values.astype(str), sort=True)
        names = [str(u) for u in uniques]
    if len(names) > MAX_CLASSES:
        raise MLSecInputError(TOO_MANY_CLASSES.format(count=len(names), limit=MAX_CLASSES))
    if len(names) < 2:
        raise MLSecInputError(ONE_CLASS.format(label=names[0]))
    return np.asarray(codes, dtype=np.int64), names, present


def labelled_rows(X: Any, y: Any, feature_names: Sequence[str] | None) -> Labelled:
    """Everything the rules need from X and y, checked."""
    frame = as_frame(X, "X", feature_names)
    features, labels, target = split_labels(frame, y)
    codes, classes, present = encode_classes(labels)
    positions = np.flatnonzero(present)
    if len(positions) < len(features):
        features = features.iloc[positions]
    return Labelled(features=features, codes=codes, classes=classes, positions=positions,
                    rows_total=len(frame), target=target)
