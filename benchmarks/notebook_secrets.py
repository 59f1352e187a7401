"""Secrets in notebooks: ours vs detect-secrets vs NB Defense on our labelled notebooks, one run.

    python benchmarks/notebook_secrets.py [--peer-python PATH] [--seeds 7,8,9]

Writes the labelled test notebooks of ``tests/notebook_corpus.py`` (fake, generated credentials
in sources, outputs, tracebacks, HTML and markdown, plus clean look-alikes and clean notebooks)
into ``benchmarks/data/notebook_secrets/``, runs every tool on the same files and prints
precision / recall / F1 and CPU seconds (``time.process_time`` around the scan only, imports
excluded: robust to the shared machine's contention).

Scoring is per notebook line, the same for every tool: each labelled secret is one line (a
multi-line private key block is one label, and any line of it is a hit on it); a tool's flagged
lines are de-duplicated; a flagged line that is no labelled line is a false positive. The peers
run in their own environment (``--peer-python``, default ``$MLSEC_BENCH_PEER_PYTHON`` or this
interpreter), see benchmarks/README.md. Our PII figures are printed too (no peer runs PII
offline: NB Defense's PII plugin needs a spaCy model download).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from notebook_corpus import LabelledNotebook, write_notebooks  # noqa: E402

DATA = BENCH_DIR / "data" / "notebook_secrets"
BLOCK_RULES = ("SECRET-PRIVATE-KEY",)


def piece_line(book: LabelledNotebook, cell: int, output: int | None, line: int,
               kind: str | None = None) -> str:
    """The text of one line of a cell source or output, as our pieces read it."""
    from mlsecops_jupyter.checks.pii.notebook import notebook_pieces

    pieces, _, _ = notebook_pieces(book.notebook)
    for piece in pieces:
        if piece.location.cell != cell or piece.location.output != output:
            continue
        if kind is not None and piece.kind != kind:
            continue
        lines = piece.text.splitlines()
        if line <= len(lines):
            return lines[line - 1].strip()
    return ""


def labels_of(book: LabelledNotebook) -> dict[str, str]:
    """``{line_text: label_id}`` for the labelled secret lines (block lines map to the block)."""
    from mlsecops_jupyter.checks.pii.notebook import notebook_pieces

    mapping: dict[str, str] = {}
    pieces, _, _ = notebook_pieces(book.notebook)
    for cell, output, line, rule in sorted(book.secret_labels, key=str):
        label = f"{book.name}:{cell}:{output}:{line}:{rule}"
        mapping[piece_line(book, cell, output, line)] = label
        if rule in BLOCK_RULES:
            piece = next(p for p in pieces if p.location.cell == cell
                         and p.location.output == output)
            for text in piece.text.splitlines()[line:]:
                mapping[text.strip()] = label
                if "-----END" in text:
                    break
    return mapping


def score(flags: set[tuple[str, str]], books: list[LabelledNotebook]) -> dict[str, Any]:
    hit: set[str] = set()
    false_positive = 0
    all_labels: set[str] = set()
    per_book = {book.name: labels_of(book) for book in books}
    for mapping in per_book.values():
        all_labels.update(mapping.values())
    for notebook, text in flags:
        label = per_book.get(notebook, {}).get(text.strip())
        if label is None:
            false_positive += 1
        else:
            hit.add(label)
    precision = len(hit) / max(len(hit) + false_positive, 1)
    recall = len(hit) / max(len(all_labels), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"tp": len(hit), "fp": false_positive, "fn": len(all_labels) - len(hit),
            "precision": precision, "recall": recall, "f1": f1}


def run_ours(paths: list[tuple[Path, LabelledNotebook]]) -> tuple[set[tuple[str, str]], float,
                                                                     dict[str, Any]]:
    from mlsecops_jupyter.checks.pii.notebook import scan_notebook
    from mlsecops_jupyter.core.settings import Settings

    secrets_only = Settings().override({"secrets.pii": False})
    scan_notebook(paths[0][0], settings=secrets_only)  # warm the regex caches
    started = time.process_time()
    reports = [(book, scan_notebook(path, settings=secrets_only)) for path, book in paths]
    cpu = time.process_time() - started
    flags = set()
    for book, report in reports:
        for f in report.findings:
            where = f.evidence.get("in", "source")
            kind = None if where == "source" else where[len("output ("):-1]
            flags.add((book.name, piece_line(book, f.location.cell or 0,
                                                        f.location.output, f.location.line or 1,
                                                        kind)))
    # our PII on the same notebooks (whole scan: secrets and PII)
    started = time.process_time()
    full = [(book, scan_notebook(path, settings=Settings())) for path, book in paths]
    pii_cpu = time.process_time() - started
    expected = {(book.name, *label) for book in (b for _, b in paths) for label in book.pii_labels}
    # a grouped finding (one per output or frame column) stands for each line it lists
    got = {(book.name, f.location.cell, f.location.output, line, f.rule)
           for book, report in full for f in report.findings if f.rule.startswith("PII-")
           for line in f.evidence.get("lines") or [f.location.line]}
    pii = {"tp": len(expected & got), "fp": len(got - expected), "fn": len(expected - got),
           "precision": len(expected & got) / max(len(got), 1),
           "recall": len(expected & got) / max(len(expected), 1), "cpu_s": pii_cpu}
    return flags, cpu, pii


def run_peers(python: str, paths: list[Path]) -> dict[str, Any]:
    script = BENCH_DIR / "notebook_secrets_peers.py"
    done = subprocess.run([python, str(script), *map(str, paths)], capture_output=True,
                          text=True, timeout=1200, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"detect-secrets": {"error": done.stderr.strip()[-300:]},
                "nbdefense": {"error": done.stderr.strip()[-300:]}}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-python", default=os.environ.get("MLSEC_BENCH_PEER_PYTHON",
                                                                sys.executable))
    parser.add_argument("--seeds", default="7,8,9",
                        help="corpus seeds: each writes the five notebooks with new fakes")
    args = parser.parse_args(argv)
    rows = []
    ours_flags: set[tuple[str, str]] = set()
    peer_flags: dict[str, set[tuple[str, str]]] = {"detect-secrets": set(), "nbdefense": set()}
    cpu = {"ours": 0.0, "detect-secrets": 0.0, "nbdefense": 0.0}
    errors: dict[str, str] = {}
    books: list[LabelledNotebook] = []
    pii_totals = {"tp": 0, "fp": 0, "fn": 0, "cpu_s": 0.0}
    for seed in (int(s) for s in args.seeds.split(",")):
        folder = DATA / f"seed{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        written = write_notebooks(folder, seed=seed)
        for _, book in written:
            book.name = f"seed{seed}/{book.name}"
        books += [b for _, b in written]
        flags, ours_cpu, pii = run_ours(written)
        ours_flags |= flags
        cpu["ours"] += ours_cpu
        for key in pii_totals:
            pii_totals[key] += pii[key]
        peers = run_peers(args.peer_python, [p for p, _ in written])
        for tool, result in peers.items():
            if "error" in result:
                errors[tool] = result["error"]
                continue
            cpu[tool] += result["cpu_s"]
            peer_flags[tool] |= {(f"seed{seed}/{n[:-len('.ipynb')]}", t)
                                 for n, t in result["flags"]}
    labelled = sum(len(b.secret_labels) for b in books)
    print(f"labelled notebooks: {len(books)} ({labelled} labelled secrets; "
          f"{sum(1 for b in books if not b.labels)} clean notebooks)")
    print("CPU seconds = time.process_time() around the scans only (imports excluded)\n")
    header = f"{'tool':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}" \
             f"{'CPU s':>8}"
    print(header)
    for tool, flags in [("ours", ours_flags), *peer_flags.items()]:
        if tool in errors:
            print(f"{tool:<16}not run: {errors[tool]}")
            continue
        result = score(flags, books)
        rows.append((tool, result))
        print(f"{tool:<16}{result['tp']:>5}{result['fp']:>5}{result['fn']:>5}"
              f"{result['precision']:>11.3f}{result['recall']:>8.3f}{result['f1']:>7.3f}"
              f"{cpu[tool]:>8.2f}")
    tp, fp, fn = pii_totals["tp"], pii_totals["fp"], pii_totals["fn"]
    print(f"\nours, PII (PII-* at cell/output/line/rule): TP {tp} FP {fp} FN {fn}, precision "
          f"{tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}, "
          f"CPU {pii_totals['cpu_s']:.2f} s (secrets + PII, Presidio without NER)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
