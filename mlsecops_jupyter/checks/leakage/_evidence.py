"""Values the leakage check quotes from the data, with personal data masked.

Findings show examples: shared entity ids, the index labels of duplicated rows, dates. An entity
column is often personal data itself (customers keyed by e-mail, patients by SSN), and a frame
may be indexed by one. Each quoted value goes through the pii check's own detectors (the same
prefilters, checksum validators and column-name context as ``%mlsec pii``) and is shown masked
(``j***@example.org``, ``***-**-6789``) when it validates; the other values quoted from the same
column are masked the same way, so one odd value cannot slip through unmasked. Free text is
scanned for spans (offline Presidio), since personal data sits inside sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from ..pii.frame import DETECTORS, _column_context
from ..pii.mask import mask

MASKED_KEY = "examples_masked"  # evidence key: the entity type the examples were masked as


@cache
def _pattern(prefilter: str) -> re.Pattern[str]:
    return re.compile(prefilter)


def value_entity(text: str, context: dict[str, bool]) -> str | None:
    """The entity type ``text`` validates as, with the column's context; None when none."""
    for detector in DETECTORS:
        has_context = context.get(detector.entity, False)
        if detector.needs_column_context and not has_context:
            continue
        if _pattern(detector.prefilter).fullmatch(text) and detector.validate(text,
                                                                              has_context):
            return detector.entity
    return None


def masked_values(values: Sequence[Any], column: Any) -> tuple[list[Any], str | None]:
    """``values`` quoted from ``column`` (or an index of that name), personal data masked.

    Returns the values to show and the entity type they were masked as (``None``: nothing was
    personal, the values are returned as they are, types kept).
    """
    texts = [None if value is None else str(value).strip() for value in values]
    context = _column_context("" if column is None else column)
    entities = [value_entity(text, context) if text else None for text in texts]
    found = [entity for entity in entities if entity]
    if not found:
        return list(values), None
    common = Counter(found).most_common(1)[0][0]
    shown = [mask(text, entity or common) if text else value
             for value, text, entity in zip(values, texts, entities, strict=True)]
    return shown, common


def masked_free_text(values: Sequence[Any]) -> tuple[list[Any], str | None]:
    """Sentences with the personal data inside them masked span by span (``find_pii``)."""
    from ..pii.text import find_pii

    shown: list[Any] = []
    kinds: Counter[str] = Counter()
    for value in values:
        text = str(value)
        spans = find_pii(text, context="text")
        for span in sorted(spans, key=lambda s: s.start, reverse=True):
            text = text[:span.start] + mask(text[span.start:span.end], span.entity) \
                + text[span.end:]
            kinds[span.entity] += 1
        shown.append(text)
    return shown, (kinds.most_common(1)[0][0] if kinds else None)


def masked_row_examples(examples: list[dict[str, Any]], train_index_name: Any,
                        test_index_name: Any) -> tuple[list[dict[str, Any]], str | None]:
    """``[{"test": label, "train": label}]`` with index labels that are personal data masked."""
    tests, test_kind = masked_values([e["test"] for e in examples], test_index_name)
    trains, train_kind = masked_values([e["train"] for e in examples], train_index_name)
    shown = [{"test": t, "train": r} for t, r in zip(tests, trains, strict=True)]
    return shown, test_kind or train_kind
