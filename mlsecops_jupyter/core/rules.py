"""The rule catalogue: every rule id any check can emit, with its default severity and advice.

Rules are data (STYLE.md habit 4). Each check declares its rules in one table and registers them
here when its rule module is imported; SARIF output takes its ``rules`` array from this registry.
``core`` knows no check: the layer that knows them all (``checks.catalogue``) imports every rule
module when the whole list is needed (``docs/rules.md``, tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .finding import Finding, Location
from .severity import Severity


@dataclass(frozen=True)
class Rule:
    """A stable rule id (upper-case slug) and what every finding of it shares."""

    id: str
    check: str
    severity: Severity
    title: str
    description: str
    remediation: str

    def finding(
        self,
        detail: str,
        location: Location | None = None,
        evidence: dict[str, Any] | None = None,
        *,
        severity: Severity | None = None,
        title: str | None = None,
        remediation: str | None = None,
    ) -> Finding:
        """Build a finding of this rule; severity/title/remediation default to the rule's own."""
        return Finding(
            rule=self.id,
            severity=self.severity if severity is None else severity,
            title=self.title if title is None else title,
            detail=detail,
            location=location or Location(),
            evidence=dict(evidence or {}),
            remediation=self.remediation if remediation is None else remediation,
        )


RULES: dict[str, Rule] = {}


def register(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Add a check's rule table to the catalogue; ids must be unique across checks."""
    table = {}
    for rule in rules:
        existing = RULES.get(rule.id)
        if existing is not None and existing != rule:
            raise ValueError(f"rule id {rule.id} registered twice with different content")
        if not rule.id.replace("-", "").isalnum() or rule.id.upper() != rule.id:
            raise ValueError(f"rule id {rule.id!r} is not an upper-case slug")
        RULES[rule.id] = rule
        table[rule.id] = rule
    return table
