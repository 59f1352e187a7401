"""The hash chain: canonical form, sealing, and verification of edited/moved/removed records."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.lineage.chain import (
    canonical_json,
    record_hash,
    seal,
    to_plain,
    verify_bytes,
)
from mlsecops_jupyter.lineage.schema import GENESIS


def chain_of(count: int) -> list[bytes]:
    lines, prev = [], GENESIS
    for seq in range(count):
        record, line = seal({"kind": "cell", "time": "2026-01-01T00:00:00Z", "n": seq},
                            seq=seq, prev=prev)
        prev = record["hash"]
        lines.append(line)
    return lines


def test_sealed_line_is_the_canonical_json_of_the_record():
    record, line = seal({"kind": "cell", "b": [1, {"z": "é", "a": None}], "a": 1.5},
                        seq=0, prev=GENESIS)
    assert line == canonical_json(record) + b"\n"
    assert line.decode("utf-8") == json.dumps(record, sort_keys=True, separators=(",", ":"),
                                              ensure_ascii=False) + "\n"
    assert record["hash"] == record_hash(record)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["", "a", "h", "has", "hash0", "hasg", "hasi", "kind",
                                        "é", "zz", "HASH", "time"]) | st.text(max_size=6),
                       _JSON, max_size=6))
def test_sealing_in_two_halves_gives_the_canonical_line(body):
    """``seal`` encodes the members before and after ``hash`` apart (a fast path): its line
    must still be exactly the canonical JSON, whatever keys sort next to ``hash``."""
    body.pop("hash", None)
    record, line = seal(body, seq=3, prev=GENESIS)
    assert line == canonical_json(record) + b"\n"
    assert record["hash"] == record_hash(record)


def test_a_cycle_or_a_lone_surrogate_is_normalised_not_raised():
    cyclic: list = []
    cyclic.append(cyclic)
    record, line = seal({"kind": "x", "loop": cyclic, "text": "a\ud800b"}, seq=0, prev=GENESIS)
    assert line == canonical_json(record) + b"\n"
    assert record_hash(json.loads(line)) == record["hash"]


def test_values_json_cannot_hold_are_normalised_before_hashing():
    record, line = seal({"kind": "check", "nan": float("nan"), "inf": float("-inf"),
                         "int": np.int64(3), "float": np.float32(0.5), "tags": {"b", "a"},
                         "raw": b"\x01"}, seq=0, prev=GENESIS)
    parsed = json.loads(line)
    assert parsed["nan"] == "NaN" and parsed["inf"] == "-Infinity"
    assert parsed["int"] == 3 and parsed["float"] == 0.5
    assert parsed["tags"] == ["a", "b"] and parsed["raw"] == "01"
    assert record_hash(parsed) == parsed["hash"]


def test_to_plain_handles_arrays_and_deep_nesting():
    assert to_plain(np.arange(3)) == [0, 1, 2]
    deep: list = []
    node = deep
    for _ in range(100):
        node.append([])
        node = node[0]
    assert "nested too deep" in json.dumps(to_plain(deep))


def test_intact_chain_verifies_and_reports_its_head():
    lines = chain_of(5)
    result = verify_bytes(b"".join(lines))
    assert result.ok and result.count == 5 and result.first_bad is None
    assert result.head == json.loads(lines[-1])["hash"]


def test_empty_file_is_an_intact_empty_chain():
    result = verify_bytes(b"")
    assert result.ok and result.count == 0 and result.head is None


def edit(lines: list[bytes]) -> list[bytes]:
    record = json.loads(lines[2])
    record["n"] = 42
    return [*lines[:2], canonical_json(record) + b"\n", *lines[3:]]


def edit_and_rehash(lines: list[bytes]) -> list[bytes]:
    record = json.loads(lines[2])
    record["n"] = 42
    record["hash"] = record_hash(record)
    return [*lines[:2], canonical_json(record) + b"\n", *lines[3:]]


def reorder(lines: list[bytes]) -> list[bytes]:
    return [*lines[:2], lines[3], lines[2], *lines[4:]]


def delete(lines: list[bytes]) -> list[bytes]:
    return [*lines[:2], *lines[3:]]


def insert_copy(lines: list[bytes]) -> list[bytes]:
    return [*lines[:2], lines[1], *lines[2:]]


def insert_forged(lines: list[bytes]) -> list[bytes]:
    prev = json.loads(lines[1])["hash"]
    _, forged = seal({"kind": "cell", "time": "2026-01-01T00:00:00Z", "n": -1}, seq=2,
                     prev=prev)
    return [*lines[:2], forged, *lines[2:]]


@pytest.mark.parametrize(("tamper", "first_bad", "words"), [
    (edit, 2, "edited"),
    (edit_and_rehash, 3, "prev"),
    (reorder, 2, "seq"),
    (delete, 2, "seq"),
    (insert_copy, 2, "seq"),
    (insert_forged, 3, "seq"),
])
def test_tampering_is_found_at_the_first_bad_record(tamper, first_bad, words):
    result = verify_bytes(b"".join(tamper(chain_of(6))))
    assert not result.ok
    assert result.first_bad == first_bad
    assert words in result.reason
    assert result.count == first_bad


def test_removed_tail_is_found_against_an_anchor():
    lines = chain_of(5)
    head = json.loads(lines[-1])["hash"]
    assert verify_bytes(b"".join(lines), anchor=head).ok
    truncated = verify_bytes(b"".join(lines[:-1]), anchor=head)
    assert truncated.ok is False and "anchor" in truncated.reason


def test_foreign_line_in_the_middle_is_not_accepted():
    lines = chain_of(4)
    result = verify_bytes(b"".join([*lines[:2], b"not a record\n", *lines[2:]]))
    assert not result.ok and result.first_bad == 2


@settings(max_examples=60, deadline=None)
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0, max_value=255))
def test_any_single_byte_change_breaks_verification(position, byte):
    data = bytearray(b"".join(chain_of(4)))
    position %= len(data)
    if data[position] == byte:
        byte = (byte + 1) % 256
    data[position] = byte
    assert not verify_bytes(bytes(data)).ok
