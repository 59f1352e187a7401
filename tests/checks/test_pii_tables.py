"""checks.pii.tables: real pandas reprs (text and HTML) parsed into columns with offsets."""

from __future__ import annotations

import pandas as pd
import pytest

from mlsecops_jupyter.checks.pii.tables import html_tables, text_tables

PEOPLE = [("Maria Garcia", "maria.garcia@gmail.com", "+1 415-867-5309", 4155550132, 0.4123),
          ("James Smith", "jsmith77@outlook.com", "+1 312-448-2190", 4155550133, 0.7781),
          ("Wei Zhang", "wei.zhang@protonmail.com", "+1 617-253-1000", 4155550134, 0.9102)]
COLUMNS = ["full name", "email", "phone", "customer_id", "score"]


def _cells(text: str, tables: list) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table in tables:
        for cell in table.cells:
            assert cell.value in text[cell.start:cell.end] or "&" in text[cell.start:cell.end]
            columns.setdefault(cell.column, []).append(cell.value)
    return columns


@pytest.mark.parametrize("frame", [
    pd.DataFrame(PEOPLE, columns=COLUMNS),
    pd.DataFrame(PEOPLE, columns=COLUMNS).set_index("email"),
    pd.DataFrame(PEOPLE * 30, columns=COLUMNS),  # truncated with "..." rows
])
def test_text_and_html_reprs_give_the_same_columns(frame: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", 10, "display.width", 200,
                           "display.max_columns", None):
        text, markup = repr(frame), frame._repr_html_()
    from_text = _cells(text, text_tables(text))
    from_html = _cells(markup, html_tables(markup))
    for column in ("full name", "phone", "email"):
        assert from_text[column] == from_html[column], column
    assert from_text["full name"][:3] == ["Maria Garcia", "James Smith", "Wei Zhang"]
    assert "4155550132" in from_text["customer_id"]


def test_a_series_and_a_frame_printed_among_other_lines() -> None:
    series = repr(pd.Series(["a@b.com", "c@d.org"], name="email"))
    assert _cells(series, text_tables(series)) == {"email": ["a@b.com", "c@d.org"]}
    printed = "loaded 3 rows\n" + repr(pd.DataFrame(PEOPLE, columns=COLUMNS)) + "\n\ndone\n"
    [table] = text_tables(printed)
    assert printed[:table.start] == "loaded 3 rows\n"
    assert _cells(printed, [table])["phone"][2] == "+1 617-253-1000"


@pytest.mark.parametrize("text", [
    "Epoch 1/3\n1563/1563 - 8s - loss: 0.41\nEpoch 2/3",
    "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\nKeyError: 'a'",
    "  indented prose with  two spaces\nand then a line",
    "",
])
def test_prose_logs_and_tracebacks_are_not_tables(text: str) -> None:
    assert text_tables(text) == []
    assert html_tables("<p>no table</p><table><tr><td>1</td></tr></table>") == []
