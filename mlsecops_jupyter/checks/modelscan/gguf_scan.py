"""GGUF (llama.cpp) models: the header, the metadata, and the chat template in it.

GGUF tensors are plain data; the risk is the metadata's ``tokenizer.chat_template``, a Jinja
template that runtimes render with every conversation. Rendered by a non-sandboxed Jinja
environment (llama-cpp-python before 0.2.72, CVE-2024-34359; other runtimes since), a template
that walks Python attributes (``__class__``, ``__globals__``, ``__subclasses__``...) reaches
``os`` and runs commands. The template is parsed (never rendered) with Jinja's own parser when
Jinja is installed, so string escapes (``"\\x5f\\x5fclass\\x5f\\x5f"``) and ``attr()`` filters are
seen decoded; otherwise its text is searched.

Reading is sequential and bounded: the whole metadata section may not exceed
``max_header_mb`` and the key count is capped, so a header claiming 2**64 keys stops at once.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Any

from ...core.severity import Severity
from .context import ScanContext, ScanLimitReached
from .source import Source

MAGIC = b"GGUF"
MAX_KEYS = 1_000_000
TEMPLATE_KEY = "tokenizer.chat_template"
# value type -> struct format of one item (8: string, 9: array, handled apart)
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
           10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9
# what a template must never reach: the Python object internals that lead out of Jinja. A name
# or string is one of them, or a bare "_"/"__" piece that builds one by concatenation
INTERNALS = frozenset({
    "class", "globals", "builtins", "subclasses", "mro", "base", "bases", "init", "import",
    "getattribute", "getattr", "dict", "code", "func", "self", "module", "loader", "spec",
    "reduce", "reduce_ex", "closure", "defaults", "kwdefaults", "traceback", "frame", "objclass",
    "qualname", "wrapped", "call", "new"})


def is_internal(name: str) -> bool:
    """``__class__``, ``__globals__``..., ``__class``-like prefixes, and ``_``/``__`` pieces."""
    if name in ("_", "__"):
        return True
    return name.startswith("__") and name.strip("_") in INTERNALS


# what turns such a walk into running commands or code
EXEC_NAMES = re.compile(r"\b(?:os|subprocess|popen|__import__|eval|exec|builtins|system\s*\(|"
                        r"check_output|spawn\w*|execv\w*|import_module)\b", re.IGNORECASE)
# Jinja globals that lead to Python internals in one attribute step
GADGET_GLOBALS = frozenset({"lipsum", "cycler", "joiner", "namespace", "self", "range",
                            "dict", "config", "request", "url_for", "get_flashed_messages"})


class GGUFError(ValueError):
    """The bytes do not follow the GGUF layout."""


@dataclass
class _Reader:
    source: Source
    budget: int
    version: int = 3
    used: int = 0

    def _check(self, n: int) -> None:
        size = self.source.size
        if size is not None and n > size - self.source.tell():
            raise GGUFError(f"a value of {n} bytes runs past the end of the file at byte "
                            f"{self.source.tell()}")
        self.used += n
        if self.used > self.budget:
            raise ScanLimitReached(f"GGUF metadata larger than max_header_mb="
                                   f"{self.budget >> 20}")

    def take(self, n: int) -> bytes:
        self._check(n)
        data = self.source.read(n)
        if len(data) < n:
            raise GGUFError(f"truncated at byte {self.source.tell()}")
        return data

    def skip(self, n: int) -> None:
        self._check(n)
        if self.source.skip(n) < n:
            raise GGUFError(f"truncated at byte {self.source.tell()}")

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def count(self) -> int:
        return int(self.unpack("<I" if self.version == 1 else "<Q"))

    def string(self) -> str:
        return self.take(self.count()).decode("utf-8", "replace")


@dataclass
class _Metadata:
    version: int = 0
    tensors: int = 0
    keys: int = 0
    architecture: str = ""
    templates: dict[str, str] = field(default_factory=dict)


def scan_gguf(source: Source, ctx: ScanContext) -> None:
    """Read the header and metadata; judge every chat template found there."""
    reader = _Reader(source, ctx.settings.max_header_mb << 20)
    meta = _Metadata()
    try:
        _read_metadata(reader, meta)
    except GGUFError as exc:
        ctx.add("MODEL-MALFORMED", f"GGUF metadata does not parse: {exc}; the keys read "
                "before were examined")
    except (ScanLimitReached, UnicodeDecodeError) as exc:
        ctx.incomplete(f"GGUF metadata not fully read: {exc}")
    for key, template in sorted(meta.templates.items()):
        judge_template(ctx, key, template)
    ctx.note_format("gguf", bytes=source.size, version=meta.version, tensors=meta.tensors,
                    metadata_keys=meta.keys, architecture=meta.architecture,
                    chat_templates=len(meta.templates))


def _read_metadata(reader: _Reader, meta: _Metadata) -> None:
    if reader.take(4) != MAGIC:
        raise GGUFError("no GGUF magic")
    meta.version = reader.version = int(reader.unpack("<I"))
    if meta.version not in (1, 2, 3):
        raise GGUFError(f"unknown version {meta.version}")
    meta.tensors = reader.count()
    meta.keys = reader.count()
    if meta.keys > MAX_KEYS:
        raise GGUFError(f"{meta.keys} metadata keys claimed (more than {MAX_KEYS})")
    for _ in range(meta.keys):
        key = reader.string()
        kind = int(reader.unpack("<I"))
        if kind == STRING:
            value = reader.string()
            if key == TEMPLATE_KEY or key.startswith(TEMPLATE_KEY + "."):
                meta.templates[key] = value
            elif key == "general.architecture":
                meta.architecture = value[:100]
        else:
            _skip_value(reader, kind)


def _skip_value(reader: _Reader, kind: int, depth: int = 0) -> None:
    if kind in SCALARS:
        reader.skip(struct.calcsize(SCALARS[kind]))
    elif kind == STRING:
        reader.skip(reader.count())
    elif kind == ARRAY and depth < 4:
        item_kind = int(reader.unpack("<I"))
        items = reader.count()
        if item_kind in SCALARS:
            reader.skip(items * struct.calcsize(SCALARS[item_kind]))
        else:
            for _ in range(items):
                _skip_value(reader, item_kind, depth + 1)
    else:
        raise GGUFError(f"unknown value type {kind}")


def judge_template(ctx: ScanContext, key: str, template: str) -> None:
    """Flag a Jinja template that reaches Python internals (template injection)."""
    reached = sorted(_reached_names(template))
    dunders = [name for name in reached if is_internal(name)]
    gadgets = [name for name in reached if name in GADGET_GLOBALS and dunders]
    if not dunders:
        return
    runs = bool(EXEC_NAMES.search(template)) or any(EXEC_NAMES.search(n) for n in reached)
    ctx.add(
        "MODEL-GGUF-TEMPLATE",
        f"chat template {key} reaches Python internals ({', '.join(dunders[:5])})"
        + (" and names command or code execution" if runs else "")
        + ": rendered outside a sandbox, it runs code",
        evidence={"key": key, "attributes": dunders[:20], "gadget_globals": gadgets[:20],
                  "length": len(template)},
        severity=Severity.CRITICAL if runs else None,
    )


def _reached_names(template: str) -> set[str]:
    """Attribute names, subscripts and string constants the template uses, decoded."""
    names = set(re.findall(r"[A-Za-z_]\w*", template))
    try:
        import jinja2
        from jinja2 import nodes
    except ImportError:  # pragma: no cover - jinja2 comes with the notebook stack
        return names
    try:
        tree = jinja2.Environment().parse(template)
    except (jinja2.TemplateSyntaxError, RecursionError):
        return names  # the text alone is judged
    for node in tree.find_all((nodes.Getattr, nodes.Const, nodes.Name)):
        if isinstance(node, nodes.Getattr):
            names.add(node.attr)
        elif isinstance(node, nodes.Name):
            names.add(node.name)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and (
            len(node.value) < 200
        ):
            names.add(node.value)
    return names
