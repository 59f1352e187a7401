"""mlsecops_jupyter: security and responsibility checks for machine learning, inline in Jupyter.

``%load_ext mlsecops_jupyter`` registers the ``%mlsec`` magic. The public Python API is listed in
``__all__`` and imported lazily, so importing the package (and loading the extension) stays fast:
each check pays for its own heavy dependencies when it first runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .card import ModelCard, build_card, build_mlbom
    from .checks.drift import check_drift
    from .checks.explain import explain
    from .checks.fairness import check_bias
    from .checks.leakage import check_code_leakage, check_leakage
    from .checks.modelscan import scan_model
    from .checks.pii import scan_pii, scan_text
    from .checks.pii.notebook import redact_notebook, scan_notebook
    from .checks.pii.redaction import redact_frame
    from .checks.poisoning import check_poisoning
    from .core import (
        Finding,
        Location,
        MLSecCheckFailed,
        MLSecError,
        Report,
        Settings,
        Severity,
    )

_LAZY = {
    "ModelCard": "mlsecops_jupyter.card",
    "build_card": "mlsecops_jupyter.card",
    "build_mlbom": "mlsecops_jupyter.card",
    "check_bias": "mlsecops_jupyter.checks.fairness",
    "check_drift": "mlsecops_jupyter.checks.drift",
    "check_code_leakage": "mlsecops_jupyter.checks.leakage",
    "check_leakage": "mlsecops_jupyter.checks.leakage",
    "check_poisoning": "mlsecops_jupyter.checks.poisoning",
    "scan_model": "mlsecops_jupyter.checks.modelscan",
    "scan_pii": "mlsecops_jupyter.checks.pii",
    "scan_text": "mlsecops_jupyter.checks.pii",
    "scan_notebook": "mlsecops_jupyter.checks.pii.notebook",
    "redact_notebook": "mlsecops_jupyter.checks.pii.notebook",
    "redact_frame": "mlsecops_jupyter.checks.pii.redaction",
    "explain": "mlsecops_jupyter.checks.explain",
    "Finding": "mlsecops_jupyter.core",
    "Location": "mlsecops_jupyter.core",
    "MLSecCheckFailed": "mlsecops_jupyter.core",
    "MLSecError": "mlsecops_jupyter.core",
    "Report": "mlsecops_jupyter.core",
    "Settings": "mlsecops_jupyter.core",
    "Severity": "mlsecops_jupyter.core",
}

__all__ = [
    "ModelCard",
    "build_card",
    "build_mlbom",
    "Finding",
    "Location",
    "MLSecCheckFailed",
    "MLSecError",
    "Report",
    "Settings",
    "Severity",
    "__version__",
    "explain",
    "check_bias",
    "check_code_leakage",
    "check_drift",
    "check_leakage",
    "check_poisoning",
    "scan_model",
    "scan_pii",
    "scan_notebook",
    "redact_notebook",
    "redact_frame",
    "scan_text",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mlsecops_jupyter' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext mlsecops_jupyter``: register ``%mlsec`` and the report display."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unload_ipython_extension as unload

    unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """The prebuilt sidebar panel (the wheel installs the same files via shared-data)."""
    return [{"src": "labextension", "dest": "mlsecops-jupyter"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The REST endpoints of the panel live in ``mlsecops_jupyter.server`` (tornado: lazy)."""
    return [{"module": "mlsecops_jupyter.server"}]
