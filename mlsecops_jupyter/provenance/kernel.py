"""The provenance hooks' life in a kernel: installed when scikit-learn arrives, removed on unload.

Installing imports ``sklearn.base`` (about half a second), so ``%load_ext`` does not do it: the
hooks go in before the first cell that imports scikit-learn or imblearn runs (that cell pays the
import anyway), or at once when scikit-learn is already imported. ``leakage.runtime_hooks`` is
read before every cell, so ``%mlsec config --set leakage.runtime_hooks=false`` takes the hooks
out from the next cell on (and ``true`` puts them back). Nothing here imports IPython:
``before_cell`` takes IPython's ``ExecutionInfo`` as a plain object.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

WATCHED = ("sklearn", "imblearn")


class KernelProvenance:
    """Owns the hooks and the recorder of one kernel session.

    ``settings`` is the session's ``Settings``, or a function returning the current one (the
    magic passes one, so ``%mlsec config`` changes apply); ``shell`` is anything with an
    ``execution_count`` (the IPython shell), used to stamp each observation with its cell.
    """

    def __init__(self, settings: Any, shell: Any = None) -> None:
        self._settings: Callable[[], Any] = settings if callable(settings) else (
            lambda: settings)
        self.shell = shell
        self.hooks: Any = None
        self.execution_count: int | None = None
        self.stopped = False
        # told of every top-level fit (``ProvenanceRecorder.fit_listeners``), installed or not
        self.fit_listeners: list[Callable[..., None]] = []
        if self.enabled and any(name in sys.modules for name in WATCHED):
            self._install()

    @property
    def settings(self) -> Any:
        return self._settings()

    @property
    def enabled(self) -> bool:
        leakage = getattr(self.settings, "leakage", None)
        return not self.stopped and bool(getattr(leakage, "runtime_hooks", True))

    @property
    def observations(self) -> list[Any]:
        return list(self.hooks.recorder.observations) if self.hooks is not None else []

    def before_cell(self, info: Any = None) -> None:
        """``pre_run_cell``: remember the cell's number; install when scikit-learn is coming."""
        count = getattr(self.shell, "execution_count", None)
        if isinstance(count, int) and getattr(info, "store_history", False):
            count -= 1  # IPython has already counted the cell it is about to run
        count = count if isinstance(count, int) else None
        if count is not None and self.execution_count is not None and \
                count < self.execution_count and self.hooks is not None:
            self.hooks.recorder.clear()  # the shell was reset: a new session starts
        self.execution_count = count
        if not self.enabled:
            self._uninstall()
            return
        if self.hooks is not None:
            return
        raw = getattr(info, "raw_cell", "") or ""
        if any(name in sys.modules for name in WATCHED) or any(name in raw for name in WATCHED):
            self._install()

    def _install(self) -> None:
        from . import start

        try:
            self.hooks = start(self.settings, clock=lambda: self.execution_count)
        except ImportError:  # pragma: no cover - scikit-learn missing or broken
            self.hooks = None
        if self.hooks is not None:
            self.hooks.recorder.fit_listeners = self.fit_listeners  # shared: later ones too

    def _uninstall(self) -> None:
        if self.hooks is not None:
            self.hooks.uninstall()
            self.hooks = None

    def stop(self) -> None:
        """Remove the hooks for good (``%unload_ext``); observations made are dropped."""
        self.stopped = True
        self._uninstall()
