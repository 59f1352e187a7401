"""Metrics tables of a report, rendered as fixed-width text or as an HTML ``<table>``.

A check that has tables to show puts them in ``report.metrics["tables"]`` as a list of
``{"title": str, "columns": [str, ...], "rows": [[value, ...], ...]}``: plain JSON, so the JSON
output carries them too, and any check (bias, explain ...) gets the same rendering. Metric keys
listed in ``metrics["tables_cover"]`` are left out of the text summary: the tables show them.
Floats are shown with a fixed number of decimals so text output is deterministic.
"""

from __future__ import annotations

import math
from typing import Any

TABLES_KEY = "tables"
DECIMALS = 3
MAX_ROWS = 50


def report_tables(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """The well-formed tables of a metrics dict (anything else under the key is ignored)."""
    tables = metrics.get(TABLES_KEY)
    if not isinstance(tables, list):
        return []
    return [t for t in tables if isinstance(t, dict) and isinstance(t.get("columns"), list)
            and isinstance(t.get("rows"), list)]


def cell_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.{DECIMALS}f}"
    return str(value)


def render_text_tables(metrics: dict[str, Any]) -> list[str]:
    """Each table as a title line and aligned columns (numbers right-aligned)."""
    lines: list[str] = []
    for table in report_tables(metrics):
        columns = [str(c) for c in table["columns"]]
        rows = [[cell_text(v) for v in row] for row in table["rows"][:MAX_ROWS]]
        widths = [max([len(c)] + [len(r[i]) for r in rows if i < len(r)])
                  for i, c in enumerate(columns)]
        lines += ["", f"{table.get('title', '')}:"]
        header = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        lines.append(("  " + header).rstrip())
        for row, raw in zip(rows, table["rows"], strict=False):
            cells = []
            for i, width in enumerate(widths):
                text = row[i] if i < len(row) else ""
                numeric = i < len(raw) and isinstance(raw[i], (int, float)) \
                    and not isinstance(raw[i], bool)
                cells.append(text.rjust(width) if numeric else text.ljust(width))
            lines.append("  " + "  ".join(cells).rstrip())
        hidden = len(table["rows"]) - len(rows)
        if hidden > 0:
            lines.append(f"  ... and {hidden} more row(s) (use the JSON output)")
    return lines


_HTML_HEAD = ("padding: 2px 8px; text-align: {align}; font-weight: 600; white-space: nowrap; "
              "border-bottom: 1px solid rgba(128,128,128,.6);")
_HTML_CELL = ("padding: 2px 8px; text-align: {align}; white-space: nowrap; "
              "border-bottom: 1px solid rgba(128,128,128,.25);")


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def render_html_tables(metrics: dict[str, Any], style: str = "") -> str:
    """The tables as self-contained HTML (no JavaScript); a wide table scrolls sideways.

    Numbers are right-aligned, text left-aligned; styles are literal (no ``var()``) so they
    survive JupyterLab's sanitiser of untrusted outputs.
    """
    import html  # here: text reports (the CLI) never need it

    parts = []
    for table in report_tables(metrics):
        rows = table["rows"][:MAX_ROWS]
        numeric_columns = [all(_numeric(row[i]) or row[i] is None for row in rows if i < len(row))
                           and any(i < len(row) and _numeric(row[i]) for row in rows)
                           for i in range(len(table["columns"]))]
        head = "".join(
            f'<th style="{_HTML_HEAD.format(align="right" if numeric else "left")}">'
            f"{html.escape(str(c))}</th>"
            for c, numeric in zip(table["columns"], numeric_columns, strict=True))
        body = []
        for row in rows:
            cells = "".join(
                f'<td style="{_HTML_CELL.format(align="right" if _numeric(v) else "left")}">'
                f"{html.escape(cell_text(v))}</td>"
                for v in row)
            body.append(f"<tr>{cells}</tr>")
        hidden = len(table["rows"]) - len(rows)
        more = (f'<div style="opacity: 0.75;">... and {hidden} more row(s) (use the JSON '
                "output)</div>" if hidden > 0 else "")
        title = html.escape(str(table.get("title", "")))
        parts.append(
            '<div class="jp-MLSec-table" style="overflow-x: auto; max-width: 100%; '
            'margin: 6px 0;">'
            f'<table style="border-collapse: collapse;{style}">'
            f'<caption style="text-align: left; font-weight: 600; padding: 2px 0;">{title}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{more}</div>"
        )
    return "".join(parts)
