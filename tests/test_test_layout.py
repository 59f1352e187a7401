"""The test tree itself: pytest imports test files by basename (rootdir-based, no packages), so
two ``test_x.py`` in different folders stop the whole run at collection. CI once failed that way.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_module_has_a_unique_basename() -> None:
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    clashes = sorted(name for name, count in names.items() if count > 1)
    assert clashes == [], f"test modules sharing a basename: {clashes}"
