"""CycloneDX 1.6 ML-BOM (JSON) of a model card: the model, its data, and how they depend.

Written as plain JSON here rather than through cyclonedx-python-lib's object model, so the
export has no extra runtime dependency and nothing (``modelCard``, ``data``) can be dropped by a
library version; the tests validate every shape we write against the official 1.6 schema with
the library's strict validator (``validate_mlbom``, which imports it lazily).

- the model: a ``machine-learning-model`` component with the model file's SHA-256 and a
  ``modelCard`` (parameters, performance metrics, considerations incl. fairness assessments);
- each dataset: a ``data`` component with its fingerprint hash, shape and role;
- ``dependencies``: the model depends on its datasets;
- the lineage head hash as the property ``mlsec:lineage:head`` (model and BOM metadata);
- the model's signatures as ``digital-signature`` external references (``signatures.py``).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ..core.errors import MLSecInputError
from .model import ModelCard
from .sections import NOT_STATED, fmt, param_text
from .signatures import signature_properties, signature_references

SPEC_VERSION = "1.6"
PROPERTY_PREFIX = "mlsec"
_REF_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]+")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _ref(kind: str, name: str) -> str:
    return f"{kind}:{_REF_UNSAFE.sub('_', name) or 'unnamed'}"


def _prop(name: str, value: Any) -> dict[str, str]:
    return {"name": f"{PROPERTY_PREFIX}:{name}", "value": value if isinstance(value, str)
            else fmt(value)}


def _hashes(sha256: Any) -> list[dict[str, str]]:
    return [{"alg": "SHA-256", "content": sha256}] if isinstance(sha256, str) and _SHA256.match(
        sha256) else []


def _task(estimator_class: str) -> tuple[str | None, str | None]:
    """(learning approach, task) from the estimator's class name, when it says so."""
    name = estimator_class.rsplit(".", 1)[-1]
    if name.endswith("Classifier") or name in ("LogisticRegression", "SVC", "LinearSVC"):
        return "supervised", "classification"
    if name.endswith("Regressor") or name.endswith("Regression") or name in ("SVR", "Ridge",
                                                                             "Lasso"):
        return "supervised", "regression"
    if name in ("KMeans", "DBSCAN", "AgglomerativeClustering", "PCA", "IsolationForest"):
        return "unsupervised", None
    return None, None


def build_mlbom(card: ModelCard, *, serial: str | None = None) -> dict[str, Any]:
    """The ML-BOM of ``card`` as a JSON-ready dict (CycloneDX 1.6)."""
    facts = card.facts
    model_ref = _ref("model", card.model_name)
    datasets = facts.get("datasets") or []
    data_components = [_dataset_component(d) for d in datasets]
    data_components += [_file_component(f) for f in facts.get("data_files") or []]
    data_refs = [c["bom-ref"] for c in data_components]
    model = _model_component(card, model_ref, data_refs)
    head_props = [_prop("lineage:head", card.lineage_head or "-"),
                  _prop("lineage:records", str(card.lineage_records))]
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial or f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": card.created,
            "tools": {"components": [{"type": "application", "name": "mlsecops-jupyter",
                                      "version": card.tool_version}]},
            "properties": head_props,
        },
        "components": [model, *data_components],
        "dependencies": [{"ref": model_ref, "dependsOn": data_refs},
                         *({"ref": ref} for ref in data_refs)],
    }


def _model_component(card: ModelCard, ref: str, data_refs: list[str]) -> dict[str, Any]:
    facts = card.facts
    estimator = facts.get("estimator") or {}
    component: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": ref,
                                 "name": card.model_name}
    if card.version != NOT_STATED:
        component["version"] = card.version
    files = facts.get("model_files") or []
    if files:
        hashes = _hashes(files[0].get("sha256"))
        if hashes:
            component["hashes"] = hashes
    parameters: dict[str, Any] = {}
    cls = str(estimator.get("class") or "")
    if cls:
        approach, task = _task(cls)
        if approach:
            parameters["approach"] = {"type": approach}
        if task:
            parameters["task"] = task
        parameters["architectureFamily"] = cls.split(".", 1)[0]
        parameters["modelArchitecture"] = cls.rsplit(".", 1)[-1]
    if data_refs:
        parameters["datasets"] = [{"ref": r} for r in data_refs]
    model_card: dict[str, Any] = {}
    if parameters:
        model_card["modelParameters"] = parameters
    metrics = [_metric(m) for m in facts.get("metrics") or []]
    if metrics:
        model_card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    model_card["considerations"] = _considerations(card)
    model_card["properties"] = [
        *(_prop(f"estimator:param:{k}", param_text(v)) for k, v in sorted(
            (estimator.get("params") or {}).items())),
        *(_prop(f"scan:{s['subject']}", f"{s['findings']} findings, worst "
                f"{s['max_severity'] or 'none'}") for s in facts.get("scans") or []),
        *(_prop(f"check:{c['check']}:{c['subject']}", f"{c['findings']} findings")
          for c in facts.get("checks") or []),
    ]
    if not model_card["properties"]:
        del model_card["properties"]
    component["modelCard"] = model_card
    properties = [_prop("lineage:head", card.lineage_head or "-"),
                  *(_prop(f"file:{f.get('path')}", f.get("sha256") or "unknown")
                    for f in files),
                  *(_prop(f"slice:cell:{c.get('execution_count')}", c.get("code_sha256") or "-")
                    for c in facts.get("slice") or [])]
    signatures = facts.get("signatures") or []
    if signatures:
        component["externalReferences"] = signature_references(signatures)
        properties += signature_properties(signatures, _prop)
    component["properties"] = properties
    return component


def _metric(metric: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": str(metric["type"]), "value": fmt(metric["value"])}
    if metric.get("slice"):
        out["slice"] = str(metric["slice"])
    ci = metric.get("ci")
    if ci:
        out["confidenceInterval"] = {"lowerBound": fmt(ci[0]), "upperBound": fmt(ci[1])}
    return out


def _considerations(card: ModelCard) -> dict[str, Any]:
    considerations: dict[str, Any] = {}
    intended = card.section("intended_use")
    if intended.has_evidence:
        considerations["useCases"] = [intended.text]
    limits = [v for _, v in card.section("limitations").facts]
    out_of_scope = card.section("out_of_scope")
    if out_of_scope.has_evidence:
        limits.insert(0, f"Out of scope: {out_of_scope.text}")
    if limits:
        considerations["technicalLimitations"] = limits
    ethics = card.section("ethics")
    if ethics.has_evidence:
        considerations["ethicalConsiderations"] = [{"name": v} for _, v in ethics.facts]
    fairness = card.facts.get("fairness") or []
    if fairness:
        considerations["fairnessAssessments"] = [
            {"groupAtRisk": f["group"], "harms": f"{f['harm']} ({f['severity']}, {f['rule']})",
             **({"mitigationStrategy": f["mitigation"]} if f["mitigation"] else {})}
            for f in fairness
        ]
    return considerations


def _dataset_component(data: dict[str, Any]) -> dict[str, Any]:
    shape = "x".join(str(n) for n in data.get("shape") or ())
    sampled = data.get("sample") not in (None, "all")
    description = (f"{data.get('role')} data {data.get('name')} ({data.get('kind')}, shape "
                   f"{shape}); content fingerprint over "
                   f"{data.get('rows_hashed')} of {data.get('rows_total')} rows"
                   + (" (sampled)" if sampled else ""))
    properties = [_prop("role", str(data.get("role"))), _prop("shape", shape),
                  _prop("rows", str(data.get("rows_total"))),
                  _prop("fingerprint", "content_sha256 of mlsecops-lineage/1")]
    if data.get("columns"):
        properties.append(_prop("columns", ", ".join(map(str, data["columns"]))))
    component: dict[str, Any] = {
        "type": "data", "bom-ref": _ref("data", str(data.get("name"))),
        "name": str(data.get("name")),
        "data": [{"type": "dataset", "name": str(data.get("name")),
                  "contents": {"properties": properties}, "description": description}],
    }
    hashes = _hashes(data.get("content_sha256"))
    if hashes:
        component["hashes"] = hashes
    return component


def _file_component(entry: dict[str, Any]) -> dict[str, Any]:
    name = str(entry.get("path"))
    component: dict[str, Any] = {
        "type": "data", "bom-ref": _ref("file", name), "name": name,
        "data": [{"type": "dataset", "name": name,
                  "description": f"file read through {entry.get('via')}"}],
    }
    hashes = _hashes(entry.get("sha256"))
    if hashes:
        component["hashes"] = hashes
    return component


def mlbom_json(card: ModelCard, *, serial: str | None = None) -> str:
    return json.dumps(build_mlbom(card, serial=serial), indent=2, ensure_ascii=False) + "\n"


def validate_mlbom(text: str) -> None:
    """Validate ML-BOM JSON against CycloneDX 1.6 (strict) with cyclonedx-python-lib.

    Raises
    ------
    MLSecInputError
        When the document is invalid (the message names the first error).
    ImportError
        When cyclonedx-python-lib is not installed (it is a test dependency only).
    """
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        raise MLSecInputError(f"ML-BOM is not valid CycloneDX 1.6: {error}")
