"""Masked copies of dask frames: typed on the PII sample, masked partition by partition.

The PII check decides, on its sample drawn across partitions (``pii.py``), which columns hold
which entity and which are free text; that plan then masks every partition the way the pandas
path masks the whole frame (``pii.redaction.mask_frame``), and the partitions' masked-cell
counts and credential types add up to the pandas report. ``mlsec redact --engine dask`` writes
each masked partition to its own file from the worker that masked it, so no more than one
partition per worker is ever in memory.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .frames import parts_of

LABEL = "redact (dask)"


def _plain_text(masked: Any, columns: list[Any]) -> Any:
    """Text columns as Python objects in every partition (a masked column is object dtype;
    an unmasked partition must not keep its arrow strings, or the parts' schemas differ)."""
    for name in columns:
        masked[name] = masked[name].astype("object")
    return masked


def _text_columns(meta: Any, typed: dict[str, str]) -> list[Any]:
    import pandas as pd

    return [name for name in meta.columns if str(name) in typed or meta[name].dtype == object
            or pd.api.types.is_string_dtype(meta[name])]


def _mask(part: Any, typed: dict[str, str], settings: Any,
          columns: list[Any]) -> Any:
    from ..pii.redaction import mask_frame

    return _plain_text(mask_frame(part, typed, settings)[0], columns)


def _mask_and_count(part: Any, typed: dict[str, str], settings: Any,
                    columns: list[Any], target: str | None, kind: str
                    ) -> tuple[dict[str, int], dict[str, set[str]], int]:
    """Mask one partition; write it to ``target`` when given; its counts and secret types."""
    from ..pii.redaction import mask_frame

    masked, counts, secrets = mask_frame(part, typed, settings)
    if target is not None:
        masked = _plain_text(masked, columns)
        if kind == "parquet":
            masked.to_parquet(target, index=False)
        else:
            masked.to_csv(target, index=False)
    return counts, secrets, len(part)


def redact_dask(df: Any, settings: Any, subject: str | None = None,
                write_to: Path | None = None, kind: str = "parquet") -> tuple[Any, Any]:
    """``redact_frame`` of a dask frame: the masked dask frame (lazy; None when written to
    ``write_to``, a folder of one ``part-NNNNN`` file per partition) and the report."""
    import dask

    from ..pii.frame import scan_pii
    from ..pii.redaction import masked_report, masking_plan
    from .run import run_parts

    started = time.process_time()
    pii_report = scan_pii(df, settings=settings, subject=subject)
    typed = masking_plan(pii_report)
    columns = _text_columns(df._meta, typed)
    parts = parts_of(df)
    targets: list[str | None] = [None] * len(parts)
    if write_to is not None:
        write_to.mkdir(parents=True, exist_ok=True)
        suffix = ".parquet" if kind == "parquet" else ".csv"
        targets = [str(write_to / f"part-{i:05d}{suffix}") for i in range(len(parts))]
    done = run_parts([dask.delayed(_mask_and_count)(part, typed, settings, columns,
                                                    target, kind)
                      for part, target in zip(parts, targets, strict=True)],
                     f"{LABEL}: masking partitions")
    counts: dict[str, int] = {}
    secrets: dict[str, set[str]] = {}
    for part_counts, part_secrets, _ in done:
        for column, count in part_counts.items():
            counts[column] = counts.get(column, 0) + count
        for column, types in part_secrets.items():
            secrets.setdefault(column, set()).update(types)
    order = [str(name) for name in df.columns]
    counts = {c: counts[c] for c in order if c in counts}
    secrets = {c: secrets[c] for c in order if c in secrets}
    report = masked_report(pii_report, counts, secrets, subject,
                           time.process_time() - started)
    report.metrics["data_engine"] = dict(pii_report.metrics.get("data_engine", {}),
                                         partitions_masked=len(done))
    if write_to is not None:
        return None, report
    meta = _mask(df._meta, typed, settings, columns)
    masked = df.map_partitions(_mask, typed, settings, columns, meta=meta)
    return masked, report
