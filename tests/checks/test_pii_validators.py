"""Validator edge cases: card brands + Luhn, IBAN mod-97, SSN rules, phones, e-mail, IP, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.checks.pii import validators as v
from mlsecops_jupyter.checks.pii.mask import mask
from mlsecops_jupyter.checks.pii.names import (
    column_words,
    is_person_name,
    is_street_address,
    says_address,
    says_person_name,
)


def with_check_digit(body: str) -> str:
    """Append the Luhn check digit (written independently of the validator)."""
    for digit in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + digit)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return body + digit
    raise AssertionError("unreachable")


@pytest.mark.parametrize("number, brand", [
    ("4111111111111111", "visa"),
    ("4222222222222", "visa"),
    ("5555555555554444", "mastercard"),
    ("2221000000000009", "mastercard"),
    ("2720999999999996", "mastercard"),
    ("378282246310005", "amex"),
    ("6011111111111117", "discover"),
    ("3530111333300000", "jcb"),
    ("36227206271667", "diners"),
    ("6200000000000005", "unionpay"),
    ("2200000000000004", "mir"),
])
def test_known_test_cards_validate_with_their_brand(number: str, brand: str) -> None:
    assert v.luhn_ok(number)
    assert v.card_brand(number) == brand
    assert v.is_credit_card(number)


@pytest.mark.parametrize("prefix, ok", [("2220", False), ("2221", True), ("2720", True),
                                        ("2721", False), ("5099", False), ("5100", True),
                                        ("5599", True), ("5600", False)])
def test_mastercard_range_edges(prefix: str, ok: bool) -> None:
    number = with_check_digit(prefix + "0" * 11)
    assert v.luhn_ok(number)
    assert (v.card_brand(number) == "mastercard") is ok


def test_card_grouping_and_separators() -> None:
    assert v.is_credit_card("4111 1111 1111 1111")
    assert v.is_credit_card("4111-1111-1111-1111")
    assert v.is_credit_card("3782 822463 10005")  # amex 4-6-5
    assert not v.is_credit_card("4111 1111-1111 1111")  # mixed separators
    assert not v.is_credit_card("41111 111 1111 1111")
    assert not v.is_credit_card("0000000000000000")
    assert not v.is_credit_card("4111111111111112")  # Luhn-invalid
    assert not v.is_credit_card("1234567812345670")  # Luhn-valid, no brand of length 16


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
@settings(max_examples=200, deadline=None)
def test_luhn_accepts_exactly_one_check_digit(body: str) -> None:
    valid = [d for d in "0123456789" if v.luhn_ok(body + d)]
    assert valid == [with_check_digit(body)[-1]]


@pytest.mark.parametrize("iban, ok", [
    ("GB82 WEST 1234 5698 7654 32", True),
    ("GB82WEST12345698765432", True),
    ("DE89 3704 0044 0532 0130 00", True),
    ("FR14 2004 1010 0505 0001 3M02 606", True),
    ("NO93 8601 1117 947", True),
    ("GB82 WEST 1234 5698 7654 33", False),  # checksum
    ("GB82WEST1234569876543", False),  # length for GB
    ("XX82WEST12345698765432", False),  # unknown country
    ("DE89 3704 0044 0532 0130 00 1", False),
])
def test_iban(iban: str, ok: bool) -> None:
    assert v.is_iban(iban) is ok


@pytest.mark.parametrize("ssn, ok", [
    ("123-45-6788", True), ("001-01-0001", True), ("665-99-9999", True), ("899-12-3456", True),
    ("000-12-3456", False), ("666-12-3456", False), ("900-12-3456", False),
    ("999-12-3456", False), ("123-00-4567", False), ("123-45-0000", False),
    ("078-05-1120", False), ("123-45-6789", False), ("123-456-789", False),
    ("123 45 6788", True), ("123456788", True), ("12-345-6788", False),
])
def test_ssn_rules(ssn: str, ok: bool) -> None:
    assert v.is_ssn(ssn) is ok


def test_formatted_ssn_needs_separators() -> None:
    assert v.is_formatted_ssn("123-45-6788")
    assert not v.is_formatted_ssn("123456788")


@pytest.mark.parametrize("phone, ok", [
    ("(415) 555-0132", True), ("415-555-0132", True), ("+1 415 555 0132", True),
    ("415.555.0132", True), ("+44 20 7946 0958", True), ("+49 30 901820", True),
    ("+33 1 42 68 53 00", True), ("(415) 155-0132", False),  # exchange cannot start with 1
    ("+1 123 555 0132", False), ("555-0132", False), ("1.2.3.4", False),
    ("2024-03-01", False), ("3.14159265358979", False),
])
def test_formatted_phone_validity(phone: str, ok: bool) -> None:
    assert v.is_formatted_phone(phone) is ok


def test_bare_digits_are_valid_phones_but_not_formatted_ones() -> None:
    assert v.is_phone("4155550132")
    assert not v.is_formatted_phone("4155550132")


@pytest.mark.parametrize("email, ok", [
    ("jane.doe@example.org", True), ("a+tag@sub.example.co.uk", True), ("x@y.io", True),
    ("jane@example", False), ("@example.org", False), ("jane..doe@example.org", False),
    (".jane@example.org", False), ("jane@exa mple.org", False), ("customers.head()", False),
])
def test_email(email: str, ok: bool) -> None:
    assert v.is_email(email) is ok


@pytest.mark.parametrize("ip, ok", [
    ("192.168.1.20", True), ("8.8.8.8", True), ("2001:db8::1", True), ("::1", True),
    ("256.1.1.1", False), ("1.2.3", False), ("01.02.03.04", False), ("1.2.3.4.5", False),
    ("12:30", False), ("v1.2.3.4", False),
])
def test_ip(ip: str, ok: bool) -> None:
    assert v.is_ip(ip) is ok


def test_birth_dates_are_calendar_dates_without_time() -> None:
    today = dt.date(2026, 1, 1)
    assert v.is_birth_date("1985-03-02", today)
    assert v.is_birth_date("03/02/1985", today)
    assert v.is_birth_date("March 2, 1985", today)
    assert not v.is_birth_date("1985-02-30", today)
    assert not v.is_birth_date("1899-12-31", today)
    assert not v.is_birth_date("2030-01-01", today)
    assert not v.is_birth_date("2024-03-01T10:00:00", today)
    assert not v.is_birth_date("1.2.3", today)


def test_uuid() -> None:
    assert v.is_uuid("550e8400-e29b-41d4-a716-446655440000")
    assert not v.is_uuid("550e8400-e29b-41d4-a716-44665544000")


@pytest.mark.parametrize("column, person, address", [
    ("customer_name", True, False), ("firstName", True, False), ("LAST_NAME", True, False),
    ("product_name", False, False), ("username", False, False), ("file_name", False, False),
    ("c07", False, False), ("billing_address", False, True), ("ip_address", False, False),
    ("street", False, True), ("email_address", False, False),
])
def test_column_name_context(column: str, person: bool, address: bool) -> None:
    assert says_person_name(column) is person
    assert says_address(column) is address


def test_column_words_split_camel_and_snake() -> None:
    assert {"customer", "full", "name", "fullname"} <= column_words("customerFullName")


@pytest.mark.parametrize("value, context, ok", [
    ("John Smith", False, True), ("Smith, John", False, True), ("Mary-Jane O'Neil", True, True),
    ("Zorblax Quux", False, False), ("Zorblax", True, True), ("Zorblax", False, False),
    ("Outdoor Living", False, False), ("john smith", True, False), ("J0hn Smith", True, False),
    ("Dr. Maria Garcia", False, True),
])
def test_person_name_shape(value: str, context: bool, ok: bool) -> None:
    assert is_person_name(value, context=context) is ok


@pytest.mark.parametrize("value, ok", [
    ("1600 Pennsylvania Avenue", True), ("221B Baker St", True),
    ("42 W Maple Ave, Apt 3, Springfield, IL 62704", True), ("10 Downing Street", True),
    ("SKU-123 Road", False), ("Maple Street", False), ("12 apples", False),
])
def test_street_address_shape(value: str, ok: bool) -> None:
    assert is_street_address(value) is ok


@pytest.mark.parametrize("value, entity, expected", [
    ("4111 1111 1111 1111", "CREDIT_CARD", "**** **** **** 1111"),
    ("123-45-6788", "US_SSN", "***-**-**88"),
    ("jane@example.org", "EMAIL_ADDRESS", "j***@example.org"),
    ("10.1.2.3", "IP_ADDRESS", "10.*.*.*"),
    ("John Smith", "PERSON", "J*** S****"),
])
def test_mask(value: str, entity: str, expected: str) -> None:
    assert mask(value, entity) == expected


def iban_with_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits computed here, independently of the validator."""
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


@given(st.text(alphabet="0123456789", min_size=18, max_size=18),
       st.integers(min_value=4, max_value=21), st.sampled_from("0123456789"))
@settings(max_examples=200, deadline=None)
def test_iban_accepts_valid_and_rejects_any_single_digit_change(bban: str, where: int,
                                                                 digit: str) -> None:
    iban = iban_with_check_digits("DE", bban)
    assert v.is_iban(iban)
    assert v.is_iban(" ".join(iban[i:i + 4] for i in range(0, len(iban), 4)))
    changed = iban[:where] + digit + iban[where + 1:]
    assert v.is_iban(changed) is (changed == iban)


@given(st.integers(min_value=1, max_value=899), st.integers(min_value=1, max_value=99),
       st.integers(min_value=1, max_value=9999))
@settings(max_examples=300, deadline=None)
def test_ssn_rules_property(area: int, group: int, serial: int) -> None:
    ssn = f"{area:03d}-{group:02d}-{serial:04d}"
    expected = area != 666 and ssn.replace("-", "") not in v.SSN_KNOWN_INVALID \
        and len(set(ssn.replace("-", ""))) > 1
    assert v.is_ssn(ssn) is expected
