"""Validate what ``explain`` is given and shape it into one sample with named columns.

Every mistake a user can make here (unfitted model, wrong columns, NaN for a model that cannot
take it, empty X, a row out of range) becomes a one-line ``MLSecInputError`` before shap runs,
because shap's own errors surface deep inside numba or a masker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...core.errors import MLSecInputError
from ...core.suggest import did_you_mean

EMPTY_X = "X has no rows to explain"
NOT_FITTED = "{model} is not fitted; fit it before explaining it"
MISSING_COLUMNS = "X lacks the column(s) the model was fitted on: {columns}"
WRONG_WIDTH = "X has {got} column(s) but the model was fitted on {expected}"
NAMES_WIDTH = "feature_names has {got} name(s) but X has {expected} column(s)"
NAN_UNSUPPORTED = (
    "X has missing values in {columns} and {model} cannot take NaN; impute them or pass a "
    "model that handles them (e.g. HistGradientBoosting)"
)
ROW_RANGE = "row {row} is out of range: X has {rows} row(s)"
SENSITIVE_MISSING = ("sensitive column {name!r} is neither a column of X, nor the name of its "
                     "one-hot columns ({name}_...), nor given as values")
SENSITIVE_LENGTH = "sensitive values have {got} row(s) but X has {expected}"


@dataclass
class Prepared:
    """The rows to explain and the background, as frames with the model's column names."""

    frame: Any  # pandas.DataFrame of the rows explained, model columns only
    background: Any  # pandas.DataFrame, same columns; None when the explainer needs none
    sensitive: Any  # pandas.DataFrame of sensitive attributes for the same rows, or None
    rows_total: int
    row_position: int | None  # position of the requested row inside ``frame``
    row_label: Any
    row_requested: int | None = None  # position of the requested row in X (never negative)
    sensitive_sources: dict[str, list[str]] | None = None  # attribute -> its one-hot columns

    def row_caption(self) -> str:
        """``row 5 (index label 1842)``: the position asked for and the label it has in X."""
        return f"row {self.row_requested} (index label {_plain_label(self.row_label)!r})"


def _plain_label(label: Any) -> Any:
    return label.item() if hasattr(label, "item") else label


def model_name(model: Any) -> str:
    return type(model).__name__


def check_fitted(model: Any) -> None:
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    if not (hasattr(model, "predict") or hasattr(model, "predict_proba")):
        raise MLSecInputError(f"{model_name(model)} has no predict method: not a model")
    if not hasattr(model, "get_params"):
        return  # not scikit-learn: trust it, shap will say if it cannot explain it
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise MLSecInputError(NOT_FITTED.format(model=model_name(model))) from None
    except TypeError:
        return


def as_frame(data: Any, feature_names: Sequence[str] | None, what: str) -> Any:
    """A DataFrame of ``data``; numpy inputs take ``feature_names`` (else ``x0``, ``x1``...)."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.Series):
        data = data.to_frame().T if data.name is None else data.to_frame()
    if isinstance(data, pd.DataFrame):
        if feature_names is not None and len(feature_names) != data.shape[1]:
            raise MLSecInputError(NAMES_WIDTH.format(got=len(feature_names),
                                                     expected=data.shape[1]))
        if feature_names is None and data.columns.inferred_type == "string":  # cached
            return data  # already string labels: nothing to rename (cheap for small models)
        names = data.columns if feature_names is None else feature_names
        # new labels on the same data (copy-on-write): a large X is never copied here
        return data.set_axis([str(n) for n in names], axis=1)
    try:
        array = np.asarray(data)
    except (TypeError, ValueError) as exc:
        raise MLSecInputError(f"{what} is not a table: {exc}") from None
    if array.ndim == 1:
        array = array.reshape(1, -1) if what == "X row" else array.reshape(-1, 1)
    if array.ndim != 2:
        raise MLSecInputError(f"{what} must be 2-dimensional, got shape {array.shape}")
    names = [f"x{i}" for i in range(array.shape[1])] if feature_names is None else feature_names
    if len(names) != array.shape[1]:
        raise MLSecInputError(NAMES_WIDTH.format(got=len(names), expected=array.shape[1]))
    return pd.DataFrame(array, columns=[str(n) for n in names])


def model_columns(model: Any, frame: Any) -> list[str]:
    """The columns the model takes, in its order; checks names and width against the fit."""
    fitted_names = getattr(model, "feature_names_in_", None)
    if fitted_names is not None:
        names = [str(n) for n in fitted_names]
        missing = [n for n in names if n not in frame.columns]
        if missing:
            raise MLSecInputError(MISSING_COLUMNS.format(columns=", ".join(missing[:10])))
        return names
    expected = getattr(model, "n_features_in_", None)
    if expected is not None and frame.shape[1] != expected:
        raise MLSecInputError(WRONG_WIDTH.format(got=frame.shape[1], expected=expected))
    return list(frame.columns)


def check_missing_values(model: Any, *frames: Any) -> None:
    """Refuse NaN in ``frames`` (same columns) when the model cannot take it.

    A frame of plain numbers is tested in one vectorised pass over its values; only mixed
    frames read their column types (once for all frames). This runs on every explanation,
    next to shap calls of a few tens of milliseconds.
    """
    import numpy as np
    from pandas.api.types import is_numeric_dtype

    names = [str(c) for c in frames[0].columns]
    blocks = [frame.to_numpy() for frame in frames]  # a view for one numeric block
    hits: set[str] = set()
    if all(block.dtype.kind in "biuf" for block in blocks):
        # plain numpy numbers (the common case): no per-column dtypes to read; ints hold no NaN
        for block in blocks:
            if block.dtype.kind == "f":
                hits.update(n for n, hit in zip(names, np.isnan(block).any(axis=0), strict=True)
                            if hit)
    else:
        dtypes = list(frames[0].dtypes.items())
        floats = [c for c, d in dtypes if isinstance(d, np.dtype) and d.kind == "f"]
        nullable = [c for c, d in dtypes if not isinstance(d, np.dtype) and is_numeric_dtype(d)]
        for frame in frames:
            if floats:
                block = frame[floats].to_numpy()
                hits.update(str(c) for c, hit in zip(floats, np.isnan(block).any(axis=0),
                                                     strict=True) if hit)
            hits.update(str(c) for c in nullable if frame[c].isna().any())
    if not hits:
        return
    nan_columns = [n for n in names if n in hits]
    from sklearn.utils import get_tags

    try:
        allows_nan = get_tags(model).input_tags.allow_nan
    except (AttributeError, TypeError, ValueError):
        return
    if not allows_nan:
        raise MLSecInputError(NAN_UNSUPPORTED.format(columns=", ".join(nan_columns[:10]),
                                                     model=model_name(model)))


def sensitive_frame(sensitive: Any, frame: Any,
                    sources: dict[str, list[str]] | None = None) -> Any:
    """Sensitive attributes aligned with X: column names of X, or values (Series/frame/dict).

    A name that is no column of X but has one-hot columns there (``sex`` -> ``sex_F``,
    ``sex_M``) is rebuilt from them; ``sources`` (when given) collects which columns each such
    attribute came from, for the report. ``None`` when none are given: no empty frame to build
    and index on every call.
    """
    import pandas as pd

    from ..onehot import from_one_hot

    if sensitive is None:
        return None
    if isinstance(sensitive, str):
        sensitive = [sensitive]
    if isinstance(sensitive, pd.Series):
        sensitive = sensitive.to_frame(name=str(sensitive.name or "sensitive"))
    if isinstance(sensitive, dict):
        sensitive = pd.DataFrame(sensitive)
    if isinstance(sensitive, pd.DataFrame):
        if len(sensitive) != len(frame):
            raise MLSecInputError(SENSITIVE_LENGTH.format(got=len(sensitive), expected=len(frame)))
        result = sensitive.copy()
        result.index = frame.index
        result.columns = [str(c) for c in result.columns]
        return result
    columns = {}
    for name in sensitive:
        if str(name) in frame.columns:
            columns[str(name)] = frame[str(name)]
            continue
        rebuilt = from_one_hot(frame, str(name))
        if rebuilt is None:
            raise MLSecInputError(SENSITIVE_MISSING.format(name=name)
                                  + did_you_mean(str(name), frame.columns))
        columns[str(name)] = rebuilt.values
        if sources is not None:
            sources[str(name)] = rebuilt.columns
    return pd.DataFrame(columns, index=frame.index)


def prepare(model: Any, X: Any, background: Any, *, feature_names: Sequence[str] | None,
            sensitive: Any, row: int | None, sample_rows: int, background_rows: int,
            seed: int, needs_background: bool = True) -> Prepared:
    """Check the inputs, then draw the sample (the requested row always in it) and background.

    ``needs_background=False`` (TreeExplainer, which weighs paths by the trees' own cover)
    skips drawing and checking a background nobody would use.
    """
    check_fitted(model)
    full = as_frame(X, feature_names, "X")
    if len(full) == 0:
        raise MLSecInputError(EMPTY_X)
    if full.shape[1] == 0:
        raise MLSecInputError("X has no columns to explain")
    if row is not None and not -len(full) <= row < len(full):
        raise MLSecInputError(ROW_RANGE.format(row=row, rows=len(full)))
    sources: dict[str, list[str]] = {}
    sensitive_all = sensitive_frame(sensitive, full, sources)
    columns = model_columns(model, full)
    inputs = full if list(full.columns) == columns else full[columns]
    positions = _sample_positions(len(inputs), sample_rows, seed, row)
    everything = len(positions) == len(inputs)  # sorted and unique: all rows, in order
    frame = inputs if everything else inputs.iloc[positions]
    row_position = None
    if row is not None:
        wanted = row % len(inputs)
        row_position = int(positions.index(wanted))
    if not needs_background:
        back = None
    elif background is None:
        back = inputs
    else:
        back = as_frame(background, feature_names, "background")
        model_columns(model, back)
        if any(c not in back.columns for c in columns):
            raise MLSecInputError("background lacks columns of X: use the same columns")
        back = back[columns]
        if len(back) == 0:
            raise MLSecInputError("background has no rows")
    background_sample = None
    if back is not None:
        back_positions = _sample_positions(len(back), background_rows, seed + 1, None)
        background_sample = back.iloc[back_positions]
    # only the sampled rows and background reach the model: NaN elsewhere cannot break it
    check_missing_values(model, *(f for f in (frame, background_sample) if f is not None))
    return Prepared(
        frame=frame,
        background=background_sample,
        sensitive=(sensitive_all if sensitive_all is None or everything
                   else sensitive_all.iloc[positions]),
        rows_total=len(inputs),
        row_position=row_position,
        row_label=None if row is None else inputs.index[row % len(inputs)],
        row_requested=None if row is None else row % len(inputs),
        sensitive_sources=sources or None,
    )


def _sample_positions(total: int, size: int, seed: int, keep: int | None) -> list[int]:
    """Sorted positions of a seeded sample of ``size`` rows; ``keep`` is always included."""
    import numpy as np

    if total <= size:
        return list(range(total))
    chosen = np.random.default_rng(seed).choice(total, size=size, replace=False)
    if keep is not None and not (chosen == keep % total).any():
        chosen[0] = keep % total  # the same swap as before: the first draw makes room
    return np.sort(chosen).tolist()
