"""PII in DataFrames: which columns hold which entity type, and spans in free-text columns.

How a column is typed (values decide, names help):

1. one seeded row sample for the whole frame (``pii.sample_rows``), empty values dropped,
   values de-duplicated per column;
2. vectorised prefilters (``Series.str.fullmatch``) pick the few distinct values that could be an
   entity; only those reach the validators (``validators``, ``names``) and, for free text and the
   weak types, the offline Presidio engine;
3. the share of distinct values that validate decides (``pii.column_threshold``), never a single
   hit. Values are judged in chunks of ``pii.early_stop_values``: once the share is clearly
   above or below the threshold the rest of the sample is not looked at. The report gives the
   rows sampled and the distinct values judged.

Bare digit runs (9 digits: SSN? 10 digits: phone?) and weak types (dates of birth, driver
licences, bank numbers, UUIDs ...) need the column name to say what they are; formatted values
(``123-45-6789``, ``(415) 555-0132``) and checksummed ones (cards, IBANs) do not.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...core.errors import MLSecInputError, MLSecUsageError
from ...core.finding import Location
from ...core.report import Report, Skipped
from . import names as nm
from . import validators as v
from . import wallets
from .mask import mask
from .protected import ProtectedColumn, bias_command, protected_columns
from .rules import CHECK, ENTITIES, RULES, context_match, rule_id

if TYPE_CHECKING:
    import pandas as pd

    from ...core.settings import PiiSettings, Settings

NOT_A_FRAME = "scan_pii needs a pandas DataFrame, got {kind}"
NO_ROWS = "the frame has no rows: nothing to scan"
NO_COLUMNS = "the frame has no columns: nothing to scan"
UNKNOWN_COLUMNS = "column(s) {names} not in the frame"
BAD_SAMPLE = "sample must be a positive number of rows, got {value!r}"
# a value is free text when it is long and has several words
FREE_TEXT_MIN_CHARS = 30
FREE_TEXT_MIN_WORDS = 5
# share of validated values under which an entity is not listed for a mixed column
MIXED_MIN_SHARE = 0.2
TEXT_PREFILTER = (r"@|\d{3}|\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\b|[Nn]ame is|[Dd]ear |"
                  r"[A-Z][a-z]+ [A-Z][a-z]+")


@dataclass(frozen=True)
class Detector:
    """How one entity type is recognised in a column: prefilter, validator, context rule."""

    entity: str
    prefilter: str
    validate: Callable[[str, bool], bool]
    needs_column_context: bool = False


def _ssn(value: str, context: bool) -> bool:
    return v.is_formatted_ssn(value) or (context and value.isdigit() and v.is_ssn(value))


def _phone(value: str, context: bool) -> bool:
    if v.DATE_SHAPE.match(value):  # 2024-03-01 parses as a phone number in some regions
        return False
    if v.is_formatted_phone(value):
        return True
    return context and v.is_phone(value)


def _wallet(value: str, context: bool) -> bool:
    valid, checksummed = wallets.is_wallet(value)
    return valid and (checksummed or context)


DETECTORS: tuple[Detector, ...] = (
    Detector("CREDIT_CARD", r"[\d -]{12,23}", lambda s, c: v.is_credit_card(s)),
    Detector("IBAN_CODE", r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,40}", lambda s, c: v.is_iban(s)),
    Detector("US_SSN", r"\d{3}[-. ]?\d{2}[-. ]?\d{4}", _ssn),
    Detector("EMAIL_ADDRESS", r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,24}", lambda s, c: v.is_email(s)),
    Detector("PHONE_NUMBER", r"\+?[\d(][\d\s().\-/]{5,20}\d(?:\s*(?:x|ext\.?)\s*\d{1,5})?",
             _phone),
    Detector("IP_ADDRESS", r"[\d.]{7,15}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*",
             lambda s, c: v.is_ip(s)),
    Detector("MAC_ADDRESS", r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}", lambda s, c: c, True),
    Detector("DATE_OF_BIRTH", r"[\w ,./-]{8,20}", lambda s, c: c and v.is_birth_date(s), True),
    Detector("STREET_ADDRESS", r"\d{1,6}[A-Za-z]?\s.{3,150}",
             lambda s, c: nm.is_street_address(s)),
    Detector("PERSON", r"[A-Z][^\d@]{1,60}",
             lambda s, c: nm.is_person_name(s, context=c)),
    Detector("UUID", r"[0-9A-Fa-f-]{32,36}", lambda s, c: c and v.is_uuid(s), True),
    Detector("CRYPTO", r"[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|"
             r"0x[0-9a-fA-F]{40}", _wallet),
    # a link is personal only sometimes (a profile page): typed by the column's name
    Detector("URL", r"(?:https?://|www\.)\S+", lambda s, c: c, True),
)
_PREFILTERS = {d.entity: re.compile(d.prefilter) for d in DETECTORS}


def value_entity(value: str, contexts: dict[str, bool]) -> str | None:
    """The entity one value is, whole, judged as the column typing judges it (the first
    detector whose shape and validator accept it; ``contexts`` from ``column_context``)."""
    for detector in DETECTORS:
        context = contexts.get(detector.entity, False)
        if detector.needs_column_context and not context:
            continue
        if _PREFILTERS[detector.entity].fullmatch(value) and detector.validate(value, context):
            return detector.entity
    return None


# weak types judged by Presidio's own recognizers, only for columns whose name gives context
PRESIDIO_WEAK = ("US_DRIVER_LICENSE", "US_BANK_NUMBER", "US_PASSPORT", "US_ITIN",
                 "MEDICAL_LICENSE", "UK_NHS")


@dataclass
class ColumnVerdict:
    """What was decided about one column, with the numbers behind it."""

    column: Any
    kind: str  # "entity", "free text", "none", "empty", "skipped"
    entities: dict[str, float] = field(default_factory=dict)
    judged: int = 0
    non_empty: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)
    text_entities: dict[str, int] = field(default_factory=dict)
    spans: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def scan_pii(df: Any, columns: Sequence[Any] | None = None, sample: int | None = None,
             spans: bool = False, settings: Settings | None = None,
             subject: str | None = None) -> Report:
    """Type the columns of ``df`` by the personal data they hold.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        The frame; every column is looked at unless ``columns`` names some. A dask frame is
        sampled across its partitions (the same rows pandas would sample).
    columns : sequence, optional
        Column names to scan.
    sample : int, optional
        Rows to sample (default ``settings.pii.sample_rows``); the whole frame when smaller.
    spans : bool
        List cell spans ``(row, start, end, entity)`` of free-text columns in
        ``report.metrics["spans"]`` (at most ``pii.max_spans``).
    settings : Settings, optional
        Thresholds (``pii.*``).
    subject : str, optional
        How the report names the frame.

    Returns
    -------
    Report
        ``PII-<ENTITY>`` findings per typed column (``location.column``, ``evidence.entity``,
        ``evidence.hit_fraction``, ``evidence.sampled_rows``, masked ``evidence.examples``),
        ``PII-FREE-TEXT`` per free-text column, and a per-column table in ``metrics``;
        ``metrics["protected_attributes"]`` maps the columns holding a protected attribute
        (sex, race, age, religion ...: ``protected``) to it, with ``metrics["bias_command"]``
        the ``%mlsec bias`` line that groups by them.
    """
    import numpy as np
    import pandas as pd

    from ...core.settings import Settings
    from .._dask import engine_of

    if engine_of(df) == "dask":  # the same sample, drawn across partitions (docs/dask.md)
        from .._dask.pii import scan_pii_dask

        return scan_pii_dask(df, columns, sample, spans, settings, subject)
    started = time.perf_counter()
    if not isinstance(df, pd.DataFrame):
        raise MLSecUsageError(NOT_A_FRAME.format(kind=type(df).__name__))
    pii = (settings or Settings()).pii
    rows = pii.sample_rows if sample is None else sample
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows <= 0:
        raise MLSecUsageError(BAD_SAMPLE.format(value=sample))
    if df.shape[1] == 0:
        raise MLSecInputError(NO_COLUMNS)
    if len(df) == 0:
        raise MLSecInputError(NO_ROWS)
    positions = _column_positions(df, columns)
    rng = np.random.default_rng(pii.seed)
    if len(df) > rows:
        picked = np.sort(rng.choice(len(df), size=int(rows), replace=False))
        frame = df.iloc[picked, positions]
    else:
        frame = df.iloc[:, positions]
    verdicts = [classify_column(frame.columns[i], frame.iloc[:, i], pii, spans=spans)
                for i in range(frame.shape[1])]
    report = _report(verdicts, df, len(frame), pii, subject, time.perf_counter() - started)
    add_protected(report, protected_columns(frame, pii.protected_columns,
                                            pii.not_protected_columns))
    return report


def add_protected(report: Report, found: list[ProtectedColumn]) -> None:
    """Mark the protected-attribute columns in the report: a table, the column list
    ``check_bias`` takes as ``sensitive`` and the ``%mlsec bias`` line that uses them."""
    report.metrics["protected_attributes"] = {str(c.column): c.attribute for c in found}
    report.metrics["tables_cover"].append("protected_attributes")  # the table shows them
    if not found:
        return
    report.metrics["bias_command"] = bias_command(found)
    report.metrics["tables"].append({
        "title": f"Protected attributes ({len(found)}): group by them with "
                 "%mlsec bias --sensitive",
        "columns": ["column", "attribute", "found by"],
        "rows": [[str(c.column), c.attribute, c.by] for c in found]})


def _column_positions(df: pd.DataFrame, columns: Sequence[Any] | None) -> list[int]:
    if columns is None:
        return list(range(df.shape[1]))
    if isinstance(columns, str):
        columns = [columns]
    wanted = list(columns)
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise MLSecInputError(UNKNOWN_COLUMNS.format(names=", ".join(map(repr, missing))))
    return [i for i, c in enumerate(df.columns) if c in wanted]


def as_text_values(series: pd.Series) -> pd.Series:
    """Non-empty values as stripped strings; integral floats without ``.0``; bools dropped."""
    import pandas as pd
    from pandas.api import types

    values = series.dropna()
    if types.is_bool_dtype(values.dtype):
        return pd.Series([], dtype=object)
    if types.is_float_dtype(values.dtype):
        finite = values[values.abs() < 1e19]
        if len(finite) and (finite == finite.round()).all():
            values = finite.astype("int64")
    if types.is_datetime64_any_dtype(values.dtype):
        if len(values) and (values.dt.normalize() == values).all():
            values = values.dt.strftime("%Y-%m-%d")
        else:
            values = values.dt.strftime("%Y-%m-%dT%H:%M:%S")
    text = values.astype(str).str.strip()
    return text[text != ""]


def classify_column(column: Any, series: pd.Series, pii: PiiSettings, *,
                    spans: bool = False) -> ColumnVerdict:
    """Decide what one sampled column holds (see the module docstring)."""
    import pandas as pd
    from pandas.api import types

    if types.is_bool_dtype(series.dtype):
        return ColumnVerdict(column, "skipped", note="booleans cannot hold personal data")
    text = as_text_values(series)
    if text.empty:
        return ColumnVerdict(column, "empty", note="no non-empty value in the sample")
    distinct = pd.Series(pd.unique(text), dtype=object)
    lengths = distinct.str.len()
    words = distinct.str.count(r"\s+") + 1
    free_text = ((lengths >= FREE_TEXT_MIN_CHARS) & (words >= FREE_TEXT_MIN_WORDS)).mean() >= 0.5
    verdict = _typed(column, text, distinct, pii)
    if verdict.kind == "none" and free_text:
        return _free_text(column, text, pii, spans=spans)
    return verdict


def _typed(column: Any, text: pd.Series, distinct: pd.Series, pii: PiiSettings) -> ColumnVerdict:
    """One entity type per column (or a few for a mixed one) by the share that validates."""
    verdict = ColumnVerdict(column, "none", non_empty=len(text))
    contexts = column_context(column)
    chunk = max(1, pii.early_stop_values)
    hits: dict[str, list[str]] = {}
    judged = 0
    while judged < len(distinct):
        part = distinct.iloc[judged:judged + chunk]
        judged += len(part)
        for detector in DETECTORS:
            context = contexts.get(detector.entity, False)
            if detector.needs_column_context and not context or part.empty:
                continue
            candidates = part[part.str.fullmatch(detector.prefilter)]
            found = [s for s in candidates if detector.validate(s, context)]
            hits.setdefault(detector.entity, []).extend(found)
            if found:  # a value is one entity: the stronger detector (earlier) keeps it
                part = part[~part.isin(found)]
        for entity in PRESIDIO_WEAK:
            if contexts.get(entity):
                hits.setdefault(entity, []).extend(_presidio_weak_hits(part, entity, pii))
        if _clear(hits, judged, pii.column_threshold):
            break
    verdict.judged = judged
    shares = {e: len(found) / judged for e, found in hits.items() if found}
    best = max(shares.values(), default=0.0)
    union = len({s for found in hits.values() for s in found}) / judged
    if best >= pii.column_threshold:
        chosen = {e: s for e, s in shares.items() if s == best or s >= pii.column_threshold}
        chosen = {max(chosen, key=lambda e: (chosen[e], -_PRIORITY[e])): best}
    elif union >= pii.column_threshold:
        chosen = {e: s for e, s in shares.items() if s >= MIXED_MIN_SHARE}
    else:
        chosen = {}
    if chosen:
        verdict.kind = "entity"
        verdict.entities = {e: round(s, 3) for e, s in chosen.items()}
        verdict.examples = {e: [mask(s, e) for s in hits[e][:pii.max_examples]] for e in chosen}
    return verdict


_PRIORITY = {d.entity: i for i, d in enumerate(DETECTORS)} | {
    e: 100 + i for i, e in enumerate(PRESIDIO_WEAK)}


def _clear(hits: dict[str, list[str]], judged: int, threshold: float) -> bool:
    """Is every entity's share clearly above or below the threshold (3 standard errors)?"""
    margin = 3 * math.sqrt(0.25 / judged)
    union = len({s for found in hits.values() for s in found}) / judged
    shares = [len(found) / judged for found in hits.values()] + [union]
    return all(abs(share - threshold) > margin for share in shares)


def column_context(column: Any) -> dict[str, bool]:
    """Which entity types the column name speaks for."""
    return dict(_column_context(str(column)) if isinstance(column, str) else
                _column_context.__wrapped__(column))


@functools.lru_cache(maxsize=4096)
def _column_context(column: Any) -> dict[str, bool]:
    words = nm.column_words(column)
    context = {name: any(context_match(w, c) for w in words for c in entity.context)
               for name, entity in ENTITIES.items() if entity.context}
    context["PERSON"] = nm.says_person_name(column)
    context["STREET_ADDRESS"] = nm.says_address(column)
    return context


def _presidio_weak_hits(values: pd.Series, entity: str, pii: PiiSettings) -> list[str]:
    """Values Presidio's own recognizer for a weak ``entity`` matches whole, with context."""
    from .engine import analyzer

    engine, _info = analyzer(pii.spacy_model)
    context = list(ENTITIES[entity].context)
    found = []
    for value in values:
        results = engine.analyze(text=value, language="en", entities=[entity], context=context)
        if any(r.start == 0 and r.end == len(value) and r.score >= 0.3 for r in results):
            found.append(value)
    return found


def _free_text(column: Any, text: pd.Series, pii: PiiSettings, *, spans: bool) -> ColumnVerdict:
    """Spans in free-text cells: Presidio only on cells a cheap regex says could hold PII."""
    from .text import find_pii

    verdict = ColumnVerdict(column, "free text", non_empty=len(text))
    # judged cell by cell in sample order (each distinct text analysed once): the share is over
    # cells, and an early stop does not over-weight texts that repeat
    chunk = max(1, pii.early_stop_values)
    text_settings = _as_settings(pii)
    maybe = text.str.contains(TEXT_PREFILTER, regex=True).to_numpy()
    values = text.to_numpy()
    found: dict[str, list[Any]] = {}
    rows_judged = with_pii = 0
    share = 0.0
    while rows_judged < len(values):
        for value, candidate in zip(values[rows_judged:rows_judged + chunk],
                                    maybe[rows_judged:rows_judged + chunk], strict=True):
            if candidate and value not in found:
                found[value] = find_pii(value, settings=text_settings)
            with_pii += bool(found.get(value))
        rows_judged = min(len(values), rows_judged + chunk)
        share = with_pii / rows_judged
        if not spans and abs(share - pii.free_text_threshold) > 3 * math.sqrt(0.25 / rows_judged):
            break
    verdict.judged = rows_judged
    for cell_spans in found.values():
        for span in cell_spans:
            verdict.text_entities[span.entity] = verdict.text_entities.get(span.entity, 0) + 1
    if share >= pii.free_text_threshold:
        verdict.entities = {"FREE_TEXT": round(share, 3)}
        verdict.examples = {"FREE_TEXT": [
            mask(value[s.start:s.end], s.entity) for value, cell_spans in found.items()
            for s in cell_spans][:pii.max_examples]}
    if spans:
        for row, value in text.items():
            for span in found.get(value, ()):
                if len(verdict.spans) >= pii.max_spans:
                    break
                verdict.spans.append({"column": str(column), "row": _plain(row),
                                      "start": span.start, "end": span.end,
                                      "entity": span.entity})
    return verdict


def _as_settings(pii: PiiSettings) -> Settings:
    from ...core.settings import Settings

    return Settings(pii=pii)


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _report(verdicts: list[ColumnVerdict], df: pd.DataFrame, sampled: int, pii: PiiSettings,
            subject: str | None, elapsed: float) -> Report:
    from .engine import engine_info
    from .text import engine_skipped

    findings = []
    skipped = []
    table_rows = []
    wanted = set(pii.entities)
    for verdict in verdicts:
        if wanted:  # pii.entities limits what is reported; free text keeps the wanted spans
            verdict.entities = {e: s for e, s in verdict.entities.items()
                                if e in wanted or e == "FREE_TEXT" and verdict.text_entities}
    all_spans: list[dict[str, Any]] = []
    for verdict in verdicts:
        name = str(verdict.column)
        if verdict.kind in ("empty", "skipped"):
            skipped.append(Skipped(f"column {name!r}", verdict.note))
        for entity, share in verdict.entities.items():
            evidence = {"entity": entity, "hit_fraction": share, "sampled_rows": sampled,
                        "non_empty_values": verdict.non_empty, "distinct_values": verdict.judged,
                        "examples": verdict.examples.get(entity, [])}
            if entity == "FREE_TEXT":
                evidence["entities"] = dict(sorted(verdict.text_entities.items()))
                kinds = ", ".join(sorted(verdict.text_entities)) or "-"
                detail = (f"free-text column {name!r}: {share:.0%} of {verdict.judged} sampled "
                          f"cells hold personal data ({kinds})")
                findings.append(RULES["PII-FREE-TEXT"].finding(
                    detail, Location(column=name), evidence))
                continue
            detail = (f"column {name!r} holds {ENTITIES[entity].title}: {share:.0%} of "
                      f"{verdict.judged} distinct values validate ({sampled} rows sampled)")
            findings.append(RULES[rule_id(entity)].finding(detail, Location(column=name),
                                                           evidence))
        typed = ", ".join(sorted(verdict.entities)) if verdict.entities else verdict.kind
        table_rows.append([name, typed if verdict.kind != "free text" else
                           f"free text ({', '.join(sorted(verdict.text_entities)) or 'none'})",
                           max(verdict.entities.values(), default=0.0), verdict.judged,
                           verdict.non_empty])
        all_spans.extend(verdict.spans)
    info = engine_info(pii.spacy_model)
    metrics: dict[str, Any] = {
        **info.metrics(),
        "sample": {"rows_sampled": sampled, "rows_total": len(df), "seed": pii.seed},
        "tables": [{"title": f"Columns ({sampled} of {len(df)} rows sampled)",
                    "columns": ["column", "holds", "hit fraction", "distinct judged",
                                "non-empty"],
                    "rows": table_rows}],
        "tables_cover": ["sample", "spans", "tables_cover"],
    }
    if any(v.kind == "free text" for v in verdicts):
        metrics["spans"] = all_spans
        if all_spans:
            metrics["tables"].append({
                "title": f"Spans in free-text cells ({len(all_spans)})",
                "columns": ["column", "row", "start", "end", "entity"],
                "rows": [[s["column"], s["row"], s["start"], s["end"], s["entity"]]
                         for s in all_spans]})
        if sum(len(v.spans) for v in verdicts) >= pii.max_spans:
            skipped.append(Skipped("spans beyond pii.max_spans", f"only {pii.max_spans} listed"))
        if sampled < len(df) and any(v.spans for v in verdicts):
            skipped.append(Skipped(f"spans of the {len(df) - sampled} rows not sampled",
                                   "spans are listed for the sampled rows only; pass "
                                   "sample=len(df) (--sample N) to list every row"))
    return Report(check=CHECK, subject=subject or "DataFrame", findings=findings,
                  metrics=metrics, skipped=engine_skipped(info) + skipped, elapsed_s=elapsed)


def column_entities(report: Report) -> dict[str, str]:
    """``{column: entity}`` from a frame report (the strongest entity of a mixed column;
    ``FREE_TEXT`` for free-text columns): the typing the benchmark and tests score."""
    best: dict[str, tuple[float, str]] = {}
    for finding in report.findings:
        column, entity = finding.location.column, finding.evidence.get("entity")
        if column is None or entity is None:
            continue
        share = float(finding.evidence.get("hit_fraction", 0.0))
        if str(column) not in best or share > best[str(column)][0]:
            best[str(column)] = (share, str(entity))
    return {column: entity for column, (_share, entity) in best.items()}
