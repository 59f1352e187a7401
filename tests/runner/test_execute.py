"""``mlsec execute``: a notebook run headless, end to end, in a real kernel."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.lineage import read_records, verify


def _notebook(path: Path, *cells: str) -> Path:
    notebook = new_notebook(cells=[new_code_cell(code) for code in cells], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, path)
    return path


def test_execute_prints_outputs_logs_per_notebook_and_fails_on_strict_findings(
        tmp_path: Path, capsys) -> None:
    notebook = _notebook(
        tmp_path / "demo.ipynb",
        "%load_ext mlsecops_jupyter",
        "print('hello', 'world')",
        "import os, pickle\n"
        "class P:\n"
        "    def __reduce__(self):\n"
        "        return (os.system, ('true',))\n"
        "open('evil.bin', 'wb').write(pickle.dumps(P()))",
        "%mlsec scan evil.bin --format text",
    )
    out_file = tmp_path / "out" / "demo.ipynb"
    assert main(["execute", str(notebook), "--output", str(out_file)]) == 0
    printed = capsys.readouterr().out
    assert "hello world" in printed  # one print, even if it arrives as several messages
    assert "MODEL-PICKLE-EXEC" in printed
    assert out_file.is_file()
    # like JupyterLab, the kernel is told its notebook: the log is the notebook's own file
    log = tmp_path / ".mlsec" / "demo.ipynb.lineage.jsonl"
    assert verify(log).ok
    assert any(r["kind"] == "check" for r in read_records(log))
    # strict mode for the whole run: the scan cell fails, so does the command
    assert main(["execute", str(notebook), "--fail-on", "high"]) == 1
    assert "MLSecCheckFailed" in capsys.readouterr().out
    assert "MLSEC_FAIL_ON" not in os.environ, "strictness is the kernel's, not this process's"


def test_execute_missing_notebook_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["execute", str(tmp_path / "nope.ipynb")]) == 2
    assert "no such notebook" in capsys.readouterr().err
