"""Findings and tables of the poisoning check: the words and the evidence, apart from the maths.

Values quoted from the data (a trigger value, the class names) go through the leakage check's
masking (``leakage/_evidence.py``: the pii check's detectors and column context), so a trigger
that is an e-mail address or a label that is a name is shown masked, and the evidence says so.
Rows are 0-based positions in X as given; at most ``max_rows_listed`` are listed, the count is
always exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.finding import Finding, Location
from ...core.settings import PoisoningSettings
from ...core.severity import Severity
from ..leakage._evidence import MASKED_KEY, masked_values
from ._confident import LabelIssues
from ._duplicates import find_conflicts
from ._inputs import Labelled
from ._model import LabelModel
from ._outliers import Outliers
from ._triggers import Candidate
from .rules import RULES

MAX_EXAMPLES = 5
TABLE_ROWS = 20
EXPLAINED_ROWS = 10


def plain(value: Any) -> Any:
    """A value as JSON holds it: numpy scalars unwrapped, dates and other objects as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def class_names(data: Labelled) -> tuple[list[Any], str | None]:
    """The class names as evidence shows them (masked when they are personal data)."""
    return masked_values(list(data.classes), data.target)


def listed(positions: np.ndarray, config: PoisoningSettings) -> dict[str, Any]:
    rows = [int(p) for p in positions[: config.max_rows_listed]]
    return {"count": len(positions), "rows": rows, "rows_listed": len(rows)}


def _with_mask(evidence: dict[str, Any], masked_as: str | None) -> dict[str, Any]:
    if masked_as is not None:
        evidence[MASKED_KEY] = masked_as
    return evidence


def model_table(model: LabelModel, rows: int) -> dict[str, Any]:
    """What each candidate model scored, and which one the rules used (CPU times stay out of
    the table: a report must read the same on every run)."""
    table_rows = []
    for candidate in model.candidates:
        status = ("chosen" if candidate.name == model.name
                  else candidate.skipped or "higher log loss")
        loss = None if candidate.log_loss is None else round(candidate.log_loss, 4)
        table_rows.append([candidate.name, loss, status])
    table_rows.append(["class shares alone", round(model.prior_log_loss, 4),
                       "no-skill baseline"])
    folds = int(model.folds.max()) + 1
    return {"title": f"Label model ({folds}-fold cross-validated on {rows} rows)",
            "columns": ["model", "log loss", "status"], "rows": table_rows}


def label_finding(issues: LabelIssues, positions: np.ndarray, given: np.ndarray,
                  data: Labelled, model: LabelModel, scored: int,
                  config: PoisoningSettings) -> tuple[Finding, dict[str, Any]]:
    names, masked_as = class_names(data)
    count = len(issues.rows)
    tau = config.label_confident_prob
    beyond_chance = (issues.confident >= config.label_min_rows
                     and issues.p_value <= config.alpha)
    examples = [{"row": int(row), "given": names[int(g)], "suggested": names[int(s)],
                 "probability_given": round(float(pg), 4),
                 "probability_suggested": round(float(pg + m), 4)}
                for row, g, s, pg, m in zip(positions[:MAX_EXAMPLES], given, issues.suggested,
                                            issues.given_probability, issues.margin,
                                            strict=False)]
    first = examples[0]
    chance = (f"{issues.confident} of them have a given-label probability of at most {tau:g}, "
              f"where the model's own uncertainty predicts {issues.expected_confident:.1f} "
              f"(Poisson p = {issues.p_value:.2g})")
    detail = (f"{count} of {scored} rows ({100.0 * count / scored:.2f}%) carry a label that a "
              f"cross-validated {model.name} model contradicts (confident learning); {chance}; "
              f"estimated label noise {100.0 * issues.noise_rate:.1f}%. Most confident first: "
              f"row {first['row']} is labelled {first['given']!r}, the model says "
              f"{first['suggested']!r} ({first['probability_suggested']:.2f}).")
    evidence = _with_mask({
        **listed(positions, config),
        "scored_rows": scored, "confident_rows": issues.confident,
        "expected_confident_by_chance": round(issues.expected_confident, 2),
        "p_value": round(issues.p_value, 8), "confident_probability": tau,
        "false_alarm_rate": config.alpha, "estimated_noise_rate": round(issues.noise_rate, 4),
        "model": model.name, "examples": examples,
    }, masked_as)
    if beyond_chance:
        finding = RULES["POISON-LABEL-ISSUES"].finding(detail, evidence=evidence)
    else:
        finding = RULES["POISON-LABEL-ISSUES"].finding(
            detail + " That is as many as the classes' natural overlap explains.",
            evidence=evidence, severity=Severity.LOW,
            title="Rows whose labels the model contradicts, within what chance explains")
    table = {"title": f"Suspect labels (first {TABLE_ROWS}, most confident first)",
             "columns": ["row", "given", "suggested", "p(given)", "p(suggested)"],
             "rows": [[int(row), names[int(g)], names[int(s)], round(float(pg), 4),
                       round(float(pg + m), 4)]
                      for row, g, s, pg, m in zip(positions[:TABLE_ROWS], given,
                                                  issues.suggested, issues.given_probability,
                                                  issues.margin, strict=False)]}
    return finding, table


def _shown_values(candidate: Candidate) -> tuple[list[Any], str | None]:
    shown, kinds = [], []
    for column, value in zip(candidate.columns, candidate.values, strict=True):
        masked, kind = masked_values([plain(value)], column)
        shown.append(masked[0])
        kinds.append(kind)
    return shown, next((k for k in kinds if k), None)


def _pattern(columns: tuple[Any, ...], shown: list[Any]) -> str:
    return " and ".join(f"{c}={v!r}" for c, v in zip(columns, shown, strict=True))


def trigger_finding(candidate: Candidate, data: Labelled, tests: int,
                    config: PoisoningSettings, model_name: str | None) -> Finding:
    """One planted-looking value: its rows, its purity, and both chance figures."""
    names, label_masked = class_names(data)
    shown, masked_as = _shown_values(candidate)
    label = names[candidate.label]
    rows = data.positions[candidate.rows]
    share = 100.0 * candidate.support / len(data.codes)
    chance = (f"a value unrelated to the label would be {100.0 * candidate.prior:.1f}% "
              f"{label!r} (binomial p = {candidate.p_value:.2g})")
    if model_name is None:
        decisive = candidate.p_value
        verdict = "no label model could judge the rest of the row."
    else:
        decisive = candidate.p_counterfactual if candidate.p_counterfactual is not None else 1.0
        verdict = (f"with the value replaced, the {model_name} model expects "
                   f"{candidate.expected_without or 0.0:.1f} of these rows to be {label!r} "
                   f"(p = {decisive:.2g}): the value, not the rest of the row, carries the "
                   "label.")
    detail = (f"{candidate.support} rows ({share:.2f}%) hold "
              f"{_pattern(candidate.columns, shown)} and {candidate.label_rows} of them "
              f"({100.0 * candidate.purity:.0f}%) are labelled {label!r}; {chance}; {verdict} "
              f"Bound: {config.alpha:g} over {tests} value-label tests (family-wise false-alarm "
              f"rate {config.alpha:g}).")
    evidence = _with_mask({
        **listed(rows, config),
        "columns": [str(c) for c in candidate.columns],
        "value": shown[0] if len(shown) == 1 else shown,
        "support": candidate.support,
        "support_share": round(candidate.support / len(data.codes), 6),
        "label": label, "label_rows": candidate.label_rows,
        "purity": round(candidate.purity, 4), "expected_purity": round(candidate.prior, 4),
        "p_value_label_share": float(f"{candidate.p_value:.6g}"),
        "p_value": float(f"{decisive:.6g}"), "tests": tests,
        "false_alarm_rate": config.alpha,
    }, masked_as or label_masked)
    if model_name is not None:
        evidence["expected_label_rows_without_value"] = round(candidate.expected_without or 0.0,
                                                              2)
    return RULES["POISON-TRIGGER"].finding(detail, Location(column=", ".join(
        map(str, candidate.columns))), evidence=evidence)


def trigger_table(explained: list[Candidate], data: Labelled) -> dict[str, Any]:
    """Rare values that predict their label but that the rest of the row explains too."""
    names, _ = class_names(data)
    rows = []
    for candidate in explained[:EXPLAINED_ROWS]:
        shown, _ = _shown_values(candidate)
        rows.append([", ".join(map(str, candidate.columns)),
                     ", ".join(map(repr, shown)), candidate.support, names[candidate.label],
                     round(candidate.purity, 3), round(candidate.expected_without or 0.0, 1)])
    more = f" (first {EXPLAINED_ROWS} of {len(explained)})" if len(explained) > EXPLAINED_ROWS \
        else ""
    return {"title": "Rare values purer than the label's share, explained by the rest of their "
                     f"rows: not reported{more}",
            "columns": ["column", "value", "rows", "label", "purity",
                        "label rows expected without the value"],
            "rows": rows}


def conflict_findings(data: Labelled, config: PoisoningSettings,
                      metrics: dict[str, Any]) -> list[Finding]:
    conflicts = find_conflicts(data.features, data.codes)
    bound = config.alpha / max(len(conflicts), 1)
    copies = [c for c in conflicts if c.expected_matches <= bound]
    metrics["conflicting_duplicate_sets"] = len(conflicts)
    metrics["conflicting_duplicate_sets_by_chance"] = len(conflicts) - len(copies)
    if not copies:
        return []
    names, masked_as = class_names(data)
    examples = [{"rows": [int(p) for p in data.positions[c.rows]],
                 "labels": [names[int(code)] for code in data.codes[c.rows]]}
                for c in copies[:MAX_EXAMPLES]]
    positions = np.concatenate([data.positions[c.rows] for c in copies])
    first = examples[0]
    detail = (f"{len(copies)} set(s) of identical rows ({len(positions)} rows) carry different "
              f"labels, e.g. rows {first['rows']} labelled {first['labels']}. Two independent "
              f"rows would share these values by chance about "
              f"{max(c.expected_matches for c in copies):.2g} times at most (columns taken as "
              f"independent); {len(conflicts) - len(copies)} other conflicting set(s) are as "
              "common as the feature space makes them and are not reported.")
    evidence = _with_mask({
        **listed(positions, config), "sets": len(copies), "examples": examples,
        "expected_matches_by_chance": float(f"{max(c.expected_matches for c in copies):.4g}"),
        "sets_explained_by_chance": len(conflicts) - len(copies),
        "false_alarm_rate": config.alpha,
    }, masked_as)
    return [RULES["POISON-CONFLICTING-DUPLICATES"].finding(detail, evidence=evidence)]


def outlier_finding(found: Outliers, positions: np.ndarray, codes: np.ndarray,
                    data: Labelled, config: PoisoningSettings) -> Finding:
    names, masked_as = class_names(data)
    examples = [{"row": int(p), "label": names[int(c)], "z": round(float(z), 2)}
                for p, c, z in zip(positions[:MAX_EXAMPLES], codes, found.z, strict=False)]
    detail = (f"{len(positions)} of {found.tested} rows lie far from every other row of their "
              f"class: robust z-score of their distance to the {config.outlier_neighbours} "
              f"nearest rows of the same class at least {found.bound:.2f} (one-sided "
              f"{config.alpha:g} over the rows tested; {found.columns} numeric column(s)); "
              f"most isolated: row {examples[0]['row']} ({examples[0]['label']!r}, z = "
              f"{examples[0]['z']}).")
    evidence = _with_mask({
        **listed(positions, config), "tested_rows": found.tested,
        "z_bound": round(found.bound, 3), "neighbours": config.outlier_neighbours,
        "false_alarm_rate": config.alpha, "examples": examples,
    }, masked_as)
    return RULES["POISON-OUTLIERS"].finding(detail, evidence=evidence)
