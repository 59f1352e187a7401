"""The harmless canary payloads: if a sample were ever loaded, its only effect is the marker file.

Every malicious sample is built from these three strings (a shell command, a Python statement,
an argv list) so the session-wide check "the marker never exists" catches any accidental load,
whatever gadget the sample uses.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Canary:
    """The marker path and the payload spellings that would create it."""

    marker: Path

    @property
    def shell(self) -> str:
        """A shell command: ``touch <marker>``."""
        return f"touch {shlex.quote(str(self.marker))}"

    @property
    def python(self) -> str:
        """A Python statement that creates the marker."""
        return f"open({str(self.marker)!r}, 'w').close()"

    @property
    def argv(self) -> list[str]:
        """An argv list for exec-style APIs (no shell)."""
        return ["touch", str(self.marker)]

    @property
    def code_object_bytes(self) -> bytes:
        """``marshal.dumps`` of the compiled Python statement (compiled, never run)."""
        import marshal

        return marshal.dumps(compile(self.python, "<canary>", "exec"))


class Reduce:
    """An object that pickles as ``func(*args)``: lets CPython's own pickler write payloads.

    Pickling only records ``func`` by its module and name; nothing is called. ``__call__`` exists
    so a ``Reduce`` can itself be the callable of an outer ``Reduce`` (pickle insists on a
    callable there).
    """

    def __init__(self, func: object, *args: object) -> None:
        self.func = func
        self.args = args

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return self.func, self.args

    def __call__(self, *args: object) -> None:  # pragma: no cover - never invoked
        raise AssertionError("corpus payload objects are only ever pickled")
