"""Strict mode under every runner a team uses in CI: real nbval, nbmake, nbclient and papermill.

Small notebooks, each run for real by each runner (a subprocess per runner, started together so
the two cores share the kernel starts):

- ``cannot_run``: strict, then a bad path, a misspelt variable and a bad option: each of these
  cells must fail (nbval runs every cell; the nbclient-based runners stop at the first);
- ``settings/load``: ``%load_ext`` fails on a bad setting in a strict project: the cell fails;
- ``secret``: strict, a realistic fake AWS key pair, ``%mlsec notebook``: fails on the keys,
  although nbval leaves the kernel no history and no notebook name;
- ``clean``: strict, a small model, ``%mlsec leakage --code`` (written to a file per runner) and
  ``%mlsec notebook``: passes, and the code-leakage findings are the same under every runner
  (the label-in-features CRITICAL that only nbval reported came from cells it lost);
- ``lax`` (nbval only): not strict, a check that cannot run, with the one-line message stored as
  the cell's expected output: ``--nbval`` compares it, so a traceback would fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from notebook_corpus import Fakes

import mlsecops_jupyter

KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                             "language": "python"}, "language_info": {"name": "python"}}
LOAD = "%load_ext mlsecops_jupyter"
STRICT = "%mlsec config --fail-on high"
MISSING = "%mlsec scan no_such_model.joblib"
MISSPELT = "%mlsec pii customerz"
BAD_OPTION = "%mlsec scan no_such_model.joblib --bogus"
SCAN_NOTEBOOK = "%mlsec notebook --no-pii --format text"
DATA = """\
%load_ext mlsecops_jupyter
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)
df = pd.DataFrame(rng.normal(size=(400, 4)), columns=["income", "debt", "age", "tenure"])
df["default"] = rng.integers(0, 2, 400)
features = ["income", "debt", "age", "tenure"]"""
FEATURES = "y = df['default']\nX = df[features]"
SCALED = "X = StandardScaler().fit_transform(X)"  # fitted before the split: a real leak
FIT = """\
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = LogisticRegression().fit(X_train, y_train)
score = model.score(X_test, y_test)"""
LEAKAGE = "leak = %mlsec leakage --code --fail-on none --format text"
WRITE = """\
import json, os
findings = sorted([f.rule, f.severity.label, f.location.cell, f.location.line]
                  for f in leak.findings)
with open(os.environ["MLSEC_TEST_OUT"], "a") as out:
    out.write(json.dumps({"runner": os.environ["MLSEC_TEST_RUNNER"], "findings": findings})
              + "\\n")"""
LAX_MESSAGE = "UsageError: %mlsec scan: no such file: no_such_model.joblib\n"
NOTEBOOKS = ("cannot_run.ipynb", "settings/load.ipynb", "secret.ipynb", "clean.ipynb")
NBVAL_ONLY = ("lax.ipynb",)

NBCLIENT_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    results = {}
    for name in sys.argv[1:]:
        notebook = nbformat.read(name, as_version=4)
        client = NotebookClient(notebook, timeout=300,
                                resources={"metadata": {"path": str(Path(name).parent)}})
        try:
            client.execute()
        except CellExecutionError:
            pass
        results[name] = [[cell.source, f"{o.ename}: {o.evalue}"] for cell in notebook.cells
                         for o in cell.get("outputs", []) if o.output_type == "error"]
    print(json.dumps(results))
""")


def _notebook(path: Path, *cells: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    made = [cell if isinstance(cell, nbformat.NotebookNode) else new_code_cell(cell)
            for cell in cells]
    nbformat.write(new_notebook(cells=made, metadata=KERNELSPEC), path)


def _write_notebooks(folder: Path) -> None:
    fake = Fakes(1207)
    key_id, secret = fake.aws_key_id(), fake.aws_secret()
    assert key_id != "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example is allowlisted
    _notebook(folder / "cannot_run.ipynb", LOAD, STRICT, MISSING, MISSPELT, BAD_OPTION,
              "print('after')")
    _notebook(folder / "settings" / "load.ipynb", LOAD, "print('after')")
    # a strict project whose settings file has a misspelt key: %load_ext cannot load them
    (folder / "settings" / "mlsec.toml").write_text(
        'fail_on = "high"\n\n[pii]\nsample_rowz = 500\n')
    _notebook(folder / "secret.ipynb", LOAD, STRICT,
              f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"',
              SCAN_NOTEBOOK)
    _notebook(folder / "clean.ipynb", DATA, STRICT, FEATURES, SCALED, FIT, LEAKAGE, WRITE,
              SCAN_NOTEBOOK)
    # not strict: the stored outputs are what a session shows, and --nbval compares them
    cells = [new_code_cell(LOAD, execution_count=1),
             new_code_cell(MISSING, execution_count=2, outputs=[
                 new_output("stream", name="stderr", text=LAX_MESSAGE)]),
             new_code_cell("print('after')", execution_count=3, outputs=[
                 new_output("stream", name="stdout", text="after\n")])]
    _notebook(folder / "lax.ipynb", *cells)


def _env(runner: str, folder: Path) -> dict[str, str]:
    """The test's environment without MLSEC_* (a developer's must not change results), with
    this checkout first on the path so every kernel imports the code under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    root = str(Path(mlsecops_jupyter.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    env["MLSEC_TEST_RUNNER"] = runner
    env["MLSEC_TEST_OUT"] = str(folder / f"leakage-{runner}.jsonl")
    return env


def _pytest(folder: Path, runner: str, plugin_args: list[str],
            notebooks: tuple[str, ...]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "timeout=600",
         "--junitxml", str(folder / f"{runner}.xml"), *plugin_args, *notebooks],
        cwd=folder, env=_env(runner, folder), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


def _failures_from_junit(folder: Path, runner: str) -> dict[str, list[list[str]]]:
    """Notebook -> [[source of a failed cell, its message], ...] from a pytest JUnit report."""
    failed: dict[str, list[list[str]]] = {}
    for case in ET.parse(folder / f"{runner}.xml").iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        text = (problem.get("message", "") + "\n" + (problem.text or "")) if problem is not None \
            else None
        if runner.startswith("nbval"):  # one item per cell: "Cell N" of notebook "a/b.ipynb"
            name = case.get("classname", "").replace(".", "/").removesuffix("/ipynb") + ".ipynb"
            failed.setdefault(name, [])
            if text is not None:
                index = int(case.get("name", "").split()[-1])
                source = nbformat.read(folder / name, as_version=4).cells[index].source
                failed[name].append([source, text])
        else:  # nbmake: one item per notebook
            name = case.get("classname", "").replace(".", "/").removesuffix("/ipynb") + ".ipynb"
            failed[name] = [] if text is None else [["", text]]
    return failed


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Every runner on every notebook: notebook -> failed cells, per runner."""
    folder = tmp_path_factory.mktemp("runner-matrix")
    _write_notebooks(folder)
    out = folder / "papermill-out"
    out.mkdir()
    pytests = {
        "nbval": _pytest(folder, "nbval", ["--nbval", "--nbval-current-env"],
                         NOTEBOOKS + NBVAL_ONLY),
        "nbval-lax": _pytest(folder, "nbval-lax", ["--nbval-lax", "--nbval-current-env"],
                             NOTEBOOKS + NBVAL_ONLY),
        "nbmake": _pytest(folder, "nbmake", ["--nbmake"], NOTEBOOKS),
    }
    nbclient = subprocess.Popen([sys.executable, "-c", NBCLIENT_SCRIPT, *NOTEBOOKS], cwd=folder,
                                env=_env("nbclient", folder), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    papermill = {}
    for name in NOTEBOOKS:  # with a parameter: papermill injects a cell the file lacks
        papermill[name] = subprocess.Popen(
            [sys.executable, "-m", "papermill", name, str(out / name.replace("/", "-")),
             "-p", "alpha", "0.5", "--cwd", str((folder / name).parent), "--no-progress-bar"],
            cwd=folder, env=_env("papermill", folder), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, text=True)
    results: dict[str, Any] = {}
    logs = {}
    for runner, process in pytests.items():
        logs[runner] = process.communicate(timeout=900)[0]
        results[runner] = _failures_from_junit(folder, runner)
    results["nbclient"] = json.loads(nbclient.communicate(timeout=900)[0].splitlines()[-1])
    results["papermill"] = {}
    for name, process in papermill.items():
        status = process.wait(timeout=900)
        executed = nbformat.read(out / name.replace("/", "-"), as_version=4)
        # papermill marks the cell it stopped at; its message is an error output, or only a
        # line on stderr (what a bare UsageError leaves)
        failed = [[cell.source, "\n".join(
                      f"{o.ename}: {o.evalue}" if o.output_type == "error" else o.text
                      for o in cell.get("outputs", [])
                      if o.output_type == "error" or o.get("name") == "stderr")]
                  for cell in executed.cells
                  if cell.get("metadata", {}).get("papermill", {}).get("exception")]
        assert (status != 0) == bool(failed), (name, status, failed)
        results["papermill"][name] = failed
    print({runner: log[-2000:] for runner, log in logs.items()})
    return folder, results


RUNNERS = ("nbval", "nbval-lax", "nbmake", "nbclient", "papermill")
STOPS_AT_FIRST = ("nbmake", "nbclient", "papermill")


def _failed_sources(results: dict[str, Any], runner: str, notebook: str) -> list[str]:
    return [source for source, _ in results[runner][notebook]]


def _messages(results: dict[str, Any], runner: str, notebook: str) -> str:
    return "\n".join(message for _, message in results[runner][notebook])


@pytest.mark.parametrize("runner", RUNNERS)
def test_a_check_that_cannot_run_fails_a_strict_run(matrix: tuple[Path, dict[str, Any]],
                                                    runner: str) -> None:
    _, results = matrix
    messages = _messages(results, runner, "cannot_run.ipynb")
    if runner in STOPS_AT_FIRST:
        assert "no such file: no_such_model.joblib" in messages, messages
        if runner != "nbmake":  # nbmake reports the notebook, not its cells
            assert _failed_sources(results, runner, "cannot_run.ipynb") == [MISSING]
    else:
        assert _failed_sources(results, runner, "cannot_run.ipynb") == [
            MISSING, MISSPELT, BAD_OPTION]
        for expected in ("no such file: no_such_model.joblib", "'customerz' is neither a variable",
                         "unrecognized arguments: --bogus"):
            assert expected in messages
    assert "strict mode: a check that cannot run fails the run" in messages
    assert "Traceback (most recent call last)" not in messages


@pytest.mark.parametrize("runner", RUNNERS)
def test_load_ext_failing_on_a_bad_setting_fails_a_strict_run(
        matrix: tuple[Path, dict[str, Any]], runner: str) -> None:
    _, results = matrix
    messages = _messages(results, runner, "settings/load.ipynb")
    assert "mlsecops_jupyter: unknown setting pii.sample_rowz" in messages, messages
    if runner != "nbmake":
        assert _failed_sources(results, runner, "settings/load.ipynb") == [LOAD]


@pytest.mark.parametrize("runner", RUNNERS)
def test_a_secret_found_by_the_notebook_scan_fails_a_strict_run(
        matrix: tuple[Path, dict[str, Any]], runner: str) -> None:
    _, results = matrix
    messages = _messages(results, runner, "secret.ipynb")
    assert "MLSecCheckFailed: notebook on secret.ipynb: 2 finding(s) at or above high " \
           "(SECRET-AWS-ACCESS-KEY-ID, SECRET-AWS-SECRET-KEY)" in messages, messages
    if runner != "nbmake":
        assert _failed_sources(results, runner, "secret.ipynb") == [SCAN_NOTEBOOK]


@pytest.mark.parametrize("runner", RUNNERS)
def test_a_clean_notebook_passes_a_strict_run(matrix: tuple[Path, dict[str, Any]],
                                              runner: str) -> None:
    _, results = matrix
    assert results[runner]["clean.ipynb"] == []


def test_code_leakage_findings_are_the_same_under_every_runner(
        matrix: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = matrix
    by_runner = {}
    for runner in RUNNERS:
        lines = (folder / f"leakage-{runner}.jsonl").read_text().splitlines()
        assert len(lines) == 1, (runner, lines)
        by_runner[runner] = json.loads(lines[0])["findings"]
    # the scaler fitted before the split, at its page cell; and no label-in-features
    expected = [["LEAK-PREPROCESSING", "high", 3, 1]]
    assert by_runner == dict.fromkeys(RUNNERS, expected)


def test_a_session_that_is_not_strict_keeps_its_one_line_message(
        matrix: tuple[Path, dict[str, Any]]) -> None:
    """``--nbval`` compares the stored stderr line: a traceback or an error would fail."""
    _, results = matrix
    assert results["nbval"]["lax.ipynb"] == []
    assert results["nbval-lax"]["lax.ipynb"] == []
