"""What the code-leakage interpreter knows at each point of a notebook, and what it shares.

``Flow`` (``code_flow``) is one interpreter written as a few parts, each a class over this state:
statements and control flow (``code_flow``), assignments and expressions (``code_names``),
columns and selections (``code_columns``), calls (``code_calls``) and the effects of pandas
methods (``code_frames``); what a fit, split or evaluation means is ``code_ml``'s, and what
the rows' order and entities say at a split ``code_order``'s. ``FlowState`` holds the state
they all read and write, the helpers they all use, and stubs for the entry points each part
offers the others, so every part can be read, and type-checked, alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from .code_ml import Draft, LeakSemantics, Loop
from .code_roles import Roles
from .code_values import (
    AHEAD,
    Cols,
    Columns,
    Data,
    Estimator,
    Event,
    Func,
    GroupBy,
    Seq,
    Site,
    Split,
    Stat,
)

MAX_LINEAGE = 12  # calls remembered per value (where altered copies of rows were made)

COLUMN_PRESERVING = frozenset({
    "fillna", "astype", "copy", "replace", "clip", "round", "abs", "dropna", "drop_duplicates",
    "sort_values", "sort_index", "head", "tail", "sample", "query", "to_numpy", "interpolate",
    "where", "mask", "ffill", "bfill", "reset_index", "infer_objects", "convert_dtypes",
    "get_dummies", "log1p", "log", "sqrt", "nan_to_num", "asarray", "array", "DataFrame",
    "to_frame", "select_dtypes", "rename", "assign",
})

#: methods of ``df.columns`` (an Index) that return the same names
COLUMN_NAMES_SAME = frozenset({"tolist", "to_list", "copy", "to_numpy", "unique", "values"})

#: how much of a call's source a finding quotes (``ts['temp'].shift(-1)``)
QUOTE_LENGTH = 60


class _Return(Exception):
    pass


def series_events(events: dict[int, Event]) -> dict[int, Event]:
    """``x - x.mean()``: the statistics, turned into each row's value, mark it (``series``)."""
    return {i: replace(e, series=True) if e.kind == "preprocess" else e
            for i, e in events.items()}


def stored_events(events: dict[int, Event], column: str | None) -> dict[int, Event]:
    """``df["t_next"] = ...``: values read from later rows are now that column of the frame."""
    if column is None:
        return events
    return {i: replace(e, column=column) if (e.kind in AHEAD or e.series)
            and e.column is None else e for i, e in events.items()}


def quoted(node: ast.AST) -> str:
    """The source of a call, short enough for a finding's detail."""
    text = ast.unparse(node)
    return text if len(text) <= QUOTE_LENGTH else text[:QUOTE_LENGTH - 3] + "..."

def _bound_names(target: ast.expr) -> frozenset[str]:
    """The names a ``for`` target binds (``i``, ``(name, model)``)."""
    return frozenset(n.id for n in ast.walk(target) if isinstance(n, ast.Name))

def _stepped(iterable: ast.expr) -> bool:
    """``range(0, n, batch)`` / ``np.arange(0, n, step)``: a loop that jumps by a step."""
    return isinstance(iterable, ast.Call) and len(iterable.args) == 3 and (
        (isinstance(iterable.func, ast.Name) and iterable.func.id in ("range", "arange")) or
        (isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "arange"))


class FlowState(LeakSemantics):
    """The interpreter's state, shared helpers, and the entry points each part offers."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = [{}]
        self.drafts: dict[tuple[str, int | None, int], Draft] = {}
        self.cell: int | None = None
        self.roles = Roles()
        self.order = 0
        self.call_site: Site | None = None
        self.returns: list[list[Any]] = []
        self.loops: list[Loop] = []
        self.labels: set[str] = set()
        self.time_columns: set[str] = set()
        # keys of tables built one row per key and period (``groupby(['dock', 'slot'])
        # .size()``): lags within them follow a shared clock, not an entity's own life
        self.panel_keys: set[str] = set()
        self.temporal: dict[int, str] = {}
        # rows sorted by a time column: supports temporal evidence, decides nothing alone
        self.time_sorted: dict[int, str] = {}
        # names the held-out parts of each split were bound to (``valid`` and ``test``) and
        # early stopping on a validation-named part, decided once all parts are known
        self.holdout_names: dict[int, set[str]] = {}
        self.pending_early: list[tuple[Draft, int, Estimator, frozenset[int]]] = []
        # the datasets (origins) each estimator was scored on, by ``id`` of the estimator
        self.scored_on: dict[int, list[frozenset[int]]] = {}
        # early stopping on a separate dataset: a leak once the model is scored on it too
        self.pending_stopped: list[tuple[Draft, Estimator, frozenset[int]]] = []
        self.grouped: dict[int, str] = {}
        # group keys whose groups each run on a clock of their own (``groupby("batch")["ts"]
        # .transform(lambda t: t - t.min())``): each group is an entity with a life of its own
        self.own_clock_keys: set[str] = set()
        # per-entity aggregates of a column (``groupby('id')['x'].transform('mean')``): evidence
        # of repeated entities only if the column is not the label (then it is an encoding)
        self.entity_aggregates: dict[int, list[tuple[str | None, str]]] = {}
        # entity ids pulled out beside the data (``groups = df["speaker"]``) and entity columns
        # the notebook checked to be unique per row (``df["user_id"].is_unique``)
        self.entity_hints: dict[int, list[tuple[str, str]]] = {}
        self.unique_entities: set[tuple[int, str]] = set()
        # columns given to a category encoder, and the entity column a feature list showed
        # (see ``category_columns``)
        self.encoded_columns: set[str] = set()
        # model loops that scored held-out rows, decided at the end (see ``_validation_loop``)
        # and held-out parts scored outside any loop: (order, split id, part variable)
        self.pending_loops: list[tuple[Draft, Loop]] = []
        self.final_scorings: list[tuple[int, int, str | None]] = []
        self.feature_entity: str | None = None
        # the names a dataset was read under (file name, first variable): ``users.csv``
        self.origin_names: dict[int, list[str]] = {}
        self.pending_target: list[tuple[Event, Site]] = []
        self.manual_splits: dict[frozenset[int], Split] = {}
        # the parts of each hand-made split as bound: (name, side, value)
        self.manual_parts: dict[int, list[tuple[str, str, Data]]] = {}
        self.files_split: Split | None = None
        self.errors: list[tuple[Site, str]] = []  # statements the analysis could not follow
        self.target_flagged: set[tuple[int, str]] = set()
        self.emitted_events: set[int] = set()
        self.split_count = 0
        self.statements = 0
        self.assigning: frozenset[str] = frozenset()  # names the current statement rebinds
        # names bound by the loops / comprehensions being interpreted (``for i in idx``)
        self.loop_names: list[frozenset[str]] = []
        self.loop_steps: list[bool] = []  # does the loop step by more than one (batches)?
        # ``print(df.user_id.nunique(), len(df))``: entity counts and row counts seen in the
        # statement being interpreted, and the entity columns counted beside the rows
        self.statement_counts: list[tuple[str, Data]] = []
        self.statement_lengths: list[Data] = []
        self.entity_counts: dict[tuple[int, str], str] = {}
        # label columns computed from one other column (``df["band"] = band(df["salary"])``)
        self.label_sources: dict[str, str] = {}
        # label columns computed from columns of their own row (``df["lost"] = df.days < 365``):
        # the columns read, and where; they stand for the label while they stay in X
        # (and in which frame's column names: a later table keeping the label's name, such
        # as an hourly resample, does not hold those columns)
        self.label_formulas: dict[str, tuple[frozenset[str], Site, int]] = {}
        # what each prediction was made from: (model, rows predicted), for metric calls
        self.predictions: dict[int, tuple[Estimator, Data, Data]] = {}
        # columns over time, per namespace (see ``ColumnFlow._holds``): names assigned after
        # the frame was read, joins of columns not known by name (a token and when), and when
        # each name was first read (a name read before is a column that already existed)
        self.column_births: dict[int, set[str]] = {}
        self.column_joins: dict[int, list[tuple[str, int]]] = {}
        self.column_mentions: dict[int, dict[str, int]] = {}
        # origins cut by a date (``df[df.date < "2024"]``, ``df.loc["2024":]``): their rows are
        # taken in time order; and values read from later rows (or whole-series statistics)
        # that reached a split in time order, decided once the features are known
        self.time_cuts: set[int] = set()
        self.pending_future: dict[int, tuple[Event, Site]] = {}

    def site(self, node: ast.AST) -> Site:
        if self.call_site is not None:
            return self.call_site
        return Site(self.cell, getattr(node, "lineno", 1), self.order)

    # -- scopes -------------------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, name: str, value: Any) -> None:
        self.scopes[-1][name] = value

    # -- entry points of the other parts (the real ones override these) ----------------------
    def _absorb(self, base: Data, value: Any, node: ast.AST,
                column: str | None = None) -> None:
        raise NotImplementedError  # code_names

    def _add_columns(self, frame: Data, names: Iterable[str]) -> None:
        raise NotImplementedError  # code_columns

    def _ahead(self, data: Data, method: str, kwargs: dict[str, Any],
               node: ast.Call) -> dict[int, Event]:
        raise NotImplementedError  # code_frames

    def _masked_names(self, mask: ast.expr) -> Cols | None:
        raise NotImplementedError  # code_columns

    def _side_by_side(self, result: Data, left: Data, others: list[Any], node: ast.AST,
                      keys: Iterable[str] = ()) -> None:
        raise NotImplementedError  # code_columns

    def _mention(self, namespace: int, names: Iterable[str]) -> None:
        raise NotImplementedError  # code_columns

    def _column(self, base: Data, name: str) -> Data:
        raise NotImplementedError  # code_columns

    def _column_stat_function(self, data: Data, name: str, node: ast.AST) -> Data:
        raise NotImplementedError  # code_frames

    def _deleted_columns(self, args: list[Any], kwargs: dict[str, Any],
                         node: ast.Call) -> Data | None:
        raise NotImplementedError  # code_columns

    def _drop_columns(self, data: Data, labels: Any) -> None:
        raise NotImplementedError  # code_frames

    def _events_of(self, value: Any, node: ast.AST) -> dict[int, Event]:
        raise NotImplementedError  # code_names

    def _filter_names(self, columns: Columns, condition: ast.expr, var: str) -> Columns:
        raise NotImplementedError  # code_columns

    def _generic(self, args: list[Any], kwargs: dict[str, Any], name: str) -> Any:
        raise NotImplementedError  # code_calls

    def _holds_estimator(self, value: Any) -> bool:
        raise NotImplementedError  # code_flow

    def _index(self, data: Data, key: Any, node: ast.AST, *, positional: bool,
               indexer: bool = False) -> Any:
        raise NotImplementedError  # code_columns

    def _is_split_iter(self, value: Any) -> bool:
        raise NotImplementedError  # code_flow

    def _labelled_entity(self, values: list[Any], node: ast.AST) -> None:
        raise NotImplementedError  # code_frames

    def _name_arithmetic(self, op: ast.operator, left: Any, right: Any,
                         node: ast.AST) -> Seq | Cols | None:
        raise NotImplementedError  # code_columns

    def _names(self, value: Any) -> frozenset[str] | None:
        raise NotImplementedError  # code_columns

    def _rebuilt(self, data: Data, result: Data, node: ast.AST) -> None:
        raise NotImplementedError  # code_calls

    @staticmethod
    def _rowwise(kwargs: dict[str, Any]) -> bool:
        raise NotImplementedError  # code_calls

    def _selector_mask(self, estimator: Estimator, node: ast.AST) -> Any:
        raise NotImplementedError  # code_columns

    def _sliding_window(self, data: Data, node: ast.Subscript) -> None:
        raise NotImplementedError  # code_columns

    def _stat_item(self, stat: Stat, key: Any) -> Stat:
        raise NotImplementedError  # code_columns

    def cols_method(self, cols: Cols, method: str, args: list[Any],
                    kwargs: dict[str, Any], node: ast.Call) -> Any:
        raise NotImplementedError  # code_columns

    def data_method(self, data: Data, method: str, args: list[Any], kwargs: dict[str, Any],
                    node: ast.Call) -> Any:
        raise NotImplementedError  # code_frames

    def elements(self, value: Any) -> Iterator[Any]:
        raise NotImplementedError  # code_flow

    def eval(self, node: ast.expr | None) -> Any:
        raise NotImplementedError  # code_names

    def eval_call(self, node: ast.Call) -> Any:
        raise NotImplementedError  # code_calls

    def groupby_method(self, group: GroupBy, method: str, args: list[Any],
                       kwargs: dict[str, Any], node: ast.Call) -> Any:
        raise NotImplementedError  # code_frames

    def inline(self, func: Func, args: list[Any], kwargs: dict[str, Any],
               node: ast.Call) -> Any:
        raise NotImplementedError  # code_flow

    def loop(self, *, is_cv: bool, over_models: bool) -> Any:  # Flow.LoopContext
        raise NotImplementedError  # code_flow

    def statistic(self, data: Data, what: str, node: ast.AST, method: str | None = None) -> Stat:
        raise NotImplementedError  # code_frames

    def target_scores(self, x: Data, y: Any, what: str, node: ast.AST) -> Stat:
        raise NotImplementedError  # code_calls
