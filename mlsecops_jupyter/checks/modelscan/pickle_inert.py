"""Inert opcode padding, skipped in bulk: a run of no-ops costs what comparing its bytes costs.

A file can put hundreds of millions of opcodes that do nothing (``N0``: push None, pop it;
``(1``: MARK, POP_MARK; ``20``: DUP, POP) before its payload. ``pickle``'s C unpickler runs such
padding at ~200 M opcodes/s, an emulator in Python at a few M/s, so a scan opcode by opcode would
take minutes where loading takes seconds, and stop at ``max_opcodes`` before the payload.

The dispatch loop calls ``InertRuns.after_pop`` after each POP and POP_MARK (the opcodes that end
any block that leaves the stack as it found it). The first call takes a snapshot of the machine
(stack and marks: their sizes and their top items, by identity). When a later call finds the same
state again, the bytes in between form a block the loop has just run, opcode by opcode, from that
state back to it. If the block holds only ``PURE`` opcodes (stack shuffles of constants: no memo,
no import, no call, nothing built before is changed) and changed no import's use count, the
machine is a deterministic function of its state and those bytes, so running the block again
from the same state leaves it unchanged again. Its further copies are then skipped by comparing
bytes (``_repeats``), and so are runs made of any mix of the blocks verified from that state
(``_BlockSet``). Anything else goes through the dispatch loop as before: the fast path only
skips what the loop would have computed to be no change, and never an opcode that matters.
"""

from __future__ import annotations

import re
import sys
from typing import Any

MAX_BLOCK = 64  # longest block, in bytes, checked for a return to the same state
MAX_SKIP = 64 << 20  # bytes skipped per call, so checkpoints (budgets, progress) still come
FIRST_BACKOFF = 64  # bytes run opcode by opcode after a call that found nothing to skip
MAX_BACKOFF = 1 << 20
BLOCK_BYTES = 1 << 16  # bytes compared at once when counting copies of a block
MAX_BLOCKS = 32  # verified blocks kept per state
FIRST_CHUNK = 64  # bytes checked at once for verified two-byte blocks, doubling up to:
MAX_CHUNK = 1 << 20
# stack shuffles of constants -> their argument bytes: NONE, NEWTRUE, NEWFALSE, EMPTY_TUPLE,
# EMPTY_LIST, EMPTY_DICT, EMPTY_SET, MARK, POP, POP_MARK, DUP, TUPLE1-3, TUPLE, LIST, BININT1,
# BININT2, BININT, BINFLOAT
PURE: dict[int, int] = {
    0x4E: 0, 0x88: 0, 0x89: 0, 0x29: 0, 0x5D: 0, 0x7D: 0, 0x8F: 0, 0x28: 0, 0x30: 0, 0x31: 0,
    0x32: 0, 0x85: 0, 0x86: 0, 0x87: 0, 0x74: 0, 0x6C: 0, 0x4B: 1, 0x4D: 2, 0x4A: 4, 0x47: 8,
}
# one-byte PURE opcodes of two-byte blocks checked by translation (15 fit in 4 bits; LIST not)
UNIT_OPCODES = b"N\x88\x89)]}\x8f(012\x85\x86\x87t"
# one PURE opcode with its argument (the blocks of a run parse into these from its start)
_OPCODE = re.compile(b"(?s)" + b"|".join(
    re.escape(bytes([opcode])) + b"." * size for opcode, size in sorted(PURE.items())))
_DEPTH = MAX_BLOCK + 2  # stack items and marks a block of MAX_BLOCK opcodes can reach


class InertRuns:
    """Per-emulator state of the fast path.

    ``next_try`` is the buffer position from which the loop calls ``after_pop`` again
    (``sys.maxsize`` when the fast path is off); ``dup_refs`` counts DUPs of an import (the
    loop increments it), which a skipped block must not change. ``skipped_ops`` counts the
    opcodes skipped: they do not count against ``max_opcodes`` (no emulation step was spent).
    """

    enabled = True  # tests turn it off to compare with the opcode-by-opcode path

    def __init__(self) -> None:
        self.next_try = 0 if self.enabled else sys.maxsize
        self.backoff = FIRST_BACKOFF
        self.dup_refs = 0
        self.skipped_ops = 0
        self.last_ops = 0
        self._anchor = -1  # position in ``_buf`` where the machine was in the snapshot state
        self._buf: Any = None
        self._sizes = (-1, -1)
        self._items: tuple[Any, ...] = ()
        self._marks: tuple[int, ...] = ()
        self._dup_refs = 0
        self._blocks = _BlockSet()

    def reset(self) -> None:
        """The loop refilled or moved its buffer: positions taken so far no longer hold."""
        if self.enabled:
            self.next_try = 0
        self._anchor = -1

    def after_pop(self, buf: Any, pos: int, limit: int, stack: list[Any],
                  marks: list[int]) -> int:
        """Bytes to skip at ``pos``, just after a POP or POP_MARK (``last_ops``: their opcodes)."""
        anchor = self._anchor
        if anchor < 0 or pos - anchor > MAX_BLOCK or buf is not self._buf:
            # (a reader that refilled inside an opcode's argument has a new buffer)
            self._take_snapshot(buf, pos, stack, marks)
            return 0
        if (len(stack), len(marks)) != self._sizes:
            return 0  # not back yet (or never: the next call past MAX_BLOCK starts afresh)
        block = bytes(buf[anchor:pos])
        ops = _pure_opcodes(block)
        if not ops or self.dup_refs != self._dup_refs or not self._same(stack, marks, ops + 1):
            self._take_snapshot(buf, pos, stack, marks)
            self._give_up(pos)
            return 0
        learned = self._blocks.add(block, ops)
        end = min(limit, pos + MAX_SKIP)
        start = pos
        skipped_ops = 0
        while True:
            copies = _repeats(buf, pos, end, block)
            pos += copies * len(block)
            run, run_ops = self._blocks.run(buf, pos, end)
            pos += run
            skipped_ops += copies * ops + run_ops
            if not copies and not run:
                break
        self._anchor = pos  # still the snapshot state
        self.last_ops = skipped_ops
        self.skipped_ops += skipped_ops
        if pos - start >= FIRST_BACKOFF or learned:
            self.backoff = FIRST_BACKOFF
        else:
            self._give_up(pos)  # too little to skip here to be worth the checks
        return pos - start

    def _take_snapshot(self, buf: Any, pos: int, stack: list[Any], marks: list[int]) -> None:
        sizes = (len(stack), len(marks))
        items = tuple(stack[-_DEPTH:])
        marks_top = tuple(marks[-_DEPTH:])
        if (sizes != self._sizes or marks_top != self._marks or len(items) != len(self._items)
                or not all(now is then for now, then in zip(items, self._items, strict=True))):
            self._blocks = _BlockSet()  # blocks verified from another state
        self._anchor, self._buf = pos, buf
        self._sizes, self._items, self._marks = sizes, items, marks_top
        self._dup_refs = self.dup_refs

    def _same(self, stack: list[Any], marks: list[int], depth: int) -> bool:
        """The top ``depth`` items and marks are the snapshot's (sizes are already equal)."""
        if tuple(marks[-depth:]) != self._marks[-depth:]:
            return False
        then = self._items[-depth:]
        return all(a is b for a, b in zip(stack[-depth:], then, strict=True))

    def _give_up(self, pos: int) -> None:
        self.next_try = pos + self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)


class _BlockSet:
    """Blocks verified from one state; finds runs of any mix of them.

    Two-byte blocks of one-byte opcodes (the usual padding) are checked a chunk at a time with
    two translations: each byte of a pair maps to 4 bits (its index in ``UNIT_OPCODES``, 15 for
    any other byte), one big-integer OR joins the nibbles, and a last translation marks the pair
    codes that are not verified blocks. Other mixes are matched by a regular expression with an
    atomic group; their opcodes are counted by a second one when some carry arguments.
    """

    def __init__(self) -> None:
        self.blocks: set[bytes] = set()
        self._pairs_only = True
        self._arguments = False
        self._low = self._high = self._bad = b""
        self._pattern: re.Pattern[bytes] | None = None

    def add(self, block: bytes, ops: int) -> bool:
        """Remember a verified block of ``ops`` opcodes; False if known or not kept."""
        if block in self.blocks or len(self.blocks) >= MAX_BLOCKS:
            return False
        self.blocks.add(block)
        self._arguments = self._arguments or ops != len(block)
        self._pairs_only = self._pairs_only and len(block) == 2 and all(
            opcode in UNIT_OPCODES for opcode in block)
        if self._pairs_only:
            low, high = bytearray([15] * 256), bytearray([15 << 4] * 256)
            for index, opcode in enumerate(UNIT_OPCODES):
                low[opcode] = index
                high[opcode] = index << 4
            bad = bytearray([1] * 256)
            for first, second in self.blocks:
                bad[low[first] | high[second]] = 0
            self._low, self._high, self._bad = bytes(low), bytes(high), bytes(bad)
        else:
            longest_first = sorted(self.blocks, key=lambda b: (-len(b), b))
            alternatives = b"|".join(re.escape(b) for b in longest_first)
            self._pattern = re.compile(b"(?>" + alternatives + b")++")
        return True

    def run(self, buf: Any, pos: int, end: int) -> tuple[int, int]:
        """Bytes and opcodes of the run of verified blocks at ``pos`` (before ``end``)."""
        if not self.blocks:
            return 0, 0
        if not self._pairs_only:
            assert self._pattern is not None
            found = self._pattern.match(buf, pos, end)
            if not found:
                return 0, 0
            length = found.end() - pos
            if not self._arguments:
                return length, length
            return length, _OPCODE.subn(b"", bytes(buf[pos:pos + length]))[1]
        start = pos
        size = FIRST_CHUNK
        while pos + 2 <= end:
            chunk = bytes(buf[pos:min(end, pos + size)])
            pairs = len(chunk) // 2
            firsts = chunk[0:2 * pairs:2].translate(self._low)
            seconds = chunk[1:2 * pairs:2].translate(self._high)
            codes = (int.from_bytes(firsts, "little") | int.from_bytes(seconds, "little"))
            first_bad = codes.to_bytes(pairs, "little").translate(self._bad).find(1)
            if first_bad >= 0:
                pos += 2 * first_bad
                break
            pos += 2 * pairs
            size = min(2 * size, MAX_CHUNK)
        return pos - start, pos - start


def _pure_opcodes(block: bytes) -> int:
    """How many opcodes ``block`` holds if it is whole ``PURE`` opcodes, else 0."""
    index = count = 0
    end = len(block)
    while index < end:
        size = PURE.get(block[index])
        if size is None:
            return 0
        index += 1 + size
        count += 1
    return count if index == end else 0


def _repeats(buf: Any, pos: int, end: int, block: bytes) -> int:
    """How many whole copies of ``block`` follow ``pos`` before ``end`` (compared in blocks)."""
    length = len(block)
    total = 0
    per_block = max(1, BLOCK_BYTES // length)
    while per_block:
        copies = block * per_block
        size = len(copies)
        while pos + size <= end and buf[pos:pos + size] == copies:
            pos += size
            total += per_block
        per_block //= 16
    return total
