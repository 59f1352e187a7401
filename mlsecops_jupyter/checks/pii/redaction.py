"""Masked copies: a DataFrame or a notebook with its personal data and credentials taken out.

Why our own splice rather than presidio-anonymizer: the spans already come from our scanners
(secrets are not Presidio results at all), overlaps are already resolved, and the operation we
need is a replacement by a label; the anonymizer would add a dependency (and its ``cryptography``
stack) to do a string replacement. The notebook side lives in ``notebook.redact_notebook``.

Frames: a column the PII check types as an entity (``PII-<ENTITY>``) is masked whole, every
value, with the PII check's shape-keeping mask (``j***@example.org``, ``**** **** **** 1111``);
in every other text column each span of personal data ``find_pii`` finds in a value is replaced
by ``[REDACTED:<ENTITY>]`` -- in a free-text column (``PII-FREE-TEXT``) and equally in one whose
share of values with spans stayed under the threshold, since ``pii --spans`` lists those spans
too -- and every string cell is searched for credentials, replaced by ``[REDACTED:<TYPE>]``.
Every row is read, not the PII check's sample.
"""

from __future__ import annotations

import time
from typing import Any

from ...core.errors import MLSecUsageError
from ...core.finding import Location
from ...core.report import Report
from ...core.settings import Settings
from .notebook import REDACTED
from .rules import CHECK
from .secret_rules import rule_for
from .secrets import find_secrets

NOT_A_FRAME = "redact_frame takes a pandas DataFrame, not {kind}"


def splice(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping ``(start, end, label)`` spans of ``text``."""
    out = []
    last = 0
    for start, end, label in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(REDACTED.format(label=label))
        last = end
    out.append(text[last:])
    return "".join(out)


def _redact_texts(series: Any, settings: Settings, *, with_pii: bool
                  ) -> tuple[Any, int, set[str]]:
    """Credentials (and with ``with_pii`` personal data) spliced out of each string value;
    each distinct value is scanned once."""
    from .candidates import is_candidate
    from .text import find_pii

    cache: dict[str, str] = {}
    secret_types: set[str] = set()

    def clean(value: str) -> str:
        if value not in cache:
            spans = [(s.start, s.end, s.type)
                     for s in find_secrets(value, context="text", settings=settings.secrets)]
            secret_types.update(label for _, _, label in spans)
            if with_pii and is_candidate(value):
                spans += [(p.start, p.end, p.entity)
                          for p in find_pii(value, context="text", settings=settings)]
            cache[value] = splice(value, spans) if spans else value
        return cache[value]

    import pandas as pd

    values = series.astype("object").to_numpy().copy()
    changed = 0
    for index, value in enumerate(values):  # positions: a duplicated index cannot misplace
        if isinstance(value, str):
            values[index] = clean(value)
            changed += values[index] != value
    return pd.Series(values, index=series.index, name=series.name), changed, secret_types


def redact_frame(df: Any, settings: Settings | None = None,
                 subject: str | None = None) -> tuple[Any, Report]:
    """A masked copy of ``df`` and a report of what was masked (the input is not changed).

    A dask DataFrame gives a dask DataFrame: the columns are typed on the PII check's sample
    (drawn across partitions) and every partition is masked the same way (docs/dask.md).

    Returns
    -------
    (DataFrame, Report)
        The copy, and a ``pii``-check report: the PII check's column findings, one
        ``SECRET-*`` finding per column holding credentials, and ``metrics["masked_cells"]``
        per column.
    """
    import pandas as pd

    from .._dask import engine_of
    from .frame import scan_pii

    if engine_of(df) == "dask":
        from .._dask.redact import redact_dask

        return redact_dask(df, settings=settings or Settings.load(), subject=subject)
    if not isinstance(df, pd.DataFrame):
        raise MLSecUsageError(NOT_A_FRAME.format(kind=type(df).__name__))
    settings = settings or Settings.load()
    started = time.process_time()
    pii_report = scan_pii(df, settings=settings, subject=subject)
    typed = masking_plan(pii_report)
    masked, counts, secret_types = mask_frame(df, typed, settings)
    report = masked_report(pii_report, counts, secret_types, subject,
                           time.process_time() - started)
    return masked, report


def masking_plan(pii_report: Report) -> dict[str, str]:
    """From the PII check's findings: the entity of each column masked whole."""
    typed: dict[str, str] = {}
    for finding in pii_report.findings:
        column = str(finding.location.column)
        if finding.rule != "PII-FREE-TEXT" and column not in typed:
            typed[column] = str(finding.evidence.get("entity"))
    return typed


def mask_frame(df: Any, typed: dict[str, str], settings: Settings
               ) -> tuple[Any, dict[str, int], dict[str, set[str]]]:
    """``df`` masked by the plan: the copy, masked cells and credential types per column.

    Typed columns are masked whole; every other text value has its credentials and personal
    data spliced out.

    Row by row, so the dask engine runs it on each partition and adds the counts up.
    """
    import pandas as pd

    from .mask import mask

    masked = df.copy()
    counts: dict[str, int] = {}
    secrets: dict[str, set[str]] = {}
    for position, name in enumerate(df.columns):
        column = str(name)
        series = df.iloc[:, position]
        is_text = series.dtype == object or pd.api.types.is_string_dtype(series)
        if column in typed:
            present = series.notna()
            entity = typed[column]
            new = series.astype("object").where(~present, series[present].astype(str).map(
                lambda value, e=entity: mask(value, e)))
            masked.isetitem(position, new)
            counts[column] = int(present.sum())
        elif is_text:
            updated, changed, secret_types = _redact_texts(series, settings, with_pii=True)
            if changed:
                masked.isetitem(position, updated)
                counts[column] = changed
            if secret_types:
                secrets[column] = secret_types
    return masked, counts, secrets


def masked_report(pii_report: Report, counts: dict[str, int], secrets: dict[str, set[str]],
                  subject: str | None, elapsed: float) -> Report:
    """The redaction report: the PII findings, one SECRET-* finding per column and type."""
    findings = list(pii_report.findings)
    for column, types in secrets.items():
        for type_ in sorted(types):
            findings.append(rule_for(type_).finding(
                f"column {column!r} holds {rule_for(type_).title.lower()} values",
                Location(column=column), {"type": type_}))
    metrics = {
        "masked_cells": counts,
        "tables": [{"title": "Masked cells by column", "columns": ["column", "masked cells"],
                    "rows": [[c, n] for c, n in counts.items()]}] if counts else [],
    }
    return Report(check=CHECK, subject=subject or "DataFrame", findings=findings,
                  metrics=metrics, skipped=list(pii_report.skipped), elapsed_s=elapsed)
