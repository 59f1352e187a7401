"""The recorder on a real in-process IPython shell: one record per cell, checks, robustness."""

from __future__ import annotations

import hashlib
import json
import logging
from types import SimpleNamespace

import pandas as pd
import pytest

from mlsecops_jupyter.core import Finding, Report, Severity
from mlsecops_jupyter.lineage import (
    LineageRecorder,
    LineageSettings,
    backward_slice,
    read_records,
    verify,
)


def run(shell, code: str, cell_id: str | None = None):
    """Run one cell the way a kernel does (history stored, front-end cell id if any)."""
    return shell.run_cell(code, store_history=True, cell_id=cell_id)

FAKE_AWS_KEY = "AKIA" + "Q7X2MZ4KW6PLT3RB"  # AWS-shaped (base-32), not the documented example


def cell_records(recorder: LineageRecorder) -> list[dict]:
    return [r for r in read_records(recorder.path) if r["kind"] == "cell"]


def test_attach_writes_the_session_environment_once(shell, recorder):
    recorder.attach(shell)  # attaching twice changes nothing
    records = read_records(recorder.path)
    assert [r["kind"] for r in records] == ["session"]
    assert records[0]["session"] == recorder.session_id
    assert records[0]["env"]["python"]


def test_one_record_per_cell_with_front_end_id(shell, recorder):
    run(shell, "alpha = 1", cell_id="cell-a")
    run(shell, "beta = alpha + gamma_default if False else alpha", cell_id="cell-b")
    first, second = cell_records(recorder)
    assert first["cell"]["id"] == "cell-a" and first["cell"]["id_source"] == "frontend"
    assert second["cell"]["execution_count"] == first["cell"]["execution_count"] + 1
    assert first["code"]["sha256"] == hashlib.sha256(b"alpha = 1").hexdigest()
    assert first["names"]["defined"] == ["alpha"]
    assert second["names"]["used"] == ["alpha", "gamma_default"]
    assert first["outcome"] == {"status": "ok", "error": None}
    assert first["timing"]["duration_ms"] >= 0
    assert verify(recorder.path).ok


def test_fallback_ids_are_stable_and_tell_repeats_apart(shell, recorder):
    for _ in range(2):
        run(shell, "same_code = 1")
    run(shell, "other_code = 2")
    ids = [r["cell"]["id"] for r in cell_records(recorder)]
    digest = hashlib.sha256(b"same_code = 1").hexdigest()[:16]
    assert ids[:2] == [f"code-{digest}-1", f"code-{digest}-2"]
    assert ids[2].endswith("-1") and ids[2] != ids[0]
    assert {r["cell"]["id_source"] for r in cell_records(recorder)} == {"fallback"}


def test_failing_cell_is_recorded_with_its_error(shell, recorder):
    result = run(shell, f"raise ValueError('bad key {FAKE_AWS_KEY}')", cell_id="boom")
    assert not result.success
    (record,) = cell_records(recorder)
    assert record["outcome"]["status"] == "error"
    assert record["outcome"]["error"]["type"] == "ValueError"
    assert FAKE_AWS_KEY not in json.dumps(record)


def test_syntax_error_cell_is_recorded(shell, recorder):
    run(shell, "def broken(:", cell_id="syntax")
    (record,) = cell_records(recorder)
    assert record["outcome"]["error"]["type"] == "SyntaxError"
    assert record["names"]["parse_error"].startswith("SyntaxError")


def test_source_is_redacted_and_hash_is_of_what_is_stored(shell, recorder):
    source = f'aws_key_id = "{FAKE_AWS_KEY}"'
    run(shell, source, cell_id="secret")
    (record,) = cell_records(recorder)
    assert FAKE_AWS_KEY not in recorder.path.read_text()
    assert "[REDACTED:AWS-ACCESS-KEY-ID]" in record["code"]["source"]
    assert record["code"]["redactions"] == [{"kind": "AWS-ACCESS-KEY-ID", "count": 1}]
    stored = record["code"]["source"].encode()
    assert record["code"]["sha256"] == hashlib.sha256(stored).hexdigest()
    assert record["code"]["sha256_of"] == "source"


@pytest.mark.parametrize("cell_id", ["pw-cell", None])
def test_a_redacted_password_cannot_be_confirmed_by_guessing(shell, recorder, cell_id):
    """Issue 13: the log stored an unsalted SHA-256 of the unredacted source."""
    guesses = ["letmein", "hunter2", "password1"]
    run(shell, 'db_password = "hunter2"', cell_id=cell_id)
    (record,) = cell_records(recorder)  # (reading flushes the writer)
    assert record["code"]["source"] == 'db_password = "[REDACTED:HARDCODED-PASSWORD]"'
    text = recorder.path.read_text()
    assert "hunter2" not in text
    for guess in guesses:
        digest = hashlib.sha256(f'db_password = "{guess}"'.encode()).hexdigest()
        assert digest[:16] not in text, guess  # neither the code hash nor a fallback id


def test_personal_data_in_sources_and_errors_is_redacted(shell, recorder):
    run(shell, 'contact = "jane.doe@example.com"  # Jane Doe, phone (415) 555-0132',
        cell_id="pii")
    run(shell, "raise KeyError('customer jane.doe@example.com not found')", cell_id="err")
    source_record, error_record = cell_records(recorder)
    text = recorder.path.read_text()
    assert "jane.doe@example.com" not in text and "555-0132" not in text
    assert "[REDACTED:EMAIL_ADDRESS]" in source_record["code"]["source"]
    kinds = {r["kind"] for r in source_record["code"]["redactions"]}
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER"} <= kinds
    assert "[REDACTED:EMAIL_ADDRESS]" in error_record["outcome"]["error"]["message"]


def test_a_setting_keeps_personal_data(shell, tmp_path):
    path = tmp_path / "keep.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path, settings={"redact_pii": False})
    recorder.attach(shell)
    try:
        run(shell, f'contact = "jane.doe@example.com"; key = "{FAKE_AWS_KEY}"', cell_id="k")
    finally:
        recorder.detach(shell)
    text = path.read_text()
    assert "jane.doe@example.com" in text  # kept on request ...
    assert FAKE_AWS_KEY not in text  # ... credentials never


def test_magics_and_shell_lines_are_recorded_with_their_names(shell, recorder):
    run(shell, "%time timed_value = 3 * 7\nlisting = !echo hi", cell_id="magic")
    (record,) = cell_records(recorder)
    assert record["names"]["defined"] == ["timed_value", "listing"]
    assert record["names"]["magics"] == ["time"]
    assert record["outcome"]["status"] == "ok"


def test_empty_cells_are_not_records(shell, recorder):
    run(shell, "   \n")
    assert cell_records(recorder) == []


def test_frames_created_changed_in_place_and_deleted(shell, recorder):
    shell.user_ns["pd"] = pd
    run(shell, "frame_a = pd.DataFrame({'x': [1, 2, 3], 'y': [0.1, 0.2, 0.3]})", "make")
    run(shell, "n_rows = len(frame_a)", "read")
    run(shell, "frame_a.loc[0, 'x'] = 99", "edit")
    run(shell, "frame_a['z'] = frame_a['x'] * 2", "grow")
    run(shell, "del frame_a", "drop")
    make, read, edit, grow, drop = cell_records(recorder)
    (created,) = make["data"]
    assert created["name"] == "frame_a" and created["change"] == "created"
    assert created["shape"] == [3, 2] and created["columns"] == ["x", "y"]
    assert read["data"] == []
    (changed,) = edit["data"]
    assert changed["change"] == "changed"
    assert changed["content_sha256"] != created["content_sha256"]
    assert grow["data"][0]["columns"] == ["x", "y", "z"]
    assert drop["data"] == [{"name": "frame_a", "change": "deleted"}]


def test_files_read_and_written_are_hashed(shell, recorder, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("a,b\n1,2\n")
    shell.user_ns.update(pd=pd, in_path=str(source))
    target = tmp_path / "out.csv"
    run(shell, f"loaded = pd.read_csv(in_path)\nloaded.to_csv({str(target)!r}, index=False)",
        "io")
    (record,) = cell_records(recorder)
    read, write = record["files"]
    assert read["mode"] == "read" and read["variable"] == "in_path"
    assert read["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert write["mode"] == "write" and write["path"] == str(target)
    assert write["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_check_report_is_recorded_and_linked_to_its_cell(shell, recorder):
    report = Report(check="modelscan", subject="model.pkl", findings=[
        Finding(rule="MODEL-PICKLE-EXEC", severity=Severity.CRITICAL, title="exec",
                detail="os.system")])
    shell.user_ns["record_check"] = lambda: recorder.record_check(report)
    run(shell, "stored = record_check()", cell_id="scan-cell")
    checks = [r for r in read_records(recorder.path) if r["kind"] == "check"]
    (check,) = checks
    assert check["cell"]["id"] == "scan-cell"
    assert check["summary"]["max_severity"] == "critical"
    assert check["summary"]["findings"] == 1
    assert check["report"] == json.loads(report.to_json())
    assert shell.user_ns["stored"]["hash"] == check["hash"]
    assert verify(recorder.path).ok


def test_record_check_outside_a_cell_takes_an_explicit_cell_id(recorder):
    record = recorder.record_check(Report(check="pii", subject="df"), cell_id="given")
    assert record["cell"]["id"] == "given" and record["seq"] == 1


def test_model_backward_slice_from_a_real_session(shell, recorder):
    run(shell, "from sklearn.linear_model import LogisticRegression\nimport numpy as np", "imp")
    run(shell, "features = np.arange(20.0).reshape(10, 2)\nlabels = np.arange(10) % 2", "data")
    run(shell, "noise = np.ones(3)", "noise")
    run(shell, "clf = LogisticRegression()", "make")
    run(shell, "clf.fit(features, labels)", "fit")
    run(shell, "print(clf.coef_)", "show")
    sliced = backward_slice(read_records(recorder.path), "clf")
    assert [r["cell"]["id"] for r in sliced] == ["imp", "data", "make", "fit"]
    data_cell = sliced[1]
    assert {d["name"] for d in data_cell["data"]} == {"features", "labels"}


def test_packages_imported_by_a_cell_are_named(shell, recorder):
    import sys
    import types

    module = types.ModuleType("mlsec_recorded_pkg")
    module.__version__ = "1.2.3"
    shell.user_ns["_install"] = lambda: sys.modules.setdefault("mlsec_recorded_pkg", module)
    try:
        run(shell, "_install()", "imports")
    finally:
        sys.modules.pop("mlsec_recorded_pkg", None)
    (record,) = cell_records(recorder)
    assert record["packages"] == {"mlsec_recorded_pkg": "1.2.3"}


def test_nested_run_cell_records_both(shell, recorder):
    shell.user_ns["_shell"] = shell
    run(shell, "_shell.run_cell('inner_value = 1')\nouter_value = 2", "outer")
    records = cell_records(recorder)
    assert [r["names"]["defined"] for r in records] == [["inner_value"], ["outer_value"]]
    assert records[1]["cell"]["id"] == "outer"


def test_recorder_failure_never_breaks_the_cell_and_records_are_kept(shell, tmp_path,
                                                                      caplog):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the .mlsec folder should be")
    recorder = LineageRecorder(path_resolver=lambda: blocker / "nb.lineage.jsonl")
    with caplog.at_level(logging.WARNING, logger="mlsecops_jupyter.lineage"):
        recorder.attach(shell)
        try:
            first = run(shell, "kept_1 = 1", "k1")
            second = run(shell, "kept_2 = 2", "k2")
            assert first.success and second.success
            assert shell.user_ns["kept_2"] == 2
            assert recorder.flush(timeout=30)  # the writer has tried (and failed) by now
            warnings = [r for r in caplog.records if "cannot write" in r.getMessage()]
            assert len(warnings) == 1, "warned once, not per cell"
            blocker.unlink()
            blocker.mkdir()
            run(shell, "kept_3 = 3", "k3")
        finally:
            recorder.detach(shell)
    records = read_records(recorder.path)
    assert [r["kind"] for r in records] == ["session", "cell", "cell", "cell"]
    assert [r["cell"]["id"] for r in records[1:]] == ["k1", "k2", "k3"]
    assert verify(recorder.path).ok


class _BrokenFrame(pd.DataFrame):
    """A frame whose content cannot be read: the recorder must note it and go on."""

    @property
    def dtypes(self):
        raise RuntimeError("no dtypes today")


def test_unreadable_data_is_noted_and_the_record_still_written(shell, recorder):
    shell.user_ns["_BrokenFrame"] = _BrokenFrame
    result = run(shell, "odd = _BrokenFrame({'a': [1]})", "odd")
    assert result.success
    (record,) = cell_records(recorder)
    (entry,) = record["data"]
    assert entry["change"] == "unreadable" and "no dtypes today" in entry["error"]


def test_notebook_path_from_jupyter_server_session(shell, tmp_path, monkeypatch):
    monkeypatch.delenv("MLSEC_LINEAGE_FILE", raising=False)
    notebook = tmp_path / "project" / "train.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    recorder = LineageRecorder()
    assert recorder.path == tmp_path / "project" / ".mlsec" / "train.ipynb.lineage.jsonl"
    recorder.attach(shell)
    try:
        run(shell, "located = True", "loc")
    finally:
        recorder.detach(shell)
    (record,) = cell_records(recorder)
    assert record["cell"]["notebook"] == str(notebook)


def test_settings_pin_file_and_notebook(tmp_path):
    pinned = tmp_path / "pinned.jsonl"
    recorder = LineageRecorder(settings={"file": str(pinned), "notebook": "nb.ipynb"})
    assert recorder.path == pinned and recorder.notebook_path() == "nb.ipynb"
    assert LineageRecorder(settings=LineageSettings(redact=False)).settings.redact is False


def test_unknown_setting_is_a_config_error():
    from mlsecops_jupyter.core import MLSecError

    with pytest.raises(MLSecError, match=r"unknown setting lineage\."):
        LineageRecorder(settings={"fsyncc": True})


def test_detach_stops_recording(shell, recorder):
    recorder.detach(shell)
    run(shell, "after_detach = 1")
    assert cell_records(recorder) == []


@pytest.mark.parametrize("terms", [1_200, 2_500])
def test_cell_too_nested_to_analyse_is_still_recorded(shell, recorder, terms):
    run(shell, "deep = " + "+".join(["1"] * terms), "deep")
    (record,) = cell_records(recorder)
    assert record["cell"]["id"] == "deep"
    assert record["names"]["parse_error"] or record["names"]["defined"] == ["deep"]


def test_data_bound_where_the_code_does_not_show_it_is_still_found(shell, recorder):
    shell.user_ns["pd"] = pd
    run(shell, "def load():\n    global loaded_frame\n    loaded_frame = pd.DataFrame({'a': [1]})",
        "define")
    run(shell, "load()", "call")
    run(shell, "exec(\"hidden_frame = pd.DataFrame({'b': [2]})\")", "exec")
    run(shell, "load()", "call-again")
    define, call, via_exec, again = cell_records(recorder)
    assert define["data"] == []
    assert [(d["name"], d["change"]) for d in call["data"]] == [("loaded_frame", "created")]
    assert [(d["name"], d["change"]) for d in via_exec["data"]] == [("hidden_frame", "created")]
    # a tracked name rebound to a new object is seen through its identity signal
    assert [(d["name"], d["change"]) for d in again["data"]] == []  # same content, same data


def test_disabled_recorder_records_nothing(shell, tmp_path):
    path = tmp_path / "off.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path, settings={"enabled": False})
    recorder.attach(shell)
    try:
        run(shell, "quiet = 1")
        assert recorder.record_check(Report(check="pii", subject="df")) == {}
    finally:
        recorder.detach(shell)
    assert not path.exists()


def test_error_with_an_unprintable_message_is_recorded(shell, recorder):
    """IPython's own error display fails here and hands over a new ExecutionInfo."""
    weird = type("Weird", (Exception,), {"__str__": lambda self: 1 / 0})
    shell.user_ns["_Weird"] = weird
    run(shell, "raise _Weird()", "weird")
    (record,) = cell_records(recorder)
    assert record["cell"]["id"] == "weird"
    assert record["outcome"]["status"] == "error"
    outcome, message = recorder._outcome(SimpleNamespace(error_before_exec=None,
                                                         error_in_exec=weird()))
    assert outcome["status"] == "error" and outcome["error"]["type"] == "Weird"
    assert message == "<Weird with an unprintable message>"


def test_a_file_written_through_a_path_expression_is_fingerprinted(shell, recorder, tmp_path):
    """``joblib.dump(model, artifacts / "m.joblib")``: the common way to save a model."""
    shell.user_ns["artifacts"] = tmp_path
    run(shell, 'open(artifacts / "saved.bin", "wb").write(b"weights")', cell_id="save")
    (record,) = [r for r in cell_records(recorder) if r["cell"]["id"] == "save"]
    (entry,) = record["files"]
    assert entry["expression"] == "artifacts / 'saved.bin'"
    assert entry["path"] == str(tmp_path / "saved.bin")
    assert entry["mode"] == "write" and entry["size"] == len(b"weights")
    assert entry["sha256"] == hashlib.sha256(b"weights").hexdigest()


@pytest.mark.parametrize("bad_line", [
    b'{"schema":"mlsecops-lineage/1","seq":9,"prev":"0","hash":"x","v":NaN}',
    b'{"schema":"mlsecops-lineage/1","seq":9,"hash":"x","v":' + b"[" * 100_000 +
    b"]" * 100_000 + b"}",
])
def test_recording_goes_on_after_an_unparsable_record(shell, recorder, caplog, bad_line):
    """Issue 13: one NaN record at the end silently stopped recording for the session."""
    run(shell, "before_bad = 1", cell_id="before")
    recorder.flush()
    with recorder.path.open("ab") as handle:
        handle.write(bad_line + b"\n")
    with caplog.at_level(logging.WARNING, logger="mlsecops_jupyter.lineage"):
        for n in range(3):
            assert run(shell, f"after_bad_{n} = {n}", cell_id=f"after-{n}").success
        stored = recorder.record_check(Report(check="pii", subject="df"))
    assert stored.get("hash"), "the check was not written"
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    assert recorder.errors == 0
    records = read_records(recorder.path)
    kinds = [r["kind"] for r in records]
    assert kinds == ["session", "cell", "recovery", "cell", "cell", "cell", "check"]
    result = verify(recorder.path)
    assert result.ok and result.recovered == 1, result.reason
