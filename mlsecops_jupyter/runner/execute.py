"""Execute a notebook with nbclient and collect its outputs as plain text.

Why not ``jupyter nbconvert --execute``: it prints nothing of what the notebook found, and
nbclient sends no cell ids to the kernel. Here each ``execute_request`` carries
``metadata.cellId`` exactly as JupyterLab sends it, so lineage records name the real cells, and the
text of every output is returned (and printed by ``mlsec execute``) so a terminal user sees the
findings without opening the notebook.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError
from ..core.notebook_io import read_notebook_file
from ..core.report import Report
from .reports import REPORTS_ENV, read_reports

# why a run stopped before its end for a reason that is no cell's output (exit 2, not 1)
STOPPED_TIMEOUT = "a cell ran longer than the {timeout} s --timeout (cell {cell}: {head})"
STOPPED_DEAD = "the kernel died while running cell {cell} ({head})"
NO_KERNEL = ("no Jupyter kernel named {name!r} is installed ({given}); pass --kernel NAME "
             "(`jupyter kernelspec list` names them)")
KERNEL_FAILED = "the kernel could not start: {reason}"


@dataclass
class CellOutput:
    """The plain-text view of one executed cell's outputs."""

    index: int
    source_head: str
    texts: list[str] = field(default_factory=list)
    error: str | None = None
    expected_error: bool = False  # marked to raise (raises-exception, NBVAL_RAISES_EXCEPTION)
    ran: bool = True


@dataclass
class NotebookRun:
    """Result of executing a notebook headless.

    ``error`` is the failed cell's error (a cell failure: exit 1); ``stopped`` says why the run
    could not go on for a reason of its own (timeout, dead kernel: exit 2). ``reports`` are the
    reports the notebook's checks delivered, in order.
    """

    path: Path
    output_path: Path | None
    cells: list[CellOutput]
    error: str | None = None
    stopped: str | None = None
    reports: list[Report] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.stopped is None

    @property
    def failed_cells(self) -> list[CellOutput]:
        return [cell for cell in self.cells if cell.error and not cell.expected_error]

    @property
    def not_run(self) -> list[CellOutput]:
        return [cell for cell in self.cells if not cell.ran]

    def text(self) -> str:
        """Every cell's text output in order, headed by the cell's first source line."""
        lines: list[str] = []
        for cell in self.cells:
            if not cell.texts and cell.error is None:
                continue
            lines.append(f"--- cell {cell.index}: {cell.source_head}")
            lines.extend(text.rstrip("\n") for text in cell.texts)
            if cell.error:
                lines.append(f"ERROR: {cell.error}")
        return "\n".join(lines) + "\n"


def _output_text(output: dict[str, Any]) -> str | None:
    kind = output.get("output_type")
    if kind == "stream":
        return str(output.get("text", ""))
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        text = data.get("text/plain")
        if isinstance(text, list):
            text = "".join(text)
        return text
    return None


def _cell_client_class() -> type:
    """An nbclient client that sends each cell's id, as JupyterLab does (TOOLCHAIN.md §6)."""
    from nbclient import NotebookClient

    class CellIdNotebookClient(NotebookClient):  # type: ignore[misc]
        _current_cell_id: str | None = None
        current_cell_index: int | None = None  # the cell running now: where a run stopped

        async def async_start_new_kernel_client(self):  # type: ignore[no-untyped-def]
            client = await super().async_start_new_kernel_client()
            original = client.session.msg

            def msg(msg_type, content=None, parent=None, header=None, metadata=None):  # type: ignore[no-untyped-def]
                if msg_type == "execute_request" and self._current_cell_id:
                    metadata = {**(metadata or {}), "cellId": self._current_cell_id}
                return original(msg_type, content, parent, header, metadata)

            client.session.msg = msg
            return client

        async def async_execute_cell(self, cell, cell_index, execution_count=None,  # type: ignore[no-untyped-def]
                                     store_history=True):
            self._current_cell_id = cell.get("id")
            self.current_cell_index = cell_index
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)

    return CellIdNotebookClient


def execute_notebook(path: str | os.PathLike[str], *, output: str | os.PathLike[str] | None = None,
                     timeout: int = 900, kernel_name: str | None = None,
                     env: dict[str, str] | None = None) -> NotebookRun:
    """Run every cell of ``path`` in a fresh kernel whose working directory is the notebook's.

    Cells marked to raise (``raises-exception`` tag or ``# NBVAL_RAISES_EXCEPTION``) may raise;
    any other error stops the run and is reported in ``NotebookRun.error``; a cell past
    ``timeout`` seconds or a kernel that dies stops it too (``NotebookRun.stopped``). The
    executed notebook is written to ``output`` when given. ``env`` adds variables to the
    kernel's environment (``MLSEC_FAIL_ON`` makes every check strict) without touching this
    process's. Every report the notebook's checks deliver is collected (``reports``).

    Raises
    ------
    MLSecInputError
        The notebook cannot be read (``core.notebook_io``), its kernel is not installed, or the
        kernel does not start.
    """
    import tempfile

    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    source = Path(path)
    data = read_notebook_file(source)
    try:  # nbformat joins the split source lines nbclient expects as strings
        notebook = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise MLSecInputError(f"{source} is not a readable notebook: {_one_line(exc)}") from None
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        # outputs and counts saved with the file are not this run's: a cell the run never
        # reaches must show none (nbclient only clears the cells it executes)
        cell["outputs"], cell["execution_count"] = [], None
        if "NBVAL_RAISES_EXCEPTION" in cell.get("source", ""):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    client_class = _cell_client_class()
    options: dict[str, Any] = {"timeout": timeout,
                               "resources": {"metadata": {"path": str(source.parent.resolve())}}}
    if kernel_name:
        options["kernel_name"] = kernel_name
    client = client_class(notebook, **options)
    error = stopped = None
    with tempfile.TemporaryDirectory(prefix="mlsec-execute-") as scratch:
        reports_file = Path(scratch) / "reports.jsonl"
        # JupyterLab tells the kernel which notebook it runs (JPY_SESSION_NAME); do the same, so
        # the lineage log is this notebook's own file rather than the shared default of headless
        # runs; the magic appends every report it delivers to REPORTS_ENV's file
        kernel_env = {**os.environ, **(env or {}), "JPY_SESSION_NAME": str(source.resolve()),
                      REPORTS_ENV: str(reports_file)}
        try:
            client.execute(env=kernel_env)
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        except CellTimeoutError:
            stopped = STOPPED_TIMEOUT.format(timeout=timeout, **_where(notebook, client))
        except DeadKernelError:
            stopped = STOPPED_DEAD.format(**_where(notebook, client))
        except NoSuchKernel as exc:
            name = exc.args[0] if exc.args else kernel_name
            raise MLSecInputError(NO_KERNEL.format(
                name=name, given="--kernel" if kernel_name else "the notebook's kernelspec")
            ) from None
        except RuntimeError as exc:  # jupyter_client: the kernel died or never answered
            if client.current_cell_index is None:
                raise MLSecInputError(KERNEL_FAILED.format(reason=_one_line(exc))) from None
            stopped = STOPPED_DEAD.format(**_where(notebook, client))
        reports = read_reports(reports_file)
    stopped_in = client.current_cell_index if stopped else None
    cells = [_cell_output(index, cell, stopped_in) for index, cell
             in enumerate(notebook.cells) if cell.get("cell_type") == "code"]
    output_path = Path(output) if output else None
    if output_path is not None:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output_path)
    return NotebookRun(source, output_path, cells, error, stopped, reports)


def _head(cell: Any) -> str:
    return next((line for line in cell.get("source", "").splitlines() if line.strip()), "")[:80]


def _where(notebook: Any, client: Any) -> dict[str, Any]:
    """The cell a run stopped in (the one the client was running)."""
    index = client.current_cell_index
    if index is None:
        return {"cell": "?", "head": "before the first cell"}
    return {"cell": index, "head": _head(notebook.cells[index])}


def _cell_output(index: int, cell: Any, stopped_in: int | None) -> CellOutput:
    """One code cell's texts and error; the cell a run stopped in did not run to its end
    (its error is the interrupt that stopped it, not a failure of the cell)."""
    tags = cell.get("metadata", {}).get("tags", [])
    out = CellOutput(index=index, source_head=_head(cell),
                     expected_error="raises-exception" in tags or index == stopped_in,
                     ran=index == stopped_in or cell.get("execution_count") is not None
                     or not cell.get("source", "").strip())
    previous_stream = None
    for item in cell.get("outputs", []):
        if item.get("output_type") == "error":
            out.error = f"{item.get('ename')}: {item.get('evalue')}"
            previous_stream = None
            continue
        text = _output_text(item)
        stream = item.get("name") if item.get("output_type") == "stream" else None
        if text and stream is not None and stream == previous_stream and out.texts:
            out.texts[-1] += text  # one print may arrive as several stream messages
        elif text:
            out.texts.append(text)
        previous_stream = stream
    return out


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
