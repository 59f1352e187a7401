"""The data checks on dask: leakage and PII past one machine's memory, and against pandas.

    python benchmarks/dask_scale.py --part compare      # 5 M + 1 M rows: pandas against dask
    python benchmarks/dask_scale.py --part scale        # 100 M + 20 M rows: dask alone
    python benchmarks/dask_scale.py --quick             # every part, small (development)

Parts (``--part NAME --help`` lists a part's options):

- ``compare``: leakage and PII on 5,000,000 + 1,000,000 rows, the pandas path and dask, with
  both reports compared;
- ``scale``: leakage and PII on 100,000,000 + 20,000,000 rows (about 13 GB of Parquet, far more
  than the workers' memory limits add up to), dask alone.

The data: a train and a test set of 20 columns (ids, a timestamp, 11 floats, 3 small integers,
2 text categories, a label), written once into ``--data`` (default benchmarks/data/dask,
git-ignored) as folders of Parquet files of ``--part-rows`` rows, each file written row group by
row group from vectorised numpy draws, so no size has to fit in memory to be made. Each test
file copies 1 % of the rows of the training file of the same number and 0.5 % with float noise
below the rounding (planted duplicates and near duplicates).

Each run is one fresh child process:

* pandas: reads both folders whole (``pd.read_parquet``) and runs the check; CPU time of the
  check (``process_time``), of the read beside it, and the process's peak RSS (``ru_maxrss``,
  the frames included);
* dask: starts a LocalCluster of ``--workers`` worker processes, one thread each, with
  ``--memory-limit`` per worker (dask spills to disk past 60 % of it, pauses at 80 %, and
  restarts a worker at 95 %), measures for 20 s what the idle cluster burns per minute, reads
  both folders lazily and runs the check; CPU time of the driver (the scheduler included) and
  of each worker (``getrusage`` read on the workers before and after) and each worker's own
  peak RSS (``ru_maxrss``, worker start-up included), plus the check's wall time and the load
  average when the run ended. Each step's start and end go to ``dask-CHECK.log`` beside the
  data, so a long run shows how far it got.

The two reports of a size are compared (JSON, timing and the engine metric left out) and the
script prints whether they are identical. Wall time is noisy on a shared machine; CPU time is
the figure to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runners import Part, first_line, run_parts  # noqa: E402

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "dask"
DUPLICATES = 0.01
NEAR = 0.005
FLOATS, INTEGERS = 11, 3
CHANNELS = ["web", "store", "phone", "partner"]
REGIONS = [f"region-{i}" for i in range(40)]
START_S = 1_609_459_200  # 2021-01-01 00:00:00 UTC, in seconds


# -- data ---------------------------------------------------------------------------------------

def _columns(rows: int, seed: int, first_id: int) -> dict[str, Any]:
    """One row group's columns as numpy arrays (text as codes into CHANNELS / REGIONS)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {
        "row_id": np.arange(first_id, first_id + rows, dtype=np.int64),
        "customer_id": rng.integers(0, 2**40, rows, dtype=np.int64),
        "event_time": START_S + rng.integers(0, 3 * 365 * 86400, rows, dtype=np.int64),
    }
    for i in range(FLOATS):
        columns[f"num_{i}"] = rng.normal(0, 1, rows).round(6)
    for i in range(INTEGERS):
        columns[f"int_{i}"] = rng.integers(0, 100, rows, dtype=np.int64)
    columns["channel"] = rng.integers(0, len(CHANNELS), rows, dtype=np.int32)
    columns["region"] = rng.integers(0, len(REGIONS), rows, dtype=np.int32)
    score = columns["num_0"] + 0.5 * columns["num_1"] + rng.normal(0, 1.2, rows)
    columns["target"] = (score > 0.8).astype(np.int64)
    return columns


def _table(columns: dict[str, Any]) -> Any:
    import pyarrow as pa

    arrays = {}
    for name, values in columns.items():
        if name == "event_time":
            arrays[name] = pa.array(values, pa.int64()).cast(pa.timestamp("s")).cast(
                pa.timestamp("us"))
        elif name in ("channel", "region"):
            words = pa.array(CHANNELS if name == "channel" else REGIONS, pa.string())
            arrays[name] = words.take(pa.array(values))
        else:
            arrays[name] = pa.array(values)
    return pa.table(arrays)


def _group_rows(file_rows: int, group_rows: int) -> list[int]:
    return [min(group_rows, file_rows - start) for start in range(0, file_rows, group_rows)]


def _train_group(file: int, group: int, rows: int, first_id: int) -> dict[str, Any]:
    return _columns(rows, 1_000 * file + group, first_id)


def _test_group(file: int, group: int, rows: int, first_id: int,
                train_rows: int) -> dict[str, Any]:
    """Test rows; the first 1.5 % copy rows of the training group of the same numbers."""
    import numpy as np

    columns = _columns(rows, 10**9 + 1_000 * file + group, first_id)
    if not train_rows:
        return columns
    source = _train_group(file, group, train_rows, 0)
    copies, near = int(rows * DUPLICATES), int(rows * NEAR)
    picked = np.random.default_rng(file * 1_000 + group).choice(
        train_rows, size=min(train_rows, copies + near), replace=False)
    for name, values in columns.items():
        if name != "row_id":
            values[:len(picked)] = source[name][picked]
    columns["num_2"][copies:len(picked)] += 1e-7
    return columns


def generate(folder: Path, train_rows: int, test_rows: int, part_rows: int,
             group_rows: int) -> tuple[Path, Path]:
    """Write (once) the two Parquet folders under ``folder``; returns their paths."""
    import pyarrow.parquet as pq

    train_dir, test_dir = folder / "train", folder / "test"
    if (folder / "done").exists():
        return train_dir, test_dir
    train_dir.mkdir(parents=True, exist_ok=True)
    test_dir.mkdir(parents=True, exist_ok=True)
    train_files = -(-train_rows // part_rows)
    for side, rows_total, target in (("train", train_rows, train_dir),
                                     ("test", test_rows, test_dir)):
        for file in range(-(-rows_total // part_rows)):
            file_rows = min(part_rows, rows_total - file * part_rows)
            first = file * part_rows + (train_rows if side == "test" else 0)
            train_file_rows = (min(part_rows, train_rows - file * part_rows)
                               if file < train_files else 0)
            writer = None
            offset = 0
            for group, rows in enumerate(_group_rows(file_rows, group_rows)):
                if side == "train":
                    columns = _train_group(file, group, rows, first + offset)
                else:
                    source_rows = _group_rows(train_file_rows, group_rows)
                    columns = _test_group(file, group, rows, first + offset,
                                          source_rows[group] if group < len(source_rows)
                                          else 0)
                table = _table(columns)
                if writer is None:
                    writer = pq.ParquetWriter(target / f"part-{file:05d}.parquet",
                                              table.schema)
                writer.write_table(table, row_group_size=rows)
                offset += rows
            if writer is not None:
                writer.close()
    (folder / "done").write_text("")
    return train_dir, test_dir


def data_folder(root: Path, train_rows: int, test_rows: int, part_rows: int,
                group_rows: int) -> Path:
    return root / f"{train_rows}-{test_rows}-{part_rows}-{group_rows}"


# -- one measured run ---------------------------------------------------------------------------

CHILD = textwrap.dedent(r"""
    import json, os, resource, sys, time
    engine, check, train_dir, test_dir, workers, limit = sys.argv[1:7]
    IDLE_S = 20.0
    from mlsecops_jupyter import check_leakage, scan_pii
    from mlsecops_jupyter.core import Settings
    from mlsecops_jupyter.core.progress import using_sink

    class Steps:  # each step's start and end on stderr (the run's log), for a long run
        def started(self, label, total):
            print(time.strftime("%H:%M:%S"), "start", label, total, file=sys.stderr, flush=True)

        def advanced(self, label, done, total, note):
            pass

        def finished(self, label, elapsed_s):
            print(time.strftime("%H:%M:%S"), f"done {label} in {elapsed_s:.0f} s",
                  file=sys.stderr, flush=True)

    def run(train, test):
        with using_sink(Steps()):
            if check == "leakage":
                return check_leakage(train, test, target="target", settings=Settings())
            return scan_pii(train, settings=Settings())

    out = {"engine": engine, "check": check}
    if engine == "pandas":
        import pandas as pd
        wall = time.perf_counter()
        reading = time.process_time()
        train = pd.read_parquet(train_dir)
        test = pd.read_parquet(test_dir) if check == "leakage" else None
        out["read_cpu_s"] = time.process_time() - reading
        started = time.process_time()
        report = run(train, test)
        out["cpu_s"] = time.process_time() - started
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    else:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        def usage():
            import resource
            r = resource.getrusage(resource.RUSAGE_SELF)
            return r.ru_utime + r.ru_stime, r.ru_maxrss / 1024

        with LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                          memory_limit=limit, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            idle = client.run(usage), time.process_time()
            time.sleep(IDLE_S)
            before = client.run(usage)
            out["idle_cpu_per_min"] = 60 / IDLE_S * (time.process_time() - idle[1] + sum(
                before[w][0] - idle[0][w][0] for w in before))
            wall = time.perf_counter()
            train = dd.read_parquet(train_dir)
            test = dd.read_parquet(test_dir) if check == "leakage" else None
            started = time.process_time()
            report = run(train, test)
            out["wall_s"] = time.perf_counter() - wall
            driver = time.process_time() - started
            after = client.run(usage)
            out["driver_cpu_s"] = driver
            out["workers"] = [{"cpu_s": after[w][0] - before[w][0], "peak_rss_mb": after[w][1]}
                              for w in sorted(after)]
            out["cpu_s"] = driver + sum(w["cpu_s"] for w in out["workers"])
            out["partitions"] = {"train": train.npartitions,
                                 "test": test.npartitions if test is not None else 0}
    out.setdefault("wall_s", time.perf_counter() - wall)
    out["load"] = os.getloadavg()
    data = json.loads(report.to_json())
    data.pop("elapsed_s", None)
    data["metrics"].pop("data_engine", None)
    out["report"] = data
    out["findings"] = {f["rule"]: f["evidence"].get("count") for f in data["findings"]}
    print(json.dumps(out))
""")


def measure(engine: str, check: str, train_dir: Path, test_dir: Path, workers: int,
            limit: str, timeout_s: float) -> dict[str, Any]:
    """One check on one engine in a fresh child process (see the module docstring); its
    stderr (dask's messages and each step's start and end) goes to ``ENGINE-CHECK.log`` beside
    the data."""
    log = train_dir.parent / f"{engine}-{check}.log"
    try:
        with log.open("w") as err:
            done = subprocess.run([sys.executable, "-c", CHILD, engine, check, str(train_dir),
                                   str(test_dir), str(workers), limit], stdout=subprocess.PIPE,
                                  stderr=err, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "check": check, "error": f"timed out after {timeout_s:.0f} s"}
    if done.returncode != 0:
        tail = " ".join(log.read_text().strip().splitlines()[-1:])[:300]
        return {"engine": engine, "check": check,
                "error": f"exit {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def row(size: str, result: dict[str, Any]) -> str:
    """One table row of a measured run."""
    if "error" in result:
        return f"| {size} | {result['check']} | {result['engine']} | {result['error']} | | | |"
    cpu = f"{result['cpu_s']:,.1f} s"
    if result["engine"] == "pandas":
        memory = f"{result['peak_rss_mb']:,.0f} MB (one process)"
        cpu += f" (+ {result['read_cpu_s']:,.1f} s reading)"
    else:
        memory = " / ".join(f"{w['peak_rss_mb']:,.0f}" for w in result["workers"])
        memory += " MB per worker"
        cpu += f" (idle cluster: {result['idle_cpu_per_min']:,.1f} s per min)"
    findings = ", ".join(f"{rule} {count if count is not None else ''}".strip()
                         for rule, count in sorted(result["findings"].items()))
    load = " / ".join(f"{value:.1f}" for value in result["load"])
    return (f"| {size} | {result['check']} | {result['engine']} | {cpu} | "
            f"{result['wall_s']:,.0f} s | {memory} | {load} | {findings or 'none'} |")


def _options(about: str, sizes: str, limit: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=about)
    parser.add_argument("--sizes", default=sizes,
                        help=f"TRAIN:TEST row counts, comma-separated (default {sizes})")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder for the generated Parquet (default benchmarks/data/dask)")
    parser.add_argument("--part-rows", type=int, default=1_000_000, help="rows per file")
    parser.add_argument("--group-rows", type=int, default=250_000,
                        help="rows per row group (the generator's unit of memory)")
    parser.add_argument("--checks", default="leakage,pii")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default=limit, help=f"per worker (default {limit})")
    parser.add_argument("--timeout", type=float, default=7200.0, help="per run, seconds")
    parser.add_argument("--generate-only", action="store_true",
                        help="write the data and stop")
    return parser


def _run(args: argparse.Namespace, engines: list[str]) -> int:
    print("| size (train + test rows x 20 columns) | check | engine | CPU (all processes) | wall "
          "| peak memory | load (1/5/15 min) | findings |\n|---|---|---|---|---|---|---|---|",
          flush=True)
    for size in args.sizes.split(","):
        train_rows, test_rows = (int(n) for n in size.split(":"))
        started = time.perf_counter()
        cpu = time.process_time()
        folder = data_folder(args.data, train_rows, test_rows, args.part_rows, args.group_rows)
        train_dir, test_dir = generate(folder, train_rows, test_rows, args.part_rows,
                                       args.group_rows)
        megabytes = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20
        label = f"{train_rows:,} + {test_rows:,}"
        print(f"<!-- data ready in {time.perf_counter() - started:.0f} s "
              f"({time.process_time() - cpu:.0f} s CPU): {megabytes:,.0f} MB of Parquet -->",
              flush=True)
        if args.generate_only:
            continue
        for check in args.checks.split(","):
            results = []
            for engine in engines:
                result = measure(engine, check, train_dir, test_dir, args.workers,
                                 args.memory_limit, args.timeout)
                results.append(result)
                print(row(label, result), flush=True)
            reports = [r.get("report") for r in results if "report" in r]
            if len(reports) == 2:
                print(f"<!-- {label} {check}: dask report identical to pandas: "
                      f"{'yes' if reports[0] == reports[1] else 'NO'} -->", flush=True)
    print(f"<!-- dask: {args.workers} workers x 1 thread, memory limit {args.memory_limit} per "
          f"worker; files of {args.part_rows:,} rows; {os.cpu_count()} cores -->")
    return 0


def main_compare(argv: list[str] | None = None) -> int:
    """5 M + 1 M rows: leakage and PII on pandas and on dask, reports compared."""
    args = _options(first_line(main_compare), "5000000:1000000", "2GiB").parse_args(argv)
    return _run(args, ["pandas", "dask"])


def main_scale(argv: list[str] | None = None) -> int:
    """100 M + 20 M rows: leakage and PII on dask alone, within a memory limit per worker."""
    args = _options(first_line(main_scale), "100000000:20000000", "4GiB").parse_args(argv)
    return _run(args, ["dask"])


if __name__ == "__main__":
    QUICK = ("--sizes", "200000:40000", "--part-rows", "50000", "--group-rows", "25000")
    raise SystemExit(run_parts(__doc__ or "", {
        "compare": Part(main_compare, first_line(main_compare), QUICK),
        "scale": Part(main_scale, first_line(main_scale), QUICK),
    }))
