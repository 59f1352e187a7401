"""Map a path sent by the browser to a file under the server's root, or refuse it.

Why its own module: this is the server extension's security boundary and is tested on its own.
A path is relative to the root (as in the Contents API). After resolving every symlink the
result must still be inside the resolved root; ``..``, absolute paths and links that lead out
are refused the same way, with 403, so a caller learns nothing about files outside. A path
that is no path at all (not a string, too long, NUL, not encodable) is a 400, and one that
cannot be resolved (a symlink loop) a 404: never an exception that would become a 500.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

OUTSIDE_ROOT = "path is outside the server's root"
NO_PATH = "missing 'path': the notebook's path relative to the server's root"
NOT_TEXT = "'path' must be a string: the notebook's path relative to the server's root"
BAD_CHARACTERS = "'path' holds a NUL character or text that is not valid UTF-8"
TOO_LONG = "'path' is too long ({limit} bytes at most, {part} per name)"
NOT_FOUND = "no such notebook: {path}"
NOT_NOTEBOOK = "not a notebook (.ipynb): {path}"
UNRESOLVABLE = "cannot resolve {path} (a symlink loop, or a folder that cannot be read)"
MAX_PATH_BYTES = 4096
MAX_NAME_BYTES = 255


class Refused(Exception):
    """A request the server will not serve; ``status`` is the HTTP status to answer with.

    ``retry_after`` (seconds) is set when the refusal is temporary (a cap was reached).
    """

    def __init__(self, status: int, code: str, message: str,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


PathRefused = Refused  # the name the handlers used first


def root_of(root_dir: str | Path) -> Path:
    """The server's root, resolved: every containment test compares against this."""
    return Path(root_dir).expanduser().resolve()


def inside(root: Path, target: Path) -> bool:
    """True when ``target`` (resolved) is ``root`` or below it (``root`` already resolved).

    A target that cannot be resolved (a loop, a name the OS refuses) is not inside.
    """
    try:
        target.resolve(strict=False).relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _relative(path: object) -> PurePosixPath:
    """``path`` as a relative POSIX path, or ``Refused`` saying what is wrong with it."""
    if path is None or (isinstance(path, str) and not path.strip()):
        raise Refused(400, "bad-request", NO_PATH)
    if not isinstance(path, str):
        raise Refused(400, "bad-request", NOT_TEXT)
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from JSON escapes such as "\ud800"
        raise Refused(400, "bad-request", BAD_CHARACTERS) from None
    if "\x00" in path:
        raise Refused(400, "bad-request", BAD_CHARACTERS)
    relative = PurePosixPath(path.strip().replace("\\", "/"))
    if len(encoded) > MAX_PATH_BYTES or any(len(part.encode("utf-8")) > MAX_NAME_BYTES
                                            for part in relative.parts):
        raise Refused(400, "bad-request", TOO_LONG.format(limit=MAX_PATH_BYTES,
                                                          part=MAX_NAME_BYTES))
    if relative.is_absolute() or ".." in relative.parts:
        raise Refused(403, "forbidden", OUTSIDE_ROOT)
    return relative


def resolve_notebook(root_dir: str | Path, path: object) -> Path:
    """The notebook file ``path`` names under ``root_dir``, symlinks resolved.

    Raises ``Refused``: 400 for no path or one that is not a path, 403 for anything outside
    the root (absolute paths, ``..``, symlinks out), 404 for a missing or unresolvable file or
    one that is not a notebook. Whether it is a *regular* file is decided when it is opened
    (``files.opened_regular``), on the open descriptor, not here.
    """
    relative = _relative(path)
    root = root_of(root_dir)
    try:
        target = root.joinpath(*relative.parts).resolve(strict=False)
        exists = os.path.lexists(target)
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (3.11, 3.12)
        raise Refused(404, "not-found", UNRESOLVABLE.format(path=relative)) from None
    if not target.is_relative_to(root):
        raise Refused(403, "forbidden", OUTSIDE_ROOT)
    if target.suffix != ".ipynb":
        raise Refused(404, "not-found", NOT_NOTEBOOK.format(path=relative))
    if not exists:
        raise Refused(404, "not-found", NOT_FOUND.format(path=relative))
    return target


def without_root(text: str, root: str) -> str:
    """``text`` with the absolute folder ``root`` taken out: ``root/a/b`` becomes ``a/b`` and
    ``root`` alone ``.`` (a longer name that merely starts with it is left alone). A root of
    ``/`` hides nothing: every path is relative to it already."""
    if root in ("", os.sep):
        return text
    text = text.replace(root + os.sep, "")
    return re.sub(re.escape(root) + r"(?![\w-]|\.\w)", ".", text)


def relative_to_root(root_dir: str | Path, target: Path) -> str:
    """``target`` as the POSIX path relative to the root the browser knows it by."""
    return target.relative_to(root_of(root_dir)).as_posix()
