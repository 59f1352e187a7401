"""NumPy ``.npy`` and ``.npz`` files.

A ``.npy`` header is a Python dict literal; it is parsed with ``ast.literal_eval`` (literals only,
nothing evaluated) after a size bound. Arrays whose dtype holds objects (``'O'``, also inside a
structured dtype) are stored as a pickle after the header, which ``np.load(allow_pickle=True)``
unpickles: that pickle is scanned like any other. ``.npz`` is a zip of ``.npy`` members.
"""

from __future__ import annotations

import ast
import math
import struct
from typing import Any

from .context import ScanContext
from .dispatch import scan_member
from .source import MemorySource, Source
from .zipscan import ZipEntry, ZipLayout

NPY_MAGIC = b"\x93NUMPY"
# legitimate headers are a few hundred bytes; numpy itself refuses more than 10000 by default
HEADER_LIMIT = 1 << 20
HEADER_KEYS = {"descr", "fortran_order", "shape"}


class NpyHeaderError(ValueError):
    """The header is not the dict literal the format defines."""


def parse_header(source: Source) -> tuple[dict[str, Any], int, int]:
    """Read magic, version and header dict; returns (header, version, header end offset)."""
    prefix = source.read(8)
    if len(prefix) < 8 or not prefix.startswith(NPY_MAGIC):
        raise NpyHeaderError("truncated magic")
    major = prefix[6]
    if major not in (1, 2, 3):
        raise NpyHeaderError(f"unknown .npy version {major}.{prefix[7]}")
    length_size = 2 if major == 1 else 4
    length_bytes = source.read(length_size)
    if len(length_bytes) < length_size:
        raise NpyHeaderError("truncated header length")
    length = struct.unpack("<H" if major == 1 else "<I", length_bytes)[0]
    if length > HEADER_LIMIT:
        raise NpyHeaderError(f"header of {length} bytes exceeds {HEADER_LIMIT}")
    raw = source.read(length)
    if len(raw) < length:
        raise NpyHeaderError("truncated header")
    text = raw.decode("utf-8" if major == 3 else "latin1", "replace")
    try:
        header = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as exc:
        raise NpyHeaderError(f"header is not a literal dict ({type(exc).__name__})") from None
    if not isinstance(header, dict) or set(header) != HEADER_KEYS:
        raise NpyHeaderError("header must be a dict with descr, fortran_order and shape")
    shape = header["shape"]
    if not isinstance(shape, tuple) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise NpyHeaderError(f"shape {shape!r} is not a tuple of non-negative integers")
    if not isinstance(header["fortran_order"], bool):
        raise NpyHeaderError("fortran_order is not a boolean")
    return header, major, 8 + length_size + length


def has_object_dtype(descr: Any, depth: int = 0) -> bool:
    """True when the dtype description holds Python objects anywhere (structured included)."""
    if depth > 32:
        return True  # absurd nesting: assume the worst, the payload is scanned anyway
    if isinstance(descr, str):
        return descr.lstrip("<>|=").startswith("O")
    if isinstance(descr, (list, tuple)):
        return any(has_object_dtype(item, depth + 1) for item in descr)
    return False


def _item_size(descr: Any) -> int | None:
    """Bytes per element, computed by numpy from the description (data only, nothing runs)."""
    import numpy

    try:
        return int(numpy.dtype(descr).itemsize)
    except Exception:  # numpy raises many types (even SyntaxError) for a crafted description
        return None


def scan_npy(source: Source, ctx: ScanContext) -> None:
    """Check the header and the data size; scan the pickle of object arrays."""
    from .pickle_scan import scan_pickle

    start = source.tell()
    try:
        header, version, header_end = parse_header(source)
    except NpyHeaderError as exc:
        ctx.add("MODEL-MALFORMED", f".npy header: {exc}", 0)
        ctx.note_format("npy", bytes=source.size)
        return
    descr, shape = header["descr"], header["shape"]
    facts: dict[str, Any] = {"version": version, "shape": list(shape), "dtype": str(descr)}
    if has_object_dtype(descr):
        ctx.add(
            "MODEL-NUMPY-OBJECT-ARRAY",
            f"array of dtype {descr!r} and shape {shape} is stored as a pickle",
            header_end,
            {"dtype": str(descr), "shape": list(shape)},
        )
        result = scan_pickle(source, ctx)
        facts.update(pickles=1, opcodes=result.opcodes,
                     globals=sorted({f"{m}.{n}" for m, n in result.globals}))
    else:
        _check_data_size(source, ctx, descr, shape, header_end, facts)
    size = source.size if source.size is not None else source.tell() - start
    ctx.note_format("npy", bytes=size, **facts)


def _check_data_size(source: Source, ctx: ScanContext, descr: Any, shape: tuple[int, ...],
                     header_end: int, facts: dict[str, Any]) -> None:
    item_size = _item_size(descr)
    if item_size is None:
        ctx.add("MODEL-MALFORMED", f".npy dtype {descr!r} is not a valid dtype", 0)
        return
    expected = math.prod(shape) * item_size
    if not isinstance(source, MemorySource):
        facts["data_checked"] = False  # a compressed member: the array bytes are not inflated
        return
    available = source.size - header_end
    facts["data_bytes"] = expected
    if available < expected:
        ctx.add("MODEL-MALFORMED",
                f".npy data is truncated: shape {shape} x {item_size} bytes needs {expected} "
                f"bytes, the file has {available}", header_end,
                {"expected_bytes": expected, "available_bytes": available})
    elif available > expected:
        facts["trailing_bytes"] = available - expected


class NpzLayout(ZipLayout):
    """``np.savez``: a zip whose members are all ``.npy`` files; each is scanned by content."""

    format = "npz"

    @classmethod
    def claims(cls, names: list[str]) -> bool:
        return bool(names) and all(name.endswith(".npy") for name in names)

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        scan_member(ctx, name, lambda: source)

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        ctx.note_format(self.format, bytes=size, arrays=len(entries))
