"""The abstract values the code-level dataflow tracks through a notebook.

A notebook variable is abstracted to what matters for leakage: a ``Data`` value knows which
dataset(s) its rows come from (``origin``), which side of which split it is (``part`` and
``split``), the fitted statistics that flowed into it (``events``), and which columns it holds
relative to its frame (so a label left among the features can be seen). ``Estimator`` values know
what kind of step they are and which rows they were fitted on. Data values are mutable and shared
by aliases, so in-place operations (``df.pop``, ``inplace=True``, ``df[c] = ...``) reach every
name bound to the same object, as they do at run time.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from typing import Any

_ids = itertools.count(1)


def new_id() -> int:
    return next(_ids)


@dataclass(frozen=True)
class Site:
    """Where a statement is: 0-based notebook cell index (``None`` if unknown) and 1-based line."""

    cell: int | None
    line: int
    order: int = 0  # position in execution order, for "before/after" questions

    def describe(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "the session"
        return f"{where}, line {self.line}"


@dataclass(frozen=True)
class Event:
    """A statistic or a row duplication that is a leak once the data it fed is split.

    ``kind`` is ``preprocess`` (a fitted transformer or pandas statistic), ``overlap`` (rows
    duplicated or synthesised), ``target-enc`` (a group statistic of column ``label``: a leak
    only if that column turns out to be the label), ``target-select`` (features chosen by
    their correlation or mutual information with column ``label``, same condition) or
    ``future`` (values read from later rows: ``shift(-1)``, a centred window, ``rank``; a
    leak only as a feature before a split in time order) or ``fill`` (gaps filled from later
    rows: ``bfill``, ``interpolate``; the same, unless the column is the series the label is
    taken from: cleaning the series a forecast predicts).
    ``series`` marks a pandas statistic of the whole series turned into each row's value
    (``x - x.mean()``, ``x / x.max()``, ``zscore(x)``): before a split in time order it too
    gives each row values of later rows. ``column`` is the frame column such values were
    stored in (``df["t_next"] = ...``): a leak only while that column is among the features.
    """

    id: int
    kind: str
    site: Site
    what: str
    variable: str | None
    origin: frozenset[int]
    label: str | None = None
    column: str | None = None
    series: bool = False
    picked: bool = False  # computed on rows picked out of a frame (``df.iloc[:n].bfill()``)


#: kinds of events that read rows after each row (see ``Event``)
AHEAD = ("future", "fill")


@dataclass
class Split:
    """One train/test split: where, how (random? by group? chronological?), of what."""

    id: int
    site: Site
    how: str
    random: bool
    group_aware: bool
    outer: bool
    loops: tuple[int, ...] = ()
    # where the random splitting was decided, when that is not the split call itself: the
    # statement that built the shuffled splitter object passed as ``cv=`` / called ``.split``
    decided: Site | None = None
    # the groups are entities (machines, patients), not periods: each entity's whole series
    # lands on one side, so rows ordered in time within an entity do not cross the split
    entity_groups: bool = False
    # the rows keep their order across the split: ``time`` for a splitter made for series
    # (TimeSeriesSplit), ``kept`` for a cut by hand, ``shuffle=False`` or predefined folds
    # (in time order when the rows are: see ``OrderEvidence._time_ordered``), else ""
    ordered: str = ""


# column state of a frame: ("all", dropped names) | ("list", kept names) | None (unknown)
Columns = tuple[str, frozenset[str]] | None


@dataclass(eq=False)
class Data:
    """Rows of one or more datasets, and what happened to them."""

    origin: frozenset[int]
    part: str = "full"  # full | train | test | mixed
    split: Split | None = None
    events: dict[int, Event] = field(default_factory=dict)
    namespace: int = 0  # the frame whose column names ``columns`` and ``label`` refer to
    columns: Columns = ("all", frozenset())
    label: str | None = None  # a single column of ``namespace`` with this name
    subset: bool = False  # rows picked out of a larger frame
    random: bool = False  # picked at random (df.sample, np.random masks)
    parent: Data | None = None  # the frame a column or view was taken from (in-place changes)
    name: str | None = None
    site: Site | None = None
    placeholder: bool = False  # a name no analysed cell assigned (its value is not known)
    read: bool = False  # fresh from a reader (read_csv ...), not derived from other data
    window: bool = False  # a rolling / expanding / ewm window: its statistics are row-local
    # where the features got their current columns: the last statement that named them (or,
    # for a frame never named, its column list); a label left among them is reported there
    cols_site: Site | None = None
    cols_named: bool = True  # False until a column selection is bound to a name
    cols_note: Site | None = None  # a later statement that re-derived those columns
    cols_name: str | None = None  # the name the columns were bound to at ``cols_site``
    cols_from: Site | None = None  # where a frame handed on to a new name was narrowed
    stacked: Site | None = None  # where rows of several arrays were stacked into this one
    part_name: str | None = None  # the variable a held-out part was first bound to (``valid``)
    copied: Site | None = None  # where these rows were copied with noise or augmented
    # the calls these rows went through (``[shift(c) for c in clips]``, ``flip(images)``),
    # latest last: stacked back onto the rows they came from, the first call one side went
    # through and the other did not is where the copies were made, whatever the call does
    lineage: tuple[Site, ...] = ()
    reduced: bool = False  # a row-wise summary (``m.mean(axis=1)``), not kept by ``derive``
    # the columns in position order, when a literal list selected them (``df[cols]``): lets
    # ``arr[:, -1]`` and ``np.delete(arr, 0, axis=1)`` on its array name columns
    order: tuple[str, ...] | None = None
    # columns this frame gained after its namespace began (assigned, ``assign``, ``insert``,
    # joined): a frame of the same namespace copied before then does not hold them, whatever
    # ``("all", ...)`` says (see ``ColumnFlow._holds``)
    added: frozenset[str] = frozenset()

    def derive(self, *, columns: Columns | bool = True, **changes: Any) -> Data:
        """A new value computed from this one (same rows and marks unless ``changes`` say)."""
        kept: Columns = self.columns if columns is True else (
            None if columns is False else columns)
        value = Data(origin=self.origin, part=self.part, split=self.split,
                     events=dict(self.events), namespace=self.namespace, columns=kept,
                     label=self.label if columns is True else None, subset=self.subset,
                     random=self.random, name=None, site=self.site,
                     cols_site=self.cols_site if columns is True else None,
                     cols_named=self.cols_named if columns is True else True,
                     cols_note=self.cols_note if columns is True else None,
                     cols_name=self.cols_name if columns is True else None,
                     cols_from=self.cols_from if columns is True else None,
                     stacked=self.stacked, part_name=self.part_name,
                     copied=self.copied, lineage=self.lineage, added=self.added)
        if columns is True:
            value.order = self.order
        for key, item in changes.items():
            setattr(value, key, item)
        return value


@dataclass(eq=False)
class Stat:
    """A statistic computed over rows (``df.mean()``): leaks once it flows into data."""

    source: Data
    events: dict[int, Event] = field(default_factory=dict)
    site: Site | None = None
    method: str | None = None  # ``corr`` / ``corrwith`` ...: which reduction made it
    what: str = ""
    picks: bool = False  # a fitted selector's mask (``rfe.support_``): selecting by it is a fit


@dataclass(eq=False)
class Cols:
    """Column names of a frame (``df.columns``, ``df.columns.drop(label)``, a comprehension
    filtering them): ``columns`` relative to the frame ``namespace`` (``None``: unknown).

    A snapshot, as pandas' ``Index`` is: ``added`` is what the frame had gained when the
    names were taken, so a column assigned to the frame later is not among them."""

    namespace: int
    columns: Columns
    site: Site | None = None
    added: frozenset[str] = frozenset()


@dataclass(eq=False)
class Estimator:
    """A scikit-learn style object: its class, its kind (see ``code_rules``), its fit."""

    cls: str
    kind: str  # transformer | stateless | oversampler | undersampler | pipeline | search | model
    options: frozenset[str] = frozenset()
    params: dict[str, Any] = field(default_factory=dict)
    inner: list[Estimator] = field(default_factory=list)
    fitted_on: Data | None = None
    fit_site: Site | None = None
    fit_event: Event | None = None
    name: str | None = None


@dataclass(eq=False)
class Splitter:
    """A cross-validation splitter object (``KFold(shuffle=True)``, ``GroupKFold()``)."""

    cls: str
    random: bool
    group_aware: bool
    chronological: bool
    site: Site | None = None  # the statement that bound it to a name (``kf = KFold(...)``)


@dataclass(eq=False)
class SplitIter:
    """``splitter.split(X)``: yields (train indices, test indices) of one split."""

    split: Split
    data: Data


@dataclass(eq=False)
class IndexPart:
    """Row positions of one side of a split (from ``splitter.split``)."""

    split: Split
    side: str


@dataclass(eq=False)
class RowIndex:
    """``frame.index``: used to take the complement (``df.drop(train.index)``)."""

    data: Data


@dataclass(eq=False)
class GroupBy:
    """``df.groupby(keys)[column]``."""

    source: Data
    keys: tuple[str, ...]
    column: str | None = None


@dataclass(eq=False)
class Indexer:
    """``df.loc`` / ``df.iloc`` / ``df.at``."""

    data: Data
    kind: str


@dataclass(eq=False)
class Seq:
    """A list, tuple, set or dict of abstract values (dict: its values, keys kept aside)."""

    items: list[Any]
    keys: list[Any] | None = None
    site: Site | None = None  # where a list was first bound to a name (a feature name list)


@dataclass(eq=False)
class Func:
    """A function or lambda defined in the notebook (inlined at each call)."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    name: str


@dataclass(frozen=True)
class Ref:
    """An imported module or name (``pd``, ``sklearn.preprocessing.StandardScaler``)."""

    qualname: str

    @property
    def short(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Const:
    """A literal (column names, ``shuffle=False``, ``test_size=0.2``)."""

    value: Any


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
