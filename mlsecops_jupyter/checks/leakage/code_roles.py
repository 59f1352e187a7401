"""Which variables are only ever scored against: the test part, told by the dataflow.

A notebook that reads ``lots_2023.csv`` and ``lots_2024.csv`` (or filters one year out of a
frame) never says which is the test set in a name the interpreter knows. What it does with them
says it: rows that reach a supervised ``fit(X, y)`` are training rows; rows that reach only
``predict`` / ``score`` / a metric, and never a supervised fit, are the test part. Fitting a
transformer (``vt.fit(pd.concat([a, b]))``) does not make rows training rows: that is exactly
the leak the test part is needed for.

This is a name-level pass over all cells before the interpretation: assignment ``a = f(b, c)``
makes ``a`` derived from ``b`` and ``c`` (tuple targets paired with tuple values element by
element), and a name's reach is everything derived from it, transitively.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import code_rules as T

#: estimator methods whose arguments are rows being predicted or scored
_SCORING_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba",
                              "decision_function", "score"})
#: estimator methods that learn from their arguments (supervised when given a label)
_FITTING_METHODS = frozenset({"fit", "partial_fit", "fit_predict"})
#: functions that fit models on their (X, y) arguments
_FITTING_FUNCTIONS = frozenset({"cross_val_score", "cross_validate", "cross_val_predict",
                                "learning_curve", "validation_curve", "permutation_test_score"})


@dataclass
class Roles:
    """Names that reach only scoring (``scored_only``) and only supervised fits
    (``fitted_only``)."""

    scored_only: frozenset[str] = field(default_factory=frozenset)
    fitted_only: frozenset[str] = field(default_factory=frozenset)


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _sources(node: ast.AST) -> set[str]:
    """Names a value is computed from. The rows given to ``fit`` do not flow into its result
    (the fitted estimator): ``sc = StandardScaler().fit(both)`` then ``A = sc.transform(a)``
    does not make ``A`` rows of ``both``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in _FITTING_METHODS - {"fit_predict"}:
        return _sources(node.func.value)
    if isinstance(node, ast.Name):
        return {node.id}
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        found |= _sources(child)
    return found


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _pairs(target: ast.AST, value: ast.AST) -> Iterable[tuple[ast.AST, ast.AST]]:
    if isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List) \
            and len(target.elts) == len(value.elts):
        for t, v in zip(target.elts, value.elts, strict=True):
            yield from _pairs(t, v)
    else:
        yield target, value


def infer_roles(trees: Iterable[ast.AST]) -> Roles:
    """Name roles over the whole notebook (all cells, any order: a role is a use anywhere)."""
    derived: dict[str, set[str]] = {}
    fitted: set[str] = set()
    scored: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for t, v in _pairs(target, node.value):
                        sources = _sources(v)
                        for name in _names(t):
                            for source in sources - {name}:
                                derived.setdefault(source, set()).add(name)
            elif isinstance(node, ast.Call):
                callee = _callee(node)
                args = [*node.args, *(k.value for k in node.keywords)]
                if callee in _SCORING_METHODS or (
                        callee is not None and isinstance(node.func, ast.Name)
                        and T.METRIC_FUNCTION.search(callee)):
                    for arg in args:
                        scored |= _names(arg)
                elif (callee in _FITTING_METHODS and isinstance(node.func, ast.Attribute)
                      and len(args) >= 2) or callee in _FITTING_FUNCTIONS:
                    for arg in args:
                        fitted |= _names(arg)
    reach: dict[str, set[str]] = {}

    def reached(name: str) -> set[str]:
        if name not in reach:
            seen, todo = {name}, [name]
            while todo:
                for nxt in derived.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            reach[name] = seen
        return reach[name]

    names = set(derived) | fitted | scored
    scored_only = frozenset(n for n in names if reached(n) & scored and not reached(n) & fitted)
    fitted_only = frozenset(n for n in names if reached(n) & fitted and not reached(n) & scored)
    return Roles(scored_only, fitted_only)
