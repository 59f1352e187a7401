"""Progress of long work, reported by checks and shown by whichever front end runs them.

Checks must not know where progress goes (``checks/`` never imports IPython), so they report to
this module and the front end installs a *sink*: the ``%mlsec`` magic a live status line in the
notebook, the ``mlsec`` CLI a bar on stderr (only when stderr is a terminal). With no sink
installed, reporting costs one global read per call, so checks may report freely.

A check writes::

    with task("scanning notebook cells", total=len(cells)) as step:
        for cell in cells:
            ...
            step.advance()

and a front end::

    with using_sink(StderrBar()):
        report = scan_notebook(path)

Sinks decide what to show: the ones we ship stay silent for work that ends within a second.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Protocol

__all__ = ["ProgressSink", "Task", "current_sink", "task", "using_sink"]


class ProgressSink(Protocol):
    """Where progress goes. Every method must be cheap and must never raise."""

    def started(self, label: str, total: int | None) -> None:
        """A task began; ``total`` is ``None`` when the amount of work is unknown."""

    def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
        """``done`` units of ``total`` are finished; ``note`` names the current item."""

    def finished(self, label: str, elapsed_s: float) -> None:
        """The task ended (normally or by an exception)."""


_sink: ProgressSink | None = None


def current_sink() -> ProgressSink | None:
    return _sink


@contextlib.contextmanager
def using_sink(sink: ProgressSink | None) -> Iterator[None]:
    """Install ``sink`` for the duration of the block (nested front ends restore the outer one)."""
    global _sink
    previous, _sink = _sink, sink
    try:
        yield
    finally:
        _sink = previous


class Task:
    """One unit of long work; ``advance``/``update`` forward to the sink, if there is one."""

    __slots__ = ("done", "label", "sink", "started_at", "total")

    def __init__(self, label: str, total: int | None, sink: ProgressSink | None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.sink = sink
        self.started_at = time.monotonic()

    def advance(self, amount: int = 1, note: str = "") -> None:
        self.done += amount
        if self.sink is not None:
            self.sink.advanced(self.label, self.done, self.total, note)

    def update(self, done: int, total: int | None = None, note: str = "") -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self.sink is not None:
            self.sink.advanced(self.label, self.done, self.total, note)


@contextlib.contextmanager
def task(label: str, total: int | None = None) -> Iterator[Task]:
    """Report a piece of long work to the installed sink (a no-op when none is installed)."""
    sink = _sink
    current = Task(label, total, sink)
    if sink is not None:
        sink.started(label, total)
    try:
        yield current
    finally:
        if sink is not None:
            sink.finished(label, time.monotonic() - current.started_at)
