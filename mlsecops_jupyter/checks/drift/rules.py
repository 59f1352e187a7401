"""Rule table of the drift check: ids, default severities, meaning and advice."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "drift"

_DECISION = (
    " A test is a finding only when it is significant after Holm's correction over every test "
    "of the report (drift.alpha) and its effect reaches what matters (docs/drift.md); an "
    "effect of drift.strong_factor times that threshold makes it HIGH."
)

RULES = register(
    [
        Rule(
            "DRIFT-FEATURE", CHECK, Severity.MEDIUM,
            "A feature's distribution drifted",
            "The column's values (numeric: Kolmogorov-Smirnov test, Wasserstein distance over the "
            "reference's standard deviation as the effect; categorical: chi-square test, "
            "Jensen-Shannon distance as the effect, new and vanished categories listed) or its "
            "share of missing values differ between the reference and the current data. "
            "evidence holds the statistic, p-value, effect, PSI and both sides' summaries."
            + _DECISION,
            "Find out why the column changed (a new source, a unit or encoding change, a broken "
            "join, a real change in the population); retrain or recalibrate on recent data if "
            "the model must follow it, fix the pipeline if it must not.",
        ),
        Rule(
            "DRIFT-MULTIVARIATE", CHECK, Severity.MEDIUM,
            "Current rows can be told apart from reference rows",
            "A domain classifier (gradient-boosted trees, cross-fitted over two folds) predicts "
            "whether a row comes from the current data with an AUC of at least "
            "drift.classifier_auc, beyond chance (Mann-Whitney, Holm-corrected), and still does "
            "without the columns that drifted on their own: a joint change no single column "
            "shows (a correlation that changed). evidence.drivers names the columns whose "
            "shuffling lowers the AUC most. HIGH from drift.classifier_auc_high.",
            "Look at the driving columns together (scatter plots, cross tables); if no single "
            "column drifted, the relationship between them did: check the data sources that "
            "produce them, and whether the model still holds on recent data.",
        ),
        Rule(
            "DRIFT-LABEL", CHECK, Severity.HIGH,
            "The label's distribution drifted",
            "The target (class shares, or a numeric target's distribution) differs between the "
            "reference and the current data: prior shift. Rates the model was tuned for "
            "(thresholds, calibration) no longer hold." + _DECISION,
            "Re-evaluate the model on recent labelled data; recalibrate or re-weight for the new "
            "class balance, or retrain.",
        ),
        Rule(
            "DRIFT-PREDICTION", CHECK, Severity.HIGH,
            "The model's predictions drifted",
            "The model's outputs (scores of the positive class, classes, or predicted values) on "
            "the current data are distributed differently from its outputs on the reference "
            "data: the model behaves differently now, whether or not labels are available yet."
            + _DECISION,
            "Find the drifted features behind it (DRIFT-FEATURE, DRIFT-MULTIVARIATE); check the "
            "decisions made from the predictions; evaluate on fresh labels before trusting it.",
        ),
    ]
)
