"""Model scanner at its limits: inert padding against pickle.load, hostile files, real models.

    python benchmarks/modelscan_limits.py            # 500 M padding opcodes, every table
    python benchmarks/modelscan_limits.py --quick    # 50 M opcodes, no 16 GB bomb, no MoE

Three tables, every run in a fresh process measured like ``speed.py`` (``runners.py``: CPU is
user + system of the whole process, from ``os.wait4``):

1. Inert padding: ``--opcodes`` no-op opcodes (``N0``: push None, pop it) then a call of a
   harmless builtin, ``builtins.eval("0")``, which our scanner reports as code execution and
   ``pickle.load`` runs, returning 0; raw, gzip, and as a torch zip's deflated ``data.pkl``.
   Ours is ``scan_model(FILE)``; pickle.load reads the same file (through ``gzip.open`` or the
   zip member). A last row runs our opcode-by-opcode path (fast path off) over a tenth of the
   padding, for the rate the fast path avoids.
2. Files built to hit a limit, with the canary payload (it would only create a marker in a
   temporary folder; the script fails if the marker appears): never loaded, only scanned.
3. Real models at realistic sizes (``tests/corpus/large.py``): how much of each limit a scan
   uses.

Inputs are generated once into ``benchmarks/data/limits/`` (git-ignored; the raw padding is
500 MB, the sparse checkpoints take almost no disk).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))

from corpus.canary import Canary  # noqa: E402
from corpus.large import REALISTIC, moe_layout, write_sparse_torch_checkpoint  # noqa: E402
from corpus.limits import (  # noqa: E402
    nested_zips,
    payload_body,
    write_many_members,
    write_padded_pickle,
)
from inputs import DATA_DIR  # noqa: E402
from runners import Measured, run_measured  # noqa: E402

from mlsecops_jupyter.core.settings import Settings  # noqa: E402

LIMITS_DIR = DATA_DIR / "limits"
HARMLESS_PAYLOAD = b"cbuiltins\neval\n(X\x01\x00\x00\x000tR."  # eval("0")
TIMEOUT_S = 900.0

OUR_SCAN = (
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


def ours(path: Path, fast: bool = True) -> tuple[Measured, dict[str, Any]]:
    run = run_measured([sys.executable, "-c", OUR_SCAN, str(path), "fast" if fast else "slow"],
                       TIMEOUT_S)
    if run.status != "ok" or run.returncode != 0:
        raise SystemExit(f"our scan of {path.name} failed ({run.status}): {run.stderr[-500:]}")
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def verdict(output: dict[str, Any]) -> str:
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
        run, output = ours(path)
        load = run_measured([sys.executable, "-c", LOADERS[codec], str(path)], TIMEOUT_S)
        if load.status != "ok" or load.stdout.strip() != "0":
            raise SystemExit(f"pickle.load of {path.name}: {load.status} {load.stderr[-300:]}")
        assert output["opcodes"] == 1 + opcodes + 6, output  # PROTO, padding, the payload
        lines.append(
            f"| {opcodes / 1e6:.0f} M `N0` opcodes + `eval(\"0\")`, {codec} | {size_text(path)} | "
            f"{run.cpu_s:.2f} / {output['scan_cpu_s']:.2f} | {load.cpu_s:.2f} | "
            f"{run.cpu_s / load.cpu_s:.2f} x | {verdict(output)} |")
    tenth = opcodes // 10
    path = cached(LIMITS_DIR / f"padding-{tenth // 1_000_000}M.pkl",
                  lambda p: write_padded_pickle(p, HARMLESS_PAYLOAD, tenth, "raw"))
    run, output = ours(path, fast=False)
    load = run_measured([sys.executable, "-c", LOADERS["raw"], str(path)], TIMEOUT_S)
    lines.append(
        f"| {tenth / 1e6:.0f} M `N0` opcodes + `eval(\"0\")`, raw, **fast path off** | "
        f"{size_text(path)} | {run.cpu_s:.2f} / {output['scan_cpu_s']:.2f} | {load.cpu_s:.2f} | "
        f"{run.cpu_s / load.cpu_s:.1f} x | {verdict(output)} |")
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
        run, output = ours(path)
        lines.append(f"| {label} | {size_text(path)} | {run.cpu_s:.2f} | "
                     f"{run.peak_rss_mb:.0f} MB | {verdict(output)} |")
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
        run, output = ours(path)
        decompressed = output["decompressed"]
        lines.append(
            f"| {path.name} | {size_text(path)} | {run.cpu_s:.2f} | "
            f"{output['opcodes']:,} ({output['opcodes'] / limits.max_opcodes:.2%}) | "
            f"{output['members']:,} ({output['members'] / limits.max_members:.2%}) | "
            f"{decompressed / 2**20:.0f} MB "
            f"({decompressed / (limits.max_decompressed_mb << 20):.2%}) | "
            f"{verdict(output) if output['findings'] else 'no finding'} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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


if __name__ == "__main__":
    raise SystemExit(main())
