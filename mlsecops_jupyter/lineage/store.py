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
- A last line that is complete but not a record (``NaN``, a 100k-deep object, another schema;
  hand edits) is treated like torn bytes: kept, named by a recovery record, never chained onto.
  Recording goes on, and ``verify`` reports the bad line.
- No ``fsync`` by default: a killed *process* loses nothing the kernel already wrote, and an
  fsync per cell would cost milliseconds. ``fsync=True`` buys durability against power loss.

In-process writers that hold records back (the recorder's background writer, ``writer.py``)
register here; ``read_records`` and ``verify`` first make them write what they hold for that
file, so a reader in the same process never sees the log behind the cells that ran.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

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

    def _lock(fd: int, exclusive: bool) -> None:
        """Windows has no flock: lock the first byte (both readers and writers, exclusively)."""
        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        finally:
            os.lseek(fd, position, os.SEEK_SET)

    def _unlock(fd: int) -> None:
        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.lseek(fd, position, os.SEEK_SET)

    _KEEP_OPEN = False  # an open handle would stop others deleting or renaming the log
else:
    import fcntl

    def _lock(fd: int, exclusive: bool) -> None:
        """Whole-file advisory lock; released by the OS if the process dies holding it."""
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    _KEEP_OPEN = True


@contextlib.contextmanager
def _locked(fd: int, exclusive: bool) -> Iterator[None]:
    """The file lock for the ``with`` block (readers; the append path calls the pair itself)."""
    _lock(fd, exclusive)
    try:
        yield
    finally:
        _unlock(fd)


# how many forks deep this process is: a store compares it with the one its descriptor was
# opened in (cheaper than asking the OS for the process id on every append)
_forks = [0]
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _forks.__setitem__(0, _forks[0] + 1))

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
    """Appends records to one lineage file; keeps the last line it wrote to avoid re-reading.

    Thread-safe: appends from several threads of one process are serialised by a lock (and
    appends from other processes by the file lock).
    """

    def __init__(self, path: str | os.PathLike[str], *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self._last_line: bytes | None = None
        self._last_end = -1  # the file's size just after ``_last_line`` was written
        self._last_hash = GENESIS
        self._last_seq = -1
        self._lock = threading.Lock()
        # the descriptor kept between appends (POSIX), the fork generation of the process that
        # opened it (``_forks``), and the file it is open on (device, inode)
        self._fd: int | None = None
        self._fd_generation = -1
        self._fd_file: tuple[int, int] | None = None

    def append(self, body: dict[str, Any]) -> dict[str, Any]:
        """Seal ``body`` into the next record of the chain and append it; return the record.

        ``body`` holds the record's own members (``kind`` and the rest); ``schema``, ``seq``,
        ``prev`` and ``hash`` are filled in here, ``time`` too when absent.
        """
        return self.append_many([body])[0]

    def append_many(self, bodies: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Seal and append several records, in order, with one lock and one write."""
        if not bodies:
            return []
        return self._append([{"time": utc_now(), **body} for body in bodies])

    def append_after_head(self, make_body: Callable[[int, str], dict[str, Any]]
                          ) -> dict[str, Any]:
        """Append the record ``make_body(seq, hash)`` builds from the chain's current head.

        The head is read under the file lock, so no other writer can slip a record in between:
        a signature made this way signs exactly the record before it. ``(-1, GENESIS)`` when
        the file holds no record.
        """
        return self._append([], make_body)[0]

    def close(self) -> None:
        """Close the descriptor kept between appends (the next append opens the file again)."""
        with self._lock:
            self._drop_fd()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._drop_fd()

    def _append(self, bodies: list[dict[str, Any]],
                make_body: Callable[[int, str], dict[str, Any]] | None = None
                ) -> list[dict[str, Any]]:
        with self._lock:
            fd = self._descriptor()
            try:
                _lock(fd, exclusive=True)
                try:
                    first = bodies[0] if bodies else {}
                    if self._tail_is_ours(fd):
                        size, prefix, recovery_line = self._last_end, b"", b""
                    else:
                        size = os.fstat(fd).st_size
                        prefix, recovery_line = self._chain_onto_tail(fd, size, first)
                    records, lines = [], [prefix, recovery_line]
                    seq, prev = self._last_seq, self._last_hash
                    if make_body is not None:
                        bodies = [*bodies, {"time": utc_now(), **make_body(seq, prev)}]
                    for body in bodies:
                        record, line = seal(body, seq=seq + 1, prev=prev)
                        seq, prev = record["seq"], record["hash"]
                        records.append(record)
                        lines.append(line)
                    data = b"".join(lines)
                    self._last_line = None  # until the write is known to be whole
                    _write_all(fd, data)
                    if self.fsync:
                        os.fsync(fd)
                    self._last_line, self._last_hash, self._last_seq = lines[-1], prev, seq
                    self._last_end = size + len(data)
                finally:
                    _unlock(fd)
            finally:
                if not _KEEP_OPEN:
                    self._drop_fd()
        return records

    def _descriptor(self) -> int:
        """The lineage file, open for appending (called holding ``_lock``).

        On POSIX the descriptor is kept between appends: opening, checking and closing the file
        for every cell cost more than the rest of the write. It is opened again when the file
        at ``path`` is no longer the one it is open on (deleted, replaced), and in a forked
        child: a ``flock`` belongs to the open file, which a child shares with its parent, so
        the child's lock would not exclude the parent. The child therefore closes its copy
        (the parent's own descriptor, and any lock it holds, are untouched) and opens its own.
        """
        fd = self._fd
        if fd is not None:
            if self._fd_generation == _forks[0]:
                try:
                    status = os.stat(self.path)
                    if (status.st_dev, status.st_ino) == self._fd_file:
                        return fd
                except OSError:  # gone: start it again
                    pass
            self._drop_fd()
        try:
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        except FileNotFoundError:  # the .mlsec folder does not exist yet
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        try:
            status = os.fstat(fd)
            _require_regular(status.st_mode, self.path)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._fd_generation = fd, _forks[0]
        self._fd_file = (status.st_dev, status.st_ino)
        self._last_end = -1  # another file: its tail is read before chaining onto it
        return fd

    def _drop_fd(self) -> None:
        fd, self._fd, self._fd_file = self._fd, None, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def _tail_is_ours(self, fd: int) -> bool:
        """Does the file still end exactly with the line this store wrote last? One ``pread``
        (a byte more than the line) answers both "still ours" and "nothing after it"."""
        last, end = self._last_line, self._last_end
        if last is None or end < len(last):
            return False
        return os.pread(fd, len(last) + 1, end - len(last)) == last

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
            return b"", b""  # ours, though the size moved (e.g. another descriptor's write)
        end_valid, record, terminated = _last_record(fd, size)
        if record is None:
            self._last_hash, self._last_seq = GENESIS, -1
        else:
            self._last_hash, self._last_seq = record_hash(record), record["seq"]
        self._last_line = None
        if end_valid == size:
            return (b"" if terminated else b"\n"), b""
        digest, ends_with_newline = _hash_range(fd, end_valid, size)
        reason = BAD_LINE_REASON if ends_with_newline else TORN_REASON
        recovery = {
            "kind": "recovery",
            "time": utc_now(),
            "session": body.get("session"),
            "torn": {"offset": end_valid, "length": size - end_valid, "sha256": digest},
            "reason": reason,
        }
        sealed, line = seal(recovery, seq=self._last_seq + 1, prev=self._last_hash)
        self._last_hash, self._last_seq = sealed["hash"], sealed["seq"]
        return (b"" if ends_with_newline else b"\n"), line


TORN_REASON = ("bytes after the last complete record are not a record (a write that did not "
               "finish); they are kept but not trusted")
BAD_LINE_REASON = ("complete lines after the last record are not records (unparsable, a NaN or "
                   "Infinity literal, nested too deep, or another format); they are kept but "
                   "not trusted, and the chain goes on from the last record")


def _hash_range(fd: int, start: int, end: int) -> tuple[str, bool]:
    """SHA-256 of the file's bytes ``[start, end)``, read in blocks; and whether they end in a
    newline."""
    digest = hashlib.sha256()
    position, last = start, b""
    while position < end:
        block = os.pread(fd, min(_TAIL_BLOCK, end - position), position)
        if not block:
            break
        digest.update(block)
        position += len(block)
        last = block
    return digest.hexdigest(), last.endswith(b"\n")


def _write_all(fd: int, data: bytes) -> None:
    """One ``os.write``; a short write (disk full, signal) is finished under the same lock."""
    written = os.write(fd, data)
    while written < len(data):
        written += os.write(fd, data[written:])


def _lines_backwards(fd: int, size: int) -> Iterator[tuple[int, bytes, bool]]:
    """``(offset, line, terminated)`` from the file's last line to its first, block by block.

    A line longer than a block is gathered in pieces and joined once, so a huge line (a torn
    multi-megabyte write, hostile bytes without newlines) costs linear, not quadratic, time.
    """
    position = size
    pending: list[bytes] = []  # pieces of the line whose start is not found yet, last first
    at_end = True
    while position > 0:
        read = min(_TAIL_BLOCK, position)
        position -= read
        block = os.pread(fd, read, position)
        cut = block.rfind(b"\n")
        if cut < 0:
            pending.append(block)
            continue
        line = block[cut + 1:] + b"".join(reversed(pending))
        if not (at_end and line == b""):
            yield position + cut + 1, line, not at_end
        at_end = False
        pieces = block[:cut].split(b"\n")
        piece_end = position + cut
        for piece in reversed(pieces[1:]):
            piece_end -= len(piece)
            yield piece_end, piece, True
            piece_end -= 1
        pending = [pieces[0]]
    carry = b"".join(reversed(pending))
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


class RecordHolder(Protocol):
    """An in-process writer that may hold records not yet in the file (``writer.py``)."""

    def holds(self, path: Path) -> bool: ...

    def flush(self, timeout: float | None = None) -> bool: ...


_holders: weakref.WeakSet[Any] = weakref.WeakSet()


def register_holder(holder: RecordHolder) -> None:
    """Have ``read_records``/``verify`` flush ``holder`` before they read a file it writes."""
    _holders.add(holder)


def flush_held(path: str | os.PathLike[str]) -> None:
    """Write what in-process writers still hold for ``path`` (a no-op when none does)."""
    if not _holders:
        return
    target = Path(path)
    for holder in list(_holders):
        if holder.holds(target):
            holder.flush()


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every record in the lineage file, in order; torn or foreign lines are left out.

    For display and export. Whether the records can be *trusted* is ``verify``'s question, not
    this function's: run it first when it matters. A missing file has no records.
    """
    flush_held(path)
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
    flush_held(path)
    target = Path(path)
    if not target.exists():
        return VerifyResult(False, 0, None, f"no lineage file at {target}")
    return verify_bytes(_read_shared(target), anchor=anchor)


def _require_regular(mode: int, path: Path) -> None:
    """Refuse FIFOs, devices and folders: reading one could block for good or never end."""
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))


def _read_shared(path: Path) -> bytes:
    """The file's bytes, read under a shared lock so no half-written record is seen."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY",
                                                                                 0))
    except FileNotFoundError:
        return b""
    try:
        _require_regular(os.fstat(fd).st_mode, path)
        with _locked(fd, exclusive=False):
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
    finally:
        os.close(fd)
