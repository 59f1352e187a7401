"""Lineage: every executed cell and every check, in a tamper-evident log per notebook.

``LineageRecorder`` hooks IPython's cell events (the ``%mlsec`` extension attaches it) and
appends ``mlsecops-lineage/1`` records to ``.mlsec/<notebook>.lineage.jsonl``; ``verify`` checks
the hash chain, ``read_records`` reads it back, ``backward_slice`` finds the cells that produced
a variable. Nothing here imports IPython.
"""

from __future__ import annotations

from .chain import VerifyResult, canonical_json, record_hash
from .recorder import LineageRecorder
from .schema import GENESIS, SCHEMA, load_schema
from .settings import LineageSettings
from .slice import backward_slice
from .store import LineageStore, lineage_path_for, read_records, verify

__all__ = [
    "GENESIS",
    "SCHEMA",
    "LineageRecorder",
    "LineageSettings",
    "LineageStore",
    "VerifyResult",
    "backward_slice",
    "canonical_json",
    "lineage_path_for",
    "load_schema",
    "read_records",
    "record_hash",
    "verify",
]
