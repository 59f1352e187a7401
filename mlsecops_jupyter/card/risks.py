"""The card's risk section: what the checks found, named as threats (MITRE ATLAS, OWASP ML).

Each open finding's rule is looked up in ``core/threat_map.py``; the section lists one row per
rule with its count, worst severity, ATLAS techniques and OWASP ML Top 10 entry, so a security
reviewer reads the card in the vocabulary of a threat model. Rules that are no attack (data
leakage, measurement caveats) are counted apart instead of being dressed up as threats.
"""

from __future__ import annotations

from typing import Any

from ..core.threat_map import ATLAS_VERSION, OWASP_EDITION, threat_of
from .evidence import Evidence
from .sections import SEVERITY_ORDER, Section, Table

TITLE = "Risks (MITRE ATLAS, OWASP ML Top 10)"


def threat_facts(evidence: Evidence) -> list[dict[str, Any]]:
    """One entry per rule with open findings (the latest run of each check on each subject):
    rule, count, worst severity, ATLAS ids, OWASP id, and why."""
    latest = {(run.check, run.subject): run for run in evidence.checks}
    by_rule: dict[str, dict[str, Any]] = {}
    for run in latest.values():
        for finding in run.findings:
            rule = str(finding.get("rule"))
            severity = str(finding.get("severity"))
            entry = by_rule.setdefault(rule, {"rule": rule, "count": 0, "severity": severity,
                                              "checks": set()})
            entry["count"] += 1
            entry["checks"].add(run.check)
            if _rank(severity) < _rank(entry["severity"]):
                entry["severity"] = severity
    facts = []
    for rule, entry in by_rule.items():
        threat = threat_of(rule)
        facts.append({"rule": rule, "count": entry["count"], "severity": entry["severity"],
                      "checks": sorted(entry["checks"]),
                      "atlas": list(threat.atlas) if threat else [],
                      "owasp": threat.owasp if threat else None,
                      "atlas_text": threat.atlas_text() if threat else "-",
                      "owasp_text": threat.owasp_text() if threat else "-",
                      "reason": threat.reason if threat else "not mapped"})
    return sorted(facts, key=lambda f: (_rank(f["severity"]), f["rule"]))


def _rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def risks_section(evidence: Evidence, threats: list[dict[str, Any]]) -> Section:
    """The section itself; without check runs it says no check was run."""
    if not evidence.checks:
        return Section("risks", TITLE, False,
                       text="No check was run in this session, so no risk is known.")
    mapped = [t for t in threats if t["atlas"] or t["owasp"]]
    other = [t for t in threats if not (t["atlas"] or t["owasp"])]
    source = (f"Techniques from MITRE ATLAS {ATLAS_VERSION}, entries from the OWASP Machine "
              f"Learning Security Top Ten ({OWASP_EDITION}); docs/rules.md maps every rule.")
    if not mapped:
        text = "No open finding of the checks run maps to a known threat. " + source
    else:
        text = (f"{len(mapped)} rule(s) with open findings map to known threats. " + source)
    if other:
        text += (f" {len(other)} other rule(s) with findings are no attack technique: "
                 + ", ".join(t["rule"] for t in other) + ".")
    rows = tuple((t["rule"], t["severity"], str(t["count"]), t["atlas_text"], t["owasp_text"],
                  t["reason"]) for t in mapped)
    tables = (Table("Threats", ("rule", "worst severity", "findings", "MITRE ATLAS",
                                "OWASP ML Top 10", "why"), rows),) if rows else ()
    return Section("risks", TITLE, True, text=text, tables=tables)
