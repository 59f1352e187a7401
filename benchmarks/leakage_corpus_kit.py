"""The shared frame of the held-out leakage corpora: notebook specs in, notebooks and labels out.

A corpus module holds only its notebooks (``NOTEBOOKS = {name: [md(...), py(...), ...]}``) and
calls ``main(NOTEBOOKS, DEFAULT_OUT)``. Each leak is marked in the source by a trailing
``#@ RULE | why`` comment on the first line of the leaking statement; the marker is stripped
before the notebook is written, and its cell index (markdown included) and 1-based line become
the label. Code cells are numbered in display order unless a spec gives an explicit execution
count (``py(text, count)``, for notebooks that were run out of order); a cell without one takes
the previous code cell's count plus one. The output (``labels.json`` beside the notebooks) is the
format ``leakage_code_corpus_score.py --set X`` scores.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat

RULES = ["LEAK-PREPROCESSING", "LEAK-OVERLAP", "LEAK-MULTI-TEST", "LEAK-FIT-ON-TEST",
         "LEAK-TEMPORAL-SPLIT", "LEAK-TARGET-IN-FEATURES", "LEAK-GROUP-SPLIT"]

MARK = "#@ "

Spec = tuple[str, str, int | None]


def md(text: str) -> Spec:
    """A markdown cell."""
    return "markdown", text.strip("\n"), None


def py(text: str, count: int | None = None) -> Spec:
    """A code cell (surrounding blank lines dropped), optionally with its execution count."""
    return "code", text.strip("\n"), count


def cells_and_labels(spec: list[Spec]) -> tuple[list[Any], list[dict[str, object]]]:
    """nbformat cells with the ``#@`` markers stripped, and the labels they carried."""
    cells: list[Any] = []
    labels: list[dict[str, object]] = []
    count = 0
    for index, (kind, text, explicit) in enumerate(spec):
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(text))
            continue
        clean_lines = []
        for number, line in enumerate(text.split("\n"), start=1):
            if MARK in line:
                line, mark = line.split(MARK, 1)
                rule, why = (part.strip() for part in mark.split("|", 1))
                assert rule in RULES, rule
                labels.append({"rule": rule, "cell": index, "line": number, "why": why})
                line = line.rstrip()
            clean_lines.append(line)
        count = explicit if explicit is not None else count + 1
        cells.append(nbformat.v4.new_code_cell("\n".join(clean_lines), execution_count=count))
    counts = [cell.execution_count for cell in cells if cell.cell_type == "code"]
    assert len(counts) == len(set(counts)), f"repeated execution counts: {counts}"
    return cells, labels


def build(notebooks: dict[str, list[Spec]], out: Path) -> None:
    """Write every notebook and ``labels.json`` to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, spec in notebooks.items():
        cells, labels = cells_and_labels(spec)
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.validate(nb)
        nbformat.write(nb, out / f"{name}.ipynb")
        entries.append({"notebook": f"{name}.ipynb", "file": f"{name}.ipynb",
                        "leaky": bool(labels), "labels": labels})
    (out / "labels.json").write_text(json.dumps({"rules": RULES, "notebooks": entries},
                                                indent=1))


def main(notebooks: dict[str, list[Spec]], default_out: Path) -> None:
    """``python benchmarks/leakage_corpus_X.py [DIR]``: build the corpus into DIR."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default_out
    build(notebooks, target)
    print(f"wrote {len(notebooks)} notebooks to {target}")
