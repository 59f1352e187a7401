"""Calls: helper functions of the notebook, library functions (splits, fits, metrics, readers)
and methods on estimators and other values (part of ``code_flow.Flow``). What each library call
does comes from the tables in ``code_rules``; pandas methods on data are ``code_frames``' part.
"""

from __future__ import annotations

import ast
from typing import Any

from . import code_rules as T
from .code_state import COLUMN_PRESERVING, MAX_LINEAGE, FlowState
from .code_values import (
    UNKNOWN,
    Cols,
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
    SplitIter,
    Splitter,
    Stat,
    new_id,
)

BUILTIN_PASSTHROUGH = frozenset({"list", "tuple", "sorted", "reversed", "iter", "next", "set"})


class CallFlow(FlowState):
    """The call part of the interpreter: helpers, library functions, methods of values."""

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
            items = args[0] if len(args) == 1 else Seq(args)
            stacked = self.concat(items, kwargs, node, columns=name == "hstack")
            axis = kwargs.get("axis")
            if name == "concat" and isinstance(stacked, Data) and isinstance(axis, Const) and \
                    axis.value in (1, "columns"):
                # ``pd.concat([df, labels], axis=1)``: the frames side by side
                frames = [d for d in self._walk(items) if isinstance(d, Data)]
                self._side_by_side(stacked, frames[0], frames[1:], node)
            return stacked
        if name == "merge" and len(args) > 1 and isinstance(args[0], Data):
            return self.data_method(args[0], "merge", args[1:], kwargs, node)
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
        signal = next((a for a in args if isinstance(a, Data)), None)
        if name in T.CENTRED_FILTERS and signal is not None:
            # ``savgol_filter(df["rh"], 11, 2)`` / ``filtfilt(b, a, x)``: each value smoothed
            # with the ones after it
            smoothed = signal.derive(columns=False)
            smoothed.events.update(self._ahead(signal, name, kwargs, node))
            return smoothed
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
