"""The report JSON (``mlsecops-report/1``) is a contract: every check and consumer relies on it.

Shape as issue 2 specifies it, exact round trips, merging many inputs into ONE object, and an
order that does not depend on the order findings were found in.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.core import (
    SCHEMA,
    Finding,
    Location,
    MLSecInputError,
    Report,
    Severity,
    Skipped,
)
from mlsecops_jupyter.core.finding import LOCATION_KEYS

TOP_LEVEL_KEYS = {
    "schema", "check", "subject", "tool_version", "findings", "metrics", "skipped", "elapsed_s",
}
FINDING_KEYS = {"rule", "severity", "title", "detail", "location", "evidence", "remediation"}
SEVERITY_NAMES = {"info", "low", "medium", "high", "critical"}


def _finding(rule: str, severity: Severity, **location: object) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        title=f"{rule} title",
        detail=f"{rule} detail",
        location=Location(**location),  # type: ignore[arg-type]
        evidence={"global": "os.system", "count": 2},
        remediation="Do not load this file.",
    )


def _sample_report() -> Report:
    return Report(
        check="modelscan",
        subject="model.pt",
        findings=[
            _finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM, file="a.pkl", offset=40),
            _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, file="model.pt",
                     member="archive/data.pkl", offset=123),
            _finding("LEAK-PREPROC-BEFORE-SPLIT", Severity.HIGH, cell=3, line=2, column=5),
            _finding("PII-EMAIL", Severity.LOW, cell=1, output=0, column="email"),
            _finding("MODEL-UNSUPPORTED", Severity.INFO),
        ],
        metrics={"files": [{"file": "model.pt", "format": "torch-zip"}], "opcodes": 812},
        skipped=[Skipped("model.pt!archive/data/0", "tensor storage, not code")],
        elapsed_s=0.125,
    )


def test_json_has_exactly_the_keys_and_types_of_the_issue() -> None:
    data = json.loads(_sample_report().to_json())
    assert set(data) == TOP_LEVEL_KEYS
    assert data["schema"] == SCHEMA == "mlsecops-report/1"
    for key in ("check", "subject", "tool_version"):
        assert isinstance(data[key], str)
    assert isinstance(data["metrics"], dict)
    assert isinstance(data["elapsed_s"], float)
    assert data["skipped"] == [{"what": "model.pt!archive/data/0",
                                "why": "tensor storage, not code"}]
    for finding in data["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in SEVERITY_NAMES
        for key in ("rule", "title", "detail", "remediation"):
            assert isinstance(finding[key], str)
        assert isinstance(finding["evidence"], dict)
        assert isinstance(finding["location"], dict)


def test_elapsed_is_a_float_even_when_given_an_int() -> None:
    data = json.loads(Report("modelscan", "x", elapsed_s=2).to_json())  # type: ignore[arg-type]
    assert isinstance(data["elapsed_s"], float)


def test_location_carries_only_the_keys_that_apply() -> None:
    locations = [f["location"] for f in _sample_report().to_dict()["findings"]]
    assert locations == [
        {"file": "model.pt", "member": "archive/data.pkl", "offset": 123},
        {"cell": 3, "line": 2, "column": 5},
        {"file": "a.pkl", "offset": 40},
        {"cell": 1, "output": 0, "column": "email"},
        {},
    ]
    for location in locations:
        assert set(location) <= set(LOCATION_KEYS)
        assert None not in location.values()
    assert set(LOCATION_KEYS) == {"file", "member", "offset", "cell", "output", "line", "column"}


def test_findings_are_most_severe_first_whatever_order_they_were_added() -> None:
    report = _sample_report()
    shuffled = list(report.findings)
    random.Random(7).shuffle(shuffled)
    again = Report(report.check, report.subject, findings=shuffled, metrics=report.metrics,
                   skipped=report.skipped, elapsed_s=report.elapsed_s)
    assert again.to_json() == report.to_json()
    severities = [f.severity for f in report.findings]
    assert severities == sorted(severities, reverse=True)


def test_round_trip_through_dict_and_json_is_exact() -> None:
    report = _sample_report()
    back = Report.from_dict(json.loads(report.to_json()))
    assert back.to_dict() == report.to_dict()
    assert back.findings == report.findings
    assert back.skipped == report.skipped


def test_from_dict_refuses_other_schemas() -> None:
    data = _sample_report().to_dict()
    data["schema"] = "mlsecops-report/0"
    with pytest.raises(MLSecInputError, match="mlsecops-report/1"):
        Report.from_dict(data)


def test_merge_of_many_reports_is_one_object() -> None:
    parts = [
        Report("modelscan", "a.pkl", findings=[_finding("MODEL-PICKLE-EXEC", Severity.CRITICAL,
                                                         file="a.pkl", offset=1)],
               metrics={"files": [{"file": "a.pkl", "format": "pickle"}], "opcodes": 10},
               skipped=[Skipped("a.pkl: tail", "after STOP")], elapsed_s=0.5),
        Report("modelscan", "b.joblib",
               findings=[_finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM,
                                  file="b.joblib", offset=9)],
               metrics={"files": [{"file": "b.joblib", "format": "joblib"}], "opcodes": 32},
               elapsed_s=0.25),
        Report("modelscan", "c.npy",
               metrics={"files": [{"file": "c.npy", "format": "numpy"}], "opcodes": 0}),
    ]
    merged = Report.merge(parts, check="modelscan", subject="a.pkl, b.joblib, c.npy")
    data = json.loads(merged.to_json())
    assert isinstance(data, dict) and set(data) == TOP_LEVEL_KEYS
    assert data["subject"] == "a.pkl, b.joblib, c.npy"
    assert [f["rule"] for f in data["findings"]] == [
        "MODEL-PICKLE-EXEC", "MODEL-PICKLE-UNKNOWN-GLOBAL"
    ]
    assert [f["file"] for f in data["metrics"]["files"]] == ["a.pkl", "b.joblib", "c.npy"]
    assert data["metrics"]["opcodes"] == 42
    assert data["skipped"] == [{"what": "a.pkl: tail", "why": "after STOP"}]
    assert data["elapsed_s"] == pytest.approx(0.75)


def test_counts_list_every_severity_most_severe_first() -> None:
    counts = _sample_report().counts()
    assert list(counts) == ["critical", "high", "medium", "low", "info"]
    assert counts == {"critical": 1, "high": 1, "medium": 1, "low": 1, "info": 1}
    assert Report("modelscan", "x").counts() == dict.fromkeys(counts, 0)


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [(None, False), ("critical", True), (Severity.HIGH, True), ("info", True)],
)
def test_fails_follows_the_threshold(threshold: object, fails: bool) -> None:
    assert _sample_report().fails(threshold) is fails  # type: ignore[arg-type]


def test_fails_is_false_below_the_threshold() -> None:
    report = Report("modelscan", "x", findings=[_finding("MODEL-UNSUPPORTED", Severity.LOW)])
    assert not report.fails("medium")
    assert report.max_severity is Severity.LOW


def test_numpy_paths_sets_and_bytes_in_metrics_serialise_plainly() -> None:
    report = Report(
        "modelscan", "x",
        metrics={"n": np.int64(3), "ratio": np.float32(0.5), "path": Path("a") / "b",
                 "tags": {"b", "a"}, "magic": b"\x80\x04", "arr": np.arange(3)},
    )
    metrics = json.loads(report.to_json())["metrics"]
    assert metrics == {"n": 3, "ratio": 0.5, "path": str(Path("a") / "b"),
                       "tags": ["a", "b"], "magic": "8004", "arr": [0, 1, 2]}


_text = st.text(max_size=30)
_locations = st.builds(
    Location,
    file=st.none() | _text,
    member=st.none() | _text,
    offset=st.none() | st.integers(min_value=0, max_value=2**40),
    cell=st.none() | st.integers(min_value=0, max_value=500),
    output=st.none() | st.integers(min_value=0, max_value=50),
    line=st.none() | st.integers(min_value=1, max_value=10_000),
    column=st.none() | st.integers(min_value=1, max_value=500) | _text,
)
_findings = st.builds(
    Finding,
    rule=st.from_regex(r"[A-Z]{2,6}(-[A-Z]{2,8}){1,3}", fullmatch=True),
    severity=st.sampled_from(list(Severity)),
    title=_text,
    detail=_text,
    location=_locations,
    evidence=st.dictionaries(st.text(max_size=8), st.integers() | _text | st.booleans(),
                             max_size=3),
    remediation=_text,
)


@settings(max_examples=60, deadline=None)
@given(findings=st.lists(_findings, max_size=6), subject=_text)
def test_any_report_round_trips_through_json(findings: list[Finding], subject: str) -> None:
    report = Report("modelscan", subject, findings=findings)
    text = report.to_json()
    back = Report.from_dict(json.loads(text))
    assert back.to_json() == text
    assert sorted(back.findings, key=Finding.sort_key) == back.findings
