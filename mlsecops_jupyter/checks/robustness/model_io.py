"""A fitted classifier and the labelled rows it is attacked on, checked before any attack runs.

The evasion and membership-inference checks both query a user's classifier many times. Every
mistake a user can make (an unfitted model, a regressor, one class, X and y of different
lengths, missing labels, labels the model never saw, text columns the model cannot encode, NaN
it cannot take) becomes a one-line ``MLSecInputError`` here, before the first attack query:
the model's own error would surface from deep inside an attack loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ..explain.inputs import as_frame, check_fitted, check_missing_values, model_columns

NOT_A_CLASSIFIER = ("{model} is not a classifier (it has no classes_ and is a regressor or "
                    "was given no labels): the robustness and privacy checks attack classifiers")
ONE_CLASS = ("{model} was fitted on a single class ({label!r}): these attacks need a model "
             "that chooses between at least two classes")
EMPTY_ROWS = "{what} has no rows"
NO_COLUMNS = "{what} has no columns"
LENGTH_MISMATCH = "{y} has {got} label(s) but {x} has {rows} row(s)"
LABELS_SHAPE = "{y} must hold one label per row, got shape {shape}"
MISSING_LABELS = "{y} has no label in {count} row(s) (first at position {first}): drop them"
UNKNOWN_LABELS = "{y} holds label(s) {model} never saw: {labels}"
TEXT_NOT_ENCODED = ("column(s) {columns} of {what} hold text and {model} cannot take it: "
                    "encode them (OneHotEncoder in a Pipeline) or pass the encoded columns")
MODEL_FAILED = "{model}.{method} failed on {what}: {error}"
REGRESSOR_HINT = " (a regressor?)"


@dataclass
class LabelledRows:
    """Rows in the model's own column order, their labels, and where they came from."""

    frame: Any  # pandas.DataFrame, model columns only, positional index kept in ``labels_at``
    labels: np.ndarray  # class index (into ``classes``) of each row's true label
    index: list[Any]  # the index label each row had in the X given, for reports


def model_name(model: Any) -> str:
    return type(model).__name__


def classifier_classes(model: Any, *labels: Any) -> np.ndarray:
    """The classes of a fitted classifier with two or more of them; else a one-line error.

    A model outside scikit-learn that has ``predict``/``predict_proba`` but no ``classes_`` is
    taken to know the labels given (sorted, scikit-learn's column order of ``predict_proba``).
    """
    check_fitted(model)
    classes = getattr(model, "classes_", None)
    if classes is None:
        if _is_regressor(model) or not labels:
            hint = REGRESSOR_HINT if hasattr(model, "predict") else ""
            raise MLSecInputError(NOT_A_CLASSIFIER.format(model=model_name(model)) + hint)
        import pandas as pd

        seen = [np.asarray(v).reshape(-1) for v in labels]
        classes = np.unique(pd.Series(np.concatenate(seen)).dropna().to_numpy())
    classes = np.asarray(classes)
    if classes.ndim != 1:
        raise MLSecInputError(f"{model_name(model)} predicts several outputs at once; "
                              "attack one classifier at a time")
    if len(classes) < 2:
        raise MLSecInputError(ONE_CLASS.format(model=model_name(model),
                                               label=_plain(classes[0]) if len(classes) else
                                               None))
    return classes


def _is_regressor(model: Any) -> bool:
    from sklearn.base import is_regressor

    try:
        return bool(is_regressor(model))
    except (AttributeError, TypeError, ValueError):  # not a scikit-learn estimator
        return False


def model_classes(model: Any, fallback: np.ndarray) -> np.ndarray:
    """``model.classes_`` when it has them, else the classes the check settled on."""
    classes = getattr(model, "classes_", None)
    return fallback if classes is None else np.asarray(classes)


def labelled_rows(model: Any, X: Any, y: Any, classes: np.ndarray, *, what: str = "X",
                  what_y: str = "y") -> LabelledRows:
    """``X`` as a frame of the model's columns and ``y`` as class indices, both validated."""
    frame = as_frame(X, None, what)
    if len(frame) == 0:
        raise MLSecInputError(EMPTY_ROWS.format(what=what))
    if frame.shape[1] == 0:
        raise MLSecInputError(NO_COLUMNS.format(what=what))
    columns = model_columns(model, frame)
    if list(frame.columns) != columns:
        frame = frame[columns]
    labels = _labels(y, len(frame), classes, model, what, what_y)
    index = list(frame.index)
    frame = frame.reset_index(drop=True)
    check_missing_values(model, frame)
    check_model_takes(model, frame, what)
    return LabelledRows(frame=frame, labels=labels, index=index)


def _labels(y: Any, rows: int, classes: np.ndarray, model: Any, what: str,
            what_y: str) -> np.ndarray:
    import pandas as pd

    values = y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else np.asarray(y)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise MLSecInputError(LABELS_SHAPE.format(y=what_y, shape=values.shape))
    if len(values) != rows:
        raise MLSecInputError(LENGTH_MISMATCH.format(y=what_y, got=len(values), x=what,
                                                     rows=rows))
    missing = pd.isna(values)
    if missing.any():
        raise MLSecInputError(MISSING_LABELS.format(y=what_y, count=int(missing.sum()),
                                                    first=int(np.flatnonzero(missing)[0])))
    positions = pd.Index(classes).get_indexer(values)
    if (positions < 0).any():
        unknown = sorted({str(_plain(v)) for v in values[positions < 0]})
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5
                                          else "")
        raise MLSecInputError(UNKNOWN_LABELS.format(y=what_y, model=model_name(model),
                                                    labels=shown))
    return positions.astype(np.int64)


def text_columns(frame: Any) -> list[str]:
    """Columns holding neither numbers nor booleans (strings, categories, objects)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return [str(c) for c, dtype in frame.dtypes.items()
            if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype))]


def check_model_takes(model: Any, frame: Any, what: str) -> None:
    """One trial prediction on two rows: text without an encoder, or any model error, is
    reported here in one line instead of inside an attack loop."""
    try:
        model.predict(model_input(model, frame.iloc[:2]))
    except Exception as exc:  # the user's model: any error it raises is theirs to read
        texts = text_columns(frame)
        if texts and isinstance(exc, (ValueError, TypeError)):
            raise MLSecInputError(TEXT_NOT_ENCODED.format(
                columns=", ".join(texts[:5]), what=what, model=model_name(model))) from None
        raise MLSecInputError(MODEL_FAILED.format(model=model_name(model), method="predict",
                                                  what=what, error=_error_text(exc))) from None


def model_input(model: Any, frame: Any) -> Any:
    """What the model was fitted on: a frame when it knows column names, else an array.

    A model fitted on an array warns on every call given a frame with names; a model fitted on
    a frame warns when given an array. Either would flood an attack's thousands of queries.
    """
    if getattr(model, "feature_names_in_", None) is not None:
        return frame
    if all(getattr(dtype, "kind", "O") in "biuf" for dtype in frame.dtypes):
        return frame.to_numpy(dtype=float)
    return frame


def call_model(model: Any, method: str, data: Any, what: str) -> np.ndarray:
    """``model.<method>(data)`` with any error turned into a one-line ``MLSecInputError``."""
    try:
        return np.asarray(getattr(model, method)(data))
    except Exception as exc:  # the user's model: any error it raises is theirs to read
        raise MLSecInputError(MODEL_FAILED.format(model=model_name(model), method=method,
                                                  what=what, error=_error_text(exc))) from None


def _error_text(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
