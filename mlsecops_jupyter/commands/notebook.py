"""``%mlsec notebook [PATH]`` and ``mlsec notebook PATH... [--recursive]``: secrets and PII in
notebooks, sources and outputs.

Without a path the magic scans *this* notebook: its saved file plus the cells this kernel ran
that the file does not hold (and their ``Out[n]`` values), so a key pasted a minute ago is found
before the next save. The file is the one the front end names (``JPY_SESSION_NAME`` from
JupyterLab and ``mlsec execute``, ``__vsc_ipynb_file__`` from VS Code, or ``lineage.notebook``),
else the notebook of the working directory whose cells are the cells run so far (nbval, nbmake,
nbclient, papermill): ``_this_notebook`` says how each runner is handled. When no file can be
found, the cells run so far are scanned, the report says what was not seen, and strict mode
fails the cell: a partial scan never passes a strict run. Printed output of unsaved cells is not
kept by the kernel; the report says so.

The CLI scans files and folders (``--recursive`` for sub-folders; ``.ipynb_checkpoints`` are
left out) and ships as the ``mlsec-notebook`` pre-commit hook.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import MLSecIncompleteError, MLSecInputError
from ..core.finding import Location
from ..core.report import Report, Skipped
from ..core.settings import Settings
from . import Session
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import (
    add_cli_report_options,
    add_display_option,
    cli_settings,
    emit_cli_report,
    settings_for_call,
)
from ._this_notebook import (
    Located,
    SessionCell,
    dropped_cells,
    executed_cells,
    locate_notebook,
)

CANNOT_SEE = ("cannot see this notebook's file ({why}): only the {scanned} cell(s) run so far "
              "were scanned, and strict mode does not pass a partial scan; pass the notebook's "
              "PATH, or name it with lineage.notebook (MLSEC_LINEAGE__NOTEBOOK)")
NO_SUCH_PATH = "no such file or folder: {path}"
NO_NOTEBOOKS = "no .ipynb files in {path}"
SKIP_DIRS = (".ipynb_checkpoints", ".git", "node_modules", ".venv", "__pycache__")


def add_notebook_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-pii", action="store_true",
                        help="look for credentials only (secrets.pii = false)")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Find credentials (SECRET-*) and personal data (PII-*) in a notebook's "
        "cells and outputs. Without PATH: this notebook (the saved file plus the kernel's live "
        "history). Returns the Report.",
    )
    parser.add_argument("path", nargs="?", help="a .ipynb file (default: this notebook)")
    parser.add_argument("--no-live", action="store_true",
                        help="scan the saved file only, not the kernel's live history")
    add_notebook_options(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def _settings(base: Settings, args: argparse.Namespace) -> Settings:
    settings = settings_for_call(base, args.set)
    return settings.override({"secrets.pii": False}) if args.no_pii else settings


def run(session: Session, args: argparse.Namespace) -> Report:
    from ..checks.pii.notebook import scan_notebook

    settings = _settings(session.settings, args)
    threshold = effective_threshold(args.fail_on, settings.fail_on)
    if args.path:
        report = scan_notebook(Path(os.path.expanduser(args.path)), settings=settings,
                               subject=args.path)
        return session.deliver(report, output_format=args.format, fail_on=threshold)
    report, located = scan_this_notebook(session, settings, live=not args.no_live)
    delivered = session.deliver(report, output_format=args.format, fail_on=threshold)
    if located.path is None and threshold is not None:
        # fail closed: a strict run must not pass on the cells that happened to run before
        scanned = report.metrics.get("live_cells", 0)
        raise MLSecIncompleteError(CANNOT_SEE.format(why=located.how, scanned=scanned))
    return delivered


def scan_this_notebook(session: Any, settings: Settings, *,
                       live: bool = True) -> tuple[Report, Located]:
    """The saved notebook and the cells run in this kernel that it does not hold, in one
    report, and how the saved file was found (``Located.path`` is ``None`` when it was not).

    The file is the one the front end names, else the notebook of the working directory that
    holds the cells run so far (nbval, nbmake, nbclient and papermill name none)."""
    import time

    from ..checks.pii.notebook import load_notebook, notebook_pieces, scan_pieces

    started = time.process_time()
    namespace = session.user_namespace()
    ran = executed_cells(session)
    located = locate_notebook(namespace, settings, [cell.source for cell in ran])
    pieces: list[Any] = []
    skipped: list[Skipped] = []
    saved_sources: set[str] = set()
    metrics: dict[str, Any] = {"notebook_found_by": located.how if located.path else None}
    if located.path is not None:
        notebook, _ = load_notebook(located.path)
        pieces, skipped, counts = notebook_pieces(notebook, file=str(located.path))
        saved_sources = {p.text.strip() for p in pieces if p.kind == "source"}
        metrics.update(counts)
    else:
        skipped.append(Skipped("the saved notebook", f"not found: {located.how}; scanned "
                               "the cells run so far only (cells not run yet and printed "
                               "output were not seen); pass a PATH or set lineage.notebook"))
    if live:
        live_pieces = _live_pieces(ran, namespace, saved_sources)
        metrics["live_cells"] = len([p for p in live_pieces if p.kind == "source"])
        pieces += live_pieces
        if live_pieces and located.path is not None:
            skipped.append(Skipped("printed output of live cells not in the saved file",
                                   "the kernel keeps Out[n] values, not printed text; save "
                                   "the notebook to scan it"))
    dropped = dropped_cells(session)
    if live and dropped is not None:
        skipped.append(dropped)
    subject = str(located.path) if located.path is not None else "this session (live history)"
    report = scan_pieces(pieces, subject=subject, settings=settings, skipped=skipped,
                         metrics=metrics)
    report.elapsed_s = time.process_time() - started
    return report, located


def _live_pieces(ran: Sequence[SessionCell], namespace: Mapping[str, Any],
                 saved_sources: set[str]) -> list[Any]:
    """Sources (and ``Out[n]`` values) of the cells run in this kernel that the saved file
    lacks; ``%mlsec`` lines are the tool's own calls, not the notebook's content."""
    from ..checks.pii.notebook import TextPiece

    outputs = namespace.get("Out")
    pieces = []
    seen: set[str] = set()
    for cell in ran:
        source = cell.source.strip()
        if not source or source in saved_sources or source in seen:
            continue
        seen.add(source)
        if source.startswith(("get_ipython().run_line_magic('mlsec'", "%mlsec")):
            continue
        count = cell.execution_count
        origin = f"live In[{count}]" if count is not None else f"live cell {cell.position}"
        pieces.append(TextPiece(cell.source, "code", Location(), "source", origin=origin))
        if count is not None and isinstance(outputs, Mapping) and count in outputs:
            pieces.append(TextPiece(_plain_repr(outputs[count]), "text", Location(output=0),
                                    "text/plain", origin=f"live Out[{count}]"))
    return pieces


def _plain_repr(value: Any) -> str:
    """The text/plain form IPython would show, bounded (a huge object is cut by the scan)."""
    from IPython.lib.pretty import pretty

    try:
        return pretty(value, max_seq_length=1000)
    except Exception as exc:  # a broken __repr__ of the user's object must not stop the scan
        return f"<unprintable {type(value).__name__}: {exc}>"


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Find credentials (SECRET-*) and personal data (PII-*) in notebooks: every "
        "cell source and every text output. Nothing is executed.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=".ipynb files or folders (folders: their notebooks)")
    parser.add_argument("-r", "--recursive", action="store_true",
                        help="also the notebooks of sub-folders")
    add_notebook_options(parser)
    add_cli_report_options(parser)
    return parser


def notebook_files(tokens: Sequence[str], recursive: bool) -> tuple[list[Path], list[Skipped]]:
    """The notebooks named by files and folders (sorted), and folders that held none."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for token in tokens:
        path = Path(os.path.expanduser(token))
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            pattern = path.rglob("*.ipynb") if recursive else path.glob("*.ipynb")
            found = sorted(p for p in pattern if p.is_file()
                           and not any(part in SKIP_DIRS for part in p.relative_to(path).parts))
            if not found:
                skipped.append(Skipped(str(path), NO_NOTEBOOKS.format(path=path)))
            files.extend(found)
        else:
            raise MLSecInputError(NO_SUCH_PATH.format(path=token))
    return files, skipped


def scan_paths(tokens: Sequence[str], recursive: bool, settings: Settings) -> Report:
    from ..checks.pii.notebook import rule_table, scan_notebook
    from ..checks.pii.secret_rules import CHECK

    files, skipped = notebook_files(tokens, recursive)
    reports = [scan_notebook(path, settings=settings, subject=str(path)) for path in files]
    if len(reports) == 1 and not skipped:
        return reports[0]
    merged = Report.merge(reports, check=CHECK, subject=", ".join(tokens))
    merged.metrics["notebooks"] = len(files)
    merged.metrics["tables"] = rule_table(merged.findings)
    merged.skipped.extend(skipped)
    return merged


def run_cli(args: argparse.Namespace) -> int:
    settings = _settings(cli_settings(args), args)
    report = scan_paths(args.paths, args.recursive, settings)
    return emit_cli_report(report, args, settings)
