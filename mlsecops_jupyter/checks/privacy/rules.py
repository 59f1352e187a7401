"""Rule table of the membership-inference check: a model that tells its training rows apart."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "privacy"

RULES = register(
    [
        Rule(
            "PRIVACY-MEMBERSHIP-INFERENCE", CHECK, Severity.MEDIUM,
            "An attacker can tell training rows from other rows",
            "A membership-inference attack (loss threshold, shadow models, or reference models) "
            "separates training rows from held-out rows with an AUC whose confidence interval "
            "(privacy.confidence_level, Bonferroni-adjusted over the attacks run) lies above "
            "privacy.auc_threshold: the model's outputs reveal who was in its training data. "
            "HIGH from privacy.high_auc.",
            "Reduce memorisation: regularise (shallower trees, larger leaves, fewer epochs, "
            "stronger penalty), train on more data, or train with differential privacy; return "
            "labels or rounded scores instead of full probabilities; re-run the check.",
        ),
    ]
)
