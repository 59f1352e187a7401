"""The peers' test vectors stored under benchmarks/vectors stay well-formed and true to source.

The secrets and PII benchmarks score our detectors on these files, so a file that rots (an
example edited by hand, a regex translated wrongly, a count that drifts) would silently change
the yardstick. Each source's counts are pinned to what its SOURCE.md records; every gitleaks
true example must still be reported by its own rule (regex translated to Python, secret group,
entropy, keywords, allowlists) and no false example by its rule, as gitleaks itself demands.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

VECTORS = Path(__file__).resolve().parents[1] / "benchmarks" / "vectors"
sys.path.insert(0, str(VECTORS))

import re2py  # noqa: E402


@pytest.fixture(scope="module")
def gitleaks() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    folder = VECTORS / "gitleaks"
    rules = {r["id"]: r for r in json.loads((folder / "rules.json").read_text())}
    with (folder / "examples.jsonl").open() as stream:
        examples = [json.loads(line) for line in stream]
    return rules, examples, json.loads((folder / "extraction.json").read_text())


def test_every_source_names_its_commit_and_licence() -> None:
    for folder in ("gitleaks", "detect_secrets", "presidio"):
        source = (VECTORS / folder / "SOURCE.md").read_text()
        assert re.search(r"Commit: `[0-9a-f]{40}`", source), folder
        assert "Licence:" in source, folder
        assert (VECTORS / folder / "LICENSE").read_text().strip(), folder


def test_gitleaks_counts(gitleaks: Any) -> None:
    rules, examples, meta = gitleaks
    labels = Counter(e["label"] for e in examples)
    assert len(rules) == meta["rules_extracted"] == 220
    assert len({r["family"] for r in rules.values()}) == 129
    assert labels == {"true": 5992, "false": 374}
    assert meta["regex_agrees_with_gitleaks_toml"] == 220
    assert [s["function"] for s in meta["skipped"]] == ["DropBoxLongLivedAPIToken",
                                                        "DropBoxShortLivedAPIToken"]
    assert len({e["id"] for e in examples}) == len(examples)
    assert {e["built"] for e in examples} <= {"literal", "sample", "generated",
                                              "sample+generated"}
    for example in examples:
        assert example["rule"] in rules
        assert example["family"] == rules[example["rule"]]["family"]


def test_gitleaks_regexes_translate_to_the_stored_python(gitleaks: Any) -> None:
    rules, _, _ = gitleaks
    for rule in rules.values():
        if rule["regex_go"]:
            assert re2py.translate(rule["regex_go"]) == rule["regex_python"], rule["id"]
            re.compile(rule["regex_python"], re.ASCII)


def test_every_gitleaks_true_example_matches_its_rule(gitleaks: Any) -> None:
    rules, examples, meta = gitleaks
    global_allowlists = [re2py.Allowlist.from_json(a) for a in meta["global_allowlists"]]
    for example in examples:
        rule = rules[example["rule"]]
        if not rule["regex_python"]:  # a file-name-only rule (pkcs12)
            assert rule["path"] and example.get("path")
            continue
        found, why = re2py.rule_check(rule, example["text"], global_allowlists)
        if rule["path"] and not re.search(re2py.translate(rule["path"]), example.get("path", ""),
                                          re.ASCII):
            found = []  # the rule looks only at files whose name matches its path
        if example["label"] == "true":
            assert re.search(rule["regex_python"], example["text"], re.ASCII), example["id"]
            assert found, f"{example['id']} ({example['rule']}): {why}"
            start, end = example["secret_span"]
            assert example["text"][start:end] == found[0].secret
        else:
            assert not found, f"{example['id']} ({example['rule']}) is reported"


def test_sample_expansions_keep_their_value(gitleaks: Any) -> None:
    _, examples, _ = gitleaks
    samples = [e for e in examples if e["built"].startswith("sample")]
    assert len({e["syntax"] for e in samples}) == 25  # the templates of generate.go
    for example in samples:
        assert example["secret"] in example["text"], example["id"]


def test_detect_secrets_vectors() -> None:
    document = json.loads((VECTORS / "detect_secrets" / "vectors.json").read_text())
    items = document["items"]
    assert (document["vectors"], document["true"], document["false"]) == (630, 412, 218)
    assert len(items) == 630 and len(document["per_plugin"]) == 25
    assert Counter(i["label"] for i in items) == {"true": 412, "false": 218}
    assert all(isinstance(i["text"], str) and i["text"] for i in items)
    assert document["unreadable_rows"] == {
        "keyword_test.py::test_keyword: a row: call randint": 13}


def test_presidio_cases() -> None:
    document = json.loads((VECTORS / "presidio" / "cases.json").read_text())
    items = document["items"]
    assert Counter(i["entity"] for i in items) == {
        "CREDIT_CARD": 19, "IBAN_CODE": 330, "EMAIL_ADDRESS": 8, "PHONE_NUMBER": 24,
        "IP_ADDRESS": 115, "US_SSN": 13, "URL": 16, "CRYPTO": 10, "DATE_TIME": 35}
    for item in items:
        if not item.get("spans_incomplete"):
            assert len(item["expected"]) == item["expected_len"], item["id"]
        for span in item["expected"]:
            assert 0 <= span["start"] < span["end"] <= len(item["text"]), item["id"]
    assert sum(bool(i.get("spans_incomplete")) for i in items) == 3


@pytest.mark.parametrize(("go", "python"), [
    (r"\bp8e-(?i)[a-z0-9]{32}", r"\bp8e-(?i:[a-z0-9]{32})"),
    (r"(?i)abc\z", r"(?i)abc\Z"),
    (r"(a(?i)b|c)d", r"(a(?i:b)|(?i:c))d"),
    (r"[[:alnum:]_]{3}", r"[0-9A-Za-z_]{3}"),
    (r"x{,2}", r"x\{,2}"),
    (r"(?<name>\w+)", r"(?P<name>\w+)"),
])
def test_translate_re2_differences(go: str, python: str) -> None:
    assert re2py.translate(go) == python


def test_sampler_draws_matching_strings() -> None:
    import random

    rng = random.Random(7)
    for go in (r"ghp_[0-9a-zA-Z]{36}", r"(?:sc|ext)_(?i)[a-z0-9]{5,30}\.[a-f0-9]{4}",
               r"ey[a-zA-Z0-9]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?"):
        pattern = re2py.translate(go)
        for _ in range(20):
            assert re.fullmatch(pattern, re2py.sample(pattern, rng), re.ASCII)
