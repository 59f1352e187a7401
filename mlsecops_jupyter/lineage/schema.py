"""The lineage record format ``mlsecops-lineage/1``: its name, kinds and shipped JSON Schema.

Every line of a lineage file is one record. The JSON Schema beside this module
(``mlsecops-lineage-1.schema.json``) is the contract other readers (the server, the sidebar, the
model card and ML-BOM exporters, auditors' own tools) rely on; tests validate real records
against it, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA = "mlsecops-lineage/1"
SCHEMA_FILE = Path(__file__).with_name("mlsecops-lineage-1.schema.json")

# ``prev`` of the first record: there is no previous record to hash.
GENESIS = "0" * 64

# What a record can describe. ``recovery`` names bytes left by a write that never finished
# (a kernel killed mid-write) or lines that are not records, so the chain can continue without
# trusting them; ``signature`` is a keyed MAC over the record before it (``signing.py``).
RECORD_KINDS = ("session", "cell", "check", "recovery", "signature")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema of one lineage record (draft 2020-12)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
