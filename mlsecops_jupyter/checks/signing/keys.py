"""Keys, certificates and who they name: what a signature record says about its signer.

The OpenSSF model-signing library does the signing; this module reads the key and certificate
files first, so a bad file is a one-line error naming the file (not a traceback from deep in
the library), and describes signers the same way in reports, the lineage log and the card:
a key by its SHA-256 fingerprint, a certificate by its subject, issuer and SAN.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ...core.errors import MLSecInputError

MISSING_LIBRARY = (
    "model signing needs the OpenSSF model-signing library: pip install "
    "'mlsecops-jupyter[signing]'"
)
# curves model-signing accepts (Sigstore's protobuf specs): anything else is refused up front
EC_CURVES = ("secp256r1", "secp384r1", "secp521r1")
KEY_HELP = ("an EC private key in PEM, e.g. openssl ecparam -name prime256v1 -genkey -noout "
            "-out key.pem; its public key: openssl ec -in key.pem -pubout -out key.pub")
# Fulcio's certificate extensions naming the OIDC issuer (v2 first, then the deprecated v1)
FULCIO_ISSUER_OIDS = ("1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.1")


def model_signing() -> ModuleType:
    """``model_signing`` with its submodules, or a one-line error saying how to install it."""
    try:
        import model_signing as library
        from model_signing import hashing, signing, verifying  # noqa: F401
    except ImportError as exc:
        raise MLSecInputError(f"{MISSING_LIBRARY} (cannot import {exc.name})") from None
    return library


def _serialization() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError as exc:
        raise MLSecInputError(f"{MISSING_LIBRARY} (cannot import {exc.name})") from None
    return serialization


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise MLSecInputError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None


def _check_curve(key: Any, path: Path, what: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    public = key.public_key() if hasattr(key, "public_key") and not isinstance(
        key, ec.EllipticCurvePublicKey) else key
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name not in EC_CURVES:
        kind = getattr(getattr(public, "curve", None), "name", None) or type(public).__name__
        raise MLSecInputError(f"{path}: a {kind} key; model signing takes {what} on the curves "
                              f"P-256, P-384 or P-521 ({KEY_HELP})")


def load_private_key(path: Path, password: str | None = None) -> Any:
    """The EC private key in ``path``; a one-line error for anything else."""
    serialization = _serialization()
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(
            data, password.encode() if password is not None else None)
    except TypeError as exc:  # encrypted without password, or a password for a plain key
        raise MLSecInputError(f"{path}: {exc} (--password-env NAME reads the password from "
                              "an environment variable)") from None
    except ValueError:
        raise MLSecInputError(f"{path} is not a PEM private key, or the password is wrong "
                              f"({KEY_HELP})") from None
    _check_curve(key, path, "an EC private key")
    return key


def load_public_key(path: Path) -> Any:
    """The EC public key in ``path`` (a PEM ``PUBLIC KEY``); a one-line error otherwise."""
    serialization = _serialization()
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        hint = " (that is a private key: give its public half)" if b"PRIVATE KEY" in data else ""
        raise MLSecInputError(f"{path} is not a PEM public key{hint}") from None
    _check_curve(key, path, "an EC public key")
    return key


def load_certificates(paths: list[Path], what: str) -> list[Any]:
    """Every certificate in the PEM files ``paths`` (a file may hold a chain)."""
    from cryptography import x509

    certificates = []
    for path in paths:
        try:
            certificates.extend(x509.load_pem_x509_certificates(_read(path, what)))
        except ValueError:
            raise MLSecInputError(f"{path} holds no PEM certificate ({what})") from None
    return certificates


def key_fingerprint(public_key: Any) -> str:
    """``SHA256:<hex>`` of the key's DER SubjectPublicKeyInfo (the usual public-key pin)."""
    serialization = _serialization()
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return "SHA256:" + hashlib.sha256(der).hexdigest()


def bundle_key_hint(public_key: Any) -> str:
    """The key hint model-signing writes into a key-signed bundle (SHA-256 of the PEM key),
    used to tell which of several trusted keys made a signature before verifying it."""
    serialization = _serialization()
    pem = public_key.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(pem).hexdigest()


def key_signer(public_key: Any) -> dict[str, Any]:
    """How a key signer is recorded: its fingerprint and the bundle's hint of it."""
    return {"kind": "key", "key_fingerprint": key_fingerprint(public_key),
            "key_hint": bundle_key_hint(public_key)}


def certificate_signer(certificate: Any) -> dict[str, Any]:
    """How a certificate signer is recorded: subject, issuer, SAN, OIDC issuer, fingerprint."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    names: list[str] = []
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in san.get_values_for_type(x509.RFC822Name)]
        names += [str(v) for v in san.get_values_for_type(x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    issuer_url = None
    for oid in FULCIO_ISSUER_OIDS:
        try:
            raw = certificate.extensions.get_extension_for_oid(x509.ObjectIdentifier(oid))
        except x509.ExtensionNotFound:
            continue
        value = getattr(raw.value, "value", b"")
        issuer_url = _der_text(value) if isinstance(value, bytes) else None
        break
    return {
        "kind": "certificate",
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "san": names,
        **({"oidc_issuer": issuer_url} if issuer_url else {}),
        "certificate_sha256": certificate.fingerprint(hashes.SHA256()).hex(),
    }


def _der_text(value: bytes) -> str:
    """Fulcio's v2 extensions are DER UTF8String; v1 ones raw text."""
    if len(value) > 2 and value[0] == 0x0C and value[1] == len(value) - 2:
        value = value[2:]
    return value.decode("utf-8", "replace")


def signer_text(signer: dict[str, Any] | None) -> str:
    """One line for a signer: ``key SHA256:ab12...`` or ``certificate CN=...``."""
    if not signer:
        return "unknown signer"
    if signer.get("kind") == "key":
        return f"key {signer.get('key_fingerprint') or 'hint ' + str(signer.get('key_hint'))}"
    who = ", ".join(signer.get("san") or ()) or signer.get("subject") or "?"
    issuer = signer.get("oidc_issuer")
    return f"certificate {who}" + (f" (issuer {issuer})" if issuer else "")
