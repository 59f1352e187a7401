"""What library calls do to rows: fits, splits, evaluations, resampling, and the findings.

The second half of the code-level dataflow (``code_flow`` interprets the Python): when an
estimator is fitted, a split made, a model evaluated, rows duplicated, this decides whether a
leak became real and emits it. Detection tables come from ``code_rules``; what the rows'
order and entities say at a split is ``code_order``'s part.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import code_rules as T
from .code_order import OrderEvidence
from .code_roles import Roles
from .code_values import (
    AHEAD,
    UNKNOWN,
    Const,
    Data,
    Estimator,
    Event,
    Seq,
    Site,
    Split,
    Splitter,
    new_id,
)


@dataclass
class Draft:
    """A finding before it becomes a ``Finding``: rule, place, explanation, facts."""

    rule: str
    site: Site
    detail: str
    evidence: dict[str, Any]


@dataclass
class Loop:
    """A loop being interpreted: does it fit models, and which test rows does it score?"""

    id: int
    start: int  # execution-order position where the loop began
    is_cv: bool
    over_models: bool
    fits: bool = False
    evaluations: list[tuple[Site, str]] = field(default_factory=list)
    # metric calls scoring against the test labels (``roc_auc_score(y_test, p)``): where the
    # test set ranks the candidates, reported in preference to the predict call before it
    scorings: list[Site] = field(default_factory=list)
    # the held-out parts it scores: (split id, the variable each was first bound to)
    parts: set[tuple[int, str | None]] = field(default_factory=set)


class LeakSemantics(OrderEvidence):
    """Fits, splits and evaluations over abstract values; ``Flow`` supplies the interpreter."""

    drafts: dict[tuple[str, int | None, int], Draft]
    loops: list[Loop]
    labels: set[str]
    temporal: dict[int, str]
    time_sorted: dict[int, str]
    time_columns: set[str]
    grouped: dict[int, str]
    entity_hints: dict[int, list[tuple[str, str]]]
    unique_entities: set[tuple[int, str]]
    encoded_columns: set[str]
    feature_entity: str | None
    final_scorings: list[tuple[int, int, str | None]]
    origin_names: dict[int, list[str]]
    entity_aggregates: dict[int, list[tuple[str | None, str]]]
    pending_target: list[tuple[Event, Site]]
    manual_splits: dict[frozenset[int], Split]
    manual_parts: dict[int, list[tuple[str, str, Data]]]
    files_split: Split | None
    target_flagged: set[tuple[int, str]]
    emitted_events: set[int]
    split_count: int
    pending_early: list[tuple[Draft, int, Estimator, frozenset[int]]]
    scored_on: dict[int, list[frozenset[int]]]
    pending_stopped: list[tuple[Draft, Estimator, frozenset[int]]]
    loop_names: list[frozenset[str]]
    predictions: dict[int, tuple[Estimator, Data, Data]]
    entity_counts: dict[tuple[int, str], str]
    label_formulas: dict[str, tuple[frozenset[str], Site, int]]
    roles: Roles

    def site(self, node: ast.AST) -> Site:
        raise NotImplementedError

    # -- estimators ---------------------------------------------------------------------------
    def estimator_method(self, estimator: Estimator, method: str, args: list[Any],
                         kwargs: dict[str, Any], node: ast.Call) -> Any:
        x = args[0] if args else kwargs.get("X", UNKNOWN)
        y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
        if method in T.FIT_METHODS:
            data = self.as_data(x)
            self.fit(estimator, data, y, kwargs, node)
            if estimator.cls.endswith("Encoder") and data.columns is not None and \
                    data.columns[0] == "list":
                # the code encodes these columns as categories (see ``category_columns``)
                self.encoded_columns.update(data.columns[1])
            if method == "fit_transform":
                return self._transformed(estimator, data)
            if method == "fit_resample":
                out = self._transformed(estimator, data)
                target = y.derive() if isinstance(y, Data) else UNKNOWN
                if isinstance(target, Data) and estimator.fit_event is not None:
                    target.events[estimator.fit_event.id] = estimator.fit_event
                return Seq([out, target])
            if method == "fit_predict":
                return data.derive(columns=False)
            return estimator
        if method in T.TRANSFORM_METHODS:
            data = self.as_data(x)
            self._check_transform(estimator, data, node)
            return self._transformed(estimator, data)
        if method in T.PREDICT_METHODS:
            data = self.as_data(x)
            self.evaluate(estimator, data, node)
            predicted = data.derive(columns=False, label=None)
            self.predictions[id(predicted)] = (estimator, data, predicted)
            return predicted
        if method in T.STAGED_METHODS:
            data = self.as_data(x)
            self.evaluate(estimator, data, node)
            self._staged(estimator, data, method, node)
            return data.derive(columns=False, label=None)
        if method in T.AUGMENT_CALLS and isinstance(x, Data):
            # ``aug.augment(text)`` (nlpaug and the like): an altered copy of the rows given
            return x.derive(columns=False, copied=self.site(node))
        if method in ("set_params",):
            return estimator
        if method == "add" and args and isinstance(args[0], Estimator):
            estimator.inner.append(args[0])  # ``model.add(layer)``
            return UNKNOWN
        return UNKNOWN

    def fit(self, estimator: Estimator, data: Data, y: Any, kwargs: dict[str, Any],
            node: ast.Call) -> None:
        site = self.site(node)
        if isinstance(y, Data):
            self.target_check(data, y, site)
        estimator.fitted_on, estimator.fit_site, estimator.fit_event = data, site, None
        kind = estimator.kind
        if kind in ("model", "pipeline", "search"):
            for loop in self.loops:
                loop.fits = True
            if data.part == "train":
                self._future_features(data, y)
        if kind == "search":
            split = self._cv_split(estimator.params.get("cv", UNKNOWN), kwargs, node,
                                   f"{estimator.cls}.fit", data)
            self.on_split([data] + ([y] if isinstance(y, Data) else []), split, node)
        if kind == "stateless" and estimator.cls in T.VOCABULARY_ENCODERS and \
                data.part == "test":
            # a LabelEncoder refitted on the test rows numbers their categories afresh: the
            # codes no longer mean what the model learned (fitting it on all rows is harmless)
            self.emit("LEAK-FIT-ON-TEST", site,
                      f"{estimator.cls} is refitted on {self._name(data)} (test rows"
                      f"{self._split_note(data)}): its codes are learned from the test rows "
                      "and need not match the ones the model was trained with.",
                      {"variable": data.name, "estimator": estimator.cls})
            return
        if kind in ("stateless", "undersampler"):
            return
        if data.part == "test":
            self.emit("LEAK-FIT-ON-TEST", site,
                      f"{estimator.cls} is fitted on {self._name(data)} (test rows"
                      f"{self._split_note(data)}).",
                      {"variable": data.name, "estimator": estimator.cls})
            return
        if data.part == "mixed" and kind not in ("model", "pipeline", "search"):
            # training and test rows stacked for one fit: the statistics saw rows later used
            # for testing, the definition of preprocessing leakage (a fit on the test rows
            # alone is LEAK-FIT-ON-TEST)
            self.emit("LEAK-PREPROCESSING", site,
                      f"{estimator.cls} is fitted on {self._name(data)} (training and test "
                      f"rows stacked together{self._split_note(data)}): its statistics include "
                      "the test rows.",
                      {"variable": data.name, "estimator": estimator.cls})
            return
        if data.part == "full" and kind in ("transformer", "oversampler"):
            what = f"{estimator.cls}.fit" if kind == "transformer" else \
                f"{estimator.cls}.fit_resample"
            estimator.fit_event = Event(new_id(), "preprocess" if kind == "transformer"
                                        else "overlap", site, what, data.name, data.origin)
        self._early_stopping(estimator, kwargs, site)

    def _early_stopping(self, estimator: Estimator, kwargs: dict[str, Any],
                        site: Site) -> None:
        hints = (set(kwargs) | set(estimator.options)) & T.EARLY_STOPPING_HINTS
        best = kwargs.get("use_best_model", estimator.params.get("use_best_model"))
        if isinstance(best, Const) and best.value is False:
            hints.discard("use_best_model")
        elif best is None and estimator.cls.startswith(T.BEST_ITERATION_BY_DEFAULT):
            # CatBoost keeps the best iteration on eval_set unless told not to
            hints.add(f"use_best_model (the {estimator.cls} default)")
        for key in T.EVAL_SET_KWARGS & set(kwargs):
            tests = [d for d in self._walk(kwargs[key]) if isinstance(d, Data)
                     and d.part == "test" and d.split is not None and d.split.outer]
            if tests and hints:
                held = tests[0]
                draft = Draft("LEAK-MULTI-TEST", site,
                              f"{estimator.cls} stops early on "
                              f"{held.name or held.part_name or 'the data'} ({key}=..., "
                              f"{', '.join(sorted(hints))}): the test set picks the number "
                              "of iterations.",
                              {"variable": held.name or held.part_name,
                               "estimator": estimator.cls})
                if held.part_name and T.VALIDATION_PART.search(held.part_name) and \
                        held.split is not None:
                    # a part named ``valid`` beside a separate test part, or before the model
                    # is scored on another dataset, is a validation set
                    self.pending_early.append((draft, held.split.id, estimator, held.origin))
                else:
                    self.emit(draft.rule, draft.site, draft.detail, draft.evidence)
            trained = estimator.fitted_on.origin if estimator.fitted_on is not None else None
            others = [d for d in self._walk(kwargs[key]) if isinstance(d, Data)
                      and d.part == "full" and d.origin and trained is not None
                      and not d.origin & trained
                      and not T.VALIDATION_PART.search(d.name or "")]
            if others and hints and not tests:
                # a separate dataset (``Xte = np.load('session_E.npy')``) watched for early
                # stopping: a leak if the model is then scored on it, decided at the end
                other = others[0]
                self.pending_stopped.append((Draft(
                    "LEAK-MULTI-TEST", site,
                    f"{estimator.cls} stops early on {other.name or 'the data'} ({key}=..., "
                    f"{', '.join(sorted(hints))}) and is then scored on the same rows: the "
                    "test set picks the number of iterations.",
                    {"variable": other.name, "estimator": estimator.cls}),
                    estimator, other.origin))

    def _staged(self, estimator: Estimator, data: Data, method: str, node: ast.AST) -> None:
        """``[mae(y_test, p) for p in gbr.staged_predict(X_test)]``: one test score per
        boosting stage, the test set choosing how many stages to keep."""
        if data.part != "test" or data.split is None or not data.split.outer:
            return
        held = data.name or data.part_name or "the test set"
        draft = Draft("LEAK-MULTI-TEST", self.site(node),
                      f"{estimator.cls}.{method} scores every boosting stage on {held}: the "
                      "test set picks the number of stages (pick it on a validation split, "
                      "or with n_iter_no_change / early stopping inside the training rows).",
                      {"variable": held, "estimator": estimator.cls})
        if data.part_name and T.VALIDATION_PART.search(data.part_name):
            self.pending_early.append((draft, data.split.id, estimator, data.origin))
        else:
            self.emit(draft.rule, draft.site, draft.detail, draft.evidence)

    def _transformed(self, estimator: Estimator, data: Data) -> Data:
        keeps = estimator.cls in T.COLUMN_KEEPING
        result = data.derive(columns=keeps)
        if not keeps:
            result.namespace = new_id()
        if estimator.fit_event is not None and estimator.fit_event.origin & data.origin:
            # a statistic carries test rows only into data of the rows it was fitted on: a
            # PCA fitted on the discovery cohort and applied to the validation cohort is clean
            result.events[estimator.fit_event.id] = estimator.fit_event
        if estimator.kind == "oversampler":
            result.subset = False
        return result

    def _check_transform(self, estimator: Estimator, data: Data, node: ast.AST) -> None:
        fitted = estimator.fitted_on
        event = estimator.fit_event
        if fitted is None or event is None or data.part != "test":
            return
        if fitted.origin & data.origin:
            self._emit_event(event, self.site(node), resolved=True,
                             note=f"{estimator.cls} then transforms the test rows "
                             f"{self._name(data)}")

    def evaluate(self, estimator: Estimator, data: Data, node: ast.AST) -> None:
        site = self.site(node)
        self.scored_on.setdefault(id(estimator), []).append(data.origin)
        if data.part != "test":
            return
        for event in list(data.events.values()):
            self._emit_event(event, site, resolved=False)
        if estimator.kind == "model":
            # a Keras model holding a preprocessing layer adapted on all rows: fitting the
            # model does not re-adapt it, so the test rows' statistics are inside the model
            for layer in estimator.inner:
                if layer.fit_event is not None and layer.fitted_on is not None and \
                        layer.fitted_on.origin & data.origin:
                    self._emit_event(layer.fit_event, site, resolved=True,
                                     note=f"the {estimator.cls} holding it is evaluated on "
                                     f"{self._name(data)} at {site.describe()}")
        fitted = estimator.fitted_on
        if fitted is not None and fitted.part == "full" and fitted.origin & data.origin and \
                estimator.fit_site is not None and estimator.kind != "transformer":
            self.emit("LEAK-OVERLAP", estimator.fit_site,
                      f"{estimator.cls} was fitted on all rows of {self._name(fitted)} and is "
                      f"then evaluated on {self._name(data)} ({site.describe()}), a part of "
                      "the same rows.",
                      {"variable": fitted.name, "estimator": estimator.cls,
                       "evaluated_at": {"cell": site.cell, "line": site.line}})
        elif fitted is not None and fitted.part == "mixed" and estimator.fit_site is not None:
            self.emit("LEAK-FIT-ON-TEST", estimator.fit_site,
                      f"{estimator.cls} was fitted on training and test rows together and is "
                      f"then evaluated on {self._name(data)} ({site.describe()}).",
                      {"variable": fitted.name, "estimator": estimator.cls})
        split = data.split
        if split is not None and split.outer:
            looped = False
            for loop in self.loops:
                if not loop.is_cv and loop.id not in split.loops:
                    loop.evaluations.append((site, self._name(data)))
                    loop.parts.add((split.id, data.part_name))
                    looped = True
            if not looped:
                self.final_scorings.append((site.order, split.id, data.part_name))

    def metric(self, args: list[Any], node: ast.Call) -> None:
        """A score of predictions against labels: a threshold swept over the test set, or
        the evidence that a separately read dataset is the one the model is tested on."""
        site = self.site(node)
        datas = [a for a in args if isinstance(a, Data)]
        tests = [d for d in datas if d.part == "test" and d.split is not None and d.split.outer]
        if tests and not any(not loop.is_cv for loop in self.loops):
            # scored against held-out labels outside any loop: the final report on that part
            self.final_scorings.extend((site.order, d.split.id, d.part_name)
                                       for d in tests if d.split is not None)
        for loop in self.loops:
            if tests and not loop.is_cv and tests[0].split is not None and \
                    loop.id not in tests[0].split.loops:
                loop.scorings.append(site)
        if tests and self.loops and not self.loops[-1].is_cv and self.loop_names:
            names = self.loop_names[-1]
            # ``proba >= t`` for each ``t``: an ordering against the loop variable is a
            # threshold (``pred == k`` per class is a breakdown of one score, not a choice)
            swept = [arg for arg in node.args if any(
                isinstance(n, ast.Compare) and all(
                    isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)) for op in n.ops)
                and {m.id for m in ast.walk(n) if isinstance(m, ast.Name)} & names
                for n in ast.walk(arg))]
            if swept:
                held = tests[0].name or tests[0].part_name or "the test set"
                self.emit("LEAK-MULTI-TEST", site,
                          f"{ast.unparse(swept[0])} is scored on {held} for "
                          "every value the loop tries: the decision threshold is chosen by "
                          "the test set (choose it on a validation split or by "
                          "cross-validation on the training rows).",
                          {"variable": tests[0].name, "threshold": ast.unparse(swept[0])})
        for value in datas:
            made = self.predictions.get(id(value))
            if made is None or made[2] is not value:
                continue
            model, rows, _ = made
            fitted = model.fitted_on
            if fitted is None or rows.part != "full" or fitted.origin & rows.origin:
                continue
            truth = [d for d in datas if d is not value and d.origin & rows.origin]
            if not truth:
                continue
            # a model fitted on one dataset and scored against the labels of another: that
            # other dataset is the test set, and a statistic fitted on it alone saw only it
            for event in rows.events.values():
                if event.kind == "preprocess" and event.origin <= rows.origin and \
                        event.id not in self.emitted_events:
                    self.emitted_events.add(event.id)
                    self.emit("LEAK-FIT-ON-TEST", event.site,
                              f"{event.what} is fitted on {event.variable or 'the rows'} "
                              f"alone, the "
                              f"rows {model.cls} is scored on at {site.describe()} (it was "
                              f"trained on {self._name(fitted)}): the test set is transformed "
                              "with its own statistics instead of the training ones.",
                              {"variable": event.variable, "fitted": event.what,
                               "scored_at": {"cell": site.cell, "line": site.line}})

    # -- splits -------------------------------------------------------------------------------
    def new_split(self, node: ast.AST, how: str, *, random: bool, group_aware: bool,
                  outer: bool, splitter: Any = None, groups: Any = None,
                  ordered: str = "") -> Split:
        """A split made at ``node``; a shuffled splitter object bound to a name at an earlier
        statement is where the random splitting was decided (``Split.decided``)."""
        self.split_count += 1
        site = self.site(node)
        decided = None
        if isinstance(splitter, Splitter) and splitter.random and splitter.site is not None \
                and (splitter.site.cell, splitter.site.line) != (site.cell, site.line):
            decided = splitter.site
        if isinstance(splitter, Splitter) and splitter.chronological and not random:
            ordered = "time" if splitter.cls in T.TIME_SERIES_SPLITTERS else "kept"
        return Split(new_id(), site, how, random, group_aware, outer,
                     tuple(loop.id for loop in self.loops), decided,
                     group_aware and self._entity_groups(groups), "" if random else ordered)

    def _entity_groups(self, groups: Any) -> bool:
        """``groups=df["turbine_id"]``: one named column that is not a time key (grouping by
        ``date`` or ``week`` still splits a series at random points in time)."""
        if not isinstance(groups, Data):
            return False
        names = set(groups.columns[1]) if groups.columns is not None and \
            groups.columns[0] == "list" else set()
        if groups.label is not None:
            names.add(groups.label)
        return len(names) == 1 and not any(
            T.TIME_COLUMN.search(n) or T.CALENDAR_WORD.search(n) or T.PERIOD_WORD.search(n)
            or n in self.time_columns for n in names)

    def split_arrays(self, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
        arrays = [self.as_data(a) for a in args]
        if not arrays:
            return UNKNOWN
        shuffle = kwargs.get("shuffle")
        random = not (isinstance(shuffle, Const) and shuffle.value is False)
        split = self.new_split(node, "train_test_split", random=random, group_aware=False,
                               outer=all(a.part == "full" for a in arrays), ordered="kept")
        self.on_split(arrays, split, node)
        parts: list[Any] = []
        for array in arrays:
            parts.append(self.partition(array, split, "train"))
            parts.append(self.partition(array, split, "test"))
        return Seq(parts)

    def cross_validate(self, estimator: Any, x: Any, y: Any, kwargs: dict[str, Any],
                       node: ast.Call, name: str) -> None:
        data = self.as_data(x)
        split = self._cv_split(kwargs.get("cv", UNKNOWN), kwargs, node, name, data)
        arrays = [data] + ([y] if isinstance(y, Data) else [])
        self.on_split(arrays, split, node)
        if isinstance(y, Data):
            self.target_check(data, y, self.site(node))

    def _cv_split(self, cv: Any, kwargs: dict[str, Any], node: ast.AST, how: str,
                  data: Data) -> Split:
        random = group_aware = False
        if isinstance(cv, Splitter):
            random = cv.random
            group_aware = cv.group_aware and "groups" in kwargs
        return self.new_split(node, how, random=random, group_aware=group_aware,
                              outer=data.part == "full", splitter=cv,
                              groups=kwargs.get("groups"))

    def on_split(self, arrays: list[Data], split: Split, node: ast.AST, *,
                 features: bool = True) -> None:
        """The rows of ``arrays`` are being divided: the leaks that flowed in become real.

        ``features`` is False when the first array only gives row positions (``cv.split(df,
        df[label], groups=...)``), so a label inside it is not a label among features."""
        site = self.site(node)
        self._ahead_of_split(arrays, split, site, features)
        x_overlaps = {e.id for e in arrays[0].events.values() if e.kind == "overlap"} \
            if arrays else set()
        for array in arrays:
            for event in list(array.events.values()):
                if features and array is not arrays[0]:
                    if event.kind == "overlap" and x_overlaps and event.id not in x_overlaps:
                        # the labels duplicated next to the features: one leak, reported on
                        # the features' statement (the first of the pair)
                        self.emitted_events.add(event.id)
                        continue
                    event = self._paired(event, arrays[0])
                self._emit_event(event, site, resolved=False)
        if features and len(arrays) >= 2:
            self.target_check(arrays[0], arrays[1], site)
        if split.random:
            self._split_order_checks(arrays, split, site)

    @staticmethod
    def _paired(event: Event, x: Data) -> Event:
        """``y = np.concatenate([labels, labels])`` next to ``X = np.concatenate([emb, aug])``
        in the same cell: the duplication is of the features; report it on the X line."""
        stacked = x.stacked
        if event.kind != "overlap" or event.id in x.events or stacked is None or \
                stacked.cell != event.site.cell or stacked == event.site:
            return event
        return replace(event, site=stacked, variable=x.name or event.variable,
                       what=f"stacking rows into {x.name or 'the features'}, paired with "
                            f"{event.what} at {event.site.describe()}")

    def partition(self, data: Data, split: Split, side: str) -> Data:
        part = data.derive(part=side, split=split, subset=True)
        part.parent = None
        return part

    def _manual_split(self, name: str, value: Data, node: ast.AST) -> None:
        """``train = df.sample(frac=.8)`` / ``test = df.drop(train.index)``: a hand-made split."""
        if value.part != "full" or value.split is not None:
            return
        side = "test" if T.TEST_NAME.search(name) else "train" if T.TRAIN_NAME.search(
            name) else None
        if side is None and value.read and not value.subset and any(
                T.TEST_NAME.search(file.rsplit(".", 1)[0])
                for origin in value.origin for file in self.origin_names.get(origin, [])[:1]) \
                and (self.files_split is not None or any(
                    T.TRAIN_NAME.search(names[0].rsplit(".", 1)[0])
                    for origin, names in self.origin_names.items()
                    if names and origin not in value.origin)):
            # ``te = pd.read_csv("beats_test.csv")`` beside a training file: the file says it
            # is the test set (a lone ``blood_test.csv`` is just data)
            side = "test"
        if side is None:
            side = self._side_by_use(name, value)
        if side is None:
            return
        if value.read and not value.subset:
            # ``test = pd.read_csv("test.csv")``: the split was made before the notebook
            if self.files_split is None:
                self.files_split = self.new_split(node, "separate files", random=False,
                                                  group_aware=True, outer=True)
            value.part, value.split = side, self.files_split
            return
        if not value.subset:
            return
        # ``train = df.iloc[:n].interpolate()``: values read ahead within the rows of this part
        # only, in the statement that cuts it, are computed on the part after the split
        here = self.site(node).order
        value.events = {i: e for i, e in value.events.items()
                        if not (e.picked and e.site.order == here)}
        key = value.origin
        split = self.manual_splits.get(key)
        if split is None:
            split = self.new_split(node, "a split by hand", random=value.random,
                                   group_aware=not value.random, outer=True, ordered="kept")
            self.manual_splits[key] = split
            self.on_split([value], split, node)
        value.part, value.split = side, split
        parts = self.manual_parts.setdefault(split.id, [])
        if side == "test" and not T.VALIDATION_NAME.search(name) and \
                not any(part == "train" for _, part, _ in parts):
            # ``dev = df[df.ts < cut]`` / ``hold = df[df.ts >= cut]``: beside a part named as
            # the test set, a development part is what the model is built on (its training
            # side), not a second test set
            for other_name, _, other in parts:
                if other.part == "test" and T.VALIDATION_NAME.search(other_name):
                    other.part = "train"
        parts.append((name, side, value))

    def _side_by_use(self, name: str, value: Data) -> str | None:
        """``lots_te = pd.read_csv('lots_2024.csv')`` / ``d24 = df[df.year == 2024]``: rows
        that are only ever predicted or scored against, never fitted on by a model, are the
        test part whatever their name (``code_roles``). A part of the rows only fitted on,
        in a notebook that has such a test part, is the training side."""
        roles = self.roles
        if name in roles.scored_only and roles.fitted_only and (value.subset or any(
                names and origin not in value.origin
                for origin, names in self.origin_names.items())):
            return "test"
        if value.subset and name in roles.fitted_only and roles.scored_only:
            return "train"
        return None

    # -- concatenation and resampling ---------------------------------------------------------
    def concat(self, items: Any, kwargs: dict[str, Any], node: ast.AST, *,
               columns: bool) -> Any:
        datas = [d for d in self._walk(items) if isinstance(d, Data)]
        if not datas:
            return UNKNOWN
        axis = kwargs.get("axis")
        if columns or (isinstance(axis, Const) and axis.value in (1, "columns")):
            result = datas[0].derive(columns=False)
            for other in datas[1:]:
                result.events.update(other.events)
            return result
        result = datas[0].derive(subset=False)
        for other in datas[1:]:
            result.events.update(other.events)
            result.origin = result.origin | other.origin
        parts = {d.part for d in datas}
        if "test" in parts and len(parts) > 1 or "mixed" in parts:
            result.part, result.split = "mixed", None
        duplicated = False
        made: Site | None = None
        already = any(e.kind == "overlap" for d in datas for e in d.events.values())
        for i, first in enumerate([] if already else datas):
            for second in datas[i + 1:]:
                if first.origin & second.origin and first.part == second.part == "full" and (
                        first is second or not first.subset or not second.subset) and not (
                        first.reduced and second.reduced):
                    duplicated = True
                    made = made or self._diverged(first, second, node)
        if len(datas) > 1 and not duplicated:
            result.stacked = self.site(node)
        if duplicated and result.part == "full":
            # reported where the copies were made when that is a statement of its own (the
            # noise or the augmentation is what to move after the split), else at the concat
            copy = next((d for d in datas if d.copied is not None), None)
            what = f"concatenating {datas[0].name or 'the data'} with its own rows"
            if copy is not None and copy.copied is not None:
                what = (f"altered copies of rows ({copy.name or 'copies'}, made here) stacked "
                        f"back onto {datas[0].name or 'the data'} at {self.site(node).describe()}")
            elif made is not None:
                what = (f"rows computed from {datas[0].name or 'the data'} (made here) stacked "
                        f"back onto it at {self.site(node).describe()}")
            event = Event(new_id(), "overlap", copy.copied if copy is not None and
                          copy.copied is not None else made or self.site(node), what,
                          datas[0].name, result.origin)
            result.events[event.id] = event
        return result

    def _diverged(self, first: Data, second: Data, node: ast.AST) -> Site | None:
        """Where one of two values of the same rows went through a call the other did not
        (``shifted = [pitch_shift(c) for c in clips]``), before the statement stacking them:
        the statement that made the altered copies. ``None`` for plain copies of the rows."""
        here = self.site(node)
        first_sites, second_sites = set(first.lineage), set(second.lineage)
        own = [s for s in first.lineage if s not in second_sites] + [
            s for s in second.lineage if s not in first_sites]
        earlier = [s for s in own if s.order < here.order]
        return min(earlier, key=lambda s: (s.order, s.line)) if earlier else None

    def _resampled(self, data: Data, node: ast.AST, what: str, duplicates: bool) -> Data:
        result = data.derive(subset=False)
        if duplicates and data.part == "full":
            event = Event(new_id(), "overlap", self.site(node), what, data.name, data.origin)
            result.events[event.id] = event
        elif duplicates and data.part in ("test", "mixed"):
            self.emit("LEAK-FIT-ON-TEST", self.site(node),
                      f"{what} resamples {self._name(data)}, which holds test rows.",
                      {"variable": data.name})
        return result

    # -- findings -----------------------------------------------------------------------------
    def target_check(self, x: Data, y: Any, site: Site) -> None:
        if not isinstance(y, Data) or y.label is None:
            return
        self.labels.add(y.label)
        if x is y or x.namespace != y.namespace or x.columns is None:
            return
        kind, names = x.columns
        positional = kind == "all" and "<columns taken by position>" in names
        if positional != (y.label == "<last column>"):
            return  # a label by name against features by position (or the reverse): unknown
        present = y.label not in names and self._holds(x, y.label) if kind == "all" else \
            y.label in names
        key = (x.namespace, y.label)
        if present and key not in self.target_flagged and x.label != y.label:
            self.target_flagged.add(key)
            # reported where the features got their columns (the line that builds X), or
            # where a frame never narrowed down is used as features
            built = x.cols_site or site
            used = "" if built == site else f", then used with the label at {site.describe()}"
            if x.cols_from is not None and x.cols_from != built:
                used += (f" (the frame it was taken from was last narrowed at "
                         f"{x.cols_from.describe()}, which kept the label)")
            if x.cols_note is not None and x.cols_note != built:
                used += f" (its columns re-derived at {x.cols_note.describe()} still hold it)"
            self.emit("LEAK-TARGET-IN-FEATURES", built,
                      f"the label column {y.label!r} ({self._name(y)}) is still among the "
                      f"features {self._name(x)}{used}.",
                      {"variable": x.name, "label": y.label,
                       "used_at": {"cell": site.cell, "line": site.line}})
        self._formula_check(x, y, site)

    def _formula_check(self, x: Data, y: Data, site: Site) -> None:
        """``df["lost"] = (df.graft_days < 365) & (df.graft_lost == 1)``: the columns the label
        was computed from, left among the features, give the label back to the model. Only a
        formula over the row's own columns counts: a column merely related to the label, or
        one a next-period label was shifted from, is no evidence."""
        if y.label is None or x.columns is None or y.label not in self.label_formulas:
            return
        kind, names = x.columns
        if kind == "all" and any(n.startswith("<") for n in names):
            return
        sources, defined, namespace = self.label_formulas[y.label]
        if namespace != x.namespace:
            return
        kept = sorted(c for c in sources if c not in self.labels and (
            c not in names and self._holds(x, c) if kind == "all" else c in names))
        key = (x.namespace, f"formula:{y.label}")
        if not kept or key in self.target_flagged or x.label in sources:
            return
        self.target_flagged.add(key)
        built = x.cols_site or site
        used = "" if built == site else f", then used with the label at {site.describe()}"
        self.emit("LEAK-TARGET-IN-FEATURES", built,
                  f"the label {y.label!r} is computed from {', '.join(map(repr, kept))} "
                  f"({defined.describe()}), which {'is' if len(kept) == 1 else 'are'} still "
                  f"among the features {self._name(x)}{used}: the model reads the label back "
                  "from them (drop them with the label).",
                  {"variable": x.name, "label": y.label, "sources": kept,
                   "defined_at": {"cell": defined.cell, "line": defined.line},
                   "used_at": {"cell": site.cell, "line": site.line}})

    def _emit_event(self, event: Event, site: Site, *, resolved: bool,
                    note: str | None = None) -> None:
        if event.id in self.emitted_events or event.kind in AHEAD or \
                event.id in self.pending_future:
            return  # values of later rows: judged as features (``_future_features``)
        if event.kind in ("target-enc", "target-select") and not resolved:
            self.pending_target.append((event, site))
            return
        self.emitted_events.add(event.id)
        rule = "LEAK-OVERLAP" if event.kind == "overlap" else "LEAK-PREPROCESSING"
        subject = f"{event.variable}" if event.variable else "the data"
        then = note or f"the result is split or cross-validated at {site.describe()}"
        if event.kind == "overlap":
            detail = (f"{event.what}: rows of {subject} are duplicated or synthesised before "
                      f"the split; {then}, so copies or synthetic neighbours of test rows are in "
                      "training.")
        elif event.kind == "target-enc":
            detail = (f"{event.what} encodes the label {event.label!r} with a statistic of all "
                      f"rows of {subject}; {then}.")
        elif event.kind == "target-select":
            detail = (f"{event.what} picks features by their relation to the label "
                      f"{event.label!r} over all rows of {subject}; {then}, so the test rows "
                      "chose the features.")
        else:
            detail = (f"{event.what} is fitted on {subject} with all its rows; {then}, so the "
                      "test rows shaped the fitted statistics.")
        self.emit(rule, event.site, detail,
                  {"variable": event.variable, "fitted": event.what,
                   "split_at": {"cell": site.cell, "line": site.line}})

    def emit(self, rule: str, site: Site, detail: str, evidence: dict[str, Any]) -> None:
        key = (rule, site.cell, site.line)
        if key in self.drafts:
            return
        self.drafts[key] = Draft(rule, site, detail, evidence)

    # -- helpers ------------------------------------------------------------------------------
    def _unbound(self, data: Data) -> bool:
        """True for the placeholder data of a name that no analysed cell assigned."""
        return data.placeholder

    def as_data(self, value: Any) -> Data:
        if isinstance(value, Data):
            return value
        if isinstance(value, Seq):
            datas = [d for d in self._walk(value) if isinstance(d, Data)]
            if datas:
                return datas[0]
        return Data(origin=frozenset({new_id()}), namespace=new_id())

    def _walk(self, value: Any) -> Iterator[Any]:
        if isinstance(value, Seq):
            for item in value.items:
                yield from self._walk(item)
        else:
            yield value

    @staticmethod
    def _name(data: Data) -> str:
        return data.name or "the data"

    @staticmethod
    def _split_note(data: Data) -> str:
        if data.split is None:
            return ""
        return f", from {data.split.how} at {data.split.site.describe()}"
