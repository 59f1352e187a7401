"""``check_privacy``: can an attacker tell the model's training rows from other rows?

Balanced samples of training rows (members) and held-out rows (non-members) are scored by
three membership-inference attacks: the loss threshold (Yeom et al., 2018: members have
lower loss), shadow models (Shokri et al., 2017) and reference models (the loss compared with
that of copies that never saw the row). Each attack's AUC comes with a DeLong interval; the
finding needs the best attack's interval to lie above ``auc_threshold``, so a large AUC on a
handful of rows and a tiny one on a million rows are both left alone.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError, MLSecUsageError
from ...core.progress import task
from ...core.report import Report, Skipped
from ...core.settings import Settings
from ..robustness.model_io import classifier_classes, labelled_rows, model_name
from .outputs import features, probabilities
from .present import Attack, figures, findings, metrics_of
from .rules import CHECK
from .shadow import fit_shadows, reference_attack, shadow_attack
from .stats import separation, z_value

BAD_SAMPLE = "sample must be at least 2, got {value}"
COLUMNS_DIFFER = "X_test has other columns than X_train: {detail}"
MIN_SHADOWS_FOR_ATTACK = 2


def check_privacy(model: Any, X_train: Any, y_train: Any, X_test: Any, y_test: Any, *,
                  sample: int | None = None, shadow_models: int | None = None,
                  settings: Settings | None = None, subject: str | None = None) -> Report:
    """Membership-inference exposure of a fitted classifier.

    Parameters
    ----------
    model : fitted classifier
        A scikit-learn classifier or Pipeline (shadow models are its clones), or any object
        with ``predict_proba``, ``decision_function`` or ``predict`` (without ``classes_``
        its classes are the sorted labels given).
    X_train, y_train : DataFrame or array, array-like
        Rows the model was trained on, with their labels (the members).
    X_test, y_test : DataFrame or array, array-like
        Rows from the same population the model never saw (the non-members).
    sample : int, optional
        Members and non-members attacked, each (default ``settings.privacy.sample_rows``);
        the smaller set decides when it has fewer rows.
    shadow_models : int, optional
        Clones trained for the shadow and reference attacks (default
        ``settings.privacy.shadow_models``; 0: the threshold attack only).
    settings : Settings, optional
    subject : str, optional

    Returns
    -------
    Report
        Check ``"privacy"``: ``metrics["membership_auc"]`` with ``membership_auc_ci``,
        ``attacker_advantage``, ``tpr_at_1pct_fpr``, every attack's numbers, the training rows
        most exposed; PRIVACY-MEMBERSHIP-INFERENCE when the interval lies above the threshold.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    settings = settings or Settings.load()
    options = settings.privacy
    sample_rows = options.sample_rows if sample is None else int(sample)
    if sample_rows < 2:
        raise MLSecUsageError(BAD_SAMPLE.format(value=sample_rows))
    shadow_count = options.shadow_models if shadow_models is None else int(shadow_models)
    if shadow_count < 0:
        raise MLSecUsageError(f"shadow_models must be 0 or more, got {shadow_count}")
    with task("privacy: preparing the data"):
        classes = classifier_classes(model, y_train, y_test)
        train = labelled_rows(model, X_train, y_train, classes, what="X_train",
                              what_y="y_train")
        test = labelled_rows(model, X_test, y_test, classes, what="X_test", what_y="y_test")
        if list(train.frame.columns) != list(test.frame.columns):
            raise MLSecInputError(COLUMNS_DIFFER.format(
                detail=_column_difference(train.frame.columns, test.frame.columns)))
    rng = np.random.default_rng(options.seed)
    n = min(len(train.frame), len(test.frame), sample_rows)
    members = np.sort(rng.choice(len(train.frame), size=n, replace=False))
    others = np.sort(rng.choice(len(test.frame), size=n, replace=False))
    import pandas as pd

    pool = pd.concat([train.frame.iloc[members], test.frame.iloc[others]], ignore_index=True)
    labels = np.concatenate([train.labels[members], test.labels[others]])
    truth = np.concatenate([np.ones(n, dtype=bool), np.zeros(n, dtype=bool)])
    with task("privacy: scoring the rows"):
        proba, output_kind = probabilities(model, pool, "the rows given", classes)
    scores = {"loss threshold": features(proba, labels)[:, 0]}
    notes: list[str] = []
    shadows_fitted = 0
    if shadow_count > 0:
        shadows = fit_shadows(model, pool, classes[labels], labels, shadow_count,
                              train_size=n, seed=options.seed,
                              deadline=cpu_started + options.cpu_budget_s, classes=classes)
        notes += shadows.notes
        shadows_fitted = shadows.count
        everyone = np.arange(len(pool))
        if shadows.count >= MIN_SHADOWS_FOR_ATTACK:
            with task("privacy: shadow-model attack"):
                scores["shadow models"] = shadow_attack(shadows, labels, proba, everyone)
        if shadows.count >= 1:
            scores["reference models"] = reference_attack(shadows, labels, proba, everyone)
    z = z_value(options.confidence_level, len(scores))
    attacks = [Attack(name, values, separation(values[truth], values[~truth], z))
               for name, values in scores.items()]
    correct = proba.argmax(axis=1) == labels
    metrics = metrics_of(attacks, truth, labels, proba, correct, members, train, classes,
                         output_kind, shadows_fitted, shadow_count, z, options)
    skipped = []
    if n < len(train.frame):
        skipped.append(Skipped(f"{len(train.frame) - n} of {len(train.frame)} training rows",
                               f"attacked a seeded sample of {n} members (privacy.sample_rows "
                               f"or the size of the test set, seed {options.seed})"))
    if n < len(test.frame):
        skipped.append(Skipped(f"{len(test.frame) - n} of {len(test.frame)} test rows",
                               f"attacked a seeded sample of {n} non-members"))
    skipped += [Skipped("shadow models", note) for note in notes]
    return Report(
        check=CHECK,
        subject=subject or model_name(model),
        findings=findings(metrics, options),
        metrics=metrics,
        skipped=skipped,
        elapsed_s=time.perf_counter() - started,
        figures=figures(metrics, attacks, truth) if options.figures else [],
    )


def _column_difference(train: Any, test: Any) -> str:
    missing = [str(c) for c in train if c not in set(test)]
    extra = [str(c) for c in test if c not in set(train)]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing[:5]))
    if extra:
        parts.append("extra " + ", ".join(extra[:5]))
    return "; ".join(parts) or "same columns in another order"
