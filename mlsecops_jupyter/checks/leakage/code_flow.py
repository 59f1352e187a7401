"""One abstract interpretation over the cells of a notebook: where test rows leak.

The cells are run, in execution order, by a small interpreter over the abstract values of
``code_values``: every statement updates which variables hold full data, a train part or a test
part, which statistics were fitted on which rows, and which estimators were fitted on what.
Helper functions defined in the notebook are inlined at each call (bounded depth), loops run
their body once per known element, both branches of an ``if`` run. A leak is reported when
the dataflow reaches the point where it becomes one: a statistic fitted on all rows reaching a
split, a transformer or model fitted on a test part, a test part choosing among models.

What each library call does (fits, splits, resamples, predicts) comes from the tables in
``code_rules``; what a fit, split or evaluation means for leakage is ``code_ml``'s part.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator
from typing import Any

from . import code_rules as T
from .code_cells import ParsedCell
from .code_ml import Draft, LeakSemantics, Loop
from .code_roles import Roles, infer_roles
from .code_values import (
    UNKNOWN,
    Cols,
    Columns,
    Const,
    Data,
    Estimator,
    Event,
    Func,
    GroupBy,
    Indexer,
    IndexPart,
    Ref,
    RowIndex,
    Seq,
    Site,
    Split,
    SplitIter,
    Splitter,
    Stat,
    new_id,
)

#: column names standing for positions in a frame whose column order is unknown
LAST_COLUMN = "<last column>"
POSITIONAL = "<columns taken by position>"
MAX_DEPTH = 6  # helper functions inlined this deep
MAX_LINEAGE = 12  # calls remembered per value (where altered copies of rows were made)
MAX_LOOP_ITEMS = 12  # a loop over a literal list runs its body once per element up to this
STATEMENT_BUDGET = 20_000  # past this many interpreted statements loops run their body once
COLUMN_PRESERVING = frozenset({
    "fillna", "astype", "copy", "replace", "clip", "round", "abs", "dropna", "drop_duplicates",
    "sort_values", "sort_index", "head", "tail", "sample", "query", "to_numpy", "interpolate",
    "where", "mask", "ffill", "bfill", "reset_index", "infer_objects", "convert_dtypes",
    "get_dummies", "log1p", "log", "sqrt", "nan_to_num", "asarray", "array", "DataFrame",
    "to_frame", "select_dtypes", "rename", "assign",
})
#: methods of ``df.columns`` (an Index) that return the same names
COLUMN_NAMES_SAME = frozenset({"tolist", "to_list", "copy", "to_numpy", "unique", "values"})
LABEL_PRESERVING = frozenset({"map", "apply", "replace", "astype", "fillna", "clip", "round",
                              "abs", "where", "mask"})
#: element-wise tests of a column (``df.reopened.gt(0)``): like ``df.reopened > 0`` the result
#: is that column in another form, so a label made with one still names its column
COLUMN_TESTS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "isin"})
#: calls that make a label a function of its row's own columns (``np.where(df.x > 0, 1, 0)``,
#: ``df.x.ge(3)``, ``df.apply(lambda r: ..., axis=1)``)
FORMULA_CALLS = frozenset({"where", "select", "gt", "ge", "lt", "le", "eq", "ne", "between",
                           "isin", "apply", "map", "log", "log1p", "sqrt", "abs", "clip"})
#: calls that reach other rows (a next-period target, a per-group statistic): a label built
#: with them is not a function of its own row's columns, which may stay as features
CROSS_ROW_CALLS = frozenset({"shift", "diff", "rolling", "pct_change", "cumsum", "cumcount",
                             "cummax", "cummin", "expanding", "ewm", "groupby", "transform",
                             "merge", "join", "rank", "resample"})
#: attributes of a frame that are not columns (``df.values``, ``df.loc``)
FRAME_ATTRIBUTES = frozenset({"values", "index", "columns", "shape", "loc", "iloc", "at", "iat",
                              "dt", "str", "cat", "T", "size", "empty", "dtypes", "ndim"})
ROW_SUBSETS = frozenset({"head", "tail", "sample", "query", "nlargest", "nsmallest"})
BUILTIN_PASSTHROUGH = frozenset({"list", "tuple", "sorted", "reversed", "iter", "next", "set"})


# group statistics that give every row its entity's value: built only when entities repeat
#: reductions that, grouped by an entity and a period, build one row per entity and period
ENTITY_PERIOD_TABLES = frozenset({"agg", "aggregate", "mean", "median", "sum", "size", "count",
                                  "first", "last", "min", "max"})
ENTITY_AGGREGATES = frozenset({"transform", "agg", "aggregate", "mean", "median", "sum", "std",
                               "var", "min", "max", "nunique", "first", "last"})


class _Return(Exception):
    pass


class Flow(LeakSemantics):
    """Interpret parsed cells; ``drafts`` holds the leaks found, one per (rule, place)."""

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

    # -- driver -----------------------------------------------------------------------------
    def run(self, cells: list[ParsedCell]) -> list[Draft]:
        self.roles = infer_roles(p.tree for p in cells if p.tree is not None)
        for parsed in cells:
            if parsed.tree is None:
                continue
            self.cell = parsed.cell.index if parsed.cell.index >= 0 else None
            for statement in parsed.tree.body:
                self.order += 1
                self.statement_counts, self.statement_lengths = [], []
                self._exec_guarded(statement)
                self._counted_entities(statement)
        self.category_columns()
        # a column the label was computed from is the label in another form
        derived = {self.label_sources[name]: name for name in sorted(self.labels)
                   if name in self.label_sources and self.label_sources[name] not in self.labels}
        for event, _split_site in self.pending_target:
            if event.label in self.labels:
                self._emit_event(event, _split_site, resolved=True)
            elif event.label in derived:
                self._emit_event(event, _split_site, resolved=True, note=(
                    f"the label {derived[event.label]!r} is computed from {event.label!r}, "
                    f"and the result is split or cross-validated at {_split_site.describe()}"))
        for draft, split_id, estimator, stopped_on in self.pending_early:
            # stopping on ``valid`` is a leak only when ``valid`` is the only held-out part and
            # the model is not then scored on rows of another dataset (a separate test file)
            if not any(not T.VALIDATION_PART.search(name)
                       for name in self.holdout_names.get(split_id, ())) and \
                    not any(origin and not origin & stopped_on
                            for origin in self.scored_on.get(id(estimator), ())):
                self.emit(draft.rule, draft.site, draft.detail, draft.evidence)
        for draft, estimator, stopped_on in self.pending_stopped:
            # scored on the rows it stopped on, and on no third dataset (which would make the
            # stopping rows a validation set)
            scored = self.scored_on.get(id(estimator), [])
            if any(origin & stopped_on for origin in scored) and not any(
                    origin and not origin & stopped_on and not (
                        estimator.fitted_on is not None
                        and origin & estimator.fitted_on.origin) for origin in scored):
                self.emit(draft.rule, draft.site, draft.detail, draft.evidence)
        for draft, loop in self.pending_loops:
            if not self._validation_loop(loop):
                self.emit(draft.rule, draft.site, draft.detail, draft.evidence)
        return sorted(self.drafts.values(),
                      key=lambda d: (d.site.order, d.site.line, d.rule))

    def _exec_guarded(self, node: ast.stmt) -> None:
        # a deeply nested expression or a stray ``return`` ends this statement only
        with contextlib.suppress(RecursionError, _Return):
            try:
                self.exec(node)
            except (RecursionError, _Return):
                raise
            except Exception as exc:  # a construct the interpreter does not model
                self.errors.append((self.site(node), f"{type(exc).__name__}: {exc}"))

    def _counted_entities(self, statement: ast.stmt) -> None:
        """``print(df.patient_id.nunique(), len(df))``: the number of entities shown beside the
        number of rows is a look at how often an entity repeats (its equality with the row
        count, ``assert ... == len(df)``, says the opposite and is kept apart as unique)."""
        for column, data in self.statement_counts:
            if not any(length.origin & data.origin for length in self.statement_lengths):
                continue
            if not T.ENTITY_COLUMN.search(column) or T.ONE_ROW_ENTITY.search(column):
                continue
            for origin in data.origin:
                self.entity_counts.setdefault(
                    (origin, column), f"the distinct {column!r} are counted beside the rows "
                    f"({Site(self.cell, statement.lineno).describe()})")

    def _constant_flag(self, test: ast.expr) -> bool | None:
        """``if fit:`` in an inlined helper whose ``fit`` parameter is a constant (its default
        or a literal passed): the truth of the test, so the dead branch is skipped; ``None``
        when the test is anything else (both branches are analysed)."""
        negate = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        name = test.operand if negate else test  # type: ignore[attr-defined]
        if self.returns and len(self.scopes) >= 2 and isinstance(name, ast.Compare) and \
                isinstance(name.left, ast.Name) and len(name.ops) == 1 and \
                isinstance(name.ops[0], (ast.Is, ast.IsNot)) and \
                isinstance(name.comparators[0], ast.Constant) and \
                name.comparators[0].value is None:
            # ``if enc is None:`` in a helper given a fitted encoder (or left at its default
            # ``None``): the parameter's value decides which branch runs
            known = self.scopes[-1].get(name.left.id)
            if isinstance(known, Const):
                is_none = known.value is None
            elif isinstance(known, (Estimator, Data)):
                is_none = False
            else:
                return None
            return (is_none == isinstance(name.ops[0], ast.Is)) != negate
        if not self.returns or not isinstance(name, ast.Name) or len(self.scopes) < 2:
            return None
        value = self.scopes[-1].get(name.id)
        if not isinstance(value, Const) or not isinstance(value.value, (bool, int, type(None))):
            return None
        return bool(value.value) != negate

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

    # -- statements ---------------------------------------------------------------------------
    def exec(self, node: ast.stmt) -> None:
        self.statements += 1
        if isinstance(node, ast.Assign):
            self.assigning = frozenset(t.id for t in node.targets if isinstance(t, ast.Name))
            try:
                value = self.eval(node.value)
            finally:
                self.assigning = frozenset()
            for target in node.targets:
                self.assign(target, value, node)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.eval(node.value), node)
        elif isinstance(node, ast.AugAssign):
            current, extra = self.eval(node.target), self.eval(node.value)
            if isinstance(node.op, ast.Add) and isinstance(current, Seq) and \
                    isinstance(extra, Seq):
                # ``rows += [a, b]``: the list grows in place (every alias sees it)
                current.items.extend(extra.items)
                value = current
            else:
                value = self.combine([current, extra], node)
            self.assign(node.target, value, node)
        elif isinstance(node, ast.Expr):
            self.eval(node.value)
        elif isinstance(node, ast.Assert):
            self.eval(node.test)  # ``assert df["user_id"].is_unique`` tells about the rows
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.exec_for(node)
        elif isinstance(node, ast.While):
            self.eval(node.test)
            with self.loop(is_cv=False, over_models=False):
                self.exec_body(node.body)
            self.exec_body(node.orelse)
        elif isinstance(node, ast.If):
            self.eval(node.test)
            live = self._constant_flag(node.test)
            if live is not False:
                self.exec_body(node.body)
            if live is not True:
                self.exec_body(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.eval(item.context_expr)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, node)
            self.exec_body(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.exec_body(node.body)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                self.exec_body(handler.body)
            self.exec_body(node.orelse)  # type: ignore[attr-defined]
            self.exec_body(node.finalbody)  # type: ignore[attr-defined]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.bind(node.name, Func(node, node.name))
        elif isinstance(node, ast.ClassDef):
            self.bind(node.name, Ref(node.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bind(alias.asname, Ref(alias.name))
                else:
                    head = alias.name.split(".")[0]
                    self.bind(head, Ref(head))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                self.bind(alias.asname or alias.name, Ref(f"{node.module or ''}.{alias.name}"))
        elif isinstance(node, ast.Return):
            value = self.eval(node.value) if node.value is not None else Const(None)
            if self.returns:
                self.returns[-1].append(value)
            raise _Return()
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.delete(target)
        elif isinstance(node, ast.Match):
            self.eval(node.subject)
            for case in node.cases:
                self.exec_body(case.body)

    def exec_body(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.exec(statement)

    def exec_for(self, node: ast.For | ast.AsyncFor) -> None:
        iterable = self.eval(node.iter)
        elements = list(self.elements(iterable))
        is_cv = self._is_split_iter(iterable)
        over_models = sum(1 for e in elements if self._holds_estimator(e)) >= 2
        self.loop_names.append(_bound_names(node.target))
        self.loop_steps.append(_stepped(node.iter))
        try:
            with self.loop(is_cv=is_cv, over_models=over_models):
                for element in elements:
                    self.assign(node.target, element, node)
                    self.exec_body(node.body)
        finally:
            self.loop_names.pop()
            self.loop_steps.pop()
        self.exec_body(node.orelse)

    class LoopContext:
        def __init__(self, flow: Flow, loop: Loop) -> None:
            self.flow, self.loop = flow, loop

        def __enter__(self) -> Loop:
            self.flow.loops.append(self.loop)
            return self.loop

        def __exit__(self, *exc: Any) -> None:
            self.flow.loops.pop()
            self.flow._close_loop(self.loop)

    def loop(self, *, is_cv: bool, over_models: bool) -> Flow.LoopContext:
        return Flow.LoopContext(self, Loop(new_id(), self.order, is_cv, over_models))

    def _close_loop(self, loop: Loop) -> None:
        if loop.is_cv or not (loop.fits or loop.over_models) or not loop.evaluations:
            return
        site, test_name = loop.evaluations[0]
        site = next((s for s in loop.scorings if s.order >= site.order), site)
        self.pending_loops.append((Draft(
            "LEAK-MULTI-TEST", site,
            f"{test_name} is scored inside a loop that "
            f"{'fits models' if loop.fits else 'runs over several models'}: the test set "
            "chooses the model or its hyperparameters.",
            {"variable": test_name, "evaluations": len(loop.evaluations)}), loop))

    def _validation_loop(self, loop: Loop) -> bool:
        """The loop chose among models on held-out parts that are not the one scored at the
        end: after it, another part of the same split (bound to another name) is scored
        outside any loop, once. By the dataflow that part is the test set and the loop's
        parts are validation sets, whatever their names."""
        if not loop.parts or any(name is None for _, name in loop.parts):
            return False
        splits = {split for split, _ in loop.parts}
        return any(order > loop.start and split in splits and name is not None
                   and (split, name) not in loop.parts
                   for order, split, name in self.final_scorings)

    def elements(self, value: Any) -> Iterator[Any]:
        """What a ``for`` loop binds: literal elements, split folds, else one unknown."""
        if isinstance(value, SplitIter):
            yield Seq([IndexPart(value.split, "train"), IndexPart(value.split, "test")])
        elif isinstance(value, Seq) and value.items:
            # nested loops multiply: once the budget is spent, one element stands for all
            limit = MAX_LOOP_ITEMS if self.statements < STATEMENT_BUDGET else 1
            yield from value.items[:limit]
        elif isinstance(value, Data):
            yield value.derive(columns=False)
        else:
            yield UNKNOWN

    def _is_split_iter(self, value: Any) -> bool:
        if isinstance(value, (SplitIter, IndexPart)):
            return True
        if isinstance(value, Seq):
            return any(self._is_split_iter(item) for item in value.items[:2])
        return False

    def _holds_estimator(self, value: Any) -> bool:
        if isinstance(value, Estimator):
            return value.kind in ("model", "pipeline", "search")
        if isinstance(value, Seq):
            return any(self._holds_estimator(item) for item in value.items)
        return False

    # -- assignment ---------------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Any, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            if isinstance(value, Data):
                self._manual_split(target.id, value, node)
                fresh = value.name is None
                if fresh:
                    value.name = target.id
                    if value.part == "test" and value.split is not None and \
                            value.part_name is None:
                        value.part_name = target.id
                        self.holdout_names.setdefault(value.split.id, set()).add(target.id)
                    if value.read:
                        for origin in value.origin:
                            self.origin_names.setdefault(origin, []).append(target.id)
                if not value.cols_named:
                    # the features got their columns here: the line that builds X
                    value.cols_site, value.cols_named = self.site(node), True
                    value.cols_name = target.id
                elif (fresh or self._aliased(node, value)) and value.cols_name is not None \
                        and value.cols_name != target.id and value.cols_site is not None \
                        and self.call_site is None:
                    # ``claims = claims.drop(...)`` then ``X = claims.values``: the frame is
                    # handed on whole to a new name, which builds the features here; the
                    # line that narrowed it is kept for the detail
                    value.cols_from = value.cols_from or value.cols_site
                    value.cols_site, value.cols_name = self.site(node), target.id
            elif isinstance(value, (Cols, Seq)) and value.site is None:
                value.site = self.site(node)
            elif isinstance(value, Estimator) and value.name is None:
                value.name = target.id
            elif isinstance(value, Splitter) and value.site is None:
                value.site = self.site(node)
            if isinstance(value, Data):
                self._entity_vector(target.id, value, node)
            self.bind(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            names = target.elts
            if isinstance(value, Seq):
                items = list(value.items)
                starred = [i for i, t in enumerate(names) if isinstance(t, ast.Starred)]
                if starred and len(items) >= len(names) - 1:
                    i = starred[0]
                    tail = len(names) - i - 1
                    items = items[:i] + [Seq(items[i:len(items) - tail])] + items[
                        len(items) - tail:]
                for sub, item in zip(names, items, strict=False):
                    self.assign(sub.value if isinstance(sub, ast.Starred) else sub, item, node)
                for sub in names[len(items):]:
                    self.assign(sub, UNKNOWN, node)
            else:
                for sub in names:
                    element = value.derive(columns=False) if isinstance(value, Data) else UNKNOWN
                    self.assign(sub.value if isinstance(sub, ast.Starred) else sub, element,
                                node)
        elif isinstance(target, ast.Subscript):
            base = self.eval(target.value)
            if isinstance(base, Indexer):
                base = base.data
            if isinstance(base, Data):
                key = self.eval(target.slice)
                self._absorb(base, value, node)
                name = key.value if isinstance(key, Const) else None
                if isinstance(name, str):
                    if base.columns is not None and base.columns[0] == "all":
                        base.columns = ("all", base.columns[1] - {name})
                    elif base.columns is not None:
                        base.columns = ("list", base.columns[1] | {name})
                    if isinstance(value, Data) and value.label in self.time_columns:
                        self.time_columns.add(name)
                    if isinstance(node, ast.Assign):
                        read = {n.slice.value for n in ast.walk(node.value)
                                if isinstance(n, ast.Subscript) and isinstance(
                                    n.slice, ast.Constant) and isinstance(n.slice.value, str)}
                        formula = _formula_columns(node.value, target.value)
                        if formula and name not in formula:
                            self.label_formulas[name] = (formula, self.site(node),
                                                         base.namespace)
                        if len(read) == 1 and name not in read:
                            # ``df["band"] = band(df["salary"])``: a label computed from one
                            # column is that column in another form
                            self.label_sources[name] = read.pop()
            elif isinstance(base, Seq):
                base.items.append(value)
        elif isinstance(target, ast.Attribute):
            base = self.eval(target.value)
            if isinstance(base, Data):
                self._absorb(base, value, node)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, node)

    def _aliased(self, node: ast.AST, value: Data) -> bool:
        """``X, y = data, data[:, -1]``: a plain name handed on whole to a new name, the line
        that builds the features (reported there, like ``X = data.to_numpy()``)."""
        if not isinstance(node, ast.Assign):
            return False
        sources = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        return any(isinstance(item, ast.Name) and self.lookup(item.id) is value
                   for item in sources)

    def _entity_vector(self, name: str, value: Data, node: ast.AST) -> None:
        """``groups = df["speaker"]`` / ``speakers = meta["speaker_id"].values``: the entity of
        each row is kept beside the data, which only matters when entities repeat; a random
        split of those rows that never uses it puts one entity on both sides."""
        label = value.label
        if label is None or value.columns is None or value.columns[0] != "list":
            return
        if not (T.GROUPS_NAME.search(name) or (T.REPEATING_ENTITY.search(name)
                                               and T.ENTITY_COLUMN.search(label))):
            return
        why = (f"the entity of each row, {label!r}, is kept as {name!r} "
               f"({self.site(node).describe()}) but the split does not use it")
        for origin in value.origin:
            if not self.entity_table(origin, label):
                self.entity_hints.setdefault(origin, []).append((label, why))

    def _absorb(self, base: Data, value: Any, node: ast.AST) -> None:
        """An in-place change: what flowed into ``value`` now is in ``base`` (and its parents)."""
        events = self._events_of(value, node)
        frame: Data | None = base
        while frame is not None:
            frame.events.update(events)
            frame = frame.parent

    def delete(self, target: ast.expr) -> None:
        if isinstance(target, ast.Subscript):
            base = self.eval(target.value)
            key = self.eval(target.slice)
            if isinstance(base, Data):
                self._drop_columns(base, key)
        elif isinstance(target, ast.Name):
            for scope in reversed(self.scopes):
                if target.id in scope:
                    del scope[target.id]
                    break

    # -- expressions --------------------------------------------------------------------------
    def eval(self, node: ast.expr | None) -> Any:
        if node is None:
            return UNKNOWN
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            value = self.lookup(node.id)
            if value is None:
                if node.id in ("True", "False", "None"):
                    return Const(None)
                value = Data(origin=frozenset({new_id()}), name=node.id, site=self.site(node))
                value.namespace = new_id()
                value.placeholder = True
                self.scopes[0][node.id] = value
            return value
        if isinstance(node, ast.Call):
            return self.eval_call(node)
        if isinstance(node, ast.Attribute):
            return self.eval_attribute(node)
        if isinstance(node, ast.Subscript):
            return self.eval_subscript(node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items: list[Any] = []
            for element in node.elts:
                value = self.eval(element.value if isinstance(element, ast.Starred)
                                  else element)
                if isinstance(element, ast.Starred) and isinstance(value, Seq):
                    items.extend(value.items)
                else:
                    items.append(value)
            return Seq(items)
        if isinstance(node, ast.Dict):
            return Seq([self.eval(v) for v in node.values],
                       keys=[self.eval(k) for k in node.keys])
        if isinstance(node, (ast.BinOp, ast.BoolOp, ast.Compare)):
            operands = ([node.left, node.right] if isinstance(node, ast.BinOp)
                        else node.values if isinstance(node, ast.BoolOp)
                        else [node.left, *node.comparators])
            values = [self.eval(o) for o in operands]
            if isinstance(node, ast.BinOp):
                listed = self._list_arithmetic(node, values)
                if listed is not None:
                    return listed
                rows = self._listed_rows(node, values)
                if rows is not None:
                    return rows
                names = self._name_arithmetic(node.op, values[0], values[1], node)
                if names is not None:
                    return names
            result = self.combine(values, node)
            if isinstance(node, ast.BinOp) and isinstance(result, Data) and self._noisy(node):
                # ``emb[rare] + rng.normal(0, .05, ...)``: noisy copies of those rows
                result = result.derive(copied=self.site(node))
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq) for op in node.ops):
                self._unique_check(values)
            if isinstance(node, ast.Compare) and isinstance(result, Data):
                coded = result.label is not None and len(values) == 2 and sum(
                    isinstance(v, Data) for v in values) == 1 and any(
                    isinstance(v, Const) for v in values)
                if coded and any(isinstance(op, ast.Eq) for op in node.ops):
                    self._labelled_entity(values, node)
                # a mask; ``(df["left"] == "Yes")`` against a literal is that column recoded
                # (kept as the column, so a label built this way is still known as the label)
                result = result.derive(columns=coded, events={})
            return result
        if isinstance(node, ast.UnaryOp):
            return self.eval(node.operand)
        if isinstance(node, ast.IfExp):
            self.eval(node.test)
            body = self.eval(node.body)
            other = self.eval(node.orelse)
            return body if body is not UNKNOWN else other
        if isinstance(node, ast.Lambda):
            return Func(node, "<lambda>")
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self.eval_comprehension(node)
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value)
            self.assign(node.target, value, node)
            return value
        if isinstance(node, (ast.Await, ast.Starred)):
            return self.eval(node.value)
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    self.eval(part.value)
            return Const("")
        return UNKNOWN

    def _listed_rows(self, node: ast.BinOp, values: list[Any]) -> Any:
        """``list(clips) + shifted`` / ``X.tolist() + noisy``: rows turned into a Python list
        and extended with more rows is a concatenation of rows (an array plus a list would be
        element-wise arithmetic, hence only an explicit ``list()`` / ``tolist()`` counts)."""
        if not isinstance(node.op, ast.Add):
            return None
        for side, value, other in ((node.left, values[0], values[1]),
                                   (node.right, values[1], values[0])):
            listed = isinstance(side, ast.Call) and not side.keywords and (
                isinstance(side.func, ast.Name) and side.func.id == "list" or
                isinstance(side.func, ast.Attribute) and side.func.attr in ("tolist", "to_list"))
            if listed and isinstance(value, Data) and isinstance(other, Seq) and any(
                    isinstance(item, Data) for item in other.items):
                items = [value, *other.items] if side is node.left else [*other.items, value]
                return self.concat(Seq(items), {}, node, columns=False)
        return None

    @staticmethod
    def _list_arithmetic(node: ast.BinOp, values: list[Any]) -> Seq | None:
        """``[df] + [pos] * 20``: a literal list of frames, repeated or joined, is still a list
        of those frames (handed to ``pd.concat``, the repeats are copies of rows)."""
        left, right = values
        if not any(isinstance(item, Data) for side in values if isinstance(side, Seq)
                   for item in side.items):
            return None  # a list of names or numbers: left to the column-name arithmetic
        if isinstance(node.op, ast.Add) and isinstance(left, Seq) and isinstance(right, Seq) \
                and left.keys is None and right.keys is None:
            return Seq([*left.items, *right.items])
        if isinstance(node.op, ast.Mult):
            seq, times = (left, right) if isinstance(left, Seq) else (right, left)
            if isinstance(seq, Seq) and seq.keys is None and isinstance(times, Const) and \
                    isinstance(times.value, int) and not isinstance(times.value, bool):
                return Seq(list(seq.items) * min(max(times.value, 0), 2))
        return None

    @staticmethod
    def _noisy(node: ast.BinOp) -> bool:
        """Rows plus (or times) a random draw: ``X[idx] + np.random.normal(0, s, shape)``."""
        if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            return False
        operands: list[ast.expr] = [node.left, node.right]
        for side in (node.left, node.right):
            if isinstance(side, ast.BinOp) and isinstance(side.op, (ast.Mult, ast.Div)):
                operands += [side.left, side.right]  # ``0.005 * np.random.randn(n)``: scaled
        for operand in operands:
            if isinstance(operand, ast.Call):
                func = operand.func
                name = func.attr if isinstance(func, ast.Attribute) else (
                    func.id if isinstance(func, ast.Name) else "")
                if name in T.NOISE_CALLS:
                    return True
        return False

    def eval_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp
                           | ast.DictComp) -> Any:
        generator = node.generators[0]
        iterable = self.eval(generator.iter)
        literal = self._names(iterable) if isinstance(iterable, Seq) else None
        if (isinstance(iterable, Cols) or literal) and not isinstance(node, ast.DictComp) and len(
                node.generators) == 1 and isinstance(generator.target, ast.Name) and isinstance(
                node.elt, ast.Name) and node.elt.id == generator.target.id:
            # ``[c for c in df.columns if c not in (id, label)]``: the same names, filtered
            columns: Columns = iterable.columns if isinstance(iterable, Cols) else (
                "list", literal or frozenset())
            for condition in generator.ifs:
                columns = self._filter_names(columns, condition, generator.target.id)
            if isinstance(iterable, Cols):
                return Cols(iterable.namespace, columns, self.site(node))
            if columns is None:
                return Seq([UNKNOWN])
            return Seq([Const(name) for name in sorted(columns[1])])
        elements = list(self.elements(iterable))
        results: list[Any] = []
        self.scopes.append({})
        self.loop_names.append(frozenset().union(
            *(_bound_names(g.target) for g in node.generators)))
        self.loop_steps.append(any(_stepped(g.iter) for g in node.generators))
        try:
            with self.loop(is_cv=self._is_split_iter(iterable),
                           over_models=sum(self._holds_estimator(e) for e in elements) >= 2):
                for element in elements:
                    self.assign(generator.target, element, node)
                    for extra in node.generators[1:]:
                        self.assign(extra.target, UNKNOWN, node)
                    for condition in generator.ifs:
                        self.eval(condition)
                    if isinstance(node, ast.DictComp):
                        self.eval(node.key)
                        results.append(self.eval(node.value))
                    else:
                        results.append(self.eval(node.elt))
        finally:
            self.scopes.pop()
            self.loop_names.pop()
            self.loop_steps.pop()
        if any(isinstance(r, (Data, Estimator)) for r in results):
            return Seq(results)
        return Seq([UNKNOWN])

    def combine(self, values: list[Any], node: ast.AST) -> Any:
        """An operator over values: data stays data and collects every statistic that met it."""
        datas = [v for v in values if isinstance(v, Data)]
        stats = [v for v in values if isinstance(v, Stat)]
        if not datas:
            if stats:
                merged = Stat(stats[0].source, {}, stats[0].site)
                for stat in stats:
                    merged.events.update(stat.events)
                return merged
            return values[0] if values and isinstance(values[0], Const) else UNKNOWN
        result = datas[0].derive()
        for other in datas[1:]:
            result.events.update(other.events)
            result.random = result.random or other.random
            if other.origin != result.origin and other.part != "full":
                result.origin = result.origin | other.origin
        for stat in stats:
            result.events.update(self._events_of(stat, node))
        return result

    def _unique_check(self, values: list[Any]) -> None:
        """``df["user_id"].nunique() == len(df)``: one row per entity, so no group leak."""
        for value in values:
            if isinstance(value, Stat) and value.method == "nunique" and value.source.label:
                for origin in value.source.origin:
                    self.unique_entities.add((origin, value.source.label))

    def _events_of(self, value: Any, node: ast.AST) -> dict[int, Event]:
        if isinstance(value, Data):
            return dict(value.events)
        if isinstance(value, Stat):
            if value.source.part == "test":
                self.emit("LEAK-FIT-ON-TEST", value.site or self.site(node),
                          f"a statistic of {self._name(value.source)} (test rows) is used to "
                          "fill or scale data.",
                          {"variable": value.source.name})
            elif value.source.part == "mixed":
                self.emit("LEAK-PREPROCESSING", value.site or self.site(node),
                          f"a statistic of {self._name(value.source)} (training and test rows "
                          "stacked together) is used to fill or scale data.",
                          {"variable": value.source.name})
            return dict(value.events)
        if isinstance(value, Seq):
            events: dict[int, Event] = {}
            for item in value.items:
                events.update(self._events_of(item, node))
            return events
        return {}

    def eval_attribute(self, node: ast.Attribute) -> Any:
        base = self.eval(node.value)
        attr = node.attr
        if isinstance(base, Ref):
            return Ref(f"{base.qualname}.{attr}")
        if isinstance(base, Data):
            if attr in ("loc", "iloc", "at", "iat"):
                return Indexer(base, attr)
            if attr in ("values", "array", "T", "str", "dt", "cat"):
                return base.derive() if attr != "T" else base.derive(columns=False)
            if attr == "index":
                return RowIndex(base)
            if attr == "columns":
                return Cols(base.namespace, base.columns, self.site(node))
            if attr in ("is_unique", "has_duplicates") and base.label:
                for origin in base.origin:
                    self.unique_entities.add((origin, base.label))
                return UNKNOWN
            if attr == "shape":
                self.statement_lengths.append(base)
            if attr in ("shape", "dtypes", "dtype", "size", "ndim", "name", "empty", "nbytes"):
                return UNKNOWN
            return self._column(base, attr)
        if isinstance(base, Stat):
            return base  # ``corr['y'].index``, ``scores.values``: the same statistic
        if isinstance(base, Cols):
            return base if attr in COLUMN_NAMES_SAME else UNKNOWN
        if isinstance(base, Estimator):
            if attr in ("best_estimator_", "estimator", "estimator_"):
                return base.inner[0] if base.inner else Estimator("unknown", "model")
            if attr in T.SELECTOR_MASKS:
                return self._selector_mask(base, node)
            return UNKNOWN
        if isinstance(base, GroupBy):
            return GroupBy(base.source, base.keys, attr)
        return UNKNOWN

    def _column(self, base: Data, name: str) -> Data:
        column = base.derive(columns=("list", frozenset({name})), label=name, parent=base)
        # ``resample('h')['count'].sum()``: a column of a window is still a window
        column.window = base.window
        return column

    def eval_subscript(self, node: ast.Subscript) -> Any:
        base = self.eval(node.value)
        key = self.eval(node.slice)
        if isinstance(base, Indexer):
            return self._index(base.data, key, node, positional=base.kind in ("iloc", "iat"),
                               indexer=True)
        if isinstance(base, Data):
            self._sliding_window(base, node)
            return self._index(base, key, node, positional=False)
        if isinstance(base, Stat):
            return self._stat_item(base, key)
        if isinstance(base, Cols):
            # ``df.columns[mask of scores]`` selects by the scores; a slice: unknown names
            return key if isinstance(key, Stat) else Cols(base.namespace, None, self.site(node))
        if isinstance(base, GroupBy):
            column = key.value if isinstance(key, Const) and isinstance(key.value, str) else None
            return GroupBy(base.source, base.keys, column)
        if isinstance(base, Seq):
            if isinstance(key, Const) and isinstance(key.value, int):
                try:
                    return base.items[key.value]
                except IndexError:
                    return UNKNOWN
            if isinstance(key, Const) and base.keys is not None:
                for k, v in zip(base.keys, base.items, strict=False):
                    if isinstance(k, Const) and k.value == key.value:
                        return v
            return UNKNOWN
        return UNKNOWN

    def _sliding_window(self, data: Data, node: ast.Subscript) -> None:
        """``series[i - win:i]`` for each ``i`` of a loop: overlapping windows cut from one
        series, so neighbouring samples share most of their values and are ordered in time."""
        window = node.slice
        if not self.loop_names or not isinstance(window, ast.Slice) or window.lower is None \
                or window.upper is None or data.part != "full" or self.loop_steps[-1]:
            return  # ``X_train[i:i + batch]`` over ``range(0, n, batch)``: batches, not windows
        names = self.loop_names[-1]
        bounds = [{n.id for n in ast.walk(b) if isinstance(n, ast.Name)}
                  for b in (window.lower, window.upper)]
        if not (bounds[0] & names and bounds[1] & names):
            return
        for origin in data.origin:
            self.temporal.setdefault(origin, f"windows {ast.unparse(node)} slide over one "
                                     f"series ({self.site(node).describe()}), so neighbouring "
                                     "windows overlap")

    def _index(self, data: Data, key: Any, node: ast.AST, *, positional: bool,
               indexer: bool = False) -> Any:
        rows, cols = key, None
        if isinstance(key, Seq) and isinstance(node, ast.Subscript) and isinstance(
                node.slice, ast.Tuple):
            rows = key.items[0] if key.items else UNKNOWN
            cols = key.items[1] if len(key.items) > 1 else None
        if isinstance(rows, IndexPart):
            return self.partition(data, rows.split, rows.side)
        if isinstance(rows, Const) and isinstance(rows.value, str) and cols is None:
            return self._column(data, rows.value)
        if isinstance(rows, Seq) and cols is None and rows.items and all(
                isinstance(i, Const) and isinstance(i.value, str) for i in rows.items):
            selected = self._selected(data, ("list", frozenset(i.value for i in rows.items)),
                                      rows.site or self.site(node))
            selected.order = tuple(i.value for i in rows.items)
            return selected
        if data.order is not None and cols is not None and isinstance(node, ast.Subscript) \
                and isinstance(node.slice, ast.Tuple) and len(node.slice.elts) == 2:
            picked = self._positions(data.order, node.slice.elts[1], cols)
            if picked is not None:
                return self._positional(data, picked, node, node.slice.elts[0])
        if positional and data.order is None and cols is not None and isinstance(
                node, ast.Subscript) and isinstance(node.slice, ast.Tuple) and len(
                node.slice.elts) == 2 and data.columns is not None and \
                data.columns[0] == "all":
            ends = self._last_column(data, node.slice.elts[1], node)
            if ends is not None:
                return ends
        if isinstance(rows, (Cols, Stat)) and cols is None and not indexer:
            return self._select_by(data, rows, node)
        if isinstance(rows, Data) and cols is None:
            # a boolean mask (or an index array): a row subset, random if the mask is
            return data.derive(subset=True, random=data.random or rows.random, parent=None)
        if cols is None and not indexer and not isinstance(rows, Const) and not (
                isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
            # ``df[names]`` with names the analysis cannot resolve: which columns is unknown
            return self._selected(data, None, self.site(node))
        if isinstance(cols, (Cols, Stat)):
            result = self._select_by(data, cols, node)
            whole = isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) and \
                isinstance(node.slice.elts[0], ast.Slice) and \
                node.slice.elts[0].lower is None and node.slice.elts[0].upper is None
            result.subset = data.subset if whole else True
            return result
        result = data.derive(columns=cols is None)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            result.subset = True
        elif isinstance(rows, Data):
            result.subset = True
            result.random = result.random or rows.random
        if cols is not None:
            if isinstance(cols, Const) and isinstance(cols.value, str):
                result.columns, result.label = ("list", frozenset({cols.value})), cols.value
            elif isinstance(cols, Seq) and cols.items and all(
                    isinstance(i, Const) and isinstance(i.value, str) for i in cols.items):
                result.columns = ("list", frozenset(i.value for i in cols.items))
                result.cols_site, result.cols_named = self.site(node), False
            else:
                result.columns = None
            # rows selected by a slice ``:`` keep the whole frame
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) and \
                    isinstance(node.slice.elts[0], ast.Slice) and \
                    node.slice.elts[0].lower is None and node.slice.elts[0].upper is None:
                result.subset = data.subset
        return result

    def _last_column(self, data: Data, key_node: ast.expr, node: ast.Subscript) -> Data | None:
        """``df.iloc[:, -1]`` and ``df.iloc[:, 1:]`` on a frame whose column order is unknown:
        the last column stands for itself (``LAST_COLUMN``), and a slice open to the right
        keeps it, one ending before it (``1:-1``, ``:-1``) does not. Only a label taken by
        position is compared with features taken by position."""
        whole = isinstance(node.slice, ast.Tuple) and isinstance(
            node.slice.elts[0], ast.Slice) and node.slice.elts[0].lower is None and \
            node.slice.elts[0].upper is None
        if isinstance(key_node, ast.UnaryOp) and isinstance(key_node.op, ast.USub) and \
                isinstance(key_node.operand, ast.Constant) and key_node.operand.value == 1:
            return data.derive(columns=("list", frozenset({LAST_COLUMN})), label=LAST_COLUMN,
                               subset=data.subset if whole else True)
        if not isinstance(key_node, ast.Slice) or key_node.step is not None:
            return None
        upper = key_node.upper
        if upper is not None and not (isinstance(upper, ast.UnaryOp) and isinstance(
                upper.op, ast.USub) and isinstance(upper.operand, ast.Constant)):
            return None  # ``:8`` may or may not reach the last column
        dropped = data.columns[1] | {POSITIONAL} if data.columns is not None else {POSITIONAL}
        if upper is not None:
            dropped |= {LAST_COLUMN}
        result = data.derive(columns=("all", frozenset(dropped)),
                             subset=data.subset if whole else True)
        result.cols_site, result.cols_named = self.site(node), False
        return result

    @staticmethod
    def _positions(order: tuple[str, ...], key_node: ast.expr, key: Any) -> list[str] | None:
        """The names at the positions ``key`` selects (``-1``, ``[0, 2]``, ``:-1``, ``1:``)."""
        if isinstance(key_node, (ast.Constant, ast.UnaryOp, ast.List, ast.Tuple)):
            # the literal itself: the interpreter reads ``-1`` as its operand
            with contextlib.suppress(ValueError, TypeError, SyntaxError):
                literal = ast.literal_eval(key_node)
                key = Const(literal) if isinstance(literal, int) else Seq(
                    [Const(v) for v in literal]) if isinstance(literal, (list, tuple)) else key
        if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(
                key.value, bool):
            return [order[key.value]] if -len(order) <= key.value < len(order) else None
        if isinstance(key, Seq) and key.items and all(
                isinstance(i, Const) and type(i.value) is int for i in key.items):
            places = [i.value for i in key.items]
            if all(-len(order) <= p < len(order) for p in places):
                return [order[p] for p in places]
            return None
        if isinstance(key_node, ast.Slice) and key_node.step is None:
            bounds: list[int | None] = []
            for bound in (key_node.lower, key_node.upper):
                if bound is None:
                    bounds.append(None)
                    continue
                value = ast.literal_eval(bound) if isinstance(
                    bound, (ast.Constant, ast.UnaryOp)) else None
                if type(value) is not int:
                    return None
                bounds.append(value)
            return list(order[bounds[0]:bounds[1]])
        return None

    def _positional(self, data: Data, names: list[str], node: ast.AST,
                    rows_node: ast.expr) -> Data:
        """``arr[:, -1]`` on an array whose column order is known: those named columns."""
        whole = isinstance(rows_node, ast.Slice) and rows_node.lower is None and \
            rows_node.upper is None
        result = data.derive(columns=("list", frozenset(names)),
                             label=names[0] if len(names) == 1 else None,
                             subset=data.subset if whole else True)
        result.order = tuple(names)
        if len(names) > 1:
            result.cols_site, result.cols_named = self.site(node), False
        return result

    def _deleted_columns(self, args: list[Any], kwargs: dict[str, Any],
                         node: ast.Call) -> Data | None:
        """``np.delete(arr, 0, axis=1)`` on an array of known column order: the rest."""
        data = args[0] if args else None
        axis = kwargs.get("axis", args[2] if len(args) > 2 else None)
        if not isinstance(data, Data) or data.order is None or not (
                isinstance(axis, Const) and axis.value == 1) or len(node.args) < 2:
            return None
        gone = self._positions(data.order, node.args[1], args[1])
        if gone is None:
            return None
        kept = [name for name in data.order if name not in gone]
        result = data.derive(columns=("list", frozenset(kept)), label=None)
        result.order = tuple(kept)
        result.cols_site, result.cols_named = self.site(node), False
        return result

    @staticmethod
    def _selected(data: Data, columns: Columns, site: Site | None) -> Data:
        """``data`` restricted to ``columns``: a feature frame built at ``site``."""
        result = data.derive(columns=columns, label=None)
        if columns is None:
            result.columns = None
        result.cols_site, result.cols_named = site, False
        return result

    def _selector_mask(self, estimator: Estimator, node: ast.AST) -> Any:
        """``rfe.support_`` / ``selector.get_support()``: the columns a fitted selector kept;
        selecting data by them carries the selector's fit (a leak if it saw test rows)."""
        if estimator.fitted_on is None:
            return UNKNOWN
        events = {estimator.fit_event.id: estimator.fit_event} if estimator.fit_event else {}
        return Stat(estimator.fitted_on, events, estimator.fit_site or self.site(node),
                    what=f"{estimator.cls}.fit", picks=True)

    def _select_by(self, data: Data, key: Cols | Stat, node: ast.AST) -> Data:
        """``df[cols]`` by a column list of a frame, or by names a statistic picked."""
        if isinstance(key, Cols):
            same = key.namespace == data.namespace
            return self._selected(data, key.columns if same else None,
                                  key.site or self.site(node))
        result = self._selected(data, None, self.site(node))
        if key.picks:
            result.events.update(key.events)
        # features chosen by their relation to a column: a selection fitted on those rows
        result.events.update({i: e for i, e in key.events.items() if e.kind == "target-select"})
        return result

    def _stat_item(self, stat: Stat, key: Any) -> Stat:
        """``corr['price']``: the correlations with one column rank features against it."""
        events = dict(stat.events)
        if isinstance(key, Stat):
            events.update(key.events)
        elif isinstance(key, Const) and isinstance(key.value, str):
            self._ranked_against(stat, key.value, events)
        return Stat(stat.source, events, stat.site, stat.method, stat.what)

    def _ranked_against(self, stat: Stat, column: str, events: dict[int, Event]) -> None:
        if stat.method in T.CORRELATION_STATS and stat.source.part in ("full", "mixed"):
            event = Event(new_id(), "target-select", stat.site or Site(self.cell, 1, self.order),
                          f"{stat.what}[{column!r}]", stat.source.name, stat.source.origin,
                          label=column)
            events[event.id] = event

    def _name_arithmetic(self, op: ast.operator, left: Any, right: Any,
                         node: ast.AST) -> Seq | Cols | None:
        """``NUMERIC + ['x']``, ``list(df.columns) + [...]``, ``set(df.columns) - {label}``."""
        if isinstance(op, ast.Add) and isinstance(left, Seq) and isinstance(right, Seq) and (
                left.keys is None and right.keys is None):
            return Seq([*left.items, *right.items])
        cols, other = (left, right) if isinstance(left, Cols) else (right, left)
        if not isinstance(cols, Cols) or not isinstance(op, (ast.Add, ast.Sub, ast.BitOr)):
            return None
        names = self._names(other)
        if isinstance(op, ast.Sub) and cols is left:
            return Cols(cols.namespace, self._without(cols.columns, names), self.site(node))
        if isinstance(op, ast.Sub):
            return None
        if cols.columns is None and names is not None and not isinstance(op, ast.Sub):
            # ``[c for c in df if c.startswith("ppm_")] + ["label"]``: which columns the
            # filter kept is unknown, but the names added are certainly among them
            return Cols(cols.namespace, ("list", names), self.site(node))
        if cols.columns is None or names is None:
            return Cols(cols.namespace, None, self.site(node))
        kind, current = cols.columns
        added = (kind, current - names) if kind == "all" else (kind, current | names)
        return Cols(cols.namespace, added, self.site(node))

    def _names(self, value: Any) -> frozenset[str] | None:
        """Column names of a literal (``'y'``, ``['id', 'y']``), ``None`` if not all known."""
        items = list(self._walk(value))
        if items and all(isinstance(i, Const) and isinstance(i.value, str) for i in items):
            return frozenset(i.value for i in items)
        return None

    @staticmethod
    def _without(columns: Columns, names: frozenset[str] | None) -> Columns:
        if columns is None or names is None:
            return None
        kind, current = columns
        return (kind, current | names) if kind == "all" else (kind, current - names)

    @staticmethod
    def _only(columns: Columns, names: frozenset[str] | None) -> Columns:
        if columns is None or names is None:
            return None
        kind, current = columns
        return ("list", names - current) if kind == "all" else ("list", current & names)

    def _filter_names(self, columns: Columns, condition: ast.expr, var: str) -> Columns:
        """Column names kept by a comprehension's ``if`` (``c not in (...)``, ``c != y``);
        any other condition keeps an unknown subset."""
        if isinstance(condition, ast.BoolOp) and isinstance(condition.op, ast.And):
            for part in condition.values:
                columns = self._filter_names(columns, part, var)
            return columns
        if not (isinstance(condition, ast.Compare) and len(condition.ops) == 1
                and isinstance(condition.left, ast.Name) and condition.left.id == var):
            return None
        op = condition.ops[0]
        names = self._names(self.eval(condition.comparators[0]))
        if isinstance(op, (ast.NotIn, ast.NotEq, ast.IsNot)):
            return self._without(columns, names)
        if isinstance(op, (ast.In, ast.Eq, ast.Is)):
            return self._only(columns, names)
        return None

    def cols_method(self, cols: Cols, method: str, args: list[Any],
                    kwargs: dict[str, Any], node: ast.Call) -> Any:
        """Methods of ``df.columns`` and of the name lists made from it."""
        names = self._names(Seq(list(args))) if args else None
        if method in COLUMN_NAMES_SAME:
            return cols
        if method in ("drop", "difference"):
            return Cols(cols.namespace, self._without(cols.columns, names), self.site(node))
        if method == "intersection":
            return Cols(cols.namespace, self._only(cols.columns, names), self.site(node))
        if method == "remove":  # in place, on the list from ``tolist()``
            cols.columns, cols.site = self._without(cols.columns, names), self.site(node)
            return Const(None)
        if method in ("append", "extend", "insert", "union"):
            added = self._name_arithmetic(ast.Add(), cols, Seq(list(args[-1:])), node)
            if method == "union":
                return added
            if isinstance(added, Cols):
                cols.columns, cols.site = added.columns, self.site(node)
            return Const(None)
        return UNKNOWN

    # -- calls --------------------------------------------------------------------------------
    def eval_call(self, node: ast.Call) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value)
            args, kwargs = self.arguments(node)
            return self.call_method(receiver, func.attr, args, kwargs, node, func.value)
        callee = self.eval(func) if not isinstance(func, ast.Name) else self.lookup(func.id)
        args, kwargs = self.arguments(node)
        if isinstance(callee, Func):
            return self.inline(callee, args, kwargs, node)
        if isinstance(callee, Ref):
            return self.call_function(callee.short, callee.qualname, args, kwargs, node)
        if isinstance(func, ast.Name) and callee is None:
            return self.call_function(func.id, func.id, args, kwargs, node)
        if isinstance(callee, Estimator):
            if callee.fitted_on is not None and args and isinstance(args[0], Data):
                # a fitted Keras preprocessing layer called on data: ``vectorize(texts)``
                return self.estimator_method(callee, "transform", args, kwargs, node)
            return callee
        return self._generic(args, kwargs, "call")

    def arguments(self, node: ast.Call) -> tuple[list[Any], dict[str, Any]]:
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                value = self.eval(arg.value)
                args.extend(value.items if isinstance(value, Seq) else [value])
            else:
                args.append(self.eval(arg))
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords if kw.arg is not None}
        for kw in node.keywords:
            if kw.arg is None:
                self.eval(kw.value)
        return args, kwargs

    def inline(self, func: Func, args: list[Any], kwargs: dict[str, Any],
               node: ast.Call) -> Any:
        if len(self.returns) >= MAX_DEPTH:
            return self._generic(args, kwargs, func.name)
        params = func.node.args
        scope: dict[str, Any] = {}
        positional = [*params.posonlyargs, *params.args]
        defaults = params.defaults
        for i, param in enumerate(positional):
            if i < len(args):
                scope[param.arg] = args[i]
            elif param.arg in kwargs:
                scope[param.arg] = kwargs[param.arg]
            else:
                j = i - (len(positional) - len(defaults))
                scope[param.arg] = self.eval(defaults[j]) if j >= 0 else UNKNOWN
        for param, default in zip(params.kwonlyargs, params.kw_defaults, strict=False):
            scope[param.arg] = kwargs.get(param.arg, self.eval(default) if default else UNKNOWN)
        if params.vararg is not None:
            scope[params.vararg.arg] = Seq(args[len(positional):])
        if params.kwarg is not None:
            scope[params.kwarg.arg] = Seq(list(kwargs.values()))
        outer_site = self.call_site
        if self.call_site is None:
            self.call_site = self.site(node)
        self.scopes.append(scope)
        self.returns.append([])
        try:
            if isinstance(func.node, ast.Lambda):
                result = self.eval(func.node.body)
            else:
                with contextlib.suppress(_Return):
                    self.exec_body(func.node.body)
                values = self.returns[-1]
                result = values[-1] if values else Const(None)
        finally:
            self.returns.pop()
            self.scopes.pop()
            self.call_site = outer_site
        return result

    def call_function(self, name: str, qualname: str, args: list[Any], kwargs: dict[str, Any],
                      node: ast.Call) -> Any:
        if name in T.SPLIT_FUNCTIONS:
            return self.split_arrays(args, kwargs, node)
        if name == "len" and args and isinstance(args[0], Data):
            self.statement_lengths.append(args[0])
        if T.METRIC_FUNCTION.search(name) and args:
            self.metric(args, node)
        if qualname in T.NATIVE_TRAIN_FUNCTIONS:
            return self.native_train(qualname, args, kwargs, node)
        if name in T.TARGET_SCORE_FUNCTIONS and args and isinstance(args[0], Data):
            y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
            return self.target_scores(args[0], y, f"{name}()", node)
        if name in T.CV_FUNCTIONS:
            estimator = args[0] if args else kwargs.get("estimator", UNKNOWN)
            x = args[1] if len(args) > 1 else kwargs.get("X", UNKNOWN)
            y = args[2] if len(args) > 2 else kwargs.get("y", UNKNOWN)
            self.cross_validate(estimator, x, y, kwargs, node, name)
            return UNKNOWN
        if name in T.SPLITTERS:
            random, group_aware, chronological = T.SPLITTERS[name]
            shuffle = kwargs.get("shuffle")
            if isinstance(shuffle, Const) and shuffle.value is True:
                random = True
            return Splitter(name, random, group_aware, chronological)
        if name in ("Pipeline", "make_pipeline", "ColumnTransformer", "make_column_transformer",
                    "FeatureUnion", "make_union"):
            inner = [e for e in self._walk(Seq(args + list(kwargs.values())))
                     if isinstance(e, Estimator)]
            kind = "pipeline" if name in ("Pipeline", "make_pipeline") else "transformer"
            if inner and all(e.kind in ("transformer", "stateless") for e in inner) and any(
                    e.kind == "transformer" for e in inner):
                # ``make_pipeline(StandardScaler(), PCA())`` ends in no model: it is itself a
                # fitted transformer (fitting it on every row is a preprocessing leak)
                kind = "transformer"
            return Estimator(name, kind, frozenset(kwargs), inner=inner)
        if name in T.SEARCH_ESTIMATORS:
            inner = args[0] if args else kwargs.get("estimator", UNKNOWN)
            return Estimator(name, "search", frozenset(kwargs),
                             params={"cv": kwargs.get("cv", UNKNOWN)},
                             inner=[inner] if isinstance(inner, Estimator) else [])
        if name in ("clone", "deepcopy", "copy") and args and isinstance(args[0], Estimator):
            original = args[0]
            return Estimator(original.cls, original.kind, original.options,
                             dict(original.params), list(original.inner))
        if name in T.RESAMPLE_FUNCTIONS:
            replace = kwargs.get("replace")
            duplicates = not (isinstance(replace, Const) and replace.value is False)
            outs = [self._resampled(a, node, f"{name}(replace=True)", duplicates)
                    for a in args if isinstance(a, Data)]
            return outs[0] if len(outs) == 1 else Seq(outs)
        if name == "stack" and args and isinstance(args[0], Seq) and not any(
                isinstance(d, (Data, Stat)) for d in self._walk(args[0])):
            # ``np.stack([load(p) for p in paths])``: one array built from items read one by
            # one (files, images), none of them the notebook's data yet: a new dataset
            return self.source(name, [], kwargs, node)
        if name == "stack" and args and isinstance(args[0], Seq) and len(args[0].items) == 1 \
                and isinstance(args[0].items[0], Data) and \
                args[0].items[0].site == self.site(node):
            # ``np.stack([np.asarray(Image.open(p)) for p in paths])``: items read one by one
            # (one per file) in this very statement become the rows of one array
            return args[0].items[0].derive(columns=False, subset=False)
        if name in T.CONCAT_FUNCTIONS and args:
            return self.concat(args[0] if len(args) == 1 else Seq(args), kwargs, node,
                               columns=name == "hstack")
        if name in ("column_stack", "c_") and args:
            return self.concat(args[0], {"axis": Const(1)}, node, columns=True)
        if name in T.REPEAT_FUNCTIONS and args and isinstance(args[0], Data):
            return self._resampled(args[0], node, f"np.{name}", True)
        if name == "split" and args and isinstance(args[0], Data):
            return Seq([args[0].derive(subset=True) for _ in range(3)])
        if name == "to_datetime" and args:
            first = args[0]
            if isinstance(first, Data) and first.label:
                self.time_columns.add(first.label)
            return first.derive() if isinstance(first, Data) else UNKNOWN
        if name in T.STAT_METHODS and args and isinstance(args[0], Data):
            if self._rowwise(kwargs):
                return args[0].derive(columns=False, reduced=True)
            return self.statistic(args[0], f"{name}()", node)
        if "random" in qualname.split(".")[:-1] and qualname != name:
            return Data(origin=frozenset({new_id()}), random=True, namespace=new_id(),
                        site=self.site(node))
        if name == "delete":
            kept = self._deleted_columns(args, kwargs, node)
            if kept is not None:
                return kept
        if name in T.AUGMENT_CALLS:
            copies = [d for d in self._walk(Seq(args)) if isinstance(d, Data)]
            if copies:
                return copies[0].derive(columns=False, copied=self.site(node))
        if name in T.DATA_CONSTRUCTORS and not any(isinstance(a, Data) for a in args):
            # ``pd.DataFrame({"text": [augment(t) for t in neg.text], "label": 1})``: built
            # from rows of the notebook's data, not a new dataset
            rows: list[Any] = [d for d in self._walk(Seq([*args, *kwargs.values()]))
                               if isinstance(d, Data) and not d.random]
            # (a clip's summary, ``np.mean(mfcc(clip), axis=0)``, stands for the clip)
            given = [d.source if isinstance(d, Stat) else d
                     for d in self._walk(Seq([*args, *kwargs.values()]))
                     if isinstance(d, (Data, Stat))]
            if any(d.copied is None and not d.random and d.origin & c.origin
                   for d in given for c in given if c.copied is not None):
                # ``np.array(rows)`` of a list that took each clip and altered copies of it
                # (``rows += [feats(noise(w))]``): the copies are stacked with their originals
                return self.concat(Seq(given), {}, node, columns=False)
            if rows:
                return self._generic(rows, {}, name)
        if T.DATA_SOURCES.match(name) and not any(isinstance(a, Data) for a in args):
            stats = [a for a in args if isinstance(a, Stat)]
            if stats:  # ``pd.Series(mutual_info_classif(X, y), index=X.columns)``
                return stats[0]
            return self.source(name, args, kwargs, node)
        if name in T.COLUMN_STAT_FUNCTIONS and args and isinstance(args[0], Data):
            return self._column_stat_function(args[0], name, node)
        if name[:1].isupper() and not any(isinstance(a, Data) for a in args):
            return Estimator(name, self._kind(name), frozenset(kwargs),
                             params={k: v for k, v in kwargs.items() if isinstance(v, Const)},
                             inner=[e for e in self._walk(Seq(args)) if isinstance(e, Estimator)
                                    and e.fit_event is not None])
        if name in ("enumerate",) and args:
            return Seq([Seq([Const(i), e]) for i, e in enumerate(self.elements(args[0]))])
        if name == "zip" and args:
            columns = [list(self.elements(a)) for a in args]
            return Seq([Seq(list(row)) for row in zip(*columns, strict=False)])
        if name == "next" and args and isinstance(args[0], SplitIter):
            # ``tr_idx, te_idx = next(gss.split(df, groups=...))``: the first fold's positions
            return next(self.elements(args[0]))
        if name in BUILTIN_PASSTHROUGH and args:
            return args[0]
        if name == "range":
            return Seq([Const(0)])
        result = self._generic(args, kwargs, name)
        if isinstance(result, Data):
            result.lineage = (*result.lineage, self.site(node))[-MAX_LINEAGE:]
        if name in T.COLUMN_BUILDERS and isinstance(result, Data):
            first = next(a for a in [*args, *kwargs.values()] if isinstance(a, Data))
            self._rebuilt(first, result, node)
        return result

    def _rebuilt(self, data: Data, result: Data, node: ast.AST) -> None:
        """``X = X.select_dtypes("number")`` / ``pd.get_dummies(X)``: columns re-derived from
        features already named at an earlier statement and rebound to the same name keep that
        statement as where they were built (a label left in came from there); this one is kept
        as a note. A new name (``X = pd.get_dummies(df)``) builds the features here."""
        if data.cols_site is not None and data.cols_named and data.name is not None and \
                data.name in self.assigning and self.call_site is None:
            result.cols_site, result.cols_named = data.cols_site, True
            result.cols_name, result.cols_from = data.cols_name, data.cols_from
            result.cols_note = self.site(node)
        else:
            result.cols_site, result.cols_named = self.site(node), False

    def native_train(self, qualname: str, args: list[Any], kwargs: dict[str, Any],
                     node: ast.Call) -> Any:
        """``lgb.train(params, dtrain, valid_sets=[...])`` / ``xgb.train(..., evals=[...])``:
        a model fitted on the training Dataset, monitoring (and maybe stopping on) the rest."""
        keyword, position = T.NATIVE_TRAIN_FUNCTIONS[qualname]
        train = args[position] if len(args) > position else kwargs.get(keyword, UNKNOWN)
        params = args[0] if args else kwargs.get("params", UNKNOWN)
        options = set(kwargs)
        if isinstance(params, Seq) and params.keys is not None:
            options |= {k.value for k in params.keys if isinstance(k, Const)
                        and isinstance(k.value, str) and k.value.startswith("early_stopping")}
            if any(k.startswith("early_stopping") for k in options):
                options.add("early_stopping_rounds")
        estimator = Estimator(qualname, "model", frozenset(options))
        self.fit(estimator, self.as_data(train), UNKNOWN, kwargs, node)
        return estimator

    def target_scores(self, x: Data, y: Any, what: str, node: ast.AST) -> Stat:
        """Scores of each feature against the label (mutual information, ``corrwith``):
        a feature selection fitted on ``x``'s rows once the scores pick columns."""
        stat = self.statistic(x, what, node)
        if isinstance(y, Data) and y.label is not None and x.part in ("full", "mixed"):
            event = Event(new_id(), "target-select", self.site(node), what, x.name, x.origin,
                          label=y.label)
            stat.events[event.id] = event
        return stat

    def _kind(self, name: str) -> str:
        if name in T.STAT_TRANSFORMERS:
            return "transformer"
        if name in T.STATELESS:
            return "stateless"
        if name in T.OVERSAMPLERS:
            return "oversampler"
        if name in T.UNDERSAMPLERS:
            return "undersampler"
        return "model"

    def _generic(self, args: list[Any], kwargs: dict[str, Any], name: str) -> Any:
        """An unknown function: a row-wise computation over its data arguments, if any."""
        values = [*args, *kwargs.values()]
        datas = [v for v in values if isinstance(v, Data)]
        if not datas:
            stats = [v for v in values if isinstance(v, Stat)]
            return stats[0] if stats else UNKNOWN
        result = datas[0].derive(columns=name in COLUMN_PRESERVING)
        for other in datas[1:]:
            result.events.update(other.events)
        for stat in values:
            if isinstance(stat, Stat):
                result.events.update(stat.events)
        return result

    @staticmethod
    def _rowwise(kwargs: dict[str, Any]) -> bool:
        axis = kwargs.get("axis")
        return isinstance(axis, Const) and axis.value in (1, "columns")

    def source(self, name: str, args: list[Any], kwargs: dict[str, Any],
               node: ast.Call) -> Any:
        origin = frozenset({new_id()})
        site = self.site(node)
        data = Data(origin=origin, namespace=new_id(), site=site, read=True)
        path = args[0] if args else None
        if isinstance(path, Const) and isinstance(path.value, str):
            self.origin_names.setdefault(next(iter(origin)), []).append(
                path.value.replace("\\", "/").rsplit("/", 1)[-1])
        # ``parse_dates=["ts"]``: the reader says which columns are dates, whatever their name
        self.time_columns.update(k.value for k in self._walk(kwargs.get("parse_dates", Const(
            None))) if isinstance(k, Const) and isinstance(k.value, str))
        if "parse_dates" in kwargs and "index_col" in kwargs:
            self.temporal.setdefault(next(iter(origin)),
                                     f"read with a parsed date index ({site.describe()})")
        pair = kwargs.get("return_X_y")
        if T.MULTI_SOURCES.match(name) and (name.startswith("make_") or (
                isinstance(pair, Const) and pair.value is True)):
            features = Data(origin=origin, namespace=data.namespace, columns=None, site=site)
            target = Data(origin=origin, namespace=data.namespace, columns=None, site=site)
            return Seq([features, target])
        return data

    # -- methods ------------------------------------------------------------------------------
    def call_method(self, receiver: Any, method: str, args: list[Any], kwargs: dict[str, Any],
                    node: ast.Call, receiver_node: ast.expr) -> Any:
        if isinstance(receiver, Ref):
            return self.call_function(method, f"{receiver.qualname}.{method}", args, kwargs, node)
        if isinstance(receiver, Estimator):
            if method in T.SELECTOR_MASKS:
                return self._selector_mask(receiver, node)
            return self.estimator_method(receiver, method, args, kwargs, node)
        if isinstance(receiver, Splitter):
            if method == "split":
                data = self.as_data(args[0] if args else kwargs.get("X", UNKNOWN))
                groups = len(args) > 2 or "groups" in kwargs
                split = self.new_split(node, f"{receiver.cls}.split", random=receiver.random,
                                       group_aware=receiver.group_aware and groups,
                                       outer=data.part == "full", splitter=receiver,
                                       groups=args[2] if len(args) > 2
                                       else kwargs.get("groups"))
                arrays = [self.as_data(a) for a in args[:2] if isinstance(a, Data)]
                # only row positions come back: the frame passed is not used as features
                self.on_split(arrays or [data], split, node, features=False)
                return SplitIter(split, data)
            return UNKNOWN
        if isinstance(receiver, GroupBy):
            return self.groupby_method(receiver, method, args, kwargs, node)
        if isinstance(receiver, Indexer):
            return receiver.data.derive()
        if isinstance(receiver, Seq):
            if method == "items" and receiver.keys is not None:
                return Seq([Seq([k, v]) for k, v in zip(receiver.keys, receiver.items,
                                                        strict=False)])
            if method == "values":
                return Seq(list(receiver.items))
            if method in ("append", "add") and args:
                receiver.items.append(args[0])
                return Const(None)
            if method == "extend" and args and isinstance(args[0], Seq):
                receiver.items.extend(args[0].items)
                return Const(None)
            if method == "drop":  # e.g. df.columns.drop(...) reached as a Seq
                return Seq([UNKNOWN])
            return UNKNOWN
        if isinstance(receiver, Stat):
            if method in ("nlargest", "nsmallest", "sort_values"):
                # ``corr.nlargest(10, 'price').index``: ranked by the correlation with 'price'
                ranked_by = args if method == "sort_values" else args[1:]
                for key in self._walk(Seq([*ranked_by, kwargs.get("columns", UNKNOWN),
                                           kwargs.get("by", UNKNOWN)])):
                    if isinstance(key, Const) and isinstance(key.value, str):
                        return self._stat_item(receiver, key)
            if method in ("reset_index", "to_frame", "unstack"):
                # ``groupby(['zone', 'hour']).size().reset_index()``: a new table whose rows
                # are the groups, not the rows it was computed from
                return Data(origin=frozenset({new_id()}), namespace=new_id(),
                            events=dict(receiver.events), site=self.site(node), read=True)
            return receiver
        if isinstance(receiver, Cols):
            return self.cols_method(receiver, method, args, kwargs, node)
        if isinstance(receiver, RowIndex):
            return receiver
        if isinstance(receiver, Data):
            if method in T.FIT_METHODS and isinstance(receiver_node, ast.Name) and \
                    receiver.site is not None and not receiver.events and receiver.part == "full" \
                    and receiver.columns == ("all", frozenset()) and self._unbound(receiver):
                # a name never assigned in the notebook, called like an estimator: treat it
                # as one (its class was defined in a cell that is not part of the input)
                estimator = Estimator("unknown", "model", name=receiver_node.id)
                self.scopes[0][receiver_node.id] = estimator
                return self.estimator_method(estimator, method, args, kwargs, node)
            if method in T.PREDICT_METHODS:
                return self._generic(args, kwargs, method)
            return self.data_method(receiver, method, args, kwargs, node)
        if isinstance(receiver, Func):
            return UNKNOWN
        return self._generic(args, kwargs, method)

    def data_method(self, data: Data, method: str, args: list[Any], kwargs: dict[str, Any],
                    node: ast.Call) -> Any:
        inplace = isinstance(kwargs.get("inplace"), Const) and kwargs["inplace"].value is True
        if method == "drop":
            return self._drop(data, args, kwargs, inplace, node)
        if method == "pop":
            key = args[0] if args else UNKNOWN
            column = self._column(data, key.value) if isinstance(key, Const) and isinstance(
                key.value, str) else data.derive(columns=None)
            self._drop_columns(data, key)
            return column
        if data.window and (method in T.STAT_METHODS or method in (
                "apply", "agg", "aggregate")):
            # ``rolling(7).mean()``: a statistic of each row's own window, a row-local feature
            return data.derive(columns=False)
        if args and isinstance(args[0], Ref) and args[0].short in T.COLUMN_STAT_FUNCTIONS and \
                method in ("apply", "transform") and not self._rowwise(kwargs):
            # ``df.apply(zscore)``: each column scaled by its own statistics over all rows
            return self._column_stat_function(data, args[0].short, node)
        if args and isinstance(args[0], Func) and (method == "pipe" or (
                method in ("apply", "transform") and data.label is None
                and not self._rowwise(kwargs))):
            return self._frame_function(data, method, args, kwargs, node)
        computed: dict[int, Event] = {}
        if method == "assign":
            # ``assign(lag7=lambda d: d.sales.shift(7))``: each callable gets the whole frame
            # (``lambda d: d.x / d.x.max()`` fits a statistic on its rows)
            for value in kwargs.values():
                if isinstance(value, Func):
                    computed.update(self._events_of(
                        self.inline(value, [data.derive()], {}, node), node))
        if method == "nunique" and data.label:
            self.statement_counts.append((data.label, data))
        if method == "value_counts" and data.label and T.ENTITY_COLUMN.search(data.label):
            self._note_entity(data, data.label, f"{method}() counts rows per entity", node)
        if method == "duplicated":
            subset = args[:1] + [kwargs.get("subset", Const(None))]
            looked_at = [data.label] if data.label else [
                k.value for k in self._walk(Seq(subset))
                if isinstance(k, Const) and isinstance(k.value, str)]
            for key in looked_at:
                if T.ENTITY_COLUMN.search(key):
                    self._note_entity(data, key, "duplicated() looks for repeats of", node)
        if method == "corrwith" and args and isinstance(args[0], Data):
            return self.target_scores(data, args[0], f"{self._name(data)}.corrwith()", node)
        if method in T.STAT_METHODS and not self._rowwise(kwargs):
            return self.statistic(data, f"{self._name(data)}.{method}()", node, method)
        if method in T.TEMPORAL_METHODS or (method == "resample" and args and isinstance(
                args[0], Const) and isinstance(args[0].value, str)):
            for origin in data.origin:
                self.temporal.setdefault(origin, f"{method}() builds features from neighbouring "
                                         f"rows in time ({self.site(node).describe()})")
            return data.derive(columns=False, window=method in T.WINDOW_METHODS
                               or method == "resample")
        if method in ("sort_values", "set_index", "sort_index"):
            order_keys = [k.value for k in self._walk(Seq(args + [
                kwargs.get("by", Const(None)), kwargs.get("keys", Const(None))]))
                if isinstance(k, Const) and isinstance(k.value, str)]
            for order_key in order_keys:
                if T.TIME_COLUMN.search(order_key) or order_key in self.time_columns:
                    # sorting independent rows (stays by admission time) ties no row to
                    # another: it supports temporal evidence but is none; a date index makes
                    # the frame a time series (resample, asfreq, date slicing work on it)
                    indexed = method == "set_index"
                    found = self.temporal if indexed else self.time_sorted
                    how = "indexes the rows by" if indexed else "orders the rows in"
                    for origin in data.origin:
                        found.setdefault(origin, f"{method}({order_key!r}) {how} time "
                                         f"({self.site(node).describe()})")
        if method == "groupby":
            keys = tuple(k.value for k in self._walk(Seq(args[:1] + [kwargs.get(
                "by", Const(None))])) if isinstance(k, Const) and isinstance(k.value, str))
            # grouping alone is no evidence of repeated entities (per-entity lags and encodings
            # group too): only a look at the group sizes is (see ``groupby_method``)
            return GroupBy(data, keys)
        if method == "sample":
            frac = kwargs.get("frac")
            replace = kwargs.get("replace")
            if (isinstance(replace, Const) and replace.value is True) or (
                    isinstance(frac, Const) and isinstance(frac.value, (int, float))
                    and frac.value > 1):
                return self._resampled(data, node, "sample(replace=True)", True)
            whole = isinstance(frac, Const) and frac.value == 1
            return data.derive(subset=not whole, random=True)
        if method == "append" and args:
            return self.concat(Seq([data, *args]), kwargs, node, columns=False)
        if method in ("merge", "join"):
            if args and isinstance(args[0], Data):
                self._joined_entity_table(data, args[0], kwargs, node)
            return self._generic([data, *args], kwargs, method)
        if method in ("copy", "to_numpy", "astype", "reset_index", "to_frame"):
            return data.derive()
        if method in ("isin", "between", "isna", "isnull", "notna", "notnull", "eq", "ne", "lt",
                      "le", "gt", "ge", "duplicated"):
            tested = data.derive(columns=False, events={})
            if data.label is not None and method in COLUMN_TESTS:
                tested.namespace, tested.columns, tested.label = (
                    data.namespace, data.columns, data.label)
            return tested
        result = self._generic([data, *args], kwargs,
                               method if method in COLUMN_PRESERVING else "method")
        if isinstance(result, Data):
            if method in ROW_SUBSETS:
                result.subset = True
            if method in T.STAT_METHODS and self._rowwise(kwargs):
                result.reduced = True  # one value per row: a summary, not a copy of the rows
            if method in ("map", "apply", "transform", "pipe", "applymap"):
                result.lineage = (*result.lineage, self.site(node))[-MAX_LINEAGE:]
            if method == "assign":
                result.columns = data.columns
                result.events.update(computed)
            if method == "rename":
                result.columns = self._renamed(data.columns, kwargs)
            if method == "set_index":
                result.columns = self._indexed(data.columns, args, kwargs)
            if method in ("map", "apply") and args and isinstance(args[0], Func) and \
                    _randomised(args[0]):
                # ``df["text"].map(synonym_swap)`` with a random choice inside: altered copies
                result.copied = self.site(node)
            if method == "assign":
                result.copied = next((v.copied for v in kwargs.values()
                                      if isinstance(v, Data) and v.copied is not None),
                                     data.copied)
            if method == "dropna" and self._rowwise(kwargs):
                result.columns = None  # columns with gaps dropped: which ones is unknown
            if method in T.COLUMN_BUILDERS:
                self._rebuilt(data, result, node)
            if data.label is not None and method in LABEL_PRESERVING:
                # ``y = df["churn"].map({"yes": 1, "no": 0})`` is still the churn column
                result.namespace, result.columns, result.label = (
                    data.namespace, data.columns, data.label)
            if inplace:
                self._absorb(data, result, node)
                return Const(None)
        return result

    def _column_stat_function(self, data: Data, name: str, node: ast.AST) -> Data:
        """``pd.qcut(col, 4)`` / ``scale(X)`` / ``zscore(X)``: data rescaled or binned by
        statistics of its own rows (fitted on all of them when no split came before)."""
        stat = self.statistic(data, f"{name}()", node)
        return data.derive(columns=False, events={**data.events, **stat.events})

    def _frame_function(self, data: Data, method: str, args: list[Any],
                        kwargs: dict[str, Any], node: ast.Call) -> Any:
        """``df.pipe(lambda d: d.fillna(d.median()))`` gets the whole frame; ``df.apply(f)`` /
        ``df.transform(f)`` get each whole column: statistics inside are fitted on all rows."""
        func = args[0]
        if not isinstance(func, Func):
            return UNKNOWN
        rest = {k: v for k, v in kwargs.items() if k != "axis"}
        result = self.inline(func, [data.derive(), *args[1:]], rest, node)
        if method == "pipe":
            return result
        kept = data.derive()
        kept.events.update(self._events_of(result, node))
        return kept

    def _note_entity(self, data: Data, key: str, how: str, node: ast.AST) -> None:
        """Evidence that ``data`` has several rows per entity (``key``)."""
        for origin in data.origin:
            self.grouped.setdefault(origin, f"{how} {key!r} ({self.site(node).describe()})")

    def _renamed(self, columns: Columns, kwargs: dict[str, Any]) -> Columns:
        """Columns after ``rename(columns={old: new})``; unknown if the mapping is not literal."""
        mapping = kwargs.get("columns")
        if mapping is None:
            axis = kwargs.get("axis")
            return None if isinstance(axis, Const) and axis.value in (1, "columns") else columns
        if columns is None or not isinstance(mapping, Seq) or mapping.keys is None:
            return None
        old, new = self._names(Seq(list(mapping.keys))), self._names(Seq(list(mapping.items)))
        if old is None or new is None:
            return None
        kind, current = columns
        if kind == "all":
            return (kind, (current | old) - new)
        return (kind, (current - old) | (new if current & old else frozenset()))

    @staticmethod
    def _indexed(columns: Columns, args: list[Any], kwargs: dict[str, Any]) -> Columns:
        """Columns after ``set_index("customer_id")``: the key leaves the columns (unless
        ``drop=False``); the others stay, a label among them included."""
        keys = args[0] if args else kwargs.get("keys", UNKNOWN)
        names = [k.value for k in ([keys] if isinstance(keys, Const) else
                                   keys.items if isinstance(keys, Seq) else [])
                 if isinstance(k, Const) and isinstance(k.value, str)]
        drop = kwargs.get("drop")
        if columns is None or not names or (isinstance(drop, Const) and drop.value is False):
            return columns if names else None
        kind, current = columns
        return (kind, current | set(names)) if kind == "all" else (kind, current - set(names))

    def _drop(self, data: Data, args: list[Any], kwargs: dict[str, Any], inplace: bool,
              node: ast.AST) -> Any:
        axis = kwargs.get("axis")
        by_columns = "columns" in kwargs or (isinstance(axis, Const) and axis.value in (
            1, "columns"))
        labels = kwargs.get("columns", kwargs.get("labels", args[0] if args else UNKNOWN))
        if not by_columns:
            index = kwargs.get("index", labels)
            result = data.derive(subset=True)
            if isinstance(index, RowIndex):
                result.random = index.data.random
            if inplace:
                return Const(None)
            return result
        if inplace:
            self._drop_columns(data, labels)
            return Const(None)
        result = data.derive()
        self._drop_columns(result, labels)
        self._dropped_entity(data, labels, node)
        result.cols_site, result.cols_named = self.site(node), False
        return result

    def _dropped_entity(self, data: Data, labels: Any, node: ast.AST) -> None:
        """``drop(columns=['subject', 'epoch_idx'])``: an entity column dropped together with a
        column numbering rows within it, so each entity has several rows. (An entity id
        dropped alone says nothing: one row per customer is the usual table.)"""
        names = [k.value for k in self._walk(labels) if isinstance(k, Const)
                 and isinstance(k.value, str)]
        people = [n for n in names if T.REPEATING_ENTITY.search(n) or re.fullmatch(
            rf"({T.AMBIGUOUS_ENTITY_WORDS}|{T.ENTITY_NOUN.pattern})", n, re.IGNORECASE)]
        positions = [n for n in names if T.WITHIN_ENTITY_POSITION.search(n)
                     and n not in people]
        if people and positions:
            self._note_entity(data, people[0], f"drop() removes the row number within each "
                              f"entity ({positions[0]!r}) beside the entity", node)

    def _joined_entity_table(self, rows: Data, table: Data, kwargs: dict[str, Any],
                             node: ast.AST) -> None:
        """``events.merge(user_labels, on="user_id")``: a table keyed by a repeating entity's
        id joined onto other rows, so those rows carry the entity (and what the table holds
        per entity, a label often) on each of theirs. A hint, like a group vector: unless the
        rows are the entity's own table (``users.csv``) or shown one per entity."""
        keys = [k.value for k in self._walk(Seq([kwargs.get("on", Const(None)),
                                                  kwargs.get("left_on", Const(None))]))
                if isinstance(k, Const) and isinstance(k.value, str)]
        if rows.origin & table.origin:
            return
        for key in keys:
            if not T.REPEATING_ENTITY.search(key):
                continue
            why = (f"merge(on={key!r}) joins a table keyed by the entity onto these rows "
                   f"({self.site(node).describe()})")
            for origin in rows.origin:
                if not self.entity_table(origin, key):
                    self.entity_hints.setdefault(origin, []).append((key, why))

    def _labelled_entity(self, values: list[Any], node: ast.AST) -> None:
        """``df.subject == 's002'``: a row is labelled by whether it belongs to one entity
        (is this the genuine user?), so the entity column holds many rows per entity."""
        column = next((v for v in values if isinstance(v, Data) and v.label), None)
        literal = next((v for v in values if isinstance(v, Const)), None)
        if column is None or literal is None or not isinstance(literal.value, str) or \
                column.label is None:
            return
        if (T.REPEATING_ENTITY.search(column.label) or re.fullmatch(
                rf"({T.AMBIGUOUS_ENTITY_WORDS}|{T.ENTITY_NOUN.pattern})", column.label,
                re.IGNORECASE)) and T.ID_LITERAL.match(literal.value):
            self._note_entity(column, column.label, f"the rows of one entity "
                              f"({literal.value!r}) are picked out of", node)

    def _drop_columns(self, data: Data, labels: Any) -> None:
        names = [k.value for k in self._walk(labels) if isinstance(k, Const)
                 and isinstance(k.value, str)]
        known = names and not any(
            not (isinstance(k, Const) and isinstance(k.value, str)) for k in self._walk(labels))
        if data.columns is None:
            return
        if not known:
            data.columns = None
            return
        kind, current = data.columns
        data.columns = (kind, current | set(names)) if kind == "all" else (
            kind, current - set(names))

    def groupby_method(self, group: GroupBy, method: str, args: list[Any],
                       kwargs: dict[str, Any], node: ast.Call) -> Any:
        source = group.source
        if len(group.keys) > 1 and group.column is None and method in (
                "size", "count", *ENTITY_PERIOD_TABLES):
            # ``groupby(['dock_id', 'slot']).size()``: a table of one row per key and period,
            # a panel of series on the periods' shared clock (see ``_own_series_key``)
            self.panel_keys.update(group.keys)
        if method in ("size", "count", "cumcount", "value_counts"):
            for key in group.keys:
                if T.ENTITY_COLUMN.search(key):
                    self._note_entity(source, key, f"groupby().{method}() counts rows per "
                                      "entity", node)
        if method in ENTITY_PERIOD_TABLES and self._entity_period_table(group, method, node):
            # a new table of rows (one per entity and period), each reduced from its own
            # rows only: rows of the notebook's data, not a statistic that crosses them
            return source.derive(columns=False, subset=False)
        if group.column is None and method in ENTITY_PERIOD_TABLES and \
                self._per_period(group, method):
            # ``hauls.groupby("date").agg(...)``: a new table with one row per period, indexed
            # by time (like ``set_index("date")``): its rows are ordered in time, which
            # supports the evidence of lags built on it later; alone it decides nothing
            for origin in source.origin:
                self.time_sorted.setdefault(origin, f"groupby({group.keys[0]!r}).{method}() "
                                            f"builds one row per period "
                                            f"({self.site(node).describe()})")
            return source.derive(columns=False, subset=False)
        if method in ENTITY_AGGREGATES and not self._row_local(group, args, node):
            for key in group.keys:
                if T.ENTITY_COLUMN.search(key):
                    for origin in source.origin:
                        self.entity_aggregates.setdefault(origin, []).append((
                            group.column, f"per-entity {method}() over the rows of {key!r} "
                            f"({self.site(node).describe()})"))
        events: dict[int, Event] = {}
        if group.column is not None and source.part in ("full", "mixed") and method in (
                "transform", "mean", "agg", "aggregate", "median", "sum", "apply", "std") and \
                not self._per_period(group, method) and not self._row_local(group, args, node):
            event = Event(new_id(), "target-enc", self.site(node),
                          f"groupby({', '.join(map(repr, group.keys))})[{group.column!r}]"
                          f".{method}()", source.name, source.origin, label=group.column)
            events[event.id] = event
        if method == "transform" and self._elapsed_clock(group, args):
            self.own_clock_keys.update(group.keys)
            self._note_entity(source, group.keys[0], f"groupby().transform() restarts the "
                              f"clock {group.column!r} at the start of each", node)
        lag_lambda = method == "transform" and self._lag_function(args)
        if method in ("shift", "diff", "rolling", "cumsum", "expanding", "pct_change",
                      "ewm") or lag_lambda:
            people = [k for k in group.keys if T.REPEATING_ENTITY.search(k)
                      or k in self.own_clock_keys or self._own_series_key(group, k)]
            if people and lag_lambda:
                # the lambda's own ``shift()`` read the lag as one of rows in time: within
                # each entity's rows it is the entity's own past, not a shared calendar's
                where = f"({self.site(node).describe()})"
                for origin in source.origin:
                    if self.temporal.get(origin, "").endswith(where):
                        del self.temporal[origin]
            if people:
                # each patient / user's own trajectory: rows repeat the entity, and a split by
                # entity removes the link between its rows (GROUP-SPLIT, not TEMPORAL-SPLIT)
                self._note_entity(source, people[0], f"groupby().{method}() links the rows of "
                                  "each entity", node)
            else:
                # stores / zones / teams on a shared calendar: a panel of time series
                for origin in source.origin:
                    self.temporal.setdefault(origin, f"groupby().{method}() builds features "
                                             f"from earlier rows ({self.site(node).describe()})")
        if method in T.WINDOW_METHODS:
            return source.derive(columns=False, window=True)
        if method in ("transform", "shift", "diff", "rank", "cumsum", "cumcount", "ngroup",
                      "fillna", "pct_change"):
            return source.derive(columns=False, events={**source.events, **events})
        stat = Stat(source, events, self.site(node))
        return stat

    @staticmethod
    def _lag_function(args: list[Any]) -> bool:
        """``transform(lambda s: s.shift(1).rolling(5).mean())``: a lag computed by the
        function on each group's rows, the same as ``groupby().shift()``."""
        func = args[0] if args else None
        return isinstance(func, Func) and any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr in T.TEMPORAL_METHODS for n in ast.walk(func.node))

    def _own_series_key(self, group: GroupBy, key: str) -> bool:
        """``groupby("mouse_id")`` in rows never put on a calendar: an id key (not a date, not
        an entity with one row per id) whose rows are not ordered by, nor parsed as, dates.
        The lags then follow each entity's own series; stores or zones on a shared calendar
        show that calendar (``parse_dates``, ``sort_values("date")``) and stay temporal."""
        if not T.ENTITY_COLUMN.search(key) or self._calendar(key) or key in self.panel_keys \
                or T.ONE_ROW_ENTITY.search(key) or T.ENTITY_COUNT.search(key):
            return False
        origins = group.source.origin
        return bool(origins) and not self.time_columns and not any(
            o in self.time_sorted for o in origins)

    def _elapsed_clock(self, group: GroupBy, args: list[Any]) -> bool:
        """``groupby("batch")["ts"].transform(lambda t: t - t.min())``: time measured from each
        group's own first instant (hours into the batch, days since admission). Groups that
        start and end on clocks of their own are entities with a life of several rows; series
        on a shared calendar (stores, zones) are compared on the calendar's own dates."""
        func = args[0] if args else None
        if not isinstance(func, Func) or group.column is None or not group.keys or not (
                self._calendar(group.column)) or any(self._calendar(k) for k in group.keys):
            return False
        params = func.node.args.args
        if len(params) != 1:
            return False
        param = params[0].arg
        for node in ast.walk(func.node):
            if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub)
                    and isinstance(node.left, ast.Name) and node.left.id == param):
                continue
            start = node.right
            if isinstance(start, ast.Call) and isinstance(start.func, ast.Attribute) and \
                    start.func.attr in ("min", "first") and isinstance(
                    start.func.value, ast.Name) and start.func.value.id == param:
                return True
            if isinstance(start, ast.Subscript) and isinstance(start.value, ast.Attribute) and \
                    start.value.attr == "iloc" and isinstance(start.value.value, ast.Name) and \
                    start.value.value.id == param and isinstance(start.slice, ast.Constant) \
                    and start.slice.value == 0:
                return True
        return False

    def _entity_period_table(self, group: GroupBy, method: str, node: ast.Call) -> bool:
        """``groupby(["cow_id", "day_in_milk"]).agg(...)``: one row per entity and period of
        its own life (or per person and date), so every entity has several rows in the table
        built. Grouping by an entity and another attribute of it (``["customer_id",
        "country"]``) gives one row per entity, and zones or stores by calendar date are a
        panel on a shared clock: no note for either."""
        people = [k for k in group.keys if T.ENTITY_COLUMN.search(k)
                  and not T.ONE_ROW_ENTITY.search(k)]
        periods = [k for k in group.keys if k not in people and (
            self._calendar(k) or T.PERIOD_WORD.search(k) or T.WITHIN_ENTITY_POSITION.search(k))]
        if not (people and periods):
            return False
        if not any(T.REPEATING_ENTITY.search(k) for k in people) and all(
                self._calendar(k) for k in periods):
            # zones / stores by calendar hour or date: a panel of series on a shared clock,
            # whose random split is a temporal question (as with the per-group lags above)
            return False
        self._note_entity(group.source, people[0], f"groupby({list(group.keys)!r})."
                          f"{method}() builds one row per entity and {periods[0]!r}: several "
                          "rows for each value of", node)
        return True

    def _calendar(self, key: str) -> bool:
        """A key that names a calendar instant (a date column, ``hour_ts``, ``week_of_year``)."""
        return bool(T.TIME_COLUMN.search(key) or T.CALENDAR_WORD.search(key)
                    or key in self.time_columns)

    def _per_period(self, group: GroupBy, method: str) -> bool:
        """``groupby('date')['loans'].sum()``: one row per day, each the total of its own
        rows. The result is a new series whose rows are the periods, so no value of one period
        reaches another: not a statistic that can cross a later train/test boundary. A
        ``transform`` broadcasts the period's value back to its rows, and stays an encoding."""
        return method not in ("transform", "apply") and bool(group.keys) and all(
            T.TIME_COLUMN.search(key) or key in self.time_columns for key in group.keys)

    def _row_local(self, group: GroupBy, args: list[Any], node: ast.Call) -> bool:
        """``transform(lambda s: s.shift(7).rolling(28).mean())``: the function gives each row
        a value of its own past (a lag feature), not a statistic of the group (an encoding)."""
        func = args[0] if args else None
        if not isinstance(func, Func) or group.column is None:
            return False
        column = group.source.derive(columns=("list", frozenset({group.column})),
                                     label=group.column, events={})
        result = self.inline(func, [column], {}, node)
        return isinstance(result, Data) and not result.events

    def statistic(self, data: Data, what: str, node: ast.AST, method: str | None = None) -> Stat:
        """``df.mean()`` and the like: fitted on ``data``'s rows."""
        events: dict[int, Event] = {}
        if data.part in ("full", "mixed"):
            event = Event(new_id(), "preprocess", self.site(node), what, data.name,
                          data.origin)
            events[event.id] = event
        return Stat(data, events, self.site(node), method, what)


def _formula_columns(expr: ast.expr, frame: ast.expr) -> frozenset[str]:
    """The columns of ``frame`` that ``expr`` computes a value of its own row from: a
    comparison, arithmetic, ``np.where`` / ``.gt`` / ``apply(lambda)`` over them. Empty when
    the expression reaches other rows (``shift(-1)``, a group statistic) or only copies."""
    if not isinstance(frame, ast.Name):
        return frozenset()
    calls = {n.func.attr if isinstance(n.func, ast.Attribute) else
             n.func.id if isinstance(n.func, ast.Name) else ""
             for n in ast.walk(expr) if isinstance(n, ast.Call)}
    if calls & CROSS_ROW_CALLS:
        return frozenset()
    if not (calls & FORMULA_CALLS or any(isinstance(n, (ast.Compare, ast.BinOp))
                                         for n in ast.walk(expr))):
        return frozenset()
    called = {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}
    read: set[str] = set()
    for n in ast.walk(expr):
        if not (isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.value, ast.Name)
                and n.value.id == frame.id):
            continue
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(
                n.slice.value, str):
            read.add(n.slice.value)
        elif isinstance(n, ast.Attribute) and id(n) not in called and \
                n.attr not in FRAME_ATTRIBUTES:
            read.add(n.attr)
    return frozenset(read)


def _randomised(func: Func) -> bool:
    """A helper whose body draws at random (``random.choice``, ``rng.random()``): applied to
    each row it makes altered copies (augmentation), not a fixed recoding."""
    for sub in ast.walk(func.node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            owner = sub.func.value
            root = owner.id if isinstance(owner, ast.Name) else (
                owner.attr if isinstance(owner, ast.Attribute) else "")
            if root in ("random", "rng") or root.endswith("_rng"):
                return True
    return False


def _bound_names(target: ast.expr) -> frozenset[str]:
    """The names a ``for`` target binds (``i``, ``(name, model)``)."""
    return frozenset(n.id for n in ast.walk(target) if isinstance(n, ast.Name))


def _stepped(iterable: ast.expr) -> bool:
    """``range(0, n, batch)`` / ``np.arange(0, n, step)``: a loop that jumps by a step."""
    return isinstance(iterable, ast.Call) and len(iterable.args) == 3 and (
        (isinstance(iterable.func, ast.Name) and iterable.func.id in ("range", "arange")) or
        (isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "arange"))
