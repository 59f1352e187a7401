"""``mlsec``: the command line, for CI, pre-commit and terminals.

Exit codes are the contract CI relies on: 0 when no finding reaches ``--fail-on`` (default: the
configured ``fail_on``, else ``high``), 1 when one does, 2 for usage errors and unreadable input
(one line on stderr, ``mlsec: error: ...``). ``--format json`` prints ONE report object even for
many paths; ``--format sarif`` prints a SARIF 2.1.0 log for GitHub code scanning.
"""

from __future__ import annotations

import argparse
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
from .commands._report_io import (
    DEFAULT_FAIL_ON,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    add_cli_report_options,
    cli_settings,
    emit_cli_report,
)
from .core.errors import MLSecError


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
    add_cli_report_options(parser)
    return parser


def _run_scan(args: argparse.Namespace) -> int:
    from .commands.scan import Target, scan_targets

    settings = cli_settings(args)
    targets = [Target(token, "path", Path(token).expanduser()) for token in args.targets]
    report = scan_targets(targets, recursive=args.recursive, settings=settings)
    return emit_cli_report(report, args, settings)


def _build_execute_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Run a notebook headless, end to end, in a fresh kernel (working directory: "
        "the notebook's folder), print every cell's text output, then a summary: findings per "
        "check and severity, the cells that failed. Exit 1 when a finding reaches --fail-on or "
        "a cell fails; 2 when the run cannot go on (cell timeout, dead kernel, no such kernel).",
    )
    parser.add_argument("notebook", type=Path, help="the .ipynb file to run")
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="also write the executed notebook to FILE")
    parser.add_argument("--timeout", type=int, default=900, metavar="SECONDS",
                        help="per-cell timeout (default: 900)")
    parser.add_argument("--kernel", metavar="NAME", default=None,
                        help="the kernel to run (default: the notebook's kernelspec)")
    add_threshold_option(parser, "default: fail_on from the settings, else high; every check "
                         "in the notebook is strict at it (MLSEC_FAIL_ON for the kernel)")
    return parser


def _run_execute(args: argparse.Namespace) -> int:
    from .core.settings import Settings
    from .runner import execute_notebook
    from .runner.summary import summary_text, verdict

    configured = Settings.load(start=args.notebook.parent).fail_on
    threshold = effective_threshold(args.fail_on,
                                    configured if configured is not None else DEFAULT_FAIL_ON)
    env = {"MLSEC_FAIL_ON": threshold.label if threshold is not None else "none"}
    run = execute_notebook(args.notebook, output=args.output, timeout=args.timeout,
                           kernel_name=args.kernel, env=env)
    sys.stdout.write(run.text())
    sys.stdout.write(summary_text(run, threshold))
    where = f"; executed notebook: {args.output}" if args.output else ""
    if run.stopped:
        return _usage_error(f"execute: {args.notebook}: {run.stopped}{where}")
    result = verdict(run, threshold)
    print(f"mlsec: {args.notebook} {result}{where}", file=sys.stderr)
    return EXIT_OK if result == "passed" else EXIT_FINDINGS


def _command_module(name: str) -> Any:
    """A command module that keeps its CLI parser and run function beside the magic's."""
    import importlib

    return importlib.import_module(f"mlsecops_jupyter.commands.{name}")


def _module_command(name: str, summary: str) -> CliCommand:
    """A command whose module (``commands/<name>.py``) keeps ``build_cli_parser`` and ``run_cli``
    beside the magic's code; imported only when the command runs."""
    return CliCommand(
        name,
        summary,
        lambda prog: _command_module(name).build_cli_parser(prog),
        lambda args: _command_module(name).run_cli(args),
    )


COMMANDS: dict[str, CliCommand] = {
    "scan": CliCommand(
        "scan",
        "scan model files for hidden code execution (never loads them)",
        _build_scan_parser,
        _run_scan,
    ),
    "lineage": _module_command(
        "lineage", "verify, show or sign a lineage file (hash chain, keyed signature); keygen"),
    "card": _module_command("card", "write a model card and CycloneDX ML-BOM from a lineage file"),
    "leakage": _module_command(
        "leakage",
        "train/test data leakage (--train/--test files) or code leakage (NOTEBOOK.ipynb)"),
    "bias": _module_command("bias", "group fairness metrics of predictions in a CSV/Parquet file"),
    "drift": _module_command(
        "drift", "drift between a reference and a current CSV/Parquet file (or a lineage log's "
        "recorded training data, --model)"),
    "poison": _module_command(
        "poison", "tampered training data in a CSV/Parquet file (--target COL): label issues, "
        "backdoor triggers, conflicting duplicates, outliers"),
    "pii": _module_command(
        "pii", "personal data in the columns of a CSV/Parquet file (or --text), offline"),
    "notebook": _module_command(
        "notebook", "credentials and personal data in notebooks (sources and outputs)"),
    "redact": _module_command("redact", "write a masked copy of a CSV/Parquet/notebook file"),
    "sign": _module_command("sign", "sign a model file or folder (OpenSSF model-signing)"),
    "verify": _module_command(
        "verify", "verify a model against its signature (exit 1 changed or untrusted)"),
    "baseline": _module_command(
        "baseline", "accept reviewed findings (notebooks, JSON reports) in the baseline file"),
    "execute": CliCommand(
        "execute",
        "run a notebook headless, print its findings and a summary (exit 1 on findings "
        "at --fail-on or a failed cell)",
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
    width = max(len(name) for name in COMMANDS)
    lines += [f"  {name:<{width}}  {cmd.summary}" for name, cmd in sorted(COMMANDS.items())]
    lines += [
        f"  {'help':<{width}}  this list",
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
    from .display.progress import showing_progress, sink_for_cli

    try:
        with showing_progress(sink_for_cli()):  # a bar on stderr, only on a terminal
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
