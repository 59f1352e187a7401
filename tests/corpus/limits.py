"""Files built to hit the scanner's limits, with the canary payload past the point a limit stops.

Each loads and runs its payload in the real loader (``torch.load``, ``pickle.load``), so a scan
that stops early must block. Published as scanner bypasses in issue reports: thousands of empty
zip members ahead of ``data.pkl``, hundreds of millions of no-op opcodes (``N0``: push None, pop
it) ahead of the payload, raw or compressed, and a payload one archive level too deep. Written by
our own code (``zipfile``, ``gzip``); the payload is ``os.system(<touch the marker>)``, named,
never called.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path
from typing import Protocol

from .assembler import Call, Global, assemble
from .canary import Canary

PADDING_UNIT = b"N0"  # NONE, POP: the C unpickler runs ~200 M of these opcodes a second
CHUNK_UNITS = 16 << 20  # padding is written 32 MB at a time


def payload_body(canary: Canary) -> bytes:
    """The payload opcodes without a PROTO header (``GLOBAL os system`` ... ``REDUCE STOP``)."""
    return assemble(Call(Global("os", "system"), (canary.shell,)), protocol=2)[2:]


class _Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


def _write_stream(handle: _Writable, payload: bytes, opcodes: int) -> None:
    handle.write(b"\x80\x04")
    units = opcodes // len(PADDING_UNIT)
    chunk = PADDING_UNIT * CHUNK_UNITS
    while units:
        step = min(units, CHUNK_UNITS)
        handle.write(chunk if step == CHUNK_UNITS else PADDING_UNIT * step)
        units -= step
    handle.write(payload)


def write_padded_pickle(path: Path, payload: bytes, opcodes: int, codec: str = "raw") -> None:
    """``opcodes`` no-op opcodes, then ``payload`` (opcodes up to STOP, e.g. ``payload_body``):
    raw, as a gzip file, or as a torch zip's deflated ``data.pkl``."""
    if codec == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("archive/data.pkl", "w", force_zip64=True) as member:
                _write_stream(member, payload, opcodes)
            archive.writestr("archive/byteorder", b"little")
            archive.writestr("archive/version", b"3\n")
        return
    if codec == "gzip":
        with gzip.open(path, "wb", compresslevel=6) as compressed:
            _write_stream(compressed, payload, opcodes)
        return
    with open(path, "wb") as raw:
        _write_stream(raw, payload, opcodes)


def write_many_members(path: Path, canary: Canary, members: int, storages: bool = False) -> None:
    """A torch checkpoint zip with ``members`` empty members before its ``data.pkl``.

    ``storages``: name them like tensor storages (``archive/data/<n>``, never read as pickles),
    else like any other member (``archive/extra/<n>``).
    """
    folder = "archive/data" if storages else "archive/extra"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(members):
            archive.writestr(f"{folder}/{index}", b"")
        archive.writestr("archive/data.pkl", b"\x80\x02" + payload_body(canary))
        archive.writestr("archive/byteorder", b"little")
        archive.writestr("archive/version", b"3\n")


def nested_zips(canary: Canary, levels: int) -> bytes:
    """The payload as ``payload.pkl`` inside ``levels`` zips, each inside the next."""
    data, name = b"\x80\x02" + payload_body(canary), "payload.pkl"
    for level in range(levels):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        data, name = buffer.getvalue(), f"level{level}.zip"
    return data
