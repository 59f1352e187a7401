"""What the provenance hooks remember, and the leaks they prove.

For every top-level ``fit`` (and ``fit_transform``/``fit_resample``/``partial_fit``) the
recorder keeps a fingerprint of the rows the estimator saw and, for transformers and samplers,
of the rows it produced; for every split it keeps the fingerprints of the test sides. When a
model then predicts or scores rows of a test side, it checks the facts:

- the model itself was fitted on those rows (``LEAK-OVERLAP``, or ``LEAK-FIT-ON-TEST`` when it
  saw only test rows);
- an upstream transformer or sampler was fitted on them (``LEAK-PREPROCESSING`` /
  ``LEAK-OVERLAP``), seen in its output (``fit_transform`` then split) or when it transforms
  test rows it was fitted on;
- the same test side has now scored ``multi_test_models`` different models or parameter
  settings (``LEAK-MULTI-TEST``), or stopped a fit early through ``eval_set``.

Bounded: fingerprints have at most ``max_rows`` rows; fits are held by weak reference to their
estimator; at most ``MAX_TEST_SIDES`` test sides are remembered. Never raises into user code:
the hooks call it inside a guard.
"""

from __future__ import annotations

import itertools
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .rows import RowPrint, containment, row_print

MAX_TEST_SIDES = 64
IS_TEST_SHARE = 0.9  # rows this much inside one test side *are* that test set
MAX_FITS = 256  # fit records kept after their estimator is gone (``fit_transform`` temporaries)
MAX_LEAKS = 200
EVAL_SET_KWARGS = ("eval_set", "validation_data", "valid_sets", "evals")
EARLY_STOPPING = ("early_stopping_rounds", "callbacks", "early_stopping")
_side_ids = itertools.count(1)


@dataclass
class FitRecord:
    """One estimator's last fit: what it is, the rows it saw and produced, when."""

    cls: str
    kind: str  # model | transformer | sampler
    seen: RowPrint | None
    produced: RowPrint | None
    params: str
    execution_count: int | None


@dataclass
class TestSide:
    """Rows of one test side of a split (or those rows after a transform)."""

    id: int
    fingerprint: RowPrint
    outer: bool
    how: str
    models: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Observation:
    """A leak the hooks proved: rule id, explanation, class involved, measurements."""

    rule: str
    detail: str
    estimator: str
    execution_count: int | None
    facts: dict[str, Any]


class ProvenanceRecorder:
    """Fingerprints of fits and splits, and the leaks they show (``observations``)."""

    def __init__(self, max_rows: int = 2048, overlap: float = 0.5, multi_test_models: int = 3,
                 clock: Callable[[], int | None] | None = None) -> None:
        self.max_rows = max_rows
        self.overlap = overlap
        self.multi_test_models = multi_test_models
        self.clock = clock or (lambda: None)
        self.fits: weakref.WeakKeyDictionary[Any, FitRecord] = weakref.WeakKeyDictionary()
        # every recent fit, also of estimators already gone: ``StandardScaler().fit_transform``
        # leaves only its output behind, yet it is the upstream step that saw the test rows
        self.history: deque[FitRecord] = deque(maxlen=MAX_FITS)
        self.test_sides: deque[TestSide] = deque(maxlen=MAX_TEST_SIDES)
        self.train_sides: deque[RowPrint] = deque(maxlen=MAX_TEST_SIDES)
        self.observations: list[Observation] = []
        self._seen_keys: set[tuple[Any, ...]] = set()
        # called after each top-level fit with (estimator, method, X, y, kind): the drift
        # reference capture (provenance/reference.py) listens here
        self.fit_listeners: list[Callable[[Any, str, Any, Any, str], None]] = []

    # -- events from the hooks ----------------------------------------------------------------
    def on_fit(self, estimator: Any, method: str, args: tuple[Any, ...],
               kwargs: dict[str, Any], result: Any) -> None:
        data = args[0] if args else kwargs.get("X")
        seen = self.print_of(data)
        kind = _kind(estimator, method)
        produced = None
        if method == "fit_transform":
            produced = self.print_of(result)
        elif method == "fit_resample" and isinstance(result, tuple) and result:
            produced = self.print_of(result[0])
        record = FitRecord(type(estimator).__name__, kind, seen, produced, _params(estimator),
                           self.clock())
        previous = self.fits.get(estimator)
        if previous is not None and previous in self.history:
            self.history.remove(previous)
        self.fits[estimator] = record
        self.history.append(record)
        side = self.test_side_of(seen)
        if side is not None and kind != "sampler":
            share = containment(seen, side.fingerprint)
            self.observe("LEAK-FIT-ON-TEST", estimator,
                         f"{type(estimator).__name__}.{method} ran on rows of the test set made "
                         f"by {side.how}", {"test_share": share[0] if share else None},
                         key=("fit-on-test", id(estimator), side.id))
        self._check_eval_set(estimator, kwargs)
        target = args[1] if len(args) > 1 else kwargs.get("y")
        for listener in self.fit_listeners:
            listener(estimator, method, data, target, kind)

    def on_transform(self, estimator: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                     result: Any) -> None:
        data = args[0] if args else kwargs.get("X")
        if not self._may_be_test(data):
            return
        fingerprint = self.print_of(data)
        side = self.test_side_of(fingerprint)
        if side is None:
            return
        record = self.fits.get(estimator)
        if record is not None and record.seen is not None:
            share = containment(fingerprint, record.seen)
            if share is not None and share[0] >= self.overlap:
                self.observe(_rule_for(record, side), estimator,
                             f"{record.cls} was fitted on rows that include the test rows it "
                             f"now transforms ({share[0]:.0%} of {share[1]} sampled test rows)",
                             {"overlap": round(share[0], 4), "rows_compared": share[1]},
                             key=("transform", id(estimator), side.id))
        produced = self.print_of(result)
        if produced is not None:  # the transformed test rows are still the test set
            self.test_sides.append(TestSide(side.id, produced, side.outer, side.how,
                                            side.models))

    def on_predict(self, estimator: Any, method: str, args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> None:
        data = args[0] if args else kwargs.get("X")
        if not self._may_be_test(data):
            return
        fingerprint = self.print_of(data)
        side = self.test_side_of(fingerprint)
        if side is None:
            return
        name = type(estimator).__name__
        record = self.fits.get(estimator)
        if record is not None:
            share = containment(fingerprint, record.seen)
            if share is not None and share[0] >= self.overlap:
                rule = _rule_for(record, side, model=True)
                self.observe(rule, estimator,
                             f"{name} was fitted on {share[0]:.0%} of the {share[1]} sampled "
                             f"test rows it is evaluated on ({method})",
                             {"overlap": round(share[0], 4), "rows_compared": share[1]},
                             key=("model", id(estimator), side.id))
        for upstream in list(self.history):
            if upstream is record or upstream.kind == "model":
                continue
            # only the output space proves "upstream": the raw rows a transformer saw may
            # be shared with a clean pipeline that never used that transformer
            share = containment(fingerprint, upstream.produced)
            if share is not None and share[0] >= self.overlap:
                rule = "LEAK-OVERLAP" if upstream.kind == "sampler" else "LEAK-PREPROCESSING"
                self.observe(rule, upstream.cls,
                             f"{share[0]:.0%} of the {share[1]} sampled test rows that "
                             f"{name}.{method} is evaluated on came out of {upstream.cls}, "
                             "fitted on them before the split", {
                                 "overlap": round(share[0], 4), "rows_compared": share[1],
                                 "evaluated_by": name},
                             key=("upstream", id(upstream)))
        if side.outer:
            side.models.add(f"{name}({record.params if record else ''})")
            if len(side.models) >= self.multi_test_models:
                self.observe("LEAK-MULTI-TEST", estimator,
                             f"the same test set ({side.how}) has scored {len(side.models)} "
                             "different models or parameter settings",
                             {"models": sorted(side.models)}, key=("multi", side.id))

    def on_split(self, how: str, inputs: tuple[Any, ...], outputs: Any) -> None:
        """``train_test_split``: outputs alternate train, test for each input."""
        if not isinstance(outputs, (list, tuple)) or not inputs:
            return
        source = self.print_of(inputs[0])
        outer = not self._is_train_rows(source)
        train = self.print_of(outputs[0]) if outputs else None
        test = self.print_of(outputs[1]) if len(outputs) > 1 else None
        if train is not None:
            self.train_sides.append(train)
        if test is not None:
            self.test_sides.append(TestSide(next(_side_ids), test, outer, how))

    def on_fold(self, how: str, whole: RowPrint | None, train: Any, test: Any) -> None:
        """One fold of a splitter's ``split``: remember its test rows."""
        if whole is None:
            return
        import numpy as np

        test_rows = np.asarray(test)
        if test_rows.dtype == bool:
            test_rows = np.flatnonzero(test_rows)
        self.test_sides.append(TestSide(next(_side_ids), whole.subset(test_rows), False, how))

    # -- helpers ------------------------------------------------------------------------------
    def _may_be_test(self, data: Any) -> bool:
        """Cheap filter before fingerprinting: a test set is evaluated whole, so its row count
        is one of a known test side's (SHAP and friends call predict thousands of times on
        batches of other sizes; those cost one ``len``)."""
        shape = getattr(data, "shape", None)
        try:
            rows = int(shape[0]) if shape is not None and len(shape) == 2 else None
        except (TypeError, ValueError):
            rows = None
        return rows is not None and any(side.fingerprint.n_rows == rows
                                        for side in self.test_sides)

    def print_of(self, data: Any) -> RowPrint | None:
        if data is None:
            return None
        return row_print(data, self.max_rows)

    def test_side_of(self, fingerprint: RowPrint | None) -> TestSide | None:
        if fingerprint is None:
            return None
        for side in reversed(self.test_sides):
            share = containment(fingerprint, side.fingerprint)
            if share is not None and share[0] >= IS_TEST_SHARE:
                return side
        return None

    def _is_train_rows(self, fingerprint: RowPrint | None) -> bool:
        return any((share := containment(fingerprint, train)) is not None
                   and share[0] >= self.overlap for train in self.train_sides)

    def _check_eval_set(self, estimator: Any, kwargs: dict[str, Any]) -> None:
        stops_early = any(k in kwargs for k in EARLY_STOPPING) or any(
            getattr(estimator, k, None) not in (None, False) for k in EARLY_STOPPING
            if k != "callbacks")
        for key in EVAL_SET_KWARGS:
            if key not in kwargs or not stops_early:
                continue
            for data in _arrays(kwargs[key]):
                side = self.test_side_of(self.print_of(data))
                if side is not None and side.outer:
                    self.observe("LEAK-MULTI-TEST", estimator,
                                 f"{type(estimator).__name__} stopped early on the test set "
                                 f"({key}; test set from {side.how})", {"argument": key},
                                 key=("early", id(estimator), side.id))
                    return

    def observe(self, rule: str, estimator: Any, detail: str, facts: dict[str, Any], *,
                key: tuple[Any, ...]) -> None:
        if key in self._seen_keys or len(self.observations) >= MAX_LEAKS:
            return
        self._seen_keys.add(key)
        name = estimator if isinstance(estimator, str) else type(estimator).__name__
        self.observations.append(Observation(rule, detail, name, self.clock(), facts))

    def memory_bytes(self) -> int:
        """Bytes held by fingerprints (the bound the settings promise)."""
        total = sum(s.fingerprint.nbytes for s in self.test_sides)
        total += sum(t.nbytes for t in self.train_sides)
        for record in list(self.history):
            total += sum(p.nbytes for p in (record.seen, record.produced) if p is not None)
        return total

    def clear(self) -> None:
        self.fits.clear()
        self.history.clear()
        self.test_sides.clear()
        self.train_sides.clear()
        self.observations.clear()
        self._seen_keys.clear()


def _arrays(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        found: list[Any] = []
        for item in value:
            found.extend(_arrays(item))
        return found
    return [value]


def _kind(estimator: Any, method: str) -> str:
    if method == "fit_resample" or hasattr(estimator, "fit_resample"):
        return "sampler"
    if hasattr(estimator, "predict") or hasattr(estimator, "score") and not hasattr(
            estimator, "transform"):
        return "model"
    return "transformer" if hasattr(estimator, "transform") else "model"


def _params(estimator: Any) -> str:
    try:
        params = estimator.get_params(deep=False)
    except Exception:  # an estimator whose get_params fails: its identity stands in
        return str(id(estimator))
    return ",".join(f"{k}={params[k]!r}" for k in sorted(params))


def _rule_for(record: FitRecord, side: TestSide, *,
              model: bool = False) -> str:
    """Fitted on test rows only -> FIT-ON-TEST; on a superset -> OVERLAP / PREPROCESSING."""
    back = containment(record.seen, side.fingerprint)
    if back is not None and back[0] >= 0.9:
        return "LEAK-FIT-ON-TEST"
    if model or record.kind == "sampler":
        return "LEAK-OVERLAP"
    return "LEAK-PREPROCESSING"
