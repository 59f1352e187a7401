"""What ``check_bias`` hands to a ``Report``: the metrics JSON, tables, findings and figures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ...core.finding import Finding, Location
from ...core.report import Figure
from ...core.severity import Severity
from ._counts import CLASSIFICATION_METRICS, REGRESSION_METRICS
from .rules import RULES

if TYPE_CHECKING:
    from ._check import FeatureResult, Problem

FAIRLEARN_DISPARITIES = (
    "demographic_parity_difference", "demographic_parity_ratio",
    "equalized_odds_difference", "equalized_odds_ratio",
    "equal_opportunity_difference", "equal_opportunity_ratio",
    "disparate_impact", "four_fifths_rule_passed",
)
TABLE_HEADINGS = {
    "base_rate": "base rate", "selection_rate": "selection", "true_positive_rate": "TPR",
    "false_positive_rate": "FPR", "true_negative_rate": "TNR", "false_negative_rate": "FNR",
    "accuracy": "accuracy", "precision": "precision", "mean_prediction": "mean pred",
    "mean_error": "mean error", "mean_absolute_error": "MAE", "mean_score": "mean score",
}
MAX_LISTED = 10
MAX_FIGURES = 4


def _metric_names(problem: Problem, values: dict[str, np.ndarray]) -> list[tuple[str, str, int]]:
    """``(json name, base metric, class column)`` for every reported metric, in table order."""
    bases = list(REGRESSION_METRICS if problem.task == "regression" else CLASSIFICATION_METRICS)
    if "mean_score" in values:
        bases.append("mean_score")
    names = []
    for base in bases:
        width = values[base].shape[1]
        for k in range(width):
            if problem.task == "multiclass" and base != "mean_score":
                names.append((f"{base}[{problem.classes[problem.focus[k]]}]", base, k))
            else:
                names.append((base, base, k))
    return names


def build_metrics(results: list[FeatureResult], overall: FeatureResult, problem: Problem,
                  config: Any, missing_rows: dict[str, int], policy: str, dropped: int,
                  missing_effect: dict[str, dict[str, float]]) -> dict[str, Any]:
    names = _metric_names(problem, overall.values)
    # fairlearn's view of the features as given: the one feature, or their intersection
    singles = [r for r in results if not r.is_intersection]
    joint = [r for r in results if r.is_intersection]
    headline = joint[0] if joint else (singles[0] if len(singles) == 1 else None)
    metrics: dict[str, Any] = {
        "task": problem.task,
        "rows": int(sum(overall.sizes)),
        "sample_weighted": problem.weights is not None,
        "sensitive_features": [r.name for r in results if not r.is_intersection],
        "intersections": [r.name for r in results if r.is_intersection],
        "overall": {json: _num(overall.values[base][0, k]) for json, base, k in names},
        "by_group": {r.name: _groups(r, names) for r in results},
        "group_sizes": {r.name: {label: int(n) for label, n in zip(r.labels, r.sizes,
                                                                   strict=True)}
                        for r in results},
        "confidence_intervals": {r.name: _intervals(r, names) for r in results},
        "disparities": dict(headline.disparities) if headline else {},
        "disparities_of": headline.name if headline else None,
        "disparities_by_feature": {r.name: dict(r.disparities) for r in results},
        "disparity_intervals": {r.name: dict(r.disparity_ci) for r in results},
        "undefined_rates": {r.name: r.undefined for r in results if r.undefined},
        "missing": {"policy": policy, "rows_by_feature": missing_rows, "rows_dropped": dropped,
                    "gap_change": missing_effect},
        "interval_method": (
            "normal approximation of each group mean" if problem.task == "regression" else
            f"bootstrap: multinomial resampling of each group's confusion counts, "
            f"{config.bootstrap_iterations} replicates, seed {config.random_seed}"
            + (", weighted cell proportions" if problem.weights is not None else "")),
        "confidence_level": config.confidence_level,
        "tables_cover": ["by_group", "confidence_intervals", "disparities",
                         "disparities_by_feature", "disparity_intervals", "group_sizes",
                         "tables_cover"],
    }
    metrics = _without_nan(metrics)
    if problem.task != "regression":
        metrics["classes"] = problem.classes
    if problem.task == "binary":
        metrics["positive_label"] = problem.classes[1]
    return metrics


def _without_nan(value: Any) -> Any:
    """NaN (a 0/0 ratio) becomes ``null``: JSON has no NaN, and strict parsers reject it."""
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nan(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _num(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _groups(result: FeatureResult, names: list[tuple[str, str, int]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for g, label in enumerate(result.labels):
        row: dict[str, Any] = {"count": int(result.sizes[g])}
        row.update({json: _num(result.values[base][g, k]) for json, base, k in names})
        table[label] = row
    return table


def _intervals(result: FeatureResult, names: list[tuple[str, str, int]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for g, label in enumerate(result.labels):
        table[label] = {json: [_num(result.low[base][g, k]), _num(result.high[base][g, k])]
                        for json, base, k in names if base in result.low}
    return table


# -- tables -----------------------------------------------------------------------------------
def tables(results: list[FeatureResult], problem: Problem, config: Any) -> list[dict[str, Any]]:
    """Generic ``{"title", "columns", "rows"}`` tables that display/tables.py renders."""
    out = []
    names = _metric_names(problem, results[0].values)
    level = f"{config.confidence_level:.0%}"
    for result in results:
        ci_metric = "mean_prediction" if problem.task == "regression" else "selection_rate"
        columns = ["group", "n"] + [TABLE_HEADINGS[base] + ("" if problem.task != "multiclass"
                                                             or base == "mean_score"
                                                             else json[len(base):])
                                    for json, base, _ in names]
        columns.append(f"{TABLE_HEADINGS[ci_metric]} {level} CI")
        rows = []
        for g, label in enumerate(result.labels):
            row: list[Any] = [label, int(result.sizes[g])]
            row += [_num(result.values[base][g, k]) for _, base, k in names]
            low, high = result.low[ci_metric][g, 0], result.high[ci_metric][g, 0]
            row.append(f"{low:.3f}-{high:.3f}")
            rows.append(row)
        out.append({"title": f"bias by {result.name}", "columns": columns, "rows": rows})
    disparity_names = (
        [n for n in FAIRLEARN_DISPARITIES] if problem.task == "binary" else
        sorted({n for r in results for n, v in r.disparities.items()
                if not isinstance(v, (dict, str))}))
    if problem.task == "regression":
        disparity_names = sorted(results[0].disparities)
    rows = [[n] + [_cell(r.disparities.get(n)) for r in results] for n in disparity_names]
    out.append({"title": "disparities (fairlearn definitions)",
                "columns": ["disparity", *[r.name for r in results]], "rows": rows})
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    return _num(value) if isinstance(value, (int, float, np.floating)) else str(value)


# -- findings ---------------------------------------------------------------------------------
_GAP_RULES = (
    # rule, disparity, metric whose extreme groups make the gap, threshold setting, direction
    ("BIAS-DEMOGRAPHIC-PARITY", "demographic_parity_difference", "selection_rate",
     "demographic_parity_difference", "above"),
    ("BIAS-EQUALIZED-ODDS", "equalized_odds_difference", None,
     "equalized_odds_difference", "above"),
    ("BIAS-EQUAL-OPPORTUNITY", "equal_opportunity_difference", "true_positive_rate",
     "equal_opportunity_difference", "above"),
    ("BIAS-DISPARATE-IMPACT", "disparate_impact", "selection_rate",
     "disparate_impact_ratio", "below"),
)


def findings(results: list[FeatureResult], problem: Problem, config: Any,
             missing_rows: dict[str, int], policy: str,
             missing_effect: dict[str, dict[str, float]]) -> list[Finding]:
    found: list[Finding] = []
    for result in results:
        if problem.task != "regression":
            for k in range(len(problem.focus)):
                found.extend(_gap_findings(result, problem, config, k))
        found.extend(_small_groups(result, config))
        if result.undefined:
            found.append(_undefined(result))
    for name, count in missing_rows.items():
        if count:
            found.append(_missing(name, count, policy, missing_effect.get(name)))
    return found


def _gap_findings(result: FeatureResult, problem: Problem, config: Any,
                  k: int) -> list[Finding]:
    out = []
    suffix = f"[{problem.classes[problem.focus[k]]}]" if problem.task == "multiclass" else ""
    for rule_id, disparity, metric, setting, direction in _GAP_RULES:
        value = result.disparities[disparity + suffix]
        threshold = getattr(config, setting)
        if math.isnan(value) or (value <= threshold if direction == "above"
                                 else value >= threshold):
            continue
        if metric is None:  # equalized odds: the larger of the TPR and FPR gaps decides
            tpr = result.values["true_positive_rate"][:, k]
            fpr = result.values["false_positive_rate"][:, k]
            tpr_gap, fpr_gap = tpr.max() - tpr.min(), fpr.max() - fpr.min()
            metric = "true_positive_rate" if tpr_gap >= fpr_gap else "false_positive_rate"
        column = result.values[metric][:, k]
        top, bottom = int(np.argmax(column)), int(np.argmin(column))
        noise = bool(result.low[metric][top, k] <= result.high[metric][bottom, k])
        interval = result.disparity_ci[disparity + suffix]
        rule = RULES[rule_id]
        label = TABLE_HEADINGS[metric] + suffix
        relation = ">" if direction == "above" else "<"
        detail = (
            f"{result.name}: {label} is {column[top]:.3f} for {result.labels[top]!r} "
            f"(n={int(result.sizes[top])}) and {column[bottom]:.3f} for "
            f"{result.labels[bottom]!r} (n={int(result.sizes[bottom])}); {disparity}{suffix} "
            f"= {value:.3f} {relation} {threshold:g} ({config.confidence_level:.0%} CI "
            f"{interval[0]:.3f}-{interval[1]:.3f})."
        )
        if noise:
            detail += (" The two groups' confidence intervals overlap: the gap is within "
                       "sampling noise.")
        out.append(rule.finding(
            detail,
            Location(column=result.name),
            {"feature": result.name, "disparity": disparity + suffix, "value": round(value, 6),
             "threshold": threshold, "highest_group": result.labels[top],
             "lowest_group": result.labels[bottom], "interval": [round(v, 6) for v in interval],
             "within_noise": noise},
            severity=Severity.LOW if noise else None,
        ))
    return out


def _small_groups(result: FeatureResult, config: Any) -> list[Finding]:
    small = [(label, int(n)) for label, n in zip(result.labels, result.sizes, strict=True)
             if n < config.min_group_size]
    if not small:
        return []
    listed = ", ".join(f"{label!r} (n={n})" for label, n in small[:MAX_LISTED])
    more = f" and {len(small) - MAX_LISTED} more" if len(small) > MAX_LISTED else ""
    return [RULES["BIAS-SMALL-GROUP"].finding(
        f"{result.name}: {len(small)} group(s) below {config.min_group_size} rows: "
        f"{listed}{more}.",
        Location(column=result.name),
        {"feature": result.name, "groups": dict(small[:MAX_LISTED]),
         "min_group_size": config.min_group_size},
    )]


def _undefined(result: FeatureResult) -> Finding:
    pairs = sorted(result.undefined.items())
    listed = "; ".join(f"{group!r}: {', '.join(names)}" for group, names in pairs[:MAX_LISTED])
    return RULES["BIAS-ZERO-DENOMINATOR"].finding(
        f"{result.name}: rates with a zero denominator, reported as 0 like fairlearn: {listed}.",
        Location(column=result.name),
        {"feature": result.name, "groups": dict(pairs[:MAX_LISTED])},
    )


def _missing(name: str, count: int, policy: str, effect: dict[str, float] | None) -> Finding:
    action = "kept as the group '<missing>'" if policy == "category" else "dropped"
    detail = f"{name}: {count} row(s) have no value; they were {action}."
    evidence: dict[str, Any] = {"feature": name, "rows": count, "policy": policy}
    if effect is not None:
        detail += (f" Headline gap with them as a group: {effect['gap_with_missing_group']:.3f}; "
                   f"without them: {effect['gap_without_missing_rows']:.3f}.")
        evidence.update({k: round(v, 6) for k, v in effect.items() if k != "rows"})
    return RULES["BIAS-MISSING-SENSITIVE"].finding(detail, Location(column=name), evidence)


# -- figures ----------------------------------------------------------------------------------
MAX_GROUPS_DRAWN = 24


def figures(results: list[FeatureResult], problem: Problem, config: Any) -> list[Figure]:
    """Bar charts of the key rates per group with their confidence intervals (SVG).

    Written as SVG text (``checks/svg_charts.py``), not drawn with matplotlib: the figures cost
    microseconds instead of more than the check itself, and stay crisp at any zoom.
    """
    shown: tuple[str, ...]
    if problem.task == "binary":
        shown = ("selection_rate", "true_positive_rate", "false_positive_rate")
    elif problem.task == "regression":
        shown = ("mean_prediction", "mean_absolute_error")
    else:
        return []
    return [_bar_chart(result, shown, config) for result in results[:MAX_FIGURES]]


def _bar_chart(result: FeatureResult, shown: tuple[str, ...], config: Any) -> Figure:
    from ..svg_charts import Series, grouped_bars

    order = list(range(len(result.labels)))
    note = ""
    if len(order) > MAX_GROUPS_DRAWN:  # the largest groups; the table lists every group
        order = sorted(np.argsort(-np.asarray(result.sizes), kind="stable")[:MAX_GROUPS_DRAWN])
        note = f" ({MAX_GROUPS_DRAWN} largest of {len(result.labels)} groups)"
    series = [Series(TABLE_HEADINGS[metric],
                     [float(result.values[metric][g, 0]) for g in order],
                     [float(result.low[metric][g, 0]) for g in order],
                     [float(result.high[metric][g, 0]) for g in order])
              for metric in shown]
    title = f"{result.name}: rates per group, {config.confidence_level:.0%} CI{note}"
    chart = grouped_bars(title, [str(result.labels[g]) for g in order], series,
                         subtitles=[f"n={int(result.sizes[g])}" for g in order],
                         y_max=None if "mean_prediction" in shown else 1.0)
    caption = f"{result.name}: {', '.join(TABLE_HEADINGS[m] for m in shown)} per group{note}"
    return Figure(caption, chart.svg, mime="image/svg+xml", width=chart.width)
