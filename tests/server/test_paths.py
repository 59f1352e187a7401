"""The server's path boundary on its own (no server): what a browser's path may name."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_notebook

from mlsecops_jupyter.server.paths import Refused, resolve_notebook, without_root


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    (folder / "sub").mkdir(parents=True)
    nbformat.write(new_notebook(), folder / "sub" / "a.ipynb")
    (tmp_path / "outside.ipynb").write_text("{}")
    (folder / "out.ipynb").symlink_to(tmp_path / "outside.ipynb")
    (folder / "in.ipynb").symlink_to(folder / "sub" / "a.ipynb")
    (folder / "loop.ipynb").symlink_to(folder / "loop.ipynb")
    return folder


def _refusal(root: Path, path: object) -> tuple[int, str]:
    with pytest.raises(Refused) as caught:
        resolve_notebook(root, path)
    return caught.value.status, caught.value.message


def test_paths_inside_the_root_resolve(root: Path) -> None:
    assert resolve_notebook(root, "sub/a.ipynb") == root.resolve() / "sub" / "a.ipynb"
    assert resolve_notebook(root, "in.ipynb") == root.resolve() / "sub" / "a.ipynb"
    assert resolve_notebook(root, " sub\\a.ipynb ") == root.resolve() / "sub" / "a.ipynb"


@pytest.mark.parametrize(("path", "status", "message"), [
    (None, 400, "missing 'path': the notebook's path relative to the server's root"),
    ("  ", 400, "missing 'path': the notebook's path relative to the server's root"),
    (5, 400, "'path' must be a string: the notebook's path relative to the server's root"),
    (["a.ipynb"], 400, "'path' must be a string: the notebook's path relative to the server's "
                       "root"),
    ("\ud800.ipynb", 400, "'path' holds a NUL character or text that is not valid UTF-8"),
    ("a\x00.ipynb", 400, "'path' holds a NUL character or text that is not valid UTF-8"),
    ("a" * 256 + ".ipynb", 400, "'path' is too long (4096 bytes at most, 255 per name)"),
    ("a/" * 2049, 400, "'path' is too long (4096 bytes at most, 255 per name)"),
    ("../outside.ipynb", 403, "path is outside the server's root"),
    ("/etc/x.ipynb", 403, "path is outside the server's root"),
    ("out.ipynb", 403, "path is outside the server's root"),
    ("loop.ipynb", 404, "cannot resolve loop.ipynb (a symlink loop, or a folder that cannot be "
                        "read)"),
    ("sub/b.ipynb", 404, "no such notebook: sub/b.ipynb"),
    ("sub", 404, "not a notebook (.ipynb): sub"),
])
def test_paths_that_are_refused(root: Path, path: object, status: int, message: str) -> None:
    assert _refusal(root, path) == (status, message)


def test_without_root_takes_out_the_root_and_nothing_else() -> None:
    text = "at /srv/r/x.ipynb, /srv/rest/y, /srv/r.bak, /srv/r. and /srv/r"
    assert without_root(text, "/srv/r") == "at x.ipynb, /srv/rest/y, /srv/r.bak, .. and ."
    assert without_root("a /b", "/") == "a /b"
