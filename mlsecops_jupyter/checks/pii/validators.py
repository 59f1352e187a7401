"""Structural validators: does a value really have the shape and checksum of an identifier?

Each ``is_*`` function takes one candidate string (already stripped) and answers True/False; none
of them imports anything heavy except ``is_phone`` (``phonenumbers``, which ships with Presidio).
The card brand table and the IBAN length table are data so they can be reviewed against the
issuers' registries in one place.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
from functools import lru_cache

# -- payment cards ----------------------------------------------------------------------------
# (brand, lowest prefix, highest prefix, allowed lengths); prefixes compared on equal length.
CARD_RANGES: tuple[tuple[str, str, str, tuple[int, ...]], ...] = (
    ("visa", "4", "4", (13, 16, 19)),
    ("mastercard", "51", "55", (16,)),
    ("mastercard", "2221", "2720", (16,)),
    ("amex", "34", "34", (15,)),
    ("amex", "37", "37", (15,)),
    ("discover", "6011", "6011", (16, 17, 18, 19)),
    ("discover", "644", "649", (16, 17, 18, 19)),
    ("discover", "65", "65", (16, 17, 18, 19)),
    ("discover", "622126", "622925", (16, 17, 18, 19)),
    ("diners", "300", "305", (14, 15, 16, 17, 18, 19)),
    ("diners", "3095", "3095", (14, 15, 16, 17, 18, 19)),
    ("diners", "36", "36", (14, 15, 16, 17, 18, 19)),
    ("diners", "38", "39", (14, 15, 16, 17, 18, 19)),
    ("jcb", "3528", "3589", (16, 17, 18, 19)),
    ("unionpay", "62", "62", (16, 17, 18, 19)),
    ("unionpay", "8100", "8171", (16, 17, 18, 19)),
    ("maestro", "5018", "5018", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "5020", "5020", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "5038", "5038", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "5893", "5893", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "6304", "6304", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "6759", "6759", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", "6761", "6763", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("mir", "2200", "2204", (16, 17, 18, 19)),
    ("borica", "2205", "2205", (16,)),
    ("rupay", "60", "60", (16,)),
    ("rupay", "508", "508", (16,)),
    ("rupay", "353", "353", (16,)),
    ("rupay", "356", "356", (16,)),
    ("rupay", "81", "82", (16,)),
    ("verve", "506099", "506198", (16, 18, 19)),
    ("verve", "650002", "650027", (16, 18, 19)),
    ("troy", "9792", "9792", (16,)),
    ("dankort", "5019", "5019", (16,)),
    ("instapayment", "637", "639", (16,)),
    ("interpayment", "636", "636", (16, 17, 18, 19)),
    ("uatp", "1", "1", (15,)),
)

_CARD_SEPARATORS = re.compile(r"^\d{4}([ -]?)\d{4}\1\d{4}\1\d{1,7}$|^\d{4}([ -]?)\d{6}\2\d{4,5}$|"
                              r"^\d{12,19}$")


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) checksum of a string of digits."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = ord(char) - 48
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The brand whose prefix range and length fit ``digits``, else None (no Luhn check)."""
    for brand, low, high, lengths in CARD_RANGES:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return brand
    return None


def is_credit_card(value: str) -> bool:
    """A card number: grouped like one, a known brand range and length, and Luhn-valid."""
    if not _CARD_SEPARATORS.match(value):
        return False
    digits = digits_only(value)
    if len(set(digits)) < 2:  # one repeated digit (0000 0000 0000 0000) is a placeholder
        return False
    return card_brand(digits) is not None and luhn_ok(digits)


# -- IBAN ---------------------------------------------------------------------------------------
# ISO 13616 registry: country code -> IBAN length
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?$")


def is_iban(value: str) -> bool:
    """An IBAN: registered country and length, and the ISO 7064 mod-97 check equals 1."""
    compact = value.replace(" ", "").upper()
    if not IBAN_SHAPE.match(value.upper()) or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


# -- US social security numbers -------------------------------------------------------------
SSN_FORMATTED = re.compile(r"^(\d{3})([- ]?)(\d{2})\2(\d{4})$")
# numbers the SSA never issued although they pass the area/group/serial rules
SSN_KNOWN_INVALID = frozenset({"078051120", "219099999", "123456789", "111111111", "987654320"})


def is_ssn(value: str) -> bool:
    """A US SSN: area not 000/666/900-999, group not 00, serial not 0000, not a known fake."""
    match = SSN_FORMATTED.match(value)
    if not match:
        return False
    area, group, serial = match.group(1), match.group(3), match.group(4)
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    digits = area + group + serial
    return digits not in SSN_KNOWN_INVALID and len(set(digits)) > 1


def is_formatted_ssn(value: str) -> bool:
    """An SSN written with its dashes or spaces (``123-45-6789``): strong without context."""
    return bool(re.fullmatch(r"\d{3}[- ]\d{2}[- ]\d{4}", value)) and is_ssn(value)


# -- phone numbers ----------------------------------------------------------------------------
PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,22}(?:\s*(?:x|ext\.?)\s*\d{1,5})?$", re.I)
# a phone number as people write it: international prefix or at least one separator group
PHONE_FORMATTED = re.compile(
    r"^(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?|\d{1,4}[\s.\-])(?:\d{2,5}[\s.\-]?){1,4}\d{2,5}"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?$|^\+\d{8,15}$", re.I)


# a decimal, an ISO date, a ratio such as 1563/1563 (a slash only after a 0 trunk prefix:
# 0221/123456)
NOT_A_PHONE = re.compile(r"[-+]?\d+\.\d+|\d{4}-\d\d-\d\d(?: \d+)?|[1-9]\d*/\d+")


def phone_shaped(raw: str) -> bool:
    """Could ``raw`` be written as a phone number? Not a decimal (``1234567.89``), not a range of
    decimals (``412.33 - 590.12``), not a version (``1.2.3``), not table cells."""
    if "  " in raw or "\t" in raw or NOT_A_PHONE.fullmatch(raw.strip("()[] ")):
        return False
    groups = [g for g in re.split(r"\D+", raw) if g]
    if not raw.startswith("+") and any(len(g) == 1 for g in groups[1:]):
        return False  # 8.8.8.8 1.2.3: addresses and versions (+33 1 42 ... is a phone)
    if "." in raw:
        separators = set(re.sub(r"[\d+()]", "", raw))
        # dots as the only separator of groups of 2+ digits: 415.867.5309; with spaces or
        # hyphens too, or a 2-digit tail, they are decimal points
        if separators != {"."} or len(groups[-1]) < 3:
            return False
    return True


@lru_cache(maxsize=65536)
def is_phone(value: str, region: str = "US") -> bool:
    """A phone number libphonenumber calls valid (a real numbering plan), not merely parseable."""
    if not PHONE_SHAPE.match(value) or sum(ch.isdigit() for ch in value) < 7 or \
            not phone_shaped(value.strip()):
        return False
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    # valid for the country code's main region implies valid (is_valid_number asks each region
    # of the code in turn: 25 for +1), so that cheap question goes first; same answer
    main = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if phonenumbers.is_valid_number_for_region(number, main):
        return True
    return bool(phonenumbers.is_valid_number(number))


def is_formatted_phone(value: str, region: str = "US") -> bool:
    """A valid phone number written like one (``(415) 555-0132``, ``+44 20 7946 0958``)."""
    return bool(PHONE_FORMATTED.match(value)) and is_phone(value, region)


# -- e-mail, IP, URL --------------------------------------------------------------------------
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}$")


def is_email(value: str) -> bool:
    local = value.split("@", 1)[0]
    return bool(EMAIL.match(value)) and not local.startswith(".") and ".." not in value


def is_ip(value: str) -> bool:
    """An IPv4 dotted quad or an IPv6 address (``ipaddress`` decides)."""
    if value.count(".") == 3 and all(part.isdigit() for part in value.split(".")):
        if any(len(part) > 1 and part.startswith("0") for part in value.split(".")):
            return False  # leading zeros: a version or code, not how addresses are written
    elif ":" not in value or value.count(":") < 2:
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# -- dates --------------------------------------------------------------------------------------
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y",
                 "%m-%d-%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y")
DATE_SHAPE = re.compile(r"^(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|"
                        r"[A-Za-z]{3,9} \d{1,2}, \d{4}|\d{1,2} [A-Za-z]{3,9} \d{4})$")


@lru_cache(maxsize=4096)
def parse_date(value: str) -> _dt.date | None:
    """A calendar date written without a time of day, else None (timestamps are events)."""
    if not DATE_SHAPE.match(value):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def is_birth_date(value: str, today: _dt.date | None = None) -> bool:
    """A date a living person could be born on: 1900 up to today."""
    date = parse_date(value)
    if date is None:
        return False
    today = today or _dt.date.today()
    return _dt.date(1900, 1, 1) <= date <= today


UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                  r"[0-9a-fA-F]{12}$")


def is_uuid(value: str) -> bool:
    return bool(UUID.match(value))
