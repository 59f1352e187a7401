"""Suggestions ("did you mean ...?") for a misspelt variable or column name in any error.

One helper for the magics, the CLI and the checks, so ``%mlsec bias y y_prd`` and
``check_leakage(..., target="lable")`` answer the same way. It lives in ``core`` because the
column errors are raised inside the checks (which must not import the front ends).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
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
    return _closest(str(name), [(str(c), str(c)) for c in candidates], limit)


def _closest(name: str, candidates: list[tuple[str, str]], limit: int) -> list[str]:
    """``(compared text, shown text)`` candidates closest to ``name``, best first.

    Only those about as close as the best are kept (``MARGIN``): ``approved`` for ``aproved``,
    not ``pred`` as well.
    """
    wanted = name.lower()
    shown: dict[str, list[str]] = {}
    for compared, text in candidates:
        if text not in shown.setdefault(compared.lower(), []):
            shown[compared.lower()].append(text)
    exact = [t for t in shown.get(wanted, []) if t != name]
    if exact:
        return exact[:limit]
    import difflib  # only when a name is missing: a clean run never pays for it

    near = [key for key in difflib.get_close_matches(wanted, list(shown), n=limit,
                                                     cutoff=CUTOFF) if key != wanted]
    if not near:
        return []
    scores = {key: difflib.SequenceMatcher(None, wanted, key).ratio() for key in near}
    best = max(scores.values())
    return [t for key in near if scores[key] >= best - MARGIN for t in shown[key]][:limit]


def did_you_mean(name: str, candidates: Iterable[Any]) -> str:
    """``"; did you mean 'age'?"`` (or ``'a' or 'b'``), empty when nothing is close.

    Meant to be appended to an error message that already says what was not found.
    """
    return _phrase(close_names(name, candidates))


def _phrase(found: list[str]) -> str:
    if not found:
        return ""
    return "; did you mean " + " or ".join(repr(text) for text in found[:MAX_SUGGESTIONS]) + "?"


def user_variables(namespace: Mapping[str, Any]) -> list[str]:
    """The notebook's own variable names: no ``_`` names, IPython's ``In``/``Out``, modules."""
    import types

    return [name for name, value in namespace.items()
            if isinstance(name, str) and not name.startswith("_") and name not in _SHELL_NAMES
            and not isinstance(value, types.ModuleType)]


def did_you_mean_variable_or_file(token: str, namespace: Mapping[str, Any]) -> str:
    """The hint for a token that is neither a variable nor a file: close variables and files
    beside where it points (a file compared by its name, shown as the user wrote the folder)."""
    path = Path(os.path.expanduser(token))
    folder_part = os.path.dirname(token)
    prefix = folder_part + os.sep if folder_part else ""
    candidates = [(name, name) for name in user_variables(namespace)]
    candidates += [(name, prefix + name) for name in _entries(path.parent)]
    return _phrase(_closest(path.name if folder_part else token, candidates,
                            MAX_SUGGESTIONS))


def _entries(folder: Path, limit: int = 1000) -> list[str]:
    """Names in ``folder`` (at most ``limit``, read in directory order); none if unreadable."""
    try:
        with os.scandir(folder) as entries:
            return [entry.name for _, entry in zip(range(limit), entries, strict=False)]
    except OSError:
        return []


def require_file(path: str | os.PathLike[str], message: str = "{path} does not exist") -> None:
    """Raise ``MLSecInputError(message + hint)`` when ``path`` is no file (CLI data inputs)."""
    if not os.path.isfile(path):
        from .errors import MLSecInputError

        raise MLSecInputError(message.format(path=path)
                              + did_you_mean_variable_or_file(os.fspath(path), {}))


def require_variable(namespace: Mapping[str, Any], name: str) -> Any:
    """The value of ``name`` in the notebook's ``namespace``; ``MLSecInputError`` naming it,
    with the closest variable names, when there is no such variable (magic arguments)."""
    if name not in namespace:
        from .errors import MLSecInputError

        raise MLSecInputError(f"{name!r} is not a variable of this notebook"
                              + did_you_mean(name, user_variables(namespace)))
    return namespace[name]
