"""The background writer: order, readers never behind it, exit and fork, failing disks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mlsecops_jupyter.lineage import read_records, verify
from mlsecops_jupyter.lineage.store import LineageStore
from mlsecops_jupyter.lineage.writer import BackgroundWriter

ROOT = Path(__file__).resolve().parents[2]


def slow(seconds: float):
    """A ``prepare`` that takes its time, so a reader that did not wait would miss the record."""

    def prepare(body: dict[str, Any]) -> dict[str, Any]:
        time.sleep(seconds)
        return {**body, "prepared": True}

    return prepare


def test_records_are_written_in_submission_order(tmp_path):
    writer = BackgroundWriter(LineageStore(tmp_path / "log.jsonl"))
    for n in range(200):
        if n % 25 == 0:  # a synchronous append queues behind what came before
            stored = writer.submit({"kind": "check", "n": n}, wait=True)
            assert stored["seq"] == n
        else:
            writer.submit({"kind": "cell", "n": n}, slow(0.0005) if n % 7 == 0 else None)
    assert writer.flush(timeout=60)
    assert [r["n"] for r in read_records(tmp_path / "log.jsonl")] == list(range(200))
    assert verify(tmp_path / "log.jsonl").ok


def _lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_deferred_records_are_written_in_batches_once_the_writer_is_idle(tmp_path, monkeypatch):
    """Cell records are deferred: a burst of them reaches the file in few writes, without any
    flush, once no record was queued for IDLE_S; and in order, chained."""
    from mlsecops_jupyter.lineage import store as store_module
    from mlsecops_jupyter.lineage.writer import IDLE_S, MAX_AGE_S

    writes: list[int] = []
    real_write = store_module._write_all
    monkeypatch.setattr(store_module, "_write_all",
                        lambda fd, data: (writes.append(data.count(b"\n")), real_write(fd, data)))
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    for n in range(50):
        writer.submit({"kind": "cell", "n": n}, defer=True)
    deadline = time.monotonic() + 30
    while _lines_in(path) < 50:  # written by the thread alone: nobody flushes
        assert time.monotonic() < deadline, "deferred records were never written"
        time.sleep(IDLE_S)
    assert len(writes) < 10 and sum(writes) == 50, writes
    assert [r["n"] for r in read_records(path)] == list(range(50))
    assert verify(path).ok and IDLE_S < MAX_AGE_S


def test_a_stream_of_deferred_records_is_written_every_max_age(tmp_path):
    """Cells that follow each other faster than IDLE_S never leave the writer idle: their
    records still reach the file, MAX_AGE_S after the oldest was queued."""
    from mlsecops_jupyter.lineage.writer import IDLE_S, MAX_AGE_S

    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    started = time.monotonic()
    n = 0
    while _lines_in(path) == 0:
        assert time.monotonic() - started < 30, "a stream of records was never written"
        writer.submit({"kind": "cell", "n": n}, defer=True)
        n += 1
        time.sleep(IDLE_S / 5)
    assert time.monotonic() - started >= MAX_AGE_S * 0.9
    assert writer.flush(timeout=60)
    assert [r["n"] for r in read_records(path)] == list(range(n))


def test_a_reader_in_the_process_never_sees_the_log_behind_the_writer(tmp_path):
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    expected: list[Any] = []
    for n in range(5):
        writer.submit({"kind": "cell", "n": n}, slow(0.05))
        expected.append(n)
        # no flush here: read_records and verify make the writer finish first
        assert [r["n"] for r in read_records(path)] == expected
        writer.submit({"kind": "cell", "n": f"{n}b"}, slow(0.05))
        expected.append(f"{n}b")
        assert verify(path).count == len(expected)
    # through another spelling of the same file too
    writer.submit({"kind": "cell", "n": "last"}, slow(0.05))
    alias = tmp_path / "." / "log.jsonl"
    assert read_records(alias)[-1]["n"] == "last"


def test_prepare_runs_in_the_writer_thread_and_its_failure_loses_no_record(tmp_path, caplog):
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    threads = []

    def prepare(body):
        threads.append(threading.current_thread().name)
        raise RuntimeError("redactor bug")

    writer.submit({"kind": "cell", "n": 1, "_raw": "secret text"}, prepare)
    deadline = time.monotonic() + 30
    while writer.pending and time.monotonic() < deadline:  # no flush: let the thread do it
        time.sleep(0.01)
    (record,) = read_records(path)
    assert threads == ["mlsec-lineage-writer"]
    assert record["n"] == 1 and "_raw" not in record  # the unprepared part is left out
    assert "secret text" not in path.read_text()
    assert any("preparing a record failed" in r.getMessage() for r in caplog.records)


def test_the_barrier_waits_for_every_submitted_record(tmp_path):
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    for n in range(3):
        writer.submit({"kind": "cell", "n": n}, slow(0.1))
    started = time.monotonic()
    writer.wait_for_cells()
    assert writer.pending == 0 and time.monotonic() - started >= 0.25
    assert [r["n"] for r in read_records(path)] == [0, 1, 2]


def test_a_caller_that_needs_the_records_writes_what_the_thread_has_not_taken(tmp_path,
                                                                              monkeypatch):
    """The thread may not be scheduled for a while on a busy machine: the barrier does not
    wait for it, it writes the queued records itself, in order."""
    monkeypatch.setattr(BackgroundWriter, "_ensure_thread", lambda self: True)  # never runs
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    threads = []

    def prepare(body):
        threads.append(threading.current_thread().name)
        return body

    for n in range(3):
        writer.submit({"kind": "cell", "n": n}, prepare)
    assert writer.pending == 3 and not path.exists()
    writer.wait_for_cells()
    assert writer.pending == 0 and threads == [threading.current_thread().name] * 3
    assert [r["n"] for r in read_records(path)] == [0, 1, 2]


def test_the_barrier_gives_up_on_a_write_that_hangs(tmp_path):
    """A hung disk must not hang the kernel: the barrier returns False after its timeout, and
    the record is written once the write ends."""
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    entered, release = threading.Event(), threading.Event()

    def hang(body):
        entered.set()
        release.wait(30)
        return body

    writer.submit({"kind": "cell", "n": 0}, hang)
    assert entered.wait(30)  # the writer thread is inside the hung write now
    assert writer.wait_for_cells(timeout=0.3) is False
    release.set()
    assert writer.flush(timeout=30) and [r["n"] for r in read_records(path)] == [0]


def test_a_failing_disk_keeps_records_in_order_and_retries(tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    errors = []
    writer = BackgroundWriter(LineageStore(blocker / "log.jsonl"),
                              on_write_error=lambda exc, kept: errors.append(kept))
    for n in range(3):
        writer.submit({"kind": "cell", "n": n})
    assert writer.flush(timeout=30)
    assert errors and errors[-1] == 3  # all three kept in memory
    blocker.unlink()
    blocker.mkdir()
    assert writer.flush(timeout=30)  # a flush retries what is held back
    assert [r["n"] for r in read_records(blocker / "log.jsonl")] == [0, 1, 2]


def test_without_threads_the_caller_writes(tmp_path, monkeypatch):
    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    path = tmp_path / "log.jsonl"
    writer = BackgroundWriter(LineageStore(path))
    writer.submit({"kind": "cell", "n": 1}, slow(0))
    assert path.exists() and [r["n"] for r in read_records(path)] == [1]


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_records_still_held_at_exit_are_written(tmp_path):
    run = _python("""
        import sys, time
        from mlsecops_jupyter.lineage.store import LineageStore
        from mlsecops_jupyter.lineage.writer import BackgroundWriter

        def slow(body):
            time.sleep(0.02)
            return body

        writer = BackgroundWriter(LineageStore("log.jsonl"))
        for n in range(20):
            writer.submit({"kind": "cell", "n": n}, slow)
        sys.exit(0)  # no flush: the atexit hook must write them
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert [r["n"] for r in read_records(tmp_path / "log.jsonl")] == list(range(20))
    assert verify(tmp_path / "log.jsonl").ok


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_does_not_write_the_parents_records_again(tmp_path):
    run = _python("""
        import os, sys, time
        from mlsecops_jupyter.lineage.store import LineageStore
        from mlsecops_jupyter.lineage.writer import BackgroundWriter

        def slow(body):
            time.sleep(0.05)
            return body

        writer = BackgroundWriter(LineageStore("log.jsonl"))
        for n in range(10):
            writer.submit({"kind": "cell", "n": n}, slow)
        child = os.fork()
        if child == 0:
            writer.submit({"kind": "cell", "n": "child"})  # the child's own record only
            sys.exit(0)  # atexit runs in the child too
        os.waitpid(child, 0)
        writer.flush()
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    numbers = [r["n"] for r in read_records(tmp_path / "log.jsonl")]
    assert sorted(numbers, key=str) == sorted([*range(10), "child"], key=str)
    assert [n for n in numbers if n != "child"] == list(range(10))
    assert verify(tmp_path / "log.jsonl").ok
