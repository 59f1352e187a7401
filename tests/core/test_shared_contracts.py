"""Contracts several layers rely on: accepted findings, the output marker, progress reporting."""

from __future__ import annotations

import pytest

from mlsecops_jupyter.core import Finding, MLSecCheckFailed, Report, Severity
from mlsecops_jupyter.core.output_marker import (
    OUTPUT_METADATA_KEY,
    is_report_output,
    report_output_metadata,
)
from mlsecops_jupyter.core.progress import task, using_sink


def _report(*findings: Finding) -> Report:
    return Report(check="demo", subject="x", findings=list(findings))


def test_an_accepted_finding_stays_in_the_report_but_does_not_fail_strict_mode() -> None:
    accepted = Finding("SECRET-AWS", Severity.CRITICAL, "key", accepted="test fixture, revoked")
    report = _report(accepted)
    assert report.findings == [accepted]
    assert not report.fails("high")
    assert report.to_dict()["findings"][0]["accepted"] == "test fixture, revoked"
    assert Finding.from_dict(report.to_dict()["findings"][0]) == accepted


def test_one_unaccepted_finding_still_fails_and_the_message_counts_only_it() -> None:
    accepted = Finding("SECRET-AWS", Severity.CRITICAL, "key", accepted="revoked")
    open_one = Finding("PII-EMAIL", Severity.HIGH, "mail")
    report = _report(accepted, open_one)
    assert report.fails("high")
    message = str(MLSecCheckFailed(report, Severity.HIGH))
    assert "1 finding(s)" in message and "PII-EMAIL" in message and "SECRET-AWS" not in message


def test_a_finding_without_acceptance_serialises_as_before() -> None:
    assert "accepted" not in Finding("R-X", Severity.LOW, "t").to_dict()


def test_the_output_marker_holds_only_while_the_output_is_unchanged() -> None:
    data = {"text/plain": "report\nline 2", "text/html": "<div>report</div>"}
    output = {"output_type": "display_data", "data": dict(data),
              "metadata": report_output_metadata("pii", data)}
    assert is_report_output(output)
    # nbformat splits strings into lines on save: still ours
    saved = dict(output, data={"text/plain": ["report\n", "line 2"],
                               "text/html": ["<div>report</div>"]})
    assert is_report_output(saved)
    edited = dict(output, data=dict(data, **{"text/plain": "report\nAKIA..."}))
    assert not is_report_output(edited)
    assert not is_report_output({"output_type": "stream", "text": "x"})
    assert not is_report_output({"data": data, "metadata": {OUTPUT_METADATA_KEY: "forged"}})


class _Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []

    def started(self, label: str, total: int | None) -> None:
        self.events.append(("start", label, total))

    def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
        self.events.append(("step", done, total, note))

    def finished(self, label: str, elapsed_s: float) -> None:
        self.events.append(("end", label))


def test_progress_goes_to_the_installed_sink_and_nowhere_without_one() -> None:
    with task("nothing listens", total=3) as step:
        step.advance()
        assert step.done == 1
    sink = _Recorder()
    with using_sink(sink), task("cells", total=2) as step:
        step.advance(note="cell 0")
        step.update(2, note="cell 1")
    assert sink.events == [("start", "cells", 2), ("step", 1, 2, "cell 0"),
                           ("step", 2, 2, "cell 1"), ("end", "cells")]


def test_the_sink_hears_the_end_of_a_task_that_raised() -> None:
    sink = _Recorder()
    with pytest.raises(RuntimeError), using_sink(sink), task("boom"):
        raise RuntimeError("x")
    assert sink.events[-1] == ("end", "boom")
