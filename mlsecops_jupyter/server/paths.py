"""Map a path sent by the browser to a file under the server's root, or refuse it.

Why its own module: this is the server extension's security boundary and is tested on its own.
A path is relative to the root (as in the Contents API). After resolving every symlink the
result must still be inside the resolved root; ``..``, absolute paths and links that lead out
are refused the same way, with 403, so a caller learns nothing about files outside.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

OUTSIDE_ROOT = "path is outside the server's root"
NO_PATH = "missing 'path': the notebook's path relative to the server's root"
NOT_FOUND = "no such notebook: {path}"
NOT_NOTEBOOK = "not a notebook (.ipynb): {path}"


class PathRefused(Exception):
    """A path the server will not serve; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def inside(root: Path, target: Path) -> bool:
    """True when ``target`` (resolved) is ``root`` or below it (``root`` already resolved)."""
    try:
        target.resolve(strict=False).relative_to(root)
    except ValueError:
        return False
    return True


def resolve_notebook(root_dir: str | Path, path: str | None) -> Path:
    """The notebook file ``path`` names under ``root_dir``, symlinks resolved.

    Raises ``PathRefused``: 400 for no path, 403 for anything outside the root (absolute
    paths, ``..``, symlinks out), 404 for a missing file or one that is not a notebook.
    """
    if not path or not path.strip():
        raise PathRefused(400, "bad-request", NO_PATH)
    root = Path(root_dir).expanduser().resolve()
    relative = PurePosixPath(path.strip().replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or "\x00" in path:
        raise PathRefused(403, "forbidden", OUTSIDE_ROOT)
    candidate = root.joinpath(*relative.parts)
    if not inside(root, candidate):
        raise PathRefused(403, "forbidden", OUTSIDE_ROOT)
    target = candidate.resolve()
    if target.suffix != ".ipynb":
        raise PathRefused(404, "not-found", NOT_NOTEBOOK.format(path=relative))
    if not target.is_file():
        raise PathRefused(404, "not-found", NOT_FOUND.format(path=relative))
    return target


def relative_to_root(root_dir: str | Path, target: Path) -> str:
    """``target`` as the POSIX path relative to the root the browser knows it by."""
    return target.relative_to(Path(root_dir).expanduser().resolve()).as_posix()
