"""Execute a notebook with nbclient and collect its outputs as plain text.

Why not ``jupyter nbconvert --execute``: it prints nothing of what the notebook found, and
nbclient sends no cell ids to the kernel. Here each ``execute_request`` carries
``metadata.cellId`` exactly as JupyterLab sends it, so lineage records name the real cells, and the
text of every output is returned (and printed by ``mlsec execute``) so a terminal user sees the
findings without opening the notebook.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError


@dataclass
class CellOutput:
    """The plain-text view of one executed cell's outputs."""

    index: int
    source_head: str
    texts: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class NotebookRun:
    """Result of executing a notebook headless."""

    path: Path
    output_path: Path | None
    cells: list[CellOutput]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

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
        if self.error:
            lines.append(f"notebook failed: {self.error}")
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
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)

    return CellIdNotebookClient


def execute_notebook(path: str | os.PathLike[str], *, output: str | os.PathLike[str] | None = None,
                     timeout: int = 900, kernel_name: str | None = None,
                     env: dict[str, str] | None = None) -> NotebookRun:
    """Run every cell of ``path`` in a fresh kernel whose working directory is the notebook's.

    Cells marked to raise (``raises-exception`` tag or ``# NBVAL_RAISES_EXCEPTION``) may raise;
    any other error stops the run and is reported in ``NotebookRun.error``. The executed notebook
    is written to ``output`` when given. ``env`` adds variables to the kernel's environment
    (``MLSEC_FAIL_ON`` makes every check strict) without touching this process's.
    """
    import nbformat
    from nbclient.exceptions import CellExecutionError

    source = Path(path)
    if not source.is_file():
        raise MLSecInputError(f"no such notebook: {source}")
    try:
        notebook = nbformat.read(source, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise MLSecInputError(f"{source} is not a readable notebook: {exc}") from None
    for cell in notebook.cells:
        if cell.cell_type == "code" and "NBVAL_RAISES_EXCEPTION" in cell.source:
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    client_class = _cell_client_class()
    options: dict[str, Any] = {"timeout": timeout,
                               "resources": {"metadata": {"path": str(source.parent.resolve())}}}
    if kernel_name:
        options["kernel_name"] = kernel_name
    client = client_class(notebook, **options)
    error = None
    # JupyterLab tells the kernel which notebook it runs (JPY_SESSION_NAME); do the same, so the
    # lineage log is this notebook's own file rather than the shared default of headless runs
    kernel_env = {**os.environ, **(env or {}), "JPY_SESSION_NAME": str(source.resolve())}
    try:
        client.execute(env=kernel_env)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        head = next((line for line in cell.source.splitlines() if line.strip()), "")[:80]
        out = CellOutput(index=index, source_head=head)
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
        cells.append(out)
    output_path = Path(output) if output else None
    if output_path is not None:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output_path)
    return NotebookRun(source, output_path, cells, error)
