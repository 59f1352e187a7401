"""The one notebook reader: hostile nesting and size give one-line ``MLSecInputError``s.

Every front end that reads a notebook is driven with the same hostile files (a 100,000-deep
JSON array in an output, one just past the limit, Python nested ten thousand levels deep, a
sparse file claiming gigabytes, a FIFO) and must answer in one line: exit 2 on the command line,
a ``UsageError`` in the magic. None of these files runs anything, so the canary never fires.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.error import UsageError

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core.errors import MLSecInputError
from mlsecops_jupyter.core.notebook_io import (
    MAX_DEPTH,
    MAX_NOTEBOOK_BYTES,
    check_notebook_data,
    json_depth_exceeds,
    parse_notebook_text,
    read_notebook_file,
)


def _with_json_output(depth: int) -> str:
    """A notebook whose only output is ``application/json`` nested ``depth`` arrays deep
    (the notebook itself adds five levels: document, cells, cell, outputs, output, data)."""
    nested = "[" * depth + "]" * depth
    return (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
        '"id": "a", "metadata": {}, "execution_count": 1, "source": "x = 1", "outputs": [{'
        '"output_type": "display_data", "metadata": {}, "data": {"application/json": '
        f"{nested}}}}}]}}]}}"
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-notebooks")
    files = {
        "deep": _with_json_output(100_000),
        "past_limit": _with_json_output(MAX_DEPTH),
        "near_decoder_limit": _with_json_output(990),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.ipynb"
        paths[name].write_text(text)
    deep_code = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = " + " + ".join(["a"] * 10_000) + "\nX_train = x")])
    paths["deep_code"] = folder / "deep_code.ipynb"
    nbformat.write(deep_code, paths["deep_code"])
    return paths


def test_depth_within_the_limit_reads(tmp_path: Path) -> None:
    path = tmp_path / "fine.ipynb"
    path.write_text(_with_json_output(MAX_DEPTH - 6))
    notebook = read_notebook_file(path)
    assert notebook["cells"][0]["source"] == "x = 1"


@pytest.mark.parametrize("name", ["deep", "past_limit", "near_decoder_limit"])
def test_nesting_past_the_limit_is_refused_in_one_line(hostile: dict[str, Path],
                                                       name: str) -> None:
    with pytest.raises(MLSecInputError) as info:
        read_notebook_file(hostile[name], name=f"{name}.ipynb")
    assert str(info.value) == (f"{name}.ipynb is not a Jupyter notebook: JSON nested deeper "
                               f"than {MAX_DEPTH} levels")


def test_in_memory_data_is_held_to_the_same_limit() -> None:
    loop: dict[str, Any] = {"cells": []}
    loop["metadata"] = loop  # a mapping that contains itself: depth without end
    with pytest.raises(MLSecInputError, match="nested deeper than"):
        check_notebook_data(loop)
    assert json_depth_exceeds([[[]]], 2) and not json_depth_exceeds([[[]]], 3)
    with pytest.raises(MLSecInputError, match="not a JSON object"):
        parse_notebook_text("[1, 2]")


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A sparse file that claims more than the limit is refused from its size alone."""
    sparse = tmp_path / "sparse.ipynb"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)
    with pytest.raises(MLSecInputError, match=r"larger than the 256 MB a notebook may have"):
        read_notebook_file(sparse)
    small = tmp_path / "small.ipynb"
    small.write_text(_with_json_output(1))
    with pytest.raises(MLSecInputError, match="larger than"):
        read_notebook_file(small, max_bytes=100)


def test_special_files_and_bad_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(MLSecInputError, match="not a regular file"):
        read_notebook_file(fifo)  # never opened: opening a FIFO would block
    with pytest.raises(MLSecInputError, match="no such notebook"):
        read_notebook_file(tmp_path / "absent.ipynb")
    latin = tmp_path / "latin.ipynb"
    latin.write_bytes(b'{"cells": [], "x": "\xe9"}')
    with pytest.raises(MLSecInputError, match="not JSON"):
        read_notebook_file(latin)


def test_nbformat_3_is_read_as_4(tmp_path: Path) -> None:
    old = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_code_cell(input="token = 1")])])
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(old))
    notebook = read_notebook_file(path)
    assert notebook["nbformat"] == 4
    assert "".join(notebook["cells"][0]["source"]) == "token = 1"


@pytest.mark.parametrize("name", ["deep", "near_decoder_limit"])
@pytest.mark.parametrize("command", ["notebook", "leakage", "redact"])
def test_cli_answers_hostile_nesting_with_one_line_and_exit_2(
        hostile: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        command: str, name: str) -> None:
    argv = [command, str(hostile[name])]
    if command == "redact":
        argv += ["--output", str(tmp_path / "masked.ipynb")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested deeper than" in err, err
    assert "Traceback" not in err and not (tmp_path / "masked.ipynb").exists()


def test_cli_leakage_skips_deeply_nested_code(hostile: dict[str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leakage", str(hostile["deep_code"]), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == [{"what": "cell 0",
                                  "why": "code nested deeper than 200 levels"}]


@pytest.mark.parametrize("line", ["notebook {path}", "leakage --code {path}",
                                  "redact {path} --output {out}"])
def test_magics_answer_hostile_nesting_with_a_usage_error(
        ip: Any, hostile: dict[str, Path], tmp_path: Path, line: str) -> None:
    with pytest.raises(UsageError, match="nested deeper than") as info:
        ip.run_line_magic("mlsec", line.format(path=hostile["deep"],
                                               out=tmp_path / "masked.ipynb"))
    assert "\n" not in str(info.value)
