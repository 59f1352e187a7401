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
from collections.abc import Iterator
from typing import Any

from . import code_rules as T
from .code_calls import CallFlow
from .code_cells import ParsedCell
from .code_columns import ColumnFlow
from .code_frames import FrameFlow
from .code_ml import Draft, Loop
from .code_names import NameFlow
from .code_roles import infer_roles
from .code_state import _bound_names, _Return, _stepped
from .code_values import (
    UNKNOWN,
    Const,
    Data,
    Estimator,
    Func,
    IndexPart,
    Ref,
    Seq,
    Site,
    SplitIter,
    new_id,
)

MAX_DEPTH = 6  # helper functions inlined this deep

MAX_LOOP_ITEMS = 12  # a loop over a literal list runs its body once per element up to this

STATEMENT_BUDGET = 20_000  # past this many interpreted statements loops run their body once


class Flow(CallFlow, FrameFlow, NameFlow, ColumnFlow):
    """Interpret parsed cells; ``drafts`` holds the leaks found, one per (rule, place)."""

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
        # whole-series statistics that reached a split in time order but never turned out to
        # be features (a label scaled by its maximum): the preprocessing leak they always were
        pending, self.pending_future = self.pending_future, {}
        for event, split_site in pending.values():
            if event.series:
                self._emit_event(event, split_site, resolved=True)
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
