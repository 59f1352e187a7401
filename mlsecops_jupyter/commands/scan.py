"""``%mlsec scan PATH_OR_VARIABLE ...``: model-file safety scanning from the notebook.

Each argument is a variable of the notebook when one has that name (a ``str``/``Path`` is a path,
``bytes`` are scanned as a file's content, any other object is pickled in memory and its pickle
scanned), otherwise a path (``~`` expanded, relative to the working directory).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError
from ..core.report import Report, Skipped
from ..core.settings import Settings
from ..core.suggest import did_you_mean_variable_or_file
from . import Session
from ._parser import (
    CommandParser,
    add_set_option,
    add_threshold_option,
    effective_threshold,
)
from ._report_io import add_display_option, settings_for_call

CHECK = "modelscan"
NOT_A_VARIABLE_OR_FILE = (
    "{token!r} is neither a variable of this notebook nor an existing file or folder"
)
# what the model scanner says of a file in a folder that is no model / of a sub-folder it skips
NOT_MODEL_WHYS = ("not a model file", "empty file")
SUBFOLDER_WHY = "directory (scan with recursive=True)"
SUBFOLDER_HINT = "sub-folder not entered: add -r (--recursive) to scan sub-folders too"


@dataclass(frozen=True)
class Target:
    """One thing to scan, as named on the command line."""

    token: str
    kind: str  # "path", "bytes" or "object"
    value: Any


def add_scan_arguments(parser: argparse.ArgumentParser, target_help: str) -> None:
    """Arguments ``%mlsec scan`` and ``mlsec scan`` share."""
    parser.add_argument("targets", nargs="+", metavar="TARGET", help=target_help)
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="scan folders and their sub-folders"
    )
    add_set_option(parser)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Scan model files for hidden code execution without loading them: pickle, "
        "joblib, PyTorch, NumPy, safetensors, ONNX, Keras/HDF5. The content decides the format, "
        "never the file name. Returns the Report.",
    )
    add_scan_arguments(
        parser,
        "a file or folder path, or the name of a variable (str/Path: a path; bytes: file "
        "content; any other object: its pickle)",
    )
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    settings = settings_for_call(session.settings, args.set)
    targets = resolve_targets(args.targets, session.user_namespace())
    report = scan_targets(targets, recursive=args.recursive, settings=settings)
    return session.deliver(
        report,
        output_format=args.format,
        fail_on=effective_threshold(args.fail_on, settings.fail_on),
    )


def resolve_targets(tokens: Sequence[str], namespace: Mapping[str, Any]) -> list[Target]:
    """Turn command-line tokens into targets: a variable of that name first, else a path."""
    targets = []
    for token in tokens:
        if token.isidentifier() and token in namespace:
            targets.append(_variable_target(token, namespace[token]))
            continue
        path = Path(os.path.expanduser(token))
        if token.isidentifier() and not path.exists():
            raise MLSecInputError(NOT_A_VARIABLE_OR_FILE.format(token=token)
                                  + did_you_mean_variable_or_file(token, namespace))
        targets.append(Target(token, "path", path))
    return targets


def _variable_target(name: str, value: Any) -> Target:
    if isinstance(value, (str, os.PathLike)):
        return Target(name, "path", Path(os.path.expanduser(os.fspath(value))))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Target(name, "bytes", bytes(value))
    return Target(name, "object", value)


def scan_targets(targets: Sequence[Target], *, recursive: bool, settings: Settings) -> Report:
    """One report for every target: paths in one scan, each variable in its own, then merged."""
    from ..checks.modelscan import scan_model

    reports = []
    for item in targets:
        if item.kind == "path" and not os.path.lexists(item.value):
            raise MLSecInputError(f"no such file: {item.token}"
                                  + did_you_mean_variable_or_file(item.token, {}))
    paths = [t.value for t in targets if t.kind == "path"]
    if paths:
        target = paths[0] if len(paths) == 1 else paths
        reports.append(scan_model(target, recursive=recursive, settings=settings))
    for item in targets:
        if item.kind != "path":
            reports.append(scan_model(item.value, settings=settings, name=item.token))
    if len(reports) == 1:
        report = reports[0]
    else:
        report = Report.merge(reports, check=CHECK, subject=", ".join(t.token for t in targets))
    if any(t.kind == "path" and Path(t.value).is_dir() for t in targets):
        summarise_folders(report)
    from ..checks.signing.policy import apply_signature_policy

    return apply_signature_policy(report, settings)  # [tool.mlsec.signing]: unsigned files


def summarise_folders(report: Report) -> None:
    """Say what a folder scan found besides models: how many files were not models, and how
    many sub-folders were not entered (and that ``-r`` enters them).

    ``scanned: 12 files`` alone reads as "12 models checked" when 11 were CSVs.
    """
    not_models = sum(1 for s in report.skipped if s.why in NOT_MODEL_WHYS)
    subfolders = sum(1 for s in report.skipped if s.why == SUBFOLDER_WHY)
    report.skipped[:] = [Skipped(s.what, SUBFOLDER_HINT) if s.why == SUBFOLDER_WHY else s
                         for s in report.skipped]
    looked_at = int(report.metrics.get("files_scanned", 0))
    parts = [f"{looked_at - not_models} of {looked_at} file(s) are model files; {not_models} "
             "are not (looked at, nothing to scan)"]
    if subfolders:
        parts.append(f"{subfolders} sub-folder(s) not entered: add -r (--recursive) to scan "
                     "them")
    report.metrics["not_model_files"] = not_models
    report.metrics["subfolders_not_entered"] = subfolders
    report.metrics["folder_summary"] = "; ".join(parts)
