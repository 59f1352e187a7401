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
Where a FRAME ends inside an opcode, what a file-object unpickler reads instead is emulated too
(``pickle_frames``); bytes handed to a loader (``torch.storage._load_from_bytes``,
``pickle.loads``, ``torch.load``/``numpy.load`` of a ``BytesIO``) are scanned as a nested file.

This module is the entry point; the stages live beside it: ``pickle_reader`` (opcode bytes),
``pickle_values`` (the stand-in values), ``pickle_machine`` (the dispatch loop) with
``pickle_effects`` (its rarer opcodes and memo bookkeeping) and ``pickle_inert`` (inert padding
skipped in bulk), and ``pickle_verdict`` (findings).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...core.finding import Finding
from ...core.progress import task
from ...core.severity import Severity
from .context import ScanContext, ScanLimitReached, ScanState
from .pickle_frames import STOPPED
from .pickle_machine import Emulator
from .pickle_reader import PickleError, Reader
from .pickle_values import Tracker
from .pickle_verdict import emit_findings
from .source import MemorySource

HEAD_SNIFF = 4096
MAX_EMBEDDED = 10_000  # embedded files scanned per pickle (pickle.dumps of tensors: one each)
MAX_READINGS = 8  # readings of one pickle besides the linear one (see _file_object_readings)


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
    emulator = Emulator(Reader(MemorySource(bytes(head[:HEAD_SNIFF]))), Tracker(0), None)
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
                report_errors: bool = True, frames_from: int = 0,
                readings: list[int] | None = None) -> PickleResult:
    """Emulate ONE pickle from the current position of ``source`` up to and including STOP.

    Findings go to ``ctx`` (imports found before any damage are always reported). If the stream
    breaks and ``report_errors`` is true, a ``MODEL-MALFORMED`` finding says where and why.
    ``ScanLimitReached`` propagates to the caller after the findings so far are emitted.
    Where a file-object unpickler would read other opcodes (``pickle_frames``), that reading is
    emulated too and what it adds is reported; ``frames_from`` and ``readings`` are for those
    nested readings (FRAMEs already dealt with, and how many readings are left).
    """
    reader = Reader(source)
    reader.frames_from = frames_from
    tracker = Tracker(base_offset)
    start = reader.tell()
    emulator = Emulator(reader, tracker, ctx)
    error: str | None = None
    where = f"{ctx.file}!{ctx.member}" if ctx.member else ctx.file
    try:
        with _cyclic_gc_paused(), task(f"modelscan: pickle opcodes of {where}",
                                       total=source.size) as progress:
            emulator.progress = progress
            emulator.run()
    except PickleError as exc:
        error = str(exc)
    finally:
        ctx.state.opcodes += emulator.ops
        ctx.state.opcodes_skipped += emulator.inert.skipped_ops
        end = reader.tell()
        reader.finish()
        suspicious = emit_findings(tracker, ctx)
    if error is not None and report_errors:
        ctx.add("MODEL-MALFORMED",
                f"Pickle stream starting at byte {base_offset + start} breaks at byte "
                f"{base_offset + end}: {error}.", base_offset + end,
                {"error": error, "opcodes": emulator.ops})
        suspicious = True
    if reader.cuts:
        _file_object_readings(source, start, reader.cuts, ctx, base_offset,
                              [MAX_READINGS] if readings is None else readings)
    if tracker.embedded:
        _scan_embedded(source, tracker.embedded, ctx)
    return PickleResult(
        ok=error is None, protocol=tracker.protocol, opcodes=emulator.ops,
        end=end, error=error, globals=list(tracker.globals),
        suspicious=suspicious, persistent_ids=tracker.persistent_ids,
    )


def _file_object_readings(source: Any, start: int, cuts: list[tuple[str, int, int]],
                          ctx: ScanContext, base_offset: int, readings: list[int]) -> None:
    """Emulate what a file-object unpickler reads where it leaves the linear reading.

    At a crossing read (``CUT``) it drops the bytes from there to the frame end; after a STOP
    inside a frame (``STOPPED``) the next load starts at the frame end. Each such reading is
    scanned into a scratch state, and the findings it adds (an import or anomaly the linear
    reading does not have) are reported, saying so. ``readings`` bounds their number per pickle
    (each may hold further crossings); past it the scan is incomplete.
    """
    if not isinstance(source, MemorySource):
        ctx.incomplete("a FRAME ends inside an opcode of a compressed pickle stream: the other "
                       "reading of a file-object unpickler was not emulated",
                       {"cuts": len(cuts)})
        return
    for kind, at, frame_end in cuts:
        if readings[0] <= 0:
            ctx.incomplete(f"more than {MAX_READINGS} readings of one pickle (FRAMEs that end "
                           "inside opcodes): the others were not emulated", {"cut_at": at})
            return
        readings[0] -= 1
        scratch = ScanState(ctx.settings)
        other = ScanContext(scratch, ctx.file, ctx.members, ctx.depth)
        if kind == STOPPED:
            rest = source.window(frame_end, source.size)
            scan_pickle_stream(rest, other, base_offset=base_offset + frame_end,
                               readings=readings)
        else:
            stream = (source.bytes_at(start, at - start)
                      + source.bytes_at(frame_end, source.size - frame_end))
            scan_pickle(MemorySource(stream), other, base_offset=base_offset + start,
                        frames_from=at - start, readings=readings)
        _report_new(ctx, scratch, kind)


def _scan_embedded(source: Any, embedded: list[tuple[str, Any, int]],
                   ctx: ScanContext) -> None:
    """Scan the bytes a loader call of the pickle reads, as an embedded file of any format.

    ``torch.storage._load_from_bytes`` (``pickle.dumps`` of a tensor) holds a whole torch
    checkpoint loaded with ``weights_only=False``; ``pickle.loads``, ``torch.load`` or
    ``numpy.load`` of a ``BytesIO`` hold a pickle, checkpoint or ``.npy``. Each is scanned as a
    member named after the call, so a payload inside is reported at its own severity.
    """
    from .dispatch import scan_member

    for loader, value, at in embedded[:MAX_EMBEDDED]:
        name = f"{loader}(<bytes>) at byte {at}"
        if type(value) is bytes:
            inner = MemorySource(value)
        elif not isinstance(source, MemorySource):
            ctx.incomplete(f"{loader} at byte {at} loads {value.length} embedded bytes of a "
                           "compressed stream, which were not kept to be scanned",
                           {"loader": loader, "bytes": value.length})
            continue
        else:
            inner = source.window(value.offset, value.offset + value.length)
            if value.text:  # protocol 0-2 bytes: latin-1 characters written as UTF-8 text
                text = inner.read(value.length).decode("utf-8", "surrogatepass")
                inner = MemorySource(text.encode("latin-1", "replace"))
        scan_member(ctx, name, lambda inner=inner: inner)  # type: ignore[misc]
    if len(embedded) > MAX_EMBEDDED:
        ctx.incomplete(f"{len(embedded)} loader calls on embedded bytes; only the first "
                       f"{MAX_EMBEDDED} were scanned", {"calls": len(embedded)})


def _report_new(ctx: ScanContext, scratch: ScanState, kind: str) -> None:
    """Findings of another reading that the linear one does not have, marked as such."""
    def key(finding: Finding) -> tuple[Any, ...]:
        evidence = finding.evidence or {}
        return (finding.rule, evidence.get("module"), evidence.get("name"),
                evidence.get("kind"))

    known = {key(finding) for finding in ctx.state.findings}
    how = ("after the frame end, where a file-object unpickler starts the next load"
           if kind == STOPPED else "when read from a file object (pickle.load(file), "
           "torch.load), which drops the rest of a FRAME")
    for finding in scratch.findings:
        if key(finding) not in known:
            known.add(key(finding))
            ctx.state.findings.append(
                dataclasses.replace(finding, detail=f"{finding.detail} [{how}]"))
    for name, count in scratch.globals_seen.items():
        ctx.state.globals_seen[name] = ctx.state.globals_seen.get(name, 0) + count


def scan_pickle_stream(source: Any, ctx: ScanContext, *, report_errors: bool = True,
                       base_offset: int = 0,
                       readings: list[int] | None = None) -> list[PickleResult]:
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
        result = scan_pickle(source, ctx, base_offset=base_offset, report_errors=report_errors,
                             readings=readings)
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
