"""``%mlsec leakage --code`` and ``mlsec leakage NOTEBOOK.ipynb`` end to end.

Real cells run in the in-process shell (real pandas, real scikit-learn), so the static analysis
of the session history and the runtime provenance hooks both see the same leak.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.provenance import KernelProvenance

SETUP = """\
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler"""
DATA = """\
rng = np.random.default_rng(0)
df = pd.DataFrame(rng.normal(size=(1500, 5)), columns=list("abcde"))
df["label"] = (df.a + rng.normal(size=1500) > 0.5).astype(int)
X = df.drop(columns=["label"])
y = df["label"]"""
LEAK = "X = StandardScaler().fit_transform(X)"
SPLIT_FIT = """\
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = LogisticRegression().fit(X_train, y_train)
accuracy = model.score(X_test, y_test)"""
CLEAN = """\
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scaler = StandardScaler().fit(X_train)
model = LogisticRegression().fit(scaler.transform(X_train), y_train)
accuracy = model.score(scaler.transform(X_test), y_test)"""


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "leakage"
    return report


def _fresh(ip: Any) -> None:
    """A new session: empty history, counts from 1 (the shell is shared across modules)."""
    ip.reset(new_session=True)


def _run(ip: Any, *codes: str, ids: list[str] | None = None) -> None:
    for i, code in enumerate(codes):
        result = ip.run_cell(code, store_history=True,
                             cell_id=ids[i] if ids is not None else None)
        assert result.success, result.error_in_exec


def test_session_leak_found_statically_and_at_run_time(ip: Any, monkeypatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _fresh(ip)
    _run(ip, SETUP, DATA, LEAK, SPLIT_FIT)
    report = _magic(ip, "leakage --code --format text")
    assert [(f.rule, f.location.cell, f.location.line) for f in report.findings] == [
        ("LEAK-PREPROCESSING", None, 1)]
    (finding,) = report.findings
    assert finding.evidence["sources"] == ["static", "runtime"]
    assert finding.evidence["runtime"]["estimator"] == "StandardScaler"
    assert finding.evidence["runtime"]["overlap"] == 1.0
    assert report.metrics["code"]["runtime_observations"] == 1
    assert report.subject == "this session"


def test_session_clean_cells_give_nothing(ip: Any, monkeypatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _fresh(ip)
    _run(ip, SETUP, DATA, CLEAN)
    report = _magic(ip, "leakage --code --format json")
    assert report.findings == []
    assert report.metrics["code"]["runtime_observations"] == 0


def test_runtime_sees_what_static_cannot(ip: Any, monkeypatch) -> None:
    """The split happens inside an opaque object (exec of a string): only the hooks see it."""
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _fresh(ip)
    _run(ip, SETUP, DATA, "exec(compile('model = LogisticRegression().fit(X, y)', 's', 'exec'))",
         "parts = train_test_split(X, y, random_state=0)\nparts_test = parts[1]",
         "model.predict(parts_test)")
    report = _magic(ip, "leakage --code --format text")
    assert [(f.rule, f.evidence["sources"]) for f in report.findings] == [
        ("LEAK-OVERLAP", ["runtime"])]
    assert report.findings[0].evidence["runtime"]["execution_count"] == 5


def test_session_cells_map_to_the_saved_notebook(ip: Any, tmp_path: Path,
                                                 monkeypatch) -> None:
    codes = [SETUP, DATA, SPLIT_FIT, LEAK]
    nb = new_notebook(cells=[new_markdown_cell("# Model"), *[new_code_cell(c) for c in codes]])
    path = tmp_path / "session.ipynb"
    nbformat.write(nb, str(path))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    _fresh(ip)
    ids = [cell.id for cell in nb.cells[1:]]
    # the scaler cell (page cell 4) runs before the split cell (page cell 3)
    _run(ip, SETUP, DATA, LEAK, SPLIT_FIT, ids=[ids[0], ids[1], ids[3], ids[2]])
    report = _magic(ip, "leakage --code --format text")
    assert [(f.rule, f.location.cell, f.location.line) for f in report.findings] == [
        ("LEAK-PREPROCESSING", 4, 1)]
    assert report.findings[0].evidence["sources"] == ["static", "runtime"]
    assert report.subject == "session.ipynb"  # never the absolute path of this machine


def _new_kernel_session(ip: Any, monkeypatch) -> None:
    """A fresh kernel as nbval starts one: empty In[], nothing run yet (the in-process shell
    is shared across tests; a new history session makes the magic forget the cells run)."""
    _fresh(ip)
    magics = ip.magics_manager.registry["MLSecMagics"]
    if magics.provenance.hooks is not None:  # a new kernel has observed nothing yet
        magics.provenance.hooks.recorder.clear()


def _run_unstored(ip: Any, *codes: str, ids: list[str] | None = None) -> None:
    """Run cells the way nbval does: ``store_history=False`` (In[] stays empty)."""
    for i, code in enumerate(codes):
        result = ip.run_cell(code, store_history=False,
                             cell_id=ids[i] if ids is not None else None)
        assert result.success, result.error_in_exec


def test_session_without_stored_history_reads_the_cells_run(ip: Any, monkeypatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _new_kernel_session(ip, monkeypatch)
    _run_unstored(ip, SETUP, DATA, LEAK, SPLIT_FIT)
    assert [s for s in ip.history_manager.input_hist_raw if s.strip()] == []
    report = _magic(ip, "leakage --code --format text")
    assert [(f.rule, f.location.cell, f.location.line) for f in report.findings] == [
        ("LEAK-PREPROCESSING", None, 1)]
    assert report.findings[0].evidence["sources"] == ["static", "runtime"]
    assert report.metrics["code"]["history"] == "cells run (no In[])"
    assert report.metrics["code"]["cells"] == 4


def test_session_without_stored_history_clean_cells_give_nothing(ip: Any,
                                                                  monkeypatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _new_kernel_session(ip, monkeypatch)
    _run_unstored(ip, SETUP, DATA, CLEAN)
    report = _magic(ip, "leakage --code --format text")
    assert report.findings == []
    assert report.metrics["code"]["history"] == "cells run (no In[])"


def test_session_without_stored_history_maps_cell_ids(ip: Any, tmp_path: Path,
                                                      monkeypatch) -> None:
    codes = [SETUP, DATA, SPLIT_FIT, LEAK]
    nb = new_notebook(cells=[new_markdown_cell("# Model"), *[new_code_cell(c) for c in codes]])
    path = tmp_path / "unstored.ipynb"
    nbformat.write(nb, str(path))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    _new_kernel_session(ip, monkeypatch)
    ids = [cell.id for cell in nb.cells[1:]]
    # executed out of page order: the scaler (page cell 4) before the split (page cell 3)
    _run_unstored(ip, SETUP, DATA, LEAK, SPLIT_FIT, ids=[ids[0], ids[1], ids[3], ids[2]])
    report = _magic(ip, "leakage --code --format text")
    assert [(f.rule, f.location.cell, f.location.line) for f in report.findings] == [
        ("LEAK-PREPROCESSING", 4, 1)]
    assert report.metrics["code"]["mapped_to_notebook"] == 4


def test_magic_on_a_notebook_file(ip: Any, tmp_path: Path) -> None:
    path = _write(tmp_path / "leaky.ipynb", [SETUP, DATA, LEAK, SPLIT_FIT])
    report = _magic(ip, f"leakage --code {path} --format json")
    assert [(f.rule, f.location.cell, f.location.line, f.location.file)
            for f in report.findings] == [("LEAK-PREPROCESSING", 3, 1, str(path))]


def test_magic_bad_input_is_one_line(ip: Any, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such notebook") as info:
        ip.run_line_magic("mlsec", f"leakage --code {tmp_path / 'missing.ipynb'}")
    assert "\n" not in str(info.value)


def test_cli_on_notebooks(tmp_path: Path, capsys) -> None:
    leaky = _write(tmp_path / "leaky.ipynb", [SETUP, DATA, LEAK, SPLIT_FIT])
    clean = _write(tmp_path / "clean.ipynb", [SETUP, DATA, CLEAN])
    assert main(["leakage", str(leaky), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["location"]["cell"], f["location"]["line"])
            for f in out["findings"]] == [("LEAK-PREPROCESSING", 3, 1)]
    assert main(["leakage", str(clean)]) == 0
    capsys.readouterr()
    assert main(["leakage", str(leaky), "--fail-on", "critical", "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "LEAK-PREPROCESSING"
    corrupt = tmp_path / "corrupt.ipynb"
    corrupt.write_text("not json")
    assert main(["leakage", str(corrupt)]) == 2


def test_hooks_can_be_switched_off_and_install_lazily() -> None:
    off = Settings().override({"leakage.runtime_hooks": False})

    class Shell:
        execution_count = 3

    class Info:
        raw_cell = "from sklearn.linear_model import LogisticRegression"
        store_history = True

    disabled = KernelProvenance(off, Shell())
    disabled.before_cell(Info())
    assert disabled.hooks is None and disabled.observations == []
    enabled = KernelProvenance(Settings(), Shell())
    enabled.before_cell(Info())
    try:
        assert enabled.hooks is not None and enabled.execution_count == 2
    finally:
        enabled.stop()
    assert enabled.hooks is None


def test_config_switches_the_hooks_off_and_on(ip: Any, monkeypatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _fresh(ip)
    with capture_output():
        ip.run_line_magic("mlsec", "config --set leakage.runtime_hooks=false")
    try:
        _run(ip, SETUP, DATA, LEAK, SPLIT_FIT)
        report = _magic(ip, "leakage --code --format text")
        assert [f.evidence["sources"] for f in report.findings] == [["static"]]
        assert [s.what for s in report.skipped] == ["runtime provenance"]
    finally:
        with capture_output():
            ip.run_line_magic("mlsec", "config --set leakage.runtime_hooks=true")
    _fresh(ip)
    _run(ip, SETUP, DATA, LEAK, SPLIT_FIT)
    report = _magic(ip, "leakage --code --format text")
    assert [f.evidence["sources"] for f in report.findings] == [["static", "runtime"]]


def _write(path: Path, codes: list[str]) -> Path:
    cells = [new_markdown_cell("# Notebook")]
    for i, code in enumerate(codes):
        cell = new_code_cell(code)
        cell.execution_count = i + 1
        cells.append(cell)
    nbformat.write(new_notebook(cells=cells), str(path))
    return path
