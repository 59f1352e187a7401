"""Tables inside notebook outputs: a displayed DataFrame as columns of cells, with offsets.

A ``df.head()`` output is a table twice over (pandas' text repr and its HTML ``<table>``), and
reading it as lines of prose is what made the notebook scan call a row's index and an amount one
phone number, or a customer id a phone. Read as columns instead, each value is judged with its
column's name as context (a bare number is a phone only in a column named like one) and findings
are grouped per column.

Two shapes are parsed, both as pandas writes them; anything else is left to the line scan:

- HTML: every ``<table>`` with a header row (``<thead>`` or a first row of ``<th>``); body cells
  ``<td>`` (``<th>`` cells of the body are the index);
- text: a right-aligned column layout (``DataFrame.__repr__``/``to_string``): a header line of
  names separated by at least two spaces, rows whose values end where their column's name ends,
  and a Series repr (index, value, ``Name: email, dtype: object``).

Offsets are into the text the parser was given (the markup for HTML), so findings keep their
lines, and the parsed region can be blanked out of the line scan.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.I | re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</tbody|</thead|</table|$)", re.I | re.S)
_CELL = re.compile(r"<(t[dh])\b[^>]*>(.*?)(?=<t[dh]\b|</tr|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_THEAD_END = re.compile(r"</thead\s*>", re.I)
_GAP = re.compile(r"\S+(?: \S+)*")  # a header name: words separated by single spaces
_SERIES_FOOTER = re.compile(r"^Name: (?P<name>.+?), (?:Length: \d+, )?dtype: \w+")
_FRAME_FOOTER = re.compile(r"^\[\d+ rows x \d+ columns\]$")
_ELLIPSIS = re.compile(r"^[.\s]*\.\.\.[.\s]*$")
MIN_ROWS = 1


@dataclass(frozen=True)
class Cell:
    """One value of a table: ``text[start:end]`` of the parsed text (markup for HTML) shows it;
    ``value`` is what a reader sees (tags stripped, entities decoded)."""

    column: str
    value: str
    start: int
    end: int


@dataclass
class Table:
    """A parsed table: its column names, its value cells, and the region of the text it covers."""

    columns: list[str]
    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)


def _cell_text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def html_tables(markup: str) -> list[Table]:
    """The tables with a header in ``markup`` (see the module docstring)."""
    if "<table" not in markup and "<TABLE" not in markup:
        return []
    tables = []
    for match in _TABLE.finditer(markup):
        inner_start = match.start(1)
        body = match.group(1)
        head_end = _THEAD_END.search(body)
        rows = list(_ROW.finditer(body))
        if not rows:
            continue
        header_rows = [r for r in rows if head_end is not None and r.start() < head_end.start()]
        if not header_rows:
            first = rows[0]
            if "<td" in first.group(1).lower():
                continue  # no header: cells would have no column to judge them by
            header_rows = [first]
        names, index_name = _header_names(header_rows)
        table = Table([index_name, *names], match.start(), match.end())
        for row in rows:
            if row in header_rows:
                continue
            cells = list(_CELL.finditer(row.group(1)))
            for position, cell in enumerate(cells):
                # leading <th> cells are the index (its labels can be personal data too)
                is_index = cell.group(1).lower() == "th"
                column = index_name if is_index else (
                    names[position] if position < len(names) else f"column {position}")
                value = _cell_text(cell.group(2))
                if value and value != "...":
                    at = inner_start + row.start(1) + cell.start(2)
                    table.cells.append(Cell(column, value, at,
                                            inner_start + row.start(1) + cell.end(2)))
        if table.cells:
            tables.append(table)
    return tables


def _header_names(rows: list[re.Match[str]]) -> tuple[list[str], str]:
    """Column names of the header row(s), and the index's name: with a two-line header
    (column names, then the index name) the row with most names names the columns."""
    best: list[str] = []
    every = []
    for row in rows:
        names = [_cell_text(c.group(2)) for c in _CELL.finditer(row.group(1))]
        every.append(names)
        if sum(bool(n) for n in names) > sum(bool(n) for n in best):
            best = names
    index = next((names[0] for names in every if names is not best and names and names[0]),
                 "index")
    return best, index


@functools.lru_cache(maxsize=32)
def text_tables(text: str) -> list[Table]:
    """The pandas text reprs of DataFrames and Series in ``text`` (an output's text/plain is
    asked twice: once scanned, once as the twin of its HTML form; the answer is kept)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    series = _series(lines, starts)
    if series is not None:
        return [series]
    frame = _frame(lines, starts)
    if frame is not None:
        return [frame]
    return _embedded(lines, starts)


def _embedded(lines: list[str], starts: list[int]) -> list[Table]:
    """Frames printed among other lines (``print("loaded"); print(df)``): a block from a line
    that starts with spaces, followed by one that does not, to the next blank line."""
    tables = []
    number = 0
    while number < len(lines) - 1:
        line, following = lines[number], lines[number + 1]
        if line.startswith("  ") and line.strip() and following[:1].strip():
            end = number + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            block = lines[number:end]
            frame = _frame(block, starts[number:end])
            if frame is not None:
                tables.append(frame)
                number = end
                continue
        number += 1
    return tables


def _frame(lines: list[str], starts: list[int]) -> Table | None:
    """A right-aligned frame repr: the first line names the columns.

    pandas separates a column's name from the previous one by a single space when the values
    are wider than the name, so the header is split at every space and a name ends only where
    the rows' values end too (right-aligned); words whose end no value shares belong to the next
    name (``total spend``).
    """
    header = lines[0]
    if header.rstrip().endswith("\\"):  # a wide frame wrapped in blocks: "  \" continues it
        header = header.rstrip()[:-1]
    if not header.startswith(" ") or not header.strip():
        return None
    rows = []
    row_numbers = []
    index_name = "index"
    for number, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        if not stripped or _FRAME_FOOTER.match(stripped) or _ELLIPSIS.match(stripped):
            continue
        if number == 1 and (line.startswith(" ") or len(stripped.split()) == 1):
            index_name = stripped if not line.startswith(" ") else index_name
            continue  # the index name line of a named index
        if line[:1].isspace():
            return None  # a data row starts with its index label
        rows.append(line)
        row_numbers.append(number)
    if len(rows) < MIN_ROWS:
        return None
    names: list[tuple[str, int]] = []  # (name, right edge)
    pending = -1
    for token in re.finditer(r"\S+", header):
        begin = token.start() if pending < 0 else pending
        edge = token.end()
        aligned = sum(line[edge - 1:edge] not in ("", " ") and line[edge:edge + 1] in ("", " ")
                      for line in rows)
        if aligned >= 0.9 * len(rows):
            names.append((header[begin:edge], edge))
            pending = -1
        else:
            pending = begin
    if pending >= 0 or not names:
        return None
    left = _index_end(rows, names[0][1] - len(names[0][0]))
    if left is None:
        return None
    table = Table([index_name] + [name for name, _ in names], starts[0],
                  starts[-1] + len(lines[-1]))
    for number in row_numbers:
        line = lines[number]
        label = line[:left].strip()
        if label:  # the index: labels can be personal data too (an e-mail index)
            table.cells.append(Cell(index_name, label, starts[number],
                                    starts[number] + len(label)))
        position = left
        for name, edge in names:
            segment = line[position:edge] if position < len(line) else ""
            value = segment.strip()
            if value and value != "...":
                at = starts[number] + position + (len(segment) - len(segment.lstrip()))
                table.cells.append(Cell(name, value, at, at + len(value)))
            position = edge
    return table if table.cells else None


def _index_end(rows: list[str], limit: int) -> int | None:
    """Where the index labels end: the first gap of two spaces that every row has."""
    width = max(len(line) for line in rows)
    for position in range(1, max(1, min(width, limit + 1))):
        if all(line[position:position + 2] in ("  ", " ", "") for line in rows):
            return position
    return None


def _series(lines: list[str], starts: list[int]) -> Table | None:
    """``0    maria@x.org`` lines ending with ``Name: email, dtype: object``."""
    footer = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if footer is None:
        return None
    match = _SERIES_FOOTER.match(lines[footer])
    if match is None or footer < 1:
        return None
    name = match.group("name")
    table = Table([name], starts[0], starts[footer] + len(lines[footer]))
    for number in range(footer):
        line = lines[number]
        if not line.strip() or _ELLIPSIS.match(line.strip()):
            continue
        parts = re.match(r"(\S+(?: \S+)*)\s{2,}(?P<value>\S.*?)\s*$", line)
        if parts is None:
            return None
        at = starts[number] + parts.start("value")
        table.cells.append(Cell(name, parts.group("value"), at, at + len(parts.group("value"))))
    return table if table.cells else None
