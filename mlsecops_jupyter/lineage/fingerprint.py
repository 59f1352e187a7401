"""Fingerprints of data: DataFrames, Series, ndarrays and files, sampled and bounded.

A fingerprint says *which* data a cell saw or made, cheaply enough to take on every cell:
shape, column names and dtypes, and a SHA-256 over a bounded, deterministic sample of the
content. Large inputs are sampled, never silently: the record says how many rows were hashed
out of how many, and how they were chosen (``all`` or ``evenly-spaced``, first and last row
included). Two frames with the same fingerprint are the same data with very high probability
when ``rows_hashed == rows_total``, and agree on every sampled row otherwise.

``signature`` is the cheap "did it change?" signal taken before and after each cell (identity,
shape, column index identity, data pointer): it costs microseconds, so the recorder can watch
every frame in the namespace and pay for a content hash only when something moved.

pandas and numpy are never imported here: an object is recognised by its type's module, so a
session that uses neither pays nothing.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_MAX_COLUMNS_LISTED = 1_000


@dataclass(frozen=True)
class Limits:
    """How much content a fingerprint may hash."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_file_bytes: int = 256 * 1024 * 1024


def data_kind(value: Any) -> str | None:
    """``dataframe``, ``series`` or ``ndarray`` when ``value`` is one of those, else None.

    Called for every namespace entry after every cell, so the answer is cached per type.
    """
    cls = type(value)
    try:
        return _KIND_OF_TYPE[cls]
    except KeyError:
        pass
    except TypeError:  # an unhashable type object: never data we track
        return None
    kind = _kind_of_type(cls)
    if len(_KIND_OF_TYPE) < 10_000:
        _KIND_OF_TYPE[cls] = kind
    return kind


_KIND_OF_TYPE: dict[type, str | None] = {}


def _kind_of_type(cls: type) -> str | None:
    module = getattr(cls, "__module__", "") or ""
    if not module.startswith(("pandas", "numpy")):
        # subclasses defined elsewhere: only worth an MRO walk when the libraries are loaded
        if "pandas" not in sys.modules and "numpy" not in sys.modules:
            return None
        if not any((getattr(base, "__module__", "") or "").startswith(("pandas", "numpy"))
                   for base in cls.__mro__[1:]):
            return None
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        if issubclass(cls, pandas.DataFrame):
            return "dataframe"
        if issubclass(cls, pandas.Series):
            return "series"
    numpy = sys.modules.get("numpy")
    if numpy is not None and issubclass(cls, numpy.ndarray):
        return "ndarray"
    return None


def data_in_namespace(namespace: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """``(name, kind, value)`` of every frame/array bound to a public name.

    Runs after every cell, so it is written for speed: nothing at all when neither numpy nor
    pandas is loaded; else the set of value types is taken at C speed and the names are only
    walked when one of those types is data. Names starting with ``_`` are IPython's output
    cache (``_``, ``_3``, ``_i3``), which repeats what other names hold.
    """
    if "numpy" not in sys.modules and "pandas" not in sys.modules:
        return []
    values = list(namespace.values())
    types_present = set(map(type, values))
    kinds = _KIND_OF_TYPE
    data_types = {cls: kind for cls in types_present
                  if (kind := kinds[cls] if cls in kinds else _kind_cached(cls)) is not None}
    if not data_types:
        return []
    return [(name, data_types[type(value)], value) for name, value in list(namespace.items())
            if type(value) in data_types and name[:1] != "_"]


def _kind_cached(cls: type) -> str | None:
    kind = _kind_of_type(cls)
    if len(_KIND_OF_TYPE) < 10_000:
        _KIND_OF_TYPE[cls] = kind
    return kind


def signature(value: Any, kind: str) -> tuple[Any, ...]:
    """Cheap identity-and-shape signal; a change means the content must be fingerprinted again.

    In-place value edits that keep shape and buffers (``df.loc[0, "a"] = 1``) do not move it;
    the recorder re-hashes the names a cell visibly mutates to catch those.
    """
    if kind == "ndarray":
        return (id(value), value.shape, value.dtype.str, value.__array_interface__["data"][0])
    if kind == "dataframe":
        return (id(value), value.shape, id(value.columns), id(value.index))
    return (id(value), value.shape, id(value.index), str(value.dtype))


def fingerprint(value: Any, kind: str | None = None, limits: Limits | None = None
                ) -> dict[str, Any]:
    """The fingerprint of a DataFrame, Series or ndarray (see the module docstring)."""
    limits = limits or Limits()
    kind = kind or data_kind(value)
    if kind == "ndarray":
        return _array_fingerprint(value, limits)
    if kind in ("dataframe", "series"):
        return _pandas_fingerprint(value, kind, limits)
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def sample_positions(total: int, limit: int) -> tuple[list[int] | None, str]:
    """Row positions to hash: all of them (None) or ``limit`` evenly spaced, ends included."""
    if total <= limit:
        return None, "all"
    if limit <= 1:
        return [0], "evenly-spaced"
    step = (total - 1) / (limit - 1)
    return [round(i * step) for i in range(limit)], "evenly-spaced"


def _pandas_fingerprint(value: Any, kind: str, limits: Limits) -> dict[str, Any]:
    import pandas

    rows = len(value)
    frame = value.to_frame() if kind == "series" else value
    columns = [str(c) for c in frame.columns[:_MAX_COLUMNS_LISTED]]
    dtypes = [str(t) for t in frame.dtypes.iloc[:_MAX_COLUMNS_LISTED]]
    width = max(1, frame.shape[1])
    row_limit = max(1, min(limits.max_rows, limits.max_bytes // (8 * width)))
    positions, method = sample_positions(rows, row_limit)
    sample = frame if positions is None else frame.iloc[positions]
    digest = hashlib.sha256()
    digest.update(repr((list(map(str, frame.columns)), list(map(str, frame.dtypes)))).encode())
    try:
        row_hashes = pandas.util.hash_pandas_object(sample, index=True)
        digest.update(row_hashes.to_numpy().tobytes())
    except TypeError:  # unhashable cells (lists, dicts): hash their text instead
        for column in sample.columns:
            digest.update(repr(sample[column].map(repr).tolist()).encode("utf-8"))
    result: dict[str, Any] = {
        "kind": kind,
        "shape": list(value.shape),
        "columns": columns if kind == "dataframe" else [str(value.name)],
        "dtypes": dtypes,
        "content_sha256": digest.hexdigest(),
        "rows_total": rows,
        "rows_hashed": rows if positions is None else len(positions),
        "sample": method,
    }
    if frame.shape[1] > _MAX_COLUMNS_LISTED:
        result["columns_listed"] = _MAX_COLUMNS_LISTED
    return result


def _array_fingerprint(value: Any, limits: Limits) -> dict[str, Any]:
    import numpy

    rows = value.shape[0] if value.ndim else 1
    row_bytes = max(1, value.itemsize * (value.size // rows if rows else 0))
    row_limit = max(1, min(limits.max_rows, limits.max_bytes // row_bytes))
    positions, method = sample_positions(rows, row_limit)
    sample = value if positions is None or value.ndim == 0 else value[positions]
    digest = hashlib.sha256(repr((value.shape, value.dtype.str)).encode())
    if sample.nbytes > limits.max_bytes:  # a single row is larger than the budget
        flat = sample.reshape(-1)
        positions_flat, method = sample_positions(flat.size, limits.max_bytes // value.itemsize)
        sample = flat if positions_flat is None else flat[positions_flat]
        method = "evenly-spaced-elements"
    if value.dtype.hasobject:
        digest.update(repr(sample.tolist()).encode("utf-8"))
    else:
        digest.update(numpy.ascontiguousarray(sample).tobytes())
    hashed = rows if positions is None else len(positions)
    return {
        "kind": "ndarray",
        "shape": list(value.shape),
        "dtypes": [value.dtype.str],
        "content_sha256": digest.hexdigest(),
        "rows_total": rows,
        "rows_hashed": hashed,
        "sample": method,
    }


def file_fingerprint(path: str | os.PathLike[str], limits: Limits | None = None,
                     cache: dict[tuple[Any, ...], str] | None = None) -> dict[str, Any]:
    """Size and SHA-256 of a file (when under ``max_file_bytes``); why not, otherwise.

    ``cache`` maps (path, size, mtime, inode) to a digest so a file read by every run of a cell
    is hashed once per change.
    """
    limits = limits or Limits()
    target = Path(path)
    try:
        stat = target.stat()
    except OSError:
        return {"exists": False, "sha256": None}
    if not target.is_file():
        return {"exists": True, "size": None, "sha256": None, "skipped": "not a regular file"}
    result: dict[str, Any] = {"exists": True, "size": stat.st_size}
    if stat.st_size > limits.max_file_bytes:
        result.update(sha256=None, skipped=f"larger than {limits.max_file_bytes} bytes")
        return result
    key = (str(target.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if cache is not None and key in cache:
        result["sha256"] = cache[key]
        return result
    digest = hashlib.sha256()
    try:
        with target.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        result.update(sha256=None, skipped=f"unreadable: {exc.strerror or exc}")
        return result
    result["sha256"] = digest.hexdigest()
    if cache is not None:
        cache[key] = result["sha256"]
    return result
