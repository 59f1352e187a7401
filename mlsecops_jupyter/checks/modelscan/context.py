"""``ScanContext``: where in a (possibly nested) file the scanner is, and where findings go.

Archives scan their members with a child context, so a finding deep inside
``model.7z!inner.zip!archive/data.pkl`` still names the outer file, the member chain and the byte
offset inside the innermost stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...core.finding import Finding, Location
from ...core.report import Skipped
from ...core.settings import ModelScanSettings
from ...core.severity import Severity
from .rules import RULES


class ScanLimitReached(Exception):
    """Raised inside a scanner when a configured bound is hit; the dispatcher reports it."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class ScanState:
    """Mutable state shared by every context of one top-level file."""

    settings: ModelScanSettings
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)
    globals_seen: dict[str, int] = field(default_factory=dict)
    decompressed_bytes: int = 0
    members_seen: int = 0
    opcodes: int = 0
    opcodes_skipped: int = 0  # in repeated inert blocks (see pickle_inert)
    crc_verified_bytes: int = 0  # zip members whose CRC-32 was checked (see zipscan)


@dataclass
class ScanContext:
    """A position in the member chain of one file; cheap to copy for each member."""

    state: ScanState
    file: str
    members: tuple[str, ...] = ()
    depth: int = 0

    @property
    def settings(self) -> ModelScanSettings:
        return self.state.settings

    @property
    def member(self) -> str | None:
        return "!".join(self.members) if self.members else None

    def child(self, member: str) -> ScanContext:
        """Context for a member of the archive at this position (nesting depth + 1)."""
        if self.depth + 1 > self.settings.max_archive_depth:
            raise ScanLimitReached(
                f"archive nesting deeper than max_archive_depth={self.settings.max_archive_depth}"
            )
        self.state.members_seen += 1
        if self.state.members_seen > self.settings.max_members:
            raise ScanLimitReached(f"more than max_members={self.settings.max_members} members")
        return ScanContext(self.state, self.file, (*self.members, member), self.depth + 1)

    def location(self, offset: int | None = None) -> Location:
        return Location(file=self.file, member=self.member, offset=offset)

    def add(
        self,
        rule: str,
        detail: str,
        offset: int | None = None,
        evidence: dict[str, Any] | None = None,
        *,
        severity: Severity | None = None,
        title: str | None = None,
    ) -> Finding:
        """Record a finding of ``rule`` at ``offset`` in the current member."""
        finding = RULES[rule].finding(
            detail, self.location(offset), evidence, severity=severity, title=title
        )
        self.state.findings.append(finding)
        return finding

    def incomplete(self, detail: str, evidence: dict[str, Any] | None = None) -> Finding:
        """Record that the scan stopped at a limit (``modelscan.incomplete_severity``, high).

        What was not examined may hold a payload, so a stop is never a pass.
        """
        return self.add("MODEL-SCAN-INCOMPLETE", detail, evidence=evidence,
                        severity=self.settings.incomplete_severity)

    def skip(self, what: str, why: str) -> None:
        """Record something not examined (never drop silently)."""
        where = self.file if not self.member else f"{self.file}!{self.member}"
        self.state.skipped.append(Skipped(f"{where}: {what}" if what else where, why))

    def note_format(self, fmt: str, **facts: Any) -> None:
        """Record what a file or member was recognised as (goes to ``metrics.files``)."""
        entry: dict[str, Any] = {"file": self.file}
        if self.member:
            entry["member"] = self.member
        entry["format"] = fmt
        entry.update(facts)
        self.state.formats.append(entry)
