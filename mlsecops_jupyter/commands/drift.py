"""``%mlsec drift`` and ``mlsec drift``: how current data differs from reference data.

Magic forms::

    %mlsec drift REFERENCE CURRENT [--target COL] [--prediction COL] [--columns C,..]
    %mlsec drift MODEL CURRENT          # the model's training data, from the lineage reference
    %mlsec drift X_TEST CURRENT --predict MODEL   # and the model's predictions on both

REFERENCE and CURRENT are variables (DataFrames, 2-D arrays) or CSV/Parquet paths. A fitted
model as REFERENCE means "what it was fitted on": the sample recorded beside the lineage log
when it was fitted (``checks/drift/reference.py``); its label column is compared when CURRENT
holds it. The model's predictions are not compared there: on its own training rows they are
in-sample and would drift on any new data; ``--predict MODEL`` with held-out data as REFERENCE
compares them. A variable name that is not bound (a restarted kernel) is looked up in the log by
name too.

CLI: ``mlsec drift REFERENCE CURRENT`` with files, or a lineage log (``*.jsonl``) as REFERENCE
and ``--model VAR`` (default: the newest model with a reference in the log).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.report import Report, Skipped
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

UNKNOWN_NAME = "{token!r} is neither a variable of this notebook nor an existing file"
NOT_A_MODEL_LOG = "{path} holds no drift reference for {model!r}"
NO_MODEL_IN_LOG = ("{path} holds no drift reference: fit a model in a kernel with "
                   "%load_ext mlsecops_jupyter first")
MODEL_WITHOUT_LOG = "--model names a model of a lineage log: give the log (*.jsonl) as REFERENCE"
MODEL_TWICE = ("REFERENCE is a model (its training data is the reference): --predict is for "
               "data references; give a held-out REFERENCE to compare predictions")
NOT_A_MODEL = "--predict {name}: not a model (it needs fit and predict)"
PREDICTION_NEEDS_HOLDOUT = (
    "the reference is the model's own training data: its predictions there are in-sample "
    "(more confident than on new rows) and would show drift where there is none; compare "
    "predictions against held-out data instead: %mlsec drift X_TEST CURRENT --predict MODEL")
PREDICT_FAILED = "the model could not predict on the samples ({error})"
LINEAGE_SUFFIX = ".jsonl"


def add_drift_options(parser: argparse.ArgumentParser) -> None:
    """Options ``%mlsec drift`` and ``mlsec drift`` share."""
    parser.add_argument("--target", metavar="COL", help="the label column (DRIFT-LABEL); "
                        "with a model, its recorded label column is used when CURRENT has it")
    parser.add_argument("--prediction", metavar="COL", help="a column holding the model's "
                        "predictions on both sides (DRIFT-PREDICTION)")
    parser.add_argument("--columns", metavar="C[,C]", help="compare only these columns "
                        "(date/time columns are compared only when named here)")
    parser.add_argument("--exclude", metavar="C[,C]", help="leave these columns out (ids, "
                        "counters, time stamps)")
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Drift between reference and current data: each column (values and "
        "missing share), all columns jointly (a domain classifier), the label and the "
        "model's predictions. REFERENCE may be a fitted model: its training data recorded in "
        "the lineage log is used. Returns the Report.",
    )
    parser.add_argument("reference", metavar="REFERENCE", help="reference data (variable or "
                        "CSV/Parquet path) or a fitted model variable")
    parser.add_argument("current", metavar="CURRENT", help="current data (variable or "
                        "CSV/Parquet path)")
    add_drift_options(parser)
    parser.add_argument("--predict", metavar="MODEL", help="a fitted model: compare its "
                        "predictions on both sides (DRIFT-PREDICTION); REFERENCE must then be "
                        "data it was not fitted on (a test set)")
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    current = _lookup(args.current, namespace)
    reference = namespace.get(args.reference)
    subject = f"{args.reference} vs {args.current}"
    as_model = reference is not None and _is_model(reference)
    if not as_model and reference is None and not Path(args.reference).expanduser().is_file():
        as_model = _logged_reference(session, args.reference) is not None
    if as_model:
        if args.predict is not None:
            raise MLSecUsageError(MODEL_TWICE)
        report = _model_drift(session, args, settings, reference, current, subject)
    else:
        reference = _lookup(args.reference, namespace)
        prediction = args.prediction
        if args.predict is not None:
            model = _lookup(args.predict, namespace)
            if not _is_model(model) or not callable(getattr(model, "predict", None)):
                raise MLSecInputError(NOT_A_MODEL.format(name=args.predict))
            prediction = predictions_of(model, reference, current, settings,
                                        leave_out=[args.target, args.prediction])
        report = drift_report(reference, current, args, settings, subject,
                              prediction=prediction)
        if args.predict is not None:
            report.metrics["prediction_model"] = args.predict
    return session.deliver(report, output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, settings.fail_on))


def drift_report(reference: Any, current: Any, args: argparse.Namespace, settings: Settings,
                 subject: str, **extra: Any) -> Report:
    """Run ``check_drift`` with the options of the command line."""
    from ..checks.drift import check_drift

    options = {"target": args.target, "prediction": args.prediction,
               "columns": _names(args.columns), "exclude": _names(args.exclude), **extra}
    return check_drift(reference, current, settings=settings, subject=subject, **options)


def predictions_of(model: Any, reference: Any, current: Any, settings: Settings,
                   leave_out: Sequence[str | None] = ()) -> tuple[Any, Any]:
    """The model's outputs on (samples of) both sides: positive-class scores, else predictions.

    The model sees the columns it was fitted on (``feature_names_in_``) when it names them,
    else every column but ``leave_out`` (the label). Rows are sampled as the check samples
    them (``drift.sample_rows``, seeded), so a large current set costs one bounded prediction.
    A model that cannot predict on the data is the user's error, said in one line.
    """
    import numpy as np

    from ..checks.drift._inputs import as_frame, sample_positions

    rng = np.random.default_rng(settings.drift.seed)
    sides = []
    for data, side in ((reference, "reference"), (current, "current")):
        frame = as_frame(data, side)
        fitted_on = [str(c) for c in getattr(model, "feature_names_in_", ())]
        if fitted_on and all(c in frame.columns for c in fitted_on):
            frame = frame[fitted_on]
        else:
            frame = frame.drop(columns=[c for c in leave_out if c in frame.columns])
        positions = sample_positions(len(frame), settings.drift.sample_rows, rng)
        sides.append(frame if positions is None else frame.iloc[positions])
    try:
        return _outputs(model, sides[0]), _outputs(model, sides[1])
    except Exception as exc:  # the user's model on the user's data: theirs to fix
        error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
        raise MLSecInputError(PREDICT_FAILED.format(error=error)) from None


def _names(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    names = [name.strip() for name in spec.split(",") if name.strip()]
    if not names:
        raise MLSecUsageError("--columns/--exclude need at least one column name")
    return names


def _lookup(token: str, namespace: Mapping[str, Any]) -> Any:
    """A variable of the notebook, else an existing file (read by the check)."""
    if token in namespace:
        return namespace[token]
    path = Path(token).expanduser()
    if path.is_file():
        return path
    raise MLSecInputError(UNKNOWN_NAME.format(token=token)
                          + did_you_mean_variable_or_file(token, namespace))


def _is_model(value: Any) -> bool:
    """A fitted-or-not estimator (scikit-learn's API), not data."""
    return not isinstance(value, type) and callable(getattr(value, "get_params", None)) and \
        callable(getattr(value, "fit", None))


# -- a model's lineage reference --------------------------------------------------------------
def _log_folder_and_records(session: Session) -> tuple[Path, list[dict[str, Any]]] | None:
    recorder = getattr(session, "recorder", None)
    if recorder is None:
        return None
    from ..lineage.records import read_checked

    path = Path(recorder.path)
    return path.parent, read_checked(path).records  # malformed records are never a reference


def _logged_reference(session: Session, model: str) -> dict[str, Any] | None:
    from ..checks.drift.reference import find_reference

    found = _log_folder_and_records(session)
    return None if found is None else find_reference(found[1], model)


def _model_drift(session: Session, args: argparse.Namespace, settings: Settings, model: Any,
                 current: Any, subject: str) -> Report:
    """Drift of CURRENT against what the model was fitted on (its recorded sample)."""
    from ..checks.drift.reference import NO_REFERENCE, load_sample

    name = args.reference
    capture = getattr(session, "references", None)
    meta = capture.reference_of(model) if capture is not None and model is not None else None
    if meta is not None:
        folder = Path(meta["path"]).parent.parent
        recorded = "fitted in this kernel"
    else:
        found = _log_folder_and_records(session)
        from ..checks.drift.reference import find_reference

        meta = None if found is None else find_reference(found[1], name)
        if meta is None or found is None:
            raise MLSecInputError(NO_REFERENCE.format(model=name, current=args.current))
        folder = found[0]
        recorded = f"lineage record {meta.get('seq')}"
    sample = load_sample(meta, folder, name)
    return reference_drift(sample, meta, current, args, settings, subject, recorded=recorded)


def reference_drift(sample: Any, meta: Mapping[str, Any], current: Any,
                    args: argparse.Namespace, settings: Settings, subject: str, *,
                    recorded: str = "") -> Report:
    """``check_drift`` of a recorded reference sample against CURRENT (magic and CLI)."""
    from ..checks.drift._inputs import as_frame

    label = meta.get("target")
    features = [c for c in sample.columns if c != label]
    current_frame = as_frame(current, "current")
    if not all(isinstance(c, str) for c in current_frame.columns):
        current_frame = current_frame.rename(columns=str)
    target = args.target
    if target is None and label is not None and label in current_frame.columns:
        target = label
    skipped: list[Skipped] = []
    if args.prediction is None:
        skipped.append(Skipped("DRIFT-PREDICTION", PREDICTION_NEEDS_HOLDOUT))
    columns = [c for c in (_names(args.columns) or features) if c != target]
    from ..checks.drift import check_drift

    report = check_drift(sample, current_frame, target=target, prediction=args.prediction,
                         columns=columns, exclude=_names(args.exclude), settings=settings,
                         subject=subject)
    report.skipped.extend(skipped)
    report.metrics["reference"] = {
        "source": "lineage", "model": str(args.reference), "recorded": recorded,
        "file": meta.get("file"), "sha256": meta.get("sha256"),
        "sample_rows": meta.get("sample_rows"), "rows_total": meta.get("rows_total"),
        "fingerprint": (meta.get("fingerprint") or {}).get("content_sha256"),
        "estimator": meta.get("estimator")}
    report.metrics.setdefault("tables_cover", []).append("reference")
    report.metrics["tables"].insert(0, {
        "title": "Reference (the model's training data, from the lineage log)",
        "columns": ["model", "estimator", "sample", "of rows", "file", "recorded"],
        "rows": [[str(args.reference), str(meta.get("estimator")), meta.get("sample_rows"),
                  meta.get("rows_total"), str(meta.get("file")), recorded]]})
    return report


def _outputs(model: Any, rows: Any) -> Any:
    import numpy as np

    classes = getattr(model, "classes_", None)
    if classes is not None and len(classes) == 2 and hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(rows))[:, 1]
    return np.asarray(model.predict(rows))


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Drift between a reference and a current file (CSV or Parquet): each "
        "column, all columns jointly, label and predictions. REFERENCE may be a lineage log "
        "(*.jsonl): the training data recorded when --model was fitted.",
    )
    parser.add_argument("reference", type=Path, metavar="REFERENCE",
                        help="reference data (.csv/.parquet) or a lineage log (.jsonl)")
    parser.add_argument("current", type=Path, metavar="CURRENT",
                        help="current data (.csv/.parquet)")
    parser.add_argument("--model", metavar="VAR", help="with a lineage log: the model variable "
                        "whose training data is the reference (default: the newest recorded)")
    add_drift_options(parser)
    add_engine_options(parser)
    add_cli_report_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    dask_engine = uses_dask(args)
    if not dask_engine:
        require_file(args.reference)
        require_file(args.current)
    settings = cli_settings(args).override({"drift.figures": False})  # no CLI format shows them
    subject = f"{args.reference} vs {args.current}"
    if args.reference.name.endswith(LINEAGE_SUFFIX):
        report = _log_drift(args, settings, subject)
    elif args.model is not None:
        raise MLSecUsageError(MODEL_WITHOUT_LOG)
    else:
        with cluster_for(args):
            report = drift_report(read_input(args.reference, args),
                                  read_input(args.current, args), args, settings, subject)
    return emit_cli_report(report, args, settings)


def _log_drift(args: argparse.Namespace, settings: Settings, subject: str) -> Report:
    from ..checks.drift.reference import REFERENCE_CHECK, find_reference, load_sample
    from ..lineage.records import read_checked

    records = read_checked(args.reference).records  # malformed records are never a reference
    model = args.model
    if model is None:
        named = [r["report"]["subject"] for r in records if r.get("kind") == "check"
                 and isinstance(r.get("report"), dict)
                 and r["report"].get("check") == REFERENCE_CHECK]
        if not named:
            raise MLSecInputError(NO_MODEL_IN_LOG.format(path=args.reference))
        model = str(named[-1])
    meta = find_reference(records, model)
    if meta is None:
        raise MLSecInputError(NOT_A_MODEL_LOG.format(path=args.reference, model=model))
    sample = load_sample(meta, args.reference.parent, model)
    cli_args = argparse.Namespace(**{**vars(args), "reference": model})
    return reference_drift(sample, meta, args.current, cli_args, settings, subject,
                           recorded=f"lineage record {meta.get('seq')}")
