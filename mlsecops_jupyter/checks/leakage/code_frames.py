"""The effects of pandas methods on data: copies, drops, renames, joins, resampling, and what
grouped statistics say about repeated entities and per-entity clocks (part of ``code_flow.Flow``).
"""

from __future__ import annotations

import ast
import re
from typing import Any

from . import code_rules as T
from .code_state import (
    COLUMN_PRESERVING,
    MAX_LINEAGE,
    FlowState,
    quoted,
    series_events,
    stored_events,
)
from .code_values import (
    AHEAD,
    UNKNOWN,
    Cols,
    Columns,
    Const,
    Data,
    Event,
    Func,
    GroupBy,
    Ref,
    RowIndex,
    Seq,
    Stat,
    new_id,
)

LABEL_PRESERVING = frozenset({"map", "apply", "replace", "astype", "fillna", "clip", "round",
                              "abs", "where", "mask"})

#: element-wise tests of a column (``df.reopened.gt(0)``): like ``df.reopened > 0`` the result
#: is that column in another form, so a label made with one still names its column
COLUMN_TESTS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "isin"})

#: methods taking a statistic to combine with each row (``x.sub(x.mean())``)
SERIES_ARITHMETIC = frozenset({"sub", "subtract", "div", "divide", "truediv", "rsub", "rdiv"})

ROW_SUBSETS = frozenset({"head", "tail", "sample", "query", "nlargest", "nsmallest"})

# group statistics that give every row its entity's value: built only when entities repeat
#: reductions that, grouped by an entity and a period, build one row per entity and period
ENTITY_PERIOD_TABLES = frozenset({"agg", "aggregate", "mean", "median", "sum", "size", "count",
                                  "first", "last", "min", "max"})

ENTITY_AGGREGATES = frozenset({"transform", "agg", "aggregate", "mean", "median", "sum", "std",
                               "var", "min", "max", "nunique", "first", "last"})

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


class FrameFlow(FlowState):
    """The pandas part of the interpreter: methods on data and on grouped data."""

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
            # (``lambda d: d.x / d.x.max()`` fits a statistic on its rows); what each value
            # carries is stored in the column named after it
            for key, value in kwargs.items():
                if isinstance(value, Func):
                    value = self.inline(value, [data.derive()], {}, node)
                if isinstance(value, Data):
                    computed.update(stored_events(self._events_of(value, node), key))
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
            moved = data.derive(columns=False, window=method in T.WINDOW_METHODS
                                or method == "resample")
            moved.events.update(self._ahead(data, method, kwargs, node))
            return moved
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
            joined = self._generic([data, *args], kwargs, method)
            if isinstance(joined, Data):
                self._side_by_side(joined, data, args[:1], node, self._join_keys(kwargs))
            return joined
        if method == "keys" and data.label is None:
            # a frame's keys are its column names (a snapshot, as ``df.columns`` is)
            return Cols(data.namespace, data.columns, self.site(node), data.added)
        if method == "insert" and len(args) > 1 and isinstance(args[1], Const) and \
                isinstance(args[1].value, str):
            # ``df.insert(0, "churned", flags)``: a column added in place
            self._absorb(data, args[2] if len(args) > 2 else kwargs.get("value"), node,
                         args[1].value)
            self._add_columns(data, (args[1].value,))
            return Const(None)
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
                self._add_columns(result, (name for name in kwargs if name != "inplace"))
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
                result.added = data.added
            if method in SERIES_ARITHMETIC and any(isinstance(a, Stat) for a in args):
                result.events = series_events(result.events)  # ``x.sub(x.mean())``
            result.events.update(self._ahead(data, method, kwargs, node))
            if inplace:
                # ``df["t"].interpolate(inplace=True)``: the column itself changes
                self._absorb(data, result, node, data.label if data.parent else None)
                return Const(None)
        return result

    def _ahead(self, data: Data, method: str, kwargs: dict[str, Any],
               node: ast.Call) -> dict[int, Event]:
        """Values read from rows after each row, before any split: ``shift(-1)``,
        ``rolling(7, center=True)``, ``bfill()``, ``interpolate()``, ``rank()`` over the whole
        series. As features, they are a leak once the rows are split in time order."""
        if data.part not in ("full", "mixed") or self._rowwise(kwargs) or \
                not self._reads_ahead(method, kwargs, node):
            return {}
        kind = "fill" if method in T.GAP_FILLS else "future"
        event = Event(new_id(), kind, self.site(node), quoted(node), data.name, data.origin,
                      picked=data.subset)
        return {event.id: event}

    @staticmethod
    def _reads_ahead(method: str, kwargs: dict[str, Any], node: ast.Call) -> bool:
        if method in T.CENTRED_FILTERS:
            return True
        if method in T.LEAD_METHODS:
            periods = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "periods"), None)
            return isinstance(periods, ast.UnaryOp) and isinstance(periods.op, ast.USub)
        if method == "rolling":
            center = kwargs.get("center")
            return isinstance(center, Const) and center.value is True
        if method in ("fillna", "interpolate"):
            how = kwargs.get("method")
            name = how.value if isinstance(how, Const) else None
            return name in T.BACKWARD_FILLS if method == "fillna" else \
                name not in T.FORWARD_FILLS
        return method in T.WHOLE_SERIES_METHODS

    def _join_keys(self, kwargs: dict[str, Any]) -> list[str]:
        """The key columns a merge or join names (``on``, ``left_on``, ``right_on``)."""
        keys = Seq([kwargs.get(k, Const(None)) for k in ("on", "left_on", "right_on")])
        return [k.value for k in self._walk(keys) if isinstance(k, Const)
                and isinstance(k.value, str)]

    def _column_stat_function(self, data: Data, name: str, node: ast.AST) -> Data:
        """``pd.qcut(col, 4)`` / ``scale(X)`` / ``zscore(X)``: data rescaled or binned by
        statistics of its own rows (fitted on all of them when no split came before)."""
        stat = self.statistic(data, f"{name}()", node)
        return data.derive(columns=False, events={**data.events, **series_events(stat.events)})

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
        validate = kwargs.get("validate")
        if isinstance(validate, Const) and validate.value in T.UNIQUE_LEFT_KEYS:
            # ``validate="one_to_one"``: pandas checks the key is unique in these rows
            self.unique_entities.update((origin, key) for origin in rows.origin for key in keys)
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
        self._mention(data.namespace, names)
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
        # what a function given to ``transform`` / ``agg`` / ``apply`` makes of one group
        applied = self._applied(group, args, node) if (
            method in ENTITY_AGGREGATES or method == "apply") else None
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
        if method in ENTITY_AGGREGATES and not self._row_local(applied):
            for key in group.keys:
                if T.ENTITY_COLUMN.search(key):
                    for origin in source.origin:
                        self.entity_aggregates.setdefault(origin, []).append((
                            group.column, f"per-entity {method}() over the rows of {key!r} "
                            f"({self.site(node).describe()})"))
        events: dict[int, Event] = {}
        if group.column is not None and source.part in ("full", "mixed") and method in (
                "transform", "mean", "agg", "aggregate", "median", "sum", "apply", "std") and \
                not self._per_period(group, method) and not self._row_local(applied):
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
                      "fillna", "pct_change", "bfill", "backfill"):
            # ``groupby("store")["sales"].shift(-1)``: each store's next value; a function
            # given to ``transform`` may read later rows too (``lambda s: s.shift(-7)``)
            if not any(self._calendar(key) for key in group.keys):
                # (grouped by a period, each group is one period: no later rows inside)
                events.update(self._ahead(source, method, kwargs, node))
            if isinstance(applied, Data):
                events.update({i: e for i, e in applied.events.items() if e.kind in AHEAD})
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

    @staticmethod
    def _row_local(applied: Any) -> bool:
        """``transform(lambda s: s.shift(7).rolling(28).mean())``: the function gives each row
        a value of its own past (a lag feature), not a statistic of the group (an encoding).
        (A lead, ``s.shift(-1)``, is row-local too: it is judged as values of later rows.)"""
        return isinstance(applied, Data) and all(e.kind in AHEAD
                                                 for e in applied.events.values())

    def _applied(self, group: GroupBy, args: list[Any], node: ast.Call) -> Any:
        """What a function given for one column gives for a group of it (``None`` if none)."""
        func = args[0] if args else None
        if not isinstance(func, Func) or group.column is None:
            return None
        column = group.source.derive(columns=("list", frozenset({group.column})),
                                     label=group.column, events={})
        return self.inline(func, [column], {}, node)

    def statistic(self, data: Data, what: str, node: ast.AST, method: str | None = None) -> Stat:
        """``df.mean()`` and the like: fitted on ``data``'s rows."""
        events: dict[int, Event] = {}
        if data.part in ("full", "mixed"):
            event = Event(new_id(), "preprocess", self.site(node), what, data.name,
                          data.origin)
            events[event.id] = event
        return Stat(data, events, self.site(node), method, what)
