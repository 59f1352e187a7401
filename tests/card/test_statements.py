"""Card statements live in the lineage log and read the same in every export.

The magic runs in IPython's in-process shell with the extension loaded; ``mlsec card`` runs as a
real subprocess on the same log; the sidebar's export is the server's own card function on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ipshell import loaded_shell
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.card import build_card
from mlsecops_jupyter.core import MLSecInputError
from mlsecops_jupyter.lineage import load_schema, read_records, verify
from mlsecops_jupyter.lineage.statements import (
    MAX_STATEMENT_CHARS,
    STATEMENTS_CHECK,
    card_models,
    card_statements,
    default_model,
    statements_report,
)

CELLS = (
    "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
    "from sklearn.tree import DecisionTreeClassifier\n"
    "features = np.arange(40, dtype=float).reshape(20, 2)\nlabels = np.arange(20) % 2",
    "clf = LogisticRegression(C=0.5).fit(features, labels)",
    "tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(features, labels)",
)
STATED = {
    "intended_use": "Triage of loan applications by a human reviewer",
    "out_of_scope": "Automated final decisions",
    "limitations": "Trained on 20 synthetic rows",
    "ethical_considerations": "Income is a proxy for protected groups",
    "model_version": "1.2.0",
}
STATEMENT_SECTIONS = ("intended_use", "out_of_scope", "limitations", "ethics")


def _check(check: str, subject: str, metrics: dict[str, Any], seq: int) -> dict[str, Any]:
    return {"kind": "check", "seq": seq, "session": "s",
            "report": {"check": check, "subject": subject, "metrics": metrics, "findings": []}}


def test_statements_accumulate_per_model_and_the_newest_wins() -> None:
    first = statements_report("clf", {"intended_use": " Triage ", "limitations": "Few rows"})
    assert first is not None and first.check == STATEMENTS_CHECK
    assert first.metrics == {"statements": {"intended_use": "Triage",
                                            "limitations": "Few rows"}}
    later = statements_report("clf", {"limitations": "Synthetic rows", "intended_use": "  "})
    other = statements_report("tree", {"intended_use": "Teaching"})
    assert statements_report("clf", {"limitations": None, "intended_use": ""}) is None
    legacy = _check("card", "clf", {"out_of_scope": "Final decisions"}, 0)
    records = [legacy] + [_check(r.check, r.subject, r.metrics, i + 1)
                          for i, r in enumerate((first, later, other)) if r is not None]
    assert card_statements(records, "clf") == {
        "intended_use": "Triage", "out_of_scope": "Final decisions",
        "limitations": "Synthetic rows"}
    assert card_statements(records, "tree") == {"intended_use": "Teaching"}
    assert card_statements(records, None) == {}


def test_an_overlong_statement_is_refused_with_its_option() -> None:
    with pytest.raises(MLSecInputError, match=r"^--limitations is 20001 characters long"):
        statements_report("clf", {"limitations": "x" * (MAX_STATEMENT_CHARS + 1)})
    with pytest.raises(ValueError, match="not card statements"):
        statements_report("clf", {"purpose": "x"})


def test_default_model_prefers_the_last_carded_then_the_last_bound() -> None:
    cell = {"kind": "cell", "seq": 1, "models": [{"name": "tree", "class": "T"}]}
    card = _check("card", "clf", {"estimator": {"class": "L"}}, 2)
    later_cell = {"kind": "cell", "seq": 3, "models": [{"name": "forest", "class": "F"}]}
    assert default_model([cell]) == ("tree", "the last estimator the lineage log saw a cell "
                                              "bind")
    assert default_model([cell, card, later_cell]) == ("clf", "the model the last %mlsec card "
                                                              "named")
    assert [(m["name"], m["class"], m["carded"]) for m in card_models(
        [cell, card, later_cell])] == [("clf", "L", True), ("forest", "F", False),
                                       ("tree", "T", False)]
    with pytest.raises(MLSecInputError, match="no model named and none known"):
        default_model([])


# -- the magic, the CLI and the sidebar on one log ------------------------------------------------
@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    workdir = tmp_path_factory.mktemp("statements-cwd")
    with loaded_shell(workdir) as shell:
        for code in CELLS:
            with capture_output():
                assert shell.run_cell(code, store_history=True).success, code
        yield shell, workdir


def _log(shell: Any) -> Path:
    return Path(shell.magics_manager.registry["MLSecMagics"].recorder.path)


def _magic(shell: Any, line: str) -> Any:
    with capture_output() as captured:
        result = shell.run_cell(line, store_history=True)
    assert result.success, result.error_in_exec or result.error_before_exec
    return result.result, captured.outputs


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    return subprocess.run([sys.executable, "-m", "mlsecops_jupyter", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _statement_sections(card: dict[str, Any]) -> list[Any]:
    return [s for s in card["sections"] if s["key"] in STATEMENT_SECTIONS] + [
        card["version"]]


def _sidebar_card(log: Path, model: str | None) -> dict[str, Any]:
    """What the sidebar's "Export card" downloads, from the server's own card function."""
    from mlsecops_jupyter.server.handlers import _card

    notebook = log.parent.parent / "nb.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    (log.parent / "nb.ipynb.lineage.jsonl").write_bytes(log.read_bytes())
    root = log.parent.parent
    text: str = _card(root, notebook, "nb.ipynb", "json", model, limit_mb=64)
    data: dict[str, Any] = json.loads(text)
    return data


def test_statements_read_the_same_in_every_export(session: tuple[Any, Path]) -> None:
    shell, workdir = session
    options = " ".join(f'--{key.replace("_", "-")} "{value}"' for key, value in STATED.items())
    files, _ = _magic(shell, f"%mlsec card clf --out magic-card {options}")
    log = _log(shell)
    records = read_records(log)
    stated = [r for r in records if r["kind"] == "check"
              and r["report"]["check"] == STATEMENTS_CHECK]
    assert stated[-1]["report"]["metrics"]["statements"] == STATED
    assert stated[-1]["report"]["subject"] == "clf"
    assert verify(log).ok
    validator = jsonschema.Draft202012Validator(load_schema())
    validator.validate(stated[-1])

    magic = json.loads((workdir / "magic-card" / "model_card.json").read_text("utf-8"))
    run = _cli("card", str(log), "--out", "cli-card", cwd=workdir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == ("no --model given: using clf, the model the last "
                                          "%mlsec card named")
    cli = json.loads((workdir / "cli-card" / "model_card.json").read_text("utf-8"))
    sidebar = _sidebar_card(log, "clf")
    assert _statement_sections(magic) == _statement_sections(cli) == _statement_sections(
        sidebar)
    sections = {s["key"]: s for s in magic["sections"]}
    assert sections["intended_use"]["text"] == STATED["intended_use"]
    assert sections["out_of_scope"]["text"] == STATED["out_of_scope"]
    assert sections["limitations"]["facts"]["1"] == STATED["limitations"]
    assert sections["ethics"]["facts"]["1"] == STATED["ethical_considerations"]
    assert magic["version"] == "1.2.0" and files.card.version == "1.2.0"
    markdown = (workdir / "cli-card" / "model_card.md").read_text("utf-8")
    assert 'model_version: "1.2.0"' in markdown and STATED["out_of_scope"] in markdown


def test_a_later_card_keeps_earlier_statements_and_replaces_one(
        session: tuple[Any, Path]) -> None:
    shell, workdir = session
    _magic(shell, f'%mlsec card clf --out first --intended-use "{STATED["intended_use"]}"')
    files, _ = _magic(shell, '%mlsec card clf --out again --limitations "Only 20 rows"')
    card = files.card
    assert card.section("intended_use").text == STATED["intended_use"]
    assert dict(card.section("limitations").facts)["1"] == "Only 20 rows"
    rebuilt = build_card(read_records(_log(shell)), "clf")
    assert rebuilt.section("intended_use") == card.section("intended_use")
    assert rebuilt.section("limitations").facts[0] == ("1", "Only 20 rows")


def test_statements_of_one_model_stay_with_it(session: tuple[Any, Path]) -> None:
    shell, _ = session
    files, _ = _magic(shell, '%mlsec card tree --out tree-card --intended-use "Teaching"')
    assert files.card.section("intended_use").text == "Teaching"
    assert files.card.version == "not stated"
    assert build_card(read_records(_log(shell)), "clf").section(
        "intended_use").text == STATED["intended_use"]


def test_the_magic_without_a_model_names_the_one_it_used(session: tuple[Any, Path]) -> None:
    shell, _ = session
    _magic(shell, "%mlsec card clf --out pick")
    files, outputs = _magic(shell, "%mlsec card --out picked")
    assert files.card.model_name == "clf"
    text = outputs[0].data["text/plain"]
    assert text.splitlines()[0] == ("no MODEL_VAR given: using clf, the model the last "
                                    "%mlsec card named")
    assert files.card.section("intended_use").text == STATED["intended_use"]


def test_the_magic_refuses_an_overlong_statement_and_logs_nothing(
        session: tuple[Any, Path]) -> None:
    shell, _ = session
    before = len(read_records(_log(shell)))
    with pytest.raises(UsageError, match="--intended-use is 20001 characters long"):
        shell.run_line_magic("mlsec", f"card clf --intended-use {'x' * 20001}")
    assert len(read_records(_log(shell))) == before


def test_cli_without_any_model_in_the_log_is_a_usage_error(tmp_path: Path) -> None:
    from mlsecops_jupyter.lineage import LineageStore

    log = tmp_path / "empty.lineage.jsonl"
    LineageStore(log).append({"kind": "session", "session": "s", "env": {
        "python": "3", "platform": "p", "tool_version": "0", "packages": {}}})
    run = _cli("card", str(log), "--out", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert "no model named and none known" in run.stderr
    assert not (tmp_path / "out").exists()
