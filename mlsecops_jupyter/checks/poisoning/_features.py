"""The numeric matrix the label model and the outlier rule read, built once from the features.

Numbers stay numbers (missing as NaN), booleans become 0/1, dates their nanoseconds. Text and
categorical columns with at most ``MAX_CATEGORIES`` distinct values become category codes (the
models one-hot encode or split on them); text with more distinct values (ids, free text) cannot
be a model feature and is left out of the model, said in the report. The trigger and duplicate
rules read the original columns, so a text column still counts there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_CATEGORIES = 50


@dataclass
class Matrix:
    """Model features: one float column per usable feature, categories as codes."""

    values: np.ndarray                       # rows x columns, float64, NaN = missing
    columns: list[Any]                       # the frame's column of each matrix column
    categorical: np.ndarray                  # bool per matrix column
    left_out: dict[Any, str] = field(default_factory=dict)  # column -> why not a feature

    @property
    def numeric(self) -> np.ndarray:
        """Indices of the numeric matrix columns."""
        return np.flatnonzero(~self.categorical)

    def index_of(self, column: Any) -> int | None:
        try:
            return self.columns.index(column)
        except ValueError:
            return None


def _numeric(series: Any) -> np.ndarray | None:
    """The column as float64 (NaN for missing), or None when it is not numeric."""
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return np.asarray(series.astype("float64").to_numpy(na_value=np.nan))
    if pd.api.types.is_numeric_dtype(dtype):
        return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = series
        if getattr(dtype, "tz", None) is not None:
            stamps = series.dt.tz_convert("UTC").dt.tz_localize(None)
        nanos = np.asarray(stamps.to_numpy(dtype="datetime64[ns]")).view(np.int64)
        values = nanos.astype(np.float64)
        values[np.asarray(series.isna())] = np.nan
        return values
    return None


def category_codes(series: Any) -> tuple[np.ndarray, int]:
    """Codes of a text or categorical column (missing: -1) and its number of categories."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    except TypeError:  # mixed types that do not sort, or unhashable cells: compare as text
        codes, uniques = pd.factorize(series.astype(str).where(series.notna()), sort=True,
                                      use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), len(uniques)


def build_matrix(features: Any) -> Matrix:
    """The model matrix of ``features``; columns that cannot be features are listed."""
    columns: list[Any] = []
    blocks: list[np.ndarray] = []
    categorical: list[bool] = []
    left_out: dict[Any, str] = {}
    for name in features.columns:
        series = features[name]
        values = _numeric(series)
        is_category = False
        if values is None:
            codes, count = category_codes(series)
            if count > MAX_CATEGORIES:
                left_out[name] = (f"text with {count} distinct values (more than "
                                  f"{MAX_CATEGORIES}): not a model feature")
                continue
            values = codes.astype(np.float64)
            values[codes < 0] = np.nan
            is_category = True
        if np.isnan(values).all():
            left_out[name] = "every value is missing"
            continue
        columns.append(name)
        blocks.append(values)
        categorical.append(is_category)
    matrix = (np.column_stack(blocks) if blocks
              else np.zeros((len(features), 0), dtype=np.float64))
    return Matrix(values=matrix, columns=columns, categorical=np.asarray(categorical, dtype=bool),
                  left_out=left_out)
