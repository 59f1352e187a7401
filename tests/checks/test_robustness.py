"""Evasion robustness on models whose robustness is known by construction.

A linear model's minimal L-inf perturbation has a closed form (the margin over the L1 norm of
its weights in standard-deviation units); a stump's is the distance to its threshold. The
exact attacks must give these numbers, the black-box attack must never beat them, and bad
input must be refused in one line before any attack runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from mlsecops_jupyter import check_robustness
from mlsecops_jupyter.checks.robustness.linear import minimal_linf
from mlsecops_jupyter.core import MLSecError, MLSecInputError, Settings
from mlsecops_jupyter.display import render_text

NO_CLIP = Settings().override({"robustness.clip_to_range": False, "robustness.figures": False})


def _minima(report: Any) -> dict[int, float]:
    """Row position -> minimal perturbation, from the report's most-vulnerable-rows table."""
    return {r["row"]: r["minimal_perturbation"] for r in report.metrics["most_vulnerable_rows"]}


@pytest.fixture(scope="module")
def plane() -> tuple[pd.DataFrame, np.ndarray, LogisticRegression]:
    """Two features of different spread and a logistic model with weights set by hand."""
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(0, 1.0, 400), "b": rng.normal(5, 2.0, 400)})
    y = (2 * X["a"] - X["b"] + 5.5 > 0).astype(int).to_numpy()
    model = LogisticRegression().fit(X, y)
    model.coef_ = np.array([[2.0, -1.0]])
    model.intercept_ = np.array([5.5])
    return X, y, model


def test_linear_minimal_perturbation_equals_the_closed_form(plane: Any) -> None:
    X, y, model = plane
    report = check_robustness(model, X, y, sample=400, settings=NO_CLIP)
    scale = X.std(ddof=0).to_numpy()
    margin = np.abs(model.decision_function(X))
    analytic = margin / (2.0 * scale[0] + 1.0 * scale[1])
    assert report.metrics["method"].startswith("exact (affine")
    assert report.metrics["exact"] is True and report.metrics["rows_attacked"] == 400
    for row, value in _minima(report).items():
        assert value == pytest.approx(analytic[row], abs=2e-6)
    assert report.metrics["median_minimal_perturbation"] == pytest.approx(
        float(np.median(analytic)), abs=2e-6)
    for eps, rate in report.metrics["success_rate_by_epsilon"].items():
        assert rate == pytest.approx(float((analytic <= float(eps)).mean()), abs=1e-6)


def test_multiclass_linear_takes_the_nearest_other_class() -> None:
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = LogisticRegression(max_iter=2000).fit(X, y)
    report = check_robustness(model, X, y, sample=150, settings=NO_CLIP)
    scale = X.std(ddof=0).to_numpy()
    scores = model.decision_function(X)
    for row, value in _minima(report).items():
        c = int(np.argmax(scores[row]))
        analytic = min((scores[row, c] - scores[row, k])
                       / np.sum(np.abs(model.coef_[k] - model.coef_[c]) * scale)
                       for k in range(3) if k != c)
        assert value == pytest.approx(analytic, abs=2e-6)


def test_the_range_of_x_bounds_each_move_exactly() -> None:
    """With clipping, the closed form is a linear programme: compare with scipy's solver."""
    from scipy.optimize import linprog

    rng = np.random.default_rng(0)
    for _ in range(200):
        m = int(rng.integers(1, 6))
        gain = np.abs(rng.normal(size=m)) * (rng.random(m) > 0.2)
        room = np.where(rng.random(m) > 0.3, rng.random(m) * 2, np.inf)
        margin = float(rng.random() * 3)
        ours = minimal_linf(gain, room, margin)
        # min t  s.t. gain . v >= margin, 0 <= v_j <= min(t, room_j)
        bounds = [(0, r if np.isfinite(r) else None) for r in room] + [(0, None)]
        cost = np.r_[np.zeros(m), 1.0]
        upper = np.hstack([np.eye(m), -np.ones((m, 1))])
        a_ub = np.vstack([np.r_[-gain, 0.0], upper])
        b_ub = np.r_[-margin, np.zeros(m)]
        solved = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        if solved.status == 2:
            assert ours == np.inf
        else:
            assert ours == pytest.approx(solved.fun, abs=1e-7)


def test_immutable_columns_never_move(plane: Any) -> None:
    X, y, model = plane
    report = check_robustness(model, X, y, sample=400, immutable=["b"], settings=NO_CLIP)
    analytic = np.abs(model.decision_function(X)) / (2.0 * X["a"].std(ddof=0))
    for row, value in _minima(report).items():
        assert value == pytest.approx(analytic[row], abs=2e-6)
    assert "b" not in report.metrics["space"]["numeric_moved"]
    assert all(r["feature"] != "b" for r in report.metrics["features_moved"])
    assert any(s.what == "column b" and "immutable" in s.why for s in report.skipped)


def test_a_stump_is_as_far_as_its_threshold() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"x": rng.normal(0, 3, 300), "noise": rng.normal(0, 1, 300)})
    y = (X["x"] > 0.7).astype(int).to_numpy()
    tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    threshold = float(tree.tree_.threshold[0])
    report = check_robustness(tree, X, y, sample=300, settings=NO_CLIP)
    assert report.metrics["method"] == "exact (tree leaves)"
    analytic = np.abs(X["x"].to_numpy() - threshold) / X["x"].std(ddof=0)
    for row, value in _minima(report).items():
        assert value == pytest.approx(analytic[row], abs=1e-6)
    moved = report.metrics["features_moved"]
    assert [r["feature"] for r in moved] == ["x"] or not moved


@pytest.fixture(scope="module")
def cancer() -> tuple[pd.DataFrame, pd.Series]:
    return load_breast_cancer(return_X_y=True, as_frame=True)


def test_the_black_box_attack_never_beats_the_exact_answer(cancer: Any) -> None:
    X, y = cancer
    settings = Settings().override({"robustness.figures": False})
    for model in (make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
                  DecisionTreeClassifier(max_depth=4, random_state=0)):
        model.fit(X, y)
        exact = check_robustness(model, X, y, sample=60, settings=settings)
        attack = check_robustness(model, X, y, sample=60, method="boundary",
                                  settings=settings)
        assert exact.metrics["exact"] and not attack.metrics["exact"]
        assert attack.metrics["rows_attacked"] == exact.metrics["rows_attacked"]
        exact_rows, attack_rows = _minima(exact), _minima(attack)
        for row, value in attack_rows.items():
            if row in exact_rows:
                assert value >= exact_rows[row] - 1e-6
        for eps, rate in attack.metrics["success_rate_by_epsilon"].items():
            assert rate <= exact.metrics["success_rate_by_epsilon"][eps] + 1e-9
        assert attack.metrics["max_queries_per_row"] <= Settings().robustness.max_queries


def test_black_box_attack_comes_close_on_a_linear_model(cancer: Any) -> None:
    X, y = cancer
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(X, y)
    settings = Settings().override({"robustness.figures": False})
    exact = check_robustness(model, X, y, sample=60, settings=settings)
    attack = check_robustness(model, X, y, sample=60, method="boundary", settings=settings)
    ratio = (attack.metrics["median_minimal_perturbation"]
             / exact.metrics["median_minimal_perturbation"])
    assert 1.0 <= ratio < 1.25


def test_a_forest_is_attacked_black_box_within_its_budget(cancer: Any) -> None:
    X, y = cancer
    model = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    settings = Settings().override({"robustness.max_queries": 600})
    report = check_robustness(model, X, y, sample=40, epsilon=0.3, settings=settings)
    assert report.metrics["method"].startswith("black-box")
    assert report.metrics["max_queries_per_row"] <= 600
    assert report.metrics["epsilon"] == 0.3 and "0.3" in report.metrics["success_rate_by_epsilon"]
    assert 0 < report.metrics["rows_flipped"] <= report.metrics["rows_attacked"]
    again = check_robustness(model, X, y, sample=40, epsilon=0.3, settings=settings)
    assert again.to_dict() | {"elapsed_s": 0} == report.to_dict() | {"elapsed_s": 0}
    assert len(report.figures) == 2 and report.figures[0].mime == "image/svg+xml"


def test_fragile_model_gets_robust_evasion_with_its_epsilon(plane: Any) -> None:
    X, y, model = plane
    report = check_robustness(model, X, y, epsilon=0.5, sample=400, settings=NO_CLIP)
    (finding,) = report.findings
    assert finding.rule == "ROBUST-EVASION"
    assert finding.evidence["epsilon"] == 0.5
    assert "epsilon = 0.5 standard deviations" in finding.detail
    rate = report.metrics["attack_success_rate"]
    assert finding.severity.label == ("high" if rate >= 0.5 else "medium")
    quiet = check_robustness(model, X, y, epsilon=0.01, sample=400, settings=NO_CLIP)
    assert quiet.findings == []
    text = render_text(report)
    assert "success rate by epsilon" in text and "most vulnerable rows" in text


def test_one_hot_groups_stay_valid_and_may_switch_when_allowed() -> None:
    rng = np.random.default_rng(5)
    n = 300
    colour = rng.choice(["red", "blue", "green"], n)
    X = pd.DataFrame({"size": rng.normal(0, 1, n)})
    for name in ("blue", "green", "red"):
        X[f"colour_{name}"] = (colour == name).astype(int)
    y = (X["size"] + 1.5 * X["colour_red"] - 0.5 > 0).astype(int).to_numpy()
    model = LogisticRegression().fit(X, y)
    held = check_robustness(model, X, y, sample=n, settings=NO_CLIP)
    assert held.metrics["space"]["numeric_moved"] == ["size"]
    assert all(r["kind"] == "numeric" for r in held.metrics["features_moved"])
    switching = NO_CLIP.override({"robustness.categorical_changes": 1})
    report = check_robustness(model, X, y, sample=n, settings=switching)
    (group,) = report.metrics["space"]["categorical"]
    assert group["feature"] == "colour" and group["kind"] == "one-hot"
    assert report.metrics["attack_success_rate"] >= held.metrics["attack_success_rate"]
    # the exact answer with one switch: the best of staying and every other colour
    scale = X["size"].std(ddof=0)
    w = model.coef_[0]
    d = model.decision_function(X)
    columns = ["colour_blue", "colour_green", "colour_red"]
    for row, value in _minima(report).items():
        current = columns.index(next(c for c in columns if X.at[row, c] == 1))
        best = np.inf
        for k in range(3):
            shifted = d[row] - w[1 + current] + w[1 + k]
            if (shifted > 0) != (d[row] > 0):
                best = 0.0
            else:
                best = min(best, abs(shifted) / (abs(w[0]) * scale))
        assert value == pytest.approx(best, abs=2e-6)


def test_text_columns_in_a_pipeline_are_switched_between_seen_values() -> None:
    rng = np.random.default_rng(6)
    n = 240
    X = pd.DataFrame({"city": rng.choice(["Oslo", "Lima", "Pune"], n),
                      "income": rng.normal(50, 10, n)})
    y = ((X["income"] - 50) / 10 + (X["city"] == "Oslo") * 1.2 > 0.3).astype(int).to_numpy()
    model = make_pipeline(make_column_transformer((OneHotEncoder(), ["city"]),
                                                  remainder=StandardScaler()),
                          LogisticRegression()).fit(X, y)
    settings = NO_CLIP.override({"robustness.categorical_changes": 1})
    report = check_robustness(model, X, y, sample=n, settings=settings)
    assert report.metrics["exact"] is True
    kinds = {r["feature"]: r["kind"] for r in report.metrics["features_moved"]}
    assert kinds.get("city", "categorical (text)") == "categorical (text)"
    held = check_robustness(model, X, y, sample=n, settings=NO_CLIP)
    assert any(s.what == "column city" and "categorical" in s.why for s in held.skipped)


# -- bad input: one line each, before any attack --------------------------------------------
@pytest.fixture(scope="module")
def small() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)})
    return X, (X["a"] > 0).astype(int).to_numpy()


def _one_class(X: pd.DataFrame) -> DecisionTreeClassifier:
    return DecisionTreeClassifier().fit(X, np.zeros(len(X), dtype=int))


@pytest.mark.parametrize(
    ("build", "mutate", "kwargs", "expected"),
    [
        (lambda X, y: LogisticRegression(), None, {}, "not fitted"),
        (lambda X, y: LinearRegression().fit(X, y), None, {}, "not a classifier"),
        (lambda X, y: _one_class(X), None, {}, "single class"),
        (lambda X, y: LogisticRegression().fit(X, y), "short_y", {}, "has 49 label(s)"),
        (lambda X, y: LogisticRegression().fit(X, y), "nan_x", {}, "missing values"),
        (lambda X, y: LogisticRegression().fit(X, y), "nan_y", {}, "no label in 1 row"),
        (lambda X, y: LogisticRegression().fit(X, y), "unknown_y", {}, "never saw: 7"),
        (lambda X, y: LogisticRegression().fit(X, y), "text_x", {}, "hold text"),
        (lambda X, y: LogisticRegression().fit(X, y), "narrow_x", {}, "lacks the column"),
        (lambda X, y: LogisticRegression().fit(X, y), None, {"epsilon": 0}, "epsilon must"),
        (lambda X, y: LogisticRegression().fit(X, y), None, {"immutable": ["c"]},
         "immutable column 'c'"),
        (lambda X, y: RandomForestClassifier(n_estimators=3).fit(X, y), None,
         {"method": "exact"}, "no exact attack"),
    ],
)
def test_bad_input_is_refused_in_one_line(small: Any, build: Any, mutate: str | None,
                                          kwargs: dict[str, Any], expected: str) -> None:
    X, y = small
    model = build(X, y)
    if mutate == "short_y":
        y = y[:-1]
    elif mutate == "nan_x":
        X = X.copy()
        X.iloc[3, 0] = np.nan
    elif mutate == "nan_y":
        y = y.astype(float)
        y[4] = np.nan
    elif mutate == "unknown_y":
        y = y.copy()
        y[0] = 7
    elif mutate == "text_x":
        X = X.assign(b=[f"level {i % 3}" for i in range(len(X))])
    elif mutate == "narrow_x":
        X = X[["a"]]
    with pytest.raises(MLSecError) as caught:
        check_robustness(model, X, y, **kwargs)
    message = str(caught.value)
    assert expected in message and "\n" not in message


def test_nothing_correct_to_attack_is_said_plainly(small: Any) -> None:
    X, y = small
    model = LogisticRegression().fit(X, y)
    wrong = 1 - model.predict(X.iloc[:3])
    with pytest.raises(MLSecInputError, match="classifies none of the 3 sampled"):
        check_robustness(model, X.iloc[:3], wrong)


class _Scores:
    """A model outside scikit-learn: predict and predict_proba, no classes_, no get_params."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def predict(self, X: Any) -> np.ndarray:
        return self._inner.predict(np.asarray(X, dtype=float))

    def predict_proba(self, X: Any) -> np.ndarray:
        return self._inner.predict_proba(np.asarray(X, dtype=float))


def test_a_model_without_classes_takes_them_from_the_labels(cancer: Any) -> None:
    X, y = cancer
    inner = RandomForestClassifier(n_estimators=20, random_state=0).fit(X.to_numpy(), y)
    settings = Settings().override({"robustness.max_queries": 300, "robustness.figures": False})
    report = check_robustness(_Scores(inner), X, y, sample=20, settings=settings)
    assert report.metrics["method"].startswith("black-box")
    assert report.metrics["rows_attacked"] == 20
    with pytest.raises(MLSecInputError, match="single class"):
        check_robustness(_Scores(inner), X, np.zeros(len(X), dtype=int))
