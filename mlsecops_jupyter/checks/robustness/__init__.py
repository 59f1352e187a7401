"""Evasion robustness: how many correct predictions a bounded perturbation flips."""

from .check import check_robustness

__all__ = ["check_robustness"]
