"""The card's "Training data integrity" section: what the poisoning check found in the data.

Why a module of its own: the drift check adds a "Monitoring" section beside it, and both grow;
keeping each in one function (``integrity_section``) keeps ``model.py`` a list of sections. The
section reads the ``poisoning`` check records generically (findings, evidence counts, metrics),
so it needs no change when the check gains a rule. Only the latest run per subject counts, as
for limitations: re-running the check after cleaning the data replaces its findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from .evidence import CheckRun, Evidence
from .sections import Section, Table, findings_table, fmt, runs_text

CHECK = "poisoning"
NOT_RUN = ("No poisoning check was run in this session: flipped labels, backdoor triggers and "
           "conflicting copies in the training data were not looked for (%mlsec poison X y).")
RULE_NAMES = (
    ("POISON-LABEL-ISSUES", "rows whose labels a cross-validated model contradicts"),
    ("POISON-TRIGGER", "rare values that carry one label (possible backdoor triggers)"),
    ("POISON-CONFLICTING-DUPLICATES", "identical rows with different labels"),
    ("POISON-OUTLIERS", "rows far from their class"),
)


def _latest(runs: Sequence[CheckRun]) -> list[CheckRun]:
    return list({run.subject: run for run in runs}.values())


def integrity_section(evidence: Evidence) -> Section:
    """One row per rule and data set: how many rows each rule flagged, at what severity."""
    runs = _latest([run for run in evidence.checks if run.check == CHECK])
    if not runs:
        return Section("data_integrity", "Training data integrity", False, text=NOT_RUN)
    rows = []
    for run in runs:
        by_rule: dict[str, list[dict]] = {}
        for finding in run.findings:
            by_rule.setdefault(str(finding.get("rule")), []).append(finding)
        for rule, meaning in RULE_NAMES:
            found = by_rule.get(rule, [])
            flagged = sum(int((f.get("evidence") or {}).get("count") or 0) for f in found)
            severity = ", ".join(sorted({str(f.get("severity")) for f in found})) or "-"
            rows.append((run.subject, meaning, str(len(found)), str(flagged), severity))
    facts = []
    for run in runs:
        metrics = run.metrics
        model = metrics.get("model")
        facts.append((f"{run.subject}: rows checked",
                      f"{fmt(metrics.get('labelled_rows'))} labelled of "
                      f"{fmt(metrics.get('rows'))}; label model {fmt(model)} on "
                      f"{fmt(metrics.get('sample_rows'))} rows; false-alarm rate per rule "
                      f"{fmt(metrics.get('false_alarm_rate'))}"))
    tables = [Table("Poisoning checks", ("data", "rule", "findings", "rows flagged",
                                         "severity"), tuple(rows))]
    listed = findings_table(runs, "Poisoning findings")
    if listed.rows:
        tables.append(listed)
    return Section("data_integrity", "Training data integrity", True, text=runs_text(runs),
                   facts=tuple(facts), tables=tuple(tables))
