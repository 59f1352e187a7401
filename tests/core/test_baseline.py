"""core.baseline: inline ``mlsec: ignore`` comments and the baseline file, on real reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlsecops_jupyter.core.baseline import (
    NO_REASON,
    Baseline,
    accept_inline,
    apply_baseline,
    find_baseline,
    inline_ignores,
)
from mlsecops_jupyter.core.errors import MLSecInputError
from mlsecops_jupyter.core.finding import Finding, Location
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity


def _finding(rule: str = "SECRET-GENERIC", value: str = "s3cr3t-value-1", cell: int = 2,
             file: str = "nb.ipynb", line: int = 3) -> Finding:
    import hashlib

    return Finding(rule, Severity.HIGH, "a title", f"********(14 chars) in cell {cell}",
                   Location(file=file, cell=cell, line=line), {"in": "source"},
                   value_digest=hashlib.sha256(value.encode()).hexdigest())


@pytest.mark.parametrize(("source", "rules", "reason"), [
    ("x = 1  # mlsec: ignore SECRET-GENERIC test fixture key", ("SECRET-GENERIC",),
     "test fixture key"),
    ("# mlsec: ignore PII-EMAIL-ADDRESS, PII-PERSON public demo contacts",
     ("PII-EMAIL-ADDRESS", "PII-PERSON"), "public demo contacts"),
    ("<!-- mlsec: ignore PII-* sample data from the docs -->", ("PII-*",),
     "sample data from the docs"),
    ("#mlsec: ignore SECRET-JWT", ("SECRET-JWT",), NO_REASON),
])
def test_inline_comments_name_rules_and_a_reason(source: str, rules: tuple[str, ...],
                                                 reason: str) -> None:
    [ignore] = inline_ignores("import os\n" + source + "\nprint(1)")
    assert ignore.rules == rules and ignore.reason == reason


def test_an_inline_comment_accepts_only_the_rules_it_names() -> None:
    ignores = inline_ignores("# mlsec: ignore PII-* demo data")
    email = accept_inline(_finding("PII-EMAIL-ADDRESS"), ignores)
    secret = accept_inline(_finding("SECRET-GENERIC"), ignores)
    assert email.accepted == "demo data" and secret.accepted is None
    assert inline_ignores("no comment here") == []


def test_the_value_digest_never_reaches_json() -> None:
    finding = _finding()
    report = Report("notebook", "nb.ipynb", [finding])
    text = report.to_json()
    assert finding.value_digest is not None and finding.value_digest not in text
    assert Report.from_dict(json.loads(text)).findings[0].value_digest is None


def test_baseline_round_trip_accepts_the_same_finding_after_edits(tmp_path: Path) -> None:
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text("{}")
    baseline = Baseline(tmp_path / ".mlsec" / "baseline.json")
    report = Report("notebook", str(notebook), [_finding(file=str(notebook))])
    added, kept, dropped = baseline.merge(
        [baseline.entry_for(f, report, "fixture key, revoked") for f in report.findings],
        {"nb.ipynb"})
    assert (added, kept, dropped) == (1, 0, 0)
    baseline.save()
    text = (tmp_path / ".mlsec" / "baseline.json").read_text()
    assert "s3cr3t-value-1" not in text and report.findings[0].value_digest not in text
    loaded = Baseline.load(tmp_path / ".mlsec" / "baseline.json")
    assert loaded.entries[0].file == "nb.ipynb" and loaded.entries[0].where == "cell 2"
    # the cell moved and the line changed: still the same finding
    moved = Report("notebook", str(notebook), [_finding(file=str(notebook), cell=7, line=1)])
    [accepted] = loaded.apply(moved).findings
    assert accepted.accepted == "fixture key, revoked"
    assert not loaded.apply(moved).fails("high")
    # another value in the same place is a new finding
    other = Report("notebook", str(notebook), [_finding(file=str(notebook), value="new-key-2")])
    assert loaded.apply(other).findings[0].accepted is None
    assert loaded.apply(other).fails("high")


def test_merge_keeps_reasons_and_drops_entries_no_longer_found(tmp_path: Path) -> None:
    baseline = Baseline(tmp_path / ".mlsec" / "baseline.json")
    report = Report("notebook", "nb.ipynb", [_finding(value="a"), _finding(value="b")])
    baseline.merge([baseline.entry_for(f, report, "reviewed") for f in report.findings],
                   {"nb.ipynb"})
    again = Report("notebook", "nb.ipynb", [_finding(value="a"), _finding(value="c")])
    added, kept, dropped = baseline.merge(
        [baseline.entry_for(f, again, "second run") for f in again.findings], {"nb.ipynb"})
    assert (added, kept, dropped) == (1, 1, 1)
    assert sorted(e.reason for e in baseline.entries) == ["reviewed", "second run"]


def test_findings_without_a_value_match_on_their_detail_without_numbers(tmp_path: Path) -> None:
    baseline = Baseline(tmp_path / ".mlsec" / "baseline.json")
    first = Finding("LEAK-ROW-OVERLAP", Severity.HIGH, "Rows shared", "312 rows (4.1 %) shared")
    second = Finding("LEAK-ROW-OVERLAP", Severity.HIGH, "Rows shared", "318 rows (4.2 %) shared")
    report = Report("leakage", "train.csv", [first])
    baseline.merge([baseline.entry_for(first, report, "known duplicates")], {"train.csv"})
    assert baseline.apply(Report("leakage", "train.csv", [second])).findings[0].accepted


def test_find_and_apply_from_the_project_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    nested = tmp_path / "notebooks" / "deep"
    nested.mkdir(parents=True)
    assert find_baseline(Settings(), nested) is None
    baseline = Baseline(tmp_path / ".mlsec" / "baseline.json")
    baseline.save()
    assert find_baseline(Settings(), nested) == tmp_path / ".mlsec" / "baseline.json"
    report = Report("notebook", "x.ipynb", [_finding()])
    assert apply_baseline(report, Settings(), nested) is report  # nothing listed: unchanged


def test_a_configured_baseline_must_exist_and_be_one(tmp_path: Path) -> None:
    report = Report("notebook", "x.ipynb", [_finding()])
    missing = Settings().override({"baseline": str(tmp_path / "nope.json")})
    with pytest.raises(MLSecInputError, match="no baseline file"):
        apply_baseline(report, missing)
    bad = tmp_path / "bad.json"
    for content in ("[1, 2]", "{not json", '{"schema": "mlsec-baseline/1", "entries": []}',
                    "[" * 100_000):
        bad.write_text(content)
        with pytest.raises(MLSecInputError, match="is not an mlsec baseline file"):
            Baseline.load(bad)
