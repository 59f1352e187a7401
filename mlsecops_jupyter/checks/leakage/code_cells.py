"""Notebook cells as one program: read them, order them as they ran, make them parse.

The code-level leakage analysis reads a notebook the way the kernel ran it: code cells sorted by
execution count (``In[]`` order), cells never executed after them in page order. A scaler cell
run before the split cell further up is a leak even when the page reads fine, so page order
alone is not enough. IPython syntax (``%magic``, ``!shell``, ``%%cell magic``, ``obj?``) is
blanked out line by line so line numbers stay those of the cell.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.errors import MLSecInputError
from ...core.notebook_io import read_notebook_file

NOT_A_NOTEBOOK = "{what} is not a notebook: {reason}"
MAX_AST_DEPTH = 200
TOO_DEEP = f"code nested deeper than {MAX_AST_DEPTH} levels"
BAD_CELL = ("cell list entries must be (cell index, source, execution count) tuples, "
            "got {got!r}")
BAD_SOURCE = ("code source must be an .ipynb path, notebook JSON (dict / NotebookNode) or a "
              "list of (cell index, source, execution count), got {type}")

# a line that is IPython syntax rather than Python: magics, shell escapes, help requests,
# and assignments of a line magic or shell escape (``files = !ls``)
_IPYTHON_LINE = re.compile(r"^\s*(%|!|\?)|^\s*[\w.,\s]+=\s*(%|!)|\?\s*$")


@dataclass(frozen=True)
class CodeCell:
    """One code cell: its 0-based index among all cells, its source, its execution count."""

    index: int
    source: str
    execution_count: int | None
    cell_id: str | None = None  # the notebook cell's id: maps session cells to the file


@dataclass(frozen=True)
class ParsedCell:
    """A cell ready for analysis: its module AST, or why it could not be parsed."""

    cell: CodeCell
    tree: ast.Module | None
    error: str | None = None


def cells_from_source(source: Any) -> tuple[list[CodeCell], str]:
    """Code cells of ``source`` and a subject for the report.

    ``source`` is a path to an ``.ipynb`` file, notebook JSON (a dict or ``NotebookNode``), or
    a list of ``(cell index, source, execution count)`` tuples (the live session's history).
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return cells_from_notebook(read_notebook(path)), str(source)
    if isinstance(source, Mapping):
        return cells_from_notebook(source), "notebook"
    if isinstance(source, (list, tuple)):
        return cells_from_list(source), "session"
    raise MLSecInputError(BAD_SOURCE.format(type=type(source).__name__))


def read_notebook(path: Path) -> Mapping[str, Any]:
    """The JSON of an ``.ipynb`` file (``core.notebook_io``), or a one-line
    ``MLSecInputError``."""
    return read_notebook_file(path)


def cells_from_notebook(notebook: Mapping[str, Any]) -> list[CodeCell]:
    """Code cells of notebook JSON (nbformat 4), indexed among all cells (markdown included)."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise MLSecInputError(NOT_A_NOTEBOOK.format(what="the input", reason="no 'cells' list"))
    result = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, Mapping) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        count = cell.get("execution_count")
        result.append(CodeCell(index, str(source), count if isinstance(count, int) else None,
                               cell.get("id") if isinstance(cell.get("id"), str) else None))
    return result


def cells_from_list(items: Iterable[Any]) -> list[CodeCell]:
    """``[(cell index, source, execution count), ...]`` (a ``CodeCell`` is accepted too)."""
    result = []
    for item in items:
        if isinstance(item, CodeCell):
            result.append(item)
            continue
        if (not isinstance(item, (tuple, list)) or len(item) != 3
                or not isinstance(item[1], str)
                or not (item[0] is None or isinstance(item[0], int))
                or not (item[2] is None or isinstance(item[2], int))):
            raise MLSecInputError(BAD_CELL.format(got=item))
        result.append(CodeCell(item[0] if item[0] is not None else -1, item[1], item[2]))
    return result


def execution_order(cells: Iterable[CodeCell]) -> list[CodeCell]:
    """Executed cells by execution count, then never-executed cells in page order."""
    cells = list(cells)
    ran = sorted((c for c in cells if c.execution_count is not None),
                 key=lambda c: (c.execution_count, c.index))
    not_ran = [c for c in cells if c.execution_count is None]
    return ran + not_ran


def python_source(source: str) -> str:
    """``source`` with IPython-only lines replaced by ``pass`` at the same indentation.

    A ``%%`` cell magic makes the whole cell non-Python (``%%bash``, ``%%sql``), except
    ``%%time``/``%%timeit``/``%%capture`` whose body is Python. Line continuations of a
    blanked line are blanked too, so the cell keeps its line numbers.
    """
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        keep_body = magic in ("time", "timeit", "capture", "prun", "debug")
        body = python_source("\n".join(lines[1:])).split("\n") if keep_body else [
            "" for _ in lines[1:]]
        return "\n".join(["pass", *body]) if len(lines) > 1 else "pass"
    out: list[str] = []
    continuing = False
    for line in lines:
        if continuing or _IPYTHON_LINE.search(line) and not _is_python(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append("" if continuing else f"{indent}pass")
            continuing = line.rstrip().endswith("\\")
        else:
            out.append(line)
    return "\n".join(out)


def _is_python(line: str) -> bool:
    """A line that only looks like IPython syntax (``a = b % c``, ``x != y``) is kept."""
    stripped = line.strip()
    if stripped.startswith(("%", "!", "?")) or stripped.endswith("?"):
        return False
    try:
        ast.parse(stripped)
    except SyntaxError:
        return False
    return True


def parse_cells(cells: Iterable[CodeCell]) -> list[ParsedCell]:
    """Parse every cell; a cell that is not Python even after blanking is kept with its error.

    So is a cell nested deeper than ``MAX_AST_DEPTH`` (``a + a + ... + a`` ten thousand times):
    the analysis walks trees recursively, and such a cell must cost one skipped entry, not a
    ``RecursionError``.
    """
    parsed = []
    for cell in cells:
        try:
            tree = ast.parse(python_source(cell.source))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            reason = TOO_DEEP if isinstance(exc, (RecursionError, MemoryError)) else \
                f"{type(exc).__name__}: {exc}"
            parsed.append(ParsedCell(cell, None, reason))
            continue
        if _deeper_than(tree, MAX_AST_DEPTH):
            parsed.append(ParsedCell(cell, None, TOO_DEEP))
            continue
        parsed.append(ParsedCell(cell, tree))
    return parsed


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    """True when the syntax tree nests deeper than ``limit`` nodes (iterative walk)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False
