"""Reading a table a user names by path: CSV or Parquet, chosen by content, one-line errors.

Shared by every check and command that accepts files (leakage, bias, pii, redact), so a missing
or unreadable file gives the same clear message everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import MLSecInputError

READ_FAILED = "cannot read {path}: {reason}"
MISSING_FILE = "{path} does not exist"


def read_table(path: str | os.PathLike[str]) -> Any:
    """A DataFrame from a CSV or Parquet file (Parquet files start with ``PAR1``)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise MLSecInputError(MISSING_FILE.format(path=path))
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
        if magic == b"PAR1":
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (OSError, ValueError, ImportError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise MLSecInputError(READ_FAILED.format(path=path, reason=reason)) from None
