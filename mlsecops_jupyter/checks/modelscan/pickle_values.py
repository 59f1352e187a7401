"""The emulated machine's values: stand-ins for what a pickle builds, and its bookkeeping.

The emulator never builds the object graph. It keeps short strings (candidate module and
attribute names, as UTF-8 ``bytes``), small ints and tuples, a ``GlobalRef`` for every import, a
``CallResult`` for every call and one shared ``OPAQUE`` for everything else; a ``Blob`` is a byte
string seen only by its length. ``Tracker`` collects the imports and anomalies of one top-level
pickle for the verdict stage (``pickle_verdict``).
"""

from __future__ import annotations

import struct
from typing import Any

from ...core.severity import Severity

I4 = struct.Struct("<i").unpack_from
U4 = struct.Struct("<I").unpack_from
U8 = struct.Struct("<Q").unpack_from


class Opaque:
    """A value the emulator does not track (numbers, containers, long strings...)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<value>"


OPAQUE = Opaque()


class Blob:
    """A byte string seen only by its length (its bytes are skipped, never read).

    ``offset`` is where its bytes start in the scanned source (``-1``: unknown), so a loader
    called on it (``pickle.loads``, ``torch.storage._load_from_bytes``) can have them scanned
    as an embedded file afterwards; ``text`` marks a long text string (protocol 0-2 write
    bytes as ``_codecs.encode(text, "latin1")``).
    """

    __slots__ = ("length", "offset", "text")

    def __init__(self, length: int, offset: int = -1, text: bool = False) -> None:
        self.length = length
        self.offset = offset
        self.text = text

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
STORABLE = frozenset((bytes, tuple, GlobalRef, CallResult))


def no_text(values: tuple[Any, ...]) -> bool:
    return not any(type(value) is bytes for value in values)



class Tracker:
    """Imports and anomalies of one top-level pickle (nested joblib pickles included)."""

    def __init__(self, base_offset: int) -> None:
        self.base_offset = base_offset
        self.globals: dict[tuple[str, str], GlobalRef] = {}
        self.anomalies: dict[str, tuple[int, str, Severity]] = {}
        self.persistent_ids = 0
        self.protocol: int | None = None
        # bytes a loader call unpickles or loads: (loader, Blob or literal bytes, call offset)
        self.embedded: list[tuple[str, Any, int]] = []

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


def text_of(value: bytes) -> str:
    try:
        return value.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return value.decode("utf-8", "replace")


def preview(value: Any, depth: int = 0) -> str:
    """A short, bounded rendering of call arguments for evidence (never recursive-unbounded)."""
    if depth > 3:
        return "..."
    if type(value) is bytes:
        text = value.decode("utf-8", "replace")
        return repr(text if len(text) <= 200 else text[:200] + "...")
    if type(value) is tuple:
        inner = ", ".join(preview(v, depth + 1) for v in value[:8])
        return f"({inner}{', ...' if len(value) > 8 else ''}{',' if len(value) == 1 else ''})"
    return repr(value) if isinstance(value, (int, GlobalRef, CallResult, Blob)) else "<value>"
