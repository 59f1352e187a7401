"""safetensors: a data-only format, so the risk is a header crafted to confuse loaders.

Layout: 8-byte little-endian header length N, N bytes of JSON (an object, optionally padded with
spaces), then the data buffer. The reference implementation requires every tensor to have a known
dtype, a shape whose size matches its byte range, and byte ranges that tile the buffer exactly
(no overlap, no hole, nothing after the last tensor). Every deviation is reported.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

from .context import ScanContext
from .source import MemorySource, Source

# dtype -> bits per element (sub-byte float formats pack several elements per byte)
DTYPE_BITS: dict[str, int] = {
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
    "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32,
    "I64": 64, "U64": 64, "F64": 64, "C64": 64,
    "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
}
METADATA_KEY = "__metadata__"
MAX_PROBLEMS_SHOWN = 20


def scan_safetensors(source: Source, ctx: ScanContext) -> None:
    """Validate the header against the file; never reads tensor data."""
    assert isinstance(source, MemorySource)
    size = source.size
    header_length = struct.unpack("<Q", source.bytes_at(0, 8))[0]
    limit = ctx.settings.max_header_mb * (1 << 20)
    if header_length > size - 8 or header_length > limit:
        ctx.add(
            "MODEL-SAFETENSORS-INVALID",
            f"declared header length {header_length} exceeds "
            + ("the file size" if header_length > size - 8 else f"max_header_mb={limit >> 20}"),
            0,
            {"header_length": header_length, "file_size": size, "max_header_bytes": limit},
        )
        ctx.note_format("safetensors", bytes=size)
        return
    raw = source.bytes_at(8, header_length)
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        ctx.add("MODEL-MALFORMED", f"safetensors header is not valid JSON: {exc}"[:300], 8)
        ctx.note_format("safetensors", bytes=size)
        return
    problems, facts = validate_header(header, size - 8 - header_length)
    if problems:
        ctx.add(
            "MODEL-SAFETENSORS-INVALID",
            f"{len(problems)} problem(s) in the header: {problems[0]}",
            8,
            {"problems": problems[:MAX_PROBLEMS_SHOWN], "count": len(problems)},
        )
    ctx.note_format("safetensors", bytes=size, header_bytes=header_length, **facts)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        raise ValueError(f"duplicate keys {duplicated[:5]}")
    return dict(pairs)


def validate_header(header: Any, buffer_size: int) -> tuple[list[str], dict[str, Any]]:
    """Problems found (empty when valid) and facts for the metrics."""
    if not isinstance(header, dict):
        return ["header is not a JSON object"], {}
    problems: list[str] = []
    metadata = header.get(METADATA_KEY)
    if metadata is not None and not (
        isinstance(metadata, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    ):
        problems.append("__metadata__ must map strings to strings")
    ranges: list[tuple[int, int, str]] = []
    dtypes: dict[str, int] = {}
    for name, info in header.items():
        if name == METADATA_KEY:
            continue
        problem = _check_tensor(name, info, buffer_size, ranges)
        if problem:
            problems.append(problem)
        elif isinstance(info, dict):
            dtypes[info["dtype"]] = dtypes.get(info["dtype"], 0) + 1
    problems.extend(_check_tiling(ranges, buffer_size))
    facts = {"tensors": len(header) - (METADATA_KEY in header), "dtypes": dict(sorted(
        dtypes.items()))}
    return problems, facts


def _check_tensor(name: str, info: Any, buffer_size: int,
                  ranges: list[tuple[int, int, str]]) -> str | None:
    if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
        return f"{name!r}: entry must have exactly dtype, shape and data_offsets"
    dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    if dtype not in DTYPE_BITS:
        return f"{name!r}: unknown dtype {dtype!r}"
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        return f"{name!r}: shape {shape!r} is not a list of non-negative integers"
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))):
        return f"{name!r}: data_offsets {offsets!r} is not [begin, end]"
    begin, end = offsets
    if begin > end or end > buffer_size:
        return f"{name!r}: byte range [{begin}, {end}] is outside the {buffer_size}-byte buffer"
    bits = math.prod(shape) * DTYPE_BITS[dtype]
    if bits % 8 or bits // 8 != end - begin:
        return (f"{name!r}: shape {shape} of {dtype} needs {bits / 8:g} bytes, the range holds "
                f"{end - begin}")
    ranges.append((begin, end, name))
    return None


def _check_tiling(ranges: list[tuple[int, int, str]], buffer_size: int) -> list[str]:
    """Ranges must cover the buffer exactly: no overlap, no hole, no trailing bytes."""
    problems: list[str] = []
    position = 0
    previous = None
    for begin, end, name in sorted(ranges):
        if begin < position:
            problems.append(f"{name!r} overlaps {previous!r}")
        elif begin > position:
            problems.append(f"{begin - position} unused bytes before {name!r}")
        position = max(position, end)
        previous = name
    if position < buffer_size:
        problems.append(f"{buffer_size - position} trailing bytes after the last tensor")
    return problems


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
