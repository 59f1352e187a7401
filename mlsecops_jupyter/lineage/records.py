"""The typed view of lineage records every reader uses: a record of the wrong shape is skipped.

Why: the hash chain proves that records were not changed after they were written, not that
they were written by this package. Anyone who can write the file can append a record with a
recomputed hash (``signing.py`` is the answer to *that*), and a record that parses and chains
can still hold a ``report`` that is a list, a finding whose ``location`` is a number or a time
that is not a string. Every reader (the model card and ML-BOM, the sidebar's overview, ``mlsec
lineage show``, ``%mlsec lineage``) walks records with ``.get``; each would need its own guard
at every step. Instead the records are checked once, here, against the shapes below, before
any reader sees them: a record that does not fit is left out and named (its ``seq``, its kind
and the first member that is wrong), and the reader states that in its output. The good records
are all kept.

The shapes follow ``mlsecops-lineage-1.schema.json`` (the contract) for the members readers
use, plus the ``mlsecops-report/1`` report inside ``check`` records. They check *types*, not
presence: logs written by older versions lack members that are required today, and readers
already treat an absent member as empty. Free-form values (a check's ``metrics``, a finding's
``evidence``, an estimator's ``params``) must be objects and are bounded in depth; their inner
layout belongs to the check that wrote them, and readers check it where they use it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .schema import RECORD_KINDS

__all__ = ["CheckedRecords", "SkippedRecord", "check_records", "read_checked",
           "record_shape_problem"]

# free-form values deeper than this are refused: rendering them recurses
MAX_FREE_DEPTH = 64
MAX_LISTED = 3  # skipped records named in a one-line warning


@dataclass(frozen=True)
class _Scalar:
    name: str
    types: tuple[type, ...]

    def fits(self, value: Any) -> bool:
        return isinstance(value, self.types) and not (
            isinstance(value, bool) and bool not in self.types)


@dataclass(frozen=True)
class _Object:
    members: Mapping[str, Shape] = field(default_factory=dict)


@dataclass(frozen=True)
class _ListOf:
    item: Shape


@dataclass(frozen=True)
class _MapOf:
    value: Shape


@dataclass(frozen=True)
class _Either:
    options: tuple[Shape, ...]


@dataclass(frozen=True)
class _Free:
    """Any JSON value, bounded in depth (``container`` restricts the top level)."""

    container: type | None = None


Shape = _Scalar | _Object | _ListOf | _MapOf | _Either | _Free

STR = _Scalar("a string", (str,))
INT = _Scalar("an integer", (int,))
NUM = _Scalar("a number", (int, float))
BOOL = _Scalar("true or false", (bool,))
NULL = _Scalar("null", (type(None),))
SCALAR = _Scalar("a string, number, true/false or null", (str, int, float, bool, type(None)))
FREE_OBJECT = _Free(dict)
FREE = _Free()


def _or_null(shape: Shape) -> _Either:
    return _Either((shape, NULL))


NAMES = _ListOf(STR)
CELL_REF = _Object({"id": _or_null(STR), "id_source": STR, "execution_count": _or_null(INT),
                    "notebook": _or_null(STR)})
LOCATION = _Object({"file": _or_null(STR), "member": _or_null(STR), "offset": _or_null(INT),
                    "cell": _or_null(INT), "output": _or_null(INT), "line": _or_null(INT),
                    "column": _Either((STR, INT, NULL)), "origin": _or_null(STR)})
FINDING = _Object({"rule": STR, "severity": STR, "title": STR, "detail": STR,
                   "location": LOCATION, "evidence": FREE_OBJECT, "remediation": STR,
                   "accepted": _or_null(STR)})
REPORT = _Object({"schema": STR, "check": _or_null(STR), "subject": _or_null(STR),
                  "tool_version": STR, "findings": _ListOf(FINDING), "metrics": FREE_OBJECT,
                  "skipped": _ListOf(_Object({"what": STR, "why": STR})),
                  "elapsed_s": NUM})
FINGERPRINT = _Object({"name": STR, "change": STR, "kind": STR, "shape": _ListOf(INT),
                       "columns": _ListOf(SCALAR), "columns_listed": INT,
                       "dtypes": _ListOf(STR), "content_sha256": STR, "rows_total": INT,
                       "rows_hashed": INT, "sample": STR, "error": STR})
FILE = _Object({"via": STR, "mode": STR, "path": _or_null(STR), "variable": STR,
                "expression": STR, "exists": _or_null(BOOL), "size": _or_null(INT),
                "sha256": _or_null(STR), "skipped": STR})
MODEL = _Object({"name": STR, "class": STR, "params": FREE_OBJECT, "params_total": INT,
                 "fitted": _or_null(BOOL)})
PACKAGES = _MapOf(STR)

# what every record may carry, then what each kind adds
COMMON: dict[str, Shape] = {"kind": STR, "time": STR, "session": _or_null(STR),
                            "prev": STR, "origin": _or_null(STR)}
KIND_SHAPES: dict[str, dict[str, Shape]] = {
    "session": {
        "notebook": _or_null(STR), "settings": FREE_OBJECT,
        "env": _Object({"python": STR, "implementation": STR, "platform": STR, "machine": STR,
                        "executable": STR, "pid": INT, "tool_version": STR,
                        "notebook": _or_null(STR), "packages": PACKAGES}),
    },
    "cell": {
        "cell": CELL_REF,
        "code": _Object({"sha256": STR, "sha256_of": STR, "source": STR, "chars": INT,
                         "truncated": BOOL,
                         "redactions": _ListOf(_Object({"kind": STR, "count": INT}))}),
        "names": _Object({"defined": NAMES, "used": NAMES, "mutated": NAMES, "deleted": NAMES,
                          "magics": NAMES, "star_import": BOOL,
                          "parse_error": _or_null(STR)}),
        "timing": _Object({"start": STR, "duration_ms": NUM}),
        "outcome": _Object({"status": STR,
                            "error": _or_null(_Object({"type": STR, "message": STR}))}),
        "data": _ListOf(FINGERPRINT),
        "files": _ListOf(FILE),
        "models": _ListOf(MODEL),
        "packages": PACKAGES,
    },
    "check": {
        "cell": CELL_REF,
        "summary": _Object({"check": _or_null(STR), "subject": _or_null(STR),
                            "findings": INT, "by_severity": _MapOf(INT),
                            "max_severity": _or_null(STR)}),
        "report": REPORT,
    },
    "recovery": {
        "torn": _Object({"offset": INT, "length": INT, "sha256": STR}),
        "reason": STR,
    },
    "signature": {
        "alg": STR, "key_id": STR, "signed": _Object({"seq": INT, "head": STR}), "mac": STR,
    },
}


def _kind_of(value: Any) -> str:
    """The JSON name of ``value``'s type, as a user would read it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _wanted(shape: Shape) -> str:
    if isinstance(shape, _Scalar):
        return shape.name
    if isinstance(shape, _Object) or (isinstance(shape, _Free) and shape.container is dict):
        return "an object"
    if isinstance(shape, _MapOf):
        return "an object"
    if isinstance(shape, _ListOf):
        return "a list"
    if isinstance(shape, _Either):
        return " or ".join(_wanted(option) for option in shape.options)
    return "a JSON value"


def _too_deep(value: Any, limit: int) -> bool:
    """True when ``value`` nests deeper than ``limit`` (iteratively: no recursion to exhaust)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _problem(value: Any, shape: Shape, where: str) -> str:
    """The first place where ``value`` does not fit ``shape``, in words; ``""`` when it fits."""
    if isinstance(shape, _Scalar):
        return "" if shape.fits(value) else f"{where} is {_kind_of(value)}, not {shape.name}"
    if isinstance(shape, _Either):
        if any(not _problem(value, option, where) for option in shape.options):
            return ""
        # name the deepest problem of the option of the same container type, if any
        for option in shape.options:
            if not isinstance(option, _Scalar):
                inner = _problem(value, option, where)
                if not inner.startswith(f"{where} is "):
                    return inner
        return f"{where} is {_kind_of(value)}, not {_wanted(shape)}"
    if isinstance(shape, _Free):
        if shape.container is not None and not isinstance(value, shape.container):
            return f"{where} is {_kind_of(value)}, not {_wanted(shape)}"
        return f"{where} is nested too deeply" if _too_deep(value, MAX_FREE_DEPTH) else ""
    if isinstance(shape, _ListOf):
        if not isinstance(value, list):
            return f"{where} is {_kind_of(value)}, not a list"
        for index, item in enumerate(value):
            problem = _problem(item, shape.item, f"{where}[{index}]")
            if problem:
                return problem
        return ""
    if not isinstance(value, dict):
        return f"{where} is {_kind_of(value)}, not an object"
    if isinstance(shape, _MapOf):
        for key, item in value.items():
            problem = _problem(item, shape.value, f"{where}.{key}")
            if problem:
                return problem
        return ""
    for key, member in shape.members.items():
        if key in value:
            problem = _problem(value[key], member, f"{where}.{key}")
            if problem:
                return problem
    return ""


def record_shape_problem(record: Mapping[str, Any]) -> str:
    """Why ``record`` (parsed, with a valid ``seq`` and ``hash``) has a shape readers cannot
    use, in a few words naming the member (``report.findings[0].location is a number, not an
    object``); ``""`` when it fits."""
    kind = record.get("kind")
    if kind not in RECORD_KINDS:
        return f"kind is {kind!r}, not one of {', '.join(RECORD_KINDS)}"
    for members in (COMMON, KIND_SHAPES[str(kind)]):
        for key, shape in members.items():
            if key in record:
                problem = _problem(record[key], shape, key)
                if problem:
                    return problem
    return ""


@dataclass(frozen=True)
class SkippedRecord:
    """A record left out of every view: where it is and what is wrong with it."""

    seq: Any
    kind: Any
    problem: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "problem": self.problem}


@dataclass(frozen=True)
class CheckedRecords:
    """Records a reader can use, in file order, and the ones it must not (with why)."""

    records: list[dict[str, Any]]
    skipped: list[SkippedRecord]
    total: int = 0  # every record read, skipped ones included
    last: dict[str, Any] | None = None  # the chain's last record (its hash is the head)

    def warning(self) -> str:
        """One line naming the skipped records; ``""`` when none was."""
        if not self.skipped:
            return ""
        named = "; ".join(f"seq {s.seq} ({s.problem})" for s in self.skipped[:MAX_LISTED])
        more = len(self.skipped) - MAX_LISTED
        return (f"skipped {len(self.skipped)} malformed lineage record(s) (their chain is "
                f"intact, their content is not what this package writes): {named}"
                + (f"; and {more} more" if more > 0 else ""))


def check_records(records: Iterable[dict[str, Any]] | CheckedRecords) -> CheckedRecords:
    """Split parsed records into the ones readers can use and the ones they skip.

    Records already checked are returned as they are, so a front end that checked them (to
    choose a model) and the builder it hands them to agree without checking twice.
    """
    if isinstance(records, CheckedRecords):
        return records
    good: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    total, last = 0, None
    for record in records:
        total, last = total + 1, record
        problem = record_shape_problem(record)
        if problem:
            skipped.append(SkippedRecord(record.get("seq"), record.get("kind"),
                                         " ".join(problem.split())[:200]))
        else:
            good.append(record)
    return CheckedRecords(good, skipped, total, last)


def read_checked(path: str | os.PathLike[str]) -> CheckedRecords:
    """``read_records(path)``, checked: what every display and export of a log reads."""
    from .store import read_records

    return check_records(read_records(path))
