"""Which threat each rule id guards against: MITRE ATLAS techniques and the OWASP ML Top 10.

One table, kept apart from the rule modules, so that ``docs/rules.md``, SARIF ``properties.tags``
and the model card's risk section all read the same mapping and a reviewer can check it in one
place. Each entry gives a one-line reason: a mapping nobody can argue with is worth more than a
long list of ids.

Sources
-------
- MITRE ATLAS data version 5.6.0 (``dist/ATLAS.yaml`` of ``mitre-atlas/atlas-data``, release
  v5.6.1). Names are ATLAS's own; sub-techniques are written ``Parent: Sub`` as the ATLAS site
  does. ATLAS renamed some techniques over time (AML.T0018 was "Backdoor ML Model", now
  "Manipulate AI Model"; AML.T0024 "Exfiltration via ML Inference API", now "... AI Inference
  API"): the ids did not change, and the names here are those of 5.6.0.
  ``tests/data/atlas/techniques.tsv`` holds every id and name of that version; a test checks
  that each id below exists there with this name.
- OWASP Machine Learning Security Top Ten, 2023 edition (ML01-ML10).

Rules that are no attack at all (an evaluation flaw, a measurement caveat) map to no technique
and say why, rather than to a technique that would mislead. Families whose every member shares
one threat (``PII-*``, ``SECRET-*``, ``MODEL-*``) have a family entry, so a rule added to them
later is mapped; an exact entry wins over its family's.
"""

from __future__ import annotations

from dataclasses import dataclass

ATLAS_VERSION = "5.6.0"
OWASP_EDITION = "2023"

# every ATLAS technique the table uses: id -> name in ATLAS 5.6.0
ATLAS_TECHNIQUES: dict[str, str] = {
    "AML.T0010": "AI Supply Chain Compromise",
    "AML.T0010.002": "AI Supply Chain Compromise: Data",
    "AML.T0010.003": "AI Supply Chain Compromise: Model",
    "AML.T0011.000": "User Execution: Unsafe AI Artifacts",
    "AML.T0015": "Evade AI Model",
    "AML.T0018": "Manipulate AI Model",
    "AML.T0018.000": "Manipulate AI Model: Poison AI Model",
    "AML.T0018.002": "Manipulate AI Model: Embed Malware",
    "AML.T0020": "Poison Training Data",
    "AML.T0024.000": "Exfiltration via AI Inference API: Infer Training Data Membership",
    "AML.T0024.001": "Exfiltration via AI Inference API: Invert AI Model",
    "AML.T0031": "Erode AI Model Integrity",
    "AML.T0036": "Data from Information Repositories",
    "AML.T0043": "Craft Adversarial Data",
    "AML.T0043.004": "Craft Adversarial Data: Insert Backdoor Trigger",
    "AML.T0048.002": "External Harms: Societal Harm",
    "AML.T0048.003": "External Harms: User Harm",
    "AML.T0055": "Unsecured Credentials",
    "AML.T0059": "Erode Dataset Integrity",
}

OWASP_ML_TOP10: dict[str, str] = {
    "ML01": "Input Manipulation Attack",
    "ML02": "Data Poisoning Attack",
    "ML03": "Model Inversion Attack",
    "ML04": "Membership Inference Attack",
    "ML05": "Model Theft",
    "ML06": "AI Supply Chain Attacks",
    "ML07": "Transfer Learning Attack",
    "ML08": "Model Skewing",
    "ML09": "Output Integrity Attack",
    "ML10": "Model Poisoning",
}


@dataclass(frozen=True)
class Threat:
    """ATLAS technique ids (most specific first), one OWASP ML Top 10 id, and why."""

    atlas: tuple[str, ...]
    owasp: str | None
    reason: str

    @property
    def mapped(self) -> bool:
        return bool(self.atlas) or self.owasp is not None

    def atlas_text(self) -> str:
        """``AML.T0010.003 AI Supply Chain Compromise: Model; ...`` or a dash."""
        return "; ".join(f"{i} {ATLAS_TECHNIQUES[i]}" for i in self.atlas) or "-"

    def owasp_text(self) -> str:
        """``ML06:2023 AI Supply Chain Attacks`` or a dash."""
        if self.owasp is None:
            return "-"
        return f"{self.owasp}:{OWASP_EDITION} {OWASP_ML_TOP10[self.owasp]}"


def _t(atlas: str, owasp: str | None, reason: str) -> Threat:
    return Threat(tuple(atlas.split()), owasp, reason)


# shared entries, named so the table below reads as a table
_CODE_EXEC = _t("AML.T0018.002 AML.T0011.000 AML.T0010.003", "ML06",
                "loading the file runs code an attacker put in the model: malware embedded in "
                "a model that reaches users through the supply chain")
_UNSAFE_ARTIFACT = _t("AML.T0011.000 AML.T0010.003", "ML06",
                      "a model file that cannot be fully vetted is an unsafe artifact in the "
                      "supply chain; crafted files hide payloads this way")
_NO_ATTACK_LEAK = _t("", None,
                     "an evaluation flaw, not an attack: the reported score cannot be trusted; "
                     "no ATLAS technique or OWASP ML entry describes it")
_NO_ATTACK_CAVEAT = _t("", None,
                       "a measurement caveat about the check itself, not a threat")
_GROUP_HARM = _t("AML.T0048.002 AML.T0048.003", "ML08",
                 "unequal outcomes for groups are the harm ATLAS lists as societal and user "
                 "harm; skewed training data (OWASP Model Skewing) is how an attacker causes "
                 "them on purpose, and the check cannot tell on purpose from by accident")
_SIGNATURE = _t("AML.T0010.003 AML.T0018", "ML06",
                "without a valid signature from a trusted signer a substituted or modified "
                "model (poisoned weights, embedded code) cannot be told from the real one")
_DRIFT = _t("AML.T0031", "ML08",
            "a shift in live data is how integrity erosion and skewing through feedback show "
            "up; drift alone does not prove an attack")
_POISON = _t("AML.T0020 AML.T0059", "ML02",
             "tampered training rows are how training data is poisoned")

THREATS: dict[str, Threat] = {
    # model files (checks/modelscan)
    "MODEL-PICKLE-EXEC": _CODE_EXEC,
    "MODEL-PICKLE-DANGEROUS-GLOBAL": _CODE_EXEC,
    "MODEL-PICKLE-UNRESOLVED-GLOBAL": _CODE_EXEC,
    "MODEL-PICKLE-UNKNOWN-GLOBAL": _t(
        "AML.T0011.000 AML.T0010.003", "ML06",
        "an import nobody vetted runs when the model loads: an unsafe artifact"),
    "MODEL-KERAS-LAMBDA": _CODE_EXEC,
    "MODEL-TORCHSCRIPT-CODE": _t(
        "AML.T0018.002 AML.T0010.003", "ML06",
        "TorchScript code ships inside the model and runs when it is used"),
    "MODEL-ONNX-CUSTOM-OP": _t(
        "AML.T0011.000 AML.T0010.003", "ML06",
        "a custom operator loads native code with the model"),
    "MODEL-ONNX-EXTERNAL-DATA": _t(
        "AML.T0011.000 AML.T0010.003", "ML06",
        "loading reads files outside the model: a crafted artifact exfiltrates or swaps data"),
    "MODEL-KERAS-CUSTOM-OBJECT": _t(
        "AML.T0011.000 AML.T0010.003", "ML06",
        "loading imports code from modules named by the file"),
    "MODEL-NUMPY-OBJECT-ARRAY": _t(
        "AML.T0011.000 AML.T0010.003", "ML06",
        "allow_pickle=True unpickles whatever the array holds"),
    "MODEL-ARCHIVE-ANOMALY": _UNSAFE_ARTIFACT,
    "MODEL-PICKLE-ANOMALY": _UNSAFE_ARTIFACT,
    "MODEL-MALFORMED": _UNSAFE_ARTIFACT,
    "MODEL-SAFETENSORS-INVALID": _UNSAFE_ARTIFACT,
    "MODEL-SCAN-INCOMPLETE": _UNSAFE_ARTIFACT,
    "MODEL-UNSUPPORTED": _UNSAFE_ARTIFACT,
    # signatures (checks/signing)
    "SIGN-MISSING": _SIGNATURE,
    "SIGN-UNTRUSTED": _SIGNATURE,
    "SIGN-INVALID": _SIGNATURE,
    "SIGN-CONTENT-CHANGED": _t(
        "AML.T0018 AML.T0010.003", "ML06",
        "the model changed after it was signed: manipulated weights or an added payload"),
    # evasion and membership inference (checks/robustness, checks/privacy)
    "ROBUST-EVASION": _t(
        "AML.T0015 AML.T0043", "ML01",
        "small crafted input changes flip the model's predictions: evasion with adversarial "
        "data"),
    "PRIVACY-MEMBERSHIP-INFERENCE": _t(
        "AML.T0024.000", "ML04",
        "the model's outputs reveal whether a row was in its training data"),
    # poisoning (checks/poisoning)
    "POISON-LABEL-ISSUES": _POISON,
    "POISON-CONFLICTING-DUPLICATES": _POISON,
    "POISON-OUTLIERS": _POISON,
    "POISON-TRIGGER": _t(
        "AML.T0043.004 AML.T0020 AML.T0018.000", "ML02",
        "a rare value that decides the label is a backdoor trigger planted through the "
        "training data"),
    # drift (checks/drift)
    "DRIFT-FEATURE": _DRIFT,
    "DRIFT-MULTIVARIATE": _DRIFT,
    "DRIFT-PREDICTION": _DRIFT,
    "DRIFT-LABEL": _t(
        "AML.T0031 AML.T0020", "ML08",
        "labels that shift in fed-back data skew the model when it is retrained on them"),
    # bias (checks/fairness)
    "BIAS-DEMOGRAPHIC-PARITY": _GROUP_HARM,
    "BIAS-DISPARATE-IMPACT": _GROUP_HARM,
    "BIAS-EQUAL-OPPORTUNITY": _GROUP_HARM,
    "BIAS-EQUALIZED-ODDS": _GROUP_HARM,
    "BIAS-MISSING-SENSITIVE": _NO_ATTACK_CAVEAT,
    "BIAS-SMALL-GROUP": _NO_ATTACK_CAVEAT,
    "BIAS-ZERO-DENOMINATOR": _NO_ATTACK_CAVEAT,
    # explanations (checks/explain)
    "EXPLAIN-ADDITIVITY": _NO_ATTACK_CAVEAT,
    "EXPLAIN-DOMINANT-FEATURE": _t(
        "AML.T0015", "ML01",
        "a prediction that rests on one feature is flipped by changing that one input"),
    "EXPLAIN-SENSITIVE-FEATURE": _GROUP_HARM,
    # leakage (checks/leakage): evaluation flaws
    **{rule: _NO_ATTACK_LEAK for rule in (
        "LEAK-DUPLICATE-ROWS", "LEAK-FIT-ON-TEST", "LEAK-GROUP-OVERLAP", "LEAK-GROUP-SPLIT",
        "LEAK-ID-LABEL", "LEAK-MISSING-LABEL", "LEAK-MULTI-TEST", "LEAK-NEAR-DUPLICATES",
        "LEAK-OVERLAP", "LEAK-PREPROCESSING", "LEAK-TARGET-IN-FEATURES", "LEAK-TARGET-PROXY",
        "LEAK-TEMPORAL", "LEAK-TEMPORAL-SPLIT")},
}

# families: every member shares the threat (checked longest prefix first)
FAMILY_THREATS: dict[str, Threat] = {
    "PII-": _t("AML.T0036 AML.T0024.001", "ML03",
               "personal data kept in training data or notebooks can be collected from the "
               "repositories they are shared in, or reconstructed from a model trained on it"),
    "SECRET-": _t("AML.T0055", "ML06",
                  "a credential left in a notebook lets whoever reads it reach the registries, "
                  "stores and APIs the pipeline pulls models and data from"),
    "MODEL-": _UNSAFE_ARTIFACT,
}


def threat_of(rule_id: str) -> Threat | None:
    """The threat of ``rule_id``: its own entry, else its family's; None when unmapped."""
    threat = THREATS.get(rule_id)
    if threat is not None:
        return threat
    for prefix in sorted(FAMILY_THREATS, key=len, reverse=True):
        if rule_id.startswith(prefix):
            return FAMILY_THREATS[prefix]
    return None


def sarif_tags(rule_id: str) -> list[str]:
    """``external/atlas/AML.T0010.003``, ``external/owasp-ml/ML06`` ... for SARIF rules.

    GitHub code scanning filters alerts by rule ``tags``; CodeQL writes its taxonomies as
    ``external/<taxonomy>/<id>`` (``external/cwe/cwe-079``), so ours follow that form with the
    ids spelled as their owners spell them.
    """
    threat = threat_of(rule_id)
    if threat is None:
        return []
    tags = [f"external/atlas/{technique}" for technique in threat.atlas]
    if threat.owasp is not None:
        tags.append(f"external/owasp-ml/{threat.owasp}")
    return tags


__all__ = ["ATLAS_TECHNIQUES", "ATLAS_VERSION", "FAMILY_THREATS", "OWASP_EDITION",
           "OWASP_ML_TOP10", "THREATS", "Threat", "sarif_tags", "threat_of"]
