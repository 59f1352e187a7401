"""The ``%mlsec`` commands: one module per command, listed in one table.

A command module has two functions:

- ``build_parser(prog) -> CommandParser``: its options (``%mlsec <command> -h`` prints them);
- ``run(session, args) -> Report | None``: does the work through the ``Session`` it is given.

Adding a command (``leakage``, ``pii``, ``bias``, ``explain``, ``lineage``, ``card``,
``notebook`` ...) is one module plus one row in ``COMMANDS``. Modules are imported only when their
command runs, so ``%load_ext`` stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from ..core.report import Report
from ..core.settings import Settings
from ..core.severity import Severity


class Session(Protocol):
    """What a command may use of the front end that runs it (the ``%mlsec`` magic)."""

    settings: Settings

    def user_namespace(self) -> Mapping[str, Any]:
        """Variables of the notebook, for commands that take a variable name."""
        ...

    def record(self, report: Report) -> None:
        """Append the report to the lineage log only (no display, no strict mode)."""
        ...

    def present(self, view: Any, *, output_format: str) -> Any:
        """Display a non-report result (a lineage view, card files) once and return it."""
        ...

    def deliver(self, report: Report, *, output_format: str,
                fail_on: Severity | None) -> Report:
        """Record the report, display it, and raise ``MLSecCheckFailed`` in strict mode."""
        ...


@dataclass(frozen=True)
class Command:
    """One ``%mlsec`` command: its name, a one-line summary, the module that implements it."""

    name: str
    summary: str
    module: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        Command(
            "scan",
            "scan model files, bytes or in-memory objects for hidden code execution "
            "(never loads them)",
            "mlsecops_jupyter.commands.scan",
        ),
        Command(
            "lineage",
            "show this session's lineage timeline, a model's backward slice (--model VAR) or "
            "the chain status (--verify)",
            "mlsecops_jupyter.commands.lineage",
        ),
        Command(
            "card",
            "write the model card (Markdown, HTML, JSON) and CycloneDX ML-BOM of a model",
            "mlsecops_jupyter.commands.card",
        ),
        Command(
            "bias",
            "group fairness of predictions or a model: per-group rates, fairlearn's "
            "disparities, intervals",
            "mlsecops_jupyter.commands.bias",
        ),
        Command(
            "explain",
            "explain a fitted model with SHAP: importance, plots, dominant or sensitive "
            "features",
            "mlsecops_jupyter.commands.explain",
        ),
        Command(
            "leakage",
            "train/test leakage: duplicated rows, shared entities, temporal order, label "
            "proxies; --code: leakage in the notebook's code",
            "mlsecops_jupyter.commands.leakage",
        ),
        Command(
            "drift",
            "drift between reference and current data: each column, all jointly, label and "
            "predictions; a model as REFERENCE uses its recorded training data",
            "mlsecops_jupyter.commands.drift",
        ),
        Command(
            "poison",
            "tampered training data: flipped labels (confident learning), backdoor triggers, "
            "conflicting duplicates, outliers",
            "mlsecops_jupyter.commands.poison",
        ),
        Command(
            "pii",
            "personal data (cards, IBANs, SSNs, phones, e-mails, names, addresses) in a "
            "DataFrame's columns or a --text, offline",
            "mlsecops_jupyter.commands.pii",
        ),
        Command(
            "notebook",
            "credentials (SECRET-*) and personal data in a notebook's cells and outputs; no "
            "path: this notebook, saved file plus live history",
            "mlsecops_jupyter.commands.notebook",
        ),
        Command(
            "redact",
            "write a masked copy of a DataFrame (into a variable) or a CSV/Parquet/notebook "
            "file",
            "mlsecops_jupyter.commands.redact",
        ),
        Command(
            "sign",
            "sign a model file or folder (OpenSSF model-signing: EC key, certificate or "
            "keyless); recorded for the card and ML-BOM",
            "mlsecops_jupyter.commands.sign",
        ),
        Command(
            "verify",
            "verify a model file or folder against its signature: intact, or which files "
            "changed and who signed it",
            "mlsecops_jupyter.commands.verify",
        ),
        Command(
            "baseline",
            "accept the findings of notebooks (default: this one) in the baseline file, so "
            "strict mode and the hooks report them as accepted",
            "mlsecops_jupyter.commands.baseline",
        ),
        Command(
            "config",
            "show or change this session's settings (strict mode: --fail-on high)",
            "mlsecops_jupyter.commands.config",
        ),
    )
}

__all__ = ["COMMANDS", "Command", "Session"]
