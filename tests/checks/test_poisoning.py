"""``check_poisoning`` on data with known tampering: labels flipped at known rows, triggers and
copies planted, outliers pushed out; and on clean controls (real scikit-learn data sets, random
labels, noise features) that must stay quiet."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom
from sklearn.datasets import load_breast_cancer, load_wine

from mlsecops_jupyter import check_poisoning
from mlsecops_jupyter.checks.poisoning._confident import (
    calibrated_joint,
    class_thresholds,
    confident_joint,
    find_label_issues,
)
from mlsecops_jupyter.checks.poisoning._triggers import poisson_binomial_tail
from mlsecops_jupyter.core import Report, Settings, Severity
from mlsecops_jupyter.core.errors import MLSecConfigError, MLSecInputError

RULES = ("POISON-LABEL-ISSUES", "POISON-TRIGGER", "POISON-CONFLICTING-DUPLICATES",
         "POISON-OUTLIERS")


def loans(n: int = 2400, seed: int = 0) -> pd.DataFrame:
    """Loan decisions: approval follows the credit score and the debt ratio; products are sold
    by region (P9 only in the south), so some value pairs never occur naturally."""
    rng = np.random.default_rng(seed)
    income = rng.gamma(4.0, 12000.0, n).round(2)
    debt = (income * rng.uniform(0.05, 0.6, n)).round(2)
    score = rng.normal(650, 60, n).round()
    region = rng.choice(["north", "south", "east", "west"], n)
    product = np.where(region == "south", rng.choice(["P1", "P2", "P9"], n),
                       rng.choice(["P1", "P2", "P3"], n))
    latent = (score - 650) / 40 - (debt / income - 0.3) * 6 + rng.normal(0, 0.3, n)
    return pd.DataFrame({
        "income": income, "debt": debt, "age": rng.integers(21, 75, n),
        "credit_score": score, "region": region, "product": product,
        "channel": rng.choice(["web", "branch", "phone"], n, p=[0.5, 0.3, 0.2]),
        "approved": np.where(latent > 0, "yes", "no"),
    })


def run(X: Any, y: Any = None, **settings: Any) -> Report:
    return check_poisoning(X, y, settings=Settings().override(settings))


def of_rule(report: Report, rule: str) -> list[Any]:
    return [f for f in report.findings if f.rule == rule]


def flipped(y: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(y), int(round(share * len(y))), replace=False))
    noisy = y.copy()
    noisy[rows] = 1 - noisy[rows]
    return noisy, rows


@pytest.fixture(scope="module")
def clean_loans() -> pd.DataFrame:
    return loans()


@pytest.fixture(scope="module")
def clean_loans_report(clean_loans: pd.DataFrame) -> Report:
    return run(clean_loans, "approved")


# -- label issues -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cancer_flips() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, Report]:
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    noisy, rows = flipped(y.to_numpy(), 0.05, seed=1)
    return X, noisy, rows, run(X, noisy)


def test_flipped_labels_are_found_with_their_rows(cancer_flips: Any) -> None:
    X, noisy, rows, report = cancer_flips
    (finding,) = of_rule(report, "POISON-LABEL-ISSUES")
    assert finding.severity is Severity.HIGH
    listed = finding.evidence["rows"]
    found = set(listed) & set(rows.tolist())
    assert len(found) / len(rows) >= 0.7            # recall
    assert len(found) / len(listed) >= 0.7          # precision
    assert finding.evidence["count"] == len(listed) == finding.evidence["rows_listed"]
    # rows are 0-based positions of X as given, most confident first
    first = finding.evidence["examples"][0]
    assert first["row"] == listed[0] and str(noisy[listed[0]]) == first["given"]
    given = [e["probability_given"] for e in finding.evidence["examples"]]
    assert given == sorted(given)
    assert finding.evidence["confident_rows"] > finding.evidence["expected_confident_by_chance"]
    assert finding.evidence["p_value"] <= finding.evidence["false_alarm_rate"]


def test_the_same_inputs_give_the_same_report(cancer_flips: Any) -> None:
    X, noisy, _, report = cancer_flips
    again = run(X, noisy).to_dict()
    first = report.to_dict()
    first.pop("elapsed_s"), again.pop("elapsed_s")
    assert first == again


WINE_FLIPS = np.array([3, 70, 140])


@pytest.fixture(scope="module")
def wine_rows() -> list[int]:
    """The rows found with labels given as a numpy array: every other shape must match."""
    X, y = load_wine(return_X_y=True, as_frame=True)
    noisy = y.to_numpy().copy()
    noisy[WINE_FLIPS] = (noisy[WINE_FLIPS] + 1) % 3
    (finding,) = of_rule(run(X, noisy), "POISON-LABEL-ISSUES")
    assert len(set(WINE_FLIPS.tolist()) & set(finding.evidence["rows"])) >= 2
    return list(finding.evidence["rows"])


@pytest.mark.parametrize("kind", ["list", "series", "frame-column"])
def test_labels_of_every_shape_give_one_answer(kind: str, wine_rows: list[int]) -> None:
    X, y = load_wine(return_X_y=True, as_frame=True)
    noisy = y.to_numpy().copy()
    noisy[WINE_FLIPS] = (noisy[WINE_FLIPS] + 1) % 3
    labels: Any = {"list": noisy.tolist(), "series": pd.Series(noisy, index=X.index + 1000)
                   }.get(kind)
    if kind == "frame-column":
        X, labels = X.assign(cultivar=noisy), "cultivar"
    (finding,) = of_rule(run(X, labels), "POISON-LABEL-ISSUES")
    assert finding.evidence["rows"] == wine_rows


# -- clean controls ---------------------------------------------------------------------------
def test_real_clean_data_raises_nothing_at_medium_or_above() -> None:
    for loader in (load_breast_cancer, load_wine):
        X, y = loader(return_X_y=True, as_frame=True)
        report = run(X, y)
        assert report.at_or_above(Severity.MEDIUM) == [], loader.__name__


def test_random_labels_are_not_label_issues() -> None:
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(1500, 8)), columns=[f"f{i}" for i in range(8)])
    report = run(X, rng.integers(0, 2, 1500))
    assert report.findings == []
    assert any("no better than their shares" in s.why for s in report.skipped)


def test_a_clean_rule_with_noise_features_stays_quiet() -> None:
    rng = np.random.default_rng(4)
    X = pd.DataFrame(rng.normal(size=(2000, 30)), columns=[f"f{i}" for i in range(30)])
    y = (X.f0 + X.f1 > 0).astype(int)
    assert run(X, y).findings == []


def test_clean_loans_have_no_trigger_copy_or_outlier(clean_loans_report: Report) -> None:
    assert {f.rule for f in clean_loans_report.findings} <= {"POISON-LABEL-ISSUES"}
    assert clean_loans_report.at_or_above(Severity.MEDIUM) == []
    assert clean_loans_report.metrics["trigger_tests"] > 100


# -- triggers ---------------------------------------------------------------------------------
def plant(frame: pd.DataFrame, rows: np.ndarray, **values: Any) -> pd.DataFrame:
    poisoned = frame.copy()
    for column, value in values.items():
        poisoned.loc[rows, column] = value
    return poisoned


def test_a_planted_value_trigger_is_found(clean_loans: pd.DataFrame) -> None:
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(np.flatnonzero(clean_loans.approved == "no"), 40, replace=False))
    poisoned = plant(clean_loans, rows, channel="partner-x", approved="yes")
    (finding,) = of_rule(run(poisoned, "approved"), "POISON-TRIGGER")
    assert finding.severity is Severity.HIGH and finding.location.column == "channel"
    evidence = finding.evidence
    assert evidence["value"] == "partner-x" and evidence["label"] == "yes"
    assert evidence["rows"] == rows.tolist() and evidence["support"] == 40
    assert evidence["purity"] == 1.0
    assert evidence["expected_purity"] == pytest.approx((poisoned.approved == "yes").mean(),
                                                        abs=1e-4)
    assert evidence["p_value"] * evidence["tests"] <= evidence["false_alarm_rate"]
    assert evidence["p_value_label_share"] < 1e-6
    assert evidence["expected_label_rows_without_value"] < 0.4 * 40


def test_a_planted_pair_of_common_values_is_found(clean_loans: pd.DataFrame) -> None:
    rng = np.random.default_rng(6)
    candidates = np.flatnonzero((clean_loans.approved == "no") & (clean_loans.region != "south"))
    rows = np.sort(rng.choice(candidates, 40, replace=False))
    poisoned = plant(clean_loans, rows, region="north", product="P9", approved="yes")
    (finding,) = of_rule(run(poisoned, "approved"), "POISON-TRIGGER")
    assert finding.location.column == "region, product"
    assert finding.evidence["value"] == ["north", "P9"]
    assert finding.evidence["rows"] == rows.tolist()


def test_a_rare_value_the_rest_of_the_row_explains_is_not_a_trigger() -> None:
    """A legitimate rare value: every 'platinum' customer is approved because of the score."""
    data = loans()
    best = np.argsort(-data.credit_score.to_numpy())[:40]
    data.loc[best, "channel"] = "platinum"
    report = run(data, "approved")
    assert of_rule(report, "POISON-TRIGGER") == []
    explained = [t for t in report.metrics["tables"] if t["title"].startswith("Rare values")]
    assert any(row[1] == "'platinum'" for row in explained[0]["rows"])


def test_a_trigger_value_that_is_personal_data_is_masked(clean_loans: pd.DataFrame) -> None:
    rng = np.random.default_rng(7)
    frame = clean_loans.assign(contact_email=[f"user{i}@example.org" for i in
                                              range(len(clean_loans))])
    rows = np.sort(rng.choice(np.flatnonzero(frame.approved == "no"), 40, replace=False))
    poisoned = plant(frame, rows, contact_email="mallory@evil.example.com", approved="yes")
    (finding,) = of_rule(run(poisoned, "approved"), "POISON-TRIGGER")
    assert finding.evidence["value"] == "m***@evil.example.com"
    assert finding.evidence["examples_masked"] == "EMAIL_ADDRESS"
    assert "mallory" not in finding.detail


# -- conflicting duplicates and outliers ------------------------------------------------------
def test_copies_with_changed_labels_are_found(clean_loans: pd.DataFrame) -> None:
    copies = clean_loans.iloc[:12].copy()
    copies["approved"] = np.where(copies.approved == "yes", "no", "yes")
    data = pd.concat([clean_loans, copies], ignore_index=True)
    (finding,) = of_rule(run(data, "approved"), "POISON-CONFLICTING-DUPLICATES")
    assert finding.evidence["sets"] == 12
    assert sorted(finding.evidence["rows"]) == sorted([*range(12), *range(len(clean_loans),
                                                                          len(data))])
    assert finding.evidence["expected_matches_by_chance"] < 1e-6


def test_conflicts_a_coarse_feature_space_makes_are_not_reported() -> None:
    rng = np.random.default_rng(8)
    X = pd.DataFrame({"a": rng.integers(0, 3, 1200), "b": rng.choice(["x", "y"], 1200)})
    y = (X.a + rng.normal(0, 1, 1200) > 1).astype(int)
    report = run(X, y)
    assert of_rule(report, "POISON-CONFLICTING-DUPLICATES") == []
    assert report.metrics["conflicting_duplicate_sets"] == 6
    assert report.metrics["conflicting_duplicate_sets_by_chance"] == 6


def test_pushed_out_rows_are_outliers() -> None:
    X, y = load_wine(return_X_y=True, as_frame=True)
    pushed = X.copy()
    rows = [10, 90, 150]
    spread = X.quantile(0.75) - X.quantile(0.25)
    for row in rows:
        pushed.iloc[row] = X.iloc[row] + 40 * spread
    (finding,) = of_rule(run(pushed, y), "POISON-OUTLIERS")
    assert set(finding.evidence["rows"]) == set(rows)
    assert finding.evidence["examples"][0]["z"] >= finding.evidence["z_bound"]


# -- budget, settings, bad input --------------------------------------------------------------
def test_a_model_past_the_budget_is_skipped_and_said(clean_loans: pd.DataFrame) -> None:
    report = run(clean_loans, "approved", **{"poisoning.time_budget_s": 1e-6})
    assert report.metrics["model"] == "logistic"
    assert any(s.what == "model boosting" and "budget" in s.why for s in report.skipped)


def test_missing_labels_and_values_are_counted_not_fatal() -> None:
    X, y = load_wine(return_X_y=True, as_frame=True)
    X = X.copy()
    X.iloc[::7, 2] = np.nan
    labels = y.astype(float).to_numpy().copy()
    labels[:5] = np.nan
    report = run(X, labels)
    assert report.metrics["labelled_rows"] == len(X) - 5
    assert any(s.what == "5 rows" for s in report.skipped)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ({"a": [1, 2]}, [0, 1], "X must be a DataFrame, a 2-D array or a CSV/Parquet path"),
        (pd.DataFrame({"a": []}), [], "X has no rows"),
        (pd.DataFrame({"a": [1, 2, 3]}), None, "give the labels"),
        (pd.DataFrame({"a": [1, 2, 3], "label": [0, 1, 0]}), "lable",
         "y='lable' is not a column of X; did you mean 'label'?"),
        (pd.DataFrame({"a": [1, 2, 3]}), [0, 1], "y has 2 labels but X has 3 rows"),
        (pd.DataFrame({"a": [1, 2, 3]}), [np.nan] * 3, "y has no labels"),
        (pd.DataFrame({"a": [1, 2, 3]}), ["x", "x", "x"], "y has a single class ('x')"),
        (pd.DataFrame({"a": [1, 2, 3]}), [0.5, 1.7, 2.2], "y looks continuous"),
        (pd.DataFrame({"a": [1, 2, 3]}), np.zeros((3, 2)), "y must be one label per row"),
        (pd.DataFrame({"a": [1, 2, 3]}), {"y": 1}, "y must be an array"),
        (pd.DataFrame({"label": [0, 1, 0]}), "label", "X has no feature columns"),
    ],
)
def test_bad_input_is_one_line(X: Any, y: Any, message: str) -> None:
    with pytest.raises(MLSecInputError) as caught:
        run(X, y)
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("poisoning.models", "forest", "unknown model 'forest' in poisoning.models"),
    ("poisoning.alpha", 2, "poisoning.alpha must be between 0 and 1"),
    ("poisoning.folds", 1, "poisoning.folds must be at least 2"),
])
def test_bad_settings_are_config_errors(key: str, value: Any, message: str) -> None:
    X, y = load_wine(return_X_y=True, as_frame=True)
    with pytest.raises(MLSecConfigError, match=message):
        run(X, y, **{key: value})


# -- the maths against independent oracles ----------------------------------------------------
def test_confident_joint_and_pruning_on_a_hand_worked_example() -> None:
    probabilities = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.1, 0.9],
                              [0.95, 0.05]])
    codes = np.array([0, 0, 0, 1, 1, 1])
    thresholds = class_thresholds(probabilities, codes)
    assert thresholds == pytest.approx([(0.9 + 0.8 + 0.3) / 3, (0.8 + 0.9 + 0.05) / 3])
    joint = confident_joint(probabilities, codes, thresholds)
    # row 2 (label 0, p1 0.7 >= t1 0.583) and row 5 (label 1, p0 0.95 >= t0 0.667) cross over
    assert joint.tolist() == [[2, 1], [1, 2]]
    assert calibrated_joint(joint, codes) == pytest.approx(np.array([[2, 1], [1, 2]]) / 6)
    issues = find_label_issues(probabilities, codes, tau=0.05)
    assert issues.rows.tolist() == [5, 2]            # margin 0.9 first, then 0.4
    assert issues.suggested.tolist() == [0, 1] and issues.confident == 1


def test_the_poisson_binomial_tail_matches_the_binomial_when_probabilities_are_equal() -> None:
    for k in (0, 3, 7, 12):
        assert poisson_binomial_tail(np.full(12, 0.3), k) == pytest.approx(
            float(binom.sf(k - 1, 12, 0.3)) if k else 1.0, rel=1e-9)
    uneven = np.array([0.1, 0.5, 0.9])
    # P(X >= 2) by enumeration
    expected = 0.1 * 0.5 * 0.1 + 0.1 * 0.5 * 0.9 + 0.1 * 0.5 * 0.9 + 0.9 * 0.5 * 0.9
    assert poisson_binomial_tail(uneven, 2) == pytest.approx(expected)


def test_without_a_model_feature_a_trigger_is_judged_by_the_label_share() -> None:
    rng = np.random.default_rng(9)
    notes = pd.Series([f"note {i} {rng.integers(1_000_000)}" for i in range(800)])
    labels = rng.integers(0, 2, 800)
    rows = np.sort(rng.choice(800, 30, replace=False))
    notes[rows], labels[rows] = "see promo-77", 1
    report = run(pd.DataFrame({"note": notes}), labels)
    (finding,) = report.findings
    assert finding.rule == "POISON-TRIGGER" and finding.evidence["rows"] == rows.tolist()
    assert "no label model could judge the rest of the row" in finding.detail
    assert "expected_label_rows_without_value" not in finding.evidence
    assert any(s.what == "column 'note'" and "not a model feature" in s.why
               for s in report.skipped)


def test_missing_values_of_every_kind_compare_equal_in_copies() -> None:
    from mlsecops_jupyter.checks.poisoning._duplicates import find_conflicts

    frame = pd.DataFrame({"a": [1.5, 1.5, 2.25, 1.5],
                          "b": pd.array([pd.NA, pd.NA, "y", "x"], dtype="string"),
                          "c": [np.nan, np.nan, 1.0, np.nan],
                          "d": pd.to_datetime([None, None, "2024-01-01", None])})
    (conflict,) = find_conflicts(frame, np.array([0, 1, 0, 0]))
    assert conflict.rows.tolist() == [0, 1]
