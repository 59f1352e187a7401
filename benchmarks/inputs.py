"""Large benchmark inputs, generated once and cached in ``benchmarks/data/`` (git-ignored).

Each input is a realistic worst case for one part of the scanner: a PyTorch state_dict whose
storages must be skipped, not read; a joblib file whose numpy array bytes must be skipped using the
wrapper's shape and dtype; a pickle of millions of small objects whose opcodes must be streamed.
A size in MB is part of each file name, so ``--quick`` inputs never shadow full-size ones.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

MB = 1024 * 1024


@dataclass(frozen=True)
class BenchInput:
    """One generated file, what it stands for, and the time budget the issue sets for us."""

    name: str
    path: Path
    target_s: float
    target_rss_mb: float | None = None


def _torch_state_dict(path: Path, size_mb: int) -> None:
    """A zip checkpoint of float32 tensors (64 MB each, like the layers of a large model)."""
    import torch

    tensor_mb = min(64, size_mb)
    count = max(1, size_mb // tensor_mb)
    elements = tensor_mb * MB // 4
    state = {f"layers.{i}.weight": torch.ones(elements, dtype=torch.float32) for i in range(count)}
    torch.save(state, path)


def _joblib_arrays(path: Path, size_mb: int) -> None:
    """joblib.dump of a dict of numpy arrays: joblib writes each array's bytes inline."""
    import joblib
    import numpy as np

    array_mb = min(50, size_mb)
    count = max(1, size_mb // array_mb)
    arrays = {f"coef_{i}": np.full(array_mb * MB // 8, float(i)) for i in range(count)}
    joblib.dump(arrays, path)


def _small_objects(path: Path, size_mb: int) -> None:
    """A pickle of millions of tiny dicts: the shape of a pickled record list or vocabulary."""
    rows_per_mb = 25_000  # measured: ~42 bytes of pickle per row
    rows = [
        {"id": i, "name": f"user{i}", "score": i * 0.5, "tags": ("a", i % 7)}
        for i in range(size_mb * rows_per_mb)
    ]
    with path.open("wb") as handle:
        pickle.dump(rows, handle, protocol=4)


GENERATORS: dict[str, tuple[Callable[[Path, int], None], str, int, float, float | None]] = {
    # name: (generator, suffix, full size in MB, target seconds, target peak RSS in MB)
    "torch-state-dict": (_torch_state_dict, ".pt", 1024, 0.5, None),
    "joblib-numpy": (_joblib_arrays, ".joblib", 500, 1.0, None),
    "pickle-small-objects": (_small_objects, ".pkl", 300, 30.0, 1024.0),
}


def ensure_inputs(scale: float = 1.0, data_dir: Path = DATA_DIR) -> list[BenchInput]:
    """Generate (once) every benchmark input at ``scale`` times its full size; return them."""
    data_dir.mkdir(parents=True, exist_ok=True)
    inputs = []
    for name, (generate, suffix, full_mb, target_s, target_rss) in GENERATORS.items():
        size_mb = max(1, int(full_mb * scale))
        path = data_dir / f"{name}-{size_mb}mb{suffix}"
        if not path.exists():
            partial = path.with_suffix(path.suffix + ".partial")
            generate(partial, size_mb)
            partial.rename(path)
        inputs.append(BenchInput(name, path, target_s, target_rss))
    return inputs


if __name__ == "__main__":
    import sys

    for item in ensure_inputs(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0):
        print(f"{item.name}: {item.path.name} {item.path.stat().st_size / MB:.0f} MB")
