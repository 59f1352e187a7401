"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

GitHub reads ``properties.security-severity`` (a number as a string) on each rule to rank
security results, and needs every result's ``ruleId`` among ``tool.driver.rules``. Each rule's
``properties.tags`` carry its MITRE ATLAS techniques and OWASP ML Top 10 entry
(``external/atlas/AML.T0010.003``, ``external/owasp-ml/ML06``; ``core/threat_map.py``): GitHub
filters alerts by tag. SARIF itself would put taxonomies in ``taxa``, which GitHub ignores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._version import __version__
from .severity import Severity
from .threat_map import sarif_tags

if TYPE_CHECKING:
    from .report import Report

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mlsecops-jupyter/mlsecops-jupyter"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def _rule_descriptor(rule_id: str, severity: Severity, title: str, remediation: str) -> dict:
    from .rules import RULES

    rule = RULES.get(rule_id)
    description = rule.description if rule else title
    default = rule.severity if rule else severity
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": rule.title if rule else title},
        "fullDescription": {"text": description},
        "help": {"text": (rule.remediation if rule else remediation) or description},
        "defaultConfiguration": {"level": LEVEL[default]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[default],
            "tags": ["security", "machine-learning", *sarif_tags(rule_id)],
        },
    }


def artifact_uri(path: str) -> str:
    """A file path as a SARIF relative URI reference: ``/`` separators, the rest percent-encoded.

    SARIF requires a valid URI reference; file names with spaces, ``<``, ``%`` or non-ASCII
    characters (chosen by whoever made the file) would otherwise make the log invalid.
    """
    return quote(str(path).replace("\\", "/"), safe="/")


def _location(finding_location: Any) -> dict[str, Any]:
    loc = finding_location
    result: dict[str, Any] = {}
    if loc.file is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(loc.file)}}
        region: dict[str, Any] = {}
        if loc.line is not None:
            region["startLine"] = int(loc.line)
            if isinstance(loc.column, int):
                region["startColumn"] = loc.column
        if loc.offset is not None and loc.member is None:
            region["byteOffset"] = int(loc.offset)
        if region:
            physical["region"] = region
        result["physicalLocation"] = physical
    logical = []
    if loc.member is not None:
        logical.append({"name": loc.member, "kind": "member"})
    if loc.cell is not None:
        logical.append({"name": f"cell {loc.cell}", "kind": "module"})
    if isinstance(loc.column, str):
        logical.append({"name": loc.column, "kind": "variable"})
    if logical:
        result["logicalLocations"] = logical
    return result


def to_sarif(report: Report) -> dict[str, Any]:
    """One SARIF log with one run holding every finding of ``report``."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in report.findings:
        if finding.rule not in index:
            index[finding.rule] = len(rules)
            rules.append(
                _rule_descriptor(
                    finding.rule, finding.severity, finding.title, finding.remediation
                )
            )
        message = finding.title if not finding.detail else f"{finding.title}: {finding.detail}"
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVEL[finding.severity],
            "message": {"text": message},
            "properties": {
                "severity": finding.severity.label,
                "security-severity": SECURITY_SEVERITY[finding.severity],
                "evidence": finding.evidence,
                "location": finding.location.to_dict(),
            },
        }
        location = _location(finding.location)
        if location:
            result["locations"] = [location]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlsecops-jupyter",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"mlsec/{report.check}/"},
                "results": results,
                "properties": {
                    "check": report.check,
                    "subject": report.subject,
                    "metrics": report.metrics,
                },
            }
        ],
    }
