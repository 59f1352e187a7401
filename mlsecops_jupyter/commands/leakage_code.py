"""``%mlsec leakage --code [NOTEBOOK]`` and ``mlsec leakage NOTEBOOK.ipynb``: leakage in code.

``commands/leakage.py`` owns the command line and routes here. With a notebook path the saved
file is analysed. Without one, this session's cells are: every cell the kernel ran, in order of
execution (``_this_notebook``: the same cells under JupyterLab, VS Code, nbclient, nbmake,
papermill and nbval, which leaves ``In[]`` empty and gives every cell one execution count),
mapped to the cells of the saved notebook when its file is named or recognised (by the front
end's cell id, else identical source text), plus what the runtime provenance hooks observed in
the kernel.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.display_path import display_path
from ..core.errors import MLSecInputError
from ..core.report import Report, Skipped
from ..core.settings import Settings
from . import Session
from ._parser import effective_threshold
from ._report_io import cli_settings, emit_cli_report, settings_for_call
from ._this_notebook import SessionCell, dropped_cells, executed_cells, locate_notebook

NO_HISTORY = "this session has no cell history to analyse (is the shell an IPython kernel?)"


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
    """Static analysis of this session's cells merged with the runtime observations.

    The cells are those the kernel ran, in order (``_this_notebook.executed_cells``: the same
    in every runner, nbval included), numbered by their place in the session; they are mapped
    to the saved notebook's cells when its file is known or recognised."""
    from ..checks.leakage.code_check import RuntimeLeak, check_code_leakage

    ran = executed_cells(session)
    if not ran and getattr(session, "shell", None) is None:
        raise MLSecInputError(NO_HISTORY)
    located = locate_notebook(session.user_namespace(), settings,
                              [cell.source for cell in ran])
    notebook = located.path
    cell_of = map_to_notebook(ran, notebook)
    cells = [(cell_of.get(cell.position, -1), cell.source, cell.position) for cell in ran]
    provenance = getattr(session, "provenance", None)
    observations = provenance.observations if provenance is not None else []
    # the hooks stamp observations with In[] numbers: a cell is named only when its number
    # is its own (runners without stored history give every cell the same number)
    numbers = Counter(cell.execution_count for cell in ran if cell.execution_count is not None)
    position_of = {cell.execution_count: cell.position for cell in ran
                   if cell.execution_count is not None and numbers[cell.execution_count] == 1}
    runtime = []
    for o in observations:
        position = position_of.get(o.execution_count)
        runtime.append(RuntimeLeak(o.rule, o.detail, o.estimator,
                                   cell=cell_of.get(position) if position else None,
                                   facts={**o.facts, "execution_count": o.execution_count}))
    report = check_code_leakage(cells, settings,
                                subject=display_path(str(notebook)) if notebook
                                else "this session", runtime=runtime)
    code = report.metrics["code"]
    code["runtime_observations"] = len(runtime)
    code["history"] = "In[]" if ran and all(
        c.execution_count is not None for c in ran) else "cells run (no In[])"
    code["mapped_to_notebook"] = sum(1 for c in ran if c.position in cell_of)
    code["notebook_found_by"] = located.how if notebook else None
    if provenance is None or provenance.hooks is None:
        why = ("switched off (leakage.runtime_hooks = false)" if provenance is not None
               and not provenance.enabled else "not installed: scikit-learn was not imported "
               "after %load_ext mlsecops_jupyter")
        report.skipped.append(Skipped("runtime provenance", why))
    dropped = dropped_cells(session)
    if dropped is not None:
        report.skipped.append(dropped)
    if notebook and not cell_of and ran:
        report.skipped.append(Skipped(
            "cell numbers", f"cells could not be matched to {display_path(str(notebook))} "
            "(not saved yet?): findings give no cell index, evidence.execution_count says "
            "which In[] it was"))
    return report


def map_to_notebook(ran: Sequence[SessionCell], notebook: Path | None) -> dict[int, int]:
    """Session position -> 0-based cell index in the saved notebook (what can be matched):
    by the front end's cell id, else by identical source text."""
    if notebook is None:
        return {}
    from ..checks.leakage.code_cells import cells_from_notebook, read_notebook

    try:
        cells = cells_from_notebook(read_notebook(notebook))
    except MLSecInputError:
        return {}
    by_id = {c.cell_id: c.index for c in cells if c.cell_id}
    by_source: dict[str, list[int]] = {}
    for saved in cells:
        by_source.setdefault(saved.source.strip(), []).append(saved.index)
    mapping: dict[int, int] = {}
    for cell in ran:
        if cell.cell_id and cell.cell_id in by_id:
            mapping[cell.position] = by_id[cell.cell_id]
            continue
        candidates = by_source.get(cell.source.strip())
        if candidates:
            mapping[cell.position] = candidates[0]
    return mapping


# -- command line -----------------------------------------------------------------------------
def run_cli_notebook(args: argparse.Namespace) -> int:
    """``mlsec leakage NOTEBOOK.ipynb``: static analysis of a saved notebook."""
    from ..checks.leakage import check_code_leakage

    settings = cli_settings(args)
    report = check_code_leakage(args.notebook, settings, subject=str(args.notebook),
                                file=str(args.notebook))
    return emit_cli_report(report, args, settings)
