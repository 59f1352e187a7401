"""Rule table of the data-level leakage check: ids, default severities, meaning and advice.

The code-level rules (static analysis of notebook cells) live in ``code_rules.py``; both tables
share the check name ``leakage`` so the model card shows them in one section.
"""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "leakage"

RULES = register(
    [
        Rule(
            "LEAK-DUPLICATE-ROWS", CHECK, Severity.HIGH,
            "Test rows duplicate training rows",
            "Test rows are identical to a training row on every shared column (identifier "
            "columns excluded): the model is scored on rows it has already seen. evidence.count "
            "is the number of such test rows, verified value by value.",
            "Remove the duplicated rows from the test set (or de-duplicate before splitting) "
            "and re-evaluate.",
        ),
        Rule(
            "LEAK-NEAR-DUPLICATES", CHECK, Severity.MEDIUM,
            "Test rows nearly duplicate training rows",
            "Test rows that equal a training row after normalisation (floats rounded to "
            "leakage.float_decimals decimals; strings lower-cased, stripped, whitespace "
            "collapsed) but are not exact duplicates.",
            "De-duplicate on normalised values before splitting; check whether the near copies "
            "are the same record entered twice.",
        ),
        Rule(
            "LEAK-GROUP-OVERLAP", CHECK, Severity.HIGH,
            "Entities appear in both train and test",
            "Identifier values (a group column, or an id-like column found automatically) occur "
            "on both sides: the model is tested on entities it was trained on. evidence.count "
            "is the number of shared distinct ids; evidence.test_rows the affected test rows.",
            "Split by entity (GroupShuffleSplit, GroupKFold, StratifiedGroupKFold) so each "
            "entity lands on one side only.",
        ),
        Rule(
            "LEAK-TEMPORAL", CHECK, Severity.HIGH,
            "Test rows predate the training period",
            "Test rows dated before the latest training date: the model was trained on the "
            "future of the rows it is tested on. evidence.count is the number of such test "
            "rows. For a date column found automatically the check runs only when the split "
            "looks chronological (leakage.auto_time_min_order).",
            "Split chronologically (train on the past, test on the future; TimeSeriesSplit for "
            "cross-validation).",
        ),
        Rule(
            "LEAK-TARGET-PROXY", CHECK, Severity.HIGH,
            "A feature alone predicts the target",
            "A single feature predicts the target with a cross-fitted AUC of at least "
            "leakage.proxy_auc (classification) or R2 of at least leakage.proxy_r2 "
            "(regression), and a label-permutation test rejects chance (p <= leakage.alpha), "
            "in the training or in the test set. Strong legitimate features (AUC ~0.75) pass.",
            "Check how the feature is produced: if it is recorded after (or from) the outcome, "
            "drop it; otherwise confirm it is available at prediction time.",
        ),
        Rule(
            "LEAK-ID-LABEL", CHECK, Severity.MEDIUM,
            "An identifier predicts the label",
            "The value or order of an identifier or date column predicts the label with a "
            "cross-fitted AUC of at least leakage.id_auc (R2 of at least leakage.id_r2) and a "
            "label-permutation test rejects chance: rows were numbered or collected in an "
            "order that depends on the outcome. Random ids and dates are not flagged.",
            "Drop the identifier from the features and shuffle or re-split the data; find out "
            "why the numbering follows the label.",
        ),
        Rule(
            "LEAK-MISSING-LABEL", CHECK, Severity.MEDIUM,
            "Missing values of a feature reveal the label",
            "Whether a feature is missing is associated with the label (Cramer's V, or |r| for "
            "a numeric target, of at least leakage.missing_association, and a "
            "label-permutation test rejects chance): the value is filled in because of the "
            "outcome.",
            "Find out why the value is missing; if it is recorded after the outcome, drop the "
            "feature; never let a model learn from its missingness indicator.",
        ),
    ]
)
