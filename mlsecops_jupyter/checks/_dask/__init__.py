"""The data checks on dask: the same findings and counts as on pandas, past one machine's memory.

A check that is handed a ``dask.dataframe.DataFrame`` (or reads files with ``--engine dask``)
runs here, on whatever dask scheduler is active: a ``dask.distributed.Client`` (local or
remote), else dask's own threads. Whole-frame work becomes per-partition reductions
(``frames``: row counts, missing counts, samples drawn by global position); the leakage
fingerprints meet in a hash-partitioned, disk-backed shuffle (``fingerprints``, ``values``).
docs/dask.md says what runs where and what each step costs.

This module imports nothing from dask: it only recognises frames by their type, so the pandas
path keeps working when dask is not installed. The rest of the package imports dask and is
imported only when a dask frame arrives.
"""

from __future__ import annotations

from typing import Any

from ...core.errors import MLSecInputError, MLSecUsageError

SPARK_NOT_SUPPORTED = (
    "Spark DataFrames are not supported yet: write the data as Parquet and run the check with "
    "dask (mlsec ... --engine dask, or dask.dataframe.read_parquet), or pass df.toPandas() for "
    "data that fits in memory")
NEEDS_DASK = ("this needs dask: pip install 'mlsecops-jupyter[dask]' (dask[dataframe] and "
              "distributed)")
ENGINES = ("pandas", "dask")


def _module_of(value: Any) -> str:
    return type(value).__module__ or ""


def is_dask(value: Any) -> bool:
    """A dask DataFrame or Series (recognised without importing dask)."""
    module = _module_of(value)
    return (module.startswith(("dask.", "dask_expr")) and hasattr(value, "npartitions")
            and hasattr(value, "dtypes" if hasattr(value, "columns") else "dtype"))


def is_spark(value: Any) -> bool:
    """A PySpark (or pandas-on-Spark) DataFrame."""
    return _module_of(value).startswith("pyspark.")


def engine_of(*values: Any) -> str:
    """``"dask"`` when any input is a dask collection, else ``"pandas"``; Spark is refused."""
    for value in values:
        if is_spark(value):
            raise MLSecInputError(SPARK_NOT_SUPPORTED)
    return "dask" if any(is_dask(value) for value in values) else "pandas"


def require_dask() -> None:
    """Fail in one line, naming the extra to install, when dask is missing."""
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise MLSecUsageError(NEEDS_DASK) from None
