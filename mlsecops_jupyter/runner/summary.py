"""The closing summary of ``mlsec execute``: what the checks found, what failed, the verdict.

A CI log of a notebook run is long (every cell's output); its last lines must answer the three
questions a reviewer has: which checks found what (findings per check and severity), which
cells failed and why, and whether the run passes at the threshold, so the exit code is never a
surprise.
"""

from __future__ import annotations

from collections import defaultdict

from ..core.report import Report
from ..core.severity import Severity
from .execute import NotebookRun

LEVELS = [severity.label for severity in sorted(Severity, reverse=True)]
ERROR_WIDTH = 160


def blocking_count(reports: list[Report], threshold: Severity | None) -> int:
    """How many findings of the run reach ``threshold`` (accepted findings never do)."""
    if threshold is None:
        return 0
    return sum(len(report.blocking(threshold)) for report in reports)


def summary_text(run: NotebookRun, threshold: Severity | None) -> str:
    """The summary block printed after the cells' outputs (ends with a newline)."""
    gate = f"fail-on {threshold}" if threshold is not None else "fail-on none"
    lines = [f"=== mlsec execute: {run.path.name} ({gate})"]
    lines += _findings_table(run.reports)
    failed = run.failed_cells
    if failed:
        lines.append("failed cells:")
        lines += [f"  cell {cell.index}: {cell.source_head}  ->  {_cut(cell.error or '')}"
                  for cell in failed]
    if run.stopped:
        lines.append(f"stopped: {run.stopped}")
    not_run = run.not_run
    if not_run:
        lines.append(f"not run: {_ranges([cell.index for cell in not_run])} "
                     f"({len(not_run)} cell{'s' if len(not_run) != 1 else ''})")
    lines.append(f"result: {verdict(run, threshold)}")
    return "\n".join(lines) + "\n"


def verdict(run: NotebookRun, threshold: Severity | None) -> str:
    """``passed`` or ``FAILED: ...`` with every reason, in one line."""
    reasons = []
    blocking = blocking_count(run.reports, threshold)
    if blocking:
        reasons.append(f"{blocking} finding{'s' if blocking != 1 else ''} at or above "
                       f"{threshold}")
    failed = len(run.failed_cells)
    if failed:
        reasons.append(f"{failed} cell{'s' if failed != 1 else ''} failed")
    if run.stopped:
        reasons.append("the run stopped early")
    return "FAILED: " + "; ".join(reasons) if reasons else "passed"


def _findings_table(reports: list[Report]) -> list[str]:
    if not reports:
        return ["checks: none ran"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEVELS, 0))
    runs: dict[str, int] = defaultdict(int)
    accepted: dict[str, int] = defaultdict(int)
    for report in reports:
        runs[report.check] += 1
        for finding in report.findings:
            if finding.is_accepted:
                accepted[report.check] += 1
            else:
                counts[report.check][finding.severity.label] += 1
    width = max(len("check"), *(len(check) for check in runs))
    header = f"{'check':<{width}}  runs  " + "  ".join(f"{level:>8}" for level in LEVELS)
    lines = ["findings by check and severity:", "  " + header + "  accepted"]
    for check in sorted(runs):
        row = counts[check]
        lines.append(f"  {check:<{width}}  {runs[check]:>4}  "
                     + "  ".join(f"{row[level]:>8}" for level in LEVELS)
                     + f"  {accepted[check]:>8}")
    return lines


def _ranges(indices: list[int]) -> str:
    """``[3, 4, 5, 8]`` -> ``cells 3-5, 8``."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return f"cell{'s' if len(indices) != 1 else ''} " + ", ".join(parts)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ERROR_WIDTH else text[:ERROR_WIDTH - 3] + "..."
