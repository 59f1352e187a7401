"""Accuracy of the code-level leakage check on the stored held-out corpora (A to O).

Run from the repository root::

    python benchmarks/leakage_code_accuracy.py --set n        # one corpus, every miss listed
    python benchmarks/leakage_code_accuracy.py --set all      # one line per corpus
    python benchmarks/leakage_code_accuracy.py --set m,n      # several corpora, pooled too
                                              [--repeats 5] [--json]

Each corpus is data: ``benchmarks/corpora/leakage-code/<set>/`` holds the notebooks as their
authors wrote them, ``labels.json`` (every labelled leak: rule, cell, line, a note, sometimes
``alts``, other places that count as the same leak) and a README with the author's conventions.

Every notebook goes through the public ``check_code_leakage``. Findings at one (rule, cell,
line) count once. A label is found when a finding of its rule sits at one of its places: strict
matching compares cell and line, loose matching the cell only. Each label takes at most one
finding place and each place serves at most one label (two leaks labelled in one cell need two
findings there, at either level); places left over are false alarms.
Precision, recall and F1 are given overall and per rule, with notebook-level counts (a clean
notebook with any finding is a false alarm), every false positive and false negative with the
detector's detail text, and the CPU time per notebook (``time.process_time``, robust to other
jobs on a shared machine; the median of ``--repeats`` runs, since one run takes a millisecond).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

CORPORA = Path(__file__).resolve().parent / "corpora" / "leakage-code"
SETS = "abcdefghijklmno"

Key = tuple[str, int, int]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _places(label: dict[str, Any], strict: bool) -> set[tuple[int, ...]]:
    """The (cell, line) pairs (strict) or cells (loose) where ``label`` counts as found."""
    spots = [(label["cell"], label["line"])]
    spots += [(alt["cell"], alt["line"]) for alt in label.get("alts", [])]
    return {spot if strict else spot[:1] for spot in spots}


def match(labels: list[dict[str, Any]], found: dict[Key, str],
          strict: bool) -> tuple[list[int], list[tuple[str, tuple[int, ...], str]]]:
    """One-to-one, first-fit matching of labels with the distinct (rule, cell, line) findings.

    Returns the indices of missed labels and the unmatched finding places (with a detail).
    """
    used: set[Key] = set()
    missed: list[int] = []
    for index, label in enumerate(labels):
        spots = _places(label, strict)
        hit = next((key for key in found if key not in used and key[0] == label["rule"]
                    and (key[1:] if strict else key[1:2]) in spots), None)
        if hit is None:
            missed.append(index)
        else:
            used.add(hit)
    extra = [(key[0], key[1:] if strict else key[1:2], detail)
             for key, detail in found.items() if key not in used]
    return missed, extra


def evaluate(corpus_dir: Path, repeats: int = 5) -> dict[str, Any]:
    """Run the check on every notebook of one stored corpus and score it against its labels."""
    import_start = time.process_time()
    from mlsecops_jupyter.checks.leakage import check_code_leakage
    import_cpu = time.process_time() - import_start

    document = json.loads((corpus_dir / "labels.json").read_text(encoding="utf-8"))
    rules: list[str] = document["rules"]
    counts = {level: {rule: {"tp": 0, "fp": 0, "fn": 0} for rule in rules}
              for level in ("strict", "loose")}
    errors: list[dict[str, Any]] = []
    cpu_times: list[float] = []
    confusion = {"leaky_flagged": 0, "leaky_missed": 0, "clean_flagged": 0, "clean_quiet": 0}
    for entry in document["notebooks"]:
        path = corpus_dir / entry["notebook"]
        runs = []
        for _ in range(repeats):
            start = time.process_time()
            report = check_code_leakage(str(path))
            runs.append(time.process_time() - start)
        cpu_times.append(statistics.median(runs))
        found: dict[Key, str] = {}
        for finding in report.findings:
            cell = -1 if finding.location.cell is None else int(finding.location.cell)
            line = -1 if finding.location.line is None else int(finding.location.line)
            found.setdefault((finding.rule, cell, line), finding.detail)
        labels = entry["labels"]
        for level, strict in (("strict", True), ("loose", False)):
            missed, extra = match(labels, found, strict)
            for index, label in enumerate(labels):
                counts[level][label["rule"]]["fn" if index in missed else "tp"] += 1
            for index in missed:
                label = labels[index]
                errors.append({"level": level, "kind": "FN", "notebook": entry["notebook"],
                               "rule": label["rule"], "cell": label["cell"],
                               "line": label["line"], "why": label.get("note", ""),
                               "detail": _others(found)})
            for rule, spot, detail in extra:
                counts[level][rule]["fp"] += 1
                errors.append({"level": level, "kind": "FP", "notebook": entry["notebook"],
                               "rule": rule, "cell": spot[0],
                               "line": spot[1] if strict else None, "detail": detail})
        kind = "leaky" if entry["leaky"] else "clean"
        quiet = "missed" if entry["leaky"] else "quiet"
        confusion[f"{kind}_{'flagged' if found else quiet}"] += 1
    summary: dict[str, Any] = {
        "corpus": document.get("corpus", corpus_dir.name),
        "notebooks": len(document["notebooks"]),
        "labels": sum(len(e["labels"]) for e in document["notebooks"]),
        "import_cpu_s": import_cpu, "repeats": repeats, "notebook_level": confusion,
        "cpu_per_notebook_s": {"median": statistics.median(cpu_times),
                               "max": max(cpu_times), "n": len(cpu_times)},
        "errors": errors, "counts": counts}
    for level in ("strict", "loose"):
        total = {k: sum(c[k] for c in counts[level].values()) for k in ("tp", "fp", "fn")}
        summary[level] = {"overall": _prf(**total),
                          "per_rule": {rule: _prf(**c) for rule, c in counts[level].items()}}
    return summary


def _others(found: dict[Key, str]) -> str:
    if not found:
        return "no finding in this notebook"
    return "other findings: " + ", ".join(f"{r}@cell {c} line {ln}" for r, c, ln in sorted(found))


def render(summary: dict[str, Any]) -> str:
    """One corpus as a Markdown table per rule, then every miss and false alarm."""
    out = [f"corpus {summary['corpus']}: {summary['notebooks']} notebooks, "
           f"{summary['labels']} labelled leaks", "",
           "| rule | strict P | strict R | strict F1 | loose P | loose R | loose F1 | "
           "TP/FP/FN (strict) |", "|---|---|---|---|---|---|---|---|"]
    rows = [("**overall**", summary["strict"]["overall"], summary["loose"]["overall"])]
    rows += [(rule, summary["strict"]["per_rule"][rule], summary["loose"]["per_rule"][rule])
             for rule in summary["strict"]["per_rule"]]
    for name, strict, loose in rows:
        out.append(f"| {name} | {strict['precision']:.3f} | {strict['recall']:.3f} | "
                   f"{strict['f1']:.3f} | {loose['precision']:.3f} | {loose['recall']:.3f} | "
                   f"{loose['f1']:.3f} | {strict['tp']}/{strict['fp']}/{strict['fn']} |")
    nbl, cpu = summary["notebook_level"], summary["cpu_per_notebook_s"]
    out += ["", f"Notebook level: leaky flagged {nbl['leaky_flagged']}, leaky missed "
            f"{nbl['leaky_missed']}, clean flagged {nbl['clean_flagged']}, clean quiet "
            f"{nbl['clean_quiet']}.",
            f"CPU time per notebook (process_time, median of {summary['repeats']} runs each, "
            f"n={cpu['n']}): median {cpu['median'] * 1000:.1f} ms, max "
            f"{cpu['max'] * 1000:.1f} ms; import {summary['import_cpu_s'] * 1000:.0f} ms.", ""]
    for level in ("strict", "loose"):
        errs = [e for e in summary["errors"] if e["level"] == level]
        out.append(f"{level} errors ({len(errs)}):")
        for err in errs:
            where = f"cell {err['cell']}" + (f" line {err['line']}" if err["line"] else "")
            why = f" [label: {err['why']}]" if err.get("why") else ""
            out.append(f"  {err['kind']} {err['notebook']} {err['rule']} {where}{why}\n"
                       f"      detector: {err['detail']}")
        out.append("")
    return "\n".join(out)


def render_overview(summaries: list[dict[str, Any]]) -> str:
    """One line per corpus, and the pooled figure when several are scored."""
    out = ["| corpus | notebooks | leaks | strict P / R (TP/FP/FN) | loose P / R (TP/FP/FN) | "
           "clean notebooks flagged |", "|---|---|---|---|---|---|"]
    pooled = {level: {"tp": 0, "fp": 0, "fn": 0} for level in ("strict", "loose")}
    for summary in summaries:
        cells = []
        for level in ("strict", "loose"):
            o = summary[level]["overall"]
            for key in ("tp", "fp", "fn"):
                pooled[level][key] += int(o[key])
            cells.append(f"{o['precision']:.3f} / {o['recall']:.3f} "
                         f"({o['tp']}/{o['fp']}/{o['fn']})")
        nbl = summary["notebook_level"]
        clean = nbl["clean_flagged"] + nbl["clean_quiet"]
        out.append(f"| {summary['corpus'].upper()} | {summary['notebooks']} | "
                   f"{summary['labels']} | {cells[0]} | {cells[1]} | "
                   f"{nbl['clean_flagged']} of {clean} |")
    if len(summaries) > 1:
        cells = []
        for level in ("strict", "loose"):
            o = _prf(**pooled[level])
            cells.append(f"{o['precision']:.3f} / {o['recall']:.3f} "
                         f"({o['tp']}/{o['fp']}/{o['fn']})")
        out.append(f"| pooled | {sum(s['notebooks'] for s in summaries)} | "
                   f"{sum(s['labels'] for s in summaries)} | {cells[0]} | {cells[1]} | |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--set", dest="sets", default="all",
                        help="a corpus letter (a-o), several separated by commas, or 'all'")
    parser.add_argument("--corpus", type=Path, help="score this folder instead (labels.json)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per notebook")
    parser.add_argument("--json", action="store_true", help="print the summaries as JSON")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        folders = [args.corpus]
    else:
        chosen = SETS if args.sets == "all" else args.sets.replace(",", "")
        unknown = sorted(set(chosen) - set(SETS))
        if unknown:
            parser.error(f"unknown corpus {''.join(unknown)!r}; choose from {SETS} or 'all'")
        folders = [CORPORA / letter for letter in chosen]
    missing = [str(f) for f in folders if not (f / "labels.json").is_file()]
    if missing:
        print(f"no labels.json in {', '.join(missing)}", file=sys.stderr)
        return 2
    summaries = [evaluate(folder, max(1, args.repeats)) for folder in folders]
    if args.json:
        print(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=1))
    elif len(summaries) == 1:
        print(render(summaries[0]))
    else:
        print(render_overview(summaries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
