"""``%mlsec notebook`` / ``%mlsec redact`` and ``mlsec notebook`` / ``mlsec redact`` end to end:
real notebooks written with nbformat, the in-process IPython shell, the CLI's exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from notebook_corpus import Fakes, write_notebooks

from mlsecops_jupyter.checks.pii.notebook import scan_notebook
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import MLSecCheckFailed, Report
from mlsecops_jupyter.core.settings import Settings

NO_PII = Settings().override({"secrets.pii": False})


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("books")
    nested = root / "team" / "deep"
    nested.mkdir(parents=True)
    paths = {book.name: path for path, book in write_notebooks(root)}
    (root / ".ipynb_checkpoints").mkdir()
    (root / ".ipynb_checkpoints" / "etl-checkpoint.ipynb").write_text(
        paths["etl"].read_text())
    nested_book = nested / "nested.ipynb"
    nested_book.write_text(paths["llm"].read_text())
    paths["nested"] = nested_book
    paths["root"] = root
    return paths


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "notebook"
    return report


def test_magic_scans_a_notebook_path(ip: Any, books: dict[str, Path]) -> None:
    report = _magic(ip, f"notebook {books['llm']} --format text --no-pii")
    rules = sorted(f.rule for f in report.findings)
    assert rules == ["SECRET-ANTHROPIC-KEY", "SECRET-GITHUB-TOKEN", "SECRET-HUGGINGFACE-TOKEN",
                     "SECRET-OPENAI-KEY", "SECRET-OPENAI-KEY"]
    assert report.subject == str(books["llm"])


def test_magic_strict_mode_fails_after_showing(ip: Any, books: dict[str, Path]) -> None:
    with capture_output(), pytest.raises(MLSecCheckFailed, match="SECRET-OPENAI-KEY"):
        ip.run_line_magic("mlsec", f"notebook {books['llm']} --no-pii --fail-on high "
                                   "--format text")


def test_magic_without_path_scans_the_saved_file_and_live_history(
        ip: Any, books: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", str(books["clean"]))
    token = Fakes(9).github()
    ip.run_cell(f'deploy_token = "{token}"', store_history=True)
    ip.run_cell("deploy_token[:4]", store_history=True)
    report = _magic(ip, "notebook --no-pii --format text")
    assert report.subject == str(books["clean"])
    live = [f for f in report.findings if f.rule == "SECRET-GITHUB-TOKEN"]
    assert len(live) == 1 and live[0].evidence["in"].startswith("live In[")
    assert token not in report.to_json()
    assert report.metrics["cells"] == 5
    saved_only = _magic(ip, "notebook --no-pii --no-live --format text")
    assert saved_only.findings == []


def test_magic_without_a_known_notebook_says_so(ip: Any, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    report = _magic(ip, "notebook --no-pii --no-live --format text")
    assert report.subject == "this session (live history)"
    assert report.skipped[0].what == "the saved notebook"


def test_magic_bad_path_is_a_usage_error(ip: Any) -> None:
    with pytest.raises(UsageError, match="no such notebook: nope.ipynb"):
        ip.run_line_magic("mlsec", "notebook nope.ipynb")


def test_magic_redacts_a_frame_into_a_new_variable(ip: Any) -> None:
    token = Fakes(4).github()
    frame = pd.DataFrame({
        "email": ["ana.lopez@gmail.com", "bo.chen@yahoo.com", "k.ito@outlook.com",
                  "m.dubois@free.fr"] * 5,
        "note": [f"token {token}", "ok", "fine", "ok"] * 5,
        "amount": [1.5, 2.0, 3.25, 4.0] * 5,
    })
    ip.user_ns["people"] = frame
    with capture_output():
        report = ip.run_line_magic("mlsec", "redact people --into people_masked --format text")
    masked = ip.user_ns["people_masked"]
    assert masked["email"].tolist()[:2] == ["a***@gmail.com", "b***@yahoo.com"]
    assert masked["note"].iloc[0] == "token [REDACTED:GITHUB-TOKEN]"
    assert masked["amount"].tolist() == frame["amount"].tolist()
    assert report.metrics["masked_cells"] == {"email": 20, "note": 5}
    assert frame["note"].iloc[0] == f"token {token}"  # the input is untouched


def test_magic_redact_rejects_non_frames(ip: Any) -> None:
    ip.user_ns["not_a_frame"] = [1, 2]
    with pytest.raises(UsageError, match="'not_a_frame' is a list, not a DataFrame"):
        ip.run_line_magic("mlsec", "redact not_a_frame")


def test_magic_redacts_a_notebook_file(ip: Any, books: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "masked.ipynb"
    with capture_output():
        report = ip.run_line_magic("mlsec", f"redact {books['cloud']} -o {out} --format text")
    assert report.metrics["written_to"] == str(out)
    nbformat.validate(nbformat.read(str(out), as_version=4))
    assert scan_notebook(out, settings=Settings()).findings == []


# -- CLI -------------------------------------------------------------------------------------
def test_cli_exit_codes(books: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notebook", str(books["etl"]), "--no-pii"]) == 1
    assert main(["notebook", str(books["clean"]), str(books["lookalikes"])]) == 0
    assert main(["notebook", str(books["llm"]), "--no-pii", "--fail-on", "critical"]) == 0
    assert main(["notebook", "missing.ipynb"]) == 2
    assert "no such file or folder: missing.ipynb" in capsys.readouterr().err


def test_cli_folders_and_recursive(books: dict[str, Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = str(books["root"])
    assert main(["notebook", root, "--no-pii", "--format", "json"]) == 1
    flat = json.loads(capsys.readouterr().out)
    assert flat["metrics"]["notebooks"] == 5  # the checkpoint copy is left out
    assert main(["notebook", root, "--recursive", "--no-pii", "--format", "json"]) == 1
    deep = json.loads(capsys.readouterr().out)
    assert deep["metrics"]["notebooks"] == 6
    nested = [f for f in deep["findings"] if f["location"]["file"] == str(books["nested"])]
    assert len(nested) == 5


def test_cli_redact_writes_a_masked_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    source = tmp_path / "people.csv"
    pd.DataFrame({"email": ["ana.lopez@gmail.com", "bo.chen@yahoo.com", "k.ito@outlook.com"] * 4,
                  "score": [1, 2, 3] * 4}).to_csv(source, index=False)
    assert main(["redact", str(source)]) == 0
    masked = pd.read_csv(tmp_path / "people.redacted.csv")
    assert masked["email"].iloc[2] == "k***@outlook.com"
    assert masked["score"].tolist() == [1, 2, 3] * 4
    assert main(["redact", str(source), "-o", str(source)]) == 2
    assert "refusing to overwrite the input" in capsys.readouterr().err


def test_cli_redact_a_notebook_then_the_hook_passes(books: dict[str, Path],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "etl.clean.ipynb"
    assert main(["redact", str(books["etl"]), "-o", str(out), "--format", "json"]) == 0
    assert main(["notebook", str(out)]) == 0
    assert main(["redact", str(tmp_path / "nope.csv")]) == 2


def test_pre_commit_hook_is_declared() -> None:
    import yaml

    hooks = yaml.safe_load(Path(__file__).resolve().parents[1].joinpath(
        ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "mlsec-notebook")
    assert hook["entry"] == "mlsec notebook" and hook["files"] == r"\.ipynb$"


def test_magic_finds_the_notebook_from_a_server_relative_session_name(
        ip: Any, books: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(books["root"])  # the kernel runs in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", "projects/churn/llm.ipynb")
    report = _magic(ip, "notebook --no-pii --no-live --format text")
    assert report.subject == "llm.ipynb" and len(report.findings) == 5


def test_cli_sarif_names_the_secret_rules(books: dict[str, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notebook", str(books["etl"]), "--no-pii", "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"SECRET-URL-PASSWORD", "SECRET-AWS-SECRET-KEY"} <= rules


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, str]:
    """A repository with one notebook holding a fake token; the working directory is its top."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "nb").mkdir()
    monkeypatch.chdir(tmp_path)
    token = Fakes(41).github()
    book = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Demo"),
        nbformat.v4.new_code_cell(f'GITHUB_TOKEN = "{token}"  # the CI test fixture')])
    path = tmp_path / "nb" / "demo.ipynb"
    nbformat.write(book, str(path))
    return tmp_path, path, token


def test_cli_baseline_accepts_reviewed_findings_and_survives_edits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root, path, token = _project(tmp_path, monkeypatch)
    assert main(["notebook", "nb", "--no-pii"]) == 1
    assert main(["baseline", "nb", "--no-pii", "--reason", "revoked CI fixture"]) == 0
    assert "1 finding(s) accepted" in capsys.readouterr().err
    stored = (root / ".mlsec" / "baseline.json").read_text()
    assert token not in stored and "revoked CI fixture" in stored
    assert json.loads(stored)["entries"][0]["file"] == "nb/demo.ipynb"
    # the hook passes; the finding is still reported, accepted, with its reason
    assert main(["notebook", "nb", "--no-pii", "--format", "json"]) == 0
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["accepted"] == "revoked CI fixture"
    # cells inserted above and the line moved: still accepted
    book = nbformat.read(str(path), as_version=4)
    book.cells.insert(0, nbformat.v4.new_code_cell("import os"))
    book.cells[2].source = "\n\n" + book.cells[2].source
    nbformat.write(book, str(path))
    assert main(["notebook", "nb", "--no-pii"]) == 0
    # a new secret is not
    book.cells.append(nbformat.v4.new_code_cell(f'OTHER = "{Fakes(42).github()}"'))
    nbformat.write(book, str(path))
    assert main(["notebook", str(path), "--no-pii"]) == 1
    # re-baselining keeps the first reason and drops nothing still there
    assert main(["baseline", "nb", "--no-pii", "--reason", "second review"]) == 0
    assert "1 new, 1 kept, 0 no longer found" in capsys.readouterr().err
    reasons = sorted(e["reason"] for e in json.loads(
        (root / ".mlsec" / "baseline.json").read_text())["entries"])
    assert reasons == ["revoked CI fixture", "second review"]
    assert main(["baseline"]) == 2


def test_cli_baseline_applies_to_any_check_through_its_json_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, monkeypatch)
    pd.DataFrame({"email": ["ana.lopez@gmail.com", "bo.chen@yahoo.com", "k.ito@outlook.com"] * 4,
                  "score": [1, 2, 3] * 4}).to_csv("people.csv", index=False)
    assert main(["pii", "people.csv", "--fail-on", "medium", "--format", "json",
                 "-o", "pii.json"]) == 1
    assert main(["baseline", "--report", "pii.json", "--reason", "synthetic people"]) == 0
    capsys.readouterr()
    assert main(["pii", "people.csv", "--fail-on", "medium", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings and {f["accepted"] for f in findings} == {"synthetic people"}
    (tmp_path / "broken.json").write_text("{}")
    assert main(["baseline", "--report", "broken.json"]) == 2


def test_magic_baseline_then_strict_mode_passes(ip: Any, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _root, path, token = _project(tmp_path, monkeypatch)
    with capture_output(), pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", f"notebook {path} --no-pii --fail-on high --format text")
    with capture_output():
        report = ip.run_line_magic("mlsec", f"baseline {path} --no-pii --reason fixture "
                                            "--format text")
    assert [f.accepted for f in report.findings] == ["fixture"]
    assert report.metrics["baseline_added"] == 1
    strict = _magic(ip, f"notebook {path} --no-pii --fail-on high --format text")
    assert [f.accepted for f in strict.findings] == ["fixture"] and token not in strict.to_json()
