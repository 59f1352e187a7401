"""``mlsec``: the command line, for CI, pre-commit and terminals.

Exit codes are the contract CI relies on: 0 when no finding reaches ``--fail-on`` (default: the
configured ``fail_on``, else ``high``), 1 when one does, 2 for usage errors and unreadable input
(one line on stderr, ``mlsec: error: ...``). ``--format json`` prints ONE report object even for
many paths; ``--format sarif`` prints a SARIF 2.1.0 log for GitHub code scanning.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._version import __version__
from .commands._parser import (
    CommandParser,
    ParserExit,
    add_threshold_option,
    effective_threshold,
)
from .core.errors import MLSecError
from .core.report import Report
from .core.settings import Settings
from .core.severity import Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
DEFAULT_FAIL_ON = Severity.HIGH
CLI_FORMATS = ("text", "json", "sarif")


@dataclass(frozen=True)
class CliCommand:
    name: str
    summary: str
    build_parser: Callable[[str], CommandParser]
    run: Callable[[argparse.Namespace], int]


def _build_scan_parser(prog: str) -> CommandParser:
    from .commands.scan import add_scan_arguments

    parser = CommandParser(
        prog=prog,
        description="Scan model files for hidden code execution without loading them. The "
        "content decides the format, never the file name.",
    )
    add_scan_arguments(parser, "model file or folder (folders: their files; -r: sub-folders too)")
    parser.add_argument("--format", choices=CLI_FORMATS, default="text",
                        help="output format (default: text)")
    add_threshold_option(parser, "default: fail_on from the settings, else high")
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="write the output to FILE instead of standard output")
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help="read settings from FILE (mlsec.toml or pyproject.toml) instead of "
                        "searching upwards from the working directory")
    return parser


def _run_scan(args: argparse.Namespace) -> int:
    from .commands.scan import Target, scan_targets, settings_for_call

    settings = settings_for_call(Settings.load(config=args.config), args.set)
    configured = settings.fail_on if settings.fail_on is not None else DEFAULT_FAIL_ON
    threshold = effective_threshold(args.fail_on, configured)
    targets = [Target(token, "path", Path(token).expanduser()) for token in args.targets]
    report = scan_targets(targets, recursive=args.recursive, settings=settings)
    output = format_report(report, args.format)
    if args.output is None:
        sys.stdout.write(output)
    else:
        try:
            args.output.write_text(output, encoding="utf-8")
        except OSError as exc:
            raise MLSecError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"mlsec: wrote {args.format} to {args.output}: {summary(report)}", file=sys.stderr)
    return EXIT_FINDINGS if report.fails(threshold) else EXIT_OK


def _build_execute_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Run a notebook headless, end to end, in a fresh kernel (working directory: "
        "the notebook's folder) and print every cell's text output, findings included. Exit 1 "
        "when a cell fails, e.g. a check in strict mode.",
    )
    parser.add_argument("notebook", type=Path, help="the .ipynb file to run")
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="also write the executed notebook to FILE")
    parser.add_argument("--timeout", type=int, default=900, metavar="SECONDS",
                        help="per-cell timeout (default: 900)")
    parser.add_argument("--fail-on", metavar="SEVERITY", default=None,
                        help="make every check in the notebook strict at SEVERITY "
                        "(sets MLSEC_FAIL_ON for the kernel)")
    return parser


def _run_execute(args: argparse.Namespace) -> int:
    from .runner import execute_notebook

    env = {}
    if args.fail_on is not None:
        env["MLSEC_FAIL_ON"] = Severity.parse(args.fail_on).label
    run = execute_notebook(args.notebook, output=args.output, timeout=args.timeout, env=env)
    sys.stdout.write(run.text())
    where = f"; executed notebook: {args.output}" if args.output else ""
    status = "ran to the end" if run.ok else "FAILED"
    print(f"mlsec: {args.notebook} {status}{where}", file=sys.stderr)
    return EXIT_OK if run.ok else EXIT_FINDINGS


def _command_module(name: str) -> Any:
    """A command module that keeps its CLI parser and run function beside the magic's."""
    import importlib

    return importlib.import_module(f"mlsecops_jupyter.commands.{name}")


def format_report(report: Report, output_format: str) -> str:
    """The report as ``text``, ``json`` (one object) or ``sarif``, ending with a newline."""
    if output_format == "json":
        return report.to_json() + "\n"
    if output_format == "sarif":
        return json.dumps(report.to_sarif(), indent=2, ensure_ascii=False, default=str) + "\n"
    from .display.text import render_text

    return render_text(report) + "\n"


def summary(report: Report) -> str:
    """``3 findings (critical 1, medium 2)``: one line for stderr."""
    counts = {label: n for label, n in report.counts().items() if n}
    if not counts:
        return "no findings"
    total = sum(counts.values())
    detail = ", ".join(f"{label} {n}" for label, n in counts.items())
    return f"{total} finding{'s' if total != 1 else ''} ({detail})"


COMMANDS: dict[str, CliCommand] = {
    "scan": CliCommand(
        "scan",
        "scan model files for hidden code execution (never loads them)",
        _build_scan_parser,
        _run_scan,
    ),
    "lineage": CliCommand(
        "lineage",
        "verify a lineage file's hash chain or show its records",
        lambda prog: _command_module("lineage").build_cli_parser(prog),
        lambda args: _command_module("lineage").run_cli(args),
    ),
    "card": CliCommand(
        "card",
        "write a model card and CycloneDX ML-BOM from a lineage file",
        lambda prog: _command_module("card").build_cli_parser(prog),
        lambda args: _command_module("card").run_cli(args),
    ),
    "bias": CliCommand(
        "bias",
        "group fairness metrics of predictions in a CSV/Parquet file",
        lambda prog: _command_module("bias").build_cli_parser(prog),
        lambda args: _command_module("bias").run_cli(args),
    ),
    "execute": CliCommand(
        "execute",
        "run a notebook headless and print its findings (exit 1 if a cell fails)",
        _build_execute_parser,
        _run_execute,
    ),
}


def help_text() -> str:
    lines = [
        "usage: mlsec COMMAND [options]   (mlsec COMMAND -h for the options of one)",
        "",
        "commands:",
    ]
    lines += [f"  {name:<7}  {cmd.summary}" for name, cmd in sorted(COMMANDS.items())]
    lines += [
        f"  {'help':<7}  this list",
        "",
        "options:",
        "  --version  print the version and exit",
        "",
        "exit status: 0 nothing reaches --fail-on, 1 something does, 2 usage or input error",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mlsec`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(help_text(), file=sys.stderr)
        return EXIT_USAGE
    if args[0] in ("help", "-h", "--help"):
        print(help_text())
        return EXIT_OK
    if args[0] == "--version":
        print(f"mlsec {__version__}")
        return EXIT_OK
    command = COMMANDS.get(args[0])
    if command is None:
        return _usage_error(
            f"unknown command {args[0]!r}; commands: {', '.join(sorted([*COMMANDS, 'help']))}"
        )
    try:
        parsed = command.build_parser(f"mlsec {command.name}").parse_args(args[1:])
    except ParserExit as exc:
        return exc.status
    except MLSecError as exc:
        return _usage_error(f"{command.name}: {exc}")
    try:
        return command.run(parsed)
    except MLSecError as exc:
        return _usage_error(str(exc))
    except Exception as exc:  # a bug of ours must not exit 1, which CI reads as "findings"
        traceback.print_exc()
        return _usage_error(f"internal error ({type(exc).__name__}: {exc}); please report it")


def _usage_error(message: str) -> int:
    print(f"mlsec: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
