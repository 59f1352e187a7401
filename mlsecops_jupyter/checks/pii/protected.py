"""Protected attributes in a frame: the columns a fairness check should group by.

A column holding sex, race, age, religion, disability, marital status, nationality ... is not
personal data of the kind ``PII-*`` rules find (it identifies nobody), but it is what
anti-discrimination law protects and what ``check_bias`` needs as ``sensitive``. ``scan_pii``
marks such columns in its report (a table and ``metrics["protected_attributes"]``) and says the
``%mlsec bias`` command to run; ``%mlsec bias`` without ``--sensitive`` uses them.

A column is protected by its *name* (a word of it, ``column_words``: ``gender``,
``marital_status``, ``ApplicantRace``) or by its *values* (nearly every distinct value is one of
the attribute's known categories: ``Male``/``Female``, ``Married-civ-spouse``/``Divorced``,
``Muslim``/``Hindu``). Numbers alone never decide (an age column is found by its name). The
table below is data: reviewers extend it in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .names import column_words

if TYPE_CHECKING:
    import pandas as pd

# share of a column's distinct values that must be known categories, and how many distinct
# known categories at least (one "male" among free text decides nothing)
VALUE_SHARE = 0.9
MIN_KNOWN_VALUES = 2
MAX_DISTINCT = 50  # a categorical column: more distinct values than this is not one
# answers any attribute's column may hold: they neither count for nor against one
NEUTRAL_VALUES = frozenset({"other", "others", "unknown", "none", "n/a", "na", "?", "-",
                            "prefer not to say", "not stated", "not known", "missing"})


@dataclass(frozen=True)
class Attribute:
    """One protected attribute: the words of a column name and the values that say it."""

    name: str
    words: frozenset[str]
    values: frozenset[str] = frozenset()


def _set(*items: str) -> frozenset[str]:
    return frozenset(items)


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("sex/gender", _set("sex", "gender", "genders", "sexe", "geschlecht", "genero"),
              _set("male", "female", "m", "f", "man", "woman", "men", "women", "non-binary",
                   "nonbinary", "transgender", "intersex")),
    Attribute("race/ethnicity", _set("race", "ethnicity", "ethnic", "ethnicgroup", "racial"),
              _set("white", "black", "asian", "hispanic", "latino", "latina", "latinx",
                   "caucasian", "african american", "african-american", "native american",
                   "pacific islander", "asian-pac-islander", "amer-indian-eskimo",
                   "american indian", "alaska native", "hispanic or latino",
                   "black or african american", "two or more races", "multiracial",
                   "mixed")),
    Attribute("age", _set("age", "ages", "agegroup", "ageband", "agebracket", "yob",
                          "birthyear", "yearofbirth", "dob", "birthdate", "dateofbirth",
                          "seniorcitizen")),
    Attribute("religion", _set("religion", "religious", "faith", "confession"),
              _set("christian", "muslim", "jewish", "hindu", "buddhist", "sikh", "atheist",
                   "agnostic", "catholic", "protestant", "orthodox", "islam", "judaism",
                   "christianity", "hinduism", "buddhism", "no religion")),
    Attribute("disability", _set("disability", "disabled", "disabilities", "handicap",
                                 "impairment", "impaired")),
    Attribute("marital status", _set("marital", "maritalstatus", "married", "spouse",
                                     "civilstatus"),
              _set("married", "single", "divorced", "widowed", "separated", "never-married",
                   "never married", "married-civ-spouse", "married-spouse-absent",
                   "married-af-spouse", "domestic partnership", "civil union")),
    Attribute("nationality", _set("nationality", "citizenship", "nativecountry",
                                  "countryofbirth", "birthcountry", "nationalorigin",
                                  "immigrant", "immigration")),
    Attribute("sexual orientation", _set("sexualorientation", "orientationsexual", "lgbt",
                                         "lgbtq")),
    Attribute("pregnancy", _set("pregnant", "pregnancy", "maternity")),
    Attribute("veteran status", _set("veteran", "veterans")),
    Attribute("genetic information", _set("genetic", "genotype")),
)


@dataclass(frozen=True)
class ProtectedColumn:
    """A column that holds a protected attribute, and how that was decided."""

    column: Any
    attribute: str
    by: str  # "name", "values" or "settings"


def by_name(column: object) -> str | None:
    """The attribute a column's name says (``"applicant_gender"`` -> ``"sex/gender"``): one of
    its words, or all of it run together (``date_of_birth``, ``SeniorCitizen``)."""
    words = column_words(column) | {re.sub(r"[^a-z0-9]", "", str(column).lower())}
    for attribute in ATTRIBUTES:
        if words & attribute.words:
            return attribute.name
    return None


def by_values(distinct: pd.Series) -> str | None:
    """The attribute nearly every distinct value of a categorical column belongs to."""
    if len(distinct) == 0 or len(distinct) > MAX_DISTINCT:
        return None
    lowered = {str(value).strip().lower() for value in distinct} - NEUTRAL_VALUES
    for attribute in ATTRIBUTES:
        if not attribute.values:
            continue
        known = lowered & attribute.values
        if len(known) >= MIN_KNOWN_VALUES and len(known) >= VALUE_SHARE * len(lowered):
            return attribute.name
    return None


CONFIGURED = "set in [tool.mlsec.pii] protected_columns"


def protected_columns(frame: pd.DataFrame, always: tuple[str, ...] = (),
                      never: tuple[str, ...] = ()) -> list[ProtectedColumn]:
    """The protected-attribute columns of ``frame`` (a sample is enough), in column order.

    ``always`` and ``never`` are column names the team decided on (``PiiSettings``): they win
    over the table, which only guesses from names and values.
    """
    import pandas as pd

    from .frame import as_text_values

    always_names, never_names = set(always), set(never)
    found = []
    for position in range(frame.shape[1]):
        column = frame.columns[position]
        if str(column) in never_names:
            continue
        if str(column) in always_names:
            found.append(ProtectedColumn(column, CONFIGURED, "settings"))
            continue
        attribute = by_name(column)
        if attribute is not None:
            found.append(ProtectedColumn(column, attribute, "name"))
            continue
        series = frame.iloc[:, position]
        if pd.api.types.is_numeric_dtype(series.dtype):
            continue  # numbers alone never say which attribute they are
        text = as_text_values(series)
        attribute = by_values(pd.Series(pd.unique(text), dtype=object))
        if attribute is not None:
            found.append(ProtectedColumn(column, attribute, "values"))
    return found


def bias_command(columns: list[ProtectedColumn]) -> str:
    """The ``%mlsec bias`` line that groups by the protected columns found."""
    names = ",".join(str(c.column) for c in columns)
    return f"%mlsec bias MODEL X y --sensitive {names}"
