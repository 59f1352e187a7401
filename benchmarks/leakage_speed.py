"""Data-level leakage checks at scale: ours against deepchecks, side by side in one run.

The pair (5,000,000 x 20 train, 1,000,000 x 20 test, with planted duplicates, near duplicates,
shared customers and a random split of dated rows) is generated once into benchmarks/data/
(git-ignored). Each tool runs in a fresh child process that first loads the frames, so "memory
beyond the frames" is measured from that point:

* CPU time: ``time.process_time`` around the check (robust to other jobs on a shared machine);
* memory beyond the frames, two ways: the growth of the process RSS during the check (a sampler
  thread reads it every 5 ms; the maximum minus the RSS just before the check; it undercounts
  memory the allocator reuses from loading the frames), and, in a second run of ours, the
  tracemalloc peak of every numpy/Python allocation made by the check (Arrow's own buffers,
  e.g. while factorising string columns, are not seen by tracemalloc);
* deepchecks runs under ``resource.setrlimit(RLIMIT_AS, cap)`` (8 GB by default) and a time
  limit, on a fifth of the pair (its own documented problem size), and a run that hits either is
  reported as such.

A second, small experiment compares correctness on clean data with random ids and dates: our
LEAK-ID-LABEL against deepchecks' IdentifierLabelCorrelation.

deepchecks does not import with current scikit-learn/pandas/numpy, so it runs from its own
environment, given with ``--deepchecks-python`` (see benchmarks/README.md for how it is built).

    python benchmarks/leakage_speed.py [--rows 5000000] [--deepchecks-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "leakage"
TEST_SHARE = 0.2      # test rows = 20 % of the train rows
DUPLICATES = 0.01     # share of test rows copied from train
NEAR = 0.005          # share of test rows copied with float noise below 1e-6


def generate(rows: int, seed: int = 0) -> tuple[Path, Path]:
    """Write (once) the train/test Parquet pair with ``rows`` training rows."""
    import numpy as np
    import pandas as pd

    DATA.mkdir(parents=True, exist_ok=True)
    train_path, test_path = DATA / f"train-{rows}.parquet", DATA / f"test-{rows}.parquet"
    if train_path.exists() and test_path.exists():
        return train_path, test_path
    rng = np.random.default_rng(seed)
    test_rows = int(rows * TEST_SHARE)
    total = rows + test_rows
    frame = pd.DataFrame({
        "row_id": rng.permutation(total).astype(np.int64),
        "customer_id": rng.integers(0, total // 5, total),
        "event_time": pd.Timestamp("2021-01-01")
        + pd.to_timedelta(rng.integers(0, 3 * 365 * 86400, total), unit="s"),
    })
    for i in range(11):
        frame[f"num_{i}"] = rng.normal(0, 1, total).round(6)
    for i in range(3):
        frame[f"int_{i}"] = rng.integers(0, 100, total)
    frame["channel"] = pd.Series(rng.choice(["web", "store", "phone", "partner"], total),
                                 dtype="str")
    frame["region"] = pd.Series(rng.choice([f"region-{i}" for i in range(40)], total),
                                dtype="str")
    score = frame["num_0"] + 0.5 * frame["num_1"] + rng.normal(0, 1.2, total)
    frame["target"] = (score > 0.8).astype(np.int64)
    train = frame.iloc[:rows].reset_index(drop=True)
    test = frame.iloc[rows:].reset_index(drop=True)
    copies = int(test_rows * DUPLICATES)
    near = int(test_rows * NEAR)
    source = rng.choice(rows, copies + near, replace=False)
    test.iloc[:copies, 1:] = train.iloc[source[:copies], 1:].to_numpy()
    noisy = train.iloc[source[copies:]].copy()
    noisy["num_2"] = noisy["num_2"] + 1e-7
    test.iloc[copies:copies + near, 1:] = noisy.iloc[:, 1:].to_numpy()
    test = test.astype(train.dtypes.to_dict())
    train.to_parquet(train_path)
    test.to_parquet(test_path)
    return train_path, test_path


# one child per measured run: load the frames, then measure only the check
CHILD = textwrap.dedent(r"""
    import json, os, resource, sys, threading, time
    cap, fraction, tool, train_path, test_path = (int(sys.argv[1]), float(sys.argv[2]),
                                                  sys.argv[3], sys.argv[4], sys.argv[5])
    trace = sys.argv[6] == "trace"
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import pandas as pd
    train = pd.read_parquet(train_path)
    test = pd.read_parquet(test_path)
    if fraction < 1:
        train = train.iloc[: int(len(train) * fraction)]
        test = test.iloc[: int(len(test) * fraction)]

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    peak = [0]
    done = threading.Event()
    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.005)
    out = {"tool": tool, "train_rows": len(train), "test_rows": len(test),
           "frames_mb": round((train.memory_usage(deep=True).sum()
                               + test.memory_usage(deep=True).sum()) / 2**20)}
    if tool == "ours":
        from mlsecops_jupyter.checks.leakage import check_leakage
        from mlsecops_jupyter.core.settings import Settings
        settings = Settings()
        run = lambda: check_leakage(train, test, target="target", settings=settings)
    else:
        from deepchecks.tabular import Dataset
        from deepchecks.tabular.checks import TrainTestSamplesMix
        def run():
            # row_id as the index, so that (like ours) the row id is not compared
            options = dict(label="target", cat_features=["channel", "region"],
                           index_name="row_id")
            train_ds = Dataset(train, **options)
            test_ds = Dataset(test, **options)
            return TrainTestSamplesMix().run(train_ds, test_ds)
    if trace:
        # second, separate run: peak of numpy/Python allocations (tracemalloc sees numpy's
        # buffers; it slows Python-level code, so its CPU time is not reported)
        import tracemalloc
        tracemalloc.start()
        run()
        print("RESULT " + json.dumps({"tool": tool, "traced_peak_mb":
                                      round(tracemalloc.get_traced_memory()[1] / 2**20)}))
        sys.exit(0)
    base = rss()
    peak[0] = base
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    cpu = time.process_time()
    wall = time.perf_counter()
    try:
        result = run()
        out["status"] = "ok"
    except MemoryError:
        result = None
        out["status"] = "MemoryError at the cap"
    out["cpu_s"] = round(time.process_time() - cpu, 2)
    out["wall_s"] = round(time.perf_counter() - wall, 2)
    done.set()
    thread.join()
    out["rss_growth_mb"] = round((max(peak[0], rss()) - base) / 2**20)
    if tool == "ours" and result is not None:
        out["findings"] = {f.rule + (f"[{f.location.column}]" if f.location.column else ""):
                           f.evidence.get("count") for f in result.findings}
        out["elapsed_s"] = round(result.elapsed_s, 2)
    elif result is not None:
        out["findings"] = {"TrainTestSamplesMix": str(result.value)[:200]}
    print("RESULT " + json.dumps(out))
""")


def run_child(python: str, tool: str, paths: tuple[Path, Path], fraction: float, cap_gb: float,
              timeout: int, trace: bool = False) -> dict[str, object]:
    result = _run_child(python, tool, paths, fraction, cap_gb, timeout, trace)
    result["fraction"] = fraction
    return result


def _run_child(python: str, tool: str, paths: tuple[Path, Path], fraction: float,
               cap_gb: float, timeout: int, trace: bool) -> dict[str, object]:
    cap = int(cap_gb * 2**30) if cap_gb else 0
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    try:
        proc = subprocess.run([python, "-c", CHILD, str(cap), str(fraction), tool,
                               str(paths[0]), str(paths[1]), "trace" if trace else "-"],
                              capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "status": f"timeout after {timeout} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    killed = proc.returncode < 0 or "MemoryError" in proc.stderr or "bad_alloc" in proc.stderr
    status = f"killed at the {cap_gb:g} GB cap" if killed and cap else f"failed: {tail[:160]}"
    return {"tool": tool, "status": status, "returncode": proc.returncode}


# correctness on clean data: random ids and dates must not be flagged
CLEAN = textwrap.dedent(r"""
    import json, sys
    import numpy as np, pandas as pd
    tool, seeds = sys.argv[1], int(sys.argv[2])
    flagged, nonzero, top = 0, 0, 0.0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        n = 20000
        frame = pd.DataFrame({
            "customer_id": rng.permutation(n) + 100000,
            "signup_date": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1500, n), unit="D"),
            "income": rng.normal(50, 10, n), "age": rng.integers(18, 80, n)})
        frame["target"] = (frame.income + rng.normal(0, 8, n) > 55).astype(int)
        train = frame.iloc[: n * 4 // 5]
        if tool == "ours":
            from mlsecops_jupyter.checks.leakage import check_leakage
            from mlsecops_jupyter.core.settings import Settings
            report = check_leakage(train, frame.iloc[n * 4 // 5:], target="target",
                                   settings=Settings())
            flagged += sum(f.rule == "LEAK-ID-LABEL" for f in report.findings)
            table = report.metrics["tables"][-1]
            scores = [row[2] for row in table["rows"] if row[1] in ("id", "time")]
            nonzero += sum(abs(v - 0.5) > 0 for v in scores)
            top = max([top] + [abs(v - 0.5) + 0.5 for v in scores])
        else:
            from deepchecks.tabular import Dataset
            from deepchecks.tabular.checks import IdentifierLabelCorrelation
            ds = Dataset(train, label="target", index_name="customer_id",
                         datetime_name="signup_date", cat_features=[])
            result = IdentifierLabelCorrelation().add_condition_pps_less_or_equal().run(ds)
            flagged += sum(not c.is_pass() for c in result.conditions_results)
            nonzero += sum(1 for v in result.value.values() if v > 0)
            top = max([top] + list(result.value.values()))
    print("RESULT " + json.dumps({"tool": tool, "seeds": seeds, "columns_flagged": flagged,
                                  "nonzero_scores": nonzero, "max_score": round(top, 4)}))
""")


def run_clean(python: str, tool: str, seeds: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    proc = subprocess.run([python, "-c", CLEAN, tool, str(seeds)], capture_output=True,
                          text=True, timeout=1200, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"tool": tool, "status": "failed: " + (proc.stderr.strip().splitlines()
                                                  or ["?"])[-1][:160]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="training rows")
    parser.add_argument("--deepchecks-python", default=os.environ.get("DEEPCHECKS_PYTHON"),
                        help="python of an environment with deepchecks (skipped if absent)")
    parser.add_argument("--deepchecks-fraction", type=float, default=0.2)
    parser.add_argument("--memory-cap-gb", type=float, default=8.0)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--clean-seeds", type=int, default=20)
    parser.add_argument("--tools", default="ours,deepchecks,clean",
                        help="what to run (comma-separated); results of the others are kept "
                        "from the last run's results file")
    args = parser.parse_args()
    tools = set(args.tools.split(","))
    paths = generate(args.rows)
    results_path = DATA / f"results-{args.rows}.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    fractions = [1.0] + ([args.deepchecks_fraction] if args.deepchecks_python else [])
    rerun = {("ours", f) for f in fractions if "ours" in tools}
    rerun |= {("deepchecks", args.deepchecks_fraction)} if "deepchecks" in tools else set()
    results = [r for r in previous.get("speed", [])
               if (r.get("tool"), r.get("fraction")) not in rerun]
    for fraction in fractions if "ours" in tools else []:
        measured = run_child(sys.executable, "ours", paths, fraction, 0, args.timeout)
        traced = run_child(sys.executable, "ours", paths, fraction, 0, args.timeout, trace=True)
        measured["traced_peak_mb"] = traced.get("traced_peak_mb")
        results.append(measured)
    if args.deepchecks_python and "deepchecks" in tools:
        results.append(run_child(args.deepchecks_python, "deepchecks", paths,
                                 args.deepchecks_fraction, args.memory_cap_gb, args.timeout))
    clean = previous.get("clean_ids_dates", [])
    if "clean" in tools:
        clean = [run_clean(sys.executable, "ours", args.clean_seeds)]
        if args.deepchecks_python:
            clean.append(run_clean(args.deepchecks_python, "deepchecks", args.clean_seeds))
    out = {"speed": results, "clean_ids_dates": clean}
    results_path.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
