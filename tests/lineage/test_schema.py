"""Every kind of record a real session writes validates against the shipped JSON Schema."""

from __future__ import annotations

import copy

import jsonschema
import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.core import Finding, Report, Severity
from mlsecops_jupyter.lineage import LineageRecorder, load_schema, read_records
from mlsecops_jupyter.lineage.schema import SCHEMA, SCHEMA_FILE
from mlsecops_jupyter.lineage.store import LineageStore


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def session_records(shell, tmp_path, tmp_path_factory) -> list[dict]:
    """A session with every record kind: session, cells (data, files, error), check, recovery,
    signature."""
    from mlsecops_jupyter.lineage.signing import generate_key, load_key, sign

    path = tmp_path / "nb.lineage.jsonl"
    recorder = LineageRecorder(path_resolver=lambda: path)
    recorder.attach(shell)
    shell.user_ns.update(pd=pd, np=np, csv_path=str(tmp_path / "t.csv"))
    try:
        shell.run_cell("table = pd.DataFrame({'a': [1.0, np.nan]})\ntable.to_csv(csv_path)",
                       store_history=True, cell_id="frame")
        shell.run_cell("grid = np.zeros((3, 3))\nbroken = 1 / 0", store_history=True)
        shell.run_cell("%time missing = pd.read_csv('absent.csv')", store_history=True)
        recorder.record_check(Report(
            check="bias", subject="model", metrics={"ratio": float("nan"), "n": np.int64(3)},
            findings=[Finding(rule="BIAS-X", severity=Severity.HIGH, title="t", detail="d")]))
        path.write_bytes(path.read_bytes() + b'{"schema": "mlsecops-lin')
        shell.run_cell("after_torn = 1", store_history=True, cell_id="after")
    finally:
        recorder.detach(shell)
    key_file = tmp_path_factory.mktemp("keys") / "lineage.key"
    generate_key(key_file)
    sign(path, load_key(key_file, path))
    return read_records(path)


def test_schema_file_ships_inside_the_package():
    assert SCHEMA_FILE.is_file()
    assert load_schema()["properties"]["schema"]["const"] == SCHEMA


def test_real_records_validate(validator, session_records):
    kinds = [r["kind"] for r in session_records]
    assert set(kinds) == {"session", "cell", "check", "recovery", "signature"}
    for record in session_records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, f"{record['kind']} record: {errors[0].message}"


@pytest.mark.parametrize(("kind", "breaks"), [
    ("cell", lambda r: r.pop("code")),
    ("cell", lambda r: r["outcome"].update(status="maybe")),
    ("cell", lambda r: r.update(hash="not-a-hash")),
    ("cell", lambda r: r["data"].append({"name": "x", "change": "created"})),
    ("check", lambda r: r["report"].update(schema="other/1")),
    ("session", lambda r: r["env"].pop("python")),
    ("recovery", lambda r: r["torn"].update(length=0)),
    ("signature", lambda r: r.update(mac="not-hex")),
    ("signature", lambda r: r["signed"].pop("head")),
    ("cell", lambda r: r["code"].update(sha256_of="original")),
])
def test_schema_rejects_broken_records(validator, session_records, kind, breaks):
    record = copy.deepcopy(next(r for r in session_records if r["kind"] == kind))
    breaks(record)
    assert list(validator.iter_errors(record))


def test_minimal_store_records_validate_too(validator, tmp_path):
    path = tmp_path / "log.jsonl"
    LineageStore(path).append({"kind": "check", "session": None,
                               "cell": {"id": None, "execution_count": None, "notebook": None},
                               "summary": {"check": "scan", "subject": "m", "findings": 0,
                                           "by_severity": {}, "max_severity": None},
                               "report": Report(check="scan", subject="m").to_dict()})
    (record,) = read_records(path)
    assert not list(validator.iter_errors(record))
