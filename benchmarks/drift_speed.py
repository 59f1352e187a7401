"""Drift check speed: 1,000,000 x 50 reference vs 1,000,000 x 50 current, as users run it.

The pair (35 float, 10 integer and 5 text columns; the current side with a shifted column, a new
category and more missing values, so every path runs, the domain classifier's drivers included)
is written once to benchmarks/data/drift/ (git-ignored). Then, each in a fresh process:

* ``mlsec drift REF CUR --format json``: the whole command-line run (interpreter start,
  imports, reading both Parquet files, the check, the JSON), measured by ``os.wait4`` through
  the runners' bare launcher: CPU time (user + system), wall time, peak RSS;
* the same in Python with ``time.process_time`` around each stage (imports, reading, the
  check), to say where the time goes.

The target (issue 16): under 10 s of CPU for the whole process. The sample sizes the check used
are printed from its report.

    python benchmarks/drift_speed.py [--rows 1000000] [--columns 50]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "drift"
sys.path.insert(0, str(HERE))

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


def main() -> None:
    from runners import run_measured

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=50)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
