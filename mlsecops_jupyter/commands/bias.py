"""``%mlsec bias`` and ``mlsec bias``: group fairness metrics from predictions or from a model.

Magic forms::

    %mlsec bias Y_TRUE Y_PRED --sensitive NAME[,NAME] [--data DF] [--y-score V] [--weights V]
    %mlsec bias Y_TRUE SCORES --threshold 0.5 --sensitive NAME
    %mlsec bias MODEL X y --sensitive COL[,COL]
    %mlsec bias MODEL X y            # the protected attributes of the last %mlsec pii report

In the last form the model predicts ``X``; a sensitive column of ``X`` that the model was not
fitted on (``feature_names_in_``) is dropped before ``predict``, so the attribute need not be a
feature. A sensitive name that is no column but has one-hot columns (``sex`` -> ``sex_F``,
``sex_M``) is rebuilt from them, and the report says so. CLI: ``mlsec bias FILE --y-true COL
--y-pred COL --sensitive COL[,COL]`` on CSV/Parquet.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report, Skipped
from ..core.settings import Settings
from ..core.suggest import did_you_mean, require_file, user_variables
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

UNKNOWN_NAME = "{token!r} is neither a variable of this notebook nor a column of {where}"
UNKNOWN_COLUMN = "{token!r} is not a column of {where}"
WRONG_POSITIONALS = ("bias takes Y_TRUE Y_PRED (predictions) or MODEL X Y (a model to predict "
                     "with), got {count} name(s)")
NOT_A_MODEL = "{name!r} has no predict method: the 3-name form is MODEL X Y"
# a protected column with more distinct values than this (a raw age) is not grouped by
# without being asked: bin it first
MAX_DEFAULT_GROUPS = 20
NO_SENSITIVE = ("--sensitive is needed: name the columns to group by, or run %mlsec pii on the "
                "frame first (the protected attributes it marks are used)")
NONE_AVAILABLE = ("--sensitive is needed: the protected attributes of the last %mlsec pii report "
                  "({subject}: {names}) are not columns of {where}")


def add_bias_options(parser: argparse.ArgumentParser, *, sensitive_required: bool = True
                     ) -> None:
    """Options ``%mlsec bias`` and ``mlsec bias`` share."""
    parser.add_argument("--sensitive", required=sensitive_required, metavar="NAME[,NAME]",
                        help="sensitive feature(s): variables or columns, comma-separated; "
                        "several give their intersection too"
                        + ("" if sensitive_required else "; default: the protected attributes "
                           "the last %%mlsec pii report marked"))
    parser.add_argument("--missing", choices=("category", "drop", "raise"), default="category",
                        help="rows with a missing sensitive value: own group (default), "
                        "dropped (reported), or an error")
    parser.add_argument("--task", choices=("binary", "multiclass", "regression"),
                        help="default: inferred from the labels")
    parser.add_argument("--threshold", type=float, metavar="T",
                        help="the predictions are scores of the positive class: predict "
                        "positive where score >= T (said in the report); without it scores "
                        "against class labels are refused")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Compare outcomes and errors across groups: per-group rates, fairlearn's "
        "disparities (demographic parity, equalized odds, equal opportunity, disparate impact) "
        "with bootstrap intervals. Returns the Report.",
    )
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help="Y_TRUE Y_PRED, or MODEL X Y (variables of the notebook, or columns "
                        "of --data)")
    parser.add_argument("--data", metavar="DF", help="a DataFrame whose columns the other names "
                        "may refer to")
    parser.add_argument("--y-score", metavar="NAME", help="scores of the positive class")
    parser.add_argument("--weights", metavar="NAME", help="sample weights")
    add_bias_options(parser, sensitive_required=False)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    frame = _lookup(args.data, namespace, None, "the notebook") if args.data else None
    source = None
    if args.sensitive is None:
        args.sensitive, source = _protected_default(session, args, namespace, frame)
    report = bias_from_names(args, namespace, frame, settings)
    if source is not None:
        report.metrics["sensitive_from"] = source
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def _protected_default(session: Session, args: argparse.Namespace,
                       namespace: Mapping[str, Any], frame: Any) -> tuple[str, str]:
    """``--sensitive`` from the last ``%mlsec pii`` frame report: its protected columns that
    are columns (or one-hot groups) of X (MODEL X y) or of --data."""
    from ..checks.onehot import from_one_hot
    from .pii import last_protected

    remembered = last_protected(session)
    if remembered is None:
        raise MLSecUsageError(NO_SENSITIVE)
    subject, columns = remembered
    target, where = frame, "--data"
    if len(args.names) == 3:
        target = _lookup(args.names[1], namespace, frame, where)
        where = args.names[1]
    present = getattr(target, "columns", None)
    usable, too_many = [], []
    for column in columns:
        if present is not None and column in present:
            groups = target[column].nunique(dropna=False)
            (usable if groups <= MAX_DEFAULT_GROUPS else too_many).append(column)
        elif present is not None and from_one_hot(target, column) is not None:
            usable.append(column)
    if not usable:
        raise MLSecUsageError(NONE_AVAILABLE.format(
            subject=subject, names=", ".join(columns) or "none found", where=where))
    source = f"protected attributes of the last %mlsec pii report ({subject})"
    if too_many:
        source += (f"; left out, more than {MAX_DEFAULT_GROUPS} values (bin them and pass "
                   f"--sensitive): {', '.join(too_many)}")
    return ",".join(usable), source


def bias_from_names(args: argparse.Namespace, namespace: Mapping[str, Any], frame: Any,
                    settings: Settings, where: str = "--data") -> Report:
    """Resolve the names of the command line and run ``check_bias``.

    ``where`` names ``frame`` in error messages (``--data`` in the magic, the file in the CLI).
    """
    from ..checks.fairness import check_bias

    if len(args.names) == 3:
        model = _lookup(args.names[0], namespace, frame, where)
        features = _lookup(args.names[1], namespace, frame, where)
        y_true = _lookup(args.names[2], namespace, frame, where)
        sensitive, encoded = _sensitive(args.sensitive, namespace, features, args.names[1])
        source_columns = [c for name in sensitive for c in encoded.get(name, [name])]
        y_pred, unused = predict_without(model, features, source_columns, args.names[0])
        subject = f"{args.names[0]} on {args.names[1]}"
    elif len(args.names) == 2:
        unused = []
        y_true = _lookup(args.names[0], namespace, frame, where)
        y_pred = _lookup(args.names[1], namespace, frame, where)
        sensitive, encoded = _sensitive(args.sensitive, namespace, frame, where)
        subject = f"{args.names[1]} vs {args.names[0]}"
    else:
        raise MLSecUsageError(WRONG_POSITIONALS.format(count=len(args.names)))
    score = _lookup(args.y_score, namespace, frame, where) if args.y_score else None
    weights = _lookup(args.weights, namespace, frame, where) if args.weights else None
    report = check_bias(y_true, y_pred, sensitive, y_score=score, sample_weight=weights,
                        missing=args.missing, task=args.task,
                        threshold=getattr(args, "threshold", None), settings=settings,
                        subject=subject)
    if encoded:
        report.metrics["sensitive_from_one_hot"] = {
            name: "rebuilt from one-hot columns " + ", ".join(columns)
            for name, columns in encoded.items()}
    report.skipped.extend(
        Skipped(f"column {column!r} of {args.names[1]}",
                "not a feature the model was fitted on: left out of predict")
        for column in unused)
    return report


def _lookup(token: str, namespace: Mapping[str, Any], frame: Any, where: str) -> Any:
    """A variable of the notebook first, else a column of ``frame``."""
    if token in namespace:
        return namespace[token]
    columns = getattr(frame, "columns", None)
    if columns is not None and token in columns:
        return frame[token]
    template = UNKNOWN_NAME if namespace else UNKNOWN_COLUMN
    known = [*user_variables(namespace), *(columns if columns is not None else [])]
    raise MLSecInputError(template.format(token=token, where=where)
                          + did_you_mean(token, known))


def _sensitive(spec: str, namespace: Mapping[str, Any], frame: Any,
               where: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The sensitive features by name, and the one-hot columns any of them was rebuilt from.

    A column of X (or --data) wins over a notebook variable of the same name: it is the one
    aligned with the rows being measured. So do the one-hot columns of a name that is no
    column (``sex`` -> ``sex_F``, ``sex_M``).
    """
    from ..checks.onehot import from_one_hot

    names = [name.strip() for name in spec.split(",") if name.strip()]
    if not names:
        raise MLSecUsageError("--sensitive needs at least one name")
    columns = getattr(frame, "columns", None)
    values: dict[str, Any] = {}
    encoded: dict[str, list[str]] = {}
    for name in names:
        if columns is not None and name in columns:
            values[name] = frame[name]
            continue
        rebuilt = from_one_hot(frame, name)
        if rebuilt is not None:
            values[name] = rebuilt.values
            encoded[name] = rebuilt.columns
            continue
        values[name] = _lookup(name, namespace, frame, where)
    return values, encoded


def predict_without(model: Any, features: Any, sensitive: Sequence[str],
                    name: str) -> tuple[Any, list[str]]:
    """``model.predict`` on the columns of ``features`` the model was fitted on.

    With ``feature_names_in_`` every other column (the sensitive ones first of all) is left
    out; without it, the sensitive columns are left out when the model expects fewer columns
    than ``features`` has. Returns the predictions and the columns left out, for the report.
    """
    if not hasattr(model, "predict"):
        raise MLSecInputError(NOT_A_MODEL.format(name=name))
    unused: list[str] = []
    columns = getattr(features, "columns", None)
    if columns is not None:
        fitted = getattr(model, "feature_names_in_", None)
        if fitted is not None:
            known = {str(c) for c in fitted}
            unused = [str(c) for c in columns if str(c) not in known]
        elif getattr(model, "n_features_in_", len(columns)) != len(columns):
            unused = [c for c in sensitive if c in columns]
        if unused:
            features = features.drop(columns=unused)
    try:
        return model.predict(features), unused
    except Exception as exc:  # a model's own error, reported in one line
        raise MLSecInputError(f"{name}.predict failed: {type(exc).__name__}: {exc}") from None


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Group fairness metrics of predictions stored in a CSV or Parquet file.",
    )
    parser.add_argument("file", type=Path, help="a .csv or .parquet file with one row per "
                        "prediction")
    parser.add_argument("--y-true", required=True, metavar="COL", help="true label column")
    parser.add_argument("--y-pred", required=True, metavar="COL", help="prediction column")
    parser.add_argument("--y-score", metavar="COL", help="score column (optional)")
    parser.add_argument("--weights", metavar="COL", help="sample weight column (optional)")
    add_bias_options(parser)
    add_engine_options(parser)
    add_cli_report_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    settings = cli_settings(args).override({"bias.figures": False})  # no CLI format shows images
    args.names = [args.y_true, args.y_pred]
    args.data = None
    with cluster_for(args):
        if uses_dask(args):
            frame = read_dask(args.file)
        else:
            require_file(args.file)
            frame = read_table(args.file)
        report = bias_from_names(args, {}, frame, settings, where=str(args.file))
    report.subject = f"{args.file}: {args.y_pred} vs {args.y_true}"
    return emit_cli_report(report, args, settings)
