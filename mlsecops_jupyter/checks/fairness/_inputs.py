"""Turn what users pass (lists, arrays, Series, DataFrames) into plain numpy columns.

Every problem becomes one ``MLSecInputError`` line naming it, before any metric is computed.
Sensitive features are factorised here, once: each becomes integer group codes plus the sorted
group labels, which is all the counting code needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError

MISSING_POLICIES = ("category", "drop", "raise")
MISSING_LABEL = "<missing>"
LENGTH_MISMATCH = "{what} has {got} rows but y_true has {expected}"
EMPTY = "y_true is empty: nothing to measure"
NAN_IN_Y = "{what} has {count} missing (NaN) value(s); remove or impute them first"
NOT_1D = "{what} must be one column, got shape {shape}"
MISSING_IN_SENSITIVE = (
    "sensitive feature {name!r} has {count} missing value(s) and missing='raise'"
)
BAD_MISSING = "missing must be one of " + ", ".join(MISSING_POLICIES) + ", got {value!r}"
SINGLE_GROUP = (
    "sensitive feature {name!r} has a single group ({group!r}): there is nothing to compare"
)


@dataclass
class SensitiveColumn:
    """One sensitive feature: its name, group code per row (-1 = missing) and group labels."""

    name: str
    codes: np.ndarray
    labels: list[str]

    @property
    def missing_rows(self) -> int:
        return int(np.count_nonzero(self.codes < 0))


def as_vector(values: Any, what: str) -> np.ndarray:
    """A 1-D numpy array from a list, array, Series or one-column DataFrame."""
    if hasattr(values, "to_numpy") and getattr(values, "ndim", 1) == 2:
        if values.shape[1] != 1:
            raise MLSecInputError(NOT_1D.format(what=what, shape=tuple(values.shape)))
        values = values.iloc[:, 0]
    array = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise MLSecInputError(NOT_1D.format(what=what, shape=array.shape))
    return array


def check_labels(array: np.ndarray, what: str, expected: int | None) -> np.ndarray:
    """Reject NaN/None labels and a length that differs from ``y_true``."""
    if expected is not None and len(array) != expected:
        raise MLSecInputError(LENGTH_MISMATCH.format(what=what, got=len(array),
                                                     expected=expected))
    missing = _isna(array)
    if missing.any():
        raise MLSecInputError(NAN_IN_Y.format(what=what, count=int(missing.sum())))
    return array


def _isna(array: np.ndarray) -> np.ndarray:
    import pandas as pd

    return np.asarray(pd.isna(array))


def sensitive_columns(sensitive: Any, n_rows: int) -> list[tuple[str, np.ndarray]]:
    """``(name, values)`` per sensitive feature; names kept, ``sensitive_feature_<i>`` else."""
    import pandas as pd

    if isinstance(sensitive, pd.DataFrame):
        columns = [(str(name), sensitive[name].to_numpy()) for name in sensitive.columns]
    elif isinstance(sensitive, pd.Series):
        name = "sensitive_feature_0" if sensitive.name is None else str(sensitive.name)
        columns = [(name, sensitive.to_numpy())]
    elif isinstance(sensitive, Mapping):
        columns = [(str(name), as_vector(values, f"sensitive feature {name!r}"))
                   for name, values in sensitive.items()]
    else:
        array = np.asarray(sensitive, dtype=object)
        if array.ndim == 1:
            columns = [("sensitive_feature_0", array)]
        elif array.ndim == 2:
            columns = [(f"sensitive_feature_{i}", array[:, i]) for i in range(array.shape[1])]
        else:
            raise MLSecInputError(NOT_1D.format(what="sensitive", shape=array.shape))
    if not columns:
        raise MLSecInputError("no sensitive feature given")
    for name, values in columns:
        if len(values) != n_rows:
            raise MLSecInputError(LENGTH_MISMATCH.format(
                what=f"sensitive feature {name!r}", got=len(values), expected=n_rows))
    return columns


def factorize(name: str, values: np.ndarray) -> SensitiveColumn:
    """Integer codes (groups sorted by label text, -1 for missing) in one pass over the rows."""
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = [str(value) for value in uniques]
    order = sorted(range(len(labels)), key=lambda i: _label_key(uniques[i]))
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    codes = np.where(codes >= 0, rank[np.maximum(codes, 0)] if len(labels) else 0, -1)
    return SensitiveColumn(name, codes.astype(np.int64), [labels[i] for i in order])


def _label_key(value: Any) -> tuple[int, Any]:
    """Numbers in numeric order, then everything else by its text: deterministic, no TypeError."""
    if isinstance(value, (bool, np.bool_)):
        return (1, str(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return (0, float(value))
    return (1, str(value))


def apply_missing_policy(columns: list[SensitiveColumn], policy: str) -> np.ndarray | None:
    """Resolve missing sensitive values; returns the mask of rows to keep for ``"drop"``.

    ``"category"`` turns missing into its own group (label ``<missing>``, placed last);
    ``"raise"`` refuses; ``"drop"`` keeps the codes and returns the rows to keep.
    """
    if policy not in MISSING_POLICIES:
        raise MLSecInputError(BAD_MISSING.format(value=policy))
    if policy == "raise":
        for column in columns:
            if column.missing_rows:
                raise MLSecInputError(MISSING_IN_SENSITIVE.format(
                    name=column.name, count=column.missing_rows))
        return None
    if policy == "drop":
        keep = np.ones(len(columns[0].codes), dtype=bool)
        for column in columns:
            keep &= column.codes >= 0
        return keep
    for column in columns:
        if column.missing_rows:
            column.codes = np.where(column.codes < 0, len(column.labels), column.codes)
            column.labels = [*column.labels, MISSING_LABEL]
    return None


def intersect(columns: list[SensitiveColumn], separator: str = "×") -> SensitiveColumn:
    """The intersection of several features: combined codes, only cells that occur, in order."""
    combined = np.zeros(len(columns[0].codes), dtype=np.int64)
    size = 1
    for column in columns:
        combined = combined * len(column.labels) + column.codes
        size *= len(column.labels)
    present = np.bincount(combined, minlength=size) > 0
    remap = np.cumsum(present) - 1
    cells = np.flatnonzero(present)
    labels = []
    for position in cells:
        parts = []
        cell = int(position)
        for column in reversed(columns):
            cell, index = divmod(cell, len(column.labels))
            parts.append(column.labels[index])
        labels.append(separator.join(reversed(parts)))
    name = separator.join(column.name for column in columns)
    return SensitiveColumn(name, remap[combined], labels)


def check_groups(column: SensitiveColumn) -> None:
    present = np.unique(column.codes[column.codes >= 0])
    if len(present) < 2:
        group = column.labels[int(present[0])] if len(present) else MISSING_LABEL
        raise MLSecInputError(SINGLE_GROUP.format(name=column.name, group=group))
