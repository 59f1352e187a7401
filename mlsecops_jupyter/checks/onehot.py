"""A categorical attribute recovered from its one-hot columns (``sex`` from ``sex_F, sex_M``).

Models are usually fitted on encoded data, so the attribute a user names (``--sensitive sex``)
is often no column of X any more: ``pd.get_dummies`` wrote ``sex_F`` and ``sex_M``, scikit-learn's
``OneHotEncoder`` the same, a ``ColumnTransformer`` ``cat__sex_F``. The bias and explain checks
call ``from_one_hot`` to measure the attribute itself, and report which columns it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import MLSecInputError

NOT_ONE_HOT = ("columns {columns} look like the one-hot encoding of {name!r}, but {rows} row(s) "
               "have more than one of them set; name the attribute's own column instead")
SEPARATOR = "_"
TRANSFORMER_SEPARATOR = "__"  # ColumnTransformer: "<transformer>__<feature>"


@dataclass(frozen=True)
class OneHot:
    """The recovered attribute: one label per row, and the columns it was read from."""

    name: str
    values: Any  # pandas Series of labels, index of the frame
    columns: list[str]

    def describe(self) -> str:
        """``sex_F, sex_M``: what a report says the attribute was read from."""
        return ", ".join(self.columns)


def one_hot_columns(columns: Any, name: str) -> list[tuple[str, str]]:
    """``(column, category)`` for every column named like a dummy of ``name``.

    ``sex_F`` and ``cat__sex_F`` are dummies of ``sex`` with category ``F``; ``sex`` itself and
    ``sexual_orientation`` are not (the separator must follow the whole name).
    """
    found = []
    prefix = f"{name}{SEPARATOR}"
    for column in columns:
        text = str(column)
        tail = text.split(TRANSFORMER_SEPARATOR, 1)[-1] if TRANSFORMER_SEPARATOR in text else text
        for candidate in (text, tail):
            if candidate.startswith(prefix) and len(candidate) > len(prefix):
                found.append((text, candidate[len(prefix):]))
                break
    return found


def _is_indicator(series: Any) -> bool:
    """0/1 (or boolean) values only, missing allowed: what an encoder writes."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series.dtype):
        return True
    if not pd.api.types.is_numeric_dtype(series.dtype):
        return False
    values = pd.unique(series.dropna())
    return len(values) > 0 and bool(np.isin(values, (0, 1)).all())


def from_one_hot(frame: Any, name: str) -> OneHot | None:
    """The attribute ``name`` rebuilt from its 0/1 dummy columns in ``frame``; ``None`` if none.

    A row with no dummy set belongs to the category the encoder dropped (``drop="first"``,
    ``drop_first=True``) or did not know: it gets the label ``not <c1>/<c2>...``. A row with
    several set means the columns are not a one-hot encoding: that is refused, not guessed.
    """
    import pandas as pd

    columns = getattr(frame, "columns", None)
    if columns is None:
        return None
    dummies = [(column, category) for column, category in one_hot_columns(columns, name)
               if _is_indicator(frame[column])]
    if not dummies:
        return None
    block = np.column_stack([frame[column].fillna(0).to_numpy(dtype=np.float64)
                             for column, _ in dummies])
    set_per_row = block.sum(axis=1)
    crowded = int(np.count_nonzero(set_per_row > 1))
    used = [column for column, _ in dummies]
    if crowded:
        raise MLSecInputError(NOT_ONE_HOT.format(columns=", ".join(used), name=name,
                                                 rows=crowded))
    categories = [category for _, category in dummies]
    baseline = "not " + "/".join(categories)
    labels = np.array([*categories, baseline], dtype=object)
    chosen = np.where(set_per_row > 0, block.argmax(axis=1), len(categories))
    values = pd.Series(labels[chosen], index=frame.index, name=name)
    return OneHot(name, values, used)
