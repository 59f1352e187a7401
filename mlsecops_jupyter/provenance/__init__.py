"""Row provenance in the live kernel: which rows each fit saw, and which test rows leaked.

No IPython here: ``magics.py`` creates a ``KernelProvenance`` on ``%load_ext`` (it installs the
hooks once scikit-learn is imported) and stops it on ``%unload_ext``; the code-level leakage
command reads its observations and merges them with the static findings. Importing this package
imports neither numpy nor scikit-learn (``%load_ext`` budget); the names below load on use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .kernel import KernelProvenance

if TYPE_CHECKING:
    from .hooks import Hooks, install
    from .recorder import Observation, ProvenanceRecorder
    from .rows import RowPrint, containment, row_print

_LAZY = {
    "Hooks": ".hooks", "install": ".hooks", "Observation": ".recorder",
    "ProvenanceRecorder": ".recorder", "RowPrint": ".rows", "containment": ".rows",
    "row_print": ".rows",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def start(settings: Any = None, clock: Callable[[], int | None] | None = None) -> Hooks | None:
    """Install the hooks as ``settings.leakage`` says (``None`` when switched off)."""
    from .hooks import install
    from .recorder import ProvenanceRecorder

    leakage = getattr(settings, "leakage", None)
    if leakage is not None and not leakage.runtime_hooks:
        return None
    recorder = ProvenanceRecorder(
        max_rows=getattr(leakage, "max_fingerprint_rows", 2048),
        overlap=getattr(leakage, "runtime_overlap", 0.5),
        multi_test_models=getattr(leakage, "multi_test_models", 3),
        clock=clock,
    )
    return install(recorder)


__all__ = ["Hooks", "KernelProvenance", "Observation", "ProvenanceRecorder", "RowPrint",
           "containment", "install", "row_print", "start"]
