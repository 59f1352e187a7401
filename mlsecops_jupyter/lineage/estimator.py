"""The class and hyper-parameters of a model object, as bounded, JSON-safe data.

The recorder calls this for estimators (objects with scikit-learn's ``get_params``) that a cell
binds or changes, and ``%mlsec card`` for the model it exports, so a card built later from the
lineage file alone still names the estimator and its parameters.
"""

from __future__ import annotations

from typing import Any

MAX_PARAMS = 200
MAX_VALUE_CHARS = 200


def is_estimator(value: Any) -> bool:
    """An estimator instance (not a class): it has a callable ``get_params``."""
    return not isinstance(value, type) and callable(getattr(value, "get_params", None))


def describe_estimator(model: Any) -> dict[str, Any]:
    """``{"class": "module.Name", "params": {...}, "fitted": bool | None}`` of ``model``.

    ``params`` come from ``get_params()`` (scikit-learn and the libraries that follow its API);
    values that are not plain scalars are shown as their bounded ``repr``. Objects without
    ``get_params`` get an empty ``params``.
    """
    cls = type(model)
    params: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    get_params = getattr(model, "get_params", None)
    if callable(get_params):
        try:
            raw = get_params()
        except Exception:  # a third-party estimator whose get_params fails: class only
            raw = {}
        for name in sorted(raw, key=str)[:MAX_PARAMS]:
            params[str(name)] = _plain(raw[name])
    return {
        "class": f"{cls.__module__}.{cls.__qualname__}",
        "params": params,
        "params_total": len(raw),
        "fitted": _is_fitted(model),
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value if not isinstance(value, str) else value[:MAX_VALUE_CHARS]
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def _is_fitted(model: Any) -> bool | None:
    """scikit-learn's convention: fitted estimators have attributes ending in ``_``."""
    if not hasattr(model, "get_params"):
        return None
    try:
        names = vars(model)
    except TypeError:
        return None
    return any(name.endswith("_") and not name.startswith("__") for name in names) or any(
        _is_fitted(step) for _, step in getattr(model, "steps", ()) or ())
