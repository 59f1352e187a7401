"""The recorder notes the class and parameters of estimators a cell binds or fits."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from mlsecops_jupyter.card import build_card
from mlsecops_jupyter.lineage import LineageRecorder, load_schema, read_records


def _cells(recorder: LineageRecorder) -> list[dict[str, Any]]:
    return [r for r in read_records(recorder.path) if r["kind"] == "cell"]


def test_fitted_estimator_is_recorded_with_its_parameters(shell: Any,
                                                         recorder: LineageRecorder) -> None:
    shell.run_cell("from sklearn.linear_model import LogisticRegression\n"
                   "est_lr = LogisticRegression(C=0.25)", store_history=True)
    shell.run_cell("est_lr.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])",
                   store_history=True)
    shell.run_cell("unrelated = 1", store_history=True)
    made, fitted, unrelated = _cells(recorder)[-3:]
    assert made["models"][0]["name"] == "est_lr"
    assert made["models"][0]["fitted"] is False
    model = fitted["models"][0]
    assert model["class"] == "sklearn.linear_model._logistic.LogisticRegression"
    assert model["params"]["C"] == 0.25 and model["fitted"] is True
    assert "models" not in unrelated
    json.dumps(model, allow_nan=False)
    validator = jsonschema.Draft202012Validator(load_schema())
    for record in read_records(recorder.path):
        validator.validate(record)
    card = build_card(read_records(recorder.path), "est_lr")
    assert dict(card.section("model_details").facts)["estimator"].endswith(
        "LogisticRegression")


def test_classes_are_not_estimators(shell: Any, recorder: LineageRecorder) -> None:
    shell.run_cell("from sklearn.tree import DecisionTreeClassifier as EstimatorClass",
                   store_history=True)
    assert "models" not in _cells(recorder)[-1]
