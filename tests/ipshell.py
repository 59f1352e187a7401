"""The in-process IPython shell with our extension loaded, shared by the magic tests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@contextlib.contextmanager
def loaded_shell(workdir: Path) -> Iterator[Any]:
    """IPython's in-process test shell with ``%load_ext mlsecops_jupyter``, working in ``workdir``.

    ``MLSEC_*`` variables are removed (a developer's environment must not change results) and the
    working directory is ``workdir``, so lineage logs land there. ``start_ipython`` returns
    ``None`` once another module started the shell (and rebinds ``get_ipython``): look it up after.
    """
    from IPython.testing import globalipapp

    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("MLSEC_")]:
            patch.delenv(key)
        patch.chdir(workdir)
        shell = globalipapp.start_ipython() or globalipapp.get_ipython()
        shell.run_line_magic("load_ext", "mlsecops_jupyter")
        try:
            yield shell
        finally:
            shell.run_line_magic("unload_ext", "mlsecops_jupyter")
