"""Masking for examples shown in reports: enough to recognise the kind, never the value."""

from __future__ import annotations

DIGIT_KEEP_LAST = frozenset({"CREDIT_CARD", "US_SSN", "IBAN_CODE", "PHONE_NUMBER",
                             "US_BANK_NUMBER", "US_ITIN", "UK_NHS"})


def mask(value: str, entity: str) -> str:
    """``4111 1111 1111 1111`` -> ``**** **** **** 1111``; ``jane@x.org`` -> ``j***@x.org``."""
    if entity == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.partition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    if entity in DIGIT_KEEP_LAST:
        keep = 2 if entity == "US_SSN" else 4
        alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
        shown = set(alnum[-keep:])
        return "".join(ch if (i in shown or not ch.isalnum()) else "*"
                       for i, ch in enumerate(value))
    if entity == "IP_ADDRESS":
        separator = ":" if ":" in value else "."
        parts = value.split(separator)
        return separator.join(parts[:1] + ["*" * len(p) if p else p for p in parts[1:]])
    words = value.split()
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in words) if words else ""
