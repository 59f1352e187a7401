"""Leakage and PII on dask past one machine's memory, and against the pandas path.

The data: a train and a test set of 20 columns (the columns of ``leakage_speed.py``: ids, a
timestamp, 11 floats, 3 small integers, 2 text categories, a label), written once, part by
part, as folders of Parquet files of ``--part-rows`` rows each into benchmarks/data/dask/
(git-ignored), so no size ever has to fit in memory to be made. Each test part copies 1 % of
the rows of the training part of the same number and 0.5 % with float noise below the rounding
(planted duplicates and near duplicates).

Each run is one fresh child process:

* pandas: reads both folders whole (``pd.read_parquet``) and runs the check; CPU time of the
  check (``process_time``) and the process's peak RSS (``ru_maxrss``, the frames included);
* dask: starts a LocalCluster of ``--workers`` worker processes, one thread each, with
  ``--memory-limit`` per worker (dask spills to disk past 60 % of it, pauses at 80 %, and
  restarts a worker at 95 %), reads both folders lazily and runs the check; CPU time of the
  driver and of each worker (``getrusage`` before and after, read on the workers) and each
  worker's peak RSS (``ru_maxrss``, worker start-up included), plus wall time.

The two reports of a size are compared (JSON, timing and the engine metric left out) and the
script prints whether they are identical. Wall time is noisy on a shared machine; CPU time is
the figure to compare.

    python benchmarks/dask_scale.py --sizes 5000000:1000000 [--pandas] [--memory-limit 2GiB]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "dask"
DUPLICATES = 0.01
NEAR = 0.005


def _part(rows: int, seed: int, first_id: int) -> object:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "row_id": np.arange(first_id, first_id + rows, dtype=np.int64),
        "customer_id": rng.integers(0, 2**40, rows),
        "event_time": pd.Timestamp("2021-01-01")
        + pd.to_timedelta(rng.integers(0, 3 * 365 * 86400, rows), unit="s"),
    })
    for i in range(11):
        frame[f"num_{i}"] = rng.normal(0, 1, rows).round(6)
    for i in range(3):
        frame[f"int_{i}"] = rng.integers(0, 100, rows)
    channels = np.array(["web", "store", "phone", "partner"], dtype=object)
    regions = np.array([f"region-{i}" for i in range(40)], dtype=object)
    frame["channel"] = pd.array(channels[rng.integers(0, 4, rows)], dtype="string[pyarrow]")
    frame["region"] = pd.array(regions[rng.integers(0, 40, rows)], dtype="string[pyarrow]")
    score = frame["num_0"] + 0.5 * frame["num_1"] + rng.normal(0, 1.2, rows)
    frame["target"] = (score > 0.8).astype(np.int64)
    return frame


def generate(train_rows: int, test_rows: int, part_rows: int) -> tuple[Path, Path]:
    """Write (once) the two Parquet folders; returns their paths."""
    folder = DATA / f"{train_rows}-{test_rows}-{part_rows}"
    train_dir, test_dir = folder / "train", folder / "test"
    if (folder / "done").exists():
        return train_dir, test_dir
    train_dir.mkdir(parents=True, exist_ok=True)
    test_dir.mkdir(parents=True, exist_ok=True)
    train_parts = -(-train_rows // part_rows)
    for k in range(train_parts):
        rows = min(part_rows, train_rows - k * part_rows)
        _part(rows, k, k * part_rows).to_parquet(train_dir / f"part-{k:05d}.parquet",
                                                 index=False)
    for k in range(-(-test_rows // part_rows)):
        rows = min(part_rows, test_rows - k * part_rows)
        test = _part(rows, 10**6 + k, train_rows + k * part_rows)
        if k < train_parts:
            import pandas as pd

            source = pd.read_parquet(train_dir / f"part-{k:05d}.parquet")
            copies, near = int(rows * DUPLICATES), int(rows * NEAR)
            picked = source.sample(n=min(len(source), copies + near), random_state=k)
            picked = picked.reset_index(drop=True)
            picked.loc[copies:, "num_2"] = picked.loc[copies:, "num_2"] + 1e-7
            test.iloc[:len(picked), 1:] = picked.iloc[:, 1:].to_numpy()
            test = test.astype(source.dtypes.to_dict())
        test.to_parquet(test_dir / f"part-{k:05d}.parquet", index=False)
    (folder / "done").write_text("")
    return train_dir, test_dir


CHILD = textwrap.dedent(r"""
    import json, resource, sys, time
    engine, check, train_dir, test_dir, workers, limit = sys.argv[1:7]
    from mlsecops_jupyter import check_leakage, scan_pii
    from mlsecops_jupyter.core import Settings

    def run(train, test):
        if check == "leakage":
            return check_leakage(train, test, target="target", settings=Settings())
        return scan_pii(train, settings=Settings())

    out = {"engine": engine, "check": check}
    wall = time.perf_counter()
    if engine == "pandas":
        import pandas as pd
        train = pd.read_parquet(train_dir)
        test = pd.read_parquet(test_dir) if check == "leakage" else None
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
            before = client.run(usage)
            train = dd.read_parquet(train_dir)
            test = dd.read_parquet(test_dir) if check == "leakage" else None
            started = time.process_time()
            report = run(train, test)
            driver = time.process_time() - started
            after = client.run(usage)
            out["driver_cpu_s"] = driver
            out["workers"] = [{"cpu_s": after[w][0] - before[w][0], "peak_rss_mb": after[w][1]}
                              for w in sorted(after)]
            out["cpu_s"] = driver + sum(w["cpu_s"] for w in out["workers"])
            out["partitions"] = {"train": train.npartitions,
                                 "test": test.npartitions if test is not None else 0}
    out["wall_s"] = time.perf_counter() - wall
    data = json.loads(report.to_json())
    data.pop("elapsed_s", None)
    data["metrics"].pop("data_engine", None)
    out["report"] = data
    out["findings"] = {f["rule"]: f["evidence"].get("count") for f in data["findings"]}
    print(json.dumps(out))
""")


def measure(engine: str, check: str, train_dir: Path, test_dir: Path, workers: int,
            limit: str, timeout_s: float) -> dict[str, object]:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, engine, check, str(train_dir),
                               str(test_dir), str(workers), limit], capture_output=True,
                              text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "check": check, "error": f"timed out after {timeout_s:.0f} s"}
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-1:])[:300]
        return {"engine": engine, "check": check,
                "error": f"exit {done.returncode}: {tail}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def row(size: str, result: dict[str, object]) -> str:
    if "error" in result:
        return f"| {size} | {result['check']} | {result['engine']} | {result['error']} | | | |"
    if result["engine"] == "pandas":
        memory = f"{result['peak_rss_mb']:,.0f} MB (one process)"
    else:
        memory = " / ".join(f"{w['peak_rss_mb']:,.0f}" for w in result["workers"])  # type: ignore[union-attr]
        memory += " MB per worker"
    findings = ", ".join(f"{rule} {count if count is not None else ''}".strip()
                         for rule, count in sorted(result["findings"].items()))  # type: ignore[union-attr]
    return (f"| {size} | {result['check']} | {result['engine']} | {result['cpu_s']:,.1f} s | "
            f"{result['wall_s']:,.0f} s | {memory} | {findings or 'none'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000000:1000000",
                        help="TRAIN:TEST row counts, comma-separated (default 5000000:1000000)")
    parser.add_argument("--part-rows", type=int, default=1_000_000)
    parser.add_argument("--pandas", action="store_true", help="also run the pandas path")
    parser.add_argument("--checks", default="leakage,pii")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GiB", help="per worker (default 2GiB)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="per run, seconds")
    args = parser.parse_args(argv)
    print("| size (train + test rows x 20 columns) | check | engine | CPU (all processes) | wall "
          "| peak memory | findings |\n|---|---|---|---|---|---|---|", flush=True)
    for size in args.sizes.split(","):
        train_rows, test_rows = (int(n) for n in size.split(":"))
        started = time.perf_counter()
        train_dir, test_dir = generate(train_rows, test_rows, args.part_rows)
        label = f"{train_rows:,} + {test_rows:,}"
        print(f"<!-- data ready in {time.perf_counter() - started:.0f} s -->", flush=True)
        for check in args.checks.split(","):
            results = []
            for engine in (["pandas"] if args.pandas else []) + ["dask"]:
                result = measure(engine, check, train_dir, test_dir, args.workers,
                                 args.memory_limit, args.timeout)
                results.append(result)
                print(row(label, result), flush=True)
            reports = [r.get("report") for r in results if "report" in r]
            if len(reports) == 2:
                print(f"<!-- {label} {check}: dask report identical to pandas: "
                      f"{'yes' if reports[0] == reports[1] else 'NO'} -->", flush=True)
    print(f"<!-- dask: {args.workers} workers x 1 thread, memory limit {args.memory_limit} per "
          f"worker; parts of {args.part_rows:,} rows -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
