"""A tiny pickle assembler: writes opcode streams by hand, never imports or calls what they name.

Malicious samples must name callables (``pip.main``, ``asyncio.unix_events...``) without the
builder importing them, and must use opcode shapes a normal pickler never emits (INST, OBJ, memo
tricks, dotted names through GLOBAL). ``assemble(Call(Global("os", "system"), ("touch m",)))``
gives the classic ``cos\\nsystem\\n...R.`` stream; ``protocol`` picks the opcode family the way
CPython's pickler would (text opcodes at 0, binary at 1+, STACK_GLOBAL at 4+).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Global:
    """A ``module.name`` import; ``text_opcode`` forces GLOBAL even where STACK_GLOBAL is usual."""

    module: str
    name: str
    text_opcode: bool = False


@dataclass(frozen=True)
class Call:
    """``func(*args)`` through REDUCE; ``func`` may itself be a Global or another Call."""

    func: Any
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Raw:
    """Pre-assembled opcode bytes that leave exactly one value on the stack."""

    data: bytes


def assemble(value: Any, protocol: int = 2) -> bytes:
    """A whole pickle (PROTO header from protocol 2 on, STOP at the end) building ``value``."""
    out = bytearray()
    if protocol >= 2:
        out += b"\x80" + bytes([protocol])
    emit(out, value, protocol)
    out += b"."
    return bytes(out)


def emit(out: bytearray, value: Any, protocol: int) -> None:
    """Append the opcodes that push ``value``."""
    if isinstance(value, Raw):
        out += value.data
    elif isinstance(value, Global):
        _emit_global(out, value, protocol)
    elif isinstance(value, Call):
        emit(out, value.func, protocol)
        emit(out, tuple(value.args), protocol)
        out += b"R"
    elif value is None:
        out += b"N"
    elif isinstance(value, bool):
        if protocol >= 2:
            out += b"\x88" if value else b"\x89"
        else:
            out += b"I01\n" if value else b"I00\n"
    elif isinstance(value, int):
        _emit_int(out, value, protocol)
    elif isinstance(value, str):
        _emit_str(out, value, protocol)
    elif isinstance(value, bytes):
        _emit_bytes(out, value, protocol)
    elif isinstance(value, tuple):
        out += b"("
        for item in value:
            emit(out, item, protocol)
        out += b"t"
    elif isinstance(value, list):
        out += b"("
        for item in value:
            emit(out, item, protocol)
        out += b"l"
    elif isinstance(value, dict):
        out += b"("
        for key, item in value.items():
            emit(out, key, protocol)
            emit(out, item, protocol)
        out += b"d"
    else:
        raise TypeError(f"the corpus assembler cannot emit {type(value).__name__}")


def _emit_global(out: bytearray, value: Global, protocol: int) -> None:
    if protocol >= 4 and not value.text_opcode:
        _emit_str(out, value.module, protocol)
        _emit_str(out, value.name, protocol)
        out += b"\x93"  # STACK_GLOBAL
    else:
        out += b"c" + value.module.encode() + b"\n" + value.name.encode() + b"\n"


def _emit_int(out: bytearray, value: int, protocol: int) -> None:
    if protocol >= 1 and -(2**31) <= value < 2**31:
        out += b"J" + struct.pack("<i", value)
    else:
        out += b"I" + str(value).encode() + b"\n"


def _emit_str(out: bytearray, value: str, protocol: int) -> None:
    if protocol >= 1:
        data = value.encode("utf-8")
        out += b"X" + struct.pack("<I", len(data)) + data
    else:
        escaped = value.replace("\\", "\\u005c").replace("\n", "\\u000a")
        out += b"V" + escaped.encode("raw-unicode-escape") + b"\n"


def _emit_bytes(out: bytearray, value: bytes, protocol: int) -> None:
    if protocol >= 3:
        out += b"B" + struct.pack("<I", len(value)) + value
    else:
        # what CPython's pickler does below protocol 3: rebuild the bytes from a latin-1 string
        emit(out, Call(Global("_codecs", "encode"), (value.decode("latin-1"), "latin1")), protocol)


def text(value: str) -> bytes:
    """SHORT_BINUNICODE: push a short string (for hand-written streams)."""
    data = value.encode("utf-8")
    return b"\x8c" + bytes([len(data)]) + data
