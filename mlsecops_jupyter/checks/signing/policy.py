"""The trust policy of ``[tool.mlsec.signing]``, applied to the model files a scan found.

A model file is covered by ``FILE.sig`` beside it, else by the ``model.sig`` of the nearest
folder above it that has one (a folder signed as a whole). Each signature is verified once,
with the trusted key whose hint the bundle names (or against the trusted CA certificates for a
certificate-signed one). An unsigned file is SIGN-MISSING when signatures are required; a
signature that exists is verified whenever trust is configured, required or not.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ...core.finding import Location
from ...core.report import Report
from ...core.settings import Settings, SigningSettings
from .bundle import BundleError, read_bundle
from .keys import bundle_key_hint, load_public_key, signer_text
from .rules import CHECK, RULES
from .sign import SIGNATURE_NAME, SIGNATURE_SUFFIX
from .verify import verify_model

KEYLESS_IN_POLICY = ("a keyless (Sigstore) signature: the scan's policy trusts keys and CA "
                     "certificates; check it with mlsec verify --identity ID --issuer URL")


def policy_active(policy: SigningSettings) -> bool:
    """Whether the settings ask for any signature checking at all."""
    return policy.require_signature or bool(policy.trusted_keys or policy.trusted_certificates)


def settings_folder(settings: Settings) -> Path:
    """The folder of the settings file (``source`` starts with its path), else the cwd."""
    first = settings.source.split(" + ", 1)[0]
    path = Path(first)
    return path.parent if path.is_file() else Path.cwd()


def trusted(settings: Settings) -> tuple[list[Path], list[Path]]:
    """The trusted key and CA certificate files, relative ones read from the settings' folder."""
    base = settings_folder(settings)
    policy = settings.signing

    def resolve(items: Iterable[str]) -> list[Path]:
        return [p if p.is_absolute() else base / p for p in map(
            lambda s: Path(os.path.expanduser(s)), items)]

    return resolve(policy.trusted_keys), resolve(policy.trusted_certificates)


def signature_of(file: Path) -> tuple[Path, Path] | None:
    """(the signed model, its signature) covering ``file``: ``FILE.sig``, else the nearest
    ``model.sig`` in a folder above it; None when nothing covers it."""
    beside = file.with_name(file.name + SIGNATURE_SUFFIX)
    if beside.is_file():
        return file, beside
    for folder in file.resolve().parents:
        candidate = folder / SIGNATURE_NAME
        if candidate.is_file():
            return folder, candidate
    return None


def check_signatures(files: Sequence[str | Path], settings: Settings) -> Report:
    """Apply the trust policy to ``files``: one report, one finding per unsigned file or per
    signature that fails (a folder's signature is verified once for all its files)."""
    keys, certificates = trusted(settings)
    hints = {bundle_key_hint(load_public_key(key)): key for key in keys}
    report = Report(check=CHECK, subject=", ".join(map(str, files)))
    rows: list[dict[str, Any]] = []
    verdicts: dict[Path, Report] = {}
    for name in files:
        file = Path(name)
        covered = signature_of(file)
        if covered is None:
            rows.append({"file": str(name), "signature": None, "verified": None})
            if settings.signing.require_signature:
                report.findings.append(RULES["SIGN-MISSING"].finding(
                    f"{name} has no signature ({file.name}{SIGNATURE_SUFFIX} or a folder's "
                    f"{SIGNATURE_NAME})", Location(file=str(name))))
            continue
        model, signature = covered
        if signature not in verdicts:
            verdicts[signature] = _verify(model, signature, hints, certificates)
            report.findings.extend(verdicts[signature].findings)
        verdict = verdicts[signature]
        rows.append({"file": str(name), "signature": str(signature),
                     "verified": bool(verdict.metrics.get("verified")),
                     "signer": signer_text(verdict.metrics.get("signer"))})
    report.findings.sort(key=lambda f: f.sort_key())
    report.metrics = {"signatures": rows, "signature_policy": {
        "require_signature": settings.signing.require_signature,
        "trusted_keys": [str(k) for k in keys],
        "trusted_certificates": [str(c) for c in certificates]}}
    return report


def _verify(model: Path, signature: Path, hints: dict[str, Path],
            certificates: list[Path]) -> Report:
    """Verify one signature with whichever trusted signer it names."""
    try:
        bundle = read_bundle(signature)
    except BundleError as exc:
        return _finding(model, signature, "SIGN-INVALID", f"{signature}: {exc}")
    kind = bundle.signer.get("kind")
    if kind == "key":
        key = hints.get(str(bundle.signer.get("key_hint")))
        if key is None:
            return _finding(model, signature, "SIGN-UNTRUSTED",
                            f"signed by a key that is not trusted (model-signing key hint "
                            f"{bundle.signer.get('key_hint')}); trusted keys: {len(hints)}")
        return verify_model(model, key=key, signature=signature)
    if bundle.method == "sigstore":
        return _finding(model, signature, "SIGN-UNTRUSTED", KEYLESS_IN_POLICY)
    if not certificates:
        return _finding(model, signature, "SIGN-UNTRUSTED",
                        f"signed with {signer_text(bundle.signer)}; no trusted_certificates "
                        "are configured")
    return verify_model(model, certificate_chain=certificates, signature=signature)


def _finding(model: Path, signature: Path, rule: str, detail: str) -> Report:
    report = Report(check=CHECK, subject=str(model), metrics={"verified": False})
    report.findings = [RULES[rule].finding(detail, Location(file=str(model)),
                                           {"signature": str(signature)})]
    return report


def apply_signature_policy(report: Report, settings: Settings) -> Report:
    """``report`` of a model scan with the policy's findings added; unchanged when the
    settings configure no signature trust. Only files on disk are judged (a scanned variable
    has no file to sign)."""
    if not policy_active(settings.signing):
        return report
    files = [str(entry["file"]) for entry in report.metrics.get("files") or ()
             if isinstance(entry, dict) and entry.get("file")
             and os.path.isfile(str(entry["file"]))]
    # an archive's members are listed under its file: judge each file once
    policy = check_signatures(list(dict.fromkeys(files)), settings)
    return Report.merge([report, policy], check=report.check, subject=report.subject)
