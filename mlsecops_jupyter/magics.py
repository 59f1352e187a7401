"""``%mlsec``: the IPython front end (``%load_ext mlsecops_jupyter``).

Thin by design: parse the command line, look names up in the notebook's namespace, call a check,
record its report (lineage hook), display it, and in strict mode raise ``MLSecCheckFailed`` after
the report is shown. Bad input becomes IPython's ``UsageError``: one line, no traceback.

Loading must stay well under a second, so nothing heavy is imported here: commands, checks and
ipywidgets are imported when a command first runs.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Mapping
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

from .commands import COMMANDS
from .commands._parser import ParserExit
from .core.errors import MLSecCheckFailed, MLSecError
from .core.report import Report
from .core.settings import Settings
from .core.severity import Severity

HELP_WORDS = ("help", "-h", "--help")
OUTPUT_FORMATS = ("widget", "text", "json", "html")
# results other than reports that commands display once through ``present``
SHOWN_ONCE = (
    ("mlsecops_jupyter.display.lineage", "LineageView"),
    ("mlsecops_jupyter.card.export", "CardFiles"),
)


@magics_class
class MLSecMagics(Magics):
    """Holds the session's settings and the reports already shown in the running cell."""

    def __init__(self, shell: Any, settings: Settings | None = None,
                 recorder: Any = None) -> None:
        super().__init__(shell)
        self.settings = settings if settings is not None else Settings.load()
        # lineage.LineageRecorder when recording is on: every report lands in the lineage log
        self.recorder = recorder
        # reports the magic displayed during the current cell: when the magic is the cell's
        # last expression the display hook gets the same Report back and must not show it again
        self._shown_this_cell: list[Report] = []

    # -- the magic -------------------------------------------------------------------------
    @line_magic
    def mlsec(self, line: str) -> Report | None:
        """Security and responsibility checks for machine learning.

        ``%mlsec help`` lists the commands; ``%mlsec COMMAND -h`` shows a command's options.

        Examples::

            %mlsec scan model.joblib
            report = %mlsec scan clf --fail-on high
            %mlsec config --fail-on high
        """
        try:
            argv = shlex.split(line)
        except ValueError as exc:
            raise UsageError(f"%mlsec: cannot parse the line ({exc})") from None
        if not argv or argv[0] in HELP_WORDS:
            self._help(argv[1:])
            return None
        name, rest = argv[0], argv[1:]
        command = COMMANDS.get(name)
        if command is None:
            raise UsageError(
                f"%mlsec: unknown command {name!r}; commands: {', '.join(self._command_names())}"
                " (%mlsec help)"
            )
        module = command.load()
        prog = f"%mlsec {name}"
        try:
            args = module.build_parser(prog).parse_args(rest)
        except ParserExit:
            return None
        except MLSecError as exc:
            raise UsageError(f"{prog}: {_one_line(exc)} (see {prog} -h)") from None
        try:
            return module.run(self, args)
        except MLSecCheckFailed as exc:
            _show_as_one_line(exc)
            raise
        except MLSecError as exc:
            raise UsageError(f"{prog}: {_one_line(exc)}") from None

    # -- what commands use (commands.Session) -------------------------------------------------
    def user_namespace(self) -> Mapping[str, Any]:
        return self.shell.user_ns if self.shell is not None else {}

    def deliver(self, report: Report, *, output_format: str = "widget",
                fail_on: Severity | None = None) -> Report:
        """Accept what the baseline lists, record, display, then enforce strict mode; returns
        the report."""
        from .core.baseline import apply_baseline

        report = apply_baseline(report, self.settings)
        self._record(report)
        self._display(report, output_format)
        if report.fails(fail_on):
            raise MLSecCheckFailed(report, fail_on)
        return report

    def record(self, report: Report) -> None:
        """Append a report to the lineage log without displaying it (``%mlsec card``)."""
        self._record(report)

    def present(self, view: Any, *, output_format: str = "widget") -> Any:
        """Display a non-report result (``LineageView``, card files) once; returns it.

        ``view.mimebundle(output_format)`` gives the output; like a report, it is not shown a
        second time when the magic is the cell's last expression.
        """
        from IPython.display import display

        display(view.mimebundle(output_format), raw=True)
        self._shown_this_cell.append(view)
        return view

    def _record(self, report: Report) -> None:
        """Append the report to the lineage log, linked to the running cell (never raises)."""
        if self.recorder is not None:
            self.recorder.record_check(report)

    # -- display -----------------------------------------------------------------------------
    def _display(self, report: Report, output_format: str) -> None:
        from IPython.display import display

        from .display import render_html, render_text, show

        if output_format == "widget":
            show(report)
        elif output_format == "html":
            display({"text/html": render_html(report), "text/plain": render_text(report)},
                    raw=True)
        elif output_format == "text":
            display({"text/plain": render_text(report)}, raw=True)
        elif output_format == "json":
            import json

            text = report.to_json()
            display({"application/json": json.loads(text), "text/plain": text}, raw=True)
        else:
            raise UsageError(f"unknown output format {output_format!r}")
        self._shown_this_cell.append(report)

    def display_report(self, report: Report) -> None:
        """IPython display formatter for ``Report`` (``report`` as a cell's last expression).

        Skipped once when the magic already displayed that very report object in this cell:
        ``%mlsec scan x`` as the last line and ``r = %mlsec scan x`` followed by ``r`` show it
        once; ``r`` or ``display(r)`` in a later cell show it again. (Whether the call comes from
        the display hook cannot be told reliably: ipykernel's hook does not set ``is_active``.)
        """
        from .display import show

        for index, shown in enumerate(self._shown_this_cell):
            if shown is report:
                del self._shown_this_cell[index]
                return
        if isinstance(report, Report):
            show(report)
        else:  # a LineageView or card files
            from IPython.display import display

            display(report.mimebundle(), raw=True)

    def forget_shown(self, *args: Any) -> None:
        """``pre_run_cell`` hook: a new cell shows its reports afresh."""
        self._shown_this_cell.clear()

    # -- help ----------------------------------------------------------------------------------
    def _help(self, topics: list[str]) -> None:
        if topics:
            command = COMMANDS.get(topics[0])
            if command is None:
                raise UsageError(
                    f"%mlsec help: unknown command {topics[0]!r}; commands: "
                    f"{', '.join(self._command_names())}"
                )
            print(command.load().build_parser(f"%mlsec {command.name}").format_help(), end="")
        else:
            print(help_text())

    @staticmethod
    def _command_names() -> list[str]:
        return sorted([*COMMANDS, "help"])


def help_text() -> str:
    """``%mlsec help``: every command on one line."""
    width = max(len(name) for name in [*COMMANDS, "help"])
    lines = ["usage: %mlsec COMMAND [options]   (%mlsec COMMAND -h for the options of one)", ""]
    lines += [f"  {name:<{width}}  {COMMANDS[name].summary}" for name in sorted(COMMANDS)]
    lines.append(f"  {'help':<{width}}  this list")
    return "\n".join(lines)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _show_as_one_line(exc: MLSecCheckFailed) -> None:
    """Strict-mode failures are expected outcomes, not bugs: IPython shows them as one line.

    IPython (and ipykernel) call ``_render_traceback_`` on an exception when it has one; the
    exception itself is still raised, so nbval/nbmake/pytest see the failure.
    """
    message = f"MLSecCheckFailed: {_one_line(exc)}"
    exc._render_traceback_ = lambda: [message]  # type: ignore[attr-defined]


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%mlsec``, the ``Report`` display formatter and the per-cell reset hook."""
    try:
        settings = Settings.load()
    except MLSecError as exc:
        raise UsageError(f"mlsecops_jupyter: {_one_line(exc)}") from None
    recorder = None
    if settings.lineage.enabled:
        from .lineage import LineageRecorder

        recorder = LineageRecorder(settings=settings)
        recorder.attach(ipython)
    magics = MLSecMagics(ipython, settings=settings, recorder=recorder)
    ipython.register_magics(magics)
    ipython.display_formatter.ipython_display_formatter.for_type(Report, magics.display_report)
    for module, name in SHOWN_ONCE:  # by name: registering must not import them
        ipython.display_formatter.ipython_display_formatter.for_type_by_name(
            module, name, magics.display_report)
    ipython.events.register("pre_run_cell", magics.forget_shown)
    # runtime row provenance for `%mlsec leakage --code`; hooks install when sklearn arrives
    from .provenance import KernelProvenance

    magics.provenance = KernelProvenance(lambda: magics.settings, shell=ipython)
    ipython.events.register("pre_run_cell", magics.provenance.before_cell)


def unload_ipython_extension(ipython: Any) -> None:
    """Undo ``load_ipython_extension`` (``%unload_ext`` / ``%reload_ext``)."""
    manager = ipython.magics_manager
    magics = manager.registry.pop(MLSecMagics.__name__, None)
    manager.magics["line"].pop("mlsec", None)
    ipython.display_formatter.ipython_display_formatter.pop(Report, None)
    for module, name in SHOWN_ONCE:
        ipython.display_formatter.ipython_display_formatter.pop(f"{module}.{name}", None)
    if magics is not None:
        with contextlib.suppress(ValueError):
            ipython.events.unregister("pre_run_cell", magics.forget_shown)
        if getattr(magics, "recorder", None) is not None:
            magics.recorder.detach(ipython)
        provenance = getattr(magics, "provenance", None)
        if provenance is not None:
            with contextlib.suppress(ValueError):
                ipython.events.unregister("pre_run_cell", provenance.before_cell)
            provenance.stop()
