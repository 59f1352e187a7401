"""Runtime row provenance: real scikit-learn fits through the hooks.

The hooks must see fit-on-test, preprocessing fitted before the split, a model fitted on all
rows, SMOTE before the split and one test set choosing among models; stay silent on the clean
look-alikes; keep fingerprints bounded; and never change a result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.provenance import ProvenanceRecorder, containment, install, row_print


@pytest.fixture()
def recorder():
    rec = ProvenanceRecorder(max_rows=512, overlap=0.5, multi_test_models=3)
    hooks = install(rec)
    yield rec
    hooks.uninstall()


@pytest.fixture()
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(2000, 6)), columns=[f"f{i}" for i in range(6)])
    y = ((X.f0 + 0.5 * rng.normal(size=2000)) > 0.8).astype(int)
    return X, y


def rules(rec: ProvenanceRecorder) -> list[tuple[str, str]]:
    return [(o.rule, o.estimator) for o in rec.observations]


def test_scaler_fitted_before_the_split(recorder, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = data
    X_scaled = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
    LogisticRegression().fit(X_train, y_train).score(X_test, y_test)
    assert rules(recorder) == [("LEAK-PREPROCESSING", "StandardScaler")]
    assert recorder.observations[0].facts["overlap"] >= 0.9  # an estimate from 512-row samples


def test_scaler_fitted_on_all_rows_transforms_the_test_rows(recorder, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = data
    scaler = StandardScaler().fit(X)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    model.score(scaler.transform(X_test), y_test)
    assert rules(recorder) == [("LEAK-PREPROCESSING", "StandardScaler")]


def test_fit_on_test(recorder, data):
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = data
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    StandardScaler().fit(X_train)
    StandardScaler().fit_transform(X_test)
    assert rules(recorder) == [("LEAK-FIT-ON-TEST", "StandardScaler")]


def test_model_fitted_on_all_rows(recorder, data):
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    X, y = data
    model = DecisionTreeClassifier(random_state=0).fit(X, y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model.predict(X_test)
    assert rules(recorder) == [("LEAK-OVERLAP", "DecisionTreeClassifier")]


def test_several_models_scored_on_one_test_set(recorder, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    X, y = data
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    for c in (0.01, 0.1):
        LogisticRegression(C=c).fit(X_train, y_train).score(X_test, y_test)
    assert rules(recorder) == []
    LogisticRegression(C=1.0).fit(X_train, y_train).score(X_test, y_test)
    assert rules(recorder) == [("LEAK-MULTI-TEST", "LogisticRegression")]
    assert len(recorder.observations[0].facts["models"]) == 3


def test_smote_before_split(recorder, data):
    pytest.importorskip("imblearn")
    from imblearn.over_sampling import SMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    X, y = data
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, random_state=0)
    LogisticRegression().fit(X_train, y_train).score(X_test, y_test)
    assert rules(recorder) == [("LEAK-OVERLAP", "SMOTE")]


def test_preprocessing_outside_cross_validation(recorder, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.preprocessing import StandardScaler

    X, y = data
    cross_val_score(LogisticRegression(), StandardScaler().fit_transform(X), y, cv=3)
    assert rules(recorder) == [("LEAK-PREPROCESSING", "StandardScaler")]


def test_clean_look_alikes_are_silent(recorder, data):
    pytest.importorskip("imblearn")
    from imblearn.over_sampling import SMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y, cv=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    model.score(scaler.transform(X_test), y_test)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X_train, y_train)
    LogisticRegression().fit(X_res, y_res).predict(X_test)
    search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),
                          {"logisticregression__C": [0.1, 1.0]}, cv=3).fit(X_train, y_train)
    search.score(X_test, y_test)
    LogisticRegression().fit(X, y)  # refit on all rows after the evaluation
    assert rules(recorder) == []


def test_hooks_never_change_results(data):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import KFold, cross_val_score, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data

    def run():
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=3)
        pipe = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=20,
                                                                      random_state=0))
        proba = pipe.fit(X_train, y_train).predict_proba(X_test)
        folds = [test.tolist() for _, test in KFold(4, shuffle=True, random_state=0).split(X)]
        scores = cross_val_score(pipe, X, y, cv=3)
        return X_train.index.tolist(), proba, folds, scores

    without = run()
    rec = ProvenanceRecorder()
    hooks = install(rec)
    try:
        with_hooks = run()
    finally:
        hooks.uninstall()
    assert without[0] == with_hooks[0] and without[2] == with_hooks[2]
    np.testing.assert_array_equal(without[1], with_hooks[1])
    np.testing.assert_array_equal(without[3], with_hooks[3])
    assert rec.history  # the hooks did run


def test_uninstall_restores_every_attribute():
    import sklearn.model_selection as ms
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import StandardScaler

    before = (vars(StandardScaler)["fit"], vars(TransformerMixin)["fit_transform"],
              vars(KFold.__mro__[1]).get("split"),
              ms.train_test_split, "__init_subclass__" in vars(BaseEstimator))
    hooks = install(ProvenanceRecorder())
    assert vars(StandardScaler)["fit"] is not before[0]
    hooks.uninstall()
    after = (vars(StandardScaler)["fit"], vars(TransformerMixin)["fit_transform"],
             vars(KFold.__mro__[1]).get("split"),
             ms.train_test_split, "__init_subclass__" in vars(BaseEstimator))
    assert after == before


def test_estimators_defined_after_install_are_hooked(recorder, data):
    from sklearn.base import BaseEstimator, TransformerMixin

    class CenterColumns(TransformerMixin, BaseEstimator):
        def fit(self, X, y=None):
            self.mean_ = np.asarray(X).mean(axis=0)
            return self

        def transform(self, X):
            return np.asarray(X) - self.mean_

    X, _ = data
    CenterColumns().fit(X)
    assert [r.cls for r in recorder.history] == ["CenterColumns"]


def test_fingerprint_memory_is_bounded():
    rng = np.random.default_rng(1)
    big = rng.normal(size=(200_000, 5))
    fingerprint = row_print(big, max_rows=1000)
    assert fingerprint is not None and len(fingerprint.hashes) <= 1000
    assert fingerprint.nbytes <= 1000 * 24
    rec = ProvenanceRecorder(max_rows=1000)
    hooks = install(rec)
    try:
        from sklearn.preprocessing import StandardScaler

        for _ in range(5):
            StandardScaler().fit_transform(big)
    finally:
        hooks.uninstall()
    assert rec.memory_bytes() <= 5 * 2 * 1000 * 24


def test_containment_is_consistent_across_containers():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.integers(0, 1000, size=(5000, 4)))
    whole = row_print(frame, max_rows=800)
    part = row_print(frame.iloc[:1000].to_numpy(dtype=float), max_rows=800)
    other = row_print(rng.integers(0, 1000, size=(1000, 4)), max_rows=800)
    share = containment(part, whole)
    assert share is not None and share[0] == 1.0
    outside = containment(other, whole)
    assert outside is not None and outside[0] < 0.05
    assert row_print(np.arange(5)) is None and row_print("text") is None


def test_two_recorders_both_record_and_uninstall_in_any_order(data):
    from sklearn.preprocessing import StandardScaler

    X, _ = data
    original = vars(StandardScaler)["fit"]
    first, second = ProvenanceRecorder(), ProvenanceRecorder()
    hooks_first = install(first)
    hooks_second = install(second)
    StandardScaler().fit(X)
    assert len(first.history) == len(second.history) == 1
    import sklearn.model_selection as ms

    splitter = ms.train_test_split
    splitter(X, random_state=0)
    assert len(first.test_sides) == len(second.test_sides) == 1
    hooks_first.uninstall()  # out of order: the second recorder keeps working
    StandardScaler().fit(X)
    ms.train_test_split(X, random_state=0)
    assert len(first.history) == 1 and len(second.history) == 2
    assert len(first.test_sides) == 1 and len(second.test_sides) == 2
    hooks_second.uninstall()
    assert vars(StandardScaler)["fit"] is original
    ms.train_test_split(X, random_state=0)
    assert len(first.test_sides) == 1 and len(second.test_sides) == 2
