"""Argument parsing shared by ``%mlsec`` and ``mlsec``: parsers that raise instead of exiting.

argparse prints and calls ``sys.exit`` on bad input or ``-h``; inside a kernel that becomes a
``SystemExit`` traceback. ``CommandParser`` raises ``MLSecUsageError`` (one line, the front end
adds its own prefix) for bad input, and ``ParserExit`` after printing help.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from ..core.errors import MLSecUsageError
from ..core.severity import Severity

# what --fail-on accepts besides a severity: strict mode off
NO_THRESHOLD = ("none", "off")


class ParserExit(Exception):
    """argparse wanted to exit (after ``-h``/``--help`` printed the help): stop quietly."""

    def __init__(self, status: int = 0, message: str | None = None) -> None:
        super().__init__(message or "")
        self.status = status
        self.message = message


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` for one command that never calls ``sys.exit``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # exit_on_error stays True: argparse then routes every ArgumentError through error()
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """Options may come between targets (``scan a.pkl -r b/``), as users expect.

        Help is handled first: argparse cannot format help in the middle of intermixed parsing.
        """
        argv = list(sys.argv[1:] if args is None else args)
        options = argv[: argv.index("--")] if "--" in argv else argv
        if self.add_help and any(arg in ("-h", "--help") for arg in options):
            self.print_help()
            self.exit()
        return self.parse_intermixed_args(argv, namespace)

    def error(self, message: str) -> NoReturn:
        raise MLSecUsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise ParserExit(status, message)


def threshold_option(value: str) -> Severity | str:
    """argparse ``type`` of ``--fail-on``: a severity, or ``"none"`` to switch strict mode off."""
    if value.strip().lower() in NO_THRESHOLD:
        return "none"
    try:
        return Severity.parse(value)
    except MLSecUsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def effective_threshold(option: Severity | str | None,
                        configured: Severity | None) -> Severity | None:
    """``--fail-on`` if given (``"none"`` turns it off), else the configured ``fail_on``."""
    if option is None:
        return configured
    if option == "none":
        return None
    return Severity.parse(option)


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["modelscan.max_archive_depth=3"]`` -> ``{"modelscan.max_archive_depth": "3"}``."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise MLSecUsageError(f"--set expects KEY=VALUE, got {item!r}")
        values[key.strip()] = value.strip()
    return values


def add_threshold_option(parser: argparse.ArgumentParser, default_text: str) -> None:
    parser.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        type=threshold_option,
        default=None,
        help=f"fail when a finding reaches this severity: info, low, medium, high, critical, "
        f"or none ({default_text})",
    )


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="override one setting for this run, e.g. modelscan.max_archive_depth=3 "
        "(repeatable)",
    )
