"""The cell recorder: IPython's ``pre_run_cell``/``post_run_cell`` events -> lineage records.

IPython itself is never imported: ``attach(ip)`` registers two callbacks on whatever shell it is
given, and they receive the ``ExecutionInfo`` / ``ExecutionResult`` objects the events pass.

Per executed cell one ``cell`` record: cell id (the front end's, or ``code-<sha>-<n>``: the
first 16 hex digits of the code's SHA-256 and how many times that exact code ran in this
session, which is stable across re-runs of a notebook by nbclient/nbval), execution count,
notebook, code SHA-256, redacted source, names defined/used/mutated, start and duration, outcome
(error type and redacted message), fingerprints of the frames and arrays the cell created,
changed or deleted, the files it visibly read or wrote, and packages it newly imported.

What is stored is redacted (``redact.py``): credentials always, personal data unless
``lineage.redact_pii = false``; ``code.sha256`` is the SHA-256 of the *stored* source, so the log
never carries a hash a guess of a redacted value could be checked against. Fallback ids hash the
source with every credential and every personal-data candidate masked, for the same reason.

Cost model (target: a median under 0.5 ms per ordinary cell in a real kernel, measured by
``benchmarks/lineage.py``): on the kernel's main thread one ``ast.parse`` (cached per
source), a scan of the user namespace comparing microsecond signatures, and a hand-over to the
background writer (``writer.py``). The writer redacts (cached per source), seals and appends
records in batches, once the kernel is idle: a record written on its own, before each reply,
cost more than all the rest. Content hashes are paid only for data that moved or that the cell
visibly mutated.

Durability: a cell's record is in the file once the kernel has been idle for the writer's
``IDLE_S`` (25 ms) after the cell, or at most ``MAX_AGE_S`` (half a second) after it while
cells follow each other faster; before any in-process read of the log (``read_records``,
``verify``, every ``%mlsec`` that reads it) and any check record; before a cell that may read
the log from another process starts (one naming ``mlsec`` or ``lineage``, or running a shell
command); and at exit. A kernel killed (SIGKILL, a crash) loses the records of the cells that
ended within that window; records already in the file are never touched. The first cell holding
candidate personal data is written before its reply (``_needs_first_load``). The sidebar reads
the log 400 ms after a cell completes, later than the idle write.

Robustness: any exception inside the recorder is caught, logged once per kind, and recording
goes on; the user's cell never sees it. Records that could not be written (read-only disk, full
disk) are kept in memory and written before the next record.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .env import ImportWatcher, environment
from .estimator import describe_estimator, is_estimator
from .fingerprint import (
    Limits,
    data_in_namespace,
    data_kind,
    file_fingerprint,
    fingerprint,
    signature,
)
from .names import CellNames, cell_names
from .redact import masked_for_hashing, pii_candidates, redact, text_sha256
from .settings import LineageSettings, coerce_settings
from .store import LineageStore, lineage_path_for, utc_now
from .writer import BARRIER_S, BackgroundWriter

log = logging.getLogger("mlsecops_jupyter.lineage")

SESSION_ENV = "JPY_SESSION_NAME"  # set by jupyter_server for kernels it starts: the notebook
NOTEBOOK_NAMES = ("__vsc_ipynb_file__", "__session__")  # VS Code; ipykernel's copy of the env
MAX_ERROR_CHARS = 2_000
NAMES_CACHE_SIZE = 512
MAX_PENDING = 64
# stored in place of a source or message until the writer has redacted it: if redacting ever
# failed, this (never the raw text) is what the record keeps
NOT_REDACTED = "[REDACTED:REDACTION-FAILED]"
_NOT_REDACTED_SHA256 = text_sha256(NOT_REDACTED)
_FAILED_REDACTIONS = [{"kind": "REDACTION-FAILED", "count": 1}]


@dataclass
class _Tracked:
    """A frame or array seen in the namespace: its cheap signature and last fingerprint."""

    kind: str
    signature: tuple[Any, ...]
    fingerprint: dict[str, Any] | None = None


@dataclass
class _PendingCell:
    info: Any
    cell_id: str
    id_source: str
    execution_count: int | None
    names: CellNames
    started: str
    started_perf: float
    namespace_size: int = -1
    presence: dict[str, bool] = field(default_factory=dict)


class LineageRecorder:
    """Records every executed cell and every check to the notebook's lineage file.

    Parameters
    ----------
    path_resolver
        Returns the lineage file to write; called once, on the first record. By default:
        ``settings.file``, else ``MLSEC_LINEAGE_FILE``, else ``.mlsec/`` beside the notebook
        (see ``lineage_path_for``).
    settings
        A ``LineageSettings``, a mapping of its fields, or an object with a ``lineage``
        attribute; defaults otherwise.
    """

    def __init__(self, path_resolver: Callable[[], Path] | None = None,
                 settings: Any = None) -> None:
        self.settings: LineageSettings = coerce_settings(settings)
        self.session_id = uuid.uuid4().hex
        self.errors = 0
        self._path_resolver = path_resolver or self._default_path
        self._path: Path | None = None
        self._writer: BackgroundWriter | None = None
        self._ip: Any = None
        self._stack: list[_PendingCell] = []
        self._occurrences: Counter[str] = Counter()
        self._tracked: dict[str, _Tracked] = {}
        self._file_hashes: dict[tuple[Any, ...], str] = {}
        self._imports: ImportWatcher | None = None
        self._warned: set[str] = set()
        self._session_written = False
        self._names_cache: dict[str, CellNames] = {}
        self._fallback_ids: dict[str, str] = {}
        self._code_sections: dict[str, dict[str, Any]] = {}
        self._limits = Limits(
            max_rows=self.settings.max_sample_rows,
            max_bytes=self.settings.max_hash_mb * 1024 * 1024,
            max_file_bytes=self.settings.max_file_mb * 1024 * 1024,
        )

    # -- public API ----------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The lineage file of the current notebook (resolved once, then fixed)."""
        if self._path is None:
            self._path = Path(self._path_resolver())
        return self._path

    def attach(self, ip: Any) -> None:
        """Start recording ``ip``'s cells and write the session's environment record."""
        if self._ip is ip:
            return
        self._ip = ip
        if not self.settings.enabled:
            return
        ip.events.register("pre_run_cell", self.pre_run_cell)
        ip.events.register("post_run_cell", self.post_run_cell)
        self._guard("start", self._start)

    def detach(self, ip: Any) -> None:
        """Stop recording (``%unload_ext``); records already submitted are written first."""
        for event, callback in (("pre_run_cell", self.pre_run_cell),
                                ("post_run_cell", self.post_run_cell)):
            with contextlib.suppress(ValueError):
                ip.events.unregister(event, callback)
        if self._ip is ip:
            self._ip = None
        self._stack.clear()
        self.flush()

    def append(self, body: dict[str, Any]) -> dict[str, Any]:
        """Append a record of any kind, after every record submitted before it.

        The stable way for other modules to add their own record kinds: ``body`` holds
        ``kind`` and the record's members (not ``schema``, ``seq``, ``prev``, ``hash``, which
        are filled in, nor ``session``, which is this recorder's); the stored record is
        returned once it is in the file. Should writing fail, the record is kept in memory,
        retried with the next one, and its body returned. With recording disabled nothing is
        stored and ``{}`` returned.
        """
        if not self.settings.enabled:
            return {}
        if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
            raise TypeError("a lineage record body is a dict with a str 'kind'")
        return self._append(dict(body))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every record submitted so far is in the file; False on timeout."""
        writer = self._writer
        return True if writer is None else writer.flush(timeout)

    def record_check(self, report: Any, *, cell_id: str | None = None) -> dict[str, Any]:
        """Append a ``check`` record holding the whole report, linked to its cell.

        ``report`` is a ``Report`` (or its ``to_dict()``). Without ``cell_id`` the running
        cell's id is used. Returns the stored record; should storing fail, the warning is
        logged once, the record is kept for the next write, and its unsealed body is returned.
        With recording disabled (``enabled = false``) nothing is stored and ``{}`` returned.
        """
        if not self.settings.enabled:
            return {}
        body = self._guard("check", self._check_body, report, cell_id)
        if body is None:
            return {}
        return self._append(body)

    # -- IPython events ------------------------------------------------------------------------
    def pre_run_cell(self, info: Any) -> None:
        """``pre_run_cell`` callback: remember what the cell is and when it started."""
        self._guard("pre_run_cell", self._before, info)

    def post_run_cell(self, result: Any) -> None:
        """``post_run_cell`` callback: build and append the cell's record."""
        self._guard("post_run_cell", self._after, result)

    # -- internals -----------------------------------------------------------------------------
    def _default_path(self) -> Path:
        if self.settings.file:
            return Path(self.settings.file).expanduser()
        return lineage_path_for(self.notebook_path())

    def notebook_path(self) -> str | None:
        """The notebook being recorded: setting, then jupyter_server's session, then VS Code."""
        if self.settings.notebook:
            return self.settings.notebook
        from_server = os.environ.get(SESSION_ENV)
        if from_server:
            return from_server
        namespace = getattr(self._ip, "user_ns", None) or {}
        for name in NOTEBOOK_NAMES:
            value = namespace.get(name)
            if isinstance(value, str) and value:
                return value
        return None

    def _guard(self, what: str, action: Callable[..., Any], *args: Any) -> Any:
        """Run ``action``; an exception is logged once per ``what`` and never propagates."""
        try:
            return action(*args)
        except Exception as exc:  # the user's cell must never break
            self.errors += 1
            if what not in self._warned:
                self._warned.add(what)
                log.warning("mlsec lineage: %s failed (%s: %s); recording goes on, this "
                            "warning is shown once", what, type(exc).__name__, exc)
            return None

    @property
    def store(self) -> LineageStore:
        """The store of this recorder's file (shared with its background writer)."""
        return self._writer_for().store

    def _writer_for(self) -> BackgroundWriter:
        if self._writer is None:
            self._writer = BackgroundWriter(LineageStore(self.path, fsync=self.settings.fsync),
                                            on_write_error=self._write_failed)
        return self._writer

    def _write_failed(self, exc: OSError, kept: int) -> None:
        self.errors += 1
        if "write" not in self._warned:
            self._warned.add("write")
            log.warning("mlsec lineage: cannot write %s (%s); %d record(s) kept in memory and "
                        "retried with the next one", self.path, exc, kept)

    def _append(self, body: dict[str, Any]) -> dict[str, Any]:
        """Write ``body`` behind everything submitted before; return the stored record (the
        body itself when writing failed: it is kept and retried)."""
        return self._writer_for().submit({"session": self.session_id, **body}, wait=True)

    def _start(self) -> None:
        self._imports = ImportWatcher()
        self._tracked = {
            name: _Tracked(kind, signature(value, kind))
            for name, kind, value in self._data_in_namespace()
        }
        if not self._session_written:
            self._session_written = True
            notebook = self.notebook_path()
            self._append({
                "kind": "session",
                "notebook": notebook,
                "env": environment(notebook),
                "settings": self.settings.as_dict(),
            })

    def _wait_for_writer(self) -> None:
        """Write every deferred record now (never waiting for good: see writer.py)."""
        writer = self._writer
        if writer is not None and writer.pending and not writer.wait_for_cells():
            self.errors += 1
            if "hung write" not in self._warned:
                self._warned.add("hung write")
                log.warning("mlsec lineage: a write to %s has not ended after %.0f s; the kernel "
                            "goes on and the record is written when the write ends; this "
                            "warning is shown once", self.path, BARRIER_S)

    def _before(self, info: Any) -> None:
        raw = getattr(info, "raw_cell", None) or ""
        if _may_read_the_log(raw):  # from another process (a shell command, the mlsec CLI)
            self._wait_for_writer()
        frontend_id = getattr(info, "cell_id", None)
        if frontend_id:
            cell_id, id_source = str(frontend_id), "frontend"
        else:
            digest = self._fallback_digest(raw)
            self._occurrences[digest] += 1
            cell_id = f"code-{digest[:16]}-{self._occurrences[digest]}"
            id_source = "fallback"
        names = self._guard("names", self._names_of, raw) or CellNames(
            parse_error="names could not be analysed")
        self._guard("data", self._baseline, names)
        count = getattr(self._ip, "execution_count", None)
        if isinstance(count, int) and getattr(info, "store_history", False):
            count -= 1
        namespace = getattr(self._ip, "user_ns", None) or {}
        watched = [*names.defined, *names.deleted, f"_i{count}", f"_{count}"]
        del self._stack[:-MAX_PENDING]  # cells whose post_run_cell never came
        self._stack.append(_PendingCell(
            info=info, cell_id=cell_id, id_source=id_source, execution_count=count,
            names=names, started=utc_now(),
            started_perf=time.perf_counter(), namespace_size=len(namespace),
            presence={name: name in namespace for name in watched},
        ))

    def _after(self, result: Any) -> None:
        info = getattr(result, "info", None)
        if result is None and self._stack:
            # IPython itself raised while running the cell (it then passes no result): the
            # cell still gets its record, as a failure of unknown kind
            info = self._stack[-1].info
        pending = next((p for p in reversed(self._stack) if p.info is info), None)
        if pending is None and info is not None:
            # some IPython error paths hand post_run_cell a fresh ExecutionInfo: match by
            # content instead of identity
            key = (getattr(info, "raw_cell", None), getattr(info, "cell_id", None))
            pending = next((p for p in reversed(self._stack)
                            if (getattr(p.info, "raw_cell", None),
                                getattr(p.info, "cell_id", None)) == key), None)
        if pending is None:  # an empty cell: IPython fires post_run_cell without pre_run_cell
            return
        self._stack.remove(pending)
        duration_ms = (time.perf_counter() - pending.started_perf) * 1000
        raw = getattr(info, "raw_cell", None) or ""
        count = getattr(result, "execution_count", None)
        outcome, error_text = self._outcome(result)
        record: dict[str, Any] = {
            "kind": "cell",
            "session": self.session_id,
            "cell": {
                "id": pending.cell_id,
                "id_source": pending.id_source,
                "execution_count": count if isinstance(count, int) else pending.execution_count,
                "notebook": self.notebook_path(),
            },
            "code": self._unredacted_placeholder(raw),
            "names": pending.names.to_dict(),
            "timing": {"start": pending.started, "duration_ms": round(duration_ms, 3)},
            "outcome": outcome,
        }
        record["data"] = self._guard("data", self._data_changes, pending) or []
        record["files"] = self._guard("files", self._files, pending.names) or []
        models = self._guard("models", self._models, pending.names)
        if models:
            record["models"] = models
        packages = self._imports.new_packages() if self._imports else {}
        if packages:
            record["packages"] = packages
        # deferred: written with the next batch, once the kernel is idle (writer.py); but not
        # a record whose redaction needs Presidio's first load (see _needs_first_load)
        now = self._guard("redaction check", self._needs_first_load, raw, error_text) is True
        self._writer_for().submit(record, functools.partial(self._finish_cell, raw, error_text),
                                  defer=not now, wait=now)

    def _needs_first_load(self, raw: str, error_text: str | None) -> bool:
        """Does redacting this cell's record need Presidio, not loaded yet in this process?

        Such a record is written before the cell completes, as every record was before writes
        were deferred: Presidio's first load takes seconds, and a front end that runs the last
        cell and shuts the kernel down at once (``mlsec execute``, nbval, papermill) would
        otherwise leave it to the ``atexit`` flush, where the interpreter is finalizing and the
        load fails (the source could then only be masked). Once per kernel; checked only until
        Presidio is loaded, and not for a source already redacted.
        """
        from ..checks.pii.engine import loaded as pii_loaded

        if not (self.settings.redact and self.settings.redact_pii) or pii_loaded() or \
                raw in self._code_sections:
            return False
        return pii_candidates(raw[:self.settings.max_source_chars], "code") or (
            error_text is not None and pii_candidates(error_text, "text"))

    # -- in the writer's thread ----------------------------------------------------------------
    def _finish_cell(self, raw: str, error_text: str | None,
                     record: dict[str, Any]) -> dict[str, Any]:
        """Redact what the cell record stores (runs in the writer's thread, before sealing)."""
        record["code"] = self._code_section(raw)
        if error_text is not None:
            record["outcome"]["error"]["message"] = self._redacted(error_text, "text")
        for entry in record.get("files") or ():
            for key in ("path", "expression"):
                if isinstance(entry.get(key), str):
                    entry[key] = self._redacted(entry[key], "text")
        return record

    def _redacted(self, text: str, context: Literal["code", "text"]) -> str:
        if not self.settings.redact:
            return text
        try:
            return redact(text, context=context, pii=self.settings.redact_pii).text
        except Exception as exc:  # a redactor bug must not put the raw text in the log
            self._note_failure("redact", exc)
            return NOT_REDACTED

    def _baseline(self, names: CellNames) -> None:
        """Content hash, before the cell, of tracked data it may change in place."""
        for name in names.mutated:
            tracked = self._tracked.get(name)
            if tracked is not None and tracked.fingerprint is None:
                tracked.fingerprint = self._fingerprint_of(name, tracked.kind)

    def _names_of(self, raw: str) -> CellNames:
        """``cell_names`` with a small cache: notebooks re-run the same cells a lot."""
        names = self._names_cache.get(raw)
        if names is None:
            names = cell_names(raw)
            if len(self._names_cache) >= NAMES_CACHE_SIZE:
                self._names_cache.pop(next(iter(self._names_cache)))
            self._names_cache[raw] = names
        return names

    def _fallback_digest(self, raw: str) -> str:
        """What a fallback cell id is made of: the source's hash with every credential and
        every personal-data candidate masked (cached: runners re-run the same cells)."""
        digest = self._fallback_ids.get(raw)
        if digest is None:
            try:
                digest = text_sha256(masked_for_hashing(raw) if self.settings.redact else raw)
            except Exception as exc:  # a redactor bug: an id that says nothing of the source
                self._note_failure("fallback id", exc)
                digest = text_sha256(NOT_REDACTED)
            if len(self._fallback_ids) >= NAMES_CACHE_SIZE:
                self._fallback_ids.pop(next(iter(self._fallback_ids)))
            self._fallback_ids[raw] = digest
        return digest

    def _unredacted_placeholder(self, raw: str) -> dict[str, Any]:
        """The code section until the writer redacts the source: it never holds the source."""
        return {"sha256": _NOT_REDACTED_SHA256, "sha256_of": "source",
                "source": NOT_REDACTED, "chars": len(raw),
                "truncated": len(raw) > self.settings.max_source_chars,
                "redactions": [{"kind": "REDACTION-FAILED", "count": 1}]}

    def _code_section(self, raw: str) -> dict[str, Any]:
        """The stored source (truncated, redacted) and the SHA-256 of exactly that text.

        Cached per source (redaction depends on nothing else): notebooks re-run the same cells,
        and each run would otherwise pay the secrets scan and the personal-data prefilter
        again. Only the writer's thread (or a caller writing in its place, under the same
        lock) gets here, so the cache needs no lock of its own.
        """
        section = self._code_sections.get(raw)
        if section is None:
            section = self._redacted_code_section(raw)
            if section["redactions"] != _FAILED_REDACTIONS:  # a failure is retried next time
                if len(self._code_sections) >= NAMES_CACHE_SIZE:
                    self._code_sections.pop(next(iter(self._code_sections)))
                self._code_sections[raw] = section
        return dict(section)

    def _redacted_code_section(self, raw: str) -> dict[str, Any]:
        limit = self.settings.max_source_chars
        source = raw[:limit]
        redactions: list[dict[str, Any]] = []
        if self.settings.redact:
            try:
                redaction = redact(source, pii=self.settings.redact_pii)
            except Exception as exc:  # never the raw text: the placeholder says what happened
                self._note_failure("redact", exc)
                return self._unredacted_placeholder(raw)
            source, redactions = redaction.text, redaction.to_list()
        return {"sha256": text_sha256(source), "sha256_of": "source", "source": source,
                "chars": len(raw), "truncated": len(raw) > limit, "redactions": redactions}

    def _note_failure(self, what: str, exc: BaseException) -> None:
        self.errors += 1
        if what not in self._warned:
            self._warned.add(what)
            log.warning("mlsec lineage: %s failed (%s: %s); the record keeps a placeholder, "
                        "recording goes on; this warning is shown once", what,
                        type(exc).__name__, exc)

    @staticmethod
    def _outcome(result: Any) -> tuple[dict[str, Any], str | None]:
        """The outcome section (its error message still a placeholder) and the raw message."""
        if result is None:
            return {"status": "error", "error": {
                "type": "unknown", "message": "IPython raised while running the cell"}}, None
        error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec",
                                                                      None)
        if error is None:
            return {"status": "ok", "error": None}, None
        try:
            text = str(error)
        except Exception:  # an exception whose __str__ fails is still an error to record
            text = f"<{type(error).__name__} with an unprintable message>"
        return {"status": "error", "error": {"type": type(error).__name__,
                                             "message": NOT_REDACTED}}, text[:MAX_ERROR_CHARS]

    # -- data ----------------------------------------------------------------------------------
    def _data_in_namespace(self) -> list[tuple[str, str, Any]]:
        return data_in_namespace(getattr(self._ip, "user_ns", None) or {})

    def _fingerprint_of(self, name: str, kind: str) -> dict[str, Any] | None:
        value = (getattr(self._ip, "user_ns", None) or {}).get(name)
        if value is None:
            return None
        return fingerprint(value, kind, self._limits)

    def _data_changes(self, pending: _PendingCell) -> list[dict[str, Any]]:
        """Fingerprints of frames/arrays created or changed by the cell, and names deleted.

        When the namespace's size changed exactly as the cell's code explains (its new names,
        its deletions, IPython's ``_iN``/``_N``), only the cell's names and the tracked data
        are looked at; anything unexplained (``exec``, ``%run``, star imports, a function
        binding globals) triggers a scan of the whole namespace. Either way the cost stays
        independent of how long the session has run in the common case.
        """
        names = pending.names
        namespace = getattr(self._ip, "user_ns", None) or {}
        if self._namespace_explained(namespace, pending):
            candidates = sorted(set(self._tracked) | set(names.defined) | set(names.mutated))
            current = []
            for name in candidates:
                if name[:1] != "_" and name in namespace:
                    kind = data_kind(namespace[name])
                    if kind is not None:
                        current.append((name, kind, namespace[name]))
        else:
            current = self._data_in_namespace()
        changes: list[dict[str, Any]] = []
        budget = self.settings.max_tracked_objects
        mutated = set(names.mutated)
        seen: set[str] = set()
        for name, kind, value in current:
            seen.add(name)
            if len(seen) > budget:
                continue
            new_signature = signature(value, kind)
            tracked = self._tracked.get(name)
            if tracked is not None and tracked.signature == new_signature and \
                    name not in mutated:
                continue
            try:
                fresh = fingerprint(value, kind, self._limits)
            except Exception as exc:  # exotic subclasses must not stop a record
                self._tracked[name] = _Tracked(kind, new_signature, None)
                changes.append({"name": name, "change": "unreadable",
                                "error": f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]})
                continue
            if tracked is None:
                change = "created"
            elif tracked.fingerprint is not None and \
                    tracked.fingerprint["content_sha256"] == fresh["content_sha256"] and \
                    tracked.kind == kind:
                tracked.signature = new_signature
                continue
            else:
                change = "changed"
            self._tracked[name] = _Tracked(kind, new_signature, fresh)
            changes.append({"name": name, "change": change, **fresh})
        for name in [n for n in self._tracked if n not in seen]:
            del self._tracked[name]
            changes.append({"name": name, "change": "deleted"})
        if len(seen) > budget:
            changes.append({"name": "*", "change": "not-tracked",
                            "error": f"{len(seen) - budget} more frames/arrays than "
                                     f"max_tracked_objects={budget}; not fingerprinted"})
        return changes

    @staticmethod
    def _namespace_explained(namespace: dict[str, Any], pending: _PendingCell) -> bool:
        """True when every name added or removed by the cell is one the code shows."""
        if pending.namespace_size < 0:
            return False
        change = sum(int(name in namespace) - int(was_there)
                     for name, was_there in pending.presence.items())
        return len(namespace) == pending.namespace_size + change

    def _files(self, names: CellNames) -> list[dict[str, Any]]:
        namespace = getattr(self._ip, "user_ns", None) or {}
        entries = []
        for ref in names.file_refs:
            entry: dict[str, Any] = {"via": ref.via, "mode": ref.mode, "path": ref.path}
            path = ref.path
            if ref.variable is not None:
                entry["variable"] = ref.variable
                value = namespace.get(ref.variable)
                if isinstance(value, (str, os.PathLike)):
                    path = os.fspath(value)
                    entry["path"] = path if isinstance(path, str) else repr(path)
            elif ref.expression is not None:
                entry["expression"] = ref.expression
                path = resolve_pieces(ref.pieces, ref.join, namespace)
                entry["path"] = path
            if path is None:
                entry.update(exists=None, sha256=None, skipped="path not known from the code")
            else:
                entry.update(file_fingerprint(path, self._limits, self._file_hashes))
            entries.append(entry)
        return entries

    def _models(self, names: CellNames) -> list[dict[str, Any]]:
        """Class and parameters of the estimators the cell bound or changed (``clf.fit``)."""
        namespace = getattr(self._ip, "user_ns", None) or {}
        models = []
        for name in sorted(set(names.defined) | set(names.mutated)):
            value = namespace.get(name)
            if value is not None and is_estimator(value):
                models.append({"name": name, **describe_estimator(value)})
        return models

    # -- checks --------------------------------------------------------------------------------
    def _check_body(self, report: Any, cell_id: str | None) -> dict[str, Any]:
        data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
        pending = self._stack[-1] if self._stack else None
        findings = data.get("findings") or []
        severities = Counter(str(f.get("severity", "")) for f in findings
                             if isinstance(f, dict))
        max_severity = getattr(report, "max_severity", None)
        return {
            "kind": "check",
            "cell": {
                "id": cell_id or (pending.cell_id if pending else None),
                "execution_count": pending.execution_count if pending else None,
                "notebook": self.notebook_path(),
            },
            "summary": {
                "check": data.get("check"),
                "subject": data.get("subject"),
                "findings": len(findings),
                "by_severity": dict(sorted(severities.items())),
                "max_severity": getattr(max_severity, "label", max_severity),
            },
            "report": data,
        }


# a cell holding one of these may read the log from another process (``!mlsec verify ...``,
# ``%%bash``, ``subprocess.run(["mlsec", ...])``): the deferred records are written before it
# runs. In-process readers (``%mlsec``, ``read_records``, ``verify``) flush by themselves.
_LOG_READER_HINTS = re.compile(r"mlsec|lineage|!|%%|%sx|%system|subprocess|os\.system|os\.popen")


def _may_read_the_log(source: str) -> bool:
    return _LOG_READER_HINTS.search(source) is not None


def resolve_pieces(pieces: tuple[tuple[str, str], ...], join: str | None,
                   namespace: Any) -> str | None:
    """The path a ``FileRef`` expression names, from str/Path values of the namespace only.

    Nothing is evaluated: a name bound to anything but a ``str`` or ``os.PathLike`` (or unbound)
    leaves the path unknown (``None``).
    """
    parts: list[str] = []
    for kind, value in pieces:
        if kind == "text":
            parts.append(value)
            continue
        bound = namespace.get(value)
        if not isinstance(bound, (str, os.PathLike)):
            return None
        text = os.fspath(bound)
        if not isinstance(text, str):
            return None
        parts.append(text)
    if not parts:
        return None
    return os.path.join(*parts) if join == "path" else "".join(parts)
