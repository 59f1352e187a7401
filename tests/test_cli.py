"""``mlsec`` on real files: exit codes 0/1/2, one JSON object, valid SARIF, ``--output``."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import joblib
import jsonschema
import pytest
import yaml
from corpus.canary import Canary, Reduce

from mlsecops_jupyter import __version__
from mlsecops_jupyter.cli import main

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
# GLOBAL mylib.models Net, never called: an import outside the allowlist (medium)
UNKNOWN_GLOBAL_PICKLE = b"\x80\x02cmylib.models\nNet\nq\x00."


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, canary_marker: Path) -> dict[str, Path]:
    """A real joblib'd scikit-learn model, a canary pickle, an unknown-import pickle, a folder."""
    from sklearn.ensemble import RandomForestClassifier

    folder = tmp_path_factory.mktemp("cli-files")
    model = RandomForestClassifier(n_estimators=3, random_state=0).fit(
        [[0, 1], [1, 0], [1, 1], [0, 0]], [0, 1, 1, 0]
    )
    joblib.dump(model, folder / "clean.joblib")
    # pickle.dumps records os.system by name only; nothing runs (loading is what is forbidden)
    evil = pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=4)
    (folder / "evil.pkl").write_bytes(evil)
    (folder / "unknown.pkl").write_bytes(UNKNOWN_GLOBAL_PICKLE)
    tree = folder / "tree"
    (tree / "nested").mkdir(parents=True)
    joblib.dump(model, tree / "model.joblib")
    (tree / "nested" / "weights.bin").write_bytes(evil)  # odd name: content decides
    return {"clean": folder / "clean.joblib", "evil": folder / "evil.pkl",
            "unknown": folder / "unknown.pkl", "tree": tree, "dir": folder}


def _run(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _usage_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mlsec: error: ")
    return lines[0]


# -- exit codes ---------------------------------------------------------------------------------
def test_clean_model_exits_0(capsys: pytest.CaptureFixture, files: dict[str, Path]) -> None:
    code, out, err = _run(capsys, "scan", files["clean"])
    assert code == 0, out
    assert out.startswith(f"modelscan on {files['clean']}")
    assert err == ""


def test_code_execution_exits_1(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                canary_marker: Path) -> None:
    code, out, _ = _run(capsys, "scan", files["evil"])
    assert code == 1
    assert "[CRITICAL] MODEL-PICKLE-EXEC" in out
    assert not canary_marker.exists()


@pytest.mark.parametrize(
    ("target", "fail_on", "expected"),
    [
        ("evil", "none", 0),
        ("evil", "critical", 1),
        ("unknown", None, 0),  # medium stays under the default threshold (high)
        ("unknown", "medium", 1),
        ("unknown", "HIGH", 0),
        ("clean", "critical", 0),
    ],
)
def test_fail_on_sets_the_threshold(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                    target: str, fail_on: str | None, expected: int) -> None:
    extra = [] if fail_on is None else ["--fail-on", fail_on]
    assert _run(capsys, "scan", files[target], *extra)[0] == expected


def test_config_file_sets_the_default_threshold(capsys: pytest.CaptureFixture,
                                                files: dict[str, Path], tmp_path: Path) -> None:
    config = tmp_path / "strict.toml"
    config.write_text('fail_on = "medium"\n', encoding="utf-8")
    assert _run(capsys, "scan", files["unknown"], "--config", config)[0] == 1
    assert _run(capsys, "scan", files["unknown"], "--config", config, "--fail-on", "high")[0] == 0
    config.write_text('fail_on = "info"\n', encoding="utf-8")  # the lowest severity is not "unset"
    assert _run(capsys, "scan", files["unknown"], "--config", config)[0] == 1


def test_settings_overrides_apply(capsys: pytest.CaptureFixture, files: dict[str, Path]) -> None:
    code, out, _ = _run(capsys, "scan", files["unknown"], "--format", "json", "--fail-on",
                        "medium", "--set", 'modelscan.globals=mylib.models:Net=safe')
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_folders_need_recursive_for_subfolders(capsys: pytest.CaptureFixture,
                                               files: dict[str, Path]) -> None:
    assert _run(capsys, "scan", files["tree"])[0] == 0
    code, out, _ = _run(capsys, "scan", files["tree"], "--recursive")
    assert code == 1
    assert "weights.bin" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["scan", "{dir}/missing.pkl"], "missing.pkl"),
        (["scan"], "the following arguments are required: TARGET"),
        (["scan", "{dir}/evil.pkl", "--bogus"], "unrecognized arguments: --bogus"),
        (["scan", "{dir}/evil.pkl", "--fail-on", "severe"], "unknown severity 'severe'"),
        (["scan", "{dir}/evil.pkl", "--format", "xml"], "invalid choice: 'xml'"),
        (["scan", "{dir}/evil.pkl", "--set", "nope=1"], "unknown setting 'nope'"),
        (["scan", "{dir}/evil.pkl", "--config", "{dir}/none.toml"], "none.toml"),
        (["nope"], "unknown command 'nope'"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture, files: dict[str, Path], argv: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *[a.format(dir=files["dir"]) for a in argv])
    assert code == 2
    assert expected in _usage_error_line(err)
    assert out == ""


def test_version_and_help(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = _run(capsys, "--version")
    assert (code, out) == (0, f"mlsec {__version__}\n")
    code, out, _ = _run(capsys, "help")
    assert code == 0 and "  scan " in out and "exit status" in out
    code, out, _ = _run(capsys, "scan", "-h")
    assert code == 0 and out.startswith("usage: mlsec scan")
    assert "--output FILE" in out and "{text,json,sarif}" in out
    code, _, err = _run(capsys)
    assert code == 2 and "usage: mlsec COMMAND" in err


# -- output formats -----------------------------------------------------------------------------
def test_json_is_one_object_for_many_paths(capsys: pytest.CaptureFixture,
                                           files: dict[str, Path]) -> None:
    code, out, _ = _run(capsys, "scan", files["clean"], files["evil"], files["unknown"],
                        "--format", "json")
    assert code == 1
    report = json.loads(out)  # exactly one JSON document
    assert isinstance(report, dict) and report["schema"] == "mlsecops-report/1"
    assert report["check"] == "modelscan"
    assert report["metrics"]["files_scanned"] == 3
    assert {f["location"]["file"] for f in report["findings"]} >= {
        str(files["evil"]), str(files["unknown"])
    }
    assert report["findings"][0]["severity"] == "critical"


def test_sarif_validates_against_the_schema(capsys: pytest.CaptureFixture,
                                            files: dict[str, Path]) -> None:
    code, out, _ = _run(capsys, "scan", files["tree"], "-r", files["unknown"], "--format",
                        "sarif")
    assert code == 1
    log = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    rules = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert {"MODEL-PICKLE-EXEC", "MODEL-PICKLE-UNKNOWN-GLOBAL"} <= rules


def test_output_writes_the_file_and_one_summary_line(capsys: pytest.CaptureFixture,
                                                     files: dict[str, Path],
                                                     tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, err = _run(capsys, "scan", files["evil"], "--format", "json", "--output", target)
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "mlsecops-report/1"
    assert err.strip().splitlines() == [
        f"mlsec: wrote json to {target}: 1 finding (critical 1)"
    ]
    unwritable = tmp_path / "no-such-dir" / "r.sarif"
    code, _, err = _run(capsys, "scan", files["evil"], "--format", "sarif", "-o", unwritable)
    assert code == 2 and "no-such-dir" in _usage_error_line(err)


# -- the module entry point ---------------------------------------------------------------------
@pytest.mark.parametrize(("target", "expected"), [("clean", 0), ("evil", 1), ("missing", 2)])
def test_python_dash_m_exit_codes(files: dict[str, Path], target: str, expected: int) -> None:
    path = files.get(target, files["dir"] / "missing.pkl")
    done = subprocess.run([sys.executable, "-m", "mlsecops_jupyter", "scan", str(path),
                           "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == expected, done.stderr
    if expected == 2:
        assert done.stderr.startswith("mlsec: error: ") and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1
    else:
        assert json.loads(done.stdout)["schema"] == "mlsecops-report/1"


# -- pre-commit hooks ---------------------------------------------------------------------------
def test_pre_commit_hooks_run_mlsec_scan_on_model_names_and_binary_files() -> None:
    root = Path(__file__).parent.parent
    hooks = {h["id"]: h for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
             if h["id"].startswith("mlsec-scan")}  # mlsec-notebook: tests/test_notebook_commands
    assert set(hooks) == {"mlsec-scan", "mlsec-scan-binary", "mlsec-scan-all"}
    scripts = entry_points(group="console_scripts", name="mlsec")
    assert [s.value for s in scripts] == ["mlsecops_jupyter.cli:main"]
    for hook in hooks.values():
        assert hook["entry"] == "mlsec scan" and hook["language"] == "python"
    model_names = re.compile(hooks["mlsec-scan"]["files"])
    for name in ("model.pkl", "a/b/MODEL.PT", "w.safetensors", "clf.joblib.gz", "m.keras",
                 "arr.npz", "x.onnx", "net.h5", "ckpt/step-10.ckpt", "data.pickle.xz"):
        assert model_names.search(name), name
    for name in ("train.py", "README.md", "notes.pkl.txt", "pyproject.toml", "img.png"):
        assert not model_names.search(name), name
    assert hooks["mlsec-scan-binary"]["types"] == ["binary"]
    assert hooks["mlsec-scan-binary"]["exclude"] == hooks["mlsec-scan"]["files"]
    assert "files" not in hooks["mlsec-scan-all"]


@pytest.mark.parametrize("command", ["bias", "leakage", "pii"])
def test_misspelt_data_file_names_the_close_one(command: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    real = tmp_path / "customers.csv"
    real.write_text("email,age\na@example.org,31\n", encoding="utf-8")
    typo = str(tmp_path / "custmers.csv")
    args = {"bias": ["bias", typo, "--y-true", "a", "--y-pred", "b", "--sensitive", "c"],
            "leakage": ["leakage", "--train", typo, "--test", str(real)],
            "pii": ["pii", typo]}[command]
    assert main(args) == 2
    assert f"did you mean '{real}'?" in capsys.readouterr().err
