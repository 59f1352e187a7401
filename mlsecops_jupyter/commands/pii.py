"""``%mlsec pii`` and ``mlsec pii``: personal data in a DataFrame, a file, or a piece of text.

Magic forms::

    %mlsec pii DATAFRAME [--columns a,b] [--spans] [--sample N]
    %mlsec pii customers.csv                 # a CSV/Parquet path, as %mlsec leakage takes
    %mlsec pii --text "call me at (415) 555-0132"

CLI: ``mlsec pii FILE.csv|FILE.parquet [--columns a,b] [--spans]`` or ``mlsec pii --text "..."``
with the common ``--format``/``--fail-on``/``--output``/``--config``/``--set``.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report
from ..core.settings import Settings
from ..core.suggest import did_you_mean, did_you_mean_variable_or_file, require_file
from ..core.table_io import read_table
from . import Session
from ._engine import add_engine_options, cluster_for, read_dask, uses_dask
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import (
    add_cli_report_options,
    add_display_option,
    cli_settings,
    emit_cli_report,
    settings_for_call,
)

TARGET_OR_TEXT = "pii takes a {what} or --text \"...\", not both and not neither"
UNKNOWN_VARIABLE = "{name!r} is neither a variable of this notebook nor an existing file"
NOT_A_FRAME = "{name!r} is a {kind}, not a pandas or dask DataFrame (use --text for a string)"
UNKNOWN_COLUMN = "{name!r} is not a column of {where}"


def add_pii_options(parser: argparse.ArgumentParser) -> None:
    """Options ``%mlsec pii`` and ``mlsec pii`` share."""
    parser.add_argument("--text", metavar="TEXT", help="scan this text instead of a frame")
    parser.add_argument("--columns", metavar="A,B", help="only these columns (comma-separated)")
    parser.add_argument("--spans", action="store_true",
                        help="list the spans (row, start, end, entity) found in free-text "
                        "columns of the sampled rows")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="rows to sample (default: pii.sample_rows)")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Find personal data (cards, IBANs, SSNs, phones, e-mails, names, "
        "addresses, ...) in a DataFrame's columns or in a text, offline. Returns the Report.",
    )
    parser.add_argument("frame", nargs="?", metavar="DATAFRAME",
                        help="a DataFrame variable of the notebook, or a CSV/Parquet path")
    add_pii_options(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    settings = settings_for_call(session.settings, args.set)
    _one_target(args.frame, args.text, "DATAFRAME")
    if args.text is not None:
        report = _scan_text(args.text, settings)
    else:
        frame = _frame_variable(args.frame, session.user_namespace())
        report = _scan_frame(frame, args, settings, subject=args.frame)
        remember_protected(session, args.frame, report)
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


_LAST_PROTECTED = "_mlsec_last_pii_protected"


def remember_protected(session: Session, subject: str, report: Report) -> None:
    """Keep the protected-attribute columns of this frame report for ``%mlsec bias``."""
    columns = list(report.metrics.get("protected_attributes", {}))
    # a front end that keeps no state (slots): bias then needs --sensitive
    with contextlib.suppress(AttributeError):
        setattr(session, _LAST_PROTECTED, (subject, columns))


def last_protected(session: Session) -> tuple[str, list[str]] | None:
    """(frame, protected columns) of the last ``%mlsec pii`` frame report of the session."""
    remembered = getattr(session, _LAST_PROTECTED, None)
    return remembered if isinstance(remembered, tuple) else None


def _one_target(target: Any, text: str | None, what: str) -> None:
    if (target is None) == (text is None):
        raise MLSecUsageError(TARGET_OR_TEXT.format(what=what))


def _frame_variable(name: str, namespace: Mapping[str, Any]) -> Any:
    """A DataFrame variable of the notebook, else a CSV/Parquet file of that path."""
    if name not in namespace:
        path = Path(name).expanduser()
        if path.is_file():
            return read_table(path)
        raise MLSecInputError(UNKNOWN_VARIABLE.format(name=name)
                              + did_you_mean_variable_or_file(name, namespace))
    value = namespace[name]
    import pandas as pd

    from ..checks._dask import is_dask

    if not isinstance(value, pd.DataFrame) and not (is_dask(value) and hasattr(value, "columns")):
        raise MLSecInputError(NOT_A_FRAME.format(name=name, kind=type(value).__name__))
    return value


def _columns(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    names = [name.strip() for name in spec.split(",") if name.strip()]
    if not names:
        raise MLSecUsageError("--columns needs at least one column name")
    return names


def _scan_frame(frame: Any, args: argparse.Namespace, settings: Settings,
                subject: str) -> Report:
    from ..checks.pii import scan_pii

    columns = _columns(args.columns)
    for name in columns or []:
        if name not in frame.columns:
            raise MLSecInputError(UNKNOWN_COLUMN.format(name=name, where=subject)
                                  + did_you_mean(name, frame.columns))
    return scan_pii(frame, columns=columns, sample=args.sample, spans=args.spans,
                    settings=settings, subject=subject)


def _scan_text(text: str, settings: Settings) -> Report:
    from ..checks.pii import scan_text

    return scan_text(text, settings=settings, subject="--text")


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Find personal data in the columns of a CSV or Parquet file, or in a text.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="a .csv or .parquet file (with "
                        "--engine dask also a Parquet folder or a glob)")
    add_pii_options(parser)
    add_engine_options(parser)
    add_cli_report_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    settings = cli_settings(args)
    _one_target(args.file, args.text, "FILE")
    if args.text is not None:
        report = _scan_text(args.text, settings)
    elif uses_dask(args):
        with cluster_for(args):
            report = _scan_frame(read_dask(args.file), args, settings, subject=str(args.file))
    else:
        require_file(args.file, "{path}: no such file")
        report = _scan_frame(read_table(args.file), args, settings, subject=str(args.file))
    return emit_cli_report(report, args, settings)
