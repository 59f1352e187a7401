"""Read an OpenSSF model-signing signature: a Sigstore bundle holding a DSSE envelope whose
payload is an in-toto statement (predicate ``https://model_signing/signature/v1.0``).

Reading is not verifying: nothing here says a signature is genuine (the library does that).
It gives what a report needs before and after verification: who the bundle says signed it,
which files with which digests it lists, and how they were hashed, so a failed verification
can say exactly which files changed, were added or were removed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .keys import certificate_signer

IN_TOTO_PAYLOAD = "application/vnd.in-toto+json"
PREDICATE = "https://model_signing/signature/v1.0"


class BundleError(ValueError):
    """The file is no model-signing bundle (a SIGN-INVALID finding, not a usage error)."""


@dataclass(frozen=True)
class Bundle:
    """What a signature file states (unverified)."""

    media_type: str
    signer: dict[str, Any]
    model_name: str
    root_digest: str | None
    serialization: dict[str, Any]
    resources: dict[str, str] = field(default_factory=dict)  # name -> "algorithm:hex"

    @property
    def method(self) -> str:
        """``key``, ``certificate`` or ``sigstore`` (a Fulcio certificate with a log entry)."""
        return str(self.signer.get("method", self.signer.get("kind")))


def read_bundle(path: Path) -> Bundle:
    """Parse ``path``; ``BundleError`` with a one-line reason when it is not a bundle."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BundleError("not JSON text (a Sigstore bundle is JSON)") from None
    except json.JSONDecodeError as exc:
        raise BundleError(f"not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("dsseEnvelope"), dict):
        raise BundleError("no dsseEnvelope: not a model-signing Sigstore bundle")
    envelope = data["dsseEnvelope"]
    if envelope.get("payloadType") != IN_TOTO_PAYLOAD:
        raise BundleError(f"payload type {envelope.get('payloadType')!r}, not in-toto")
    try:
        statement = json.loads(base64.b64decode(envelope.get("payload") or "", validate=True))
    except (binascii.Error, ValueError):
        raise BundleError("the DSSE payload is not base64 JSON") from None
    if not isinstance(statement, dict) or statement.get("predicateType") != PREDICATE:
        kind = statement.get("predicateType") if isinstance(statement, dict) else None
        raise BundleError(f"predicate {kind!r}, not {PREDICATE}")
    predicate = statement.get("predicate") or {}
    subjects = statement.get("subject") or [{}]
    resources = {}
    for item in predicate.get("resources") or ():
        if isinstance(item, dict) and "name" in item:
            resources[str(item["name"])] = f"{item.get('algorithm')}:{item.get('digest')}"
    return Bundle(
        media_type=str(data.get("mediaType", "")),
        signer=_signer(data.get("verificationMaterial") or {}),
        model_name=str(subjects[0].get("name", "")),
        root_digest=(subjects[0].get("digest") or {}).get("sha256"),
        serialization=dict(predicate.get("serialization") or {}),
        resources=resources,
    )


def _signer(material: dict[str, Any]) -> dict[str, Any]:
    """Who the bundle names: a key hint, or the leaf certificate (keyless: with log entries)."""
    if isinstance(material.get("publicKey"), dict):
        return {"kind": "key", "method": "key", "key_hint": material["publicKey"].get("hint")}
    raw = (material.get("certificate") or {}).get("rawBytes")
    if raw is None:
        chain = (material.get("x509CertificateChain") or {}).get("certificates") or [{}]
        raw = chain[0].get("rawBytes")
    if not raw:
        return {"kind": "unknown", "method": "unknown"}
    from cryptography import x509

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(raw))
    except (ValueError, binascii.Error):
        raise BundleError("its signing certificate does not parse") from None
    signer = certificate_signer(certificate)
    signer["method"] = "sigstore" if material.get("tlogEntries") else "certificate"
    return signer


def diff_resources(signed: dict[str, str], actual: dict[str, str]) -> dict[str, list[str]]:
    """``changed``, ``added`` and ``removed`` names between two ``name -> digest`` maps."""
    return {
        "changed": sorted(n for n in signed.keys() & actual.keys() if signed[n] != actual[n]),
        "added": sorted(actual.keys() - signed.keys()),
        "removed": sorted(signed.keys() - actual.keys()),
    }
