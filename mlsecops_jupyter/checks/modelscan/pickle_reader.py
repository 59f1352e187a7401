"""Opcode reading: a local byte buffer over a source, for the pickle emulator's hot loop.

The emulator indexes ``Reader.buf`` directly between ``pos`` and ``soft``; the reader keeps that
window valid. For an in-memory source (a mapped file, a stored zip member) the buffer is the
whole mapping and nothing is copied; for a stream (decompressed data) it is refilled in ``CHUNK``
pieces. Declared lengths are never trusted: ``ensure`` and ``skip`` check them against what is
there, and ``PickleError`` says where the stream ends.
"""

from __future__ import annotations

import mmap
import sys
from typing import Any

from .pickle_frames import MARGIN
from .source import MemorySource

CHUNK = 1 << 20
MAX_LINE = 1 << 26


class PickleError(Exception):
    """The stream cannot be unpickled past this point (the real unpickler would fail too)."""



class Reader:
    """A local buffer over the source: the whole mapping for memory, ~1 MB chunks for streams.

    ``rel_origin + pos`` is the offset relative to the source's start. ``soft`` is where the hot
    loop must call ``refill`` (a checkpoint every ``CHUNK`` bytes, and before the last 16 bytes so
    fixed-size arguments never need a bounds check).
    """

    def __init__(self, source: Any) -> None:
        self.source = source
        # framing as a file-object unpickler sees it (see pickle_frames), offsets as ``tell()``:
        # where the frame buffer being read ends (-1: none), where its data starts, from where
        # on a FRAME starts a new buffer, and the reads found crossing a frame end
        self.frame_end = -1
        self.frame_start = 0
        self.frames_from = 0
        self.cuts: list[tuple[str, int, int]] = []
        data = getattr(source, "data", None)
        self.memory = isinstance(source, MemorySource) and isinstance(data, (bytes, mmap.mmap))
        if self.memory:
            self.buf: Any = data
            self.pos = source.pos
            self.limit = source.end
            self.rel_origin = -source.start
            self.eof = True
            self._set_soft()
        else:
            self.buf = b""
            self.pos = 0
            self.limit = 0
            self.rel_origin = source.tell()
            self.eof = False
            self.soft = -1

    def tell(self) -> int:
        return self.rel_origin + self.pos

    def watch(self) -> int:
        """Buffer position from which the loop checks the frame end (``sys.maxsize``: none)."""
        if self.frame_end < 0:
            return sys.maxsize
        return self.frame_end - MARGIN - self.rel_origin

    def _set_soft(self) -> None:
        if self.limit - self.pos > 16:
            self.soft = min(self.pos + CHUNK, self.limit - 16, self.watch())
        else:  # tail: a private copy, so every read past the end fails on its own
            self.buf = bytes(self.buf[self.pos:self.limit])
            self.rel_origin += self.pos
            self.limit = len(self.buf)
            self.pos = 0
            self.soft = self.limit + 1

    def refill(self) -> None:
        if self.memory:
            self._set_soft()
            return
        if self.eof:
            self.soft = self.limit + 1
            return
        keep = self.buf[self.pos:self.limit]
        chunk = self.source.read(CHUNK)
        self.rel_origin += self.pos
        self.buf = keep + chunk
        self.pos = 0
        self.limit = len(self.buf)
        if not chunk:
            self.eof = True
            self.soft = self.limit + 1
        else:
            self.soft = min(self.limit - 16, self.watch())

    def ensure(self, n: int) -> None:
        """Make ``buf[pos:pos+n]`` available or raise (never trusts a declared length)."""
        while self.limit - self.pos < n:
            if self.memory or self.eof:
                raise PickleError(f"truncated: {n} bytes declared, {self.limit - self.pos} left")
            self.refill()

    def skip(self, n: int) -> None:
        """Skip ``n`` bytes without reading them into memory."""
        avail = self.limit - self.pos
        if n <= avail:
            self.pos += n
            return
        if self.memory or self.eof:
            raise PickleError(f"truncated: {n} bytes declared, {avail} left")
        need = n - avail
        got = self.source.skip(need)
        self.rel_origin += self.limit + got
        self.buf = b""
        self.pos = self.limit = 0
        self.soft = -1
        if got < need:
            self.eof = True
            raise PickleError(f"truncated: {n} bytes declared, {avail + got} left")

    def line(self) -> tuple[int, int]:
        """``(start, end)`` of the next newline-terminated argument; ``pos`` moves past it."""
        while True:
            end = self.buf.find(b"\n", self.pos, self.limit)
            if end >= 0:
                start = self.pos
                self.pos = end + 1
                return start, end
            if self.memory or self.eof:
                raise PickleError("truncated: line argument without newline")
            if self.limit - self.pos > MAX_LINE:
                raise PickleError(f"line argument longer than {MAX_LINE} bytes")
            self.refill()

    def finish(self) -> None:
        """Leave the source positioned just after what was consumed."""
        if self.memory:
            self.source.pos = self.source.start + self.tell()
        elif isinstance(self.source, MemorySource):
            self.source.pos -= self.limit - self.pos
        else:
            self.source.unread(bytes(self.buf[self.pos:self.limit]))
            self.buf = b""
            self.rel_origin += self.pos
            self.pos = self.limit = 0

