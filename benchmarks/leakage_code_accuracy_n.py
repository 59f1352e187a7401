"""Accuracy of the code-level leakage check on held-out corpus N (``leakage_corpus_n.py``).

The same scoring as corpus B (strict: rule + cell + line; loose: rule + cell; every false
positive and negative with the detector's detail; CPU time per notebook), on corpus N, which was
written without reading the detector::

    python benchmarks/leakage_code_accuracy_n.py [--corpus DIR] [--rebuild] [--repeats 5] [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import leakage_code_accuracy_b  # noqa: E402
import leakage_corpus_n  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(leakage_code_accuracy_b.main(generator=leakage_corpus_n))
