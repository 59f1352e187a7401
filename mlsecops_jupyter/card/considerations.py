"""The card's considerations: what people stated, what the evidence leaves open, what was accepted.

Why a module: these sections mix the author's statements (kept in the lineage log, see
``lineage/statements.py``) with what the checks found, and both can be long. A notebook scan
that finds the same e-mail rule in forty outputs must not become forty limitations, so notes
about findings are grouped by rule with a count, repeated notes are dropped, and at most
``MAX_NOTES`` of them are listed, the last saying how many more there are. Findings a reviewer
accepted (``Finding.accepted``) are not limitations: they get a section of their own with the
reviewer's reason, so a reader sees both that they exist and why they were let through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .evidence import CheckRun, Evidence
from .sections import NOT_RUN, NOT_STATED, SEVERITY_ORDER, Section, Table, fmt, where_text

MAX_NOTES = 12
SERIOUS = ("critical", "high", "medium")
MORE_NOTES = "... and {count} more not listed here: see the findings tables of this card."


def statement_section(key: str, title: str, text: str | None) -> Section:
    """A statement only the author can make; when absent, how to state it."""
    if text:
        return Section(key, title, True, text=text)
    return Section(key, title, False,
                   text=f"{title}: {NOT_STATED} (%mlsec card MODEL --{key.replace('_', '-')} "
                        "\"...\").")


def capped(notes: Iterable[str], limit: int = MAX_NOTES) -> list[str]:
    """``notes`` with repeats dropped; past ``limit`` one last note says how many more."""
    unique = list(dict.fromkeys(note for note in notes if note))
    if len(unique) > limit:
        shown = unique[:limit - 1]
        unique = [*shown, MORE_NOTES.format(count=len(unique) - len(shown))]
    return unique


def numbered(notes: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Notes as ``("1", note), ("2", note) ...`` facts, repeats dropped."""
    return tuple((str(i + 1), note) for i, note in enumerate(dict.fromkeys(notes)))


def _finding_notes(runs: Sequence[CheckRun], severities: Sequence[str]) -> list[str]:
    """One note per (check, severity, rule), most severe first, with how many findings.

    Only the latest run of a check on a subject counts: re-running it replaces its findings.
    """
    latest = {(run.check, run.subject): run for run in runs}
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for run in latest.values():
        for finding in run.findings:
            severity = str(finding.get("severity"))
            if severity in severities:
                key = (run.check, severity, str(finding.get("rule")))
                groups.setdefault(key, []).append(finding)
    ordered = sorted(groups.items(), key=lambda item: (SEVERITY_ORDER.index(item[0][1]),
                                                        item[0][0], item[0][2]))
    notes = []
    for (check, severity, rule), findings in ordered:
        more = len(findings) - 1
        suffix = f" (and {more} more {rule} finding{'s' if more > 1 else ''})" if more else ""
        notes.append(f"{check}: [{severity}] {rule} {fmt(findings[0].get('title'))}{suffix}")
    return notes


def limitations_section(evidence: Evidence, stated: str | None) -> Section:
    """The authors' statement, checks not run, sampled data, then serious findings by rule
    (at most ``MAX_NOTES`` of those), and "not stated" last when the authors said nothing."""
    notes = [stated] if stated else []
    for topic in ("scan", "bias", "explain", "leakage", "pii"):
        if topic == "scan":
            if not evidence.scans_of_model():
                notes.append(NOT_RUN["scan"])
        elif not evidence.checks_of(topic):
            notes.append(NOT_RUN[topic])
    for data in evidence.datasets:
        fp = data.fingerprint
        if fp.get("sample") not in (None, "all"):
            notes.append(f"{data.name}: the fingerprint hashes {fp.get('rows_hashed')} of "
                         f"{fp.get('rows_total')} rows (sampled).")
    serious = _finding_notes(evidence.checks, SERIOUS)
    notes += capped(serious)
    if not stated:
        notes.append(f"Limitations stated by the authors: {NOT_STATED}.")
    return Section("limitations", "Limitations", bool(stated or serious),
                   text="What the evidence leaves open or flags.", facts=numbered(notes))


def accepted_section(evidence: Evidence) -> tuple[Section, ...]:
    """Findings a reviewer accepted, with the reason; apart from limitations and tables.

    No section when nothing was accepted: unlike a check that was never run, an empty list of
    accepted findings leaves nothing open, and the card keeps its shape for the common case.
    """
    rows = []
    for run in evidence.checks:
        for finding in run.accepted:
            rows.append((str(finding.get("severity")), str(finding.get("rule")),
                         where_text(finding, run.subject), fmt(finding.get("title")),
                         fmt(finding.get("accepted"))))
    rows = list(dict.fromkeys(rows))
    if not rows:
        return ()
    rows.sort(key=lambda row: (SEVERITY_ORDER.index(row[0]) if row[0] in SEVERITY_ORDER
                               else len(SEVERITY_ORDER), row[1], row[2]))
    text = (f"{len(rows)} finding(s) a reviewer accepted (an inline '# mlsec: ignore RULE "
            "reason' or the baseline file); they do not fail strict runs and are not counted "
            "above.")
    table = Table("Accepted findings", ("severity", "rule", "where", "finding", "reason"),
                  tuple(rows))
    return (Section("accepted", "Accepted findings", True, text=text, tables=(table,)),)


def fairness_findings(runs: Sequence[CheckRun]) -> list[dict[str, Any]]:
    """Bias findings as fairness assessments: the group at risk, the harm, a mitigation."""
    out = []
    for run in runs:
        for finding in run.findings:
            evidence = finding.get("evidence") or {}
            location = finding.get("location") or {}
            group = evidence.get("group") or evidence.get("groups") or location.get("column")
            out.append({"group": str(group) if group is not None else "not named",
                        "harm": str(finding.get("title") or finding.get("rule")),
                        "severity": str(finding.get("severity")),
                        "rule": str(finding.get("rule")),
                        "mitigation": str(finding.get("remediation") or "")})
    return out


def ethics_section(evidence: Evidence, stated: str | None) -> Section:
    """The authors' statement, personal data found, groups the bias check flagged."""
    notes = [stated] if stated else []
    for run in evidence.checks_of("pii"):
        if run.findings:
            notes.append(f"{run.check} found {len(run.findings)} item(s) of personal data or "
                         f"secrets in {run.subject}.")
    for item in fairness_findings(evidence.checks_of("bias")):
        notes.append(f"group {item['group']}: {item['harm']} ({item['severity']})")
    if not notes:
        return Section("ethics", "Ethical considerations", False,
                       text="No ethical considerations were stated, and no bias or PII check "
                            "found anything to consider.")
    return Section("ethics", "Ethical considerations", True, facts=numbered(capped(notes)))
