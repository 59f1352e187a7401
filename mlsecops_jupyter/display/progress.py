"""Where long work shows its progress: a status line in the notebook, a bar on stderr.

Checks report through ``core.progress.task``; these are the sinks the front ends install:

- ``NotebookStatus`` (``%mlsec`` in a kernel): after ``DELAY_S`` of work, one output appears
  in the running cell and is updated in place (``label: 120/400 (30%) · note · 4 s``); when the
  command ends it is emptied and hidden. It is an ipywidgets view and nothing else, which makes it
  invisible to nbval (it never compares widget views: no ``text/plain`` to differ between runs)
  and leaves no clutter in a saved notebook: its final form is a view of no model, which
  JupyterLab hides.
- ``StderrBar`` (the ``mlsec`` CLI, terminal IPython): a one-line bar redrawn with ``\\r`` on
  stderr, only when stderr is a terminal, erased at the end.

Work under a second shows nothing. A ticker thread redraws (and makes the status appear) even
while a check is inside one long call that reports nothing, e.g. loading Presidio's pipeline.
Sinks never raise into the check: a broken display loses the status line, not the report.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ..core.progress import ProgressSink, using_sink

if TYPE_CHECKING:
    import threading

DELAY_S = 1.0  # work shorter than this shows nothing
TICK_S = 0.25  # redraw interval
BAR_WIDTH = 24


@dataclass
class _Running:
    label: str
    total: int | None
    done: int = 0
    note: str = ""


def status_text(running: list[_Running], elapsed_s: float) -> str:
    """``explain: SHAP values 120/400 (30%) · row 7 · 4 s``: the innermost task, plain text."""
    if not running:
        return ""
    current = running[-1]
    outer = running[0].label if len(running) > 1 else ""
    text = f"{outer}: {current.label}" if outer and outer != current.label else current.label
    if current.total:
        share = min(1.0, current.done / current.total)
        text += f" {current.done}/{current.total} ({share:.0%})"
    elif current.done:
        text += f" {current.done}"
    if current.note:
        text += f" · {current.note}"
    return f"{text} · {elapsed_s:.0f} s"


class _LiveProgress:
    """Task stack, timing and a ticker thread; subclasses draw and erase."""

    def __init__(self, delay_s: float | None = None, tick_s: float = TICK_S) -> None:
        self.delay_s = DELAY_S if delay_s is None else delay_s
        self.tick_s = tick_s
        import threading  # here: a CLI run off a terminal never draws, nor imports threading

        self._lock = threading.Lock()
        self._running: list[_Running] = []
        self._started_at: float | None = None
        self._shown = False
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    # -- the ProgressSink protocol (called by checks, on their thread) -----------------------
    def started(self, label: str, total: int | None) -> None:
        with self._lock:
            self._running.append(_Running(label, total))
            if self._started_at is None:
                self._started_at = time.monotonic()
                self._start_ticker()

    def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
        with self._lock:
            for entry in reversed(self._running):
                if entry.label == label:
                    entry.done, entry.total, entry.note = done, total, note
                    break

    def finished(self, label: str, elapsed_s: float) -> None:
        with self._lock:
            for index in range(len(self._running) - 1, -1, -1):
                if self._running[index].label == label:
                    del self._running[index]
                    break

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        """End of the command: stop the ticker and erase what was shown."""
        import threading

        self._stop.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join(timeout=5)
        with self._lock:
            if self._shown:
                self._safely(self._erase)
                self._shown = False
            self._running.clear()

    def _start_ticker(self) -> None:
        import threading

        context = contextvars.copy_context()  # the kernel's parent header: outputs go to the cell
        self._ticker = threading.Thread(target=context.run, args=(self._tick_loop,),
                                        name="mlsec-progress", daemon=True)
        self._ticker.start()

    def _tick_loop(self) -> None:
        while not self._stop.wait(self.tick_s):
            with self._lock:
                if self._stop.is_set() or self._started_at is None or not self._running:
                    continue
                elapsed = time.monotonic() - self._started_at
                if elapsed < self.delay_s:
                    continue
                self._shown = self._safely(self._draw, status_text(self._running, elapsed))

    @staticmethod
    def _safely(function: Any, *args: Any) -> bool:
        try:
            function(*args)
            return True
        except Exception:  # a status line must never break the check it describes
            return False

    def _draw(self, text: str) -> None:
        raise NotImplementedError

    def _erase(self) -> None:
        raise NotImplementedError


class StderrBar(_LiveProgress):
    """A bar on a terminal's stderr: ``[######------] label 120/400 (30%) · 4 s``."""

    def __init__(self, stream: IO[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream if stream is not None else sys.stderr
        self._width = 0

    def _draw(self, text: str) -> None:
        current = self._running[-1]
        if current.total:
            filled = int(BAR_WIDTH * min(1.0, current.done / current.total))
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        else:  # unknown amount of work: a block that moves with the clock
            position = int(time.monotonic() / self.tick_s) % BAR_WIDTH
            bar = "".join("#" if position <= i < position + 4 else "-" for i in range(BAR_WIDTH))
        line = f"[{bar}] {text}"[:_terminal_width() - 1]
        self.stream.write("\r" + line + " " * max(0, self._width - len(line)))
        self.stream.flush()
        self._width = len(line)

    def _erase(self) -> None:
        self.stream.write("\r" + " " * self._width + "\r")
        self.stream.flush()


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 20)).columns


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STATUS_CHECK = "progress"  # the marker's "check" name for status outputs


class NotebookStatus(_LiveProgress):
    """A status line in the running cell, updated in place, hidden when the command ends."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._widget: Any = None
        self._handle: Any = None
        self._view: dict[str, Any] = {}

    def _draw(self, text: str) -> None:
        import html

        value = (f'<span class="jp-MLSec-status" style="opacity: 0.8;">mlsec &middot; '
                 f"{html.escape(text)}</span>")
        if self._widget is None:
            import ipywidgets
            from IPython.display import display

            self._widget = ipywidgets.HTML(value)
            self._view = dict(self._widget._repr_mimebundle_()[WIDGET_MIME])
            data = {WIDGET_MIME: self._view}
            self._handle = display(data, raw=True, display_id=True,
                                   metadata=_marker(data))
        else:
            self._widget.value = value

    def _erase(self) -> None:
        if self._handle is not None:
            # a view of no model: JupyterLab hides it, live and after the notebook is reopened
            data = {WIDGET_MIME: dict(self._view, model_id="")}
            self._handle.update(data, raw=True, metadata=_marker(data))
        if self._widget is not None:
            self._widget.close()
        self._widget = self._handle = None


def _marker(data: dict[str, Any]) -> dict[str, Any]:
    from ..core.output_marker import report_output_metadata

    return report_output_metadata(STATUS_CHECK, data)


def sink_for_session() -> _LiveProgress | None:
    """The sink for ``%mlsec`` here: a status line in a kernel, a bar on a terminal, else none."""
    from . import widgets_available

    if widgets_available():
        return NotebookStatus()
    if _is_terminal(sys.stderr):
        return StderrBar()
    return None


def sink_for_cli(stream: IO[str] | None = None) -> StderrBar | None:
    """The ``mlsec`` CLI's sink: a bar when stderr is a terminal, nothing when it is not."""
    stream = stream if stream is not None else sys.stderr
    return StderrBar(stream) if _is_terminal(stream) else None


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def showing_progress(sink: _LiveProgress | ProgressSink | None) -> Iterator[None]:
    """Install ``sink`` for the block and erase whatever it showed when the block ends."""
    try:
        with using_sink(sink):
            yield
    finally:
        close = getattr(sink, "close", None)
        if close is not None:
            close()
