"""The one "did you mean" helper: what it suggests, what it leaves out, and the commands that
use it beyond bias/leakage/explain/pii/scan (their own test files cover those)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError

from mlsecops_jupyter.core.suggest import (
    close_names,
    did_you_mean,
    did_you_mean_variable_or_file,
    user_variables,
)


@pytest.mark.parametrize(("name", "candidates", "expected"), [
    ("aproved", ["approved", "pred", "sex"], ["approved"]),  # not also the weaker 'pred'
    ("Age", ["age", "income"], ["age"]),                     # a case slip first
    ("y_prd", ["y_pred", "y_proba", "y_true"], ["y_pred"]),
    ("colour", ["color", "colours", "x"], ["colours", "color"]),  # about as close: both
    ("zebra", ["age", "income"], []),                        # nothing close: no noise
    ("age", ["age"], []),                                    # the name itself is no hint
])
def test_close_names(name: str, candidates: list[str], expected: list[str]) -> None:
    assert close_names(name, candidates) == expected


def test_did_you_mean_phrase_and_limit() -> None:
    assert did_you_mean("sexx", ["sex", "age"]) == "; did you mean 'sex'?"
    assert did_you_mean("col", [f"col{i}" for i in range(9)]).count("'col") == 3
    assert did_you_mean("zebra", ["age"]) == ""
    assert did_you_mean("agee", [0, "age"]) == "; did you mean 'age'?"  # int labels too


def test_user_variables_leave_out_the_shell_and_modules() -> None:
    namespace: dict[str, Any] = {"df": 1, "_": 2, "_i3": "x", "In": [], "Out": {}, "os": os,
                                 "exit": None, "model": 3}
    assert user_variables(namespace) == ["df", "model"]


def test_variable_or_file_compares_file_names_and_keeps_the_folder(tmp_path: Path) -> None:
    for name in ("train.csv", "clean_train.csv", "test.csv"):
        (tmp_path / name).write_text("a\n1\n", encoding="utf-8")
    hint = did_you_mean_variable_or_file(str(tmp_path / "trian.csv"), {"df": 1})
    assert hint == f"; did you mean '{tmp_path / 'train.csv'}'?"
    assert did_you_mean_variable_or_file("trian", {"train": 1}) == "; did you mean 'train'?"
    assert did_you_mean_variable_or_file(str(tmp_path / "nope" / "x.csv"), {}) == ""


@pytest.fixture(scope="module")
def frames(ip: Any) -> None:
    from sklearn.linear_model import LogisticRegression

    ip.user_ns.update({"customers": pd.DataFrame({"email": ["a@example.org"]}),
                       "classifier": LogisticRegression().fit([[0.0], [1.0]], [0, 1])})


@pytest.mark.parametrize(("line", "expected"), [
    ("redact customer", "did you mean 'customers'?"),
    ("card clasifier", "'clasifier' is not a variable of this notebook; did you mean "
                               "'classifier'?"),
])
def test_redact_and_card_suggest_too(ip: Any, frames: None, line: str, expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("mlsec", line)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_lineage_slice_of_a_misspelt_model_suggests_the_recorded_name(ip: Any) -> None:
    from IPython.utils.capture import capture_output

    with capture_output():
        ip.run_cell("from sklearn.tree import DecisionTreeClassifier\n"
                    "churn_model = DecisionTreeClassifier().fit([[0], [1]], [0, 1])",
                    store_history=True)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("mlsec", "lineage --model churn_modl")
    assert "did you mean 'churn_model'?" in str(caught.value)
