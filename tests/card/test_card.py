"""``build_card`` on real lineage files: sections, evidence, "not run" statements, renderings."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlsecops_jupyter.card import build_card, describe_estimator, write_card_files
from mlsecops_jupyter.lineage import read_records, verify

SECTION_KEYS = ["model_details", "signatures", "intended_use", "out_of_scope", "data",
                "sensitive_data", "metrics", "explainability", "leakage", "monitoring",
                "data_integrity", "risks", "limitations", "ethics", "cells", "environment",
                "lineage"]


def test_every_section_is_present_in_a_fixed_order(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf")
    assert [s.key for s in card.sections] == SECTION_KEYS


def test_sections_without_evidence_say_so(bare: Path) -> None:
    card = build_card(read_records(bare), "clf")
    empty = {s.key: s.text for s in card.sections if not s.has_evidence}
    assert empty["metrics"] == "No bias check was run in this session."
    assert empty["explainability"] == "No explainability check was run in this session."
    assert empty["leakage"] == "No leakage check was run in this session."
    assert empty["sensitive_data"] == "No PII check was run in this session."
    assert "not stated" in empty["intended_use"] and "not stated" in empty["out_of_scope"]
    markdown = card.to_markdown()
    for text in empty.values():
        assert text in markdown
    assert "No bias check was run in this session." in html.unescape(card.to_html())


def test_model_details_name_the_file_hash_and_scan(records: list[dict[str, Any]],
                                                   recorded: Path) -> None:
    import hashlib

    card = build_card(records, "clf")
    facts = dict(card.section("model_details").facts)
    digest = hashlib.sha256((recorded.parent / "clf.joblib").read_bytes()).hexdigest()
    assert facts["file clf.joblib"].startswith(f"SHA-256 {digest}")
    assert facts["scan of clf.joblib"] == "0 finding(s), worst: none"


def test_estimator_and_parameters_come_from_the_live_object(
        records: list[dict[str, Any]]) -> None:
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.5))
    card = build_card(records, "clf", estimator=describe_estimator(model))
    details = card.section("model_details")
    assert dict(details.facts)["estimator"] == "sklearn.pipeline.Pipeline"
    params = dict(details.tables[0].rows)
    assert params["logisticregression__C"] == "0.5"
    assert card.front_matter()["library_name"] == "sklearn"


def test_data_roles_and_fingerprints(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf")
    rows = {row[0]: row for row in card.section("data").tables[0].rows}
    assert rows["X_train"][1] == "training" and rows["X_test"][1] == "evaluation"
    assert rows["X_train"][3] == "6x2" and re.fullmatch(r"[0-9a-f]{64}", rows["X_train"][5])


def test_checks_feed_metrics_fairness_pii_and_explain(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf", intended_use="Triage of loan applications",
                      out_of_scope="Automated final decisions")
    metrics = card.section("metrics")
    assert metrics.has_evidence
    rows = metrics.tables[0].rows
    assert ("overall", "accuracy", "0.8750", "-") in rows
    assert ("sex=0", "accuracy", "0.8000", "0.6100, 0.9300") in rows
    assert "BIAS-DISPARATE-IMPACT" in {r[1] for r in metrics.tables[1].rows}
    assert dict(card.section("sensitive_data").facts)[
        "sensitive features (bias check)"] == "sex"
    assert "PII-EMAIL" in card.to_markdown()
    assert "top_features" in card.to_markdown()
    assert card.section("intended_use").text == "Triage of loan applications"
    ethics = [v for _, v in card.section("ethics").facts]
    assert any("sex=0" in note for note in ethics)


def test_cells_section_is_the_backward_slice(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf")
    sources = [source for _, source in card.section("cells").code]
    assert sources[-2:] == ["clf = LogisticRegression(C=0.5, max_iter=200)",
                            "clf.fit(X_train, y_train)"]
    assert not any("joblib.dump" in s for s in sources)


def test_markdown_front_matter_and_lineage_head(records: list[dict[str, Any]],
                                                recorded: Path) -> None:
    card = build_card(records, "clf")
    text = card.to_markdown()
    front, _, body = text.removeprefix("---\n").partition("\n---\n")
    assert 'model_name: "clf"' in front and "metrics:" in front
    head = verify(recorded).head
    assert card.lineage_head == head and f'lineage_head: "{head}"' in front
    assert body.lstrip().startswith("# Model card: clf")


def test_html_is_self_contained_and_escaped(records: list[dict[str, Any]]) -> None:
    import copy

    hostile = copy.deepcopy(records)
    fit = next(r for r in hostile if r.get("kind") == "cell"
               and r["code"]["source"].startswith("clf.fit"))
    fit["code"]["source"] += "\n# </pre><script>alert(1)</script><img src=http://x>"
    page = build_card(hostile, "clf", intended_use="<b>bold</b>").to_html()
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;bold" in page
    assert not re.search(r"<[^>]*\s(src|href)=", page)  # nothing loaded from anywhere
    assert page.startswith("<!DOCTYPE html>")


def test_json_round_trips(records: list[dict[str, Any]]) -> None:
    data = json.loads(build_card(records, "clf").to_json())
    assert data["schema"] == "mlsecops-model-card/1"
    assert [s["key"] for s in data["sections"]] == SECTION_KEYS


def test_write_card_files_writes_four_files(records: list[dict[str, Any]],
                                            tmp_path: Path) -> None:
    files = write_card_files(build_card(records, "clf"), tmp_path / "out")
    assert [p.name for p in files.paths] == ["model_card.md", "model_card.html",
                                             "model_card.json", "mlbom.cdx.json"]
    assert all(p.stat().st_size > 0 for p in files.paths)
    assert "wrote 4 files" in files.summary()


def test_no_records_still_gives_a_card_that_says_so() -> None:
    card = build_card([], "clf")
    assert card.lineage_head is None
    assert not card.section("cells").has_evidence
    assert "No recorded cell defined or changed variable clf." in card.to_markdown()


@pytest.mark.parametrize("value", [None, 3, 0.001, "gini", float("nan"), [1, 2]])
def test_describe_estimator_is_json_safe(value: Any) -> None:
    class Estimator:
        def get_params(self) -> dict[str, Any]:
            return {"p": value}

    described = describe_estimator(Estimator())
    json.dumps(described, allow_nan=False)
    assert described["class"].endswith("Estimator")


def test_a_real_bias_report_feeds_group_metrics_with_intervals() -> None:
    """The bias check's own layout (overall, by_group, confidence_intervals) is understood."""
    import numpy as np
    import pandas as pd

    fairness = pytest.importorskip("mlsecops_jupyter.checks.fairness")
    rng = np.random.default_rng(0)
    sex = rng.choice(["f", "m"], 300)
    y_true = rng.integers(0, 2, 300)
    y_pred = np.where(sex == "f", 0, y_true)
    report = fairness.check_bias(y_true, y_pred, pd.Series(sex, name="sex"))
    record = {"kind": "check", "session": "s", "seq": 0, "cell": {"execution_count": 1},
              "report": report.to_dict()}
    card = build_card([record])
    metrics = {(m["slice"], m["type"]): m for m in card.facts["metrics"]}
    accuracy_f = metrics[("sex=f", "accuracy")]
    low, high = accuracy_f["ci"]
    assert low <= accuracy_f["value"] <= high
    assert ("disparity across sex", "disparate_impact") in metrics
    assert "BIAS-DISPARATE-IMPACT" in card.to_markdown()
