"""The static scan of a notebook file: secrets/PII in cells and outputs, and code-level leakage.

Why one function: the sidebar's "scan now" (and any other front end that has only the file)
wants both checks on the saved notebook, nothing executed. Each part is its own check with its
own report (``notebook`` for secrets/PII and ``leakage``: names the model card maps to its
sections); ``static_reports`` returns them apart so a caller can record each,
``scan_notebook_static`` merges them for display.
The checks are imported lazily: their dependencies (Presidio, spaCy) load only when a scan runs.
"""

from __future__ import annotations

import importlib
import os
import time
from dataclasses import replace
from pathlib import Path

from ..core.errors import MLSecInputError
from ..core.report import Report, Skipped

CHECK = "notebook"
NOT_A_NOTEBOOK = "{path} is not a notebook file (.ipynb)"
NO_SUCH_NOTEBOOK = "no such notebook: {path}"
UNAVAILABLE = "the {name} check is not available in this installation ({module} missing)"

# (name, module, function): each function takes the notebook path and returns a Report
STATIC_PARTS: tuple[tuple[str, str, str], ...] = (
    ("pii", "mlsecops_jupyter.checks.pii.notebook", "scan_notebook"),
    ("leakage", "mlsecops_jupyter.checks.leakage", "check_code_leakage"),
)


def _notebook(path: str | os.PathLike[str]) -> Path:
    notebook = Path(path)
    if notebook.suffix != ".ipynb":
        raise MLSecInputError(NOT_A_NOTEBOOK.format(path=notebook))
    if not notebook.is_file():
        raise MLSecInputError(NO_SUCH_NOTEBOOK.format(path=notebook))
    return notebook


def static_reports(path: str | os.PathLike[str], name: str | None = None
                   ) -> tuple[list[Report], list[Skipped]]:
    """Run every static part on the notebook at ``path``.

    Returns the parts' reports and, for a part whose module is not installed, a ``Skipped``
    saying so (never an empty report that would read as "checked, nothing found").
    ``name`` is how the caller's user knows the notebook (a server gives the path relative to
    its root): it becomes the reports' subject and replaces ``path`` in finding locations and
    in the message of an input error (a notebook that is not JSON), so no absolute server path
    reaches a browser or a lineage log.
    """
    notebook = _notebook(path)
    reports: list[Report] = []
    skipped: list[Skipped] = []
    for part, module_name, function in STATIC_PARTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                raise  # a dependency of the check is missing: that is a real error
            module = None
        scan = getattr(module, function, None)
        if scan is None:
            skipped.append(Skipped(what=f"{part} check", why=UNAVAILABLE.format(
                name=part, module=f"{module_name}.{function}")))
            continue
        try:
            report = scan(notebook)
        except MLSecInputError as exc:
            if name is None:
                raise
            # the server shows this to a browser: say the notebook as its user knows it
            raise MLSecInputError(str(exc).replace(str(notebook), name)) from None
        if name is not None:
            _rename(report, str(notebook), name)
        reports.append(report)
    return reports, skipped


def _rename(report: Report, path: str, name: str) -> None:
    """Say ``name`` wherever a part wrote ``path`` (subject, location, title, detail)."""
    report.subject = name
    report.findings = [
        replace(f, title=f.title.replace(path, name), detail=f.detail.replace(path, name),
                location=replace(f.location, file=name) if f.location.file == path
                else f.location)
        for f in report.findings]


def scan_notebook_static(path: str | os.PathLike[str], name: str | None = None) -> Report:
    """One report for the static scan of a notebook: the parts' findings merged, most severe
    first, with the parts' own names kept in ``metrics["parts"]`` (``name``: see above)."""
    started = time.perf_counter()
    reports, skipped = static_reports(path, name)
    merged = Report.merge(reports, check=CHECK, subject=name or str(path))
    merged.metrics["parts"] = [r.check for r in reports]
    merged.skipped.extend(skipped)
    merged.elapsed_s = time.perf_counter() - started
    return merged
