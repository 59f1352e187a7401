"""The stored held-out leakage corpora score what benchmarks/README.md says they score.

Guards refactors of the code-level detector (issue 19 splits ``code_flow.py``): any change in a
corpus's strict or loose counts fails here with the corpus named, and the table below is updated
only together with benchmarks/README.md when the detector really changed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

# corpus: (strict TP, FP, FN), (loose TP, FP, FN), as `leakage_code_accuracy.py --set all` prints
EXPECTED = {
    "a": ((43, 2, 2), (43, 2, 2)),
    "b": ((42, 1, 1), (42, 1, 1)),
    "c": ((35, 1, 1), (35, 1, 1)),
    "d": ((29, 3, 3), (32, 0, 0)),
    "e": ((48, 0, 0), (48, 0, 0)),
    "f": ((46, 0, 1), (46, 0, 1)),
    "g": ((41, 2, 0), (41, 2, 0)),
    "h": ((41, 0, 3), (41, 0, 3)),
    "i": ((46, 0, 0), (46, 0, 0)),
    "j": ((42, 0, 1), (42, 0, 1)),
    "k": ((40, 0, 4), (40, 0, 4)),
    "l": ((40, 1, 2), (40, 1, 2)),
    "m": ((42, 0, 1), (42, 0, 1)),
    "n": ((40, 1, 3), (40, 1, 3)),
    "o": ((20, 1, 0), (20, 1, 0)),
}


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "leakage_code_accuracy", BENCHMARKS / "leakage_code_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus", sorted(EXPECTED))
def test_the_stored_corpus_scores_as_recorded(corpus: str) -> None:
    summary = _scorer().evaluate(BENCHMARKS / "corpora" / "leakage-code" / corpus, repeats=1)
    counts = tuple(
        tuple(summary[level]["overall"][key] for key in ("tp", "fp", "fn"))
        for level in ("strict", "loose"))
    assert counts == EXPECTED[corpus], summary["errors"]


def test_each_corpus_is_stored_as_notebooks_with_one_labels_file() -> None:
    import json

    for corpus in EXPECTED:
        folder = BENCHMARKS / "corpora" / "leakage-code" / corpus
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        listed = {entry["notebook"] for entry in labels["notebooks"]}
        assert listed == {path.name for path in folder.glob("*.ipynb")}, corpus
        assert (folder / "README.md").is_file()
