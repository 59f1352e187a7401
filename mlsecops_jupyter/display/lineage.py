"""``LineageView``: the lineage log shown as a timeline, a backward slice, or a chain status.

Lineage is not a check, so it is not a ``Report``: it is a view over records. Like a report it
renders as one output with self-contained HTML and plain text (``LineageWidget`` adds a kind
filter for live use only). Text and HTML are deterministic apart from times and durations, which
the nbval sanitize file masks: rows show execution counts, not cell ids (nbclient sends ids,
nbval does not), and paths are shown relative to the working directory.

Rows are numbered ``#k``: the k-th cell run in its recording session. Execution counts are not
used because nbval executes without history (every count is 1) while JupyterLab and nbclient
count; the JSON form keeps the real counts and cell ids.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .html import esc
from .text import one_line

MODES = ("timeline", "slice", "verify")
MAX_NAMES = 6
MAX_ROWS = 500
# literal values only: JupyterLab's sanitiser of untrusted outputs drops var() declarations
_TABLE_STYLE = "border-collapse: collapse; width: 100%; margin: 6px 0;"
_CELL_STYLE = ("text-align: left; vertical-align: top; padding: 2px 8px; "
               "border-bottom: 1px solid rgba(128,128,128,.3);")
_CODE_STYLE = "font-family: monospace; font-size: 0.92em;"
_MUTED_STYLE = "opacity: 0.75;"
_BAD_STYLE = "color: #d32f2f; font-weight: 600;"


def shown_path(path: str | os.PathLike[str] | None) -> str:
    """``path`` relative to the working directory when inside it (no machine paths in output)."""
    if path is None:
        return "-"
    target = Path(path)
    try:
        return str(target.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return target.name


@dataclass
class LineageView:
    """What ``%mlsec lineage`` returns: records to show and how.

    Parameters
    ----------
    records
        The records shown (already narrowed to a session or a slice).
    path
        The lineage file they came from.
    mode
        ``timeline`` (every record), ``slice`` (the cells that produced ``model_var``) or
        ``verify`` (the chain status only).
    verify
        ``lineage.verify(path)`` result, shown in every mode's header.
    """

    records: list[dict[str, Any]]
    path: str | os.PathLike[str] | None = None
    mode: str = "timeline"
    model_var: str | None = None
    verify: Any = None
    scope: str = "this session"
    notes: list[str] = field(default_factory=list)
    context: list[dict[str, Any]] | None = None  # all records, to number cells per session

    def positions(self) -> dict[Any, int]:
        """``seq`` -> k for the k-th cell of its session; a check gets its cell's number."""
        numbers: dict[Any, int] = {}
        counters: dict[Any, int] = {}
        for record in self.context if self.context is not None else self.records:
            session = record.get("session")
            kind = record.get("kind")
            if kind == "session":
                counters[session] = 0
            elif kind == "cell":
                counters[session] = counters.get(session, 0) + 1
                numbers[record.get("seq")] = counters[session]
            elif kind == "check":  # written while its cell runs, before the cell's record
                numbers[record.get("seq")] = counters.get(session, 0) + 1
        return numbers

    # -- structured rows -----------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """One dict per record: kind, execution count, what happened, data and files."""
        numbers = self.positions()
        return [_row(record, numbers.get(record.get("seq")))
                for record in self.records[:MAX_ROWS]]

    def header(self) -> str:
        where = shown_path(self.path)
        if self.mode == "verify":
            return _verify_line(where, self.verify)
        cells = sum(r.get("kind") == "cell" for r in self.records)
        checks = sum(r.get("kind") == "check" for r in self.records)
        if self.mode == "slice":
            return (f"backward slice of {self.model_var} in {where}: {cells} cell"
                    f"{'s' if cells != 1 else ''} produced it")
        return (f"lineage of {where} ({self.scope}): {len(self.records)} records, "
                f"{cells} cells, {checks} checks")

    # -- renderings ----------------------------------------------------------------------------
    def to_text(self) -> str:
        lines = [self.header()]
        if self.mode != "verify" and self.verify is not None:
            lines.append(_status_line(self.verify))
        lines += self.notes
        if self.mode == "verify":
            return "\n".join(lines)
        for row in self.rows():
            lines.append(row["line"])
            lines += [f"      {detail}" for detail in row["details"]]
        hidden = len(self.records) - MAX_ROWS
        if hidden > 0:
            lines.append(f"... and {hidden} more records (mlsec lineage show FILE)")
        return "\n".join(lines)

    def to_html(self) -> str:
        parts = ['<div class="jp-MLSec-lineage" style="max-width: 100%;">',
                 f"<div><b>{esc(self.header())}</b></div>"]
        if self.mode != "verify" and self.verify is not None:
            style = "" if getattr(self.verify, "ok", False) else f' style="{_BAD_STYLE}"'
            parts.append(f"<div{style}>{esc(_status_line(self.verify))}</div>")
        parts += [f'<div style="{_MUTED_STYLE}">{esc(note)}</div>' for note in self.notes]
        if self.mode != "verify":
            head = "".join(f'<th style="{_CELL_STYLE}">{name}</th>'
                           for name in ("cell", "kind", "time", "what", "data and files"))
            body = []
            for row in self.rows():
                details = "<br>".join(esc(d) for d in row["details"])
                body.append(
                    "<tr>"
                    f'<td style="{_CELL_STYLE}">{esc(row["count"])}</td>'
                    f'<td style="{_CELL_STYLE}">{esc(row["kind"])}</td>'
                    f'<td style="{_CELL_STYLE} {_MUTED_STYLE}">{esc(row["time"])}</td>'
                    f'<td style="{_CELL_STYLE}"><span style="{_CODE_STYLE}">'
                    f'{esc(row["what"])}</span></td>'
                    f'<td style="{_CELL_STYLE} {_CODE_STYLE}">{details}</td></tr>')
            parts.append(f'<div style="overflow-x: auto; max-width: 100%;">'
                         f'<table style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead>'
                         f"<tbody>{''.join(body)}</tbody></table></div>")
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "path": shown_path(self.path), "model_var": self.model_var,
                "scope": self.scope,
                "verify": self.verify.to_dict() if self.verify is not None else None,
                "records": self.records}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def mimebundle(self, output_format: str = "widget") -> dict[str, Any]:
        """The output for ``output_format`` (widget, html, text or json)."""
        text = self.to_text()
        if output_format == "text":
            return {"text/plain": text}
        if output_format == "json":
            return {"application/json": json.loads(self.to_json()), "text/plain": text}
        # "widget" and "html" both give self-contained HTML: a saved widget view would show
        # "model not found" instead once the kernel is gone (LineageWidget is for live use)
        return {"text/html": self.to_html(), "text/plain": text}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return self.mimebundle("widget")


def _status_line(result: Any) -> str:
    """The chain's status without counts or hashes, which change with every record."""
    if result.ok:
        return "chain: intact (details: %mlsec lineage --verify)"
    at = f" at record {result.first_bad}" if result.first_bad is not None else ""
    return f"chain: BROKEN{at}: {one_line(result.reason)}"


def _verify_line(where: str, result: Any) -> str:
    if result is None:
        return f"chain of {where}: not verified"
    if result.ok:
        head = (result.head or "-")[:16]
        recovered = f", {result.recovered} torn write(s) recovered" if result.recovered else ""
        return f"chain of {where}: intact, {result.count} records{recovered}, head {head}"
    at = f" at record {result.first_bad}" if result.first_bad is not None else ""
    return f"chain of {where}: BROKEN{at}: {one_line(result.reason)}"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" (+{len(names) - MAX_NAMES})" if len(names) > MAX_NAMES else "")


def _short(sha: Any) -> str:
    return str(sha)[:12] if sha else "-"


def _row(record: dict[str, Any], number: int | None) -> dict[str, Any]:
    kind = str(record.get("kind"))
    cell = record.get("cell") or {}
    label = f"#{number}" if number is not None else "#?"
    time = str(record.get("time") or "")
    details: list[str] = []
    if kind == "cell":
        names = record.get("names") or {}
        outcome = record.get("outcome") or {}
        status = outcome.get("status", "?")
        if status == "error" and outcome.get("error"):
            status = f"error {outcome['error'].get('type')}"
        defined = names.get("defined") or []
        mutated = names.get("mutated") or []
        what = f"{status}; defines {_names(defined)}" if defined else status
        if mutated:
            what += f"; changes {_names(mutated)}"
        duration = (record.get("timing") or {}).get("duration_ms")
        if isinstance(duration, (int, float)):
            time += f" {duration:.1f} ms"
        for data in record.get("data") or ():
            details.append(_data_line(data))
        for model in record.get("models") or ():
            state = {True: "fitted", False: "not fitted"}.get(model.get("fitted"), "")
            details.append(f"model {model.get('name')}: "
                           f"{str(model.get('class')).rsplit('.', 1)[-1]} {state}".rstrip())
        for entry in record.get("files") or ():
            details.append(f"file {entry.get('mode')} {entry.get('path') or '?'} via "
                           f"{entry.get('via')} sha256 {_short(entry.get('sha256'))}")
    elif kind == "check":
        summary = record.get("summary") or {}
        findings = summary.get("findings", 0)
        worst = summary.get("max_severity")
        what = (f"{summary.get('check')} on {one_line(str(summary.get('subject')))}: "
                + (f"{findings} finding{'s' if findings != 1 else ''}, worst {worst}"
                   if findings else "no findings"))
        report = record.get("report") or {}
        for finding in (report.get("findings") or [])[:5]:
            details.append(f"[{str(finding.get('severity')).upper()}] {finding.get('rule')}")
        if findings > 5:
            details.append(f"... and {findings - 5} more")
    elif kind == "session":
        env = record.get("env") or {}
        what = f"session started: Python {env.get('python')}, mlsecops-jupyter " \
               f"{env.get('tool_version')}"
        label = "   "
    elif kind == "recovery":
        torn = record.get("torn") or {}
        what = f"recovery: {torn.get('length')} torn bytes at offset {torn.get('offset')}"
    elif kind == "signature":
        signed = record.get("signed") or {}
        what = (f"signature of record {signed.get('seq')} with key {record.get('key_id')} "
                "(checked by --verify --key)")
        label = "   "
    else:  # a kind this view does not know yet: named, never misread
        what = kind
    shown = "signed" if kind == "signature" else kind
    return {"kind": kind, "count": label, "time": time, "what": one_line(what),
            "details": details, "seq": record.get("seq"), "cell_id": cell.get("id"),
            "execution_count": cell.get("execution_count"),
            "line": f"{label:<6}{shown:<8}{time}  {one_line(what)}"}


def _data_line(data: dict[str, Any]) -> str:
    change = data.get("change")
    if change not in ("created", "changed"):
        return f"data {data.get('name')} {change}"
    shape = "x".join(str(n) for n in data.get("shape") or ())
    sampled = "" if data.get("sample") == "all" else (
        f", hashed {data.get('rows_hashed')}/{data.get('rows_total')} rows")
    return (f"data {data.get('name')} {change}: {data.get('kind')} {shape}, "
            f"sha256 {_short(data.get('content_sha256'))}{sampled}")
