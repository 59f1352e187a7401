"""``%mlsec redact`` and ``mlsec redact``: write a masked copy of a frame or a notebook.

Magic forms::

    %mlsec redact DF --into DF_MASKED        # a DataFrame variable -> a new variable
    %mlsec redact data.csv [-o masked.csv]   # CSV / Parquet / .ipynb file -> a masked file

The copy is written next to the input as ``NAME.redacted.EXT`` unless ``--output`` says where;
the input is never changed: an output that is the input under any name (the same path, a
symbolic link to it, a hard link: the same inode) is refused, and the copy is written to a
temporary file in the output's folder and renamed into place, so an output path that aliases
anything is replaced, never written through. The report lists what was masked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..core.errors import MLSecError, MLSecInputError, MLSecUsageError
from ..core.report import Report
from ..core.settings import Settings
from ..core.suggest import did_you_mean_variable_or_file
from . import Session
from ._engine import add_engine_options, cluster_for, dataset_kind, read_dask, uses_dask
from ._parser import CommandParser, add_set_option
from ._report_io import CLI_FORMATS, EXIT_OK, add_display_option, format_report, settings_for_call

NOT_FOUND = "{token!r} is neither a DataFrame of this notebook nor an existing file"
NOT_A_FRAME = "{token!r} is a {kind}, not a DataFrame"
SAME_FILE = "refusing to overwrite the input {path}; choose another --output"
INTO_FOR_FRAMES = "--into names the variable for a masked DataFrame; files take --output"
UNKNOWN_KIND = "{path}: cannot tell whether it is a notebook, CSV or Parquet file"
DASK_OUTPUT = ("--engine dask writes a folder of masked parts: give it with --output (the "
               "input {spec} is a glob)")


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Write a masked copy of a DataFrame (into a new variable) or of a CSV, "
        "Parquet or notebook file: personal data and credentials replaced. Returns the Report.",
    )
    parser.add_argument("target", help="a DataFrame variable, or a .csv/.parquet/.ipynb path")
    parser.add_argument("--into", metavar="NAME",
                        help="variable for the masked DataFrame (default: TARGET_redacted)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="masked file to write (default: NAME.redacted.EXT beside it)")
    add_set_option(parser)
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    settings = settings_for_call(session.settings, args.set)
    namespace = session.user_namespace()
    if args.target.isidentifier() and args.target in namespace:
        import pandas as pd

        from ..checks._dask import is_dask
        from ..checks.pii.redaction import redact_frame

        value = namespace[args.target]
        if not isinstance(value, pd.DataFrame) and not (is_dask(value)
                                                        and hasattr(value, "columns")):
            raise MLSecInputError(NOT_A_FRAME.format(token=args.target,
                                                     kind=type(value).__name__))
        into = args.into or f"{args.target}_redacted"
        if not into.isidentifier():
            raise MLSecUsageError(f"--into {into!r} is not a valid variable name")
        masked, report = redact_frame(value, settings=settings, subject=args.target)
        namespace[into] = masked  # type: ignore[index]
        report.metrics["written_to"] = into
    else:
        path = Path(os.path.expanduser(args.target))
        if not path.is_file():
            raise MLSecInputError(NOT_FOUND.format(token=args.target)
                                  + did_you_mean_variable_or_file(args.target, namespace))
        if args.into:
            raise MLSecUsageError(INTO_FOR_FRAMES)
        report = redact_file(path, _output(path, args.output), settings)
    return session.deliver(report, output_format=args.format, fail_on=None)


def _output(path: Path, given: str | os.PathLike[str] | None) -> Path:
    output = Path(os.path.expanduser(given)) if given else path.with_name(
        f"{path.stem}.redacted{path.suffix}")
    if output.resolve() == path.resolve() or _same_inode(output, path):
        raise MLSecUsageError(SAME_FILE.format(path=path))
    return output


def _same_inode(output: Path, path: Path) -> bool:
    try:
        return output.exists() and os.path.samefile(output, path)
    except OSError:
        return False


def file_kind(path: Path) -> str:
    """``notebook``, ``parquet`` or ``csv``, by content first (Parquet magic, JSON with cells)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise MLSecInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head == b"PAR1":
        return "parquet"
    if path.suffix == ".ipynb" or head.lstrip()[:1] == b"{":
        return "notebook"
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "csv"
    raise MLSecInputError(UNKNOWN_KIND.format(path=path))


def redact_file(path: Path, output: Path, settings: Settings) -> Report:
    """Mask ``path`` into ``output`` (same format); the report says what and where."""
    kind = file_kind(path)
    if kind == "notebook":
        from ..checks.pii.notebook import redact_notebook

        masked, report = redact_notebook(path, settings=settings)
        text = json.dumps(masked, indent=1, ensure_ascii=False) + "\n"
        _write(output, lambda target: target.write_text(text, encoding="utf-8"))
    else:
        from ..checks.pii.redaction import redact_frame
        from ..core.table_io import read_table

        frame = read_table(path)
        masked_frame, report = redact_frame(frame, settings=settings, subject=str(path))
        if kind == "parquet":
            _write(output, lambda target: masked_frame.to_parquet(target, index=False))
        else:
            _write(output, lambda target: masked_frame.to_csv(target, index=False))
        report.subject = str(path)
    report.metrics["written_to"] = str(output)
    return report


def _write(output: Path, action: Any) -> None:
    """Run ``action(temporary)`` on a new file beside ``output``, then rename it over
    ``output``: a link at ``output`` is replaced, never written through, and a failed write
    leaves no half-written copy."""
    import tempfile

    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise MLSecError(f"cannot write {output}: {exc.strerror or exc}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        action(temporary)
        os.replace(temporary, output)
    except (OSError, ValueError, ImportError) as exc:
        temporary.unlink(missing_ok=True)
        raise MLSecError(f"cannot write {output}: {exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- command line -----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Write a masked copy of a CSV, Parquet or notebook file: personal data and "
        "credentials replaced. Exit 0 once the copy is written.",
    )
    parser.add_argument("file", type=Path, help="a .csv, .parquet or .ipynb file (with "
                        "--engine dask: a Parquet or CSV file, folder or glob)")
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="masked file to write (default: NAME.redacted.EXT beside it; with "
                        "--engine dask a folder of one masked file per partition)")
    add_engine_options(parser)
    parser.add_argument("--format", choices=CLI_FORMATS, default="text",
                        help="how to print the report of what was masked (default: text)")
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help="read settings from FILE instead of searching upwards")
    add_set_option(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    settings = settings_for_call(Settings.load(config=args.config), args.set)
    if uses_dask(args):
        return _run_cli_dask(args, settings)
    if not args.file.is_file():
        raise MLSecInputError(f"no such file: {args.file}")
    output = _output(args.file, args.output)
    report = redact_file(args.file, output, settings)
    sys.stdout.write(format_report(report, args.format))
    print(f"mlsec: wrote the masked copy to {output}", file=sys.stderr)
    return EXIT_OK


def _run_cli_dask(args: argparse.Namespace, settings: Settings) -> int:
    """Mask a dataset partition by partition into a folder of parts (Parquet stays Parquet)."""
    from ..checks._dask.redact import redact_dask

    spec = str(args.file)
    if args.output is None:
        if glob_spec(spec):
            raise MLSecUsageError(DASK_OUTPUT.format(spec=spec))
        output = args.file.with_name(f"{args.file.stem}.redacted")
    else:
        output = args.output
    if output.resolve() == args.file.resolve():
        raise MLSecUsageError(SAME_FILE.format(path=args.file))
    with cluster_for(args):
        frame = read_dask(spec)
        kind = dataset_kind(spec)[0]
        _, report = redact_dask(frame, settings, subject=spec, write_to=output, kind=kind)
    report.metrics["written_to"] = str(output)
    sys.stdout.write(format_report(report, args.format))
    print(f"mlsec: wrote the masked parts to {output}", file=sys.stderr)
    return EXIT_OK


def glob_spec(spec: str) -> bool:
    import glob

    return glob.has_magic(spec)
