"""Rule table of the pii check: one ``PII-<ENTITY>`` rule per entity type, plus free text.

Entity metadata is data too (``ENTITIES``): the default severity, whether the type is *weak*
(only counts with a context word in the text or the column name) and those context words.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "pii"


@dataclass(frozen=True)
class Entity:
    """One entity type: how bad finding it is, and what context it needs."""

    name: str
    severity: Severity
    title: str
    weak: bool = False
    context: tuple[str, ...] = ()


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("CREDIT_CARD", Severity.HIGH, "payment card numbers",
           context=("card", "credit", "visa", "mastercard", "amex", "cc", "pan", "payment")),
    Entity("US_SSN", Severity.HIGH, "US social security numbers",
           context=("ssn", "social", "security", "ss#", "ssid", "tin", "taxpayer")),
    Entity("IBAN_CODE", Severity.HIGH, "bank account numbers (IBAN)",
           context=("iban", "account", "bank", "transfer", "sepa")),
    Entity("EMAIL_ADDRESS", Severity.MEDIUM, "e-mail addresses",
           context=("email", "mail", "e-mail")),
    Entity("PHONE_NUMBER", Severity.MEDIUM, "phone numbers",
           context=("phone", "tel", "telephone", "mobile", "cell", "call", "fax", "contact",
                    "sms", "whatsapp", "msisdn")),
    Entity("PERSON", Severity.MEDIUM, "person names"),
    Entity("STREET_ADDRESS", Severity.MEDIUM, "street addresses"),
    Entity("LOCATION", Severity.LOW, "places (NER)"),
    Entity("DATE_OF_BIRTH", Severity.MEDIUM, "dates of birth", weak=True,
           context=("birth", "born", "dob", "birthday", "birthdate", "bday")),
    Entity("IP_ADDRESS", Severity.LOW, "IP addresses",
           context=("ip", "ipv4", "ipv6", "address", "host", "client", "remote")),
    Entity("CRYPTO", Severity.MEDIUM, "crypto wallet addresses",
           context=("wallet", "bitcoin", "btc", "ethereum", "eth", "crypto", "address")),
    Entity("URL", Severity.LOW, "URLs",
           context=("url", "link", "website", "homepage", "profile", "site", "domain", "visit")),
    Entity("MAC_ADDRESS", Severity.LOW, "MAC addresses", weak=True,
           context=("mac", "hardware", "device", "ethernet", "wifi")),
    Entity("US_DRIVER_LICENSE", Severity.MEDIUM, "driver licence numbers", weak=True,
           context=("driver", "license", "licence", "dl", "dmv")),
    Entity("US_BANK_NUMBER", Severity.HIGH, "US bank account numbers", weak=True,
           context=("bank", "account", "acct", "routing", "checking", "savings")),
    Entity("US_PASSPORT", Severity.MEDIUM, "US passport numbers", weak=True,
           context=("passport", "travel")),
    Entity("US_ITIN", Severity.HIGH, "US taxpayer identification numbers", weak=True,
           context=("itin", "taxpayer", "tax")),
    Entity("MEDICAL_LICENSE", Severity.MEDIUM, "medical licence numbers", weak=True,
           context=("medical", "dea", "license", "licence", "physician", "npi")),
    Entity("UK_NHS", Severity.MEDIUM, "NHS numbers", weak=True,
           context=("nhs", "health", "patient")),
    Entity("UUID", Severity.LOW, "identifiers of people (UUID)", weak=True,
           context=("patient", "customer", "person", "member", "employee", "citizen",
                    "subscriber", "user")),
)}

# entity types Presidio's spaCy recognizer emits that we never report (not personal data here).
# DATE_TIME: any date is everywhere in data and logs (reporting it would drown the rest);
# a date is reported only as a date of birth (DATE_OF_BIRTH, next to a birth context word)
IGNORED = frozenset({"DATE_TIME", "ORGANIZATION", "NRP", "ID", "AGE", "EMAIL"})


# entity types the notebook scan does not report: a notebook's links point at data, docs and
# code far more often than at a person (free text and frame columns named like one still
# report them)
NOT_IN_NOTEBOOKS = frozenset({"URL"})


def context_match(word: str, context_word: str) -> bool:
    """``phones`` matches ``phone``; a short context word must match whole (``tel`` is not
    ``telemetry``, ``cell`` not ``cellar``)."""
    if len(context_word) < 5:
        return word == context_word or word == context_word + "s"
    return word.startswith(context_word)


def rule_id(entity: str) -> str:
    return "PII-" + entity.replace("_", "-")


RULES = register(
    [
        Rule(rule_id(e.name), CHECK, e.severity, f"Personal data: {e.title}",
             f"Values that validate as {e.title}"
             + (" next to a context word (the type is too weak on its own)" if e.weak else "")
             + " were found in a column (its share of sampled distinct values passed "
             "pii.column_threshold) or in text.",
             "Drop or pseudonymise the column before training or sharing "
             "(`mlsec redact` writes a masked copy); keep raw personal data out of notebooks.")
        for e in ENTITIES.values()
    ]
    + [
        Rule("PII-FREE-TEXT", CHECK, Severity.MEDIUM, "Personal data inside free text",
             "A free-text column has personal data embedded in some of its cells (the share of "
             "sampled cells with a span passed pii.free_text_threshold); the finding lists the "
             "entity types and `--spans` lists where they are.",
             "Scrub the text (mask the spans) or drop the column before training or sharing."),
    ]
)
