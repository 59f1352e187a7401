"""The card's "Training data integrity" section, from a real poisoning report in a real lineage
log: what each rule flagged, and "not run" when the check was never run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlsecops_jupyter import check_poisoning
from mlsecops_jupyter.card import build_card
from mlsecops_jupyter.card.integrity import NOT_RUN
from mlsecops_jupyter.lineage import LineageRecorder, read_records


def _tampered() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 1200
    amount = rng.gamma(2.0, 80.0, n).round(2)
    days = rng.integers(1, 2000, n)
    frame = pd.DataFrame({"amount": amount, "account_days": days,
                          "coupon": "none",
                          "fraud": (amount / 80 - days / 400 + rng.normal(0, 0.3, n) > 1)
                          .astype(int)})
    rows = rng.choice(np.flatnonzero(frame.fraud == 1), 40, replace=False)
    frame.loc[rows, "coupon"] = "WELCOME-X"
    frame.loc[rows, "fraud"] = 0
    return frame


def test_the_section_tells_what_each_rule_flagged(shell: Any, tmp_path: Path) -> None:
    path = tmp_path / "nb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    recorder.attach(shell)
    try:
        assert shell.run_cell("from sklearn.linear_model import LogisticRegression\n"
                              "clf = LogisticRegression()", store_history=True).success
        report = check_poisoning(_tampered(), "fraud", subject="orders (target fraud)")
        recorder.record_check(report)
    finally:
        recorder.detach(shell)
        os.chdir(cwd)
    card = build_card(read_records(path), "clf")
    section = card.section("data_integrity")
    assert section.has_evidence and section.title == "Training data integrity"
    counts = {row[1]: row for row in section.tables[0].rows}
    trigger = counts["rare values that carry one label (possible backdoor triggers)"]
    assert trigger[0] == "orders (target fraud)" and trigger[2:] == ("1", "40", "high")
    assert "POISON-TRIGGER" in {row[1] for row in section.tables[1].rows}
    assert "Training data integrity" in card.to_markdown()
    assert "POISON-TRIGGER" in card.to_html()


def test_without_a_poisoning_check_the_section_says_so(bare: Path) -> None:
    section = build_card(read_records(bare), "clf").section("data_integrity")
    assert not section.has_evidence and section.text == NOT_RUN
