"""``%mlsec leakage`` and ``mlsec leakage``: train/test data leakage, and (``--code``) leakage in
the notebook's code.

Magic forms::

    %mlsec leakage TRAIN TEST [--target COL] [--group COL[,COL]] [--time COL] [--id COL[,COL]]
    %mlsec leakage --code [NOTEBOOK]

TRAIN and TEST are variables of the notebook (DataFrames or 2-D arrays) or CSV/Parquet paths.
CLI: ``mlsec leakage --train FILE --test FILE [...]`` and ``mlsec leakage NOTEBOOK.ipynb``. The
code-level forms are implemented in ``leakage_code.py``; this module only routes to them.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report
from ..core.settings import Settings
from ..core.suggest import did_you_mean_variable_or_file, require_file
from . import Session
from ._engine import add_engine_options, cluster_for, read_input, uses_dask
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import (
    add_cli_report_options,
    add_display_option,
    cli_settings,
    emit_cli_report,
    settings_for_call,
)

THIS_NOTEBOOK = ""  # ``--code`` without a path: the running session's cells
UNKNOWN_NAME = "{token!r} is neither a variable of this notebook nor an existing file"
WRONG_POSITIONALS = ("leakage takes TRAIN TEST (two data sets), or --code [NOTEBOOK] for the "
                     "code; got {count} name(s)")
CODE_WITH_DATA = "--code analyses the notebook's code: give it no TRAIN TEST names"
CLI_NEEDS_DATA = ("give --train FILE and --test FILE (data level), or one NOTEBOOK.ipynb "
                  "(code level)")
CLI_BOTH = "give either a NOTEBOOK.ipynb or --train/--test, not both"
CODE_MISSING = "code-level leakage analysis is not available in this installation"


def add_role_options(parser: argparse.ArgumentParser) -> None:
    """Column roles ``%mlsec leakage`` and ``mlsec leakage`` share."""
    parser.add_argument("--target", metavar="COL", help="the label column (enables the "
                        "target-proxy, identifier-label and missingness checks)")
    parser.add_argument("--group", metavar="COL[,COL]", help="entity column(s): an entity "
                        "must not appear on both sides")
    parser.add_argument("--time", metavar="COL", help="the time axis of the split")
    parser.add_argument("--id", metavar="COL[,COL]", help="identifier column(s), left out of "
                        "the row comparison (default: found automatically)")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Data leakage between a training and a test set: duplicated and "
        "near-duplicated rows, shared entities, temporal order, features or identifiers that "
        "predict the label, missingness that reveals it. With --code: leakage in the "
        "notebook's code (preprocessing fitted before the split, test data used for fitting). "
        "Returns the Report.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="TRAIN TEST: variables of the notebook or CSV/Parquet paths")
    parser.add_argument("--code", nargs="?", const=THIS_NOTEBOOK, default=None,
                        metavar="NOTEBOOK", help="analyse code instead of data: this session's "
                        "cells, or the given .ipynb")
    add_role_options(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    if args.code is not None:
        if args.names:
            raise MLSecUsageError(CODE_WITH_DATA)
        return _code_module().run_code(session, args)
    if len(args.names) != 2:
        raise MLSecUsageError(WRONG_POSITIONALS.format(count=len(args.names)))
    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    train = _lookup(args.names[0], namespace)
    test = _lookup(args.names[1], namespace)
    report = leakage_report(train, test, args, settings, subject=" vs ".join(args.names))
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def leakage_report(train: Any, test: Any, args: argparse.Namespace, settings: Settings,
                   subject: str) -> Report:
    """Run ``check_leakage`` with the roles of the command line."""
    from ..checks.leakage import check_leakage

    return check_leakage(train, test, target=args.target, group=_names(args.group),
                         time=args.time, id=_names(args.id), settings=settings,
                         subject=subject)


def _names(spec: str | None) -> str | list[str] | None:
    if spec is None:
        return None
    names = [name.strip() for name in spec.split(",") if name.strip()]
    if not names:
        raise MLSecUsageError("a role option needs at least one column name")
    return names[0] if len(names) == 1 else names


def _lookup(token: str, namespace: Mapping[str, Any]) -> Any:
    """A variable of the notebook, else an existing file (read by the check)."""
    if token in namespace:
        return namespace[token]
    path = Path(token).expanduser()
    if path.is_file():
        return path
    raise MLSecInputError(UNKNOWN_NAME.format(token=token)
                          + did_you_mean_variable_or_file(token, namespace))



def _code_module() -> Any:
    import importlib

    try:
        return importlib.import_module("mlsecops_jupyter.commands.leakage_code")
    except ModuleNotFoundError as exc:
        if exc.name != "mlsecops_jupyter.commands.leakage_code":
            raise
        raise MLSecUsageError(CODE_MISSING) from None


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Data leakage between a training and a test file (CSV or Parquet), or "
        "leakage in a notebook's code (NOTEBOOK.ipynb).",
    )
    parser.add_argument("notebook", nargs="?", type=Path, metavar="NOTEBOOK.ipynb",
                        help="a notebook to analyse for code-level leakage")
    parser.add_argument("--train", type=Path, metavar="FILE", help="training set (.csv/.parquet;"
                        " with --engine dask also a Parquet folder or a glob)")
    parser.add_argument("--test", type=Path, metavar="FILE", help="test set (as --train)")
    add_role_options(parser)
    add_engine_options(parser)
    add_cli_report_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    if args.notebook is not None:
        if args.train is not None or args.test is not None:
            raise MLSecUsageError(CLI_BOTH)
        return int(_code_module().run_cli_notebook(args))
    if args.train is None or args.test is None:
        raise MLSecUsageError(CLI_NEEDS_DATA)
    if not uses_dask(args):
        require_file(args.train)
        require_file(args.test)
    settings = cli_settings(args)
    with cluster_for(args):
        report = leakage_report(read_input(args.train, args), read_input(args.test, args), args,
                                settings, subject=f"{args.train} vs {args.test}")
    return emit_cli_report(report, args, settings)
