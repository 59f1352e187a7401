"""find_pii / scan_text: real offline Presidio with our recognizers, exact spans."""

from __future__ import annotations

import dataclasses

import pytest

from mlsecops_jupyter.checks.pii import PiiSpan, find_pii, scan_text
from mlsecops_jupyter.core import Settings
from mlsecops_jupyter.core.errors import MLSecUsageError


def found(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(s.entity, text[s.start:s.end]) for s in find_pii(text, **kwargs)]


def test_the_usual_suspects_are_found_with_exact_spans() -> None:
    text = ("Mail jane.doe@example.org or call (415) 555-0132. Card 4111 1111 1111 1111, "
            "SSN 123-45-6788, IBAN DE89 3704 0044 0532 0130 00, from 81.2.69.160.")
    assert found(text) == [
        ("EMAIL_ADDRESS", "jane.doe@example.org"),
        ("PHONE_NUMBER", "(415) 555-0132"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("US_SSN", "123-45-6788"),
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
        ("IP_ADDRESS", "81.2.69.160"),
    ]
    assert all(s.validated for s in find_pii(text))


def test_spans_are_frozen_sorted_and_non_overlapping() -> None:
    spans = find_pii("call +44 20 7946 0958 or mail bob@example.com")
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spans[0].start = 3  # type: ignore[misc]
    assert isinstance(spans[0], PiiSpan)


@pytest.mark.parametrize("text", [
    "order 4155550132 shipped",  # an order id shaped like a phone: no phone context
    "tracking 940011189922385",
    "ref 900-12-3456",  # fails the SSN area rule
    "invoice 4111111111111112",  # Luhn-invalid
    "id 550e8400-e29b-41d4-a716-446655440000",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "SKU-48213-XL in stock",
    "loss 0.123456789012345",
    "at 2024-03-01T12:34:56Z",
    "pandas 2.2.3 and numpy 1.26.4",
    "localhost 127.0.0.1 and 0.0.0.0",
    "signed up on 2021-05-04",  # a date, but not a birth date
    "IBANX DE89370400440532013000X",  # not word-bounded
])
def test_hard_negatives_in_text(text: str) -> None:
    assert find_pii(text) == []


def test_context_words_turn_weak_candidates_into_pii() -> None:
    assert found("phone 4155550132") == [("PHONE_NUMBER", "4155550132")]
    assert found("ssn: 123456788") == [("US_SSN", "123456788")]
    assert found("born 1984-02-03") == [("DATE_OF_BIRTH", "1984-02-03")]
    # context from another clause does not count
    assert found("order 4155550132, phone unknown") == []


@pytest.mark.parametrize("text, date", [
    ("DOB: 03/02/1985", "03/02/1985"),
    ("date of birth: March 2, 1985", "March 2, 1985"),
    ("Born on 2 March 1985 in Ohio", "2 March 1985"),
    ("birthday 1985-03-02.", "1985-03-02"),
])
def test_dates_of_birth_need_birth_context(text: str, date: str) -> None:
    assert found(text) == [("DATE_OF_BIRTH", date)]
    assert found(text.replace("DOB", "Due").replace("date of birth", "due date")
                 .replace("Born", "Shipped").replace("birthday", "deployed")) == []


def test_weak_checksummed_type_with_context_beats_a_phone_reading() -> None:
    assert found("Patient NHS number 943 476 5919") == [("UK_NHS", "943 476 5919")]
    assert found("call 943 476 5919") == [("PHONE_NUMBER", "943 476 5919")]


def test_code_context_is_stricter_on_bare_numbers() -> None:
    code = "phone = 4155550132\ndf = customers.head()\nnp.random.seed(4155550132)\n"
    assert find_pii(code, context="code") == []
    assert found("phone = 4155550132") == [("PHONE_NUMBER", "4155550132")]
    assert found('contact = "(415) 555-0132"', context="code") == [
        ("PHONE_NUMBER", "(415) 555-0132")]


def test_names_and_addresses_without_ner() -> None:
    text = "Dear Maria Garcia, your parcel went to 12 Elm Street yesterday. Thanks, John Smith"
    assert found(text) == [("PERSON", "Maria Garcia"), ("STREET_ADDRESS", "12 Elm Street"),
                           ("PERSON", "John Smith")]
    assert not any(s.validated for s in find_pii(text))


def test_entities_and_min_score_settings() -> None:
    text = "mail jane@example.org, call (415) 555-0132"
    only_email = Settings().override({"pii.entities": "EMAIL_ADDRESS"})
    assert found(text, settings=only_email) == [("EMAIL_ADDRESS", "jane@example.org")]
    strict = Settings().override({"pii.min_score": 0.95})
    assert found(text, settings=strict) == [("EMAIL_ADDRESS", "jane@example.org")]


@pytest.mark.parametrize("text", ["", "   \n", "ü ß 漢字 🙂", "\x00\x01"])
def test_empty_and_unicode_text(text: str) -> None:
    assert find_pii(text) == []


def test_unicode_around_pii_keeps_offsets() -> None:
    text = "Zoë → jane@example.org ✓"
    (span,) = find_pii(text)
    assert text[span.start:span.end] == "jane@example.org"


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_wrong_type_is_a_usage_error(bad) -> None:
    with pytest.raises(MLSecUsageError, match="needs a str"):
        find_pii(bad)  # type: ignore[arg-type]


def test_bad_context_is_a_usage_error() -> None:
    with pytest.raises(MLSecUsageError, match="context"):
        find_pii("x", context="markdown")  # type: ignore[arg-type]


def test_scan_text_report() -> None:
    text = "line one\ncall (415) 555-0132 or jane@example.org"
    report = scan_text(text, subject="snippet")
    assert report.check == "pii" and report.subject == "snippet"
    assert [(f.rule, f.location.line, f.location.column) for f in report.findings] == [
        ("PII-PHONE-NUMBER", 2, 6), ("PII-EMAIL-ADDRESS", 2, 24)]
    assert report.metrics["entities"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    email = next(f for f in report.findings if f.rule == "PII-EMAIL-ADDRESS")
    assert email.evidence["example"] == "j***@example.org"
    assert "jane@" not in report.to_json()
    if not report.metrics["ner"]:
        assert report.metrics["engine"] == "blank spaCy 'en' (no NER)"
        assert report.metrics["unseen_entity_types"] == "PERSON, LOCATION, ORGANIZATION, NRP"
        assert any("NER" in s.what for s in report.skipped)


def test_no_network_suffix_list_setting() -> None:
    import os

    import mlsecops_jupyter.checks.pii.engine  # noqa: F401

    assert os.environ.get("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS") == ""


def test_blank_pipeline_keeps_lemmas_for_presidio_context() -> None:
    from mlsecops_jupyter.checks.pii.engine import analyzer

    engine, info = analyzer()
    if info.ner:
        pytest.skip("an NER model is installed: its own lemmatizer is used")
    doc = engine.nlp_engine.nlp["en"]("Phone NUMBERS")
    assert [t.lemma_ for t in doc] == ["phone", "numbers"]
    assert analyzer()[0] is engine  # built once per process


def test_unknown_spacy_model_setting_is_a_config_error() -> None:
    from mlsecops_jupyter.core.errors import MLSecConfigError

    settings = Settings().override({"pii.spacy_model": "en_core_web_nope"})
    with pytest.raises(MLSecConfigError, match="not an installed spaCy pipeline"):
        find_pii("jane@example.org", settings=settings)


@pytest.mark.parametrize("text", [
    "DE89 " + "1234 " * 3000,  # an endless IBAN-ish / phone-ish digit run
    "1 " + "Aaaa " * 2000 + "!",  # a street line that never ends
    "@" * 10_000 + "a.b",
])
def test_hostile_long_input_is_bounded(text: str) -> None:
    import time

    started = time.process_time()
    assert find_pii(text) == []
    assert time.process_time() - started < 10  # ~0.2 s on the 2-core machine


def test_many_phones_in_one_text_are_found_up_to_the_matcher_bound() -> None:
    text = "call (415) 555-0132 now. " * 50
    assert [s.entity for s in find_pii(text)] == ["PHONE_NUMBER"] * 50


@pytest.mark.parametrize("context", ["text", "code"])
def test_any_text_gives_in_bounds_non_overlapping_spans(context: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["jane@example.org", "(415) 555-0132", "4111 1111 1111 1111",
                              "123-45-6788", " ", "\n", "phone", "ssn", "é", "12", "-", "."])

    @given(st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=12))
    @settings(max_examples=60, deadline=None)
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        spans = find_pii(text, context=context)  # type: ignore[arg-type]
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start:span.end].strip()
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))

    check()


@pytest.mark.parametrize("text", [
    "count    7043.000000\nmean     64.761692\nstd      30.090047",
    "git clone https://analyst@github.com/team/repo.git",
], ids=["describe-table-decimal", "url-user-part"])
def test_numbers_and_url_user_parts_are_not_personal(text: str) -> None:
    assert [span.entity for span in find_pii(text)] == []


def test_a_phone_number_next_to_those_is_still_found() -> None:
    text = "git clone https://analyst@github.com/x.git; call me on (415) 555-2671"
    assert [span.entity for span in find_pii(text)] == ["PHONE_NUMBER"]


@pytest.mark.parametrize("text", [
    "ci: [412.33 - 590.12]",  # a confidence interval
    "selection rate 0.412 [0.389, 0.436] n=1843",
    "95% CI (412.33, 590.12)",
    "version 1.4.2.0",
    "numpy 2.4.6.1",
    "oid 2.5.4.3",
    "subjectAltName x509 2.5.29.17",
    "OID 1.2.840.113549.1.1.1",
    "     0    1    2\n0  415  867  5309",  # three cells of a printed table
    "   amount\n0  1234567.89\n1  2345678.91",  # a row index and an amount
    "1563/1563 [==============================] - 8s 5ms/step - loss: 0.4123",
    'emails = [f"{i}@example.com" for i in range(10)]',
    'to = f"{name}.{surname}@acme.com"',
    'sender = "%s@example.org" % user',
])
def test_numbers_versions_and_templates_are_not_personal_data(text: str) -> None:
    assert found(text) == [] and found(text, context="code") == []


def test_real_phones_and_addresses_next_to_those_shapes_are_still_found() -> None:
    text = ("Phone +1 (415) 867-5309 or 415.867.5309; server 192.168.1.20 port 5432; "
            "mail jane.doe@example.org")
    assert found(text) == [("PHONE_NUMBER", "+1 (415) 867-5309"),
                           ("PHONE_NUMBER", "415.867.5309"),
                           ("IP_ADDRESS", "192.168.1.20"),
                           ("EMAIL_ADDRESS", "jane.doe@example.org")]


def test_a_long_text_gives_the_same_spans_as_its_lines_one_by_one() -> None:
    """find_pii reads only candidate lines of a long text: the spans must be those the lines
    give alone (shifted), whatever else surrounds them."""
    lines = ["x = compute(a, b)  # nothing here", "Call Maria Garcia on +1 415-867-5309.",
             "loss: 0.4123 - accuracy: 0.8812", "ssn 123-45-6788, card 4111 1111 1111 1111",
             "    return frame[frame.signup >= '2021-01-01']", "from 81.2.69.160 at 10:42",
             "mail jane.doe@example.org"] * 40
    text = "\n".join(lines)
    expected = []
    offset = 0
    for line in lines:
        expected += [(span.start + offset, span.end + offset, span.entity)
                     for span in find_pii(line)]
        offset += len(line) + 1
    got = [(s.start, s.end, s.entity) for s in find_pii(text)]
    assert got == expected and len(got) == 40 * 6
