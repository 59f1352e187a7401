"""Every rule carries its MITRE ATLAS techniques and OWASP ML Top 10 entry, from real ids only.

tests/data/atlas/techniques.tsv is every technique id and name of ATLAS 5.6.0 (SOURCE.md there
says where it comes from): an id the table uses must be one of them, with the same name, so no
id is made up or mistyped.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mlsecops_jupyter.checks.catalogue import all_rules
from mlsecops_jupyter.core import Finding, Location, Report, Severity
from mlsecops_jupyter.core.threat_map import (
    ATLAS_TECHNIQUES,
    FAMILY_THREATS,
    OWASP_ML_TOP10,
    THREATS,
    sarif_tags,
    threat_of,
)

ATLAS_TSV = Path(__file__).resolve().parents[1] / "data" / "atlas" / "techniques.tsv"
# rule ids issues 16 and 17 ask for, built in parallel on other branches: mapped before they land
PLANNED_RULES = (
    "DRIFT-FEATURE", "DRIFT-MULTIVARIATE", "DRIFT-LABEL", "DRIFT-PREDICTION",
    "POISON-LABEL-ISSUES", "POISON-TRIGGER", "POISON-CONFLICTING-DUPLICATES", "POISON-OUTLIERS",
    "ROBUST-EVASION", "PRIVACY-MEMBERSHIP-INFERENCE",
)


def _atlas() -> dict[str, str]:
    with ATLAS_TSV.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["name"] for row in csv.DictReader(handle, delimiter="\t")}


def test_the_atlas_extract_is_the_whole_matrix() -> None:
    atlas = _atlas()
    assert len(atlas) == 170
    assert atlas["AML.T0010"] == "AI Supply Chain Compromise"
    assert atlas["AML.T0024.000"] == "Infer Training Data Membership"


@pytest.mark.parametrize("technique", sorted(ATLAS_TECHNIQUES))
def test_every_atlas_id_is_real_and_named_as_atlas_names_it(technique: str) -> None:
    atlas = _atlas()
    assert technique in atlas, f"{technique} is no ATLAS 5.6.0 technique"
    if technique.count(".") == 2:  # a sub-technique: "Parent: Sub", as the ATLAS site shows it
        parent = technique.rsplit(".", 1)[0]
        assert ATLAS_TECHNIQUES[technique] == f"{atlas[parent]}: {atlas[technique]}"
    else:
        assert ATLAS_TECHNIQUES[technique] == atlas[technique]


def test_owasp_is_the_2023_list() -> None:
    assert list(OWASP_ML_TOP10) == [f"ML{n:02d}" for n in range(1, 11)]
    assert OWASP_ML_TOP10["ML06"] == "AI Supply Chain Attacks"


@pytest.mark.parametrize("rule", sorted(all_rules()))
def test_every_rule_of_the_product_is_mapped(rule: str) -> None:
    threat = threat_of(rule)
    assert threat is not None, f"{rule} has no entry in core/threat_map.py"
    assert threat.reason and "\n" not in threat.reason


@pytest.mark.parametrize("rule", PLANNED_RULES)
def test_rules_of_the_parallel_branches_are_mapped_already(rule: str) -> None:
    threat = threat_of(rule)
    assert threat is not None and threat.mapped and threat.atlas


def test_the_table_uses_only_known_ids() -> None:
    for rule, threat in [*THREATS.items(), *FAMILY_THREATS.items()]:
        assert re.fullmatch(r"[A-Z0-9-]+", rule), rule
        for technique in threat.atlas:
            assert technique in ATLAS_TECHNIQUES, (rule, technique)
        assert threat.owasp is None or threat.owasp in OWASP_ML_TOP10, (rule, threat.owasp)
        # a rule either names a threat or says why it has none: never half of it
        assert bool(threat.atlas) == (threat.owasp is not None), rule


def test_what_each_attack_rule_maps_to() -> None:
    """The mappings a reviewer would check first, spelled out."""
    assert threat_of("MODEL-PICKLE-EXEC").atlas[0] == "AML.T0018.002"
    assert threat_of("MODEL-PICKLE-EXEC").owasp == "ML06"
    assert "AML.T0011.000" in threat_of("MODEL-PICKLE-EXEC").atlas
    assert threat_of("PRIVACY-MEMBERSHIP-INFERENCE").atlas == ("AML.T0024.000",)
    assert threat_of("PRIVACY-MEMBERSHIP-INFERENCE").owasp == "ML04"
    assert threat_of("ROBUST-EVASION").owasp == "ML01"
    assert threat_of("POISON-TRIGGER").atlas[0] == "AML.T0043.004"
    assert threat_of("SECRET-AWS-ACCESS-KEY-ID").atlas == ("AML.T0055",)
    assert threat_of("LEAK-TARGET-IN-FEATURES").mapped is False


def test_families_cover_rules_added_later_and_exact_entries_win() -> None:
    assert threat_of("SECRET-SOME-FUTURE-TOKEN") == FAMILY_THREATS["SECRET-"]
    assert threat_of("MODEL-SOME-FUTURE-FORMAT") == FAMILY_THREATS["MODEL-"]
    assert threat_of("MODEL-PICKLE-EXEC") != FAMILY_THREATS["MODEL-"]
    assert threat_of("NO-SUCH-RULE") is None
    assert sarif_tags("NO-SUCH-RULE") == []


def test_sarif_rules_carry_the_tags() -> None:
    finding = Finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, "t", "d", Location(file="m.pkl"))
    rule = Report("modelscan", "m.pkl", findings=[finding]).to_sarif()["runs"][0]["tool"][
        "driver"]["rules"][0]
    tags = rule["properties"]["tags"]
    assert tags[0] == "security"  # GitHub treats a rule as security only with this tag
    assert "external/atlas/AML.T0018.002" in tags
    assert "external/atlas/AML.T0010.003" in tags
    assert "external/owasp-ml/ML06" in tags
    assert len(tags) == len(set(tags))


def test_docs_table_has_the_threat_columns() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| `MODEL-PICKLE-EXEC`"))
    assert "AML.T0018.002 AI Supply Chain Compromise" not in row  # names stay with their ids
    assert "AML.T0018.002 Manipulate AI Model: Embed Malware" in row
    assert "ML06:2023 AI Supply Chain Attacks" in row
