"""Drift check: reference vs current data, per column, jointly, label and prediction
(``check_drift``)."""

from ._check import check_drift

__all__ = ["check_drift"]
