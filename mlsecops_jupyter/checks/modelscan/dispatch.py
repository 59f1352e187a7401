"""Route a byte source to the scanner of the format its content proves.

Every file and every archive member goes through ``scan_source``. Format scanners are imported
lazily from a table, so scanning a pickle never imports the ONNX or 7z code.
"""

from __future__ import annotations

import contextlib
import importlib
import mmap
import re
from collections.abc import Callable, Iterator
from typing import Any

from .context import ScanContext, ScanLimitReached, ScanState
from .sniff import HEAD_BYTES, RANDOM_ACCESS_FORMATS, is_tar_header, legacy_torch_magic, sniff
from .source import CHUNK, MemorySource, Source

# format -> (module, function): the function takes (source, ctx) and records its own findings
HANDLERS: dict[str, tuple[str, str]] = {
    "pickle": (__name__, "scan_pickle_file"),
    "zip": ("zipscan", "scan_zip"),
    "npy": ("numpy_scan", "scan_npy"),
    "hdf5": ("keras_scan", "scan_hdf5"),
    "7z": ("sevenzip", "scan_7z"),
    "tar": ("tarscan", "scan_tar"),
    "gguf": ("gguf_scan", "scan_gguf"),
    "xgboost-json": ("native_formats", "scan_inert"),
    "xgboost-ubj": ("native_formats", "scan_inert"),
    "xgboost-binary": ("native_formats", "scan_inert"),
    "lightgbm": ("native_formats", "scan_inert"),
    "catboost": ("native_formats", "scan_inert"),
    "tflite": ("native_formats", "scan_tflite"),
    "tf-savedmodel": ("savedmodel_scan", "scan_saved_model"),
    "keras-metadata": ("savedmodel_scan", "scan_keras_metadata"),
    "safetensors": ("safetensors_scan", "scan_safetensors"),
    "onnx": ("onnx_scan", "scan_onnx"),
    "gzip": ("compressed", "scan_gzip"),
    "zlib": ("compressed", "scan_zlib"),
    "bz2": ("compressed", "scan_bz2"),
    "xz": ("compressed", "scan_xz"),
    "lzma": ("compressed", "scan_lzma"),
    "lz4": ("compressed", "scan_lz4"),
    "joblib-zf": ("compressed", "scan_joblib_zf"),
    "pytorch-legacy-tar": ("torch_legacy_tar", "scan_legacy_torch_tar"),
}

ZIP_END_RECORD = 22  # bytes of a zip's end-of-central-directory record
# decompressed members up to this size are spooled in memory, larger ones to a temporary file
SPOOL_IN_MEMORY = 32 << 20

_PROTOBUF_WIRE_TYPES = frozenset({0, 1, 2, 5})  # varint, 64-bit, length-delimited, 32-bit
# a plausible pickle GLOBAL: dotted identifiers (random text parsed as a pickle yields garbage)
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]*$")


def scan_source(source: Source, ctx: ScanContext, explicit: bool, quiet: bool = False) -> str:
    """Scan ``source`` as whatever its content is; returns the format name (``unknown``).

    ``explicit`` says the user named this input: content that is no model then becomes a
    MODEL-UNSUPPORTED finding; otherwise (directory walks, archive members) it is listed as
    skipped.
    ``quiet`` drops that listing for members a format defines as non-model (a checkpoint's
    ``version`` file); the format's own metrics count them instead.
    """
    head = source.peek(HEAD_BYTES)
    if not head:
        _not_a_model(ctx, explicit, quiet, "empty file" if not ctx.members else "empty member")
        return "empty"
    fmt = sniff(head)
    if fmt == "tar" and _legacy_torch_tar(source, head):
        fmt = "pytorch-legacy-tar"  # read as torch.load reads it, not as a plain tar
    if fmt is None:
        from .native_formats import sniff_native

        fmt = sniff_native(head)
    if not isinstance(source, MemorySource) and _needs_whole_content(fmt, head):
        with spooled(source) as memory:
            return scan_source(memory, ctx, explicit, quiet)
    if fmt is None and isinstance(source, MemorySource):
        fmt = _sniff_structure(source)
    if fmt is None:
        if _try_headerless_pickle(source, ctx):
            fmt = "pickle"
        elif isinstance(source, MemorySource) and _has_zip_directory(source):
            fmt = "zip"  # junk before a zip: zip readers find the archive from its end
            _run_handler(fmt, source, ctx)
        else:
            _not_a_model(ctx, explicit, quiet, "not a model file")
            return "unknown"
    else:
        _run_handler(fmt, source, ctx)
    if isinstance(source, MemorySource):
        _scan_polyglot_tar(source, ctx, fmt, head)
        if fmt != "zip":
            _scan_appended_zip(source, ctx)
    return fmt


def scan_member(ctx: ScanContext, name: str, open_source: Callable[[], Source],
                quiet: bool = False) -> str:
    """Scan one archive member in a child context; one broken member never stops the others.

    Nesting deeper than ``max_archive_depth`` makes that member MODEL-SCAN-INCOMPLETE and the
    scan goes on; the global budgets (members, decompressed bytes) stop the whole file.
    """
    if ctx.depth + 1 > ctx.settings.max_archive_depth:
        ctx.incomplete(
            f"member {name!r} not scanned: archive nesting deeper than max_archive_depth="
            f"{ctx.settings.max_archive_depth}",
            {"member": name, "depth": ctx.depth + 1},
        )
        return "not-scanned"
    child = ctx.child(name)
    try:
        return scan_source(open_source(), child, explicit=False, quiet=quiet)
    except ScanLimitReached:
        raise
    except Exception as exc:  # a crafted member must not end the scan of its siblings
        child.add("MODEL-MALFORMED", f"cannot parse member: {one_line(exc)}")
        return "error"


def one_line(exc: BaseException) -> str:
    """An exception as one short line for a finding (never a traceback)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:300]}"


# -- pickles ---------------------------------------------------------------------------------
def scan_pickle_file(source: Source, ctx: ScanContext) -> None:
    """A protocol-marked pickle: legacy torch checkpoints, joblib files or plain pickles."""
    if legacy_torch_magic(source.peek(16)):
        from .torch_scan import scan_legacy_torch

        scan_legacy_torch(source, ctx)
        return
    from .pickle_scan import scan_pickle_stream

    start = source.tell()
    results = scan_pickle_stream(source, ctx)
    note_pickles(ctx, "pickle", results, source.tell() - start)


def note_pickles(ctx: ScanContext, fmt: str, results: list[Any], size: int, **facts: Any) -> None:
    """Record what a pickle stream held in ``metrics.files``."""
    imported = sorted({f"{module}.{name}" for r in results for module, name in r.globals})
    ctx.note_format(
        fmt,
        bytes=size,
        pickles=len(results),
        opcodes=sum(r.opcodes for r in results),
        globals=imported,
        **facts,
    )


def _try_headerless_pickle(source: Source, ctx: ScanContext) -> bool:
    """Protocol 0/1 pickles have no header: parse in trial mode into a scratch state.

    The trial counts as a pickle when it parses to STOP, or when it imported something that
    looks like a real Python name before failing (a damaged pickle is still a pickle). Random
    text fails without a plausible import and is left alone.
    """
    from .pickle_scan import scan_pickle, scan_pickle_stream

    scratch = ScanState(ctx.settings)
    trial_ctx = ScanContext(scratch, ctx.file, ctx.members, ctx.depth)
    start = source.tell()
    result = scan_pickle(source, trial_ctx, report_errors=False)
    plausible = any(
        _IDENTIFIER.match(module) and _IDENTIFIER.match(name) for module, name in result.globals
    )
    if not (result.ok or plausible):
        return False
    if isinstance(source, MemorySource):
        source.seek(start)
        results = scan_pickle_stream(source, ctx)
    else:  # a stream cannot rewind: keep what the trial found, then read on
        _merge_state(ctx.state, scratch)
        results = [result]
        if result.ok:
            results += scan_pickle_stream(source, ctx)
        else:
            ctx.add("MODEL-MALFORMED", f"pickle (protocol 0/1) does not parse: {result.error}",
                    result.end)
    note_pickles(ctx, "pickle", results, source.tell() - start, protocol=0)
    return True


def _merge_state(into: ScanState, scratch: ScanState) -> None:
    into.findings.extend(scratch.findings)
    into.skipped.extend(scratch.skipped)
    into.formats.extend(scratch.formats)
    for name, count in scratch.globals_seen.items():
        into.globals_seen[name] = into.globals_seen.get(name, 0) + count
    into.opcodes += scratch.opcodes
    into.opcodes_skipped += scratch.opcodes_skipped


# -- structure-based recognition -------------------------------------------------------------
def _legacy_torch_tar(source: Source, head: bytes) -> bool:
    """A tar with torch's legacy members (the tar module is imported only for a tar header)."""
    from .torch_legacy_tar import is_legacy_torch_tar

    return is_legacy_torch_tar(source, head)


def _needs_whole_content(fmt: str | None, head: bytes) -> bool:
    """Whether a stream must be spooled (memory up to SPOOL_IN_MEMORY, then a temporary file).

    Structure decides what it is (ONNX, SavedModel, a zip behind junk: the whole content is
    parsed), or it is a tar that is also a pickle (both readings need the start again).
    Pickles, compressed streams and plain tars are scanned as they stream.
    """
    if fmt is None:
        return not _streams_as_pickle(head)
    if fmt == "tar":
        return _streams_as_pickle(head)
    return is_tar_header(head)


def _streams_as_pickle(head: bytes) -> bool:
    """Whether an unrecognised stream's head starts a header-less pickle (read as a stream)."""
    from .pickle_scan import looks_like_pickle

    return looks_like_pickle(head)


def _scan_polyglot_tar(source: MemorySource, ctx: ScanContext, fmt: str, head: bytes) -> None:
    """A file that is a tar AND something else: each reader sees its own content.

    A tar header's first 100 bytes are a free-form name, so they can hold a whole pickle:
    ``pickle.load`` runs that pickle while ``tarfile`` (and ``torch.load``'s legacy reader,
    which tries tar first) reads the members. Whichever the file was scanned as, the other
    reading is scanned too, and the double reading is an anomaly.
    """
    is_tar = fmt in ("tar", "pytorch-legacy-tar")
    if is_tar:
        other = _tar_name_pickle(source, ctx)
    elif fmt != "unknown" and is_tar_header(head):
        other = "tar"
    else:
        return
    if other is None:
        return
    ctx.add(
        "MODEL-ARCHIVE-ANOMALY",
        f"the file reads both as a tar archive and as {other if is_tar else fmt}: a tar "
        "header's name field holds the other format, so loaders see different content; both "
        "readings were scanned",
        0, {"formats": sorted({fmt, other})},
    )
    if other == "tar":
        source.seek(0)
        fmt = "pytorch-legacy-tar" if _legacy_torch_tar(source, head) else "tar"
        _run_handler(fmt, source, ctx)


def _tar_name_pickle(source: MemorySource, ctx: ScanContext) -> str | None:
    """Scan a tar from its first byte as a pickle when it parses as one (_scan_polyglot_tar).

    The pickle may run on past the name into the rest of the header and the first member (a
    string opcode swallows them), so the trial reads the whole file, not just the name.
    """
    whole = source.window(0, source.size)
    if not _streams_as_pickle(whole.peek(HEAD_BYTES)) or not _try_headerless_pickle(whole, ctx):
        return None
    return "pickle"


def _sniff_structure(source: MemorySource) -> str | None:
    """Formats recognised by parsing a little of them (random-access sources only).

    All of them are protobuf messages, whose first tag names a field >= 1 with a valid wire
    type: anything else (a zero-filled blob, most raw weights) is not parsed at all, which
    matters since a field walk over megabytes of such bytes costs seconds.
    """
    first = source.peek(1)
    if not first or first[0] >> 3 == 0 or first[0] & 7 not in _PROTOBUF_WIRE_TYPES:
        return None
    from .onnx_scan import looks_like_onnx

    if looks_like_onnx(source):
        return "onnx"
    from .savedmodel_scan import structure_format

    return structure_format(source)


def _has_zip_directory(source: MemorySource) -> bool:
    from .zipscan import find_end_of_central_directory

    return find_end_of_central_directory(source) is not None


def _scan_appended_zip(source: MemorySource, ctx: ScanContext) -> None:
    """A zip glued behind other content: zip readers (and torch.load) find it from the end."""
    tail = ZIP_END_RECORD + 0xFFFF  # the end record, behind a comment of up to 64 KB
    if b"PK\x05\x06" not in source.bytes_at(max(0, source.size - tail), tail):
        return  # no end record: the zip code is not even imported
    from .zipscan import find_end_of_central_directory, scan_zip

    end = find_end_of_central_directory(source)
    if end is None or end.archive_start <= 0:
        return
    ctx.add(
        "MODEL-ARCHIVE-ANOMALY",
        f"a zip archive is appended after {end.archive_start} bytes of other content "
        "(a polyglot file: zip readers see the archive, other loaders the head)",
        end.archive_start,
        {"archive_start": end.archive_start},
    )
    source.seek(0)
    scan_zip(source, ctx)


def _run_handler(fmt: str, source: Source, ctx: ScanContext) -> None:
    module_name, function_name = HANDLERS[fmt]
    if module_name == __name__:
        handler = globals()[function_name]
    else:
        handler = getattr(importlib.import_module(f"{__package__}.{module_name}"), function_name)
    if fmt in RANDOM_ACCESS_FORMATS and not isinstance(source, MemorySource):
        with spooled(source) as memory:
            handler(memory, ctx)
    else:
        handler(source, ctx)


def _not_a_model(ctx: ScanContext, explicit: bool, quiet: bool, why: str) -> None:
    if quiet:
        return
    if explicit:
        ctx.add("MODEL-UNSUPPORTED", f"{why}: the content matches no model format")
    else:
        ctx.skip("", why)


@contextlib.contextmanager
def spooled(source: Source) -> Iterator[MemorySource]:
    """A forward-only stream as a random-access source: in memory when small, else a temp file.

    The stream's own budget (``max_decompressed_mb``) bounds the size; memory stays bounded by
    ``SPOOL_IN_MEMORY`` because larger content goes to an anonymous temporary file that is mapped.
    """
    if isinstance(source, MemorySource):
        yield source
        return
    buffer = bytearray()
    spill = None
    mapped = None
    try:
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                break
            if spill is None and len(buffer) + len(chunk) > SPOOL_IN_MEMORY:
                import tempfile

                spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed in ``finally``
                spill.write(buffer)
                buffer = bytearray()
            if spill is not None:
                spill.write(chunk)
            else:
                buffer += chunk
        if spill is None:
            yield MemorySource(bytes(buffer))
            return
        spill.flush()
        mapped = mmap.mmap(spill.fileno(), 0, access=mmap.ACCESS_READ)
        yield MemorySource(mapped)
    finally:
        if mapped is not None:
            with contextlib.suppress(BufferError):
                mapped.close()
        if spill is not None:
            spill.close()
