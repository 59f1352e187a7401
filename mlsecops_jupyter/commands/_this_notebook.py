"""Which notebook is this kernel running, and which cells has it run: the same in every runner.

``%mlsec notebook`` and ``%mlsec leakage --code`` (no path) analyse *this* notebook. What a
kernel is told about it depends on who drives it:

==============  =================================================  ===============================
runner          the notebook's file                                the cells run so far
==============  =================================================  ===============================
JupyterLab      ``JPY_SESSION_NAME`` (ipykernel copies it to       ``In[]``; cell ids in each
                ``__session__``)                                   request
VS Code         ``__vsc_ipynb_file__``                             ``In[]``; cell ids
mlsec execute   ``JPY_SESSION_NAME`` (set by the runner)           ``In[]``; cell ids
nbclient,       nothing; the kernel's working directory is the     ``In[]``, no cell ids
nbmake          notebook's folder (nbmake; nbclient when told)
papermill       nothing; an injected ``# Parameters`` cell that    ``In[]``, no cell ids
                is not in the input file; an output notebook
                whose ``metadata.papermill.input_path`` names it
nbval           nothing; working directory = notebook's folder     nothing: ``store_history=False``
                                                                   leaves ``In[]`` empty and every
                                                                   cell the same execution count
==============  =================================================  ===============================

So the cells come from IPython's ``pre_run_cell`` event, which every runner triggers
(``SessionCells``: the raw sources, in memory only, in order of execution, with the front end's
cell id and the ``In[]`` number when there is one), not from ``In[]`` alone; and the lineage
log cannot stand in, because it stores sources with their secrets masked. The file is found
from what the front end says, else by content: the ``.ipynb`` in the working directory whose
code cells hold the cells run so far (``locate_notebook``). When neither works the caller is
told why, and strict mode fails rather than pass on a partial view.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import MLSecError
from ..core.notebook_io import read_notebook_file
from ..core.report import Skipped
from ..core.settings import Settings

SESSION_ENV = "JPY_SESSION_NAME"  # jupyter_server (and mlsec execute) name the notebook here
NOTEBOOK_NAMES = ("__vsc_ipynb_file__", "__session__")  # VS Code; ipykernel's copy of the env
PAPERMILL_COMMENT = "# Parameters"  # first line of the cell papermill injects (translators.py)
MAX_SESSION_CELLS = 10_000
MAX_SESSION_CHARS = 64 * 1024 * 1024  # sources kept in memory, all cells together
MAX_CANDIDATES = 200
MAX_CANDIDATE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SessionCell:
    """One cell the kernel ran: its place in this session, raw source, front-end id, In[] no."""

    position: int
    source: str
    cell_id: str | None = None
    execution_count: int | None = None


class SessionCells:
    """Every cell run since the extension loaded, from ``pre_run_cell`` (in memory only).

    The newest ``MAX_SESSION_CELLS`` cells, at most ``MAX_SESSION_CHARS`` characters of source
    in all, are kept (``dropped`` counts the others, and the commands say so). A shell reset to
    a new session (``reset(new_session=True)``: new history session) starts the list afresh.
    """

    def __init__(self, shell: Any = None) -> None:
        self.shell = shell
        self.cells: list[SessionCell] = []
        self.dropped = 0
        self._history_session = self._session_key()
        self._position = 0
        self._chars = 0

    def _session_key(self) -> tuple[int, Any]:
        history = getattr(self.shell, "history_manager", None)
        return id(history), getattr(history, "session_number", None)

    def before_cell(self, info: Any = None) -> None:
        """``pre_run_cell``: remember the cell about to run."""
        key = self._session_key()
        if key != self._history_session:
            self._history_session = key
            self.cells.clear()
            self.dropped = 0
            self._position = 0
            self._chars = 0
        source = getattr(info, "raw_cell", None)
        if not isinstance(source, str) or not source.strip():
            return
        count = getattr(self.shell, "execution_count", None)
        if isinstance(count, int) and getattr(info, "store_history", False):
            count -= 1  # IPython has already counted the cell it is about to run
        else:
            count = None  # without stored history every cell has the same number
        cell_id = getattr(info, "cell_id", None)
        self._position += 1
        self.cells.append(SessionCell(self._position, source,
                                      str(cell_id) if cell_id else None, count))
        self._chars += len(source)
        while len(self.cells) > 1 and (len(self.cells) > MAX_SESSION_CELLS
                                       or self._chars > MAX_SESSION_CHARS):
            self._chars -= len(self.cells.pop(0).source)
            self.dropped += 1

    def add_running_cell(self) -> None:
        """The cell that loads the extension ran before ``pre_run_cell`` was hooked: take its
        source from the shell's running execution (``displayhook.exec_result``)."""
        result = getattr(getattr(self.shell, "displayhook", None), "exec_result", None)
        info = getattr(result, "info", None)
        if info is not None:
            self.before_cell(info)


def executed_cells(session: Any) -> list[SessionCell]:
    """The cells this session ran, oldest first: ``In[]`` before the extension loaded (runners
    that store history), then every cell seen by ``SessionCells``.

    Without ``SessionCells`` (a front end that does not record them), ``In[]`` alone."""
    shell = getattr(session, "shell", None)
    namespace = session.user_namespace()
    raw = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if raw is None:
        raw = namespace.get("_ih") or namespace.get("In") or []
    history = [(count, source) for count, source in enumerate(raw)
               if count > 0 and isinstance(source, str) and source.strip()]
    recorder = getattr(session, "session_cells", None)
    if not isinstance(recorder, SessionCells) or not recorder.cells:
        return [SessionCell(i + 1, source, None, count)
                for i, (count, source) in enumerate(history)]
    seen = list(recorder.cells)
    first = seen[0].execution_count
    before = [(count, source) for count, source in history
              if first is not None and count < first] if not recorder.dropped else []
    cells = [SessionCell(0, source, None, count) for count, source in before]
    cells += seen
    return [SessionCell(i + 1, c.source, c.cell_id, c.execution_count)
            for i, c in enumerate(cells)]


def dropped_cells(session: Any) -> Skipped | None:
    """What a command says when the oldest cells of a long session were let go."""
    recorder = getattr(session, "session_cells", None)
    if not isinstance(recorder, SessionCells) or not recorder.dropped:
        return None
    return Skipped(f"the {recorder.dropped} oldest cell(s) run in this session",
                   f"only the newest {MAX_SESSION_CELLS} cells and {MAX_SESSION_CHARS // 2**20} "
                   "MB of source are kept in memory; the saved notebook holds the rest")


# -- the notebook's file ---------------------------------------------------------------------
@dataclass(frozen=True)
class Located:
    """The notebook's file (or ``None``), how it was found, or why it was not."""

    path: Path | None
    how: str
    candidates: tuple[str, ...] = field(default=())


def named_notebook(namespace: Mapping[str, Any], settings: Settings) -> tuple[Path, str] | None:
    """The file the front end (or ``lineage.notebook``) names, when it exists."""
    sources = [("lineage.notebook", settings.lineage.notebook),
               (SESSION_ENV, os.environ.get(SESSION_ENV))]
    sources += [(name, namespace.get(name)) for name in NOTEBOOK_NAMES]
    for how, candidate in sources:
        if isinstance(candidate, str) and candidate:
            path = Path(os.path.expanduser(candidate))
            # jupyter_server may pass the path relative to its root; the kernel runs in the
            # notebook's folder, so the bare name is the fallback
            for option in (path, Path(path.name)):
                if option.suffix == ".ipynb" and option.is_file():
                    return option, how
    return None


def is_injected_parameters(source: str) -> bool:
    """The cell papermill adds to run a notebook with parameters (not in the input file)."""
    return source.lstrip().split("\n", 1)[0].strip() == PAPERMILL_COMMENT


def locate_notebook(namespace: Mapping[str, Any], settings: Settings,
                    ran: Sequence[str], folder: Path | None = None) -> Located:
    """This session's notebook file: named by the front end, else matched by content.

    Content: among the notebooks of ``folder`` (the working directory), the one whose code
    cells hold the sources ``ran`` so far (papermill's injected parameters aside) as one
    contiguous run, as a top-to-bottom runner executes them; failing that, the only one that
    holds them all in any order. A papermill output beside its input is the same notebook:
    the input (the file under version control) is kept.
    """
    named = named_notebook(namespace, settings)
    if named is not None:
        return Located(named[0], named[1])
    wanted = [s.strip() for s in ran if s.strip() and not is_injected_parameters(s)]
    if not wanted:
        return Located(None, "no cell has run yet to recognise the notebook by")
    where = folder if folder is not None else Path()  # relative names, as a user reads them
    try:
        files = sorted(p for p in where.glob("*.ipynb") if p.is_file())[:MAX_CANDIDATES]
    except OSError as exc:
        return Located(None, f"cannot list {where} ({exc.strerror or exc})")
    contiguous: list[tuple[Path, Mapping[str, Any]]] = []
    anywhere: list[tuple[Path, Mapping[str, Any]]] = []
    for path in files:
        try:
            notebook = read_notebook_file(path, max_bytes=MAX_CANDIDATE_BYTES)
        except MLSecError:  # not ours to judge here: only a readable notebook can match
            continue
        sources = _code_sources(notebook)
        if _holds_run(sources, wanted):
            contiguous.append((path, notebook))
        elif set(wanted) <= set(sources):
            anywhere.append((path, notebook))
    for tier, how in ((contiguous, "its cells match the cells run so far"),
                      (anywhere, "it holds every cell run so far")):
        matches = _without_papermill_outputs(tier)
        if len(matches) == 1:
            return Located(matches[0], how)
        if matches:
            names = tuple(p.name for p in matches)
            return Located(None, f"{len(matches)} notebooks in the working directory hold "
                           f"the cells run so far ({', '.join(names)})", names)
    return Located(None, f"no notebook in the working directory ({len(files)} checked) holds "
                   "the cells run so far")


def _code_sources(notebook: Mapping[str, Any]) -> list[str]:
    """Stripped sources of the non-empty code cells (an empty cell never reaches the kernel)."""
    sources = []
    for cell in notebook.get("cells", []):
        if isinstance(cell, Mapping) and cell.get("cell_type") == "code":
            text = cell.get("source", "")
            text = "".join(map(str, text)) if isinstance(text, list) else str(text)
            if text.strip():
                sources.append(text.strip())
    return sources


def _holds_run(sources: Sequence[str], wanted: Sequence[str]) -> bool:
    """``wanted`` appears in ``sources`` as one contiguous run."""
    size = len(wanted)
    return any(list(sources[start:start + size]) == list(wanted)
               for start in range(len(sources) - size + 1))


def _without_papermill_outputs(matches: list[tuple[Path, Mapping[str, Any]]]) -> list[Path]:
    """Drop a papermill output notebook whose input is also among the matches."""
    resolved = {path.resolve() for path, _ in matches}
    kept = []
    for path, notebook in matches:
        metadata = notebook.get("metadata")
        papermill = metadata.get("papermill") if isinstance(metadata, Mapping) else None
        source = papermill.get("input_path") if isinstance(papermill, Mapping) else None
        if isinstance(source, str) and source:
            # papermill records the input path as it was given: relative to where it ran
            inputs = {(base / source).resolve() for base in (Path.cwd(), path.parent)}
            if any(item in resolved and item != path.resolve() for item in inputs):
                continue
        kept.append(path)
    return kept
