"""PyTorch checkpoints: zip archives (``torch.save``), TorchScript archives, legacy files.

``torch.load`` unpickles the ``.pkl`` members of a zip checkpoint and reads storages
(``<archive>/data/<key>``) as raw bytes, so only pickles need judging: storages are never read,
which keeps a 1 GB checkpoint to a directory walk plus one small pickle. The top folder name is
free (``archive/``, ``model/``, anything), so members are matched by their role, not a prefix.

Legacy checkpoints (``_use_new_zipfile_serialization=False``) are five pickles in a row (magic
number, protocol version, system info, the object, storage keys) followed by raw storage bytes,
which must not be parsed as pickle opcodes.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .context import ScanContext
from .dispatch import note_pickles, scan_member
from .source import Source
from .zipscan import ZipEntry, ZipLayout

# storages: raw tensor bytes under data/ (and TorchScript's constants/, traced_inputs/)
_STORAGE = re.compile(r"(^|/)(data|constants|traced_inputs)/[^/]+$")
_CODE = re.compile(r"(^|/)code/.+")
_INTERNAL = re.compile(r"(^|/)\.data/")
# pickles torch.load / torch.jit.load unpickle (plus TorchScript's debug info pickles)
_PICKLE_MEMBER = re.compile(r"\.(pkl|debug_pkl)$")

# TorchScript pickles are read by torch's C++ unpickler, which resolves only its own helpers and
# the archive's compiled TorchScript classes (never a Python import), so inside a TorchScript
# archive these are reconstruction, not code: they are allowed there and nowhere else
TORCHSCRIPT_GLOBALS = {"torch.jit._pickle:*": "safe", "__torch__:*": "safe"}

LEGACY_PICKLES = ("magic number", "protocol version", "system info", "object", "storage keys")


class TorchZipLayout(ZipLayout):
    """``torch.save`` zip: scan every pickle member, count (never read) the storages."""

    format = "pytorch-zip"

    @classmethod
    def claims(cls, names: list[str]) -> bool:
        return any(name == "data.pkl" or name.endswith("/data.pkl") for name in names)

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.storages = sum(1 for name in names if _is_storage(name))
        self.pickles = 0
        self.other_members = 0

    def should_scan(self, name: str) -> bool:
        return not _is_storage(name) and not _INTERNAL.search(name)

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        """Pickle members by name, anything else only if its content is a model format."""
        fmt = scan_member(ctx, name, lambda: source, quiet=True)
        if fmt == "pickle":
            self.pickles += 1
        elif fmt in ("unknown", "empty"):
            self.other_members += 1
            if _PICKLE_MEMBER.search(name):
                ctx.child(name).add(
                    "MODEL-MALFORMED", f"member {name!r} should be a pickle but is not one"
                )

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        ctx.note_format(self.format, bytes=size, members=len(entries), pickles=self.pickles,
                        storages=self.storages, **self._extra_facts())

    def _extra_facts(self) -> dict[str, Any]:
        return {}


class TorchScriptLayout(TorchZipLayout):
    """``torch.jit.save``: like a checkpoint, plus TorchScript code that runs when used."""

    format = "torchscript"

    @classmethod
    def claims(cls, names: list[str]) -> bool:
        has_code = any(_CODE.search(name) for name in names)
        return has_code and any(name.endswith("constants.pkl") for name in names)

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.code_files = sorted(
            name for name in names if _CODE.search(name) and not _PICKLE_MEMBER.search(name)
        )

    def should_scan(self, name: str) -> bool:
        if name in self.code_files:
            return False  # TorchScript source text: reported as a whole in finish()
        return super().should_scan(name)

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        """Scan with TorchScript's own globals allowed (user settings still win)."""
        state = ctx.state
        original = state.settings
        allowed = {**TORCHSCRIPT_GLOBALS, **original.globals}
        state.settings = dataclasses.replace(original, globals=allowed)
        try:
            super().scan_entry(name, source, ctx)
        finally:
            state.settings = original

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        super().finish(entries, ctx, size)
        if self.code_files:
            ctx.add(
                "MODEL-TORCHSCRIPT-CODE",
                f"{len(self.code_files)} TorchScript code file(s) run in the TorchScript "
                "interpreter when the model is used",
                evidence={"files": self.code_files[:50], "count": len(self.code_files)},
            )

    def _extra_facts(self) -> dict[str, Any]:
        return {"code_files": len(self.code_files)}


def _is_storage(name: str) -> bool:
    return bool(_STORAGE.search(name)) and not _PICKLE_MEMBER.search(name)


def scan_legacy_torch(source: Source, ctx: ScanContext) -> None:
    """The five leading pickles of a legacy checkpoint; the raw storages after them are skipped."""
    from .pickle_scan import scan_pickle

    start = source.tell()
    results = []
    for role in LEGACY_PICKLES:
        offset = source.tell()
        result = scan_pickle(source, ctx)
        results.append(result)
        if not result.ok:  # scan_pickle reported the damage; what follows is not reachable
            ctx.skip(f"byte {offset}", f"legacy checkpoint stops at its damaged {role} pickle")
            break
    storage_bytes = source.size - source.tell() if source.size is not None else None
    note_pickles(ctx, "pytorch-legacy", results, source.tell() - start,
                 storage_bytes=storage_bytes)
