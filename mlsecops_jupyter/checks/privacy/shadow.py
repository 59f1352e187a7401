"""Shadow models: copies of the model, trained like it on known rows, to learn what membership
looks like in its outputs.

Each shadow is ``sklearn.base.clone(model)`` (same hyper-parameters, unfitted) fitted on a
random half of the rows the check was given, members and non-members of the real model alike:
for a shadow, *its* half is the members. That serves two attacks. The shadow-model attack
(Shokri et al., 2017) trains a classifier on the shadows' outputs, labelled in or out, and
applies it to the real model's outputs. The reference attack (Watson et al., 2022; LiRA's
offline variant, Carlini et al., 2022) compares the real model's confidence on a row with the
confidence of the shadows that never saw that row: a row the model is much surer of than
models that did not train on it was probably trained on. Neither ever sees the real model's
membership labels, which only grade the attacks.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.progress import task
from ..robustness.model_io import model_classes
from .outputs import features, logit_confidence, probabilities

MAX_CLASS_FEATURES = 20


@dataclass
class Shadows:
    """Outputs of every shadow on every pooled row, and which rows each was trained on."""

    members: list[np.ndarray] = field(default_factory=list)  # boolean mask per shadow
    proba: list[np.ndarray] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.members)


def fit_shadows(model: Any, frame: Any, values: np.ndarray, labels: np.ndarray, count: int,
                train_size: int, seed: int, deadline: float, classes: np.ndarray) -> Shadows:
    """Fit up to ``count`` clones of ``model`` on random halves of ``frame``.

    ``values`` are the labels as the model knows them (for ``fit``), ``labels`` their class
    indices. Stops at ``deadline`` (process CPU time) and says how many were fitted.
    """
    from sklearn.base import clone

    shadows = Shadows()
    try:
        template = clone(model)
    except Exception as exc:  # not a scikit-learn estimator: no copy to train
        shadows.notes.append(f"the model cannot be cloned ({type(exc).__name__}): no shadow "
                             "models, threshold attack only")
        return shadows
    rng = np.random.default_rng(seed)
    size = min(train_size, len(frame) // 2)
    with task("privacy: fitting shadow models", total=count) as progress:
        for k in range(count):
            if time.process_time() > deadline:
                shadows.notes.append(f"CPU budget reached after {k} of {count} shadow models")
                break
            inside = np.zeros(len(frame), dtype=bool)
            inside[_stratified_half(labels, size, rng)] = True
            shadow = clone(template)
            _seed(shadow, seed * 1000 + k)
            try:
                shadow.fit(frame.iloc[np.flatnonzero(inside)], values[inside])
                proba, _ = probabilities(shadow, frame, "the rows given", classes)
            except Exception as exc:  # a clone that cannot be refitted on a half
                shadows.notes.append(f"shadow model {k + 1} could not be fitted "
                                     f"({type(exc).__name__}): {_first_line(exc)}")
                break
            if not np.array_equal(model_classes(shadow, classes), classes):
                shadows.notes.append(f"shadow model {k + 1} learnt other classes than the "
                                     "model (a class too rare for half the rows)")
                break
            shadows.members.append(inside)
            shadows.proba.append(proba)
            progress.advance()
    return shadows


def _stratified_half(labels: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` positions with every class represented in proportion (at least one each)."""
    chosen = []
    total = len(labels)
    for cls in np.unique(labels):
        where = np.flatnonzero(labels == cls)
        take = max(1, int(round(size * len(where) / total)))
        chosen.append(rng.choice(where, size=min(take, len(where)), replace=False))
    return np.concatenate(chosen)


def _seed(estimator: Any, value: int) -> None:
    """Give every ``random_state`` of the clone (a Pipeline's steps too) a fixed seed."""
    try:
        params = estimator.get_params()
    except Exception:
        return
    seeds = {name: value for name in params if name.split("__")[-1] == "random_state"}
    if seeds:
        with contextlib.suppress(Exception):
            estimator.set_params(**seeds)


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:160] + ("..." if len(text) > 160 else "")


def _with_classes(rows: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    if classes > MAX_CLASS_FEATURES:
        return rows
    hot = np.zeros((len(labels), classes))
    hot[np.arange(len(labels)), labels] = 1.0
    return np.hstack([rows, hot])


def shadow_attack(shadows: Shadows, labels: np.ndarray, target_proba: np.ndarray,
                  evaluated: np.ndarray) -> np.ndarray:
    """Membership scores of the ``evaluated`` pooled rows from an attack model trained on
    the shadows' outputs (in or out of each shadow's half)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classes = target_proba.shape[1]
    inputs = [_with_classes(features(p, labels), labels, classes) for p in shadows.proba]
    # a linear attack model: membership shows as higher confidence and lower entropy, which a
    # weighted sum captures; it fits in milliseconds, single-threaded, and is deterministic
    attack = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    attack.fit(np.vstack(inputs), np.concatenate([m.astype(int) for m in shadows.members]))
    target = _with_classes(features(target_proba, labels), labels, classes)
    return attack.predict_proba(target[evaluated])[:, 1]


def reference_attack(shadows: Shadows, labels: np.ndarray, target_proba: np.ndarray,
                     evaluated: np.ndarray) -> np.ndarray:
    """The model's logit-confidence on each row minus the mean of the shadows that did not
    train on it (all shadows for a row every shadow trained on)."""
    target = logit_confidence(target_proba, labels)[evaluated]
    confidences = np.array([logit_confidence(p, labels)[evaluated] for p in shadows.proba])
    outside = ~np.array([m[evaluated] for m in shadows.members])
    counts = outside.sum(axis=0)
    reference = np.where(counts > 0,
                         (confidences * outside).sum(axis=0) / np.maximum(counts, 1),
                         confidences.mean(axis=0))
    return target - reference
