"""What ``check_drift`` hands to a ``Report``: findings, the metrics JSON and its tables."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...core.finding import Finding, Location
from ...core.severity import Severity
from ._check import SAMPLE_METHOD, threshold_of
from ._classifier import MIN_IMPORTANCE
from ._columns import DISCRETE, ColumnResult
from ._stats import Tested
from .rules import RULES

if TYPE_CHECKING:
    from ._check import Outcome

RULE_OF_ROLE = {"feature": "DRIFT-FEATURE", "label": "DRIFT-LABEL",
                "prediction": "DRIFT-PREDICTION"}
MISSING_TITLE = "A feature's share of missing values changed"
TEST_NAMES = {"ks": "Kolmogorov-Smirnov", "chi2": "chi-square", "fisher": "Fisher's exact",
              "proportions": "two-proportion"}
MEASURE_NAMES = {"wasserstein/std": "Wasserstein/std", "jensen-shannon": "Jensen-Shannon",
                 "missing share change": "missing change"}


# -- number formatting (fixed, so text output is deterministic) ---------------------------------
def number(value: float) -> str:
    """Four significant digits; large and tiny values in exponent form."""
    if not math.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else "nan")
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.4g}"


def p_text(value: float) -> str:
    return "< 1e-300" if value <= 0 else f"{value:.2g}"


def clean(value: Any) -> Any:
    """Non-finite floats become ``None`` (JSON has no NaN or infinity); floats keep 6 digits."""
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    if isinstance(value, float):
        return float(f"{value:.6g}") if math.isfinite(value) else None
    return value


# -- findings -------------------------------------------------------------------------------------
def findings(outcome: Outcome) -> list[Finding]:
    found = [_column_finding(result, outcome) for result in outcome.measured if result.drifted]
    multivariate = outcome.multivariate
    if multivariate is not None and multivariate.drifted and not multivariate.explained:
        found.append(_multivariate_finding(outcome))
    return found


def _strong(tested: Tested, outcome: Outcome) -> bool:
    return tested.effect >= outcome.config.strong_factor * threshold_of(tested, outcome.config)


def _column_finding(result: ColumnResult, outcome: Outcome) -> Finding:
    rule = RULES[RULE_OF_ROLE[result.role]]
    parts = []
    strong = False
    for aspect, tested in result.tests:
        if aspect not in result.drifted:
            continue
        strong = strong or _strong(tested, outcome)
        if aspect == "missing":
            parts.append(_missing_text(result, tested, outcome))
        elif result.kind in (DISCRETE, "categorical") or tested.test == "chi2":
            parts.append(_categorical_text(result, tested, outcome))
        else:
            parts.append(_numeric_text(result, tested, outcome))
    name = _label(result)
    detail = f"{name}: " + " ".join(parts)
    severity = None
    if result.role == "feature":
        severity = Severity.HIGH if strong else Severity.MEDIUM
    title = MISSING_TITLE if result.role == "feature" and result.drifted == ["missing"] \
        else None
    location = Location(column=str(result.name)) if result.role == "feature" or \
        result.name not in ("label", "prediction") else Location()
    return rule.finding(detail, location, column_evidence(result, outcome),
                        severity=severity, title=title)


def _label(result: ColumnResult) -> str:
    if result.role == "feature":
        return repr(str(result.name))
    if result.name == result.role:
        return "the " + result.role
    return f"the {result.role} {str(result.name)!r}"


def _holm(result: ColumnResult, aspect: str, tested: Tested, outcome: Outcome) -> str:
    return (f"p = {p_text(tested.p_value)}, Holm-adjusted {p_text(result.adjusted[aspect])} "
            f"over {outcome.tests} tests")


def _numeric_text(result: ColumnResult, tested: Tested, outcome: Outcome) -> str:
    ref, cur = result.summaries["reference"], result.summaries["current"]
    text = (f"values moved by {number(tested.effect)} reference standard deviations "
            f"(Wasserstein distance {number(tested.facts['wasserstein'])}, reference std "
            f"{number(tested.facts['scale'])}); Kolmogorov-Smirnov D = "
            f"{tested.statistic:.3f}, {_holm(result, 'values', tested, outcome)}; PSI "
            f"{number(tested.psi or 0.0)}. Mean {number(ref['mean'])} -> {number(cur['mean'])}, "
            f"median {number(ref['p50'])} -> {number(cur['p50'])}; "
            f"{result.sample_rows['reference']} vs {result.sample_rows['current']} sampled rows.")
    if not tested.facts.get("overlap", True):
        text += (" The two ranges do not overlap: an identifier, a counter or a time stamp? "
                 "Leave it out (exclude=) if so.")
    return text


def _categorical_text(result: ColumnResult, tested: Tested, outcome: Outcome) -> str:
    ref, cur = result.summaries["reference"], result.summaries["current"]
    text = (f"category shares changed (Jensen-Shannon distance {tested.effect:.3f}; chi-square "
            f"{number(tested.statistic)} on {tested.facts['dof']} degrees of freedom, "
            f"{_holm(result, 'values', tested, outcome)}; PSI {number(tested.psi or 0.0)}). "
            f"Most frequent: {_shares(ref.get('top', {}))} -> {_shares(cur.get('top', {}))}.")
    for key, where in (("new", "current"), ("vanished", "reference")):
        listed = result.categories.get(key)
        if listed:
            more = result.categories.get(f"{key}_count", len(listed)) - len(listed)
            extra = f" and {more} more" if more > 0 else ""
            text += (f" {key.capitalize()}: "
                     + ", ".join(f"{label!r} ({share:.1%} of {where} rows)"
                                 for label, share in listed.items()) + extra + ".")
    return text


def _shares(top: dict[str, float], limit: int = 3) -> str:
    items = list(top.items())[:limit]
    return ", ".join(f"{label!r} {share:.1%}" for label, share in items) or "-"


def _missing_text(result: ColumnResult, tested: Tested, outcome: Outcome) -> str:
    ref = result.summaries["reference"]["missing_share"]
    cur = result.summaries["current"]["missing_share"]
    return (f"missing values {ref:.1%} -> {cur:.1%} of rows ({100 * (cur - ref):+.1f} points; "
            f"{TEST_NAMES[tested.test]} test {_holm(result, 'missing', tested, outcome)}).")


def column_evidence(result: ColumnResult, outcome: Outcome) -> dict[str, Any]:
    """Statistic, p-values, effect, PSI and both sides' summaries of one column."""
    evidence: dict[str, Any] = {
        "column": str(result.name), "kind": result.kind, "drifted": list(result.drifted),
        "alpha": outcome.config.alpha, "tests": outcome.tests,
        "sample_rows": dict(result.sample_rows),
        "reference": result.summaries.get("reference", {}),
        "current": result.summaries.get("current", {}),
    }
    if result.values is not None:
        tested = result.values
        evidence.update({
            "test": tested.test, "statistic": tested.statistic, "p_value": tested.p_value,
            "p_adjusted": result.adjusted.get("values"),
            "effect": {"measure": tested.effect_name, "value": tested.effect,
                       "threshold": threshold_of(tested, outcome.config)},
            "psi": tested.psi,
        })
        if "wasserstein" in tested.facts:
            evidence["wasserstein"] = tested.facts["wasserstein"]
        for key in ("new", "vanished"):
            if key in result.categories:
                evidence[f"{key}_categories"] = result.categories[key]
    if result.missing is not None:
        tested = result.missing
        evidence["missing"] = {"test": tested.test, "p_value": tested.p_value,
                               "p_adjusted": result.adjusted.get("missing"),
                               "change": tested.facts["change"],
                               "threshold": outcome.config.missing_effect}
    return clean(evidence)


def _multivariate_finding(outcome: Outcome) -> Finding:
    multivariate = outcome.multivariate
    assert multivariate is not None
    full = multivariate.result
    result = multivariate.residual or full
    config = outcome.config
    folds = ", ".join(f"{auc:.3f}" for auc in full.fold_aucs)
    detail = (f"A classifier tells current rows from reference rows with a cross-fitted AUC of "
              f"{full.auc:.3f} (folds {folds}; chance is 0.5, p = {p_text(full.p_value)}, "
              f"Holm-adjusted {p_text(multivariate.adjusted)} over {outcome.tests} tests; "
              f"{full.rows['reference']} reference and {full.rows['current']} current "
              f"rows, {len(full.columns)} columns).")
    if multivariate.residual is not None:
        detail += (f" Without the columns that drifted on their own it still reaches "
                   f"{result.auc:.3f} (p = {p_text(result.p_value)}, {len(result.columns)} "
                   "columns).")
    drifted = {str(c.name) for c in outcome.columns if c.drifted}
    if result.drivers:
        names = [str(name) for name, _ in result.drivers]
        detail += " Columns that drive it: " + ", ".join(
            f"{str(name)!r} (AUC drop {drop:.3f})" for name, drop in result.drivers) + "."
        alone = [n for n in names if n in drifted]
        if not alone:
            detail += (" None of them drifted on its own: their joint distribution changed "
                       "(a correlation or a combination of values).")
        else:
            detail += " Drifted on their own too: " + ", ".join(map(repr, alone)) + "."
    else:
        detail += (f" No single column's shuffling lowers the AUC by {MIN_IMPORTANCE} or more: "
                   "the separation is spread over many columns.")
    evidence = clean({
        "auc": full.auc, "fold_aucs": full.fold_aucs, "p_value": full.p_value,
        **({"auc_without_drifted_columns": result.auc,
            "p_value_without_drifted_columns": result.p_value}
           if multivariate.residual is not None else {}),
        "p_adjusted": multivariate.adjusted, "alpha": config.alpha, "tests": outcome.tests,
        "threshold": config.classifier_auc, "rows": full.rows,
        "drivers": [{"column": str(name), "auc_drop": drop} for name, drop in result.drivers],
        "columns": len(full.columns)})
    severity = Severity.HIGH if result.auc >= config.classifier_auc_high else None
    return RULES["DRIFT-MULTIVARIATE"].finding(detail, Location(), evidence, severity=severity)


# -- metrics and tables ------------------------------------------------------------------------
def _column_row(result: ColumnResult) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": result.kind, "role": result.role,
                           "drifted": list(result.drifted),
                           "missing_share": [result.summaries.get(side, {}).get("missing_share")
                                             for side in ("reference", "current")]}
    if result.values is not None:
        tested = result.values
        row.update({"test": tested.test, "statistic": tested.statistic,
                    "p_value": tested.p_value, "p_adjusted": result.adjusted.get("values"),
                    "measure": tested.effect_name, "effect": tested.effect, "psi": tested.psi})
    if result.missing is not None:
        row["missing_p_adjusted"] = result.adjusted.get("missing")
    if result.not_tested:
        row["not_tested"] = result.not_tested
    return row


def build_metrics(outcome: Outcome) -> dict[str, Any]:
    config = outcome.config
    metrics: dict[str, Any] = {
        "rows": outcome.rows,
        "sample_rows": outcome.sample_rows,
        "sample": SAMPLE_METHOD.format(seed=config.seed),
        "columns_compared": sum(1 for c in outcome.columns if c.tests),
        "drifted_columns": [str(c.name) for c in outcome.columns if c.drifted],
        "tests": outcome.tests,
        "alpha": config.alpha,
        "correction": "holm",
        "thresholds": {"numeric_effect": config.numeric_effect,
                       "categorical_effect": config.categorical_effect,
                       "missing_effect": config.missing_effect,
                       "classifier_auc": config.classifier_auc},
        "columns": {str(c.name): _column_row(c) for c in outcome.columns},
    }
    for result in (outcome.label, outcome.prediction):
        if result is not None:
            metrics[result.role] = {"column": str(result.name), **_column_row(result)}
    multivariate = outcome.multivariate
    if multivariate is not None:
        domain = multivariate.result
        metrics["multivariate"] = {
            "auc": domain.auc, "fold_aucs": domain.fold_aucs, "p_value": domain.p_value,
            "p_adjusted": multivariate.adjusted, "drifted": multivariate.drifted,
            "explained_by_columns": multivariate.explained, "rows": domain.rows,
            "drivers": [{"column": str(n), "auc_drop": d}
                        for n, d in (multivariate.residual or domain).drivers]}
        if multivariate.residual is not None:
            metrics["multivariate"]["auc_without_drifted_columns"] = multivariate.residual.auc
            metrics["multivariate"]["p_value_without_drifted_columns"] = \
                multivariate.residual.p_value
    metrics["tables"] = tables(outcome)
    metrics["tables_cover"] = ["columns", "drifted_columns", "label", "prediction",
                               "multivariate", "thresholds", "tables", "tables_cover"]
    return clean(metrics)


def _table_row(result: ColumnResult, outcome: Outcome) -> list[Any]:
    tested = result.values
    ref_missing = result.summaries.get("reference", {}).get("missing_share", 0.0)
    cur_missing = result.summaries.get("current", {}).get("missing_share", 0.0)
    name = str(result.name) if result.role == "feature" else f"{result.role}: {result.name}"
    if tested is None:
        return [name, result.kind, "-", "-", "-", "-", "-",
                f"{ref_missing:.1%} -> {cur_missing:.1%}", _verdict(result)]
    return [name, result.kind, TEST_NAMES[tested.test], p_text(result.adjusted["values"]),
            number(tested.effect), MEASURE_NAMES[tested.effect_name],
            number(tested.psi if tested.psi is not None else 0.0),
            f"{ref_missing:.1%} -> {cur_missing:.1%}", _verdict(result)]


def _verdict(result: ColumnResult) -> str:
    if result.drifted:
        return "DRIFT (" + ", ".join(result.drifted) + ")"
    return "not compared" if result.values is None and result.missing is None else "-"


def _order(result: ColumnResult, outcome: Outcome) -> tuple[Any, ...]:
    tested = result.values
    ratio = tested.effect / threshold_of(tested, outcome.config) if tested else -1.0
    return (not result.drifted, -ratio if math.isfinite(ratio) else -1e300, str(result.name))


def _joint_verdict(multivariate: Any) -> str:
    if not multivariate.drifted:
        return "-"
    return "the drifted columns" if multivariate.explained else "DRIFT"


def tables(outcome: Outcome) -> list[dict[str, Any]]:
    """Per-column table (drifted first, largest effect first) and the domain classifier's."""
    config = outcome.config
    rows = [_table_row(r, outcome) for r in sorted(outcome.measured,
                                                   key=lambda r: _order(r, outcome))]
    out = [{"title": f"Drift per column ({outcome.sample_rows['reference']} reference and "
                     f"{outcome.sample_rows['current']} current rows sampled)",
            "columns": ["column", "kind", "test", "p (Holm)", "effect", "measure", "PSI",
                        "missing", "verdict"],
            "rows": rows}]
    multivariate = outcome.multivariate
    if multivariate is not None:
        result = multivariate.result
        shown = multivariate.residual or result
        drivers = ", ".join(f"{name} ({drop:.3f})" for name, drop in shown.drivers)
        out.append({"title": "Domain classifier (is a row from the current data?)",
                    "columns": ["AUC", "folds", "p (Holm)", "threshold", "rows", "verdict",
                                "driving columns (AUC drop)"],
                    "rows": [[number(result.auc),
                              ", ".join(number(a) for a in result.fold_aucs),
                              p_text(multivariate.adjusted), number(config.classifier_auc),
                              f"{result.rows['reference']} + {result.rows['current']}",
                              _joint_verdict(multivariate), drivers or "-"]]})
    return out
