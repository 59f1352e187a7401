"""Open nothing but regular files, read no more than a bound, wait for no lock forever.

Why: a route that opens a FIFO blocks its thread until a writer appears (for good, if none
does), a device or a 2 GB sparse file costs what it costs to read, and a lock held by another
process would stall a reader as long as it is held. So every file a route reads is opened
here: ``O_NONBLOCK`` (opening a FIFO returns at once), ``O_NOFOLLOW`` (the path was resolved
and checked against the root; a symlink put there since is refused), then ``fstat`` on the
open descriptor decides: a regular file of at most the bound, or a 4xx. The bytes are read
from that same descriptor, so what was checked is what is read.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .paths import Refused

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks to wait for
    fcntl = None  # type: ignore[assignment]

NOT_REGULAR = "{name} is not a regular file (a folder, FIFO, socket or device): not read"
TOO_LARGE = ("{name} is {size} MB, more than the {limit} MB the server reads "
             "(setting server.{setting})")
GREW = "{name} grew past {limit} MB while it was read (setting server.{setting})"
LINK_APPEARED = "{name} became a symlink after it was checked: not read"
UNREADABLE = "cannot read {name}: {why}"
LOCKED = "{name} is locked by another process (a kernel writing it?): try again"
LOCK_WAIT_S = 2.0
_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
MB = 1 << 20


@dataclass(frozen=True)
class RegularFile:
    """An open regular file: its descriptor, its ``fstat`` and the name a user knows it by."""

    fd: int
    stat: os.stat_result
    name: str

    @property
    def etag(self) -> str:
        """A cheap validator (size and mtime of the open file): polling costs one ``fstat``."""
        return f'"{self.stat.st_size:x}-{self.stat.st_mtime_ns:x}"'

    def read(self, limit_mb: int, setting: str) -> bytes:
        """Every byte, or ``Refused`` (413) when there are more than ``limit_mb`` MB.

        The size is checked before reading (a sparse 2 GB file costs nothing) and again while
        reading (a file that grows is cut off, never read to its end).
        """
        self.check_size(limit_mb, setting)
        limit = max(0, limit_mb) * MB
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(self.fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Refused(413, "too-large", GREW.format(name=self.name, limit=limit_mb,
                                                            setting=setting))

    def check_size(self, limit_mb: int, setting: str) -> None:
        """``Refused`` (413) when the file is larger than ``limit_mb`` MB; reads nothing."""
        if self.stat.st_size > max(0, limit_mb) * MB:
            raise Refused(413, "too-large", TOO_LARGE.format(
                name=self.name, size=_mb(self.stat.st_size), limit=limit_mb, setting=setting))


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


@contextmanager
def opened_regular(path: Path, name: str, *, missing: Refused | None = None
                   ) -> Iterator[RegularFile]:
    """Open ``path`` (already resolved and inside the root) if it is a regular file.

    ``name`` is how the caller's user knows the file (never an absolute path): it is what
    every refusal names. ``missing`` is raised when the file does not exist (default 404).
    """
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise missing or Refused(404, "not-found", f"no such file: {name}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(403, "forbidden", LINK_APPEARED.format(name=name)) from None
        if exc.errno in (errno.ENXIO, errno.EISDIR, errno.ENOTDIR):
            raise Refused(422, "not-a-file", NOT_REGULAR.format(name=name)) from None
        raise Refused(422, "unreadable", UNREADABLE.format(
            name=name, why=exc.strerror or type(exc).__name__)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(422, "not-a-file", NOT_REGULAR.format(name=name))
        yield RegularFile(fd, info, name)
    except OSError as exc:
        raise Refused(422, "unreadable", UNREADABLE.format(
            name=name, why=exc.strerror or type(exc).__name__)) from None
    finally:
        os.close(fd)


@contextmanager
def shared_lock(file: RegularFile, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold a shared lock (the lineage writers' protocol) or give up after ``wait_s``.

    Writers hold their exclusive lock for one ``write``; a lock held longer than ``wait_s``
    is another process's doing, and the answer is 429 (try again), not a blocked thread.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(file.fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise Refused(429, "busy", LOCKED.format(name=file.name),
                              retry_after=1) from None
            time.sleep(0.05)
    try:
        yield
    finally:
        fcntl.flock(file.fd, fcntl.LOCK_UN)
