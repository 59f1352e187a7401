"""Secrets and personal data never reach the lineage file: spliced out by type.

Credentials come from the secrets scanner, personal data from the PII scanner behind a cheap
prefilter (``pii_candidates``); the tests below hold the prefilter to ``find_pii`` itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notebook_corpus import Fakes

from mlsecops_jupyter.lineage.redact import masked_for_hashing, pii_candidates, redact

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


# -- personal data: a cheap prefilter decides where Presidio runs --------------------------------
def _corpus_texts() -> list[str]:
    """Every source and text output of the labelled notebook corpus and of the repo's
    notebooks, and the example sentences of the PII tests: the texts ``find_pii`` is tested on."""
    import ast
    import json
    import re

    from notebook_corpus import build_labelled_notebooks

    texts: list[str] = []
    for labelled in build_labelled_notebooks():
        for cell in labelled.notebook.cells:
            texts.append(cell.source)
            for output in cell.get("outputs", []):
                texts.append(output.get("text") or "")
                texts += [v if isinstance(v, str) else "".join(v)
                          for k, v in (output.get("data") or {}).items() if k.startswith("text/")]
                texts.append("\n".join(output.get("traceback") or []))
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        texts += ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    examples = (ROOT / "tests" / "checks" / "test_pii_text.py").read_text()
    texts += [ast.literal_eval(m) for m in re.findall(r'"(?:[^"\\\n]|\\.)*"', examples)]
    return [text for text in texts if text]


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("context", ["code", "text"])
def test_every_text_find_pii_reports_on_is_a_candidate(context: str) -> None:
    from mlsecops_jupyter.checks.pii import find_pii

    with_pii = 0
    for text in _corpus_texts():
        spans = find_pii(text, context=context)
        if spans:
            with_pii += 1
            assert pii_candidates(text, context), (text[:120], spans)
            redacted = redact(text, context=context, pii=True).text
            for span in spans:
                assert text[span.start:span.end] not in redacted
    assert with_pii >= 30  # the corpus really holds personal data


VALUES = {
    "email": ["jane.doe@example.com", "m.garcia+ml@outlook.com", "j***@example.org"],
    "phone": ["(415) 555-0132", "+1 646-230-8822", "+44 20 7946 0958", "415.555.0132"],
    "card": ["4111 1111 1111 1111", "5555555555554444", "3782 822463 10005"],
    "ssn": ["123-45-6788", "219-09-9998"],
    "iban": ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"],
    "ip": ["8.8.4.4", "203.0.113.77", "2001:4860:4860::8888"],
    "name": ["Maria Garcia", "John Smith", "Dr. Alan Turing", "Dear Wei Zhang"],
    "address": ["12 Elm Street", "221B Baker St", "1600 Amphitheatre Parkway"],
    "dob": ["born 1984-02-03", "DOB: 03/02/1985", "date of birth: March 2, 1985"],
    "ids": ["patient NHS 943 476 5919", "passport 912803456", "customer "
            "550e8400-e29b-41d4-a716-446655440000", "device mac 00:1A:2B:3C:4D:5E",
            "routing account 021000021"],
}
TEMPLATES = ['{name} = "{value}"', "# {value}", 'print("contact: {value}")',
             'raise ValueError("no record for {value}")', 'df.loc[df.key == "{value}"]',
             '"""{value}"""', "rows.append(('{value}', 3))"]


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(sorted(VALUES)), data=st.data(),
       template=st.sampled_from(TEMPLATES), context=st.sampled_from(["code", "text"]))
def test_generated_cells_with_personal_data_are_candidates(kind, data, template, context):
    from mlsecops_jupyter.checks.pii import find_pii

    value = data.draw(st.sampled_from(VALUES[kind]))
    text = template.format(name="field", value=value)
    if find_pii(text, context=context):
        assert pii_candidates(text, context), text


ORDINARY = [
    "import numpy as np\nimport pandas as pd",
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, "
    "random_state=42)",
    "clf = RandomForestClassifier(n_estimators=300, max_depth=8).fit(X_train, y_train)",
    "scores = cross_val_score(clf, X, y, cv=5)\nprint(scores.mean(), scores.std())",
    "df = pd.read_csv('data/train.csv')\ndf.describe()",
    "plt.plot(history['loss'])\nplt.title('loss')",
    "lr = 3e-4\nepochs = 10\nbatch_size = 64",
    "model.save('model.joblib')",
    "for epoch in range(epochs):\n    loss = step(batch)\n    losses.append(loss)",
    "features = df.drop(columns=['target'])\nlabels = df['target']",
]


@pytest.mark.parametrize("cell", ORDINARY)
def test_ordinary_ml_cells_are_not_candidates(cell: str) -> None:
    """Where the per-cell budget comes from: ordinary cells never reach Presidio."""
    assert not pii_candidates(cell)
    assert redact(cell, pii=True).text == cell


def test_masked_text_for_ids_holds_no_candidate_nor_secret() -> None:
    source = f'aws_id = "{AWS_KEY_ID}"  # owner jane.doe@example.com, John Smith'
    masked = masked_for_hashing(source)
    for value in (AWS_KEY_ID, "jane.doe@example.com", "John Smith"):
        assert value not in masked
    assert masked_for_hashing("x = 1") == "x = 1"


def test_personal_data_is_masked_whole_when_presidio_cannot_load() -> None:
    """In an ``atexit`` hook (where the recorder's last records may be written) Presidio's first
    load fails: the interpreter is finalizing. No raw value may survive, and the rest of the
    source must (it was stored as one REDACTION-FAILED placeholder before)."""
    script = textwrap.dedent("""
        import atexit, json, sys
        from mlsecops_jupyter.lineage.redact import redact

        def at_exit():
            found = redact("contact = 'jane.doe@example.org'\\nsize = 3", pii=True)
            sys.stdout.write(json.dumps([found.text, found.to_list()]))

        atexit.register(at_exit)
    """)
    env = {**os.environ, "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300, check=True)
    text, counts = json.loads(done.stdout)
    assert "jane" not in text and "example.org" not in text, text
    assert text.startswith("contact = '") and text.endswith("'\nsize = 3"), text
    assert {c["kind"] for c in counts} <= {"PII-UNCHECKED", "EMAIL_ADDRESS"}, counts
