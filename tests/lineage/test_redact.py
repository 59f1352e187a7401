"""Secrets never reach the lineage file: the secrets scanner's credentials, spliced out by type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notebook_corpus import Fakes

from mlsecops_jupyter.lineage.redact import redact

FAKE = Fakes(5)
AWS_KEY_ID = FAKE.aws_key_id()
GITHUB = FAKE.github()
HUGGINGFACE = FAKE.huggingface()
PEM_BODY = FAKE.pem_body(4)
PRIVATE_KEY = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *PEM_BODY,
                         "-----END RSA PRIVATE KEY-----"])


@pytest.mark.parametrize(("source", "secret", "kind"), [
    (f'aws_id = "{AWS_KEY_ID}"', AWS_KEY_ID, "AWS-ACCESS-KEY-ID"),
    (f"client(token='{GITHUB}')", GITHUB, "GITHUB-TOKEN"),
    (f'key = """{PRIVATE_KEY}"""', PEM_BODY[1], "PRIVATE-KEY"),
    ('password = "hunter2"', "hunter2", "HARDCODED-PASSWORD"),
    ('connect(user="bob", passwd="pa55w0rd")', "pa55w0rd", "HARDCODED-PASSWORD"),
    ('API_KEY = "q8Zr2LmN5vXw1TyB4kPd"', "q8Zr2LmN5vXw1TyB4kPd", "GENERIC"),
    ('cfg = {"secret_token": "Zx8vQ2mN4pL7rT1wK9"}', "Zx8vQ2mN4pL7rT1wK9", "GENERIC"),
    ('url = "postgresql://bob:s3cr3t-pw@db:5432/x"', "s3cr3t-pw", "URL-PASSWORD"),
    (f"hf = '{HUGGINGFACE}'", HUGGINGFACE, "HUGGINGFACE-TOKEN"),
])
def test_secret_is_replaced_by_its_type(source: str, secret: str, kind: str) -> None:
    result = redact(source)
    assert secret not in result.text
    assert f"[REDACTED:{kind}]" in result.text
    assert result.counts == {kind: 1}


@pytest.mark.parametrize("source", [
    'sort_key = "date"',
    'token_column = "customer_id"',
    "password = input()",
    'password = os.environ["DB_PASSWORD"]',
    'df = pd.read_csv("keys.csv")',
    'aws_id = "AKIAIOSFODNN7EXAMPLE"',  # AWS's documented example key
    "model.fit(X, y)",
])
def test_ordinary_code_is_left_alone(source: str) -> None:
    result = redact(source)
    assert result.text == source and result.counts == {}


def test_error_messages_are_read_as_prose() -> None:
    message = "ConnectionError: login refused, password: Tr0ub4dor&3 rejected"
    assert "Tr0ub4dor&3" in redact(message).text  # code context: prose is not an assignment
    assert "Tr0ub4dor&3" not in redact(message, context="text").text


def test_counts_are_listed_without_values() -> None:
    result = redact(f'a = "{AWS_KEY_ID}"\nb = "{FAKE.aws_key_id()}"')
    assert result.to_list() == [{"kind": "AWS-ACCESS-KEY-ID", "count": 2}]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_raises_and_is_stable(text: str) -> None:
    once = redact(text)
    assert redact(once.text).text == once.text
