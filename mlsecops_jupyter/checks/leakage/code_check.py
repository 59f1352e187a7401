"""``check_code_leakage``: static leakage analysis of a notebook's code, as one program.

Input: an ``.ipynb`` path, notebook JSON, or the live session's cells. The cells are ordered as
they ran (``code_cells``), interpreted as one program (``code_flow``), and each leak becomes one
finding at the statement that leaks (``location.cell`` 0-based among all cells,
``location.line`` 1-based in the cell). Runtime evidence recorded in the kernel
(``mlsecops_jupyter.provenance``) can be merged in: a leak seen both ways is one finding whose
``evidence.sources`` names both.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...core.finding import Finding, Location
from ...core.report import Report, Skipped
from ...core.settings import Settings
from .code_cells import TOO_DEEP, cells_from_source, execution_order, parse_cells
from .code_flow import Flow
from .code_ml import Draft
from .code_rules import CHECK, RULES


@dataclass(frozen=True)
class RuntimeLeak:
    """A leak observed in the kernel by the provenance hooks (facts, not guesses).

    ``cell``/``line`` locate the statement when the front end could map it to the notebook;
    ``estimator`` names the class involved; ``facts`` are JSON-serialisable measurements
    (overlap fraction, rows compared, models scored on one test set).
    """

    rule: str
    detail: str
    estimator: str | None = None
    cell: int | None = None
    line: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def check_code_leakage(source: Any, settings: Settings | None = None,
                       subject: str | None = None, *,
                       runtime: Iterable[RuntimeLeak] = (),
                       file: str | None = None) -> Report:
    """Find data leakage in notebook code.

    Parameters
    ----------
    source
        A path to an ``.ipynb`` file, notebook JSON (dict or ``NotebookNode``), or a list of
        ``(cell index, source, execution count)`` tuples (the session's history).
    settings
        Unused thresholds today; accepted so every check has the same signature.
    subject
        Names the notebook in the report (defaults to the path, or "notebook"/"session").
    runtime
        Leaks observed by the provenance hooks, merged with the static findings.
    file
        Set as ``location.file`` of every finding (the CLI passes the notebook path).

    Returns
    -------
    Report
        Check ``leakage``; ``metrics["code"]`` counts cells, statements and splits.
    """
    started = time.process_time()
    cells, default_subject = cells_from_source(source)
    ordered = execution_order(cells)
    parsed = parse_cells(ordered)
    flow = Flow()
    drafts = flow.run(parsed)
    findings = [_finding(draft, file) for draft in drafts]
    findings = merge_runtime(findings, runtime, file)
    skipped = [Skipped(f"cell {p.cell.index}", p.error if p.error == TOO_DEEP else
                       f"not Python after removing IPython syntax ({p.error})")
               for p in parsed if p.tree is None]
    skipped += [Skipped(site.describe(), f"statement not analysed ({error})")
                for site, error in flow.errors]
    executed = sum(1 for c in cells if c.execution_count is not None)
    metrics = {
        "code": {
            "cells": len(cells),
            "executed_cells": executed,
            "statements": flow.statements,
            "splits": flow.split_count,
            "order": "execution count" if executed else "page order",
        }
    }
    return Report(check=CHECK, subject=subject or default_subject, findings=findings,
                  metrics=metrics, skipped=skipped,
                  elapsed_s=round(time.process_time() - started, 4))


def _finding(draft: Draft, file: str | None) -> Finding:
    rule = RULES[draft.rule]
    evidence = {"sources": ["static"], **{k: v for k, v in draft.evidence.items()
                                          if v is not None}}
    return rule.finding(draft.detail, Location(file=file, cell=draft.site.cell,
                                               line=draft.site.line), evidence)


def merge_runtime(findings: list[Finding], runtime: Iterable[RuntimeLeak],
                  file: str | None = None) -> list[Finding]:
    """One finding per leak: a runtime observation joins a static finding of the same rule
    (same cell, else same estimator, else the first of that rule), or stands alone."""
    merged = list(findings)
    for leak in runtime:
        candidates = [i for i, f in enumerate(merged) if f.rule == leak.rule
                      and "runtime" not in f.evidence.get("sources", ())]
        # the runtime cell is where the leak showed (often the evaluation), the static one
        # where it was made: prefer the same cell, then the same estimator, then the rule
        match = next((i for i in candidates if leak.cell is not None
                      and merged[i].location.cell == leak.cell), None)
        if match is None and leak.estimator:
            match = next((i for i in candidates if leak.estimator in merged[i].detail), None)
        if match is None and candidates:
            match = candidates[0]
        facts = {"detail": leak.detail, **({"estimator": leak.estimator} if leak.estimator
                                           else {}), **leak.facts}
        if match is not None:
            found = merged[match]
            evidence = dict(found.evidence)
            evidence["sources"] = ["static", "runtime"]
            evidence["runtime"] = facts
            merged[match] = Finding(found.rule, found.severity, found.title,
                                    f"{found.detail} Confirmed at run time: {leak.detail}",
                                    found.location, evidence, found.remediation)
        else:
            rule = RULES[leak.rule]
            merged.append(rule.finding(
                f"Observed at run time: {leak.detail}",
                Location(file=file, cell=leak.cell, line=leak.line),
                {"sources": ["runtime"], "runtime": facts}))
    return merged
