"""Reading a notebook into the texts the scan judges (``TextPiece``), and what it leaves out.

Everything a notebook file carries that a person could read is a piece: cell sources (code,
markdown, raw), text outputs (stream, execute_result/display_data ``text/*``, JSON mimes, SVG,
error tracebacks with ANSI colours stripped), markdown attachments of a text type (base64
decoded), cell metadata and notebook metadata (papermill parameters, tags, anything a tool put
there), and saved widget state (a password widget's value included).

Left out, and listed in the report's ``skipped`` (never dropped silently):

- images and other binary payloads (PNG, JPEG, PDF, binary attachments): no readable text;
- outputs this product wrote (``core.output_marker``): our own reports quote what they found,
  masked, and scanning them again would add findings on every run. Only an output whose digest
  still matches is skipped; an edited one is scanned like any other;
- metadata keys that only tools write and that hold no user text: kernel and language info,
  execution timings, widget view references, and the notebook's declared ``authors``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...core.finding import Location
from ...core.output_marker import is_report_output
from ...core.report import Skipped
from .secrets import Context

TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json",
              "application/javascript", "text/x-python", "image/svg+xml")
SKIP_MIMES_QUIETLY = ("application/vnd.jupyter.widget-view+json",)
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
JS_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")  # \u0040 in a JavaScript or JSON text
DATA_URI_TEXT = re.compile(r"data:(?P<mime>[\w.+\-]+/[\w.+\-]+)(?:;[\w.+\-]+=[\w.+\-]+)*;base64,"
                           r"(?P<payload>[A-Za-z0-9+/]+={0,2})")
# one literal first (ESC), so the regex engine jumps from escape to escape
ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\))")
# metadata that tools write and that holds no user text (see the module docstring)
NOTEBOOK_METADATA_SKIP = frozenset({"kernelspec", "language_info", "widgets", "authors",
                                    "toc", "varInspector", "vscode", "nbformat", "orig_nbformat"})
CELL_METADATA_SKIP = frozenset({"execution", "collapsed", "scrolled", "jupyter", "editable",
                                "deletable", "slideshow", "ExecuteTime", "id", "outputId",
                                "trusted", "papermill", "jp-MarkdownHeadingCollapsed"})
PAPERMILL_NOTEBOOK_SKIP = frozenset({"duration", "start_time", "end_time", "exception",
                                     "version", "environment_variables"})


@dataclass(frozen=True)
class TextPiece:
    """One text of a notebook: a cell source, one text form of one output, an attachment,
    metadata.

    ``area`` names the unit findings are grouped in (one output, one attachment, one source);
    ``cell_id`` is the nbformat cell id when the notebook has one (a baseline keys on it, it
    survives moving cells).
    """

    text: str
    context: Context
    location: Location
    kind: str  # "source", "stream", "error", a mime type, "cell metadata", "attachment ..."
    origin: str = ""  # where the text came from when not a saved cell ("live In[5]")
    cell_id: str | None = None
    area: str = ""

    @property
    def group(self) -> tuple[Any, ...]:
        """The unit of grouping: the same output's mimes (or one source ...) share it."""
        return (self.location.file, self.location.cell, self.location.output,
                self.area or ("source" if self.location.output is None else "output"),
                self.origin)


def text_of(value: Any) -> str:
    """A notebook string field (a str or nbformat's list of lines) as one string."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    if isinstance(value, (dict, int, float, bool)) or value is None:
        return json.dumps(value, indent=1, ensure_ascii=False)
    return str(value)


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text) if "\x1b" in text else text


def is_text_mime(mime: str) -> bool:
    return mime in TEXT_MIMES or mime.startswith("text/") or mime.endswith(("+json", "+xml"))


def notebook_pieces(notebook: Mapping[str, Any], file: str | None = None
                    ) -> tuple[list[TextPiece], list[Skipped], dict[str, int]]:
    """Every text of the notebook, what was skipped, and counts of cells and outputs."""
    pieces: list[TextPiece] = []
    skipped_places: dict[tuple[str, str], list[str]] = {}
    counts = Counter[str]()

    def skip(what: str, why: str, place: str) -> None:
        skipped_places.setdefault((what, why), []).append(place)

    for cell_index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, Mapping):
            continue
        counts["cells"] += 1
        kind = str(cell.get("cell_type", "code"))
        context: Context = "code" if kind == "code" else "text"
        where = Location(file=file, cell=cell_index)
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        pieces.append(TextPiece(text_of(cell.get("source", "")), context, where, "source",
                                cell_id=cell_id))
        pieces += _metadata_pieces(cell.get("metadata"), CELL_METADATA_SKIP, where,
                                   "cell metadata", cell_id)
        for name, bundle in sorted((cell.get("attachments") or {}).items()):
            for piece_or_mime in _attachment_pieces(str(name), bundle, where, cell_id):
                if isinstance(piece_or_mime, TextPiece):
                    pieces.append(piece_or_mime)
                else:
                    skip(f"attachment {piece_or_mime}", BINARY_WHY, str(cell_index))
        for output_index, output in enumerate(cell.get("outputs") or []):
            if not isinstance(output, Mapping):
                continue
            counts["outputs"] += 1
            place = f"{cell_index}.{output_index}"
            if is_report_output(output):
                counts["report_outputs"] += 1
                skip("report output(s) of mlsecops-jupyter", REPORT_WHY, place)
                continue
            at = dataclasses.replace(where, output=output_index)
            for piece, mime in _output_pieces(output, at, cell_id):
                if piece is not None:
                    pieces.append(piece)
                else:
                    skip(f"{mime} payload(s)", BINARY_WHY, place)
    pieces += _metadata_pieces(notebook.get("metadata"), NOTEBOOK_METADATA_SKIP,
                               Location(file=file), "notebook metadata", None)
    pieces += _widget_pieces(notebook.get("metadata"), Location(file=file))
    skipped = [
        Skipped(f"{len(places)} {what} (cell.output {', '.join(places[:8])}"
                f"{' ...' if len(places) > 8 else ''})", why)
        for (what, why), places in sorted(skipped_places.items())
    ]
    return pieces, skipped, dict(counts)


BINARY_WHY = "images and binary payloads hold no readable text; not scanned"
REPORT_WHY = ("our own reports (marked, digest unchanged) quote findings masked; scanning them "
              "would add findings on every run")


def _output_pieces(output: Mapping[str, Any], at: Location, cell_id: str | None
                   ) -> Iterator[tuple[TextPiece | None, str]]:
    kind = output.get("output_type")
    if kind == "stream":
        yield TextPiece(strip_ansi(text_of(output.get("text", ""))), "text", at, "stream",
                        cell_id=cell_id), ""
    elif kind == "error":
        lines = [strip_ansi(str(line)) for line in output.get("traceback") or []]
        head = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        yield TextPiece("\n".join([head, *lines]), "text", at, "error", cell_id=cell_id), ""
    elif kind in ("execute_result", "display_data", "update_display_data"):
        data = output.get("data") or {}
        # text/plain first: when the HTML shows the same value, the plain line is reported
        for mime in sorted(data, key=lambda m: (m != "text/plain", m)):
            if mime in SKIP_MIMES_QUIETLY:
                continue
            if is_text_mime(mime):
                text = text_of(data[mime])
                if "javascript" in mime or mime.endswith("json"):
                    text = JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
                yield TextPiece(text, "text", at, mime, cell_id=cell_id), mime
                for payload_mime, decoded in data_uri_texts(text):
                    yield TextPiece(decoded, "text", at, f"data URI ({payload_mime}) in {mime}",
                                    cell_id=cell_id), mime
            else:
                yield None, mime


def data_uri_texts(text: str) -> Iterator[tuple[str, str]]:
    """(mime, text) of each ``data:`` URI of a text type in ``text`` (base64 decoded): a link
    to a text file inside an HTML output is text a reader can open."""
    if "base64," not in text:
        return
    for match in DATA_URI_TEXT.finditer(text):
        decoded = decode_text_payload(match.group("mime"), match.group("payload"))
        if decoded is not None and decoded != match.group("payload"):
            yield match.group("mime"), decoded


def _attachment_pieces(name: str, bundle: Any, where: Location, cell_id: str | None
                       ) -> Iterator[TextPiece | str]:
    """Text attachments (base64 in the file) decoded; binary ones named for ``skipped``."""
    if not isinstance(bundle, Mapping):
        return
    for mime, payload in bundle.items():
        text = decode_text_payload(str(mime), payload)
        if text is None:
            yield str(mime)
        else:
            yield TextPiece(text, "text", where, f"attachment {name} ({mime})",
                            cell_id=cell_id, area=f"attachment {name}")


def decode_text_payload(mime: str, payload: Any) -> str | None:
    """The text of an attachment of a text type (stored base64, or plain by some tools)."""
    if not is_text_mime(mime):
        return None
    raw = text_of(payload)
    try:
        return base64.b64decode("".join(raw.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return raw


def _metadata_pieces(metadata: Any, skip: frozenset[str], where: Location, kind: str,
                     cell_id: str | None) -> list[TextPiece]:
    if not isinstance(metadata, Mapping):
        return []
    kept: dict[str, Any] = {}
    for key, value in metadata.items():
        if key in skip and not (key == "papermill" and kind == "notebook metadata"):
            continue
        if key == "papermill" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k not in PAPERMILL_NOTEBOOK_SKIP}
        if key == "tags" and isinstance(value, list) and all(isinstance(t, str) and t in (
                "parameters", "injected-parameters", "hide-input", "remove-output", "skip")
                for t in value):
            continue
        kept[str(key)] = value
    if not kept:
        return []
    text = json.dumps(kept, indent=1, ensure_ascii=False, default=str)
    return [TextPiece(text, "text", where, kind, cell_id=cell_id, area=kind)]


def _widget_pieces(metadata: Any, where: Location) -> list[TextPiece]:
    """Saved widget state: each model's state as JSON, and a password widget's value read as
    the password it is (``password = "..."``)."""
    if not isinstance(metadata, Mapping):
        return []
    widgets = metadata.get("widgets")
    state = widgets.get(WIDGET_STATE_MIME) if isinstance(widgets, Mapping) else None
    models = state.get("state") if isinstance(state, Mapping) else None
    if not isinstance(models, Mapping):
        return []
    lines = []
    for model_id, model in sorted(models.items()):
        values = model.get("state") if isinstance(model, Mapping) else None
        if not isinstance(values, Mapping):
            continue
        shown = {k: v for k, v in values.items() if not str(k).startswith("_") and k not in (
            "layout", "style", "tabbable", "tooltip")}
        if not shown:
            continue
        name = str(values.get("_model_name", "widget"))
        lines.append(f"{name} {model_id}: {json.dumps(shown, ensure_ascii=False, default=str)}")
        value = values.get("value")
        if name == "PasswordModel" and isinstance(value, str) and value:
            lines.append(f"password = {json.dumps(value, ensure_ascii=False)}")
    if not lines:
        return []
    return [TextPiece("\n".join(lines), "text", where, "widget state", area="widget state")]
