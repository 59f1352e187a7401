"""The notebook scan's benchmarks: its cost on large notebooks, and its secrets beside the peers.

    python benchmarks/notebook_scan.py                          # every part
    python benchmarks/notebook_scan.py --part speed --sizes 1   # one part; its options after it
    python benchmarks/notebook_scan.py --quick                  # every part, small (development)

Parts (``--part NAME --help`` lists a part's options):

- ``speed``: CPU seconds of ``mlsec notebook`` and of ``scan_notebook`` on realistic 1 MB and
  10 MB notebooks (built once into ``data/notebook_scan/``: code, ``df.head()`` tables as text and
  HTML, logs, tracebacks, figures, planted fake credentials), secrets only and secrets + PII,
  and detect-secrets on the same files when ``--peer-python`` names an interpreter that has it.
  "scan" is ``time.process_time`` around the scan after a warm-up scan of a small notebook;
  per MB divides by the MB of text the scan reads;
- ``peers``: ours vs detect-secrets vs NB Defense's secrets plugin on the labelled notebooks of
  ``tests/notebook_corpus.py`` (written into ``data/notebook_secrets/``), scored per notebook
  line the same for every tool. The peers run in their own environment (``--peer-python``;
  NB Defense needs Python < 3.11 and numpy < 2): this script runs itself there with
  ``--in-peer-env`` (that mode imports nothing of ours);
- ``secrets-vectors``: gitleaks' per-rule true and false examples (``vectors/gitleaks/``), one per
  notebook cell, in two protocols (below), for ours, detect-secrets and gitleaks' rule table
  re-run in Python (``vectors/re2py.rule_check``; the gitleaks binary is not run);
- ``detect-secrets-vectors``: each distinct string of detect-secrets' plugin tests
  (``vectors/detect_secrets/``) in one code cell, the same three tools.

gitleaks' protocols: **neutral** (issue 14's): the secret of each true example (the value
gitleaks' helper was given, or what its rule's regex captures in a literal example; one per rule
and value, as gitleaks' 25 sample syntaxes of one value collapse to the same cells; a capture
shorter than 12 characters is a structural fragment, not a credential -- jwt-base64's ``alg``
header piece, a GUID piece of a Teams webhook -- and the rule's whole match stands in for it when
that match is one token; a match with spaces is the value in its context, curl's ``--header
"Api-Token: ..."``, and the capture stays) assigned to a neutral name (``value``, ``VALUE``) in
the notebook syntaxes ``NEUTRAL``; a false example that is a bare value goes into the same cells,
one with context (``publicToken = "..."``) verbatim into one code cell. **As written**: every
example verbatim in one code cell. A cell counts as found (true) or flagged (false) when a tool
reports a secret anywhere in it; detect-secrets runs with its default plugins on the ``.ipynb``
file, as ``detect-secrets scan`` would, its lines mapped back to cells. Each vectors part merges
the cells each tool flagged into ``data/secrets_vectors/results.json``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

BENCH_DIR = Path(__file__).resolve().parent
VECTORS = BENCH_DIR / "vectors"
sys.path.insert(0, str(BENCH_DIR))
sys.path.append(str(VECTORS))  # last: its detect_secrets/ folder must not hide the package
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import re2py  # noqa: E402
from runners import Part, first_line, run_measured, run_parts  # noqa: E402

if TYPE_CHECKING:
    from notebook_corpus import LabelledNotebook

# the peers part runs this script in the peers' environment with this flag first
PEER_ENV_FLAG = "--in-peer-env"


# -- speed: the cost of the scan on large notebooks ---------------------------------------------

SPEED_DATA = BENCH_DIR / "data" / "notebook_scan"
FIRST = ["Maria", "James", "Wei", "Aisha", "Lukas", "Sofia", "Omar", "Emma", "Ravi", "Chen",
         "Olga", "Diego", "Hannah", "Kofi", "Yuki", "Liam"]
LAST = ["Garcia", "Smith", "Zhang", "Khan", "Muller", "Rossi", "Haddad", "Brown", "Patel", "Li",
        "Ivanova", "Lopez", "Schmidt", "Mensah", "Sato", "Walsh"]
DOMAINS = ["gmail.com", "outlook.com", "acme-retail.com", "protonmail.com", "yahoo.co.uk"]
CODE_SNIPPETS = [
    """import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
df = pd.read_parquet("data/customers_{i}.parquet")
df["tenure_years"] = df["tenure_months"] / 12
X = df.drop(columns=["churned", "customer_id"])
y = df["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={i})""",
    """model = GradientBoostingClassifier(n_estimators=300, max_depth=3, random_state=0)
model.fit(X_train, y_train)
proba = model.predict_proba(X_test)[:, 1]
print(f"AUC {{roc_auc_score(y_test, proba):.4f}}")
for name, value in sorted(zip(X.columns, model.feature_importances_), key=lambda t: -t[1])[:10]:
    print(f"{{name:>24}} {{value:.4f}}")""",
    """def clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna(subset=["email"]).copy()
    frame["email"] = frame["email"].str.lower().str.strip()
    frame["signup"] = pd.to_datetime(frame["signup"], errors="coerce")
    return frame[frame["signup"] >= "2021-01-01"]

customers = clean(raw)
customers.head(20)""",
    """fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(history["loss"], label="train")
ax.plot(history["val_loss"], label="validation")
ax.set_xlabel("epoch"); ax.legend()
plt.show()""",
]


def _rng_chars(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits
               ) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"
    phone = f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    return f"{first} {last}", email, phone


def _frame_output(rng: random.Random, count: int, rows: int) -> dict[str, Any]:
    """``customers.head(rows)`` as pandas prints it: text/plain and text/html."""
    columns = ["customer_id", "name", "email", "phone", "tenure_months", "monthly_spend",
               "score", "churned"]
    records = []
    for _ in range(rows):
        name, email, phone = _person(rng)
        records.append([str(rng.randint(100000, 999999)), name, email, phone,
                        str(rng.randint(1, 72)), f"{rng.uniform(10, 200):.2f}",
                        f"{rng.random():.6f}", str(rng.randint(0, 1))])
    widths = [max(len(c), *(len(r[i]) for r in records)) for i, c in enumerate(columns)]
    index_width = len(str(rows - 1))
    plain = [" " * index_width + "  " + "  ".join(c.rjust(w) for c, w in zip(columns, widths,
                                                                                 strict=True))]
    plain += [str(i).ljust(index_width) + "  " + "  ".join(v.rjust(w) for v, w in
                                                           zip(r, widths, strict=True))
              for i, r in enumerate(records)]
    head = "".join(f"<th>{c}</th>" for c in columns)
    body = "".join(f"<tr>\n      <th>{i}</th>\n" + "".join(
        f"      <td>{v}</td>\n" for v in r) + "    </tr>\n" for i, r in enumerate(records))
    html = ('<div>\n<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: '
            f'right;">\n      <th></th>{head}\n    </tr>\n  </thead>\n  <tbody>\n{body}  </tbody>'
            f"\n</table>\n<p>{rows} rows × {len(columns)} columns</p>\n</div>")
    return {"output_type": "execute_result", "execution_count": count, "metadata": {},
            "data": {"text/plain": "\n".join(plain), "text/html": html}}


def _describe_output(rng: random.Random, count: int) -> dict[str, Any]:
    stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    columns = ["tenure_months", "monthly_spend", "total_spend", "score"]
    lines = ["".join(c.rjust(16) for c in ["", *columns])]
    for stat in stats:
        values = [f"{rng.uniform(0, 9000):.6f}" for _ in columns]
        lines.append(stat.ljust(16) + "".join(v.rjust(16) for v in values))
    return {"output_type": "execute_result", "execution_count": count, "metadata": {},
            "data": {"text/plain": "\n".join(lines)}}


def _training_log(rng: random.Random, epochs: int) -> dict[str, Any]:
    lines = []
    for epoch in range(1, epochs + 1):
        lines.append(f"Epoch {epoch}/{epochs}")
        lines.append(f"1563/1563 [==============================] - {rng.randint(8, 30)}s "
                     f"{rng.randint(5, 19)}ms/step - loss: {rng.uniform(0.1, 0.9):.4f} - "
                     f"accuracy: {rng.uniform(0.6, 0.99):.4f} - val_loss: "
                     f"{rng.uniform(0.1, 0.9):.4f} - val_accuracy: {rng.uniform(0.6, 0.99):.4f}")
    return {"output_type": "stream", "name": "stdout", "text": "\n".join(lines) + "\n"}


def _traceback(rng: random.Random) -> dict[str, Any]:
    frames = []
    for depth in range(rng.randint(4, 9)):
        frames.append(
            f"File \x1b[0;32m/opt/conda/lib/python3.11/site-packages/pandas/core/frame.py:"
            f"{rng.randint(100, 9000)}\x1b[0m, in \x1b[0;36mDataFrame.__getitem__\x1b[0;34m"
            f"(self, key)\x1b[0m\n\x1b[1;32m   {3800 + depth}\x1b[0m "
            f"\x1b[38;5;28;01mif\x1b[39;00m "
            f"\x1b[38;5;28mself\x1b[39m\x1b[38;5;241m.\x1b[39mcolumns\x1b[38;5;241m.\x1b[39m"
            f"nlevels \x1b[38;5;241m>\x1b[39m \x1b[38;5;241m1\x1b[39m:")
    return {"output_type": "error", "ename": "KeyError", "evalue": "'monthly_spend_eur'",
            "traceback": ["\x1b[0;31m" + "-" * 75 + "\x1b[0m",
                          "\x1b[0;31mKeyError\x1b[0m  Traceback (most recent call last)",
                          *frames, "\x1b[0;31mKeyError\x1b[0m: 'monthly_spend_eur'"]}


def _figure(rng: random.Random, size: int) -> dict[str, Any]:
    raw = bytes(rng.getrandbits(8) for _ in range(size))
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(raw).decode("ascii"),
                     "text/plain": "<Figure size 800x400 with 1 Axes>"}}


def _secret_cell(rng: random.Random) -> str:
    key_id = "AKIA" + _rng_chars(rng, 16, string.ascii_uppercase + "234567")
    secret = _rng_chars(rng, 40, string.ascii_letters + string.digits + "+/")
    return (f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"\n'
            f'DB_URL = "postgresql://etl:{_rng_chars(rng, 14)}@db.internal:5432/sales"')


def build_notebook(target_bytes: int, seed: int = 0) -> dict[str, Any]:
    """An executed-looking notebook of about ``target_bytes`` (see the module docstring)."""
    rng = random.Random(seed)
    cells: list[dict[str, Any]] = []
    size = 0
    count = 0
    while size < target_bytes:
        count += 1
        kind = count % 8
        outputs: list[dict[str, Any]] = []
        source = CODE_SNIPPETS[count % len(CODE_SNIPPETS)].format(i=count)
        if kind == 0:
            outputs.append(_frame_output(rng, count, rows=rng.choice([5, 10, 20, 60])))
        elif kind == 1:
            outputs.append(_describe_output(rng, count))
        elif kind == 2:
            outputs.append(_training_log(rng, epochs=rng.randint(5, 30)))
        elif kind == 3:
            outputs.append(_traceback(rng))
        elif kind == 4:
            outputs.append(_figure(rng, rng.randint(8_000, 30_000)))
        elif kind == 5 and count % 40 == 5:
            source = _secret_cell(rng)
        elif kind == 6:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": (
                f"## Step {count}\nThe churn rate dropped from {rng.uniform(10, 30):.1f} % to "
                f"{rng.uniform(5, 10):.1f} % (95 % CI {rng.uniform(1, 4):.2f}-"
                f"{rng.uniform(5, 9):.2f}); see the table below. Model v1.{count}.0.")})
        cell = {"cell_type": "code", "execution_count": count, "metadata": {},
                "source": source, "outputs": outputs}
        cells.append(cell)
        size += len(json.dumps(cell))
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}}


def text_megabytes(notebook: dict[str, Any]) -> float:
    """MB of text the scan reads (sources and text outputs, UTF-8)."""
    from mlsecops_jupyter.checks.pii.notebook import notebook_pieces

    pieces, _, _ = notebook_pieces(notebook)
    return sum(len(p.text.encode("utf-8")) for p in pieces) / 1e6


def notebook_file(megabytes: int) -> Path:
    SPEED_DATA.mkdir(parents=True, exist_ok=True)
    path = SPEED_DATA / f"realistic-{megabytes}mb.ipynb"
    if not path.exists():
        path.write_text(json.dumps(build_notebook(megabytes * 1_000_000, seed=megabytes),
                                   indent=1), encoding="utf-8")
    return path


IN_PROCESS = (
    "import json, sys, time\n"
    "from mlsecops_jupyter.checks.pii.notebook import scan_notebook\n"
    "from mlsecops_jupyter.core.settings import Settings\n"
    "settings = Settings() if sys.argv[2] == 'pii' else Settings().override("
    "{'secrets.pii': False})\n"
    "warm = {'nbformat': 4, 'nbformat_minor': 5, 'metadata': {}, 'cells': [{'cell_type': "
    "'markdown', 'metadata': {}, 'source': 'Call Maria Garcia on +1 415-867-5309 or mail "
    "maria@example.org'}]}\n"
    "scan_notebook(warm, settings=settings)\n"
    "started = time.process_time()\n"
    "report = scan_notebook(sys.argv[1], settings=settings)\n"
    "print(json.dumps({'cpu_s': time.process_time() - started, "
    "'findings': len(report.findings)}))\n"
)
PEER_IN_PROCESS = (
    "import json, sys, time\n"
    "from detect_secrets import SecretsCollection\n"
    "from detect_secrets.settings import default_settings\n"
    "with default_settings():\n"
    "    started = time.process_time()\n"
    "    found = SecretsCollection()\n"
    "    found.scan_file(sys.argv[1])\n"
    "    print(json.dumps({'cpu_s': time.process_time() - started, "
    "'findings': sum(1 for _ in found)}))\n"
)


def _in_process(argv: list[str]) -> dict[str, Any]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure_speed(path: Path, repeat: int, peer_python: str | None) -> dict[str, dict[str, Any]]:
    """CPU seconds per tool and mode: {"ours, secrets only": {...}, ...}."""
    rows: dict[str, dict[str, Any]] = {}
    mlsec = [sys.executable, "-m", "mlsecops_jupyter.cli", "notebook", str(path), "--format",
             "json", "--fail-on", "critical"]
    for label, extra, mode in (("ours, secrets only", ["--no-pii"], "nopii"),
                               ("ours, secrets + PII", [], "pii")):
        whole = [run_measured([*mlsec, *extra], timeout_s=3600) for _ in range(repeat)]
        inner = [_in_process([sys.executable, "-c", IN_PROCESS, str(path), mode])
                 for _ in range(repeat)]
        rows[label] = {
            "process_cpu_s": _median([r.cpu_s for r in whole if r.returncode in (0, 1)]),
            "scan_cpu_s": _median([r["cpu_s"] for r in inner if "cpu_s" in r]),
            "findings": next((r["findings"] for r in inner if "findings" in r), None),
            "errors": sorted({r["error"] for r in inner if "error" in r}
                             | {r.stderr.strip()[-200:] for r in whole
                                if r.returncode not in (0, 1)}),
        }
    if peer_python:
        bin_dir = Path(peer_python).parent
        whole = [run_measured([str(bin_dir / "detect-secrets"), "scan", str(path)],
                              timeout_s=3600) for _ in range(repeat)]
        inner = [_in_process([peer_python, "-c", PEER_IN_PROCESS, str(path)])
                 for _ in range(repeat)]
        rows["detect-secrets (default plugins)"] = {
            "process_cpu_s": _median([r.cpu_s for r in whole if r.returncode == 0]),
            "scan_cpu_s": _median([r["cpu_s"] for r in inner if "cpu_s" in r]),
            "findings": next((r["findings"] for r in inner if "findings" in r), None),
            "errors": sorted({r["error"] for r in inner if "error" in r}
                             | {r.stderr.strip()[-200:] for r in whole if r.returncode != 0}),
        }
    return rows


def main_speed(argv: list[str] | None = None) -> int:
    """Cost of the notebook scan on 1 MB and 10 MB realistic notebooks, beside detect-secrets."""
    parser = argparse.ArgumentParser(description=first_line(main_speed))
    parser.add_argument("--sizes", default="1,10", help="notebook sizes in MB (default 1,10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--peer-python", default=os.environ.get("MLSEC_BENCH_PEER_PYTHON"),
                        help="an interpreter with detect-secrets installed (optional)")
    args = parser.parse_args(argv)
    print("CPU seconds, median of", args.repeat, "runs; 'process' = whole `mlsec notebook` / "
          "`detect-secrets scan` process, 'scan' = in-process scan only\n")
    print(f"{'notebook':<22}{'tool':<34}{'process s':>10}{'scan s':>8}{'scan s/MB':>10}"
          f"{'findings':>9}")
    for megabytes in (int(s) for s in args.sizes.split(",")):
        path = notebook_file(megabytes)
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text_mb = text_megabytes(notebook)
        name = f"{path.stat().st_size / 1e6:.1f} MB ({text_mb:.1f} MB text)"
        for tool, row in measure_speed(path, args.repeat, args.peer_python).items():
            per_mb = row["scan_cpu_s"] / text_mb
            print(f"{name:<22}{tool:<34}{row['process_cpu_s']:>10.2f}{row['scan_cpu_s']:>8.2f}"
                  f"{per_mb:>10.2f}{row['findings'] if row['findings'] is not None else '-':>9}")
            for error in row["errors"]:
                print(f"{'':<22}  error: {error}")
    return 0


# -- peers: secrets in the labelled notebooks, ours vs detect-secrets vs NB Defense -----------

LABELLED_DATA = BENCH_DIR / "data" / "notebook_secrets"
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


def run_ours_labelled(paths: list[tuple[Path, LabelledNotebook]]
                      ) -> tuple[set[tuple[str, str]], float, dict[str, Any]]:
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


def run_peers_labelled(python: str, paths: list[Path]) -> dict[str, Any]:
    script = Path(__file__).resolve()
    done = subprocess.run([python, str(script), PEER_ENV_FLAG, *map(str, paths)],
                          capture_output=True,
                          text=True, timeout=1200, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"detect-secrets": {"error": done.stderr.strip()[-300:]},
                "nbdefense": {"error": done.stderr.strip()[-300:]}}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main_peers(argv: list[str] | None = None) -> int:
    """Secrets in our labelled notebooks: ours vs detect-secrets vs NB Defense, one run."""
    sys.path.insert(1, str(BENCH_DIR.parent / "tests"))
    from notebook_corpus import write_notebooks

    parser = argparse.ArgumentParser(description=first_line(main_peers))
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
        folder = LABELLED_DATA / f"seed{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        written = write_notebooks(folder, seed=seed)
        for _, book in written:
            book.name = f"seed{seed}/{book.name}"
        books += [b for _, b in written]
        flags, ours_cpu, pii = run_ours_labelled(written)
        ours_flags |= flags
        cpu["ours"] += ours_cpu
        for key in pii_totals:
            pii_totals[key] += pii[key]
        peers = run_peers_labelled(args.peer_python, [p for p, _ in written])
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


# -- in the peers' environment: detect-secrets and NB Defense's secrets plugin ---------------
# (imports nothing of ours: NB Defense needs Python < 3.11 and numpy < 2)

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def json_line_text(line: str) -> str:
    """The notebook text on one line of an .ipynb file (a JSON string element), else the raw
    line."""
    stripped = line.strip().rstrip(",")
    match = re.search(r'"((?:[^"\\]|\\.)*)"\s*$', stripped)
    if match:
        try:
            return ANSI.sub("", json.loads(f'"{match.group(1)}"')).rstrip("\n")
        except ValueError:
            pass
    return stripped


def peer_detect_secrets(paths: list[Path]) -> dict[str, object]:
    try:
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError as exc:
        return {"error": f"not installed ({exc})"}
    flags = []
    started = time.process_time()
    with default_settings():
        for path in paths:
            collection = SecretsCollection()
            collection.scan_file(str(path))
            lines = path.read_text(encoding="utf-8").splitlines()
            for _, secret in collection:
                flags.append([path.name, json_line_text(lines[secret.line_number - 1])])
    return {"cpu_s": time.process_time() - started, "flags": flags}


def peer_nbdefense(paths: list[Path]) -> dict[str, object]:
    try:
        from nbdefense.codebase import Codebase
        from nbdefense.constants import DEFAULT_SETTINGS
        from nbdefense.issues import LineCellIssue
        from nbdefense.plugins import SecretsPlugin
    except ImportError as exc:
        return {"error": f"not installed ({exc})"}
    folder = paths[0].parent
    flags = []
    started = time.process_time()
    with tempfile.TemporaryDirectory() as temp:
        codebase = Codebase(folder, recursive=False, quiet=True, show_progress_bars=False,
                            temp_directory=Path(temp))
        settings = SecretsPlugin.get_settings("nbdefense.plugins.SecretsPlugin", True,
                                              DEFAULT_SETTINGS)
        SecretsPlugin.scan(codebase, settings)
        wanted = {p.name for p in paths}
        for notebook in codebase.notebooks():
            if notebook.path.name not in wanted:
                continue
            for issue in notebook.issues.all_issues:
                if isinstance(issue, LineCellIssue):
                    text = ANSI.sub("", issue.cell.lines[issue.line_index])
                    flags.append([notebook.path.name, text])
    return {"cpu_s": time.process_time() - started, "flags": flags}


def main_in_peer_env(argv: list[str]) -> int:
    paths = [Path(p) for p in argv]
    result = {"detect-secrets": peer_detect_secrets(paths), "nbdefense": peer_nbdefense(paths)}
    print(json.dumps(result))
    return 0


# -- secrets-vectors, detect-secrets-vectors: the peers' own test vectors ---------------------

VECTORS_DATA = BENCH_DIR / "data" / "secrets_vectors"
Cell = dict[str, Any]


def _single_line(s: str) -> bool:
    return "\n" not in s and not re.search(r"\s", s)


# notebook syntax -> (applies to the value?, cell source)
NEUTRAL: dict[str, tuple[Callable[[str], bool], Callable[[str], str]]] = {
    "python": (lambda s: True, lambda s: f"value = {s!r}"),
    "%env": (_single_line, lambda s: f"%env VALUE={s}"),
    "%%bash export": (lambda s: _single_line(s) and "'" not in s,
                      lambda s: f"%%bash\nexport VALUE='{s}'"),
    ".env file": (_single_line, lambda s: f"%%writefile .env\nVALUE={s}\n"),
    "YAML file": (lambda s: True,
                  lambda s: f"%%writefile settings.yaml\nvalue: {json.dumps(s)}\n"),
    "JSON file": (lambda s: True,
                  lambda s: f'%%writefile settings.json\n{{"value": {json.dumps(s)}}}\n'),
}


def load_gitleaks() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    folder = VECTORS / "gitleaks"
    rules = {r["id"]: r for r in json.loads((folder / "rules.json").read_text())}
    with (folder / "examples.jsonl").open() as stream:
        examples = [json.loads(line) for line in stream]
    return examples, rules


def _whole_match(example: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str | None:
    rule = rules.get(example["rule"])
    if not rule or not rule.get("regex_python"):
        return None
    m = re.search(rule["regex_python"], example["text"], re.ASCII)
    return m.group().strip() if m else None


def neutral_cells(examples: list[dict[str, Any]],
                  rules: dict[str, dict[str, Any]] | None = None) -> list[Cell]:
    """The neutral protocol's cells, each with its label, family, rule and syntax."""
    cells: list[Cell] = []
    seen: set[tuple[str, str, str]] = set()
    for example in examples:
        if not example["text"].strip():  # a file-name-only example (pkcs12): no text
            continue
        if example["label"] == "true":
            value = example.get("secret")
            if not value:
                continue
            if len(value) < 12 and rules is not None:
                whole = _whole_match(example, rules)
                if whole and not re.search(r"\s", whole):  # a token, not a value in context
                    value = whole
        elif re.fullmatch(r"\S+", example["text"]):
            value = example["text"]
        else:
            key = ("false", example["rule"], example["text"])
            if key not in seen:
                seen.add(key)
                cells.append({"source": example["text"], "label": "false", "syntax": "verbatim",
                              "family": example["family"], "rule": example["rule"]})
            continue
        for syntax, (applies, render) in NEUTRAL.items():
            key = (example["label"], example["rule"], f"{syntax}\0{value}")
            if not applies(value) or key in seen:
                continue
            seen.add(key)
            cells.append({"source": render(value), "label": example["label"], "syntax": syntax,
                          "family": example["family"], "rule": example["rule"]})
    return cells


def written_cells(examples: list[dict[str, Any]]) -> list[Cell]:
    return [{"source": e["text"], "label": e["label"], "syntax": e.get("syntax", "literal"),
             "family": e["family"], "rule": e["rule"]}
            for e in examples if e["text"].strip()]


def detect_secrets_cells(cells: list[Cell], protocol: str) -> list[Cell]:
    """detect-secrets' plugin vectors, one distinct string per cell (conflicting labels out)."""
    document = json.loads((VECTORS / "detect_secrets" / "vectors.json").read_text())
    labels: dict[str, set[str]] = defaultdict(set)
    plugin: dict[str, str] = {}
    for item in document["items"]:
        labels[item["text"]].add(item["label"])
        plugin.setdefault(item["text"], item["plugin"])
    return [{"source": text, "label": next(iter(found)), "syntax": "verbatim",
             "family": plugin[text], "rule": plugin[text]}
            for text, found in labels.items() if len(found) == 1]


def write_notebook(cells: list[Cell], path: Path) -> None:
    """One code cell per vector, ids ``c00000``...; sorted keys put each id before its source."""
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i:05d}",
                   "metadata": {}, "outputs": [],
                   "source": cell["source"].splitlines(keepends=True)}
                  for i, cell in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


# -- the tools ----------------------------------------------------------------------------------
def run_ours_on_cells(path: Path) -> tuple[set[int], float]:
    from mlsecops_jupyter.checks.pii.notebook import scan_notebook
    from mlsecops_jupyter.core.settings import Settings

    secrets_only = Settings().override({"secrets.pii": False})
    started = time.process_time()
    report = scan_notebook(path, settings=secrets_only)
    cpu = time.process_time() - started
    return {f.location.cell for f in report.findings if f.location.output is None}, cpu


_CELL_ID = re.compile(r'^\s*"id": "c(\d{5})",?$')


def run_detect_secrets_on(path: Path) -> tuple[set[int], float] | str:
    try:
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError as exc:
        return f"not installed ({exc}); pip install -e '.[bench]'"
    lines = path.read_text(encoding="utf-8").splitlines()
    cell_of_line: dict[int, int] = {}
    current = -1
    for number, line in enumerate(lines, start=1):
        m = _CELL_ID.match(line)
        if m:
            current = int(m.group(1))
        cell_of_line[number] = current
    started = time.process_time()
    with default_settings():
        collection = SecretsCollection()
        collection.scan_file(str(path))
        flagged = {cell_of_line[secret.line_number] for _, secret in collection}
    return flagged - {-1}, time.process_time() - started


def run_gitleaks_rules(cells: list[Cell], rules: dict[str, dict[str, Any]],
                       global_allowlists: list[re2py.Allowlist]) -> tuple[set[int], float]:
    started = time.process_time()
    flagged = set()
    for index, cell in enumerate(cells):
        for rule in rules.values():
            if rule["regex_python"] and re2py.rule_check(rule, cell["source"],
                                                         global_allowlists)[0]:
                flagged.add(index)
                break
    return flagged, time.process_time() - started


def detect_secrets_version() -> str:
    try:
        from importlib.metadata import version

        return version("detect-secrets")
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return "not installed"


# -- scoring ------------------------------------------------------------------------------------
def rates(cells: list[Cell], flagged: set[int], key: str | None = None) -> dict[str, Any]:
    """Per group (``key`` of the cell, or all): found/true and flagged/false."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for index, cell in enumerate(cells):
        group = cell[key] if key else "all"
        hit = index in flagged
        groups[group][cell["label"]] += 1
        groups[group][cell["label"] + "_hit"] += hit
    return dict(groups)


def pct(hit: int, total: int) -> str:
    return f"{100 * hit / total:.1f} % ({hit}/{total})" if total else "-"


def print_summary(title: str, cells: list[Cell], results: dict[str, Any]) -> None:
    print(f"\n### {title}: {sum(c['label'] == 'true' for c in cells)} true cells, "
          f"{sum(c['label'] == 'false' for c in cells)} false cells\n")
    print("| tool | true examples found | false examples flagged | families with a true "
          "example found / with true examples | CPU s |")
    print("|---|---|---|---|---|")
    for tool, result in results.items():
        if isinstance(result, str):
            print(f"| {tool} | not run: {result} | | | |")
            continue
        flagged, cpu = result
        total = rates(cells, flagged)["all"]
        families = rates(cells, flagged, "family")
        with_true = [f for f, c in families.items() if c["true"]]
        found = [f for f in with_true if families[f]["true_hit"]]
        print(f"| {tool} | {pct(total['true_hit'], total['true'])} | "
              f"{pct(total['false_hit'], total['false'])} | {len(found)} / {len(with_true)} | "
              f"{cpu:.2f} |")


def print_by(cells: list[Cell], results: dict[str, Any], key: str, title: str) -> None:
    tools = [t for t, r in results.items() if not isinstance(r, str)]
    per_tool = {t: rates(cells, results[t][0], key) for t in tools}
    groups = sorted(next(iter(per_tool.values())).keys()) if per_tool else []
    print(f"\n{title}\n")
    print(f"| {key} | " + " | ".join(f"{t}: found / flagged" for t in tools) + " |")
    print("|---|" + "---|" * len(tools))
    for group in groups:
        row = []
        for tool in tools:
            c = per_tool[tool][group]
            found = f"{c['true_hit']}/{c['true']}" if c["true"] else "-"
            flagged = f"{c['false_hit']}/{c['false']}" if c["false"] else "-"
            row.append(f"{found} / {flagged}")
        print(f"| {group} | " + " | ".join(row) + " |")


def zero_families(cells: list[Cell], results: dict[str, Any]) -> None:
    for tool, result in results.items():
        if isinstance(result, str):
            continue
        families = rates(cells, result[0], "family")
        zero = sorted(f for f, c in families.items() if c["true"] and not c["true_hit"])
        print(f"- {tool}: {len(zero)} families at 0: {', '.join(zero) or 'none'}")


def evaluate(name: str, cells: list[Cell], rules: dict[str, dict[str, Any]] | None,
             global_allowlists: list[re2py.Allowlist]) -> dict[str, Any]:
    path = VECTORS_DATA / f"{name}.ipynb"
    write_notebook(cells, path)
    results: dict[str, Any] = {"ours": run_ours_on_cells(path),
                               f"detect-secrets {detect_secrets_version()}":
                                   run_detect_secrets_on(path)}
    if rules is not None:
        results["gitleaks rules (re-run in Python)"] = run_gitleaks_rules(cells, rules,
                                                                          global_allowlists)
    return results


def _gitleaks_setup() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]],
                                dict[str, Any], list[re2py.Allowlist]]:
    examples, rules = load_gitleaks()
    extraction = json.loads((VECTORS / "gitleaks" / "extraction.json").read_text())
    global_allowlists = [re2py.Allowlist.from_json(a) for a in extraction["global_allowlists"]]
    return examples, rules, extraction, global_allowlists


def _save(results: dict[str, Any]) -> None:
    """Merge one part's flagged cells into ``results.json`` (both parts write one file)."""
    path = VECTORS_DATA / "results.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    for name, by_tool in results.items():
        saved[name] = {tool: sorted(r[0]) if not isinstance(r, str) else r
                       for tool, r in by_tool.items()}
    path.write_text(json.dumps(saved) + "\n")


def main_gitleaks_vectors(argv: list[str] | None = None) -> int:
    """Secrets on gitleaks' rule examples: ours, detect-secrets and gitleaks' rules re-run."""
    parser = argparse.ArgumentParser(description=first_line(main_gitleaks_vectors))
    parser.add_argument("--details", action="store_true",
                        help="also print every family row")
    args = parser.parse_args(argv)
    examples, rules, extraction, global_allowlists = _gitleaks_setup()
    print(f"gitleaks {extraction['commit'][:12]}: {len(rules)} rules, "
          f"{len({r['family'] for r in rules.values()})} provider families, "
          f"{extraction['examples']['true']} true / {extraction['examples']['false']} false "
          "examples")
    saved: dict[str, Any] = {}
    for name, cells in (("gitleaks-neutral", neutral_cells(examples, rules)),
                        ("gitleaks-as-written", written_cells(examples))):
        results = evaluate(name, cells, rules, global_allowlists)
        print_summary(f"gitleaks examples, {name.split('-', 1)[1]}", cells, results)
        if name == "gitleaks-neutral":
            print_by(cells, results, "syntax", "By notebook syntax (true found / false "
                                               "flagged):")
        print(f"\nFamilies with no true example found ({name.split('-', 1)[1]}):\n")
        zero_families(cells, results)
        if args.details:
            print_by(cells, results, "family", "By provider family:")
        saved[name] = results
    _save(saved)
    return 0


def main_ds_vectors(argv: list[str] | None = None) -> int:
    """Secrets on detect-secrets' plugin test strings: ours, detect-secrets, gitleaks' rules."""
    parser = argparse.ArgumentParser(description=first_line(main_ds_vectors))
    parser.parse_args(argv)
    _, rules, _, global_allowlists = _gitleaks_setup()
    ds_cells = detect_secrets_cells([], "verbatim")
    ds_results = evaluate("detect-secrets-plugins", ds_cells, rules, global_allowlists)
    print_summary("detect-secrets plugin test strings", ds_cells, ds_results)
    print_by(ds_cells, ds_results, "family", "By detect-secrets plugin (true found / false "
                                             "flagged):")
    _save({"detect-secrets-plugins": ds_results})
    return 0


PARTS = {
    "speed": Part(main_speed, first_line(main_speed), quick=("--sizes", "1", "--repeat", "1")),
    "peers": Part(main_peers, first_line(main_peers), quick=("--seeds", "7")),
    "secrets-vectors": Part(main_gitleaks_vectors, first_line(main_gitleaks_vectors)),
    "detect-secrets-vectors": Part(main_ds_vectors, first_line(main_ds_vectors)),
}

if __name__ == "__main__":
    if sys.argv[1:2] == [PEER_ENV_FLAG]:
        sys.exit(main_in_peer_env(sys.argv[2:]))
    sys.exit(run_parts(__doc__ or "", PARTS))
