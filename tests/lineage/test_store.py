"""The lineage file: appends, torn tails, concurrent writers, reading and locating it."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.lineage.chain import canonical_json
from mlsecops_jupyter.lineage.store import (
    ENV_FILE,
    LineageStore,
    lineage_path_for,
    read_records,
    verify,
)


def fill(path: Path, count: int, store: LineageStore | None = None) -> LineageStore:
    store = store or LineageStore(path)
    for n in range(count):
        store.append({"kind": "cell", "n": n})
    return store


def test_appends_chain_and_read_back(tmp_path):
    path = tmp_path / ".mlsec" / "nb.ipynb.lineage.jsonl"
    fill(path, 3)
    records = read_records(path)
    assert [r["seq"] for r in records] == [0, 1, 2]
    assert [r["n"] for r in records] == [0, 1, 2]
    assert verify(path).ok
    assert path.read_bytes().endswith(b"\n")
    for line in path.read_bytes().splitlines():
        assert line == canonical_json(json.loads(line))


def test_a_second_writer_chains_onto_the_first(tmp_path):
    path = tmp_path / "log.jsonl"
    first, second = LineageStore(path), LineageStore(path)
    for n in range(4):
        (first if n % 2 else second).append({"kind": "cell", "n": n})
    assert [r["n"] for r in read_records(path)] == [0, 1, 2, 3]
    assert verify(path).ok


def test_torn_tail_is_reported_then_closed_by_a_recovery_record(tmp_path):
    path = tmp_path / "log.jsonl"
    store = fill(path, 3)
    whole = path.read_bytes()
    last_line = whole.splitlines()[-1]
    path.write_bytes(whole + last_line[:25])  # a write cut short by a killed kernel

    torn = verify(path)
    assert not torn.ok and torn.torn_tail and torn.count == 3 and torn.first_bad == 3
    assert [r["seq"] for r in read_records(path)] == [0, 1, 2]

    store.append({"kind": "cell", "n": 3})
    healed = verify(path)
    assert healed.ok and healed.recovered == 1 and healed.count == 5
    records = read_records(path)
    assert [r["kind"] for r in records] == ["cell", "cell", "cell", "recovery", "cell"]
    assert records[3]["torn"]["offset"] == len(whole)
    assert records[3]["torn"]["length"] == 25


def test_recovery_record_cannot_be_moved_onto_other_bytes(tmp_path):
    path = tmp_path / "log.jsonl"
    store = fill(path, 2)
    path.write_bytes(path.read_bytes() + b'{"schema":"mlsecops-lin')
    store.append({"kind": "cell", "n": 2})
    data = path.read_bytes()
    tampered = data.replace(b'{"schema":"mlsecops-lin', b'{"schema":"mlsecops-LIN')
    path.write_bytes(tampered)
    result = verify(path)
    assert not result.ok and "torn bytes" in result.reason


def test_whole_last_record_without_newline_is_kept(tmp_path):
    path = tmp_path / "log.jsonl"
    fill(path, 2)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert verify(path).ok
    LineageStore(path).append({"kind": "cell", "n": 2})
    result = verify(path)
    assert result.ok and result.count == 3 and result.recovered == 0


def test_tail_reading_crosses_block_boundaries(tmp_path):
    """Records longer than the 64 KiB read block, written by another store, still chain."""
    path = tmp_path / "log.jsonl"
    writer = LineageStore(path)
    for n in range(3):
        writer.append({"kind": "cell", "blob": "x" * (150_000 + n)})
    fresh = LineageStore(path)  # knows nothing: must find the last record from the tail
    fresh.append({"kind": "cell", "n": 3})
    path.write_bytes(path.read_bytes() + b"y" * 200_000)  # a torn 200 KB write
    LineageStore(path).append({"kind": "cell", "n": 4})
    result = verify(path)
    assert result.ok and result.count == 6 and result.recovered == 1


def test_verify_of_a_missing_file_says_so(tmp_path):
    result = verify(tmp_path / "absent.jsonl")
    assert not result.ok and "no lineage file" in result.reason
    assert read_records(tmp_path / "absent.jsonl") == []


def _writer(path: str, writer_id: int, count: int, start: object, middle: object) -> None:
    store = LineageStore(path)
    start.wait()  # type: ignore[attr-defined]  # both writers begin together
    for n in range(count):
        if n == count // 2:
            # meet halfway: on a busy machine one writer could otherwise finish before the
            # other is scheduled, and the file would hold two blocks that never interleave
            middle.wait()  # type: ignore[attr-defined]
        store.append({"kind": "cell", "writer": writer_id, "n": n})


def test_two_processes_appending_concurrently_keep_the_chain(tmp_path):
    path = tmp_path / "shared.jsonl"
    count = 300
    context = multiprocessing.get_context("fork")
    start, middle = context.Barrier(2), context.Barrier(2)
    workers = [context.Process(target=_writer, args=(str(path), w, count, start, middle))
               for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    result = verify(path)
    assert result.ok, result.reason
    assert result.count == 2 * count
    records = read_records(path)
    for writer_id in (1, 2):
        assert [r["n"] for r in records if r["writer"] == writer_id] == list(range(count))
    writers = [r["writer"] for r in records]
    switches = sum(a != b for a, b in zip(writers, writers[1:], strict=False))
    assert switches >= 2, "the writers did not interleave: the test proved nothing"


def _append_from_a_fork_of(store: LineageStore, count: int, start, middle) -> None:
    start.wait()
    for n in range(count):
        if n == count // 2:
            middle.wait()
        store.append({"kind": "cell", "writer": 2, "n": n})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_store_kept_open_across_a_fork_still_excludes_its_parent(tmp_path):
    """The store keeps its descriptor between appends; a flock belongs to the open file, which
    a forked child shares. A child appending through the parent's store must lock a file of its
    own, else parent and child chain onto the same record."""
    path = tmp_path / "forked.jsonl"
    store = LineageStore(path)
    store.append({"kind": "cell", "writer": 1, "n": -1})  # the descriptor is open now
    count = 300
    context = multiprocessing.get_context("fork")
    start, middle = context.Barrier(2), context.Barrier(2)
    child = context.Process(target=_append_from_a_fork_of, args=(store, count, start, middle))
    child.start()
    start.wait()
    for n in range(count):
        if n == count // 2:
            middle.wait()
        store.append({"kind": "cell", "writer": 1, "n": n})
    child.join(timeout=120)
    assert child.exitcode == 0
    result = verify(path)
    assert result.ok, result.reason
    assert result.count == 2 * count + 1
    writers = [r["writer"] for r in read_records(path)]
    assert sum(a != b for a, b in zip(writers, writers[1:], strict=False)) >= 2


def test_a_log_deleted_or_replaced_while_open_is_written_where_the_path_points(tmp_path):
    path = tmp_path / ".mlsec" / "nb.lineage.jsonl"
    store = fill(path, 3)
    path.unlink()  # the user starts afresh: the kept descriptor must not write into the void
    store.append({"kind": "cell", "n": "after delete"})
    assert [r["n"] for r in read_records(path)] == ["after delete"]
    assert verify(path).ok

    other = tmp_path / "other.jsonl"
    fill(other, 2)
    os.replace(other, path)  # replaced by another log: chain onto that one's head
    store.append({"kind": "cell", "n": "after replace"})
    assert [r["n"] for r in read_records(path)] == [0, 1, "after replace"]
    assert verify(path).ok


def test_appends_by_another_store_of_the_same_process_are_chained_onto(tmp_path):
    path = tmp_path / "log.jsonl"
    first, second = fill(path, 2), LineageStore(path)
    second.append({"kind": "cell", "n": "second"})
    first.append({"kind": "cell", "n": "first again"})
    assert [r["n"] for r in read_records(path)] == [0, 1, "second", "first again"]
    assert verify(path).ok


# -- where the file lives ------------------------------------------------------------------------
def test_lineage_file_sits_in_mlsec_beside_the_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_FILE, raising=False)
    notebook = tmp_path / "work" / "train.ipynb"
    assert lineage_path_for(notebook) == tmp_path / "work" / ".mlsec" / \
        "train.ipynb.lineage.jsonl"
    assert lineage_path_for("train.ipynb", root=tmp_path) == tmp_path / ".mlsec" / \
        "train.ipynb.lineage.jsonl"


def test_unknown_notebook_gets_a_stable_default(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_FILE, raising=False)
    assert lineage_path_for(None, root=tmp_path) == tmp_path / ".mlsec" / \
        "default.lineage.jsonl"


def test_server_relative_path_falls_back_to_the_notebook_beside_us(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_FILE, raising=False)
    (tmp_path / "nb.ipynb").write_text("{}")
    assert lineage_path_for("project/nb.ipynb", root=tmp_path) == tmp_path / ".mlsec" / \
        "nb.ipynb.lineage.jsonl"


@pytest.mark.parametrize("override", ["pinned.jsonl", "ci/out.jsonl"])
def test_environment_variable_overrides_the_location(tmp_path, monkeypatch, override):
    monkeypatch.setenv(ENV_FILE, override)
    assert lineage_path_for(tmp_path / "nb.ipynb", root=tmp_path) == tmp_path / override


# -- lines that are not records at the end of the log (issue 13) --------------------------------
def _deep(depth: int) -> bytes:
    return b'{"schema":"mlsecops-lineage/1","seq":3,"hash":"x","v":' + b"[" * depth + \
        b"]" * depth + b"}"


BAD_LAST_LINES = {
    "nan": (b'{"schema":"mlsecops-lineage/1","seq":3,"prev":"0","hash":"x","v":NaN}',
            "NaN literal"),
    "infinity": (b'{"schema":"mlsecops-lineage/1","seq":3,"hash":"x","v":Infinity}',
                 "Infinity literal"),
    "minus-infinity": (b'{"schema":"mlsecops-lineage/1","seq":3,"hash":"x","v":-Infinity}',
                       "-Infinity literal"),
    "deep": (_deep(100_000), "nested too deeply"),
    "surrogate": (b'{"schema":"mlsecops-lineage/1","seq":3,"hash":"x","v":"\\ud800"}',
                  "unpaired surrogate"),
    "bool-seq": (b'{"schema":"mlsecops-lineage/1","seq":true,"hash":"x"}', "valid seq"),
    "huge-int": (b'{"schema":"mlsecops-lineage/1","seq":' + b"9" * 5000 + b',"hash":"x"}',
                 "cannot be read"),
    "not-utf8": (b'{"schema":"\xff\xfe"}', "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_LAST_LINES))
def test_an_unparsable_last_record_is_reported_then_recovered(tmp_path, name):
    line, words = BAD_LAST_LINES[name]
    path = tmp_path / "log.jsonl"
    store = fill(path, 3)
    path.write_bytes(path.read_bytes() + line + b"\n")

    broken = verify(path)  # no traceback: one sentence naming the line and why
    assert not broken.ok and broken.first_bad == 3 and broken.count == 3
    assert words in broken.reason and "\n" not in broken.reason
    assert [r["n"] for r in read_records(path)] == [0, 1, 2]

    for writer in (store, LineageStore(path)):  # the same writer, and a fresh one
        writer.append({"kind": "cell", "n": "after"})
    result = verify(path)
    assert result.ok, result.reason
    assert result.recovered == 1 and result.count == 6
    records = read_records(path)
    assert [r["kind"] for r in records] == ["cell"] * 3 + ["recovery", "cell", "cell"]
    recovery = records[3]
    assert recovery["prev"] == records[2]["hash"]  # links past the bad line
    assert recovery["torn"]["length"] == len(line) + 1
    assert "not records" in recovery["reason"]


def test_a_record_with_a_bad_hash_at_the_end_stays_a_broken_link(tmp_path):
    """A line that *is* a record but does not chain (a forged append) is not skipped: the
    writer chains onto it and verify keeps reporting it (tamper evidence is never healed)."""
    path = tmp_path / "log.jsonl"
    fill(path, 2)
    forged = json.loads(path.read_bytes().splitlines()[-1])
    forged.update(seq=2, n=99)
    path.write_bytes(path.read_bytes() + canonical_json(forged) + b"\n")
    LineageStore(path).append({"kind": "cell", "n": 3})
    result = verify(path)
    assert not result.ok and result.first_bad == 2
    assert [r["n"] for r in read_records(path)] == [0, 1, 99, 3]


def test_huge_torn_tail_is_recovered_in_linear_time(tmp_path):
    import time

    path = tmp_path / "log.jsonl"
    fill(path, 2)
    with path.open("ab") as handle:
        handle.write(b"z" * (48 * 1024 * 1024))  # 48 MB without a newline
    started = time.process_time()
    LineageStore(path).append({"kind": "cell", "n": 2})
    assert time.process_time() - started < 10  # quadratic tail reading took minutes
    result = verify(path)
    assert result.ok and result.recovered == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_log_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "log.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        read_records(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        verify(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        LineageStore(fifo).append({"kind": "cell"})


def test_append_after_head_sees_the_head_under_the_lock(tmp_path):
    path = tmp_path / "log.jsonl"
    fill(path, 2)
    other = LineageStore(path)
    other.append({"kind": "cell", "n": 2})  # written by another writer: the head moved
    seen = []

    def make(seq, head):
        seen.append((seq, head))
        return {"kind": "cell", "n": "signed-like"}

    record = LineageStore(path).append_after_head(make)
    records = read_records(path)
    assert seen == [(2, records[2]["hash"])]
    assert record["prev"] == records[2]["hash"] and verify(path).ok


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=80).map(lambda b: b.replace(b"\r", b"\n")),
       block=st.integers(min_value=1, max_value=9))
def test_reading_backwards_finds_the_same_lines_as_reading_forwards(tmp_path_factory, data,
                                                                    block):
    from mlsecops_jupyter.lineage import store as store_module
    from mlsecops_jupyter.lineage.chain import split_lines

    path = tmp_path_factory.mktemp("back") / "f"
    path.write_bytes(data)
    saved = store_module._TAIL_BLOCK
    store_module._TAIL_BLOCK = block
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            backwards = list(store_module._lines_backwards(fd, len(data)))
        finally:
            os.close(fd)
    finally:
        store_module._TAIL_BLOCK = saved
    assert backwards == list(reversed(split_lines(data)))
