"""The vocabulary every layer shares: severities, findings, reports, settings, errors."""

from .errors import (
    MLSecCheckFailed,
    MLSecConfigError,
    MLSecError,
    MLSecInputError,
    MLSecUsageError,
)
from .finding import Finding, Location
from .report import SCHEMA, Figure, Report, Skipped
from .rules import RULES, Rule
from .settings import LineageSettings, ModelScanSettings, Settings
from .severity import Severity

__all__ = [
    "RULES",
    "SCHEMA",
    "Figure",
    "Finding",
    "LineageSettings",
    "Location",
    "MLSecCheckFailed",
    "MLSecConfigError",
    "MLSecError",
    "MLSecInputError",
    "MLSecUsageError",
    "ModelScanSettings",
    "Report",
    "Rule",
    "Settings",
    "Severity",
    "Skipped",
]
