"""Rule table of the SHAP explanation check: what an explanation can reveal about risk."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "explain"

RULES = register(
    [
        Rule(
            "EXPLAIN-DOMINANT-FEATURE", CHECK, Severity.MEDIUM,
            "One feature carries most of the attribution",
            "A single feature holds more than the dominance share of the total mean |SHAP| and "
            "several times the next feature: the model leans on one column, which is how a "
            "leaked label or a post-outcome field usually shows up.",
            "Check how the feature is produced and when it becomes known; run "
            "`%mlsec leakage` on the train/test frames; retrain without it and compare.",
        ),
        Rule(
            "EXPLAIN-SENSITIVE-FEATURE", CHECK, Severity.MEDIUM,
            "A sensitive attribute or a proxy of one is among the top features",
            "A named sensitive attribute, or a feature strongly associated with one (Cramer's V, "
            "correlation ratio or |Pearson r| on the explained sample), is among the most "
            "important features: decisions may depend on the protected group.",
            "Justify the feature or remove it (and its proxies); run `%mlsec bias` with the "
            "sensitive attribute to measure the group gaps.",
        ),
        Rule(
            "EXPLAIN-ADDITIVITY", CHECK, Severity.LOW,
            "SHAP values do not add up to the model output",
            "The explainer's additivity check failed (often float32 trees or an unusual model "
            "output): the values were recomputed without the check and may be approximate.",
            "Read the attributions as a ranking rather than exact contributions; try "
            "--method permutation to compare.",
        ),
    ]
)
