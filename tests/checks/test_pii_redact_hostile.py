"""Redaction leaves nothing behind and never touches its input (issue 13), on hostile files.

Each notebook hides its values everywhere a notebook file can hold text, in every spelling a
reader (a browser, a mail client, a terminal) would still decode. The copy must scan clean and
must not hold the raw bytes of any value the scan found in the original.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from notebook_corpus import PNG_1PX, Fakes

from mlsecops_jupyter.checks.pii import scan_pii
from mlsecops_jupyter.checks.pii.nb_redact import found_values
from mlsecops_jupyter.checks.pii.notebook import redact_notebook, scan_notebook
from mlsecops_jupyter.checks.pii.redaction import redact_frame
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core.settings import Settings

SETTINGS = Settings()


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def hostile_notebook(seed: int) -> tuple[Any, dict[str, str]]:
    """A notebook with values in every place, and the planted values by where they are."""
    fake = Fakes(seed)
    planted = {
        "stream": fake.github(), "html-entity": "jane.doe@example.org",
        "url-encoded": "maria.garcia@gmail.com", "cell-metadata": fake.huggingface(),
        "papermill": fake.password(), "attachment": fake.github(),
        "svg-attachment": "wei.zhang@protonmail.com", "widget": fake.password(),
        "svg": "james.smith@outlook.com", "traceback": fake.password().replace("@", "!"),
        "js-escape": "olga.ivanova@yahoo.co.uk", "data-uri": fake.huggingface(),
    }
    entity = planted["html-entity"].replace("@", "&#64;").replace(".", "&#x2E;", 1)
    url = planted["url-encoded"].replace("@", "%40")
    svg_attachment = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{planted["svg-attachment"]}' \
                     "</text></svg>"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g><!-- contact '
           f'{planted["svg"]} --><path d="M 1 2"/></g></svg>')
    tb_url = f"postgresql://etl:{planted['traceback']}@db.internal:5432/sales"
    coloured = tb_url.replace("etl:", "etl:\x1b[0;31m", 1).replace("@db", "\x1b[0m@db", 1)
    js = planted["js-escape"].replace("@", "\\u0040")
    data_uri = f"data:text/plain;base64,{_b64('hf token ' + planted['data-uri'])}"
    cells = [
        new_markdown_cell("Notes: ![n](attachment:notes.txt) ![p](attachment:plot.svg)",
                          attachments={
                              "notes.txt": {"text/plain": _b64(f"token {planted['attachment']}")},
                              "plot.svg": {"image/svg+xml": _b64(svg_attachment)},
                              "logo.png": {"image/png": PNG_1PX}}),
        new_code_cell(f"print(GITHUB_TOKEN)\n# {planted['stream']}", execution_count=1, outputs=[
            new_output("stream", name="stdout", text=f"token={planted['stream']}\n")]),
        new_code_cell("contacts", execution_count=2, outputs=[new_output(
            "execute_result", execution_count=2, data={
                "text/plain": "<contacts>",
                "text/html": f'<a href="mailto:{url}">write</a> or {entity}'
                             f'<a href="{data_uri}">notes</a>'})]),
        new_code_cell("plot()", execution_count=3, outputs=[
            new_output("display_data", data={"image/svg+xml": svg, "image/png": PNG_1PX,
                                             "text/plain": "<Figure>"}),
            new_output("display_data", data={
                "application/javascript": f'console.log("mail {js}")', "text/plain": ""})]),
        new_code_cell("engine.connect()", execution_count=4, outputs=[new_output(
            "error", ename="OperationalError", evalue=f"could not connect to {tb_url}",
            traceback=["\x1b[0;31mOperationalError\x1b[0m  Traceback",
                       f"could not connect to {coloured}"])]),
    ]
    book = new_notebook(cells=cells, metadata={
        "papermill": {"parameters": {"db_password": planted["papermill"]}, "duration": 2.0},
        "widgets": {"application/vnd.jupyter.widget-state+json": {
            "version_major": 2, "version_minor": 0, "state": {"5a1c": {
                "model_name": "PasswordModel", "model_module": "@jupyter-widgets/controls",
                "state": {"_model_name": "PasswordModel", "value": planted["widget"],
                          "description": "Password"}}}}}})
    book.cells[1].metadata["credentials"] = {"hf_token": planted["cell-metadata"]}
    nbformat.validate(book)
    return book, planted


@pytest.mark.parametrize("seed", [31, 32])
def test_a_redacted_copy_holds_no_found_value_in_any_place_or_spelling(seed: int,
                                                                       tmp_path: Path) -> None:
    book, planted = hostile_notebook(seed)
    original = json.loads(nbformat.writes(book))
    found = found_values(original, SETTINGS)
    for where, value in planted.items():  # the scan sees every planted value, wherever it is
        assert value in found or any(value in v for v in found), where
    masked, report = redact_notebook(original, settings=SETTINGS)
    assert report.metrics["redacted_values"] >= len(planted)
    path = tmp_path / "masked.ipynb"
    path.write_text(json.dumps(masked, indent=1, ensure_ascii=False), encoding="utf-8")
    raw = path.read_bytes()
    for value in found:
        assert value.encode() not in raw and value.lower().encode() not in raw.lower(), value
    assert scan_notebook(path, settings=SETTINGS).findings == []
    # images are copied as they are, and the copy is still a notebook
    assert masked["cells"][0]["attachments"]["logo.png"]["image/png"] == PNG_1PX
    assert masked["cells"][3]["outputs"][0]["data"]["image/png"] == PNG_1PX
    nbformat.validate(nbformat.from_dict(masked))
    decoded = base64.b64decode(masked["cells"][0]["attachments"]["notes.txt"]["text/plain"])
    assert decoded.decode().startswith("token [REDACTED:")


def test_cli_refuses_an_output_that_is_the_input_under_another_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book, _ = hostile_notebook(33)
    source = tmp_path / "hostile.ipynb"
    nbformat.write(book, str(source))
    before = source.read_bytes()
    hard = tmp_path / "hard.ipynb"
    os.link(source, hard)
    soft = tmp_path / "soft.ipynb"
    soft.symlink_to(source)
    for alias in (source, hard, soft, tmp_path / "." / "hostile.ipynb"):
        assert main(["redact", str(source), "-o", str(alias)]) == 2
        assert "refusing to overwrite the input" in capsys.readouterr().err
    assert source.read_bytes() == before
    # an output that is a link to some other file is replaced, not written through
    other = tmp_path / "other.ipynb"
    other.write_text("keep me")
    out = tmp_path / "out.ipynb"
    os.link(other, out)
    assert main(["redact", str(source), "-o", str(out)]) == 0
    assert other.read_text() == "keep me" and out.read_text() != "keep me"
    assert source.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_frames_lose_every_span_pii_spans_lists(tmp_path: Path) -> None:
    notes = [f"Customer called about invoice {1000 + i}, the delivery was late again today"
             for i in range(60)]
    notes[7] = "Customer asked us to write to jane.doe@example.org about the late delivery"
    notes[31] = "Please call back on +1 415-867-5309 after five, the order number is 4471"
    frame = pd.DataFrame({"note": notes, "amount": range(60)})
    spans = scan_pii(frame, spans=True, sample=len(frame), settings=SETTINGS).metrics["spans"]
    assert {(s["row"], s["entity"]) for s in spans} == {(7, "EMAIL_ADDRESS"),
                                                        (31, "PHONE_NUMBER")}
    masked, report = redact_frame(frame, settings=SETTINGS)
    for span in spans:
        value = frame["note"][span["row"]][span["start"]:span["end"]]
        assert value not in masked["note"][span["row"]]
        assert f"[REDACTED:{span['entity']}]" in masked["note"][span["row"]]
    assert report.metrics["masked_cells"] == {"note": 2}
    path = tmp_path / "notes.csv"
    frame.to_csv(path, index=False)
    assert main(["redact", str(path), "-o", str(tmp_path / "masked.csv")]) == 0
    text = (tmp_path / "masked.csv").read_text()
    assert "jane.doe@example.org" not in text and "415-867-5309" not in text


@pytest.mark.parametrize("depth", [400, 950, 990, 1200, 100_000])
def test_deeply_nested_notebooks_give_one_line_errors_or_a_clean_copy(
        depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.ipynb"
    path.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {"x": ' + "[" * depth
                    + "]" * depth + '}, "cells": [{"cell_type": "markdown", "metadata": {}, '
                    '"source": "mail maria.garcia@gmail.com"}]}')
    for argv in (["notebook", str(path)], ["redact", str(path), "-o", str(tmp_path / "o")]):
        code = main(argv)
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err
        assert code in (0, 1, 2)
        if code == 2:
            assert "nested" in err  # the reader bounds nesting (core.notebook_io)
