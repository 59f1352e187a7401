"""Our Presidio recognizers: regex candidates confirmed by ``validators``, context where weak.

Presidio's own recognizers for cards, IBANs, SSNs and phones are replaced (see ``engine``):

- cards: every current brand range (Mastercard 2221-2720, Mir, UnionPay 81, ...) plus Luhn;
- IBAN: word-bounded (no match inside a longer token), registry length, mod-97;
- SSN: area/group/serial rules; an unformatted 9-digit run needs a context word;
- phone: libphonenumber *validity* (a real numbering plan); a bare digit run needs context;
- dates of birth: a real calendar date (no time of day) next to a birth context word; Presidio's
  DATE_TIME (any date) is not reported;
- PERSON / STREET_ADDRESS without NER: introductions and titles, known given name + surname
  pairs, house number + street + USPS suffix.

Each recognizer marks its results ``mlsec_validated`` when a checksum or structural rule
confirmed them, and ``mlsec_needs_context`` when only a context word nearby may keep them.
Presidio is imported by ``engine`` before this module, so the import cost is paid once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from . import validators as v
from .names import STREET_ADDRESS_IN_TEXT, lexicon

VALIDATED = "mlsec_validated"
NEEDS_CONTEXT = "mlsec_needs_context"

_EDGE_L = r"(?<![\w\-./@])"
_EDGE_R = r"(?![\w\-@]|\.\d)"


def _result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float, *,
            validated: bool, needs_context: bool) -> RecognizerResult:
    """A Presidio result with the metadata and explanation its context enhancer expects."""
    name = str(getattr(recognizer, "name", type(recognizer).__name__))
    explanation = AnalysisExplanation(
        recognizer=name, original_score=score,
        textual_explanation="validated by a checksum or format rule" if validated
        else "matched a pattern or name list")
    return RecognizerResult(entity, start, end, score, analysis_explanation=explanation,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
                                VALIDATED: validated, NEEDS_CONTEXT: needs_context})


class MlsecValidatedRecognizer(EntityRecognizer):
    """One entity: a candidate regex, a validator, and which candidates need context."""

    def __init__(self, entity: str, pattern: str, validator: Callable[[str], bool], *,
                 needs_context: Callable[[str], bool] | None = None, score: float = 1.0,
                 context: list[str] | None = None, name: str | None = None) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE if entity == "IBAN_CODE" else 0)
        self.validator = validator
        self.needs_context = needs_context or (lambda _value: False)
        self.base_score = score
        default_name = f"Mlsec{entity.title().replace('_', '')}Recognizer"
        super().__init__(supported_entities=[entity], name=name or default_name,
                         supported_language="en", context=context or [])

    def load(self) -> None:  # nothing to load: the patterns are compiled in __init__
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        results = []
        entity = self.supported_entities[0]
        for match in self.pattern.finditer(text):
            value = match.group(0)
            if not self.validator(value):
                continue
            weak = self.needs_context(value)
            results.append(_result(self, entity, match.start(), match.end(),
                                   0.4 if weak else self.base_score, validated=True,
                                   needs_context=weak))
        return results


class MlsecPhoneRecognizer(EntityRecognizer):
    """Phone numbers libphonenumber finds and calls valid, for a few default regions."""

    REGIONS = ("US", "GB", "DE", "FR", "IN", "AU")  # "+" numbers are found from any region
    # candidates libphonenumber may try per region: bounds the cost of long digit runs (a
    # printed table of numbers) at the price of missing phones after that many candidates
    MAX_TRIES = 500

    def __init__(self, context: list[str]) -> None:
        super().__init__(supported_entities=["PHONE_NUMBER"], name="MlsecPhoneRecognizer",
                         supported_language="en", context=context)

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        seen: dict[tuple[int, int], bool] = {}
        for start, end in phone_windows(text, self.context):
            for (found_start, found_end), bare in self._match(text, start, end):
                seen.setdefault((found_start, found_end), bare)
        return [_result(self, "PHONE_NUMBER", start, end, 0.4 if bare else 0.9, validated=True,
                        needs_context=bare)
            for (start, end), bare in sorted(seen.items())]

    def _match(self, text: str, start: int, end: int) -> list[tuple[tuple[int, int], bool]]:
        """libphonenumber's valid numbers in ``text[start:end]`` (one region for "+" numbers,
        else the first of ``REGIONS`` that finds any)."""
        import phonenumbers

        window = text[start:end]
        regions = self.REGIONS[:1] if window.lstrip("(").startswith("+") else self.REGIONS
        for region in regions:
            matcher = phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.VALID, max_tries=self.MAX_TRIES)
            found = []
            for match in matcher:
                raw = match.raw_string
                at, until = start + match.start, start + match.end
                before = text[at - 1] if at else " "
                after = text[until] if until < len(text) else " "
                if before.isalnum() or before in "-_./@" or after.isalnum() or after in "-_@":
                    continue
                if after == "." and until + 1 < len(text) and text[until + 1].isdigit():
                    continue
                if not v.phone_shaped(raw):
                    continue
                found.append(((at, until), raw.isdigit()))  # bare: no separator, no "+"
            if found:
                return found
        return []


# a run of digits and the separators phone numbers use, on one line; a column gap (two spaces or
# a tab) ends it, so the cells of a printed table are never read as one number
_PHONE_RUN = re.compile(r"[+(]?\d(?:[\d().\-/]| (?! ))*\d\)?")
_PHONE_DIGITS_MIN = 7
_PHONE_DIGITS_MAX = 15


def phone_windows(text: str, context: list[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` worth asking libphonenumber about, found by a cheap pattern.

    A bare digit run (no separator, no "+") is a phone number only next to a context word
    (``find_pii`` drops it otherwise), so without one it is not asked about at all: ids,
    timestamps and counts in a long output cost one regex scan, not a parse per region.
    """
    from .text import has_context

    windows = []
    words = tuple(context)
    for match in _PHONE_RUN.finditer(text):
        raw = match.group()
        digits = sum(ch.isdigit() for ch in raw)
        if digits < _PHONE_DIGITS_MIN or v.NOT_A_PHONE.fullmatch(raw.strip("()[] ")):
            continue  # (0.222566): a decimal in brackets is still a decimal
        if raw.isdigit():
            if digits > _PHONE_DIGITS_MAX or not has_context(text, match.start(), match.end(),
                                                              words):
                continue
        elif digits > 3 * _PHONE_DIGITS_MAX:
            continue
        windows.append(match.span())
    return windows


class MlsecNameRecognizer(EntityRecognizer):
    """PERSON without NER: a title or an introduction before capitalised words, or a known
    given name followed by a known surname."""

    WORD = r"[A-Z][a-z\u00c0-\u024f]+(?:[-'][A-Z]?[a-z\u00c0-\u024f]+)?"
    INTRO = re.compile(
        rf"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+|\b(?:[Mm]y name is|[Nn]amed|[Dd]ear|[Pp]atient"
        rf"|[Cc]ustomer|[Ss]incerely,?|[Rr]egards,?)\s+)((?:{WORD})(?:\s+{WORD}){{0,2}})")
    # a lookahead, so the pairs overlap: "Call Maria Garcia" also tries "Maria Garcia"
    PAIR = re.compile(rf"\b(?=({WORD})\s+((?:[A-Z]\.\s+)?)({WORD})\b)")

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="MlsecNameRecognizer",
                         supported_language="en")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        given, surnames = lexicon()
        spans: dict[tuple[int, int], float] = {}
        for match in self.INTRO.finditer(text):
            spans[(match.start(1), match.end(1))] = 0.7
        for match in self.PAIR.finditer(text):
            first, last = match.group(1).lower(), match.group(3).lower()
            if first in given and last in surnames:
                spans.setdefault((match.start(1), match.end(3)), 0.6)
        return [_result(self, "PERSON", start, end, score, validated=False, needs_context=False)
            for (start, end), score in sorted(spans.items())]


class MlsecAddressRecognizer(EntityRecognizer):
    """STREET_ADDRESS without NER: house number, street words, a USPS street suffix."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["STREET_ADDRESS"], name="MlsecAddressRecognizer",
                         supported_language="en")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        return [_result(self, "STREET_ADDRESS", m.start(), m.end(), 0.7, validated=False,
                        needs_context=False)
            for m in STREET_ADDRESS_IN_TEXT.finditer(text)]


def _bare_digits(value: str) -> bool:
    return value.isdigit()


def _always(_value: str) -> bool:
    return True


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# the shapes validators.parse_date reads; a date is a birth date only next to a context word
BIRTH_DATE = (rf"(?<![\w/.\-])(?:\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]"
              rf"\d{{4}}|{_MONTH} \d{{1,2}}, \d{{4}}|\d{{1,2}} {_MONTH} \d{{4}})(?![\w/\-]|\.\d)")


def our_recognizers(context: dict[str, tuple[str, ...]]) -> list[EntityRecognizer]:
    """The recognizers ``engine`` adds to Presidio's registry (and removes Presidio's for)."""
    card = (rf"{_EDGE_L}(?:\d{{4}}[ -]\d{{4}}[ -]\d{{4}}[ -]\d{{1,7}}|\d{{4}}[ -]\d{{6}}[ -]"
            rf"\d{{4,5}}|\d{{12,19}}){_EDGE_R}")
    iban = rf"{_EDGE_L}[A-Z]{{2}}\d{{2}}(?: ?[A-Z0-9]{{4}}){{2,7}}(?: ?[A-Z0-9]{{1,4}})?(?![\w\-])"
    ssn = rf"{_EDGE_L}(?:\d{{3}}-\d{{2}}-\d{{4}}|\d{{3}} \d{{2}} \d{{4}}|\d{{9}}){_EDGE_R}"
    return [
        MlsecValidatedRecognizer("CREDIT_CARD", card, v.is_credit_card,
                            context=list(context.get("CREDIT_CARD", ()))),
        MlsecValidatedRecognizer("IBAN_CODE", iban, v.is_iban,
                            context=list(context.get("IBAN_CODE", ()))),
        MlsecValidatedRecognizer("US_SSN", ssn, v.is_ssn, needs_context=_bare_digits, score=0.85,
                            context=list(context.get("US_SSN", ()))),
        MlsecValidatedRecognizer("DATE_OF_BIRTH", BIRTH_DATE, v.is_birth_date,
                                 needs_context=_always, score=0.8,
                                 context=list(context.get("DATE_OF_BIRTH", ()))),
        MlsecPhoneRecognizer(context=list(context.get("PHONE_NUMBER", ()))),
        MlsecNameRecognizer(),
        MlsecAddressRecognizer(),
    ]

