"""The ``MLSecError`` family: every user mistake becomes one of these, never a deep traceback.

Front ends catch ``MLSecError`` and turn it into a one-line message (IPython ``UsageError``
in the magic, exit code 2 in the CLI). ``MLSecCheckFailed`` is different: it is raised on purpose
by strict mode after the report was shown, so that nbval/nbmake/pytest fail the notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report


class MLSecError(Exception):
    """Base class of every error this package raises on purpose."""


class MLSecUsageError(MLSecError):
    """Bad arguments: unknown command or option, wrong type, bad value."""


class MLSecInputError(MLSecError):
    """Input that cannot be checked: missing or unreadable file, empty frame, missing column."""


class MLSecIncompleteError(MLSecInputError):
    """Strict mode, and a check could not see all of its input (``%mlsec notebook`` that cannot
    find the notebook's file): the run fails, as it would for a check that cannot run."""


class MLSecConfigError(MLSecError):
    """A settings file or override that does not parse or names an unknown setting."""


class MLSecCheckFailed(MLSecError):
    """Strict mode: a check produced findings at or above the configured ``fail_on`` severity."""

    def __init__(self, report: Report, threshold: object) -> None:
        self.report = report
        self.threshold = threshold
        reached = report.blocking(threshold)  # type: ignore[arg-type]
        rules = sorted({f.rule for f in reached})
        super().__init__(
            f"{report.check} on {report.subject}: {len(reached)} finding(s) at or above "
            f"{threshold} ({', '.join(rules)}); strict mode fails this run"
        )
