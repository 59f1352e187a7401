"""What the rows' order and entities say when they are split (part of ``code_ml``).

A random split is a leak when the rows are ordered in time (lags, windows, a date index) or
when an entity has several rows (a group key counted, an entity id among the features, a table
of events named after their owner). This part gathers that evidence at the split and emits
LEAK-TEMPORAL-SPLIT / LEAK-GROUP-SPLIT; ``code_ml`` decides when a split happens.
"""

from __future__ import annotations

import re
from typing import Any

from . import code_rules as T
from .code_values import AHEAD, Data, Event, Site, Split


class OrderEvidence:
    """Evidence of time order and repeated entities, judged at a split."""

    drafts: dict[Any, Any]
    labels: set[str]
    temporal: dict[int, str]
    time_sorted: dict[int, str]
    time_columns: set[str]
    time_cuts: set[int]
    pending_future: dict[int, tuple[Event, Site]]
    emitted_events: set[int]
    label_sources: dict[str, str]
    label_formulas: dict[str, tuple[frozenset[str], Site, int]]
    grouped: dict[int, str]
    entity_hints: dict[int, list[tuple[str, str]]]
    unique_entities: set[tuple[int, str]]
    encoded_columns: set[str]
    feature_entity: str | None
    origin_names: dict[int, list[str]]
    entity_aggregates: dict[int, list[tuple[str | None, str]]]
    entity_counts: dict[tuple[int, str], str]

    def emit(self, rule: str, site: Site, detail: str, evidence: dict[str, Any]) -> None:
        raise NotImplementedError  # code_ml

    @staticmethod
    def _name(data: Data) -> str:
        raise NotImplementedError  # code_ml

    def _holds(self, frame: Data, name: str) -> bool:
        raise NotImplementedError  # code_columns

    # -- features read from later rows, before a split in time order -------------------------
    def _time_ordered(self, split: Split, origins: frozenset[int]) -> bool:
        """Does ``split`` keep the rows in time order? A splitter made for series does; a cut
        by hand, ``shuffle=False`` or predefined folds do when the rows are a series (sorted,
        indexed or cut by a date, lagged, or read with dates)."""
        if split.ordered == "time":
            return True
        return split.ordered == "kept" and (bool(self.time_columns) or any(
            o in self.temporal or o in self.time_sorted or o in self.time_cuts for o in origins))

    def _ahead_of_split(self, arrays: list[Data], split: Split, site: Site,
                        features: bool) -> None:
        """Values read from later rows (``shift(-1)``, a centred window, ``bfill``, ``rank``)
        or whole-series statistics turned into row values (``x - x.mean()``) that reach a
        split in time order: the training rows carry values of the test period. Judged on
        the features: here when the split is given them (``train_test_split(X, y, shuffle=
        False)``, ``cross_val_score(..., cv=TimeSeriesSplit())``), else when a model is fitted
        on a part (``_future_features`` from ``fit``). A whole-series statistic that never
        turns out to be a feature stays a preprocessing leak (``Flow.run``)."""
        if not split.ordered or not self._time_ordered(
                split, frozenset().union(*(a.origin for a in arrays))):
            return
        for array in arrays:
            for event in array.events.values():
                if (event.kind in AHEAD or event.series) and \
                        event.id not in self.emitted_events:
                    self.pending_future.setdefault(event.id, (event, site))
        if features and len(arrays) >= 2:
            self._future_features(arrays[0], arrays[1])

    def _future_features(self, x: Data, y: Any) -> None:
        """The features ``x`` (labels ``y``) hold values from later rows that reached a split in
        time order: one LEAK-TEMPORAL-SPLIT where each was computed. A value stored in a
        column counts only while that column is a feature, not the label (a next-day target
        is what a forecast predicts)."""
        if not self.pending_future:
            return
        label = y.label if isinstance(y, Data) else None
        for event in list(x.events.values()):
            pending = self.pending_future.get(event.id)
            if pending is None or event.id in self.emitted_events:
                continue
            column = event.column
            if column is not None and (column == label or not self._feature(x, column)):
                continue
            if column is not None and label is not None and (
                    self.label_sources.get(label) == column
                    or column in self.label_formulas.get(label, (frozenset(),))[0]):
                # the label is computed from that column: the series a forecast predicts,
                # gaps filled (cleaning it), or a label read back from the features (that is
                # LEAK-TARGET-IN-FEATURES, reported where X is built)
                continue
            del self.pending_future[event.id]
            self.emitted_events.add(event.id)
            split_site = pending[1]
            stored = f" (stored as {column!r})" if column is not None else ""
            how = ("turns a statistic of the whole series into each row's value"
                   if event.series and event.kind not in AHEAD else "reads rows after each row")
            self.emit("LEAK-TEMPORAL-SPLIT", event.site,
                      f"{event.what}{stored} {how}, and the features {self._name(x)} are then "
                      f"split in time order at {split_site.describe()}: the training rows carry "
                      "values of the test period. Compute it from earlier rows only (shift(k) "
                      "with k > 0, a trailing window), or on each part after the split.",
                      {"variable": x.name, "fitted": event.what, "column": column,
                       "split_at": {"cell": split_site.cell, "line": split_site.line}})

    def _feature(self, x: Data, column: str) -> bool:
        """``column`` is known to be among the features ``x``."""
        if x.columns is None:
            return False
        kind, names = x.columns
        if kind == "list":
            return column in names
        return column not in names and self._holds(x, column)

    def _split_order_checks(self, arrays: list[Data], split: Split, site: Site) -> None:
        """A random split of time-ordered rows, or of rows that repeat an entity.

        Both are reported where the random order was decided: the split call, or the
        shuffled splitter object it was given when that was built on its own statement
        (``kf = KFold(shuffle=True)``), which is what TimeSeriesSplit / GroupKFold replaces;
        the consuming call (``cross_val_score`` / ``cv.split``) is named in the detail and in
        ``evidence["split_at"]``."""
        origins = frozenset().union(*(a.origin for a in arrays))
        where = split.decided or site
        how = split.how if split.decided is None else (
            f"the shuffled splitter built here, used by {split.how} at {site.describe()},")
        facts = {"variable": arrays[0].name, "split": split.how,
                 "split_at": {"cell": site.cell, "line": site.line}}
        for origin in sorted(origins) if not split.entity_groups else ():
            reason = self.temporal.get(origin) or self._lag_features(arrays[0], origin)
            if reason is not None:
                if origin in self.time_sorted:
                    reason += f"; {self.time_sorted[origin]}"
                self.emit("LEAK-TEMPORAL-SPLIT", where,
                          f"{how} splits {self._name(arrays[0])} at random, but the "
                          f"data is ordered in time: {reason}.", {**facts, "reason": reason})
                break
        if split.group_aware:
            return
        for origin in sorted(origins):
            reason = self.grouped.get(origin) or next(
                (why for column, why in self.entity_aggregates.get(origin, [])
                 if column not in self.labels), None) or next(
                (why for column, why in self.entity_hints.get(origin, [])
                 if (origin, column) not in self.unique_entities), None)
            feature = None
            if reason is None:
                self.feature_entity = None
                reason = self._entity_feature(arrays[0], origin)
                feature = self.feature_entity
            if reason is None and len(arrays) > 1:
                reason = self._entity_outcome_on_events(arrays[1], origin)
            if reason is None:
                reason = self._owned_events(origin)
            if reason is None:
                reason = next((why for (where, column), why in self.entity_counts.items()
                               if where == origin and (origin, column) not in
                               self.unique_entities and not self.entity_table(origin, column)
                               and column not in self.labels), None)
            if reason is not None:
                evidence = {**facts, "reason": reason}
                if feature is not None:
                    evidence["entity_feature"] = feature
                self.emit("LEAK-GROUP-SPLIT", where,
                          f"{how} splits {self._name(arrays[0])} at random, but it has "
                          f"several rows per entity: {reason}.", evidence)
                break

    def entity_table(self, origin: int, column: str) -> bool:
        """A table named after the entity of ``column`` (``users.csv`` / ``patients`` keyed
        by ``user_id`` / ``patient_id``) has one row per entity: its id repeats nothing."""
        match = T.ENTITY_NOUN.search(column) if T.REPEATING_ENTITY.search(column) else None
        if match is None:
            return False
        noun = match.group(1).lower()
        for name in self.origin_names.get(origin, ()):
            # the last word of the name without its extension: users.csv, df_patients;
            # not user_events.csv (events of users) nor user_profiles
            words = [w for w in re.split(r"[^a-z0-9]+", name.lower().rsplit(".", 1)[0]) if w]
            if words and words[-1] in (noun, f"{noun}s"):
                return True
        return False

    def _entity_outcome_on_events(self, y: Data, origin: int) -> str | None:
        """``trips.parquet`` labelled ``claim_next_year``: rows that are events (trips,
        sessions, visits) carrying an outcome of the entity over a long horizon, the same on
        all its events. Neither alone says so: a trip-level label on trips, or a per-driver
        table with that label, has no repeated entity behind the split."""
        if y.label is None or origin not in y.origin or \
                not T.ENTITY_HORIZON_LABEL.search(y.label):
            return None
        for name in self.origin_names.get(origin, ())[:1]:
            words = [w for w in re.split(r"[^a-z0-9]+", name.lower().rsplit(".", 1)[0]) if w]
            # ``first_visits.csv`` / ``visits_baseline``: one event per entity, by its name
            if words and T.EVENT_TABLE.fullmatch(words[-1]) and \
                    not T.ONE_PER_ENTITY_TABLE.search(name):
                return (f"its rows are {words[-1]} ({name}), several per entity, labelled with "
                        f"{y.label!r}, an outcome of the entity shared by all its rows")
        return None

    def _owned_events(self, origin: int) -> str | None:
        """``learner_sessions.parquet``: the file says its rows are events (sessions, visits)
        and whose they are (learners, patients), so each owner has several rows. A table of
        events with no owner named (``trips.parquet``) or named after a place (``clinic_
        visits``) says nothing about how many rows one entity has."""
        for name in self.origin_names.get(origin, ())[:1]:
            words = [w for w in re.split(r"[^a-z0-9]+", name.lower().rsplit(".", 1)[0]) if w]
            if len(words) >= 2 and T.EVENT_TABLE.fullmatch(words[-1]) and \
                    T.EVENT_OWNER.fullmatch(words[-2]) and \
                    not T.ONE_PER_ENTITY_TABLE.search(name):
                return (f"its rows are {words[-1]} of {words[-2]}s ({name}), several for each "
                        f"{words[-2].rstrip('s')}")
        return None

    def _lag_features(self, x: Data, origin: int) -> str | None:
        """Features named as numbered lags (``hs_lag6``) of rows the notebook sorted by time:
        a series whose lags were built before it was read. Either alone is no evidence (a
        sorted table of independent rows; a name without the order)."""
        if origin not in self.time_sorted or x.columns is None or x.columns[0] != "list" \
                or origin not in x.origin:
            return None
        lags = sorted(c for c in x.columns[1] if T.LAG_FEATURE.search(c))
        if not lags:
            return None
        where = f" ({x.cols_site.describe()})" if x.cols_site is not None else ""
        return f"the features {', '.join(map(repr, lags))}{where} are lags of the series"

    def _entity_feature(self, x: Data, origin: int) -> str | None:
        """An id of a repeating entity (user, patient, speaker ...) kept among the features:
        rows per entity, and a model that can memorise the entity across the split."""
        if x.columns is None or x.columns[0] != "list" or origin not in x.origin:
            return None
        for column in sorted(x.columns[1]):
            # ``bus_user`` among the features names an attribute (uses the bus), not an id;
            # its use as a key (a group count, ``groups=``) is judged on the other paths;
            # ``animals`` (a bare plural) is how many, not which
            if T.REPEATING_ENTITY.search(column) and not T.ENTITY_COUNT.search(column) and \
                    (origin, column) not in \
                    self.unique_entities and not self.entity_table(origin, column) and \
                    not T.QUALIFIED_ENTITY_ATTRIBUTE.match(column):
                where = f" ({x.cols_site.describe()})" if x.cols_site is not None else ""
                self.feature_entity = column
                return (f"the entity id {column!r} is one of the features{where}, so rows of "
                        "one entity are on both sides and the model can recognise it")
        return None

    def category_columns(self) -> None:
        """Withdraw group-split findings whose only evidence was a bare entity noun among the
        features (``machine``, no id suffix) that the code later encodes as a category with
        the other columns given to an encoder: an attribute of the row (which kind of machine
        sorted the parcel), not an id whose repetition the code shows."""
        for key, draft in list(self.drafts.items()):
            column = draft.evidence.get("entity_feature")
            if draft.rule == "LEAK-GROUP-SPLIT" and isinstance(column, str) and \
                    column in self.encoded_columns and not T.ID_SUFFIX_END.search(column) and \
                    len(self.encoded_columns) > 1:
                del self.drafts[key]
