"""Detection of ours and the peers on the shared test corpus, side by side in one run.

    python benchmarks/detection.py [--scanners ours,modelscan,...] [--jobs 2]

Builds the corpus of ``tests/corpus`` (benign real model files and canary-payload malicious
samples) into ``benchmarks/data/corpus``, runs every scanner on every file in a fresh process,
and prints: a summary table (malicious detected / benign flagged, at each scanner's "strong" and
"any" level, see runners.py), the samples some peer detects that we do not (must be none), and a
per-sample matrix. The canary marker must still be absent at the end, for every scanner.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))

from corpus import Sample, build_corpus  # noqa: E402
from inputs import DATA_DIR  # noqa: E402
from runners import SCANNERS, run_scanner  # noqa: E402

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


def scan_all(samples: list[Sample], scanners: list[str], jobs: int,
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


def mark(result: dict[str, Any]) -> str:
    if result["status"] in ("timeout", "oom"):
        return "T"
    if result["strong"]:
        return "S"
    if result["any"]:
        return "a"
    return "E" if result["error"] else "-"


def report(samples: list[Sample], scanners: list[str],
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
        cells = [mark(results[(n, sample.name)]) for n in scanners]
        lines.append(f"| {sample.name} | {sample.kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanners", default=",".join(SCANNERS),
                        help="comma-separated subset of: " + ", ".join(SCANNERS))
    parser.add_argument("--jobs", type=int, default=2, help="scans run at once (2)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per scan (120)")
    args = parser.parse_args(argv)
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

    results = scan_all(samples, scanners, args.jobs, args.timeout)
    text = report(samples, scanners, results)
    (DATA_DIR / "detection-results.json").write_text(json.dumps(
        {f"{n}|{s}": r for (n, s), r in results.items()}, indent=1))
    (DATA_DIR / "detection-results.md").write_text(text + "\n")
    print(text)
    if marker.exists():
        print(f"\nCANARY FIRED: {marker} exists -- a scanner loaded a sample", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
