"""Membership inference on models whose exposure is known by construction, on real data.

Deep random forests on small data memorise their training rows and must be caught; regularised
models must not be, over several seeds of scikit-learn's bundled datasets (no download). A 1-NN
classifier on noisy labels memorises every row (members always get their own label back), a
constant model reveals nothing; the AUC, its DeLong variance and the advantage are checked
against brute force.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from mlsecops_jupyter import check_privacy
from mlsecops_jupyter.checks.privacy.stats import delong_auc, separation
from mlsecops_jupyter.core import MLSecError, Settings
from mlsecops_jupyter.display import render_text

QUIET = Settings().override({"privacy.figures": False})
LOADERS = {"breast_cancer": load_breast_cancer, "wine": load_wine}


def _split(name: str, seed: int) -> tuple[Any, Any, Any, Any]:
    X, y = LOADERS[name](return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.5, random_state=seed, stratify=y)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("dataset", sorted(LOADERS))
def test_a_deep_forest_on_small_data_is_caught(dataset: str, seed: int) -> None:
    X_train, X_test, y_train, y_test = _split(dataset, seed)
    model = RandomForestClassifier(random_state=seed).fit(X_train, y_train)
    report = check_privacy(model, X_train, y_train, X_test, y_test, settings=QUIET)
    (finding,) = report.findings
    assert finding.rule == "PRIVACY-MEMBERSHIP-INFERENCE"
    low = report.metrics["membership_auc_ci"]["low"]
    assert low > Settings().privacy.auc_threshold
    assert report.metrics["membership_auc"] > 0.6
    assert report.metrics["shadow_models"] == 4
    assert [a["attack"] for a in report.metrics["attacks"]] == [
        "loss threshold", "shadow models", "reference models"]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("dataset", sorted(LOADERS))
@pytest.mark.parametrize("kind", ["logistic", "shallow forest"])
def test_a_regularised_model_is_not_caught(dataset: str, seed: int, kind: str) -> None:
    X_train, X_test, y_train, y_test = _split(dataset, seed)
    model = (make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=5000))
             if kind == "logistic" else
             RandomForestClassifier(n_estimators=50, max_depth=3, min_samples_leaf=20,
                                    random_state=seed))
    model.fit(X_train, y_train)
    report = check_privacy(model, X_train, y_train, X_test, y_test, settings=QUIET)
    assert report.findings == [], report.metrics["attacks"]
    assert report.metrics["membership_auc_ci"]["low"] <= Settings().privacy.auc_threshold


def test_one_nearest_neighbour_memorises_noisy_labels() -> None:
    """Members always get their own (noisy) label back, non-members only half of the time."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 4)), columns=list("abcd"))
    y = rng.integers(0, 2, 600)
    model = KNeighborsClassifier(n_neighbors=1).fit(X[:300], y[:300])
    report = check_privacy(model, X[:300], y[:300], X[300:], y[300:], shadow_models=0,
                           settings=QUIET)
    (loss,) = report.metrics["attacks"]
    # members: confidence 1 always; non-members: 1 when the neighbour agrees (~half), else 0
    agree = (model.predict(X[300:]) == y[300:]).mean()
    assert loss["auc"] == pytest.approx(1 - agree / 2, abs=1e-6)
    (finding,) = report.findings
    assert finding.severity.label == ("high" if loss["auc"] >= 0.75 else "medium")
    exposed = report.metrics["most_exposed_rows"]
    assert len(exposed) == 10 and all(r["confidence"] == 1.0 for r in exposed)


def test_a_constant_model_reveals_nothing() -> None:
    X_train, X_test, y_train, y_test = _split("breast_cancer", 0)
    model = DummyClassifier(strategy="prior").fit(X_train, y_train)
    report = check_privacy(model, X_train, y_train, X_test, y_test, settings=QUIET)
    assert report.findings == []
    # the same output for every row: members and non-members differ only in their class mix
    # (a stratified split: within a row or two), so the loss attack is a coin toss
    loss = report.metrics["attacks"][0]
    assert loss["auc"] == pytest.approx(0.5, abs=0.005)
    assert report.metrics["attacker_advantage"] < 0.01


def test_delong_variance_and_advantage_agree_with_brute_force() -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        members = np.round(rng.normal(0.3, 1, int(rng.integers(5, 60))), 1)
        others = np.round(rng.normal(0, 1, int(rng.integers(5, 60))), 1)  # ties on purpose
        psi = (members[:, None] > others[None, :]) + 0.5 * (members[:, None] == others[None, :])
        v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
        expected = np.var(v10, ddof=1) / len(members) + np.var(v01, ddof=1) / len(others)
        auc, variance = delong_auc(members, others)
        assert auc == pytest.approx(psi.mean(), abs=1e-12)
        assert variance == pytest.approx(expected, abs=1e-12)
        result = separation(members, others, z=1.96)
        thresholds = np.unique(np.r_[members, others, np.inf])
        best = max((members >= t).mean() - (others >= t).mean() for t in thresholds)
        assert result.advantage == pytest.approx(best, abs=1e-12)
        assert result.ci_low <= auc <= result.ci_high


def test_models_without_probabilities_are_read_through_their_scores() -> None:
    from sklearn.svm import LinearSVC

    X_train, X_test, y_train, y_test = _split("breast_cancer", 1)
    model = make_pipeline(StandardScaler(), LinearSVC(C=0.01)).fit(X_train, y_train)
    report = check_privacy(model, X_train, y_train, X_test, y_test, shadow_models=2,
                           settings=QUIET)
    assert report.metrics["model_output"] == "decision_function (sigmoid)"
    assert report.findings == []


def test_report_reads_the_same_twice_and_in_text() -> None:
    X_train, X_test, y_train, y_test = _split("wine", 0)
    model = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    first = check_privacy(model, X_train, y_train, X_test, y_test, shadow_models=2)
    second = check_privacy(model, X_train, y_train, X_test, y_test, shadow_models=2)
    assert first.to_dict() | {"elapsed_s": 0} == second.to_dict() | {"elapsed_s": 0}
    text = render_text(first)
    assert "membership-inference attacks" in text and "training rows most exposed" in text
    assert len(first.figures) == 2


@pytest.fixture(scope="module")
def data() -> tuple[Any, Any, Any, Any]:
    return _split("wine", 3)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unfitted", "not fitted"),
        ("regressor", "not a classifier"),
        ("one_class", "single class"),
        ("short_labels", "y_train has"),
        ("other_columns", "lacks the column"),
        ("unknown_label", "never saw"),
        ("sample", "sample must be at least 2"),
    ],
)
def test_bad_input_is_refused_in_one_line(data: Any, case: str, expected: str) -> None:
    X_train, X_test, y_train, y_test = data
    model: Any = RandomForestClassifier(n_estimators=5, random_state=0)
    kwargs: dict[str, Any] = {}
    if case == "regressor":
        model = LinearRegression().fit(X_train, y_train)
    elif case == "one_class":
        model = DecisionTreeClassifier().fit(X_train, np.zeros(len(X_train), dtype=int))
    elif case != "unfitted":
        model.fit(X_train, y_train)
    if case == "short_labels":
        y_train = y_train[:-2]
    elif case == "other_columns":
        X_test = X_test.drop(columns=[X_test.columns[0]])
    elif case == "unknown_label":
        y_test = y_test.replace({0: 9})
    elif case == "sample":
        kwargs["sample"] = 1
    with pytest.raises(MLSecError) as caught:
        check_privacy(model, X_train, y_train, X_test, y_test, **kwargs)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


class _Scores:
    """A model outside scikit-learn: predict_proba only, no classes_, cannot be cloned."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def predict(self, X: Any) -> np.ndarray:
        return self._inner.predict(np.asarray(X, dtype=float))

    def predict_proba(self, X: Any) -> np.ndarray:
        return self._inner.predict_proba(np.asarray(X, dtype=float))


def test_a_model_outside_scikit_learn_gets_the_threshold_attack() -> None:
    X_train, X_test, y_train, y_test = _split("wine", 0)
    inner = RandomForestClassifier(random_state=0).fit(X_train.to_numpy(), y_train)
    report = check_privacy(_Scores(inner), X_train, y_train, X_test, y_test, settings=QUIET)
    assert [a["attack"] for a in report.metrics["attacks"]] == ["loss threshold"]
    assert any("cannot be cloned" in s.why for s in report.skipped)
    assert report.findings  # the forest still memorises, through its probabilities alone
