"""Cost of the notebook scan on large realistic notebooks, beside detect-secrets.

    python benchmarks/notebook_scan_speed.py [--sizes 1,10] [--peer-python PATH] [--repeat 3]

Builds (once, cached in ``benchmarks/data/notebook_scan/``) executed-looking notebooks of about
1 MB and 10 MB: code cells, ``df.head()`` outputs as text and HTML (numbers, names, e-mail
addresses, phones), ``describe()`` tables, training logs, ANSI tracebacks, PNG figures, markdown,
and a few planted fake credentials. Then measures, in CPU seconds (user + system, robust to a
shared machine):

- whole process: ``mlsec notebook FILE --format json`` in a fresh interpreter (start, imports,
  Presidio's engine build and the scan), through ``runners.run_measured``;
- in process: ``time.process_time`` around ``scan_notebook`` after one warm-up scan of a small
  notebook (imports, the engine build and the first e-mail check's public-suffix table are
  excluded: they are paid once per process and counted in the whole-process figure);

each for secrets only (``--no-pii``) and secrets + personal data, and the same two figures for
detect-secrets (default plugins, ``detect-secrets scan FILE`` and ``SecretsCollection.scan_file``)
when ``--peer-python`` names an interpreter that has it. The fair comparison is secrets only:
detect-secrets looks for no personal data. The per-MB figures divide by the notebook's *text*
(every cell source and text output, what the scan reads), printed beside the file size.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from runners import run_measured  # noqa: E402

DATA = BENCH_DIR / "data" / "notebook_scan"
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
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"realistic-{megabytes}mb.ipynb"
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


def measure(path: Path, repeat: int, peer_python: str | None) -> dict[str, dict[str, Any]]:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
        for tool, row in measure(path, args.repeat, args.peer_python).items():
            per_mb = row["scan_cpu_s"] / text_mb
            print(f"{name:<22}{tool:<34}{row['process_cpu_s']:>10.2f}{row['scan_cpu_s']:>8.2f}"
                  f"{per_mb:>10.2f}{row['findings'] if row['findings'] is not None else '-':>9}")
            for error in row["errors"]:
                print(f"{'':<22}  error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
