"""Membership inference: whether a model's outputs give away the rows it was trained on."""

from .check import check_privacy

__all__ = ["check_privacy"]
