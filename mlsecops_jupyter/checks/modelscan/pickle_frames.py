"""Framing as a file-object unpickler reads it: where ``pickle.load(file)`` and ``loads`` differ.

Protocol 4 groups opcodes into FRAMEs. ``pickle.loads(data)`` ignores them (the whole pickle is
one buffer), but the C unpickler reading a file object loads a frame into its buffer, and when an
opcode argument read with ``_Unpickler_Read`` (a length field, a string, a fixed argument, a text
line, a nested FRAME) runs past the end of that buffer, it drops what is left of the frame and
reads the argument from the file, which is already positioned after the frame. It then reads a
different opcode stream than ``loads`` does: a hidden call runs only under ``pickle.load(file)``
and ``torch.load`` (which unpickles ``data.pkl`` from a ``BytesIO``). Whether a frame is read this
way depends on the file object (``BytesIO`` always; a buffered file when the frame is longer than
what its buffer holds), so both readings are possible at every such place. A pickle that ends
(STOP) before its frame does leaves the file after the frame too, so the next ``load`` (the
next pickle of a legacy torch checkpoint) starts there.

Normal picklers end every frame at an opcode boundary, so for them the readings are the same.
The emulator watches each frame's end (``Reader.frame_end``); ``walk_to_frame_end`` follows the
read units from an opcode boundary shortly before it and says whether one crosses it. Each
crossing is a *cut*: the file-object reading is the stream with the bytes from the crossing read
to the frame end removed, which ``pickle_scan`` emulates as a second reading.
"""

from __future__ import annotations

from typing import Any

# bytes before a frame end from which read units are walked: more than an opcode that starts
# before it can read without a check (the loop's inline reads: < 520 bytes; its fused record
# runs: < 800 bytes past their start); longer reads check the frame end themselves
MARGIN = 2048

STOP = 0x2E
FRAME = 0x95
# opcodes without an argument
NO_ARGUMENT = frozenset(b"(.012N\x88\x89Rbael])t\x85\x86\x87d}su\x8f\x90\x91\x81\x92\x93\x94oQ"
                        b"\x97\x98")
# fixed-size arguments read in one piece
FIXED = {0x4B: 1, 0x4D: 2, 0x4A: 4, 0x47: 8, 0x68: 1, 0x71: 1, 0x6A: 4, 0x72: 4, 0x80: 1,
         0x82: 1, 0x83: 2, 0x84: 4}
# counted arguments: opcode -> (length field size, signed, data read straight from the file)
# (bytes and bytearrays are read with ``_Unpickler_ReadInto``, which takes what is left of the
# buffer first, so only their length field can cross a frame end unnoticed)
COUNTED: dict[int, tuple[int, bool, bool]] = {
    0x55: (1, False, False), 0x54: (4, True, False), 0x8C: (1, False, False),
    0x58: (4, False, False), 0x8D: (8, False, False), 0x8A: (1, False, False),
    0x8B: (4, True, False), 0x43: (1, False, True), 0x42: (4, False, True),
    0x8E: (8, False, True), 0x96: (8, False, True),
}
# text-line arguments: opcode -> number of lines
LINES = {0x63: 2, 0x69: 2, 0x49: 1, 0x4C: 1, 0x46: 1, 0x53: 1, 0x56: 1, 0x50: 1, 0x67: 1,
         0x70: 1}

ALIGNED, CUT, STOPPED, UNKNOWN = "aligned", "cut", "stop", "unknown"


def walk_to_frame_end(buf: Any, pos: int, limit: int, end: int) -> tuple[str, int]:
    """Follow the read units from the opcode at ``pos`` up to the frame end ``end``.

    Returns ``(ALIGNED, pos)`` when an opcode (or a straight file read) starts exactly at
    ``end``; ``(CUT, start)`` when the read unit starting at ``start`` crosses ``end``;
    ``(STOPPED, after)`` when STOP comes before ``end``; ``(UNKNOWN, pos)`` when the bytes
    before ``end`` are not a valid opcode stream or not in the buffer (the emulator reports
    that itself). All positions are buffer positions.
    """
    while pos < end:
        if pos >= limit:
            return UNKNOWN, pos
        op = buf[pos]
        pos += 1
        if op in NO_ARGUMENT:
            if op == STOP:
                return (STOPPED, pos) if pos < end else (ALIGNED, pos)
            continue
        if pos == end:
            return ALIGNED, pos  # the argument is read from the file, after the frame: as loads
        size = FIXED.get(op)
        if size is not None:
            if pos + size > end:
                return CUT, pos
            pos += size
            continue
        counted = COUNTED.get(op)
        if counted is not None:
            width, signed, straight = counted
            if pos + width > end:
                return CUT, pos
            if pos + width > limit:
                return UNKNOWN, pos
            length = int.from_bytes(buf[pos:pos + width], "little", signed=signed)
            pos += width
            if length < 0:
                return UNKNOWN, pos
            if not straight and pos < end < pos + length:
                return CUT, pos
            pos += length
            continue
        lines = LINES.get(op)
        if lines is not None:
            for _ in range(lines):
                newline = buf.find(b"\n", pos, limit)
                if newline < 0:
                    return (CUT, pos) if limit > end else (UNKNOWN, pos)
                if pos < end <= newline:
                    return CUT, pos
                pos = newline + 1
            continue
        if op == FRAME:
            if pos + 8 > end:
                return CUT, pos
            if pos + 8 > limit:
                return UNKNOWN, pos
            length = int.from_bytes(buf[pos:pos + 8], "little")
            pos += 8
            if pos < end < pos + length:
                return CUT, pos
            continue  # a nested frame inside the buffer: its opcodes follow
        return UNKNOWN, pos - 1
    return ALIGNED, pos
