"""``%mlsec poison`` and ``mlsec poison``: training data that was tampered with.

Magic forms::

    %mlsec poison X y                  # features and labels: variables of the notebook
    %mlsec poison DF --target COL      # one frame holding the label column
    %mlsec poison train.csv --target COL

X is a DataFrame or 2-D array variable, or a CSV/Parquet path; y a label variable (array, list,
Series) or a column of X. CLI: ``mlsec poison DATA --target COL`` on CSV/Parquet, with the common
``--format``/``--fail-on``/``--output``/``--config``/``--set``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report
from ..core.settings import Settings
from ..core.suggest import did_you_mean, require_file
from . import Session
from ._parser import CommandParser, add_set_option, add_threshold_option, effective_threshold
from ._report_io import (
    add_cli_report_options,
    add_display_option,
    cli_settings,
    emit_cli_report,
    settings_for_call,
)
from .leakage import _lookup

UNKNOWN_LABELS = "{token!r} is neither a variable of this notebook nor a column of {where}"
WRONG_POSITIONALS = "poison takes X y, or X --target COL; got {count} name(s)"
LABELS_TWICE = "give the labels once: y or --target, not both"
NEEDS_LABELS = "give the labels: poison X y, or poison X --target COL"


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Signs that training data was tampered with: labels a cross-validated "
        "model contradicts (confident learning), rare values that carry one label against the "
        "rest of the row (backdoor triggers), identical rows with different labels, rows far "
        "from their class. Each is judged against what chance gives on clean data. Returns the "
        "Report.",
    )
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help="X [y]: variables of the notebook (X may be a CSV/Parquet path; y "
                        "may be a column of X)")
    parser.add_argument("--target", metavar="COL", help="the label column of X")
    add_set_option(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    if len(args.names) > 2:
        raise MLSecUsageError(WRONG_POSITIONALS.format(count=len(args.names)))
    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    features = _lookup(args.names[0], namespace)
    labels = _labels(args, namespace, features)
    subject = " ".join(args.names) if args.target is None else \
        f"{args.names[0]} (target {args.target})"
    report = poisoning_report(features, labels, settings, subject)
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def poisoning_report(features: Any, labels: Any, settings: Settings, subject: str) -> Report:
    """Run ``check_poisoning`` (imported here: scikit-learn loads only when a check runs)."""
    from ..checks.poisoning import check_poisoning

    return check_poisoning(features, labels, settings=settings, subject=subject)


def _labels(args: argparse.Namespace, namespace: Mapping[str, Any], features: Any) -> Any:
    """The labels: a variable, a column of X named positionally, or ``--target``."""
    if len(args.names) == 2 and args.target is not None:
        raise MLSecUsageError(LABELS_TWICE)
    if args.target is not None:
        return args.target  # the check names the column if X has none of that name
    if len(args.names) < 2:
        raise MLSecUsageError(NEEDS_LABELS)
    token = args.names[1]
    if token in namespace:
        return namespace[token]
    columns = getattr(features, "columns", None)
    if columns is not None and token in columns:
        return token
    if isinstance(features, Path):
        return token  # X is read by the check; it says if the column is missing
    known = [*namespace, *(columns if columns is not None else [])]
    raise MLSecInputError(UNKNOWN_LABELS.format(token=token, where=args.names[0])
                          + did_you_mean(token, [k for k in known if not str(k).startswith(
                              "_")]))


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Signs of tampering in a training set stored as CSV or Parquet: label "
        "issues, backdoor triggers, conflicting duplicates, outliers.",
    )
    parser.add_argument("file", type=Path, metavar="DATA", help="a .csv or .parquet file with "
                        "one row per training example")
    parser.add_argument("--target", required=True, metavar="COL", help="the label column")
    add_set_option(parser)
    add_cli_report_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    settings = cli_settings(args)
    require_file(args.file)
    report = poisoning_report(args.file, args.target, settings,
                              subject=f"{args.file} (target {args.target})")
    return emit_cli_report(report, args, settings)
