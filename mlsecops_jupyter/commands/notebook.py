"""``%mlsec notebook [PATH]`` and ``mlsec notebook PATH... [--recursive]``: secrets and PII in
notebooks, sources and outputs.

Without a path the magic scans *this* notebook: the file JupyterLab saved (the kernel learns its
path from ``JPY_SESSION_NAME``, VS Code from ``__vsc_ipynb_file__``, ``lineage.notebook`` can pin
it) plus the live history the kernel still holds -- ``In[n]`` of cells not in the saved file and
their ``Out[n]`` values -- so a key pasted a minute ago is found before the next save. Printed
output of unsaved cells is not kept by the kernel; the report says so.

The CLI scans files and folders (``--recursive`` for sub-folders; ``.ipynb_checkpoints`` are
left out) and ships as the ``mlsec-notebook`` pre-commit hook.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError
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

SESSION_ENV = "JPY_SESSION_NAME"
NOTEBOOK_NAMES = ("__vsc_ipynb_file__", "__session__")
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
    namespace = session.user_namespace()
    if args.path:
        report = scan_notebook(Path(os.path.expanduser(args.path)), settings=settings,
                               subject=args.path)
    else:
        report = scan_this_notebook(namespace, settings, live=not args.no_live)
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def this_notebook_path(namespace: Mapping[str, Any], settings: Settings) -> Path | None:
    """The saved file of the running notebook, when the front end told the kernel."""
    candidates = [settings.lineage.notebook, os.environ.get(SESSION_ENV)]
    candidates += [namespace.get(name) for name in NOTEBOOK_NAMES]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate:
            path = Path(os.path.expanduser(candidate))
            # jupyter_server may pass the path relative to its root; the kernel runs in the
            # notebook's folder, so the bare name is the fallback
            for option in (path, Path(path.name)):
                if option.suffix == ".ipynb" and option.is_file():
                    return option
    return None


def scan_this_notebook(namespace: Mapping[str, Any], settings: Settings, *,
                       live: bool = True) -> Report:
    """The saved notebook (if any) and the live cells it does not hold, in one report."""
    import time

    from ..checks.pii.notebook import load_notebook, notebook_pieces, scan_pieces

    started = time.process_time()
    path = this_notebook_path(namespace, settings)
    pieces: list[Any] = []
    skipped: list[Skipped] = []
    saved_sources: set[str] = set()
    metrics: dict[str, Any] = {}
    if path is not None:
        notebook, _ = load_notebook(path)
        pieces, skipped, counts = notebook_pieces(notebook, file=str(path))
        saved_sources = {p.text.strip() for p in pieces if p.kind == "source"}
        metrics.update(counts)
    else:
        skipped.append(Skipped("the saved notebook", "the kernel was not told its notebook "
                               f"file ({SESSION_ENV} unset, as outside JupyterLab); scanned the "
                               "live history only; pass a PATH to scan a file"))
    if live:
        live_pieces = _live_pieces(namespace, saved_sources)
        metrics["live_cells"] = len([p for p in live_pieces if p.kind == "source"])
        pieces += live_pieces
        if live_pieces:
            skipped.append(Skipped("printed output of live cells not in the saved file",
                                   "the kernel keeps Out[n] values, not printed text; save "
                                   "the notebook to scan it"))
    subject = str(path) if path is not None else "this session (live history)"
    report = scan_pieces(pieces, subject=subject, settings=settings, skipped=skipped,
                         metrics=metrics)
    report.elapsed_s = time.process_time() - started
    return report


def _live_pieces(namespace: Mapping[str, Any], saved_sources: set[str]) -> list[Any]:
    """``In[n]`` (and ``Out[n]``) of the cells run in this kernel that the saved file lacks."""
    from ..checks.pii.notebook import TextPiece

    history = namespace.get("In")
    outputs = namespace.get("Out")
    if not isinstance(history, list):
        return []
    pieces = []
    for count, source in enumerate(history):
        if not isinstance(source, str) or not source.strip() or source.strip() in saved_sources:
            continue
        if source.lstrip().startswith(("get_ipython().run_line_magic('mlsec'",
                                       "%mlsec")):
            continue
        pieces.append(TextPiece(source, "code", Location(), "source", origin=f"live In[{count}]"))
        if isinstance(outputs, Mapping) and count in outputs:
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
