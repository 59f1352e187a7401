"""Bias check: group metrics, fairlearn's disparities, bootstrap intervals (``check_bias``)."""

from ._check import check_bias

__all__ = ["check_bias"]
