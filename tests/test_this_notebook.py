"""Which notebook a kernel runs and which cells it ran (``commands/_this_notebook.py``).

Runners tell a kernel different things (``_this_notebook``'s table); these tests drive the finder
with real notebook files written by nbformat and the in-process shell, the way each runner
leaves things: a file named by the front end, nothing but the working directory (nbval, nbmake,
nbclient), papermill's injected cell and output notebook, and no file at all, where strict mode
must fail. The real runners themselves are driven in ``tests/runner/test_runner_matrix.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from notebook_corpus import Fakes

from mlsecops_jupyter.commands._this_notebook import (
    Located,
    SessionCells,
    locate_notebook,
)
from mlsecops_jupyter.core import Report
from mlsecops_jupyter.core.settings import Settings

LOAD = "%load_ext mlsecops_jupyter"
STRICT = "%mlsec config --fail-on high"
SCAN = "%mlsec notebook --format text"


def _write(path: Path, *codes: str, metadata: dict[str, Any] | None = None) -> Path:
    cells = [new_markdown_cell("# notes"), *[new_code_cell(code) for code in codes]]
    nbformat.write(new_notebook(cells=cells, metadata=metadata or {}), path)
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("JPY_SESSION_NAME",):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _locate(ran: list[str], namespace: dict[str, Any] | None = None,
            settings: Settings | None = None) -> Located:
    return locate_notebook(namespace or {}, settings or Settings(), ran)


def test_the_notebook_whose_cells_ran_in_order_wins(folder: Path) -> None:
    """Two notebooks share their first cells; only one holds the cells run as one run."""
    _write(folder / "clean.ipynb", LOAD, STRICT, "area = 3.14 * 2 ** 2", SCAN)
    _write(folder / "secret.ipynb", LOAD, STRICT, "token = 'x'", "area = 3.14 * 2 ** 2", SCAN)
    located = _locate([LOAD, STRICT, "area = 3.14 * 2 ** 2", SCAN])
    assert located == Located(Path("clean.ipynb"), "its cells match the cells run so far")
    located = _locate([LOAD, STRICT, "token = 'x'"])
    assert located.path == Path("secret.ipynb")


def test_cells_run_out_of_order_still_find_the_only_notebook_holding_them(folder: Path) -> None:
    _write(folder / "a.ipynb", LOAD, "x = 1", "y = 2")
    _write(folder / "b.ipynb", LOAD, "z = 3")
    located = _locate([LOAD, "y = 2", "x = 1"])
    assert located == Located(Path("a.ipynb"), "it holds every cell run so far")


def test_identical_notebooks_are_ambiguous_and_say_which(folder: Path) -> None:
    _write(folder / "one.ipynb", LOAD, SCAN)
    _write(folder / "two.ipynb", LOAD, SCAN)
    located = _locate([LOAD, SCAN])
    assert located.path is None and located.candidates == ("one.ipynb", "two.ipynb")
    assert "2 notebooks in the working directory hold the cells run so far" in located.how


def test_papermill_injected_parameters_and_its_output_notebook(folder: Path) -> None:
    """papermill runs a ``# Parameters`` cell the input lacks and writes an output notebook
    (here beside the input) whose metadata names the input: the input is the notebook."""
    _write(folder / "report.ipynb", LOAD, "alpha = 0.1", SCAN)
    injected = "# Parameters\nalpha = 0.5\n"
    _write(folder / "report-out.ipynb", LOAD, "alpha = 0.1", injected, SCAN,
           metadata={"papermill": {"input_path": "report.ipynb"}})
    located = _locate([LOAD, "alpha = 0.1", injected, SCAN])
    assert located.path == Path("report.ipynb")


def test_named_file_comes_first_and_unreadable_candidates_are_passed_over(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "hostile.ipynb").write_text('{"cells": ' + "[" * 50_000 + "]" * 50_000 + "}")
    _write(folder / "real.ipynb", LOAD, SCAN)
    assert _locate([LOAD, SCAN]).path == Path("real.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", str(folder / "hostile.ipynb"))
    assert _locate([LOAD, SCAN]) == Located(folder / "hostile.ipynb", "JPY_SESSION_NAME")
    monkeypatch.delenv("JPY_SESSION_NAME")
    pinned = Settings().override({"lineage.notebook": "real.ipynb"})
    assert _locate([], settings=pinned) == Located(Path("real.ipynb"), "lineage.notebook")
    assert _locate([], namespace={"__vsc_ipynb_file__": str(folder / "real.ipynb")}).how == \
        "__vsc_ipynb_file__"
    assert _locate([]).how == "no cell has run yet to recognise the notebook by"


def test_session_cells_follow_the_kernel_and_forget_a_reset(ip: Any) -> None:
    ip.reset(new_session=True)
    cells: SessionCells = ip.magics_manager.registry["MLSecMagics"].session_cells
    ip.run_cell("first = 1", store_history=True)
    ip.run_cell("second = 2", store_history=False, cell_id="abc")  # how nbval runs cells
    ip.run_cell("   ", store_history=True)  # an empty cell never reaches pre_run_cell
    assert [(c.source, c.cell_id, c.execution_count) for c in cells.cells] == [
        ("first = 1", None, 1), ("second = 2", "abc", None)]
    assert [c.position for c in cells.cells] == [1, 2]
    ip.reset(new_session=True)
    ip.run_cell("third = 3", store_history=True)
    assert [c.source for c in cells.cells] == ["third = 3"]


# -- %mlsec notebook without a path --------------------------------------------------------------
def _scan(ip: Any, line: str = "notebook --no-pii --format text") -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report)
    return report


def test_without_a_stored_history_the_cells_run_are_scanned_and_the_file_found(
        ip: Any, folder: Path) -> None:
    """What nbval gives a kernel: no In[], no notebook name, the notebook's folder."""
    fake = Fakes(21)
    key_id, secret = fake.aws_key_id(), fake.aws_secret()
    code = f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"'
    _write(folder / "leaky.ipynb", code, "%mlsec notebook --no-pii --format text")
    ip.reset(new_session=True)
    assert ip.run_cell(code, store_history=False).success
    report = _scan(ip)
    assert report.subject == "leaky.ipynb"
    assert report.metrics["notebook_found_by"] == "its cells match the cells run so far"
    assert sorted(f.rule for f in report.findings) == ["SECRET-AWS-ACCESS-KEY-ID",
                                                       "SECRET-AWS-SECRET-KEY"]
    assert key_id not in report.to_json() and secret not in report.to_json()


def test_unsaved_cells_are_found_live_and_named_by_their_place(ip: Any, folder: Path) -> None:
    token = Fakes(22).github()
    ip.reset(new_session=True)
    assert ip.run_cell(f'deploy_token = "{token}"', store_history=False).success
    report = _scan(ip)  # no notebook in the folder: the cells run so far only
    assert report.subject == "this session (live history)"
    assert [f.evidence["in"] for f in report.findings] == ["live cell 1"]
    assert report.skipped[0].what == "the saved notebook"
    assert "not found: no notebook in the working directory" in report.skipped[0].why


def test_strict_mode_fails_when_the_notebook_cannot_be_seen(ip: Any, folder: Path) -> None:
    from mlsecops_jupyter.magics import StrictUsageError

    ip.reset(new_session=True)
    assert ip.run_cell("area = 3.14 * 2 ** 2", store_history=False).success
    with capture_output(), pytest.raises(StrictUsageError) as excinfo:
        ip.run_line_magic("mlsec", "notebook --no-pii --fail-on high --format text")
    message = str(excinfo.value)
    assert message.startswith("%mlsec notebook: cannot see this notebook's file (no notebook in "
                              "the working directory (0 checked) holds the cells run so far)")
    assert "strict mode does not pass a partial scan" in message and "\n" not in message
    assert message.count("strict mode") == 1
    _write(folder / "found.ipynb", "area = 3.14 * 2 ** 2")
    report = _scan(ip, "notebook --no-pii --fail-on high --format text")
    assert report.subject == "found.ipynb" and report.findings == []
    with pytest.raises(UsageError):  # an unknown option is still strict in a strict call
        ip.run_line_magic("mlsec", "notebook --no-pii --fail-on high --bogus")


def test_cells_run_before_the_extension_loaded_come_from_in(ip: Any) -> None:
    """JupyterLab: a user runs cells, then loads the extension; In[] still has the first."""
    from mlsecops_jupyter.commands._this_notebook import executed_cells

    class Session:
        shell = ip
        session_cells = SessionCells(ip)

        @staticmethod
        def user_namespace() -> dict[str, Any]:
            return ip.user_ns

    ip.reset(new_session=True)
    ip.run_cell("a = 1", store_history=True)
    ip.run_cell("b = 2", store_history=True)
    ip.events.register("pre_run_cell", Session.session_cells.before_cell)
    try:
        ip.run_cell("c = 3", store_history=True, cell_id="cell-c")
    finally:
        ip.events.unregister("pre_run_cell", Session.session_cells.before_cell)
    assert [(c.position, c.source, c.cell_id, c.execution_count)
            for c in executed_cells(Session)] == [
        (1, "a = 1", None, 1), (2, "b = 2", None, 2), (3, "c = 3", "cell-c", 3)]


def test_jupyterlab_names_the_notebook_relative_to_its_root(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """jupyter_server passes the path from its root; the kernel runs in the notebook's folder."""
    _write(folder / "analysis.ipynb", LOAD)
    monkeypatch.setenv("JPY_SESSION_NAME", "team/projects/analysis.ipynb")
    assert _locate([]) == Located(Path("analysis.ipynb"), "JPY_SESSION_NAME")


def test_a_long_session_keeps_the_newest_cells_and_says_so(
        ip: Any, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlsecops_jupyter.commands import _this_notebook

    cells: SessionCells = ip.magics_manager.registry["MLSecMagics"].session_cells
    ip.reset(new_session=True)
    monkeypatch.setattr(_this_notebook, "MAX_SESSION_CELLS", 2)
    for code in ("a = 1", "b = 2", "c = 3"):
        ip.run_cell(code, store_history=False)
    assert [c.source for c in cells.cells] == ["b = 2", "c = 3"] and cells.dropped == 1
    monkeypatch.setattr(_this_notebook, "MAX_SESSION_CHARS", 12)
    ip.run_cell("long_name = 4", store_history=False)  # 13 characters: only it is kept
    assert [c.source for c in cells.cells] == ["long_name = 4"] and cells.dropped == 3
    report = _scan(ip)
    assert "the 3 oldest cell(s) run in this session" in [s.what for s in report.skipped]
