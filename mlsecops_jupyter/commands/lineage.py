"""``%mlsec lineage`` and ``mlsec lineage verify|show FILE``: read the lineage log back.

The magic shows this session's timeline (cells, checks, findings, data fingerprints), the
backward slice of a model variable (``--model VAR``) or the chain status (``--verify``), as a
``LineageView`` it returns and displays once. The CLI verifies a file (exit 0 intact, 1 broken
with the first bad record's index and the reason on stdout, 2 unreadable) or prints it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from ..core.suggest import did_you_mean
from ..display.lineage import LineageView, shown_path
from . import Session
from ._parser import CommandParser

MAGIC_FORMATS = ("html", "widget", "text", "json")
CLI_ACTIONS = ("verify", "show")
NO_RECORDING = ("lineage recording is off (lineage.enabled = false) and no --file was given; "
                "turn it on or name a lineage file")
EXIT_OK, EXIT_BROKEN, EXIT_UNREADABLE = 0, 1, 2


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Show the lineage log: this session's timeline of cells and checks with "
        "their findings and data fingerprints; with --model VAR the cells and data that "
        "produced VAR (backward slice); with --verify the hash chain's status. Returns a "
        "LineageView.",
    )
    parser.add_argument("--model", metavar="VAR",
                        help="show the backward slice of this variable")
    parser.add_argument("--verify", action="store_true", help="show only the chain status")
    parser.add_argument("--all", action="store_true",
                        help="every session in the file, not only this kernel's")
    parser.add_argument("--file", metavar="FILE", type=Path,
                        help="read this lineage file instead of this notebook's")
    parser.add_argument("--format", choices=MAGIC_FORMATS, default="html",
                        help="how to show it (default: html, self-contained HTML with a text "
                        "copy; widget is accepted and shows the same)")
    return parser


def run(session: Session, args: argparse.Namespace) -> LineageView:
    recorder = getattr(session, "recorder", None)
    path = lineage_file(recorder, args.file)
    session_id = None if args.all or args.file is not None else getattr(recorder, "session_id",
                                                                        None)
    view = lineage_view(path, model_var=args.model, verify_only=args.verify,
                        all_sessions=args.all, session_id=session_id)
    return session.present(view, output_format=args.format)


def lineage_file(recorder: Any, file: Path | None) -> Path:
    """The file to read: ``--file``, else the recorder's."""
    if file is not None:
        return file.expanduser()
    if recorder is None:
        raise MLSecUsageError(NO_RECORDING)
    return Path(recorder.path)


def lineage_view(path: str | os.PathLike[str], *, model_var: str | None = None,
                 verify_only: bool = False, all_sessions: bool = False,
                 session_id: str | None = None) -> LineageView:
    """A ``LineageView`` of ``path``: chain status, backward slice or timeline.

    The timeline covers ``session_id`` (the running kernel's), else the file's last session,
    or every session with ``all_sessions``.
    """
    from ..lineage import backward_slice, read_records, verify

    result = verify(path)
    if verify_only:
        return LineageView([], path=path, mode="verify", verify=result)
    records = read_records(path)
    if model_var:
        cells = backward_slice(records, model_var)
        if not cells:
            recorded = {name for r in records if r.get("kind") == "cell"
                        for name in (r.get("names") or {}).get("defined") or ()}
            raise MLSecInputError(f"no recorded cell defined or changed {model_var!r} in "
                                  f"{shown_path(path)}" + did_you_mean(model_var, recorded))
        return LineageView(cells, path=path, mode="slice", model_var=model_var, verify=result,
                           context=records)
    if all_sessions:
        return LineageView(records, path=path, verify=result, scope="all sessions",
                           context=records)
    wanted = session_id or next((r.get("session") for r in reversed(records)
                                 if r.get("session")), None)
    scope = "this session" if session_id else "last session"
    return LineageView([r for r in records if r.get("session") == wanted], path=path,
                       verify=result, scope=scope, context=records)


# -- mlsec lineage (CLI) -------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="verify: check a lineage file's hash chain (exit 0 intact, 1 broken: the "
        "first bad record's index and the reason are printed, 2 unreadable). show: print its "
        "records as a timeline (text) or JSON.",
    )
    parser.add_argument("action", choices=CLI_ACTIONS, help="verify or show")
    parser.add_argument("file", type=Path, metavar="FILE", help="a .lineage.jsonl file")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--anchor", metavar="HASH",
                        help="verify: a head hash quoted elsewhere (a model card) that the "
                        "chain must contain; catches records cut off the end")
    parser.add_argument("--model", metavar="VAR", help="show: only the backward slice of VAR")
    parser.add_argument("--last-session", action="store_true",
                        help="show: only the last recording session")
    return parser


def run_cli(args: argparse.Namespace) -> int:
    problem = unreadable(args.file)
    if problem:
        print(f"mlsec: error: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.action == "verify":
        return _verify_cli(args)
    view = lineage_view(args.file, model_var=args.model, all_sessions=not args.last_session)
    sys.stdout.write((view.to_json() if args.format == "json" else view.to_text()) + "\n")
    return EXIT_OK


def unreadable(path: Path) -> str:
    """Why ``path`` cannot be read as a lineage file, or ``""``."""
    if not path.exists():
        return f"no such file: {path}"
    if not path.is_file():
        return f"not a regular file: {path}"
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    return ""


def _verify_cli(args: argparse.Namespace) -> int:
    from ..lineage import verify

    result = verify(args.file, anchor=args.anchor)
    if args.format == "json":
        import json

        print(json.dumps(result.to_dict(), indent=2))
    elif result.ok:
        print(f"{args.file}: chain intact, {result.count} records, head {result.head or '-'}"
              + (f", {result.recovered} torn write(s) recovered" if result.recovered else ""))
    else:
        where = (f"first bad record: {result.first_bad}" if result.first_bad is not None
                 else "no bad record; the end of the chain is missing")
        print(f"{args.file}: chain BROKEN after {result.count} valid records; {where}; "
              f"reason: {' '.join(result.reason.split())}")
    return EXIT_OK if result.ok else EXIT_BROKEN
