"""Keep a fitted model's training data as its drift reference, beside the lineage log.

The runtime hooks call ``on_fit`` after every top-level ``fit`` of a model (an estimator that
predicts); the data and label passed to it are held until the cell ends. Then, for each such
model still bound to a variable of the notebook, a bounded sample goes to
``.mlsec/reference/<key>.parquet`` and a ``drift-reference`` record to the lineage log through
the recorder's public ``record_check`` (``checks/drift/reference.py`` says what they hold).
Waiting for the end of the cell is what makes this cheap: a loop fitting a hundred models writes
one sample, for the one that stays, and only a model bound to a name can be asked for later.

``%mlsec drift MODEL NEW_DATA`` asks ``reference_of(model)`` first (the very object fitted in
this kernel), then the log by the variable's name (a kernel restarted since). Nothing here may
break a cell: every failure is logged once and recording goes on. No IPython, no heavy import
at load time (``%load_ext`` budget).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("mlsecops_jupyter.provenance")

FIT_METHODS = ("fit", "partial_fit")  # fit_transform / fit_resample make data, not models


class ReferenceCapture:
    """Training data of the models fitted in the running cell, stored when the cell ends.

    Parameters
    ----------
    settings
        Returns the session's current ``Settings`` (``drift.record_reference``,
        ``drift.reference_rows``, ``drift.seed``).
    recorder
        The ``LineageRecorder``: its ``path`` decides the folder, ``record_check`` takes the
        record. ``None`` (lineage off): samples go to ``.mlsec/reference`` under the working
        directory and are only known to this kernel.
    shell
        Anything with a ``user_ns`` mapping (the IPython shell).
    """

    def __init__(self, settings: Callable[[], Any], recorder: Any = None,
                 shell: Any = None) -> None:
        self._settings = settings
        self.recorder = recorder
        self.shell = shell
        self.pending: dict[int, tuple[Any, Any, Any, Any]] = {}
        self.live: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
        self.errors = 0

    @property
    def folder(self) -> Path:
        """Where samples are written: ``reference/`` beside the lineage log."""
        from ..checks.drift.reference import REFERENCE_DIR

        if self.recorder is not None:
            return Path(self.recorder.path).parent / REFERENCE_DIR
        return Path.cwd() / ".mlsec" / REFERENCE_DIR

    def on_fit(self, estimator: Any, method: str, data: Any, target: Any, kind: str) -> None:
        """Hook listener: remember what a model was just fitted on (nothing is copied)."""
        drift = getattr(self._settings(), "drift", None)
        if drift is None or not drift.record_reference or kind != "model" or \
                method not in FIT_METHODS or data is None:
            return
        try:
            handle = weakref.ref(estimator)
        except TypeError:  # an estimator that refuses weak references: nothing to key it by
            return
        self.pending[id(estimator)] = (handle, data, target, method)

    def after_cell(self, result: Any = None) -> None:
        """``post_run_cell``: store a sample for each fitted model bound to a variable."""
        pending, self.pending = self.pending, {}
        if not pending:
            return
        namespace = getattr(self.shell, "user_ns", None) or {}
        for handle, data, target, _method in pending.values():
            estimator = handle()
            if estimator is None:
                continue
            names = sorted(name for name, value in list(namespace.items())
                           if value is estimator and not name.startswith("_"))
            if not names:
                continue
            try:
                self._store(names, estimator, data, target)
            except Exception as exc:  # the user's cell must never break
                self.errors += 1
                if self.errors == 1:
                    log.warning("mlsec drift: the reference data of %s was not recorded "
                                "(%s: %s); shown once", names[0], type(exc).__name__, exc)

    def _store(self, names: list[str], estimator: Any, data: Any, target: Any) -> None:
        from ..checks.drift.reference import (
            reference_report,
            reference_sample,
            sample_key,
            write_sample,
        )
        from ..lineage.fingerprint import data_kind, fingerprint

        drift = self._settings().drift
        fingerprints = [fingerprint(value) if data_kind(value) else None
                        for value in (data, target)]
        sample, label, rows_total = reference_sample(data, target, drift.reference_rows,
                                                     drift.seed)
        key = sample_key(fingerprints, drift.reference_rows, drift.seed)
        path, sha256 = write_sample(sample, self.folder, key)
        cls = type(estimator)
        meta: dict[str, Any] = {
            "file": f"{path.parent.name}/{path.name}",
            "sha256": sha256,
            "rows_total": rows_total,
            "sample_rows": len(sample),
            "sample": f"seeded uniform random sample (seed {drift.seed}) of at most "
                      f"{drift.reference_rows} rows",
            "columns": [c for c in sample.columns if c != label],
            "target": label,
            "estimator": f"{cls.__module__}.{cls.__qualname__}",
            "fingerprint": _short(fingerprints[0]),
            "target_fingerprint": _short(fingerprints[1]),
        }
        self.live[estimator] = {**meta, "path": str(path)}
        if self.recorder is not None:
            for name in names:
                self.recorder.record_check(reference_report(name, meta))

    def reference_of(self, estimator: Any) -> dict[str, Any] | None:
        """The reference recorded for this very object in this kernel, if any."""
        try:
            return self.live.get(estimator)
        except TypeError:
            return None


def _short(fingerprint: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parts of a lineage fingerprint that identify the data (no column lists)."""
    if fingerprint is None:
        return None
    return {k: fingerprint.get(k) for k in ("kind", "shape", "content_sha256", "rows_total",
                                            "rows_hashed", "sample")}
