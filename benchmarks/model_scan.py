"""Model-file scanner: speed and memory of ours and the peers on large model files.

    python benchmarks/model_scan.py            # 1 GB torch, 500 MB joblib, 300 MB pickle
    python benchmarks/model_scan.py --quick    # 5 % sizes, for development
    python benchmarks/model_scan.py --part speed --scanners ours   # re-measure one scanner, keep
                                                                   # the others' rows

Parts: ``speed`` (this table), ``startup`` (``mlsec scan small.pkl`` beside picklescan and
fickling, whole processes), ``detection`` (the test corpus, every scanner), ``limits`` (inert
padding against pickle.load, hostile files, real models) and ``peer-suites`` (the peers' own test
samples, every scanner). The file is not named ``modelscan.py``: that would shadow the
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
import shutil
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))

from corpus import Sample, build_corpus  # noqa: E402
from corpus.canary import Canary  # noqa: E402
from corpus.large import REALISTIC, moe_layout, write_sparse_torch_checkpoint  # noqa: E402
from corpus.limits import (  # noqa: E402
    nested_zips,
    payload_body,
    write_many_members,
    write_padded_pickle,
)
from inputs import DATA_DIR, MB, BenchInput, ensure_inputs  # noqa: E402
from runners import (  # noqa: E402
    SCANNERS,
    Measured,
    Part,
    first_line,
    run_measured,
    run_parts,
    run_scanner,
    set_peers_bin,
)

from mlsecops_jupyter.core.settings import Settings  # noqa: E402

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



# -- detection: the test corpus, every scanner ----------------------------------------------

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def ours_meets_expectation(sample: Sample, detail: list[str]) -> bool:
    """The test-suite criterion: expected rule at the minimum severity (+ ``also_rules``)."""
    findings = [line.split(" ", 1) for line in detail]
    if not sample.malicious:
        return not any(
            SEVERITY_RANK[s] >= 3 or (SEVERITY_RANK[s] == 2 and r not in sample.medium_allowed)
            for s, r in findings)
    assert sample.min_severity is not None
    primary = any(r in sample.expected_rules and SEVERITY_RANK[s] >= int(sample.min_severity)
                  for s, r in findings)
    return primary and all(any(r == rule for _, r in findings) for rule in sample.also_rules)


def detection_scan_all(samples: list[Sample], scanners: list[str], jobs: int,
             timeout_s: float) -> dict[tuple[str, str], dict[str, Any]]:
    def one(task: tuple[str, Sample]) -> tuple[tuple[str, str], dict[str, Any]]:
        name, sample = task
        run, verdict = run_scanner(SCANNERS[name], sample.path, timeout_s)
        status = run.status if run.status != "ok" else ("error" if verdict.error and not
                                                         verdict.any else "ok")
        return (name, sample.name), {
            "status": status, "strong": verdict.strong, "any": verdict.any,
            "error": verdict.error, "detail": verdict.detail, "wall_s": round(run.wall_s, 3),
        }

    tasks = [(name, sample) for sample in samples for name in scanners]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, tasks))


def detection_mark(result: dict[str, Any]) -> str:
    if result["status"] in ("timeout", "oom"):
        return "T"
    if result["strong"]:
        return "S"
    if result["any"]:
        return "a"
    return "E" if result["error"] else "-"


def detection_report(samples: list[Sample], scanners: list[str],
           results: dict[tuple[str, str], dict[str, Any]]) -> str:
    malicious = [s for s in samples if s.malicious]
    benign = [s for s in samples if not s.malicious]
    lines = [
        f"Corpus: {len(malicious)} malicious, {len(benign)} benign samples.",
        "",
        "| scanner | malicious detected (strong) | malicious detected (any) "
        "| benign flagged (strong) | benign flagged (any) | errors / timeouts |",
        "|---|---|---|---|---|---|",
    ]
    for name in scanners:
        rows = {s.name: results[(name, s.name)] for s in samples}
        strong_hits = sum(rows[s.name]["strong"] for s in malicious)
        any_hits = sum(rows[s.name]["any"] for s in malicious)
        benign_strong = sum(rows[s.name]["strong"] for s in benign)
        benign_any = sum(rows[s.name]["any"] for s in benign)
        problems = sum(1 for r in rows.values() if r["status"] != "ok" or r["error"])
        lines.append(f"| {name} | {strong_hits}/{len(malicious)} | {any_hits}/{len(malicious)} | "
                     f"{benign_strong}/{len(benign)} | {benign_any}/{len(benign)} | {problems} |")
    if "ours" in scanners:
        expected = sum(ours_meets_expectation(s, results[("ours", s.name)]["detail"])
                       for s in malicious)
        clean = sum(ours_meets_expectation(s, results[("ours", s.name)]["detail"])
                    for s in benign)
        lines += ["", f"ours, by the test-suite criterion (expected rule at its minimum "
                      f"severity; benign: nothing >= high, medium only where allowed): "
                      f"{expected}/{len(malicious)} malicious detected, "
                      f"{len(benign) - clean}/{len(benign)} benign flagged."]
        peer_only = []
        for s in malicious:
            peers = [n for n in scanners if n != "ours" and results[(n, s.name)]["any"]]
            if peers and not ours_meets_expectation(s, results[("ours", s.name)]["detail"]):
                peer_only.append(f"{s.name} (by {', '.join(peers)})")
        lines += ["", "Malicious samples a peer flags that we do not detect: "
                  + (", ".join(peer_only) if peer_only else "none.")]
    lines += ["", "Per sample (S strong, a any level only, - nothing, E error, T timeout):", "",
              "| sample | kind | " + " | ".join(scanners) + " |",
              "|---|---|" + "---|" * len(scanners)]
    for sample in samples:
        cells = [detection_mark(results[(n, sample.name)]) for n in scanners]
        lines.append(f"| {sample.name} | {sample.kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main_detection(argv: list[str] | None = None) -> int:
    """Detection of ours and the peers on the shared test corpus, side by side in one run.

    Builds the corpus of ``tests/corpus`` (benign real model files and canary-payload malicious
    samples) into ``benchmarks/data/corpus``, runs every scanner on every file in a fresh
    process, and prints: a summary table (malicious detected / benign flagged, at each scanner's
    "strong" and "any" level, see runners.py), the samples some peer detects that we do not
    (must be none), and a per-sample matrix. The canary marker must still be absent at the end,
    for every scanner.
    """
    parser = argparse.ArgumentParser(description=first_line(main_detection))
    parser.add_argument("--scanners", default=",".join(SCANNERS),
                        help="comma-separated subset of: " + ", ".join(SCANNERS))
    parser.add_argument("--jobs", type=int, default=2, help="scans run at once (2)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per scan (120)")
    parser.add_argument("--peers-bin", type=Path, default=None,
                        help="folder of the peers' console scripts (their own environment)")
    args = parser.parse_args(argv)
    set_peers_bin(args.peers_bin)
    scanners = [name.strip() for name in args.scanners.split(",") if name.strip()]
    unknown = sorted(set(scanners) - set(SCANNERS))
    if unknown:
        parser.error(f"unknown scanners: {', '.join(unknown)}")

    root = DATA_DIR / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    marker = DATA_DIR / "canary" / "CANARY-MARKER"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    samples = build_corpus(root, marker)
    print(f"built {len(samples)} samples; scanning with {', '.join(scanners)}", file=sys.stderr)

    results = detection_scan_all(samples, scanners, args.jobs, args.timeout)
    text = detection_report(samples, scanners, results)
    (DATA_DIR / "detection-results.json").write_text(json.dumps(
        {f"{n}|{s}": r for (n, s), r in results.items()}, indent=1))
    (DATA_DIR / "detection-results.md").write_text(text + "\n")
    print(text)
    if marker.exists():
        print(f"\nCANARY FIRED: {marker} exists -- a scanner loaded a sample", file=sys.stderr)
        return 1
    return 0



# -- limits ------------------------------------------------------------------------------------

LIMITS_DIR = DATA_DIR / "limits"
HARMLESS_PAYLOAD = b"cbuiltins\neval\n(X\x01\x00\x00\x000tR."  # eval("0")
TIMEOUT_S = 900.0

LIMITS_SCAN = (
    "import json, sys, time\n"
    "from mlsecops_jupyter.checks.modelscan import pickle_inert, scan_model\n"
    "pickle_inert.InertRuns.enabled = sys.argv[2] == 'fast'\n"
    "started = time.process_time()\n"
    "report = scan_model(sys.argv[1])\n"
    "files = report.metrics['files']\n"
    "print(json.dumps({\n"
    "    'scan_cpu_s': time.process_time() - started,\n"
    "    'findings': sorted({f'{f.severity.label} {f.rule}' for f in report.findings}),\n"
    "    'opcodes': sum(e.get('opcodes', 0) for e in files),\n"
    "    'members': max((e.get('members', 0) for e in files), default=0),\n"
    "    'decompressed': sum(e.get('decompressed_bytes', 0) for e in files)}))\n"
)
LOADERS = {
    "raw": "import pickle, sys\nprint(pickle.load(open(sys.argv[1], 'rb')))\n",
    "gzip": "import gzip, pickle, sys\nprint(pickle.load(gzip.open(sys.argv[1])))\n",
    "zip": ("import pickle, sys, zipfile\n"
            "print(pickle.load(zipfile.ZipFile(sys.argv[1]).open('archive/data.pkl')))\n"),
}
SUFFIX = {"raw": "pkl", "gzip": "pkl.gz", "zip": "pt"}


def limits_ours(path: Path, fast: bool = True) -> tuple[Measured, dict[str, Any]]:
    run = run_measured([sys.executable, "-c", LIMITS_SCAN, str(path), "fast" if fast else "slow"],
                       TIMEOUT_S)
    if run.status != "ok" or run.returncode != 0:
        raise SystemExit(f"our scan of {path.name} failed ({run.status}): {run.stderr[-500:]}")
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def limits_verdict(output: dict[str, Any]) -> str:
    top = [f for f in output["findings"] if f.split()[0] in ("critical", "high")]
    return ", ".join(top) if top else "nothing at high or above"


def cached(path: Path, write: Any) -> Path:
    if not path.exists():
        print(f"  writing {path.name} ...", file=sys.stderr)
        partial = path.with_name(path.name + ".partial")
        write(partial)
        partial.rename(path)
    return path


def size_text(path: Path) -> str:
    size = path.stat().st_size
    if size >= 2**30:
        return f"{size / 2**30:.1f} GB"
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.0f} KB"


# -- 1. inert padding ---------------------------------------------------------------------------
def padding_table(opcodes: int) -> list[str]:
    lines = ["| file | size | ours: CPU s (whole process / scan_model) | pickle.load: CPU s | "
             "ours vs pickle.load | our verdict |", "|---|---|---|---|---|---|"]
    for codec in ("raw", "gzip", "zip"):
        path = cached(LIMITS_DIR / f"padding-{opcodes // 1_000_000}M.{SUFFIX[codec]}",
                      lambda p, c=codec: write_padded_pickle(p, HARMLESS_PAYLOAD, opcodes, c))
        run, output = limits_ours(path)
        load = run_measured([sys.executable, "-c", LOADERS[codec], str(path)], TIMEOUT_S)
        if load.status != "ok" or load.stdout.strip() != "0":
            raise SystemExit(f"pickle.load of {path.name}: {load.status} {load.stderr[-300:]}")
        assert output["opcodes"] == 1 + opcodes + 6, output  # PROTO, padding, the payload
        lines.append(
            f"| {opcodes / 1e6:.0f} M `N0` opcodes + `eval(\"0\")`, {codec} | {size_text(path)} | "
            f"{run.cpu_s:.2f} / {output['scan_cpu_s']:.2f} | {load.cpu_s:.2f} | "
            f"{run.cpu_s / load.cpu_s:.2f} x | {limits_verdict(output)} |")
    tenth = opcodes // 10
    path = cached(LIMITS_DIR / f"padding-{tenth // 1_000_000}M.pkl",
                  lambda p: write_padded_pickle(p, HARMLESS_PAYLOAD, tenth, "raw"))
    run, output = limits_ours(path, fast=False)
    load = run_measured([sys.executable, "-c", LOADERS["raw"], str(path)], TIMEOUT_S)
    lines.append(
        f"| {tenth / 1e6:.0f} M `N0` opcodes + `eval(\"0\")`, raw, **fast path off** | "
        f"{size_text(path)} | {run.cpu_s:.2f} / {output['scan_cpu_s']:.2f} | {load.cpu_s:.2f} | "
        f"{run.cpu_s / load.cpu_s:.1f} x | {limits_verdict(output)} |")
    return lines


# -- 2. files built to hit a limit --------------------------------------------------------------
def hostile_table(canary: Canary, full: bool) -> list[str]:
    limits = Settings().modelscan
    files: list[tuple[str, Path]] = [
        ("torch zip, 100,000 empty members before `data.pkl`",
         cached(LIMITS_DIR / "members-100k.pt",
                lambda p: write_many_members(p, canary, 100_000))),
        (f"torch zip, max_members + 1 = {limits.max_members + 1:,} storage members",
         cached(LIMITS_DIR / "members-over-limit.pt",
                lambda p: write_many_members(p, canary, limits.max_members + 1, storages=True))),
        (f"payload {limits.max_archive_depth + 1} zips deep (max_archive_depth + 1)",
         cached(LIMITS_DIR / "nested.zip",
                lambda p: p.write_bytes(nested_zips(canary, limits.max_archive_depth + 1)))),
        ("600 M `N0` opcodes + payload, gzip",
         cached(LIMITS_DIR / "padding-600M-canary.pkl.gz",
                lambda p: write_padded_pickle(p, payload_body(canary), 600_000_000, "gzip"))),
    ]
    if full:
        over = (limits.max_decompressed_mb << 20) + (64 << 20)
        files.append((f"{over / 2**30:.0f} GB of `N0` padding + payload, gzip "
                      "(past max_decompressed_mb)",
                      cached(LIMITS_DIR / "padding-over-limit.pkl.gz",
                             lambda p: write_padded_pickle(p, payload_body(canary), over,
                                                           "gzip"))))
    lines = ["| file | size | CPU s | peak RSS | our verdict |", "|---|---|---|---|---|"]
    for label, path in files:
        run, output = limits_ours(path)
        lines.append(f"| {label} | {size_text(path)} | {run.cpu_s:.2f} | "
                     f"{run.peak_rss_mb:.0f} MB | {limits_verdict(output)} |")
    return lines


# -- 3. real models -----------------------------------------------------------------------------
def realistic_table(full: bool) -> list[str]:
    limits = Settings().modelscan
    folder = LIMITS_DIR / "realistic"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, write in REALISTIC.items():
        done = folder / f"{name}.done"
        if not done.exists():
            print(f"  writing {name} ...", file=sys.stderr)
            done.write_text(str(write(folder)))
        paths.append(Path(done.read_text()))
        if name == "keras_mobilenet":
            paths.append(folder / "mobilenet.h5")
    if full:
        paths.append(cached(folder / "moe-92k.pt", lambda p: write_sparse_torch_checkpoint(
            p, moe_layout(layers=60, experts=512, hidden=64, expert_size=32))))
    lines = [f"| file | size | CPU s (whole process) | opcodes (of {limits.max_opcodes / 1e6:.0f} "
             f"M) | members (of {limits.max_members:,}) | decompressed (of "
             f"{limits.max_decompressed_mb / 1024:.0f} GB) | our verdict |",
             "|---|---|---|---|---|---|---|"]
    for path in paths:
        run, output = limits_ours(path)
        decompressed = output["decompressed"]
        lines.append(
            f"| {path.name} | {size_text(path)} | {run.cpu_s:.2f} | "
            f"{output['opcodes']:,} ({output['opcodes'] / limits.max_opcodes:.2%}) | "
            f"{output['members']:,} ({output['members'] / limits.max_members:.2%}) | "
            f"{decompressed / 2**20:.0f} MB "
            f"({decompressed / (limits.max_decompressed_mb << 20):.2%}) | "
            f"{limits_verdict(output) if output['findings'] else 'no finding'} |")
    return lines


def main_limits(argv: list[str] | None = None) -> int:
    """Model scanner at its limits: inert padding against pickle.load, hostile files, real models.

    Three tables, every run in a fresh process (CPU is user + system of the whole process, from
    ``os.wait4``): (1) ``--opcodes`` inert ``N0`` opcodes then ``builtins.eval("0")`` (which we
    report as code execution and ``pickle.load`` runs, returning 0), raw, gzip and as a torch
    zip's ``data.pkl``, ours against ``pickle.load`` of the same file, plus our opcode-by-opcode
    path (fast path off) over a tenth of the padding; (2) files built to hit a limit, with the
    canary payload (only scanned; fails if the marker appears); (3) real models at realistic
    sizes (``tests/corpus/large.py``): how much of each limit a scan uses. Inputs are cached in
    ``benchmarks/data/limits/`` (the raw padding is 500 MB; the sparse checkpoints take almost
    no disk). ``--quick``: 50 M opcodes, no 16 GB bomb, no mixture-of-experts checkpoint.
    """
    parser = argparse.ArgumentParser(description=first_line(main_limits))
    parser.add_argument("--quick", action="store_true", help="50 M opcodes, smaller set")
    parser.add_argument("--opcodes", type=int, default=None, help="padding opcodes (500 M)")
    args = parser.parse_args(argv)
    opcodes = args.opcodes or (50_000_000 if args.quick else 500_000_000)
    LIMITS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mlsec-canary-") as folder:
        canary = Canary(Path(folder) / "CANARY-MARKER")
        print("## Inert padding: ours against pickle.load\n")
        print("\n".join(padding_table(opcodes)))
        print("\n## Files built to hit a limit (canary payload, scanned only)\n")
        print("\n".join(hostile_table(canary, full=not args.quick)))
        print("\n## Real models: share of each limit a scan uses\n")
        print("\n".join(realistic_table(full=not args.quick)))
        if canary.marker.exists():
            raise SystemExit("the canary marker exists: something loaded a hostile file")
    return 0


VECTORS = Path(__file__).resolve().parent / "vectors" / "model_scanners"
SUITE_MARKER = "CANARY-MARKER"  # the stored samples' canary: a file name relative to the cwd


def suite_rows(labels: dict[str, Any], results: dict[tuple[str, str], Any],
               scanners: list[str], level: str) -> list[str]:
    """Per peer suite and scanner: caught / malicious, flagged / benign, crashes."""
    lines = [f"| suite | scanner | malicious caught ({level}) | benign flagged ({level}) "
             "| crashes |", "|---|---|---|---|---|"]
    for peer in dict.fromkeys(e["peer"] for e in labels["samples"]):
        mine = [e for e in labels["samples"] if e["peer"] == peer]
        bad = [e for e in mine if e["label"] == "malicious"]
        good = [e for e in mine if e["label"] == "benign"]
        for name in scanners:
            caught = sum(bool(getattr(results[(name, e["file"])][1], level)) for e in bad)
            flagged = sum(bool(getattr(results[(name, e["file"])][1], level)) for e in good)
            crashes = sum(1 for e in mine if results[(name, e["file"])][0] != "ok")
            lines.append(f"| {peer} | {name} | {caught}/{len(bad)} | {flagged}/{len(good)} | "
                         f"{crashes} |")
    return lines


def suite_disagreements(labels: dict[str, Any], results: dict[tuple[str, str], Any],
                        scanners: list[str]) -> list[str]:
    """Where ours and a peer part: a peer catches what we miss (at our strong level), we flag
    (strong) what the peer's suite calls benign, or our scan crashed."""
    listed = json.loads((VECTORS / "differences.json").read_text())
    lines = []
    for entry in labels["samples"]:
        status, ours = results[("ours", entry["file"])]
        others = [n for n in scanners if n != "ours" and results[(n, entry["file"])][1].any]
        why = ""
        if status != "ok":
            why = f"ours crashed ({status}: {ours.error[:80]})"
        elif entry["label"] == "malicious" and not ours.strong:
            why = ("missed at high" + (f"; caught by {', '.join(others)}" if others else "")
                   + (f"; ours: {', '.join(ours.detail)[:100]}" if ours.detail else ""))
        elif entry["label"] == "benign" and ours.strong:
            why = f"benign in {entry['peer']}'s suite, ours high: {', '.join(ours.detail)[:100]}"
        if why:
            note = " [listed in differences.json]" if entry["file"] in listed else " [NOT LISTED]"
            lines.append(f"- {entry['file']} ({entry['label']}): {why}{note}")
    return lines


def main_peer_suites(argv: list[str] | None = None) -> int:
    """The peers' own test samples (picklescan, modelscan, fickling, modelaudit), every scanner.

    Samples and labels are stored by ``vectors/extract_model_scanners.py`` (each label is the
    peer's own test assertion). Each scanner runs on each file in a fresh process, from a
    temporary working folder; the stored samples' canary is ``CANARY-MARKER`` relative to that
    folder, and the run fails if it appears. Prints, per suite and scanner: malicious caught and
    benign flagged at the ``strong`` and ``any`` levels (runners.py), and crashes (a run that
    did not finish or gave no verdict); then every disagreement of ours.
    """
    parser = argparse.ArgumentParser(description=first_line(main_peer_suites))
    parser.add_argument("--scanners", default=",".join(SCANNERS))
    parser.add_argument("--peers-bin", type=Path, default=None,
                        help="folder of the peers' console scripts (their own environment)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--limit", type=int, default=None, help="first N samples (--quick: 12)")
    args = parser.parse_args(argv)
    set_peers_bin(args.peers_bin)
    scanners = [name.strip() for name in args.scanners.split(",") if name.strip()]
    labels = json.loads((VECTORS / "labels.json").read_text())
    if args.limit:
        labels["samples"] = labels["samples"][::max(1, len(labels["samples"]) // args.limit)]
    home = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="mlsec-suites-") as folder:
        os.chdir(folder)

        def one(task: tuple[str, str]) -> tuple[tuple[str, str], Any]:
            name, file = task
            run, verdict = run_scanner(SCANNERS[name], VECTORS / file, args.timeout)
            status = run.status if run.status != "ok" else (
                "error" if verdict.error and not verdict.any else "ok")
            return task, (status, verdict)

        tasks = [(n, e["file"]) for e in labels["samples"] for n in scanners]
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = dict(pool.map(one, tasks))
        fired = (Path(folder) / SUITE_MARKER).exists()
        os.chdir(home)
    for level in ("strong", "any"):
        print("\n".join(suite_rows(labels, results, scanners, level)) + "\n")
    if "ours" in scanners:
        found = suite_disagreements(labels, results, scanners)
        print("Disagreements of ours (missed at high, benign flagged high, crashes): "
              + (str(len(found)) if found else "none."))
        print("\n".join(found))
    if fired:
        print("CANARY FIRED: a scanner loaded a sample", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(run_parts(__doc__ or "", {
        "speed": Part(main_speed, first_line(main_speed), quick=("--quick",)),
        "startup": Part(main_startup, first_line(main_startup), quick=("--runs", "5")),
        "detection": Part(main_detection, first_line(main_detection)),
        "limits": Part(main_limits, first_line(main_limits), quick=("--quick",)),
        "peer-suites": Part(main_peer_suites, first_line(main_peer_suites),
                            quick=("--limit", "12"))}))
