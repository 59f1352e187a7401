"""Rule table of the poisoning check: tampered training data (flipped labels, backdoor triggers,
conflicting copies, planted outliers), with default severities, meaning and advice."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "poisoning"

RULES = register(
    [
        Rule(
            "POISON-LABEL-ISSUES", CHECK, Severity.HIGH,
            "Rows whose labels a cross-validated model contradicts",
            "Confident learning over out-of-sample probabilities (per-class thresholds, the "
            "confident joint, pruning by noise rate) lists rows whose given label another class "
            "outranks; evidence.rows holds their 0-based positions, most confident first. HIGH "
            "when more rows are confidently mislabelled (probability of the given label at most "
            "poisoning.label_confident_prob) than the model's own uncertainty predicts "
            "(one-sided poisoning.alpha); LOW when the count is what the classes' natural "
            "overlap explains.",
            "Review the listed rows against their source (the top ones first); relabel or drop "
            "the wrong ones, and find out how they were changed if the data passed through "
            "untrusted hands.",
        ),
        Rule(
            "POISON-TRIGGER", CHECK, Severity.HIGH,
            "A rare value almost always comes with one label: a possible backdoor trigger",
            "A feature value (or a pair of values) held by few rows (at most "
            "poisoning.trigger_max_share of them) whose rows nearly all carry one label "
            "although the rest of those rows says otherwise: a cross-validated model, the value "
            "replaced, expects far fewer of that label (Poisson-binomial tail below "
            "poisoning.alpha over every value-label pair tested, Bonferroni; and at most "
            "poisoning.trigger_max_explained of the label rows explained). evidence.value is "
            "masked when it is personal data; evidence.expected_purity is the purity a value "
            "unrelated to the label would have.",
            "Inspect the rows holding the value (evidence.rows): if the value was planted, "
            "drop or repair those rows, retrain, and test the model with the trigger added to "
            "clean rows.",
        ),
        Rule(
            "POISON-CONFLICTING-DUPLICATES", CHECK, Severity.MEDIUM,
            "Identical rows carry different labels",
            "Rows equal on every feature column but labelled differently, where such exact "
            "copies are unlikely by chance (the row holds values too rare for two independent "
            "rows to share them all): a copy was made and its label changed. Copies that the "
            "feature space makes common (a few categorical columns) are counted in the metrics, "
            "not reported.",
            "Decide which label is right from the source, keep one copy, and find out where "
            "the copies came from.",
        ),
        Rule(
            "POISON-OUTLIERS", CHECK, Severity.MEDIUM,
            "Rows lie far from every other row of their class",
            "Rows whose distance to their nearest neighbours of the same class (robustly "
            "scaled numeric features) is beyond the class's own spread at a Bonferroni bound "
            "(poisoning.alpha over the rows tested): planted points that drag a decision "
            "boundary look like this, and so do unit errors.",
            "Check the listed rows' values at the source; drop planted or corrupt rows, keep "
            "real extremes and say why.",
        ),
    ]
)
