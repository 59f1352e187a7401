"""FRAME desync: what a file-object unpickler reads where ``pickle.loads`` reads otherwise.

Each case is checked against CPython itself with harmless streams (values and
``collections.OrderedDict`` only): ``pickle.loads`` and ``pickle.load(io.BytesIO(...))`` (how
``torch.load`` reads ``data.pkl``) give different results, and the scanner reports the crossing
at high and scans the other reading (its import shows in the report's globals).
"""

from __future__ import annotations

import collections
import io
import pickle
import struct

import pytest

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.checks.modelscan.pickle_frames import (
    ALIGNED,
    CUT,
    STOPPED,
    walk_to_frame_end,
)
from mlsecops_jupyter.core.severity import Severity

ORDERED = b"ccollections\nOrderedDict\n)R."  # builds OrderedDict() and stops (harmless)


def sbu(value: str) -> bytes:
    data = value.encode()
    return b"\x8c" + bytes([len(data)]) + data


def framed(frame: bytes, after: bytes) -> bytes:
    return b"\x80\x04\x95" + struct.pack("<Q", len(frame)) + frame + after


def skipped_by_linear(hidden: bytes, value: str = "linear") -> bytes:
    """POP, then ``hidden`` as the data of a BINBYTES, then a string: what ``loads`` reads."""
    return b"0B" + struct.pack("<I", len(hidden)) + hidden + b"0" + sbu(value) + b"."


def string_crossing() -> bytes:
    # BINUNICODE of 8 bytes with 6 in the frame: loads reads "frame!ab", a file object "ab0B..."
    hidden = b"0" + ORDERED
    return framed(b"X" + struct.pack("<I", 8) + b"frame!", b"ab" + skipped_by_linear(hidden))


def fixed_argument_crossing() -> bytes:
    # BININT with 2 bytes in the frame; loads continues at after[2:] ("0C" + 48 data bytes),
    # a file object at after[4:]: the length byte 0x30 is POP there, then ORDERED
    data = (ORDERED).ljust(48, b"\x00")
    return framed(b"J\x01\x02", b"\x03\x04" + b"0C" + bytes([0x30]) + data + b"0" + sbu("linear")
                  + b".")


def line_crossing() -> bytes:
    # the GLOBAL module line starts in the frame: loads reads "zzcollections", a file object
    # "collections"
    return framed(b"czz", b"collections\nOrderedDict\n)R.")


def length_field_crossing() -> bytes:
    # BINBYTES length: 2 bytes in the frame; loads takes 0x0102_0000 + ... (more than there is:
    # it fails), a file object takes the 4 bytes after the frame (8) and then reads ORDERED
    return framed(b"B\x00\x00", struct.pack("<I", 8) + b"12345678" + b"0" + ORDERED)


def nested_frame_crossing() -> bytes:
    # a FRAME inside the frame whose own read crosses its end: a file object reads the nested
    # frame from after the outer one
    inner = b"0" + ORDERED
    return framed(sbu("a") + b"\x95" + struct.pack("<Q", len(inner)) + b"zz",
                  inner + b"junk that loads reads as opcodes")


CASES = {
    "string": string_crossing,
    "fixed-argument": fixed_argument_crossing,
    "line": line_crossing,
    "length-field": length_field_crossing,
    "nested-frame": nested_frame_crossing,
}


def outcome(load: object, data: bytes) -> object:
    try:
        return load(data)  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the failure is the outcome
        return type(exc).__name__


@pytest.mark.parametrize("case", CASES)
def test_crossing_reads_differ_in_cpython_and_are_both_scanned(case: str) -> None:
    data = CASES[case]()
    as_bytes = outcome(pickle.loads, data)
    as_file = outcome(lambda d: pickle.load(io.BytesIO(d)), data)
    assert as_file == collections.OrderedDict()
    assert as_bytes != as_file
    report = scan_model(data)
    anomalies = [f for f in report.findings if f.rule == "MODEL-PICKLE-ANOMALY"
                 and f.evidence["kind"] == "frame-desync-cut"]
    assert anomalies and anomalies[0].severity is Severity.HIGH
    assert "collections.OrderedDict" in report.metrics["globals"]


def test_a_stop_inside_a_frame_moves_the_next_load() -> None:
    visible = sbu("first") + b"." + pickle.dumps("linear second", protocol=2)
    data = framed(visible + b"\x00" * 9000, ORDERED)
    stream = io.BytesIO(data)
    assert pickle.load(stream) == "first"
    assert pickle.load(stream) == collections.OrderedDict()
    # a real buffered file: the frame is longer than its buffer
    with open_buffered(data) as handle:
        assert pickle.load(handle) == "first"
        assert pickle.load(handle) == collections.OrderedDict()
    report = scan_model(data)
    kinds = {f.evidence.get("kind"): f.severity for f in report.findings}
    assert kinds["frame-desync-stop"] is Severity.HIGH
    assert "collections.OrderedDict" in report.metrics["globals"]


def open_buffered(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data), buffer_size=io.DEFAULT_BUFFER_SIZE)


def test_real_pickles_with_many_frames_have_no_crossing() -> None:
    records = [{"id": i, "name": f"user{i}" * (i % 5), "blob": bytes(i % 300)}
               for i in range(20000)]
    data = pickle.dumps(records, protocol=5)
    assert data.count(b"\x95") > 10
    report = scan_model(data)
    assert report.findings == []


@pytest.mark.parametrize(("stream", "end", "expected"), [
    (b"N0N0.", 3, (ALIGNED, 3)),
    (b"J\x01\x02\x03\x04.", 3, (CUT, 1)),
    (b"Vabc\n.", 3, (CUT, 1)),
    (b"B\x02\x00\x00\x00xy.", 6, (ALIGNED, 7)),  # bytes data is read straight from the file
    (b"N.N.", 3, (STOPPED, 2)),
])
def test_walk_to_frame_end(stream: bytes, end: int, expected: tuple[str, int]) -> None:
    assert walk_to_frame_end(stream, 0, len(stream), end) == expected
