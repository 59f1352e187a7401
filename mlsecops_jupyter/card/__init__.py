"""Model cards and CycloneDX ML-BOMs, built from a notebook's lineage records.

``build_card(records, model_var)`` turns lineage records (and the reports inside their check
records) into a ``ModelCard`` with Markdown, HTML and JSON renderings; ``build_mlbom(card)``
gives the CycloneDX 1.6 ML-BOM; ``write_card_files`` writes all four files. No IPython here.
"""

from __future__ import annotations

from ..lineage.estimator import describe_estimator
from .export import CARD_FILES, CardFiles, write_card_files
from .mlbom import build_mlbom, mlbom_json, validate_mlbom
from .model import ModelCard, Section, Table, build_card

__all__ = [
    "CARD_FILES",
    "CardFiles",
    "ModelCard",
    "Section",
    "Table",
    "build_card",
    "build_mlbom",
    "describe_estimator",
    "mlbom_json",
    "validate_mlbom",
    "write_card_files",
]
