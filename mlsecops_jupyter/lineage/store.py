"""The lineage file: where it lives, how records are appended, read and verified.

One append-only JSON Lines file per notebook, in a ``.mlsec/`` folder beside the notebook
(``analysis.ipynb`` -> ``.mlsec/analysis.ipynb.lineage.jsonl``). ``MLSEC_LINEAGE_FILE`` overrides
the location; with no known notebook the file is ``.mlsec/default.lineage.jsonl`` under the
working directory.

Appending, and why it is safe:

- The file is opened with ``O_APPEND`` and the whole line is handed to ONE ``os.write`` while an
  exclusive lock is held (``fcntl.flock`` on POSIX; on Windows ``msvcrt.locking`` on the file's
  first byte). Two kernels writing the same notebook's log therefore interleave whole records,
  and each re-reads the file's tail under the lock to chain onto whatever was written last.
- Only the tail is read: the writer remembers the bytes of the line it wrote last; when the
  file still ends with them (the common case) nothing else is parsed. Otherwise it reads
  backwards from the end, block by block, to the last complete record.
- A kernel killed mid-write can leave a torn last line. It is never trusted: ``verify`` reports
  it (``torn_tail``), and the next append first ends that line with a newline and then writes a
  ``recovery`` record naming the torn bytes (offset, length, SHA-256), chained to the last
  complete record; then the new record follows. The chain stays verifiable and nothing is
  rewritten in place.
- No ``fsync`` by default: a killed *process* loses nothing the kernel already wrote, and an
  fsync per cell would cost milliseconds. ``fsync=True`` buys durability against power loss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .chain import (
    VerifyResult,
    parse_record,
    record_hash,
    seal,
    split_lines,
    verify_bytes,
)
from .schema import GENESIS

LINEAGE_DIR = ".mlsec"
LINEAGE_SUFFIX = ".lineage.jsonl"
DEFAULT_NAME = "default" + LINEAGE_SUFFIX
ENV_FILE = "MLSEC_LINEAGE_FILE"
_TAIL_BLOCK = 64 * 1024

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    @contextlib.contextmanager
    def _locked(fd: int, exclusive: bool) -> Iterator[None]:
        """Windows has no flock: lock the first byte (both readers and writers, exclusively)."""
        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.lseek(fd, position, os.SEEK_SET)
else:
    import fcntl

    @contextlib.contextmanager
    def _locked(fd: int, exclusive: bool) -> Iterator[None]:
        """Whole-file advisory lock; released by the OS if the process dies holding it."""
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


_OPEN_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_BINARY", 0
)


def lineage_path_for(notebook_path: str | os.PathLike[str] | None,
                     root: Path | None = None) -> Path:
    """The lineage file of a notebook.

    Parameters
    ----------
    notebook_path
        The notebook's path (absolute, or relative to ``root``); None when unknown.
    root
        The folder relative paths start from; the working directory by default.

    ``MLSEC_LINEAGE_FILE`` in the environment wins (CI pins one file that way).
    """
    base = Path(root) if root is not None else Path.cwd()
    override = os.environ.get(ENV_FILE)
    if override:
        return base / Path(override).expanduser()
    if not notebook_path:
        return base / LINEAGE_DIR / DEFAULT_NAME
    notebook = Path(notebook_path).expanduser()
    if not notebook.is_absolute():
        candidate = base / notebook
        # jupyter_server may hand a server-root-relative path to a kernel running in the
        # notebook's own folder; the bare name beside us is then the right file.
        if not candidate.exists() and (base / notebook.name).exists():
            candidate = base / notebook.name
        notebook = candidate
    return notebook.parent / LINEAGE_DIR / (notebook.name + LINEAGE_SUFFIX)


def utc_now() -> str:
    """ISO 8601 UTC time with microseconds, the one time format of every record."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class LineageStore:
    """Appends records to one lineage file; keeps the last line it wrote to avoid re-reading."""

    def __init__(self, path: str | os.PathLike[str], *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self._last_line: bytes | None = None
        self._last_hash = GENESIS
        self._last_seq = -1

    def append(self, body: dict[str, Any]) -> dict[str, Any]:
        """Seal ``body`` into the next record of the chain and append it; return the record.

        ``body`` holds the record's own members (``kind`` and the rest); ``schema``, ``seq``,
        ``prev`` and ``hash`` are filled in here, ``time`` too when absent.
        """
        body = {"time": utc_now(), **body}
        try:
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        except FileNotFoundError:  # the .mlsec folder does not exist yet
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        try:
            with _locked(fd, exclusive=True):
                size = os.fstat(fd).st_size
                prefix, recovery_line = self._chain_onto_tail(fd, size, body)
                record, line = seal(body, seq=self._last_seq + 1, prev=self._last_hash)
                _write_all(fd, prefix + recovery_line + line)
                if self.fsync:
                    os.fsync(fd)
                self._last_line, self._last_hash, self._last_seq = line, record["hash"], record[
                    "seq"]
        finally:
            os.close(fd)
        return record

    # -- the tail ------------------------------------------------------------------------------
    def _chain_onto_tail(self, fd: int, size: int, body: dict[str, Any]) -> tuple[bytes, bytes]:
        """Set ``_last_hash``/``_last_seq`` from the file's tail; close torn bytes if any.

        Returns the bytes to write before the new record: a newline ending a torn line, and a
        sealed recovery record naming the torn bytes.
        """
        if size == 0:
            self._last_line, self._last_hash, self._last_seq = None, GENESIS, -1
            return b"", b""
        last = self._last_line
        if last is not None and size >= len(last) and os.pread(fd, len(last),
                                                               size - len(last)) == last:
            return b"", b""
        end_valid, record, terminated = _last_record(fd, size)
        if record is None:
            self._last_hash, self._last_seq = GENESIS, -1
        else:
            self._last_hash, self._last_seq = record_hash(record), record["seq"]
        self._last_line = None
        if end_valid == size:
            return (b"" if terminated else b"\n"), b""
        torn = os.pread(fd, size - end_valid, end_valid)
        recovery = {
            "kind": "recovery",
            "time": utc_now(),
            "session": body.get("session"),
            "torn": {"offset": end_valid, "length": len(torn),
                     "sha256": hashlib.sha256(torn).hexdigest()},
            "reason": "bytes after the last complete record are not a record "
                      "(a write that did not finish); they are kept but not trusted",
        }
        sealed, line = seal(recovery, seq=self._last_seq + 1, prev=self._last_hash)
        self._last_hash, self._last_seq = sealed["hash"], sealed["seq"]
        return (b"" if torn.endswith(b"\n") else b"\n"), line


def _write_all(fd: int, data: bytes) -> None:
    """One ``os.write``; a short write (disk full, signal) is finished under the same lock."""
    written = os.write(fd, data)
    while written < len(data):
        written += os.write(fd, data[written:])


def _lines_backwards(fd: int, size: int) -> Iterator[tuple[int, bytes, bool]]:
    """``(offset, line, terminated)`` from the file's last line to its first, block by block."""
    position = size
    carry = b""  # the leftmost, still incomplete piece of what was read so far
    at_end = True
    while position > 0:
        read = min(_TAIL_BLOCK, position)
        position -= read
        block = os.pread(fd, read, position) + carry
        pieces = block.split(b"\n")
        carry = pieces[0]
        piece_end = position + len(block)
        for piece in reversed(pieces[1:]):
            offset = piece_end - len(piece)
            if not (at_end and piece == b""):
                yield offset, piece, not at_end
            at_end = False
            piece_end = offset - 1
    if carry or not at_end:
        yield 0, carry, not at_end


def _last_record(fd: int, size: int) -> tuple[int, dict[str, Any] | None, bool]:
    """``(end offset, record, terminated)`` of the last complete record in the file.

    The end offset is just past the record's newline; torn or foreign bytes after it are what a
    recovery record must name. An unterminated last line that is nevertheless a whole record
    counts as complete (only its newline is missing; the caller adds one).
    """
    for offset, line, terminated in _lines_backwards(fd, size):
        record = parse_record(line)
        if record is not None:
            return offset + len(line) + (1 if terminated else 0), record, terminated
    return 0, None, True


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every record in the lineage file, in order; torn or foreign lines are left out.

    For display and export. Whether the records can be *trusted* is ``verify``'s question, not
    this function's: run it first when it matters. A missing file has no records.
    """
    data = _read_shared(Path(path))
    records = []
    for _offset, line, _terminated in split_lines(data):
        record = parse_record(line)
        if record is not None:
            records.append(record)
    return records


def verify(path: str | os.PathLike[str], *, anchor: str | None = None) -> VerifyResult:
    """Verify the hash chain of a lineage file (see ``chain.verify_bytes``).

    Parameters
    ----------
    path
        The lineage file.
    anchor
        A record hash known from elsewhere (e.g. quoted by a model card); the chain must
        contain it, which catches records removed from the end.
    """
    target = Path(path)
    if not target.exists():
        return VerifyResult(False, 0, None, f"no lineage file at {target}")
    return verify_bytes(_read_shared(target), anchor=anchor)


def _read_shared(path: Path) -> bytes:
    """The file's bytes, read under a shared lock so no half-written record is seen."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return b""
    try:
        with _locked(fd, exclusive=False):
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
    finally:
        os.close(fd)
