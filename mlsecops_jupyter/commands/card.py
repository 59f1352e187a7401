"""``%mlsec card [MODEL]`` and ``mlsec card LINEAGE_FILE``: export a model card and an ML-BOM.

In the kernel the live model object is at hand: its class and ``get_params()`` are recorded in
the lineage log (a ``card`` check record), and the statements given (intended use, out-of-scope
use, limitations, ethical considerations, version) are recorded before it as a
``card-statements`` record (``lineage/statements.py``). The card is then built from the log
alone, so any card rebuilt later from the file -- the sidebar's "Export card", ``mlsec card``
in CI -- says the same. ``model_card.md``, ``model_card.html``, ``model_card.json`` and
``mlbom.cdx.json`` are written to ``--out`` (default ``model_card/`` in the working directory,
i.e. beside the notebook).

Without a model named, both use the model the last ``%mlsec card`` named (else the last
estimator a cell bound) and say so in their first line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..card.export import DEFAULT_OUT
from ..core.errors import MLSecInputError
from ..core.report import Report
from ..core.suggest import require_variable
from ..lineage.records import CheckedRecords
from . import Session
from ._parser import CommandParser

CHECK = "card"
MAGIC_FORMATS = ("text", "html", "json")


def _add_card_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path(DEFAULT_OUT),
                        help=f"folder for the four files (default: {DEFAULT_OUT}/)")
    parser.add_argument("--intended-use", metavar="TEXT", help="what the model is for")
    parser.add_argument("--out-of-scope", metavar="TEXT",
                        help="uses the model is not meant or fit for")
    parser.add_argument("--limitations", metavar="TEXT", help="known limitations, in words")
    parser.add_argument("--ethical-considerations", metavar="TEXT",
                        help="ethical considerations, in words")
    parser.add_argument("--model-version", metavar="VERSION", help="the model's version")
    parser.add_argument("--model-file", metavar="PATH", type=Path,
                        help="the saved model file (SHA-256 and scan result); by default the "
                        "files the lineage saw the model written to")


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Write the model card (Markdown with YAML front matter, HTML, JSON) and the "
        "CycloneDX 1.6 ML-BOM of a model variable, from this notebook's lineage log and the "
        "checks run. Sections without evidence say so.",
    )
    parser.add_argument("model", metavar="MODEL_VAR", nargs="?",
                        help="the variable holding the model (default: the one the last "
                        "%%mlsec card named, else the last estimator a cell bound)")
    _add_card_options(parser)
    parser.add_argument("--file", metavar="FILE", type=Path,
                        help="read this lineage file instead of this notebook's")
    parser.add_argument("--format", choices=MAGIC_FORMATS, default="text",
                        help="how to show the summary (default: text)")
    return parser


def run(session: Session, args: argparse.Namespace) -> Any:
    from ..card import build_card, describe_estimator, write_card_files
    from ..lineage.statements import statements_report

    namespace = session.user_namespace()
    recorder = getattr(session, "recorder", None)
    note = ""
    model = args.model
    if model is None:
        model, why = _chosen_model(_records(recorder, args.file))
        note = f"no MODEL_VAR given: using {model}, {why}"
    else:
        require_variable(namespace, model)
    estimator = describe_estimator(namespace[model]) if model in namespace else None
    statements = _statements(args)
    # the card's inputs go into the log first, so the head the card quotes covers them and
    # every later export of the log carries the same statements
    stated = statements_report(model, statements)
    if stated is not None:
        session.record(stated)
    session.record(Report(check=CHECK, subject=model, metrics={
        **({"estimator": estimator} if estimator is not None else {}), "out": str(args.out)}))
    card = build_card(_records(recorder, args.file), model, estimator=estimator,
                      model_file=_model_file(args.model_file), **statements)
    files = write_card_files(card, args.out, note=note)
    return session.present(files, output_format=args.format)


def _records(recorder: Any, file: Path | None) -> CheckedRecords:
    """The log's records, checked: malformed ones are left out (the card names them)."""
    from ..lineage.records import check_records, read_checked
    from .lineage import lineage_file

    if recorder is None and file is None:
        return check_records([])
    return read_checked(lineage_file(recorder, file))


def _chosen_model(records: CheckedRecords) -> tuple[str, str]:
    from ..lineage.statements import default_model

    return default_model(records.records)


def _statements(args: argparse.Namespace) -> dict[str, Any]:
    return {"intended_use": args.intended_use, "out_of_scope": args.out_of_scope,
            "limitations": args.limitations,
            "ethical_considerations": args.ethical_considerations,
            "model_version": args.model_version}


def _model_file(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from ..lineage.fingerprint import file_fingerprint

    entry = file_fingerprint(path)
    if not entry.get("exists"):
        raise MLSecInputError(f"no such model file: {path}")
    return {"path": str(path), "sha256": entry.get("sha256"), "size": entry.get("size"),
            "via": "--model-file"}


# -- mlsec card (CLI) ----------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Write the model card and CycloneDX 1.6 ML-BOM of a model from a lineage "
        "file. The chain is verified first: a broken chain exits 1 and writes nothing.",
    )
    parser.add_argument("file", type=Path, metavar="LINEAGE_FILE", help="a .lineage.jsonl file")
    parser.add_argument("--model", metavar="VAR",
                        help="the model variable (default: the one the last %%mlsec card "
                        "named, else the last estimator a cell bound; the first line says which)")
    _add_card_options(parser)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    from ..card import build_card, write_card_files
    from ..lineage import verify
    from ..lineage.records import read_checked
    from .lineage import unreadable

    problem = unreadable(args.file)
    if problem:
        raise MLSecInputError(problem)
    result = verify(args.file)
    if not result.ok:
        print(f"mlsec: {args.file}: chain BROKEN at record {result.first_bad}: "
              f"{' '.join(result.reason.split())}; no card written", file=sys.stderr)
        return 1
    records = read_checked(args.file)
    if records.skipped:
        print(f"mlsec: warning: {records.warning()}", file=sys.stderr)
    model, note = args.model, ""
    if model is None:
        model, why = _chosen_model(records)
        note = f"no --model given: using {model}, {why}"
    card = build_card(records, model, model_file=_model_file(args.model_file),
                      **_statements(args))
    files = write_card_files(card, args.out, note=note)
    print(files.summary())
    return 0
