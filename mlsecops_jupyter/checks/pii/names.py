"""Person names and street addresses without NER: value shape, a name lexicon, column names.

Without a spaCy NER model Presidio finds no PERSON or LOCATION at all. Here a value is a name
when it is shaped like one (1-4 capitalised alphabetic words, optional initials and particles)
and, unless the column name says "name", when at least some of its words are common given names
or surnames (``names.txt``: public-domain US Census / SSA lists). A street address is a house
number, street words and a street-type suffix (the USPS suffix abbreviations). An installed NER
model does better on both, and reports say so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f"
# Smith, McDonald, O'Neil, Mary-Jane, Łukasz, Zoë
NAME_WORD = (rf"(?:[{_UPPER}]')?[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
             rf"(?:[-'][{_UPPER}]?[{_LOWER}]+)*")
PERSON_NAME = re.compile(
    rf"^(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?{NAME_WORD}(?:\s+(?:[A-Z]\.|{NAME_WORD}|"
    rf"(?:van|von|de|del|der|da|di|le|la|bin|al)(?=\s))){{0,3}}$")
# "Smith, John" (surname first)
PERSON_NAME_REVERSED = re.compile(rf"^{NAME_WORD},\s+{NAME_WORD}(?:\s+[A-Z]\.)?$")

STREET_SUFFIXES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    "terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|aly|row|close|"
    "crescent|cres|grove|gardens|hill|path|pike|plaza|plz|loop|run|walk|strasse|straße|rue|via"
)
STREET_LINE = (
    rf"\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+)?"
    rf"(?:[A-Z0-9][A-Za-z0-9'.\-]*\s+){{1,4}}(?:{STREET_SUFFIXES})\b\.?"
    rf"(?:\s*,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*[A-Za-z0-9\-]+)?"
)
STREET_ADDRESS = re.compile(
    rf"^{STREET_LINE}(?:\s*,\s*[A-Za-z .'\-]+)?(?:\s*,?\s*[A-Z]{{2}})?"
    rf"(?:\s+\d{{5}}(?:-\d{{4}})?)?$",
    re.I)
STREET_ADDRESS_IN_TEXT = re.compile(rf"(?<![\w.]){STREET_LINE}", re.I)

# words of a column name that say what the column holds
NAME_CONTEXT = frozenset({"name", "names", "firstname", "lastname", "fullname", "surname",
                          "forename", "given", "first", "last", "middle", "maiden", "person",
                          "contact", "customer", "patient", "employee", "holder", "cardholder",
                          "beneficiary", "author", "owner", "nom", "nombre", "vorname"})
# ...and words that make a "name" column something other than a person's name
NOT_PERSON_CONTEXT = frozenset({"product", "file", "filename", "company", "item", "brand", "host",
                                "hostname", "user", "username", "column", "model", "feature",
                                "city", "street", "country", "event", "table", "category",
                                "dataset", "project", "org", "organisation", "organization",
                                "business", "store", "shop", "domain", "app", "package", "team",
                                "bank", "merchant", "vendor", "supplier", "device", "sku",
                                "campaign", "state", "region", "town", "place", "school", "job",
                                "title", "department", "dept", "species", "drug", "display"})
ADDRESS_CONTEXT = frozenset({"address", "addr", "street", "residence", "mailing", "billing",
                             "shipping", "home", "domicile", "line1", "address1"})


def column_words(name: object) -> frozenset[str]:
    """``"customerFullName"`` / ``"customer_full-name"`` -> ``{"customer", "full", "name"}``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(name))
    words = {w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w}
    joined = "".join(sorted(words))
    return frozenset(words | ({"fullname"} if "full" in words and "name" in words else set())
                     | ({joined} if len(words) <= 3 else set()))


def says_person_name(column: object) -> bool:
    words = column_words(column)
    return bool(words & NAME_CONTEXT) and not words & NOT_PERSON_CONTEXT and (
        bool(words & {"name", "names", "firstname", "lastname", "fullname", "surname",
                      "forename", "nom", "nombre", "vorname", "given", "maiden"}))


def says_address(column: object) -> bool:
    words = column_words(column)
    return bool(words & ADDRESS_CONTEXT) and not words & {"ip", "mac", "email", "url", "web"}


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames) from the bundled public-domain lists."""
    text = resources.files(__package__).joinpath("names.txt").read_text(encoding="utf-8")
    given: set[str] = set()
    surnames: set[str] = set()
    target = given
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[given]":
            target = given
        elif line == "[surname]":
            target = surnames
        else:
            target.update(line.split())
    return frozenset(given), frozenset(surnames)


def is_name_shaped(value: str) -> bool:
    return bool(PERSON_NAME.match(value) or PERSON_NAME_REVERSED.match(value))


def known_name_words(value: str) -> int:
    """How many words of ``value`` are common given names or surnames."""
    given, surnames = lexicon()
    words = re.findall(r"[A-Za-z\u00c0-\u024f']+", value.lower())
    return sum(1 for w in words if w in given or w in surnames)


def is_person_name(value: str, *, context: bool) -> bool:
    """A person's name: shaped like one; without column context also 2+ words, one known."""
    if not is_name_shaped(value):
        return False
    if context:
        return True
    words = value.replace(",", " ").split()
    return 2 <= len(words) <= 4 and known_name_words(value) >= 1


def is_street_address(value: str) -> bool:
    return bool(STREET_ADDRESS.match(value)) and any(ch.isalpha() for ch in value)
