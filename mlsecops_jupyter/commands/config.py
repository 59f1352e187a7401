"""``%mlsec config``: show the session's settings and where they came from, or change them.

The session starts from ``Settings.load()`` (``[tool.mlsec]`` in pyproject.toml or mlsec.toml,
then ``MLSEC_*`` variables) when the extension loads; changes here last for the session only.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.settings import Settings
from . import Session
from ._parser import CommandParser, add_set_option, parse_assignments


def build_parser(prog: str) -> CommandParser:
    parser = CommandParser(
        prog=prog,
        description="Without options: show the settings and their source. With options: change "
        "them for this session. Strict mode: with --fail-on SEVERITY every check whose findings "
        "reach SEVERITY shows its report and then raises MLSecCheckFailed, so nbval/nbmake fail.",
    )
    parser.add_argument(
        "--fail-on", metavar="SEVERITY",
        help="strict mode threshold: info, low, medium, high, critical, or none (off)",
    )
    add_set_option(parser)
    parser.add_argument(
        "--reset", action="store_true",
        help="drop this session's changes and reload the settings files and environment",
    )
    return parser


def run(session: Session, args: argparse.Namespace) -> None:
    changes: dict[str, Any] = parse_assignments(args.set)
    if args.fail_on is not None:
        changes["fail_on"] = args.fail_on
    if args.reset:
        session.settings = Settings.load()
    if changes:
        session.settings = session.settings.override(
            changes, source=f"{_base_source(session.settings)} + %mlsec config"
        )
        # a change prints only what it changed: a notebook's output must not depend on
        # settings it never touched (new settings arrive with every check)
        print(describe_changes(session.settings, changes))
    else:
        print(describe(session.settings))


def _strict_line(settings: Settings) -> str:
    if settings.fail_on is None:
        return "strict mode: off (set it with %mlsec config --fail-on high)"
    return (
        f"strict mode: on, checks with findings at or above {settings.fail_on} raise "
        "MLSecCheckFailed"
    )


def describe_changes(settings: Settings, changes: dict[str, Any]) -> str:
    """The strict-mode line and the changed keys with their new values."""
    current = _flat(settings.as_dict())
    lines = [_strict_line(settings)]
    for key in sorted(changes):
        name = key.replace("-", "_")
        if name != "fail_on":
            lines.append(f"  {name} = {_toml_like(current.get(name))}")
    return "\n".join(lines)


def _base_source(settings: Settings) -> str:
    return settings.source.removesuffix(" + %mlsec config")


def describe(settings: Settings) -> str:
    """Every setting as ``key = value`` lines, sorted, after the line naming their source."""
    lines = [f"settings from: {settings.source}", _strict_line(settings)]
    for key, value in sorted(_flat(settings.as_dict()).items()):
        if key != "source":
            lines.append(f"  {key} = {_toml_like(value)}")
    return "\n".join(lines)


def _flat(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict) and key != "globals":
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _toml_like(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        inner = ", ".join(f'"{k}" = "{v}"' for k, v in sorted(value.items()))
        return "{" + inner + "}"
    return str(value)
