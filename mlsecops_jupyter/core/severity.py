"""Ordered severities shared by every check, display and exit code."""

from __future__ import annotations

import enum

from .errors import MLSecUsageError

UNKNOWN_SEVERITY = "unknown severity {value!r}: choose one of info, low, medium, high, critical"


class Severity(enum.IntEnum):
    """How bad a finding is: ``info < low < medium < high < critical``.

    An ``IntEnum`` so that thresholds compare with ``>=`` and reports sort naturally.
    """

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Accept a ``Severity`` or its case-insensitive name; anything else is a usage error."""
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise MLSecUsageError(UNKNOWN_SEVERITY.format(value=value)) from None

    def __str__(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        """Lower-case name used in JSON, SARIF properties and text output."""
        return self.name.lower()
