"""Mark the notebook outputs this product writes, so the notebook scan can tell them apart.

A report shown in a notebook quotes what it found (masked), names rules and columns, and prints
numbers; scanned again as notebook content it would produce findings about itself, and each run
would add more. Every output the front ends display carries ``metadata["mlsecops_jupyter"]``
with a digest of the output's data; the scan skips an output only when that digest still matches,
so a marked output that someone edited afterwards (or a copied marker) is scanned like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OUTPUT_METADATA_KEY = "mlsecops_jupyter"

__all__ = ["OUTPUT_METADATA_KEY", "data_digest", "is_report_output", "report_output_metadata"]


def _normalised(value: Any) -> Any:
    """nbformat stores multi-line strings as lists of lines; join them back before hashing."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "".join(value)
    return value


def data_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of an output's mimebundle, independent of how nbformat split its strings."""
    canonical = {str(mime): _normalised(value) for mime, value in data.items()}
    import hashlib  # on first use: a model scan from the CLI never marks an output
    import json

    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_output_metadata(check: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``metadata`` to display ``data`` with: which check wrote it and a digest of it."""
    return {OUTPUT_METADATA_KEY: {"check": check, "digest": data_digest(data)}}


def is_report_output(output: Mapping[str, Any]) -> bool:
    """True for an unedited output our front ends wrote (``display_data``/``execute_result``)."""
    metadata = output.get("metadata")
    if not isinstance(metadata, Mapping):
        return False
    marker = metadata.get(OUTPUT_METADATA_KEY)
    data = output.get("data")
    if not isinstance(marker, Mapping) or not isinstance(data, Mapping):
        return False
    return marker.get("digest") == data_digest(data)
