"""Column roles: which columns are the target, entity groups, identifiers and dates.

Roles given as arguments are used as they are. Where none is given, identifier-like columns
(integer or text columns named like ``*_id``/``uuid``/``key`` with enough distinct values, or
nearly unique text columns and nearly unique integer counters) and date columns (datetime dtype,
or text whose values parse as dates) are found here, and the report lists each one with the
reason, so a wrong guess is visible and can be overridden.

Two look-alikes are not identifiers. Numbers held as text or objects (a numpy object array, a
frame read without types) are numbers: measurements with fractions are never ids, whole numbers
follow the integer rules. Free text (sentences: most values long, with several words) is nearly
unique too, but two rows sharing a comment is a coincidence, not an entity: such columns get the
role ``text``, stay in the row fingerprints, and their shared values are judged against chance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ...core.settings import LeakageSettings
from ..pii.frame import FREE_TEXT_MIN_CHARS, FREE_TEXT_MIN_WORDS
from ._hashing import column_kind

if TYPE_CHECKING:
    from ._measures import Measures

ID_NAME = re.compile(
    r"(^|[_\W])(id|ids|uuid|guid|key|idx|index|no|nr|number)$|[a-z0-9](Id|ID|Key|Uuid)$|^(id|uuid|guid)[_\W]",
)
DATE_CHARS = re.compile(r"\d{1,4}[-/.:T ]\d{1,2}")
MIN_SAMPLE_FOR_RATIO = 50
DATE_PROBE = 200
NUMBER_PROBE = 1000  # values of a text column read to tell whether it holds numbers
FREE_TEXT_SHARE = 0.5  # of distinct sampled values that are sentences: the column is free text


@dataclass
class Roles:
    """The role of each column and, for roles found automatically, why."""

    target: str | None
    groups: list[Any] = field(default_factory=list)
    ids: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    texts: list[Any] = field(default_factory=list)  # nearly unique free text (not an id)
    auto: dict[Any, str] = field(default_factory=dict)      # column -> reason
    parsed_dates: dict[Any, tuple[Any, Any]] = field(default_factory=dict)  # text dates

    def role_of(self, column: Any) -> str | None:
        if column == self.target:
            return "target"
        if column in self.groups:
            return "group"
        if column in self.ids:
            return "id"
        if column in self.times:
            return "time"
        if column in self.texts:
            return "free text"
        return None

    def table(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        if self.target is not None:
            rows.append([self.target, "target", "argument"])
        for role, columns in (("group", self.groups), ("id", self.ids), ("time", self.times),
                              ("free text", self.texts)):
            rows.extend([str(c), role, self.auto.get(c, "argument")] for c in columns)
        return rows


def detect_roles(measures: Measures, shared: list[Any], sample: Any, *, target: str | None,
                 groups: list[Any], ids: list[Any], times: list[Any],
                 settings: LeakageSettings) -> Roles:
    """Roles from the arguments, completed by detection over the remaining shared columns.

    Whole columns are read through ``measures`` (kinds, parsed dates, a counter's span); the
    name and value rules run on ``sample``.
    """
    roles = Roles(target=target, groups=list(groups), ids=list(ids), times=list(times))
    for column in times:
        _ensure_dates(roles, measures, column)
    given = {target, *groups, *ids, *times}
    for column in shared:
        if column in given:
            continue
        kind = measures.kind("train", column)
        if kind == "datetime" and _ensure_dates(roles, measures, column):
            roles.times.append(column)
            roles.auto[column] = "auto: datetime dtype"
            continue
        if kind == "text" and _looks_like_dates(sample[column]) \
                and _ensure_dates(roles, measures, column):
            roles.times.append(column)
            roles.auto[column] = "auto: text values parse as dates"
            continue
        reason = _id_reason(measures, column, kind, sample[column], settings)
        if reason is None:
            continue
        if kind == "text" and is_free_text(sample[column]):
            roles.texts.append(column)
            roles.auto[column] = (f"{reason}; free text: not an identifier, shared values "
                                  "judged against chance")
        else:
            roles.ids.append(column)
            roles.auto[column] = reason
    return roles


def _id_reason(measures: Measures, column: Any, kind: str, sampled: Any,
               settings: LeakageSettings) -> str | None:
    if kind not in ("int", "text"):
        return None
    name = str(column)
    values = sampled.dropna()
    if kind == "text":
        numbers = as_numbers(values)
        if numbers is not None:
            if bool((numbers % 1 != 0).any()):
                return None  # measurements (floats held as text/objects), never identifiers
            kind, values = "int", numbers
    if ID_NAME.search(name):
        # counted on the sample: a sample with this many distinct ids proves the column has them
        distinct = int(values.nunique())
        if distinct >= settings.id_min_distinct:
            return f"auto: identifier name, {distinct} distinct values in {len(values)} rows"
        return None
    if len(values) < MIN_SAMPLE_FOR_RATIO:
        return None
    ratio = values.nunique() / len(values)
    if ratio < settings.id_unique_ratio:
        return None
    if kind == "text":
        return f"auto: {ratio:.0%} distinct text values"
    whole = measures.whole_numbers(column)
    if whole is None:
        return None
    low, high = whole
    span = high - low + 1
    if span <= 2 * (measures.rows("train") + measures.rows("test")):
        return f"auto: {ratio:.0%} distinct integers forming a counter"
    return None


def as_numbers(values: Any, probe: int | None = NUMBER_PROBE) -> Any:
    """The values as floats when every one is a number (``12``, ``3.5``, ``"4.25"``), else None.

    A probe of ``probe`` values decides first, so a text column is rejected cheaply; only a
    column whose probe is all numbers is converted whole.
    """
    import pandas as pd

    if not len(values):
        return None
    head = values if probe is None else values.iloc[:probe]
    if pd.api.types.is_bool_dtype(head.dtype) or any(
            isinstance(v, (bool, np.bool_)) for v in head.iloc[:50]):
        return None
    converted = pd.to_numeric(head, errors="coerce")
    if converted.isna().any():
        return None
    if probe is not None and len(values) > len(head):
        converted = pd.to_numeric(values, errors="coerce")
        if converted.isna().any():
            return None
    return converted.astype(np.float64)


def is_free_text(sampled: Any) -> bool:
    """Sentences, not codes: most distinct values long and of several words (as the pii check
    defines free text)."""
    import pandas as pd

    values = sampled.dropna()
    if not len(values):
        return False
    distinct = pd.Series(pd.unique(values.astype(str)), dtype=object).iloc[:DATE_PROBE]
    long_enough = distinct.str.len() >= FREE_TEXT_MIN_CHARS
    worded = distinct.str.count(r"\s+") + 1 >= FREE_TEXT_MIN_WORDS
    return bool((long_enough & worded).mean() >= FREE_TEXT_SHARE)


def _looks_like_dates(sampled: Any) -> bool:
    """Text whose probed values all look like and parse as dates (never plain numbers)."""
    values = sampled.dropna()
    if not len(values):
        return False
    probe = values.iloc[:DATE_PROBE].astype(str)
    if not all(DATE_CHARS.search(v) for v in probe):
        return False
    return bool(parse_dates(probe).notna().all())


def parse_dates(values: Any) -> Any:
    """Text as dates: ISO 8601 when 99 % of the values read so, else pandas' own inference."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
            if parsed.notna().sum() >= 0.99 * values.notna().sum():
                return parsed
        except (ValueError, TypeError):
            pass
        try:
            return pd.to_datetime(values, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            return pd.Series(pd.NaT, index=values.index)


def _ensure_dates(roles: Roles, measures: Measures, column: Any) -> bool:
    """Date values of a time column on both sides (parsed once if text); False if not dates."""
    sides: list[Any] = []
    for side, frame in (("train", measures.train), ("test", measures.test)):
        if column not in frame.columns:
            sides.append(None)
            continue
        dates = measures.dates(side, column)
        if dates is None:
            return False
        sides.append(dates)
    roles.parsed_dates[column] = (sides[0], sides[1])
    return True


def hashed_columns(shared: list[Any], roles: Roles) -> list[Any]:
    """Columns that make up a row's fingerprint: every shared column but identifiers."""
    return [c for c in shared if c not in roles.ids]


def as_int_rank(series: Any) -> np.ndarray:
    """An identifier's order as numbers: numeric values as they are, text by sorted rank."""
    import pandas as pd

    kind = column_kind(series)
    if kind in ("int", "float"):
        return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))
    if kind == "datetime":
        values = np.asarray(series.to_numpy(dtype="datetime64[ns]")).view(np.int64)
        result = values.astype(np.float64)
        result[values == np.iinfo(np.int64).min] = np.nan
        return result
    codes, _ = pd.factorize(series.astype(str).where(series.notna()), sort=True,
                            use_na_sentinel=True)
    ranks = np.asarray(codes, dtype=np.float64)
    ranks[codes < 0] = np.nan
    return ranks
