"""``--engine dask`` and ``--scheduler`` of the data commands: reading inputs as dask frames
and connecting the checks to a dask cluster.

With ``--engine dask`` an input may be a Parquet file or folder (a dataset written by Spark,
dask or pyarrow), a glob of Parquet files, a CSV file or a glob of CSV files; it is read lazily
as a dask DataFrame and the check runs on the cluster: ``--scheduler ADDRESS`` connects to a
running one (``tcp://host:8786``), else a LocalCluster sized to this machine (one worker
process per core) runs for the command and is shut down after it. The pandas engine (the
default) reads files whole, as before.
"""

from __future__ import annotations

import argparse
import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError

ENGINES = ("pandas", "dask")
SCHEDULER_NEEDS_DASK = "--scheduler connects to a dask cluster: it needs --engine dask"
NO_MATCH = "{spec}: no file matches"
MIXED_FILES = "{spec}: matches both Parquet and CSV files; name one kind"
NOT_CONNECTED = "cannot connect to the dask scheduler at {address}: {reason}"
UNREADABLE = "cannot read {spec} with dask: {reason}"


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine`` and ``--scheduler`` (CLI data commands)."""
    parser.add_argument("--engine", choices=ENGINES, default="pandas",
                        help="pandas (default): read the files whole; dask: read Parquet "
                        "files, folders or globs and CSV globs lazily and run on a dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the address of a running dask scheduler "
                        "(default: a LocalCluster sized to this machine)")


def uses_dask(args: argparse.Namespace) -> bool:
    engine = getattr(args, "engine", "pandas")
    if getattr(args, "scheduler", None) and engine != "dask":
        raise MLSecUsageError(SCHEDULER_NEEDS_DASK)
    return engine == "dask"


def _files(spec: str) -> list[Path]:
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file()
                       and not p.name.startswith(("_", ".")))
    elif glob.has_magic(spec):
        found = sorted(Path(p) for p in glob.glob(os.path.expanduser(spec), recursive=True)
                       if Path(p).is_file())
    else:
        found = [path] if path.is_file() else []
    if not found:
        raise MLSecInputError(NO_MATCH.format(spec=spec))
    return found


def _is_parquet(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError as exc:
        raise MLSecInputError(UNREADABLE.format(spec=path, reason=exc.strerror or exc)) from None


def dataset_kind(spec: str | os.PathLike[str]) -> tuple[str, list[Path]]:
    """``parquet`` or ``csv`` (by content: Parquet files start with PAR1), and the files."""
    files = _files(str(spec))
    kinds = {_is_parquet(path) for path in files}
    if len(kinds) > 1:
        raise MLSecInputError(MIXED_FILES.format(spec=spec))
    return ("parquet" if kinds == {True} else "csv"), files


def read_dask(spec: str | os.PathLike[str]) -> Any:
    """A dask DataFrame of a Parquet file/folder/glob or a CSV file/glob (kind by content)."""
    from ..checks._dask import require_dask

    require_dask()
    import dask.dataframe as dd

    kind, files = dataset_kind(spec)
    try:
        if kind == "parquet":
            return dd.read_parquet([str(path) for path in files])
        return dd.read_csv([str(path) for path in files])
    except (OSError, ValueError, TypeError) as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise MLSecInputError(UNREADABLE.format(spec=spec, reason=reason)) from None


def read_input(spec: Path, args: argparse.Namespace) -> Any:
    """What a data command hands its check: the path (pandas engine) or a dask frame."""
    return read_dask(spec) if uses_dask(args) else spec


@contextmanager
def cluster_for(args: argparse.Namespace) -> Iterator[Any]:
    """The dask client of a command run with ``--engine dask`` (nothing for pandas)."""
    if not uses_dask(args):
        yield None
        return
    from ..checks._dask import require_dask

    require_dask()
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from ..checks._dask import NEEDS_DASK

        raise MLSecUsageError(NEEDS_DASK) from None
    if args.scheduler:
        try:
            client = Client(args.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise MLSecInputError(NOT_CONNECTED.format(address=args.scheduler,
                                                       reason=exc)) from None
        with client:
            yield client
        return
    cores = os.cpu_count() or 1
    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
