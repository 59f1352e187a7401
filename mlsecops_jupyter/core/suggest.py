"""Suggestions ("did you mean ...?") for a misspelt variable or column name in any error.

One helper for the magics, the CLI and the checks, so ``%mlsec bias y y_prd`` and
``check_leakage(..., target="lable")`` answer the same way. It lives in ``core`` because the
column errors are raised inside the checks (which must not import the front ends).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

MAX_SUGGESTIONS = 3
CUTOFF = 0.6  # difflib's own default: close enough to be a typo, not a different word
MARGIN = 0.1  # suggest the runners-up only when they are about as close as the best
# what IPython puts in every user namespace: never worth suggesting
_SHELL_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython", "open"})


def close_names(name: str, candidates: Iterable[Any], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The candidates closest to ``name`` (as text), best first; case slips count as close.

    ``difflib.get_close_matches`` is case-sensitive, so ``Age`` for ``age`` would score low:
    names are compared lower-cased, and an exact case-insensitive match comes first.
    """
    texts = list(dict.fromkeys(str(c) for c in candidates))
    lowered: dict[str, list[str]] = {}
    for text in texts:
        lowered.setdefault(text.lower(), []).append(text)
    wanted = str(name).lower()
    exact = [t for t in lowered.get(wanted, []) if t != name]
    near = [key for key in difflib.get_close_matches(wanted, list(lowered), n=limit,
                                                     cutoff=CUTOFF) if key != wanted]
    if near:  # only the ones about as close as the best: 'approved', not also 'pred'
        scores = {key: difflib.SequenceMatcher(None, wanted, key).ratio() for key in near}
        best = max(scores.values())
        near = [key for key in near if scores[key] >= best - MARGIN]
    found = exact + [t for key in ([] if exact else near) for t in lowered[key]]
    return found[:limit]


def did_you_mean(name: str, candidates: Iterable[Any]) -> str:
    """``"; did you mean 'age'?"`` (or ``'a' or 'b'``), empty when nothing is close.

    Meant to be appended to an error message that already says what was not found.
    """
    found = close_names(name, candidates)
    if not found:
        return ""
    return "; did you mean " + " or ".join(repr(text) for text in found) + "?"


def user_variables(namespace: Mapping[str, Any]) -> list[str]:
    """The notebook's own variable names: no ``_`` names, IPython's ``In``/``Out``, modules."""
    import types

    return [name for name, value in namespace.items()
            if isinstance(name, str) and not name.startswith("_") and name not in _SHELL_NAMES
            and not isinstance(value, types.ModuleType)]
