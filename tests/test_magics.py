"""``%mlsec`` driven through an in-process IPython shell (no kernel, no ZMQ), on real files.

The shell is IPython's global test shell; the extension is loaded once for the module, from a
folder with no settings file and no ``MLSEC_*`` variables, so the session starts from defaults.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import joblib
import pytest
from corpus.canary import Canary, Reduce
from ipshell import loaded_shell
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.core import MLSecCheckFailed, Report, Severity
from mlsecops_jupyter.display import render_text

HEAVY_MODULES = ("pandas", "sklearn", "torch", "ipywidgets", "presidio_analyzer", "shap",
                 "numpy", "scipy", "keras", "onnx", "h5py")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, canary_marker: Path) -> dict[str, Path]:
    """A real scikit-learn model saved by joblib, and a pickle whose load would run a command."""
    from sklearn.linear_model import LogisticRegression

    folder = tmp_path_factory.mktemp("magic-files")
    model = LogisticRegression().fit([[0.0, 1.0], [1.0, 0.0], [0.5, 0.2], [0.1, 0.9]],
                                     [0, 1, 1, 0])
    joblib.dump(model, folder / "clean.joblib")
    # pickle.dumps only records os.system by name; nothing runs (loading it is what we forbid)
    payload = pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=2)
    (folder / "evil.pkl").write_bytes(payload)
    return {"clean": folder / "clean.joblib", "evil": folder / "evil.pkl", "dir": folder}


@pytest.fixture(scope="module")
def ip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with loaded_shell(tmp_path_factory.mktemp("magic-cwd")) as shell:
        yield shell
    # unloading must leave nothing of ours behind
    assert "mlsec" not in shell.magics_manager.magics["line"]
    assert Report not in shell.display_formatter.ipython_display_formatter.type_printers


@pytest.fixture
def strict_off(ip: Any) -> Iterator[None]:
    """Tests that change the session's settings leave strict mode off again."""
    yield
    ip.run_line_magic("mlsec", "config --reset")


def _run(ip: Any, code: str) -> tuple[Any, list[dict[str, Any]], str]:
    """Run a cell; return its result, the display outputs' mimebundles and the printed text."""
    with capture_output() as captured:
        result = ip.run_cell(code, store_history=True)
    return result, [output.data for output in captured.outputs], captured.stdout


def _reports_shown(outputs: list[dict[str, Any]]) -> list[str]:
    return [o["text/plain"].splitlines()[0] for o in outputs if "text/plain" in o]


# -- help and usage errors ------------------------------------------------------------------------
def test_help_lists_every_command_one_line_each(ip: Any, capsys: pytest.CaptureFixture) -> None:
    assert ip.run_line_magic("mlsec", "help") is None
    out = capsys.readouterr().out
    assert out.startswith("usage: %mlsec COMMAND")
    for command in ("scan", "config", "help"):
        assert sum(line.startswith(f"  {command} ") for line in out.splitlines()) == 1
    ip.run_line_magic("mlsec", "")
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("line", ["scan -h", "scan --help", "help scan"])
def test_command_help_prints_usage_without_exiting(ip: Any, capsys: pytest.CaptureFixture,
                                                   line: str) -> None:
    assert ip.run_line_magic("mlsec", line) is None
    out = capsys.readouterr().out
    assert out.startswith("usage: %mlsec scan")
    assert "--fail-on SEVERITY" in out and "--recursive" in out and "html,widget,text,json" in out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("nope", "unknown command 'nope'; commands: "),
        ("help nope", "unknown command 'nope'"),
        ("scan", "the following arguments are required: TARGET"),
        ("scan x.pkl --bogus", "unrecognized arguments: --bogus"),
        ("scan x.pkl --fail-on severe", "unknown severity 'severe'"),
        ("scan x.pkl --format pdf", "invalid choice: 'pdf'"),
        ("scan x.pkl --set nokey", "--set expects KEY=VALUE"),
        ("config --set modelscan.nope=1", "unknown setting modelscan.nope"),
        ("config --fail-on severe", "severe"),
        ("scan 'unterminated", "cannot parse the line"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, line: str, expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    message = str(excinfo.value)
    assert expected in message
    assert "\n" not in message


def test_missing_file_and_unknown_name_are_usage_errors(ip: Any, files: dict[str, Path]) -> None:
    with pytest.raises(UsageError, match="no_such_variable.*neither a variable"):
        ip.run_line_magic("mlsec", "scan no_such_variable")
    missing = files["dir"] / "missing.pkl"
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", f"scan {missing}")
    assert "missing.pkl" in str(excinfo.value) and "\n" not in str(excinfo.value)


# -- scanning ------------------------------------------------------------------------------------
def test_scan_of_a_path_returns_and_shows_a_report(ip: Any, files: dict[str, Path]) -> None:
    result, outputs, _ = _run(ip, f"rep = %mlsec scan {files['clean']}")
    assert result.success
    report = ip.user_ns["rep"]
    assert isinstance(report, Report) and report.check == "modelscan"
    assert not report.at_or_above(Severity.HIGH)
    assert len(outputs) == 1
    assert set(outputs[0]) == {"text/plain", "text/html"}  # no kernel: no widget
    assert outputs[0]["text/plain"] == render_text(report)


def test_scan_of_a_malicious_pickle_finds_code_execution(ip: Any, files: dict[str, Path],
                                                         canary_marker: Path) -> None:
    report = ip.run_line_magic("mlsec", f"scan {files['evil']} --format text")
    assert report.max_severity is Severity.CRITICAL
    assert "MODEL-PICKLE-EXEC" in {f.rule for f in report.findings}
    assert not canary_marker.exists()


def test_scan_resolves_variables(ip: Any, files: dict[str, Path]) -> None:
    from sklearn.tree import DecisionTreeClassifier

    ip.user_ns.update(
        model_path=str(files["evil"]),
        model_pathlib=files["clean"],
        raw_bytes=files["evil"].read_bytes(),
        clf=DecisionTreeClassifier().fit([[0], [1]], [0, 1]),
    )
    by_str = ip.run_line_magic("mlsec", "scan model_path --format text")
    assert by_str.max_severity is Severity.CRITICAL
    by_path = ip.run_line_magic("mlsec", "scan model_pathlib --format text")
    assert not by_path.at_or_above("high")
    by_bytes = ip.run_line_magic("mlsec", "scan raw_bytes --format text")
    assert by_bytes.max_severity is Severity.CRITICAL
    assert "raw_bytes" in by_bytes.subject
    by_object = ip.run_line_magic("mlsec", "scan clf --format text")
    assert "clf" in by_object.subject
    assert not by_object.at_or_above("high")
    both = ip.run_line_magic("mlsec", "scan clf raw_bytes --format text")
    assert both.max_severity is Severity.CRITICAL
    assert both.subject == "clf, raw_bytes"


@pytest.mark.parametrize(
    ("fmt", "mimetypes"),
    [
        ("text", {"text/plain"}),
        ("html", {"text/html", "text/plain"}),
        ("json", {"application/json", "text/plain"}),
        ("widget", {"text/html", "text/plain"}),
    ],
)
def test_output_formats(ip: Any, files: dict[str, Path], fmt: str, mimetypes: set[str]) -> None:
    _, outputs, _ = _run(ip, f"_ = %mlsec scan {files['clean']} --format {fmt}")
    assert len(outputs) == 1 and set(outputs[0]) == mimetypes
    if fmt == "json":
        assert outputs[0]["application/json"]["schema"] == "mlsecops-report/1"
        assert json.loads(outputs[0]["text/plain"])["check"] == "modelscan"


def test_report_is_shown_once_when_the_magic_ends_the_cell(ip: Any,
                                                           files: dict[str, Path]) -> None:
    result, outputs, _ = _run(ip, f"%mlsec scan {files['evil']}")
    assert isinstance(result.result, Report)
    assert len(_reports_shown(outputs)) == 1
    _, outputs, _ = _run(ip, f"r = %mlsec scan {files['evil']}")
    assert len(_reports_shown(outputs)) == 1
    _, outputs, _ = _run(ip, f"r = %mlsec scan {files['evil']}\nr")
    assert len(_reports_shown(outputs)) == 1
    # a later cell that ends with the report shows it again, once
    _, outputs, _ = _run(ip, "r")
    assert _reports_shown(outputs) == [render_text(ip.user_ns["r"]).splitlines()[0]]
    _, outputs, _ = _run(ip, "display(r)")
    assert len(_reports_shown(outputs)) == 1


def test_any_report_displays_through_the_formatter(ip: Any) -> None:
    ip.user_ns["made_by_hand"] = Report("modelscan", "by-hand.pkl")
    _, outputs, _ = _run(ip, "made_by_hand")
    assert _reports_shown(outputs) == ["modelscan on by-hand.pkl: no findings"]


# -- settings and strict mode -------------------------------------------------------------------
def magics_source(ip: Any) -> str:
    return ip.magics_manager.registry["MLSecMagics"].settings.source


def test_config_shows_settings_and_their_source(ip: Any, capsys: pytest.CaptureFixture,
                                                strict_off: None) -> None:
    assert ip.run_line_magic("mlsec", "config") is None
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "settings from: defaults"
    assert "strict mode: off" in out and "  modelscan.max_archive_depth = 4" in out
    ip.run_line_magic("mlsec", "config --fail-on high --set modelscan.max_archive_depth=3")
    out = capsys.readouterr().out
    # a change prints only what changed, so notebook outputs do not move with new settings
    assert out.splitlines() == [
        "strict mode: on, checks with findings at or above high raise MLSecCheckFailed",
        "  modelscan.max_archive_depth = 3",
    ]
    assert magics_source(ip) == "defaults + %mlsec config"
    magics = ip.magics_manager.registry["MLSecMagics"]
    assert magics.settings.fail_on is Severity.HIGH
    assert magics.settings.modelscan.max_archive_depth == 3
    ip.run_line_magic("mlsec", "config --fail-on none")
    assert magics.settings.fail_on is None
    assert magics.settings.modelscan.max_archive_depth == 3


def test_strict_mode_shows_the_report_then_raises(ip: Any, files: dict[str, Path],
                                                  strict_off: None) -> None:
    ip.run_line_magic("mlsec", "config --fail-on high")
    result, outputs, _ = _run(ip, f"%mlsec scan {files['clean']}")
    assert result.success  # nothing at or above high in a real sklearn model
    result, outputs, _ = _run(ip, f"%mlsec scan {files['evil']}")
    error = result.error_in_exec
    assert isinstance(error, MLSecCheckFailed)
    assert "\n" not in str(error) and "MODEL-PICKLE-EXEC" in str(error)
    assert error._render_traceback_() == [f"MLSecCheckFailed: {error}"]
    shown = _reports_shown(outputs)
    assert len(shown) == 1 and shown[0].startswith("modelscan on ")
    assert error.report.max_severity is Severity.CRITICAL


def test_per_call_fail_on_overrides_the_session(ip: Any, files: dict[str, Path]) -> None:
    with pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", f"scan {files['evil']} --fail-on critical --format text")
    report = ip.run_line_magic("mlsec", f"scan {files['evil']} --fail-on none --format text")
    assert report.max_severity is Severity.CRITICAL


# -- loading ------------------------------------------------------------------------------------
LOAD_TIME_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from IPython.testing.globalipapp import start_ipython
    shell = start_ipython()
    before = set(sys.modules)
    started = time.process_time()  # CPU, not wall: a loaded CI machine must not fail it
    shell.run_line_magic("load_ext", "mlsecops_jupyter")
    elapsed = time.process_time() - started
    print(elapsed)
    print(" ".join(sorted(m.split(".")[0] for m in set(sys.modules) - before)))
    """
)


def test_load_ext_is_fast_and_imports_nothing_heavy(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    done = subprocess.run([sys.executable, "-c", LOAD_TIME_SCRIPT], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=120, check=True)
    seconds_line, modules_line = done.stdout.strip().splitlines()[-2:]
    seconds = float(seconds_line)
    print(f"%load_ext mlsecops_jupyter took {seconds * 1000:.1f} ms of CPU in a fresh process")
    assert seconds < 1.0
    heavy = set(modules_line.split()) & set(HEAVY_MODULES)
    assert not heavy, f"%load_ext imported {sorted(heavy)}"


def test_reload_ext_keeps_one_working_magic(ip: Any, files: dict[str, Path]) -> None:
    ip.run_line_magic("reload_ext", "mlsecops_jupyter")
    assert "mlsec" in ip.magics_manager.magics["line"]
    _, outputs, _ = _run(ip, f"%mlsec scan {files['clean']}")
    assert len(_reports_shown(outputs)) == 1


# -- a real kernel ------------------------------------------------------------------------------
def test_in_a_real_kernel_the_report_shows_once_and_strict_mode_fails(
    files: dict[str, Path],
) -> None:
    """What JupyterLab and nbval see: ipykernel's display hook, comms, error outputs."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "%load_ext mlsecops_jupyter",
        f"%mlsec scan {files['clean'].name}",
        f"r = %mlsec scan {files['evil'].name}\nr",
        "r",
        "%mlsec config --fail-on high",
        f"%mlsec scan {files['evil'].name}",
        f"%mlsec scan {files['clean'].name} --format widget --fail-on none",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("MLSEC_")]:
            patch.delenv(key)
        NotebookClient(notebook, timeout=120, allow_errors=True,
                       resources={"metadata": {"path": str(files["dir"])}}).execute()
    outputs = [cell.outputs for cell in notebook.cells]
    for index in (1, 2, 3, 5):
        shown = [o for o in outputs[index] if o["output_type"] in ("display_data",
                                                                   "execute_result")]
        assert len(shown) == 1, (cells[index], outputs[index])
        # self-contained HTML + text, marked as ours; no widget view (it would not survive
        # the kernel: "model not found" in the saved notebook)
        assert set(shown[0]["data"]) == {"text/html", "text/plain"}
        assert shown[0]["metadata"]["mlsecops_jupyter"]["check"] == "modelscan"
        assert shown[0]["data"]["text/plain"].startswith("modelscan on ")
    errors = [o for o in outputs[5] if o["output_type"] == "error"]
    assert len(errors) == 1 and errors[0]["ename"] == "MLSecCheckFailed"
    assert errors[0]["traceback"] == [f"MLSecCheckFailed: {errors[0]['evalue']}"]
    assert not any(o["output_type"] == "error" for cell in outputs[:5] for o in cell)
    # --format widget: the same saved report first, the live widget only below it
    saved, live = [o for o in outputs[6] if o["output_type"] == "display_data"]
    assert set(saved["data"]) == {"text/html", "text/plain"}
    assert "application/vnd.jupyter.widget-view+json" in live["data"]
    assert "needs the running kernel" in live["data"]["text/plain"]


def test_every_check_lands_in_the_lineage_log(ip: Any, files: dict[str, Path]) -> None:
    """The magic records each report, linked to its cell, in a chain that verifies."""
    from mlsecops_jupyter.lineage import read_records, verify

    magics = ip.magics_manager.registry["MLSecMagics"]
    result, _, _ = _run(ip, f"%mlsec scan {files['evil']}")
    assert result.success
    path = magics.recorder.path
    checks = [r for r in read_records(path) if r["kind"] == "check"]
    assert checks, "no check record written"
    rules = {f["rule"] for f in checks[-1]["report"]["findings"]}
    assert "MODEL-PICKLE-EXEC" in rules
    assert verify(path).ok


# -- strict mode: a check that cannot run fails the run -------------------------------------------
CANNOT_RUN = [
    ("scan {missing}", "missing.pkl"),  # bad path
    ("pii customerz", "'customerz' is neither a variable"),  # misspelt variable
    ("scan x.pkl --bogus", "unrecognized arguments: --bogus"),  # bad option
    ("scan 'unterminated", "cannot parse the line"),
    ("nope", "unknown command 'nope'"),
]


def test_without_strict_mode_a_check_that_cannot_run_stays_a_plain_usage_error(
        ip: Any, files: dict[str, Path]) -> None:
    """IPython prints exactly ``UsageError`` as one line on stderr: what a session shows."""
    for line, expected in CANNOT_RUN:
        with pytest.raises(UsageError, match=expected) as excinfo:
            ip.run_line_magic("mlsec", line.format(missing=files["dir"] / "missing.pkl"))
        assert type(excinfo.value) is UsageError, line
    with pytest.raises(UsageError) as excinfo:  # a per-call "none" is not strict either
        ip.run_line_magic("mlsec", "scan x.pkl --bogus --fail-on none")
    assert type(excinfo.value) is UsageError


@pytest.mark.parametrize(("line", "expected"), CANNOT_RUN)
def test_in_strict_mode_a_check_that_cannot_run_is_an_error(
        ip: Any, files: dict[str, Path], strict_off: None, line: str, expected: str) -> None:
    """Still one line, but not exactly ``UsageError``: IPython then publishes it as an
    ``error`` output, the only thing nbval fails a cell on."""
    from mlsecops_jupyter.magics import StrictUsageError

    ip.run_line_magic("mlsec", "config --fail-on high")
    with pytest.raises(StrictUsageError, match=expected) as excinfo:
        ip.run_line_magic("mlsec", line.format(missing=files["dir"] / "missing.pkl"))
    error = excinfo.value
    assert isinstance(error, UsageError) and "\n" not in str(error)
    assert str(error).endswith("(strict mode: a check that cannot run fails the run)")
    assert error._render_traceback_() == [f"UsageError: {error}"]


@pytest.mark.parametrize("line", ["scan missing.pkl --fail-on high",
                                  "scan missing.pkl --fail-on=critical",
                                  "config --fail-on hgih",
                                  "config --fail-on high --set pii.nope=1"])
def test_a_call_that_asks_for_strict_mode_is_strict_even_when_it_cannot_run(
        ip: Any, strict_off: None, line: str) -> None:
    from mlsecops_jupyter.magics import StrictUsageError

    with pytest.raises(StrictUsageError):
        ip.run_line_magic("mlsec", line)
    assert ip.magics_manager.registry["MLSecMagics"].settings.fail_on is None


def test_in_a_real_shell_the_strict_error_is_shown_as_its_one_line(ip: Any,
                                                                   strict_off: None) -> None:
    ip.run_line_magic("mlsec", "config --fail-on high")
    with capture_output() as captured:
        result = ip.run_cell("%mlsec scan no_such_model.joblib", store_history=True)
    assert not result.success
    assert captured.stdout.strip().splitlines() == [
        "UsageError: %mlsec scan: no such file: no_such_model.joblib (strict mode: a check "
        "that cannot run fails the run)"]


@pytest.mark.parametrize(("environ", "settings_file", "strict"), [
    ({"MLSEC_PII__SAMPLE_ROWS": "many"}, None, False),
    ({"MLSEC_PII__SAMPLE_ROWS": "many", "MLSEC_FAIL_ON": "high"}, None, True),
    ({"MLSEC_FAIL_ON": "hgih"}, None, True),  # a misspelt severity still asks for strict mode
    ({}, 'fail_on = "high"\n[pii]\nsample_rowz = 5\n', True),
    ({}, '[pii]\nsample_rowz = 5\n', False),
    ({}, 'fail_on = "high\n', True),  # unreadable: it may have asked, so it counts (fail closed)
    ({"MLSEC_FAIL_ON": "none"}, 'fail_on = "high\n', False),
])
def test_load_ext_failing_on_a_bad_setting_fails_a_strict_run(
        ip: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str],
        settings_file: str | None, strict: bool) -> None:
    from mlsecops_jupyter.magics import StrictUsageError, load_ipython_extension

    monkeypatch.chdir(tmp_path)
    if settings_file is not None:
        (tmp_path / "mlsec.toml").write_text(settings_file)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(UsageError, match="^mlsecops_jupyter: ") as excinfo:
        load_ipython_extension(ip)
    assert isinstance(excinfo.value, StrictUsageError) is strict
    assert "\n" not in str(excinfo.value)
