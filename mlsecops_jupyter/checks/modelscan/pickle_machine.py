"""The emulated machine: the pickle opcode dispatch loop, with stand-in values.

The loop walks the opcode stream of protocols 0-5 the way ``pickle``'s C unpickler does (stack,
MARK fences, memo, ``STACK_GLOBAL``, ``REDUCE``/``BUILD``...), but the values it keeps are
stand-ins (``pickle_values``). Frequent opcodes are handled inline, with locals only; rarer ones
and the bookkeeping call ``MachineOps`` (``pickle_effects``).
"""

from __future__ import annotations

import itertools
import struct
import sys
from typing import Any

from ...core.severity import Severity
from .context import ScanLimitReached
from .pickle_effects import MAX_DICT, MAX_TEXT, MAX_TUPLE, MachineOps
from .pickle_reader import PickleError
from .pickle_values import (
    I4,
    OPAQUE,
    STORABLE,
    U4,
    U8,
    Blob,
    CallResult,
    GlobalRef,
    Opaque,
    no_text,
)


class Emulator(MachineOps):
    """One pickle stream: stack, marks and memo of lightweight values."""

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
        inert = self.inert
        ops = fused = run = 0
        memo_get = memo.get
        opaque = OPAQUE
        opaque_type = Opaque
        storable = STORABLE
        call_result = CallResult
        global_ref = GlobalRef
        i4, u4, u8 = I4, U4, U8
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
                    inert.reset()
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
                        if type(first) is not bytes and type(second) is not bytes:  # STORABLE
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
                                vt is not tuple or no_text(stack[-1])):
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
                                vt is not tuple or no_text(stack[-1])):
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
                    if type(target) is not Opaque:
                        self._mutation(target, "APPENDS", pos - 1)
                    del stack[mark:]
                elif op == 0x4E:  # NONE
                    append(None)
                elif op == 0x6A:  # LONG_BINGET
                    key = U4(buf, pos)[0]
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
                    key = U4(buf, pos)[0]
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
                    soft = self._frame(pos, frame, soft)
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
                    n = U8(buf, pos)[0]
                    pos += 8
                    pos, buf, soft, limit = self._text_arg(n, pos, stack)
                elif op == 0x43:  # SHORT_BINBYTES
                    n = buf[pos]
                    pos += 1 + n
                    at = pos - n + r.rel_origin
                    if pos > limit:
                        r.pos = pos - n
                        r.skip(n)
                        buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(Blob(n, at))
                elif op in (0x42, 0x8E, 0x96):  # BINBYTES, BINBYTES8, BYTEARRAY8
                    if op == 0x42:
                        n = U4(buf, pos)[0]
                        pos += 4
                    else:
                        n = U8(buf, pos)[0]
                        pos += 8
                    r.pos = pos
                    if n > sys.maxsize:
                        raise PickleError(f"declared length {n} exceeds the maximum size")
                    at = r.tell()
                    r.skip(n)
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(Blob(n, at))
                elif op == 0x2E:  # STOP
                    if len(stack) <= fence:
                        raise PickleError("STOP on an empty stack")
                    r.pos = pos
                    self.ops = ops + fused
                    if r.frame_end >= 0 and not self.nested:
                        self.stopped()
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
                        inert.dup_refs += 1
                    append(stack[-1])
                elif op == 0x30:  # POP
                    if len(stack) > fence:
                        stack.pop()
                    elif marks:
                        del stack[marks.pop():]
                        fence = marks[-1] if marks else 0
                    else:
                        raise PickleError("POP on an empty stack")
                    if pos >= inert.next_try:  # a repeated inert block may follow (pickle_inert)
                        skipped = inert.after_pop(buf, pos, min(limit, r.watch()), stack,
                                                  marks)
                        if skipped:
                            pos += skipped
                            fused += inert.last_ops
                elif op == 0x31:  # POP_MARK
                    if not marks:
                        raise PickleError("POP_MARK without MARK")
                    del stack[marks.pop():]
                    fence = marks[-1] if marks else 0
                    if pos >= inert.next_try:
                        skipped = inert.after_pop(buf, pos, min(limit, r.watch()), stack,
                                                  marks)
                        if skipped:
                            pos += skipped
                            fused += inert.last_ops
                elif op == 0x61:  # APPEND
                    if len(stack) - 2 < fence:
                        raise PickleError("APPEND stack underflow")
                    stack.pop()
                    if type(stack[-1]) is not Opaque:
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
                    elif type(target) is not Opaque:
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
                    if type(stack[mark - 1]) is not Opaque:
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
                    n = I4(buf, pos)[0]
                    pos += 4
                    if n < 0:
                        raise PickleError("LONG4 with a negative byte count")
                    if r.frame_end >= 0:
                        self._crosses(pos, pos + n)
                    r.pos = pos
                    r.skip(n)
                    buf, pos, soft, limit = r.buf, r.pos, r.soft, r.limit
                    append(opaque)
                elif op == 0x55:  # SHORT_BINSTRING
                    n = buf[pos]
                    pos, buf, soft, limit = self._text_arg(n, pos + 1, stack)
                elif op == 0x54:  # BINSTRING
                    n = I4(buf, pos)[0]
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
                    if r.frame_end >= 0:
                        self._crosses(start, end + 1)
                    module_text = bytes(r.buf[start:end])
                    start, end = r.line()
                    if r.frame_end >= 0:
                        self._crosses(start, end + 1)
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
                    if r.frame_end >= 0:
                        self._crosses(start, end + 1)
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
                    stack[-1] = self._persistent(stack[-1])
                    tracker.persistent_ids += 1
                elif op in (0x82, 0x83, 0x84):  # EXT1, EXT2, EXT4
                    if op == 0x82:
                        code = buf[pos]
                        pos += 1
                    elif op == 0x83:
                        code = buf[pos] | (buf[pos + 1] << 8)
                        pos += 2
                    else:
                        code = I4(buf, pos)[0]
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
