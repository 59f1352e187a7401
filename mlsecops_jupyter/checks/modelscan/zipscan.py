"""A zip reader that trusts neither the central directory nor the local headers alone.

Loaders and scanners disagree about zips: ``zipfile`` returns the LAST entry of a duplicated name,
PyTorch's reader the FIRST; CRC errors make ``zipfile`` give up on a member that other loaders
read happily; entries that appear only in local headers are invisible to ``zipfile``. So this
reader parses the central directory AND walks the chain of local headers, scans every entry
found either way, and reports every disagreement as MODEL-ARCHIVE-ANOMALY.

Which kind of zip it is (PyTorch checkpoint, TorchScript, Keras, .npz, or any other) decides
how the members are treated; see ``classify``.
"""

from __future__ import annotations

import lzma
import posixpath
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...core.progress import task
from ...core.severity import Severity
from .context import ScanContext, ScanLimitReached
from .source import CHUNK, MemorySource, Source, StreamSource

LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
END_SIG = b"PK\x05\x06"
ZIP64_END_SIG = b"PK\x06\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
DESCRIPTOR_SIG = b"PK\x07\x08"

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<4sHHHHIIH")
ZIP64_END = struct.Struct("<4sQHHIIQQQQ")
ZIP64_LOCATOR = struct.Struct("<4sIQI")

MAX_COMMENT = 0xFFFF
STORED, DEFLATED, BZIP2, LZMA = 0, 8, 12, 14
# flag bits a normal writer sets: deflate options (1, 2), data descriptor (3), UTF-8 names (11)
NORMAL_FLAG_BITS = 0b0000_1000_0000_1110
ENCRYPTED_FLAG_BITS = 0b0010_0000_0100_0001  # traditional, strong, masked central directory
# CRCs of members up to this size are verified (the scanned members of a model are small), up
# to CRC_VERIFY_TOTAL bytes per file; that work is apart from max_decompressed_mb, so checking
# CRCs (a mismatch is an anomaly; the content is scanned either way) never stops a scan
CRC_VERIFY_LIMIT = 64 << 20
CRC_VERIFY_TOTAL = 1 << 30

ANOMALIES: dict[str, str] = {
    "duplicate-name": "several entries share a name; loaders pick different ones "
                      "(PyTorch the first, zipfile the last)",
    "name-mismatch": "central directory and local header name an entry differently",
    "local-only": "entries exist only as local headers, invisible to central-directory readers",
    "missing-local-header": "central directory entries point to no valid local header",
    "crc-mismatch": "stored CRC-32 does not match the content (strict readers refuse the entry)",
    "encrypted": "entries flagged as encrypted (loaders that ignore the flag, like PyTorch's, "
                 "read them as plain data; they were scanned as such)",
    "flag-bits": "unusual general-purpose flag bits",
    "header-mismatch": "central directory and local header disagree on method or sizes",
    "overlap": "entries overlap or share their data",
    "descriptor-mismatch": "data descriptor disagrees with the headers on CRC or size",
    "unsafe-name": "entry names with '..', absolute paths, NUL bytes or backslashes",
    "prepended-data": "data before the first entry",
}


@dataclass
class EndOfCentralDirectory:
    """Where the central directory is, corrected for data prepended to the archive."""

    offset: int
    central_offset: int
    central_size: int
    entries: int
    archive_start: int
    zip64: bool


@dataclass(slots=True)
class ZipEntry:
    """One entry as found in the central directory, the local headers, or both."""

    header_offset: int
    name: str = ""
    central_name: str | None = None
    local_name: str | None = None
    raw_name: bytes = b""
    method: int = STORED
    flags: int = 0
    crc: int = 0
    compressed_size: int = 0
    size: int = 0
    data_start: int = 0
    in_central: bool = False
    in_local_chain: bool = False
    local_compressed_size: int = 0
    made_by: int = 0
    external_attr: int = 0

    @property
    def is_symlink(self) -> bool:
        """A Unix symbolic link (its content is the target), as Info-ZIP and zipfile store it."""
        return self.made_by >> 8 == 3 and stat.S_ISLNK(self.external_attr >> 16)

    @property
    def data_end(self) -> int:
        return self.data_start + self.compressed_size


class ZipReader:
    """Collects the entries of a zip held in a ``MemorySource`` and the anomalies seen."""

    def __init__(self, source: MemorySource, ctx: ScanContext) -> None:
        self.source = source
        self.ctx = ctx
        self.end = find_end_of_central_directory(source)
        self.entries: dict[int, ZipEntry] = {}
        self.anomalies: dict[str, list[Any]] = {}
        self.crc_unverified = 0

    def crc_budget(self, size: int) -> bool:
        """Whether a member's CRC of ``size`` bytes is still verified (see CRC_VERIFY_TOTAL)."""
        state = self.ctx.state
        if state.crc_verified_bytes + size > CRC_VERIFY_TOTAL:
            self.crc_unverified += 1
            return False
        state.crc_verified_bytes += size
        return True

    def flag(self, kind: str, what: Any) -> None:
        self.anomalies.setdefault(kind, []).append(what)

    def read(self) -> list[ZipEntry]:
        """Every entry, in archive order; anomalies are collected in ``self.anomalies``."""
        start = self.end.archive_start if self.end else 0
        if self.end is not None:
            self._read_central_directory(self.end)
        self._walk_local_headers(start)
        entries = sorted(self.entries.values(), key=lambda e: e.header_offset)
        self._check_consistency(entries, start)
        return entries

    # -- central directory -------------------------------------------------------------------
    def _read_central_directory(self, end: EndOfCentralDirectory) -> None:
        start = end.central_offset
        stop = min(end.central_offset + end.central_size, end.offset)
        directory = self.source.bytes_at(start, stop - start)  # one read, parsed in memory
        pos = 0
        size = len(directory)
        while pos + CENTRAL_HEADER.size <= size and directory.startswith(CENTRAL_SIG, pos):
            (_, made_by, _, flags, method, _, _, crc, csize, usize, name_len, extra_len,
             comment_len, _, _, external_attr, offset) = CENTRAL_HEADER.unpack_from(directory, pos)
            name_at = pos + CENTRAL_HEADER.size
            raw_name = directory[name_at:name_at + name_len]
            if extra_len:
                extra = directory[name_at + name_len:name_at + name_len + extra_len]
                usize, csize, offset = _zip64_sizes(extra, usize, csize, offset)
            self._count_member()
            header_offset = offset + end.archive_start
            entry = self.entries.get(header_offset)
            if entry is not None and entry.in_central:
                self.flag("overlap", f"{_decode(raw_name, flags)} shares the local header of "
                                     f"{entry.name}")
            else:
                entry = self._read_local_header(header_offset)
                if entry is None:
                    self.flag("missing-local-header", _decode(raw_name, flags))
                else:
                    self.entries[header_offset] = entry
            if entry is not None and not entry.in_central:
                entry.in_central = True
                entry.central_name = _decode(raw_name, flags)
                entry.raw_name = raw_name
                entry.name = entry.central_name
                if (method, csize) != (entry.method, entry.compressed_size) and not (
                    entry.flags & 0x08 and entry.compressed_size == 0
                ):
                    self.flag("header-mismatch", entry.name)
                entry.method, entry.flags, entry.crc = method, flags, crc
                entry.compressed_size, entry.size = csize, usize
                entry.made_by, entry.external_attr = made_by, external_attr
            pos += CENTRAL_HEADER.size + name_len + extra_len + comment_len
        if pos < size:
            self.flag("missing-local-header",
                      f"central directory is damaged at byte {start + pos}")

    # -- local headers -----------------------------------------------------------------------
    def _read_local_header(self, offset: int) -> ZipEntry | None:
        if offset < 0:
            return None
        header = self.source.bytes_at(offset, LOCAL_HEADER.size)
        if len(header) < LOCAL_HEADER.size or not header.startswith(LOCAL_SIG):
            return None
        (_, _, flags, method, _, _, crc, csize, usize, name_len, extra_len) = LOCAL_HEADER.unpack(
            header
        )
        rest = self.source.bytes_at(offset + LOCAL_HEADER.size, name_len + extra_len)
        raw_name = rest[:name_len]
        if extra_len:
            usize, csize, _ = _zip64_sizes(rest[name_len:], usize, csize, 0)
        name = _decode(raw_name, flags)
        return ZipEntry(
            header_offset=offset, name=name, local_name=name, raw_name=raw_name, method=method,
            flags=flags, crc=crc, compressed_size=csize, size=usize, local_compressed_size=csize,
            data_start=offset + LOCAL_HEADER.size + name_len + extra_len,
        )

    def _walk_local_headers(self, start: int) -> None:
        """Follow local header to local header from the start, as streaming readers do.

        When the central directory and the local header disagree on an entry's size, both
        continuations are followed, so a size edited in one place cannot skip a hidden entry.
        """
        pending = [start]
        visited: set[int] = set()
        while pending:
            pos = pending.pop()
            if pos in visited or self.source.bytes_at(pos, 4) != LOCAL_SIG:
                continue
            visited.add(pos)
            entry = self.entries.get(pos)
            if entry is None:
                entry = self._read_local_header(pos)
                if entry is None:
                    continue
                self._count_member()
                unknown_size = entry.flags & 0x08 and entry.compressed_size == 0
                if unknown_size and not (
                    entry.method == DEFLATED and self._measure_deflate(entry)
                ):
                    self.entries[pos] = entry
                    entry.in_local_chain = True
                    continue  # no size to follow: the rest is reachable only via the directory
                self.entries[pos] = entry
            entry.in_local_chain = True
            pending.append(self._after_data(entry))
            if entry.local_compressed_size not in (entry.compressed_size, 0):
                pending.append(entry.data_start + entry.local_compressed_size)

    def _measure_deflate(self, entry: ZipEntry) -> bool:
        """A local-only entry with a data descriptor: find its end by inflating it (budgeted)."""
        inflater = zlib.decompressobj(-15)
        pos = entry.data_start
        produced = 0
        while not inflater.eof:
            chunk = self.source.bytes_at(pos, CHUNK)
            if not chunk:
                return False
            try:
                produced += len(inflater.decompress(chunk, CHUNK))
                while inflater.unconsumed_tail and not inflater.eof:
                    produced += len(inflater.decompress(inflater.unconsumed_tail, CHUNK))
                    self._account(CHUNK)
            except zlib.error:
                return False
            self._account(CHUNK)
            pos += len(chunk) - len(inflater.unused_data) - len(inflater.unconsumed_tail)
        entry.compressed_size = pos - entry.data_start
        entry.size = produced
        return True

    def _after_data(self, entry: ZipEntry) -> int:
        """Offset after an entry's data and its optional data descriptor (checked if present)."""
        pos = entry.data_end
        if entry.flags & 0x08:
            if self.source.bytes_at(pos, 4) == DESCRIPTOR_SIG:
                pos += 4
            zip64 = entry.size >= 0xFFFFFFFF or entry.compressed_size >= 0xFFFFFFFF
            layout = "<IQQ" if zip64 else "<III"
            descriptor = self.source.bytes_at(pos, struct.calcsize(layout))
            if len(descriptor) == struct.calcsize(layout):
                crc, csize, _ = struct.unpack(layout, descriptor)
                if (crc, csize) != (entry.crc, entry.compressed_size):
                    self.flag("descriptor-mismatch", {"member": entry.name,
                                                      "descriptor_crc": f"{crc:08x}",
                                                      "descriptor_size": csize})
            pos += struct.calcsize(layout)
        return pos

    def _count_member(self) -> None:
        if len(self.entries) >= self.ctx.settings.max_members:
            raise ScanLimitReached(
                f"zip has more than max_members={self.ctx.settings.max_members} entries"
            )

    def _account(self, n: int) -> None:
        state = self.ctx.state
        state.decompressed_bytes += n
        if state.decompressed_bytes > state.settings.max_decompressed_mb * (1 << 20):
            raise ScanLimitReached(
                f"more than max_decompressed_mb={state.settings.max_decompressed_mb} MB "
                "decompressed"
            )

    # -- cross-checks ------------------------------------------------------------------------
    def _check_consistency(self, entries: list[ZipEntry], start: int) -> None:
        seen: dict[str, int] = {}
        previous: ZipEntry | None = None
        for entry in entries:
            if entry.central_name is not None and entry.local_name is not None and (
                entry.central_name != entry.local_name
            ):
                self.flag("name-mismatch", {"central": entry.central_name,
                                            "local": entry.local_name})
            if not entry.in_central and self.end is not None:
                self.flag("local-only", entry.name)
            seen[entry.name] = seen.get(entry.name, 0) + 1
            for name in {entry.name, entry.local_name or entry.name}:
                if _unsafe_name(name):
                    self.flag("unsafe-name", name)
            if entry.flags & ENCRYPTED_FLAG_BITS:
                self.flag("encrypted", entry.name)
            elif entry.flags & ~NORMAL_FLAG_BITS:
                self.flag("flag-bits", {"member": entry.name, "flags": hex(entry.flags)})
            if previous is not None and entry.header_offset < previous.data_end:
                self.flag("overlap", {"member": entry.name, "overlaps": previous.name})
            previous = entry
        for name, count in seen.items():
            if count > 1:
                self.flag("duplicate-name", {"name": name, "entries": count})
        if start > 0:
            self.flag("prepended-data", {"bytes": start})


def find_end_of_central_directory(source: MemorySource) -> EndOfCentralDirectory | None:
    """The last plausible end-of-central-directory record, zip64 aware, or ``None``."""
    size = source.size
    tail_start = max(0, size - MAX_COMMENT - END_RECORD.size)
    tail = source.bytes_at(tail_start, size - tail_start)
    search_end = len(tail)
    while True:
        index = tail.rfind(END_SIG, 0, search_end)
        if index < 0:
            return None
        found = _parse_end_record(source, tail_start + index)
        if found is not None:
            return found
        search_end = index


def _parse_end_record(source: MemorySource, offset: int) -> EndOfCentralDirectory | None:
    record = source.bytes_at(offset, END_RECORD.size)
    if len(record) < END_RECORD.size:
        return None
    _, _, _, _, entries, central_size, central_offset, _ = END_RECORD.unpack(record)
    zip64 = False
    anchor = offset
    locator = source.bytes_at(offset - ZIP64_LOCATOR.size, ZIP64_LOCATOR.size)
    if offset >= ZIP64_LOCATOR.size and locator[:4] == ZIP64_LOCATOR_SIG:
        _, _, zip64_offset, _ = ZIP64_LOCATOR.unpack(locator)
        zip64_at = offset - ZIP64_LOCATOR.size - ZIP64_END.size
        block = source.bytes_at(zip64_at, ZIP64_END.size)
        if len(block) == ZIP64_END.size and block[:4] == ZIP64_END_SIG:
            (_, _, _, _, _, _, _, entries, central_size, central_offset) = ZIP64_END.unpack(block)
            zip64 = True
            anchor = zip64_at
    archive_start = anchor - central_size - central_offset
    if archive_start < 0 or central_size > anchor:
        return None
    first = source.bytes_at(anchor - central_size, 4)
    if entries and first != CENTRAL_SIG:
        return None
    return EndOfCentralDirectory(
        offset=offset,
        central_offset=anchor - central_size,
        central_size=central_size,
        entries=entries,
        archive_start=archive_start,
        zip64=zip64,
    )


def _zip64_sizes(extra: bytes, usize: int, csize: int, offset: int) -> tuple[int, int, int]:
    """Apply the ZIP64 extra field (id 1): 8-byte values for the fields saturated at 0xFFFFFFFF."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + length]
        if tag == 1:
            values = [struct.unpack_from("<Q", body, i)[0] for i in range(0, len(body) - 7, 8)]
            if usize == 0xFFFFFFFF and values:
                usize = values.pop(0)
            if csize == 0xFFFFFFFF and values:
                csize = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        pos += 4 + length
    return usize, csize, offset


def _decode(raw: bytes, flags: int) -> str:
    if flags & 0x800:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")


def _unsafe_name(name: str) -> bool:
    return (
        "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in posixpath.normpath(name).split("/")
        or ".." in name.split("/")
    )


# -- reading members -------------------------------------------------------------------------
def open_member(reader: ZipReader, entry: ZipEntry) -> tuple[Source, Callable[[], str | None]]:
    """A source over the entry's content and a function that verifies its CRC afterwards.

    Stored entries are zero-copy windows of the archive; compressed ones budgeted streams.
    """
    source = reader.source
    window = source.window(entry.data_start, entry.data_end)
    if entry.method == STORED:
        def verify_stored() -> str | None:
            if window.size > CRC_VERIFY_LIMIT or not reader.crc_budget(window.size):
                return None
            actual = zlib.crc32(memoryview(window.data)[window.start:window.end])
            return None if actual == entry.crc else f"{actual:08x} != stored {entry.crc:08x}"

        return window, verify_stored
    from .compressed import decompressed_stream

    kind = {DEFLATED: "deflate", BZIP2: "bz2"}.get(entry.method)
    if entry.method == LZMA:
        stream = _lzma_member(window, reader.ctx, entry.name)
        return stream, lambda: None
    if kind is None:
        raise _UnsupportedMethod(entry.method)
    stream, inflater = decompressed_stream(window, reader.ctx, kind, f"zip member {entry.name}")

    def verify_compressed() -> str | None:
        if entry.size > CRC_VERIFY_LIMIT or not reader.crc_budget(entry.size):
            return None
        stream.drain(entry.size + 1)  # finish inflating what the scanner left (bounded)
        if inflater.error:
            return None
        if inflater.crc != entry.crc:
            return f"{inflater.crc:08x} != stored {entry.crc:08x}"
        return None

    return stream, verify_compressed


class _UnsupportedMethod(Exception):
    def __init__(self, method: int) -> None:
        super().__init__(f"compression method {method}")
        self.method = method


def _lzma_member(window: MemorySource, ctx: ScanContext, name: str) -> StreamSource:
    """Zip's LZMA: 2-byte version, 2-byte properties size, properties, then raw LZMA1 data."""
    import io

    header = window.bytes_at(0, 4)
    props_size = struct.unpack_from("<H", header, 2)[0] if len(header) == 4 else 0
    props = window.bytes_at(4, props_size)
    filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # type: ignore[attr-defined]
    from .compressed import LZMA_MEMLIMIT

    if filters[0].get("dict_size", 0) > LZMA_MEMLIMIT:
        raise ScanLimitReached(f"zip member {name}: LZMA dictionary larger than "
                               f"{LZMA_MEMLIMIT >> 20} MB")
    decompressor = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters)
    data = window.window(4 + props_size, window.size)

    class _Raw(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            while not decompressor.eof:
                chunk = data.read(CHUNK) if decompressor.needs_input else b""
                if not chunk and decompressor.needs_input:
                    return 0
                out = decompressor.decompress(chunk, len(buffer))
                if out:
                    buffer[:len(out)] = out
                    return len(out)
            return 0

    return StreamSource(io.BufferedReader(_Raw(), CHUNK), ctx.state,  # type: ignore[arg-type]
                        f"zip member {name}")


# -- scanning ----------------------------------------------------------------------------------
class ZipLayout:
    """How one kind of zip is scanned: which entries, any special entry, what to record.

    The generic layout scans every entry by content. PyTorch, TorchScript, Keras and NumPy
    layouts (in their format modules) refine it.
    """

    format = "zip"

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def should_scan(self, name: str) -> bool:
        return True

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        from .dispatch import scan_member

        scan_member(ctx, name, lambda: source)

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        ctx.note_format(self.format, bytes=size, members=len(entries))


INVALID = object()  # what read_json_member returns for a member it could not read


def read_json_member(name: str, source: Source, ctx: ScanContext) -> tuple[ScanContext, Any]:
    """A layout's JSON member (Keras config, skops schema): its context and document.

    Larger than ``max_header_mb`` is an incomplete scan, invalid JSON malformed; both are
    recorded and the document is ``INVALID``.
    """
    import json

    member_ctx = ctx.child(name)
    limit = ctx.settings.max_header_mb * (1 << 20)
    raw = source.read(limit + 1)
    if len(raw) > limit:
        member_ctx.incomplete(f"{name} is larger than max_header_mb={limit >> 20}")
        return member_ctx, INVALID
    try:
        return member_ctx, json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        member_ctx.add("MODEL-MALFORMED", f"{name} is not valid JSON: {exc}"[:300])
        return member_ctx, INVALID


def scan_zip(source: Source, ctx: ScanContext) -> None:
    """Scan a zip of any kind: read every entry both ways, then treat it as what it holds."""
    assert isinstance(source, MemorySource)
    reader = ZipReader(source, ctx)
    entries = reader.read()
    if not entries and reader.end is None:
        ctx.add("MODEL-MALFORMED", "zip has neither a central directory nor local headers")
        _report_anomalies(reader, ctx)
        return
    if reader.end is None:
        ctx.add("MODEL-MALFORMED", "zip has no end of central directory (truncated?); entries "
                "were found by walking their local headers")
    truncated = [e.name for e in entries if e.data_end > source.size]
    if truncated:
        ctx.add("MODEL-MALFORMED", f"{len(truncated)} entr(ies) run past the end of the file; "
                "what is present was scanned", evidence={"members": truncated[:20]})
    layout = layout_for([e.name for e in entries])
    where = f"{ctx.file}!{ctx.member}" if ctx.member else ctx.file
    with task(f"modelscan: members of {where}", total=len(entries)) as progress:
        for entry in entries:
            progress.advance()
            if layout.should_scan(entry.name):
                _scan_entry(reader, layout, entry, ctx)
    if reader.crc_unverified:
        ctx.skip(f"CRC-32 of {reader.crc_unverified} member(s)",
                 f"not verified: {CRC_VERIFY_TOTAL >> 20} MB of members were verified in this "
                 "file already (their content was scanned)")
    _report_anomalies(reader, ctx)
    from .archive_names import report_links, report_traversal  # zips only, not every pickle

    report_traversal(ctx, "zip", {n for e in entries for n in (e.name, e.local_name) if n})
    report_links(ctx, "zip", {e.name: _link_target(reader, e) for e in entries if e.is_symlink})
    layout.finish(entries, ctx, source.size)


def _link_target(reader: ZipReader, entry: ZipEntry) -> str:
    """A symlink entry's target: its (small) content, read again apart from its scan."""
    try:
        target, _ = open_member(reader, entry)
        return target.read(4096).decode("utf-8", "replace")
    except (_UnsupportedMethod, lzma.LZMAError, ValueError, struct.error):
        return "<unreadable>"


def _scan_entry(reader: ZipReader, layout: ZipLayout, entry: ZipEntry, ctx: ScanContext) -> None:
    try:
        member_source, verify = open_member(reader, entry)
    except _UnsupportedMethod as exc:
        ctx.add("MODEL-UNSUPPORTED",
                f"zip entry {entry.name!r} uses compression method {exc.method}, which the "
                "scanner cannot decompress", evidence={"member": entry.name,
                                                       "method": exc.method})
        return
    except (lzma.LZMAError, ValueError, struct.error) as exc:  # damaged method header
        ctx.add("MODEL-MALFORMED", f"zip entry {entry.name!r} cannot be opened: {exc}",
                evidence={"member": entry.name})
        return
    formats_before = len(ctx.state.formats)
    layout.scan_entry(entry.name, member_source, ctx)
    if entry.flags & ENCRYPTED_FLAG_BITS and len(ctx.state.formats) == formats_before:
        report_encrypted(ctx, "zip", entry.name)
        return  # the stored CRC is the plaintext's: comparing it with ciphertext says nothing
    problem = verify()
    if problem:
        reader.flag("crc-mismatch", {"member": entry.name, "crc": problem})


def report_encrypted(ctx: ScanContext, kind: str, name: str | None) -> None:
    """An encrypted member whose content read as nothing known: it was NOT inspected.

    A member that is only flagged as encrypted reads as plain data (and is scanned as such);
    one that really is encrypted cannot be read without its password, so whatever it holds
    (a pickle to load once unpacked) is unknown. Medium: not a pass, not proof of a payload.
    """
    what = f"{kind} member {name!r} is encrypted" if name else f"{kind} archive is encrypted"
    ctx.add("MODEL-UNSUPPORTED",
            f"{what}: its content cannot be read without the password and was not inspected; "
            "scan the unpacked files before loading them",
            evidence={"member": name, "encrypted": True}, severity=Severity.MEDIUM,
            title="Encrypted archive content cannot be inspected")


# (module, class) of each specialised layout, tried in order; the first that claims the names wins
LAYOUTS: tuple[tuple[str, str], ...] = (
    ("torch_scan", "TorchScriptLayout"),
    ("torch_scan", "TorchZipLayout"),
    ("keras_scan", "KerasLayout"),
    ("skops_scan", "SkopsLayout"),
    ("numpy_scan", "NpzLayout"),
)


def layout_for(names: list[str]) -> ZipLayout:
    """The layout whose loader would recognise these member names, else the generic one."""
    import importlib

    for module_name, class_name in LAYOUTS:
        module = importlib.import_module(f"{__package__}.{module_name}")
        layout_class = getattr(module, class_name)
        if layout_class.claims(names):
            return layout_class(names)  # type: ignore[no-any-return]
    return ZipLayout(names)


def _report_anomalies(reader: ZipReader, ctx: ScanContext) -> None:
    for kind, items in reader.anomalies.items():
        ctx.add(
            "MODEL-ARCHIVE-ANOMALY",
            f"{ANOMALIES[kind]} ({len(items)}); every entry found either way was scanned",
            evidence={"anomaly": kind, "count": len(items), "items": items[:20]},
        )
