"""``%mlsec lineage`` and ``mlsec lineage verify|show|sign|keygen``: read, check and sign the log.

The magic shows this session's timeline (cells, checks, findings, data fingerprints), the
backward slice of a model variable (``--model VAR``) or the chain status (``--verify``, with
``--key`` the signature too), or signs the log's head (``--sign``), as a ``LineageView`` it returns
and displays once. The CLI verifies a file (exit 0 intact, and signed with ``--key``; 1 broken or
not signed, with the first bad record's index and the reason on stdout; 2 unreadable, not a
lineage log, or an empty one), prints it, signs it, or writes a new key.
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
CLI_ACTIONS = ("verify", "show", "sign", "keygen")
NO_RECORDING = ("lineage recording is off (lineage.enabled = false) and no --file was given; "
                "turn it on or name a lineage file")
EMPTY_LOG = "{path} is an empty lineage log: it holds no records (nothing to verify or show)"
NOT_A_LOG = ("{path} is not a lineage log: no line of it is a mlsecops-lineage/1 record "
             "({why})")
NO_FILE = "{action} needs a lineage FILE"
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
    parser.add_argument("--verify", action="store_true", help="show only the chain status "
                        "(with --key: and whether its head is signed with that key)")
    parser.add_argument("--sign", action="store_true",
                        help="sign the log's head with a key kept outside the notebook folder "
                        "(HMAC-SHA256; mlsec lineage keygen writes one)")
    parser.add_argument("--key", metavar="KEYFILE", type=Path,
                        help="the signing key (default: $MLSEC_LINEAGE_KEY, else "
                        "~/.config/mlsec/lineage.key)")
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
    if recorder is not None and args.file is None:
        recorder.flush()
    if args.sign:
        if args.model or args.all:
            raise MLSecUsageError("--sign takes no --model or --all")
        view = sign_view(path, args.key, recorder if args.file is None else None)
        return session.present(view, output_format=args.format)
    if args.key is not None and not args.verify:
        raise MLSecUsageError("--key goes with --verify or --sign")
    session_id = None if args.all or args.file is not None else getattr(recorder, "session_id",
                                                                        None)
    view = lineage_view(path, model_var=args.model, verify_only=args.verify,
                        all_sessions=args.all, session_id=session_id, key_file=args.key,
                        check_key=args.verify and args.key is not None)
    return session.present(view, output_format=args.format)


def sign_view(path: Path, key_file: Path | None, recorder: Any = None) -> LineageView:
    """Sign the head of ``path`` (through the recorder's store when it is the recorder's log)
    and show the chain status with what was signed."""
    from ..lineage import signing, verify

    require_log(path)
    key = signing.load_key(key_file, path)
    store = recorder.store if recorder is not None else None
    record = signing.sign(path, key, store=store,
                          session=getattr(recorder, "session_id", None))
    result = verify(path)
    note = (f"signed record {record['signed']['seq']} (head {record['signed']['head'][:16]}) "
            f"with key {record['key_id']}: the signature is record {record['seq']}")
    return LineageView([], path=path, mode="verify", verify=result, notes=[note])


def lineage_file(recorder: Any, file: Path | None) -> Path:
    """The file to read: ``--file``, else the recorder's."""
    if file is not None:
        return file.expanduser()
    if recorder is None:
        raise MLSecUsageError(NO_RECORDING)
    return Path(recorder.path)


def lineage_view(path: str | os.PathLike[str], *, model_var: str | None = None,
                 verify_only: bool = False, all_sessions: bool = False,
                 session_id: str | None = None, key_file: Path | None = None,
                 check_key: bool = False) -> LineageView:
    """A ``LineageView`` of ``path``: chain status, backward slice or timeline.

    The timeline covers ``session_id`` (the running kernel's), else the file's last session,
    or every session with ``all_sessions``. A file without a single record raises
    ``MLSecInputError`` (empty, or not a lineage log): that is never shown as an intact chain.
    """
    from ..lineage import backward_slice, verify
    from ..lineage.records import read_checked

    result = verify(path)
    require_log(path, result)
    checked = read_checked(path)
    # records of a shape this package never writes are left out of every view, and said so
    skipped = [checked.warning()] if checked.skipped else []
    if verify_only:
        notes = [signature_note(path, key_file)] if check_key else []
        return LineageView([], path=path, mode="verify", verify=result,
                           notes=notes + skipped)
    records = checked.records
    if model_var:
        cells = backward_slice(records, model_var)
        if not cells:
            recorded = {name for r in records if r.get("kind") == "cell"
                        for name in (r.get("names") or {}).get("defined") or ()}
            raise MLSecInputError(f"no recorded cell defined or changed {model_var!r} in "
                                  f"{shown_path(path)}" + did_you_mean(model_var, recorded))
        return LineageView(cells, path=path, mode="slice", model_var=model_var, verify=result,
                           context=records, notes=skipped)
    if all_sessions:
        return LineageView(records, path=path, verify=result, scope="all sessions",
                           context=records, notes=skipped)
    wanted = session_id or next((r.get("session") for r in reversed(records)
                                 if r.get("session")), None)
    scope = "this session" if session_id else "last session"
    return LineageView([r for r in records if r.get("session") == wanted], path=path,
                       verify=result, scope=scope, context=records, notes=skipped)


def require_log(path: str | os.PathLike[str], result: Any = None) -> None:
    """Raise ``MLSecInputError`` unless ``path`` holds at least one lineage record.

    ``result`` (``verify(path)``, when already known) saves the read in the common case: a
    chain that verified at least one record is a log.
    """
    from ..lineage.chain import record_problem, split_lines
    from ..lineage.store import _read_shared, flush_held

    if result is not None and result.count > 0:
        return
    target = Path(path)
    flush_held(target)
    try:
        data = _read_shared(target)
    except OSError as exc:
        raise MLSecInputError(f"cannot read {shown_path(target)}: {exc.strerror or exc}"
                              ) from None
    if not data.strip():
        raise MLSecInputError(EMPTY_LOG.format(path=shown_path(target)))
    first_problem = ""
    for _offset, line, _terminated in split_lines(data):
        problem = record_problem(line)
        if not problem:
            return
        first_problem = first_problem or problem
    raise MLSecInputError(NOT_A_LOG.format(path=shown_path(target),
                                           why=f"the first line is {first_problem}"))


def signature_note(path: str | os.PathLike[str], key_file: Path | None) -> str:
    """One line: is the head of ``path`` signed with the key in ``key_file``?"""
    from ..lineage import signing

    key = signing.load_key(key_file, path)
    check = signing.verify_signed(path, key)
    return ("signature: verified, " + check.reason if check.ok else
            "signature: NOT VERIFIED: " + check.reason)


# -- mlsec lineage (CLI) -------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="verify: check a lineage file's hash chain (exit 0 intact, 1 broken: the "
        "first bad record's index and the reason are printed, or a record of the wrong shape "
        "that readers leave out, 2 unreadable, empty or not a "
        "lineage log); with --key also that its last record is a signature made with that key "
        "(exit 1 when not). show: print its records as a timeline (text) or JSON. sign: append "
        "an HMAC-SHA256 signature of the chain's head made with --key. keygen: write a new "
        "random key to FILE (default: $MLSEC_LINEAGE_KEY, else ~/.config/mlsec/lineage.key).",
    )
    parser.add_argument("action", choices=CLI_ACTIONS, help="verify, show, sign or keygen")
    parser.add_argument("file", type=Path, metavar="FILE", nargs="?",
                        help="a .lineage.jsonl file (keygen: where to write the key)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--anchor", metavar="HASH",
                        help="verify: a head hash quoted elsewhere (a model card) that the "
                        "chain must contain; catches records cut off the end")
    parser.add_argument("--key", metavar="KEYFILE", type=Path,
                        help="verify/sign: the key, kept outside the notebook folder (default: "
                        "$MLSEC_LINEAGE_KEY, else ~/.config/mlsec/lineage.key)")
    parser.add_argument("--model", metavar="VAR", help="show: only the backward slice of VAR")
    parser.add_argument("--last-session", action="store_true",
                        help="show: only the last recording session")
    return parser


def run_cli(args: argparse.Namespace) -> int:
    if args.action == "keygen":
        return _keygen_cli(args)
    if args.file is None:
        raise MLSecUsageError(NO_FILE.format(action=args.action))
    problem = unreadable(args.file)
    if problem:
        print(f"mlsec: error: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.action == "verify":
        return _verify_cli(args)
    if args.action == "sign":
        require_log(args.file)
        return _sign_cli(args)
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
    from ..lineage import signing, verify
    from ..lineage.records import read_checked

    key = signing.load_key(args.key, args.file) if args.key is not None else None
    if key is not None:
        check = signing.verify_signed(args.file, key, anchor=args.anchor)
        result, ok = check.chain, check.ok
    else:
        check, result = None, verify(args.file, anchor=args.anchor)
        ok = result.ok
    require_log(args.file, result)
    checked = read_checked(args.file)
    # a record no reader can use is left out of every view: as evidence the log is not intact,
    # so a CI gate on verify must not pass it (fail closed)
    ok = ok and not checked.skipped
    if args.format == "json":
        import json

        answer = check.to_dict() if check is not None else result.to_dict()
        answer["skipped"] = [skipped.to_dict() for skipped in checked.skipped]
        print(json.dumps(answer, indent=2))
        return EXIT_OK if ok else EXIT_BROKEN
    if not result.ok:
        where = (f"first bad record: {result.first_bad}" if result.first_bad is not None
                 else "no bad record; the end of the chain is missing")
        print(f"{args.file}: chain BROKEN after {result.count} valid records; {where}; "
              f"reason: {' '.join(result.reason.split())}")
        return EXIT_BROKEN
    line = (f"{args.file}: chain intact, {result.count} records, head {result.head or '-'}"
            + (f", {result.recovered} torn write(s) recovered" if result.recovered else ""))
    if check is not None:
        line += ("; signature verified: " if check.ok else "; signature NOT VERIFIED: ") + \
            check.reason
    else:
        signatures = sum(1 for r in checked.records if r.get("kind") == "signature")
        if signatures:
            line += (f"; {signatures} signature record(s) not checked (pass --key to check "
                     "them)")
    if checked.skipped:
        line += f"; NOT INTACT as evidence: {checked.warning()}"
    print(line)
    return EXIT_OK if ok else EXIT_BROKEN


def _sign_cli(args: argparse.Namespace) -> int:
    from ..lineage import signing, verify

    key = signing.load_key(args.key, args.file)
    result = verify(args.file)
    if not result.ok and not result.torn_tail:
        print(f"{args.file}: chain BROKEN, not signed; reason: {' '.join(result.reason.split())}")
        return EXIT_BROKEN
    record = signing.sign(args.file, key)
    print(f"{args.file}: signed record {record['signed']['seq']} (head "
          f"{record['signed']['head']}) with key {record['key_id']}; the signature is record "
          f"{record['seq']}. Keep the head elsewhere (a card, a CI artefact) to catch a log cut "
          "back to an older signature.")
    return EXIT_OK


def _keygen_cli(args: argparse.Namespace) -> int:
    from ..lineage import signing

    path = args.file if args.file is not None else signing.default_key_path()
    identifier = signing.generate_key(path)
    print(f"wrote a new lineage key to {path} (id {identifier}, readable by you only); keep it "
          "outside notebook folders and out of version control")
    return EXIT_OK
