"""The house stays in order (issue 19): the product is the largest thing in the repository, no
module outgrows what a reader can hold in mind, benchmarks are one script per capability on one
runner, and corpora are stored as data with one labels file.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlsecops_jupyter"
BENCHMARKS = ROOT / "benchmarks"
MAX_MODULE_LINES = 1200

# shared by the scripts, not scripts themselves
HELPERS = {"runners.py", "inputs.py"}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_package_module_passes_1200_lines() -> None:
    sizes = {str(p.relative_to(ROOT)): _lines(p) for p in PACKAGE.rglob("*.py")}
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"split these along the stages they already have: {too_long}"


def test_benchmark_python_stays_under_a_third_of_the_package() -> None:
    package = sum(_lines(p) for p in PACKAGE.rglob("*.py"))
    benchmarks = sum(_lines(p) for p in BENCHMARKS.rglob("*.py")
                     if "data" not in p.relative_to(BENCHMARKS).parts)
    assert benchmarks * 3 < package, (benchmarks, package)


def _calls_run_parts(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", "") == "run_parts"
               for node in ast.walk(tree))


@pytest.mark.parametrize("script", sorted(
    p.name for p in BENCHMARKS.glob("*.py") if p.name not in HELPERS))
def test_each_benchmark_script_runs_its_parts_on_the_shared_runner(script: str) -> None:
    assert _calls_run_parts(BENCHMARKS / script), (
        f"{script}: a capability's benchmark is one script whose parts run through "
        "runners.run_parts (--part NAME, --quick)")


def test_the_benchmark_readme_names_only_scripts_and_parts_that_exist() -> None:
    text = (BENCHMARKS / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"benchmarks/([\w/]+\.py)", text))
    missing = sorted(name for name in named if not (BENCHMARKS / name).is_file())
    assert not missing, missing
    table = text.split("## Which script prints each figure", 1)[1].split("\n#", 1)[0]
    rows = [line.split("|")[2:4] for line in table.splitlines() if line.startswith("| ")]
    for script_cell, part_cell in rows[1:]:  # past the header
        script = re.fullmatch(r" `(\w+\.py)` ", script_cell)
        if script is None:
            continue  # a figure no script prints, said so in the row
        source = (BENCHMARKS / script.group(1)).read_text(encoding="utf-8")
        part = re.match(r" `([\w-]+)`", part_cell)
        assert part is None or f'"{part.group(1)}"' in source, (script.group(1), part_cell)


LABELLED = ROOT / "tests" / "corpus" / "labelled-notebooks"


def test_the_labelled_notebooks_are_stored_as_notebooks_with_one_labels_file() -> None:
    document = json.loads((LABELLED / "labels.json").read_text(encoding="utf-8"))
    listed = {entry["file"] for entry in document["notebooks"]} | {document["static"]["file"]}
    stored = {str(p.relative_to(LABELLED)) for p in LABELLED.rglob("*.ipynb")}
    assert listed == stored
    for entry in document["notebooks"]:
        notebook = nbformat.read(str(LABELLED / entry["file"]), as_version=4)
        nbformat.validate(notebook)
        for cell, output, line, rule in entry["labels"]:
            where = notebook.cells[cell]
            text = where.source if output is None else json.dumps(where.outputs[output])
            assert rule.startswith(("SECRET-", "PII-")), (entry["file"], rule)
            assert line >= 1 and text, (entry["file"], cell, output, line)
