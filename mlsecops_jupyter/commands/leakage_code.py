"""``%mlsec leakage --code [NOTEBOOK]`` and ``mlsec leakage NOTEBOOK.ipynb``: leakage in code.

``commands/leakage.py`` owns the command line and routes here. With a notebook path the saved
file is analysed. Without one, this session's cells are: the ``In[]`` history in execution
order, mapped to the cells of the saved notebook when the session knows its notebook (the
lineage log links each execution count to the front end's cell id; failing that, identical
source text links them), plus what the runtime provenance hooks observed in the kernel. When
``In[]`` is empty (kernels driven with ``store_history=False``, as nbval does), the cells come
from this session's lineage records instead (source, order of execution, front-end cell id).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.display_path import display_path
from ..core.errors import MLSecInputError
from ..core.report import Report, Skipped
from ..core.settings import Settings
from . import Session
from ._parser import effective_threshold
from ._report_io import cli_settings, emit_cli_report, settings_for_call

NO_HISTORY = "this session has no cell history to analyse (is the shell an IPython kernel?)"
NOTEBOOK_ENV = "JPY_SESSION_NAME"
NOTEBOOK_NAMES = ("__vsc_ipynb_file__", "__session__")


def run_code(session: Session, args: argparse.Namespace) -> Report:
    """``%mlsec leakage --code [NOTEBOOK]``: analyse a notebook file or this session."""
    from ..checks.leakage import check_code_leakage

    settings = settings_for_call(session.settings, getattr(args, "set", []))
    if args.code:
        report = check_code_leakage(Path(args.code).expanduser(), settings, subject=args.code,
                                    file=args.code)
    else:
        report = session_report(session, settings)
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def session_report(session: Any, settings: Settings) -> Report:
    """Static analysis of this session's cells merged with the runtime observations."""
    from ..checks.leakage.code_check import RuntimeLeak, check_code_leakage

    shell = getattr(session, "shell", None)
    recorder = getattr(session, "recorder", None)
    history = session_history(shell, session.user_namespace(), recorder)
    recorded = recorded_history(recorder) if not history else []
    if recorded:  # In[] is empty (store_history=False, as under nbval): the lineage log
        history = [(count, source) for count, source, _ in recorded]
    notebook = notebook_path(session, shell)
    cell_of = map_to_notebook(history, notebook, recorder, {
        count: cell_id for count, _, cell_id in recorded if cell_id} if recorded else None)
    cells = [(cell_of.get(count, -1), source, count) for count, source in history]
    provenance = getattr(session, "provenance", None)
    observations = provenance.observations if provenance is not None else []
    # recorded cells are numbered in order of execution, not by In[]: runtime observations
    # (keyed by In[] number) are then not tied to a cell
    runtime = [RuntimeLeak(o.rule, o.detail, o.estimator, cell=cell_of.get(o.execution_count)
                           if o.execution_count is not None and not recorded else None,
                           facts={**o.facts, "execution_count": o.execution_count})
               for o in observations]
    report = check_code_leakage(cells, settings,
                                subject=display_path(notebook) if notebook else "this session",
                                runtime=runtime)
    report.metrics["code"]["runtime_observations"] = len(runtime)
    report.metrics["code"]["history"] = "lineage records" if recorded else "In[]"
    report.metrics["code"]["mapped_to_notebook"] = sum(1 for c, _ in history if c in cell_of)
    if provenance is None or provenance.hooks is None:
        why = ("switched off (leakage.runtime_hooks = false)" if provenance is not None
               and not provenance.enabled else "not installed: scikit-learn was not imported "
               "after %load_ext mlsecops_jupyter")
        report.skipped.append(Skipped("runtime provenance", why))
    if notebook and not cell_of and history:
        report.skipped.append(Skipped(
            "cell numbers", f"cells could not be matched to {display_path(notebook)} (not "
            "saved yet?): "
            "findings give no cell index, evidence.execution_count says which In[] it was"))
    return report


def session_history(shell: Any, namespace: Mapping[str, Any],
                    recorder: Any = None) -> list[tuple[int, str]]:
    """``[(execution count, raw source), ...]`` of this session, oldest first.

    No ``In[]`` at all is an error only when there is no lineage recorder to fall back on."""
    raw = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if raw is None:
        raw = namespace.get("_ih") or namespace.get("In")
    if raw is None:
        if recorder is None:
            raise MLSecInputError(NO_HISTORY)
        raw = []
    return [(count, source) for count, source in enumerate(raw)
            if count > 0 and isinstance(source, str) and source.strip()]


def recorded_history(recorder: Any) -> list[tuple[int, str, str | None]]:
    """``[(position, source, front-end cell id or None), ...]``: this session's cells from
    the lineage log, in execution order.

    Kernels driven with ``store_history=False`` (nbval, some runners) leave ``In[]`` empty
    and give every cell the same execution count; the recorder still logs each cell, so
    cells are numbered by their position in the log instead."""
    if recorder is None:
        return []
    try:
        from ..lineage import read_records

        records = read_records(recorder.path)
    except Exception:  # no lineage file yet, or unreadable: nothing to fall back on
        return []
    cells: list[tuple[int, str, str | None]] = []
    for record in records:
        if record.get("kind") != "cell" or record.get("session") != recorder.session_id:
            continue
        code, cell = record.get("code"), record.get("cell")
        source = code.get("source") if isinstance(code, dict) else None
        if not isinstance(source, str) or not source.strip():
            continue
        cell_id = (str(cell.get("id")) if isinstance(cell, dict)
                   and cell.get("id_source") == "frontend" else None)
        cells.append((len(cells) + 1, source, cell_id))
    return cells


def notebook_path(session: Any, shell: Any) -> str | None:
    """The notebook this session runs, when the front end says (same sources as lineage)."""
    recorder = getattr(session, "recorder", None)
    if recorder is not None:
        try:
            known = recorder.notebook_path()
        except Exception:  # lineage must not break the command
            known = None
        if known:
            return str(known)
    if os.environ.get(NOTEBOOK_ENV):
        return os.environ[NOTEBOOK_ENV]
    namespace = getattr(shell, "user_ns", None) or {}
    for name in NOTEBOOK_NAMES:
        value = namespace.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def map_to_notebook(history: Sequence[tuple[int, str]], notebook: str | None,
                    recorder: Any, cell_ids: Mapping[int, str] | None = None) -> dict[int, int]:
    """Execution count -> 0-based cell index in the saved notebook (what can be matched).

    ``cell_ids`` (count -> front-end cell id) replaces the lineage lookup when given."""
    if not notebook:
        return {}
    from ..checks.leakage.code_cells import cells_from_notebook, read_notebook

    path = Path(notebook)
    if not path.is_file():
        return {}
    try:
        cells = cells_from_notebook(read_notebook(path))
    except MLSecInputError:
        return {}
    by_id = {c.cell_id: c.index for c in cells if c.cell_id}
    mapping: dict[int, int] = {}
    for count, cell_id in (_cell_ids(recorder) if cell_ids is None else cell_ids).items():
        if cell_id in by_id:
            mapping[count] = by_id[cell_id]
    by_source: dict[str, list[int]] = {}
    for cell in cells:
        by_source.setdefault(cell.source.strip(), []).append(cell.index)
    for count, source in history:
        if count not in mapping:
            candidates = by_source.get(source.strip())
            if candidates:
                mapping[count] = candidates[0]
    return mapping


def _cell_ids(recorder: Any) -> dict[int, str]:
    """Execution count -> front-end cell id, from this session's lineage records."""
    if recorder is None:
        return {}
    try:
        from ..lineage import read_records

        records = read_records(recorder.path)
    except Exception:  # no lineage file yet, or unreadable: match by source instead
        return {}
    ids: dict[int, str] = {}
    for record in records:
        cell = record.get("cell") if record.get("kind") == "cell" else None
        if (isinstance(cell, dict) and record.get("session") == recorder.session_id
                and cell.get("id_source") == "frontend"
                and isinstance(cell.get("execution_count"), int)):
            ids[cell["execution_count"]] = str(cell.get("id"))
    return ids


# -- command line -----------------------------------------------------------------------------
def run_cli_notebook(args: argparse.Namespace) -> int:
    """``mlsec leakage NOTEBOOK.ipynb``: static analysis of a saved notebook."""
    from ..checks.leakage import check_code_leakage

    settings = cli_settings(args)
    report = check_code_leakage(args.notebook, settings, subject=str(args.notebook),
                                file=str(args.notebook))
    return emit_cli_report(report, args, settings)
