"""The recorder's background writer: seals and appends records off the kernel's main thread,
in batches.

Why: in a real kernel with IPython's on-disk history, recording cost more per cell than its own
work (``benchmarks/lineage.py``): every record written on its own paid a thread wake-up, the GIL
handed back and forth while IPython's history thread wanted it too, a round of file system calls
and the sealing code run cold, once per cell. So a cell's record is *deferred*: the main thread
queues it (microseconds) and the writer thread writes the queue in one go once the kernel has
been idle for ``IDLE_S`` (no record queued since), or when the oldest queued record is
``MAX_AGE_S`` old, or ``MAX_BATCH`` records wait: one lock, one ``write``, warm code.

What stays true (each is tested in ``tests/lineage/test_writer.py``):

- Order: batches are taken from one FIFO queue and written one at a time, under a lock, by the
  writer thread or by a caller that needs the records now (``flush``, ``wait_for_cells``,
  ``submit(..., wait=True)``). Such a caller writes what the thread has not taken yet itself: it
  never waits for the thread to be scheduled (on a busy machine a wake-up takes milliseconds),
  only for a write already under way.
- Nothing is read behind the writer: ``read_records`` and ``verify`` in this process flush it
  first (``store.register_holder``), so the next check or ``%mlsec lineage --verify`` sees every
  cell that ran; a check record (``submit(..., wait=True)``) is written with everything before it.
- Nothing is left behind at exit: an ``atexit`` hook flushes every writer; a writer whose thread
  cannot run (interpreter shutting down, no threads) writes in the caller's thread instead.
- A record that cannot be written (read-only or full disk) stays in memory, in order, and is
  written before the next one; the failure is reported once through ``on_write_error``.
- A forked child (``multiprocessing`` with fork) drops what the parent held: the parent writes
  those records, the child must not write them a second time.

What a writer cannot promise: a record still queued when the process is killed (``kill -9``, a
crash of the interpreter) is lost. With deferred records that is at most the cells that ended in
the last ``IDLE_S`` (25 ms) before the kill, or, while cells follow each other faster than that,
those of the last ``MAX_AGE_S`` (half a second); records already in the file are never touched.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .store import LineageStore, register_holder

log = logging.getLogger("mlsecops_jupyter.lineage")

MAX_UNSAVED = 10_000
EXIT_FLUSH_S = 60.0
BARRIER_S = 120.0  # longer than any honest write, Presidio's first load on a busy machine too
IDLE_S = 0.025  # a deferred record is written once no record was queued for this long ...
MAX_AGE_S = 0.5  # ... or once it has waited this long (cells following each other quickly)
MAX_BATCH = 1_000  # ... or once this many wait

Prepare = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class _Item:
    body: dict[str, Any] | None  # None: no record, only a nudge to retry what failed
    prepare: Prepare | None
    result: dict[str, Any] = field(default_factory=dict)


class BackgroundWriter:
    """Appends records to one ``LineageStore`` from a thread of its own, in order.

    Parameters
    ----------
    store
        Where records go.
    on_write_error
        Called (in the writer's thread) with the ``OSError`` and the number of records kept in
        memory when a write fails.
    """

    def __init__(self, store: LineageStore,
                 on_write_error: Callable[[OSError, int], None] | None = None) -> None:
        self.store = store
        self._on_write_error = on_write_error
        self._reset()
        self._resolved: str | None = None
        _writers.add(self)
        register_holder(self)

    def _reset(self) -> None:
        self._condition = threading.Condition()  # guards the queue and counters; wakes the thread
        self._processing = threading.Lock()  # one batch at a time, in the order they were taken
        self._processor: threading.Thread | None = None  # who holds _processing
        self._queue: deque[_Item] = deque()
        self._submitted = 0
        self._done = 0
        self._unsaved: list[dict[str, Any]] = []  # prepared bodies whose write failed
        self._urgent = False  # write what is queued now, do not wait for the batch to be due
        self._first_queued = self._last_queued = 0.0  # monotonic times, of the queued batch
        self._thread: threading.Thread | None = None

    # -- what callers use ------------------------------------------------------------------------
    def submit(self, body: dict[str, Any], prepare: Prepare | None = None, *,
               wait: bool = False, defer: bool = False) -> dict[str, Any]:
        """Queue ``body`` (``prepare`` runs on it before sealing, usually in the writer's thread).

        With ``wait`` the call returns the stored record once it is written (or the prepared
        body when writing failed); without, it returns ``body`` at once. A ``defer``-red record
        is written with the next batch (see the module's docstring) instead of at once.
        """
        item = _Item(body, prepare)
        self._enqueue(item, defer)
        if wait:
            self._finish_here(None)
            return item.result or body
        return body

    def flush(self, timeout: float | None = None) -> bool:
        """Make sure everything submitted so far is written (or failed); False on timeout.

        Records that failed to write before are tried again. Called while this writer is
        writing (from inside ``prepare``) it returns at once.
        """
        with self._condition:
            retry = bool(self._unsaved) and not self._queue
        if retry:
            self._enqueue(_Item(None, None))
        return self._finish_here(timeout)

    def wait_for_cells(self, timeout: float = BARRIER_S) -> bool:
        """The recorder's barrier before a cell that may read the log from another process:
        everything submitted is written when it returns True. False after ``timeout`` seconds
        stuck behind a write that does not end (a hung disk): the kernel must go on, the
        record is written when the write ends."""
        if self._submitted == self._done:
            return True
        return self._finish_here(timeout)

    def holds(self, path: Path) -> bool:
        """Does this writer write ``path``? (``store.flush_held`` asks before a read.)"""
        if self._resolved is None:
            self._resolved = os.path.realpath(self.store.path)
        return os.path.realpath(path) == self._resolved

    @property
    def pending(self) -> int:
        """Records submitted and not yet written (or failed)."""
        return self._submitted - self._done

    # -- the thread ------------------------------------------------------------------------------
    def _enqueue(self, item: _Item, defer: bool = False) -> None:
        with self._condition:
            self._queue.append(item)
            self._submitted += 1
            self._last_queued = time.monotonic()
            if len(self._queue) == 1:
                self._first_queued = self._last_queued
            if not defer or len(self._queue) >= MAX_BATCH:
                self._urgent = True
                self._condition.notify()
            elif len(self._queue) == 1:
                self._condition.notify()  # start the batch's clock
            else:
                return  # the thread is already waiting for this batch to be due
        if not self._ensure_thread():
            self._finish_here(None)

    def _finish_here(self, timeout: float | None) -> bool:
        """Write what is queued in the calling thread, after the batch the writer thread may be
        writing: the caller never waits for that thread to be scheduled (on a busy machine a
        wake-up can take milliseconds), only for a write already under way."""
        if self._processor is threading.current_thread():
            return True
        if not self._processing.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            self._processor = threading.current_thread()
            self._take_and_process()
        finally:
            self._processor = None
            self._processing.release()
        return True

    def _ensure_thread(self) -> bool:
        thread = self._thread
        if thread is not None and thread.is_alive():
            return True
        with self._condition:
            if self._thread is not None and self._thread.is_alive():
                return True
            thread = threading.Thread(target=self._run, name="mlsec-lineage-writer",
                                      daemon=True)
            try:
                thread.start()
            except RuntimeError:  # interpreter shutting down, or no threads left
                self._thread = None
                return False
            self._thread = thread
            return True

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._queue:
                    self._condition.wait()
                while self._queue and not self._urgent:
                    due = min(self._last_queued + IDLE_S, self._first_queued + MAX_AGE_S)
                    left = due - time.monotonic()
                    if left <= 0:
                        break
                    self._condition.wait(left)
                self._urgent = False
            self._finish_here(None)

    def _take_and_process(self) -> None:
        """Pop everything queued and write it (called holding ``_processing``)."""
        with self._condition:
            items = list(self._queue)
            self._queue.clear()
            self._urgent = False
        if not items:
            return
        records: list[dict[str, Any]] = []
        wanted = [item for item in items if item.body is not None]
        try:
            records = self._write([self._prepared(item) for item in wanted])
        finally:
            with self._condition:
                self._done += len(items)
        for item, record in zip(wanted, records, strict=False):
            item.result = record

    def _prepared(self, item: _Item) -> dict[str, Any]:
        body = item.body or {}
        if item.prepare is None:
            return body
        try:
            return item.prepare(body)
        except Exception as exc:  # prepare must never lose a record: write what is safe
            log.warning("mlsec lineage: preparing a record failed (%s: %s); it is written "
                        "without the parts that needed preparing", type(exc).__name__, exc)
            return {key: value for key, value in body.items() if not key.startswith("_")}

    def _write(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Append the held-back bodies, then ``bodies``; keep them all when the disk fails."""
        backlog, self._unsaved = self._unsaved, []
        try:
            stored = self.store.append_many(backlog + bodies)
        except OSError as exc:
            self._keep(backlog + bodies, exc)
            return bodies
        except Exception as exc:  # a body the chain cannot encode: write the others alone
            log.warning("mlsec lineage: a record could not be sealed (%s: %s); it is left out",
                        type(exc).__name__, exc)
            return [self._write_one(body) for body in backlog + bodies][len(backlog):]
        return stored[len(backlog):]

    def _write_one(self, body: dict[str, Any]) -> dict[str, Any]:
        if self._unsaved:  # keep the order behind a record that is already held back
            self._unsaved.append(body)
            return body
        try:
            return self.store.append(body)
        except OSError as exc:
            self._keep([body], exc)
        except Exception:  # noqa: S110 - the caller above logged why
            pass
        return body

    def _keep(self, bodies: list[dict[str, Any]], exc: OSError) -> None:
        self._unsaved = bodies[-MAX_UNSAVED:]
        if self._on_write_error is not None:
            self._on_write_error(exc, len(self._unsaved))

    def _after_fork_in_child(self) -> None:
        """A forked child must not write the parent's held records a second time, nor wait on
        locks the parent's threads held at the fork."""
        self._reset()
        self.store._lock = threading.Lock()


_writers: weakref.WeakSet[BackgroundWriter] = weakref.WeakSet()


def flush_all(timeout: float | None = EXIT_FLUSH_S) -> None:
    """Write what every writer of this process still holds (registered with ``atexit``)."""
    for writer in list(_writers):
        with contextlib.suppress(Exception):
            writer.flush(timeout)


def _after_fork_in_child() -> None:
    for writer in list(_writers):
        writer._after_fork_in_child()


atexit.register(flush_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
