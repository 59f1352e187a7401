"""The closing summary of ``mlsec execute`` on a run built in memory (no kernel needed)."""

from __future__ import annotations

from pathlib import Path

from mlsecops_jupyter.core import Finding, Location, Report, Severity
from mlsecops_jupyter.runner.execute import CellOutput, NotebookRun
from mlsecops_jupyter.runner.summary import summary_text, verdict


def _finding(rule: str, severity: Severity, accepted: str | None = None) -> Finding:
    return Finding(rule, severity, rule.lower(), "detail", Location(), {}, "fix",
                   accepted=accepted)


def test_accepted_findings_are_counted_apart_and_never_fail() -> None:
    reports = [
        Report("notebook", "a.ipynb", [_finding("SECRET-AWS-SECRET-KEY", Severity.CRITICAL,
                                                accepted="rotated, test account")]),
        Report("leakage", "a.ipynb", [_finding("LEAK-PREPROCESSING", Severity.HIGH),
                                      _finding("LEAK-MULTI-TEST", Severity.LOW)]),
        Report("leakage", "a.ipynb"),
    ]
    cells = [CellOutput(0, "%load_ext mlsecops_jupyter"), CellOutput(2, "x = 1")]
    run = NotebookRun(Path("a.ipynb"), None, cells, reports=reports)
    assert summary_text(run, Severity.HIGH).splitlines() == [
        "=== mlsec execute: a.ipynb (fail-on high)",
        "findings by check and severity:",
        "  check     runs  critical      high    medium       low      info  accepted",
        "  leakage      2         0         1         0         1         0         0",
        "  notebook     1         0         0         0         0         0         1",
        "result: FAILED: 1 finding at or above high",
    ]
    assert verdict(run, Severity.CRITICAL) == "passed"  # the critical one was accepted
    assert verdict(run, None) == "passed"


def test_failed_cells_and_cells_not_run_are_listed() -> None:
    cells = [CellOutput(1, "ok"), CellOutput(3, "boom", error="ValueError: " + "x" * 400),
             CellOutput(4, "raises on purpose", error="KeyError: 'k'", expected_error=True),
             CellOutput(6, "later", ran=False), CellOutput(7, "later", ran=False),
             CellOutput(9, "last", ran=False)]
    run = NotebookRun(Path("b.ipynb"), None, cells, error="ValueError")
    lines = summary_text(run, Severity.HIGH).splitlines()
    assert lines[1] == "checks: none ran"
    assert lines[2:4] == ["failed cells:", "  cell 3: boom  ->  ValueError: " + "x" * 145 + "..."]
    assert lines[4:] == ["not run: cells 6-7, 9 (3 cells)", "result: FAILED: 1 cell failed"]
