"""A notebook's lineage log as the routes read it: confined, regular, bounded, parsed safely.

Why not ``lineage.overview.load_lineage`` directly: it opens the log by path, as often as it
needs, with no bound; the server must decide on one open descriptor (root first, then the file
type, then the ETag, then the size) and parse the bytes it read. The parsing itself is the
lineage package's (``parse_record``, ``verify_bytes``); a log that makes it raise (a record
nested too deeply, NaN where JSON has none) is a 422 naming the log, not a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..lineage.chain import VerifyResult, parse_record, split_lines, verify_bytes
from ..lineage.overview import NO_LINEAGE, NOT_A_LOG, notebook_lineage_file
from .files import RegularFile, opened_regular, shared_lock
from .paths import Refused, inside, relative_to_root, root_of

LOG_OUTSIDE = "the lineage log is outside the server's root"
BAD_RECORD = ("the lineage log {name} holds a record that cannot be read ({why}): "
              "run `mlsec lineage verify` on it")
LIMIT_SETTING = "max_lineage_mb"


@dataclass(frozen=True)
class LogRead:
    """What a route needs from a log: its root-relative name, ETag, records and verification.

    ``records``/``result`` are None when the caller's ETag matched (nothing was read).
    """

    name: str
    etag: str
    records: list[dict[str, Any]] | None = None
    result: VerifyResult | None = None


def lineage_log(root_dir: str | Path, notebook: Path) -> tuple[Path, str]:
    """The log of ``notebook`` and its root-relative name; 403 when it resolves outside."""
    root = root_of(root_dir)
    path = notebook_lineage_file(notebook)
    if not inside(root, path):
        raise Refused(403, "forbidden", LOG_OUTSIDE)
    resolved = path.resolve(strict=False)
    return resolved, relative_to_root(root, resolved)


def read_log(root_dir: str | Path, notebook: Path, notebook_name: str, limit_mb: int,
             if_none_match: str | None = None) -> LogRead:
    """Read and verify the log of ``notebook``, in this order (each step can refuse).

    Root (403) -> exists (404 ``no-lineage``) -> regular file (422) -> ETag (``If-None-Match``
    matches: nothing is read) -> size (413) -> shared lock (429 after a short wait) -> parse
    and verify (422 for a file with no record, or one whose records cannot be read).
    """
    path, name = lineage_log(root_dir, notebook)
    missing = Refused(404, "no-lineage", NO_LINEAGE.format(notebook=notebook_name))
    with opened_regular(path, name, missing=missing) as file:
        if if_none_match is not None and _matches(if_none_match, file.etag):
            return LogRead(name, file.etag)
        file.check_size(limit_mb, LIMIT_SETTING)
        with shared_lock(file):
            data = file.read(limit_mb, LIMIT_SETTING)
        records, result = parse_log(data, file)
        return LogRead(name, file.etag, records, result)


def check_log_writable(root_dir: str | Path, notebook: Path, limit_mb: int) -> Path:
    """The log a scan will append to: inside the root, and a bounded regular file if present."""
    path, name = lineage_log(root_dir, notebook)
    try:
        with opened_regular(path, name) as file:
            file.check_size(limit_mb, LIMIT_SETTING)
    except Refused as exc:
        if exc.status != 404 or exc.code != "not-found":
            raise
    return path


def parse_log(data: bytes, file: RegularFile) -> tuple[list[dict[str, Any]], VerifyResult]:
    """The records in ``data`` and the chain's verification, or 422 saying why there are none."""
    try:
        records = [record for _offset, line, _terminated in split_lines(data)
                   if (record := parse_record(line)) is not None]
        result = verify_bytes(data)
    except (RecursionError, ValueError, TypeError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else type(exc).__name__
        raise Refused(422, "invalid-input", BAD_RECORD.format(name=file.name, why=why)) from None
    if not records and data:
        raise Refused(422, "invalid-input", NOT_A_LOG.format(path=Path(file.name).name))
    return records, result


def _matches(header: str, etag: str) -> bool:
    """RFC 9110 ``If-None-Match``: ``*`` or a list of (possibly weak) tags."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
