"""What every report-producing command shares: how it shows a report and how the CLI ends.

In the notebook a check's ``--format`` picks the display; on the command line ``--format`` picks
the output (text, one JSON object, SARIF), ``--output`` a file, and the exit code says whether a
finding reached ``--fail-on``. One module, so ``mlsec scan`` and ``mlsec bias`` cannot drift.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import MLSecError
from ..core.report import Report
from ..core.settings import Settings
from ..core.severity import Severity
from ._parser import add_threshold_option, effective_threshold, parse_assignments

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
DEFAULT_FAIL_ON = Severity.HIGH  # the CLI's threshold when the settings name none
MAGIC_FORMATS = ("html", "widget", "text", "json")
CLI_FORMATS = ("text", "json", "sarif")


def settings_for_call(settings: Settings, assignments: Sequence[str]) -> Settings:
    """The session's settings with this call's ``--set KEY=VALUE`` overrides applied."""
    if not assignments:
        return settings
    return settings.override(parse_assignments(assignments), source=f"{settings.source} + --set")


def add_display_option(parser: argparse.ArgumentParser) -> None:
    """``--format`` of a check in the notebook."""
    parser.add_argument(
        "--format", choices=MAGIC_FORMATS, default="html",
        help="how to show the report (default: html, self-contained HTML with a text copy, "
        "which a saved notebook keeps; widget: the same plus a live ipywidgets view below it)",
    )


def add_cli_report_options(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--fail-on``, ``--output`` and ``--config`` of a check in the CLI."""
    parser.add_argument("--format", choices=CLI_FORMATS, default="text",
                        help="output format (default: text)")
    add_threshold_option(parser, "default: fail_on from the settings, else high")
    parser.add_argument("--output", "-o", metavar="FILE", type=Path,
                        help="write the output to FILE instead of standard output")
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help="read settings from FILE (mlsec.toml or pyproject.toml) instead of "
                        "searching upwards from the working directory")


def cli_settings(args: argparse.Namespace) -> Settings:
    """Settings of one CLI run: ``--config`` (or the nearest file), environment, ``--set``."""
    return settings_for_call(Settings.load(config=args.config), args.set)


def format_report(report: Report, output_format: str) -> str:
    """The report as ``text``, ``json`` (one object) or ``sarif``, ending with a newline."""
    if output_format == "json":
        return report.to_json() + "\n"
    if output_format == "sarif":
        return json.dumps(report.to_sarif(), indent=2, ensure_ascii=False, default=str) + "\n"
    from ..display.text import render_text

    return render_text(report) + "\n"


def summary(report: Report) -> str:
    """``3 findings (critical 1, medium 2)``: one line for stderr."""
    counts = {label: n for label, n in report.counts().items() if n}
    if not counts:
        return "no findings"
    total = sum(counts.values())
    detail = ", ".join(f"{label} {n}" for label, n in counts.items())
    return f"{total} finding{'s' if total != 1 else ''} ({detail})"


def emit_cli_report(report: Report, args: argparse.Namespace, settings: Settings) -> int:
    """Print or write the report as ``--format`` asks; the exit code ``--fail-on`` implies.

    Findings the project's baseline lists are accepted first (``core.baseline``).
    """
    from ..core.baseline import apply_baseline

    report = apply_baseline(report, settings)
    output = format_report(report, args.format)
    if args.output is None:
        sys.stdout.write(output)
    else:
        try:
            args.output.write_text(output, encoding="utf-8")
        except OSError as exc:
            raise MLSecError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"mlsec: wrote {args.format} to {args.output}: {summary(report)}", file=sys.stderr)
    configured = settings.fail_on if settings.fail_on is not None else DEFAULT_FAIL_ON
    return EXIT_FINDINGS if report.fails(effective_threshold(args.fail_on, configured)) \
        else EXIT_OK
