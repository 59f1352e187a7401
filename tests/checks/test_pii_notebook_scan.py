"""The notebook scan a team can leave on: what it skips, how it groups, what it accepts.

Real nbformat notebooks, the real offline Presidio engine, our own report outputs as the magic
writes them (``core.output_marker``), fake credentials from ``notebook_corpus.Fakes``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from notebook_corpus import PNG_1PX, Fakes

from mlsecops_jupyter.checks.pii.notebook import scan_notebook
from mlsecops_jupyter.core.output_marker import report_output_metadata
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.display import render_html, render_text

SETTINGS = Settings()


def _rules(report: Report) -> list[tuple[Any, ...]]:
    return sorted((f.rule, f.location.cell, f.location.output) for f in report.findings)


def _frame(rows: list[tuple[str, ...]], columns: list[str]) -> dict[str, Any]:
    """A displayed DataFrame, as pandas writes it (text/plain and text/html)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    return {"text/plain": repr(frame), "text/html": frame.to_html()}


def _report_output(report: Report) -> Any:
    data = {"text/html": render_html(report), "text/plain": render_text(report)}
    return new_output("display_data", data=data,
                      metadata=report_output_metadata(report.check, data))


def test_our_own_report_outputs_are_skipped_and_a_rescan_adds_nothing() -> None:
    fake = Fakes(21)
    token = fake.github()
    book = new_notebook(cells=[
        new_code_cell(f'GITHUB_TOKEN = "{token}"', execution_count=1),
        new_markdown_cell("Owner: maria.garcia@gmail.com"),
    ])
    first = scan_notebook(dict(book), settings=SETTINGS)
    assert _rules(first) == [("PII-EMAIL-ADDRESS", 1, None), ("SECRET-GITHUB-TOKEN", 0, None)]
    # the scan's own report saved in the notebook, as %mlsec notebook displays it
    book.cells.append(new_code_cell("%mlsec notebook", execution_count=2,
                                    outputs=[_report_output(first)]))
    second = scan_notebook(dict(book), settings=SETTINGS)
    assert _rules(second) == _rules(first)
    assert second.metrics["report_outputs_skipped"] == 1
    assert any("report output(s) of mlsecops-jupyter" in s.what for s in second.skipped)
    # an edited report output is not ours any more: scanned like any other
    edited = json.loads(nbformat.writes(book))
    edited["cells"][2]["outputs"][0]["data"]["text/plain"] += f"\n{token}\n"
    third = scan_notebook(edited, settings=SETTINGS)
    assert ("SECRET-GITHUB-TOKEN", 2, 0) in _rules(third)


def test_masked_values_images_and_base64_payloads_are_not_findings() -> None:
    noise = base64.b64encode(bytes(range(256)) * 40).decode()  # digit runs and letter pairs
    printed = ("SECRET-GITHUB-TOKEN  ghp_********(40 chars) in the source\n"
               "PII-EMAIL-ADDRESS    m***@gmail.com, j***@outlook.com\n"
               "PII-PHONE-NUMBER     +* ***-***-5309; card **** **** **** 1111\n"
               "password = [REDACTED:HARDCODED-PASSWORD]\n")
    book = new_notebook(cells=[
        new_code_cell("print(report)", execution_count=1, outputs=[
            new_output("stream", name="stdout", text=printed)]),
        new_code_cell("show()", execution_count=2, outputs=[new_output("display_data", data={
            "text/html": f'<img src="data:image/png;base64,{noise}"><p>{noise}</p>',
            "image/png": PNG_1PX, "text/plain": "<Figure>"})]),
    ])
    report = scan_notebook(dict(book), settings=SETTINGS)
    assert report.findings == [], [f.detail for f in report.findings]
    assert any(s.what.startswith("1 image/png") for s in report.skipped)


def test_a_displayed_frame_is_one_finding_per_column_with_a_count() -> None:
    people = [("Maria Garcia", "maria.garcia@gmail.com", "+1 415-867-5309", "4155550132",
               "0.4123"),
              ("James Smith", "jsmith77@outlook.com", "+1 312-448-2190", "4155550133",
               "0.7781"),
              ("Wei Zhang", "wei.zhang@protonmail.com", "+1 617-253-1000", "4155550134",
               "0.9102")]
    data = _frame(people, ["name", "email", "phone", "customer_id", "score"])
    book = new_notebook(cells=[new_code_cell("customers.head()", execution_count=1, outputs=[
        new_output("execute_result", data=data, execution_count=1)])])
    report = scan_notebook(dict(book), settings=SETTINGS)
    got = {(f.rule, f.evidence.get("column"), f.evidence["count"]) for f in report.findings}
    # the customer ids (10 digits, a valid US shape) are not phones: their column says id
    assert got == {("PII-PERSON", "name", 3), ("PII-EMAIL-ADDRESS", "email", 3),
                   ("PII-PHONE-NUMBER", "phone", 3)}
    phones = next(f for f in report.findings if f.rule == "PII-PHONE-NUMBER")
    assert phones.evidence["lines"] == [2, 3, 4] and phones.location.column == "phone"
    assert "+1 415-867-5309" not in report.to_json()


def test_bare_numbers_are_phones_only_in_a_column_named_like_one() -> None:
    rows = [("4158675309", "4158675309"), ("6172531000", "6172531000")]
    data = _frame(rows, ["mobile", "order_no"])
    book = new_notebook(cells=[new_code_cell("df", execution_count=1, outputs=[
        new_output("execute_result", data=data, execution_count=1)])])
    report = scan_notebook(dict(book), settings=SETTINGS)
    assert [(f.rule, f.evidence.get("column"), f.evidence["count"])
            for f in report.findings] == [("PII-PHONE-NUMBER", "mobile", 2)]


def test_metadata_attachments_widgets_and_svg_are_read() -> None:
    fake = Fakes(22)
    password = fake.password()
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g id="text_1"><!-- Call Maria Garcia -->'
           '<path d="M 415 867 L 5309 12"/></g><text x="1">wei.zhang@protonmail.com</text></svg>')
    note = f"hf token {fake.huggingface()}"
    book = new_notebook(cells=[
        new_markdown_cell("![notes](attachment:notes.txt)", attachments={
            "notes.txt": {"text/plain": base64.b64encode(note.encode()).decode()},
            "plot.png": {"image/png": PNG_1PX}}),
        new_code_cell("plot()", execution_count=1, outputs=[new_output("display_data", data={
            "image/svg+xml": svg, "text/plain": "<Figure>"})]),
    ], metadata={"papermill": {"parameters": {"db_password": password}, "duration": 1.5}})
    book.cells[1].metadata["credentials"] = {"api_token": fake.github()}
    book.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {"1f2e": {
            "model_name": "PasswordModel", "model_module": "@jupyter-widgets/controls",
            "state": {"_model_name": "PasswordModel", "value": fake.password(),
                      "description": "Password"}}}}}
    report = scan_notebook(dict(book), settings=SETTINGS)
    got = sorted((f.rule, f.evidence["in"]) for f in report.findings)
    assert got == [
        ("PII-EMAIL-ADDRESS", "output (image/svg+xml)"),
        ("PII-PERSON", "output (image/svg+xml)"),
        ("SECRET-GITHUB-TOKEN", "cell metadata"),
        ("SECRET-HARDCODED-PASSWORD", "notebook metadata"),
        ("SECRET-HARDCODED-PASSWORD", "widget state"),
        ("SECRET-HUGGINGFACE-TOKEN", "attachment notes.txt (text/plain)"),
    ]
    assert any(s.what.startswith("1 attachment image/png") for s in report.skipped)
    assert password not in report.to_json()


def test_inline_ignore_accepts_the_rule_in_its_cell_only() -> None:
    fake = Fakes(23)
    book = new_notebook(cells=[
        new_code_cell(f'API_TOKEN = "{fake.chars(32)}"  # mlsec: ignore SECRET-GENERIC '
                      "test fixture, not a real key\nprint(customers)", execution_count=1,
                      outputs=[new_output("stream", name="stdout",
                                          text="maria.garcia@gmail.com\n")]),
        new_code_cell(f'OTHER_TOKEN = "{fake.chars(32)}"', execution_count=2),
    ])
    report = scan_notebook(dict(book), settings=SETTINGS)
    accepted = {(f.rule, f.location.cell): f.accepted for f in report.findings}
    assert accepted == {("SECRET-GENERIC", 0): "test fixture, not a real key",
                        ("PII-EMAIL-ADDRESS", 0): None, ("SECRET-GENERIC", 1): None}
    assert report.metrics["accepted_inline"] == 1
    assert report.fails("medium")
    book.cells[1].source += "  # mlsec: ignore SECRET-* reviewed"
    book.cells[0].source += "\n# mlsec: ignore PII-EMAIL-ADDRESS public contact"
    assert not scan_notebook(dict(book), settings=SETTINGS).fails("info")


@pytest.mark.parametrize("source", [
    'emails = [f"{i}@example.com" for i in range(100)]',
    'print(f"version {np.__version__} on 10.0.0.1") if False else None  # numpy 2.4.6.1',
    "ci = (412.33, 590.12)  # 95% CI [412.33 - 590.12]",
    "oids = ['1.2.840.113549.1.1.1', '2.5.4.3', '2.5.29.17']",
    "test_cards = ['4111 1111 1111 1111', '5555 5555 5555 4444', '3782 822463 10005']",
    "# overall: false_negative_rate (0.222566), false_positive_rate (0.209848)",
])
def test_templates_versions_intervals_and_oids_in_code_are_quiet(source: str) -> None:
    book = new_notebook(cells=[new_code_cell(source, execution_count=1, outputs=[
        new_output("stream", name="stdout", text=source + "\n")])])
    report = scan_notebook(dict(book), settings=SETTINGS)
    assert [f.rule for f in report.findings if f.rule != "PII-IP-ADDRESS"] == []


def test_the_scan_reports_its_progress_to_the_front_end() -> None:
    from mlsecops_jupyter.core.progress import using_sink

    class Recorder:
        def __init__(self) -> None:
            self.events: list[tuple[Any, ...]] = []

        def started(self, label: str, total: int | None) -> None:
            self.events.append(("started", label, total))

        def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
            self.events.append(("advanced", done, total))

        def finished(self, label: str, elapsed_s: float) -> None:
            self.events.append(("finished", label))

    book = new_notebook(cells=[new_markdown_cell("# a"), new_code_cell("x = 1"),
                               new_code_cell("print(x)", execution_count=1, outputs=[
                                   new_output("stream", name="stdout", text="1\n")])])
    sink = Recorder()
    with using_sink(sink):
        report = scan_notebook(dict(book), settings=SETTINGS)
    texts = report.metrics["texts_scanned"]
    assert sink.events[0] == ("started", "scanning notebook texts", texts)
    assert [e for e in sink.events if e[0] == "advanced"][-1] == ("advanced", texts, texts)
    assert sink.events[-1] == ("finished", "scanning notebook texts")
