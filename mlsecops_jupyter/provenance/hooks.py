"""Light, reversible hooks on scikit-learn (and imblearn) that feed a ``ProvenanceRecorder``.

What is wrapped: ``fit``/``fit_transform``/``fit_resample``/``partial_fit``, ``transform`` and
``predict``/``predict_proba``/``decision_function``/``score`` of every ``BaseEstimator``
subclass (those defined later too, through ``__init_subclass__``), ``split`` of every
cross-validation splitter, and ``sklearn.model_selection.train_test_split``. A wrapper calls the
original with the same arguments and returns its result untouched; the recorder runs after the
call inside a guard, so a hook can neither change a result nor raise into user code. Calls made
from inside a wrapped call (a Pipeline fitting its steps, GridSearchCV its candidates) are not
recorded: the outer call stands for them, which keeps the cost to one fingerprint per user call.

``install`` returns a ``Hooks`` object whose ``uninstall`` restores every attribute it replaced.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any

from .recorder import ProvenanceRecorder

log = logging.getLogger("mlsecops_jupyter.provenance")

FIT_METHODS = ("fit", "fit_transform", "fit_resample", "partial_fit")
TRANSFORM_METHODS = ("transform",)
PREDICT_METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function",
                   "score")
HOOKED = FIT_METHODS + TRANSFORM_METHODS + PREDICT_METHODS
SPLIT_FUNCTION_MODULES = ("sklearn.model_selection", "sklearn.model_selection._split")


class _State:
    """Nesting depth of wrapped calls (inner calls are not recorded) and the on/off switch."""

    depth = 0
    enabled = True
    errors = 0


class _HookedAttribute:
    """Replaces a method (or sklearn's ``available_if`` descriptor) on one class.

    Access on the class gives the original attribute (signatures, docs, metadata routing);
    access on an instance gives the original bound method wrapped, created by the original
    descriptor first so ``hasattr`` and ``available_if`` behave exactly as before.
    """

    def __init__(self, original: Any, name: str, hooks: Hooks) -> None:
        self.original = original
        self.name = name
        self.hooks = hooks

    def __set_name__(self, owner: type, name: str) -> None:  # pragma: no cover - not used
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        bound = self.original.__get__(instance, owner)
        if instance is None:
            return bound
        return self.hooks.wrap_method(instance, self.name, bound)


class Hooks:
    """The installed hooks of one recorder; ``uninstall`` undoes them."""

    def __init__(self, recorder: ProvenanceRecorder) -> None:
        self.recorder = recorder
        self.state = _State()
        # owner, attribute name, what was there, whether it was there, what we put there
        self._replaced: list[tuple[Any, str, Any, bool, Any]] = []
        self._patched_classes: set[type] = set()

    # -- install / uninstall ------------------------------------------------------------------
    def install(self) -> Hooks:
        try:
            from sklearn.base import BaseEstimator
            from sklearn.model_selection import _split
        except ImportError:  # no scikit-learn: nothing to watch
            return self
        for cls in _all_subclasses(BaseEstimator):
            self.patch_class(cls)
        hooks = self
        previous = vars(BaseEstimator).get("__init_subclass__")  # another recorder's hook

        def init_subclass(cls: type, **kwargs: Any) -> None:
            if previous is not None:
                previous.__get__(None, cls)(**kwargs)
            else:
                super(BaseEstimator, cls).__init_subclass__(**kwargs)  # type: ignore[misc]
            if hooks.state.enabled:
                hooks.patch_class(cls)

        self._replace(BaseEstimator, "__init_subclass__", classmethod(init_subclass))
        for base in (_split.BaseCrossValidator, _split.BaseShuffleSplit, _split._RepeatedSplits):
            for cls in [base, *_all_subclasses(base)]:
                if "split" in vars(cls):
                    self._replace(cls, "split", _SplitAttribute(vars(cls)["split"], self))
        import importlib

        for module_name in SPLIT_FUNCTION_MODULES:
            module = importlib.import_module(module_name)
            original = vars(module).get("train_test_split")
            if original is not None:
                self._replace(module, "train_test_split", self.wrap_split_function(original))
        return self

    def uninstall(self) -> None:
        """Restore what ``install`` replaced; another recorder's hooks on top stay working.

        A wrapper that another recorder wrapped in turn cannot always be taken out of its
        chain (a module function); it is switched off instead and passes calls straight on.
        """
        self.state.enabled = False
        for owner, name, old, existed, new in reversed(self._replaced):
            current = vars(owner).get(name)
            mine = self._mine(current)
            if mine is not None and current is mine:
                setattr(owner, name, mine.original)  # what is below now (maybe spliced)
            elif mine is None:
                if current is not new:
                    continue  # replaced again on top of ours: ours stays, switched off
                if existed:
                    setattr(owner, name, old)
                else:
                    with contextlib.suppress(AttributeError):
                        delattr(owner, name)
            else:  # installed later by another Hooks: splice this one out of the chain
                outer = current
                while isinstance(outer, _HookedAttribute) and outer.original is not mine:
                    outer = outer.original
                if isinstance(outer, _HookedAttribute):
                    outer.original = mine.original
        self._replaced.clear()
        self._patched_classes.clear()

    def _mine(self, attribute: Any) -> Any:
        """This object's wrapper in a chain of hooked attributes, if it is there."""
        while isinstance(attribute, _HookedAttribute):
            if attribute.hooks is self:
                return attribute
            attribute = attribute.original
        return None

    def patch_class(self, cls: type) -> None:
        """Hook the methods ``cls`` has, on the class that defines each of them.

        The defining class may be a mixin outside the estimator hierarchy
        (``TransformerMixin.fit_transform``, ``ClassifierMixin.score``).
        """
        if cls in self._patched_classes:
            return
        self._patched_classes.add(cls)
        for name in HOOKED:
            owner = next((k for k in cls.__mro__ if name in vars(k)), None)
            if owner is None or owner is object:
                continue
            attribute = vars(owner)[name]
            if self._mine(attribute) is not None or not hasattr(
                    attribute, "__get__") or isinstance(attribute, (staticmethod, property)):
                continue
            self._replace(owner, name, _HookedAttribute(attribute, name, self))

    def _replace(self, owner: Any, name: str, new: Any) -> None:
        existed = name in vars(owner)
        self._replaced.append((owner, name, vars(owner).get(name), existed, new))
        setattr(owner, name, new)

    # -- wrappers -----------------------------------------------------------------------------
    def wrap_method(self, instance: Any, name: str, bound: Callable[..., Any]) -> Any:
        state, recorder = self.state, self.recorder

        @functools.wraps(bound)
        def hooked(*args: Any, **kwargs: Any) -> Any:
            if state.depth or not state.enabled:
                return bound(*args, **kwargs)
            state.depth += 1
            try:
                result = bound(*args, **kwargs)
            finally:
                state.depth -= 1
            state.depth += 1  # the recorder's own calls must not be recorded
            try:
                if name in FIT_METHODS:
                    recorder.on_fit(instance, name, args, kwargs, result)
                elif name in TRANSFORM_METHODS:
                    recorder.on_transform(instance, args, kwargs, result)
                else:
                    recorder.on_predict(instance, name, args, kwargs)
            except Exception as exc:  # a hook must never break the user's cell
                self._failed(exc)
            finally:
                state.depth -= 1
            return result

        return hooked

    def wrap_split_function(self, original: Callable[..., Any]) -> Callable[..., Any]:
        state, recorder = self.state, self.recorder

        @functools.wraps(original)
        def train_test_split(*arrays: Any, **options: Any) -> Any:
            if state.depth or not state.enabled:
                return original(*arrays, **options)
            state.depth += 1
            try:
                result = original(*arrays, **options)
            finally:
                state.depth -= 1
            state.depth += 1
            try:
                recorder.on_split("train_test_split", arrays, result)
            except Exception as exc:  # never break the user's cell
                self._failed(exc)
            finally:
                state.depth -= 1
            return result

        return train_test_split

    def wrap_splitter(self, instance: Any, bound: Callable[..., Any]) -> Any:
        state, recorder = self.state, self.recorder

        @functools.wraps(bound)
        def split(*args: Any, **kwargs: Any) -> Iterator[Any]:
            folds = bound(*args, **kwargs)
            if state.depth or not state.enabled:
                return folds
            data = args[0] if args else kwargs.get("X")
            try:
                whole = recorder.print_of(data)
            except Exception as exc:  # never break the user's cell
                self._failed(exc)
                return folds
            return self._watch_folds(type(instance).__name__, whole, folds)

        return split

    def _watch_folds(self, how: str, whole: Any, folds: Iterator[Any]) -> Iterator[Any]:
        for fold in folds:
            try:
                self.recorder.on_fold(f"{how}.split", whole, fold[0], fold[1])
            except Exception as exc:  # never break the user's cell
                self._failed(exc)
            yield fold

    def _failed(self, exc: Exception) -> None:
        self.state.errors += 1
        if self.state.errors == 1:
            log.warning("mlsec provenance: a hook failed (%s: %s); results are unaffected, "
                        "this warning is shown once", type(exc).__name__, exc)


class _SplitAttribute(_HookedAttribute):
    def __init__(self, original: Any, hooks: Hooks) -> None:
        super().__init__(original, "split", hooks)

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        bound = self.original.__get__(instance, owner)
        if instance is None:
            return bound
        return self.hooks.wrap_splitter(instance, bound)


def _all_subclasses(cls: type) -> list[type]:
    seen: list[type] = []
    stack: list[type] = list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        if sub in seen:
            continue
        seen.append(sub)
        stack.extend(sub.__subclasses__())
    return seen


def install(recorder: ProvenanceRecorder) -> Hooks:
    """Start recording row provenance into ``recorder``; returns the hooks to ``uninstall``."""
    return Hooks(recorder).install()
