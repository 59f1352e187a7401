"""Accuracy of the code-level leakage check on the held-out corpus of ``leakage_corpus.py``.

Run from the repository root::

    python benchmarks/leakage_corpus.py            # writes benchmarks/data/leakage-corpus/
    python benchmarks/leakage_code_accuracy.py [--corpus DIR] [--json]

Every notebook goes through the public ``check_code_leakage``. A finding matches a label when the
rule and the cell agree and the line is the labelled statement's line (or one of the label's
listed alternative locations of the same leak); each label and each finding is matched at most
once, so a second finding for one leak counts as a false positive. A looser match (rule and cell
only) is reported beside it. Precision, recall and F1 are given overall and per rule, every false
positive and false negative is listed with the detector's detail text, and the CPU time
(``time.process_time``, robust to other jobs on a shared machine) of each analysis is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "data" / "leakage-corpus"


def _places(label: dict[str, Any]) -> list[tuple[int, int]]:
    """Every (cell, line) that counts as the labelled leak's location."""
    return [(label["cell"], label["line"])] + [(a["cell"], a["line"]) for a in label["alts"]]


def match(labels: list[dict[str, Any]], found: list[tuple[str, int | None, int | None]],
          strict: bool) -> tuple[list[int], list[int]]:
    """Greedy one-to-one matching; return (indices of matched findings, of unmatched labels)."""
    used: set[int] = set()
    missed: list[int] = []
    for li, label in enumerate(labels):
        places = _places(label)
        hit = None
        for fi, (rule, cell, line) in enumerate(found):
            if fi in used or rule != label["rule"]:
                continue
            if strict and (cell, line) in places:
                hit = fi
                break
            if not strict and any(cell == c for c, _ in places):
                hit = fi
                break
        if hit is None:
            missed.append(li)
        else:
            used.add(hit)
    return sorted(used), missed


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(corpus: Path) -> dict[str, Any]:
    """Run the check on every labelled notebook and score it."""
    from mlsecops_jupyter.checks.leakage import check_code_leakage

    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for name, entry in sorted(labels.items()):
        path = corpus / f"{name}.ipynb"
        start = time.process_time()
        report = check_code_leakage(str(path))
        cpu = time.process_time() - start
        findings = [f for f in report.findings if f.rule.startswith("LEAK-")]
        found = [(f.rule, f.location.cell, f.location.line) for f in findings]
        row: dict[str, Any] = {"notebook": name, "leaky": entry["leaky"], "cpu_s": cpu,
                               "labels": entry["labels"], "findings": [
                                   {"rule": f.rule, "cell": f.location.cell,
                                    "line": f.location.line, "detail": f.detail}
                                   for f in findings]}
        for mode, strict in (("strict", True), ("loose", False)):
            used, missed = match(entry["labels"], found, strict)
            row[mode] = {"tp": [found[i] for i in used],
                         "fp": [i for i in range(len(found)) if i not in used],
                         "fn": missed}
        rows.append(row)
    return {"rows": rows, "summary": summarise(rows)}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-rule precision / recall / F1, in both matching modes."""
    out: dict[str, Any] = {}
    for mode in ("strict", "loose"):
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        fn: Counter[str] = Counter()
        for row in rows:
            for rule, _, _ in row[mode]["tp"]:
                tp[rule] += 1
            for i in row[mode]["fp"]:
                fp[row["findings"][i]["rule"]] += 1
            for i in row[mode]["fn"]:
                fn[row["labels"][i]["rule"]] += 1
        per_rule = {}
        for rule in sorted(set(tp) | set(fp) | set(fn)):
            p, r, f = _prf(tp[rule], fp[rule], fn[rule])
            per_rule[rule] = {"tp": tp[rule], "fp": fp[rule], "fn": fn[rule],
                              "precision": p, "recall": r, "f1": f}
        p, r, f = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
        out[mode] = {"tp": sum(tp.values()), "fp": sum(fp.values()), "fn": sum(fn.values()),
                     "precision": p, "recall": r, "f1": f, "per_rule": per_rule}
    flagged_clean = sum(1 for r in rows if not r["leaky"] and r["findings"])
    missed_leaky = sum(1 for r in rows if r["leaky"] and not r["findings"])
    cpu = [r["cpu_s"] for r in rows]
    out["notebooks"] = {"total": len(rows), "leaky": sum(r["leaky"] for r in rows),
                        "clean_with_findings": flagged_clean,
                        "leaky_without_findings": missed_leaky}
    out["cpu_s"] = {"median": statistics.median(cpu), "max": max(cpu), "total": sum(cpu)}
    return out


def _short(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def print_report(result: dict[str, Any]) -> None:
    rows, summary = result["rows"], result["summary"]
    nbs = summary["notebooks"]
    print(f"{nbs['total']} notebooks ({nbs['leaky']} leaky), "
          f"{sum(len(r['labels']) for r in rows)} labelled leaks\n")
    for mode in ("strict", "loose"):
        s = summary[mode]
        what = "rule + cell + line" if mode == "strict" else "rule + cell"
        print(f"== {mode} match ({what}) ==")
        print(f"{'rule':26s} {'TP':>3s} {'FP':>3s} {'FN':>3s} {'prec':>6s} {'recall':>6s} "
              f"{'F1':>6s}")
        for rule, v in s["per_rule"].items():
            print(f"{rule:26s} {v['tp']:3d} {v['fp']:3d} {v['fn']:3d} {v['precision']:6.3f} "
                  f"{v['recall']:6.3f} {v['f1']:6.3f}")
        print(f"{'ALL':26s} {s['tp']:3d} {s['fp']:3d} {s['fn']:3d} {s['precision']:6.3f} "
              f"{s['recall']:6.3f} {s['f1']:6.3f}\n")
    print(f"clean notebooks with any finding: {nbs['clean_with_findings']}; "
          f"leaky notebooks without any finding: {nbs['leaky_without_findings']}\n")
    print("== false positives (strict) ==")
    for row in rows:
        for i in row["strict"]["fp"]:
            f = row["findings"][i]
            print(f"FP {row['notebook']} cell {f['cell']} line {f['line']} {f['rule']}: "
                  f"{_short(f['detail'])}")
    print("\n== false negatives (strict) ==")
    for row in rows:
        for i in row["strict"]["fn"]:
            lab = row["labels"][i]
            near = [f"{f['rule']}@{f['cell']}:{f['line']}" for f in row["findings"]]
            print(f"FN {row['notebook']} cell {lab['cell']} line {lab['line']} {lab['rule']} "
                  f"(findings in this notebook: {', '.join(near) or 'none'})")
    print("\n== CPU time per notebook (time.process_time) ==")
    for row in rows:
        print(f"{row['notebook']:42s} {row['cpu_s'] * 1000:8.1f} ms  "
              f"{len(row['findings'])} finding(s)")
    cpu = summary["cpu_s"]
    print(f"median {cpu['median'] * 1000:.1f} ms, max {cpu['max'] * 1000:.1f} ms, "
          f"total {cpu['total']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.json").is_file():
        print(f"no labels.json in {args.corpus}: run benchmarks/leakage_corpus.py first",
              file=sys.stderr)
        return 2
    result = evaluate(args.corpus)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
