"""Card statements: what only a person can say about a model, kept in its lineage log.

Intended use, out-of-scope use, limitations, ethical considerations and the model's version
cannot be measured; the author states them with ``%mlsec card MODEL --intended-use ...``. They
must read the same in every export of the card -- the magic's files, the sidebar's "Export
card" and ``mlsec card FILE`` run in CI long after the kernel is gone -- so they live in the
lineage log, the one source all three read, not in the magic's arguments.

The record: a ``check`` record whose report is ``check = "card-statements"``, ``subject`` the
model variable, ``metrics.statements`` a mapping of the keys in ``STATEMENT_KEYS`` to text. It
is appended through the recorder's public ``record_check``, so it is chained, redaction and
schema rules apply as to any record, and logs written before it existed still read. Several
records accumulate: for each key the newest non-empty statement about the model wins, so
``%mlsec card clf --limitations "..."`` later does not erase an intended use stated earlier.

Also here, because the sidebar and the CLI both need it without a kernel: which models a log
knows (``card_models``) and which one an export uses when none is named (``default_model``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..core.errors import MLSecInputError
from ..core.report import Report

STATEMENTS_CHECK = "card-statements"
CARD_CHECK = "card"
# key -> the magic's / CLI's option (documentation and error messages name the option)
STATEMENT_KEYS: dict[str, str] = {
    "intended_use": "--intended-use",
    "out_of_scope": "--out-of-scope",
    "limitations": "--limitations",
    "ethical_considerations": "--ethical-considerations",
    "model_version": "--model-version",
}
MAX_STATEMENT_CHARS = 20_000
TOO_LONG = ("{option} is {length} characters long; a card statement holds at most "
            f"{MAX_STATEMENT_CHARS} (link a document for more)")
NO_MODEL = ("no model named and none known: the lineage log holds no %mlsec card record and "
            "no fitted estimator; name one (%mlsec card MODEL_VAR, mlsec card --model VAR)")
# why a model was chosen when none was named (shown to the user)
CHOSEN_BY_CARD = "the model the last %mlsec card named"
CHOSEN_BY_CELL = "the last estimator the lineage log saw a cell bind"


def clean_statements(statements: Mapping[str, str | None]) -> dict[str, str]:
    """The non-empty statements, stripped, in ``STATEMENT_KEYS`` order; too long is an error.

    Raises
    ------
    MLSecInputError
        A statement longer than ``MAX_STATEMENT_CHARS`` (it would swell every record read).
    ValueError
        A key that is not a card statement (a programming error, not the user's).
    """
    unknown = set(statements) - set(STATEMENT_KEYS)
    if unknown:
        raise ValueError(f"not card statements: {sorted(unknown)}")
    cleaned: dict[str, str] = {}
    for key, option in STATEMENT_KEYS.items():
        value = statements.get(key)
        if value is None or not str(value).strip():
            continue
        text = str(value).strip()
        if len(text) > MAX_STATEMENT_CHARS:
            raise MLSecInputError(TOO_LONG.format(option=option, length=len(text)))
        cleaned[key] = text
    return cleaned


def statements_report(model: str | None, statements: Mapping[str, str | None]
                      ) -> Report | None:
    """The report to append for ``statements`` about ``model``; None when none was given."""
    cleaned = clean_statements(statements)
    if not cleaned:
        return None
    return Report(check=STATEMENTS_CHECK, subject=model or "", metrics={"statements": cleaned})


def _report(record: Mapping[str, Any]) -> dict[str, Any]:
    report = record.get("report") if record.get("kind") == "check" else None
    return report if isinstance(report, dict) else {}


def card_statements(records: Sequence[Mapping[str, Any]], model: str | None
                    ) -> dict[str, str]:
    """The statements about ``model`` the log holds: per key, the newest non-empty one.

    ``model`` None reads statements made without a model. ``card`` records of logs written
    before statements had their own record carried ``intended_use``/``out_of_scope`` in their
    metrics; those are read too, in log order with the rest.
    """
    subject = model or ""
    found: dict[str, str] = {}
    for record in records:
        report = _report(record)
        if str(report.get("subject") or "") != subject:
            continue
        metrics = report.get("metrics")
        if not isinstance(metrics, dict):
            continue
        if report.get("check") == STATEMENTS_CHECK:
            stated = metrics.get("statements")
        elif report.get("check") == CARD_CHECK:
            stated = metrics
        else:
            continue
        if not isinstance(stated, dict):
            continue
        for key in STATEMENT_KEYS:
            value = stated.get(key)
            if isinstance(value, str) and value.strip():
                found[key] = value.strip()
    return {key: found[key] for key in STATEMENT_KEYS if key in found}


def last_card_model(records: Sequence[Mapping[str, Any]]) -> str | None:
    """The model variable the last ``%mlsec card`` named, if any."""
    for record in reversed(records):
        report = _report(record)
        if report.get("check") == CARD_CHECK and report.get("subject"):
            return str(report["subject"])
    return None


def card_models(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every model a card could be made of: newest first, the last carded one leading.

    A model is a variable ``%mlsec card`` named or a cell bound to a fitted-or-not estimator
    (the recorder's ``models`` entries). Each entry: ``name``, ``class`` (or None), ``carded``
    (named by ``%mlsec card``), ``seq`` of the newest record that named it.
    """
    models: dict[str, dict[str, Any]] = {}
    for record in records:
        seq = record.get("seq")
        report = _report(record)
        if report.get("check") == CARD_CHECK and report.get("subject"):
            name = str(report["subject"])
            estimator = (report.get("metrics") or {}).get("estimator")
            entry = models.pop(name, {"name": name, "class": None, "carded": False})
            if isinstance(estimator, dict) and estimator.get("class"):
                entry["class"] = str(estimator["class"])
            models[name] = {**entry, "carded": True, "seq": seq}
        elif record.get("kind") == "cell":
            for model in record.get("models") or ():
                if isinstance(model, dict) and model.get("name"):
                    name = str(model["name"])
                    entry = models.pop(name, {"name": name, "class": None, "carded": False})
                    models[name] = {**entry, "class": str(model.get("class") or "") or entry[
                        "class"], "seq": seq}
    ordered = sorted(models.values(), key=lambda m: -(m["seq"] if isinstance(m["seq"], int)
                                                       else -1))
    leader = last_card_model(records)
    return sorted(ordered, key=lambda m: m["name"] != leader)


def default_model(records: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """The model an export uses when none is named, and why (a phrase for the user).

    The last model ``%mlsec card`` named; else the last estimator a cell bound.

    Raises
    ------
    MLSecInputError
        The log names no model at all.
    """
    carded = last_card_model(records)
    if carded:
        return carded, CHOSEN_BY_CARD
    models = card_models(records)
    if models:
        return str(models[0]["name"]), CHOSEN_BY_CELL
    raise MLSecInputError(NO_MODEL)
