"""A finding's evidence as HTML tables, not raw JSON.

Evidence is JSON-shaped (``Finding.evidence``): scalars, lists and nested dicts chosen by each
check. A reader wants "module: os, name: system" as a small key/value table, a list of matches
as rows, a nested dict as a nested table; these functions make that shape, bounded in size, with
every value escaped (evidence quotes what a scanned file or a notebook contains).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from .text import printable

MAX_ITEMS = 20  # list items or table rows shown per value
MAX_COLUMNS = 8  # columns of a table made from a list of dicts
MAX_CHARS = 400  # characters of one value
MAX_DEPTH = 3  # nested dicts drawn as nested tables this deep, JSON below

# styles that survive JupyterLab's sanitiser of untrusted HTML (no var(): it is stripped)
TABLE_STYLE = "border-collapse: collapse; margin: 4px 0; font-size: 0.95em;"
KEY_STYLE = ("text-align: left; vertical-align: top; padding: 2px 10px 2px 0; "
             "font-weight: 600; white-space: nowrap;")
CELL_STYLE = ("text-align: left; vertical-align: top; padding: 2px 10px 2px 0; "
              "border-bottom: 1px solid rgba(128,128,128,.25); overflow-wrap: anywhere;")
MUTED_STYLE = "opacity: 0.75;"


def esc(text: Any) -> str:
    """HTML-escape (quotes included) after making invisible control characters visible."""
    import html

    return html.escape(printable(str(text)), quote=True)


def evidence_table(evidence: Mapping[str, Any]) -> str:
    """The evidence dict as a key/value table (keys sorted, as the text view lists them)."""
    return _mapping_table(evidence, depth=1, css_class="jp-MLSec-evidence")


def _mapping_table(mapping: Mapping[Any, Any], depth: int, css_class: str = "") -> str:
    keys = sorted(mapping, key=str)
    rows = [f'<tr><th style="{KEY_STYLE}">{esc(key)}</th>'
            f'<td style="{CELL_STYLE}">{_value(mapping[key], depth)}</td></tr>'
            for key in keys[:MAX_ITEMS * 2]]
    more = len(keys) - MAX_ITEMS * 2
    if more > 0:
        rows.append(f'<tr><td colspan="2" style="{MUTED_STYLE}">... and {more} more</td></tr>')
    klass = f' class="{css_class}"' if css_class else ""
    return f'<table{klass} style="{TABLE_STYLE}"><tbody>{"".join(rows)}</tbody></table>'


def _value(value: Any, depth: int) -> str:
    if isinstance(value, Mapping):
        if not value:
            return f'<span style="{MUTED_STYLE}">(none)</span>'
        if depth < MAX_DEPTH:
            return _mapping_table(value, depth + 1)
        return f"<code>{_bounded(_json(value))}</code>"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        if items and all(isinstance(item, Mapping) for item in items):
            return _records_table(items)
        return _scalar_list(items)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return f'<span style="{MUTED_STYLE}">-</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else esc(f"{value:.6g}")
    if isinstance(value, (int, str)):
        return _bounded(str(value))
    return _bounded(_json(value))


def _scalar_list(items: Sequence[Any]) -> str:
    if not items:
        return f'<span style="{MUTED_STYLE}">(none)</span>'
    shown = [_scalar(item) if not isinstance(item, (list, tuple, Mapping))
             else f"<code>{_bounded(_json(item))}</code>" for item in items[:MAX_ITEMS]]
    more = len(items) - len(shown)
    text = ", ".join(shown)
    return text + (f' <span style="{MUTED_STYLE}">... and {more} more</span>' if more else "")


def _records_table(records: Sequence[Mapping[str, Any]]) -> str:
    """A list of dicts as rows: the union of their keys as columns (first seen first)."""
    columns: list[str] = []
    for record in records:
        for key in record:
            if str(key) not in columns:
                columns.append(str(key))
    shown_columns = columns[:MAX_COLUMNS]
    head = "".join(f'<th style="{KEY_STYLE}">{esc(c)}</th>' for c in shown_columns)
    body = []
    for record in records[:MAX_ITEMS]:
        by_name = {str(k): v for k, v in record.items()}
        cells = "".join(f'<td style="{CELL_STYLE}">{_value(by_name[c], MAX_DEPTH)}</td>'
                        if c in by_name else f'<td style="{CELL_STYLE}"></td>'
                        for c in shown_columns)
        body.append(f"<tr>{cells}</tr>")
    notes = []
    if len(records) > MAX_ITEMS:
        notes.append(f"{len(records) - MAX_ITEMS} more rows")
    if len(columns) > MAX_COLUMNS:
        notes.append(f"{len(columns) - MAX_COLUMNS} more columns")
    note = (f'<div style="{MUTED_STYLE}">... and {" and ".join(notes)}</div>' if notes else "")
    return (f'<table style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>{note}')


def _json(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _bounded(text: str) -> str:
    if len(text) > MAX_CHARS:
        return esc(text[: MAX_CHARS - 3]) + f'...<span style="{MUTED_STYLE}"> ({len(text)} ' \
            "characters)</span>"
    return esc(text)
