"""The fast path over inert opcode padding gives exactly the opcode-by-opcode verdict, quickly.

``pickle_inert`` skips repeated blocks of stack shuffles in bulk. Property: on random and
adversarial streams (padding of every kind, padding that is almost inert, inert-looking bytes
inside string arguments, payloads and imports between runs, stream boundaries) the findings,
the opcode count, the end offset and any error are the same with the fast path on and off.
Nothing here is unpickled; payloads name ``os.system`` with the canary command and never run.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import pickle
import pickletools
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.checks.modelscan import pickle_inert
from mlsecops_jupyter.checks.modelscan.context import ScanContext, ScanLimitReached, ScanState
from mlsecops_jupyter.checks.modelscan.pickle_reader import CHUNK
from mlsecops_jupyter.checks.modelscan.pickle_scan import scan_pickle_stream
from mlsecops_jupyter.checks.modelscan.source import MemorySource, StreamSource
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

# an import that is called: os.system("touch <canary>"), protocol 0 opcodes
PAYLOAD = b"cos\nsystem\n(S'touch /nonexistent/canary'\ntR"
GETATTR = b"cbuiltins\ngetattr\n"
PROPERTY = settings(max_examples=300, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def fast_path(enabled: bool) -> Iterator[None]:
    saved = pickle_inert.InertRuns.enabled
    pickle_inert.InertRuns.enabled = enabled
    try:
        yield
    finally:
        pickle_inert.InertRuns.enabled = saved


def outcome(blob: bytes, *, stream: bool = False, settings: Settings | None = None,
            state: ScanState | None = None) -> Any:
    """Everything a scan decides: per-pickle results, findings, or the limit it stopped at."""
    state = state or ScanState((settings or Settings()).modelscan)
    ctx = ScanContext(state, "sample.pkl")
    source: Any = MemorySource(blob)
    if stream:
        source = StreamSource(gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(blob, 1))), state,
                              "gzip")
    try:
        results = scan_pickle_stream(source, ctx)
    except ScanLimitReached as exc:
        return ("limit", exc.what, state.findings)
    return ([(r.ok, r.protocol, r.opcodes, r.end, r.error, r.globals) for r in results],
            state.findings)


def same_both_ways(blob: bytes, *, stream: bool = False) -> Any:
    with fast_path(False):
        slow = outcome(blob, stream=stream)
    with fast_path(True):
        fast = outcome(blob, stream=stream)
    assert fast == slow
    return fast


# -- building blocks of random streams ------------------------------------------------------------
INERT_UNITS = [b"N0", b"(1", b"(0", b")0", b"]0", b"}0", b"\x880", b"\x890", b"\x8f0", b"20",
               b"NN00", b"(NN1", b"(N1", b"N20", b"N200", b"K\x010", b"M\x01\x020",
               b"J\x00\x00\x00\x000", b"G" + struct.pack(">d", 1.5) + b"0", b"(N\x85t0",
               b"NN\x860", b"NNN\x870", b"(Nl0", b"0N", b"1(", b"N", b"0", b"2", b"(", b"1"]
PIECES = [
    PAYLOAD, GETATTR, b"N", b"\x88", b"K\x07", b"(", b"0", b"1", b"2", b")", b"t", b"\x85",
    b"\x86", b"R", b"b", b"\x94", b"q\x01", b"h\x01", b"h\x00", b"}", b"s", b"u", b"a", b"e",
    b"\x93", b"\x8c\x02os", b"\x8c\x06system", b"\x95\x10\x00\x00\x00\x00\x00\x00\x00",
    b"X\x04\x00\x00\x00N0N0", b"\x8c\x08(1(1(1(1", b"C\x0420202", b"U\x02N0",
]


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    parts = [draw(st.sampled_from([b"", b"\x80\x02", b"\x80\x04", b"\x80\x05"]))]
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            unit = draw(st.sampled_from(INERT_UNITS))
            parts.append(unit * draw(st.integers(1, 300)))
        elif draw(st.integers(0, 9)) == 0:
            parts.append(draw(st.binary(min_size=1, max_size=8)))
        else:
            parts.append(draw(st.sampled_from(PIECES)))
    parts.append(draw(st.sampled_from([b".", b"", b"N.", b"N.N0N0N0."])))
    return b"".join(parts)


@st.composite
def mixed_padding(draw: st.DrawFn) -> bytes:
    """A random mix of units (never periodic), then the payload."""
    units = draw(st.lists(st.sampled_from(INERT_UNITS[:23]), min_size=1, max_size=5))
    order = draw(st.lists(st.integers(0, len(units) - 1), min_size=50, max_size=3000))
    prefix = draw(st.sampled_from([b"\x80\x04", b"\x80\x04N", b"\x80\x04" + GETATTR,
                                   b"\x80\x04(N"]))
    return prefix + b"".join(units[i] for i in order) + PAYLOAD + b"."


@PROPERTY
@given(streams())
def test_random_streams_get_the_same_verdict_with_and_without_the_fast_path(blob: bytes) -> None:
    same_both_ways(blob)


@PROPERTY
@given(mixed_padding())
def test_random_padding_mixes_get_the_same_verdict(blob: bytes) -> None:
    result = same_both_ways(blob)
    assert isinstance(result[0], list)


@settings(max_examples=40, deadline=None)
@given(mixed_padding())
def test_random_padding_through_a_stream_gets_the_same_verdict(blob: bytes) -> None:
    same_both_ways(blob, stream=True)


# -- adversarial streams --------------------------------------------------------------------------
ADVERSARIAL = {
    # padding, then the payload
    "none-pop": b"\x80\x04" + b"N0" * 5000 + PAYLOAD + b".",
    "mark-popmark": b"\x80\x04" + b"(1" * 5000 + PAYLOAD + b".",
    "nested": b"\x80\x04" + b"(NN00N1" * 2000 + PAYLOAD + b".",
    "with-arguments": b"\x80\x04" + b"K\x300J0000G00000000\x8700" * 800 + PAYLOAD + b".",
    # DUP of an import: each DUP counts a use of getattr, which decides its verdict
    "dup-import": b"\x80\x04" + GETATTR + b"20" * 3000 + b"cbuiltins\nobject\n\x8c\x03mro\x86R.",
    "dup-import-nested": b"\x80\x04" + GETATTR + b"2200" * 1000 + b"0N.",
    # almost inert: each copy leaves one more value, or swaps the top for None
    "grows": b"\x80\x04" + b"NN0" * 3000 + PAYLOAD + b".",
    "swaps-top": b"\x80\x04\x88" + b"0N" * 3000 + PAYLOAD + b".",
    "swaps-back": b"\x80\x04N" + b"0N" * 3000 + PAYLOAD + b".",
    "pops-below": b"\x80\x04" + b"N" * 10 + b"0" * 40 + PAYLOAD + b".",
    "dup-on-mark": b"\x80\x04(" + b"20" * 100 + PAYLOAD + b".",
    # padding with memo writes: not inert, must go opcode by opcode
    "memoize": b"\x80\x04" + b"N\x940" * 3000 + PAYLOAD + b".",
    "binput": b"\x80\x04" + b"Nq\x010" * 3000 + b"h\x01.",
    # inert-looking bytes inside arguments, a payload right after
    "text-argument": b"\x80\x04X\x10\x27\x00\x00" + b"N0" * 5000 + b"0" + PAYLOAD + b".",
    "bytes-argument": b"\x80\x04B\x10\x27\x00\x00" + b"(1" * 5000 + b"0" + PAYLOAD + b".",
    "payload-between-runs": (b"\x80\x04" + b"N0" * 2000 + PAYLOAD + b"0" + b"N0" * 2000
                             + b"cposix\nsystem\n(S'x'\ntR."),
    "broken-after-padding": b"\x80\x04" + b"N0" * 3000 + b"0" * 3 + PAYLOAD + b".",
    "unterminated": b"\x80\x04" + b"(1" * 3000,
    "padding-after-stop": b"\x80\x04N." + b"N0" * 3000,
    "appended": b"\x80\x04" + b"N0" * 3000 + b"N." + b"\x80\x04" + b"(1" * 3000 + PAYLOAD + b".",
}


@pytest.mark.parametrize("name", ADVERSARIAL)
@pytest.mark.parametrize("stream", [False, True], ids=["memory", "stream"])
def test_adversarial_streams_get_the_same_verdict(name: str, stream: bool) -> None:
    same_both_ways(ADVERSARIAL[name], stream=stream)


def test_text_arguments_across_stream_chunks_get_the_same_verdict() -> None:
    """Arguments that make the reader refill mid-opcode, between padding, at many offsets."""
    pieces = [b"\x80\x04"]
    for index in range(3000):
        pieces.append(b"N0" * (300 + index % 7) + b"X\x2c\x01\x00\x00" + b"N0" * 150 + b"0")
    blob = b"".join(pieces) + PAYLOAD + b"."
    assert len(blob) > 2 * CHUNK  # several refills of the reader
    same_both_ways(blob, stream=True)


def skipped_share(blob: bytes) -> float:
    state = ScanState(Settings().modelscan)
    outcome(blob, state=state)
    return state.opcodes_skipped / state.opcodes


def test_padding_of_any_mix_of_inert_blocks_is_skipped() -> None:
    import random

    rng = random.Random(7)
    neutral = [u for u in INERT_UNITS[:23] if u != b"N20"]
    for units in ([b"N0", b")0", b"(1", b"]0", b"20"], [b"N0", b"NN00", b"(N1", b"(0"],
                  neutral):
        padding = b"".join(rng.choice(units) for _ in range(100_000))
        blob = b"\x80\x04N" + padding + PAYLOAD + b"."
        assert skipped_share(blob) > 0.95, units
        same_both_ways(blob)


def test_opcode_count_and_offsets_are_exact() -> None:
    blob = ADVERSARIAL["payload-between-runs"]
    (results, findings) = same_both_ways(blob)
    assert results[0][2] == sum(1 for _ in pickletools.genops(blob))
    offsets = {f.evidence["module"]: f.location.offset for f in findings}
    assert offsets == {"os": blob.index(b"cos"), "posix": blob.index(b"cposix")}


def test_dup_counts_of_an_import_are_multiplied_not_dropped() -> None:
    # getattr DUPed and popped 3000 times, then used once as getattr(object, "mro"): judged
    # as the import object.mro only if every push of getattr was that use, which it was not
    _, findings = same_both_ways(ADVERSARIAL["dup-import"])
    assert [f.evidence["name"] for f in findings if f.severity >= Severity.HIGH] == ["getattr"]


# -- speed: padding costs what comparing its bytes costs ------------------------------------------
@pytest.mark.parametrize(("unit", "unit_ops"), [(b"N0", 2), (b"(1", 2), (b"20", 2),
                                              (b"NN00", 4), (b"K\x01\x8800", 4)])
@pytest.mark.parametrize("stream", [False, True], ids=["memory", "stream"])
def test_fifty_million_padding_opcodes_are_skipped_quickly(unit: bytes, unit_ops: int,
                                                          stream: bool) -> None:
    copies = 50_000_000 // len(unit)
    blob = b"\x80\x04N" + unit * copies + PAYLOAD + b"."
    started = time.process_time()
    results, findings = outcome(blob, stream=stream)
    elapsed = time.process_time() - started
    assert [f.rule for f in findings] == ["MODEL-PICKLE-EXEC"]
    # PROTO, NONE, the padding, then GLOBAL MARK STRING TUPLE REDUCE STOP
    assert results[0][0] and results[0][2] == 2 + copies * unit_ops + 6
    assert elapsed < (3.0 if stream else 1.0), f"{elapsed:.2f} s of CPU"


def test_skipped_padding_does_not_count_against_the_opcode_budget() -> None:
    blob = b"\x80\x04" + b"N0" * 1_000_000 + PAYLOAD + b"."
    tight = Settings().override({"modelscan.max_opcodes": 100_000})
    results, findings = outcome(blob, settings=tight)
    assert [f.rule for f in findings] == ["MODEL-PICKLE-EXEC"]
    with fast_path(False):
        limit = outcome(blob, settings=tight)
    assert limit[0] == "limit" and "max_opcodes" in limit[1]


def test_a_real_pickle_with_pops_is_unaffected(tmp_path: Path) -> None:
    # recursive tuples make the pickler emit POP and POP_MARK
    shared: list[Any] = []
    loop = (shared, 1)
    shared.append(loop)
    blob = pickle.dumps([loop] * 50 + [{"k": (loop,)}], protocol=2)
    assert b"1" in blob or b"0" in blob
    results, findings = same_both_ways(blob)
    assert results[0][0] and findings == []
