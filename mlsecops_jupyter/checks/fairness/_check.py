"""``check_bias``: group metrics, fairlearn's disparities, bootstrap intervals and findings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.report import Report
from ...core.settings import Settings
from . import _bootstrap as boot
from ._counts import (
    CLASSIFICATION_METRICS,
    REGRESSION_METRICS,
    confusion_counts,
    difference,
    one_vs_rest,
    rates,
    ratio,
    regression_metrics,
    regression_sums,
    zero_denominators,
)
from ._inputs import (
    EMPTY,
    MISSING_IN_SENSITIVE,
    SensitiveColumn,
    apply_missing_policy,
    as_vector,
    check_groups,
    check_labels,
    factorize,
    intersect,
    sensitive_columns,
)
from .rules import CHECK

TASKS = ("binary", "multiclass", "regression")
NOT_BINARY = "task='binary' but the labels have {count} distinct values ({values}); " \
    "use task='multiclass' (one-vs-rest) or map them to two classes"
BAD_TASK = "task must be one of " + ", ".join(TASKS) + " or None, got {value!r}"
BAD_WEIGHTS = "sample_weight must be finite and non-negative, with a positive total"
SCORES_AS_PREDICTIONS = (
    "y_pred holds scores, not class labels (e.g. {example}, while y_true holds {labels}): give "
    "class predictions as y_pred and the scores as y_score (--y-score), or cut the scores at a "
    "threshold (threshold=0.5, --threshold 0.5); task='regression' if they are regression "
    "outputs"
)
THRESHOLD_NOT_BINARY = ("a threshold cuts scores into two classes, but y_true has {count} "
                        "distinct values ({values}); give class predictions instead")
THRESHOLD_WITH_REGRESSION = "a threshold cuts scores into classes: it cannot go with " \
    "task='regression'"
BAD_THRESHOLD = "threshold must be a finite number, got {value!r}"


@dataclass
class FeatureResult:
    """Everything computed for one sensitive feature (or intersection of features)."""

    name: str
    labels: list[str]
    sizes: np.ndarray
    values: dict[str, np.ndarray]                   # metric -> (groups,) or (groups, classes)
    low: dict[str, np.ndarray] = field(default_factory=dict)
    high: dict[str, np.ndarray] = field(default_factory=dict)
    disparities: dict[str, Any] = field(default_factory=dict)  # numbers; AIF360 maps
    disparity_ci: dict[str, list[float]] = field(default_factory=dict)
    undefined: dict[str, list[str]] = field(default_factory=dict)  # group -> metrics
    is_intersection: bool = False


@dataclass
class Problem:
    """The prepared inputs: label indices, weights, task and class names."""

    task: str
    y_true: np.ndarray
    y_pred: np.ndarray
    true_index: np.ndarray
    pred_index: np.ndarray
    classes: list[str]
    focus: list[int]           # class indices reported one-vs-rest (binary: the positive one)
    weights: np.ndarray | None
    score: np.ndarray | None
    cut: str = ""              # how y_pred was made from scores at a threshold, if it was
    counts: np.ndarray | None = None  # rows per entry when the rows come reduced (dask)

    @property
    def mass(self) -> np.ndarray | None:
        """What each entry weighs in the sums: its weight (total), else its rows, else 1."""
        return self.weights if self.weights is not None else self.counts


def check_bias(y_true: Any, y_pred: Any, sensitive: Any, y_score: Any = None,
               sample_weight: Any = None, missing: str = "category", *,
               task: str | None = None, threshold: float | None = None,
               settings: Settings | None = None, subject: str = "predictions") -> Report:
    """Compare a model's outcomes and errors across groups of one or more sensitive features.

    Parameters
    ----------
    y_true, y_pred : array-like
        True and predicted labels (classification) or values (regression): list, ndarray,
        Series or one-column DataFrame; or dask Series (with every other input dask columns of
        the same frame), reduced to counts per group across partitions (docs/dask.md). NaN is
        refused: a row without a label cannot be counted.
        Scores or probabilities passed as ``y_pred`` against class labels are refused (measured
        as a regression they would hide every gap): pass them as ``y_score``, or give
        ``threshold``.
    sensitive : array-like, Series, DataFrame or mapping
        One feature (names from ``Series.name``, else ``sensitive_feature_0``) or several (the
        columns of a DataFrame, a 2-D array, a ``{name: values}`` mapping). With several features
        their intersection (``sex×race``) is measured too: small per-feature gaps can hide a
        large one in a cell.
    y_score : array-like, optional
        Scores or probabilities of the positive class; their per-group mean is reported.
    sample_weight : array-like, optional
        Row weights, used for every rate exactly as fairlearn/scikit-learn use them.
    missing : {"category", "drop", "raise"}
        What to do with rows whose sensitive value is missing: keep them as a ``<missing>``
        group, drop them (counted and reported, with the gap they change), or refuse.
    task : {"binary", "multiclass", "regression"}, optional
        Inferred from the labels when omitted (non-integer floats: regression; two classes:
        binary with positive label 1, or the largest label when 1 is absent).
    threshold : float, optional
        ``y_pred`` holds scores of the positive class: a row is predicted positive when its
        score is at least ``threshold`` (binary labels only). The report states the cut
        (``metrics["y_pred_from_scores"]``), and the scores are also used as ``y_score`` unless
        that is given.
    settings : Settings, optional
        Thresholds, bootstrap size, confidence level and seed (``[tool.mlsec.bias]``).

    Returns
    -------
    Report
        ``metrics`` holds ``overall[metric]``, ``by_group[feature][group][metric]``,
        ``disparities[name]`` (fairlearn's names and values for the features as given: the
        intersection when there are several), ``disparities_by_feature``, intervals, group
        sizes and missing counts; findings use the BIAS-* rules.
    """
    started = time.perf_counter()
    settings = settings if settings is not None else Settings.load()
    config = settings.bias
    counts, engine = None, None
    if _any_dask(y_true, y_pred, sensitive, y_score, sample_weight):
        from .._dask.bias import reduce_rows

        reduced = reduce_rows(y_true, y_pred, sensitive, y_score, sample_weight)
        y_true, y_pred, sensitive = reduced.y_true, reduced.y_pred, reduced.sensitive
        y_score, sample_weight = reduced.score, reduced.weights
        counts, engine = reduced.counts, reduced.engine
    problem = _prepare(y_true, y_pred, y_score, sample_weight, task, threshold, counts)
    columns = [factorize(name, values)
               for name, values in sensitive_columns(sensitive, len(problem.y_true))]
    missing_rows = {column.name: _rows(column.codes < 0, problem) for column in columns}
    if missing == "raise":
        for column in columns:
            if missing_rows[column.name]:
                raise MLSecInputError(MISSING_IN_SENSITIVE.format(
                    name=column.name, count=missing_rows[column.name]))
    missing_effect = _missing_effect(columns, problem, missing)
    keep = apply_missing_policy(columns, missing)
    dropped = 0
    if keep is not None and not keep.all():
        dropped = _rows(~keep, problem)
        problem = _subset(problem, keep)
        columns = [_compact(SensitiveColumn(c.name, c.codes[keep], c.labels)) for c in columns]
        if len(problem.y_true) == 0:
            raise MLSecInputError("every row has a missing sensitive value; nothing is left")
    for column in columns:
        check_groups(column)
    features = list(columns)
    if len(columns) > 1 and config.intersections:
        joint = intersect(columns)
        features.append(joint)
    results = [_measure(feature, problem, config) for feature in features]
    everyone = SensitiveColumn("overall", np.zeros(len(problem.y_true), np.int64), ["all"])
    overall = _measure(everyone, problem, config)
    if len(columns) > 1 and config.intersections:
        results[-1].is_intersection = True

    from ._present import build_metrics, figures, findings, tables

    metrics = build_metrics(results, overall, problem, config, missing_rows, missing, dropped,
                            missing_effect)
    metrics["tables"] = tables(results, problem, config)
    if problem.cut:
        metrics["y_pred_from_scores"] = problem.cut
        metrics["threshold"] = threshold
    report = Report(
        check=CHECK,
        subject=subject,
        findings=findings(results, problem, config, missing_rows, missing, missing_effect),
        metrics=metrics,
    )
    if engine is not None:
        report.metrics["data_engine"] = engine
    if config.figures:
        report.figures.extend(figures(results, problem, config))
    report.elapsed_s = time.perf_counter() - started
    return report


# -- inputs ---------------------------------------------------------------------------------
def _any_dask(*values: Any) -> bool:
    """A dask input among ``values`` (recognised without importing dask); Spark is refused."""
    from .._dask import engine_of

    if engine_of(*[v for v in values if not isinstance(v, dict)]) == "dask":
        return True
    from .._dask.bias import any_dask

    return any_dask(*values)


def _rows(mask: np.ndarray, problem: Problem) -> int:
    """Rows behind the entries of ``mask`` (entries are rows unless the rows came reduced)."""
    if problem.counts is None:
        return int(np.count_nonzero(mask))
    return int(problem.counts[mask].sum())


def _prepare(y_true: Any, y_pred: Any, y_score: Any, sample_weight: Any,
             task: str | None, threshold: float | None = None,
             counts: np.ndarray | None = None) -> Problem:
    truth = check_labels(as_vector(y_true, "y_true"), "y_true", None)
    if len(truth) == 0:
        raise MLSecInputError(EMPTY)
    predicted = check_labels(as_vector(y_pred, "y_pred"), "y_pred", len(truth))
    weights = None
    if sample_weight is not None:
        weights = _float_vector(sample_weight, "sample_weight", len(truth))
        if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
            raise MLSecInputError(BAD_WEIGHTS)
    score = None if y_score is None else _float_vector(y_score, "y_score", len(truth))
    if task is not None and task not in TASKS:
        raise MLSecInputError(BAD_TASK.format(value=task))
    cut = ""
    if threshold is not None:
        if task == "regression":
            raise MLSecInputError(THRESHOLD_WITH_REGRESSION)
        scores = _float_vector(predicted, "y_pred", len(truth))
        predicted, cut = _cut_scores(truth, scores, threshold)
        score = scores if score is None else score
        task = "binary"
    elif task != "regression":
        _refuse_scores(truth, predicted)
    resolved = task or _infer_task(truth, predicted)
    if resolved == "regression":
        return Problem("regression", _float_vector(truth, "y_true", len(truth)),
                       _float_vector(predicted, "y_pred", len(truth)),
                       np.empty(0, np.int64), np.empty(0, np.int64), [], [], weights, score,
                       counts=counts)
    classes, true_index, pred_index = _encode(truth, predicted)
    if resolved == "binary":
        if len(classes) > 2:
            shown = ", ".join(str(c) for c in classes[:5])
            raise MLSecInputError(NOT_BINARY.format(count=len(classes), values=shown))
        positive = _positive_label(classes)
        true_index = (truth == positive).astype(np.int64)
        pred_index = (predicted == positive).astype(np.int64)
        negative = [c for c in classes if c != positive]
        names = [str(negative[0]) if negative else "not " + str(positive), str(positive)]
        return Problem("binary", truth, predicted, true_index, pred_index, names, [1],
                       weights, score, cut, counts)
    return Problem("multiclass", truth, predicted, true_index, pred_index,
                   [str(c) for c in classes], list(range(len(classes))), weights, score,
                   counts=counts)


def _refuse_scores(truth: np.ndarray, predicted: np.ndarray) -> None:
    """Scores or probabilities against class labels: refuse instead of measuring a regression.

    Non-integer predictions are scores when ``y_true`` holds class labels: at most two distinct
    values (0/1, two strings, booleans), text labels, or integer classes while every prediction
    lies in [0, 1] and some label does not (a probability cannot predict the label 3).
    Regression on a numeric target still works: its ``y_true`` is neither.
    """
    fractional = _fractional(predicted)
    if fractional is None:
        return
    import pandas as pd

    distinct = pd.unique(truth)
    numeric_truth = truth.dtype.kind in "biuf" or all(_is_number(v) for v in distinct[:50])
    if numeric_truth:
        values = distinct.astype(float) if truth.dtype.kind != "b" else distinct.astype(int)
        integral = bool(np.all(np.mod(values, 1) == 0))
        if not integral:
            return
        in_unit = bool(np.all((predicted.astype(float) >= 0) & (predicted.astype(float) <= 1)))
        outside = bool(np.any((values < 0) | (values > 1)))
        if len(distinct) > 2 and not (in_unit and outside):
            return
    shown = ", ".join(str(v) for v in sorted(distinct[:5], key=str))
    if len(distinct) > 5:
        shown += ", ..."
    raise MLSecInputError(SCORES_AS_PREDICTIONS.format(example=f"{fractional:.3g}",
                                                       labels=shown))


def _fractional(predicted: np.ndarray) -> float | None:
    """A non-integer numeric prediction, if there is one (the evidence of scores)."""
    if predicted.dtype.kind == "f":
        values = predicted
    elif predicted.dtype.kind == "O" and len(predicted) and all(
            _is_number(v) for v in predicted[:1000]):
        try:
            values = predicted.astype(float)
        except (TypeError, ValueError):
            return None
    else:
        return None
    hits = np.flatnonzero(np.mod(values, 1) != 0)
    return float(values[hits[0]]) if len(hits) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def _cut_scores(truth: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[np.ndarray,
                                                                                  str]:
    """Class predictions from scores: the positive label where score >= threshold."""
    import math

    import pandas as pd

    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)) \
            or not math.isfinite(float(threshold)):
        raise MLSecInputError(BAD_THRESHOLD.format(value=threshold))
    classes = sorted(pd.unique(truth), key=_sort_key)
    if len(classes) > 2:
        shown = ", ".join(str(c) for c in classes[:5])
        raise MLSecInputError(THRESHOLD_NOT_BINARY.format(count=len(classes), values=shown))
    positive = _positive_label(classes)
    negatives = [c for c in classes if not _same(c, positive)]
    if negatives:
        negative = negatives[0]
    elif _is_zero_or_one(positive):
        negative = type(positive)(0) if not isinstance(positive, (bool, np.bool_)) else False
    else:
        negative = f"not {positive}"
    predicted = np.where(scores >= float(threshold), positive, negative)
    if truth.dtype.kind in "biuf":
        predicted = predicted.astype(truth.dtype)
    cut = (f"y_pred held scores: predicted {positive!s} where score >= {float(threshold):g}, "
           f"else {negative!s} (threshold given)")
    return predicted, cut


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, float(value)) if _is_number(value) else (1, str(value))


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _float_vector(values: Any, what: str, expected: int) -> np.ndarray:
    array = as_vector(values, what)
    try:
        array = array.astype(float)
    except (TypeError, ValueError):
        raise MLSecInputError(f"{what} must be numeric") from None
    return check_labels(array, what, expected)


def _infer_task(truth: np.ndarray, predicted: np.ndarray) -> str:
    for array in (truth, predicted):
        if array.dtype.kind == "f" and not np.all(np.mod(array, 1) == 0):
            return "regression"
    import pandas as pd

    distinct = pd.unique(np.concatenate([truth, predicted]))
    return "binary" if len(distinct) <= 2 else "multiclass"


def _encode(truth: np.ndarray, predicted: np.ndarray) -> tuple[list[Any], np.ndarray,
                                                                 np.ndarray]:
    import pandas as pd

    both = np.concatenate([truth, predicted])
    codes, uniques = pd.factorize(both, sort=True)
    return list(uniques), codes[: len(truth)].astype(np.int64), codes[len(truth):].astype(
        np.int64)


def _positive_label(classes: list[Any]) -> Any:
    """fairlearn's convention: 1 for 0/1 labels (even when one is absent), else the largest."""
    if all(_is_zero_or_one(value) for value in classes):
        return 1
    for value in classes:
        if not isinstance(value, (bool, np.bool_)) and value == 1:
            return value
    return classes[-1]


def _is_zero_or_one(value: Any) -> bool:
    try:
        return bool(value == 0 or value == 1)
    except (TypeError, ValueError):
        return False


def _subset(problem: Problem, keep: np.ndarray) -> Problem:
    def cut(array: np.ndarray | None) -> np.ndarray | None:
        return None if array is None else (array if len(array) == 0 else array[keep])

    def cut_index(array: np.ndarray) -> np.ndarray:
        return array if len(array) == 0 else array[keep]

    return Problem(problem.task, problem.y_true[keep], problem.y_pred[keep],
                   cut_index(problem.true_index), cut_index(problem.pred_index), problem.classes,
                   problem.focus, cut(problem.weights), cut(problem.score), problem.cut,
                   cut(problem.counts))


def _compact(column: SensitiveColumn) -> SensitiveColumn:
    """Drop groups left without rows (after dropping missing values of another feature)."""
    present = np.bincount(column.codes, minlength=len(column.labels)) > 0
    if present.all():
        return column
    remap = np.cumsum(present) - 1
    labels = [label for label, used in zip(column.labels, present, strict=True) if used]
    return SensitiveColumn(column.name, remap[column.codes], labels)


# -- measuring ------------------------------------------------------------------------------
def _measure(feature: SensitiveColumn, problem: Problem, config: Any) -> FeatureResult:
    n_groups = len(feature.labels)
    sizes = np.bincount(feature.codes, minlength=n_groups) if problem.counts is None else \
        np.bincount(feature.codes, weights=problem.counts, minlength=n_groups).astype(np.int64)
    if problem.task == "regression":
        return _measure_regression(feature, problem, config, sizes)
    n_classes = max(2, len(problem.classes))
    weighted = confusion_counts(feature.codes, n_groups, problem.true_index, problem.pred_index,
                                n_classes, problem.mass)
    cells = one_vs_rest(weighted)[:, problem.focus]           # (groups, focus classes, 4)
    values = rates(cells)
    result = FeatureResult(feature.name, feature.labels, sizes, values)
    for metric, flags in zero_denominators(cells).items():
        for group, class_index in zip(*np.nonzero(flags), strict=True):
            name = _metric_name(metric, problem, int(class_index))
            result.undefined.setdefault(feature.labels[group], []).append(name)
    if problem.score is not None:
        result.values["mean_score"] = _group_mean(feature, problem.score, problem.mass,
                                                  n_groups)[:, None]
    replicates = boot.replicate_count(config.bootstrap_iterations, n_groups, n_classes ** 2)
    samples = boot.bootstrap_rates(weighted, sizes, replicates, config.random_seed)
    for metric in CLASSIFICATION_METRICS:
        group_samples = samples[metric][..., problem.focus]   # (groups, replicates, focus)
        result.low[metric], result.high[metric] = boot.interval(group_samples,
                                                                config.confidence_level, 1)
    _classification_disparities(result, samples, problem, config)
    return result


def _group_mean(feature: SensitiveColumn, values: np.ndarray, weights: np.ndarray | None,
                n_groups: int) -> np.ndarray:
    w = np.ones(len(values)) if weights is None else weights
    total = np.bincount(feature.codes, weights=w * values, minlength=n_groups)
    mass = np.bincount(feature.codes, weights=w, minlength=n_groups)
    return np.divide(total, np.where(mass == 0, 1.0, mass))


def _metric_name(metric: str, problem: Problem, class_index: int) -> str:
    if problem.task != "multiclass":
        return metric
    return f"{metric}[{problem.classes[problem.focus[class_index]]}]"


def _classification_disparities(result: FeatureResult, samples: dict[str, np.ndarray],
                                problem: Problem, config: Any) -> None:
    """fairlearn's disparities, per reported class, with bootstrap intervals of each gap."""
    values = result.values
    focus = problem.focus
    for k in range(len(focus)):
        def name(base: str, k: int = k) -> str:
            return _metric_name(base, problem, k)

        selection = values["selection_rate"][:, k]
        tpr = values["true_positive_rate"][:, k]
        fpr = values["false_positive_rate"][:, k]
        # fairlearn aggregates the two gaps with Python's max/min over (TPR, FPR), in that order
        point = {
            "demographic_parity_difference": float(difference(selection)),
            "demographic_parity_ratio": float(ratio(selection)),
            "equalized_odds_difference": max([float(difference(tpr)), float(difference(fpr))]),
            "equalized_odds_ratio": min([float(ratio(tpr)), float(ratio(fpr))]),
            "equal_opportunity_difference": float(difference(tpr)),
            "equal_opportunity_ratio": float(ratio(tpr)),
            "disparate_impact": float(ratio(selection)),
        }
        sel_s = samples["selection_rate"][:, :, focus[k]]
        tpr_s = samples["true_positive_rate"][:, :, focus[k]]
        fpr_s = samples["false_positive_rate"][:, :, focus[k]]
        replicate = {
            "demographic_parity_difference": difference(sel_s),
            "demographic_parity_ratio": ratio(sel_s),
            "equalized_odds_difference": np.maximum(difference(tpr_s), difference(fpr_s)),
            "equalized_odds_ratio": np.fmin(ratio(tpr_s), ratio(fpr_s)),
            "equal_opportunity_difference": difference(tpr_s),
            "equal_opportunity_ratio": ratio(tpr_s),
            "disparate_impact": ratio(sel_s),
        }
        for base, value in point.items():
            result.disparities[name(base)] = value
            low, high = boot.interval(replicate[base], config.confidence_level, 0)
            result.disparity_ci[name(base)] = [float(low), float(high)]
        result.disparities[name("four_fifths_rule_passed")] = bool(
            point["disparate_impact"] >= config.disparate_impact_ratio)
        _reference_group_variants(result, selection, name)


def _reference_group_variants(result: FeatureResult, selection: np.ndarray, name: Any) -> None:
    """AIF360/Aequitas-style gaps against a reference group (here: the largest group).

    AIF360's statistical_parity_difference is signed, unprivileged minus privileged; its
    disparate_impact is unprivileged over privileged; Aequitas divides each group's rate by the
    reference group's. fairlearn's between-groups numbers above are unsigned and symmetric.
    """
    reference = int(np.argmax(result.sizes))
    base = selection[reference]
    gaps = {label: float(selection[g] - base) for g, label in enumerate(result.labels)}
    with np.errstate(divide="ignore", invalid="ignore"):
        quotients = {label: float(selection[g] / base) if base else float("nan")
                     for g, label in enumerate(result.labels)}
    result.disparities[name("reference_group")] = result.labels[reference]
    result.disparities[name("aif360_statistical_parity_difference")] = gaps
    result.disparities[name("aif360_disparate_impact")] = quotients
    result.disparities[name("aequitas_pprev_disparity")] = quotients


def _measure_regression(feature: SensitiveColumn, problem: Problem, config: Any,
                        sizes: np.ndarray) -> FeatureResult:
    n_groups = len(feature.labels)
    sums = regression_sums(feature.codes, n_groups, problem.y_true, problem.y_pred,
                           problem.mass)
    values = {metric: array[:, None] for metric, array in regression_metrics(sums).items()}
    if problem.score is not None:
        values["mean_score"] = _group_mean(feature, problem.score, problem.mass,
                                           n_groups)[:, None]
    result = FeatureResult(feature.name, feature.labels, sizes, values)
    for metric, total, squares in (("mean_prediction", "pred", "pred2"),
                                   ("mean_absolute_error", "abs", "abs2")):
        low, high = boot.mean_interval(sums[total], sums[squares], sums["weight"], sizes,
                                       config.confidence_level)
        result.low[metric], result.high[metric] = low[:, None], high[:, None]
    for metric in REGRESSION_METRICS:
        column = values[metric][:, 0]
        result.disparities[f"{metric}_difference"] = float(difference(column))
        if metric != "mean_error":
            result.disparities[f"{metric}_ratio"] = float(ratio(column))
    return result


def _missing_effect(columns: list[SensitiveColumn], problem: Problem,
                    policy: str) -> dict[str, dict[str, float]]:
    """Per feature with missing values: the headline gap with them as a group and without."""
    effect: dict[str, dict[str, float]] = {}
    for column in columns:
        if not column.missing_rows or policy == "raise":
            continue
        as_group = np.where(column.codes < 0, len(column.labels), column.codes)
        with_missing = _headline_gap(as_group, len(column.labels) + 1, problem)
        without = _headline_gap(column.codes, len(column.labels), problem)
        effect[column.name] = {"rows": _rows(column.codes < 0, problem),
                               "gap_with_missing_group": with_missing,
                               "gap_without_missing_rows": without}
    return effect


def _headline_gap(codes: np.ndarray, n_groups: int, problem: Problem) -> float:
    """Demographic parity difference (classification) or mean prediction gap (regression)."""
    keep = codes >= 0
    present = np.bincount(codes[keep], minlength=n_groups) > 0
    if problem.task == "regression":
        sums = regression_sums(codes, n_groups, problem.y_true, problem.y_pred, problem.mass)
        column = regression_metrics(sums)["mean_prediction"][present]
    else:
        weighted = confusion_counts(codes, n_groups, problem.true_index, problem.pred_index,
                                    max(2, len(problem.classes)), problem.mass)
        column = rates(one_vs_rest(weighted)[:, problem.focus[0]])["selection_rate"][present]
    return float(difference(column)) if len(column) else float("nan")
