"""Build the whole model-file corpus into a folder: benign real files and canary-payload samples.

``SPECS`` is known without building anything, so tests can parametrize over sample names at
collection time; ``build_corpus`` writes every file (a few seconds, most of it importing torch,
sklearn and keras) and returns one ``Sample`` per file with its expected outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlsecops_jupyter.core.severity import Severity

from .benign import BENIGN
from .canary import Canary
from .containers import CONTAINERS
from .formats import FORMAT_BENIGN, FORMAT_CONTAINERS
from .payloads import PAYLOADS


@dataclass(frozen=True)
class SampleSpec:
    """A sample before it is written: its name, kind, technique, writer and expected outcome.

    Malicious: some finding whose rule is one of ``expected_rules`` at ``min_severity`` or above,
    plus at least one finding of each of ``also_rules``. Benign: nothing at high or above; a
    medium finding only from ``medium_allowed`` rules (everything else stays at low or below).
    """

    name: str
    kind: str  # "benign" | "malicious"
    technique: str
    filename: str
    write: Callable[[Path, Canary], None]
    expected_rules: tuple[str, ...] = ()
    min_severity: Severity | None = None
    also_rules: tuple[str, ...] = ()
    medium_allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sample:
    """A written sample: where it is and what the scanner must say about it."""

    name: str
    path: Path
    kind: str
    technique: str
    expected_rules: tuple[str, ...] = ()
    min_severity: Severity | None = None
    also_rules: tuple[str, ...] = ()
    medium_allowed: tuple[str, ...] = ()

    @property
    def malicious(self) -> bool:
        return self.kind == "malicious"


def _payload_writer(build: Callable[[Canary], bytes]) -> Callable[[Path, Canary], None]:
    def write(path: Path, canary: Canary) -> None:
        path.write_bytes(build(canary))

    return write


def _benign_writer(write: Callable[[Path], None]) -> Callable[[Path, Canary], None]:
    return lambda path, canary: write(path)


def _specs() -> list[SampleSpec]:
    specs = [
        SampleSpec(p.name, "malicious", p.technique, p.filename or f"{p.name}.pkl",
                   _payload_writer(p.build), p.rules, Severity.parse(p.severity))
        for p in PAYLOADS
    ]
    specs += [
        SampleSpec(c.name, "malicious", c.technique, c.filename, c.write, c.rules,
                   Severity.parse(c.severity), c.also_rules)
        for c in CONTAINERS + FORMAT_CONTAINERS
    ]
    specs += [
        SampleSpec(b.name, "benign", b.technique, b.filename, _benign_writer(b.write),
                   medium_allowed=b.medium_allowed)
        for b in BENIGN + FORMAT_BENIGN
    ]
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"duplicate corpus sample names: {duplicates}")
    return specs


SPECS: list[SampleSpec] = _specs()


def build_corpus(dest: Path, marker: Path) -> list[Sample]:
    """Write every sample under ``dest`` (one folder each); payloads would only create ``marker``.

    Each sample gets its own folder so file names can repeat (``model.pt``) and an ONNX model's
    relative paths resolve against a folder holding nothing else.
    """
    canary = Canary(Path(marker))
    samples = []
    for spec in SPECS:
        folder = Path(dest) / spec.kind / spec.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / spec.filename
        spec.write(path, canary)
        samples.append(Sample(spec.name, path, spec.kind, spec.technique, spec.expected_rules,
                              spec.min_severity, spec.also_rules, spec.medium_allowed))
    return samples
