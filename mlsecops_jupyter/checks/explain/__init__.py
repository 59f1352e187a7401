"""SHAP explanations with security-relevant findings (``%mlsec explain``)."""

from .check import explain

__all__ = ["explain"]
