"""Columns and selections: which columns a frame keeps after ``df[cols]``, ``.loc``, ``.iloc``,
positional slices, name arithmetic on column lists and selector masks (part of ``code_flow.Flow``).
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterable
from typing import Any

from . import code_rules as T
from .code_state import COLUMN_NAMES_SAME, FlowState
from .code_values import (
    UNKNOWN,
    Cols,
    Columns,
    Const,
    Data,
    Estimator,
    Event,
    IndexPart,
    Seq,
    Site,
    Stat,
    new_id,
)

#: column names standing for positions in a frame whose column order is unknown
LAST_COLUMN = "<last column>"

POSITIONAL = "<columns taken by position>"


class ColumnFlow(FlowState):
    """The column part of the interpreter: selections, positions, column-name arithmetic."""

    def _column(self, base: Data, name: str) -> Data:
        self._mention(base.namespace, (name,))
        column = base.derive(columns=("list", frozenset({name})), label=name, parent=base)
        # ``resample('h')['count'].sum()``: a column of a window is still a window
        column.window = base.window
        return column

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
        self._time_cut(data, rows, node)
        if cols is UNKNOWN and isinstance(node, ast.Subscript) and isinstance(
                node.slice, ast.Tuple) and len(node.slice.elts) == 2:
            # ``df.loc[:, df.columns != "churned"]``: the columns a mask over names keeps
            cols = self._masked_names(node.slice.elts[1]) or cols
        if isinstance(rows, IndexPart):
            return self.partition(data, rows.split, rows.side)
        if isinstance(rows, Const) and isinstance(rows.value, str) and cols is None:
            return self._column(data, rows.value)
        if isinstance(rows, Seq) and cols is None and rows.items and all(
                isinstance(i, Const) and isinstance(i.value, str) for i in rows.items):
            self._mention(data.namespace, (i.value for i in rows.items))
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

    def _masked_names(self, mask: ast.expr) -> Cols | None:
        """``df.columns != "id"`` / ``~df.columns.isin(["id", "y"])`` used to pick columns: the
        names of that Index the mask keeps (``None`` for any other mask)."""
        keep = True
        if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, (ast.Invert, ast.Not)):
            keep, mask = False, mask.operand
        if isinstance(mask, ast.Compare) and len(mask.ops) == 1 and isinstance(
                mask.ops[0], (ast.Eq, ast.NotEq)):
            subject, names_node = mask.left, mask.comparators[0]
            keep = keep == isinstance(mask.ops[0], ast.Eq)
        elif isinstance(mask, ast.Call) and isinstance(mask.func, ast.Attribute) and \
                mask.func.attr == "isin" and len(mask.args) == 1:
            subject, names_node = mask.func.value, mask.args[0]
        else:
            return None
        cols = self.eval(subject)
        if not isinstance(cols, Cols):
            return None
        names = self._names(self.eval(names_node))
        kept = self._only(cols.columns, names) if keep else self._without(cols.columns, names)
        return Cols(cols.namespace, kept, self.site(mask), cols.added)

    def _time_cut(self, data: Data, rows: Any, node: ast.AST) -> None:
        """``df[df.date < "2024-01-01"]`` / ``df.loc["2024":]``: rows taken by a date, so the
        frame is handled in time order (a part cut this way is a part in time)."""
        if data.part != "full" or not isinstance(node, ast.Subscript):
            return
        by_date = isinstance(rows, Data) and rows.label is not None and (
            T.TIME_COLUMN.search(rows.label) or T.CALENDAR_WORD.search(rows.label)
            or rows.label in self.time_columns)
        if not by_date:
            bounds = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and \
                node.slice.elts else node.slice
            by_date = isinstance(bounds, ast.Slice) and any(
                isinstance(b, ast.Constant) and isinstance(b.value, str)
                for b in (bounds.lower, bounds.upper))
        if by_date:
            self.time_cuts.update(data.origin)

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
            selected = self._selected(data, key.columns if same else None,
                                      key.site or self.site(node))
            # the columns the names were taken from, not those the frame gained since
            selected.added = key.added
            return selected
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
            return Cols(cols.namespace, self._without(cols.columns, names), self.site(node),
                        cols.added)
        if isinstance(op, ast.Sub):
            return None
        if cols.columns is None and names is not None and not isinstance(op, ast.Sub):
            # ``[c for c in df if c.startswith("ppm_")] + ["label"]``: which columns the
            # filter kept is unknown, but the names added are certainly among them
            return Cols(cols.namespace, ("list", names), self.site(node),
                        cols.added)
        if cols.columns is None or names is None:
            return Cols(cols.namespace, None, self.site(node),
                        cols.added)
        kind, current = cols.columns
        added = (kind, current - names) if kind == "all" else (kind, current | names)
        return Cols(cols.namespace, added, self.site(node),
                        cols.added)

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
        if method == "drop" and names:
            self._mention(cols.namespace, names)  # ``Index.drop`` fails on a missing name
        if method in ("drop", "difference"):
            return Cols(cols.namespace, self._without(cols.columns, names), self.site(node),
                        cols.added)
        if method == "intersection":
            return Cols(cols.namespace, self._only(cols.columns, names), self.site(node),
                        cols.added)
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

    # -- columns over time ----------------------------------------------------------------------
    def _mention(self, namespace: int, names: Iterable[str]) -> None:
        """Names read (or dropped) from a frame of ``namespace``: columns that exist by now."""
        seen = self.column_mentions.setdefault(namespace, {})
        for name in names:
            if name not in seen:
                seen[name] = new_id()

    def _born(self, frame: Data, names: Iterable[str]) -> None:
        """Columns given to ``frame`` (``df["churned"] = ...``, ``assign``, ``insert``, a join).
        A name the notebook never read from the namespace before is a new column: frames and
        column lists taken from the namespace earlier do not hold it (``_holds``)."""
        births = self.column_births.setdefault(frame.namespace, set())
        seen = self.column_mentions.get(frame.namespace, {})
        new = {name for name in names if name in births or name not in seen}
        if new:
            births |= new
            frame.added = frame.added | new

    def _add_columns(self, frame: Data, names: Iterable[str]) -> None:
        """Columns set on ``frame`` by name (``df["churned"] = ...``, ``assign``, ``insert``)."""
        names = frozenset(names)
        self._born(frame, names)
        if frame.columns is not None:
            kind, current = frame.columns
            frame.columns = (kind, current - names) if kind == "all" else (kind, current | names)

    def _side_by_side(self, result: Data, left: Data, others: list[Any], node: ast.AST,
                      keys: Iterable[str] = ()) -> None:
        """``df.merge(labels, on="id")`` / ``pd.concat([df, extra], axis=1)``: ``result`` has
        the columns of ``left`` and of ``others``, new to ``left``'s namespace. Names of a table
        read whole are not known: they join as a token (``_joined``), and beside a named list of
        columns make the result's columns unknown."""
        keys = frozenset(keys)
        self._mention(left.namespace, keys)
        result.namespace, result.added, result.label = left.namespace, left.added, None
        names: set[str] = set()
        whole = False
        for other in others:
            if isinstance(other, Data) and other.columns is not None and \
                    other.columns[0] == "list":
                names |= other.columns[1]
            else:
                whole = True
        if left.columns is None or (whole and left.columns[0] == "list"):
            result.columns = None
            return
        result.columns = left.columns
        result.cols_site, result.cols_named = self.site(node), False
        self._add_columns(result, names - keys)
        if whole:
            self._joined(result)

    def _joined(self, frame: Data) -> None:
        """Columns not known by name joined onto ``frame`` (``merge`` with a table read whole):
        any name first read after this may have come with them."""
        tick = new_id()
        token = f"<joined {tick}>"
        self.column_joins.setdefault(frame.namespace, []).append((token, tick))
        frame.added = frame.added | {token}

    def _holds(self, frame: Data | Cols, name: str) -> bool:
        """Whether ``frame`` (columns ``("all", ...)``, or names taken from one) can hold
        ``name``. A feature list or frame copied before a column was added is a snapshot:
        ``features = list(df.columns)`` then ``df["churned"] = ...`` leaves the label out.
        Not held: a column added to the namespace by a frame this one was not copied from
        (or after it was copied), or a name first read only after a join this one was not
        copied from (the join may have brought it)."""
        if name in frame.added:
            return True
        if name in self.column_births.get(frame.namespace, ()):
            return False
        seen = self.column_mentions.get(frame.namespace, {}).get(name)
        return not any(token not in frame.added and (seen is None or seen > tick)
                       for token, tick in self.column_joins.get(frame.namespace, ()))
