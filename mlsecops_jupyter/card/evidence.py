"""What the lineage log says about one model: the facts a model card and an ML-BOM are built from.

Everything here reads plain lineage records (``read_records``) and the ``mlsecops-report/1``
reports inside ``check`` records, so it works the same in a kernel and on a file copied off a
CI runner. Check kinds are read generically (check name, findings, metrics): a check written
after this module (bias, explain, leakage, pii) shows up without a change here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..lineage.slice import backward_slice
from ..lineage.statements import CARD_CHECK, STATEMENTS_CHECK, card_statements

# check name in a report -> the card topic it feeds (several names per topic: renames happen)
CHECK_TOPICS: dict[str, str] = {
    "modelscan": "scan",
    "bias": "bias",
    "fairness": "bias",
    "explain": "explain",
    "explainability": "explain",
    "leakage": "leakage",
    "pii": "pii",
    "robustness": "robustness",
    "privacy": "privacy",
    "secrets": "pii",
    "notebook": "pii",
    "card": "card",
    STATEMENTS_CHECK: "card",
    # after deployment: data drift (and, beside it, other checks of data over time)
    "drift": "monitoring",
    # the training sample a drift check compares against: a fact about the model, not a check
    "drift-reference": "reference",
}
# a data variable's role, from its name (the log knows names, not intentions)
EVALUATION_NAME = re.compile(r"(^|_)(test|tst|val|valid|validation|eval|holdout)(_|$|\d)",
                             re.IGNORECASE)
TRAINING_NAME = re.compile(r"(^|_)(train|trn|fit)(_|$|\d)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckRun:
    """One check record: which check, on what, in which cell, and its whole report."""

    check: str
    topic: str
    subject: str
    execution_count: int | None
    cell_id: str | None
    time: str
    report: dict[str, Any]

    @property
    def findings(self) -> list[dict[str, Any]]:
        """The open findings: what the card counts, tables and lists as limitations."""
        return [f for f in self.report.get("findings") or []
                if isinstance(f, dict) and f.get("accepted") is None]

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """Findings a reviewer accepted (``Finding.accepted``): listed apart, with the reason."""
        return [f for f in self.report.get("findings") or []
                if isinstance(f, dict) and f.get("accepted") is not None]

    @property
    def metrics(self) -> dict[str, Any]:
        metrics = self.report.get("metrics")
        return metrics if isinstance(metrics, dict) else {}


@dataclass(frozen=True)
class Dataset:
    """A frame or array the model was made from, as its last fingerprint before the model."""

    name: str
    role: str  # "training", "evaluation" or "input"
    fingerprint: dict[str, Any]
    execution_count: int | None


@dataclass(frozen=True)
class ModelFile:
    """A file the model was written to, seen by the recorder (path, size, SHA-256)."""

    path: str
    sha256: str | None
    size: int | None
    via: str
    execution_count: int | None


@dataclass
class Evidence:
    """The facts about one model variable in one recording session."""

    model_var: str | None
    session: dict[str, Any] | None
    cells: list[dict[str, Any]]
    slice_cells: list[dict[str, Any]]
    datasets: list[Dataset]
    data_files: list[dict[str, Any]]
    model_files: list[ModelFile]
    checks: list[CheckRun]
    head: dict[str, Any] | None
    records: int
    estimator: dict[str, Any] | None = None
    statements: dict[str, str] = field(default_factory=dict)

    def checks_of(self, topic: str) -> list[CheckRun]:
        return [c for c in self.checks if c.topic == topic]

    def scans_of_model(self) -> list[CheckRun]:
        """modelscan runs on the model's file(s) or on the model object itself."""
        paths = {os.path.normpath(f.path) for f in self.model_files}
        wanted = []
        for run in self.checks_of("scan"):
            scanned = {os.path.normpath(run.subject)}
            for entry in run.metrics.get("files") or ():
                if isinstance(entry, dict) and entry.get("file"):
                    scanned.add(os.path.normpath(str(entry["file"])))
            in_memory = self.model_var is not None and run.subject.startswith(
                f"object {self.model_var} ")
            if scanned & paths or in_memory:
                wanted.append(run)
        return wanted


def collect(records: Sequence[dict[str, Any]], model_var: str | None = None) -> Evidence:
    """Gather the evidence about ``model_var`` (or the whole last session when None).

    The session is the one that last touched the model (a kernel restart empties the
    namespace, so older sessions did not make this object); without a model, the last session.
    """
    session_id = _session_of(records, model_var)
    in_session = [r for r in records if r.get("session") == session_id] if session_id else []
    cells = [r for r in in_session if r.get("kind") == "cell"]
    slice_cells = backward_slice(records, model_var) if model_var else []
    session = next((r for r in in_session if r.get("kind") == "session"), None)
    checks = [_check_run(r) for r in in_session if r.get("kind") == "check"]
    evidence = Evidence(
        model_var=model_var,
        session=session,
        cells=cells,
        slice_cells=slice_cells,
        datasets=_datasets(cells, slice_cells),
        data_files=_files(slice_cells, "read"),
        model_files=_model_files(cells, slice_cells, model_var),
        checks=checks,
        head=records[-1] if records else None,
        records=len(records),
    )
    for cell in slice_cells:  # the recorder notes estimators a cell bound or changed
        for model in cell.get("models") or ():
            if isinstance(model, dict) and model.get("name") == model_var:
                evidence.estimator = {k: v for k, v in model.items() if k != "name"}
    for run in evidence.checks_of("card"):  # %mlsec card records what only the kernel knew
        if run.check == CARD_CHECK and (model_var is None or run.subject == model_var):
            estimator = run.metrics.get("estimator")
            if isinstance(estimator, dict):
                evidence.estimator = estimator
    # statements are about the model, not a session: the whole log counts
    evidence.statements = card_statements(records, model_var)
    return evidence


def _session_of(records: Sequence[dict[str, Any]], model_var: str | None) -> str | None:
    if model_var:
        for cell in reversed(records):
            if cell.get("kind") == "cell" and model_var in _written(cell):
                return cell.get("session")
    return next((r.get("session") for r in reversed(records) if r.get("session")), None)


def _written(cell: dict[str, Any]) -> set[str]:
    names = cell.get("names") or {}
    written = set(names.get("defined") or ()) | set(names.get("mutated") or ())
    return written | {d.get("name") for d in cell.get("data") or ()
                      if d.get("change") in ("created", "changed")}


def _check_run(record: dict[str, Any]) -> CheckRun:
    stored = record.get("report")
    report: dict[str, Any] = stored if isinstance(stored, dict) else {}
    check = str(report.get("check") or (record.get("summary") or {}).get("check") or "unknown")
    cell = record.get("cell") or {}
    return CheckRun(
        check=check,
        topic=CHECK_TOPICS.get(check.lower(), "other"),
        subject=str(report.get("subject") or ""),
        execution_count=cell.get("execution_count"),
        cell_id=cell.get("id"),
        time=str(record.get("time") or ""),
        report=report,
    )


def role_of(name: str) -> str:
    """``evaluation`` for test/validation-looking names, ``training`` for train-looking ones."""
    if EVALUATION_NAME.search(name):
        return "evaluation"
    if TRAINING_NAME.search(name):
        return "training"
    return "input"


def _datasets(cells: Sequence[dict[str, Any]],
              slice_cells: Sequence[dict[str, Any]]) -> list[Dataset]:
    """Data named in the slice's cells, each with its latest fingerprint up to the model."""
    if not slice_cells:
        return []
    names: set[str] = set()
    for cell in slice_cells:
        section = cell.get("names") or {}
        names |= set(section.get("used") or ()) | set(section.get("defined") or ())
    last_seq = slice_cells[-1].get("seq", 0)
    latest: dict[str, tuple[dict[str, Any], int | None]] = {}
    for cell in cells:
        if cell.get("seq", 0) > last_seq:
            break
        for entry in cell.get("data") or ():
            name = entry.get("name")
            if name in names and entry.get("change") in ("created", "changed"):
                latest[name] = (entry, (cell.get("cell") or {}).get("execution_count"))
    return [Dataset(name, role_of(name), fingerprint, count)
            for name, (fingerprint, count) in sorted(latest.items())]


def _files(cells: Iterable[dict[str, Any]], mode: str) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    for cell in cells:
        for entry in cell.get("files") or ():
            if entry.get("mode") == mode and entry.get("path"):
                seen[(entry.get("path"), entry.get("sha256"))] = entry
    return list(seen.values())


def _model_files(cells: Sequence[dict[str, Any]], slice_cells: Sequence[dict[str, Any]],
                 model_var: str | None) -> list[ModelFile]:
    """Files written by cells that used the model after it was made (``joblib.dump(model, p)``)."""
    if not model_var or not slice_cells:
        return []
    last_seq = slice_cells[-1].get("seq", 0)
    found: dict[str, ModelFile] = {}
    for cell in cells:
        names = cell.get("names") or {}
        if cell.get("seq", 0) < last_seq or model_var not in (names.get("used") or ()):
            continue
        if model_var in (names.get("defined") or ()) and cell.get("seq", 0) > last_seq:
            break  # rebound: files after this are another model's
        for entry in cell.get("files") or ():
            if entry.get("mode") == "write" and entry.get("path"):
                found[str(entry["path"])] = ModelFile(
                    path=str(entry["path"]), sha256=entry.get("sha256"), size=entry.get("size"),
                    via=str(entry.get("via") or ""),
                    execution_count=(cell.get("cell") or {}).get("execution_count"))
    return list(found.values())
