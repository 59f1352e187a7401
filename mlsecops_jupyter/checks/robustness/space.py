"""Where an attacker may move a row: the perturbation space, and the model queried inside it.

Numeric columns move continuously; a move is measured in standard deviations of the column
(over the X given), so one epsilon means the same on every column (``u`` coordinates below:
``x = x0 + u * scale``, the L-inf norm of ``u`` is the perturbation's size). Columns that must
stay valid never move continuously: one-hot groups (``sex_F``, ``sex_M``), 0/1 indicators and
text or category columns are categorical features, held at their value or switched to another
category seen in X (``categorical_changes``); columns named immutable, constant in X, or of
another kind (dates) are held, and the report lists each with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.suggest import did_you_mean
from .model_io import call_model, model_input

UNKNOWN_IMMUTABLE = "immutable column {name!r} is not a column of X"
NONE_SET = "(none)"  # the category of a one-hot row with no column set (a dropped first level)


@dataclass(frozen=True)
class CategoricalFeature:
    """A feature that only takes values seen in X: a one-hot group, a 0/1 column, or text."""

    name: str
    kind: str  # "one-hot", "binary" or "text"
    columns: tuple[str, ...]
    categories: tuple[Any, ...]  # one-hot: the column set (or NONE_SET); else the values


@dataclass
class Space:
    """The columns an attack moves, how far one unit is, and what stays where it is."""

    columns: list[str]
    numeric: list[str]  # the movable numeric columns, in the order of ``u``
    scale: np.ndarray  # one standard deviation of each movable column, over X
    low: np.ndarray  # smallest value an attacker may set (range of X, or -inf)
    high: np.ndarray
    categorical: list[CategoricalFeature]  # switchable when categorical_changes > 0
    held: dict[str, str] = field(default_factory=dict)  # column -> why it never moves

    @property
    def dimensions(self) -> int:
        return len(self.numeric)

    def codes(self, frame: Any) -> np.ndarray:
        """Each row's category (an index into ``categories``) of every categorical feature."""
        codes = np.zeros((len(frame), len(self.categorical)), dtype=np.int64)
        for g, feature in enumerate(self.categorical):
            codes[:, g] = _category_codes(frame, feature)
        return codes

    def describe(self) -> dict[str, Any]:
        return {
            "numeric_moved": list(self.numeric),
            "categorical": [{"feature": f.name, "kind": f.kind, "columns": list(f.columns),
                             "categories": len(f.categories)} for f in self.categorical],
            "held": dict(sorted(self.held.items())),
        }


def build_space(frame: Any, immutable: Sequence[str], *, clip_to_range: bool,
                categorical_changes: int) -> Space:
    """Sort the columns of ``frame`` (the model's columns, X as given) into the space."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    columns = [str(c) for c in frame.columns]
    held: dict[str, str] = {}
    frozen = _immutable_columns(frame, immutable)
    for name in frozen:
        held[name] = "immutable"
    indicators = [c for c in columns if c not in frozen and _is_indicator(frame[c])]
    groups = _one_hot_groups(frame, indicators)
    grouped = {c for group in groups.values() for c in group}
    categorical: list[CategoricalFeature] = []
    for base, group in sorted(groups.items()):
        categorical.append(_one_hot_feature(frame, base, group))
    numeric: list[str] = []
    for name in columns:
        if name in frozen or name in grouped:
            continue
        series = frame[name]
        if name in indicators or is_bool_dtype(series.dtype):
            values = tuple(sorted(series.dropna().unique().tolist()))
            categorical.append(CategoricalFeature(name, "binary", (name,), values))
        elif is_numeric_dtype(series.dtype):
            spread = float(np.nanstd(series.to_numpy(dtype=float)))
            if not np.isfinite(spread) or spread == 0.0:
                held[name] = "constant in X: no scale to move it by"
            else:
                numeric.append(name)
        elif _is_text(series):
            values = tuple(sorted(series.dropna().unique().tolist(), key=str))
            categorical.append(CategoricalFeature(name, "text", (name,), values))
        else:
            held[name] = f"{series.dtype} column: not perturbed"
    if categorical_changes <= 0:
        for feature in categorical:
            for column in feature.columns:
                held[column] = ("categorical: held at its value (robustness."
                                "categorical_changes = 0)")
        categorical = []
    block = frame[numeric].to_numpy(dtype=float) if numeric else np.zeros((len(frame), 0))
    scale = np.nanstd(block, axis=0) if numeric else np.zeros(0)
    if clip_to_range and numeric:
        low, high = np.nanmin(block, axis=0), np.nanmax(block, axis=0)
    else:
        low, high = np.full(len(numeric), -np.inf), np.full(len(numeric), np.inf)
    return Space(columns=columns, numeric=numeric, scale=scale, low=low, high=high,
                 categorical=categorical, held=held)


def _immutable_columns(frame: Any, immutable: Sequence[str]) -> set[str]:
    """Immutable names: columns, or the attribute of one-hot columns (``sex`` -> ``sex_*``)."""
    from ..onehot import one_hot_columns

    columns = [str(c) for c in frame.columns]
    frozen: set[str] = set()
    for name in immutable:
        if name in columns:
            frozen.add(name)
            continue
        dummies = [column for column, _ in one_hot_columns(columns, name)]
        if not dummies:
            raise MLSecInputError(UNKNOWN_IMMUTABLE.format(name=name)
                                  + did_you_mean(name, columns))
        frozen.update(dummies)
    return frozen


def _is_indicator(series: Any) -> bool:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if is_bool_dtype(series.dtype):
        return True
    if not is_numeric_dtype(series.dtype):
        return False
    values = series.dropna().unique()
    return 0 < len(values) <= 2 and bool(np.isin(values, (0, 1)).all())


def _is_text(series: Any) -> bool:
    from pandas.api.types import is_object_dtype, is_string_dtype

    return bool(is_string_dtype(series.dtype) or is_object_dtype(series.dtype)
                or str(series.dtype) == "category")


def _one_hot_groups(frame: Any, indicators: list[str]) -> dict[str, list[str]]:
    """Indicator columns sharing a name prefix (``job_admin``, ``job_blue_collar``) whose rows
    set at most one of them: the one-hot encoding of one attribute each.

    The shortest prefix shared by two or more columns wins (``job``, not ``job_blue``); a
    candidate group whose rows set several columns is no encoding and is left alone.
    """
    prefixes: dict[str, list[str]] = {}
    for column in indicators:
        for cut in range(1, len(column)):
            if column[cut] == "_" and column[cut - 1] != "_":
                prefixes.setdefault(column[:cut].rstrip("_"), []).append(column)
    groups: dict[str, list[str]] = {}
    taken: set[str] = set()
    for prefix in sorted(prefixes, key=lambda p: (len(p), p)):
        members = [c for c in prefixes[prefix] if c not in taken]
        if len(members) < 2:
            continue
        block = frame[members].fillna(0).to_numpy(dtype=float)
        if (block.sum(axis=1) > 1).any():
            continue
        groups[prefix] = members
        taken.update(members)
    return groups


def _one_hot_feature(frame: Any, base: str, group: list[str]) -> CategoricalFeature:
    block = frame[group].fillna(0).to_numpy(dtype=float)
    categories: list[Any] = list(group)
    if (block.sum(axis=1) == 0).any():
        categories.append(NONE_SET)
    return CategoricalFeature(base, "one-hot", tuple(group), tuple(categories))


def _category_codes(frame: Any, feature: CategoricalFeature) -> np.ndarray:
    if feature.kind == "one-hot":
        block = frame[list(feature.columns)].fillna(0).to_numpy(dtype=float)
        codes = block.argmax(axis=1)
        if NONE_SET in feature.categories:
            codes = np.where(block.sum(axis=1) == 0, len(feature.columns), codes)
        return codes.astype(np.int64)
    import pandas as pd

    values = frame[feature.columns[0]]
    codes = pd.Index(list(feature.categories)).get_indexer(values)
    return np.where(codes < 0, 0, codes).astype(np.int64)


class Queries:
    """The model, asked about perturbed copies of the attacked rows, counting every query.

    ``rows`` select attacked rows (positions in ``base``), ``u`` their numeric moves in
    standard deviations and ``codes`` their categories; answers are class indices, decision
    values or probabilities. Rows are assembled as one array per call (a frame when the model
    was fitted on named or text columns), so an attack asks about thousands of points at once.
    """

    def __init__(self, model: Any, base: Any, space: Space, classes: np.ndarray) -> None:
        import pandas as pd

        self.model = model
        self.space = space
        self.base = base.reset_index(drop=True)
        self.columns = list(self.base.columns)
        self.x0 = (self.base[space.numeric].to_numpy(dtype=float) if space.numeric
                   else np.zeros((len(self.base), 0)))
        self.codes0 = space.codes(self.base)
        self.numeric_at = [self.columns.index(c) for c in space.numeric]
        self.numeric_only = all(getattr(d, "kind", "O") in "biuf" for d in self.base.dtypes)
        self.array = self.base.to_numpy(dtype=float) if self.numeric_only else None
        self.named = getattr(model, "feature_names_in_", None) is not None
        self.queries = np.zeros(len(self.base), dtype=np.int64)
        self.classes = np.asarray(classes)
        self._class_index = pd.Index(self.classes)
        # how far each row may move before leaving the range seen in X, in standard deviations
        with np.errstate(invalid="ignore", divide="ignore"):
            self.low_u = np.where(np.isfinite(space.low), (space.low - self.x0) / space.scale,
                                  -np.inf)
            self.high_u = np.where(np.isfinite(space.high),
                                   (space.high - self.x0) / space.scale, np.inf)
        missing = ~np.isfinite(self.x0)  # a missing value is held: NaN plus a move is NaN
        self.low_u = np.where(missing, 0.0, np.minimum(self.low_u, 0.0))
        self.high_u = np.where(missing, 0.0, np.maximum(self.high_u, 0.0))

    def __len__(self) -> int:
        return len(self.base)

    def clip(self, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
        """``u`` kept inside the range of X (and missing values held)."""
        return np.clip(u, self.low_u[rows], self.high_u[rows])

    def inputs(self, rows: np.ndarray, u: np.ndarray, codes: np.ndarray | None = None) -> Any:
        """The model's input for the points ``x0[rows] + u * scale`` with ``codes``."""
        import pandas as pd

        values = self.x0[rows] + u * self.space.scale
        if self.array is not None:
            block = self.array[rows].copy()
            if self.numeric_at:
                block[:, self.numeric_at] = values
            if codes is not None:
                self._set_codes_array(block, rows, codes)
            if self.named:
                return pd.DataFrame(block, columns=self.columns)
            return block
        frame = self.base.iloc[rows].reset_index(drop=True).copy()
        for j, name in enumerate(self.space.numeric):
            frame[name] = values[:, j]
        if codes is not None:
            self._set_codes_frame(frame, codes)
        return model_input(self.model, frame)

    def _set_codes_array(self, block: np.ndarray, rows: np.ndarray, codes: np.ndarray) -> None:
        changed = codes != self.codes0[rows]
        for g in np.flatnonzero(changed.any(axis=0)):
            feature = self.space.categorical[g]
            where = np.flatnonzero(changed[:, g])
            chosen = codes[where, g]
            positions = np.array([self.columns.index(c) for c in feature.columns])
            if feature.kind == "one-hot":
                block[np.ix_(where, positions)] = 0.0
                hit = chosen < len(feature.columns)
                block[where[hit], positions[chosen[hit]]] = 1.0
            else:
                block[where, positions[0]] = np.asarray(feature.categories, dtype=float)[chosen]

    def _set_codes_frame(self, frame: Any, codes: np.ndarray) -> None:
        for g, feature in enumerate(self.space.categorical):
            chosen = codes[:, g]
            if feature.kind == "one-hot":
                for k, column in enumerate(feature.columns):
                    frame[column] = (chosen == k).astype(frame[column].dtype)
            else:
                values = np.asarray(feature.categories, dtype=object)[chosen]
                frame[feature.columns[0]] = values

    def _count(self, rows: np.ndarray) -> None:
        np.add.at(self.queries, rows, 1)

    def predict(self, rows: np.ndarray, u: np.ndarray,
                codes: np.ndarray | None = None) -> np.ndarray:
        """The class index the model predicts at each point."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64)
        self._count(rows)
        labels = call_model(self.model, "predict", self.inputs(rows, u, codes),
                            "perturbed rows")
        return self._class_index.get_indexer(labels).astype(np.int64)

    def decision(self, rows: np.ndarray, u: np.ndarray,
                 codes: np.ndarray | None = None) -> np.ndarray:
        """``decision_function`` at each point, always 2-D (one column per class pair)."""
        self._count(rows)
        values = call_model(self.model, "decision_function", self.inputs(rows, u, codes),
                            "perturbed rows")
        return values.reshape(len(rows), -1)
