"""How reports and cards name a file: never an absolute path of the author's machine.

Cards, reports and SARIF leave the machine they were made on; an absolute path tells a reader
the author's user name and folder layout and means nothing elsewhere. A path under the working
directory is shown relative to it, anything else by its name.
"""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it lies under it, else its file name."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return str(candidate)
    try:
        return str(candidate.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return candidate.name
