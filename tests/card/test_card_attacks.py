"""The card's "Attacks on the model" section and the ML-BOM metrics it feeds, from real
robustness and privacy reports recorded in a real lineage log."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from mlsecops_jupyter import check_privacy, check_robustness
from mlsecops_jupyter.card import build_card, mlbom_json, validate_mlbom
from mlsecops_jupyter.lineage import LineageRecorder, read_records


@pytest.fixture(scope="module")
def attacked(shell: Any, training_cells: tuple[str, ...],
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The card fixtures' training session, then the two attack checks on its ``clf``, all
    recorded by one recorder (one session, as in a notebook)."""
    folder = tmp_path_factory.mktemp("card-attacks")
    path = folder / "nb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    cwd = os.getcwd()
    os.chdir(folder)
    recorder.attach(shell)
    try:
        for code in training_cells:
            assert shell.run_cell(code, store_history=True).success, code
        names = shell.user_ns
        features = names["frame"][["age", "income"]]
        recorder.record_check(check_robustness(names["clf"], features, names["frame"]["label"],
                                               epsilon=0.5, subject="clf on frame"))
        recorder.record_check(check_privacy(names["clf"], names["X_train"], names["y_train"],
                                            names["X_test"], names["y_test"], shadow_models=0,
                                            subject="clf on X_train vs X_test"))
    finally:
        recorder.detach(shell)
        os.chdir(cwd)
    return path


def test_the_section_shows_both_checks(attacked: Path) -> None:
    card = build_card(read_records(attacked), "clf")
    section = card.section("model_attacks")
    assert section.has_evidence and "robustness on clf on frame" in section.text
    (metrics, *_rest) = section.tables
    kinds = {row[1] for row in metrics.rows}
    assert {"attack_success_rate", "median_minimal_perturbation", "membership_auc",
            "attacker_advantage", "tpr_at_1pct_fpr"} <= kinds
    auc_row = next(row for row in metrics.rows if row[1] == "membership_auc")
    assert auc_row[3] != "-"  # the interval travels with the AUC
    markdown = card.to_markdown()
    assert "Attacks on the model" in markdown and "attack_success_rate" in markdown


def test_the_mlbom_carries_the_attack_metrics(attacked: Path) -> None:
    card = build_card(read_records(attacked), "clf")
    text = mlbom_json(card)
    validate_mlbom(text)
    metrics = json.loads(text)["components"][0]["modelCard"]["quantitativeAnalysis"][
        "performanceMetrics"]
    auc = next(m for m in metrics if m["type"] == "membership_auc")
    assert "confidenceInterval" in auc and "attack" in auc["slice"]
    assert any(m["type"] == "attack_success_rate" and "epsilon=0.5000" in m["slice"]
               for m in metrics)


def test_no_section_when_neither_check_ran(bare: Path) -> None:
    card = build_card(read_records(bare), "clf")
    assert "model_attacks" not in [s.key for s in card.sections]
    assert card.facts["attack_metrics"] == []
