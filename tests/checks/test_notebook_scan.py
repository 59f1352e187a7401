"""``scan_notebook`` on real nbformat notebooks: secrets and PII in sources, outputs, tracebacks,
HTML and markdown, found at the labelled cell/output/line; clean notebooks give nothing; accuracy
is computed from the labels; a redacted copy scans clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from notebook_corpus import Fakes, LabelledNotebook, build_labelled_notebooks, write_notebooks

from mlsecops_jupyter.checks.pii.notebook import (
    detect,
    notebook_pieces,
    redact_notebook,
    scan_notebook,
)
from mlsecops_jupyter.core.errors import MLSecInputError
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings

SETTINGS = Settings()


def _labels(report: Report) -> set[tuple[Any, ...]]:
    """(cell, output, line, rule) of every finding; a grouped PII finding gives each line."""
    return {(f.location.cell, f.location.output, line, f.rule)
            for f in report.findings for line in f.evidence.get("lines") or [f.location.line]}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[LabelledNotebook, Report]]:
    folder = tmp_path_factory.mktemp("labelled")
    return [(book, scan_notebook(path, settings=SETTINGS))
            for path, book in write_notebooks(folder)]


def _precision_recall(pairs: list[tuple[set[Any], set[Any]]]) -> tuple[float, float]:
    true_positive = sum(len(expected & got) for expected, got in pairs)
    found = sum(len(got) for _, got in pairs)
    wanted = sum(len(expected) for expected, _ in pairs)
    return true_positive / max(found, 1), true_positive / max(wanted, 1)


def test_secret_precision_and_recall_on_the_labelled_notebooks(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    pairs = [(book.secret_labels, {x for x in _labels(r) if x[3].startswith("SECRET-")})
             for book, r in scanned]
    precision, recall = _precision_recall(pairs)
    assert sum(len(e) for e, _ in pairs) == 23  # the labelled set itself did not shrink
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_pii_precision_and_recall_on_the_labelled_notebooks(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    pairs = [(book.pii_labels, {x for x in _labels(r) if x[3].startswith("PII-")})
             for book, r in scanned]
    precision, recall = _precision_recall(pairs)
    assert sum(len(e) for e, _ in pairs) == 15
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_clean_and_lookalike_notebooks_have_no_finding(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    for book, report in scanned:
        if book.name in ("clean", "lookalikes"):
            assert report.findings == [], (book.name, [f.detail for f in report.findings])
    lookalikes = next(r for b, r in scanned if b.name == "lookalikes")
    assert lookalikes.metrics["allowlisted_lookalikes"] >= 8


def test_findings_carry_cell_output_line_and_column(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    etl = next(r for b, r in scanned if b.name == "etl")
    in_source = [f for f in etl.findings if f.rule == "SECRET-URL-PASSWORD"
                 and f.location.output is None]
    [source] = in_source
    assert (source.location.cell, source.location.line) == (1, 3)
    assert source.location.column == 33 and source.location.file.endswith("etl.ipynb")
    assert source.evidence["in"] == "source"
    [in_traceback] = [f for f in etl.findings if f.rule == "SECRET-URL-PASSWORD"
                      and f.location.output == 0]
    assert in_traceback.location.cell == 5 and in_traceback.evidence["in"] == "output (error)"


def test_a_value_shown_as_text_and_html_is_one_finding(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    etl = next(r for b, r in scanned if b.name == "etl")
    emails = [f for f in etl.findings if f.rule == "PII-EMAIL-ADDRESS" and f.location.cell == 3]
    # one finding for the column of the displayed frame, counting its three addresses once
    # although the output shows them twice (text/plain and text/html)
    [email] = emails
    assert email.evidence["in"] == "output (text/plain)"
    assert (email.evidence["count"], email.evidence["column"]) == (3, "email")
    assert email.evidence["lines"] == [2, 3, 4] and email.location.column == "email"
    assert "3 e-mail addresses in column 'email' of output 0 (text/plain)" in email.detail


def test_no_secret_value_reaches_the_report(scanned: list[tuple[LabelledNotebook, Report]]
                                            ) -> None:
    for book, report in scanned:
        pieces, _, _ = notebook_pieces(book.notebook)
        values = [hit.value for piece in pieces for hit in detect(piece, SETTINGS)
                  if hit.rule.startswith("SECRET-")]
        assert len(values) == len(book.secret_labels)
        text = report.to_json()
        assert not [value for value in values if value in text]


def test_skipped_lists_images_and_json_has_the_evidence(
        scanned: list[tuple[LabelledNotebook, Report]]) -> None:
    cloud = next(r for b, r in scanned if b.name == "cloud")
    assert [s.what for s in cloud.skipped] == ["1 image/png payload(s) (cell.output 5.0)"]
    data = json.loads(cloud.to_json())
    gcp = next(f for f in data["findings"] if f["rule"] == "SECRET-GCP-SERVICE-ACCOUNT")
    assert gcp["severity"] == "critical" and gcp["evidence"]["type"] == "GCP-SERVICE-ACCOUNT"
    assert data["check"] == "notebook" and data["metrics"]["cells"] == 7


def test_dict_and_json_text_inputs_give_the_same_findings() -> None:
    book = build_labelled_notebooks()[1]
    settings = SETTINGS.override({"secrets.pii": False})
    from_dict = scan_notebook(dict(book.notebook), settings=settings)
    from_text = scan_notebook(nbformat.writes(book.notebook), settings=settings)
    assert _labels(from_dict) == _labels(from_text) == book.secret_labels
    assert from_dict.subject == "notebook"
    assert any(s.what == "personal data (PII-*)" for s in from_dict.skipped)


def test_long_outputs_are_cut_and_reported() -> None:
    fake = Fakes(5)
    token = fake.github()
    text = "x" * 200 + f"\n{token}\n"
    nb = new_notebook(cells=[new_code_cell("print(log)", execution_count=1, outputs=[
        new_output("stream", name="stdout", text=text)])])
    cut = scan_notebook(dict(nb), settings=SETTINGS.override({"secrets.max_chars": 100,
                                                              "secrets.pii": False}))
    assert cut.findings == [] and "longer than secrets.max_chars" in cut.skipped[0].why
    full = scan_notebook(dict(nb), settings=SETTINGS.override({"secrets.pii": False}))
    assert [(f.rule, f.location.output, f.location.line) for f in full.findings] == [
        ("SECRET-GITHUB-TOKEN", 0, 2)]


@pytest.mark.parametrize(("source", "message"), [
    ("missing.ipynb", "no such notebook: missing.ipynb"),
    ("{not json", "is not a Jupyter notebook"),
    ('{"cells": 3}', "no list of cells"),
    ("[1, 2]", "no such notebook"),
    (42, "takes a path or notebook JSON"),
])
def test_bad_input_is_one_line_error(source: Any, message: str) -> None:
    with pytest.raises(MLSecInputError, match=message):
        scan_notebook(source, settings=SETTINGS)


def test_corrupt_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(MLSecInputError, match="broken.ipynb is not a Jupyter notebook"):
        scan_notebook(path, settings=SETTINGS)


def test_redacted_copy_scans_clean_and_keeps_images(tmp_path: Path) -> None:
    book = next(b for b in build_labelled_notebooks() if b.name == "cloud")
    masked, report = redact_notebook(dict(book.notebook), settings=SETTINGS)
    assert report.metrics["redacted_values"] == len(report.findings) == len(book.labels)
    rescanned = scan_notebook(masked, settings=SETTINGS)
    assert rescanned.findings == []
    assert "[REDACTED:STRIPE-KEY]" in masked["cells"][2]["source"]
    assert masked["cells"][5]["outputs"][0]["data"]["image/png"] == \
        book.notebook.cells[5].outputs[0].data["image/png"]
    nbformat.validate(nbformat.from_dict(masked))


def test_empty_unicode_and_odd_notebooks() -> None:
    empty = scan_notebook({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []},
                          settings=SETTINGS)
    assert empty.findings == [] and empty.metrics["cells"] == 0
    token = Fakes(8).github()
    odd = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        "not a cell",
        {"cell_type": "markdown", "source": ["Überblick: 数据 ✓ ", f"jeton {token}"]},
        {"cell_type": "code", "source": "", "outputs": [7, {"output_type": "stream",
                                                           "text": ["\x1b[31mtoken\x1b[0m"]}]},
    ]}
    report = scan_notebook(odd, settings=SETTINGS.override({"secrets.pii": False}))
    assert [(f.rule, f.location.cell, f.location.line, f.location.column)
            for f in report.findings] == [("SECRET-GITHUB-TOKEN", 1, 1, 23)]


def test_nbformat_3_notebooks_are_converted() -> None:
    from nbformat import v3

    token = Fakes(12).github()
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[
        v3.new_code_cell(input=f'tok = "{token}"')])])
    report = scan_notebook(json.loads(v3.writes_json(old)),
                           settings=SETTINGS.override({"secrets.pii": False}))
    assert [(f.rule, f.location.cell) for f in report.findings] == [("SECRET-GITHUB-TOKEN", 0)]
