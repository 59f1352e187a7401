"""``%mlsec verify PATH --key PUBLIC.pem`` and ``mlsec verify PATH --key PUBLIC.pem``.

Exit codes of the CLI are the contract: 0 the model is intact and signed by the signer given,
1 it is not (a file changed, was added or removed, the signature is forged or by someone else),
2 a usage error (bad key, no signature file, unreadable path), each with one line on stderr.
In the notebook the report is shown and recorded; strict mode fails on its finding.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.report import Report
from . import Session
from ._parser import CommandParser, add_threshold_option, effective_threshold
from ._report_io import EXIT_FINDINGS, EXIT_OK, add_display_option, format_report
from .sign import add_cli_options, record_in

CLI_FORMATS = ("text", "json", "sarif")


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the signed model file or folder")
    parser.add_argument("--key", metavar="PUBLIC.pem", type=Path,
                        help="the signer's EC public key (PEM)")
    parser.add_argument("--certificate-chain", metavar="CA.pem", type=Path, action="append",
                        default=[], help="CA certificates a certificate-signed model must "
                        "chain to (repeatable)")
    parser.add_argument("--identity", metavar="ID",
                        help="keyless: the signer's identity (e-mail or URI; needs --issuer)")
    parser.add_argument("--issuer", metavar="URL", help="keyless: the signer's OIDC issuer")
    parser.add_argument("--staging", action="store_true",
                        help="keyless: Sigstore's staging instance")
    parser.add_argument("--signature", metavar="FILE", type=Path,
                        help="the signature file (default: DIR/model.sig or FILE.sig)")


def verify_from_args(args: argparse.Namespace) -> Report:
    from ..checks.signing import verify_model

    return verify_model(args.path, key=args.key, certificate_chain=args.certificate_chain,
                        identity=args.identity, issuer=args.issuer, staging=args.staging,
                        signature=args.signature)


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Verify a model file or folder against its OpenSSF model-signing "
        "signature: intact, or which files changed, were added or removed, or who signed it "
        "instead. Returns the Report.",
    )
    add_verify_arguments(parser)
    add_threshold_option(parser, "default: the session's fail_on, see %%mlsec config")
    add_display_option(parser)
    return parser


def run(session: Session, args: argparse.Namespace) -> Report:
    return session.deliver(verify_from_args(args), output_format=args.format,
                           fail_on=effective_threshold(args.fail_on, session.settings.fail_on))


def verdict_line(report: Report) -> str:
    """``m1: intact, 2 file(s), signed by key SHA256:...`` or what is wrong, in one line."""
    from ..checks.signing.keys import signer_text

    metrics = report.metrics
    signer = signer_text(metrics.get("signer"))
    if not report.findings:
        count = metrics.get("files_signed")
        return f"{report.subject}: intact, {count} file(s), signed by {signer}"
    finding = report.findings[0]
    return f"{report.subject}: NOT VERIFIED: {finding.rule}: {' '.join(finding.detail.split())}"


# -- mlsec verify (CLI) ------------------------------------------------------------------------
def build_cli_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Verify a model file or folder against its OpenSSF model-signing "
        "signature. Exit 0 intact, 1 any changed, added or removed file or a signature that "
        "does not hold, 2 usage errors (bad key, missing signature, unreadable path).",
    )
    add_verify_arguments(parser)
    add_cli_options(parser)
    parser.add_argument("--format", choices=CLI_FORMATS, default="text",
                        help="text: one line (default); json: the report; sarif: SARIF 2.1.0")
    return parser


def run_cli(args: argparse.Namespace) -> int:
    report = verify_from_args(args)
    record_in(args.lineage, report)
    if args.format == "text":
        print(f"mlsec: {verdict_line(report)}", file=sys.stdout if not report.findings
              else sys.stderr)
    else:
        sys.stdout.write(format_report(report, args.format))
    return EXIT_FINDINGS if report.findings else EXIT_OK
