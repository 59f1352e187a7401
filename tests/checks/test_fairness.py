"""check_bias against fairlearn as the oracle: every group rate and disparity to 1e-9.

Cases: binary, multiclass (one-vs-rest), regression, intersections, tiny groups with zero
denominators, missing sensitive values and sample weights, over list/ndarray/Series/DataFrame
inputs. Then intervals (a seeded coverage simulation), findings, and bad input.
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as fm
from sklearn.metrics import accuracy_score, mean_absolute_error, precision_score

from mlsecops_jupyter.checks.fairness import check_bias
from mlsecops_jupyter.core import MLSecInputError, Settings, Severity

TOL = 1e-9
QUIET = Settings().override({"bias.figures": False, "bias.bootstrap_iterations": 200})


def _base_rate(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    return float(np.average(np.asarray(y_true) == 1, weights=sample_weight))


ORACLE_METRICS = {
    "selection_rate": fm.selection_rate,
    "true_positive_rate": fm.true_positive_rate,
    "false_positive_rate": fm.false_positive_rate,
    "true_negative_rate": fm.true_negative_rate,
    "false_negative_rate": fm.false_negative_rate,
    "accuracy": accuracy_score,
    "precision": partial(precision_score, zero_division=0),
    "base_rate": _base_rate,
}
DISPARITIES = ("demographic_parity_difference", "demographic_parity_ratio",
               "equalized_odds_difference", "equalized_odds_ratio",
               "equal_opportunity_difference", "equal_opportunity_ratio")


def biased_data(n: int = 3000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], n, p=[0.45, 0.55])
    race = rng.choice(["black", "white", "asian"], n, p=[0.3, 0.6, 0.1])
    y_true = (rng.random(n) < 0.4).astype(int)
    bonus = np.where(sex == "M", 0.15, 0.0) + np.where(race == "black", -0.1, 0.0)
    y_pred = (rng.random(n) < 0.25 + 0.4 * y_true + bonus).astype(int)
    return pd.DataFrame({"sex": sex, "race": race, "y_true": y_true, "y_pred": y_pred,
                         "weight": rng.uniform(0.2, 3.0, n)})


def _oracle_by_group(y_true: Any, y_pred: Any, sensitive: Any,
                     weights: Any = None) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = None if weights is None else {
            name: {"sample_weight": np.asarray(weights)} for name in ORACLE_METRICS}
        frame = fm.MetricFrame(metrics=ORACLE_METRICS, y_true=y_true, y_pred=y_pred,
                               sensitive_features=sensitive, sample_params=params)
    return frame.by_group


def _assert_groups_match(ours: dict[str, Any], oracle: pd.DataFrame) -> None:
    assert len(ours) == len(oracle)
    for key, row in oracle.iterrows():
        label = "×".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        for metric, value in row.items():
            assert ours[label][metric] == pytest.approx(value, abs=TOL), (label, metric)


def _assert_disparities_match(ours: dict[str, Any], y_true: Any, y_pred: Any, sensitive: Any,
                              weights: Any = None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in DISPARITIES:
            expected = getattr(fm, name)(y_true, y_pred, sensitive_features=sensitive,
                                         sample_weight=weights)
            if np.isnan(expected):
                assert ours[name] is None or np.isnan(ours[name]), name
            else:
                assert ours[name] == pytest.approx(expected, abs=TOL), name


def _as(kind: str, values: pd.Series) -> Any:
    return {"list": values.tolist(), "ndarray": values.to_numpy(), "Series": values,
            "DataFrame": values.to_frame()}[kind]


@pytest.mark.parametrize("kind", ["list", "ndarray", "Series", "DataFrame"])
def test_binary_matches_fairlearn_for_every_input_type(kind: str) -> None:
    data = biased_data()
    report = check_bias(_as(kind, data.y_true), _as(kind, data.y_pred), _as(kind, data.sex),
                        settings=QUIET)
    feature = "sex" if kind in ("Series", "DataFrame") else "sensitive_feature_0"
    oracle = _oracle_by_group(data.y_true, data.y_pred, data.sex)
    _assert_groups_match(report.metrics["by_group"][feature], oracle)
    _assert_disparities_match(report.metrics["disparities"], data.y_true, data.y_pred, data.sex)
    assert report.metrics["group_sizes"][feature] == data.sex.value_counts().to_dict()


def test_intersection_matches_fairlearn_on_a_dataframe_of_features() -> None:
    data = biased_data()
    sensitive = data[["sex", "race"]]
    report = check_bias(data.y_true, data.y_pred, sensitive, settings=QUIET)
    metrics = report.metrics
    assert metrics["sensitive_features"] == ["sex", "race"]
    assert metrics["intersections"] == ["sex×race"]
    _assert_groups_match(metrics["by_group"]["sex×race"],
                         _oracle_by_group(data.y_true, data.y_pred, sensitive))
    _assert_groups_match(metrics["by_group"]["race"],
                         _oracle_by_group(data.y_true, data.y_pred, data.race))
    # fairlearn measures a DataFrame of features on their intersection: so do our disparities
    _assert_disparities_match(metrics["disparities"], data.y_true, data.y_pred, sensitive)
    for feature in ("sex", "race"):
        _assert_disparities_match(metrics["disparities_by_feature"][feature], data.y_true,
                                  data.y_pred, data[feature])
    assert "F×black" in metrics["by_group"]["sex×race"]


def test_weighted_rates_match_fairlearn() -> None:
    data = biased_data()
    report = check_bias(data.y_true, data.y_pred, data[["sex", "race"]],
                        sample_weight=data.weight, settings=QUIET)
    _assert_groups_match(report.metrics["by_group"]["race"],
                         _oracle_by_group(data.y_true, data.y_pred, data.race, data.weight))
    _assert_disparities_match(report.metrics["disparities"], data.y_true, data.y_pred,
                              data[["sex", "race"]], data.weight)
    assert report.metrics["sample_weighted"] is True


def test_tiny_groups_zero_denominators_are_fairlearn_values_and_flagged() -> None:
    data = biased_data(400)
    sensitive = data.sex.copy()
    # group "X": two rows, both actual negatives predicted negative: TPR and precision undefined
    rows = data.index[(data.y_true == 0) & (data.y_pred == 0)][:2]
    sensitive[rows] = "X"
    report = check_bias(data.y_true, data.y_pred, sensitive, settings=QUIET)
    _assert_groups_match(report.metrics["by_group"]["sex"],
                         _oracle_by_group(data.y_true, data.y_pred, sensitive))
    _assert_disparities_match(report.metrics["disparities"], data.y_true, data.y_pred, sensitive)
    rules = {f.rule for f in report.findings}
    assert {"BIAS-SMALL-GROUP", "BIAS-ZERO-DENOMINATOR"} <= rules
    undefined = report.metrics["undefined_rates"]["sex"]["X"]
    assert {"true_positive_rate", "precision"} <= set(undefined)


def test_multiclass_is_one_vs_rest_per_class() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    group = pd.Series(rng.choice(["a", "b", "c"], n), name="group")
    y_true = rng.choice(["cat", "dog", "fish"], n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.choice(["cat", "dog", "fish"], n))
    report = check_bias(y_true, y_pred, group, settings=QUIET)
    assert report.metrics["task"] == "multiclass"
    for label in ("cat", "dog", "fish"):
        truth, predicted = (y_true == label).astype(int), (y_pred == label).astype(int)
        oracle = _oracle_by_group(truth, predicted, group)
        by_group = report.metrics["by_group"]["group"]
        for key, row in oracle.iterrows():
            for metric, value in row.items():
                assert by_group[key][f"{metric}[{label}]"] == pytest.approx(value, abs=TOL)
        expected = fm.demographic_parity_difference(truth, predicted, sensitive_features=group)
        got = report.metrics["disparities"][f"demographic_parity_difference[{label}]"]
        assert got == pytest.approx(expected, abs=TOL)


def test_regression_group_means_match_fairlearn() -> None:
    rng = np.random.default_rng(4)
    n = 1500
    group = pd.Series(rng.choice(["x", "y"], n), name="region")
    y_true = rng.normal(10, 2, n)
    y_pred = y_true + np.where(group == "x", 1.0, -0.5) + rng.normal(0, 1, n)
    weights = rng.uniform(0.5, 2.0, n)
    report = check_bias(y_true, y_pred, group, sample_weight=weights, settings=QUIET)
    assert report.metrics["task"] == "regression"
    frame = fm.MetricFrame(
        metrics={"mean_prediction": fm.mean_prediction,
                 "mean_absolute_error": mean_absolute_error},
        y_true=y_true, y_pred=y_pred, sensitive_features=group,
        sample_params={"mean_prediction": {"sample_weight": weights},
                       "mean_absolute_error": {"sample_weight": weights}})
    _assert_groups_match(report.metrics["by_group"]["region"], frame.by_group)
    disparities = report.metrics["disparities"]
    assert disparities["mean_prediction_difference"] == pytest.approx(
        frame.difference()["mean_prediction"], abs=TOL)
    assert disparities["mean_absolute_error_ratio"] == pytest.approx(
        frame.ratio()["mean_absolute_error"], abs=TOL)


@pytest.mark.parametrize("missing", ["category", "drop"])
def test_missing_sensitive_values_are_reported_never_silent(missing: str) -> None:
    data = biased_data(1000)
    sensitive = data.sex.astype(object).copy()
    sensitive[::10] = None
    report = check_bias(data.y_true, data.y_pred, sensitive, missing=missing, settings=QUIET)
    metrics = report.metrics
    assert metrics["missing"]["rows_by_feature"] == {"sex": 100}
    change = metrics["missing"]["gap_change"]["sex"]
    assert set(change) == {"rows", "gap_with_missing_group", "gap_without_missing_rows"}
    assert any(f.rule == "BIAS-MISSING-SENSITIVE" for f in report.findings)
    if missing == "category":
        oracle_features = sensitive.fillna("<missing>")
        assert "<missing>" in metrics["by_group"]["sex"]
        _assert_groups_match(metrics["by_group"]["sex"],
                             _oracle_by_group(data.y_true, data.y_pred, oracle_features))
    else:
        keep = sensitive.notna()
        assert metrics["missing"]["rows_dropped"] == 100
        _assert_groups_match(metrics["by_group"]["sex"], _oracle_by_group(
            data.y_true[keep], data.y_pred[keep], sensitive[keep]))
        assert change["gap_without_missing_rows"] == pytest.approx(
            metrics["disparities"]["demographic_parity_difference"], abs=TOL)


def test_missing_raise_refuses() -> None:
    with pytest.raises(MLSecInputError, match="missing value"):
        check_bias([0, 1, 1, 0], [0, 1, 0, 0], ["a", None, "b", "a"], missing="raise",
                   settings=QUIET)


def test_gap_findings_and_noise_downgrade() -> None:
    data = biased_data(4000)
    report = check_bias(data.y_true, data.y_pred, data.sex, settings=QUIET)
    severities = {f.rule: f.severity for f in report.findings}
    assert severities["BIAS-DEMOGRAPHIC-PARITY"] == Severity.MEDIUM
    assert report.metrics["disparities"]["four_fifths_rule_passed"] is False
    # the same rates on 40 rows: the gap is within noise, so only LOW findings remain
    small = data.sample(40, random_state=0)
    noisy = check_bias(small.y_true, small.y_pred, small.sex,
                       settings=QUIET.override({"bias.demographic_parity_difference": 0.01}))
    gap = [f for f in noisy.findings if f.rule == "BIAS-DEMOGRAPHIC-PARITY"]
    assert gap and gap[0].severity == Severity.LOW and gap[0].evidence["within_noise"]


def test_fair_predictions_raise_no_gap_findings() -> None:
    rng = np.random.default_rng(7)
    n = 20000
    y_true = (rng.random(n) < 0.3).astype(int)
    y_pred = np.where(rng.random(n) < 0.9, y_true, 1 - y_true)
    report = check_bias(y_true, y_pred, rng.choice(["a", "b"], n), settings=QUIET)
    assert report.findings == []


def test_bootstrap_interval_coverage_is_near_nominal() -> None:
    """Seeded simulation: the 90% interval of a group's selection rate covers the truth."""
    rng = np.random.default_rng(11)
    settings = QUIET.override({"bias.confidence_level": 0.9, "bias.bootstrap_iterations": 400})
    covered = 0
    trials = 60
    for trial in range(trials):
        group = rng.choice(["a", "b"], 300)
        y_pred = (rng.random(300) < np.where(group == "a", 0.3, 0.5)).astype(int)
        y_true = rng.integers(0, 2, 300)
        report = check_bias(y_true, y_pred, group,
                            settings=settings.override({"bias.random_seed": trial}))
        low, high = report.metrics["confidence_intervals"]["sensitive_feature_0"]["a"][
            "selection_rate"]
        covered += low <= 0.3 <= high
    assert 0.75 <= covered / trials <= 1.0


def test_report_is_deterministic_and_has_tables_and_figures() -> None:
    data = biased_data(500)
    settings = Settings().override({"bias.bootstrap_iterations": 200})
    first = check_bias(data.y_true, data.y_pred, data[["sex", "race"]], settings=settings)
    second = check_bias(data.y_true, data.y_pred, data[["sex", "race"]], settings=settings)
    assert first.to_dict() | {"elapsed_s": 0} == second.to_dict() | {"elapsed_s": 0}
    titles = [table["title"] for table in first.metrics["tables"]]
    assert titles[:3] == ["bias by sex", "bias by race", "bias by sex×race"]
    assert len(first.figures) == 3 and first.figures[0].data.startswith(b"<svg")
    assert first.figures == second.figures  # byte-identical SVG


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([0, 1, 1], [0, 1], ["a", "b", "a"]), "y_pred has 2 rows but y_true has 3"),
        (([], [], []), "empty"),
        (([0, np.nan, 1], [0, 1, 1], ["a", "b", "a"]), "y_true has 1 missing"),
        (([0, 1, 1], [0, 1, 1], ["a", "a", "a"]), "single group"),
        (([0, 1, 1], [0, 1, 1], ["a", "b"]), "sensitive feature 'sensitive_feature_0' has 2"),
    ],
)
def test_bad_input_is_one_line_error(arguments: tuple[Any, ...], message: str) -> None:
    with pytest.raises(MLSecInputError, match=message) as caught:
        check_bias(*arguments, settings=QUIET)
    assert "\n" not in str(caught.value)


def test_non_binary_labels_with_task_binary_are_refused() -> None:
    with pytest.raises(MLSecInputError, match="task='binary' but the labels have 3"):
        check_bias([0, 1, 2, 1], [0, 1, 2, 2], ["a", "b", "a", "b"], task="binary",
                   settings=QUIET)


def test_all_negative_labels_give_fairlearn_values_and_strict_json() -> None:
    """No positives at all: positive label stays 1, 0/0 ratios are NaN in fairlearn, null here."""
    import json

    y_true, y_pred, group = [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], ["a", "b"] * 3
    report = check_bias(y_true, y_pred, group, settings=QUIET)
    assert report.metrics["positive_label"] == "1"
    _assert_disparities_match(report.metrics["disparities"], y_true, y_pred, group)

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    json.loads(report.to_json(), parse_constant=refuse)


def test_reference_group_variants_are_signed_and_relative_to_the_largest_group() -> None:
    data = biased_data()
    report = check_bias(data.y_true, data.y_pred, data.race, settings=QUIET)
    disparities = report.metrics["disparities"]
    rates = data.groupby("race").y_pred.mean()
    assert disparities["reference_group"] == "white"  # the largest group
    for group, rate in rates.items():
        assert disparities["aif360_statistical_parity_difference"][group] == pytest.approx(
            rate - rates["white"], abs=TOL)
        assert disparities["aif360_disparate_impact"][group] == pytest.approx(
            rate / rates["white"], abs=TOL)
    assert disparities["aif360_statistical_parity_difference"]["black"] < 0


# -- scores passed as predictions --------------------------------------------------------------
SCORES_REFUSED = "y_pred holds scores, not class labels"


def scored_model(n: int = 2000, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A real LogisticRegression whose probabilities favour one group: (y, proba, sex)."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], n)
    x = rng.normal(0, 1, n) + np.where(sex == "M", 1.2, 0.0)
    y = (x + rng.normal(0, 1, n) > 0.7).astype(int)
    features = np.column_stack([x, rng.normal(0, 1, n)])
    proba = LogisticRegression().fit(features, y).predict_proba(features)[:, 1]
    return y, proba, sex


@pytest.mark.parametrize("kind", ["list", "ndarray", "Series"])
@pytest.mark.parametrize("labels", ["0/1", "text", "bool"])
def test_probabilities_as_y_pred_are_refused(kind: str, labels: str) -> None:
    y, proba, sex = scored_model()
    truth: Any = {"0/1": y, "text": np.where(y == 1, "yes", "no"), "bool": y == 1}[labels]
    scores: Any = {"list": list(proba), "ndarray": proba, "Series": pd.Series(proba)}[kind]
    with pytest.raises(MLSecInputError, match=SCORES_REFUSED) as caught:
        check_bias(truth, scores, sex, settings=QUIET)
    assert "--y-score" in str(caught.value) and "threshold" in str(caught.value)
    with pytest.raises(MLSecInputError, match=SCORES_REFUSED):
        check_bias(truth, scores, sex, task="binary", settings=QUIET)


def test_one_class_probability_against_multiclass_labels_is_refused() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 500)
    with pytest.raises(MLSecInputError, match=SCORES_REFUSED):
        check_bias(labels, rng.random(500), rng.choice(["a", "b"], 500), settings=QUIET)


@pytest.mark.parametrize("case", ["continuous", "counts", "binary target, task given"])
def test_regression_still_works(case: str) -> None:
    rng = np.random.default_rng(5)
    n = 800
    group = rng.choice(["a", "b"], n)
    if case == "continuous":
        y_true = rng.normal(50, 10, n)
        y_pred, task = y_true + rng.normal(0, 3, n), None
    elif case == "counts":  # a Poisson target with fractional predictions is a regression
        y_true = rng.poisson(4, n)
        y_pred, task = np.clip(y_true + rng.normal(0, 1, n), 0, None), None
    else:
        y_true = rng.integers(0, 2, n).astype(float)
        y_pred, task = np.clip(y_true * 0.6 + rng.random(n) * 0.4, 0, 1), "regression"
    report = check_bias(y_true, y_pred, group, task=task, settings=QUIET)
    assert report.metrics["task"] == "regression"
    frame = fm.MetricFrame(metrics=fm.mean_prediction, y_true=y_true, y_pred=y_pred,
                           sensitive_features=group)
    for label, value in frame.by_group.items():
        assert report.metrics["by_group"]["sensitive_feature_0"][label]["mean_prediction"] \
            == pytest.approx(value, abs=TOL)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_a_threshold_cuts_scores_and_matches_fairlearn(threshold: float) -> None:
    y, proba, sex = scored_model()
    report = check_bias(y, proba, sex, threshold=threshold, settings=QUIET)
    predicted = (proba >= threshold).astype(int)
    assert report.metrics["task"] == "binary"
    assert report.metrics["threshold"] == threshold
    assert f"predicted 1 where score >= {threshold:g}, else 0" in \
        report.metrics["y_pred_from_scores"]
    for name in DISPARITIES:
        expected = getattr(fm, name)(y, predicted, sensitive_features=sex)
        assert report.metrics["disparities"][name] == pytest.approx(expected, abs=TOL), name
    assert report.metrics["overall"]["mean_score"] == pytest.approx(proba.mean(), abs=TOL)
    assert {f.rule for f in report.findings} >= {"BIAS-DEMOGRAPHIC-PARITY"}


def test_a_threshold_on_text_labels_predicts_the_positive_label() -> None:
    y, proba, sex = scored_model()
    truth = np.where(y == 1, "yes", "no")
    report = check_bias(truth, proba, sex, threshold=0.5, settings=QUIET)
    expected = fm.equalized_odds_difference(y, (proba >= 0.5).astype(int),
                                            sensitive_features=sex)
    assert report.metrics["disparities"]["equalized_odds_difference"] == pytest.approx(
        expected, abs=TOL)
    assert "predicted yes where score >= 0.5, else no" in report.metrics["y_pred_from_scores"]


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        (([0, 1, 2, 1], [0.1, 0.9, 0.4, 0.6], ["a", "b", "a", "b"]), {"threshold": 0.5},
         "y_true has 3 distinct values"),
        (([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.6], ["a", "b", "a", "b"]),
         {"threshold": 0.5, "task": "regression"}, "cannot go with task='regression'"),
        (([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.6], ["a", "b", "a", "b"]),
         {"threshold": float("nan")}, "threshold must be a finite number"),
        (([0, 1, 0, 1], ["a", "b", "a", "b"], ["a", "b", "a", "b"]), {"threshold": 0.5},
         "y_pred must be numeric"),
    ],
)
def test_bad_threshold_use_is_one_line_error(arguments: tuple[Any, ...], options: dict[str, Any],
                                             message: str) -> None:
    with pytest.raises(MLSecInputError, match=message) as caught:
        check_bias(*arguments, settings=QUIET, **options)
    assert "\n" not in str(caught.value)
