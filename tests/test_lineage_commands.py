"""``%mlsec lineage``, ``%mlsec card`` and ``mlsec lineage|card``: real shell, real files.

The magics run in IPython's in-process shell with the extension loaded from a temporary working
directory (so the lineage log lands there); the CLI runs as a real subprocess.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from ipshell import loaded_shell
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.card.export import CardFiles
from mlsecops_jupyter.display.lineage import LineageView
from mlsecops_jupyter.lineage import read_records, verify

CELLS = (
    "import joblib\nimport numpy as np\nfrom sklearn.tree import DecisionTreeClassifier\n"
    "features = np.arange(40, dtype=float).reshape(20, 2)\nlabels = np.arange(20) % 2",
    "tree = DecisionTreeClassifier(max_depth=2, random_state=0)",
    "tree.fit(features, labels)",
    "tree_path = 'tree.joblib'\njoblib.dump(tree, tree_path)",
    "%mlsec scan tree.joblib --format text",
)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """The shell with the extension loaded and the training cells run; and the workdir."""
    workdir = tmp_path_factory.mktemp("lineage-cwd")
    with loaded_shell(workdir) as shell:
        for code in CELLS:
            with capture_output():
                assert shell.run_cell(code, store_history=True).success, code
        yield shell, workdir
    formatter = shell.display_formatter.ipython_display_formatter
    assert LineageView not in formatter.type_printers and CardFiles not in (
        formatter.type_printers)


def _run(shell: Any, code: str) -> tuple[Any, list[dict[str, Any]]]:
    with capture_output() as captured:
        result = shell.run_cell(code, store_history=True)
    return result, [output.data for output in captured.outputs]


def _lineage_path(shell: Any) -> Path:
    """The session's log, with every record the background writer held written out."""
    recorder = shell.magics_manager.registry["MLSecMagics"].recorder
    assert recorder.flush(timeout=30)
    return Path(recorder.path)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    return subprocess.run([sys.executable, "-m", "mlsecops_jupyter", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


# -- %mlsec lineage ------------------------------------------------------------------------------
def test_timeline_shows_cells_checks_and_data_once(session: tuple[Any, Path]) -> None:
    shell, _ = session
    result, outputs = _run(shell, "%mlsec lineage")
    assert result.success and len(outputs) == 1
    text = outputs[0]["text/plain"]
    assert text.startswith("lineage of .mlsec/default.lineage.jsonl (this session):")
    assert "chain: intact" in text
    assert "defines tree" in text and "changes tree" in text
    # "changed" when an earlier test module left a ``features`` in the shared shell
    assert re.search(r"data features (created|changed): ndarray 20x2, sha256 [0-9a-f]{12}", text)
    assert "check   " in text and "modelscan on tree.joblib: no findings" in text
    assert "file write tree.joblib via joblib.dump" in text
    assert "<table" in outputs[0]["text/html"]
    assert isinstance(result.result, LineageView)


def test_assigned_view_is_shown_once_and_again_later(session: tuple[Any, Path]) -> None:
    shell, _ = session
    _, outputs = _run(shell, "view = %mlsec lineage --format text\nview")
    assert len(outputs) == 1
    _, outputs = _run(shell, "view")
    assert len(outputs) == 1 and outputs[0]["text/plain"].startswith("lineage of ")


def test_model_slice_lists_the_cells_that_made_it(session: tuple[Any, Path]) -> None:
    shell, _ = session
    view = shell.run_line_magic("mlsec", "lineage --model tree --format text")
    assert view.mode == "slice"
    sources = [r["code"]["source"] for r in view.records]
    assert sources == list(CELLS[:3])
    assert view.to_text().startswith("backward slice of tree in .mlsec/default.lineage.jsonl: "
                                     "3 cells produced it")


def test_unknown_model_variable_is_a_usage_error(session: tuple[Any, Path]) -> None:
    shell, _ = session
    with pytest.raises(UsageError, match="no recorded cell defined or changed 'nothing_here'"):
        shell.run_line_magic("mlsec", "lineage --model nothing_here")


def test_verify_shows_the_chain_status(session: tuple[Any, Path]) -> None:
    shell, _ = session
    view = shell.run_line_magic("mlsec", "lineage --verify --format text")
    assert view.to_text().startswith("chain of .mlsec/default.lineage.jsonl: intact, ")
    assert verify(_lineage_path(shell)).ok


# -- %mlsec card ---------------------------------------------------------------------------------
def test_card_writes_four_files_and_records_the_estimator(session: tuple[Any, Path]) -> None:
    shell, workdir = session
    result, outputs = _run(shell, '%mlsec card tree --out out/card --intended-use "A demo" '
                                  '--out-of-scope "Anything real"')
    assert result.success and len(outputs) == 1
    files = result.result
    assert isinstance(files, CardFiles)
    assert outputs[0]["text/plain"] == files.summary()
    assert "wrote 4 files to out/card:" in files.summary()
    folder = workdir / "out" / "card"
    markdown = (folder / "model_card.md").read_text(encoding="utf-8")
    assert "sklearn.tree.\\_classes.DecisionTreeClassifier" in markdown  # "_" escaped
    assert "| max_depth | 2 |" in markdown
    assert "A demo" in markdown and "Anything real" in markdown
    assert "No bias check was run in this session." in markdown
    assert "scan of tree.joblib" in markdown
    bom = (folder / "mlbom.cdx.json").read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    records = read_records(_lineage_path(shell))
    card_records = [r for r in records if r["kind"] == "check"
                    and r["report"]["check"] == "card"]
    assert card_records[-1]["report"]["metrics"]["estimator"]["params"]["max_depth"] == 2
    assert card["lineage"]["head"] == card_records[-1]["hash"]


def test_card_of_an_unknown_variable_is_a_usage_error(session: tuple[Any, Path]) -> None:
    shell, _ = session
    with pytest.raises(UsageError, match="'missing_model' is not a variable"):
        shell.run_line_magic("mlsec", "card missing_model")


# -- mlsec lineage / mlsec card (CLI) ------------------------------------------------------------
def test_cli_verify_intact_then_tampered(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    copy = tmp_path / "copy.lineage.jsonl"
    copy.write_bytes(_lineage_path(shell).read_bytes())
    ok = cli("lineage", "verify", str(copy), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "chain intact" in ok.stdout
    lines = copy.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[3])
    record["time"] = "2000-01-01T00:00:00.000000Z"  # an "innocent" edit of one record
    lines[3] = json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    copy.write_bytes(b"".join(lines))
    broken = cli("lineage", "verify", str(copy), cwd=tmp_path)
    assert broken.returncode == 1
    assert "first bad record: 3" in broken.stdout
    assert "the record was edited" in broken.stdout


def test_cli_verify_detects_a_removed_record(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    copy = tmp_path / "cut.lineage.jsonl"
    lines = _lineage_path(shell).read_bytes().splitlines(keepends=True)
    copy.write_bytes(b"".join(lines[:2] + lines[3:]))
    broken = cli("lineage", "verify", str(copy), "--format", "json", cwd=tmp_path)
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["first_bad"] == 2


def test_cli_verify_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = cli("lineage", "verify", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    folder = cli("lineage", "verify", str(tmp_path), cwd=tmp_path)
    assert folder.returncode == 2 and "not a regular file" in folder.stderr


def test_cli_show_text_and_json(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    path = _lineage_path(shell)
    text = cli("lineage", "show", str(path), cwd=tmp_path)
    assert text.returncode == 0 and "modelscan on tree.joblib" in text.stdout
    data = json.loads(cli("lineage", "show", str(path), "--format", "json",
                          cwd=tmp_path).stdout)
    assert data["verify"]["ok"] and len(data["records"]) == len(read_records(path))
    sliced = cli("lineage", "show", str(path), "--model", "tree", cwd=tmp_path)
    assert sliced.stdout.startswith("backward slice of tree")


def test_cli_card_from_a_lineage_file(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    with capture_output():  # records the estimator, as a user would have done in the kernel
        shell.run_line_magic("mlsec", f"card tree --out {tmp_path / 'kernel-card'}")
    run = cli("card", str(_lineage_path(shell)), "--out", "cli-card", "--intended-use",
              "Teaching", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "wrote 4 files to cli-card" in run.stdout
    markdown = (tmp_path / "cli-card" / "model_card.md").read_text(encoding="utf-8")
    assert "# Model card: tree" in markdown and "Teaching" in markdown
    assert "DecisionTreeClassifier" in markdown  # recorded by %mlsec card earlier
    bom = (tmp_path / "cli-card" / "mlbom.cdx.json").read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None


def test_cli_card_refuses_a_broken_chain(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    copy = tmp_path / "broken.lineage.jsonl"
    lines = _lineage_path(shell).read_bytes().splitlines(keepends=True)
    copy.write_bytes(b"".join(lines[:1] + lines[2:]))
    run = cli("card", str(copy), "--model", "tree", "--out", "x", cwd=tmp_path)
    assert run.returncode == 1 and "chain BROKEN at record 1" in run.stderr
    assert not (tmp_path / "x").exists()


# -- empty and foreign files are not logs (issue 13) ---------------------------------------------
@pytest.mark.parametrize(("content", "words"), [
    (b"", "is an empty lineage log"),
    (b"\n\n", "is an empty lineage log"),
    (b"hello world\n", "is not a lineage log"),
    (b'{"cell_id": "c0"}\n{"cell_id": "c1"}\n', "is not a lineage log"),
    (b"\x00\x01\x02binary", "is not a lineage log"),
])
@pytest.mark.parametrize("action", ["verify", "show", "sign"])
def test_cli_refuses_empty_and_foreign_files(tmp_path: Path, content: bytes, words: str,
                                             action: str) -> None:
    target = tmp_path / "log.jsonl"
    target.write_bytes(content)
    run = cli("lineage", action, str(target), cwd=tmp_path)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert words in run.stderr and run.stderr.count("\n") == 1 and not run.stdout


def test_magic_refuses_a_foreign_file_in_one_line(session: tuple[Any, Path],
                                                  tmp_path: Path) -> None:
    shell, _ = session
    foreign = tmp_path / "notes.jsonl"
    foreign.write_text('{"note": 1}\n')
    with pytest.raises(UsageError, match="is not a lineage log"):
        shell.run_line_magic("mlsec", f"lineage --verify --file {foreign}")


def test_magic_verify_reports_a_nan_record_in_one_line(session: tuple[Any, Path],
                                                       tmp_path: Path) -> None:
    shell, _ = session
    copy = tmp_path / "nan.lineage.jsonl"
    copy.write_bytes(_lineage_path(shell).read_bytes() + b'{"schema":"mlsecops-lineage/1",'
                     b'"seq":99,"hash":"x","value":NaN}\n')
    view = shell.run_line_magic("mlsec", f"lineage --verify --file {copy} --format text")
    text = view.to_text()
    assert text.count("\n") == 0 and "BROKEN at record" in text and "NaN literal" in text
    run = cli("lineage", "verify", str(copy), cwd=tmp_path)
    assert run.returncode == 1 and "NaN literal" in run.stdout and not run.stderr


# -- signing (issue 13) --------------------------------------------------------------------------
def test_cli_keygen_sign_and_verify_with_a_key(session: tuple[Any, Path],
                                               tmp_path: Path) -> None:
    shell, _ = session
    project = tmp_path / "project" / ".mlsec"
    project.mkdir(parents=True)
    copy = project / "nb.ipynb.lineage.jsonl"
    copy.write_bytes(_lineage_path(shell).read_bytes())
    key = tmp_path / "keys" / "lineage.key"
    made = cli("lineage", "keygen", str(key), cwd=tmp_path)
    assert made.returncode == 0 and "wrote a new lineage key" in made.stdout
    unsigned = cli("lineage", "verify", str(copy), "--key", str(key), cwd=tmp_path)
    assert unsigned.returncode == 1 and "signature NOT VERIFIED" in unsigned.stdout
    signed = cli("lineage", "sign", str(copy), "--key", str(key), cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    ok = cli("lineage", "verify", str(copy), "--key", str(key), cwd=tmp_path)
    assert ok.returncode == 0 and "signature verified" in ok.stdout
    plain = cli("lineage", "verify", str(copy), cwd=tmp_path)
    assert plain.returncode == 0 and "1 signature record(s) not checked" in plain.stdout
    data = json.loads(cli("lineage", "verify", str(copy), "--key", str(key), "--format", "json",
                          cwd=tmp_path).stdout)
    assert data["ok"] and data["signatures"] == 1
    # a forged append after the signature: exit 1
    last = json.loads(copy.read_bytes().splitlines()[-1])
    from mlsecops_jupyter.lineage.chain import seal

    _, forged = seal({"kind": "cell", "time": last["time"]}, seq=last["seq"] + 1,
                     prev=last["hash"])
    copy.write_bytes(copy.read_bytes() + forged)
    assert cli("lineage", "verify", str(copy), cwd=tmp_path).returncode == 0  # chain alone
    broken = cli("lineage", "verify", str(copy), "--key", str(key), cwd=tmp_path)
    assert broken.returncode == 1 and "not signed" in broken.stdout
    # a key inside the notebook folder is refused
    inside = tmp_path / "project" / "lineage.key"
    inside.write_text(key.read_text())
    inside.chmod(0o600)
    refused = cli("lineage", "sign", str(copy), "--key", str(inside), cwd=tmp_path)
    assert refused.returncode == 2 and "inside the notebook folder" in refused.stderr


def test_magic_sign_then_verify_with_the_key(session: tuple[Any, Path], tmp_path: Path) -> None:
    shell, _ = session
    key = tmp_path / "magic.key"
    assert cli("lineage", "keygen", str(key), cwd=tmp_path).returncode == 0
    view = shell.run_line_magic("mlsec", f"lineage --sign --key {key} --format text")
    assert "signed record" in view.to_text()
    checked = shell.run_line_magic("mlsec", f"lineage --verify --key {key} --format text")
    assert "signature: verified" in checked.to_text()
    with capture_output():
        shell.run_cell("after_signing = 1", store_history=True)
    again = shell.run_line_magic("mlsec", f"lineage --verify --key {key} --format text")
    assert "signature: NOT VERIFIED" in again.to_text() and "not signed" in again.to_text()
    with pytest.raises(UsageError, match="--key goes with --verify or --sign"):
        shell.run_line_magic("mlsec", f"lineage --key {key}")
