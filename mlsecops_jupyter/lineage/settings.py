"""Settings of the lineage recorder: the ``[tool.mlsec.lineage]`` section of ``Settings``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..core.errors import MLSecConfigError
from ..core.settings import LineageSettings

__all__ = ["LineageSettings", "coerce_settings"]


def coerce_settings(settings: Any) -> LineageSettings:
    """Accept ``None``, a ``LineageSettings``, a mapping, or an object with a ``lineage`` part.

    The last form is the package-wide ``Settings`` once it grows a ``lineage`` section, so the
    magic can pass whatever it holds.
    """
    if settings is None:
        return LineageSettings()
    if isinstance(settings, LineageSettings):
        return settings
    section = getattr(settings, "lineage", None)
    if section is not None:
        return coerce_settings(section)
    if isinstance(settings, Mapping):
        known = {f.name for f in dataclasses.fields(LineageSettings)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise MLSecConfigError(
                f"unknown lineage setting {unknown[0]!r}; known: {', '.join(sorted(known))}"
            )
        return LineageSettings(**dict(settings))
    return LineageSettings()
