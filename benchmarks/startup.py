"""Start-up cost: ``mlsec scan small.pkl`` beside picklescan and fickling, as whole processes.

On a small file almost all of a scanner's time is interpreter start and imports, so this is
what a pre-commit hook or a CI step over many small files pays per file. Each run is a fresh
process measured by ``os.wait4`` (user + system CPU of that process alone, through the bare
launcher of ``runners.py``); the scanners run round-robin (ours, picklescan, fickling, again)
so that a change in machine load hits all of them alike, and the table gives the median and
the minimum of ``--runs`` runs each.

Ours is the ``mlsec`` entry point of the tree this script sits in
(``from mlsecops_jupyter.cli import main``, what the console script runs), with its bytecode
cached as an installed package has it. The peers run their own console scripts, from
``--peers-bin`` (a folder holding ``picklescan`` and ``fickling``; default: next to this
interpreter, else ``PATH``).

    python benchmarks/startup.py [--runs 21] [--peers-bin DIR]
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runners import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OURS = "import sys; from mlsecops_jupyter.cli import main; sys.exit(main())"


def commands(path: Path, peers_bin: Path | None) -> dict[str, list[str]]:
    def peer(name: str) -> str:
        folder = peers_bin or Path(sys.executable).parent
        candidate = folder / name
        return str(candidate) if candidate.exists() else name

    return {
        "ours (mlsec scan)": [sys.executable, "-c", OURS, "scan", str(path)],
        "picklescan": [peer("picklescan"), "-p", str(path)],
        "fickling": [peer("fickling"), "--check-safety", str(path)],
        "python -c pass": [sys.executable, "-c", "pass"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--peers-bin", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlsec-startup-") as folder:
        path = Path(folder) / "small.pkl"
        data = pickle.dumps({"weights": [0.5, -1.25, 3.0], "name": "tiny"}, protocol=4)
        path.write_bytes(data)
        # bytecode cached once, as pip does on install, in a private folder (the tree stays clean)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
        runs = commands(path, args.peers_bin)
        for argv in runs.values():  # warm-up: caches bytecode, checks each command works
            measured = run_measured(argv, timeout_s=120)
            if measured.status != "ok" or measured.returncode not in (0, 1):
                raise SystemExit(f"{argv[0]} failed: {measured.status} {measured.stderr[-300:]}")
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, argv in runs.items():
                cpu[name].append(run_measured(argv, timeout_s=120).cpu_s)
    load = os.getloadavg()[0]
    print(f"| scanner on a {len(data)}-byte pickle | CPU s, median of {args.runs} | CPU s, min |")
    print("|---|---|---|")
    for name, values in cpu.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} |")
    print(f"\nload average during the run: {load:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
