"""Sign and verify a 1 GB model folder: ``mlsec sign|verify`` beside model-signing's own CLI.

The folder is made of real tensors: four safetensors shards of random float32 weights (256 MB
each at full size) and a config.json, as a Hugging Face checkpoint is laid out, written once to
``benchmarks/data/signing-<scale>/`` (git-ignored). Every command is a fresh process measured
through ``runners.run_measured`` (CPU time = user + system of the whole process, imports
included; wall time; peak RSS), ``--repeat`` times, median shown. Both sides sign with the same
EC P-256 key (generated once) and write the signature outside the folder, so each run hashes the
same bytes; the page cache is warm after the first run for both.

    python benchmarks/signing_speed.py            # 1 GB
    python benchmarks/signing_speed.py --quick    # 5 % of it, for development

Ours: ``python -m mlsecops_jupyter.cli sign|verify DIR --key K --signature S``.
Peer: ``python -m model_signing sign|verify key DIR --private_key|--public_key K --signature S``
(model-signing's CLI; the same library does the hashing and signing underneath, so the
difference is what our command adds: argument checks, key checks, the report).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from runners import Measured, run_measured  # noqa: E402

DATA = HERE / "data"
SHARDS = 4
FULL_SHARD_MB = 256


def build_model(folder: Path, scale: float) -> int:
    """The model folder (made once per scale); its size in bytes."""
    import numpy as np
    from safetensors.numpy import save_file

    marker = folder / "config.json"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(0)
        values = int(FULL_SHARD_MB * scale * 2**20 / 4)
        for shard in range(SHARDS):
            rows = values // 4096
            save_file({f"layers.{shard}.weight": rng.standard_normal(
                (rows, 4096), dtype=np.float32)},
                str(folder / f"model-{shard + 1:05d}-of-{SHARDS:05d}.safetensors"))
        marker.write_text(json.dumps({"architectures": ["Bench"], "shards": SHARDS}),
                          encoding="utf-8")
    return sum(p.stat().st_size for p in folder.iterdir())


def make_key(folder: Path) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private, public = folder / "bench-key.pem", folder / "bench-key.pub"
    if not private.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        public.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def commands(model: Path, private: Path, public: Path, out: Path) -> dict[str, list[str]]:
    ours = [sys.executable, "-m", "mlsecops_jupyter.cli"]
    peer = [sys.executable, "-m", "model_signing"]
    return {
        "ours sign": [*ours, "sign", str(model), "--key", str(private),
                      "--signature", str(out / "ours.sig")],
        "ours verify": [*ours, "verify", str(model), "--key", str(public),
                        "--signature", str(out / "ours.sig")],
        "model_signing sign": [*peer, "sign", "key", str(model), "--private_key", str(private),
                               "--signature", str(out / "peer.sig")],
        "model_signing verify": [*peer, "verify", "key", str(model), "--public_key",
                                 str(public), "--signature", str(out / "peer.sig")],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 %% of the size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    scale = 0.05 if args.quick else 1.0
    model = DATA / f"signing-{'quick' if args.quick else 'full'}" / "model"
    size = build_model(model, scale)
    private, public = make_key(model.parent)
    runs: dict[str, list[Measured]] = {}
    for _ in range(args.repeat):  # interleaved, so load on the machine hits both alike
        for name, argv in commands(model, private, public, model.parent).items():
            run = run_measured(argv, args.timeout)
            if run.status != "ok" or run.returncode != 0:
                print(f"{name} failed ({run.status}, exit {run.returncode}): "
                      f"{run.stderr.strip()[-400:]}", file=sys.stderr)
                return 1
            runs.setdefault(name, []).append(run)
    print(f"model folder: {SHARDS} safetensors shards of random float32 tensors + config.json, "
          f"{size / 2**30:.2f} GiB ({size:,} bytes); median of {args.repeat} runs, each a "
          "fresh process")
    print()
    print("| command | CPU s (user+sys) | wall s | peak RSS MB |")
    print("|---|---|---|---|")
    for name, measured in runs.items():
        cpu = statistics.median(r.cpu_s for r in measured)
        wall = statistics.median(r.wall_s for r in measured)
        rss = statistics.median(r.peak_rss_mb for r in measured)
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {rss:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
