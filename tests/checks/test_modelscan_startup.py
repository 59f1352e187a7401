"""Start-up of ``mlsec scan FILE.pkl``: what a pickle scan does not need is never imported.

On a small file the process is nearly all interpreter start and imports (issue 15: at most
picklescan's CPU time; ``benchmarks/model_scan.py --part startup`` measures it). Timing is too
noisy for a test, so this checks the cause instead: a whole ``mlsec scan`` process, run in a
folder without a settings file, must not import the modules only other formats, outputs or
front ends use.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

NOT_FOR_A_PICKLE = {
    "json", "html", "hashlib", "difflib", "tomllib", "tempfile", "random", "threading",
    "importlib.resources", "pickle", "tarfile", "zipfile",
    "mlsecops_jupyter.checks.modelscan.zipscan", "mlsecops_jupyter.checks.modelscan.compressed",
    "mlsecops_jupyter.checks.modelscan.torch_scan", "mlsecops_jupyter.display.html",
}

PROBE = """
import sys
from mlsecops_jupyter.cli import main
code = main(["scan", sys.argv[1]])
modules = sorted(sys.modules)
sys.stdout.write("\\n@@modules " + " ".join(modules) + "\\n")
sys.exit(code)
"""


def test_a_pickle_scan_imports_only_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "small.pkl"
    path.write_bytes(pickle.dumps({"weights": [0.5, 1.5], "name": "tiny"}, protocol=4))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", PROBE,
                           str(path)], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no findings" in done.stdout
    modules = set(done.stdout.rpartition("@@modules ")[2].split())
    assert "mlsecops_jupyter.checks.modelscan.pickle_scan" in modules
    assert not modules & NOT_FOR_A_PICKLE, sorted(modules & NOT_FOR_A_PICKLE)
