"""Which SHAP explainer fits a model, and in which feature space it explains, as data.

Tree ensembles get ``TreeExplainer`` (exact and fast), linear models ``LinearExplainer``
(exact for the decision function), anything else ``PermutationExplainer`` over a bounded
background (``KernelExplainer`` only on request: it is slower for the same accuracy).
A scikit-learn ``Pipeline`` whose last step is a tree or linear model is explained in the
transformed space of its preceding steps (``get_feature_names_out()`` names); otherwise the
whole pipeline is explained over the raw columns through ``predict_proba``/``predict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.errors import MLSecUsageError

METHODS = ("auto", "tree", "linear", "permutation", "kernel")

# "module.Class" prefixes shap's TreeExplainer understands (scikit-learn, XGBoost, LightGBM...)
TREE_MODEL_PREFIXES = (
    "sklearn.tree.",
    "sklearn.ensemble._forest.",
    "sklearn.ensemble._gb.",
    "sklearn.ensemble._hist_gradient_boosting.",
    "sklearn.ensemble._iforest.",
    "xgboost.",
    "lightgbm.",
    "catboost.",
)

# linear models with ``coef_`` / ``intercept_`` that LinearExplainer reads directly
LINEAR_MODEL_PREFIXES = (
    "sklearn.linear_model.",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.svm._classes.LinearSVR",
)


@dataclass(frozen=True)
class Plan:
    """What will be explained, how, and in which space: every field is said in the report."""

    method: str  # "tree", "linear", "permutation", "kernel"
    explained: Any  # the estimator handed to shap (the final step for transformed space)
    preprocess: Any  # the pipeline's preceding steps, or None (raw space)
    space: str  # "raw" or "transformed"
    explainer: str  # shap class name, for the report


def qualified_name(model: Any) -> str:
    cls = type(model)
    return f"{cls.__module__}.{cls.__qualname__}"


def model_family(model: Any) -> str:
    """``tree``, ``linear`` or ``other``, from the estimator's class (rules as data)."""
    name = qualified_name(model)
    if name.startswith(TREE_MODEL_PREFIXES):
        return "tree"
    if name.startswith(LINEAR_MODEL_PREFIXES) and hasattr(model, "coef_"):
        return "linear"
    return "other"


def split_pipeline(model: Any) -> tuple[Any, Any]:
    """(preceding steps, final estimator) of a Pipeline whose steps all name their outputs."""
    steps = getattr(model, "steps", None)
    if not steps or len(steps) < 2:
        return None, model
    preprocess = model[:-1]
    if not hasattr(preprocess, "get_feature_names_out"):
        return None, model
    try:
        preprocess.get_feature_names_out()
    except (AttributeError, ValueError, TypeError):
        return None, model
    return preprocess, model[-1]


def plan(model: Any, method: str) -> Plan:
    if method not in METHODS:
        raise MLSecUsageError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    preprocess, final = split_pipeline(model)
    family = model_family(final)
    if method == "auto":
        method = family if family in ("tree", "linear") else "permutation"
    if method in ("tree", "linear"):
        if family != method:
            raise MLSecUsageError(
                f"--method {method} needs a {method} model; {type(final).__name__} is not one "
                f"(use --method permutation or auto)"
            )
        space = "transformed" if preprocess is not None else "raw"
        explainer = "TreeExplainer" if method == "tree" else "LinearExplainer"
        return Plan(method, final, preprocess, space, explainer)
    explainer = "PermutationExplainer" if method == "permutation" else "KernelExplainer"
    return Plan(method, model, None, "raw", explainer)
