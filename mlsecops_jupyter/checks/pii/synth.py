"""A synthetic customer table with known truth, for tests, benchmarks and the demo notebook.

``people_frame(rows, seed)`` returns 25 columns: 13 hold personal data (cards, IBANs, SSNs,
phones in several formats, e-mails, names, addresses, IPs, dates of birth, free text with
embedded PII) and 12 are hard negatives that look like PII but are not (order ids shaped like
phone numbers, 9-digit numbers that fail the SSN rules, Luhn-invalid 16-digit numbers, UUIDs,
hashes, product codes, long floats, event timestamps, version strings, plain event dates).
Every value is generated (no real person); a pool of distinct values per column is drawn once
and rows sample from it, so a million rows cost little and repeat values like real data.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable
from typing import Any

from .names import lexicon

# column -> entity it holds (None: a hard negative); the order is the column order
TRUTH: dict[str, str | None] = {
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "mobile_intl": "PHONE_NUMBER",
    "credit_card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ssn": "US_SSN",
    "full_name": "PERSON",
    "first_name": "PERSON",
    "street_address": "STREET_ADDRESS",
    "client_ip": "IP_ADDRESS",
    "date_of_birth": "DATE_OF_BIRTH",
    "support_notes": "FREE_TEXT",
    "order_id": None,
    "tracking_number": None,
    "batch_ref": None,
    "card_like_number": None,
    "session_uuid": None,
    "payload_sha256": None,
    "sku": None,
    "model_score": None,
    "event_ts": None,
    "app_version": None,
    "signup_date": None,
    "amount": None,
    "segment": None,
}
AREA_CODES = (212, 305, 312, 415, 503, 617, 646, 702, 713, 818, 206, 404, 512, 602, 720)
STREETS = ("Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
           "Sunset", "River", "Church", "Mill", "Highland", "Walnut")
SUFFIXES = ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Blvd", "Court")
CITIES = ("Springfield, IL 62704", "Portland, OR 97205", "Austin, TX 78701", "Denver, CO 80202",
          "Boston, MA 02108", "Madison, WI 53703")
SIZES = ("XS", "S", "M", "L", "XL")
IBAN_BBAN = {"DE": "n18", "GB": "a4n14", "FR": "n23", "NL": "a4n10", "ES": "n20", "IT": "a1n22",
             "BE": "n12", "CH": "n17"}
NOTES = (
    "Customer called from {phone} asking about the delivery of order {order}.",
    "Please send the invoice to {email} before Friday.",
    "Refund approved after review; no further action needed from the team.",
    "Card {card} was declined twice, customer will retry tomorrow morning.",
    "Spoke with {name} about the upgrade, they will decide next week.",
    "Package returned to sender because the label was damaged in transit.",
    "Ticket escalated to tier two support for a billing discrepancy review.",
    "New shipping address on file: {address}, confirmed by phone.",
    "Customer asked us to stop sending marketing emails to them.",
    "Requested a copy of all stored data under the GDPR access right.",
)


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(body)):
        number = int(char)
        if index % 2 == 0:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return body + str((10 - total % 10) % 10)


def _card(rng: random.Random) -> str:
    brand = rng.choice(("visa", "mc", "mc2", "amex", "discover"))
    if brand == "amex":
        number = _luhn_complete(rng.choice(("34", "37")), 15, rng)
        return f"{number[:4]} {number[4:10]} {number[10:]}" if rng.random() < 0.5 else number
    prefix = {"visa": "4", "mc": str(rng.randint(51, 55)), "mc2": str(rng.randint(2221, 2720)),
              "discover": "6011"}[brand]
    number = _luhn_complete(prefix, 16, rng)
    separator = rng.choice(("", " ", "-"))
    return separator.join(number[i:i + 4] for i in range(0, 16, 4))


def _iban(rng: random.Random) -> str:
    country = rng.choice(tuple(IBAN_BBAN))
    spec = IBAN_BBAN[country]
    bban = ""
    for kind, count in ((spec[i], int(spec[i + 1:].split("a")[0].split("n")[0] or 0))
                        for i in range(len(spec)) if spec[i] in "an"):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if kind == "a" else "0123456789"
        bban += "".join(rng.choice(alphabet) for _ in range(count))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    iban = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.5 else iban


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _us_phone(rng: random.Random) -> str:
    area, exchange, line = rng.choice(AREA_CODES), rng.randint(200, 999), rng.randint(0, 9999)
    style = rng.randrange(4)
    return (f"({area}) {exchange}-{line:04d}", f"{area}-{exchange}-{line:04d}",
            f"{area}.{exchange}.{line:04d}", f"+1 {area} {exchange} {line:04d}")[style]


def _intl_phone(rng: random.Random) -> str:
    return rng.choice((
        lambda: f"+44 20 7946 {rng.randint(0, 9999):04d}",
        lambda: f"+49 30 {rng.randint(200000, 999999)}",
        lambda: f"+33 1 {rng.randint(40, 49)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
        lambda: f"+91 98{rng.randint(100, 999)} {rng.randint(10000, 99999)}",
    ))()


def _names(rng: random.Random) -> tuple[list[str], list[str]]:
    given, surnames = lexicon()
    return sorted(given), sorted(surnames)


def _address(rng: random.Random) -> str:
    street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    return street if rng.random() < 0.5 else f"{street}, {rng.choice(CITIES)}"


def _ip(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return "2001:db8:" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(6))
    return f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
           f"{rng.randint(1, 254)}"


def _generators(rng: random.Random) -> dict[str, Callable[[], Any]]:
    given, surnames = _names(rng)

    def name() -> str:
        return f"{rng.choice(given).title()} {rng.choice(surnames).title()}"

    def note() -> str:
        return rng.choice(NOTES).format(
            phone=_us_phone(rng), order=rng.randint(10000, 99999), email=email(), card=_card(rng),
            name=name(), address=_address(rng))

    def email() -> str:
        return (f"{rng.choice(given)}.{rng.choice(surnames)}{rng.randint(1, 99)}@"
                f"{rng.choice(('example.org', 'mail.example.com', 'corp.example.net'))}")

    def bad_ssn() -> str:
        area = rng.choice((0, 666, rng.randint(900, 999)))
        return f"{area:03d}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"

    def bad_card() -> str:
        number = _luhn_complete("4" + str(rng.randint(0, 9)), 16, rng)
        return number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)

    def timestamp() -> str:
        return (f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
                f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z")

    return {
        "email": email,
        "phone": lambda: _us_phone(rng),
        "mobile_intl": lambda: _intl_phone(rng),
        "credit_card": lambda: _card(rng),
        "iban": lambda: _iban(rng),
        "ssn": lambda: _ssn(rng),
        "full_name": name,
        "first_name": lambda: rng.choice(given).title(),
        "street_address": lambda: _address(rng),
        "client_ip": lambda: _ip(rng),
        "date_of_birth": lambda: f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-"
                                 f"{rng.randint(1, 28):02d}",
        "support_notes": note,
        "order_id": lambda: str(rng.randint(2_000_000_000, 9_999_999_999)),
        "tracking_number": lambda: "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY")
                                                  for _ in range(16)),
        "batch_ref": bad_ssn,
        "card_like_number": bad_card,
        "session_uuid": lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "payload_sha256": lambda: hashlib.sha256(str(rng.random()).encode()).hexdigest(),
        "sku": lambda: f"SKU-{rng.randint(10000, 99999)}-{rng.choice(SIZES)}",
        "model_score": lambda: rng.random() * 10 ** rng.randint(0, 3),
        "event_ts": timestamp,
        "app_version": lambda: f"{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}",
        "signup_date": lambda: f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-"
                               f"{rng.randint(1, 28):02d}",
        "amount": lambda: round(rng.uniform(1, 2000), 2),
        "segment": lambda: rng.choice(("retail", "smb", "enterprise", "public")),
    }


def people_frame(rows: int = 1000, seed: int = 0, pool: int = 20_000) -> Any:
    """A DataFrame of ``rows`` synthetic customers (columns in ``TRUTH``), reproducible by seed.

    Each column draws ``min(rows, pool)`` distinct values once; rows sample from that pool.
    """
    import numpy as np
    import pandas as pd

    rng = random.Random(seed)
    generators = _generators(rng)
    size = min(rows, pool)
    index_rng = np.random.default_rng(seed)
    data: dict[str, Any] = {}
    for column in TRUTH:
        values = np.asarray([generators[column]() for _ in range(size)], dtype=object)
        data[column] = values[index_rng.integers(0, size, size=rows)] if rows > size else values
    frame = pd.DataFrame(data)
    frame["model_score"] = frame["model_score"].astype(float)
    frame["amount"] = frame["amount"].astype(float)
    return frame


# what a peer may call an entity and still be right (Presidio's NER names, its DATE_TIME)
EQUIVALENT = {"STREET_ADDRESS": {"LOCATION", "ADDRESS"}, "DATE_OF_BIRTH": {"DATE_TIME"},
              "PERSON": {"PERSON"}}


def typed_column_scores(predicted: dict[str, str | None],
                        truth: dict[str, str | None]) -> dict[str, float]:
    """Precision, recall and F1 of column typing.

    A column is a true positive when it holds PII and is labelled with its type (or an
    ``EQUIVALENT`` name; any PII type for free text); a label on a negative column, or the
    wrong type, is a false positive; an unlabelled or mislabelled PII column a false negative.
    """
    tp = fp = fn = 0
    for column, expected in truth.items():
        label = predicted.get(column)
        right = expected is not None and label is not None and (
            label == expected or expected == "FREE_TEXT"
            or label in EQUIVALENT.get(expected, set()))
        tp += right
        fp += label is not None and not right
        fn += expected is not None and not right
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}
