"""Where the routes' work runs: a few read threads, and scan worker processes that can be killed.

Why processes for scans: a scan is CPU-bound Python (Presidio, the leakage dataflow) whose cost
grows with its input; a thread cannot be stopped, holds the GIL against the server's own event
loop, and keeps the interpreter from exiting on SIGTERM. A worker process can be killed: at the
time limit, when the client goes away, when the server stops. Workers are reused while they
live (Presidio's start-up, about 2 s of CPU, is paid once per worker), never more than
``max_scans`` at once; a request beyond the cap is refused at once (429 with ``Retry-After``)
rather than queued, so no route ever waits behind a scan.

Reads (lineage logs, bounded in size by ``files``) run on a pool of ``max_reads`` threads of
their own, not the event loop's default executor that Jupyter itself uses; beyond the cap,
429 as well.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .paths import Refused
from .scan_worker import READY

T = TypeVar("T")
BUSY_READS = "all {count} read slots are busy (setting server.max_reads): try again"
BUSY_SCANS = "all {count} scan slots are busy (setting server.max_scans): try again when one ends"
TIME_LIMIT = ("the scan of {name} was stopped after {limit:g} s (setting "
              "server.scan_timeout_s): nothing was recorded")
WORKER_DIED = "the scan of {name} stopped: its worker process ended ({why}); nothing was recorded"
RESULT_TOO_LARGE = "the scan of {name} gave a result larger than {limit} MB: nothing was recorded"
RETRY_AFTER_S = 5
IDLE_S = 600.0  # an idle worker is stopped after this long (its memory is returned)
MAX_RESULT_MB = 256
WORKER_MODULE = "mlsecops_jupyter.server.scan_worker"
STARTUP_S = 120.0  # a new worker's imports and warm-up; not counted in a scan's time limit


class ReadPool:
    """``max_reads`` threads for bounded file work; refuses (429) rather than queue."""

    def __init__(self, max_reads: int) -> None:
        self.capacity = max(1, max_reads)
        self._executor = ThreadPoolExecutor(self.capacity, thread_name_prefix="mlsec-read")
        self._running = 0

    async def run(self, function: Callable[..., T], *args: Any, queue: bool = False) -> T:
        """``function(*args)`` on a read thread; 429 when all are busy unless ``queue``.

        ``queue`` is for work that must not be lost (recording a finished scan's reports).
        """
        if not queue and self._running >= self.capacity:
            raise Refused(429, "busy", BUSY_READS.format(count=self._running),
                          retry_after=1)
        self._running += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, functools.partial(function, *args))
        finally:
            self._running -= 1


class ClientGone(Exception):
    """The client closed its connection: the scan was stopped, there is no one to answer."""


class _Worker:
    """One worker process and the pipes the one-line JSON protocol runs over.

    Plain ``subprocess.Popen`` with the event loop watching the stdout descriptor: no asyncio
    transport that could outlive the loop when the server stops (its ``__del__`` would then
    print a traceback into the server's log).
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.pid = process.pid
        self.idle_since = time.monotonic()
        self.ready = False
        self._out = process.stdout.fileno()
        os.set_blocking(self._out, False)
        self._buffer = bytearray()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, line: bytes) -> None:
        """One request line (a few hundred bytes: the pipe takes it without blocking)."""
        assert self.process.stdin is not None
        self.process.stdin.write(line)
        self.process.stdin.flush()

    async def next_line(self) -> bytes:
        """The next line the worker writes; ``b""`` when it closed its end (it ended).

        ``ValueError`` past ``MAX_RESULT_MB``.
        """
        loop = asyncio.get_running_loop()
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end + 1])
                del self._buffer[:end + 1]
                return line
            if len(self._buffer) > MAX_RESULT_MB << 20:
                raise ValueError("answer too large")
            readable: asyncio.Future[None] = loop.create_future()
            loop.add_reader(self._out, _settle, readable)
            try:
                await readable
            finally:
                loop.remove_reader(self._out)
            try:
                chunk = os.read(self._out, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                return b""
            self._buffer.extend(chunk)

    async def kill(self) -> None:
        """SIGKILL and reap (the process ends at once; poll rather than block the loop)."""
        with contextlib.suppress(OSError):
            self.process.kill()
        while self.process.poll() is None:
            await asyncio.sleep(0.01)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()  # type: ignore[union-attr]


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class ScanPool:
    """Scan worker processes: at most ``max_scans`` busy, each job stopped after ``timeout_s``."""

    def __init__(self, max_scans: int, timeout_s: float, log: Any) -> None:
        self.capacity = max(1, max_scans)
        self.timeout_s = max(0.1, float(timeout_s))
        self.log = log
        self._idle: list[_Worker] = []
        self._busy = 0
        self._workers: dict[int, subprocess.Popen[bytes]] = {}  # started, not yet reaped
        atexit.register(self.kill_all)

    async def run(self, job: dict[str, Any], name: str, gone: asyncio.Event) -> dict[str, Any]:
        """The worker's answer to ``job`` (a dict the worker turns into a scan).

        Raises ``Refused`` (429 at the cap, 422 at the time limit or when the worker died)
        or ``ClientGone`` when ``gone`` is set first; in both of the last cases the worker is
        killed, so nothing keeps running for a request no one waits for.
        """
        if self._busy >= self.capacity:
            raise Refused(429, "busy", BUSY_SCANS.format(count=self._busy),
                          retry_after=RETRY_AFTER_S)
        self._busy += 1
        worker: _Worker | None = None
        try:
            worker = await self._take()
            reply = await self._exchange(worker, job, name, gone)
            self._give_back(worker)
            worker = None
            return reply
        finally:
            self._busy -= 1
            if worker is not None:
                await self._discard(worker)

    async def _exchange(self, worker: _Worker, job: dict[str, Any], name: str,
                        gone: asyncio.Event) -> dict[str, Any]:
        if not worker.ready:  # a new worker says when it is warm; that wait is not the scan's
            line = await self._line(worker, name, gone, STARTUP_S, "start")
            if line.strip() != READY.encode():
                raise Refused(422, "scan-failed", WORKER_DIED.format(
                    name=name, why="it did not start"))
            worker.ready = True
        self.log.info("mlsecops_jupyter: scanning %s (worker pid %d)", name, worker.pid)
        worker.send(json.dumps(job).encode("utf-8") + b"\n")
        line = await self._line(worker, name, gone, self.timeout_s, "scan")
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            raise Refused(422, "scan-failed", WORKER_DIED.format(
                name=name, why="its answer was not JSON")) from None
        return reply

    async def _line(self, worker: _Worker, name: str, gone: asyncio.Event, limit_s: float,
                    stage: str) -> bytes:
        """The worker's next line, unless ``limit_s`` passes or the client leaves first."""
        reading = asyncio.ensure_future(worker.next_line())
        leaving = asyncio.ensure_future(gone.wait())
        try:
            done, _pending = await asyncio.wait({reading, leaving}, timeout=limit_s,
                                                return_when=asyncio.FIRST_COMPLETED)
        finally:
            leaving.cancel()
        if reading not in done:
            reading.cancel()
            if leaving in done:
                self.log.info("mlsecops_jupyter: scan of %s stopped: the client went away",
                              name)
                raise ClientGone()
            self.log.warning("mlsecops_jupyter: scan of %s stopped at the time limit "
                             "(%g s, %s)", name, limit_s, stage)
            if stage == "start":
                raise Refused(422, "scan-failed", WORKER_DIED.format(
                    name=name, why=f"it did not start within {limit_s:g} s"))
            raise Refused(422, "time-limit", TIME_LIMIT.format(name=name, limit=limit_s))
        try:
            line = reading.result()
        except ValueError:
            raise Refused(422, "too-large", RESULT_TOO_LARGE.format(
                name=name, limit=MAX_RESULT_MB)) from None
        if not line:
            await worker.kill()
            why = f"exit status {worker.process.returncode}"
            raise Refused(422, "scan-failed", WORKER_DIED.format(name=name, why=why))
        return line

    async def _take(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.alive:
                return worker
            await self._discard(worker)  # reaped, its pipes closed
        return self._start()

    def _start(self) -> _Worker:
        package_parent = str(Path(__file__).resolve().parents[2])
        python_path = os.pathsep.join(p for p in (package_parent,
                                                  os.environ.get("PYTHONPATH")) if p)
        process = subprocess.Popen(  # stderr: the server's own, so its log gets tracebacks
            [sys.executable, "-m", WORKER_MODULE], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": python_path})
        self._workers[process.pid] = process
        self.log.info("mlsecops_jupyter: scan worker started (pid %d)", process.pid)
        return _Worker(process)

    def _give_back(self, worker: _Worker) -> None:
        worker.idle_since = time.monotonic()
        self._idle.append(worker)
        asyncio.get_running_loop().call_later(IDLE_S + 1, self._stop_idle)

    def _stop_idle(self) -> None:
        now = time.monotonic()
        for worker in [w for w in self._idle if now - w.idle_since >= IDLE_S]:
            self._idle.remove(worker)
            asyncio.ensure_future(self._discard(worker))

    async def _discard(self, worker: _Worker) -> None:
        await worker.kill()
        self._forget(worker)

    def _forget(self, worker: _Worker) -> None:
        self._workers.pop(worker.pid, None)

    def kill_all(self) -> None:
        """SIGKILL and reap every worker still running (the server is stopping)."""
        for process in list(self._workers.values()):
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                process.wait(5)
        self._workers.clear()
        self._idle.clear()
