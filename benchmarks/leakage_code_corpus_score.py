"""Accuracy of the code-level leakage check on a held-out corpus (B to N).

Run from the repository root::

    python benchmarks/leakage_code_corpus_score.py --set X [--corpus DIR] [--rebuild] [--repeats 5]
                                                    [--json]

``--set X`` picks the corpus ``benchmarks/leakage_corpus_X.py`` builds (``b`` by default); each
corpus module has ``build(out)`` and ``DEFAULT_OUT``. Corpus A has its own scorer
(``leakage_code_accuracy.py``).

Builds the corpus first when ``DIR/labels.json`` is missing (``--rebuild`` forces it), runs
``check_code_leakage`` on every notebook and compares its findings with the labels:

- strict: a finding matches a label when rule, cell and line are equal;
- loose: when rule and cell are equal (the line may differ).

Several findings on one key count once. Prints precision, recall and F1 overall and per rule at
both levels, notebook-level counts (a clean notebook with any finding is a false alarm), every
false positive and false negative with the detector's detail text, and the CPU time per notebook
(``time.process_time`` around the call, robust to other jobs on a shared machine; the median
of ``--repeats`` runs per notebook; the very first call, which pays lazy imports, is also shown
on its own).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

CORPUS_SETS = "bcdefghijklmn"

Key = tuple[str, int, int]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _loose(key: Key) -> tuple[str, int]:
    return key[0], key[1]


def evaluate(corpus_dir: Path, repeats: int = 5) -> dict[str, Any]:
    """Run the check on every notebook of the corpus and score it against the labels.

    Each notebook is analysed ``repeats`` times; its CPU time is the median of those runs (one
    run takes about a millisecond, so a single reading is mostly noise).
    """
    import_start = time.process_time()
    from mlsecops_jupyter.checks.leakage import check_code_leakage
    import_cpu = time.process_time() - import_start

    document = json.loads((corpus_dir / "labels.json").read_text())
    rules: list[str] = document["rules"]
    counts: dict[str, dict[str, dict[str, int]]] = {
        level: {rule: {"tp": 0, "fp": 0, "fn": 0} for rule in rules}
        for level in ("strict", "loose")}
    errors: list[dict[str, Any]] = []
    per_notebook: list[dict[str, Any]] = []
    cpu_times: list[float] = []
    first_call_cpu = None
    notebook_confusion = {"leaky_flagged": 0, "leaky_missed": 0, "clean_flagged": 0,
                          "clean_quiet": 0}
    for entry in document["notebooks"]:
        path = corpus_dir / entry["notebook"]
        runs = []
        for _ in range(repeats):
            start = time.process_time()
            report = check_code_leakage(str(path))
            runs.append(time.process_time() - start)
        elapsed = statistics.median(runs)
        if first_call_cpu is None:
            first_call_cpu = runs[0]
        cpu_times.append(elapsed)
        found: dict[Key, list[str]] = defaultdict(list)
        for finding in report.findings:
            loc = finding.location
            cell = -1 if loc.cell is None else int(loc.cell)
            line = -1 if loc.line is None else int(loc.line)
            found[(finding.rule, cell, line)].append(finding.detail)
        expected = {(lab["rule"], lab["cell"], lab["line"]): lab["why"] for lab in entry["labels"]}
        _score(entry["notebook"], expected, found, counts, errors)
        flagged = bool(found)
        kind = "leaky" if entry["leaky"] else "clean"
        quiet = "missed" if kind == "leaky" else "quiet"
        notebook_confusion[f"{kind}_{'flagged' if flagged else quiet}"] += 1
        per_notebook.append({"notebook": entry["notebook"], "leaky": entry["leaky"],
                             "findings": sorted(f"{r}@{c}:{ln}" for r, c, ln in found),
                             "labels": sorted(f"{r}@{c}:{ln}" for r, c, ln in expected),
                             "cpu_s": elapsed})
    summary: dict[str, Any] = {"notebooks": len(document["notebooks"]),
                               "labels": sum(len(e["labels"]) for e in document["notebooks"]),
                               "import_cpu_s": import_cpu, "first_call_cpu_s": first_call_cpu,
                               "repeats": repeats}
    for level in ("strict", "loose"):
        total = {k: sum(c[k] for c in counts[level].values()) for k in ("tp", "fp", "fn")}
        summary[level] = {"overall": _prf(**total),
                          "per_rule": {rule: _prf(**c) for rule, c in counts[level].items()}}
    summary["notebook_level"] = notebook_confusion
    summary["cpu_per_notebook_s"] = {
        "median": statistics.median(cpu_times), "mean": statistics.fmean(cpu_times),
        "max": max(cpu_times), "n": len(cpu_times)}
    summary["errors"] = errors
    summary["per_notebook"] = per_notebook
    return summary


def _score(notebook: str, expected: dict[Key, str], found: dict[Key, list[str]],
           counts: dict[str, dict[str, dict[str, int]]], errors: list[dict[str, Any]]) -> None:
    """Add one notebook's strict and loose matches to ``counts``; record each miss and alarm."""
    strict_hits = set(expected) & set(found)
    for key in expected:
        if key in strict_hits:
            counts["strict"][key[0]]["tp"] += 1
            continue
        counts["strict"][key[0]]["fn"] += 1
        near = [(k, d) for k, ds in found.items() for d in ds if _loose(k) == _loose(key)]
        errors.append({"level": "strict", "kind": "FN", "notebook": notebook, "rule": key[0],
                       "cell": key[1], "line": key[2], "why": expected[key],
                       "detail": (f"finding on line {near[0][0][2]} instead: {near[0][1]}"
                                  if near else _others(found))})
    for key, details in found.items():
        if key in strict_hits:
            continue
        counts["strict"][key[0]]["fp"] += 1
        errors.append({"level": "strict", "kind": "FP", "notebook": notebook, "rule": key[0],
                       "cell": key[1], "line": key[2], "detail": details[0]})
    expected_loose = {_loose(k): why for k, why in expected.items()}
    found_loose: dict[tuple[str, int], str] = {}
    for key, details in found.items():
        found_loose.setdefault(_loose(key), details[0])
    for key, why in expected_loose.items():
        if key in found_loose:
            counts["loose"][key[0]]["tp"] += 1
        else:
            counts["loose"][key[0]]["fn"] += 1
            errors.append({"level": "loose", "kind": "FN", "notebook": notebook,
                           "rule": key[0], "cell": key[1], "why": why,
                           "detail": _others(found)})
    for key, detail in found_loose.items():
        if key not in expected_loose:
            counts["loose"][key[0]]["fp"] += 1
            errors.append({"level": "loose", "kind": "FP", "notebook": notebook,
                           "rule": key[0], "cell": key[1], "detail": detail})


def _others(found: dict[Key, list[str]]) -> str:
    if not found:
        return "no finding in this notebook"
    return "other findings: " + ", ".join(f"{r}@cell {c} line {ln}" for r, c, ln in sorted(found))


def render(summary: dict[str, Any]) -> str:
    """The summary as Markdown tables and a list of misses and false alarms."""
    out = [f"{summary['notebooks']} notebooks, {summary['labels']} labelled leaks", ""]
    out.append("| rule | strict P | strict R | strict F1 | loose P | loose R | loose F1 | "
               "TP/FP/FN (strict) |")
    out.append("|---|---|---|---|---|---|---|---|")
    rows = [("**overall**", summary["strict"]["overall"], summary["loose"]["overall"])]
    rows += [(rule, summary["strict"]["per_rule"][rule], summary["loose"]["per_rule"][rule])
             for rule in summary["strict"]["per_rule"]]
    for name, strict, loose in rows:
        out.append(f"| {name} | {strict['precision']:.3f} | {strict['recall']:.3f} | "
                   f"{strict['f1']:.3f} | {loose['precision']:.3f} | {loose['recall']:.3f} | "
                   f"{loose['f1']:.3f} | {strict['tp']}/{strict['fp']}/{strict['fn']} |")
    nbl = summary["notebook_level"]
    cpu = summary["cpu_per_notebook_s"]
    out += ["", f"Notebook level: leaky flagged {nbl['leaky_flagged']}, leaky missed "
            f"{nbl['leaky_missed']}, clean flagged {nbl['clean_flagged']}, clean quiet "
            f"{nbl['clean_quiet']}.",
            f"CPU time per notebook (process_time, median of {summary['repeats']} runs each, "
            f"n={cpu['n']}): median "
            f"{cpu['median'] * 1000:.1f} ms, mean {cpu['mean'] * 1000:.1f} ms, max "
            f"{cpu['max'] * 1000:.1f} ms; first call {summary['first_call_cpu_s'] * 1000:.0f} ms;"
            f" import {summary['import_cpu_s'] * 1000:.0f} ms.", ""]
    for level in ("strict", "loose"):
        errs = [e for e in summary["errors"] if e["level"] == level]
        out.append(f"{level} errors ({len(errs)}):")
        for err in errs:
            where = f"cell {err['cell']}" + (f" line {err['line']}" if "line" in err else "")
            why = f" [label: {err['why']}]" if err.get("why") else ""
            out.append(f"  {err['kind']} {err['notebook']} {err['rule']} {where}{why}\n"
                       f"      detector: {err['detail']}")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Score the corpus of ``--set`` (one scorer for every held-out corpus but A)."""
    import importlib

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--set", dest="corpus_set", choices=list(CORPUS_SETS), default="b",
                        help="which corpus: benchmarks/leakage_corpus_<set>.py")
    parser.add_argument("--corpus", type=Path, help="where the corpus is (default: its own)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus first")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per notebook")
    args = parser.parse_args(argv)
    generator = importlib.import_module(f"leakage_corpus_{args.corpus_set}")
    corpus = args.corpus or generator.DEFAULT_OUT
    if args.rebuild or not (corpus / "labels.json").exists():
        generator.build(corpus)
    summary = evaluate(corpus, max(1, args.repeats))
    print(json.dumps(summary, indent=1) if args.json else render(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
