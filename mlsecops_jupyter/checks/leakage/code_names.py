"""Assignments and expressions: what a name is bound to, what an expression evaluates to (part
of ``code_flow.Flow``). Binding is where copies, entity columns, label formulas and hand-made
splits are noticed; evaluation walks operators, comprehensions, attributes and subscripts.
"""

from __future__ import annotations

import ast
from typing import Any

from . import code_rules as T
from .code_state import (
    COLUMN_NAMES_SAME,
    FlowState,
    _bound_names,
    _stepped,
    series_events,
    stored_events,
)
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
    Ref,
    RowIndex,
    Seq,
    Splitter,
    Stat,
    new_id,
)

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


class NameFlow(FlowState):
    """The binding part of the interpreter: assignments, deletions, expressions."""

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
            located = isinstance(base, Indexer) and base.kind in ("loc", "at")
            if isinstance(base, Indexer):
                base = base.data
            if isinstance(base, Data):
                key = self.eval(target.slice)
                if located and isinstance(key, Seq) and len(key.items) == 2:
                    key = key.items[1]  # ``df.loc[:, "churned"] = ...`` sets that column
                name = key.value if isinstance(key, Const) else None
                self._absorb(base, value, node, name if isinstance(name, str) else None)
                if isinstance(name, str):
                    self._add_columns(base, (name,))
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

    def _absorb(self, base: Data, value: Any, node: ast.AST,
                column: str | None = None) -> None:
        """An in-place change: what flowed into ``value`` now is in ``base`` (and its parents),
        stored in ``column`` when the change sets one."""
        events = stored_events(self._events_of(value, node), column)
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
                return Cols(iterable.namespace, columns, self.site(node), iterable.added)
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
        arithmetic = isinstance(node, (ast.BinOp, ast.AugAssign))
        for stat in stats:
            events = self._events_of(stat, node)
            if arithmetic and stat.source.origin & result.origin:
                # ``x - x.mean()`` / ``x / x.max()``: a statistic of the whole series turned
                # into each row's value
                events = series_events(events)
            result.events.update(events)
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
                return Cols(base.namespace, base.columns, self.site(node), base.added)
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
            # ``df.columns[mask of scores]`` selects by the scores, ``df.columns[df.columns !=
            # "id"]`` by the names; a slice or another mask: unknown names
            if isinstance(key, Stat):
                return key
            masked = self._masked_names(node.slice)
            if masked is not None and masked.namespace == base.namespace:
                return masked
            return Cols(base.namespace, None, self.site(node))
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
