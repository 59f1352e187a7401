"""The building blocks of a model card: sections, tables, fixed formatting, shared phrases.

Why apart from ``model.py``: the card's sections are made in two modules (``model.py`` for the
evidence of checks and data, ``considerations.py`` for what people stated and what the evidence
leaves open) and rendered in a third; all of them speak in these types and these sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .evidence import CheckRun

NOT_STATED = "not stated"
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
# what a missing check means, per topic (the card says it instead of leaving a gap)
NOT_RUN = {
    "scan": "The model file was not scanned in this session (%mlsec scan FILE).",
    "bias": "No bias check was run in this session.",
    "explain": "No explainability check was run in this session.",
    "leakage": "No leakage check was run in this session.",
    "pii": "No PII check was run in this session.",
    "monitoring": "No drift check was run in this session (%mlsec drift MODEL NEW_DATA).",
}


@dataclass(frozen=True)
class Table:
    """A small table: column names and rows of already-formatted cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows]}


@dataclass(frozen=True)
class Section:
    """One card section. ``has_evidence`` False means ``text`` says what was not done."""

    key: str
    title: str
    has_evidence: bool
    text: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    tables: tuple[Table, ...] = ()
    code: tuple[tuple[str, str], ...] = ()  # (heading, source) of cells

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "has_evidence": self.has_evidence,
            "text": self.text, "facts": {k: v for k, v in self.facts},
            "tables": [t.to_dict() for t in self.tables],
            "code": [{"heading": h, "source": s} for h, s in self.code],
        }


def fmt(value: Any) -> str:
    """Fixed, readable formatting: floats with 4 decimals, lists joined, None as a dash."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value) if value else "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={fmt(v)}" for k, v in sorted(value.items(), key=lambda kv: str(
            kv[0])))
    return " ".join(str(value).split())


def param_text(value: Any) -> str:
    """A hyper-parameter as Python writes it (``None``, ``0.001``, ``'gini'`` -> ``gini``)."""
    return value if isinstance(value, str) else repr(value)


def where_text(finding: dict[str, Any], subject: str) -> str:
    """A finding's location as ``key value`` pairs, or the subject of its check."""
    location = finding.get("location") or {}
    where = ", ".join(f"{k} {v}" for k, v in sorted(location.items()))
    return where or subject


def findings_table(runs: Sequence[CheckRun], title: str = "Findings") -> Table:
    """The open findings of ``runs`` (accepted ones have their own section)."""
    rows = []
    for run in runs:
        for finding in run.findings:
            rows.append((str(finding.get("severity")), str(finding.get("rule")),
                         where_text(finding, run.subject), fmt(finding.get("title"))))
    return Table(title, ("severity", "rule", "where", "finding"), tuple(rows))


def runs_text(runs: Sequence[CheckRun]) -> str:
    """One clause per run: check, subject, cell and open (and accepted) findings."""
    parts = []
    for run in runs:
        count = len(run.findings)
        at = f" (cell [{run.execution_count}])" if run.execution_count is not None else ""
        accepted = f", {len(run.accepted)} accepted" if run.accepted else ""
        parts.append(f"{run.check} on {run.subject}{at}: {count} finding(s){accepted}")
    return "; ".join(parts) + "."


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: None is empty, a scalar is one item."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]
