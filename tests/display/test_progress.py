"""Progress sinks: the CLI's bar on a terminal's stderr, the notebook's status line, and that
neither leaves anything behind (no bar in logs, no status in a saved notebook or for nbval)."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlsecops_jupyter.core.output_marker import is_report_output
from mlsecops_jupyter.core.progress import task
from mlsecops_jupyter.display.progress import (
    StderrBar,
    showing_progress,
    sink_for_cli,
    sink_for_session,
    status_text,
)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ROOT = Path(__file__).resolve().parents[2]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    assert sink_for_cli(io.StringIO()) is None
    assert isinstance(sink_for_cli(_Terminal()), StderrBar)
    assert sink_for_session() is None or isinstance(sink_for_session(), StderrBar)


def test_work_under_the_delay_shows_nothing() -> None:
    stream = _Terminal()
    with showing_progress(StderrBar(stream, delay_s=5.0, tick_s=0.01)), \
            task("quick", total=3) as step:
        step.advance()
        time.sleep(0.05)
    assert stream.getvalue() == ""


def test_the_bar_shows_the_innermost_task_then_is_erased() -> None:
    stream = _Terminal()
    with showing_progress(StderrBar(stream, delay_s=0.05, tick_s=0.01)), task("scan"):
        with task("cells", total=4) as step:
            step.advance(note="cell 0")
            time.sleep(0.2)
        written = stream.getvalue()
    assert "\r[######------------------] scan: cells 1/4 (25%) · cell 0 · 0 s" in written
    assert "\n" not in written  # redrawn in place
    final = stream.getvalue()[len(written):]
    assert final.startswith("\r") and final.strip() == ""  # erased at the end


def test_a_task_of_unknown_length_still_shows_that_it_runs() -> None:
    stream = _Terminal()
    with showing_progress(StderrBar(stream, delay_s=0.02, tick_s=0.01)), \
            task("loading Presidio"):
        time.sleep(0.15)  # one long call that reports nothing: the ticker draws anyway
    assert "loading Presidio · 0 s" in stream.getvalue()


def test_status_text() -> None:
    from mlsecops_jupyter.display.progress import _Running

    assert status_text([], 3.0) == ""
    running = [_Running("explain", None), _Running("SHAP values", 400, 120, "row 7")]
    assert status_text(running, 4.2) == "explain: SHAP values 120/400 (30%) · row 7 · 4 s"


def test_a_failing_display_never_breaks_the_check() -> None:
    class Broken(StderrBar):
        def _draw(self, text: str) -> None:
            raise OSError("terminal gone")

    with showing_progress(Broken(_Terminal(), delay_s=0.0, tick_s=0.01)), task("x") as step:
        step.advance()
        time.sleep(0.05)


# -- the CLI on a real terminal ------------------------------------------------------------------
# the real CLI; the delay is lowered so that a fast machine, loading Presidio in under a second,
# still shows the bar
CLI = ("import sys\n"
       "from mlsecops_jupyter.display import progress\n"
       "progress.DELAY_S = 0.1\n"
       "from mlsecops_jupyter.cli import main\n"
       "sys.exit(main(sys.argv[1:]))")


def _cli(args: list[str], terminal: bool) -> str:
    """Run ``mlsec`` with stderr on a pseudo-terminal (or a pipe); return what stderr got."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", CLI, *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        return done.stderr
    controller, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 1.0)
        if ready:
            try:
                data = os.read(controller, 4096)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=300)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_cli_draws_a_bar_on_a_terminal_and_nothing_into_a_pipe() -> None:
    """Presidio's first load takes seconds: a bar while it loads, none when piped to a log."""
    args = ["pii", "--text", "write to jane.doe@example.org"]
    on_terminal = _cli(args, terminal=True)
    assert "loading Presidio" in on_terminal and "\r[" in on_terminal
    piped = _cli(args, terminal=False)
    assert "loading Presidio" not in piped and "\r" not in piped


# -- the notebook: a real kernel ------------------------------------------------------------------
STATUS_CELL = """\
import os, time
from mlsecops_jupyter.core.progress import task
from mlsecops_jupyter.display.progress import NotebookStatus, showing_progress
delay = float(os.environ.get("STATUS_DELAY", "1000"))
with showing_progress(NotebookStatus(delay_s=delay, tick_s=0.05)):
    with task("demo", total=4) as step:
        for i in range(4):
            time.sleep(0.15)
            step.advance(note=f"item {i}")
print("done")"""


def _execute(notebook: Any, cwd: Path, env: dict[str, str] | None = None) -> Any:
    from nbclient import NotebookClient

    with pytest.MonkeyPatch.context() as patch:
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        patch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        NotebookClient(notebook, timeout=300, allow_errors=False,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    return notebook


def _status_outputs(notebook: Any) -> list[Any]:
    return [o for cell in notebook.cells for o in cell.get("outputs", [])
            if WIDGET_MIME in o.get("data", {})]


def test_in_a_kernel_the_status_line_is_one_widget_view_emptied_at_the_end(
        tmp_path: Path) -> None:
    notebook = _execute(new_notebook(cells=[new_code_cell(STATUS_CELL)]), tmp_path,
                        {"STATUS_DELAY": "0.1"})
    (status,) = _status_outputs(notebook)
    # nbclient applied the update: what a saved notebook keeps is a view of no model
    assert status["data"] == {WIDGET_MIME: {**status["data"][WIDGET_MIME], "model_id": ""}}
    assert is_report_output(status)  # marked, digest of the final data
    # (nbclient keeps the state of every widget it saw, closed ones too, in the notebook's
    # metadata; no view refers to it, so nothing shows it)
    quick = _execute(new_notebook(cells=[new_code_cell(STATUS_CELL)]), tmp_path)
    assert _status_outputs(quick) == []  # under the delay: nothing at all


def test_nbval_never_compares_the_status_line(tmp_path: Path) -> None:
    """Stored without a status line, re-run with one (and the reverse): nbval passes both."""
    stored_without = _execute(new_notebook(cells=[new_code_cell(STATUS_CELL)]), tmp_path)
    stored_with = _execute(new_notebook(cells=[new_code_cell(STATUS_CELL)]), tmp_path,
                           {"STATUS_DELAY": "0.1"})
    assert not _status_outputs(stored_without) and _status_outputs(stored_with)
    for name, notebook, delay in (("without.ipynb", stored_without, "0.1"),
                                  ("with.ipynb", stored_with, "1000")):
        nbformat.write(notebook, tmp_path / name)
        env = {**os.environ, "STATUS_DELAY": delay,
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "--nbval", "--nbval-current-env", str(tmp_path / name)],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:]
        assert "1 passed" in run.stdout


def test_a_slow_mlsec_command_shows_a_status_line_and_leaves_only_its_report(
        tmp_path: Path) -> None:
    """``%mlsec explain`` imports shap the first time: the magic's sink shows it.

    The delay before a status line appears is lowered (as the UI test does): on a fast, quiet
    machine the first explain can finish inside the default second, and the test must not
    depend on the machine being slow.
    """
    cells = ["%load_ext mlsecops_jupyter\nfrom mlsecops_jupyter.display import progress\n"
             "progress.DELAY_S = 0.05",
             "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
             "rng = np.random.default_rng(0)\nX = rng.normal(size=(300, 3))\n"
             "y = (X[:, 0] > 0).astype(int)\nmodel = LogisticRegression().fit(X, y)",
             "%mlsec explain model X"]
    notebook = _execute(new_notebook(cells=[new_code_cell(c) for c in cells]), tmp_path)
    outputs = notebook.cells[2].outputs
    status = [o for o in outputs if WIDGET_MIME in o.get("data", {})]
    reports = [o for o in outputs if "text/html" in o.get("data", {})]
    assert len(status) == 1 and status[0]["data"][WIDGET_MIME]["model_id"] == ""
    assert len(reports) == 1 and is_report_output(reports[0])
    assert reports[0]["data"]["text/plain"].startswith("explain on model")
    assert json.dumps(status[0]["data"]).count("text/plain") == 0
