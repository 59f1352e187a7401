"""Metrics tables (``report.metrics["tables"]``) in text, HTML and the widget."""

from __future__ import annotations

from mlsecops_jupyter.core import Report
from mlsecops_jupyter.display.html import render_html
from mlsecops_jupyter.display.tables import render_html_tables, render_text_tables
from mlsecops_jupyter.display.text import render_text

TABLE = {"title": "bias by sex", "columns": ["group", "n", "rate", "ok"],
         "rows": [["F", 12, 0.25, True], ["<M>", 3, float("nan"), None]]}


def test_text_tables_align_and_format_fixed() -> None:
    lines = render_text_tables({"tables": [TABLE]})
    assert lines == [
        "",
        "bias by sex:",
        "  group  n   rate   ok",
        "  F      12  0.250  yes",
        "  <M>     3    nan  -",
    ]


def test_html_tables_escape_and_report_renderers_include_them() -> None:
    html = render_html_tables({"tables": [TABLE]})
    assert "&lt;M&gt;" in html and "<M>" not in html
    report = Report(check="bias", subject="x", metrics={"tables": [TABLE], "rows": 15,
                                                        "tables_cover": ["rows"]})
    assert "bias by sex:" in render_text(report)
    assert "rows: 15" not in render_text(report)
    assert render_html(report).count("<table") >= 1


def test_malformed_tables_are_ignored() -> None:
    assert render_text_tables({"tables": "nope"}) == []
    assert render_text_tables({"tables": [{"title": "x"}]}) == []
