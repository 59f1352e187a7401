"""A real recording of a small training session: the lineage file every card test reads.

Cells run in IPython's in-process shell with a ``LineageRecorder`` attached; the model is
really fitted and saved with joblib, really scanned (``scan_model``), and reports of the checks
other modules own (bias, explain, leakage, pii) are recorded as ``Report`` objects shaped like
theirs, so the card's generic reading of check records is exercised.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlsecops_jupyter.core import Finding, Location, Report, Severity
from mlsecops_jupyter.lineage import LineageRecorder, read_records

TRAINING_CELLS = (
    "import joblib\n"
    "import pandas as pd\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "frame = pd.DataFrame({'age': [23, 45, 31, 52, 38, 27, 61, 44],\n"
    "                      'income': [30, 80, 45, 90, 60, 35, 75, 50],\n"
    "                      'sex': [0, 1, 0, 1, 1, 0, 1, 0],\n"
    "                      'label': [0, 1, 0, 1, 1, 0, 1, 0]})\n"
    "X_train, y_train = frame[['age', 'income']][:6], frame['label'][:6]\n"
    "X_test, y_test = frame[['age', 'income']][6:], frame['label'][6:]",
    "clf = LogisticRegression(C=0.5, max_iter=200)",
    "clf.fit(X_train, y_train)",
    "model_path = 'clf.joblib'\njoblib.dump(clf, model_path)",
)


def bias_report() -> Report:
    return Report(
        check="bias", subject="clf on X_test",
        findings=[Finding("BIAS-DISPARATE-IMPACT", Severity.HIGH,
                          "Selection rate of sex=0 is below four-fifths of sex=1",
                          location=Location(column="sex"), evidence={"group": "sex=0"},
                          remediation="Reweigh the training data or adjust thresholds.")],
        metrics={"accuracy": 0.875, "sensitive_features": ["sex"],
                 "groups": [{"feature": "sex", "group": "0", "accuracy": 0.8,
                             "accuracy_ci_low": 0.61, "accuracy_ci_high": 0.93, "n": 4},
                            {"feature": "sex", "group": "1", "accuracy": 0.95,
                             "accuracy_ci_low": 0.8, "accuracy_ci_high": 0.99, "n": 4}]},
    )


def other_reports() -> list[Report]:
    return [
        Report(check="explain", subject="clf", metrics={
            "method": "linear", "top_features": ["income", "age"]}),
        Report(check="leakage", subject="X_train, X_test", metrics={"overlap_rows": 0}),
        Report(check="pii", subject="frame", findings=[Finding(
            "PII-EMAIL", Severity.MEDIUM, "Column contains e-mail addresses",
            location=Location(column="contact"))]),
    ]


def record_session(shell: Any, folder: Path, *, with_checks: bool) -> Path:
    """Run the training cells (and checks) with recording on; return the lineage file."""
    from mlsecops_jupyter.checks.modelscan import scan_model

    path = folder / "nb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    cwd = os.getcwd()
    os.chdir(folder)
    recorder.attach(shell)
    try:
        for code in TRAINING_CELLS:
            assert shell.run_cell(code, store_history=True).success, code
        recorder.record_check(scan_model("clf.joblib"))
        if with_checks:
            recorder.record_check(bias_report())
            for report in other_reports():
                recorder.record_check(report)
    finally:
        recorder.detach(shell)
        os.chdir(cwd)
    return path


@pytest.fixture(scope="session")
def training_cells() -> tuple[str, ...]:
    """The training session's cells, for tests that record more checks after them."""
    return TRAINING_CELLS


@pytest.fixture(scope="session")
def shell() -> Any:
    from IPython.testing.globalipapp import get_ipython, start_ipython

    return start_ipython() or get_ipython()


@pytest.fixture(scope="module")
def recorded(shell: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A lineage file of a session that trained, saved and checked ``clf``."""
    yield record_session(shell, tmp_path_factory.mktemp("card-full"), with_checks=True)


@pytest.fixture(scope="module")
def bare(shell: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The same training with only the model scan: most sections have no evidence."""
    yield record_session(shell, tmp_path_factory.mktemp("card-bare"), with_checks=False)


@pytest.fixture
def records(recorded: Path) -> list[dict[str, Any]]:
    return read_records(recorded)
