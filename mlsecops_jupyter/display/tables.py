"""Metrics tables of a report, rendered as fixed-width text or as an HTML ``<table>``.

A check that has tables to show puts them in ``report.metrics["tables"]`` as a list of
``{"title": str, "columns": [str, ...], "rows": [[value, ...], ...]}``: plain JSON, so the JSON
output carries them too, and any check (bias, explain ...) gets the same rendering. Metric keys
listed in ``metrics["tables_cover"]`` are left out of the text summary: the tables show them.
Floats are shown with a fixed number of decimals so text output is deterministic.
"""

from __future__ import annotations

import html
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


def render_html_tables(metrics: dict[str, Any], style: str = "") -> str:
    """The tables as self-contained HTML (no JavaScript)."""
    parts = []
    for table in report_tables(metrics):
        head = "".join(f"<th style=\"text-align:left;padding:2px 6px;\">{html.escape(str(c))}"
                       "</th>" for c in table["columns"])
        body = []
        for row in table["rows"][:MAX_ROWS]:
            cells = "".join(f"<td style=\"padding:2px 6px;\">{html.escape(cell_text(v))}</td>"
                            for v in row)
            body.append(f"<tr>{cells}</tr>")
        title = html.escape(str(table.get("title", "")))
        parts.append(
            f'<table style="border-collapse:collapse;margin:6px 0;{style}">'
            f"<caption style=\"text-align:left;font-weight:600;\">{title}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    return "".join(parts)
