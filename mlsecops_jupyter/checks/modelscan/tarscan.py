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
from typing import Any

from ...core.progress import task
from .archive_names import report_links, report_traversal
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
    try:
        archive = tarfile.open(  # noqa: SIM115 - closed in the ``finally`` below
            fileobj=fileobj, mode="r:" if random_access else "r|")
    except tarfile.TarError as exc:
        ctx.add("MODEL-MALFORMED", f"tar archive does not parse: {one_line(exc)}")
        return
    try:
        with task(f"modelscan: members of {where}", total=None) as progress:
            for member in archive:
                progress.advance()
                if len(names) >= ctx.settings.max_members:
                    raise ScanLimitReached(
                        f"tar has more than max_members={ctx.settings.max_members} entries")
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
    report_traversal(ctx, "tar", names)
    report_links(ctx, "tar symbolic", symlinks)
    report_links(ctx, "tar hard", hardlinks, from_root=True)
    size = source.size if source.size is not None else source.tell()
    ctx.note_format("tar", bytes=size, members=len(names))


def _opener(archive: tarfile.TarFile, member: tarfile.TarInfo, source: Source,
            ctx: ScanContext) -> Any:
    """How to open one member's content: a window of the file, or the stream's next bytes.

    Members of a streamed tar up to ``SPOOL_IN_MEMORY`` are read into memory (counted against
    the budget), so formats recognised by structure (ONNX, SavedModel) are found in a
    ``.tar.gz`` too; larger members stay streams.
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
                                     f"tar member {member.name}")
        if member.size <= SPOOL_IN_MEMORY:  # small members in memory: structure sniffing works
            return MemorySource(member_stream.read(member.size))
        return member_stream

    return stream
