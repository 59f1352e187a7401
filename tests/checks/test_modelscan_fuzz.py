"""Fuzzing ``scan_model`` with hypothesis: hostile bytes never crash, hang or blow up memory.

Three input families: random bytes, mutations (bit flips, truncation, inserted bytes) of real
corpus files, and random pickle opcode sequences with absurd arguments (huge declared lengths,
unknown memo keys, unbalanced marks). Each example must come back as a ``Report`` (or a
``MLSecError`` for unreadable input) within ``EXAMPLE_SECONDS``, with a tracemalloc peak below
``EXTRA_MEMORY_BYTES`` beyond the input's size. Bounded for CI: ``MLSEC_FUZZ_EXAMPLES`` examples
per family (default 100), well under a minute in all on an idle machine.
"""

from __future__ import annotations

import os
import struct
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from corpus import Sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.errors import MLSecError
from mlsecops_jupyter.core.report import Report

EXAMPLE_SECONDS = 5.0
EXTRA_MEMORY_BYTES = 64 * 1024 * 1024
MAX_MUTATION_BASE = 256 * 1024  # corpus files larger than this are not mutated (time budget)

FUZZ = settings(
    max_examples=int(os.environ.get("MLSEC_FUZZ_EXAMPLES", "100")),
    deadline=None,  # the bound is asserted explicitly below, with a clear message
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def scan_or_error(path: Path) -> Report | MLSecError:
    """The scanner's answer: a report, or the clear error it raises for unreadable input."""
    try:
        return scan_model(path)
    except MLSecError as error:
        return error


def scan_bytes_bounded(data: bytes, suffix: str = ".bin") -> Report | MLSecError:
    """Write ``data`` to a file, scan it, and enforce the time and memory bounds.

    Time is measured on a plain run and memory on a second, traced run: tracemalloc slows
    allocation-heavy code many times over, which would make a time bound under it meaningless.
    """
    with tempfile.TemporaryDirectory(prefix="mlsec-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        started = time.perf_counter()
        outcome = scan_or_error(path)
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        try:
            scan_or_error(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert elapsed < EXAMPLE_SECONDS, f"scan of {len(data)} bytes took {elapsed:.1f} s"
    assert peak < EXTRA_MEMORY_BYTES + len(data), f"scan peaked at {peak / 2**20:.0f} MB"
    if isinstance(outcome, Report):
        assert outcome.check == "modelscan"
        for finding in outcome.findings:
            assert finding.rule.startswith("MODEL-")
    return outcome


# -- random bytes ---------------------------------------------------------------------------------

# leading bytes that steer the sniffer into each format's parser before the noise starts
MAGIC_PREFIXES = [b"", b"\x80\x02", b"\x80\x05\x95", b"PK\x03\x04", b"\x93NUMPY",
                  b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh9", b"\xfd7zXZ\x00",
                  b"\x04\x22\x4d\x18", b"ZF\x00",
                  b"\x89HDF\r\n\x1a\n", b"\x08\x07\x12", b"(cos\nsystem\n"]


@FUZZ
@given(prefix=st.sampled_from(MAGIC_PREFIXES), noise=st.binary(max_size=4096))
def test_random_bytes_never_crash(prefix: bytes, noise: bytes) -> None:
    scan_bytes_bounded(prefix + noise)


# -- mutations of real corpus files --------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "overwrite"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[position:]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "overwrite" and data:
            # large little-endian numbers where lengths and offsets usually live
            value = draw(st.sampled_from([0, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]))
            data[position:position + 4] = struct.pack("<I", value)
    return bytes(data)


@pytest.fixture(scope="session")
def mutation_bases(corpus: list[Sample]) -> list[tuple[str, bytes]]:
    return [(s.path.suffix, s.path.read_bytes()) for s in corpus
            if s.path.stat().st_size <= MAX_MUTATION_BASE]


@FUZZ
@given(data=st.data())
def test_mutated_corpus_files_never_crash(data: st.DataObject,
                                          mutation_bases: list[tuple[str, bytes]]) -> None:
    suffix, base = data.draw(st.sampled_from(mutation_bases), label="base")
    scan_bytes_bounded(data.draw(mutated(base), label="mutant"), suffix=suffix)


# -- random opcode sequences ---------------------------------------------------------------------

NO_ARGUMENT = list(b"(.012N}])tlda\x85\x86\x87esubR"
                   b"\x93\x94\x81\x92o\x8f\x90\x91\x88\x89\x97\x98")
NAMES = ["os", "system", "builtins", "eval", "collections", "OrderedDict", "torch._utils",
         "_rebuild_tensor_v2", "", "a.b.c", "\x00"]


@st.composite
def opcode(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return bytes([draw(st.sampled_from(NO_ARGUMENT))])
    if kind == 1:  # one-byte argument: memo index, small int, protocol
        return draw(st.sampled_from([b"h", b"q", b"K", b"\x80", b"\x82"])) + \
            bytes([draw(st.integers(0, 255))])
    if kind == 2:  # four-byte argument, often a memo index or a length
        return draw(st.sampled_from([b"j", b"r", b"J"])) + \
            struct.pack("<I", draw(st.integers(0, 2**32 - 1)))
    if kind == 3:  # a string whose declared length may lie
        payload = draw(st.binary(max_size=16))
        declared = draw(st.one_of(st.just(len(payload)), st.integers(0, 2**32 - 1)))
        return draw(st.sampled_from([b"X", b"B"])) + struct.pack("<I", declared) + payload
    if kind == 4:  # FRAME or BINBYTES8 with an 8-byte length
        return draw(st.sampled_from([b"\x95", b"\x8e", b"\x8d"])) + \
            struct.pack("<Q", draw(st.integers(0, 2**64 - 1)))
    if kind == 5:  # text-line opcodes: GLOBAL, INST, GET, PUT, INT
        module, name = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
        return draw(st.sampled_from([
            b"c" + module.encode() + b"\n" + name.encode() + b"\n",
            b"i" + module.encode() + b"\n" + name.encode() + b"\n",
            b"g" + str(draw(st.integers(-5, 10**12))).encode() + b"\n",
            b"p" + str(draw(st.integers(-5, 10**12))).encode() + b"\n",
            b"I" + str(draw(st.integers(-(2**70), 2**70))).encode() + b"\n",
        ]))
    return b"\x8c" + bytes([draw(st.integers(0, 255))]) + draw(st.binary(max_size=8))


@FUZZ
@given(protocol=st.integers(0, 5), body=st.lists(opcode(), max_size=60),
       stop=st.booleans())
def test_random_opcode_sequences_never_crash(protocol: int, body: list[bytes],
                                             stop: bool) -> None:
    header = b"\x80" + bytes([protocol]) if protocol >= 2 else b""
    scan_bytes_bounded(header + b"".join(body) + (b"." if stop else b""), suffix=".pkl")


# -- a few hostile shapes a random search rarely reaches ------------------------------------

HOSTILE = {
    "deep-marks": b"\x80\x04" + b"(" * 200_000 + b".",
    "deep-lists": b"\x80\x04" + b"]" * 50_000 + b"a" * 49_999 + b".",
    "huge-binunicode": b"\x80\x04X\xff\xff\xff\xff" + b"x" * 16,
    "huge-frame": b"\x80\x04\x95" + struct.pack("<Q", 2**62) + b"N.",
    "memo-get-unknown": b"\x80\x04j\xff\xff\xff\x7f\x93.",
    "many-memo-puts": b"\x80\x04" + b"N\x94" * 100_000 + b".",
    "zip-huge-entry-count": (b"PK\x05\x06" + b"\x00" * 4 + b"\xff\xff" * 2 + b"\xff" * 8
                             + b"\x00\x00"),
    "npy-huge-header": b"\x93NUMPY\x01\x00\xff\xff{'descr': '|O'",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_shapes_are_bounded(name: str) -> None:
    scan_bytes_bounded(HOSTILE[name], suffix=".pkl")
