"""The three views of a report: deterministic text, safe self-contained HTML, a stateful widget."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import traitlets
from html_tree import parse_tags

from mlsecops_jupyter.core import Finding, Location, Report, Severity, Skipped
from mlsecops_jupyter.core.report import Figure
from mlsecops_jupyter.display import (
    WIDGET_MIME,
    render_html,
    render_text,
    report_mimebundle,
    widgets_available,
)

HOSTILE_NAME = "<img src=x onerror=alert(1)>.pkl"
# the smallest valid PNG (1x1, transparent): a real image for the figure test
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _finding(rule: str, severity: Severity, file: str, offset: int | None = None,
             remediation: str = "Do not load this file.", **evidence: object) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        title=f"title of {rule}",
        detail=f"detail of {rule} in {file}",
        location=Location(file=file, member="archive/data.pkl" if offset else None,
                          offset=offset),
        evidence=dict(evidence),
        remediation=remediation,
    )


def _report(elapsed: float = 0.5) -> Report:
    return Report(
        check="modelscan",
        subject="model.pt, " + HOSTILE_NAME,
        findings=[
            _finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM, "model.pt", 80,
                     remediation="Allow it in [tool.mlsec.modelscan.globals] if it is yours.",
                     module="mylib", name="Net"),
            _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, HOSTILE_NAME, None,
                     remediation="Never load it.", module="os", name="system",
                     argument="</pre><script>alert(2)</script>"),
            _finding("MODEL-UNSUPPORTED", Severity.LOW, "notes.txt"),
            _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, "model.pt", 123,
                     remediation="Rebuild the checkpoint.", module="posix", name="system"),
        ],
        metrics={
            "files": [
                {"file": "model.pt", "format": "torch-zip"},
                {"file": "model.pt", "member": "archive/data.pkl", "format": "pickle"},
                {"file": HOSTILE_NAME, "format": "pickle"},
                {"file": "notes.txt", "format": "unknown"},
            ],
            "files_scanned": 3,
            "bytes_scanned": 4096,
            "globals": {"os.system": 1, "mylib.Net": 1, "posix.system": 1},
            "scan_seconds": elapsed,
        },
        skipped=[Skipped("model.pt!archive/data/0", "tensor storage, not code")],
        elapsed_s=elapsed,
    )


# -- text ---------------------------------------------------------------------------------------
def test_text_is_deterministic_and_ignores_timing() -> None:
    assert render_text(_report(0.5)) == render_text(_report(3.25))
    text = render_text(_report())
    assert "0.5" not in text and "3.25" not in text
    assert not re.search(r"0x[0-9a-f]{6,}", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_text_has_header_rule_ids_and_locations_most_severe_first() -> None:
    text = render_text(_report())
    lines = text.splitlines()
    assert lines[0] == (
        f"modelscan on model.pt, {HOSTILE_NAME}: 4 findings "
        "(critical 2, high 0, medium 1, low 1, info 0)"
    )
    headings = [line for line in lines if line.startswith("[")]
    assert headings == [
        f"[CRITICAL] MODEL-PICKLE-EXEC  {HOSTILE_NAME}",
        "[CRITICAL] MODEL-PICKLE-EXEC  model.pt!archive/data.pkl@123",
        "[MEDIUM] MODEL-PICKLE-UNKNOWN-GLOBAL  model.pt!archive/data.pkl@80",
        "[LOW] MODEL-UNSUPPORTED  notes.txt",
    ]
    assert "    title of MODEL-PICKLE-EXEC" in lines
    assert "    fix: Rebuild the checkpoint." in lines
    assert "  - model.pt!archive/data/0: tensor storage, not code" in lines
    assert "scanned: 3 files, 4096 bytes; formats: pickle 2, torch-zip 1, unknown 1" in lines
    assert "globals: mylib.Net (1), os.system (1), posix.system (1)" in lines


def test_text_lines_stay_within_the_width() -> None:
    long_detail = "word " * 80
    report = Report("modelscan", "m.pkl", findings=[
        Finding("MODEL-MALFORMED", Severity.MEDIUM, "t", long_detail, Location(file="m.pkl"))
    ])
    assert max(len(line) for line in render_text(report).splitlines()) <= 100


def test_text_escapes_terminal_control_and_bidi_characters() -> None:
    sneaky = "evil\x1b[2J\x1b[31m\u202egnp.pkl"
    report = Report("modelscan", sneaky, findings=[
        Finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, "t", "line one\nline two",
                Location(file=sneaky), {"name": "a\x07b"})
    ])
    text = render_text(report)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "evil\\x1b[2J\\x1b[31m\\u202egnp.pkl" in text
    assert "    line one" in text and "    line two" in text


def test_text_says_how_many_findings_it_leaves_out() -> None:
    text = render_text(_report(), max_findings=1)
    assert text.count("[CRITICAL]") == 1 and "[LOW]" not in text
    assert "... and 3 more finding(s) not shown" in text


def test_text_of_a_clean_report() -> None:
    report = Report("modelscan", "clean.joblib",
                    metrics={"files": [{"file": "clean.joblib", "format": "joblib"}]})
    assert render_text(report) == (
        "modelscan on clean.joblib: no findings\n\nscanned: 1 file; formats: joblib 1"
    )


# -- HTML (more in test_html.py) ----------------------------------------------------------------
def test_html_has_no_script_and_escapes_hostile_names_and_evidence() -> None:
    markup = render_html(_report())
    assert "<script" not in markup.lower() and "javascript:" not in markup.lower()
    assert HOSTILE_NAME not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;.pkl" in markup
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in markup
    for _, attrs in parse_tags(markup):
        assert not any(name.startswith("on") for name in attrs)


def test_html_embeds_figures_as_data_images_at_a_capped_width() -> None:
    report = Report("explain", "model", figures=[Figure("importance <top 10>", PNG_1X1,
                                                        width=320)])
    markup = render_html(report)
    assert f'src="data:image/png;base64,{base64.b64encode(PNG_1X1).decode()}"' in markup
    assert 'alt="importance &lt;top 10&gt;"' in markup and 'width="320"' in markup
    assert "max-width: 100%" in markup
    assert "No findings." in markup


# -- widget -------------------------------------------------------------------------------------
def test_widget_counts_and_rows_follow_the_filter() -> None:
    from mlsecops_jupyter.display.widget import ReportWidget

    report = _report()
    widget = ReportWidget(report)
    assert widget.counts == {"critical": 2, "high": 0, "medium": 1, "low": 1, "info": 0}
    assert widget.visible == [0, 1, 2, 3]
    assert len(widget.findings_list.options) == 4
    widget.min_severity = "critical"
    assert [f.rule for f in widget.visible_findings] == ["MODEL-PICKLE-EXEC"] * 2
    assert len(widget.findings_list.options) == 2
    widget.severity_filter.value = "medium"  # the buttons drive the same state
    assert widget.min_severity == "medium"
    assert len(widget.visible) == 3
    widget.min_severity = "HIGH"
    assert widget.min_severity == "high" and len(widget.visible) == 2
    with pytest.raises(traitlets.TraitError):
        widget.min_severity = "severe"


def test_selecting_a_finding_shows_its_details_and_remediation() -> None:
    from mlsecops_jupyter.display.widget import ReportWidget

    report = _report()
    widget = ReportWidget(report)
    assert widget.selected == 0 and "Never load it." in widget.details.value
    unknown = next(i for i, f in enumerate(report.findings)
                   if f.rule == "MODEL-PICKLE-UNKNOWN-GLOBAL")
    widget.findings_list.value = unknown  # as a click in the list does
    assert widget.selected == unknown
    assert "Allow it in [tool.mlsec.modelscan.globals]" in widget.details.value
    assert "mylib" in widget.details.value
    assert HOSTILE_NAME not in widget.details.value
    widget.min_severity = "critical"  # the selection is filtered out: first visible instead
    assert widget.selected == 0 and widget.findings_list.value == 0
    widget.selected = 1
    assert widget.findings_list.value == 1 and "Rebuild the checkpoint." in widget.details.value


def test_widget_of_a_clean_report_and_an_empty_filter() -> None:
    from mlsecops_jupyter.display.widget import ReportWidget

    clean = ReportWidget(Report("modelscan", "clean.joblib"))
    assert clean.visible == [] and clean.selected is None
    assert clean.findings_list not in clean.children
    assert "No findings." in clean.header.value
    low_only = ReportWidget(Report("modelscan", "x", findings=[
        _finding("MODEL-UNSUPPORTED", Severity.LOW, "x")
    ]), min_severity="high")
    assert low_only.visible == [] and low_only.selected is None
    assert "No findings at or above high" in low_only.overflow_note.value


def test_widget_lists_at_most_max_rows_and_says_so() -> None:
    from mlsecops_jupyter.display.widget import ReportWidget

    many = Report("modelscan", "x", findings=[
        _finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM, "x", offset)
        for offset in range(1, 31)
    ])
    widget = ReportWidget(many, max_rows=10)
    assert len(widget.findings_list.options) == 10
    assert "20 more finding(s)" in widget.overflow_note.value


def test_widget_lists_accepted_findings_as_such_and_counts_them_apart() -> None:
    from dataclasses import replace

    from mlsecops_jupyter.display.widget import ReportWidget

    report = _report()
    findings = list(report.findings)
    findings[0] = replace(findings[0], accepted="reviewed: fixture")
    widget = ReportWidget(replace(report, findings=findings))
    assert widget.accepted == 1
    assert widget.counts == {"critical": 1, "high": 0, "medium": 1, "low": 1, "info": 0}
    assert widget.visible[-1] == 0  # accepted ones are listed last
    assert widget.findings_list.options[-1][0].endswith("(accepted)")
    assert "accepted 1" in widget.header.value
    widget.selected = 0
    assert "ACCEPTED" in widget.details.value and "reviewed: fixture" in widget.details.value


# -- mimebundle ---------------------------------------------------------------------------------
def test_the_output_is_html_and_text_only_never_a_widget_view() -> None:
    """A widget view saved in a notebook shows "model not found" once the kernel is gone."""
    report = _report()
    bundle = report_mimebundle(report)
    assert set(bundle) == {"text/html", "text/plain"}
    assert WIDGET_MIME not in bundle
    assert bundle["text/plain"] == render_text(report)
    assert bundle["text/html"] == render_html(report)


def test_show_displays_one_output_marked_as_ours(tmp_path: Path) -> None:
    from ipshell import loaded_shell
    from IPython.utils.capture import capture_output

    from mlsecops_jupyter.core.output_marker import is_report_output
    from mlsecops_jupyter.display import show

    report = _report()
    with loaded_shell(tmp_path), capture_output() as captured:
        show(report)
    (output,) = captured.outputs
    assert set(output.data) == {"text/html", "text/plain"}
    assert output.metadata["mlsecops_jupyter"]["check"] == "modelscan"
    assert is_report_output({"output_type": "display_data", "data": output.data,
                             "metadata": output.metadata})


def test_widgets_are_not_available_without_a_kernel() -> None:
    assert not widgets_available()  # pytest runs no kernel
