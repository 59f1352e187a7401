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
                    ctx.add("MODEL-UNSUPPORTED", "7z archive is encrypted; its members cannot "
                            "be inspected")
                    ctx.note_format("7z", bytes=source.size, encrypted=True)
                    return
                names = [info.filename for info in archive.list() if not info.is_directory]
                archive.extract(factory=_Factory())
        except ScanLimitReached:
            raise
        except Exception as exc:  # py7zr raises many types on damaged archives
            if any(spool.over_budget for spool in spools.values()):
                raise ScanLimitReached("7z: max_decompressed_mb reached") from None
            ctx.add("MODEL-MALFORMED", f"7z archive does not decode: {one_line(exc)}")
            names = list(spools)
        for name in names:
            spool = spools.get(name)
            if spool is None:
                continue
            _scan_spool(ctx, name, spool, scan_member)
        ctx.note_format("7z", bytes=source.size, members=len(names))
    finally:
        for spool in spools.values():
            spool.file.close()


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
