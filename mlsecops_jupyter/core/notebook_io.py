"""The one reader of ``.ipynb`` files: bounded in size and nesting, one-line errors.

A notebook is JSON written by someone else, so it is hostile input like any other: a file of a
few kilobytes can nest arrays a hundred thousand levels deep, which makes ``json.loads`` (and
every recursive walk after it: ``json.dumps``, copies, validators) raise ``RecursionError``
from deep inside, and a sparse file can claim gigabytes. Every front end and check that reads a
notebook (``mlsec notebook``/``leakage``/``redact``/``execute``, their magics, the notebook
finder of ``%mlsec notebook``) goes through ``read_notebook_file``, ``parse_notebook_text`` or
``check_notebook_data`` here, so each gets the same limits and the same ``MLSecInputError``.

Limits: ``MAX_NOTEBOOK_BYTES`` of file (checked with ``stat`` before anything is read) and
``MAX_DEPTH`` levels of nesting (a real notebook needs about ten; the rest is for JSON outputs
and widget state). Nesting is measured on the parsed data without recursion, so the check
itself cannot overflow the stack; a document too deep for the JSON decoder is refused as such.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import MLSecInputError

MAX_NOTEBOOK_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 100

NO_SUCH_NOTEBOOK = "no such notebook: {path}"
NOT_A_NOTEBOOK = "{name} is not a Jupyter notebook: {reason}"
TOO_LARGE = "larger than the {limit} MB a notebook may have ({size} MB)"
TOO_DEEP = "JSON nested deeper than {limit} levels"

__all__ = [
    "MAX_DEPTH",
    "MAX_NOTEBOOK_BYTES",
    "NOT_A_NOTEBOOK",
    "NO_SUCH_NOTEBOOK",
    "check_notebook_data",
    "json_depth_exceeds",
    "parse_notebook_text",
    "read_notebook_file",
]


def _refuse(name: str, reason: str) -> MLSecInputError:
    return MLSecInputError(NOT_A_NOTEBOOK.format(name=name, reason=reason))


def read_notebook_file(path: str | os.PathLike[str], *, name: str | None = None,
                       max_bytes: int = MAX_NOTEBOOK_BYTES,
                       max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """The notebook at ``path`` as nbformat-4 JSON (a v3 file is converted), checked.

    Parameters
    ----------
    path
        The ``.ipynb`` file. Only regular files are opened (a FIFO or device would block).
    name
        How messages name the file (default: ``path`` as given).
    max_bytes, max_depth
        The size and nesting limits; a file past either is refused before it is parsed or
        walked any further.

    Raises
    ------
    MLSecInputError
        Missing, not a regular file, too large, not UTF-8 JSON, nested too deeply, or JSON
        that is not a notebook (no list of cells); always one line.
    """
    label = name if name is not None else os.fspath(path)
    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
    except OSError:
        raise MLSecInputError(NO_SUCH_NOTEBOOK.format(path=label)) from None
    if not file.is_file():
        raise _refuse(label, "not a regular file")
    if size > max_bytes:
        raise _refuse(label, TOO_LARGE.format(limit=_mb(max_bytes), size=_mb(size)))
    try:
        with file.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _refuse(label, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:  # grew since the stat
        raise _refuse(label, TOO_LARGE.format(limit=_mb(max_bytes), size=f"> {_mb(max_bytes)}"))
    return parse_notebook_text(raw, label, max_depth=max_depth)


def parse_notebook_text(text: str | bytes, name: str = "the notebook JSON", *,
                        max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Notebook JSON text (or UTF-8 bytes) as nbformat-4 data, checked like a file."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse(name, f"not JSON (UnicodeDecodeError: {exc})") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise _refuse(name, TOO_DEEP.format(limit=max_depth)) from None
    except ValueError as exc:
        raise _refuse(name, f"not JSON ({type(exc).__name__}: {exc})") from None
    return check_notebook_data(data, name, max_depth=max_depth)


def check_notebook_data(data: Any, name: str = "the notebook JSON", *,
                        max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """``data`` (parsed JSON, a dict or ``NotebookNode``) as a checked nbformat-4 dict.

    A mapping built in memory is held to the same nesting limit as a file, which also stops
    a mapping that contains itself.
    """
    if not isinstance(data, Mapping):
        raise _refuse(name, "not a JSON object")
    if json_depth_exceeds(data, max_depth):
        raise _refuse(name, TOO_DEEP.format(limit=max_depth))
    notebook = dict(data)
    if "worksheets" in notebook and not isinstance(notebook.get("cells"), list):
        notebook = _upgrade_v3(notebook, name)
    if not isinstance(notebook.get("cells"), list):
        raise _refuse(name, "no list of cells")
    return notebook


def json_depth_exceeds(value: Any, max_depth: int) -> bool:
    """True when lists and mappings inside ``value`` nest deeper than ``max_depth``.

    Iterative (an explicit stack), so it is safe on any input, and it stops at the first
    container past the limit.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (Mapping, list)))
    return False


def _upgrade_v3(notebook: dict[str, Any], name: str) -> dict[str, Any]:
    """An nbformat-3 notebook (``worksheets``) in the v4 layout every reader expects."""
    import nbformat

    try:
        upgraded = nbformat.reads(json.dumps(notebook), as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise _refuse(name, f"an nbformat 3 file that cannot be converted ({exc})") from None
    return json.loads(nbformat.writes(upgraded))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g}" if size % (1024 * 1024) == 0 else \
        f"{size / (1024 * 1024):.1f}"
