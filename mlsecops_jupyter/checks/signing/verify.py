"""Verify a model against its OpenSSF model-signing signature.

The library decides whether the signature is genuine and the files match; this module makes
its answer a report. Usage errors (no such model, no signature file, an unreadable or wrong
kind of key) raise ``MLSecInputError``; everything that means "do not trust this model" is a
finding, so ``mlsec verify`` exits 1 for it:

- SIGN-UNTRUSTED: the bundle names a signer other than the one given (another key's hint, or a
  certificate when a key was given);
- SIGN-INVALID: the file is no bundle, or the signature bytes do not verify;
- SIGN-CONTENT-CHANGED: the signature is genuine, the files are not what it lists
  (``evidence`` has the changed, added and removed names, from the signed statement compared
  with the files now).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...core.errors import MLSecInputError, MLSecUsageError
from ...core.finding import Location
from ...core.report import Report
from .bundle import Bundle, BundleError, diff_resources, read_bundle
from .keys import key_signer, load_certificates, load_public_key, model_signing, signer_text
from .rules import CHECK, RULES
from .sign import default_signature, model_path, signature_metrics, sigstore_errors

MAX_LISTED = 20  # names per kind of change in a finding's detail (evidence has them all)
SIGNATURE_MISMATCH = "Signature mismatch"  # how the library starts a content mismatch


def verify_model(path: str | Path, *, key: str | Path | None = None,
                 certificate_chain: Sequence[str | Path] = (), identity: str | None = None,
                 issuer: str | None = None, staging: bool = False,
                 signature: str | Path | None = None) -> Report:
    """Check that the model at ``path`` is what its signature says, signed by whom you trust.

    Parameters
    ----------
    path
        The signed file or folder.
    key
        The signer's EC public key (PEM), for key-signed models.
    certificate_chain
        CA certificates (PEM) a certificate-signed model's certificate must chain to.
    identity, issuer
        Keyless Sigstore signatures: the signer's identity (e-mail or URI) and OIDC issuer.
        Needs Sigstore's trust root, fetched over the network on first use.
    signature
        The signature file; default ``DIR/model.sig`` or ``FILE.sig``.

    Returns
    -------
    Report
        No findings when intact; one SIGN-* finding otherwise. ``metrics["verified"]`` says
        which, ``metrics["signer"]`` who signed it.
    """
    model = model_path(path)
    target = Path(signature).expanduser() if signature is not None else default_signature(model)
    if not target.is_file():
        raise MLSecInputError(f"no signature for {path}: {target} does not exist (sign with "
                              "mlsec sign, or name it with --signature)")
    library = model_signing()
    config, expected = _verifier(library, key=key, chain=certificate_chain,
                                 identity=identity, issuer=issuer, staging=staging)
    started = time.perf_counter()
    report = Report(check=CHECK, subject=str(path))
    try:
        bundle = read_bundle(target)
    except BundleError as exc:
        return _failed(report, model, target, "SIGN-INVALID", f"{target}: {exc}", expected,
                       started)
    signer = _who_signed(bundle, expected)
    mismatch = _other_signer(bundle, expected)
    if mismatch:
        return _failed(report, model, target, "SIGN-UNTRUSTED", mismatch, signer, started)
    try:
        config.verify(model, target)
    except Exception as exc:  # the library's verdicts and errors, sorted out below
        return _judge(report, model, target, bundle, signer, exc, library, started)
    report.metrics = {**signature_metrics("verify", model, target, signer), "verified": True}
    report.elapsed_s = time.perf_counter() - started
    return report


def _verifier(library: Any, *, key: str | Path | None, chain: Sequence[str | Path],
              identity: str | None, issuer: str | None,
              staging: bool) -> tuple[Any, dict[str, Any]]:
    """The library's verifying configuration and the signer it accepts."""
    given = sum(bool(x) for x in (key, chain, identity or issuer))
    if given != 1:
        raise MLSecUsageError("give one of --key PUBLIC.pem, --certificate-chain CA.pem, or "
                              "--identity and --issuer (keyless)")
    config = library.verifying.Config()
    if key:
        public = load_public_key(Path(key))
        config.use_elliptic_key_verifier(public_key=Path(key))
        return config, {**key_signer(public), "method": "key"}
    if chain:
        load_certificates([Path(c) for c in chain], "certificate chain")
        config.use_certificate_verifier(certificate_chain=[Path(c) for c in chain])
        return config, {"kind": "certificate", "method": "certificate"}
    if not (identity and issuer):
        raise MLSecUsageError("keyless verification needs both --identity and --issuer")
    with sigstore_errors("cannot verify keyless"):
        config.use_sigstore_verifier(identity=identity, oidc_issuer=issuer,
                                     use_staging=staging)
    return config, {"kind": "certificate", "method": "sigstore", "san": [identity],
                    "oidc_issuer": issuer}


def _who_signed(bundle: Bundle, expected: dict[str, Any]) -> dict[str, Any]:
    """The bundle's signer, with the fingerprint filled in when it is the expected key."""
    if bundle.signer.get("kind") == "key" and bundle.signer.get("key_hint") == expected.get(
            "key_hint"):
        return expected
    return bundle.signer


def _other_signer(bundle: Bundle, expected: dict[str, Any]) -> str | None:
    """Why the bundle was not signed by the expected signer, before any cryptography."""
    method = expected.get("method")
    if method == "key":
        if bundle.signer.get("kind") != "key":
            return (f"signed with {signer_text(bundle.signer)}, not with the key "
                    f"{expected['key_fingerprint']}")
        hint = bundle.signer.get("key_hint")
        if hint and hint != expected.get("key_hint"):
            return (f"signed by another key (model-signing key hint {hint}), not by "
                    f"{expected['key_fingerprint']}")
    elif bundle.signer.get("kind") == "key":
        return f"signed with a key (hint {bundle.signer.get('key_hint')}), not a certificate"
    return None


def _judge(report: Report, model: Path, target: Path, bundle: Bundle, signer: dict[str, Any],
           exc: Exception, library: Any, started: float) -> Report:
    """A failed library verification: files changed, or a signature that does not hold."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ValueError) and message.startswith(SIGNATURE_MISMATCH):
        changes = _changes(library, model, bundle)
        if any(changes.values()):
            return _failed(report, model, target, "SIGN-CONTENT-CHANGED",
                           _changes_text(changes), signer, started, changes)
    if type(exc).__name__ == "InvalidSignature":
        message = "the signature bytes do not verify with the signer's key (forged or damaged)"
    elif message.startswith("Key mismatch"):
        return _failed(report, model, target, "SIGN-UNTRUSTED", message[:300], signer, started)
    return _failed(report, model, target, "SIGN-INVALID", message[:300], signer, started)


def _changes(library: Any, model: Path, bundle: Bundle) -> dict[str, list[str]]:
    """Hash the files now, the way the signed statement says they were hashed, and compare."""
    options = bundle.serialization
    algorithm = str(options.get("hash_type", "sha256"))
    ignore = [Path(p) for p in options.get("ignore_paths") or ()]
    config = library.hashing.Config()
    if options.get("method") == "shards":
        config.use_shard_serialization(hashing_algorithm=algorithm,
                                       shard_size=int(options["shard_size"]),
                                       allow_symlinks=bool(options.get("allow_symlinks")),
                                       ignore_paths=ignore)
    else:
        config.use_file_serialization(hashing_algorithm=algorithm,
                                      allow_symlinks=bool(options.get("allow_symlinks")),
                                      ignore_paths=ignore)
    config.set_ignored_paths(paths=ignore)
    actual = {d.identifier: f"{d.digest.algorithm}:{d.digest.digest_hex}"
              for d in config.hash(model).resource_descriptors()}
    return diff_resources(bundle.resources, actual)


def _changes_text(changes: dict[str, list[str]]) -> str:
    parts = []
    for kind in ("changed", "added", "removed"):
        names = changes[kind]
        if names:
            shown = ", ".join(names[:MAX_LISTED])
            more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
            parts.append(f"{len(names)} {kind} ({shown}{more})")
    return "; ".join(parts)


def _failed(report: Report, model: Path, target: Path, rule: str, detail: str,
            signer: dict[str, Any], started: float,
            changes: dict[str, list[str]] | None = None) -> Report:
    evidence: dict[str, Any] = {"signature": str(target), "signer": signer_text(signer)}
    if changes is not None:
        evidence.update(changes)
    report.findings = [RULES[rule].finding(detail, Location(file=str(model)), evidence)]
    report.metrics = {**signature_metrics("verify", model, target, signer), "verified": False,
                      **(changes or {})}
    report.elapsed_s = time.perf_counter() - started
    return report
