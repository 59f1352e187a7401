"""Secrets never reach the lineage file: known token formats and secret-named literals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.lineage.redact import looks_random, redact, shannon_entropy

# Fake credentials in the documented formats (AWS's own example key; made-up tokens).
FAKE_AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
FAKE_GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2
PRIVATE_KEY = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAfakefakefake\n"
               "-----END RSA PRIVATE KEY-----")


@pytest.mark.parametrize(("source", "secret", "kind"), [
    (f'aws_id = "{FAKE_AWS_KEY}"', FAKE_AWS_KEY, "aws-access-key-id"),
    (f"client(token='{FAKE_GITHUB}')", FAKE_GITHUB, "github-token"),
    (f'key = """{PRIVATE_KEY}"""', "MIIEowIBAAKCAQEAfakefakefake", "private-key"),
    ('password = "hunter2"', "hunter2", "password"),
    ('connect(user="bob", passwd="pa55")', "pa55", "password"),
    ('API_KEY = "q8Zr2LmN5vXw1TyB4kPd"', "q8Zr2LmN5vXw1TyB4kPd", "credential"),
    ('cfg = {"secret_token": "Zx8vQ2mN4pL7rT1wK9"}', "Zx8vQ2mN4pL7rT1wK9", "credential"),
    ('url = "postgresql://bob:s3cr3t-pw@db:5432/x"', "s3cr3t-pw", "url-password"),
    ("hf = 'hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123" + "'", "AbCdEfGhIjKlMnOpQrStUvWx",
     "huggingface-token"),
])
def test_secret_is_replaced_by_its_kind(source, secret, kind):
    result = redact(source)
    assert secret not in result.text
    assert f"[REDACTED:{kind}]" in result.text
    assert result.counts[kind] == 1


@pytest.mark.parametrize("source", [
    'sort_key = "date"',
    'token_column = "customer_id"',
    "password = input()",
    'df = pd.read_csv("keys.csv")',
    "model.fit(X, y)",
])
def test_ordinary_code_is_left_alone(source):
    result = redact(source)
    assert result.text == source and result.counts == {}


def test_counts_are_listed_without_values():
    result = redact(f'a = "{FAKE_AWS_KEY}"\nb = "{FAKE_AWS_KEY}"')
    assert result.to_list() == [{"kind": "aws-access-key-id", "count": 2}]


def test_entropy_separates_tokens_from_words():
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert looks_random("q8Zr2LmN5vXw1TyB4kPd")
    assert not looks_random("customer_id")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_raises_and_is_stable(text):
    once = redact(text)
    assert redact(once.text).text == once.text
