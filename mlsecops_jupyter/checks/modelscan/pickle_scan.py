"""Streaming pickle opcode emulator: what a pickle imports and calls, without unpickling it.

The emulator walks the opcode stream of protocols 0-5 the way ``pickle``'s C unpickler does
(stack, MARK fences, memo, ``STACK_GLOBAL``, ``REDUCE``/``BUILD``...), but the values it keeps are
stand-ins: short strings (candidate module and attribute names, kept as UTF-8 ``bytes``), small
ints and tuples, ``GlobalRef`` for every import, ``CallResult`` for every call, and one shared
``OPAQUE`` for everything else. The object graph is never built, large byte strings are skipped by
length, and the memo keeps only values that can matter later (names, imports, call results), so a
300 MB pickle of millions of small objects streams through in bounded memory.

Every import is judged by ``policy.classify`` and reported once per pickle, with the offset of its
first occurrence and whether the pickle calls it. Published scanner bypasses this design closes by
construction: memo indirection (``STACK_GLOBAL`` fed from ``BINGET`` after ``DUP``/``MEMOIZE``
tricks) reads the real memo, appended pickles are all scanned, header-less protocol-0 streams
parse, findings made before a corrupt or truncated tail are kept, and joblib's raw array bytes are
skipped using the wrapper's own shape and dtype (the nested pickle of object arrays is scanned).
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import itertools
import mmap
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...core.severity import Severity
from .context import ScanContext, ScanLimitReached
from .policy import classify
from .source import MemorySource

CHUNK = 1 << 20
MAX_TEXT = 512  # longer strings cannot be module/attribute names worth tracking
MAX_TUPLE = 64  # longer tuples are data, not call arguments or shapes
MAX_DICT = 64  # BUILD state dicts (joblib wrappers) are small
MAX_STACK = 4_000_000
MAX_MARKS = 1_000_000
MAX_LINE = 1 << 26
MAX_NESTED = 8
HEAD_SNIFF = 4096

_I4 = struct.Struct("<i").unpack_from
_U4 = struct.Struct("<I").unpack_from
_U8 = struct.Struct("<Q").unpack_from
_JOBLIB_WRAPPERS = {
    ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    ("sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper"),
}
_NUMPY_DTYPE = {("numpy", "dtype")}
_GETATTR = {("builtins", "getattr"), ("__builtin__", "getattr")}
# values worth remembering in the memo: candidate names, imports, calls, small tuples
# callables that call their first argument (the class) on load: the class counts as invoked
_CONSTRUCTOR_HELPERS = {
    ("copyreg", "_reconstructor"), ("copy_reg", "_reconstructor"), ("copyreg", "__newobj__"),
    ("copyreg", "__newobj_ex__"),
}
_TYPE_SIZES = {"b": 1, "i": 0, "u": 0, "f": 0, "c": 0, "M": 0, "m": 0, "S": 0, "U": 0, "V": 0}


class PickleError(Exception):
    """The stream cannot be unpickled past this point (the real unpickler would fail too)."""


class _Opaque:
    """A value the emulator does not track (numbers, containers, long strings...)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<value>"


OPAQUE = _Opaque()


class Blob:
    """A byte string seen only by its length (its bytes are skipped, never read)."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def __repr__(self) -> str:
        return f"<{self.length} bytes>"


class GlobalRef:
    """One imported global of one pickle; shared by every occurrence, so it counts them."""

    __slots__ = ("module", "name", "offset", "opcode", "count", "invoked", "resolved",
                 "call_args", "pushes", "translated")

    def __init__(self, module: str, name: str, offset: int, opcode: str,
                 resolved: bool = True) -> None:
        self.module = module
        self.name = name
        self.offset = offset
        self.opcode = opcode
        self.count = 0
        self.invoked = False
        self.resolved = resolved
        self.call_args: str | None = None
        self.pushes = 0  # extra pushes (DUP; memo GET of getattr, see _store_ref)
        self.translated = 0  # getattr(Class, "attr") calls judged as the import Class.attr

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"


class CallResult:
    """What a REDUCE/NEWOBJ/OBJ/INST produced: the callable, its arguments, the class built."""

    __slots__ = ("func", "args", "cls", "state")

    def __init__(self, func: Any, args: Any, cls: Any) -> None:
        self.func = func
        self.args = args
        self.cls = cls
        self.state: Any = None

    def __repr__(self) -> str:
        return f"{self.func!r}(...)"


# Tuples holding strings are not kept: a tuple cannot feed STACK_GLOBAL, and pickles of records
# memoize millions of them. Tuples of numbers (shapes) and of imports/calls are kept.
_STORABLE = frozenset((bytes, tuple, GlobalRef, CallResult))


def _no_text(values: tuple[Any, ...]) -> bool:
    return not any(type(value) is bytes for value in values)


@dataclass
class PickleResult:
    """Outcome of emulating one pickle (what the format dispatcher needs to know)."""

    ok: bool
    protocol: int | None
    opcodes: int
    end: int
    error: str | None
    globals: list[tuple[str, str]] = field(default_factory=list)
    suspicious: bool = False
    persistent_ids: int = 0


# -- reading ---------------------------------------------------------------------------------
class _Reader:
    """A local buffer over the source: the whole mapping for memory, ~1 MB chunks for streams.

    ``rel_origin + pos`` is the offset relative to the source's start. ``soft`` is where the hot
    loop must call ``refill`` (a checkpoint every ``CHUNK`` bytes, and before the last 16 bytes so
    fixed-size arguments never need a bounds check).
    """

    def __init__(self, source: Any) -> None:
        self.source = source
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

    def _set_soft(self) -> None:
        if self.limit - self.pos > 16:
            self.soft = min(self.pos + CHUNK, self.limit - 16)
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
            self.soft = self.limit - 16

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


# -- shared per-pickle bookkeeping -----------------------------------------------------------
class _Tracker:
    """Imports and anomalies of one top-level pickle (nested joblib pickles included)."""

    def __init__(self, base_offset: int) -> None:
        self.base_offset = base_offset
        self.globals: dict[tuple[str, str], GlobalRef] = {}
        self.anomalies: dict[str, tuple[int, str, Severity]] = {}
        self.persistent_ids = 0
        self.protocol: int | None = None

    def ref(self, module: str, name: str, offset: int, opcode: str,
            resolved: bool = True) -> GlobalRef:
        key = (module, name)
        ref = self.globals.get(key)
        if ref is None:
            ref = self.globals[key] = GlobalRef(module, name, offset, opcode, resolved)
        ref.count += 1
        return ref

    def anomaly(self, kind: str, offset: int, detail: str,
                severity: Severity = Severity.MEDIUM) -> None:
        if kind not in self.anomalies:
            self.anomalies[kind] = (offset, detail, severity)


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return value.decode("utf-8", "replace")


def _preview(value: Any, depth: int = 0) -> str:
    """A short, bounded rendering of call arguments for evidence (never recursive-unbounded)."""
    if depth > 3:
        return "..."
    if type(value) is bytes:
        text = value.decode("utf-8", "replace")
        return repr(text if len(text) <= 200 else text[:200] + "...")
    if type(value) is tuple:
        inner = ", ".join(_preview(v, depth + 1) for v in value[:8])
        return f"({inner}{', ...' if len(value) > 8 else ''}{',' if len(value) == 1 else ''})"
    return repr(value) if isinstance(value, (int, GlobalRef, CallResult, Blob)) else "<value>"


# -- the emulator ----------------------------------------------------------------------------
class _Emulator:
    """One pickle stream: stack, marks and memo of lightweight values."""

    def __init__(self, reader: _Reader, tracker: _Tracker, ctx: ScanContext | None,
                 nested: int = 0) -> None:
        self.reader = reader
        self.tracker = tracker
        self.ctx = ctx
        self.nested = nested
        settings = ctx.settings if ctx is not None else None
        self.memo_cap = settings.max_memo_entries if settings is not None else 2_000_000
        self.max_opcodes = settings.max_opcodes if settings is not None else 500_000_000
        self.ops_before = ctx.state.opcodes if ctx is not None else 0
        self.ops = 0
        self.precious: set[bytes] = set()
        self.pinned: set[int] = set()  # memo keys that held an import (see _evict)
        self.counted: dict[int, GlobalRef] = {}  # memoized getattr imports (see _store_ref)

    def offset(self, pos: int) -> int:
        return self.tracker.base_offset + self.reader.rel_origin + pos

    # the hot loop: one function, locals only, most frequent opcodes first
    def run(self) -> None:  # noqa: C901 - a dispatch loop reads best as one block
        r = self.reader
        tracker = self.tracker
        buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
        stack: list[Any] = []
        append = stack.append
        marks: list[int] = []
        fence = 0
        memo: dict[int, Any] = {}
        dense = 0
        extra: set[int] = set()
        counted = self.counted
        ops = fused = run = 0
        memo_get = memo.get
        opaque = OPAQUE
        opaque_type = _Opaque
        storable = _STORABLE
        call_result = CallResult
        global_ref = GlobalRef
        i4, u4, u8 = _I4, _U4, _U8
        try:
            for ops in itertools.count(1):
                if pos > soft:
                    r.pos = pos
                    self.ops = ops + fused
                    self._checkpoint(len(stack), len(marks))
                    if len(memo) > self.memo_cap:
                        memo = self._evict(memo)
                        memo_get = memo.get
                    r.refill()
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                op = buf[pos]
                pos += 1
                if op == 0x68:  # BINGET
                    # A list of records pickles as runs of memo references (dict keys, shared
                    # strings), each followed by a scalar or another reference; a dict such as
                    # {"id": 1, "name": "u1", "score": 0.5, "tags": ("a", 1)} is
                    #   EMPTY_DICT MEMOIZE MARK  BINGET BININT  BINGET SHORT_BINUNICODE MEMOIZE
                    #   BINGET BINFLOAT  BINGET BINGET BININT1 TUPLE2 MEMOIZE  SETITEMS
                    # and the next one follows at once. This loop walks such runs, record after
                    # record, in one dispatch (most of a 300 MB pickle of records). An opcode
                    # byte is only looked at up to ``soft``, so fixed-size arguments are in the
                    # buffer; anything else ends the run and goes through the main loop (which
                    # also reports every error). ``run`` counts opcodes after the first.
                    verified = False
                    while True:
                        key = buf[pos]
                        value = memo_get(key)  # never getattr: no type test on a hit
                        if value is None:
                            if counted and key in counted:
                                value = counted[key]
                                value.pushes += 1
                            elif key >= dense and key not in extra:
                                raise PickleError(f"memo key {key} not found")
                            else:
                                value = opaque
                        op = buf[pos + 1]
                        if op == 0x68:  # BINGET: a key, then a value from the memo
                            append(value)
                            if pos >= soft:
                                pos += 1
                                break
                            pos += 2
                            run += 1
                            continue
                        if op == 0x47:  # BINFLOAT
                            item = opaque
                            pos += 10
                        elif op == 0x4A:  # BININT
                            item = i4(buf, pos + 2)[0]
                            pos += 6
                        elif op == 0x8C:  # SHORT_BINUNICODE, then MEMOIZE: a string value
                            end = pos + 3 + buf[pos + 2]
                            if end >= limit:
                                append(value)
                                pos += 1
                                break
                            item = buf[pos + 3:end]
                            pos = end
                            if buf[pos] == 0x94 and not extra:
                                memo[dense] = item
                                dense += 1
                                pos += 1
                                run += 1
                        elif op == 0x4B:  # BININT1
                            item = buf[pos + 2]
                            pos += 3
                        elif op == 0x4D:  # BININT2
                            item = buf[pos + 2] | (buf[pos + 3] << 8)
                            pos += 4
                        else:
                            append(value)
                            pos += 1
                            break
                        if pos > soft:
                            append(value)
                            append(item)
                            run += 1
                            break
                        op = buf[pos]
                        if op == 0x68:  # the next key
                            append(value)
                            append(item)
                            pos += 1
                            run += 2
                            continue
                        if op == 0x86:  # TUPLE2 (+ MEMOIZE): the pair (reference, scalar)
                            pair = (value, item)
                            append(pair)
                            pos += 1
                            run += 2
                            op = buf[pos]
                            if op == 0x94 and not extra:
                                if type(value) is not bytes and type(item) is not bytes:
                                    memo[dense] = pair  # tuples holding text are not kept
                                dense += 1
                                pos += 1
                                run += 1
                                op = buf[pos]
                            if op == 0x68:  # the next key
                                pos += 1
                                run += 1
                                continue
                        else:
                            append(value)
                            append(item)
                            run += 1
                        # SETITEMS ending a record of a list of dicts, then the next record's
                        # EMPTY_DICT MEMOIZE MARK: only when the dict is untracked and every
                        # check of the SETITEMS branch below passes (``fence`` is the MARK).
                        # Once one record passed, the next dict is the untracked one pushed
                        # here, above the same enclosing MARK: only the item count is left.
                        if op != 0x75 or extra or (len(stack) - fence) & 1:
                            break
                        if not verified:
                            if (fence <= (marks[-2] if len(marks) > 1 else 0)
                                    or type(stack[fence - 1]) is not opaque_type):
                                break
                            verified = True
                        if buf[pos + 1:pos + 4] != b"}\x94(":
                            break
                        del stack[fence:]
                        append(opaque)
                        fence += 1
                        marks[-1] = fence
                        dense += 1
                        pos += 4
                        if pos > soft or buf[pos] != 0x68:
                            run += 4
                            break
                        pos += 1
                        fused += run + 5  # once per record, so that ``run`` stays a small int
                        run = 0
                    fused += run
                    run = 0  # (also what the error handlers below add)
                elif op == 0x75:  # SETITEMS
                    if not marks:
                        raise PickleError("SETITEMS without MARK")
                    mark = marks.pop()
                    fence = marks[-1] if marks else 0
                    if mark <= fence:
                        raise PickleError("SETITEMS without a target")
                    if (len(stack) - mark) & 1:
                        raise PickleError("odd number of items for SETITEMS")
                    target = stack[mark - 1]
                    if type(target) is opaque_type:
                        del stack[mark:]
                        if buf[pos:pos + 3] == b"}\x94(" and not extra:
                            # the next record of a list of dicts: EMPTY_DICT, MEMOIZE, MARK;
                            # the dict on top is untracked, so the new one is too (see EMPTY_DICT)
                            append(opaque)
                            dense += 1
                            pos += 3
                            fused += 3
                            fence = mark + 1
                            marks.append(fence)
                    else:
                        if type(target) is dict:
                            self._fill_dict(target, stack, mark)
                        else:
                            self._mutation(target, "SETITEMS", pos - 1)
                        del stack[mark:]
                elif op == 0x86:  # TUPLE2, usually followed by MEMOIZE
                    if len(stack) - 2 < fence:
                        raise PickleError("TUPLE2 stack underflow")
                    second = stack.pop()
                    first = stack[-1]
                    stack[-1] = (first, second)
                    if buf[pos] == 0x94 and not extra:
                        if type(first) is not bytes and type(second) is not bytes:  # _STORABLE
                            memo[dense] = stack[-1]
                        dense += 1
                        pos += 1
                        fused += 1
                elif op == 0x8C:  # SHORT_BINUNICODE, usually followed by MEMOIZE
                    n = buf[pos]
                    end = pos + 1 + n
                    if end < limit:
                        text = buf[pos + 1:end]
                        append(text)
                        pos = end
                        if buf[pos] == 0x94 and not extra:
                            memo[dense] = text
                            dense += 1
                            pos += 1
                            fused += 1
                    else:
                        pos, buf, soft, limit = self._text_arg(n, pos + 1, stack)
                elif op == 0x7D:  # EMPTY_DICT, usually followed by MEMOIZE and MARK
                    if stack and type(stack[-1]) is call_result:
                        append({})  # may become BUILD state (joblib wrappers, dtypes)
                    else:
                        append(opaque)
                        if buf[pos] == 0x94 and not extra:
                            dense += 1
                            pos += 1
                            fused += 1
                            if buf[pos] == 0x28:
                                fence = len(stack)
                                marks.append(fence)
                                pos += 1
                                fused += 1
                elif op == 0x47:  # BINFLOAT
                    pos += 8
                    append(opaque)
                elif op == 0x4D:  # BININT2
                    append(buf[pos] | (buf[pos + 1] << 8))
                    pos += 2
                elif op == 0x4B:  # BININT1
                    append(buf[pos])
                    pos += 1
                elif op == 0x4A:  # BININT
                    append(i4(buf, pos)[0])
                    pos += 4
                elif op == 0x94:  # MEMOIZE
                    if len(stack) <= fence:
                        raise PickleError("MEMOIZE on an empty stack")
                    if extra:
                        self._memo_put(memo, dense + len(extra), stack[-1], extra, dense)
                        dense = self._dense
                    else:
                        vt = type(stack[-1])
                        if vt is bytes:
                            memo[dense] = stack[-1]
                        elif vt is not opaque_type and vt in storable and (
                                vt is not tuple or _no_text(stack[-1])):
                            if vt is global_ref:
                                self._store_ref(memo, dense, stack[-1])
                            else:
                                memo[dense] = stack[-1]
                        dense += 1
                elif op == 0x28:  # MARK
                    fence = len(stack)
                    marks.append(fence)
                elif op == 0x71:  # BINPUT
                    key = buf[pos]
                    pos += 1
                    if len(stack) <= fence:
                        raise PickleError("PUT on an empty stack")
                    if key == dense and not extra:
                        vt = type(stack[-1])
                        if vt is bytes:
                            memo[dense] = stack[-1]
                        elif vt is not opaque_type and vt in storable and (
                                vt is not tuple or _no_text(stack[-1])):
                            if vt is global_ref:
                                self._store_ref(memo, dense, stack[-1])
                            else:
                                memo[dense] = stack[-1]
                        dense += 1
                    else:
                        self._memo_put(memo, key, stack[-1], extra, dense)
                        dense = self._dense
                elif op == 0x58:  # BINUNICODE
                    n = u4(buf, pos)[0]
                    pos += 4
                    if n <= MAX_TEXT and pos + n < limit:
                        append(buf[pos:pos + n])
                        pos += n
                    else:
                        pos, buf, soft, limit = self._text_arg(n, pos, stack)
                elif op == 0x65:  # APPENDS
                    if not marks:
                        raise PickleError("APPENDS without MARK")
                    mark = marks.pop()
                    fence = marks[-1] if marks else 0
                    if mark <= fence:
                        raise PickleError("APPENDS without a target")
                    target = stack[mark - 1]
                    if type(target) is not _Opaque:
                        self._mutation(target, "APPENDS", pos - 1)
                    del stack[mark:]
                elif op == 0x4E:  # NONE
                    append(None)
                elif op == 0x6A:  # LONG_BINGET
                    key = _U4(buf, pos)[0]
                    pos += 4
                    value = memo_get(key)
                    if value is None:
                        if counted and key in counted:
                            value = counted[key]
                            value.pushes += 1
                        elif key >= dense and key not in extra:
                            raise PickleError(f"memo key {key} not found")
                        else:
                            value = opaque
                    append(value)
                elif op == 0x72:  # LONG_BINPUT
                    key = _U4(buf, pos)[0]
                    pos += 4
                    if len(stack) <= fence:
                        raise PickleError("PUT on an empty stack")
                    self._memo_put(memo, key, stack[-1], extra, dense)
                    dense = self._dense
                elif op == 0x88:  # NEWTRUE
                    append(True)
                elif op == 0x89:  # NEWFALSE
                    append(False)
                elif op == 0x5D or op == 0x8F:  # EMPTY_LIST, EMPTY_SET
                    append(opaque)
                elif op == 0x29:  # EMPTY_TUPLE
                    append(())
                elif op == 0x85:  # TUPLE1
                    if len(stack) <= fence:
                        raise PickleError("TUPLE1 on an empty stack")
                    stack[-1] = (stack[-1],)
                elif op == 0x87:  # TUPLE3
                    if len(stack) - 3 < fence:
                        raise PickleError("TUPLE3 stack underflow")
                    third = stack.pop()
                    second = stack.pop()
                    stack[-1] = (stack[-1], second, third)
                elif op == 0x95:  # FRAME
                    frame = u8(buf, pos)[0]
                    pos += 8
                    if r.memory and frame > limit - pos:
                        tracker.anomaly(
                            "frame-length", self.offset(pos - 9),
                            f"FRAME declares {frame} bytes but {max(limit - pos, 0)} remain (the "
                            "C unpickler stops, the pure-Python one reads on)")
                elif op == 0x52:  # REDUCE
                    if len(stack) - 2 < fence:
                        raise PickleError("REDUCE stack underflow")
                    args = stack.pop()
                    stack[-1] = self._call(stack[-1], args, "REDUCE", pos - 1)
                elif op == 0x81:  # NEWOBJ
                    if len(stack) - 2 < fence:
                        raise PickleError("NEWOBJ stack underflow")
                    args = stack.pop()
                    stack[-1] = self._call(stack[-1], args, "NEWOBJ", pos - 1)
                elif op == 0x62:  # BUILD
                    if len(stack) - 2 < fence:
                        raise PickleError("BUILD stack underflow")
                    state = stack.pop()
                    target = stack[-1]
                    if type(target) is call_result:
                        skip = self._build(target, state, pos - 1)
                        if skip:
                            r.pos = pos
                            self._joblib_array(target, stack)
                            buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    elif type(target) is global_ref:
                        target.invoked = True
                        tracker.anomaly(
                            "build-global", self.offset(pos - 1),
                            f"BUILD sets attributes on the imported global {target!r} (a "
                            "published way to smuggle names past allowlists)", Severity.HIGH)
                elif op == 0x93:  # STACK_GLOBAL
                    if len(stack) - 2 < fence:
                        raise PickleError("STACK_GLOBAL stack underflow")
                    name = stack.pop()
                    module = stack[-1]
                    stack[-1] = self._stack_global(module, name, pos - 1)
                elif op == 0x8D:  # BINUNICODE8
                    n = _U8(buf, pos)[0]
                    pos += 8
                    pos, buf, soft, limit = self._text_arg(n, pos, stack)
                elif op == 0x43:  # SHORT_BINBYTES
                    n = buf[pos]
                    pos += 1 + n
                    if pos > limit:
                        r.pos = pos - n
                        r.skip(n)
                        buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(opaque)
                elif op in (0x42, 0x8E, 0x96):  # BINBYTES, BINBYTES8, BYTEARRAY8
                    if op == 0x42:
                        n = _U4(buf, pos)[0]
                        pos += 4
                    else:
                        n = _U8(buf, pos)[0]
                        pos += 8
                    r.pos = pos
                    if n > sys.maxsize:
                        raise PickleError(f"declared length {n} exceeds the maximum size")
                    r.skip(n)
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(Blob(n))
                elif op == 0x2E:  # STOP
                    if len(stack) <= fence:
                        raise PickleError("STOP on an empty stack")
                    r.pos = pos
                    self.ops = ops + fused
                    return
                elif op == 0x80:  # PROTO
                    proto = buf[pos]
                    pos += 1
                    if proto > 5:
                        raise PickleError(f"unsupported pickle protocol: {proto}")
                    if tracker.protocol is None:
                        tracker.protocol = proto
                elif op == 0x32:  # DUP
                    if len(stack) <= fence:
                        raise PickleError("DUP on an empty stack")
                    if type(stack[-1]) is global_ref:
                        stack[-1].pushes += 1
                    append(stack[-1])
                elif op == 0x30:  # POP
                    if len(stack) > fence:
                        stack.pop()
                    elif marks:
                        del stack[marks.pop():]
                        fence = marks[-1] if marks else 0
                    else:
                        raise PickleError("POP on an empty stack")
                elif op == 0x31:  # POP_MARK
                    if not marks:
                        raise PickleError("POP_MARK without MARK")
                    del stack[marks.pop():]
                    fence = marks[-1] if marks else 0
                elif op == 0x61:  # APPEND
                    if len(stack) - 2 < fence:
                        raise PickleError("APPEND stack underflow")
                    stack.pop()
                    if type(stack[-1]) is not _Opaque:
                        self._mutation(stack[-1], "APPEND", pos - 1)
                elif op == 0x73:  # SETITEM
                    if len(stack) - 3 < fence:
                        raise PickleError("SETITEM stack underflow")
                    value = stack.pop()
                    key = stack.pop()
                    target = stack[-1]
                    if type(target) is dict:
                        if type(key) is bytes and len(target) < MAX_DICT:
                            target[key] = value
                    elif type(target) is not _Opaque:
                        self._mutation(target, "SETITEM", pos - 1)
                elif op in (0x74, 0x6C, 0x64, 0x91):  # TUPLE, LIST, DICT, FROZENSET
                    if not marks:
                        raise PickleError("container opcode without MARK")
                    mark = marks.pop()
                    fence = marks[-1] if marks else 0
                    if op == 0x74:
                        value = tuple(stack[mark:]) if len(stack) - mark <= MAX_TUPLE else opaque
                    elif op == 0x64:
                        if (len(stack) - mark) & 1:
                            raise PickleError("odd number of items for DICT")
                        value = {}
                        self._fill_dict(value, stack, mark)
                    else:
                        value = opaque
                    del stack[mark:]
                    append(value)
                elif op == 0x90:  # ADDITEMS
                    if not marks:
                        raise PickleError("ADDITEMS without MARK")
                    mark = marks.pop()
                    fence = marks[-1] if marks else 0
                    if mark <= fence:
                        raise PickleError("ADDITEMS without a target")
                    if type(stack[mark - 1]) is not _Opaque:
                        self._mutation(stack[mark - 1], "ADDITEMS", pos - 1)
                    del stack[mark:]
                elif op == 0x8A:  # LONG1
                    n = buf[pos]
                    r.pos = pos + 1
                    r.ensure(n)
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(int.from_bytes(buf[pos:pos + n], "little", signed=True)
                           if n <= 8 else opaque)
                    pos += n
                elif op == 0x8B:  # LONG4
                    n = _I4(buf, pos)[0]
                    pos += 4
                    if n < 0:
                        raise PickleError("LONG4 with a negative byte count")
                    r.pos = pos
                    r.skip(n)
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(opaque)
                elif op == 0x55:  # SHORT_BINSTRING
                    n = buf[pos]
                    pos, buf, soft, limit = self._text_arg(n, pos + 1, stack)
                elif op == 0x54:  # BINSTRING
                    n = _I4(buf, pos)[0]
                    pos += 4
                    if n < 0:
                        raise PickleError("BINSTRING with a negative length")
                    pos, buf, soft, limit = self._text_arg(n, pos, stack)
                elif op == 0x92:  # NEWOBJ_EX
                    if len(stack) - 3 < fence:
                        raise PickleError("NEWOBJ_EX stack underflow")
                    stack.pop()  # kwargs
                    args = stack.pop()
                    stack[-1] = self._call(stack[-1], args, "NEWOBJ_EX", pos - 1)
                elif op == 0x6F:  # OBJ
                    if not marks:
                        raise PickleError("OBJ without MARK")
                    mark = marks.pop()
                    fence = marks[-1] if marks else 0
                    if len(stack) - mark < 1:
                        raise PickleError("OBJ without a class")
                    cls = stack[mark]
                    args = tuple(stack[mark + 1:mark + 1 + MAX_TUPLE])
                    del stack[mark:]
                    append(self._call(cls, args, "OBJ", pos - 1))
                elif op in (0x63, 0x69):  # GLOBAL, INST
                    at = pos - 1
                    r.pos = pos
                    start, end = r.line()
                    module_text = bytes(r.buf[start:end])
                    start, end = r.line()
                    name_text = bytes(r.buf[start:end])
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    opname = "GLOBAL" if op == 0x63 else "INST"
                    ref = tracker.ref(
                        module_text.decode("utf-8", "surrogateescape").strip(),
                        name_text.decode("utf-8", "surrogateescape").strip(),
                        self.offset(at), opname)
                    if op == 0x63:
                        append(ref)
                    else:
                        if not marks:
                            raise PickleError("INST without MARK")
                        mark = marks.pop()
                        fence = marks[-1] if marks else 0
                        args = tuple(stack[mark:mark + MAX_TUPLE])
                        del stack[mark:]
                        append(self._call(ref, args, "INST", at))
                elif op in (0x49, 0x4C, 0x46, 0x53, 0x56, 0x50, 0x67, 0x70):
                    # INT, LONG, FLOAT, STRING, UNICODE, PERSID, GET, PUT: text-line arguments
                    r.pos = pos
                    start, end = r.line()
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    value = self._line_value(op, buf, start, end, stack)
                    if op == 0x67:  # GET
                        key = value
                        value = memo_get(key)
                        if value is None:
                            if counted and key in counted:
                                value = counted[key]
                                value.pushes += 1
                            elif key >= dense and key not in extra:
                                raise PickleError(f"memo key {key} not found")
                            else:
                                value = opaque
                        append(value)
                    elif op == 0x70:  # PUT
                        if len(stack) <= fence:
                            raise PickleError("PUT on an empty stack")
                        self._memo_put(memo, value, stack[-1], extra, dense)
                        dense = self._dense
                    else:
                        append(value)
                elif op == 0x51:  # BINPERSID
                    if len(stack) <= fence:
                        raise PickleError("BINPERSID on an empty stack")
                    stack[-1] = opaque
                    tracker.persistent_ids += 1
                elif op in (0x82, 0x83, 0x84):  # EXT1, EXT2, EXT4
                    if op == 0x82:
                        code = buf[pos]
                        pos += 1
                    elif op == 0x83:
                        code = buf[pos] | (buf[pos + 1] << 8)
                        pos += 2
                    else:
                        code = _I4(buf, pos)[0]
                        pos += 4
                    if code <= 0:
                        raise PickleError("EXT code must be positive")
                    append(tracker.ref("copyreg extension", f"code {code}",
                                       self.offset(pos - 1), "EXT", resolved=False))
                elif op == 0x97:  # NEXT_BUFFER
                    append(opaque)
                elif op == 0x98:  # READONLY_BUFFER
                    if len(stack) <= fence:
                        raise PickleError("READONLY_BUFFER on an empty stack")
                else:
                    raise PickleError(f"invalid opcode 0x{op:02x}")
        except IndexError:
            r.pos = min(pos, r.limit)
            self.ops = ops + fused + run
            raise PickleError("truncated: the pickle ends before STOP") from None
        except struct.error:
            r.pos = min(pos, r.limit)
            self.ops = ops + fused + run
            raise PickleError("truncated: the pickle ends inside an opcode argument") from None
        except (PickleError, ScanLimitReached):
            r.pos = min(pos, r.limit)
            self.ops = ops + fused + run
            raise

    # -- slow paths (rare opcodes, bookkeeping) ------------------------------------------------
    def _checkpoint(self, stack_size: int, mark_count: int) -> None:
        if self.ops_before + self.ops > self.max_opcodes:
            raise ScanLimitReached(f"more than max_opcodes={self.max_opcodes} pickle opcodes")
        if stack_size > MAX_STACK:
            raise ScanLimitReached(f"pickle stack deeper than {MAX_STACK} values")
        if mark_count > MAX_MARKS:
            raise ScanLimitReached(f"pickle MARK nesting deeper than {MAX_MARKS}")

    def _memo_put(self, memo: dict[int, Any], key: int, value: Any, extra: set[int],
                  dense: int) -> None:
        """Store ``memo[key] = value`` keeping ``len(memo)`` exact (MEMOIZE numbers by it).

        The size cap is enforced at the next checkpoint (at most ``CHUNK`` entries later).
        """
        if key < 0:
            raise PickleError("negative memo key")
        if key == dense:
            dense += 1
            while dense in extra:
                extra.discard(dense)
                dense += 1
        elif key > dense:
            extra.add(key)
            if len(extra) > self.memo_cap:
                raise ScanLimitReached(f"more than max_memo_entries={self.memo_cap} memo keys")
        if self.counted:
            self.counted.pop(key, None)
        if type(value) is GlobalRef:
            self._store_ref(memo, key, value)
        elif type(value) in _STORABLE and (type(value) is not tuple or _no_text(value)):
            memo[key] = value
        else:
            memo.pop(key, None)
        self._dense = dense

    def _store_ref(self, memo: dict[int, Any], key: int, ref: GlobalRef) -> None:
        """Memoize an import: pinned so that eviction keeps it, getattr apart from the memo.

        Only getattr needs its pushes counted (they decide whether every use of it was a
        ``getattr(Class, "attr")`` judged as that import, see ``_emit``). Keeping it out of
        ``memo`` lets the hot memo lookups skip a type test on every hit; a miss checks
        ``counted`` (never evicted, capped like the memo).
        """
        if (ref.module, ref.name) in _GETATTR:
            if len(self.counted) >= self.memo_cap:
                raise ScanLimitReached(f"more than max_memo_entries={self.memo_cap} memo keys")
            self.counted[key] = ref
            memo.pop(key, None)
        else:
            memo[key] = ref
            self.pinned.add(key)

    def _evict(self, memo: dict[int, Any]) -> dict[int, Any]:
        """Forget the oldest half of the memo, but never a name that fed an import or an import.

        A later GET of a forgotten entry yields an untracked value, so if it feeds
        ``STACK_GLOBAL`` the import is reported as unresolved (high): capping is never silent.
        A 300 MB pickle of records evicts about once per 40 MB, so this stays at C speed: the
        entries to keep are found through ``pinned`` (the keys that held them), the young half
        is copied whole into a fresh, compact dict, and the old entries are only walked one by
        one when a new name that fed an import is among them.
        """
        pinned = self.pinned
        precious = self.precious
        if len(pinned) > self.memo_cap:
            raise ScanLimitReached(f"more than max_memo_entries={self.memo_cap} memoized imports")
        kept: dict[int, Any] = {}
        for key in list(pinned):
            value = memo.get(key)
            if type(value) is GlobalRef or (type(value) is bytes and value in precious):
                kept[key] = memo.pop(key)
            else:
                pinned.discard(key)  # overwritten since, by a value that may be forgotten
        keep_from = len(memo) // 2
        if not precious.isdisjoint(itertools.islice(memo.values(), keep_from)):
            for key, value in itertools.islice(memo.items(), keep_from):
                if type(value) is bytes and value in precious:
                    kept[key] = value
                    pinned.add(key)
        young = dict(itertools.islice(memo.items(), keep_from, None))
        young.update(kept)
        return young

    def _fill_dict(self, target: dict[Any, Any], stack: list[Any], mark: int) -> None:
        items = stack[mark:]
        for index in range(0, min(len(items), 2 * MAX_DICT) - 1, 2):
            key = items[index]
            if type(key) is bytes and len(target) < MAX_DICT:
                target[key] = items[index + 1]

    def _text_arg(self, n: int, pos: int, stack: list[Any]) -> tuple[int, Any, int, int]:
        r = self.reader
        r.pos = pos
        if n > sys.maxsize:
            raise PickleError(f"declared length {n} exceeds the maximum size")
        if n <= MAX_TEXT:
            r.ensure(n)
            stack.append(bytes(r.buf[r.pos:r.pos + n]))
            r.pos += n
        else:
            r.skip(n)
            stack.append(OPAQUE)
        return r.pos, r.buf, r.soft, r.limit

    def _line_value(self, op: int, buf: Any, start: int, end: int, stack: list[Any]) -> Any:
        length = end - start
        if op in (0x67, 0x70):  # GET, PUT
            try:
                return int(bytes(buf[start:end]))
            except ValueError:
                raise PickleError("memo key is not a number") from None
        if op == 0x50:  # PERSID
            self.tracker.persistent_ids += 1
            return OPAQUE
        if op in (0x49, 0x4C):  # INT, LONG
            if length > 40:
                return OPAQUE
            text = bytes(buf[start:end]).rstrip(b"L")
            if op == 0x49 and text in (b"00", b"01"):
                return text == b"01"
            try:
                return int(text)
            except ValueError:
                raise PickleError("invalid integer literal") from None
        if op == 0x46 or length > 4 * MAX_TEXT:  # FLOAT, or text too long to matter
            return OPAQUE
        raw = bytes(buf[start:end])
        if op == 0x53:  # STRING: a quoted Python 2 str literal
            if len(raw) < 2 or raw[:1] != raw[-1:] or raw[:1] not in (b"'", b'"'):
                raise PickleError("the STRING opcode argument must be quoted")
            value = codecs.escape_decode(raw[1:-1])[0]
        else:  # UNICODE
            value = raw.decode("raw-unicode-escape").encode("utf-8", "surrogatepass")
        return value if len(value) <= MAX_TEXT else OPAQUE

    def _stack_global(self, module: Any, name: Any, at: int) -> GlobalRef:
        tracker = self.tracker
        module_ok = type(module) is bytes
        name_ok = type(name) is bytes
        if module_ok and name_ok:
            self.precious.add(module)
            self.precious.add(name)
            return tracker.ref(_text(module).strip(), _text(name).strip(), self.offset(at),
                               "STACK_GLOBAL")
        module_text = _text(module) if module_ok else "?"
        name_text = _text(name) if name_ok else "?"
        return tracker.ref(module_text, name_text, self.offset(at), "STACK_GLOBAL",
                           resolved=False)

    def _call(self, func: Any, args: Any, opname: str, at: int) -> Any:
        cls = func
        if type(func) is GlobalRef:
            if ((func.module, func.name) in _GETATTR and type(args) is tuple and len(args) == 2
                    and type(args[0]) is GlobalRef and args[0].resolved
                    and type(args[1]) is bytes):
                # getattr(Class, "attr") is how pickle saves class methods (ZoneInfo._unpickle):
                # judge it as the import Class.attr; getattr stays flagged if used otherwise
                func.translated += 1
                owner = args[0]
                return self.tracker.ref(owner.module, f"{owner.name}.{_text(args[1])}",
                                        self.offset(at), "REDUCE getattr")
            func.invoked = True
            if func.call_args is None:
                func.call_args = _preview(args)
            if (func.module, func.name) in _CONSTRUCTOR_HELPERS and type(args) is tuple and args:
                cls = args[0]
                if type(cls) is GlobalRef:
                    cls.invoked = True
        else:
            self.tracker.anomaly(
                "computed-callable", self.offset(at),
                f"{opname} calls a value computed while loading (e.g. the result of getattr or "
                "an import helper) instead of an imported global", Severity.HIGH)
        return CallResult(func, args, cls)

    def _build(self, target: CallResult, state: Any, at: int) -> bool:
        """Mark the class invoked (``__setstate__``); True if joblib array bytes follow."""
        cls = target.cls
        target.state = state
        if type(cls) is GlobalRef:
            cls.invoked = True
            return (not self.nested and cls.resolved
                    and (cls.module, cls.name) in _JOBLIB_WRAPPERS)
        return False

    def _mutation(self, target: Any, opname: str, at: int) -> None:
        if type(target) is GlobalRef:
            target.invoked = True
            self.tracker.anomaly(
                "mutates-global", self.offset(at),
                f"{opname} changes the imported global {target!r} in place (normal pickles "
                "never modify imported objects)", Severity.HIGH)

    # -- joblib --------------------------------------------------------------------------------
    def _joblib_array(self, wrapper: CallResult, stack: list[Any]) -> None:
        """Skip the raw array bytes joblib writes right after a ``NumpyArrayWrapper``'s BUILD.

        Mirrors ``NumpyArrayWrapper.read_array``: an optional padding-length byte (when the
        state has ``numpy_array_alignment_bytes``), then ``prod(shape) * itemsize`` bytes; object
        arrays are a nested pickle instead, which is scanned like any other.
        """
        r = self.reader
        state = wrapper.state
        if type(state) is not dict:
            raise PickleError("joblib array wrapper without a readable state")
        shape = state.get(b"shape")
        dtype = state.get(b"dtype")
        itemsize, has_object = _dtype_size(dtype)
        if has_object:
            if self.nested >= MAX_NESTED:
                raise ScanLimitReached(f"joblib object arrays nested deeper than {MAX_NESTED}")
            inner = _Emulator(r, self.tracker, self.ctx, nested=self.nested + 1)
            inner.ops_before = self.ops_before + self.ops
            try:
                inner.run()
            finally:
                self.ops += inner.ops
        else:
            if itemsize is None or type(shape) is not tuple or not all(
                    type(d) is int and d >= 0 for d in shape):
                raise PickleError("joblib array wrapper with a shape or dtype that cannot be "
                                  "sized; the array bytes cannot be skipped safely")
            count = 1
            for dim in shape:
                count *= dim
            if state.get(b"numpy_array_alignment_bytes") is not None:
                r.ensure(1)
                padding = r.buf[r.pos]
                r.pos += 1
                r.skip(padding)
            r.skip(count * itemsize)
        # joblib's unpickler replaces the wrapper by the array on the stack
        stack[-1] = OPAQUE


def _dtype_size(dtype: Any) -> tuple[int | None, bool]:
    """``(itemsize, has_object)`` of an emulated ``numpy.dtype(...)`` call result."""
    if type(dtype) is not CallResult or type(dtype.func) is not GlobalRef:
        return None, False
    if (dtype.func.module, dtype.func.name) not in _NUMPY_DTYPE:
        return None, False
    args = dtype.args
    if type(args) is not tuple or not args or type(args[0]) is not bytes:
        return None, False
    code = args[0].decode("ascii", "replace")
    state = dtype.state
    flags = state[7] if type(state) is tuple and len(state) >= 8 else 0
    if code.startswith("O") or (type(flags) is int and flags & 1):
        return None, True
    if type(state) is tuple and len(state) >= 6 and type(state[5]) is int and state[5] > 0:
        return state[5], False
    kind, digits = code[:1], code[1:]
    if kind not in _TYPE_SIZES or not digits.isdigit():
        return None, False
    size = int(digits)
    return (size * 4 if kind == "U" else size), False


# -- findings --------------------------------------------------------------------------------
def _emit(tracker: _Tracker, ctx: ScanContext | None) -> bool:
    """One finding per distinct global (and per anomaly kind); True if any is >= medium."""
    if ctx is None:
        return False
    suspicious = False
    overrides = ctx.settings.globals
    seen = ctx.state.globals_seen
    for ref in tracker.globals.values():
        label = f"{ref.module}.{ref.name}"
        seen[label] = seen.get(label, 0) + ref.count
        if ref.translated and ref.translated >= ref.count + ref.pushes:
            continue  # every use was getattr(Class, "attr"), judged as that import instead
        evidence = {"module": ref.module, "name": ref.name, "invoked": ref.invoked,
                    "count": ref.count, "opcode": ref.opcode}
        if ref.call_args is not None:
            evidence["args"] = ref.call_args
        if not ref.resolved:
            ctx.add("MODEL-PICKLE-UNRESOLVED-GLOBAL",
                    f"{ref.opcode} imports {label}: the module or name comes from a value the "
                    "scanner cannot resolve (computed, forgotten memo entry or extension code)",
                    ref.offset, evidence)
            suspicious = True
            continue
        verdict = classify(ref.module, ref.name, overrides)
        evidence["reason"] = verdict.reason
        if verdict.kind == "safe":
            continue
        severity = Severity.MEDIUM if verdict.severity is None else verdict.severity
        if verdict.kind == "dangerous":
            rule = "MODEL-PICKLE-EXEC" if ref.invoked else "MODEL-PICKLE-DANGEROUS-GLOBAL"
            action = "imports and calls" if ref.invoked else "imports"
            ctx.add(rule, f"The pickle {action} {label}: {verdict.reason}.", ref.offset,
                    evidence, severity=severity)
        else:
            ctx.add("MODEL-PICKLE-UNKNOWN-GLOBAL",
                    f"The pickle imports {label} ({verdict.reason}).", ref.offset, evidence,
                    severity=severity)
        suspicious = suspicious or severity >= Severity.MEDIUM
    for kind, (offset, detail, severity) in tracker.anomalies.items():
        ctx.add("MODEL-PICKLE-ANOMALY", detail, offset, {"kind": kind}, severity=severity)
        suspicious = suspicious or severity >= Severity.MEDIUM
    return suspicious


# -- public API ------------------------------------------------------------------------------
def looks_like_pickle(head: bytes) -> bool:
    """Cheap sniff: does ``head`` (the first bytes of a file) parse as the start of a pickle?

    A PROTO 2-5 header is enough. Header-less protocol 0/1 pickles are text-like
    (``cos\\nsystem\\n(S'ls'\\ntR.``), so they are dry-run: the head must parse as opcodes up to
    STOP or up to its own end, with no error. Ordinary text fails within a few bytes (an unknown
    opcode, a pop from an empty stack, a memo key never stored).
    """
    if len(head) >= 2 and head[0] == 0x80:
        return 2 <= head[1] <= 5
    if not head or head[0] not in _PROTO0_STARTS:
        return False
    emulator = _Emulator(_Reader(MemorySource(bytes(head[:HEAD_SNIFF]))), _Tracker(0), None)
    try:
        emulator.run()
    except PickleError as exc:
        return str(exc).startswith("truncated") and emulator.ops >= 2
    except ScanLimitReached:
        return False
    return True


_PROTO0_STARTS = frozenset(b"(}])NIJKLMFGSTUVXcidlte")


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while one pickle is emulated.

    The emulator allocates millions of small tuples (stack values, memo entries) that never form
    reference cycles, so reference counting frees them all; but every generation-2 pass of the
    cyclic collector walks the whole growing memo. On a 300 MB pickle of small objects that was a
    third of the run time (36 s of CPU with the collector, 24 s without). Memory stays bounded by
    the memo cap either way. The previous state is restored, even on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan_pickle(source: Any, ctx: ScanContext, *, base_offset: int = 0,
                report_errors: bool = True) -> PickleResult:
    """Emulate ONE pickle from the current position of ``source`` up to and including STOP.

    Findings go to ``ctx`` (imports found before any damage are always reported). If the stream
    breaks and ``report_errors`` is true, a ``MODEL-MALFORMED`` finding says where and why.
    ``ScanLimitReached`` propagates to the caller after the findings so far are emitted.
    """
    reader = _Reader(source)
    tracker = _Tracker(base_offset)
    start = reader.tell()
    emulator = _Emulator(reader, tracker, ctx)
    error: str | None = None
    try:
        with _cyclic_gc_paused():
            emulator.run()
    except PickleError as exc:
        error = str(exc)
    finally:
        ctx.state.opcodes += emulator.ops
        end = reader.tell()
        reader.finish()
        suspicious = _emit(tracker, ctx)
    if error is not None and report_errors:
        ctx.add("MODEL-MALFORMED",
                f"Pickle stream starting at byte {base_offset + start} breaks at byte "
                f"{base_offset + end}: {error}.", base_offset + end,
                {"error": error, "opcodes": emulator.ops})
        suspicious = True
    return PickleResult(
        ok=error is None, protocol=tracker.protocol, opcodes=emulator.ops,
        end=end, error=error, globals=list(tracker.globals),
        suspicious=suspicious, persistent_ids=tracker.persistent_ids,
    )


def scan_pickle_stream(source: Any, ctx: ScanContext, *,
                       report_errors: bool = True) -> list[PickleResult]:
    """Scan consecutive pickles until the end of ``source`` (appended pickles are a known trick).

    Bytes after a valid pickle that do not start another pickle are reported once as a low
    ``MODEL-PICKLE-ANOMALY`` with their offset, not as a malformed file.
    """
    results: list[PickleResult] = []
    while True:
        head = source.peek(HEAD_SNIFF)
        if not head:
            break
        if results and not looks_like_pickle(head):
            at = source.tell()
            ctx.add("MODEL-PICKLE-ANOMALY",
                    f"{_remaining(source)} bytes that are not a pickle follow the pickle "
                    f"stream at byte {at}.", at, {"kind": "trailing-data"}, severity=Severity.LOW)
            break
        result = scan_pickle(source, ctx, base_offset=0, report_errors=report_errors)
        results.append(result)
        if len(results) == 2:
            ctx.add("MODEL-PICKLE-ANOMALY",
                    f"Several pickles are appended in one stream; the second starts at byte "
                    f"{results[0].end}. Every one was scanned.", results[0].end,
                    {"kind": "appended-pickles"}, severity=Severity.MEDIUM)
        if not result.ok or source.tell() <= (results[-2].end if len(results) > 1 else -1):
            break
    return results


def _remaining(source: Any) -> str:
    size = getattr(source, "size", None)
    return str(size - source.tell()) if size is not None else "Some"
