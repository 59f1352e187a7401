"""Reports and cards never carry an absolute path of the author's machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsecops_jupyter.core.display_path import display_path


def test_paths_under_the_working_directory_become_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "sub" / "nb.ipynb") == str(Path("sub") / "nb.ipynb")


def test_paths_elsewhere_keep_only_their_name(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(tmp_path / "other" / "nb.ipynb") == "nb.ipynb"


def test_relative_paths_are_kept_as_given() -> None:
    assert display_path("notebooks/nb.ipynb") == "notebooks/nb.ipynb"
