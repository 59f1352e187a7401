"""Drift: false alarms on unchanged data and detection against shift size, beside evidently and
alibi-detect on the same data (docs/drift.md).

Every case is a pair of 20-column frames (6 normal, 3 log-normal, 3 wide integer, 2 Poisson
count, 2 four-level and 2 forty-level categorical, 1 boolean, 1 normal with 10 % missing
values) drawn with numpy's legacy ``RandomState`` -- its stream is frozen across numpy versions,
so each tool's worker, in its own environment, rebuilds exactly the same data from the seed.

1. False alarms: both sides from one distribution, many seeds, sizes 200 to 20,000 rows per
   side. A run "alarms" when a tool flags any column (and, separately, at its dataset level).
2. Detection: one change of a known size on the current side -- a mean shift or a scale change
   of a normal column (in standard deviations), share moved between two levels of a category,
   a rise of the missing share, a correlation between two normal columns that had none -- and
   the share of runs in which the tool flags that column (for the correlation: ours reports
   DRIFT-MULTIVARIATE; the peers' tabular presets have no joint test).

The tools, each at its defaults: ours (``check_drift``: Holm at 0.01 over every test, effect
thresholds); evidently 0.7 ``DataDriftPreset`` (per column: KS / chi-square at p < 0.05 up to
1,000 rows, normalised Wasserstein / Jensen-Shannon distance at 0.1 above; dataset drift when
half the columns drift); alibi-detect 0.13 ``TabularDrift`` (KS / chi-square per column,
p_val 0.05; a column counts at its Bonferroni threshold 0.05 / 20, the dataset level is
``is_drift``; categories as integer codes, missing values as -999: it takes no NaN).

evidently and alibi-detect need numpy < 2 and pandas < 3, so they run from their own
environment, given with ``--peers-python`` (benchmarks/README.md says how it is built).

    python benchmarks/drift_calibration.py [--seeds 100] [--detection-seeds 20]
                                           [--peers-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NORMAL = [f"n{i}" for i in range(6)]
CATEGORICAL = ["c0", "c1", "h0", "h1", "b0"]
SIZES = (200, 1_000, 5_000, 20_000)
SHIFTS = {  # change -> sizes of the change; the column it lands in
    "mean": ((0.05, 0.1, 0.2, 0.3, 0.5), "n0"),
    "scale": ((0.05, 0.1, 0.2, 0.3, 0.5), "n0"),
    "category": ((0.02, 0.05, 0.1, 0.15, 0.2), "c0"),
    "missing": ((0.01, 0.02, 0.05, 0.1, 0.2), "m0"),
    "correlation": ((0.1, 0.2, 0.3, 0.5, 0.7), "n1"),
}
DETECTION_SIZES = (1_000, 10_000)


def make_pair(n: int, seed: int, change: str = "none", size: float = 0.0
              ) -> tuple[Any, Any]:
    """Reference and current frames of one case (deterministic in every environment)."""
    return _side(n, 2 * seed, "none", 0.0), _side(n, 2 * seed + 1, change, size)


def _side(n: int, seed: int, change: str, size: float) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.RandomState(seed % (2 ** 32))
    frame: dict[str, Any] = {name: rng.normal(0.0, 1.0, n) for name in NORMAL}
    if change == "mean":
        frame["n0"] = frame["n0"] + size
    elif change == "scale":
        frame["n0"] = frame["n0"] * (1.0 + size)
    elif change == "correlation":
        frame["n1"] = size * frame["n0"] + np.sqrt(1 - size ** 2) * frame["n1"]
    for i in range(3):
        frame[f"ln{i}"] = rng.lognormal(0.0, 1.0, n)
        frame[f"w{i}"] = rng.randint(0, 1000, n)
    for i in range(2):
        frame[f"p{i}"] = rng.poisson(3.0, n)
    four = np.array([0.4, 0.3, 0.2, 0.1])
    if change == "category":
        four = four + np.array([-size, 0.0, 0.0, size])
    frame["c0"] = rng.choice(list("abcd"), n, p=four)
    frame["c1"] = rng.choice(list("abcd"), n, p=[0.4, 0.3, 0.2, 0.1])
    weights = 1.0 / np.arange(1, 41)
    for name in ("h0", "h1"):
        frame[name] = rng.choice([f"v{k:02d}" for k in range(40)], n, p=weights / weights.sum())
    frame["b0"] = rng.rand(n) < 0.3
    missing = rng.normal(0.0, 1.0, n)
    missing[rng.rand(n) < 0.10 + (size if change == "missing" else 0.0)] = np.nan
    frame["m0"] = missing
    return pd.DataFrame(frame)


def jobs(seeds: int, detection_seeds: int) -> list[dict[str, Any]]:
    out = [{"change": "none", "size": 0.0, "n": n, "seed": seed}
           for n in SIZES for seed in range(seeds)]
    for change, (sizes, _) in SHIFTS.items():
        out += [{"change": change, "size": size, "n": n, "seed": 10_000 + seed}
                for n in DETECTION_SIZES for size in sizes for seed in range(detection_seeds)]
    return out


# -- the tools (run inside their own environment) -----------------------------------------------
def run_ours(reference: Any, current: Any) -> dict[str, Any]:
    from mlsecops_jupyter.checks.drift import check_drift
    from mlsecops_jupyter.core import Settings

    report = check_drift(reference, current, settings=Settings().override(
        {"drift.figures": False}))
    columns = sorted({str(f.location.column) for f in report.findings
                      if f.rule == "DRIFT-FEATURE"})
    joint = any(f.rule == "DRIFT-MULTIVARIATE" for f in report.findings)
    return {"columns": columns, "joint": joint, "dataset": bool(report.findings)}


def run_evidently(reference: Any, current: Any) -> dict[str, Any]:
    from evidently import Report
    from evidently.presets import DataDriftPreset

    result = Report([DataDriftPreset()]).run(current, reference).dict()
    columns, dataset = [], False
    for metric in result["metrics"]:
        name = str(metric.get("metric_name", ""))
        config = metric.get("config") or {}
        value = metric.get("value")
        if name.startswith("ValueDrift"):
            threshold = float(config.get("threshold"))
            method = str(config.get("method", ""))
            p_value = "p_value" in method or "test" in method.lower()
            drifted = value < threshold if p_value else value >= threshold
            if drifted:
                columns.append(str(config.get("column")))
        elif name.startswith("DriftedColumnsCount"):
            dataset = float(value["share"]) >= float(config.get("drift_share", 0.5))
    return {"columns": sorted(columns), "joint": False, "dataset": dataset}


def run_alibi(reference: Any, current: Any) -> dict[str, Any]:
    import numpy as np
    from alibi_detect.cd import TabularDrift

    names = list(reference.columns)
    categorical = {j: None for j, name in enumerate(names) if name in CATEGORICAL}

    def encode(frame: Any) -> Any:
        matrix = np.empty(frame.shape, dtype=np.float64)
        for j, name in enumerate(names):
            if j in categorical:
                levels = sorted(set(reference[name].astype(str)) | set(current[name].astype(str)))
                lookup = {level: k for k, level in enumerate(levels)}
                matrix[:, j] = [lookup[str(v)] for v in frame[name]]
            else:
                matrix[:, j] = np.nan_to_num(frame[name].to_numpy(np.float64), nan=-999.0)
        return matrix

    detector = TabularDrift(encode(reference), p_val=0.05, categories_per_feature=categorical)
    batch = detector.predict(encode(current), drift_type="batch")["data"]
    p_values = np.asarray(batch["p_val"])
    flagged = [names[j] for j in np.flatnonzero(p_values < 0.05 / len(names))]
    return {"columns": sorted(flagged), "joint": False, "dataset": bool(batch["is_drift"])}


TOOLS = {"ours": run_ours, "evidently": run_evidently, "alibi-detect": run_alibi}


def worker(tool: str, plan: Path) -> None:
    """Run one tool over every job of the plan; one JSON line per job on stdout."""
    import warnings

    warnings.filterwarnings("ignore")
    run = TOOLS[tool]
    for job in json.loads(plan.read_text()):
        reference, current = make_pair(job["n"], job["seed"], job["change"], job["size"])
        try:
            result = run(reference, current)
        except Exception as exc:  # a tool that fails on a case is reported, not dropped
            result = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        print(json.dumps({**job, "tool": tool, **result}), flush=True)


# -- the report ---------------------------------------------------------------------------------
def _rate(rows: list[dict[str, Any]], hit: Any) -> str:
    valid = [r for r in rows if "error" not in r]
    if not valid:
        return "error"
    errors = len(rows) - len(valid)
    text = f"{sum(1 for r in valid if hit(r)) / len(valid):.2f}"
    return text + (f" ({errors} errors)" if errors else "")


def report(results: list[dict[str, Any]], tools: list[str]) -> None:
    by = {}
    for row in results:
        by.setdefault((row["tool"], row["change"], row["size"], row["n"]), []).append(row)
    print("## False alarms: both sides from one distribution (20 columns)\n")
    print("| rows per side | runs | " + " | ".join(
        f"{t}: any column | {t}: dataset level" for t in tools) + " |")
    print("|---|---|" + "---|---|" * len(tools))
    for n in SIZES:
        cells = []
        runs = 0
        for tool in tools:
            rows = by.get((tool, "none", 0.0, n), [])
            runs = max(runs, len(rows))
            cells += [_rate(rows, lambda r: bool(r["columns"]) or r["joint"]),
                      _rate(rows, lambda r: r["dataset"])]
        print(f"| {n:,} | {runs} | " + " | ".join(cells) + " |")
    if not any(row["change"] != "none" for row in results):
        return
    print("\n## Detection: share of runs that flag the changed column\n")
    print("| change | size | rows per side | " + " | ".join(tools) + " | "
          + " | ".join(f"{t}: another column flagged" for t in tools) + " |")
    print("|---|---|---|" + "---|" * (2 * len(tools)))
    for change, (sizes, column) in SHIFTS.items():
        for n in DETECTION_SIZES:
            for size in sizes:
                hits, others = [], []
                for tool in tools:
                    rows = by.get((tool, change, size, n), [])
                    if change == "correlation":
                        hits.append(_rate(rows, lambda r: r["joint"]))
                    else:
                        hits.append(_rate(rows, lambda r, c=column: c in r["columns"]))
                    others.append(_rate(rows, lambda r, c=column: any(
                        x != c for x in r["columns"])))
                print(f"| {change} | {size:g} | {n:,} | " + " | ".join(hits) + " | "
                      + " | ".join(others) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=100, help="false-alarm runs per size")
    parser.add_argument("--detection-seeds", type=int, default=20,
                        help="runs per change and size (0: false alarms only)")
    parser.add_argument("--peers-python", type=Path,
                        help="python of the environment with evidently and alibi-detect")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "PLAN"), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=HERE / "data" / "drift-calibration.json")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return
    plan = jobs(args.seeds, args.detection_seeds)
    tools = [("ours", Path(sys.executable))]
    if args.peers_python:
        tools += [("evidently", args.peers_python), ("alibi-detect", args.peers_python)]
    results: list[dict[str, Any]] = []
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    with tempfile.TemporaryDirectory() as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        for tool, python in tools:
            done = subprocess.run([str(python), __file__, "--worker", tool, str(plan_file)],
                                  capture_output=True, text=True, env=env)
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
            if done.returncode != 0 or len(lines) != len(plan):
                print(f"{tool}: worker ended with {done.returncode} after {len(lines)} of "
                      f"{len(plan)} cases: {done.stderr[-800:]}", file=sys.stderr)
            results += lines
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results))
    report(results, [tool for tool, _ in tools])


if __name__ == "__main__":
    main()
