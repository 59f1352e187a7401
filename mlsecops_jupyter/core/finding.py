"""``Finding`` and ``Location``: one thing a check found, and where.

Both are frozen dataclasses so reports are values: the same inputs give equal reports, and a
finding can be hashed, sorted and de-duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .severity import Severity

LOCATION_KEYS = ("file", "member", "offset", "cell", "output", "line", "column")


@dataclass(frozen=True)
class Location:
    """Where a finding is. Only the keys that apply are set; the rest stay ``None``.

    ``file`` is a path as the user gave it; ``member`` a name inside an archive (nested
    archives join with ``!``); ``offset`` a byte offset in the innermost stream; ``cell`` the
    0-based index of a notebook cell (markdown included); ``output`` the index of an output of
    that cell (absent for the source); ``line`` 1-based; ``column`` a DataFrame column name or a
    1-based text column.
    """

    file: str | None = None
    member: str | None = None
    offset: int | None = None
    cell: int | None = None
    output: int | None = None
    line: int | None = None
    column: str | int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in LOCATION_KEYS if getattr(self, k) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(**{k: data[k] for k in LOCATION_KEYS if k in data})

    def describe(self) -> str:
        """Short human form, e.g. ``model.pt!archive/data.pkl@1234`` or ``cell 3, line 2``."""
        parts: list[str] = []
        if self.file is not None:
            text = self.file
            if self.member is not None:
                text += f"!{self.member}"
            if self.offset is not None:
                text += f"@{self.offset}"
            parts.append(text)
        elif self.member is not None:
            parts.append(self.member if self.offset is None else f"{self.member}@{self.offset}")
        elif self.offset is not None:
            parts.append(f"byte {self.offset}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.output is not None:
            parts.append(f"output {self.output}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def sort_key(self) -> tuple[Any, ...]:
        def key(value: Any) -> tuple[int, Any]:
            if value is None:
                return (0, "")
            return (1, value) if isinstance(value, int) else (2, str(value))

        return tuple(key(getattr(self, f.name)) for f in fields(self))


@dataclass(frozen=True)
class Finding:
    """One result of a check: a stable ``rule`` id, how severe, what, where, why and what to do.

    ``evidence`` holds JSON-serialisable facts (counts, the imported global, masked examples) so
    machines can act on a finding without parsing its prose.
    """

    rule: str
    severity: Severity
    title: str
    detail: str = ""
    location: Location = field(default_factory=Location)
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    remediation: str = ""
    # the reviewer's reason when the finding was accepted (an inline ``# mlsec: ignore RULE
    # reason`` or a baseline entry): it stays in every report, but strict mode does not fail on it
    accepted: str | None = None
    # SHA-256 of the value the check matched (a secret, an e-mail), so a baseline can tell the
    # same finding on the next run (core/baseline.py keys it with a salt). In memory only: never
    # serialised, since an unsalted hash of personal data can be confirmed by guessing.
    value_digest: str | None = field(default=None, compare=False, repr=False)

    @property
    def is_accepted(self) -> bool:
        return self.accepted is not None

    def __hash__(self) -> int:
        return hash((self.rule, self.severity, self.title, self.detail, self.location))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "title": self.title,
            "detail": self.detail,
            "location": self.location.to_dict(),
            "evidence": self.evidence,
            "remediation": self.remediation,
            **({"accepted": self.accepted} if self.accepted is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            rule=data["rule"],
            severity=Severity.parse(data["severity"]),
            title=data.get("title", ""),
            detail=data.get("detail", ""),
            location=Location.from_dict(data.get("location", {})),
            evidence=dict(data.get("evidence", {})),
            remediation=data.get("remediation", ""),
            accepted=data.get("accepted"),
        )

    def sort_key(self) -> tuple[Any, ...]:
        """Most severe first, then by place, then by rule: a deterministic order for every view."""
        return (-int(self.severity), self.location.sort_key(), self.rule, self.detail)
