"""Archives as hostile users write them: v7 tars, tar/pickle polyglots, ZipCrypto members.

Python's ``tarfile`` writes no v7 tars (it reads them), and ``zipfile`` writes no encrypted
members (it decrypts them), so both are written here from the formats' own descriptions (v7
``tar(5)``; PKWARE APPNOTE 6.1 "Traditional PKWARE Encryption") and checked by reading them back
with ``tarfile``/``zipfile``. Nothing here is ever loaded by the scanner under test.
"""

from __future__ import annotations

import io
import random
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

BLOCK = 512


def to_v7(ustar: bytes) -> bytes:
    """The same archive with v7 headers: magic, version and the POSIX fields zeroed.

    Each header's checksum is recomputed (sum of the block, the checksum field as spaces), the
    way a v7 ``tar`` wrote it: ``%06o\\0 ``.
    """
    raw = bytearray(ustar)
    pos = 0
    while pos + BLOCK <= len(raw) and any(raw[pos:pos + BLOCK]):
        header = raw[pos:pos + BLOCK]
        size = int(header[124:136].rstrip(b"\0 ") or b"0", 8)
        header[257:BLOCK] = bytes(BLOCK - 257)
        header[148:156] = b" " * 8
        header[148:156] = b"%06o\0 " % sum(header)
        raw[pos:pos + BLOCK] = header
        pos += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
    return bytes(raw)


def tar_named(first_name: bytes, members: list[tuple[str, bytes]]) -> bytes:
    """A ustar archive whose first member's name is ``first_name`` (any bytes, e.g. a pickle).

    ``tarfile`` takes the name as text: bytes that are no UTF-8 go through surrogateescape and
    are written back unchanged.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in [(first_name.decode("utf-8", "surrogateescape"), b"x"), *members]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def tar_names(data: bytes) -> list[str]:
    """The member names ``tarfile`` (with its defaults, as loaders use it) reads."""
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        return archive.getnames()


def header_offsets(tar: bytes) -> list[int]:
    """Offset of each member header of a plain ustar archive (no extended headers)."""
    offsets, pos = [], 0
    while pos + BLOCK <= len(tar) and any(tar[pos:pos + BLOCK]):
        offsets.append(pos)
        size = int(tar[pos + 124:pos + 136].rstrip(b"\0 ") or b"0", 8)
        pos += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
    return offsets


# -- traditional PKWARE encryption (ZipCrypto) -----------------------------------------------
def _crc_step(crc: int, byte: int) -> int:
    """One step of the CRC-32 register as the cipher uses it (no pre/post inversion)."""
    return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


class _CipherKeys:
    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self.update(byte)

    def update(self, plain_byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = _crc_step(k0, plain_byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = _crc_step(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def stream_byte(self) -> int:
        temp = (self.keys[2] | 2) & 0xFFFF
        return ((temp * (temp ^ 1)) >> 8) & 0xFF


def zipcrypto(plain: bytes, password: bytes, seed: int = 0) -> bytes:
    """12-byte encryption header (its last byte the CRC's high byte) + ciphertext."""
    header = random.Random(seed).randbytes(11) + bytes([zlib.crc32(plain) >> 24])
    keys = _CipherKeys(password)
    out = bytearray()
    for byte in header + plain:
        out.append(byte ^ keys.stream_byte())
        keys.update(byte)
    return bytes(out)


def encrypted_zip(path: Path, members: dict[str, bytes], password: bytes = b"secret") -> Path:
    """A zip of stored, ZipCrypto-encrypted members (``zipfile`` reads them with the password).

    ``zipfile`` writes the ciphertext as a stored member; the encryption flag (bit 0) and the
    plaintext CRC-32 are then set in the local and central headers.
    """
    with zipfile.ZipFile(path, "w") as archive:
        for name, plain in members.items():
            archive.writestr(zipfile.ZipInfo(name), zipcrypto(plain, password))
    data = bytearray(path.read_bytes())
    for signature, flags_at, crc_at in ((b"PK\x03\x04", 6, 14), (b"PK\x01\x02", 8, 16)):
        pos = 0
        for plain in members.values():
            pos = data.index(signature, pos)
            struct.pack_into("<H", data, pos + flags_at, 1)
            struct.pack_into("<I", data, pos + crc_at, zlib.crc32(plain))
            pos += 4
    path.write_bytes(bytes(data))
    return path
