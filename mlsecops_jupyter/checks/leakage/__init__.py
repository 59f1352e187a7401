"""Leakage checks: train/test data that share information (``check_leakage``) and notebook code
that lets test rows into fitting (the code-level analysis)."""

from ._check import check_leakage
from .code_check import check_code_leakage

__all__ = ["check_code_leakage", "check_leakage"]
