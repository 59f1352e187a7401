"""PyTorch's oldest checkpoints: a tar of ``sys_info``, ``pickle``, ``storages`` and ``tensors``.

``torch.save`` wrote it before 0.4, and ``torch.load(weights_only=False)`` still reads it (it
refuses ``weights_only=True``, so every load of such a file runs full pickle). ``torch.load``
extracts the members by name and unpickles, in this order:

- ``storages``: a count, then per storage a pickle ``(key, location, storage_type)`` followed by
  raw storage bytes (an 8-byte element count, then the elements), then a pickle of views;
- ``tensors``: a count, then per tensor a pickle ``(key, storage_id, tensor_type)`` followed by
  raw shape bytes (``ndim`` as 4 bytes, 4 unused, sizes and strides as 8 bytes each, an 8-byte
  offset);
- ``pickle``: the saved object.

So the pickles of ``storages`` and ``tensors`` sit between raw bytes: a scan of those members
as one pickle stream would stop at the first storage and miss a payload in the second's
``(key, location, storage_type)``. Here each member is read the way ``torch.load`` reads it,
every pickle it would unpickle is emulated, and the raw bytes are stepped over by their
declared sizes (never parsed as opcodes). Other members (``sys_info``, anything added) are
scanned by content like any archive member.
"""

from __future__ import annotations

import struct
from typing import Any

from .context import ScanContext, ScanLimitReached
from .source import MemorySource

ROLES = ("storages", "tensors", "pickle")

# element sizes of the storage classes a legacy checkpoint names (``storage_type._dtype``)
ELEMENT_SIZES = {
    "DoubleStorage": 8, "FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2,
    "LongStorage": 8, "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1,
    "BoolStorage": 1, "ComplexDoubleStorage": 16, "ComplexFloatStorage": 8, "QInt8Storage": 1,
    "QUInt8Storage": 1, "QInt32Storage": 4, "QUInt4x2Storage": 1, "QUInt2x4Storage": 1,
}
_STORAGE_MODULES = ("torch", "torch.cuda")
MAX_NDIM = 1024


def is_legacy_torch_tar(source: Any, head: bytes) -> bool:
    """A tar on disk (or in memory) holding the three members ``torch.load`` extracts.

    Any tar header counts, the magic-less v7 one too: ``torch.load`` reads with ``tarfile``,
    which accepts them all.
    """
    from .sniff import is_tar_header

    if not isinstance(source, MemorySource) or not is_tar_header(head):
        return False
    members = _members(source, limit=None)
    return members is not None and set(ROLES) <= {m.name for m in members if m.isfile()}


def _members(source: MemorySource, limit: int | None) -> list[Any] | None:
    """The tar's entries (headers only, nothing extracted), or ``None`` if it does not parse."""
    import io
    import tarfile

    from .sevenzip import _SeekableWindow

    members = []
    fileobj = io.BufferedReader(_SeekableWindow(source))  # type: ignore[arg-type]
    try:
        with tarfile.open(fileobj=fileobj, mode="r:") as archive:
            for member in archive:
                members.append(member)
                if limit is not None and len(members) > limit:
                    raise ScanLimitReached(f"tar has more than max_members={limit} entries")
    except tarfile.TarError:
        return None
    return members


def scan_legacy_torch_tar(source: MemorySource, ctx: ScanContext) -> None:
    """Scan each member as ``torch.load`` reads it; the rest by content."""
    from .dispatch import note_pickles, scan_member

    start = source.tell()
    members = _members(source, ctx.settings.max_members) or []
    results: list[Any] = []
    raw_bytes = 0
    for member in members:
        if not member.isfile():
            if not member.isdir():
                ctx.skip(f"tar entry {member.name!r}", "not a regular file (link or special)")
            continue
        if member.issparse():
            ctx.child(member.name).incomplete("sparse tar member: its content was not scanned")
            continue
        lo = member.offset_data
        window = source.window(lo, lo + member.size)
        if member.name in ROLES:
            child = ctx.child(member.name)
            found, raw = _scan_role(member.name, window, child)
            results += found
            raw_bytes += raw
        else:
            scan_member(ctx, member.name, lambda window=window: window)  # type: ignore[misc]
    source.seek(source.size)
    note_pickles(ctx, "pytorch-legacy-tar", results, source.tell() - start,
                 members=len(members), storage_bytes=raw_bytes)


def _scan_role(role: str, window: MemorySource, ctx: ScanContext) -> tuple[list[Any], int]:
    """The pickles of one member in ``torch.load``'s order; returns them and the raw bytes."""
    from .pickle_scan import scan_pickle, scan_pickle_stream

    if role == "pickle":
        return scan_pickle_stream(window, ctx), 0
    results: list[Any] = []
    count = _count(window, ctx, results)
    raw = 0
    if count is not None:
        for index in range(count):
            if window.tell() >= window.size:
                ctx.add("MODEL-MALFORMED", f"{role} member ends after {index} of the {count} "
                        "entries it declares", window.tell())
                return results, raw
            result = scan_pickle(window, ctx)
            results.append(result)
            if not result.ok:
                return results, raw
            step = (_storage_bytes(result, window, ctx) if role == "storages"
                    else _tensor_bytes(window, ctx))
            if step is None:
                return results, raw
            raw += step
        if role == "storages" and window.tell() < window.size:
            results.append(scan_pickle(window, ctx))  # the storage views
    if window.tell() < window.size:
        ctx.skip(f"{window.size - window.tell()} bytes at byte {window.tell()}",
                 "after what torch.load reads from this member")
    return results, raw


def _count(window: MemorySource, ctx: ScanContext, results: list[Any]) -> int | None:
    """The leading count pickle; ``None`` (scan incomplete) when it is not a plain integer."""
    from .pickle_scan import scan_pickle

    start = window.tell()
    result = scan_pickle(window, ctx)
    results.append(result)
    if not result.ok:
        return None
    value = small_int(window.bytes_at(start, window.tell() - start))
    if value is None or value < 0:
        ctx.incomplete("the entry count of a legacy torch tar member is not a plain integer "
                       "pickle: the pickles after it were not located", {"at": start})
        return None
    return value


def small_int(data: bytes) -> int | None:
    """The value of a pickle that holds only an integer (as ``torch.save`` writes a count)."""
    if data[:1] == b"\x80":
        data = data[2:]
    if data[:1] == b"\x95":
        data = data[9:]
    if len(data) < 2 or data[-1:] != b".":
        return None
    op, body = data[0], data[1:-1]
    fixed = {0x4B: ("<B", 1), 0x4D: ("<H", 2), 0x4A: ("<i", 4)}
    if op in fixed:
        fmt, width = fixed[op]
        return int(struct.unpack(fmt, body)[0]) if len(body) == width else None
    if op == 0x8A and body and len(body) == body[0] + 1:
        return int.from_bytes(body[1:], "little", signed=True)
    if op in (0x49, 0x4C) and body.endswith(b"\n"):  # INT / LONG text lines
        text = body[:-1].rstrip(b"L")
        return int(text) if text.lstrip(b"-").isdigit() else None
    return None


def _storage_bytes(result: Any, window: MemorySource, ctx: ScanContext) -> int | None:
    """Step over one storage's raw bytes (element count, then elements)."""
    sizes = {ELEMENT_SIZES[name] for module, name in result.globals
             if module in _STORAGE_MODULES and name in ELEMENT_SIZES}
    if len(sizes) != 1:
        ctx.incomplete("a storage entry of a legacy torch tar names no single torch storage "
                       "class, so its raw size is unknown: the pickles after it were not "
                       "located", {"at": window.tell()})
        return None
    head = window.read(8)
    numel = struct.unpack("<q", head)[0] if len(head) == 8 else -1
    length = numel * sizes.pop()
    if numel < 0 or length > window.size - window.tell():
        ctx.add("MODEL-MALFORMED", "a storage of a legacy torch tar declares more bytes than "
                "its member holds", window.tell())
        return None
    window.skip(length)
    return 8 + length


def _tensor_bytes(window: MemorySource, ctx: ScanContext) -> int | None:
    """Step over one tensor's raw shape: ndim, 4 unused bytes, sizes, strides, offset."""
    head = window.read(8)
    ndim = struct.unpack("<i", head[:4])[0] if len(head) == 8 else -1
    length = 16 * ndim + 8
    if not 0 <= ndim <= MAX_NDIM or length > window.size - window.tell():
        ctx.add("MODEL-MALFORMED", "a tensor of a legacy torch tar declares a shape its member "
                "does not hold", window.tell())
        return None
    window.skip(length)
    return 8 + length
