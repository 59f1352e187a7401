"""Compressed streams (gzip, zlib, bz2, xz, lzma, lz4, joblib's legacy ``ZF``) around a model.

joblib's ``compress=`` option writes exactly these streams around its pickle, which hides the
whole pickle from scanners that only read raw bytes. Each stream is decompressed incrementally,
in bounded chunks, and its content is scanned as a member (``file!<gzip>``). Every decompressed
byte counts against ``max_decompressed_mb``, so a bomb stops with MODEL-SCAN-INCOMPLETE.

A stream that breaks part-way (a known trick: corrupt the stream after the payload so strict
readers give up) is read up to the damage; what was read is scanned, and the damage is reported.
"""

from __future__ import annotations

import bz2
import io
import lzma
import re
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from .context import ScanContext, ScanLimitReached
from .source import CHUNK, MemorySource, Source, StreamSource

# memory an xz/lzma decoder may take: its dictionary, declared by the stream. The xz presets
# need at most 65 MB (preset 9); a stream declaring more would make us allocate it on its word
LZMA_MEMLIMIT = 128 << 20


class _Readable(Protocol):
    def read(self, n: int) -> bytes: ...


def _lz4_decompressor() -> Any:
    import lz4.frame  # imported only when an lz4 stream is seen

    return lz4.frame.LZ4FrameDecompressor()


# kind -> (decompressor factory, magic that starts a further concatenated stream)
CODECS: dict[str, tuple[Callable[[], Any], bytes]] = {
    "gzip": (lambda: zlib.decompressobj(31), b"\x1f\x8b"),
    "zlib": (lambda: zlib.decompressobj(15), b""),
    "deflate": (lambda: zlib.decompressobj(-15), b""),
    "bz2": (bz2.BZ2Decompressor, b"BZh"),
    "xz": (lambda: lzma.LZMADecompressor(lzma.FORMAT_XZ, memlimit=LZMA_MEMLIMIT),
           b"\xfd7zXZ\x00"),
    "lzma": (lambda: lzma.LZMADecompressor(lzma.FORMAT_ALONE, memlimit=LZMA_MEMLIMIT), b""),
    "lz4": (_lz4_decompressor, b"\x04\x22\x4d\x18"),
}

FIRST_OUTPUT_STEP = 4096
_DECOMPRESSION_ERRORS = (zlib.error, OSError, EOFError, lzma.LZMAError, RuntimeError, ValueError)


class DecompressingReader(io.RawIOBase):
    """Incremental, chunk-bounded decompression of ``compressed`` (anything with ``read``).

    Never raises on corrupt input: it stops and keeps the reason in ``error``, so the scanner
    sees a truncated stream (and reports it) after scanning every byte that did decompress.
    ``crc`` is the CRC-32 of everything produced (zip members compare it to their header).
    """

    def __init__(self, compressed: _Readable, kind: str) -> None:
        super().__init__()
        self._input = compressed
        self._factory, self._next_magic = CODECS[kind]
        self._decompressor = self._factory()
        self._carry = b""
        self._done = False
        self.kind = kind
        self.error: str | None = None
        self.produced = 0
        self.crc = 0
        self.streams = 1
        # small output steps first: a decoder that meets damage discards the output of that
        # call, so the head of the stream (where a payload sits) is drawn out in small pieces
        self._output_step = FIRST_OUTPUT_STEP

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._done:
            try:
                out = self._step(min(len(buffer), self._output_step))
                self._output_step = min(self._output_step * 2, CHUNK)
            except _DECOMPRESSION_ERRORS as exc:
                if isinstance(exc, lzma.LZMAError) and "memory usage limit" in str(exc).lower():
                    raise ScanLimitReached(
                        f"{self.kind} stream needs more than {LZMA_MEMLIMIT >> 20} MB of "
                        "decoder memory (the dictionary it declares)") from None
                self.error = f"{type(exc).__name__}: {exc}"
                self._done = True
                break
            if out:
                buffer[:len(out)] = out
                self.produced += len(out)
                self.crc = zlib.crc32(out, self.crc)
                return len(out)
        return 0

    def _next_input(self) -> bytes:
        if self._carry:
            data, self._carry = self._carry, b""
            return data
        return self._input.read(CHUNK)

    def _step(self, limit: int) -> bytes:
        decompressor = self._decompressor
        if decompressor.eof:
            self._start_next_stream()
            return b""
        if hasattr(decompressor, "unconsumed_tail"):  # zlib keeps unread input itself
            data = decompressor.unconsumed_tail or self._next_input()
        else:
            data = self._next_input() if decompressor.needs_input else b""
        if not data and (hasattr(decompressor, "unconsumed_tail") or decompressor.needs_input):
            self.error = f"{self.kind} stream is truncated"
            self._done = True
            return b""
        return decompressor.decompress(data, limit)

    def _start_next_stream(self) -> None:
        """Concatenated streams (multi-member gzip, bz2, xz, lz4) decode as one, like the tools."""
        rest = self._decompressor.unused_data or self._next_input()
        if self._next_magic and rest.startswith(self._next_magic):
            self._decompressor = self._factory()
            self._carry = rest
            self.streams += 1
        else:
            self._done = True


def decompressed_stream(source: Source | _Readable, ctx: ScanContext, kind: str,
                        what: str) -> tuple[StreamSource, DecompressingReader]:
    """A budgeted ``StreamSource`` of ``source`` (from its current position) decompressed."""
    if isinstance(source, MemorySource):
        compressed: _Readable = source.window(source.tell(), source.size).fileobj()
    else:
        compressed = source
    reader = DecompressingReader(compressed, kind)
    buffered = io.BufferedReader(reader, buffer_size=CHUNK)
    return StreamSource(buffered, ctx.state, what), reader  # type: ignore[arg-type]


def _scan_compressed(source: Source, ctx: ScanContext, kind: str, fmt: str | None = None) -> None:
    from .dispatch import scan_member

    start = source.tell()
    stream, reader = decompressed_stream(source, ctx, kind, f"{kind} stream")
    inner = scan_member(ctx, f"<{kind}>", lambda: stream)
    facts: dict[str, Any] = {"decompressed_bytes": reader.produced, "content": inner}
    if reader.streams > 1:
        facts["streams"] = reader.streams
    size = source.size if source.size is not None else source.tell() - start
    ctx.note_format(fmt or kind, bytes=size, **facts)
    if reader.error:
        ctx.add(
            "MODEL-MALFORMED",
            f"{kind} stream is corrupt after {reader.produced} decompressed bytes "
            f"({reader.error}); the content before the damage was scanned",
            evidence={"codec": kind, "decompressed_bytes": reader.produced},
        )


def scan_gzip(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "gzip")


def scan_zlib(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "zlib")


def scan_bz2(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "bz2")


def scan_xz(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "xz")


def scan_lzma(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "lzma")


def scan_lz4(source: Source, ctx: ScanContext) -> None:
    _scan_compressed(source, ctx, "lz4")


# joblib < 0.9.3: b"ZF", the decompressed length in hex padded to 19 characters, then zlib data
_ZF_HEADER = re.compile(rb"ZF(0x[0-9a-fA-F]+)L? *")
_ZF_LENGTH_FIELD = 2 + 19


def scan_joblib_zf(source: Source, ctx: ScanContext) -> None:
    """joblib's legacy ``ZF`` files: a fixed-width hex length field, then one zlib stream."""
    head = source.peek(_ZF_LENGTH_FIELD + 1)
    match = _ZF_HEADER.match(head)
    if match is None:  # sniff matched, so only a damaged header lands here
        ctx.add("MODEL-MALFORMED", "joblib ZF header is not a hex length")
        return
    # the padding spaces (and Python 2's one extra) end where the zlib header begins
    skip = match.end()
    source.skip(skip)
    _scan_compressed(source, ctx, "zlib", fmt="joblib-zf")
