"""Secrets redaction of cell sources (and error messages) before they reach the lineage file.

The lineage log is meant to be shared with reviewers and auditors, so a key pasted into a cell
must not travel with it. The code's SHA-256 is taken from the *original* text (so a record still
matches its notebook cell); only the stored copy is redacted.

What counts as a credential is the secrets scanner's decision (``checks/pii/secrets.py``, the
``SECRET-*`` rules of ``%mlsec notebook``): the log and the notebook scan agree on it, and each
credential is replaced by the same ``[REDACTED:<TYPE>]`` label ``mlsec redact`` writes. The
scanner is imported on the first call, so ``%load_ext`` does not pay for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Redaction:
    """The redacted text and what was taken out of it (types and counts, never the values)."""

    text: str
    counts: dict[str, int]

    def to_list(self) -> list[dict[str, object]]:
        return [{"kind": kind, "count": count} for kind, count in sorted(self.counts.items())]


def redact(text: str, context: Literal["code", "text"] = "code") -> Redaction:
    """``text`` with every credential replaced by ``[REDACTED:<TYPE>]``.

    ``context="text"`` (error messages) also reads ``password: value`` prose.
    """
    from ..checks.pii.redaction import splice
    from ..checks.pii.secrets import find_secrets

    spans = find_secrets(text, context=context)
    if not spans:
        return Redaction(text, {})
    counts = Counter(span.type for span in spans)
    return Redaction(splice(text, [(s.start, s.end, s.type) for s in spans]), dict(counts))
