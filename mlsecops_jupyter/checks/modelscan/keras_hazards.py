"""What in a Keras config leads to code beyond Lambda layers and custom objects.

- ``TorchModuleWrapper`` (CVE-2025-49655): ``config["module"]`` is a base64 ``torch.save`` of a
  ``torch.nn.Module``, loaded with ``torch.load(weights_only=False)`` once safe mode is off, i.e.
  a pickle. It is decoded (bounded by ``max_header_mb``) and scanned as an archive member, so
  the pickle scanner judges its imports exactly as in a ``.pt`` file.
- References to ``keras.utils.get_file`` (downloads on load) and
  ``keras.config.enable_unsafe_deserialization`` (turns safe mode off for every later load):
  Keras versions before its non-modeling-API denylist (CVE-2025-1550 and follow-ups) resolved
  them from a config; they have no place in a model, so they are high wherever they appear,
  including inside a Lambda layer's marshalled bytecode.
- ``module`` fields outside Keras that name dangerous modules (``os``, ``builtins.eval``,
  ``subprocess``...): older Keras imported ``module`` and took ``class_name`` (or, for
  functions, the name in ``config``) from it. Judged by the pickle policy table, so ``os.system``
  is as critical here as in a pickle.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from .context import ScanContext
from .policy import classify
from .source import MemorySource

TORCH_WRAPPERS = frozenset({"TorchModuleWrapper"})
UNSAFE_APIS = ("get_file", "enable_unsafe_deserialization")
_UNSAFE_BYTES = re.compile(rb"get_file|enable_unsafe_deserialization")
MAX_EMBEDDED = 64


@dataclass
class Hazards:
    """Embedded torch modules, unsafe API references and dangerous imports of one config."""

    torch_modules: list[tuple[str, str]] = field(default_factory=list)  # (path, base64 text)
    unsafe_refs: dict[str, list[str]] = field(default_factory=dict)  # api -> paths
    dangerous: dict[str, tuple[Any, list[str]]] = field(default_factory=dict)  # name -> verdict


def inspect_node(node: dict[str, Any], class_name: str, where: str, hazards: Hazards) -> bool:
    """Note what ``node`` (a serialised object) holds; True when it is a dangerous import.

    A dangerous import is reported here instead of as a plain custom object.
    """
    config = node.get("config")
    if class_name in TORCH_WRAPPERS and isinstance(config, dict):
        module = config.get("module")
        if isinstance(module, str):
            hazards.torch_modules.append((where, module))
    for value in (class_name, node.get("registered_name"), node.get("module"),
                  config if isinstance(config, str) else None):
        if isinstance(value, str):
            for api in UNSAFE_APIS:
                if value.endswith(api):
                    hazards.unsafe_refs.setdefault(api, []).append(where)
    module = node.get("module")
    if not isinstance(module, str) or module == "keras" or module.startswith("keras."):
        return False
    name = config if class_name == "function" and isinstance(config, str) else class_name
    verdict = classify(module, name)
    if verdict.kind != "dangerous":
        return False
    qualified = f"{module}.{name}"
    hazards.dangerous.setdefault(qualified, (verdict, []))[1].append(where)
    return True


def inspect_lambda(node: dict[str, Any], where: str, hazards: Hazards) -> None:
    """Look for the unsafe APIs in a Lambda's stored function (marshalled bytecode or text)."""
    for text in _strings(node):
        raw = text.encode("utf-8", "ignore")
        with contextlib.suppress(binascii.Error, ValueError):
            raw += base64.b64decode(text)  # Keras wraps its base64 lines
        for match in sorted(set(_UNSAFE_BYTES.findall(raw))):
            hazards.unsafe_refs.setdefault(match.decode(), []).append(where)


def _strings(node: Any, depth: int = 0) -> list[str]:
    if depth > 20:
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value, depth + 1)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value, depth + 1)]
    return []


def report_hazards(hazards: Hazards, ctx: ScanContext, offset: int | None = None) -> None:
    """Findings for the hazards; embedded torch modules are scanned as members of ``ctx``."""
    for qualified, (verdict, paths) in sorted(hazards.dangerous.items()):
        ctx.add(
            "MODEL-KERAS-CUSTOM-OBJECT",
            f"{qualified} is imported when the model loads (older Keras imports any module "
            f"named in a config): {verdict.reason} ({len(paths)} use(s))",
            offset, {"object": qualified, "paths": paths[:20]}, severity=verdict.severity,
            title="Keras config imports a dangerous callable",
        )
    for api, paths in sorted(hazards.unsafe_refs.items()):
        ctx.add(
            "MODEL-KERAS-UNSAFE-API", f"the config refers to {api} at {paths[0]} "
            f"({len(paths)} place(s))", offset, {"api": api, "paths": paths[:20]},
        )
    for index, (path, text) in enumerate(hazards.torch_modules[:MAX_EMBEDDED]):
        _scan_torch_module(ctx, path, text, offset, index)
    if len(hazards.torch_modules) > MAX_EMBEDDED:
        ctx.incomplete(f"{len(hazards.torch_modules)} TorchModuleWrapper layers; the first "
                       f"{MAX_EMBEDDED} were scanned", {"layers": len(hazards.torch_modules)})


def _scan_torch_module(ctx: ScanContext, path: str, text: str, offset: int | None,
                       index: int) -> None:
    from .dispatch import scan_member

    limit = ctx.settings.max_header_mb * (1 << 20)
    ctx.add(
        "MODEL-KERAS-TORCH-MODULE",
        f"TorchModuleWrapper at {path} embeds a pickled torch module, loaded with "
        "torch.load(weights_only=False) when safe mode is off; its pickle was scanned",
        offset, {"path": path, "encoded_bytes": len(text)},
    )
    if len(text) > limit * 4 // 3 + 4:
        ctx.incomplete(f"TorchModuleWrapper module at {path} is larger than "
                       f"max_header_mb={limit >> 20}", {"path": path})
        return
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=False)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        ctx.add("MODEL-MALFORMED", f"TorchModuleWrapper module at {path} is not base64: {exc}",
                offset, {"path": path})
        return
    scan_member(ctx, f"{path}/module#{index}", lambda: MemorySource(raw))
