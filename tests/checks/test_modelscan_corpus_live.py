"""Corpus self-test: the payloads of the newer attack classes really run when their file is loaded.

A probe that would not run proves nothing about the scanner, so each sample below is written a
second time with its own marker in a private folder (never the session canary marker the
scanning tests guard) and loaded by the real loader in a child process: ``pickle.load`` of the
file (unbuffered where the class needs it), ``torch.load(weights_only=False)``. The only
effect of a payload is ``touch <marker>``.
This is the one place where corpus samples are loaded; every scanning test still asserts the
session marker never appears, and ``test_modelscan_corpus`` checks each of these is blocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import SPECS
from corpus.canary import Canary

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.severity import Severity

# sample -> how its victim loads it
LIVE = {
    "frame-desync-file-object": "pickle-unbuffered-file",
    "frame-desync-next-load": "pickle-file-twice",
    "torch-zip-frame-desync": "torch",
    "torch-legacy-frame-next-load": "torch",
    "torch-tar-object-payload": "torch",
    "torch-tar-storage-payload": "torch",
    "torch-tar-tensor-payload": "torch",
    "load-from-bytes-zip": "pickle-file",
    "load-from-bytes-legacy": "pickle-file",
    "numpy-load-embedded": "pickle-file",
}

LOADER = """
import json, pickle, sys
cases = json.loads(sys.argv[1])
for path, how in cases:
    try:
        if how == "torch":
            import torch
            torch.load(path, weights_only=False)
        else:  # an unbuffered file has no peek: the unpickler reads FRAMEs as torch.load does
            buffering = 0 if how == "pickle-unbuffered-file" else -1
            with open(path, "rb", buffering=buffering) as handle:
                pickle.load(handle)
                if how == "pickle-file-twice":
                    pickle.load(handle)
    except Exception:
        pass  # a payload's return value often breaks the load after it ran
"""


@pytest.fixture(scope="module")
def live_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each sample written with a marker of its own: name -> (file, marker)."""
    root = tmp_path_factory.mktemp("live-corpus")
    specs = {spec.name: spec for spec in SPECS}
    samples = {}
    for name in LIVE:
        folder = root / name
        folder.mkdir()
        marker = folder / "LIVE-MARKER"
        path = folder / specs[name].filename
        specs[name].write(path, Canary(marker))
        samples[name] = (path, marker)
    return samples


def test_every_sample_is_in_the_corpus() -> None:
    malicious = {spec.name for spec in SPECS if spec.kind == "malicious"}
    assert set(LIVE) <= malicious


def test_the_payloads_run_when_loaded(live_samples: dict[str, tuple[Path, Path]]) -> None:
    cases = [(str(path), LIVE[name]) for name, (path, _) in live_samples.items()]
    subprocess.run([sys.executable, "-c", LOADER, json.dumps(cases)], check=True,
                   capture_output=True, timeout=300)
    silent = [name for name, (_, marker) in live_samples.items() if not marker.exists()]
    assert not silent, f"payloads that did not run on load: {silent}"


def test_the_frame_desync_payload_is_invisible_to_a_linear_read(tmp_path: Path) -> None:
    """``pickle.loads`` of the same bytes does not run it: only the file-object reading does."""
    spec = next(spec for spec in SPECS if spec.name == "frame-desync-file-object")
    marker = tmp_path / "LINEAR-MARKER"
    path = tmp_path / spec.filename
    spec.write(path, Canary(marker))
    script = "import pickle, sys\nprint(pickle.loads(open(sys.argv[1], 'rb').read()))\n"
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=60, check=True)
    assert "weights" in done.stdout and not marker.exists()


@pytest.mark.parametrize("name", LIVE)
def test_the_live_files_are_blocked(name: str, live_samples: dict[str, tuple[Path, Path]]) -> None:
    """The very files that ran are blocked at high or above by the scan."""
    path, _ = live_samples[name]
    report = scan_model(path)
    assert report.at_or_above(Severity.HIGH), [f.rule for f in report.findings]
