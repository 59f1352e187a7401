"""A notebook's state as the sidebar shows it: findings, timeline and chain status, from its log.

Why a module of its own: the lineage file is the single source of truth, and the server, the
sidebar and any other reader must agree on what "the findings of a notebook" are. They are the
findings of the *latest* run of each check on each subject (re-running a cell replaces its
findings, it does not add to them); every run stays in the timeline. Nothing here imports
jupyter_server: the REST handlers only translate these dictionaries to HTTP.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError
from ..core.severity import Severity
from .chain import VerifyResult
from .store import LINEAGE_DIR, LINEAGE_SUFFIX, LineageStore, read_records, verify

NO_LINEAGE = "no lineage log for {notebook} yet: run a cell with %load_ext mlsecops_jupyter"
NOT_A_LOG = "{path} is not a lineage log: it holds no mlsecops-lineage/1 record"
UNREADABLE = "cannot read the lineage log {path}: {why}"
MAX_TIMELINE = 300  # newest entries sent to a viewer; the count of all is sent too
SEVERITIES = tuple(s.label for s in sorted(Severity, reverse=True))  # critical .. info
SERVER_ORIGIN = "sidebar"


def notebook_lineage_file(notebook: Path) -> Path:
    """``.mlsec/<name>.lineage.jsonl`` beside ``notebook``.

    Unlike ``lineage_path_for`` this ignores ``MLSEC_LINEAGE_FILE``: a server shows many
    notebooks, and one pinned file for all of them would mix their logs.
    """
    return notebook.parent / LINEAGE_DIR / (notebook.name + LINEAGE_SUFFIX)


def load_lineage(path: Path, notebook: str) -> tuple[list[dict[str, Any]], VerifyResult]:
    """The records of ``path`` and its verification; ``MLSecInputError`` when there is no log.

    A log whose chain is broken is still returned (the viewer shows "broken" and why); a file
    with no record at all (garbage, binary, a folder) is an input error.
    """
    if not path.exists():
        raise MLSecInputError(NO_LINEAGE.format(notebook=notebook))
    try:
        records = read_records(path)
        result = verify(path)
    except OSError as exc:
        raise MLSecInputError(UNREADABLE.format(path=path.name,
                                                why=exc.strerror or exc)) from None
    if not records and path.stat().st_size > 0:
        raise MLSecInputError(NOT_A_LOG.format(path=path.name))
    return records, result


def chain_status(result: VerifyResult) -> dict[str, Any]:
    """``verify``'s answer with a one-word status the panel can show."""
    return {"status": "verified" if result.ok else "broken",
            **result.to_dict(), "reason": " ".join(result.reason.split())}


def latest_checks(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest check record per (check, subject), oldest first; with how many runs it had."""
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    runs: dict[tuple[Any, Any], int] = {}
    for record in records:
        if record.get("kind") != "check" or not isinstance(record.get("report"), dict):
            continue
        report = record["report"]
        key = (report.get("check"), report.get("subject"))
        latest.pop(key, None)  # re-insert: dict order is then the order of the latest runs
        latest[key] = record
        runs[key] = runs.get(key, 0) + 1
    return [{"record": r, "runs": runs[k]} for k, r in latest.items()]


def findings_of(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every finding of the latest run of each check, most severe first, with its cell.

    ``cell`` is the cell index the finding names (static scans of the notebook file);
    ``cell_id`` the id of the cell that ran the check (checks run from the notebook), so a
    viewer can select the cell either way.
    """
    findings = []
    for entry in latest_checks(records):
        record = entry["record"]
        report = record["report"]
        cell = record.get("cell") or {}
        for finding in report.get("findings") or ():
            if not isinstance(finding, dict):
                continue
            location = finding.get("location") or {}
            findings.append({
                "check": report.get("check"),
                "subject": report.get("subject"),
                "seq": record.get("seq"),
                "rule": finding.get("rule"),
                "severity": _severity(finding.get("severity")),
                "title": finding.get("title", ""),
                "detail": finding.get("detail", ""),
                "remediation": finding.get("remediation", ""),
                "location": location,
                "cell": location.get("cell") if isinstance(location.get("cell"), int) else None,
                "cell_id": cell.get("id"),
            })
    findings.sort(key=lambda f: (SEVERITIES.index(f["severity"]), f["cell"] is None,
                                 f["cell"] or 0, f["seq"] or 0, str(f["rule"])))
    return findings


def _severity(value: Any) -> str:
    text = str(value).lower()
    return text if text in SEVERITIES else "info"


def timeline_of(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per record: what ran, when, with what outcome, and which data it touched."""
    entries = []
    for record in records:
        kind = record.get("kind")
        cell = record.get("cell") or {}
        entry: dict[str, Any] = {"seq": record.get("seq"), "kind": kind,
                                 "time": record.get("time"), "cell_id": cell.get("id"),
                                 "execution_count": cell.get("execution_count")}
        if kind == "cell":
            outcome = record.get("outcome") or {}
            code = record.get("code") or {}
            entry["status"] = outcome.get("status")
            entry["error"] = (outcome.get("error") or {}).get("type")
            entry["duration_ms"] = (record.get("timing") or {}).get("duration_ms")
            entry["label"] = _first_line(code.get("source", ""))
            entry["data"] = [_data_entry(d) for d in record.get("data") or ()
                             if isinstance(d, dict)]
            entry["files"] = [{"path": f.get("path"), "mode": f.get("mode")}
                              for f in record.get("files") or () if isinstance(f, dict)]
        elif kind == "check":
            summary = record.get("summary") or {}
            entry["check"] = summary.get("check")
            entry["label"] = f"{summary.get('check')}: {summary.get('subject')}"
            entry["findings"] = summary.get("findings", 0)
            entry["max_severity"] = summary.get("max_severity")
            entry["origin"] = record.get("origin")
        elif kind == "session":
            env = record.get("env") or {}
            entry["label"] = f"kernel started (Python {env.get('python', '?')})"
        else:
            entry["label"] = "recovered a torn write"
        entries.append(entry)
    return entries


def _first_line(source: str) -> str:
    line = next((text.strip() for text in source.splitlines() if text.strip()), "")
    return line[:120]


def _data_entry(fingerprint: dict[str, Any]) -> dict[str, Any]:
    return {key: fingerprint[key] for key in ("name", "change", "kind", "shape", "rows_total")
            if key in fingerprint}


def data_seen(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest fingerprint of each frame/array name the log saw created or changed."""
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("kind") != "cell":
            continue
        for item in record.get("data") or ():
            if isinstance(item, dict) and item.get("change") in ("created", "changed"):
                seen.pop(str(item.get("name")), None)
                seen[str(item.get("name"))] = {**_data_entry(item), "seq": record.get("seq"),
                                               "sha256": item.get("content_sha256")}
    return list(seen.values())


def notebook_overview(notebook: str, lineage_file: str, records: Sequence[dict[str, Any]],
                      result: VerifyResult) -> dict[str, Any]:
    """Everything the sidebar shows about one notebook, as plain JSON."""
    findings = findings_of(records)
    by_severity = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        by_severity[finding["severity"]] += 1
    timeline = timeline_of(records)
    checks = [{"check": e["record"]["report"].get("check"),
               "subject": e["record"]["report"].get("subject"),
               "seq": e["record"].get("seq"), "time": e["record"].get("time"),
               "findings": len(e["record"]["report"].get("findings") or ()),
               "runs": e["runs"]} for e in latest_checks(records)]
    data = data_seen(records)
    return {
        "notebook": notebook,
        "lineage_file": lineage_file,
        "chain": chain_status(result),
        "counts": {
            "records": len(records),
            "sessions": sum(1 for r in records if r.get("kind") == "session"),
            "cells": sum(1 for r in records if r.get("kind") == "cell"),
            "checks": sum(1 for r in records if r.get("kind") == "check"),
            "data": len(data),
            "findings": len(findings),
        },
        "by_severity": by_severity,
        "findings": findings,
        "checks": checks,
        "data": data,
        "timeline": timeline[-MAX_TIMELINE:],
        "timeline_total": len(timeline),
    }


def last_card_model(records: Sequence[dict[str, Any]]) -> str | None:
    """The model variable the last ``%mlsec card`` named, if any."""
    for record in reversed(records):
        report = record.get("report") or {}
        if record.get("kind") == "check" and report.get("check") == "card":
            subject = report.get("subject")
            return str(subject) if subject else None
    return None


def record_static_report(path: Path, report: Any, notebook: str) -> dict[str, Any]:
    """Append a report made outside a kernel (the sidebar's "scan now") as a check record.

    It joins the log's latest recording session, so the model card of that session counts
    it, and says where it came from (``origin``). Returns the stored record.
    """
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    findings = [f for f in data.get("findings") or () if isinstance(f, dict)]
    counts: dict[str, int] = {}
    for finding in findings:
        label = _severity(finding.get("severity"))
        counts[label] = counts.get(label, 0) + 1
    worst = next((s for s in SEVERITIES if counts.get(s)), None)
    session = None
    if path.exists():
        session = next((r.get("session") for r in reversed(read_records(path))
                        if r.get("session")), None)
    body = {
        "kind": "check",
        "session": session,
        "origin": SERVER_ORIGIN,
        "cell": {"id": None, "execution_count": None, "notebook": os.fspath(notebook)},
        "summary": {"check": data.get("check"), "subject": data.get("subject"),
                    "findings": len(findings), "by_severity": dict(sorted(counts.items())),
                    "max_severity": worst},
        "report": data,
    }
    return LineageStore(path).append(body)
