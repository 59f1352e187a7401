"""Per-cell cost of the lineage recorder in a real kernel, as JupyterLab runs it.

Two ipykernel kernels are started the way jupyter_server starts them (jupyter_client's
``KernelManager`` with the ``python3`` kernelspec, ``JPY_SESSION_NAME`` naming the notebook, the
notebook's folder as working directory), each with IPython's ordinary on-disk history (a
``history.sqlite`` written by IPython's history thread; the script checks that it is on disk and
that the thread runs). One kernel has ``%load_ext mlsecops_jupyter`` run in it, the other does
not. The same cells are sent to both over ZeroMQ, with a front-end cell id and
``store_history=True`` as JupyterLab sends them, in alternating blocks (plain, with, with, plain,
...) so that drift on a shared machine hits both sides alike.

What is measured per cell, in the kernel: from ipykernel's ``started`` stamp (taken when the
execute request is handled) to the ``date`` of its ``execute_reply``, both on the kernel's own
clock, so message transport is left out. The overhead is the median with the extension minus
the median without; "paired blocks" is the median, over block pairs run back to back, of the
difference of their medians (less moved by load that drifts during the run). Beside it: the
round trip the client sees (request sent to reply received:
work the recorder might defer past the reply would show there), and the CPU time the kernel
process spent per cell (all its threads, the background writer's included, from ``/proc``), the
steadier figure on a busy machine, and how much of that overhead is on the kernel's main thread
(where the user's cells run).

Then the cost of redaction, in this process (CPU time per cell, the scanners already imported):
credentials plus the cheap personal-data prefilter on ordinary cells (each a different source),
Presidio on cells the prefilter selects, and Presidio's one-time load. In a kernel this work
runs in the recorder's background writer, once per distinct source (re-runs hit its cache).

Scenarios:

- ``ordinary``: small assignment/def/comprehension cells, no data in the namespace.
- ``big-frame-idle``: the same cells while a 1,000,000-row DataFrame and a 10M-element array sit
  in the namespace untouched (the namespace scan must stay cheap).
- ``frame-mutated``: each cell changes the 1,000,000-row frame in place (the bounded, sampled
  content hash is paid: at most 10,000 rows).

Usage: ``python benchmarks/lineage.py [--part overhead] [--quick] [--cells N] [--blocks B]
[--scenarios ...]``.
The target is a median overhead under 0.5 ms per ordinary cell; the exit code says whether it
was met. Needs Linux (``/proc``) and the ``python3`` kernelspec of this environment.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runners import Part, first_line, run_parts  # noqa: E402

TARGET_MS = 0.5
TIMEOUT_S = 60.0


def ordinary_cells(count: int) -> list[str]:
    templates = [
        "value_{i} = {i} * 2",
        "total_{i} = value_{j} + {i}",
        "def double_{i}(x):\n    return x * 2 + {i}",
        "items_{i} = [n * {i} for n in range(10)]",
        "mapping_{i} = {{'k': {i}, 'v': [1, 2, 3]}}",
    ]
    return [templates[i % len(templates)].format(i=i, j=i - i % len(templates))
            for i in range(count)]


def mutating_cells(count: int) -> list[str]:
    return [f"frame.loc[{i}, 'a'] = {i}" for i in range(count)]


BIG_DATA = ("import numpy as np, pandas as pd\n"
            "frame = pd.DataFrame({'a': np.arange(1_000_000), 'b': np.random.rand(1_000_000)})\n"
            "array = np.random.rand(10_000_000)")

SCENARIOS: dict[str, tuple[Callable[[int], list[str]], str, int]] = {
    # name: (cells, setup cell, divisor of --cells)
    "ordinary": (ordinary_cells, "", 1),
    "big-frame-idle": (ordinary_cells, BIG_DATA, 1),
    "frame-mutated": (mutating_cells, BIG_DATA, 10),
}

# run in each kernel once started: where its history goes, and whether IPython writes it from
# its own thread (what makes on-disk history differ from in-memory history)
HISTORY_PROBE = (
    "import json as _json\n"
    "_hm = get_ipython().history_manager\n"
    "print(_json.dumps({'file': str(_hm.hist_file), 'thread': bool(_hm.using_thread and "
    "_hm.save_thread is not None and _hm.save_thread.is_alive())}))"
)


@dataclass
class Side:
    """One kernel and what was measured in it."""

    name: str
    client: Any
    manager: Any
    folder: Path
    durations: list[float] = field(default_factory=list)
    block_medians: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    main_cpu_seconds: float = 0.0
    cells: int = 0

    round_trips: list[float] = field(default_factory=list)
    measured_trips: list[float] = field(default_factory=list)

    def execute(self, code: str, cell_id: str) -> tuple[float, dict[str, Any]]:
        """Run one cell; its in-kernel duration (seconds) and the reply's content."""
        sent = time.perf_counter()
        # as JupyterLab sends it: the cell's id in the request's metadata
        message = self.client.session.msg("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": False}, metadata={"cellId": cell_id})
        self.client.shell_channel.send(message)
        msg_id = message["header"]["msg_id"]
        while True:
            reply = self.client.get_shell_msg(timeout=TIMEOUT_S)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.round_trips.append(time.perf_counter() - sent)
        self._drain_iopub()
        started = _when(reply["metadata"]["started"])
        finished = _when(reply["header"]["date"])
        return (finished - started).total_seconds(), reply["content"]

    def run_quietly(self, code: str) -> str:
        """Run a setup cell (not measured); its stdout. Fails loudly when the cell fails."""
        msg_id = self.client.execute(code, store_history=True, stop_on_error=False)
        output = []
        while True:
            message = self.client.get_iopub_msg(timeout=TIMEOUT_S)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                output.append(content["text"])
            elif kind == "error":
                raise SystemExit(f"{self.name}: setup cell failed: {content['ename']}: "
                                 f"{content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                break
        while True:  # its execute_reply
            reply = self.client.get_shell_msg(timeout=TIMEOUT_S)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return "".join(output)

    def _drain_iopub(self) -> None:
        while self.client.iopub_channel.msg_ready():
            self.client.iopub_channel.get_msg(timeout=0)

    def cpu_time(self) -> tuple[float, float]:
        """CPU seconds of the whole kernel process, and of its main thread (where cells run)."""
        pid = self.manager.provisioner.process.pid
        return process_cpu_seconds(pid), process_cpu_seconds(pid, pid)


def _when(stamp: Any) -> datetime:
    return stamp if isinstance(stamp, datetime) else datetime.fromisoformat(
        str(stamp).replace("Z", "+00:00"))


def process_cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of every thread of ``pid`` (or of its thread ``thread``), from
    Linux ``/proc``, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    where = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    with open(where, "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


@contextmanager
def kernel(name: str, root: Path, load_extension: bool) -> Iterator[Side]:
    """A kernel started as jupyter_server starts one, in its own notebook folder."""
    from jupyter_client.manager import KernelManager

    folder = root / name
    folder.mkdir()
    notebook = folder / "bench.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    env = {key: value for key, value in os.environ.items() if not key.startswith("MLSEC_")}
    env.update(JPY_SESSION_NAME=str(notebook), IPYTHONDIR=str(folder / ".ipython"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                        env.get("PYTHONPATH")])))
    manager = KernelManager(kernel_name="python3")
    # the kernel's own warnings (e.g. "running over TCP without encryption") are not results
    manager.start_kernel(cwd=str(folder), env=env, stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT_S)
        side = Side(name, client, manager, folder)
        history = json.loads(side.run_quietly(HISTORY_PROBE))
        if history["file"] == ":memory:" or not history["thread"]:
            raise SystemExit(f"{name}: IPython history is not on disk with its saving thread "
                             f"({history}); the benchmark would measure the wrong setting")
        if load_extension:
            side.run_quietly("%load_ext mlsecops_jupyter")
        yield side
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


def run_scenario(name: str, cells_for: Callable[[int], list[str]], setup: str, count: int,
                 blocks: int, root: Path) -> dict[str, Any]:
    scenario_root = root / name
    scenario_root.mkdir()
    with kernel("plain", scenario_root, False) as plain, \
            kernel("with-extension", scenario_root, True) as recorded:
        for side in (plain, recorded):
            if setup:
                side.run_quietly(setup)
            for index, code in enumerate(cells_for(20)):  # warm-up, not measured
                side.execute(code, f"warm-{index}")
        for block in range(blocks):
            order = (plain, recorded) if block % 2 == 0 else (recorded, plain)
            for side in order:
                cells = cells_for(count)
                cpu_before = side.cpu_time()
                trips = len(side.round_trips)
                block_durations = []
                for index, code in enumerate(cells):
                    seconds, content = side.execute(code, f"b{block}-c{index}")
                    if content["status"] != "ok":
                        raise SystemExit(f"{side.name}: cell failed: {content}")
                    block_durations.append(seconds)
                side.durations += block_durations
                side.block_medians.append(statistics.median(block_durations))
                side.measured_trips += side.round_trips[trips:]
                cpu_after = side.cpu_time()
                side.cpu_seconds += cpu_after[0] - cpu_before[0]
                side.main_cpu_seconds += cpu_after[1] - cpu_before[1]
                side.cells += len(cells)
        log_check = recorded.run_quietly(
            "from mlsecops_jupyter.lineage import verify as _verify, read_records as _read\n"
            "_path = get_ipython().magics_manager.registry['MLSecMagics'].recorder.path\n"
            "print(_json.dumps({'ok': _verify(_path).ok, 'cells': sum(1 for r in _read(_path)"
            " if r['kind'] == 'cell')}))")
    logged = json.loads(log_check)
    expected = recorded.cells + 20 + (1 if setup else 0)
    if not logged["ok"] or logged["cells"] < expected:
        raise SystemExit(f"{name}: the lineage log does not hold every cell: {logged}, "
                         f"expected at least {expected} cell records")
    ms = 1000.0
    plain_median = statistics.median(plain.durations) * ms
    with_median = statistics.median(recorded.durations) * ms
    return {
        "cells": recorded.cells,
        "plain_median_ms": plain_median,
        "with_median_ms": with_median,
        "overhead_ms": with_median - plain_median,
        # each block of one kernel next to the block of the other that ran just before or
        # after it: load that drifts between blocks cancels in the pair
        "paired_ms": statistics.median(
            w - p for w, p in zip(recorded.block_medians, plain.block_medians, strict=True)) * ms,
        "plain_p95_ms": _p95(plain.durations) * ms,
        "with_p95_ms": _p95(recorded.durations) * ms,
        "trip_overhead_ms": (statistics.median(recorded.measured_trips)
                             - statistics.median(plain.measured_trips)) * ms,
        "plain_cpu_ms": plain.cpu_seconds / plain.cells * ms,
        "with_cpu_ms": recorded.cpu_seconds / recorded.cells * ms,
        "main_cpu_overhead_ms": (recorded.main_cpu_seconds / recorded.cells
                                 - plain.main_cpu_seconds / plain.cells) * ms,
    }


CANDIDATE_CELLS = [
    'contact = "jane.doe@example.com"',
    "# reviewed by Maria Garcia",
    'row = {"phone": "(415) 555-0132", "plan": "basic"}',
    'clients = ["203.0.113.77", "198.51.100.4"]',
]


def redaction_costs(repeats: int = 2000) -> str:
    """CPU per cell of what the recorder's writer does to a source before storing it."""
    from mlsecops_jupyter.lineage.redact import pii_candidates, redact

    ordinary = ordinary_cells(repeats)
    assert not any(pii_candidates(cell) for cell in ordinary)
    redact("warm_up = 0", pii=True)  # imports the scanners: once per process, not per cell
    started = time.process_time()
    for cell in ordinary:
        redact(cell, pii=True)
    per_ordinary = (time.process_time() - started) / len(ordinary)
    started = time.process_time()
    redact(CANDIDATE_CELLS[0], pii=True)  # loads Presidio (once per process)
    load = time.process_time() - started
    started = time.process_time()
    rounds = 50
    for _ in range(rounds):
        for cell in CANDIDATE_CELLS:
            assert "[REDACTED:" in redact(cell, pii=True).text, cell
    per_candidate = (time.process_time() - started) / (rounds * len(CANDIDATE_CELLS))
    return (f"redaction, CPU per cell: ordinary cell (credentials + personal-data prefilter, "
            f"no Presidio) {per_ordinary * 1e6:.0f} us; cell with a personal-data candidate "
            f"(Presidio) {per_candidate * 1e3:.2f} ms; Presidio's one-time load "
            f"{load:.2f} s")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def main_overhead(argv: list[str] | None = None) -> int:
    """Per-cell cost of the lineage recorder in a real kernel, and the cost of redaction."""
    parser = argparse.ArgumentParser(description=first_line(main_overhead))
    parser.add_argument("--cells", type=int, default=100, help="cells per block and kernel")
    parser.add_argument("--blocks", type=int, default=24,
                        help="alternating blocks per kernel (default 24)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated subset of: " + ", ".join(SCENARIOS))
    parser.add_argument("--no-redaction", action="store_true",
                        help="skip the redaction cost figures")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")

    load_before = _load()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mlsec-lineage-bench-") as folder:
        for name in names:
            cells_for, setup, divisor = SCENARIOS[name]
            count = max(20, args.cells // divisor)
            rows.append((name, run_scenario(name, cells_for, setup, count, args.blocks,
                                            Path(folder))))
    print("| scenario | cells per kernel | in-kernel median without extension | with "
          "| overhead (median) | paired blocks | p95 without | with "
          "| round-trip overhead (median) "
          "| kernel CPU per cell without | with | CPU overhead | of it on the main thread |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['cells']} | {row['plain_median_ms']:.3f} ms | "
              f"{row['with_median_ms']:.3f} ms | **{row['overhead_ms']:+.3f} ms** | "
              f"{row['paired_ms']:+.3f} ms | "
              f"{row['plain_p95_ms']:.3f} ms | {row['with_p95_ms']:.3f} ms | "
              f"{row['trip_overhead_ms']:+.3f} ms | "
              f"{row['plain_cpu_ms']:.3f} ms | {row['with_cpu_ms']:.3f} ms | "
              f"{row['with_cpu_ms'] - row['plain_cpu_ms']:+.3f} ms | "
              f"{row['main_cpu_overhead_ms']:+.3f} ms |")
    print(f"\nipykernel, IPython history on disk (history.sqlite, saving thread running); "
          f"Python {sys.version.split()[0]}; load average before/after: {load_before} / "
          f"{_load()} on {os.cpu_count()} cores")
    if not args.no_redaction:
        print()
        print(redaction_costs())
    ordinary = dict(rows).get("ordinary")
    if ordinary is None:
        return 0
    verdict = "PASS" if ordinary["overhead_ms"] < TARGET_MS else "FAIL"
    print(f"\n{verdict}: median overhead per ordinary cell in a real kernel "
          f"{ordinary['overhead_ms']:+.3f} ms (target < {TARGET_MS} ms)")
    return 0 if verdict == "PASS" else 1


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(run_parts(__doc__ or "", {"overhead": Part(
        main_overhead, first_line(main_overhead),
        quick=("--cells", "20", "--blocks", "2", "--scenarios", "ordinary", "--no-redaction"))}))
