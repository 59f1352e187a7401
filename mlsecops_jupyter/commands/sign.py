"""``%mlsec sign PATH --key PRIVATE.pem`` and ``mlsec sign PATH --key PRIVATE.pem``.

Signs a model file or folder with OpenSSF model-signing (``checks/signing``) and records the
signature and signer in the lineage log (the notebook's; on the command line the file named by
``--lineage``), from which the model card and the ML-BOM read them. Passwords and identity
tokens are read from environment variables named on the line, never from the line itself: a
cell's source is kept in the lineage log and the notebook.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..core.errors import MLSecUsageError
from ..core.report import Report
from . import Session
from ._parser import CommandParser
from ._report_io import EXIT_OK, add_display_option

CLI_FORMATS = ("text", "json")


def add_signing_arguments(parser: argparse.ArgumentParser) -> None:
    """What the magic and the CLI share."""
    parser.add_argument("path", metavar="PATH", help="the model file, or the folder holding it")
    parser.add_argument("--key", metavar="PRIVATE.pem", type=Path,
                        help="EC private key (P-256/384/521, PEM) to sign with")
    parser.add_argument("--password-env", metavar="NAME",
                        help="environment variable holding the key's password, if encrypted")
    parser.add_argument("--certificate", metavar="CERT.pem", type=Path,
                        help="the key's signing certificate: the signer is its subject")
    parser.add_argument("--chain", metavar="CA.pem", type=Path, action="append", default=[],
                        help="certificate chain up to a root (repeatable; with --certificate)")
    parser.add_argument("--keyless", action="store_true",
                        help="keyless Sigstore signing (needs the network and an OIDC token)")
    parser.add_argument("--identity-token-env", metavar="NAME",
                        help="environment variable holding the OIDC identity token (--keyless)")
    parser.add_argument("--ambient", action="store_true",
                        help="use the CI's ambient OIDC credentials (--keyless)")
    parser.add_argument("--staging", action="store_true",
                        help="Sigstore's staging instance, for tests (--keyless)")
    parser.add_argument("--signature", metavar="FILE", type=Path,
                        help="where to write the signature (default: DIR/model.sig or FILE.sig)")


def _env(name: str | None, what: str) -> str | None:
    if name is None:
        return None
    value = os.environ.get(name)
    if value is None:
        raise MLSecUsageError(f"{what}: environment variable {name} is not set")
    return value


def sign_from_args(args: argparse.Namespace) -> Report:
    from ..checks.signing import sign_model

    return sign_model(args.path, key=args.key,
                      password=_env(args.password_env, "--password-env"),
                      certificate=args.certificate, chain=args.chain, keyless=args.keyless,
                      identity_token=_env(args.identity_token_env, "--identity-token-env"),
                      ambient=args.ambient, staging=args.staging, signature=args.signature)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Sign a model file or folder with OpenSSF model-signing (a Sigstore bundle "
        "listing every file's SHA-256), offline with an EC key or a key and certificate, or "
        "keyless with Sigstore. The signature and signer go into the lineage log, the model "
        "card and the ML-BOM. Returns the Report.",
    )
    add_signing_arguments(parser)
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    return session.deliver(sign_from_args(args), output_format=args.format, fail_on=None)


def summary_line(report: Report) -> str:
    """``signed m1 (2 files) -> m1/model.sig; signer: key SHA256:...``."""
    from ..checks.signing.keys import signer_text

    metrics = report.metrics
    return (f"signed {report.subject} ({metrics.get('files_signed')} file(s)) -> "
            f"{metrics.get('signature')}; signer: {signer_text(metrics.get('signer'))}")


# -- mlsec sign (CLI) --------------------------------------------------------------------------
def add_cli_options(parser: argparse.ArgumentParser) -> None:
    """``--lineage`` and ``--format``, which ``mlsec sign`` and ``mlsec verify`` share."""
    parser.add_argument("--lineage", metavar="FILE", type=Path,
                        help="also record the result in this lineage file (a notebook's "
                        ".mlsec/*.lineage.jsonl), for its model card and ML-BOM")


def record_in(lineage: Path | None, report: Report) -> None:
    """Append ``report`` to a lineage file through the recorder (a hash-chained record)."""
    if lineage is None:
        return
    from ..lineage.recorder import LineageRecorder

    recorder: Any = LineageRecorder(path_resolver=lambda: lineage.expanduser())
    if not recorder.record_check(report):
        raise MLSecUsageError(f"could not record in {lineage}")


def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Sign a model file or folder with OpenSSF model-signing. Exit 0 when the "
        "signature is written, 2 on a usage error (bad key, unreadable path).",
    )
    add_signing_arguments(parser)
    add_cli_options(parser)
    parser.add_argument("--format", choices=CLI_FORMATS, default="text",
                        help="text: one line (default); json: the report")
    return parser


def run_cli(args: argparse.Namespace) -> int:
    report = sign_from_args(args)
    record_in(args.lineage, report)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        print(f"mlsec: {summary_line(report)}")
    return EXIT_OK
