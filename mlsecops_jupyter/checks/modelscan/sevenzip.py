"""7z archives: a published way to hide a pickle from scanners that only know zip.

py7zr (imported only when a 7z file is seen) decodes the archive; each member is written to an
anonymous temporary file (memory stays bounded), counted against ``max_decompressed_mb`` while it
is written, and then scanned by content like any other member.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import tempfile
from typing import Any

from .archive_names import report_links, report_traversal
from .context import ScanContext, ScanLimitReached
from .source import MemorySource, Source


class _SeekableWindow(io.RawIOBase):
    """A seekable read-only file over a ``MemorySource`` window (py7zr seeks), without a copy."""

    def __init__(self, source: MemorySource) -> None:
        super().__init__()
        self._source = source
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._source.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        chunk = self._source.bytes_at(self._pos, len(buffer))
        buffer[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


class _BudgetedSpool:
    """Receives one member from py7zr into a temporary file, within the decompression budget."""

    def __init__(self, ctx: ScanContext) -> None:
        self._ctx = ctx
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by scan_7z
        self.written = 0
        self.over_budget = False

    def write(self, data: bytes | bytearray) -> int:
        state = self._ctx.state
        state.decompressed_bytes += len(data)
        if state.decompressed_bytes > state.settings.max_decompressed_mb * (1 << 20):
            self.over_budget = True
            raise ScanLimitReached(
                f"7z: more than max_decompressed_mb={state.settings.max_decompressed_mb} MB "
                "decompressed"
            )
        self.written += len(data)
        return self.file.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.file.seek(offset, whence)

    def flush(self) -> None:
        self.file.flush()


def scan_7z(source: Source, ctx: ScanContext) -> None:
    """Decode every member into bounded spools, then scan each by content."""
    import py7zr
    from py7zr.io import Py7zIO, WriterFactory

    from .dispatch import one_line, scan_member

    assert isinstance(source, MemorySource)
    spools: dict[str, _BudgetedSpool] = {}
    links: dict[str, str] = {}  # placeholder -> stored name of each symbolic link
    names: dict[str, str] = {}  # placeholder -> stored name of each member

    class _Writer(Py7zIO):  # adapter: py7zr's writer interface onto a budgeted spool
        def __init__(self, spool: _BudgetedSpool) -> None:
            self.spool = spool

        def write(self, s: bytes | bytearray) -> int:
            return self.spool.write(s)

        def read(self, size: int | None = None) -> bytes:
            return b""

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.spool.seek(offset, whence)

        def flush(self) -> None:
            self.spool.flush()

        def size(self) -> int:
            return self.spool.written

    class _Factory(WriterFactory):
        def create(self, filename: str) -> Py7zIO:
            if len(spools) >= ctx.settings.max_members:
                raise ScanLimitReached(f"7z has more than max_members={ctx.settings.max_members}")
            spool = spools.setdefault(filename, _BudgetedSpool(ctx))
            return _Writer(spool)

    try:
        try:
            with py7zr.SevenZipFile(_SeekableWindow(source), mode="r") as archive:  # type: ignore[arg-type]
                if archive.needs_password():
                    from .zipscan import report_encrypted

                    report_encrypted(ctx, "7z", None)
                    ctx.note_format("7z", bytes=source.size, encrypted=True)
                    return
                names = _neutral_names(archive, links)
                archive.extract(factory=_Factory())
        except ScanLimitReached:
            raise
        except Exception as exc:  # py7zr raises many types on damaged archives
            if any(spool.over_budget for spool in spools.values()):
                raise ScanLimitReached("7z: max_decompressed_mb reached") from None
            ctx.add("MODEL-MALFORMED", f"7z archive does not decode: {one_line(exc)}")
            names = names or {placeholder: placeholder for placeholder in spools}
        targets: dict[str, str] = {}
        for placeholder, name in names.items():
            spool = spools.get(placeholder)
            if spool is None:
                continue
            if placeholder in links:
                spool.file.seek(0)
                targets[name] = spool.file.read(4096).decode("utf-8", "replace")
            _scan_spool(ctx, name, spool, scan_member)
        report_traversal(ctx, "7z", names.values())
        report_links(ctx, "7z", targets)
        ctx.note_format("7z", bytes=source.size, members=len(names))
    finally:
        for spool in spools.values():
            spool.file.close()


def _neutral_names(archive: Any, links: dict[str, str]) -> dict[str, str]:
    """Give every member a neutral placeholder name before extraction; placeholder -> name.

    py7zr refuses to hand out a member whose name is absolute or holds '..' (the very members
    an attacker plants), and renames duplicates; extracting under placeholders gets every
    member's bytes, and findings still name the member as stored.
    """
    names: dict[str, str] = {}
    for index, info in enumerate(archive.files):
        if info.is_directory:
            continue
        placeholder = f"member-{index}"
        names[placeholder] = info.filename
        if info.is_symlink:
            links[placeholder] = info.filename
        info._file_info["filename"] = placeholder  # noqa: SLF001 - py7zr has no rename API
    return names


def _scan_spool(ctx: ScanContext, name: str, spool: _BudgetedSpool, scan_member: Any) -> None:
    spool.file.flush()
    if spool.written == 0:
        scan_member(ctx, name, lambda: MemorySource(b""))
        return
    mapped = mmap.mmap(spool.file.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        scan_member(ctx, name, lambda: MemorySource(mapped))
    finally:
        with contextlib.suppress(BufferError):
            mapped.close()
