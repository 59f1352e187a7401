"""Labelled test notebooks for the secrets/PII notebook scanner (tests and benchmark share them).

The notebooks are data: ``tests/corpus/labelled-notebooks/seed-N/*.ipynb`` with one
``labels.json`` (for every secret and every piece of personal data a reviewer would want
flagged: ``(cell, output, line, rule)``; the clean notebooks and the clean look-alike cells --
placeholders, environment reads, ``getpass``, documentation example keys -- have none). Their
credentials are fakes in the shape of the real formats, drawn from a seeded RNG like
:class:`Fakes` below, so none is a live key and none was copied from anywhere. This module only
reads them, and keeps :class:`Fakes` for the tests that make credentials of their own.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import nbformat

CORPUS = Path(__file__).resolve().parent / "corpus" / "labelled-notebooks"
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
           "awAAAABJRU5ErkJggg==")

# (cell, output or None, line, rule)
Label = tuple[int, "int | None", int, str]


@dataclass
class LabelledNotebook:
    name: str
    notebook: Any
    labels: list[Label] = field(default_factory=list)

    @property
    def secret_labels(self) -> set[Label]:
        return {label for label in self.labels if label[3].startswith("SECRET-")}

    @property
    def pii_labels(self) -> set[Label]:
        return {label for label in self.labels if label[3].startswith("PII-")}


@cache
def _entries(seed: int) -> tuple[dict[str, Any], ...]:
    document = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    entries = tuple(e for e in document["notebooks"] if e["seed"] == seed)
    if not entries:
        seeds = sorted({e["seed"] for e in document["notebooks"]})
        raise ValueError(f"no stored labelled notebooks for seed {seed}; stored: {seeds}")
    return entries


def build_labelled_notebooks(seed: int = 7) -> list[LabelledNotebook]:
    """The labelled set of ``seed``: three leaky notebooks, a look-alike notebook, a clean one.

    Read afresh on every call, so a test may change its copy.
    """
    return [LabelledNotebook(entry["name"],
                             nbformat.read(str(CORPUS / entry["file"]), as_version=4),
                             [tuple(label) for label in entry["labels"]])  # type: ignore[misc]
            for entry in _entries(seed)]


def write_notebooks(folder: Any, seed: int = 7) -> list[tuple[Any, LabelledNotebook]]:
    """Copy the labelled set into ``folder`` as ``.ipynb`` files; returns (path, notebook)."""
    out = []
    for book, entry in zip(build_labelled_notebooks(seed), _entries(seed), strict=True):
        path = Path(folder) / f"{book.name}.ipynb"
        shutil.copyfile(CORPUS / entry["file"], path)
        out.append((path, book))
    return out


class Fakes:
    """Realistic-shaped, fake credentials from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chars(self, n: int, alphabet: str = ALNUM) -> str:
        while True:  # a random string with at least one digit and both cases, like real keys
            value = "".join(self.rng.choice(alphabet) for _ in range(n))
            if alphabet != ALNUM or n < 8 or (any(c.isdigit() for c in value)
                                     and any(c.islower() for c in value)
                                     and any(c.isupper() for c in value)):
                return value

    def aws_key_id(self) -> str:
        return "AKIA" + self.chars(16, B32)

    def aws_secret(self) -> str:
        while True:
            value = self.chars(40, B64)
            if all(any(c in group for c in value) for group in
                   (string.ascii_uppercase, string.ascii_lowercase, string.digits)):
                return value

    def github(self) -> str:
        return "ghp_" + self.chars(36)

    def github_pat(self) -> str:
        return f"github_pat_{self.chars(22)}_{self.chars(59)}"

    def gitlab(self) -> str:
        return "glpat-" + self.chars(20, ALNUM + "-_")

    def slack_bot(self) -> str:
        return (f"xoxb-{self.chars(11, string.digits)}-{self.chars(13, string.digits)}-"
                f"{self.chars(24)}")

    def slack_webhook(self) -> str:
        return (f"https://hooks.slack.com/services/T{self.chars(8, string.ascii_uppercase)}/"
                f"B{self.chars(10, string.ascii_uppercase + string.digits)}/{self.chars(24)}")

    def stripe(self) -> str:
        return "sk_live_" + self.chars(24)

    def openai(self) -> str:
        return "sk-proj-" + self.chars(74, ALNUM + "-_") + "T3BlbkFJ" + self.chars(74, ALNUM)

    def anthropic(self) -> str:
        return "sk-ant-api03-" + self.chars(93, ALNUM + "-_") + "AA"

    def huggingface(self) -> str:
        return "hf_" + self.chars(34)

    def hex(self, n: int) -> str:
        return self.chars(n, HEX)

    def password(self) -> str:
        return self.chars(6) + self.rng.choice("!#@$%&*") + self.chars(5) + "@" + self.chars(2)

    def pem_body(self, lines: int = 12) -> list[str]:
        return ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + self.chars(32, B64)] + [
            self.chars(64, B64) for _ in range(lines - 1)]

    def jwt(self) -> str:
        def part(obj: dict[str, Any]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        payload = {"sub": self.chars(12), "role": "analyst", "iat": 1767225600,
                   "exp": 1767312000}
        return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}." + \
            self.chars(43, ALNUM + "-_")

    def azure_key(self) -> str:
        return self.chars(86, B64) + "=="

    def sas_sig(self) -> str:
        raw = self.chars(43, B64) + "="
        return raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
