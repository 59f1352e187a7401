"""Recognise a model format from the first bytes of its content, never from its name.

Attackers rename files (``model.txt``, no extension) precisely because scanners trust names, so
every decision here looks at magic numbers and structure only. Formats that need more than the
head to be recognised (ONNX, header-less pickles, zips behind prepended junk) are decided in
``dispatch`` by trying their parsers.
"""

from __future__ import annotations

import re
import struct
import zlib

# enough for an HDF5 superblock behind a user block of up to 2048 bytes
HEAD_BYTES = 4096

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
HDF5_OFFSETS = (0, 512, 1024, 2048)
LEGACY_TORCH_MAGIC = 0x1950A86A20F9469CFC6C
TAR_MAGIC_OFFSET = 257
TAR_BLOCK = 512
# v7 numeric fields (mode, uid, gid, size, mtime, checksum): octal digits, space/NUL padded
_V7_NUMERIC_FIELDS = ((100, 108), (108, 116), (116, 124), (124, 136), (136, 148), (148, 156))
_V7_OCTAL = re.compile(rb" *[0-7]{1,12}[ \0]*")
_V7_TYPES = frozenset(bytes([code]) for code in b"\x000123456")

# (format, magic at offset 0): checked in order, first match wins
MAGIC_PREFIXES: tuple[tuple[str, bytes], ...] = (
    ("zip", b"PK\x03\x04"),
    ("zip", b"PK\x05\x06"),
    ("npy", b"\x93NUMPY"),
    ("7z", b"7z\xbc\xaf\x27\x1c"),
    ("xz", b"\xfd7zXZ\x00"),
    ("gzip", b"\x1f\x8b\x08"),
    ("lz4", b"\x04\x22\x4d\x18"),
    ("gguf", b"GGUF"),
)

# formats whose parsers need random access (a stream is spooled to a bounded buffer first)
RANDOM_ACCESS_FORMATS = frozenset({"zip", "hdf5", "safetensors", "onnx", "7z", "tflite"})

_JOBLIB_ZF = re.compile(rb"ZF0x[0-9a-fA-F]+ *")


def sniff(head: bytes) -> str | None:
    """The format the leading bytes prove, or ``None`` when structure must decide.

    Returns one of ``pickle``, ``zip``, ``npy``, ``hdf5``, ``7z``, ``tar``, ``xz``, ``gzip``,
    ``lz4``, ``gguf``, ``bz2``, ``zlib``, ``lzma``, ``joblib-zf``, ``safetensors``.
    """
    if is_safetensors_header(head) and struct.unpack_from("<Q", head)[0] < 1 << 40:
        return "safetensors"  # before pickles: a 128-byte header length starts with 0x80 0x00
    if len(head) >= 2 and head[0] == 0x80 and head[1] <= 5:
        return "pickle"
    for fmt, magic in MAGIC_PREFIXES:
        if head.startswith(magic):
            return fmt
    if is_tar_header(head):
        return "tar"  # POSIX ("ustar\0") and GNU ("ustar  ") headers, and magic-less v7 ones
    if any(head[offset:offset + 8] == HDF5_MAGIC for offset in HDF5_OFFSETS):
        return "hdf5"
    if len(head) >= 4 and head.startswith(b"BZh") and head[3:4] in b"123456789":
        return "bz2"
    if is_zlib_header(head):
        return "zlib"
    if is_lzma_alone_header(head):
        return "lzma"
    if _JOBLIB_ZF.match(head[:24]):
        return "joblib-zf"
    if is_safetensors_header(head):
        return "safetensors"
    return None


def is_tar_header(head: bytes) -> bool:
    """A tar header block: the ``ustar`` magic, or a v7 header that proves itself.

    Old (v7) tars have no magic, yet ``tarfile`` (and so ``torch.load``'s legacy reader) reads
    them: a header counts when its name is set, its numeric fields are octal as v7 writes them,
    its type is a v7/POSIX one and its checksum (over the block, the checksum field as spaces,
    summed unsigned or signed as tar readers accept) matches. Random bytes or a pickle pass all
    of that by chance with a probability far below one in 2**64.
    """
    if len(head) < TAR_BLOCK:
        return False
    if head[TAR_MAGIC_OFFSET:TAR_MAGIC_OFFSET + 5] == b"ustar":
        return True
    if head[0] == 0 or head[156:157] not in _V7_TYPES:
        return False
    if not all(_V7_OCTAL.fullmatch(head[lo:hi]) for lo, hi in _V7_NUMERIC_FIELDS):
        return False
    stored = int(head[148:156].strip(b" \0"), 8)
    block = head[:148] + b" " * 8 + head[156:TAR_BLOCK]
    unsigned = sum(block)
    signed = unsigned - 256 * sum(1 for byte in block if byte > 127)
    return stored in (unsigned, signed)


def is_zlib_header(head: bytes) -> bool:
    """RFC 1950 header: deflate method, window <= 32K, check bits, no preset dictionary."""
    if len(head) < 2:
        return False
    cmf, flg = head[0], head[1]
    return (
        cmf & 0x0F == 8
        and cmf >> 4 <= 7
        and (cmf * 256 + flg) % 31 == 0
        and not flg & 0x20
        and _inflates(head, wbits=15)
    )


def is_lzma_alone_header(head: bytes) -> bool:
    """``.lzma`` (LZMA-alone): properties byte 0x5d as every encoder writes it, sane dict size."""
    if len(head) < 13 or head[0] != 0x5D:
        return False
    dict_size = struct.unpack_from("<I", head, 1)[0]
    return 1 << 12 <= dict_size <= 1 << 30


def is_safetensors_header(head: bytes) -> bool:
    """8-byte little-endian header length, then a JSON object."""
    return len(head) >= 9 and head[8:9] == b"{" and struct.unpack_from("<Q", head)[0] >= 2


def legacy_torch_magic(head: bytes) -> bool:
    """A protocol-marked pickle whose first value is torch's legacy magic number (LONG1)."""
    magic = LEGACY_TORCH_MAGIC.to_bytes(10, "little")
    return head[:1] == b"\x80" and head[2:4] == b"\x8a\x0a" and head[4:14] == magic


def _inflates(head: bytes, wbits: int) -> bool:
    """Does the head decompress without error (a cheap test before committing to a format)?"""
    try:
        zlib.decompressobj(wbits).decompress(head, 64)
    except zlib.error:
        return False
    return True
