"""Fuzzing the lineage reader: hostile bytes give a clean read or a one-line error, quickly.

Input families: arbitrary bytes; a real chain cut at any byte (a torn write); a real chain with a
hostile line put anywhere (``NaN``/``Infinity`` literals, objects nested up to 200,000 deep,
lines of megabytes, unpaired surrogates, bit flips). For each input every reader runs:
``read_records``, ``verify``, ``verify_signed_bytes``, the ``mlsec lineage verify|show`` command
(in-process, so a traceback would show in its stderr), and an append onto the file (recording
must go on whatever the file holds). Each must finish within ``EXAMPLE_CPU_SECONDS`` of CPU time,
never raise, and a CLI error must be one line. ``MLSEC_FUZZ_EXAMPLES`` sets the examples per
family (default 100).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsecops_jupyter import cli
from mlsecops_jupyter.lineage import read_records, verify
from mlsecops_jupyter.lineage.chain import parse_record, seal, split_lines, verify_bytes
from mlsecops_jupyter.lineage.schema import GENESIS
from mlsecops_jupyter.lineage.signing import verify_signed_bytes
from mlsecops_jupyter.lineage.store import LineageStore

EXAMPLE_CPU_SECONDS = 10.0
KEY = bytes(range(32))

FUZZ = settings(
    max_examples=int(os.environ.get("MLSEC_FUZZ_EXAMPLES", "100")),
    deadline=None,  # the bound is asserted explicitly, in CPU time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
    print_blob=True,
)


def _chain(count: int = 5) -> bytes:
    lines, prev = [], GENESIS
    for seq in range(count):
        record, line = seal({"kind": "cell", "time": "2026-01-01T00:00:00.000000Z",
                             "code": {"source": f"x_{seq} = {seq}"}, "n": seq},
                            seq=seq, prev=prev)
        prev = record["hash"]
        lines.append(line)
    return b"".join(lines)


CHAIN = _chain()


def _deep(depth: int, opener: bytes) -> bytes:
    closer = b"]" if opener == b"[" else b"}"
    inner = opener * depth if opener == b"[" else b'{"a":' * depth
    body = inner + (b"1" if opener == b"{" else b"") + closer * depth
    return b'{"schema":"mlsecops-lineage/1","seq":5,"hash":"x","v":' + body + b"}"


hostile_lines = st.one_of(
    st.sampled_from([b"NaN", b"Infinity", b"-Infinity"]).map(
        lambda literal: b'{"schema":"mlsecops-lineage/1","seq":5,"hash":"x","v":' + literal +
        b"}"),
    st.tuples(st.integers(min_value=1, max_value=200_000), st.sampled_from([b"[", b"{"])).map(
        lambda pair: _deep(*pair)),
    st.tuples(st.integers(min_value=1, max_value=4), st.sampled_from([b"a", b"{", b"\xff"])).map(
        lambda pair: pair[1] * (pair[0] * 1024 * 1024)),
    st.just(b'{"schema":"mlsecops-lineage/1","seq":5,"hash":"x","v":"\\udc00"}'),
    st.just(b'{"schema":"mlsecops-lineage/1","seq":' + b"7" * 6000 + b',"hash":"x"}'),
    st.binary(max_size=512),
)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["lineage", *args])
    return code, out.getvalue(), err.getvalue()


def read_everything(data: bytes) -> None:
    """Every reader on ``data``, then an append; each bounded, none raising."""
    with tempfile.TemporaryDirectory(prefix="mlsec-lineage-fuzz-") as folder:
        path = Path(folder) / "nb.lineage.jsonl"
        path.write_bytes(data)
        started = time.process_time()
        records = read_records(path)
        result = verify(path)
        assert "\n" not in result.reason
        assert verify_bytes(data).to_dict() == result.to_dict()
        verify_signed_bytes(data, KEY)
        for action in ("verify", "show"):
            code, out, err = _cli(action, str(path))
            assert code in (0, 1, 2), (action, code, err)
            assert "Traceback" not in err and "internal error" not in err, err
            if code == 2:
                assert err.count("\n") == 1 and err.startswith("mlsec: error: "), err
            if code in (0, 1) and action == "verify":
                assert len(out.splitlines()) == 1, out
        assert all(parse_record(json.dumps(r).encode()) is not None for r in records)

        stored = LineageStore(path).append({"kind": "cell", "n": "after"})
        after = read_records(path)
        assert after and after[-1]["hash"] == stored["hash"]
        if _only_the_end_was_bad(data, result):
            # what was at the end is named by a recovery record: the chain goes on, intact
            final = verify(path)
            assert final.ok, final.reason
        elapsed = time.process_time() - started
        assert elapsed < EXAMPLE_CPU_SECONDS, f"{elapsed:.1f} s of CPU for {len(data)} bytes"


def _only_the_end_was_bad(data: bytes, result: Any) -> bool:
    """True when the chain verified up to its first bad line and nothing after it is a
    record (a torn write, or hostile lines appended at the end)."""
    if result.ok:
        return True
    if result.first_bad is None:
        return False
    return all(parse_record(line) is None for _offset, line, _end in
               split_lines(data)[result.first_bad:])


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data: bytes) -> None:
    read_everything(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(CHAIN)))
def test_a_chain_cut_anywhere(cut: int) -> None:
    read_everything(CHAIN[:cut])


@FUZZ
@given(line=hostile_lines, where=st.integers(min_value=0, max_value=5),
       newline=st.booleans())
def test_a_hostile_line_anywhere_in_a_chain(line: bytes, where: int, newline: bool) -> None:
    lines = CHAIN.splitlines(keepends=True)
    hostile = line.replace(b"\n", b" ") + (b"\n" if newline or where < len(lines) else b"")
    read_everything(b"".join([*lines[:where], hostile, *lines[where:]]))


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1,
                      max_size=8))
def test_bytes_flipped_in_a_chain(flips: list[tuple[int, int]]) -> None:
    data = bytearray(CHAIN)
    for position, value in flips:
        data[position % len(data)] = value
    read_everything(bytes(data))
