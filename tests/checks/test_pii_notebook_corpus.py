"""Realistic executed notebooks (tests/corpus/notebooks, labels.json) scanned with ``mlsec
notebook``: their real secrets and personal data are reported, nothing else, and in particular
nothing from the outputs of the product's own ``%mlsec`` cells.

The notebooks were executed for real, once, with the extension loaded
(``tests/corpus/notebooks/build_executed.py``); this test only reads the stored files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mlsecops_jupyter.checks.pii.nb_redact import found_values
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "notebooks"
LABELS: dict[str, list[list[Any]]] = json.loads((CORPUS / "labels.json").read_text())["labels"]


def _ours(book: Any) -> set[int]:
    """Cells whose outputs the product wrote: every ``%mlsec`` cell."""
    return {i for i, cell in enumerate(book.cells) if "%mlsec" in cell.source}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_executed_notebook_reports_its_real_findings_and_nothing_of_ours(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / name
    book = nbformat.read(str(path), as_version=4)
    ours = _ours(book)
    # it was executed for real, with the extension, every check's output saved
    assert "%load_ext mlsecops_jupyter" in book.cells[1].source
    for kind in ("pii", "leakage", "bias", "explain", "scan", "notebook"):
        cell = next(c for c in book.cells if f"%mlsec {kind}" in c.source)
        assert cell.execution_count and cell.outputs, (name, kind)
    assert not [c for i, c in enumerate(book.cells) if i in ours
                and any(o.output_type == "error" for o in c.outputs)]
    expected = {(rule, cell, where) for rule, cell, where in LABELS[name]}
    code = main(["notebook", str(path), "--format", "json", "--fail-on", "critical"])
    report = json.loads(capsys.readouterr().out)
    got = {(f["rule"], f["location"]["cell"], f["location"].get("output", "source"))
           for f in report["findings"]}
    assert got == expected
    assert not [f for f in report["findings"] if f["location"]["cell"] in ours
                and "output" in f["location"]]
    secrets = [f for f in report["findings"] if f["rule"].startswith("SECRET-")]
    assert code == (1 if any(f["severity"] == "critical" for f in secrets) else 0)
    # the report names no value it found, only masked forms
    values = found_values(json.loads(path.read_text()), Settings())
    printed = json.dumps(report)
    assert bool(values) == bool(expected) and not [v for v in values if v in printed]
