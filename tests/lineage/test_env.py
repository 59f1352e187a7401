"""The session's environment record and the packages imported along the way."""

from __future__ import annotations

import platform
import sys

import numpy

from mlsecops_jupyter._version import __version__
from mlsecops_jupyter.lineage.env import (
    ImportWatcher,
    environment,
    package_versions,
    top_level_modules,
)


def test_environment_names_python_platform_and_tool():
    env = environment("nb.ipynb")
    assert env["python"] == platform.python_version()
    assert env["tool_version"] == __version__
    assert env["notebook"] == "nb.ipynb"
    assert env["packages"]["numpy"] == numpy.__version__


def test_import_names_map_to_distributions():
    import sklearn

    versions = package_versions({"sklearn", "numpy"})
    assert versions == {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__}


def test_standard_library_is_not_a_package():
    assert "json" not in top_level_modules() and "os" not in top_level_modules()


def test_watcher_reports_only_new_imports(monkeypatch):
    watcher = ImportWatcher()
    assert watcher.new_packages() == {}
    import types

    fake = types.ModuleType("mlsec_fake_pkg")
    fake.__version__ = "9.9"
    monkeypatch.setitem(sys.modules, "mlsec_fake_pkg", fake)
    assert watcher.new_packages() == {"mlsec_fake_pkg": "9.9"}
    assert watcher.new_packages() == {}
