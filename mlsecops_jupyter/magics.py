"""``%mlsec``: the IPython front end (``%load_ext mlsecops_jupyter``).

Thin by design: parse the command line, look names up in the notebook's namespace, call a check,
record its report (lineage hook), display it, and in strict mode raise ``MLSecCheckFailed`` after
the report is shown. Bad input becomes IPython's ``UsageError``: one line, no traceback; in
strict mode a ``StrictUsageError``, the same line published as an error, so that a check that
cannot run fails the run under every runner (nbval included).

Loading must stay well under a second, so nothing heavy is imported here: commands, checks and
ipywidgets are imported when a command first runs.
"""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Mapping
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

from .commands import COMMANDS
from .commands._parser import NO_THRESHOLD, ParserExit
from .commands._this_notebook import SessionCells
from .core.errors import MLSecCheckFailed, MLSecError, MLSecIncompleteError
from .core.report import Report
from .core.settings import Settings, strict_requested
from .core.severity import Severity
from .runner.reports import REPORTS_ENV

HELP_WORDS = ("help", "-h", "--help")
OUTPUT_FORMATS = ("html", "widget", "text", "json")
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
        # every cell the kernel runs (raw source, cell id), for the commands that analyse this
        # notebook: In[] stays empty under nbval, and the lineage log masks secrets
        self.session_cells = SessionCells(shell)

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
            return self._run_line(line)
        except UsageError as exc:
            if type(exc) is UsageError and self._strict(line):
                raise StrictUsageError(str(exc)) from None
            raise

    def _run_line(self, line: str) -> Report | None:
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
        from .display.progress import showing_progress, sink_for_session

        try:
            with showing_progress(sink_for_session()):  # a status line after ~1 s of work
                return module.run(self, args)
        except MLSecCheckFailed as exc:
            _show_as_one_line(exc)
            raise
        except MLSecError as exc:
            incomplete = isinstance(exc, MLSecIncompleteError)  # says why it fails itself
            raise _usage_error(f"{prog}: {_one_line(exc)}", incomplete,
                               explain=not incomplete) from None

    def _strict(self, line: str) -> bool:
        """Strict mode for this call: the session's ``fail_on``, or ``--fail-on`` on the line
        (read from the raw words: the line may be the very thing that did not parse)."""
        if self.settings.fail_on is not None:
            return True
        words = line.split()
        for index, word in enumerate(words):
            value = None
            if word.startswith("--fail-on="):
                value = word.partition("=")[2]
            elif word == "--fail-on" and index + 1 < len(words):
                value = words[index + 1]
            if value is not None and value.strip("'\"").lower() not in NO_THRESHOLD:
                return True
        return False

    # -- what commands use (commands.Session) -------------------------------------------------
    def user_namespace(self) -> Mapping[str, Any]:
        return self.shell.user_ns if self.shell is not None else {}

    def deliver(self, report: Report, *, output_format: str = "html",
                fail_on: Severity | None = None) -> Report:
        """Accept what the baseline lists, record, display, then enforce strict mode; returns
        the report."""
        from .core.baseline import apply_baseline

        report = apply_baseline(report, self.settings)
        self._record(report)
        if os.environ.get(REPORTS_ENV):  # `mlsec execute` collects the run's reports
            from .runner.reports import export_report

            export_report(report)
        self._display(report, output_format)
        if report.fails(fail_on):
            raise MLSecCheckFailed(report, fail_on)
        return report

    def record(self, report: Report) -> None:
        """Append a report to the lineage log without displaying it (``%mlsec card``)."""
        self._record(report)

    def present(self, view: Any, *, output_format: str = "html") -> Any:
        """Display a non-report result (``LineageView``, card files) once; returns it.

        ``view.mimebundle(output_format)`` gives the output; like a report, it is not shown a
        second time when the magic is the cell's last expression.
        """
        from .display import display_marked

        display_marked(view.mimebundle(output_format), _view_check(view))
        self._shown_this_cell.append(view)
        return view

    def _record(self, report: Report) -> None:
        """Append the report to the lineage log, linked to the running cell (never raises)."""
        if self.recorder is not None:
            self.recorder.record_check(report)

    # -- display -----------------------------------------------------------------------------
    def _display(self, report: Report, output_format: str) -> None:
        """Show the report as one output marked as ours (the notebook scan skips it).

        ``html`` (the default) is self-contained HTML + text: it outlives the kernel, which a
        widget view does not (``display/__init__.py``). ``widget`` shows that same output and,
        as a second output below it, the live ``ReportWidget``: an enhancement that cannot hide
        the saved report (after the kernel is gone only the widget output goes blank).
        """
        from .display import display_marked, render_text, report_mimebundle, show_live_widget

        if output_format in ("widget", "html"):
            data = report_mimebundle(report)
        elif output_format == "text":
            data = {"text/plain": render_text(report)}
        elif output_format == "json":
            import json

            text = report.to_json()
            data = {"application/json": json.loads(text), "text/plain": text}
        else:
            raise UsageError(f"unknown output format {output_format!r}")
        display_marked(data, report.check)
        if output_format == "widget":
            show_live_widget(report)
        self._shown_this_cell.append(report)

    def display_report(self, report: Report) -> None:
        """IPython display formatter for ``Report`` (``report`` as a cell's last expression).

        Skipped once when the magic already displayed that very report object in this cell:
        ``%mlsec scan x`` as the last line and ``r = %mlsec scan x`` followed by ``r`` show it
        once; ``r`` or ``display(r)`` in a later cell show it again. (Whether the call comes from
        the display hook cannot be told reliably: ipykernel's hook does not set ``is_active``.)
        """
        from .display import display_marked, show

        for index, shown in enumerate(self._shown_this_cell):
            if shown is report:
                del self._shown_this_cell[index]
                return
        if isinstance(report, Report):
            show(report)
        else:  # a LineageView or card files
            display_marked(report.mimebundle(), _view_check(report))

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


def _view_check(view: Any) -> str:
    """The marker's ``check`` name of a non-report output: ``lineage`` or ``card``."""
    return "lineage" if type(view).__name__ == "LineageView" else "card"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class StrictUsageError(UsageError):
    """A check that cannot run, in strict mode: the one line of a ``UsageError``, as an error.

    IPython prints an exception of exactly ``UsageError`` as one line on stderr and publishes
    no ``error`` message; nbval fails a cell only on such a message (it ignores the execute
    reply's status), so under ``pytest --nbval`` a check that could not run passed. Any other
    exception is rendered through ``_render_traceback_`` and published as an ``error`` output,
    which every runner (nbval, nbmake, nbclient, papermill) counts as a failed cell: this
    subclass keeps the one line and makes the failure count.
    """

    def __init__(self, message: str, *, explain: bool = True) -> None:
        super().__init__(f"{message} (strict mode: a check that cannot run fails the run)"
                         if explain else message)

    def _render_traceback_(self) -> list[str]:
        return [f"UsageError: {self}"]


def _usage_error(message: str, strict: bool, *, explain: bool = True) -> UsageError:
    return StrictUsageError(message, explain=explain) if strict else UsageError(message)


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
        # strict mode is in the settings that did not load: ask the environment and the file
        raise _usage_error(f"mlsecops_jupyter: {_one_line(exc)}",
                           strict_requested()) from None
    recorder = None
    if settings.lineage.enabled:
        from .lineage import LineageRecorder

        recorder = LineageRecorder(settings=settings)
    # the training data of fitted models, kept as their drift reference (%mlsec drift MODEL);
    # registered before the recorder so its record lands inside the cell that fitted the model
    from .provenance.reference import ReferenceCapture

    references = ReferenceCapture(lambda: magics.settings, recorder, ipython)
    ipython.events.register("post_run_cell", references.after_cell)
    if recorder is not None:
        recorder.attach(ipython)
    magics = MLSecMagics(ipython, settings=settings, recorder=recorder)
    magics.references = references
    ipython.register_magics(magics)
    ipython.display_formatter.ipython_display_formatter.for_type(Report, magics.display_report)
    for module, name in SHOWN_ONCE:  # by name: registering must not import them
        ipython.display_formatter.ipython_display_formatter.for_type_by_name(
            module, name, magics.display_report)
    ipython.events.register("pre_run_cell", magics.forget_shown)
    magics.session_cells.add_running_cell()
    ipython.events.register("pre_run_cell", magics.session_cells.before_cell)
    # runtime row provenance for `%mlsec leakage --code`; hooks install when sklearn arrives
    from .provenance import KernelProvenance

    magics.provenance = KernelProvenance(lambda: magics.settings, shell=ipython)
    magics.provenance.fit_listeners.append(references.on_fit)
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
        with contextlib.suppress(ValueError, AttributeError):
            ipython.events.unregister("pre_run_cell", magics.session_cells.before_cell)
        if getattr(magics, "recorder", None) is not None:
            magics.recorder.detach(ipython)
        references = getattr(magics, "references", None)
        if references is not None:
            with contextlib.suppress(ValueError):
                ipython.events.unregister("post_run_cell", references.after_cell)
        provenance = getattr(magics, "provenance", None)
        if provenance is not None:
            with contextlib.suppress(ValueError):
                ipython.events.unregister("pre_run_cell", provenance.before_cell)
            provenance.stop()
