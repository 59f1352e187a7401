"""``%mlsec scan`` and ``mlsec scan`` on a project folder: what a folder scan says besides its
findings (files that are not models, sub-folders not entered and that ``-r`` enters them), and
suggestions for a misspelt variable or file."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import joblib
import pytest
from corpus.canary import Canary, Reduce
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import Report
from mlsecops_jupyter.display import render_text


@pytest.fixture(scope="module")
def project(ip: Any, canary_marker: Path) -> Path:
    """The working directory of the shell as a data scientist leaves it: a model, data, a
    notebook, a README, and a sub-folder holding a second model and a malicious pickle."""
    from sklearn.linear_model import LogisticRegression

    root = Path.cwd()
    model = LogisticRegression().fit([[0.0, 1.0], [1.0, 0.0], [0.5, 0.2], [0.1, 0.9]],
                                     [0, 1, 1, 0])
    joblib.dump(model, root / "model.joblib")
    (root / "train.csv").write_text("age,income\n31,5200\n45,6100\n", encoding="utf-8")
    (root / "analysis.ipynb").write_text(json.dumps({"cells": [], "metadata": {},
                                                     "nbformat": 4, "nbformat_minor": 5}),
                                         encoding="utf-8")
    (root / "README.md").write_text("# churn model\n", encoding="utf-8")
    (root / "models").mkdir()
    joblib.dump(model, root / "models" / "v2.joblib")
    payload = pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=2)
    (root / "models" / "evil.pkl").write_bytes(payload)
    ip.user_ns["model_path"] = str(root / "model.joblib")
    return root


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "modelscan"
    return report


def test_scan_of_the_working_folder_says_what_is_not_a_model_and_that_r_recurses(
        ip: Any, project: Path) -> None:
    report = _magic(ip, "scan . --format text")
    # models/ and the session's own lineage folder
    folders = sorted(p.name for p in project.iterdir() if p.is_dir())
    assert "models" in folders
    assert report.metrics["not_model_files"] == 3  # the CSV, the notebook, the README
    assert report.metrics["subfolders_not_entered"] == len(folders)
    assert report.metrics["folder_summary"] == (
        f"1 of 4 file(s) are model files; 3 are not (looked at, nothing to scan); {len(folders)} "
        "sub-folder(s) not entered: add -r (--recursive) to scan them")
    assert report.findings == []  # the malicious pickle sits in the folder not entered
    hint = next(s.why for s in report.skipped if s.what == "./models")
    assert "add -r (--recursive)" in hint
    text = render_text(report)
    assert "3 are not (looked at, nothing to scan)" in text and "add -r" in text


def test_scan_r_enters_sub_folders_and_finds_what_they_hold(ip: Any, project: Path) -> None:
    report = _magic(ip, "scan -r . --format text")
    files = [p for p in project.rglob("*") if p.is_file()]
    models = 3  # model.joblib, models/v2.joblib, models/evil.pkl
    assert report.metrics["subfolders_not_entered"] == 0
    assert report.metrics["not_model_files"] == len(files) - models
    assert report.metrics["folder_summary"] == (
        f"{models} of {len(files)} file(s) are model files; {len(files) - models} are not "
        "(looked at, nothing to scan)")
    assert {f.rule for f in report.findings} >= {"MODEL-PICKLE-EXEC"}


def test_cli_scan_of_a_folder_says_the_same(capsys: pytest.CaptureFixture,
                                            project: Path) -> None:
    assert main(["scan", str(project), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"]["not_model_files"] == 3
    assert report["metrics"]["subfolders_not_entered"] == sum(
        1 for p in project.iterdir() if p.is_dir())
    assert "add -r (--recursive)" in report["metrics"]["folder_summary"]


def test_scan_of_files_and_variables_adds_no_folder_summary(ip: Any, project: Path) -> None:
    report = _magic(ip, "scan model_path model.joblib --format text")
    assert "folder_summary" not in report.metrics


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("scan model_pth", "'model_pth' is neither a variable of this notebook nor an existing "
                           "file or folder; did you mean 'model_path'?"),
        ("scan modelss", "did you mean 'models'"),  # first; a 'model' variable may follow
    ],
)
def test_misspelt_variable_or_file_gets_a_suggestion(ip: Any, project: Path, line: str,
                                                     expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("mlsec", line)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_cli_misspelt_path_gets_a_suggestion(capsys: pytest.CaptureFixture,
                                             project: Path) -> None:
    assert main(["scan", str(project / "model.jobli")]) == 2
    assert f"no such file: {project / 'model.jobli'}; did you mean " \
        f"'{project / 'model.joblib'}'?" in capsys.readouterr().err
