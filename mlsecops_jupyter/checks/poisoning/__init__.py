"""Poisoning checks: training data that was tampered with (flipped labels, backdoor triggers,
conflicting copies, planted outliers), each judged against what chance gives on clean data."""

from ._check import check_poisoning

__all__ = ["check_poisoning"]
