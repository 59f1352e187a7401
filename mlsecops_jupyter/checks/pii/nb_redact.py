"""``redact_notebook``: a copy of a notebook holding none of the values its scan found.

Masking only the spans the scan reported left values behind wherever else they were written: the
other form of an output (``text/html`` beside ``text/plain``), papermill's parameters in the
metadata, a markdown attachment, a widget's saved state, an SVG, or the same value spelled with
HTML entities (``jane&#64;example.org``), URL-encoded (``mailto:jane%40example.org``), JSON or
JavaScript escapes (``\\u0040``) or split by terminal colour codes. So redaction is by value, not
by span:

1. every value the scan finds anywhere in the file (``nb_read`` reads every part, ``nb_detect``
   judges it) is collected;
2. every string of the notebook JSON (keys included) is searched for each value in a decoded
   view of it (entities, percent-escapes, backslash escapes and ANSI codes decoded, case
   ignored), and each occurrence is replaced by ``[REDACTED:<TYPE>]`` in the original string;
   text payloads in base64 (attachments, ``data:`` URIs of a text type) are decoded, redacted and
   encoded again;
3. the copy is scanned again and the loop repeats with anything new (a masked context can
   uncover nothing, but nothing is assumed); then the serialised copy is checked for the raw
   bytes of every value. If either check fails the redaction fails, rather than writing a copy
   that still holds a value (fail closed).

Images and other binary payloads are copied as they are; the report's ``skipped`` says so.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Callable
from html.entities import html5
from typing import Any

from ...core.errors import MLSecError, MLSecInputError
from ...core.report import Report
from ...core.settings import Settings
from .nb_detect import detect
from .nb_read import decode_text_payload, is_text_mime, notebook_pieces

REDACTED = "[REDACTED:{label}]"
MAX_ROUNDS = 4
TOO_DEEP = "{name} is nested too deeply to redact"
NOT_REDACTED = ("could not redact {count} value(s) found in the notebook ({kinds}); no copy "
                "written")
_ESCAPE = re.compile(
    r"&#[0-9]{1,7};?|&#[xX][0-9a-fA-F]{1,6};?|&[A-Za-z][A-Za-z0-9]{1,31};?"
    r"|(?:%(?:25)?[0-9A-Fa-f]{2})+|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[\\/\"'@.:+\-_]"
    r"|\x1b\[[0-9;?]*[ -/]*[@-~]")
_DATA_URI = re.compile(r"data:(?P<mime>[\w.+\-]+/[\w.+\-]+)(?:;[\w.+\-]+=[\w.+\-]+)*;base64,"
                       r"(?P<payload>[A-Za-z0-9+/]+={0,2})")


def _decode_token(token: str) -> str:
    """The characters one escape stands for ('' for a colour code)."""
    if token.startswith("\x1b"):
        return ""
    if token.startswith("&"):
        decoded = html.unescape(token)
        if decoded == token and not token.endswith(";"):
            decoded = html5.get(token[1:] + ";", token)
        return decoded
    if token.startswith("%"):
        raw = re.sub(r"%25([0-9A-Fa-f]{2})", r"%\1", token)
        data = bytes.fromhex(raw.replace("%", ""))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    if token.startswith(("\\u", "\\x")):
        return chr(int(token[2:], 16))
    return token[1:]  # a backslash-escaped character


def decoded_view(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with every escape decoded, and for each decoded character the start and end
    offsets in ``text`` of what it came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for match in _ESCAPE.finditer(text):
        for index in range(last, match.start()):
            out.append(text[index])
            starts.append(index)
            ends.append(index + 1)
        # each decoded character maps to the whole escape (a run of percent-escapes is one)
        for char in _decode_token(match.group()):
            out.append(char)
            starts.append(match.start())
            ends.append(match.end())
        last = match.end()
    for index in range(last, len(text)):
        out.append(text[index])
        starts.append(index)
        ends.append(index + 1)
    return "".join(out), starts, ends


class ValueMasker:
    """Replaces known values in any string, in every encoding ``decoded_view`` reads."""

    def __init__(self, values: dict[str, str]) -> None:
        # longest first: a URL password inside a longer secret is masked with the longer one
        self.values = sorted(((v.lower(), label) for v, label in values.items() if v.strip()),
                             key=lambda item: -len(item[0]))
        # the values as they read decoded (a SAS signature is found with %2B in it)
        self.decoded = sorted({(decoded_view(v)[0], label) for v, label in self.values},
                              key=lambda item: -len(item[0]))
        self.replaced = 0

    def __call__(self, text: str) -> str:
        if not self.values or not text:
            return text
        text = self._replace(self._payloads(text), self.values, decode=False)
        if "&" in text or "%" in text or "\\" in text or "\x1b" in text:
            text = self._replace(text, self.decoded, decode=True)
        return text

    def _replace(self, text: str, needles: list[tuple[str, str]], *, decode: bool) -> str:
        if decode:
            view, starts, ends = decoded_view(text)
        else:
            view, starts, ends = text, [], []
        lowered = view.lower()
        if len(lowered) != len(view):
            lowered = view  # a character whose lower case is longer: match case-sensitively
        spans: list[tuple[int, int, str]] = []
        for value, label in needles:
            at = lowered.find(value)
            while at >= 0:
                spans.append((at, at + len(value), label))
                at = lowered.find(value, at + len(value))
        if not spans:
            return text
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        pieces = []
        last = 0
        for start, end, label in spans:
            begin = starts[start] if decode else start
            finish = ends[end - 1] if decode else end
            if begin < last:
                continue
            pieces.append(text[last:begin])
            pieces.append(REDACTED.format(label=label))
            last = finish
            self.replaced += 1
        pieces.append(text[last:])
        return "".join(pieces)

    def _payloads(self, text: str) -> str:
        """``data:`` URIs of a text type: decoded, masked, encoded again."""
        if "base64," not in text:
            return text

        def one(match: re.Match[str]) -> str:
            recoded = recode_base64(match.group("mime"), match.group("payload"), self)
            return match.group() if recoded is None else \
                match.group()[: match.start("payload") - match.start()] + recoded

        return _DATA_URI.sub(one, text)


def recode_base64(mime: str, payload: str, mask: Callable[[str], str]) -> str | None:
    """A base64 text payload masked and encoded again; ``None`` when unchanged or not text."""
    if not is_text_mime(mime):
        return None
    try:
        text = base64.b64decode("".join(payload.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    masked = mask(text)
    if masked == text:
        return None
    return base64.b64encode(masked.encode("utf-8")).decode("ascii")


def _walk(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_walk(item, mask) for item in value]
    if isinstance(value, dict):
        # a binary payload under its mime type (image/png ...) is copied as it is: masking
        # a short value found in base64 by chance would corrupt the image
        return {mask(str(key)): item if _binary(key, item) else _walk(item, mask)
                for key, item in value.items()}
    return value


def _binary(key: Any, item: Any) -> bool:
    return isinstance(key, str) and "/" in key and isinstance(item, (str, list)) and \
        not is_text_mime(key)


def _joined(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "".join(value)
    return value


def join_multiline(notebook: dict[str, Any]) -> None:
    """nbformat stores multi-line strings as lists of lines; a value spanning lines (a private
    key block) is found only in the joined string, so the copy holds them joined (still valid
    nbformat). A traceback is a list of lines by meaning: it is joined with newlines and split
    again after masking."""
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict):
            continue
        cell["source"] = _joined(cell.get("source", ""))
        for bundle in (cell.get("attachments") or {}).values():
            if isinstance(bundle, dict):
                for mime in bundle:
                    bundle[mime] = _joined(bundle[mime])
        for output in cell.get("outputs") or []:
            if not isinstance(output, dict):
                continue
            if "text" in output:
                output["text"] = _joined(output["text"])
            if isinstance(output.get("data"), dict):
                for mime in output["data"]:
                    output["data"][mime] = _joined(output["data"][mime])


def _mask_tracebacks(notebook: dict[str, Any], mask: Callable[[str], str]) -> None:
    for cell in notebook.get("cells") or []:
        for output in (cell.get("outputs") or []) if isinstance(cell, dict) else []:
            lines = output.get("traceback") if isinstance(output, dict) else None
            if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
                output["traceback"] = mask("\n".join(lines)).split("\n")


def _mask_attachments(notebook: dict[str, Any], mask: Callable[[str], str]) -> None:
    """Attachments of a text type are base64 in the file: decode, mask, encode."""
    for cell in notebook.get("cells") or []:
        attachments = cell.get("attachments") if isinstance(cell, dict) else None
        if not isinstance(attachments, dict):
            continue
        for bundle in attachments.values():
            if not isinstance(bundle, dict):
                continue
            for mime, payload in list(bundle.items()):
                if decode_text_payload(str(mime), payload) is None:
                    continue
                joined = "".join(payload) if isinstance(payload, list) else str(payload)
                recoded = recode_base64(str(mime), joined, mask)
                if recoded is not None:
                    bundle[mime] = recoded
                elif not _is_base64(joined):
                    bundle[mime] = mask(joined)


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def found_values(notebook: dict[str, Any], settings: Settings) -> dict[str, str]:
    """``{value: label}`` of everything the scan finds in the notebook (values in memory only)."""
    pieces, _, _ = notebook_pieces(notebook)
    values: dict[str, str] = {}
    plain: dict[Any, str] = {}
    for piece in pieces:
        for hit in detect(piece, settings, plain.get(piece.group, "")):
            label = hit.evidence.get("entity") or hit.evidence.get("type") or hit.rule
            values.setdefault(hit.value, str(label))
        if piece.kind == "text/plain":
            plain[piece.group] = piece.text
    return values


def redact_notebook(path_or_nbjson: Any, settings: Settings | None = None
                    ) -> tuple[dict[str, Any], Report]:
    """A masked copy of the notebook, and the scan report of what was masked.

    Every value the scan finds anywhere in the file is replaced everywhere it occurs, in every
    encoding, by ``[REDACTED:<TYPE>]`` (see the module docstring); images and binary outputs are
    copied as they are. Raises ``MLSecError`` rather than return a copy that still holds a
    value.
    """
    from .notebook import load_notebook

    if settings is None:
        settings = Settings.load()
    notebook, path = load_notebook(path_or_nbjson)
    try:
        return _redact(notebook, path, settings)
    except RecursionError:
        raise MLSecInputError(TOO_DEEP.format(name=path or "the notebook JSON")) from None


def _redact(notebook: dict[str, Any], path: str | None, settings: Settings
            ) -> tuple[dict[str, Any], Report]:
    from .notebook import scan_notebook

    report = scan_notebook(notebook if path is None else path, settings=settings,
                           subject=path or "notebook")
    masked: dict[str, Any] = json.loads(json.dumps(notebook))
    join_multiline(masked)
    all_values: dict[str, str] = {}
    replaced = 0
    for _round in range(MAX_ROUNDS):
        values = found_values(masked, settings)
        if not values:
            break
        all_values.update(values)
        masker = ValueMasker(all_values)
        _mask_attachments(masked, masker)
        _mask_tracebacks(masked, masker)
        masked = _walk(masked, masker)
        replaced += masker.replaced
    left = found_values(masked, settings)
    serialised = json.dumps(masked, ensure_ascii=False)
    lowered = serialised.lower()
    raw_left = {v: label for v, label in all_values.items()
                if v.lower() in lowered or json.dumps(v, ensure_ascii=False)[1:-1].lower()
                in lowered}
    if left or raw_left:
        remaining = {**left, **raw_left}
        kinds = ", ".join(sorted(set(remaining.values())))
        raise MLSecError(NOT_REDACTED.format(count=len(remaining), kinds=kinds))
    report.metrics["redacted_values"] = len(all_values)
    report.metrics["redacted_occurrences"] = replaced
    return masked, report
