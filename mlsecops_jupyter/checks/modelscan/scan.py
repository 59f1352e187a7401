"""``scan_model``: the one entry point the magic, the CLI and the tests call.

It turns what the user named (paths, a directory, bytes, or a live Python object) into byte
sources, scans each without loading it, and folds everything into ONE ``Report``. A failure in
one file (a crafted header, a safety limit) becomes a finding for that file; the other files
are still scanned.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.errors import MLSecInputError
from ...core.report import Report, Skipped
from ...core.settings import Settings
from .context import ScanContext, ScanLimitReached, ScanState
from .dispatch import one_line, scan_source
from .rules import CHECK
from .source import MemorySource, open_path

# folders a recursive walk never enters: tooling, caches and environments, not models
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "site-packages"}
)


@dataclass
class _Input:
    """One thing to scan: a file on disk or bytes in memory, under the label findings show."""

    label: str
    path: Path | None = None
    data: bytes | None = None
    explicit: bool = True


def scan_model(target: Any, *, recursive: bool = False, settings: Settings | None = None,
               name: str | None = None) -> Report:
    """Scan model files (or an object) for hidden code execution, without loading them.

    Parameters
    ----------
    target
        A path (file or directory), a list of paths, ``bytes`` (scanned as an in-memory file),
        or any other Python object, which is pickled in memory (serialising your own object is
        safe) and that pickle is scanned: it is what ``pickle``/``joblib`` would write.
    recursive
        Walk directories (``.git``, virtual environments and ``node_modules`` are skipped;
        symlinks never lead out of the directory). Without it, only a directory's own files.
    settings
        Limits and the pickle policy; ``Settings.load()`` when omitted.
    name
        How to call in-memory input in the report (a variable name).

    Returns
    -------
    Report
        One report for all inputs; ``metrics["files"]`` lists each file and member with its
        format, ``metrics["globals"]`` every pickle import seen with its count.

    Raises
    ------
    MLSecInputError
        A named path does not exist or cannot be read, or an object cannot be pickled.
    """
    started = time.perf_counter()
    settings = settings if settings is not None else Settings.load()
    skipped: list[Skipped] = []
    inputs, subject = _resolve(target, recursive, name, skipped)
    states: list[ScanState] = []
    bytes_scanned = 0
    for item in inputs:
        state, size = _scan_input(item, settings, skipped)
        states.append(state)
        bytes_scanned += size
    globals_seen: dict[str, int] = {}
    for state in states:
        for qualified, count in state.globals_seen.items():
            globals_seen[qualified] = globals_seen.get(qualified, 0) + count
    metrics = {
        "files": [entry for state in states for entry in state.formats],
        "files_scanned": len(states),
        "bytes_scanned": bytes_scanned,
        "globals": dict(sorted(globals_seen.items())),
    }
    return Report(
        check=CHECK,
        subject=subject,
        findings=[finding for state in states for finding in state.findings],
        metrics=metrics,
        skipped=skipped + [entry for state in states for entry in state.skipped],
        elapsed_s=time.perf_counter() - started,
    )


# -- inputs ------------------------------------------------------------------------------------
def _resolve(target: Any, recursive: bool, name: str | None,
             skipped: list[Skipped]) -> tuple[list[_Input], str]:
    """What to scan, and the report's subject line."""
    if isinstance(target, (str, os.PathLike)):
        return _resolve_paths([target], recursive, skipped)
    if isinstance(target, (list, tuple)) and target and all(
        isinstance(t, (str, os.PathLike)) for t in target
    ):
        return _resolve_paths(list(target), recursive, skipped)
    if isinstance(target, (bytes, bytearray, memoryview)):
        label = name or "<bytes>"
        return [_Input(label, data=bytes(target))], label
    label = name or f"<{type(target).__name__}>"
    try:
        import pickle  # only for an object passed in: files are never unpickled

        data = pickle.dumps(target, protocol=5)
    except Exception as exc:  # lambdas, open files, locks...
        raise MLSecInputError(
            f"cannot pickle object {label} to scan it: {one_line(exc)}"
        ) from None
    return [_Input(label, data=data)], f"object {label} (pickled in memory)"


def _resolve_paths(targets: list[Any], recursive: bool,
                   skipped: list[Skipped]) -> tuple[list[_Input], str]:
    inputs: list[_Input] = []
    for target in targets:
        path = Path(target)
        label = os.fspath(target)
        if not path.exists():
            raise MLSecInputError(f"no such file: {label}")
        if path.is_dir():
            inputs.extend(_walk_directory(path, label, recursive, skipped))
        elif path.is_file():
            inputs.append(_Input(label, path=path))
        else:
            raise MLSecInputError(f"not a regular file: {label}")
    if len(targets) == 1:
        label = os.fspath(targets[0])
        subject = label if Path(label).is_file() else f"{len(inputs)} files under {label}"
    else:
        subject = f"{len(inputs)} files"
    return inputs, subject


def _walk_directory(root: Path, label: str, recursive: bool,
                    skipped: list[Skipped]) -> Iterator[_Input]:
    """Files of ``root`` in a stable order; what is left out is recorded with the reason."""
    real_root = os.path.realpath(root)
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        relative_folder = os.path.relpath(folder, root)
        kept = []
        for dirname in sorted(dirnames):
            shown = _join(label, relative_folder, dirname)
            full = os.path.join(folder, dirname)
            if not recursive:
                skipped.append(Skipped(shown, "directory (scan with recursive=True)"))
            elif os.path.islink(full):
                skipped.append(Skipped(shown, "symlinked directory not followed"))
            elif dirname in SKIP_DIRS or os.path.exists(os.path.join(full, "pyvenv.cfg")):
                skipped.append(Skipped(shown, "tooling or environment folder"))
            else:
                kept.append(dirname)
        dirnames[:] = kept
        for filename in sorted(filenames):
            full = os.path.join(folder, filename)
            shown = _join(label, relative_folder, filename)
            if os.path.islink(full):
                target = os.path.realpath(full)
                if os.path.commonpath([real_root, target]) != real_root:
                    skipped.append(Skipped(shown, "symlink pointing outside the directory"))
                    continue
            if not os.path.isfile(full):
                skipped.append(Skipped(shown, "not a regular file"))
                continue
            yield _Input(shown, path=Path(full), explicit=False)
        if not recursive:
            break


def _join(label: str, relative_folder: str, name: str) -> str:
    parts = [label] if relative_folder == "." else [label, relative_folder]
    return os.path.join(*parts, name)


# -- scanning one input ------------------------------------------------------------------------
def _scan_input(item: _Input, settings: Settings,
                skipped: list[Skipped]) -> tuple[ScanState, int]:
    """Scan one file or buffer into its own state; limits and crashes become findings."""
    state = ScanState(settings.modelscan)
    ctx = ScanContext(state, item.label)
    with _opened(item, skipped) as source:
        if source is None:
            return state, 0
        try:
            scan_source(source, ctx, explicit=item.explicit)
        except ScanLimitReached as exc:
            ctx.incomplete(f"scan stopped: {exc.what}", {"limit": exc.what})
        except RecursionError:
            ctx.add("MODEL-MALFORMED", "structure nested too deeply to parse")
        except Exception as exc:  # a crafted file must never surface as a traceback
            ctx.add("MODEL-MALFORMED", f"cannot parse: {one_line(exc)}")
        return state, source.size


@contextlib.contextmanager
def _opened(item: _Input, skipped: list[Skipped]) -> Iterator[MemorySource | None]:
    if item.data is not None:
        yield MemorySource(item.data)
        return
    assert item.path is not None
    try:
        source, handle = open_path(item.path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        if item.explicit:
            raise MLSecInputError(f"cannot read {item.label}: {reason}") from None
        skipped.append(Skipped(item.label, f"unreadable: {reason}"))
        yield None
        return
    try:
        yield source
    finally:
        if handle is not None:
            with contextlib.suppress(BufferError):
                handle.close()  # type: ignore[attr-defined]
