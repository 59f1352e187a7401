"""The ML-BOM validates against CycloneDX 1.6 (strict) and carries the model, data and head."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mlsecops_jupyter.card import build_card, build_mlbom, mlbom_json, validate_mlbom
from mlsecops_jupyter.core import MLSecInputError
from mlsecops_jupyter.lineage import read_records


def _strictly_valid(text: str) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, error


def test_full_session_mlbom_is_strictly_valid(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf", intended_use="Triage", out_of_scope="Final decisions")
    text = mlbom_json(card)
    _strictly_valid(text)
    bom = json.loads(text)
    model = bom["components"][0]
    assert model["type"] == "machine-learning-model"
    model_card = model["modelCard"]
    metrics = model_card["quantitativeAnalysis"]["performanceMetrics"]
    assert {"type": "accuracy", "value": "0.8000", "slice": "sex=0",
            "confidenceInterval": {"lowerBound": "0.6100", "upperBound": "0.9300"}} in metrics
    fairness = model_card["considerations"]["fairnessAssessments"]
    assert fairness[0]["groupAtRisk"] == "sex=0"
    assert model_card["considerations"]["useCases"] == ["Triage"]
    assert model["hashes"][0]["alg"] == "SHA-256"
    heads = [p["value"] for p in bom["metadata"]["properties"]
             if p["name"] == "mlsec:lineage:head"]
    assert heads == [card.lineage_head]


def test_datasets_are_data_components_the_model_depends_on(
        records: list[dict[str, Any]]) -> None:
    bom = build_mlbom(build_card(records, "clf"))
    data = {c["name"]: c for c in bom["components"] if c["type"] == "data"}
    assert {"X_train", "y_train", "X_test", "y_test"} <= set(data)
    assert data["X_train"]["hashes"][0]["content"] == next(
        d["content_sha256"] for d in build_card(records, "clf").facts["datasets"]
        if d["name"] == "X_train")
    model_ref = bom["components"][0]["bom-ref"]
    depends = next(d for d in bom["dependencies"] if d["ref"] == model_ref)["dependsOn"]
    assert set(depends) == {c["bom-ref"] for c in data.values()}
    refs = [c["bom-ref"] for c in bom["components"]]
    assert len(refs) == len(set(refs))


def test_bare_session_and_empty_log_are_still_valid(bare: Path) -> None:
    _strictly_valid(mlbom_json(build_card(read_records(bare), "clf")))
    _strictly_valid(mlbom_json(build_card([], "odd name/with spaces")))


def test_validate_mlbom_rejects_a_broken_document(records: list[dict[str, Any]]) -> None:
    bom = build_mlbom(build_card(records, "clf"))
    validate_mlbom(json.dumps(bom))
    bom["components"][0]["modelCard"]["bogus"] = 1
    with pytest.raises(MLSecInputError, match="not valid CycloneDX 1.6"):
        validate_mlbom(json.dumps(bom))
