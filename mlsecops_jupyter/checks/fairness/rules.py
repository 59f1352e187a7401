"""Rule table of the bias check: ids, default severities, meaning and advice."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "bias"

_WITHIN_NOISE = (
    " When the confidence intervals of the two extreme groups overlap the finding is LOW: the gap "
    "may be sampling noise."
)

RULES = register(
    [
        Rule(
            "BIAS-DEMOGRAPHIC-PARITY", CHECK, Severity.MEDIUM,
            "Selection rates differ between groups",
            "The demographic parity difference (largest minus smallest selection rate over the "
            "groups, as fairlearn defines it) exceeds bias.demographic_parity_difference."
            + _WITHIN_NOISE,
            "Check whether the difference is justified by the task; otherwise rebalance the "
            "training data, drop proxies of the attribute, or use a fairness-aware mitigation "
            "(e.g. fairlearn's ThresholdOptimizer or ExponentiatedGradient).",
        ),
        Rule(
            "BIAS-EQUALIZED-ODDS", CHECK, Severity.MEDIUM,
            "Error rates differ between groups",
            "The equalized odds difference (the larger of the true-positive-rate and "
            "false-positive-rate gaps, worst case) exceeds bias.equalized_odds_difference."
            + _WITHIN_NOISE,
            "Look at the per-group TPR/FPR table; collect more data for the worst groups or "
            "post-process the thresholds per group.",
        ),
        Rule(
            "BIAS-EQUAL-OPPORTUNITY", CHECK, Severity.MEDIUM,
            "True positive rates differ between groups",
            "The equal opportunity difference (largest minus smallest true positive rate) "
            "exceeds bias.equal_opportunity_difference: qualified members of some groups are "
            "recognised less often." + _WITHIN_NOISE,
            "Inspect the groups with the lowest TPR; rebalance or re-weight them in training.",
        ),
        Rule(
            "BIAS-DISPARATE-IMPACT", CHECK, Severity.HIGH,
            "Disparate impact: the four-fifths rule is violated",
            "The smallest selection rate is below bias.disparate_impact_ratio (default 0.8, the "
            "four-fifths rule of the US EEOC guidelines) times the largest." + _WITHIN_NOISE,
            "Treat as a potential adverse impact: document the business necessity or mitigate "
            "before deployment.",
        ),
        Rule(
            "BIAS-SMALL-GROUP", CHECK, Severity.LOW,
            "Group too small for reliable rates",
            "A group has fewer rows than bias.min_group_size; its rates and the gaps involving it "
            "have wide confidence intervals.",
            "Collect more data for the group, merge rare categories, or read its numbers with "
            "their confidence intervals.",
        ),
        Rule(
            "BIAS-ZERO-DENOMINATOR", CHECK, Severity.INFO,
            "A rate is undefined for a group",
            "A group has no rows in a rate's denominator (no actual positives for TPR, no "
            "negatives for FPR, no predicted positives for precision). Like fairlearn (which "
            "follows scikit-learn) the rate is reported as 0, which can create or hide a gap.",
            "Read the gaps involving this group with care; collect examples of the missing kind.",
        ),
        Rule(
            "BIAS-MISSING-SENSITIVE", CHECK, Severity.INFO,
            "Sensitive attribute has missing values",
            "Some rows have no value for a sensitive feature. They were kept as their own group "
            "(missing=\"category\") or dropped (missing=\"drop\"); the report gives their number "
            "and the gap with and without them.",
            "Find out why the attribute is missing: missingness often correlates with the group.",
        ),
    ]
)
