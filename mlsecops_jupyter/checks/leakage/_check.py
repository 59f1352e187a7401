"""``check_leakage``: train/test overlap, shared entities, temporal order and label proxies."""

from __future__ import annotations

import dataclasses
import time as _clock
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.finding import Finding, Location
from ...core.report import Report, Skipped
from ...core.settings import LeakageSettings, Settings
from ...core.severity import Severity
from . import _target
from ._evidence import MASKED_KEY, masked_free_text, masked_row_examples, masked_values
from ._hashing import pair_kind
from ._inputs import role_columns, shared_columns
from ._measures import Measures, measures_for
from ._roles import Roles, detect_roles, hashed_columns
from .rules import CHECK, RULES

NOT_DATES = "time={column!r} holds no values that parse as dates"
TARGET_ALL_MISSING = "the target column {column!r} has no values in train"
MIN_MISSING = 10  # a feature needs this many missing sampled rows for LEAK-MISSING-LABEL


def check_leakage(train: Any, test: Any, target: str | None = None,
                  group: str | Sequence[str] | None = None, time: str | None = None,
                  id: str | Sequence[str] | None = None,  # noqa: A002 - the issue's name
                  settings: Settings | None = None, subject: str | None = None, *,
                  feature_names: Sequence[str] | None = None) -> Report:
    """Find what the test set shares with the training set, and features that leak the label.

    Parameters
    ----------
    train, test : DataFrame, dask DataFrame, 2-D array or path
        The two sets; paths are read as CSV or Parquet (by content). Arrays take their column
        names from ``feature_names`` (else ``x0, x1, ...``). A dask DataFrame on either side
        runs the check on the active dask scheduler (docs/dask.md), with the same findings.
    target : str, optional
        The label column; enables LEAK-TARGET-PROXY, LEAK-ID-LABEL and LEAK-MISSING-LABEL.
    group, id : str or list of str, optional
        Entity and identifier columns (LEAK-GROUP-OVERLAP, LEAK-ID-LABEL). Identifier columns
        are left out of the row fingerprints. Found automatically when not given.
    time : str, optional
        The time axis of the split (LEAK-TEMPORAL). Date columns are found automatically too.
    settings : Settings, optional
        ``settings.leakage`` holds the thresholds; default: ``Settings.load()``.
    subject : str, optional
        What the report is about (default: ``"train vs test"``, or the file names).

    Returns
    -------
    Report
        ``check="leakage"``; every finding's ``evidence.count`` is exact; ``metrics`` holds the
        roles used (and which were detected), the duplicate counts and the sample sizes.
    """
    started = _clock.perf_counter()
    settings = settings if settings is not None else Settings.load()
    config = settings.leakage
    measures = measures_for(train, test, feature_names)
    train_frame, test_frame = measures.train, measures.test
    shared, only_train, only_test = shared_columns(train_frame, test_frame)
    if target is not None:
        role_columns(target, "target", train_frame, test_frame, test_optional=True)
    groups = role_columns(group, "group", train_frame, test_frame)
    ids = role_columns(id, "id", train_frame, test_frame)
    times = role_columns(time, "time", train_frame, test_frame)
    rng = np.random.default_rng(config.seed)
    sample = measures.sample("train", config.sample_rows, rng)
    roles = detect_roles(measures, shared, sample, target=target, groups=groups, ids=ids,
                         times=times, settings=config)
    for column in times:
        if column not in roles.parsed_dates:
            raise MLSecInputError(NOT_DATES.format(column=column))

    findings: list[Finding] = []
    skipped: list[Skipped] = []
    metrics: dict[str, Any] = {
        "rows": {"train": measures.rows("train"), "test": measures.rows("test")},
        "shared_columns": len(shared),
    }
    skipped += [Skipped(f"column {c!r}", "only in train: not compared") for c in only_train
                if c != target]
    skipped += [Skipped(f"column {c!r}", "only in test: not compared") for c in only_test]

    findings += _duplicates(measures, shared, roles, config, metrics)
    findings += _groups(measures, roles, set(groups) | set(ids), config, skipped)
    findings += _temporal(measures, roles, set(times), config, skipped)
    if target is not None:
        findings += _label_checks(measures, sample, roles, config, rng, metrics, skipped)
    else:
        skipped.append(Skipped("LEAK-TARGET-PROXY, LEAK-ID-LABEL, LEAK-MISSING-LABEL",
                               "no target given"))

    metrics["roles"] = {
        "target": target,
        "group": [str(c) for c in roles.groups],
        "id": [str(c) for c in roles.ids],
        "time": [str(c) for c in roles.times],
        "auto_detected": {str(c): reason for c, reason in roles.auto.items()},
    }
    if roles.texts:  # only when there is any: most frames have no free text
        metrics["roles"]["free_text"] = [str(c) for c in roles.texts]
    tables = [{"title": "Column roles", "columns": ["column", "role", "source"],
               "rows": roles.table()}] if roles.table() else []
    metrics["tables"] = tables + metrics.pop("tables", [])
    metrics.update(measures.describe())
    return Report(
        check=CHECK,
        subject=subject or _subject(train, test),
        findings=findings,
        metrics=metrics,
        skipped=skipped,
        elapsed_s=_clock.perf_counter() - started,
    )


def _subject(train: Any, test: Any) -> str:
    import os

    if isinstance(train, (str, os.PathLike)) and isinstance(test, (str, os.PathLike)):
        return f"{train} vs {test}"
    return "train vs test"


# -- row overlap ------------------------------------------------------------------------------
def _duplicates(measures: Measures, shared: list[Any], roles: Roles,
                config: LeakageSettings, metrics: dict[str, Any]) -> list[Finding]:
    columns = hashed_columns(shared, roles)
    metrics["fingerprint_columns"] = [str(c) for c in columns]
    if not columns:
        return []
    kinds = {c: pair_kind(measures.kind("train", c), measures.kind("test", c))
             for c in columns}
    exact, near = measures.duplicates(columns, kinds, config)
    metrics["duplicate_test_rows"] = exact.count
    metrics["near_duplicate_test_rows"] = near.count
    findings = []
    test_rows = measures.rows("test")
    index_names = measures.index_name("train"), measures.index_name("test")
    share = 100.0 * exact.count / test_rows
    if exact.count:
        examples, masked_as = masked_row_examples(exact.examples, *index_names)
        findings.append(RULES["LEAK-DUPLICATE-ROWS"].finding(
            f"{exact.count} of {test_rows} test rows ({share:.2f}%) are identical to a "
            f"training row on {len(columns)} column(s); e.g. test row "
            f"{examples[0]['test']!r} = train row {examples[0]['train']!r}.",
            evidence=_with_mask({"count": exact.count, "test_rows": test_rows,
                                 "examples": examples, "columns": len(columns)}, masked_as)))
    if near.count:
        near_share = 100.0 * near.count / test_rows
        examples, masked_as = masked_row_examples(near.examples, *index_names)
        findings.append(RULES["LEAK-NEAR-DUPLICATES"].finding(
            f"{near.count} of {test_rows} test rows ({near_share:.2f}%) equal a training row "
            f"after normalisation (floats to {config.float_decimals} decimals, text "
            "lower-cased and trimmed) without being exact copies; e.g. test row "
            f"{examples[0]['test']!r} ~ train row {examples[0]['train']!r}.",
            evidence=_with_mask({"count": near.count, "test_rows": test_rows,
                                 "examples": examples,
                                 "float_decimals": config.float_decimals}, masked_as)))
    return findings


def _with_mask(evidence: dict[str, Any], masked_as: str | None) -> dict[str, Any]:
    """Say in the evidence that (and as what) the quoted examples were masked."""
    if masked_as is not None:
        evidence[MASKED_KEY] = masked_as
    return evidence


def _groups(measures: Measures, roles: Roles, given: set[Any], config: LeakageSettings,
            skipped: list[Skipped]) -> list[Finding]:
    """LEAK-GROUP-OVERLAP per entity column, with what a random split would share beside it.

    Free text found automatically is reported only when its shared values exceed chance
    (``config.alpha``, one-sided): repeated sentences land on both sides of any split.
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1.0 - config.alpha)
    findings = []
    for column in [*roles.groups, *roles.ids, *roles.texts]:
        shared = measures.shared_ids(column, config.max_examples)
        if not shared.count:
            continue
        auto = column not in given
        chance = measures.chance(column)
        free_text = column in roles.texts
        expected = f"a random split of these rows would share about {chance.shared:.1f}"
        if free_text and not chance.exceeded_by(shared.count, z):
            skipped.append(Skipped(
                f"LEAK-GROUP-OVERLAP on {column!r}",
                f"free text, not an entity: {shared.count} value(s) occur in both sets where "
                f"{expected} (repeated texts land on both sides by chance); pass "
                f"group={str(column)!r} if it identifies an entity"))
            continue
        if free_text:
            examples, masked_as = masked_free_text(shared.examples)
        else:
            examples, masked_as = masked_values(shared.examples, column)
        share = 100.0 * shared.test_rows / measures.rows("test")
        how = " (found automatically: pass group=/id= to confirm)" if auto else ""
        quoted = ", ".join(map(repr, examples[:3]))
        if free_text:
            detail = (f"{shared.count} {column!r} texts occur in both sets, more than chance "
                      f"predicts ({expected}){how}; {shared.test_rows} test rows ({share:.2f}%) "
                      f"repeat a training text; e.g. {quoted}.")
        else:
            detail = (f"{shared.count} distinct {column!r} value(s) occur in both sets{how}; "
                      f"{shared.test_rows} test rows ({share:.2f}%) belong to an entity seen in "
                      f"training ({expected}); e.g. {quoted}.")
        findings.append(RULES["LEAK-GROUP-OVERLAP"].finding(
            detail,
            Location(column=str(column)),
            evidence=_with_mask({
                "count": shared.count, "test_rows": shared.test_rows,
                "test_distinct": shared.test_distinct, "examples": examples,
                "auto_detected": auto, "expected_by_chance": round(chance.shared, 1),
                "expected_test_rows_by_chance": round(chance.test_rows, 1),
                **({"free_text": True} if free_text else {})}, masked_as),
            severity=Severity.MEDIUM if auto else None))
    return findings


def _temporal(measures: Measures, roles: Roles, given: set[Any], config: LeakageSettings,
              skipped: list[Skipped]) -> list[Finding]:
    findings = []
    for column in roles.times:
        auto = column not in given
        if auto and given:
            continue  # the user named the time axis: other dates are features
        train_dates, test_dates = roles.parsed_dates.get(column, (None, None))
        if train_dates is None or test_dates is None:
            continue
        order = measures.temporal(train_dates, test_dates, config.max_examples)
        if order is None:
            skipped.append(Skipped(f"LEAK-TEMPORAL on {column!r}", "no dates on one side"))
            continue
        if auto and order.train_share_before_test < config.auto_time_min_order:
            skipped.append(Skipped(
                f"LEAK-TEMPORAL on {column!r}",
                f"found automatically and the split is not chronological "
                f"({order.train_share_before_test:.0%} of training rows predate the first test "
                f"row); pass time={str(column)!r} if it is the time axis"))
            continue
        if not order.count:
            continue
        examples, masked_as = masked_values(order.examples, measures.index_name("test"))
        findings.append(RULES["LEAK-TEMPORAL"].finding(
            f"{order.count} test rows are dated before the latest training date "
            f"({order.train_max}); the test set starts at {order.test_min}.",
            Location(column=str(column)),
            evidence=_with_mask({"count": order.count, "train_max": order.train_max,
                                 "test_min": order.test_min, "examples": examples,
                                 "auto_detected": auto,
                                 "test_rows_without_date": order.missing_test}, masked_as),
            severity=Severity.MEDIUM if auto else None))
    return findings


# -- label checks -----------------------------------------------------------------------------
def _label_checks(measures: Measures, sample: Any, roles: Roles, config: LeakageSettings,
                  rng: np.random.Generator, metrics: dict[str, Any],
                  skipped: list[Skipped]) -> list[Finding]:
    target = roles.target
    assert target is not None
    train, test = measures.train, measures.test
    missing_target = measures.missing("train", target)
    if missing_target == measures.rows("train"):
        raise MLSecInputError(TARGET_ALL_MISSING.format(column=target))
    if missing_target:
        skipped.append(Skipped(f"{missing_target} training rows",
                               f"no value in the target {target!r}: left out of the label "
                               "checks"))
    sides = {"train": _labelled(sample, target)}
    if target in test.columns and measures.missing("test", target) < measures.rows("test"):
        sides["test"] = _labelled(measures.sample("test", config.sample_rows, rng), target)
    labels = {}
    for side, frame in sides.items():
        label, why = _target.encode_label(frame[target])
        if label is None:
            skipped.append(Skipped("LEAK-TARGET-PROXY, LEAK-ID-LABEL, LEAK-MISSING-LABEL",
                                   why))
            return []
        labels[side] = label
    metrics["label_sample_rows"] = {side: len(frame) for side, frame in sides.items()}
    metrics["task"] = labels["train"].task
    identifiers = [*roles.groups, *roles.ids, *roles.times]
    features = [c for c in train.columns if c != target and c not in identifiers]
    findings: list[Finding] = []
    rows: list[list[Any]] = []
    scores: dict[Any, dict[str, float]] = {}
    proxies: list[Finding] = []
    for column in features:
        scores[column] = {}
        passed = {}
        for side, frame in sides.items():
            if column in frame.columns:
                result = _proxy(frame[column], labels[side], config, rng)
                scores[column][side] = round(result[0], 4)
                if result[1] is not None and result[1].p_value <= config.alpha:
                    passed[side] = result
        if passed:
            proxies.append(_proxy_finding(column, passed, labels["train"].task, config))
    findings.extend(_graded_proxies(proxies, labels["train"].task, config))
    for column in identifiers:
        finding = _id_label(column, sides["train"], labels["train"], roles, config, rng,
                            scores, measures)
        if finding is not None:
            findings.append(finding)
    for column in [c for c in train.columns if c != target]:
        finding = _missing_label(column, sides["train"][column], labels["train"], config, rng,
                                 scores)
        if finding is not None:
            finding.evidence["train_missing"] = measures.missing("train", column)
            findings.append(finding)
    for column, values in scores.items():
        rows.append([str(column), roles.role_of(column) or "feature", values.get("train"),
                     values.get("test"), values.get("missing")])
    rows.sort(key=lambda r: (-(r[2] if isinstance(r[2], float) and r[2] == r[2] else -1), r[0]))
    stat = "R2" if labels["train"].task == "regression" else "AUC"
    metrics["tables"] = [{
        "title": f"Single-column prediction of {target!r} (cross-fitted {stat})",
        "columns": ["column", "role", f"train {stat}", f"test {stat}", "missingness assoc."],
        "rows": rows,
    }]
    return findings


def _labelled(frame: Any, target: str) -> Any:
    present = frame[target].notna()
    return frame if bool(present.all()) else frame[present]


def _folds(size: int, rng: np.random.Generator) -> np.ndarray:
    folds = np.zeros(size, dtype=np.int64)
    folds[rng.permutation(size)[: size // 2]] = 1
    return folds


def _tested(codes: np.ndarray, n_bins: int, label: _target.Label, config: LeakageSettings,
            rng: np.random.Generator, threshold: float) -> tuple[float, _target.Tested | None]:
    folds = _folds(len(codes), rng)
    observed = _target.predictive_score(codes, n_bins, label, folds)
    if not observed >= threshold:
        return observed, None
    tested = _target.permutation_test(
        observed, lambda permuted: _target.predictive_score(codes, n_bins, label, folds,
                                                            permuted),
        label, config.permutations, rng)
    return observed, tested


def _proxy(values: Any, label: _target.Label, config: LeakageSettings,
           rng: np.random.Generator) -> tuple[float, _target.Tested | None]:
    codes, n_bins = _target.bin_codes(values, config.bins, config.max_categories)
    threshold = config.proxy_r2 if label.task == "regression" else config.proxy_auc
    return _tested(codes, n_bins, label, config, rng, threshold)


def _proxy_finding(column: Any, passed: dict[str, tuple[float, _target.Tested | None]],
                   task: str, config: LeakageSettings) -> Finding:
    """One finding per column, naming each set (train, test) in which it predicts the label."""
    stat = "R2" if task == "regression" else "AUC"
    threshold = config.proxy_r2 if task == "regression" else config.proxy_auc
    parts = []
    evidence: dict[str, Any] = {"count": 1, "statistic": stat, "threshold": threshold,
                                "permutations": config.permutations, "sides": list(passed)}
    for side, (observed, tested) in passed.items():
        assert tested is not None
        parts.append(f"{stat} {observed:.3f} in the {side} set (permutation p = "
                     f"{tested.p_value:.4f})")
        evidence[side] = {"score": round(observed, 4), "p_value": round(tested.p_value, 6),
                          "null_p99": round(tested.null_p99, 4)}
    return RULES["LEAK-TARGET-PROXY"].finding(
        f"{column!r} alone predicts the target: cross-fitted {'; '.join(parts)}; threshold "
        f"{threshold:g}, {config.permutations} label shuffles.",
        Location(column=str(column)), evidence=evidence)


def _graded_proxies(proxies: list[Finding], task: str,
                    config: LeakageSettings) -> list[Finding]:
    """Keep HIGH for what looks like leakage, LOW for a field of strong features.

    A leaked column predicts the label almost perfectly, or stands out alone; a dataset whose
    signal is simply strong (breast-cancer measurements: eleven columns at AUC 0.93-0.97) has
    many columns above the threshold and none near perfect. Those are still reported, at LOW,
    so a reviewer confirms they are known at prediction time, but they do not fail strict mode.
    """
    certain = config.proxy_r2_certain if task == "regression" else config.proxy_auc_certain
    isolated = len(proxies) <= config.proxy_isolated_max
    graded = []
    for finding in proxies:
        best = max(float(finding.evidence[side]["score"]) for side in finding.evidence["sides"])
        finding.evidence["near_perfect"] = best >= certain
        finding.evidence["strong_columns"] = len(proxies)
        if best >= certain or isolated:
            graded.append(finding)
            continue
        graded.append(dataclasses.replace(
            finding, severity=Severity.LOW,
            title="Strong feature: confirm it is known at prediction time",
            detail=finding.detail + f" {len(proxies)} columns pass the threshold and none "
            f"reaches {certain:g}: more likely a strong signal than a leak."))
    return graded


def _id_label(column: Any, frame: Any, label: _target.Label, roles: Roles,
              config: LeakageSettings, rng: np.random.Generator,
              scores: dict[Any, dict[str, float]], measures: Measures) -> Finding | None:
    values = frame[column]
    if column in roles.parsed_dates and roles.parsed_dates[column][0] is not None:
        values = measures.sample_dates(roles.parsed_dates[column][0], frame)
    codes, n_bins = _target.bin_codes(values, config.bins, config.max_categories, ordinal=True)
    threshold = config.id_r2 if label.task == "regression" else config.id_auc
    observed, tested = _tested(codes, n_bins, label, config, rng, threshold)
    scores.setdefault(column, {})["train"] = round(observed, 4)
    if tested is None or tested.p_value > config.alpha:
        return None
    stat = "R2" if label.task == "regression" else "AUC"
    role = roles.role_of(column) or "identifier"
    return RULES["LEAK-ID-LABEL"].finding(
        f"The order of {role} column {column!r} predicts the label: cross-fitted {stat} "
        f"{observed:.3f} (threshold {threshold:g}; permutation p = {tested.p_value:.4f}, null "
        f"99th percentile {tested.null_p99:.3f}, {len(codes)} sampled rows).",
        Location(column=str(column)),
        evidence={"count": 1, "statistic": stat, "score": round(observed, 4),
                  "threshold": threshold, "p_value": round(tested.p_value, 6),
                  "null_p99": round(tested.null_p99, 4), "sample_rows": len(codes),
                  "role": role, "auto_detected": column in roles.auto})


def _missing_label(column: Any, values: Any, label: _target.Label, config: LeakageSettings,
                   rng: np.random.Generator,
                   scores: dict[Any, dict[str, float]]) -> Finding | None:
    missing = np.asarray(values.isna())
    count = int(missing.sum())
    if count < MIN_MISSING or count == len(missing):
        return None
    observed = _target.missing_association(missing, label)
    scores.setdefault(column, {})["missing"] = round(observed, 4)
    if observed < config.missing_association:
        return None
    tested = _target.permutation_test(
        observed, lambda permuted: _target.missing_association(missing, label, permuted),
        label, config.permutations, rng)
    if tested.p_value > config.alpha:
        return None
    measure = "|r|" if label.task == "regression" else "Cramer's V"
    return RULES["LEAK-MISSING-LABEL"].finding(
        f"Whether {column!r} is missing ({count} of {len(missing)} sampled rows) predicts the "
        f"label: {measure} {observed:.3f} (threshold {config.missing_association:g}; "
        f"permutation p = {tested.p_value:.4f}).",
        Location(column=str(column)),
        evidence={"count": count, "sample_rows": len(missing), "statistic": measure,
                  "score": round(observed, 4), "threshold": config.missing_association,
                  "p_value": round(tested.p_value, 6)})
