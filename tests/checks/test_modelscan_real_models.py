"""Real model files of realistic size are scanned complete, far from every limit.

A stopped scan blocks (``MODEL-SCAN-INCOMPLETE`` is high), so the limits must sit where no
ordinary model reaches them. Each file here is written by its library's own save function (or,
for multi-GB checkpoints, with torch's own record layout and the tensor bytes left as holes in
a sparse file, see ``corpus/large.py``) and must scan with no limit reached, nothing at high or
above, and each budget it draws on used to a small fraction (``HEADROOM``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus.large import REALISTIC, torch_llama_7b_sparse

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

pytestmark = pytest.mark.slow
# fraction of each limit a real file may use: opcodes and decompressed bytes a tenth, archive
# members a third (the largest single-file checkpoints hold tens of thousands of tensors)
HEADROOM = {"opcodes": 0.1, "decompressed": 0.1, "members": 1 / 3}


def budget_use(report: Report) -> dict[str, float]:
    """How much of each limit the scan drew on, from what ``metrics.files`` records."""
    limits = Settings().modelscan
    files = report.metrics["files"]
    return {
        "opcodes": sum(e.get("opcodes", 0) for e in files) / limits.max_opcodes,
        "decompressed": sum(e.get("decompressed_bytes", 0) for e in files)
        / (limits.max_decompressed_mb << 20),
        "members": max((e.get("members", 0) for e in files), default=0) / limits.max_members,
    }


def assert_complete(report: Report) -> None:
    described = [f"{f.severity.label} {f.rule}: {f.detail}" for f in report.findings]
    assert not [f for f in report.findings if f.rule == "MODEL-SCAN-INCOMPLETE"], described
    assert not report.at_or_above(Severity.HIGH), described
    use = budget_use(report)
    assert all(use[name] < HEADROOM[name] for name in HEADROOM), use


@pytest.mark.parametrize("name", REALISTIC)
def test_real_model_is_scanned_complete(name: str, tmp_path: Path) -> None:
    path = REALISTIC[name](tmp_path)
    assert_complete(scan_model(path))
    if name == "keras_mobilenet":
        assert_complete(scan_model(tmp_path / "mobilenet.h5"))


def test_sparse_checkpoint_is_a_real_torch_checkpoint(tmp_path: Path) -> None:
    """torch itself accepts the sparse 7B-class file (mapped, so no tensor byte is read)."""
    torch = pytest.importorskip("torch")
    path = torch_llama_7b_sparse(tmp_path)
    assert path.stat().st_size > 13_000_000_000
    assert os.stat(path).st_blocks * 512 < 16 << 20  # written sparsely
    state = torch.load(path, mmap=True, weights_only=True)  # our own benign file
    assert len(state) == 291 and state["lm_head.weight"].shape == (32000, 4096)
    report = scan_model(path)
    (checkpoint,) = [e for e in report.metrics["files"] if e["format"] == "pytorch-zip"]
    assert checkpoint["storages"] == 291 and report.findings == []
