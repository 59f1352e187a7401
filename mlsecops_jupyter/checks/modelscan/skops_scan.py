"""skops files: a zip whose ``schema.json`` names every type the loader will construct.

skops never unpickles, but ``skops.io.load`` imports and builds each type the schema names
(``ObjectNode``), looks up functions by module and name (``FunctionNode``), methods
(``MethodNode``), types (``TypeNode``) and ``functools.partial``/``operator`` objects. It
refuses, unless the caller passes them in ``trusted=``, every type outside its default trusted
set (Python primitives and containers, NumPy, SciPy sparse matrices, scikit-learn's own types).
This scanner lists the types skops would refuse (what a user is asked to trust) and judges each
by the pickle policy, so ``builtins.exec`` or ``subprocess.Popen`` in a schema is as critical
as in a pickle. Array members (``.npy``) are scanned by content like any zip member.
"""

from __future__ import annotations

from typing import Any

from ...core.severity import Severity
from .context import ScanContext
from .policy import classify
from .source import Source
from .zipscan import INVALID, ZipEntry, ZipLayout, read_json_member

SCHEMA = "schema.json"
# what skops trusts by default: builtins primitives and containers, and these package roots
TRUSTED_BUILTINS = frozenset({
    "int", "float", "str", "bool", "bytes", "bytearray", "complex", "list", "tuple", "dict",
    "set", "frozenset", "slice", "NoneType", "type", "function", "method"})
TRUSTED_ROOTS = ("numpy", "scipy.sparse", "sklearn", "collections", "skops")
MAX_DEPTH = 200
MAX_LISTED = 20


def skops_trusts(module: str, name: str) -> bool:
    """Whether skops' default trusted set would cover ``module.name`` (approximation).

    skops trusts by exact type; scikit-learn, NumPy and SciPy sparse types, builtins
    primitives and containers are all in that set, so a type under those roots is taken as
    trusted unless the pickle policy calls it dangerous.
    """
    if module == "builtins":
        return name in TRUSTED_BUILTINS
    return any(module == root or module.startswith(root + ".") for root in TRUSTED_ROOTS)


def schema_types(document: Any) -> tuple[dict[tuple[str, str], list[str]], int]:
    """Every (module, name) the schema makes the loader import, with where, and too-deep count."""
    found: dict[tuple[str, str], list[str]] = {}
    too_deep = 0
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            too_deep += 1
            continue
        if isinstance(node, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        module, name = node.get("__module__"), node.get("__class__")
        loader = node.get("__loader__")
        content = node.get("content")
        if isinstance(module, str) and isinstance(name, str):
            found.setdefault((module, name), []).append(path or "/")
        if loader == "FunctionNode" and isinstance(content, dict):
            pair = (content.get("module_path"), content.get("function"))
            if all(isinstance(part, str) for part in pair):
                found.setdefault(pair, []).append(f"{path}/function")  # type: ignore[arg-type]
        if loader == "MethodNode" and isinstance(content, dict):
            obj = content.get("obj")
            func = content.get("func")
            if isinstance(obj, dict) and isinstance(func, str):
                owner = (obj.get("__module__"), obj.get("__class__"))
                if all(isinstance(part, str) for part in owner):
                    found.setdefault((owner[0], f"{owner[1]}.{func}"), []).append(  # type: ignore[arg-type]
                        f"{path}/method")
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                stack.append((value, f"{path}/{key}", depth + 1))
    return found, too_deep


class SkopsLayout(ZipLayout):
    """``schema.json`` plus the arrays it refers to."""

    format = "skops"

    @classmethod
    def claims(cls, names: list[str]) -> bool:
        return SCHEMA in names

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.facts: dict[str, Any] = {}

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        if name != SCHEMA:
            super().scan_entry(name, source, ctx)
            return
        member_ctx, document = read_json_member(name, source, ctx)
        if document is INVALID:
            return
        if isinstance(document, dict):
            self.facts["protocol"] = document.get("protocol")
            self.facts["skops_version"] = str(document.get("_skops_version", ""))
        types, too_deep = schema_types(document)
        self.facts["types"] = len(types)
        report_types(member_ctx, types, ctx.settings.globals)
        if too_deep:
            member_ctx.incomplete(f"{too_deep} node(s) of schema.json nested deeper than "
                                  f"{MAX_DEPTH} levels were not examined")

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        ctx.note_format(self.format, bytes=size, members=len(entries), **self.facts)


def report_types(ctx: ScanContext, types: dict[tuple[str, str], list[str]],
                 overrides: Any) -> None:
    """Dangerous types one finding each; the other untrusted ones in one finding."""
    untrusted: dict[str, list[str]] = {}
    for (module, name), paths in sorted(types.items()):
        verdict = classify(module, name, overrides)
        qualified = f"{module}.{name}"
        if verdict.kind == "dangerous":
            ctx.add(
                "MODEL-SKOPS-UNTRUSTED-TYPE",
                f"schema.json makes skops import {qualified}: {verdict.reason}",
                evidence={"type": qualified, "paths": paths[:MAX_LISTED]},
                severity=verdict.severity or Severity.CRITICAL,
                title="skops file imports a dangerous callable",
            )
        elif verdict.kind != "safe" and not skops_trusts(module, name):
            untrusted[qualified] = paths
    if untrusted:
        ctx.add(
            "MODEL-SKOPS-UNTRUSTED-TYPE",
            f"skops refuses {len(untrusted)} type(s) unless passed as trusted: "
            + ", ".join(sorted(untrusted)[:5]),
            evidence={"types": sorted(untrusted)[:MAX_LISTED]},
        )
