"""``mlsec execute``: a notebook run headless, end to end, in a real kernel."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.lineage import read_records, verify

EVIL = """\
import os, pickle
class P:
    def __reduce__(self):
        return (os.system, ('true',))
open('evil.bin', 'wb').write(pickle.dumps(P()))"""


def _notebook(path: Path, *cells: str) -> Path:
    notebook = new_notebook(cells=[new_code_cell(code) for code in cells], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, path)
    return path


def test_execute_prints_outputs_logs_per_notebook_and_fails_on_strict_findings(
        tmp_path: Path, capsys) -> None:
    """Strict at high by default, as the README says: the scan cell fails, the run stops
    there, and the summary says what was found, which cell failed and what did not run."""
    notebook = _notebook(
        tmp_path / "demo.ipynb",
        "%load_ext mlsecops_jupyter",
        "print('hello', 'world')",
        EVIL,
        "%mlsec scan evil.bin --format text",
        "print('after the scan')",
    )
    saved = nbformat.read(notebook, as_version=4)  # outputs of an old run, saved in the file
    saved.cells[4].outputs = [nbformat.v4.new_output("stream", text="stale output\n")]
    saved.cells[4].execution_count = 9
    nbformat.write(saved, notebook)
    out_file = tmp_path / "out" / "demo.ipynb"
    assert main(["execute", str(notebook), "--output", str(out_file)]) == 1
    captured = capsys.readouterr()
    printed = captured.out
    assert "stale output" not in printed  # the run never reached that cell
    assert "hello world" in printed  # one print, even if it arrives as several messages
    assert "MODEL-PICKLE-EXEC" in printed and "after the scan" not in printed
    assert printed.split("=== mlsec execute: ")[1].splitlines() == [
        "demo.ipynb (fail-on high)",
        "findings by check and severity:",
        "  check      runs  critical      high    medium       low      info  accepted",
        "  modelscan     1         1         0         0         0         0         0",
        "failed cells:",
        "  cell 3: %mlsec scan evil.bin --format text  ->  MLSecCheckFailed: modelscan on "
        "evil.bin: 1 finding(s) at or above high (MODEL-PICKLE-EXEC); strict mode fails this "
        "run",
        "not run: cell 4 (1 cell)",
        "result: FAILED: 1 finding at or above high; 1 cell failed",
    ]
    assert captured.err.splitlines()[-1] == (
        f"mlsec: {notebook} FAILED: 1 finding at or above high; 1 cell failed; executed "
        f"notebook: {out_file}")
    assert out_file.is_file()
    # like JupyterLab, the kernel is told its notebook: the log is the notebook's own file
    log = tmp_path / ".mlsec" / "demo.ipynb.lineage.jsonl"
    assert verify(log).ok
    assert any(r["kind"] == "check" for r in read_records(log))
    assert "MLSEC_FAIL_ON" not in os.environ, "strictness is the kernel's, not this process's"


def test_the_threshold_is_the_runs_even_when_the_notebook_turns_strict_mode_off(
        tmp_path: Path, capsys) -> None:
    """The exit code comes from every report the checks delivered, so a notebook cannot pass
    a run by switching strict mode off; ``--fail-on none`` (or a higher threshold) can."""
    notebook = _notebook(
        tmp_path / "lenient.ipynb",
        "%load_ext mlsecops_jupyter",
        "%mlsec config --fail-on none",
        EVIL,
        "%mlsec scan evil.bin --format text",
        "print('after the scan')",
    )
    assert main(["execute", str(notebook)]) == 1
    printed = capsys.readouterr().out
    assert "after the scan" in printed and "failed cells:" not in printed
    assert printed.splitlines()[-1] == "result: FAILED: 1 finding at or above high"
    assert main(["execute", str(notebook), "--fail-on", "none"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "result: passed"


@pytest.mark.parametrize(("cells", "options", "error"), [
    (["print('start')", "import time\ntime.sleep(60)", "print('never')"], ["--timeout", "2"],
     "a cell ran longer than the 2 s --timeout (cell 1: import time)"),
    (["print('start')", "import os\nos._exit(1)", "print('never')"], [],
     "the kernel died while running cell 1 (import os)"),
])
def test_a_run_that_cannot_go_on_is_one_line_and_exit_2(
        tmp_path: Path, capsys, cells: list[str], options: list[str], error: str) -> None:
    notebook = _notebook(tmp_path / "stops.ipynb", *cells)
    assert main(["execute", str(notebook), *options]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == f"mlsec: error: execute: {notebook}: {error}"
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert "start" in captured.out and "never" not in captured.out
    assert captured.out.splitlines()[-3:] == [f"stopped: {error}", "not run: cell 2 (1 cell)",
                                              "result: FAILED: the run stopped early"]


def test_an_unknown_kernel_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    notebook = _notebook(tmp_path / "other.ipynb", "print(1)")
    data = nbformat.read(notebook, as_version=4)
    data.metadata.kernelspec.name = "no-such-kernel"
    nbformat.write(data, notebook)
    assert main(["execute", str(notebook)]) == 2
    err = capsys.readouterr().err
    assert err == ("mlsec: error: no Jupyter kernel named 'no-such-kernel' is installed (the "
                   "notebook's kernelspec); pass --kernel NAME (`jupyter kernelspec list` names "
                   "them)\n")
    assert main(["execute", str(notebook), "--kernel", "nope"]) == 2
    assert "named 'nope' is installed (--kernel)" in capsys.readouterr().err


def test_execute_missing_or_hostile_notebook_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["execute", str(tmp_path / "nope.ipynb")]) == 2
    assert "no such notebook" in capsys.readouterr().err
    deep = tmp_path / "deep.ipynb"
    deep.write_text('{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["execute", str(deep)]) == 2
    assert capsys.readouterr().err == (f"mlsec: error: {deep} is not a Jupyter notebook: JSON "
                                       "nested deeper than 100 levels\n")
