"""``lineage.overview``: what the sidebar shows, from logs written by the real recorder/store."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from mlsecops_jupyter.core import Finding, Location, MLSecInputError, Report, Severity
from mlsecops_jupyter.lineage import LineageRecorder, load_schema, read_records, verify
from mlsecops_jupyter.lineage.overview import (
    findings_of,
    last_card_model,
    load_lineage,
    notebook_lineage_file,
    notebook_overview,
    record_static_report,
)


def _report(check: str, *findings: tuple[str, Severity, int | None]) -> Report:
    return Report(check=check, subject="nb.ipynb", findings=[
        Finding(rule=rule, severity=severity, title=rule.lower(), location=Location(cell=cell))
        for rule, severity, cell in findings])


def test_latest_run_of_each_check_replaces_its_findings(shell, tmp_path: Path) -> None:
    path = tmp_path / ".mlsec" / "nb.ipynb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    recorder.attach(shell)
    try:
        shell.run_cell("x = 1", store_history=True, cell_id="c1")
        recorder.record_check(_report("pii", ("PII-EMAIL", Severity.HIGH, 1),
                                      ("PII-PHONE", Severity.LOW, 2)), cell_id="c1")
        recorder.record_check(_report("leakage", ("LEAK-X", Severity.MEDIUM, None)),
                              cell_id="c2")
        recorder.record_check(_report("pii", ("PII-EMAIL", Severity.HIGH, 1)), cell_id="c1")
    finally:
        recorder.detach(shell)
    records, result = load_lineage(path, "nb.ipynb")
    assert result.ok
    findings = findings_of(records)
    assert [(f["rule"], f["severity"], f["cell"], f["cell_id"], f["check"]) for f in findings] == [
        ("PII-EMAIL", "high", 1, "c1", "pii"), ("LEAK-X", "medium", None, "c2", "leakage")]
    overview = notebook_overview("nb.ipynb", ".mlsec/nb.ipynb.lineage.jsonl", records, result)
    assert overview["counts"] == {"records": 5, "sessions": 1, "cells": 1, "checks": 3,
                                  "data": 0, "findings": 2}
    assert overview["by_severity"] == {"critical": 0, "high": 1, "medium": 1, "low": 0,
                                       "info": 0}
    assert [(c["check"], c["runs"]) for c in overview["checks"]] == [("leakage", 1), ("pii", 2)]
    assert [e["kind"] for e in overview["timeline"]] == ["session", "cell", "check", "check",
                                                         "check"]
    assert overview["chain"]["status"] == "verified"


def test_sidebar_scan_records_are_valid_chained_and_join_the_last_session(
        shell, tmp_path: Path) -> None:
    notebook = tmp_path / "nb.ipynb"
    path = notebook_lineage_file(notebook)
    assert path == tmp_path / ".mlsec" / "nb.ipynb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    recorder.attach(shell)
    recorder.detach(shell)
    stored = record_static_report(path, _report("pii", ("PII-EMAIL", Severity.HIGH, 3)),
                                  "nb.ipynb")
    assert stored["seq"] == 1
    assert stored["session"] == recorder.session_id
    assert stored["origin"] == "sidebar"
    assert stored["summary"] == {"check": "pii", "subject": "nb.ipynb", "findings": 1,
                                 "by_severity": {"high": 1}, "max_severity": "high"}
    assert verify(path).ok
    validator = jsonschema.Draft202012Validator(load_schema())
    for record in read_records(path):
        validator.validate(record)


def test_missing_and_corrupt_logs_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(MLSecInputError, match=r"^no lineage log for nb.ipynb yet"):
        load_lineage(tmp_path / "absent.jsonl", "nb.ipynb")
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\x00\x01 not a record\n")
    with pytest.raises(MLSecInputError, match=r"^garbage.jsonl is not a lineage log"):
        load_lineage(garbage, "nb.ipynb")
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    with pytest.raises(MLSecInputError, match=r"^cannot read the lineage log folder.jsonl"):
        load_lineage(folder, "nb.ipynb")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    records, result = load_lineage(empty, "nb.ipynb")
    assert records == [] and result.ok and result.count == 0


def test_last_card_model_is_the_subject_of_the_last_card_record() -> None:
    card = {"kind": "check", "report": {"check": "card", "subject": "model"}}
    other = {"kind": "check", "report": {"check": "pii", "subject": "nb.ipynb"}}
    assert last_card_model([card, other]) == "model"
    assert last_card_model([other]) is None
