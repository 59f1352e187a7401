"""Model-file scanner: speed and memory of ours and the peers on large model files.

    python benchmarks/model_scan.py            # 1 GB torch, 500 MB joblib, 300 MB pickle
    python benchmarks/model_scan.py --quick    # 5 % sizes, for development
    python benchmarks/model_scan.py --part speed --scanners ours   # re-measure one scanner, keep
                                                                   # the others' rows

Parts: ``speed`` (this table) and ``startup`` (``mlsec scan small.pkl`` beside picklescan
and fickling, whole processes). The file is not named ``modelscan.py``: that would shadow the
modelscan peer for anything run from this folder.

Inputs are generated once into ``benchmarks/data/`` (git-ignored). Every scan runs in a fresh
process; the table gives whole-process wall time, CPU time (user + system) and peak RSS, and says
``timeout`` / ``oom`` / ``error`` where a scanner did not finish. Results are also kept in
``benchmarks/data/speed-results-<scale>.json`` so a partial re-run merges into the last table.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import DATA_DIR, MB, BenchInput, ensure_inputs  # noqa: E402
from runners import (  # noqa: E402
    SCANNERS,
    Part,
    first_line,
    run_measured,
    run_parts,
    run_scanner,
)

IMPORT_TARGET_S = 0.3
IMPORT_PROBE = (
    "import time\n"
    "started = time.perf_counter()\n"
    "import mlsecops_jupyter\n"
    "from mlsecops_jupyter.checks.modelscan import scan_model\n"
    "print(time.perf_counter() - started)\n"
)


def measure_import(repeat: int = 5) -> dict[str, Any]:
    """Median in-process import time of the package plus the scanner, and the whole process."""
    probe = [sys.executable, "-c", IMPORT_PROBE]
    runs = [run_measured(probe, timeout_s=60) for _ in range(repeat)]
    good = [r for r in runs if r.status == "ok" and r.returncode == 0]
    if not good:
        return {"status": "error", "error": runs[-1].stderr.strip().splitlines()[-1:]}
    return {
        "status": "ok",
        "import_s": statistics.median(float(r.stdout.strip().splitlines()[-1]) for r in good),
        "process_wall_s": statistics.median(r.wall_s for r in good),
        "process_cpu_s": statistics.median(r.cpu_s for r in good),
        "peak_rss_mb": statistics.median(r.peak_rss_mb for r in good),
    }


def measure(inputs: list[BenchInput], scanners: list[str], timeout_s: float,
            memory_cap_mb: float) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for item in inputs:
        for name in scanners:
            print(f"  {name:10} on {item.path.name} ...", end="", flush=True, file=sys.stderr)
            run, verdict = run_scanner(SCANNERS[name], item.path, timeout_s, memory_cap_mb)
            status = run.status
            if status == "ok" and verdict.error and not verdict.any:
                status = "error"  # finished without a verdict: the scan itself failed
            results[f"{name}|{item.name}"] = {
                "status": status, "wall_s": run.wall_s, "cpu_s": run.cpu_s,
                "peak_rss_mb": run.peak_rss_mb, "returncode": run.returncode,
                "error": verdict.error, "flagged": verdict.any,
                "scan_s": verdict.elapsed_s, "timeout_s": timeout_s,
            }
            print(f" {status} {run.wall_s:.2f} s", file=sys.stderr)
    return results


def without_folders(text: str) -> str:
    """Error texts quote file paths; the table keeps only the file names."""
    return re.sub(r"(?:/[^\s/:]+)+/", "", text)


def cell(result: dict[str, Any] | None, timeout_s: float, cap_mb: float) -> str:
    if result is None:
        return "not run"
    result = {**result, "error": without_folders(result.get("error") or "")}
    figures = (f"{result['wall_s']:.2f} s / {result['cpu_s']:.2f} s / "
               f"{result['peak_rss_mb']:.0f} MB")
    if result["status"] == "timeout":
        return f"timeout (> {result.get('timeout_s', timeout_s):.0f} s)"
    if result["status"] == "oom":
        return f"killed at {cap_mb / 1024:.0f} GB RSS after {result['wall_s']:.0f} s"
    if result["status"] == "error":
        return f"error ({result['error'][:60]}) {figures}"
    note = f" [{result['error'][:50]}]" if result.get("error") else ""
    if result.get("scan_s") is not None:
        note += f" (scan_model itself: {result['scan_s']:.2f} s)"
    return figures + note


def table(inputs: list[BenchInput], results: dict[str, dict[str, Any]],
          imports: dict[str, Any] | None, timeout_s: float, cap_mb: float) -> str:
    names = list(SCANNERS)
    lines = [
        "| input | size | target (ours) | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for item in inputs:
        size = f"{item.path.stat().st_size / MB:.0f} MB"
        target = f"< {item.target_s:g} s" + (
            f", < {item.target_rss_mb / 1024:g} GB" if item.target_rss_mb else "")
        row = [cell(results.get(f"{n}|{item.name}"), timeout_s, cap_mb) for n in names]
        lines.append(f"| {item.name} | {size} | {target} | " + " | ".join(row) + " |")
    if imports and imports.get("status") == "ok":
        lines.append(
            f"| `import mlsecops_jupyter` + scanner | - | < {IMPORT_TARGET_S} s | "
            f"{imports['import_s']:.3f} s in-process (process: {imports['process_wall_s']:.2f} s"
            f" / {imports['process_cpu_s']:.2f} s / {imports['peak_rss_mb']:.0f} MB) | "
            + " | ".join("-" for _ in names[1:]) + " |")
    lines.append("")
    lines.append("Cells: wall time / CPU time (user+system) / peak RSS of the whole process.")
    return "\n".join(lines)


def main_speed(argv: list[str] | None = None) -> int:
    """Speed and memory of ours and the peers on large model files, side by side in one run."""
    parser = argparse.ArgumentParser(description=first_line(main_speed))
    parser.add_argument("--quick", action="store_true", help="5 %% input sizes")
    parser.add_argument("--scale", type=float, default=None, help="input size factor (1.0)")
    parser.add_argument("--scanners", default=",".join(SCANNERS),
                        help="comma-separated subset of: " + ", ".join(SCANNERS))
    parser.add_argument("--inputs", default=None,
                        help="comma-separated subset of input names (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run (300)")
    parser.add_argument("--memory-cap-mb", type=float, default=8192.0,
                        help="kill a run whose RSS exceeds this (8192)")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.05 if args.quick else 1.0)
    scanners = [name.strip() for name in args.scanners.split(",") if name.strip()]
    unknown = sorted(set(scanners) - set(SCANNERS))
    if unknown:
        parser.error(f"unknown scanners: {', '.join(unknown)}")

    print(f"generating inputs at scale {scale} (cached in {DATA_DIR.name}/)", file=sys.stderr)
    inputs = ensure_inputs(scale)
    store = DATA_DIR / f"speed-results-{scale:g}.json"
    saved = json.loads(store.read_text()) if store.exists() else {"results": {}}
    imports = measure_import() if "ours" in scanners else saved.get("imports")
    chosen = [i for i in inputs if args.inputs is None or i.name in args.inputs.split(",")]
    results = {**saved["results"], **measure(chosen, scanners, args.timeout, args.memory_cap_mb)}
    store.write_text(json.dumps({"results": results, "imports": imports}, indent=1))
    print(table(inputs, results, imports, args.timeout, args.memory_cap_mb))
    return 0


ROOT = Path(__file__).resolve().parents[1]
OURS_CLI = "import sys; from mlsecops_jupyter.cli import main; sys.exit(main())"


def startup_commands(path: Path, peers_bin: Path | None) -> dict[str, list[str]]:
    def peer(name: str) -> str:
        folder = peers_bin or Path(sys.executable).parent
        candidate = folder / name
        return str(candidate) if candidate.exists() else name

    return {
        "ours (mlsec scan)": [sys.executable, "-c", OURS_CLI, "scan", str(path)],
        "picklescan": [peer("picklescan"), "-p", str(path)],
        "fickling": [peer("fickling"), "--check-safety", str(path)],
        "python -c pass": [sys.executable, "-c", "pass"],
    }


def main_startup(argv: list[str] | None = None) -> int:
    """Start-up cost: `mlsec scan small.pkl` beside picklescan and fickling, as whole processes.

    On a small file almost all of a scanner's time is interpreter start and imports: what a
    pre-commit hook or a CI step over many small files pays per file. Each run is a fresh
    process measured by ``os.wait4`` (CPU of that process alone); the scanners run round-robin so
    a change in machine load hits all alike; median and minimum of ``--runs`` runs each. Ours is
    this tree's ``mlsec`` entry point with its bytecode cached as an installed package has it;
    the peers run their console scripts from ``--peers-bin`` (default: next to this
    interpreter, else ``PATH``).
    """
    parser = argparse.ArgumentParser(description=first_line(main_startup))
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--peers-bin", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlsec-startup-") as folder:
        path = Path(folder) / "small.pkl"
        data = pickle.dumps({"weights": [0.5, -1.25, 3.0], "name": "tiny"}, protocol=4)
        path.write_bytes(data)
        # bytecode cached once, as pip does on install, in a private folder (the tree stays clean)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
        runs = startup_commands(path, args.peers_bin)
        home = Path.cwd()
        os.chdir(folder)  # fickling writes safety_results.json into the working folder
        for argv in runs.values():  # warm-up: caches bytecode, checks each command works
            measured = run_measured(argv, timeout_s=120)
            if measured.status != "ok" or measured.returncode not in (0, 1):
                raise SystemExit(f"{argv[0]} failed: {measured.status} {measured.stderr[-300:]}")
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, argv in runs.items():
                cpu[name].append(run_measured(argv, timeout_s=120).cpu_s)
        os.chdir(home)
    load = os.getloadavg()[0]
    print(f"| scanner on a {len(data)}-byte pickle | CPU s, median of {args.runs} | CPU s, min |")
    print("|---|---|---|")
    for name, values in cpu.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} |")
    print(f"\nload average during the run: {load:.1f} on {os.cpu_count()} CPUs")
    return 0



if __name__ == "__main__":
    raise SystemExit(run_parts(__doc__ or "", {
        "speed": Part(main_speed, first_line(main_speed), quick=("--quick",)),
        "startup": Part(main_startup, first_line(main_startup), quick=("--runs", "5"))}))
