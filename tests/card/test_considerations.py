"""Limitations are grouped by rule and capped with a count; accepted findings are listed apart."""

from __future__ import annotations

import copy
import json
from typing import Any

from mlsecops_jupyter.card import build_card, mlbom_json
from mlsecops_jupyter.card.considerations import MAX_NOTES
from mlsecops_jupyter.core import Finding, Location, Report, Severity

REASON = "test fixture address, reviewed by J. Doe"


def _notebook_scan() -> Report:
    """A notebook scan as a busy notebook gives it: one rule many times, many rules once."""
    findings = [Finding("PII-EMAIL-ADDRESS", Severity.MEDIUM, f"E-mail address in output {i}",
                        location=Location(cell=i, output=0)) for i in range(40)]
    findings += [Finding(f"SECRET-RULE-{i:02d}", Severity.HIGH, f"Credential kind {i}",
                         location=Location(cell=i, line=1)) for i in range(15)]
    findings += [Finding("SECRET-AWS-KEY", Severity.CRITICAL, "AWS access key in a cell",
                         location=Location(cell=3, line=2), accepted=REASON),
                 Finding("PII-PHONE", Severity.LOW, "Phone number", location=Location(cell=5))]
    return Report(check="notebook", subject="nb.ipynb", findings=findings)


def _with(records: list[dict[str, Any]], *reports: Report) -> list[dict[str, Any]]:
    out = copy.deepcopy(records)
    session = out[-1]["session"]
    for report in reports:
        out.append({"kind": "check", "seq": len(out), "session": session,
                    "cell": {"id": None, "execution_count": None, "notebook": None},
                    "report": report.to_dict()})
    return out


def test_limitations_group_findings_by_rule_and_cap_with_a_count(
        records: list[dict[str, Any]]) -> None:
    card = build_card(_with(records, _notebook_scan(), _notebook_scan()), "clf")
    notes = [note for _, note in card.section("limitations").facts]
    assert notes[-1] == "Limitations stated by the authors: not stated."
    about_findings = notes[:-1]  # every check ran on this log: no "not run" notes
    assert len(about_findings) == MAX_NOTES
    assert about_findings[-1].startswith("... and ") and about_findings[-1].endswith(
        "more not listed here: see the findings tables of this card.")
    hidden = int(about_findings[-1].split()[2])
    # 15 high secret rules, the bias rule (high), the notebook's and the pii check's e-mail
    # rules (medium): 18 rules; the scan ran twice, its latest run counts once
    assert len(about_findings) - 1 + hidden == 18
    assert about_findings[0].startswith("bias: [high] BIAS-DISPARATE-IMPACT")
    assert len(notes) == len(set(notes))
    assert not any("(and " in note for note in about_findings)  # one finding per rule and run
    assert not any("PII-PHONE" in note for note in notes)  # low is not a limitation
    assert not any("SECRET-AWS-KEY" in note for note in notes)  # accepted is not either


def test_one_note_per_rule_says_how_many_more(records: list[dict[str, Any]]) -> None:
    scan = Report(check="notebook", subject="nb.ipynb", findings=[
        Finding("PII-EMAIL-ADDRESS", Severity.MEDIUM, f"E-mail address in output {i}",
                location=Location(cell=i)) for i in range(40)])
    notes = [note for _, note in build_card(_with(records, scan), "clf").section(
        "limitations").facts]
    email = [note for note in notes if "PII-EMAIL-ADDRESS" in note]
    assert email == ["notebook: [medium] PII-EMAIL-ADDRESS E-mail address in output 0 "
                     "(and 39 more PII-EMAIL-ADDRESS findings)"]


def test_accepted_findings_are_listed_apart_with_the_reason(
        records: list[dict[str, Any]]) -> None:
    card = build_card(_with(records, _notebook_scan()), "clf")
    accepted = card.section("accepted")
    assert accepted.has_evidence
    [table] = accepted.tables
    assert table.columns == ("severity", "rule", "where", "finding", "reason")
    assert table.rows == (("critical", "SECRET-AWS-KEY", "cell 3, line 2",
                           "AWS access key in a cell", REASON),)
    sensitive = card.section("sensitive_data")
    listed = {row[1] for table in sensitive.tables for row in table.rows}
    assert "SECRET-AWS-KEY" not in listed and "PII-PHONE" in listed
    assert "notebook on nb.ipynb: 56 finding(s), 1 accepted" in sensitive.text
    assert REASON in card.to_markdown() and REASON in card.to_html()
    checks = {c["check"]: c for c in card.facts["checks"]}
    assert checks["notebook"]["accepted"] == 1 and checks["notebook"]["findings"] == 56
    assert "SECRET-AWS-KEY" not in checks["notebook"]["rules"]
    bom = json.loads(mlbom_json(card))
    limits = bom["components"][0]["modelCard"]["considerations"]["technicalLimitations"]
    assert len(limits) == MAX_NOTES + 1  # the capped findings and "not stated"


def test_no_accepted_finding_no_section(records: list[dict[str, Any]]) -> None:
    card = build_card(records, "clf")
    assert "accepted" not in [s.key for s in card.sections]
    assert "Accepted findings" not in card.to_markdown()
