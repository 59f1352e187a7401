"""Browser tests: JupyterLab on 127.0.0.1, random token; Playwright drives Debian's chromium.

The browser is never downloaded: ``MLSEC_CHROMIUM`` (default ``/usr/bin/chromium``) must exist,
else these tests skip (``.ci/run`` installs it with apt-get). Screenshots and the downloaded card
go to ``MLSEC_ARTIFACTS`` (``.ci-artifacts/`` in CI), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from static_notebooks import EMAIL_CELL, canary_pickle_cell

CHROMIUM = os.environ.get("MLSEC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
def known_cells(marker: Path) -> tuple[tuple[str, str], ...]:
    """(id, source); index 0 is a markdown cell, so the scan cell is cell 3, the e-mail cell 4.

    The pickle's payload would only touch the session's canary marker, were it ever loaded.
    """
    return (("c-load", "%load_ext mlsecops_jupyter"),
            ("c-pickle", canary_pickle_cell(marker)),
            ("c-scan", "%mlsec scan evil.bin --format text"),
            ("c-contact", EMAIL_CELL))


def known_notebook(path: Path, marker: Path) -> None:
    notebook = new_notebook(cells=[new_markdown_cell("# A notebook with a known finding")],
                            metadata={"kernelspec": {"name": "python3",
                                                     "display_name": "Python 3",
                                                     "language": "python"}})
    for cell_id, source in known_cells(marker):
        cell = new_code_cell(source)
        cell.id = cell_id
        notebook.cells.append(cell)
    nbformat.write(notebook, path)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("MLSEC_ARTIFACTS")
    path = (Path(folder) if folder else tmp_path_factory.mktemp("ui-artifacts")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, browser: Any,
        canary_marker: Path) -> Iterator[Server]:
    """JupyterLab serving a root with ``known.ipynb``, executed headless so its log exists.

    The server extension is NOT enabled here by hand: the installed config must do it.
    """
    from mlsecops_jupyter.cli import main

    root = tmp_path_factory.mktemp("lab") / "root"
    root.mkdir()
    known_notebook(root / "known.ipynb", canary_marker)
    # not strict: the known finding must stay in the executed notebook, not stop the run
    assert main(["execute", str(root / "known.ipynb"), "--fail-on", "none", "--output",
                 str(root / "known.ipynb")]) == 0
    assert (root / ".mlsec" / "known.ipynb.lineage.jsonl").is_file()
    with running_server(root, lab=True) as server:
        yield server
