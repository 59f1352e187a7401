"""Tar archives (plain, or inside gzip/bz2/xz): every member scanned by content, like zip's.

Models travel as ``.tar.gz`` (TensorFlow Hub, many mirrors), and a tar is one more container a
payload can hide in. The standard library's ``tarfile`` only parses headers here (nothing is
extracted, no filter matters): a file on disk is read with random access and each member is a
zero-copy window of it; a tar that is itself decompressed is read as a stream, each member in
turn, counted against ``max_decompressed_mb``. Names are judged by ``archive_names`` (a member
named ``../x`` is still scanned), links are reported, device and FIFO entries are listed as
skipped.
"""

from __future__ import annotations

import io
import tarfile
from collections import Counter
from typing import Any

from ...core.progress import task
from .archive_names import MAX_LISTED, report_links, report_traversal
from .context import ScanContext, ScanLimitReached
from .source import MemorySource, Source, StreamSource


class _SourceReader(io.RawIOBase):
    """A forward-only file object over any ``Source`` (tarfile's stream mode reads it)."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._source.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


# header types whose content tarfile reads whole into memory (pax records, GNU long names)
_EXTENDED_HEADERS = frozenset({tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE,
                               tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK})


def _bounded_tarinfo(limit_mb: int) -> type[tarfile.TarInfo]:
    """A ``TarInfo`` that refuses extended headers over ``max_header_mb`` before reading them.

    ``tarfile`` reads a pax or GNU long-name header into memory in one piece, whatever size it
    declares: 1 MB of ``.tar.gz`` declaring a 1 GB pax header took 2 GB of memory, and the
    decompression budget (16 GB) would not stop it in time.
    """
    limit = limit_mb << 20

    class _BoundedTarInfo(tarfile.TarInfo):
        def _proc_member(self, tar: tarfile.TarFile) -> tarfile.TarInfo:
            if self.type in _EXTENDED_HEADERS and self.size > limit:
                raise ScanLimitReached(
                    f"tar extended header (pax or GNU long name) of {self.size} bytes: more "
                    f"than max_header_mb={limit_mb}")
            return super()._proc_member(tar)  # type: ignore[misc,no-any-return]

    return _BoundedTarInfo


def scan_tar(source: Source, ctx: ScanContext) -> None:
    """Scan each member of a tar; links, traversal names and damage are reported."""
    from .dispatch import one_line, scan_member
    from .sevenzip import _SeekableWindow

    random_access = isinstance(source, MemorySource)
    fileobj: Any = (io.BufferedReader(_SeekableWindow(source)) if random_access  # type: ignore[arg-type]
                    else io.BufferedReader(_SourceReader(source)))
    names: list[str] = []
    symlinks: dict[str, str] = {}
    hardlinks: dict[str, str] = {}
    special = 0
    where = f"{ctx.file}!{ctx.member}" if ctx.member else ctx.file
    gaps: list[dict[str, Any]] = []
    try:
        # ignore_zeros: read on past a damaged header or an end-of-archive marker to the next
        # valid header, as ``tar --ignore-zeros`` and GNU tar's own resync do; tarfile's default
        # stops there silently, which would hide every member behind one broken block
        archive = tarfile.open(  # noqa: SIM115 - closed in the ``finally`` below
            fileobj=fileobj, mode="r:" if random_access else "r|", ignore_zeros=True,
            tarinfo=_bounded_tarinfo(ctx.settings.max_header_mb))
    except tarfile.TarError as exc:
        ctx.add("MODEL-MALFORMED", f"tar archive does not parse: {one_line(exc)}")
        return
    try:
        with task(f"modelscan: members of {where}", total=None) as progress:
            expected = 0  # where the next header should start
            for member in archive:
                progress.advance()
                if len(names) >= ctx.settings.max_members:
                    raise ScanLimitReached(
                        f"tar has more than max_members={ctx.settings.max_members} entries")
                if member.offset > expected:
                    gaps.append({"member": member.name, "at": expected,
                                 "bytes": member.offset - expected})
                expected = archive.offset
                names.append(member.name)
                if member.issym():
                    symlinks[member.name] = member.linkname
                elif member.islnk():
                    hardlinks[member.name] = member.linkname
                elif member.isfile():
                    scan_member(ctx, member.name, _opener(archive, member, source, ctx))
                elif not member.isdir():
                    special += 1
    except tarfile.TarError as exc:  # damaged or truncated after the members read so far
        ctx.add("MODEL-MALFORMED", f"tar archive is damaged after {len(names)} member(s): "
                f"{one_line(exc)}; the members before the damage were scanned")
    finally:
        archive.close()
    if special:
        ctx.skip(f"{special} device, FIFO or other special member(s)", "hold no data to scan")
    _report_structure(ctx, names, gaps)
    report_traversal(ctx, "tar", names)
    report_links(ctx, "tar symbolic", symlinks)
    report_links(ctx, "tar hard", hardlinks, from_root=True)
    size = source.size if source.size is not None else source.tell()
    ctx.note_format("tar", bytes=size, members=len(names))


def _report_structure(ctx: ScanContext, names: list[str], gaps: list[dict[str, Any]]) -> None:
    """Members only some readers see: behind unreadable blocks, or sharing a name."""
    if gaps:
        first = gaps[0]
        ctx.add(
            "MODEL-ARCHIVE-ANOMALY",
            f"{len(gaps)} run(s) of blocks that are no valid tar header (damage, or an "
            f"end-of-archive marker with members hidden behind it), e.g. {first['bytes']} "
            f"bytes before member {first['member']!r}: Python's tarfile stops there, GNU tar "
            "skips on; every member found behind them was scanned",
            first["at"], {"anomaly": "unreadable-blocks", "gaps": gaps[:MAX_LISTED]},
        )
    counts = Counter(names)
    repeated = sorted(name for name, count in counts.items() if count > 1)
    if repeated:
        ctx.add(
            "MODEL-ARCHIVE-ANOMALY",
            f"{len(repeated)} tar member name(s) occur more than once, e.g. {repeated[0]!r}: "
            "unpacking keeps the last copy, a scanner reading the first is fooled; every copy "
            "was scanned",
            evidence={"anomaly": "duplicate-name",
                      "names": {name: counts[name] for name in repeated[:MAX_LISTED]}},
        )


def _opener(archive: tarfile.TarFile, member: tarfile.TarInfo, source: Source,
            ctx: ScanContext) -> Any:
    """How to open one member's content: a window of the file, or the stream's next bytes.

    A streamed tar's bytes were counted against ``max_decompressed_mb`` as the stream produced
    them, so its members are not counted a second time. Members up to ``SPOOL_IN_MEMORY`` are
    read into memory; larger ones stay streams, which ``dispatch`` scans as they come when
    their head says how (a pickle, a compressed stream) and otherwise spools to a temporary
    file, so formats recognised by structure (ONNX, SavedModel, a zip behind junk) are found
    at any size with bounded memory.
    """
    from .dispatch import SPOOL_IN_MEMORY

    if isinstance(source, MemorySource) and not member.issparse():
        start = member.offset_data
        end = min(start + member.size, source.size)
        return lambda: source.window(start, end)

    def stream() -> Source:
        content = archive.extractfile(member)
        if content is None:
            return MemorySource(b"")
        member_stream = StreamSource(content, ctx.state,  # type: ignore[arg-type]
                                     f"tar member {member.name}",
                                     counted=not isinstance(source, StreamSource))
        if member.size <= SPOOL_IN_MEMORY:  # small members in memory: structure sniffing works
            return MemorySource(member_stream.read(member.size))
        return member_stream

    return stream
