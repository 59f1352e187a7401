"""Fixtures of the lineage tests: a real in-process IPython shell and a recorder on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mlsecops_jupyter.lineage import LineageRecorder


@pytest.fixture(scope="session")
def shell():
    """IPython's own test shell (one per process, as IPython allows).

    ``start_ipython`` returns ``None`` when another test module started the shell first.
    """
    from IPython.testing.globalipapp import get_ipython, start_ipython

    return start_ipython() or get_ipython()


@pytest.fixture
def recorder(shell, tmp_path: Path) -> Iterator[LineageRecorder]:
    """A recorder attached to the shell, writing to a fresh file; detached afterwards."""
    lineage = LineageRecorder(path_resolver=lambda: tmp_path / "nb.lineage.jsonl")
    lineage.attach(shell)
    try:
        yield lineage
    finally:
        lineage.detach(shell)

