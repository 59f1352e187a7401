"""Signatures of the model's files in the card and the ML-BOM, read from the lineage log.

``%mlsec sign`` / ``mlsec sign --lineage`` and ``verify`` record ``signing`` check reports.
A signature is about files, not a kernel session, so the whole log counts (like the authors'
statements). A signature belongs to this model when it lists one of the model's files by
content (the SHA-256 the recorder saw the file written with) or names its path; when the log
knows no model file, every signature in it is shown and the card says so.

The ML-BOM carries each signature as an ``externalReferences`` entry of type
``digital-signature`` (the bundle file, with its SHA-256) plus ``mlsec:signature:*``
properties. CycloneDX's own ``signature`` field is a JSF signature over the BOM component
itself, which this is not, so it is left empty rather than filled with something it is not.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ..checks.signing.keys import signer_text
from .sections import Section, Table, fmt

CHECK = "signing"
FORMAT = "OpenSSF model-signing v1.0 (Sigstore bundle)"


def signature_facts(records: Sequence[dict[str, Any]],
                    model_files: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The signatures covering ``model_files`` (all of them when none is known), each with its
    latest verification, oldest signature first."""
    signed: dict[str, dict[str, Any]] = {}
    for record in records:
        report = record.get("report") if record.get("kind") == "check" else None
        if not isinstance(report, dict) or report.get("check") != CHECK:
            continue
        metrics = report.get("metrics") or {}
        key = str(metrics.get("signature_sha256") or metrics.get("signature"))
        entry = signed.setdefault(key, {"signature": metrics.get("signature"),
                                        "signature_sha256": metrics.get("signature_sha256")})
        if metrics.get("action") == "sign" or "signer" not in entry:
            entry.update({k: metrics.get(k) for k in (
                "model", "model_abspath", "kind", "method", "signer", "manifest_sha256",
                "files_signed", "signed_files")})
            entry["signed"] = str(record.get("time") or "")
        if metrics.get("action") == "verify":
            rules = [f.get("rule") for f in report.get("findings") or () if isinstance(f, dict)]
            entry["verified"] = {"ok": bool(metrics.get("verified")),
                                 "time": str(record.get("time") or ""), "rules": rules}
    entries = list(signed.values())
    if not model_files:
        return entries
    return [e for e in entries if any(_covers(e, f) for f in model_files)]


def _covers(entry: dict[str, Any], model_file: dict[str, Any]) -> bool:
    sha256 = model_file.get("sha256")
    if sha256 and any(str(f.get("digest")) == f"sha256:{sha256}" for f in entry.get("signed_files")
                      or () if isinstance(f, dict)):
        return True
    path = str(model_file.get("path") or "")
    if not path:
        return False
    signed = [os.path.normpath(str(p)) for p in (entry.get("model"), entry.get("model_abspath"))
              if p]
    target = os.path.normpath(path)
    return any(target == s or target.startswith(s + os.sep) for s in signed)


def _verified_text(entry: dict[str, Any]) -> str:
    verified = entry.get("verified")
    if not verified:
        return "not verified since signing (mlsec verify PATH --key PUBLIC.pem)"
    if verified["ok"]:
        return f"intact at {verified['time'] or '-'}"
    return f"FAILED at {verified['time'] or '-'}: {', '.join(map(str, verified['rules']))}"


def signatures_section(signatures: Sequence[dict[str, Any]], *,
                       model_files_known: bool) -> Section:
    """The card's "Signatures" section: who signed which files, and the last verification."""
    if not signatures:
        return Section("signatures", "Signatures", False,
                       text="No signature of the model's files was recorded "
                            "(%mlsec sign PATH --key PRIVATE.pem).")
    rows = tuple((str(e.get("model")), str(e.get("method")), signer_text(e.get("signer")),
                  str(e.get("signature")), fmt(e.get("files_signed")),
                  str(e.get("manifest_sha256") or "-"), _verified_text(e))
                 for e in signatures)
    note = "" if model_files_known else (
        " No model file was seen in the lineage log, so every recorded signature is listed.")
    return Section("signatures", "Signatures", True,
                   text=f"Signed with {FORMAT}; verify with mlsec verify.{note}",
                   tables=(Table("Signatures", ("signed", "method", "signer", "signature file",
                                                "files", "manifest SHA-256", "verification"),
                                 rows),))


def signature_references(signatures: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """CycloneDX ``externalReferences`` of type ``digital-signature``, one per signature."""
    references = []
    for entry in signatures:
        reference: dict[str, Any] = {
            "type": "digital-signature",
            "url": quote(str(entry.get("signature")).replace("\\", "/"), safe="/:."),
            "comment": f"{FORMAT} by {signer_text(entry.get('signer'))}; "
                       f"{_verified_text(entry)}",
        }
        digest = entry.get("signature_sha256")
        if isinstance(digest, str) and len(digest) == 64:
            reference["hashes"] = [{"alg": "SHA-256", "content": digest}]
        references.append(reference)
    return references


def signature_properties(signatures: Sequence[dict[str, Any]],
                         prop: Any) -> list[dict[str, str]]:
    """``mlsec:signature:<file>:*`` properties: signer, method, manifest digest, verification."""
    properties = []
    for entry in signatures:
        name = f"signature:{entry.get('signature')}"
        properties += [prop(f"{name}:signer", signer_text(entry.get("signer"))),
                       prop(f"{name}:method", str(entry.get("method"))),
                       prop(f"{name}:manifest-sha256", str(entry.get("manifest_sha256") or "-")),
                       prop(f"{name}:verification", _verified_text(entry))]
    return properties
