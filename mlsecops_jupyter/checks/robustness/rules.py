"""Rule table of the evasion-robustness check: when bounded perturbations flip too many rows."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "robustness"

RULES = register(
    [
        Rule(
            "ROBUST-EVASION", CHECK, Severity.MEDIUM,
            "Small input changes flip the model's predictions",
            "More than robustness.success_threshold of the correctly classified rows attacked "
            "change class under a perturbation of at most epsilon standard deviations per "
            "numeric feature (L-inf; categorical columns kept valid, immutable columns held). "
            "HIGH from robustness.high_rate. The rate is exact for linear models and single "
            "trees, and a lower bound (what the attack found) for other models.",
            "Look at the features the attacks moved and the rows flipped: make the model rely "
            "less on features an attacker controls (mark the rest immutable), regularise or "
            "smooth it (larger leaves, fewer deep interactions, monotonic constraints), train "
            "on perturbed copies of the data, or reject inputs close to the decision boundary.",
        ),
    ]
)
