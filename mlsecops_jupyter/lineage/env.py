"""The environment of a recording session: Python, platform, and the packages in use.

Written once per session (when recording starts); packages imported later are reported on the
cell record that imported them (``packages``), so a model card can list every library that
touched the model without scanning the whole installation. Only imported third-party top-level
modules are looked up (a few hundred microseconds each), never every installed distribution.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import platform
import sys
from typing import Any

from .._version import __version__

# Import name -> distribution name, where they differ (the usual suspects of ML work).
DISTRIBUTION_OF: dict[str, str] = {
    "sklearn": "scikit-learn", "skimage": "scikit-image", "cv2": "opencv-python",
    "PIL": "pillow", "yaml": "PyYAML", "bs4": "beautifulsoup4", "dateutil": "python-dateutil",
    "google": "protobuf", "attr": "attrs", "jwt": "PyJWT", "Crypto": "pycryptodome",
    "dotenv": "python-dotenv", "tf_keras": "tf-keras", "lightgbm": "lightgbm",
    "presidio_analyzer": "presidio-analyzer", "mlsecops_jupyter": "mlsecops-jupyter",
}

# Packages a model card lists first (the rest are still recorded, for the ML-BOM).
PACKAGES_OF_INTEREST = frozenset({
    "numpy", "pandas", "scipy", "scikit-learn", "torch", "tensorflow", "keras", "jax",
    "xgboost", "lightgbm", "catboost", "statsmodels", "transformers", "datasets", "onnx",
    "onnxruntime", "safetensors", "joblib", "shap", "fairlearn", "presidio-analyzer",
    "polars", "pyarrow", "mlsecops-jupyter",
})

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__main__", "builtins"}


def top_level_modules() -> set[str]:
    """Third-party top-level modules currently imported."""
    return {name for name in list(sys.modules)
            if "." not in name and not name.startswith("_") and name not in _STDLIB}


def package_versions(modules: set[str]) -> dict[str, str]:
    """``{distribution: version}`` for the given imported modules (unknown ones left out)."""
    versions: dict[str, str] = {}
    for module in sorted(modules):
        distribution = DISTRIBUTION_OF.get(module, module)
        try:
            versions[distribution] = metadata.version(distribution)
        except (metadata.PackageNotFoundError, ValueError):
            version = getattr(sys.modules.get(module), "__version__", None)
            if isinstance(version, str):
                versions[distribution] = version
    return versions


def environment(notebook: str | None = None) -> dict[str, Any]:
    """The ``env`` member of a session record."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "executable": sys.executable,
        "pid": os.getpid(),
        "tool_version": __version__,
        "notebook": notebook,
        "packages": package_versions(top_level_modules()),
    }


class ImportWatcher:
    """Reports packages imported since the last call; costs one ``len`` when nothing changed."""

    def __init__(self) -> None:
        self._module_count = len(sys.modules)
        self._seen = top_level_modules()

    def new_packages(self) -> dict[str, str]:
        if len(sys.modules) == self._module_count:
            return {}
        self._module_count = len(sys.modules)
        current = top_level_modules()
        fresh = current - self._seen
        self._seen |= fresh
        return package_versions(fresh) if fresh else {}
