"""A notebook with known static findings, shared by the check, REST and browser tests."""

from __future__ import annotations

import shlex
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def canary_pickle_cell(marker: Path) -> str:
    """A cell writing ``evil.bin``: a pickle whose payload, were it ever loaded, would only
    touch ``marker`` (the session's canary; the autouse guard fails any test if it appears)."""
    command = f"touch {shlex.quote(str(marker))}"
    return ("import os, pickle\n"
            "class P:\n"
            "    def __reduce__(self):\n"
            f"        return (os.system, ({command!r},))\n"
            "open('evil.bin', 'wb').write(pickle.dumps(P()))")


EMAIL_CELL = "contact = 'jane.doe@example.org'"
LEAKY_CELL = ("from sklearn.preprocessing import StandardScaler\n"
              "from sklearn.model_selection import train_test_split\n"
              "import numpy as np\n"
              "X = np.random.rand(10, 2); y = np.arange(10) % 2\n"
              "X = StandardScaler().fit_transform(X)\n"
              "X_tr, X_te, y_tr, y_te = train_test_split(X, y)")


def static_notebook(path: Path) -> Path:
    """Cell 1 holds an e-mail address, cell 2 scales before the split (a leak)."""
    nbformat.write(new_notebook(cells=[new_markdown_cell("# static"),
                                       new_code_cell(EMAIL_CELL),
                                       new_code_cell(LEAKY_CELL)]), path)
    return path
