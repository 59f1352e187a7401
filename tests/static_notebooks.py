"""A notebook with known static findings, shared by the check, REST and browser tests.

The notebook is data (``tests/corpus/labelled-notebooks/static.ipynb``); the cells the browser
tests type into a live notebook stay here, since one of them holds the session's canary path.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "corpus" / "labelled-notebooks" / "static.ipynb"


def canary_pickle_cell(marker: Path) -> str:
    """A cell writing ``evil.bin``: a pickle whose payload, were it ever loaded, would only
    touch ``marker`` (the session's canary; the autouse guard fails any test if it appears)."""
    command = f"touch {shlex.quote(str(marker))}"
    return ("import os, pickle\n"
            "class P:\n"
            "    def __reduce__(self):\n"
            f"        return (os.system, ({command!r},))\n"
            "open('evil.bin', 'wb').write(pickle.dumps(P()))")


EMAIL_CELL = "contact = 'jane.doe@example.org'"  # cell 1 of the stored notebook, too


def static_notebook(path: Path) -> Path:
    """Copy the stored notebook to ``path``: cell 1 holds an e-mail address, cell 2 scales
    before the split (a leak)."""
    shutil.copyfile(STATIC, path)
    return path
