"""How ``mlsec execute`` learns every report a notebook's checks produced.

The kernel is another process, and what it displays is made for people: a widget, HTML, text.
So the runner names a file in the kernel's environment (``REPORTS_ENV``) and the ``%mlsec``
magic appends each report it delivers there, one ``mlsecops-report/1`` object per line, before
strict mode may raise. The runner reads them back after the run for its closing summary and its
exit code. Nothing is written when the variable is unset (every other runner).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..core.report import Report

REPORTS_ENV = "MLSEC_EXECUTE_REPORTS"


def export_report(report: Report, environ: Any = None) -> None:
    """Append ``report`` to the file ``REPORTS_ENV`` names, if any (never raises)."""
    target = (os.environ if environ is None else environ).get(REPORTS_ENV)
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(report.to_json(indent=None) + "\n")
    except (OSError, TypeError, ValueError):  # the summary loses one report; the cell goes on
        return


def read_reports(path: str | os.PathLike[str]) -> list[Report]:
    """The reports a run exported, in order; unreadable lines are left out."""
    reports = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            reports.append(Report.from_dict(json.loads(line)))
        except Exception:  # a line cut short by a dying kernel: the rest still count
            continue
    return reports
