"""Per-cell overhead of the lineage recorder against plain IPython.

Runs the same cells in an in-process IPython shell (``IPython.testing.globalipapp``) without
and with a ``LineageRecorder`` attached, and reports per-cell wall times. Blocks alternate
(plain, recorded, plain, recorded ...) so drift on a shared machine hits both sides alike.
Besides the difference of medians, the recorder's own callbacks are timed directly, which is
the less noisy number on a busy box.

Scenarios:

- ``ordinary``: small assignment/def/comprehension cells, no data in the namespace.
- ``big-frame-idle``: same cells while a 1,000,000-row DataFrame and a 10M-element array sit in
  the namespace untouched (the namespace scan must stay cheap).
- ``frame-mutated``: each cell changes the 1,000,000-row frame in place (the bounded,
  sampled content hash is paid: at most 10,000 rows).

Usage: ``python benchmarks/lineage_overhead.py [--cells N] [--blocks B]``; the target is a
median overhead under 1 ms per ordinary cell.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_MS = 1.0


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


class CallbackTimer:
    """Wraps a recorder's callbacks to time them (the recorder's own cost per cell)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.durations: list[float] = []
        self.cpu: list[float] = []
        self._pre_cost = self._pre_cpu = 0.0

    def pre(self, info: Any) -> None:
        start, start_cpu = time.perf_counter(), time.thread_time()
        self.recorder.pre_run_cell(info)
        self._pre_cost = time.perf_counter() - start
        self._pre_cpu = time.thread_time() - start_cpu

    def post(self, result: Any) -> None:
        start, start_cpu = time.perf_counter(), time.thread_time()
        self.recorder.post_run_cell(result)
        self.durations.append(self._pre_cost + time.perf_counter() - start)
        self.cpu.append(self._pre_cpu + time.thread_time() - start_cpu)


def run_block(ip: Any, cells: list[str]) -> list[float]:
    times = []
    for index, cell in enumerate(cells):
        start = time.perf_counter()
        ip.run_cell(cell, store_history=True, cell_id=f"cell-{index}")
        times.append(time.perf_counter() - start)
    return times


def measure(ip: Any, cells_for: Callable[[int], list[str]], count: int, blocks: int,
            folder: Path, setup: str = "") -> dict[str, float]:
    from mlsecops_jupyter.lineage import LineageRecorder

    if setup:
        ip.run_cell(setup)
    plain: list[float] = []
    recorded: list[float] = []
    callbacks: list[float] = []
    callbacks_cpu: list[float] = []
    for block in range(blocks):
        cells = cells_for(count)
        plain += run_block(ip, cells)
        recorder = LineageRecorder(path_resolver=lambda b=block: folder / f"bench-{b}.jsonl")
        recorder.attach(ip)
        timer = CallbackTimer(recorder)
        # time the recorder's callbacks: swap the registered ones for timed wrappers
        ip.events.unregister("pre_run_cell", recorder.pre_run_cell)
        ip.events.unregister("post_run_cell", recorder.post_run_cell)
        ip.events.register("pre_run_cell", timer.pre)
        ip.events.register("post_run_cell", timer.post)
        recorded += run_block(ip, cells)
        ip.events.unregister("pre_run_cell", timer.pre)
        ip.events.unregister("post_run_cell", timer.post)
        recorder.detach(ip)
        callbacks += timer.durations
        callbacks_cpu += timer.cpu
        if recorder.errors:
            raise SystemExit(f"recorder reported {recorder.errors} errors")
    ms = 1000.0
    ordered = sorted(callbacks)
    return {
        "cells": len(callbacks),
        "plain_median_ms": statistics.median(plain) * ms,
        "recorded_median_ms": statistics.median(recorded) * ms,
        "difference_ms": (statistics.median(recorded) - statistics.median(plain)) * ms,
        "recorder_median_ms": statistics.median(callbacks) * ms,
        "recorder_p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * ms,
        "recorder_cpu_median_ms": statistics.median(callbacks_cpu) * ms,
        "recorder_cpu_p95_ms": sorted(callbacks_cpu)[int(0.95 * (len(callbacks_cpu) - 1))] * ms,
    }


SCENARIOS: list[tuple[str, Callable[[int], list[str]], str]] = [
    ("ordinary", ordinary_cells, ""),
    ("big-frame-idle", ordinary_cells,
     "import numpy as np, pandas as pd\n"
     "frame = pd.DataFrame({'a': np.arange(1_000_000), 'b': np.random.rand(1_000_000)})\n"
     "array = np.random.rand(10_000_000)"),
    ("frame-mutated", mutating_cells, ""),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=400, help="cells per block")
    parser.add_argument("--blocks", type=int, default=3, help="alternating blocks per side")
    args = parser.parse_args(argv)

    from IPython.testing.globalipapp import start_ipython

    ip = start_ipython()
    load_before = _load()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, cells_for, setup in SCENARIOS:
            count = args.cells if name != "frame-mutated" else max(20, args.cells // 10)
            rows.append((name, measure(ip, cells_for, count, args.blocks, Path(folder), setup)))
    header = ("| scenario | cells | plain IPython median | with recorder median | difference "
              "| recorder callbacks median (wall) | recorder p95 (wall) "
              "| recorder callbacks median (CPU) | recorder p95 (CPU) |")
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['cells']} | {row['plain_median_ms']:.3f} ms | "
              f"{row['recorded_median_ms']:.3f} ms | {row['difference_ms']:+.3f} ms | "
              f"{row['recorder_median_ms']:.3f} ms | {row['recorder_p95_ms']:.3f} ms | "
              f"{row['recorder_cpu_median_ms']:.3f} ms | {row['recorder_cpu_p95_ms']:.3f} ms |")
    print(f"\nload average before/after: {load_before} / {_load()} on {os.cpu_count()} cores")
    ordinary = rows[0][1]
    verdict = "PASS" if ordinary["recorder_median_ms"] < TARGET_MS else "FAIL"
    print(f"\n{verdict}: median recorder overhead per ordinary cell "
          f"{ordinary['recorder_median_ms']:.3f} ms (target < {TARGET_MS} ms)")
    return 0 if verdict == "PASS" else 1


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
