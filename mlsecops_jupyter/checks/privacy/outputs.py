"""What a membership-inference attacker reads from a model: its scores for each row.

Attacks use the model's probabilities (``predict_proba``); a model without them is read through
its ``decision_function`` (a softmax of the scores: the ranking, which is all the threshold
attacks use, is the model's own), and a model that only predicts labels through a one-hot of
the label it predicts. The report says which.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..robustness.model_io import call_model, model_input

FLOOR = 1e-12
LOGIT_CLIP = 1e-6


def probabilities(model: Any, frame: Any, what: str,
                  classes: np.ndarray) -> tuple[np.ndarray, str]:
    """Class probabilities of every row (columns in ``classes`` order) and their kind."""
    data = model_input(model, frame)
    if hasattr(model, "predict_proba"):
        try:
            return call_model(model, "predict_proba", data, what).astype(float), "predict_proba"
        except Exception:  # e.g. SVC(probability=False) has the method but refuses it
            pass
    if hasattr(model, "decision_function"):
        scores = call_model(model, "decision_function", data, what).astype(float)
        if scores.ndim == 1 or scores.shape[1] == 1:
            positive = 1 / (1 + np.exp(-scores.reshape(-1)))
            return np.column_stack([1 - positive, positive]), "decision_function (sigmoid)"
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True), "decision_function (softmax)"
    import pandas as pd

    labels = call_model(model, "predict", data, what)
    positions = pd.Index(classes).get_indexer(labels)
    hot = np.zeros((len(labels), len(classes)))
    hot[np.arange(len(labels)), positions] = 1.0
    return hot, "predict (labels only)"


def true_class_confidence(proba: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return proba[np.arange(len(labels)), labels]


def features(proba: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per row: log-confidence in the true class, log of the top probability, entropy,
    modified entropy (Song and Mittal, 2021) and whether the prediction is right."""
    clipped = np.clip(proba, FLOOR, 1.0)
    true = clipped[np.arange(len(labels)), labels]
    entropy = -(clipped * np.log(clipped)).sum(axis=1)
    others = np.clip(1 - clipped, FLOOR, 1.0)
    mentr = -(1 - true) * np.log(true) - ((clipped * np.log(others)).sum(axis=1)
                                          - true * np.log(np.clip(1 - true, FLOOR, 1.0)))
    correct = (proba.argmax(axis=1) == labels).astype(float)
    return np.column_stack([np.log(true), np.log(clipped.max(axis=1)), entropy, mentr,
                            correct])


def logit_confidence(proba: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` of the true class: the scale on which confidences of members and
    non-members are compared across models (LiRA's choice)."""
    p = np.clip(true_class_confidence(proba, labels), LOGIT_CLIP, 1 - LOGIT_CLIP)
    return np.log(p) - np.log1p(-p)
