"""``check_poisoning``: training data that was tampered with, judged against chance.

Four rules over one labelled data set: rows whose labels a cross-validated model contradicts
(confident learning, ``_confident``), rare values that carry one label against the rest of the
row (backdoor triggers, ``_triggers``), identical rows with different labels (``_duplicates``)
and rows far from their class (``_outliers``). Each states what chance would give on clean data
of the same shape, so a reader can tell tampering from the data's natural noise.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.errors import MLSecConfigError
from ...core.finding import Finding
from ...core.report import Report, Skipped
from ...core.settings import PoisoningSettings, Settings
from ._features import Matrix, build_matrix
from ._inputs import Labelled, labelled_rows
from ._model import LabelModel, fit_label_model, one_thread
from ._present import (
    conflict_findings,
    label_finding,
    model_table,
    outlier_finding,
    trigger_finding,
    trigger_table,
)
from ._triggers import Candidate, search, verify
from .rules import CHECK

BAD_SETTING = "poisoning.{name} must be {what}, got {value!r}"
NO_FEATURES = "no column of X can be a model feature ({why})"


def check_poisoning(X: Any, y: Any = None, settings: Settings | None = None,
                    subject: str | None = None, *,
                    feature_names: Sequence[str] | None = None) -> Report:
    """Look for signs that training data was tampered with.

    Parameters
    ----------
    X : DataFrame, 2-D array or path
        The training features (a CSV/Parquet path is read by content). Arrays take their column
        names from ``feature_names`` (else ``x0, x1, ...``).
    y : array-like, Series or str
        One class label per row, or the name of the column of ``X`` that holds them (then left
        out of the features). Rows without a label are left out and counted.
    settings : Settings, optional
        ``settings.poisoning`` holds the thresholds, the CPU budget and the sample size;
        default ``Settings.load()``.
    subject : str, optional
        What the report is about (default: the file name, or ``"X, y"``).

    Returns
    -------
    Report
        ``check="poisoning"``. Rows in ``evidence.rows`` are 0-based positions in ``X`` as given
        (``X.iloc[rows]``), most suspicious first; ``metrics`` holds the label model's
        cross-validated scores, the sample sizes and what each rule tested.
    """
    started = time.perf_counter()
    settings = settings if settings is not None else Settings.load()
    config = settings.poisoning
    _validate(config)
    data = labelled_rows(X, y, feature_names)
    with one_thread():
        findings, metrics, skipped = _run(data, config)
    return Report(check=CHECK, subject=subject or _subject(X, data), findings=findings,
                  metrics=metrics, skipped=skipped, elapsed_s=time.perf_counter() - started)


def _subject(X: Any, data: Labelled) -> str:
    if isinstance(X, (str, os.PathLike)):
        return f"{X} (target {data.target})" if data.target else str(X)
    return f"X (target {data.target})" if data.target else "X, y"


def _validate(config: PoisoningSettings) -> None:
    checks = [
        ("folds", config.folds >= 2, "at least 2"),
        ("alpha", 0.0 < config.alpha < 1.0, "between 0 and 1"),
        ("label_confident_prob", 0.0 < config.label_confident_prob < 1.0, "between 0 and 1"),
        ("sample_rows", config.sample_rows >= 100, "at least 100"),
        ("time_budget_s", config.time_budget_s > 0, "positive"),
        ("trigger_min_support", config.trigger_min_support >= 2, "at least 2"),
        ("trigger_max_share", 0.0 < config.trigger_max_share <= 0.5, "in (0, 0.5]"),
        ("trigger_min_purity", 0.5 < config.trigger_min_purity <= 1.0, "in (0.5, 1]"),
        ("trigger_max_explained", 0.0 < config.trigger_max_explained < 1.0, "in (0, 1)"),
        ("outlier_neighbours", config.outlier_neighbours >= 1, "at least 1"),
        ("max_rows_listed", config.max_rows_listed >= 1, "at least 1"),
    ]
    for name, ok, what in checks:
        if not ok:
            raise MLSecConfigError(BAD_SETTING.format(name=name, what=what,
                                                      value=getattr(config, name)))


def stratified_sample(codes: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted row indices: every row when there are few, else a per-class share of ``size``."""
    if len(codes) <= size:
        return np.arange(len(codes))
    chosen = []
    ratio = size / len(codes)
    for label in np.unique(codes):
        members = np.flatnonzero(codes == label)
        take = min(len(members), max(2, int(round(len(members) * ratio))))
        chosen.append(rng.choice(members, size=take, replace=False))
    return np.sort(np.concatenate(chosen))


def _run(data: Labelled, config: PoisoningSettings
         ) -> tuple[list[Finding], dict[str, Any], list[Skipped]]:
    rng = np.random.default_rng(config.seed)
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    counts = np.bincount(data.codes, minlength=data.n_classes)
    metrics: dict[str, Any] = {
        "rows": data.rows_total,
        "labelled_rows": len(data.codes),
        "classes": {name: int(n) for name, n in zip(data.classes, counts, strict=True)},
        "false_alarm_rate": config.alpha,
    }
    if data.target is not None:
        metrics["target"] = str(data.target)
    if data.unlabelled:
        skipped.append(Skipped(f"{data.unlabelled} rows", "no label: left out of every rule"))
    matrix = build_matrix(data.features)
    skipped += [Skipped(f"column {c!r}", why) for c, why in matrix.left_out.items()]
    sample = stratified_sample(data.codes, config.sample_rows, rng)
    metrics["sample_rows"] = len(sample)
    tables: list[dict[str, Any]] = []
    model: LabelModel | None = None
    sample_fold = np.full(len(data.codes), -1, dtype=np.int64)
    if matrix.values.shape[1] == 0:
        why = NO_FEATURES.format(why="; ".join(matrix.left_out.values()) or "none")
        skipped.append(Skipped("POISON-LABEL-ISSUES, POISON-OUTLIERS, trigger verification",
                               why))
    else:
        sampled = Matrix(matrix.values[sample], matrix.columns, matrix.categorical)
        model = fit_label_model(sampled, data.codes[sample], data.n_classes, config.models,
                                config.folds, config.time_budget_s, config.seed)
        sample_fold[sample] = model.folds
        tables.append(model_table(model, len(sample)))
        metrics["model"] = model.name
        metrics["model_skill_z"] = round(model.skill_z, 3) if np.isfinite(
            model.skill_z) else None
        skipped += [Skipped(f"model {c.name}", c.skipped) for c in model.candidates
                    if c.skipped]
        findings += _labels(data, sample, model, config, metrics, tables, skipped)
    findings += _triggers(data, matrix, model, sample_fold, config, rng, metrics, tables,
                          skipped)
    findings += conflict_findings(data, config, metrics)
    if matrix.values.shape[1]:
        findings += _outliers(data, matrix, sample, config, metrics, skipped)
    metrics["tables"] = tables
    return findings, metrics, skipped


def _labels(data: Labelled, sample: np.ndarray, model: LabelModel, config: PoisoningSettings,
            metrics: dict[str, Any], tables: list[dict[str, Any]],
            skipped: list[Skipped]) -> list[Finding]:
    from ._confident import find_label_issues

    if not model.has_skill(config.alpha):
        skipped.append(Skipped(
            "POISON-LABEL-ISSUES",
            f"the {model.name} model predicts the labels no better than their shares alone "
            f"(out-of-sample log loss {model.log_loss:.3f} vs {model.prior_log_loss:.3f}): "
            "with no signal to stand on, a contradicted label means nothing"))
        return []
    judged = np.flatnonzero(model.judged)
    if len(judged) < len(sample):
        skipped.append(Skipped(f"{len(sample) - len(judged)} rows",
                               "their class is too small to be in every fold's training rows:"
                               " their labels are not judged"))
    scored_codes = data.codes[sample][judged]
    issues = find_label_issues(model.probabilities[judged], scored_codes,
                               config.label_confident_prob)
    metrics["label_issue_rows"] = len(issues.rows)
    metrics["estimated_label_noise"] = round(issues.noise_rate, 4)
    if not len(issues.rows):
        return []
    positions = data.positions[sample[judged[issues.rows]]]
    finding, table = label_finding(issues, positions, scored_codes[issues.rows], data, model,
                                   len(judged), config)
    tables.append(table)
    return [finding]


def _triggers(data: Labelled, matrix: Matrix, model: LabelModel | None,
              sample_fold: np.ndarray, config: PoisoningSettings, rng: np.random.Generator,
              metrics: dict[str, Any], tables: list[dict[str, Any]],
              skipped: list[Skipped]) -> list[Finding]:
    found = search(data.features, data.codes, data.n_classes,
                   min_support=config.trigger_min_support,
                   max_share=config.trigger_max_share, min_purity=config.trigger_min_purity,
                   pairs=config.trigger_pairs, max_values=config.trigger_max_values)
    if found.pairs_skipped:
        skipped.append(Skipped("POISON-TRIGGER on value pairs", found.pairs_skipped))
    bound = config.alpha / max(found.tests, 1)
    candidates = sorted(found.candidates,
                        key=lambda c: (c.p_value, -c.support, str(c.columns), str(c.values)))
    metrics["trigger_tests"] = found.tests
    metrics["trigger_candidates"] = len(candidates)
    if not candidates:
        return []
    if model is None:  # no model: the label's share is all chance can be judged against
        return [trigger_finding(c, data, found.tests, config, None)
                for c in _without_sub_patterns([c for c in candidates if c.p_value <= bound])]
    checked = candidates[: config.trigger_max_candidates]
    if len(candidates) > len(checked):
        skipped.append(Skipped(
            f"{len(candidates) - len(checked)} rare, pure value(s)",
            f"past poisoning.trigger_max_candidates ({config.trigger_max_candidates}, the least "
            "surprising by the label's share): not checked against the rest of their rows"))
    verify(checked, matrix, model, sample_fold, rng)
    triggers = [c for c in checked if (c.p_counterfactual or 1.0) <= bound
                and (c.expected_without or 0.0) <= config.trigger_max_explained * c.label_rows]
    # shown: what looked like a trigger by the label's share alone, but the row explains
    explained = [c for c in checked if c not in triggers and c.p_value <= bound]
    triggers = _without_sub_patterns(triggers)
    if explained:
        tables.append(trigger_table(explained, data))
    return [trigger_finding(c, data, found.tests, config, model.name) for c in triggers]


def _without_sub_patterns(triggers: list[Candidate]) -> list[Candidate]:
    """Drop a pair that contains a value reported alone: it is that trigger again."""
    singles = {(c.columns[0], _key(c.values[0])) for c in triggers if len(c.columns) == 1}
    return [c for c in triggers if len(c.columns) == 1
            or not any((column, _key(value)) in singles
                       for column, value in zip(c.columns, c.values, strict=True))]


def _key(value: Any) -> str:
    return repr(value)


def _outliers(data: Labelled, matrix: Matrix, sample: np.ndarray, config: PoisoningSettings,
              metrics: dict[str, Any], skipped: list[Skipped]) -> list[Finding]:
    from ._outliers import find_outliers

    numeric = matrix.numeric
    if not len(numeric):
        skipped.append(Skipped("POISON-OUTLIERS", "no numeric feature to measure distance on"))
        return []
    found = find_outliers(matrix.values[np.ix_(sample, numeric)], data.codes[sample],
                          config.outlier_neighbours, config.alpha)
    metrics["outlier_rows_tested"] = found.tested
    if found.tested < len(sample):
        skipped.append(Skipped(f"POISON-OUTLIERS on {len(sample) - found.tested} rows",
                               "their class has too few rows to judge its spread"))
    if not len(found.rows):
        return []
    return [outlier_finding(found, data.positions[sample[found.rows]],
                            data.codes[sample[found.rows]], data, config)]
