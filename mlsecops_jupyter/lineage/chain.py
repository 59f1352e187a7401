"""Canonical JSON, the SHA-256 hash chain, and its verification.

Each record carries ``seq`` (its position, from 0), ``prev`` (the ``hash`` of the record before
it, ``GENESIS`` for the first) and ``hash``: the SHA-256 of the record's *canonical JSON* without
its own ``hash`` member. Canonical JSON is the record with keys sorted, no whitespace, UTF-8 (no
ASCII escaping), no NaN/Infinity literals. Editing a record breaks its own ``hash``; removing,
inserting or reordering records breaks ``seq`` and ``prev``. The writer stores each record as
exactly its canonical JSON plus a newline, so a verifier needs nothing but this module.

What a hash chain cannot show on its own: that the *last* records were cut off, or that someone
recomputed every hash after an edit. Both are caught against an anchor kept elsewhere (the head
hash written into a model card, a CI artefact or a commit): ``verify_bytes(..., anchor=head)``.

Bytes that are not a record (a line torn by a killed kernel, or a line that does not parse as a
record: not UTF-8, not JSON, a ``NaN``/``Infinity`` literal, nested too deep, another schema) are
allowed only when the next record is a ``recovery`` record naming their offset, length and
SHA-256; a torn last line is reported (``torn_tail``), never trusted.

Reading never raises on hostile bytes: ``parse_record`` answers None for anything that is not a
record, and ``verify_bytes`` reports the first bad line in one sentence.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from .schema import GENESIS, SCHEMA

try:  # the C encoder json itself uses; made directly to skip json's per-call Python layers
    from _json import make_encoder as _c_make_encoder
except ImportError:  # pragma: no cover - CPython always has _json
    _c_make_encoder = None  # type: ignore[assignment,misc]
_encode_str = json.encoder.encode_basestring  # ensure_ascii=False, as _CANONICAL


def to_plain(value: Any, _depth: int = 0) -> Any:
    """``value`` as plain JSON types, deterministically.

    Why: reports carry numpy scalars, tuples, sets and paths, and NaN is common in metrics; the
    hash must be computable and identical on every reader, so the record is normalised once,
    before hashing. NaN and infinities become the strings ``"NaN"``, ``"Infinity"``,
    ``"-Infinity"`` (JSON has no literal for them); unknown objects become ``str(value)``.
    """
    if _depth > 64:
        return "<nested too deep>"
    if isinstance(value, str):
        return _utf8_safe(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _plain_float(value)
    if isinstance(value, dict):
        return {_utf8_safe(str(key)): to_plain(item, _depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item, _depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_plain(item, _depth + 1) for item in value), key=str)
    if isinstance(value, bytes):
        return value.hex()
    label = getattr(value, "label", None)  # Severity
    if isinstance(label, str):
        return label
    item = getattr(value, "item", None)  # numpy scalar
    if callable(item) and getattr(value, "ndim", 1) == 0:
        try:
            return to_plain(item(), _depth + 1)
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        try:
            return to_plain(tolist(), _depth + 1)
        except (TypeError, ValueError):
            pass
    return str(value)


def _utf8_safe(text: str) -> str:
    """``text``, with unpaired surrogates (which UTF-8 cannot hold) written as ``\\udXXX``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _plain_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(value)


def canonical_json(record: dict[str, Any]) -> bytes:
    """The one byte form a record is hashed (and stored) in: sorted keys, no whitespace, UTF-8."""
    return _CANONICAL.encode(record).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON without its own ``hash`` member."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def seal(body: dict[str, Any], *, seq: int, prev: str) -> tuple[dict[str, Any], bytes]:
    """The stored record (``body`` plus schema, seq, prev, hash) and its line, newline included.

    The line is byte-identical to ``canonical_json(record)``. It is built from two encodings,
    the members that sort before ``hash`` and those after it, so the hashed text and the stored
    line share them and the record is encoded once, by the C encoder (this is on the per-cell
    path: per-member encoding cost more than the rest of sealing).
    """
    record = {**body, "schema": SCHEMA, "seq": seq, "prev": prev}
    record.pop("hash", None)
    try:
        head, tail, digest = _hashed_halves(record)
    except (TypeError, ValueError, RecursionError):  # numpy scalars, NaN, sets, lone surrogates
        record = to_plain(record)
        head, tail, digest = _hashed_halves(record)
    record["hash"] = digest
    return record, (head + '"hash":"' + digest + '",' + tail + "\n").encode("utf-8")


def _hashed_halves(record: dict[str, Any]) -> tuple[str, str, str]:
    """The canonical JSON around where ``hash`` goes (``{...,`` and ``...}``), and the SHA-256
    of the two joined: the members sorting before ``hash`` and those after it (never none:
    schema, seq and prev sort after it). Raises on what JSON or UTF-8 cannot hold."""
    before = _dumps({key: value for key, value in record.items() if key < "hash"})
    after = _dumps({key: value for key, value in record.items() if key > "hash"})
    head = "{" if before == "{}" else before[:-1] + ","
    tail = after[1:]
    return head, tail, hashlib.sha256((head + tail).encode("utf-8")).hexdigest()


def _dumps(value: dict[str, Any]) -> str:
    """``_CANONICAL.encode(value)`` through a C encoder made for this one call (a fresh circular
    reference guard each time, as ``json`` itself makes one per call)."""
    if _c_make_encoder is None:  # pragma: no cover - CPython always has _json
        return _CANONICAL.encode(value)
    encoder = _c_make_encoder({}, _no_default, _encode_str, None, ":", ",", True, False, False)
    return "".join(encoder(value, 0))


def _no_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)


def parse_record(line: bytes) -> dict[str, Any] | None:
    """The record on ``line``, or None when the bytes are not a ``mlsecops-lineage/1`` record."""
    return _parse(line)[0]


def record_problem(line: bytes) -> str:
    """Why ``line`` is not a record, in a few words (``""`` when it is one)."""
    return _parse(line)[1]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} literal")


# NaN, Infinity and -Infinity are not JSON; Python's parser accepts them unless told not to
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _parse(line: bytes) -> tuple[dict[str, Any] | None, str]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8"
    try:
        record = _DECODER.decode(text)
    except RecursionError:
        return None, "JSON nested too deeply to read"
    except json.JSONDecodeError:
        return None, "not JSON"
    except ValueError as exc:
        literal = str(exc).removesuffix(" literal")
        if literal in ("NaN", "Infinity", "-Infinity"):
            return None, f"JSON with a {literal} literal, which JSON does not allow"
        return None, "JSON that cannot be read (" + " ".join(str(exc).split())[:80] + ")"
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        return None, f"not a {SCHEMA} record"
    seq = record.get("seq")
    if type(seq) is not int or seq < 0 or not isinstance(record.get("hash"), str):
        return None, "a record without a valid seq or hash"
    if _SURROGATE_ESCAPE.search(line):
        try:  # an escaped unpaired surrogate cannot be hashed in canonical UTF-8
            canonical_json(record)
        except UnicodeEncodeError:
            return None, "a record with an unpaired surrogate, which UTF-8 cannot hold"
    return record, ""


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found.

    ``count`` is the number of records verified before the first problem; ``first_bad`` the
    0-based index (in lines of the file) of the first line that is not a valid next record;
    ``head`` the hash of the last valid record (what a model card quotes); ``recovered`` how
    many torn writes were properly closed by a recovery record.
    """

    ok: bool
    count: int
    first_bad: int | None
    reason: str
    torn_tail: bool = False
    head: str | None = None
    recovered: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "count": self.count, "first_bad": self.first_bad,
            "reason": self.reason, "torn_tail": self.torn_tail, "head": self.head,
            "recovered": self.recovered,
        }


def split_lines(data: bytes) -> list[tuple[int, bytes, bool]]:
    """``(offset, line, terminated)`` for every line of ``data`` (newline not included)."""
    lines: list[tuple[int, bytes, bool]] = []
    start = 0
    size = len(data)
    while start < size:
        end = data.find(b"\n", start)
        if end < 0:
            lines.append((start, data[start:], False))
            break
        lines.append((start, data[start:end], True))
        start = end + 1
    return lines


def verify_bytes(data: bytes, *, anchor: str | None = None) -> VerifyResult:
    """Check the whole chain in ``data`` (the bytes of a lineage file).

    ``anchor`` is a record hash known from elsewhere; the chain must contain it, which is how a
    removed tail (or a wholesale rewrite) is detected.
    """
    expected_prev, count, recovered = GENESIS, 0, 0
    garbage_start: int | None = None  # offset of bytes that are not records, awaiting recovery
    garbage_index = 0
    garbage_why = ""
    seen_anchor = anchor is None
    for index, (offset, line, terminated) in enumerate(split_lines(data)):
        record, why = _parse(line)
        if record is None:
            if not terminated:
                return VerifyResult(
                    False, count, index,
                    f"torn last line {index} at byte {offset} ({len(line)} bytes, {why}): a "
                    "write did not finish (kernel stopped?); its content is not trusted, and "
                    "the next append closes it with a recovery record",
                    torn_tail=True, head=_head(expected_prev), recovered=recovered,
                )
            if garbage_start is None:
                garbage_start, garbage_index, garbage_why = offset, index, why
            continue
        if garbage_start is not None:
            problem = _recovery_problem(data, record, garbage_start, offset, garbage_index,
                                        garbage_why)
            if problem:
                bad_index = index if record.get("kind") == "recovery" else garbage_index
                return _bad(count, bad_index, problem, expected_prev, recovered)
            garbage_start = None
            recovered += 1
        elif record.get("kind") == "recovery":
            return _bad(count, index, "recovery record without torn bytes before it",
                        expected_prev, recovered)
        problem = _link_problem(record, count, expected_prev)
        if problem:
            return _bad(count, index, problem, expected_prev, recovered)
        expected_prev = record["hash"]
        seen_anchor = seen_anchor or expected_prev == anchor
        count += 1
    if garbage_start is not None:
        return VerifyResult(False, count, garbage_index,
                            f"line {garbage_index} (byte {garbage_start}) is not a lineage record "
                            f"({garbage_why}) and no recovery record accounts for it; the next "
                            "append closes it with one", head=_head(expected_prev),
                            recovered=recovered)
    if not seen_anchor:
        return VerifyResult(False, count, None,
                            f"anchor {anchor} is not in the chain: records were removed from "
                            "the end or the log was rewritten", head=_head(expected_prev),
                            recovered=recovered)
    return VerifyResult(True, count, None, f"{count} records, chain intact",
                        head=_head(expected_prev), recovered=recovered)


def _head(last_hash: str) -> str | None:
    return None if last_hash == GENESIS else last_hash


def _bad(count: int, index: int, reason: str, prev: str, recovered: int) -> VerifyResult:
    return VerifyResult(False, count, index, reason, head=_head(prev), recovered=recovered)


def _link_problem(record: dict[str, Any], expected_seq: int, expected_prev: str) -> str:
    """Why ``record`` cannot follow the verified chain, or ``""`` when it can."""
    if record["seq"] != expected_seq:
        return (f"record has seq {record['seq']} where {expected_seq} was expected: records "
                "were removed, inserted or reordered")
    if record.get("prev") != expected_prev:
        return "prev does not match the previous record's hash: the chain was altered"
    if record_hash(record) != record["hash"]:
        return "hash does not match the record's content: the record was edited"
    return ""


def _recovery_problem(data: bytes, record: dict[str, Any], start: int, record_offset: int,
                      line_index: int, why: str) -> str:
    """Why the bytes ``data[start:record_offset]`` are not accounted for by ``record``."""
    torn = record.get("torn") if record.get("kind") == "recovery" else None
    if not isinstance(torn, dict):
        return (f"line {line_index} (byte {start}) is not a lineage record ({why}) and no "
                "recovery record names it")
    length = torn.get("length")
    if torn.get("offset") != start or not isinstance(length, int):
        return "recovery record names other bytes than the ones before it"
    span = data[start:start + length]
    gap = data[start + length:record_offset]
    if gap not in (b"", b"\n") or hashlib.sha256(span).hexdigest() != torn.get("sha256"):
        return "recovery record's hash of the torn bytes does not match them"
    return ""
