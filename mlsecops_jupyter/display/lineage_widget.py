"""``LineageWidget``: the lineage timeline in JupyterLab, filterable by record kind.

Imports ipywidgets at import time; ``LineageView.mimebundle`` imports this module only when a
widget can be shown. State (the filter, the visible records) lives in traitlets.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from .lineage import LineageView

KIND_FILTER = (("all", "all"), ("cells", "cell"), ("checks", "check"))


class LineageWidget(widgets.VBox):
    """Header, a kind filter and the timeline table of a ``LineageView``."""

    kind = traitlets.Unicode("all")
    visible = traitlets.List(traitlets.Int())

    def __init__(self, view: LineageView, **kwargs: Any) -> None:
        self.view = view
        self.kind_filter = widgets.ToggleButtons(options=KIND_FILTER, value="all",
                                                 description="show")
        self.table = widgets.HTML("")
        children: list[Any] = [self.table]
        if view.mode == "timeline":
            children.insert(0, self.kind_filter)
        super().__init__(children=children, **kwargs)
        self.add_class("jp-MLSec-lineage")
        traitlets.link((self.kind_filter, "value"), (self, "kind"))
        self._apply()

    @traitlets.observe("kind")
    def _on_kind(self, change: Any) -> None:
        self._apply()

    def _apply(self) -> None:
        wanted = [i for i, r in enumerate(self.view.records)
                  if self.kind == "all" or r.get("kind") == self.kind]
        self.visible = wanted
        subset = LineageView([self.view.records[i] for i in wanted], path=self.view.path,
                             mode=self.view.mode, model_var=self.view.model_var,
                             verify=self.view.verify, scope=self.view.scope,
                             notes=self.view.notes,
                             context=self.view.context if self.view.context is not None
                             else self.view.records)
        self.table.value = subset.to_html()
