"""docs/rules.md is generated from the rule catalogue; this keeps the two from drifting."""

from pathlib import Path

from mlsecops_jupyter.checks.catalogue import all_rules, markdown_table
from mlsecops_jupyter.core.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown_table(), (
        "docs/rules.md is stale: run `python -m mlsecops_jupyter.checks.catalogue > docs/rules.md`"
    )


def test_every_rule_is_an_upper_case_slug_with_advice() -> None:
    rules = all_rules()
    assert "MODEL-PICKLE-EXEC" in rules
    for rule in rules.values():
        assert rule.id == rule.id.upper() and " " not in rule.id
        assert rule.title and rule.description and rule.remediation, rule.id
    assert set(rules) == set(RULES)


def test_core_never_imports_the_checks_layer() -> None:
    """core/ is the vocabulary every layer shares: it may not reach up into checks/."""
    core = Path(__file__).resolve().parents[2] / "mlsecops_jupyter" / "core"
    for module in core.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for forbidden in ("from ..checks", "mlsecops_jupyter.checks", "from ..lineage",
                          "from ..display", "from ..commands", "from ..magics"):
            assert forbidden not in text, f"{module.name} imports {forbidden}"
