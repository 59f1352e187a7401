"""Byte sources the scanners read from, without ever loading what they read.

Two kinds, one small interface (``read``, ``peek``, ``skip``, ``tell``, ``size``):

* ``MemorySource``: a window ``[start, end)`` over a buffer: an ``mmap`` of the file, a ``bytes``
  object, or a window of another ``MemorySource`` (a stored zip member). Windows share the buffer,
  so a 1 GB checkpoint costs page cache, not heap, and skipping is free.
* ``StreamSource``: a forward-only stream out of a decompressor (zip deflate, gzip, zlib, bz2,
  xz, lz4, 7z). Every byte it yields counts against ``max_decompressed_mb``, so a compression
  bomb stops with ``ScanLimitReached`` instead of filling memory or running for ever.

Scanners that need speed (the pickle emulator) may index ``MemorySource.data`` directly between
``pos`` and ``end``; everything else uses the interface.
"""

from __future__ import annotations

import io
import mmap
import os
from typing import BinaryIO, Protocol

from .context import ScanLimitReached, ScanState

CHUNK = 1 << 20


class Source(Protocol):
    """What every scanner reads from."""

    @property
    def size(self) -> int | None: ...

    def read(self, n: int) -> bytes: ...
    def peek(self, n: int) -> bytes: ...
    def skip(self, n: int) -> int: ...
    def tell(self) -> int: ...


class MemorySource:
    """A zero-copy window over a buffer (mmap, bytes or memoryview)."""

    def __init__(self, data: bytes | bytearray | memoryview | mmap.mmap, start: int = 0,
                 end: int | None = None) -> None:
        self.data = data
        self.start = start
        self.end = len(data) if end is None else min(end, len(data))
        self.pos = start

    @property
    def size(self) -> int:
        return self.end - self.start

    def read(self, n: int) -> bytes:
        stop = min(self.pos + max(n, 0), self.end)
        chunk = bytes(self.data[self.pos:stop])
        self.pos = stop
        return chunk

    def peek(self, n: int) -> bytes:
        return bytes(self.data[self.pos:min(self.pos + n, self.end)])

    def skip(self, n: int) -> int:
        stop = min(self.pos + max(n, 0), self.end)
        skipped = stop - self.pos
        self.pos = stop
        return skipped

    def tell(self) -> int:
        return self.pos - self.start

    def seek(self, offset: int) -> None:
        """Absolute position inside the window (random access formats: zip, safetensors)."""
        self.pos = self.start + min(max(offset, 0), self.size)

    def window(self, start: int, end: int) -> MemorySource:
        """A sub-window, offsets relative to this window; clipped to it."""
        lo = self.start + max(0, min(start, self.size))
        hi = self.start + max(0, min(end, self.size))
        return MemorySource(self.data, lo, max(lo, hi))

    def bytes_at(self, start: int, length: int) -> bytes:
        lo = self.start + max(0, min(start, self.size))
        hi = min(lo + max(length, 0), self.end)
        return bytes(self.data[lo:hi])

    def fileobj(self) -> BinaryIO:
        """A read-only file object over the window (for decompressors), without copying it."""
        return io.BufferedReader(_WindowRaw(self), buffer_size=CHUNK)  # type: ignore[arg-type]


class _WindowRaw(io.RawIOBase):
    """``readinto`` straight from a ``MemorySource`` window."""

    def __init__(self, source: MemorySource) -> None:
        self._view = memoryview(source.data)[source.start:source.end]
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        n = min(len(buffer), len(self._view) - self._pos)
        buffer[:n] = self._view[self._pos:self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        self._view.release()
        super().close()


class StreamSource:
    """A forward-only, budgeted stream (decompressed data). ``size`` is ``None``: unknown."""

    size: int | None = None

    def __init__(self, stream: BinaryIO, state: ScanState, what: str,
                 counted: bool = True) -> None:
        """``counted=False``: the bytes were already counted upstream (a member of a tar that is
        itself a decompressed stream), so counting them again would halve the budget."""
        self._stream = stream
        self._state = state
        self._what = what
        self._pos = 0
        self._pending = b""
        self._counted = counted
        self._limit = state.settings.max_decompressed_mb * (1 << 20)

    def _account(self, n: int) -> None:
        if not self._counted:
            return
        self._state.decompressed_bytes += n
        if self._state.decompressed_bytes > self._limit:
            raise ScanLimitReached(
                f"{self._what}: more than max_decompressed_mb="
                f"{self._state.settings.max_decompressed_mb} MB decompressed"
            )

    def _raw_read(self, n: int) -> bytes:
        chunk = self._stream.read(n)
        self._account(len(chunk))
        return chunk

    def read(self, n: int) -> bytes:
        if n <= 0:
            return b""
        if self._pending:
            head, self._pending = self._pending[:n], self._pending[n:]
            if len(head) < n:
                head += self._raw_read(n - len(head))
        else:
            head = self._raw_read(n)
        self._pos += len(head)
        return head

    def peek(self, n: int) -> bytes:
        if len(self._pending) < n:
            self._pending += self._raw_read(n - len(self._pending))
        return self._pending[:n]

    def skip(self, n: int) -> int:
        skipped = 0
        while skipped < n:
            chunk = self.read(min(CHUNK, n - skipped))
            if not chunk:
                break
            skipped += len(chunk)
        return skipped

    def drain(self, n: int) -> int:
        """Read and drop up to ``n`` bytes without counting them against the budget.

        Only for work the caller bounds itself (verifying a zip member's CRC-32).
        """
        drained = 0
        if self._pending:
            drained = min(n, len(self._pending))
            self._pending = self._pending[drained:]
        while drained < n:
            chunk = self._stream.read(min(CHUNK, n - drained))
            if not chunk:
                break
            drained += len(chunk)
        self._pos += drained
        return drained

    def tell(self) -> int:
        return self._pos

    def unread(self, data: bytes) -> None:
        """Give back bytes read ahead (a buffered scanner stopping mid-chunk); not re-counted."""
        if data:
            self._pending = data + self._pending
            self._pos -= len(data)


def open_path(path: str | os.PathLike[str]) -> tuple[MemorySource, object | None]:
    """Map a file read-only; returns the source and the handle to close (``None`` if empty)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            return MemorySource(b""), None
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return MemorySource(mapped), mapped
