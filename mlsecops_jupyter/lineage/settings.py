"""Settings of the lineage recorder: the ``[tool.mlsec.lineage]`` section of ``Settings``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.settings import LineageSettings, Settings

__all__ = ["LineageSettings", "coerce_settings"]


def coerce_settings(settings: Any) -> LineageSettings:
    """Accept ``None``, a ``LineageSettings``, a mapping, or a ``Settings`` (its ``lineage`` part).

    A mapping goes through ``Settings.override``, so its keys are checked and its values
    converted exactly as in ``[tool.mlsec.lineage]``.
    """
    if settings is None:
        return LineageSettings()
    if isinstance(settings, LineageSettings):
        return settings
    section = getattr(settings, "lineage", None)
    if isinstance(section, LineageSettings):
        return section
    if isinstance(settings, Mapping):
        return Settings().override({"lineage": dict(settings)}).lineage
    return LineageSettings()
