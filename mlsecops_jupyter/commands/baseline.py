"""``mlsec baseline`` and ``%mlsec baseline``: accept the findings a team has reviewed.

    mlsec baseline notebooks/ -r --reason "reviewed 2026-11: test fixtures"
    mlsec baseline --report model-scan.json --reason "vendored model, signed"
    %mlsec baseline                       # this notebook's saved file

Scans the notebooks named (the ``notebook`` check, as the pre-commit hook runs it) and/or reads
JSON reports of any check (``mlsec scan ... --format json``), and writes every finding they hold
into the baseline file (``core.baseline``): ``--baseline FILE``, else the ``baseline`` setting,
else the ``.mlsec/baseline.json`` found upwards, else a new one at the repository's top (or
here). From then on the CLI, the pre-commit hooks and strict mode report those findings as
accepted, with the reason, and do not fail on them.

Entries of the files scanned now are replaced (reasons of entries that stay are kept; findings no
longer there are dropped); entries of other files are kept. The file holds no value, only keyed
hashes. Notebook findings are keyed by the value itself, so a baseline of notebooks is made from
the notebooks, not from a saved report (a report never holds values).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.baseline import DEFAULT_PATH, Baseline, find_baseline
from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report
from ..core.settings import Settings
from . import Session
from ._parser import CommandParser, add_set_option
from ._report_io import EXIT_OK, add_display_option, settings_for_call

DEFAULT_REASON = "accepted in the baseline (reviewed)"
NOTHING = "name notebooks or folders, or --report FILE (JSON reports of any check)"
NO_NOTEBOOK = "this notebook's file was not found ({why}); name a path: %mlsec baseline NB.ipynb"


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", default=DEFAULT_REASON,
                        help="why these findings are accepted (kept with each entry)")
    parser.add_argument("--baseline", metavar="FILE", type=Path,
                        help="the baseline file to write (default: the baseline setting, else "
                        ".mlsec/baseline.json upwards, else at the repository's top)")
    parser.add_argument("--no-pii", action="store_true",
                        help="scan notebooks for credentials only (as the hook with --no-pii)")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Accept the findings of notebooks (default: this notebook) in the baseline "
        "file, so strict mode and the pre-commit hooks report them as accepted. Returns the "
        "notebook report with its findings accepted.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help=".ipynb files or folders")
    _add_common(parser)
    add_display_option(parser)
    return parser


def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Accept reviewed findings: scan notebooks (and/or read JSON reports of any "
        "check) and write their findings into the baseline file. Exit 0 once written.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help=".ipynb files or folders")
    parser.add_argument("-r", "--recursive", action="store_true",
                        help="also the notebooks of sub-folders")
    parser.add_argument("--report", metavar="FILE", type=Path, action="append", default=[],
                        help="a JSON report (mlsec ... --format json) whose findings to accept; "
                        "repeatable")
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help="read settings from FILE instead of searching upwards")
    _add_common(parser)
    return parser


def baseline_path(settings: Settings, given: Path | None) -> Path:
    """Where the baseline is written (see the module docstring)."""
    if given is not None:
        return Path(os.path.expanduser(given))
    found = find_baseline(settings)
    if found is not None:
        return found
    here = Path.cwd().resolve()
    top = next((p for p in [here, *here.parents] if (p / ".git").exists()), here)
    return top / DEFAULT_PATH


def write_baseline(path: Path, reports: Sequence[Report], scanned: Sequence[str],
                   reason: str) -> tuple[Baseline, tuple[int, int, int]]:
    """Merge the findings of ``reports`` into the baseline at ``path`` and save it."""
    baseline = Baseline.load(path) if path.is_file() else Baseline(path)
    entries = [baseline.entry_for(f, report, reason) for report in reports
               for f in report.findings if not f.is_accepted or f.accepted == reason]
    files = {e.file for e in entries} | {baseline.file_of_path(name) for name in scanned}
    counts = baseline.merge(entries, files)
    baseline.save()
    return baseline, counts


def _notebook_settings(settings: Settings, no_pii: bool) -> Settings:
    return settings.override({"secrets.pii": False}) if no_pii else settings


def run(session: Session, args: argparse.Namespace) -> Report:
    from ._this_notebook import executed_cells, locate_notebook
    from .notebook import scan_paths

    settings = _notebook_settings(settings_for_call(session.settings, args.set), args.no_pii)
    paths = list(args.paths)
    if not paths:
        ran = [cell.source for cell in executed_cells(session)]
        located = locate_notebook(session.user_namespace(), settings, ran)
        if located.path is None:
            raise MLSecUsageError(NO_NOTEBOOK.format(why=located.how))
        paths = [str(located.path)]
    report = scan_paths(paths, recursive=False, settings=settings)
    path = baseline_path(settings, args.baseline)
    baseline, (added, kept, dropped) = write_baseline(path, [report], _scanned(paths),
                                                      args.reason)
    accepted = baseline.apply(report)
    accepted.metrics.update({"baseline": str(path), "baseline_added": added,
                             "baseline_kept": kept, "baseline_dropped": dropped})
    return session.deliver(accepted, output_format=args.format, fail_on=None)


def _scanned(tokens: Sequence[str], recursive: bool = False) -> list[str]:
    from .notebook import notebook_files

    files, _ = notebook_files(tokens, recursive)
    return [str(f) for f in files]


def run_cli(args: argparse.Namespace) -> int:
    from .notebook import scan_paths

    if not args.paths and not args.report:
        raise MLSecUsageError(NOTHING)
    settings = _notebook_settings(
        settings_for_call(Settings.load(config=args.config), args.set), args.no_pii)
    reports = []
    scanned: list[str] = []
    if args.paths:
        reports.append(scan_paths(args.paths, args.recursive, settings))
        scanned = _scanned(args.paths, args.recursive)
    for file in args.report:
        try:
            reports.append(Report.from_dict(json.loads(Path(file).read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise MLSecInputError(f"{file} is not a JSON report of mlsec: {exc}") from None
    path = baseline_path(settings, args.baseline)
    baseline, (added, kept, dropped) = write_baseline(path, reports, scanned, args.reason)
    total = sum(len(r.findings) for r in reports)
    print(f"mlsec: {total} finding(s) accepted in {path}: {added} new, {kept} kept, "
          f"{dropped} no longer found and dropped; {len(baseline.entries)} entries in all",
          file=sys.stderr)
    return EXIT_OK
