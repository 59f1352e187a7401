"""Drift benchmarks: the check's speed on 1,000,000 x 50 data, and its false alarms and
detection beside evidently and alibi-detect.

    python benchmarks/drift.py                     # every part
    python benchmarks/drift.py --part speed        # one part; its options after it
    python benchmarks/drift.py --quick             # every part, small (development)

Parts (``--part NAME --help`` lists a part's options):

- ``speed``: ``mlsec drift`` as one fresh process (CPU, wall, peak RSS) and where the time goes;
- ``calibration``: false alarms and detection of ours, evidently and alibi-detect on the same
  data (the peers run from their own environment, ``--peers-python``).

This file is also what the peers' environment runs as the calibration's worker, so it imports
nothing but the standard library at the top.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from runners import Part, first_line, run_measured, run_parts  # noqa: E402

# -- speed part ---------------------------------------------------------------------------------

DATA = HERE / "data" / "drift"

STAGES = textwrap.dedent("""
    import json, sys, time
    t0 = time.process_time()
    import pandas as pd
    from mlsecops_jupyter.checks.drift import check_drift
    from mlsecops_jupyter.core import Settings
    import sklearn.ensemble, scipy.stats  # what the check imports on first use
    t1 = time.process_time()
    reference, current = pd.read_parquet(sys.argv[1]), pd.read_parquet(sys.argv[2])
    t2 = time.process_time()
    report = check_drift(reference, current,
                         settings=Settings.load().override({"drift.figures": False}))
    t3 = time.process_time()
    print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "check": t3 - t2,
                      "sample_rows": report.metrics["sample_rows"],
                      "classifier_rows": report.metrics["multivariate"]["rows"],
                      "findings": [[f.rule, f.location.column] for f in report.findings]}))
""")


def generate(rows: int, columns: int, seed: int = 0) -> tuple[Path, Path]:
    """Write (once) the reference/current pair; returns their paths."""
    import numpy as np
    import pandas as pd

    DATA.mkdir(parents=True, exist_ok=True)
    paths = (DATA / f"reference-{rows}x{columns}.parquet",
             DATA / f"current-{rows}x{columns}.parquet")
    if all(p.exists() for p in paths):
        return paths
    floats, integers = int(columns * 0.7), int(columns * 0.2)
    texts = columns - floats - integers
    for path, side in zip(paths, (0, 1), strict=True):
        rng = np.random.default_rng(seed + side)
        frame = {}
        for i in range(floats):
            values = rng.normal(0.2 * side if i == 0 else 0.0, 1.0, rows)
            if i == 1:
                values[rng.random(rows) < (0.02 + 0.08 * side)] = np.nan
            frame[f"num_{i}"] = values
        for i in range(integers):
            frame[f"int_{i}"] = rng.integers(0, 1000 if i % 2 else 7, rows)
        for i in range(texts):
            levels = [f"level-{k}" for k in range(12)] + (["new"] if side and i == 0 else [])
            frame[f"text_{i}"] = pd.Series(rng.choice(levels, rows), dtype="str")
        pd.DataFrame(frame).to_parquet(path)
    return paths


def main_speed(argv: list[str] | None = None) -> None:
    """Drift check speed: 1,000,000 x 50 reference vs 1,000,000 x 50 current, as users run it.

    The pair (35 float, 10 integer and 5 text columns; the current side with a shifted column, a
    new category and more missing values, so every path runs, the domain classifier's drivers
    included) is written once to benchmarks/data/drift/ (git-ignored). Then, each in a fresh
    process:

    * ``mlsec drift REF CUR --format json``: the whole command-line run (interpreter start,
      imports, reading both Parquet files, the check, the JSON), measured by ``os.wait4`` through
      the runners' bare launcher: CPU time (user + system), wall time, peak RSS;
    * the same in Python with ``time.process_time`` around each stage (imports, reading, the
      check), to say where the time goes.

    The target (issue 16): under 10 s of CPU for the whole process. The sample sizes the check used
    are printed from its report.

        python benchmarks/drift.py --part speed [--rows 1000000] [--columns 50]
    """
    parser = argparse.ArgumentParser(description=first_line(main_speed))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=50)
    args = parser.parse_args(argv)
    reference, current = generate(args.rows, args.columns)
    cli = [sys.executable, "-m", "mlsecops_jupyter", "drift", str(reference), str(current),
           "--format", "json"]
    run = run_measured(cli, timeout_s=600)
    if run.returncode not in (0, 1):
        raise SystemExit(f"mlsec drift failed ({run.status}): {run.stderr[-500:]}")
    report = json.loads(run.stdout)
    stages = json.loads(subprocess.run([sys.executable, "-c", STAGES, str(reference),
                                        str(current)], capture_output=True, text=True,
                                       check=True).stdout)
    shape = f"{args.rows:,} x {args.columns}"
    print(f"reference {shape} vs current {shape} (Parquet)")
    print(f"sample used: {report['metrics']['sample_rows']} rows per side for the column "
          f"tests, {report['metrics']['multivariate']['rows']} for the domain classifier; "
          "missing-value shares on every row")
    print("findings: " + ", ".join(f"{f['rule']} {f['location'].get('column', '')}".strip()
                                   for f in report["findings"]))
    print()
    print("| measure | CPU s | wall s | peak RSS MB |")
    print("|---|---|---|---|")
    print(f"| `mlsec drift REF CUR --format json`, whole process | {run.cpu_s:.2f} | "
          f"{run.wall_s:.2f} | {run.peak_rss_mb:.0f} |")
    for stage in ("imports", "read", "check"):
        print(f"| in a fresh process: {stage} | {stages[stage]:.2f} | - | - |")



# -- calibration part ---------------------------------------------------------------------------

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


def main_calibration(argv: list[str] | None = None) -> None:
    """Drift: false alarms on unchanged data and detection against shift size, beside evidently and
    alibi-detect on the same data (docs/drift.md).

    Every case is a pair of 20-column frames (6 normal, 3 log-normal, 3 wide integer, 2 Poisson
    count, 2 four-level and 2 forty-level categorical, 1 boolean, 1 normal with 10 % missing
    values) drawn with numpy's legacy ``RandomState`` -- its stream is frozen across numpy
    versions, so each tool's worker, in its own environment, rebuilds exactly the same data from
    the seed.

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

        python benchmarks/drift.py --part calibration [--seeds 100] [--detection-seeds 20]
                                               [--peers-python PATH]
    """
    parser = argparse.ArgumentParser(description=first_line(main_calibration))
    parser.add_argument("--seeds", type=int, default=100, help="false-alarm runs per size")
    parser.add_argument("--detection-seeds", type=int, default=20,
                        help="runs per change and size (0: false alarms only)")
    parser.add_argument("--peers-python", type=Path,
                        help="python of the environment with evidently and alibi-detect")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "PLAN"), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=HERE / "data" / "drift-calibration.json")
    args = parser.parse_args(argv)
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
            done = subprocess.run([str(python), __file__, "--part", "calibration",
                                   "--worker", tool, str(plan_file)],
                                  capture_output=True, text=True, env=env)
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
            if done.returncode != 0 or len(lines) != len(plan):
                print(f"{tool}: worker ended with {done.returncode} after {len(lines)} of "
                      f"{len(plan)} cases: {done.stderr[-800:]}", file=sys.stderr)
            results += lines
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results))
    report(results, [tool for tool, _ in tools])


PARTS = {
    "speed": Part(main_speed, first_line(main_speed),
                  quick=("--rows", "20000", "--columns", "10")),
    "calibration": Part(main_calibration, first_line(main_calibration),
                        quick=("--seeds", "2", "--detection-seeds", "0")),
}

if __name__ == "__main__":
    raise SystemExit(run_parts(__doc__ or "", PARTS))
