"""Backward slice: the cells that produced a variable, from the names they defined and used.

Walks the cell records of the session that last touched the variable, newest first, keeping a
set of wanted names (at first just the variable). A cell that defines or changes a wanted name
is in the slice, and the names it used become wanted too. A plain assignment kills the older
definitions of that name (unless the cell also reads it, as in ``x = x + 1``); an in-place
change (``model.fit(X, y)``, ``df["c"] = ...``) or a cell that failed half-way does not, so the
cells before it that built the object stay in the slice. Cells of earlier kernel sessions are
not part of it: a restart empties the namespace.

Data fingerprints and files come along inside the returned cell records, which is what a model
card's "how was this model made" section needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def backward_slice(records: Iterable[dict[str, Any]], variable: str) -> list[dict[str, Any]]:
    """Cell records that produced ``variable``, oldest first; empty when none touched it.

    Parameters
    ----------
    records
        Lineage records in file order (``read_records(path)``); non-cell records are ignored.
    variable
        The name in the user namespace, e.g. the fitted model.
    """
    cells = [r for r in records if r.get("kind") == "cell"]
    last_touch = next((c for c in reversed(cells) if variable in _written(c)), None)
    if last_touch is None:
        return []
    session = last_touch.get("session")
    cells = [c for c in cells if c.get("session") == session]
    end = max(i for i, c in enumerate(cells) if c is last_touch)
    wanted = {variable}
    chosen: list[dict[str, Any]] = []
    for cell in reversed(cells[:end + 1]):
        written = _written(cell) & wanted
        if not written:
            continue
        chosen.append(cell)
        names = cell.get("names") or {}
        used = set(names.get("used") or ())
        if _succeeded(cell):
            wanted -= (set(names.get("defined") or ()) & written) - used
        wanted |= used
    return list(reversed(chosen))


def _written(cell: dict[str, Any]) -> set[str]:
    """Names the cell bound, changed in place, or whose data fingerprint moved."""
    names = cell.get("names") or {}
    written = set(names.get("defined") or ()) | set(names.get("mutated") or ())
    written |= {d["name"] for d in cell.get("data") or ()
                if d.get("change") in ("created", "changed")}
    return written


def _succeeded(cell: dict[str, Any]) -> bool:
    return (cell.get("outcome") or {}).get("status") == "ok"
