"""Sign a model file or folder with OpenSSF model-signing: a Sigstore bundle over an in-toto
statement that lists every file's SHA-256.

Three ways to sign, as the library offers them: an EC private key (offline), a private key with
its signing certificate and chain (offline; the signer is the certificate's subject), and
keyless Sigstore (a short-lived Fulcio certificate for an OIDC identity, logged in Rekor: needs
the network and an identity token). The report records the signature file, the signer and the
signed digests; front ends put it in the lineage log, from which the card and ML-BOM read it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...core.errors import MLSecInputError, MLSecUsageError
from ...core.report import Report
from .bundle import BundleError, read_bundle
from .keys import (
    certificate_signer,
    key_signer,
    load_certificates,
    load_private_key,
    model_signing,
)
from .rules import CHECK

SIGNATURE_NAME = "model.sig"  # a folder's signature, inside it (model-signing's default name)
SIGNATURE_SUFFIX = ".sig"  # a file's signature: FILE.sig beside it
MAX_RECORDED_FILES = 1000  # digests kept in the report per signature (the count is always kept)
KEYLESS_NEEDS = ("keyless signing needs an OIDC identity token (--identity-token-env NAME, or "
                 "ambient CI credentials with --ambient) and the network to reach Sigstore")
SIGSTORE_OFFLINE = "Sigstore's trust root could not be fetched (keyless needs the network)"


def default_signature(model: Path) -> Path:
    """Where a model's signature lives unless told otherwise: ``DIR/model.sig`` or
    ``FILE.sig``."""
    return model / SIGNATURE_NAME if model.is_dir() else model.with_name(
        model.name + SIGNATURE_SUFFIX)


def model_path(path: str | Path) -> Path:
    """``path`` if it is a readable file or folder; a one-line error otherwise."""
    model = Path(path).expanduser()
    if not model.exists():
        raise MLSecInputError(f"no such file or folder: {path}")
    if not (model.is_file() or model.is_dir()):
        raise MLSecInputError(f"{path} is neither a file nor a folder")
    try:
        if model.is_dir():
            next(iter(model.iterdir()), None)
        else:
            with model.open("rb") as handle:
                handle.read(1)
    except OSError as exc:
        raise MLSecInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return model


def ignored_inside(model: Path, signature: Path) -> list[Path]:
    """The signature's path relative to a folder that contains it (not part of what is signed)."""
    if not model.is_dir():
        return []
    try:
        return [signature.resolve().relative_to(model.resolve())]
    except ValueError:
        return []


def sign_model(path: str | Path, *, key: str | Path | None = None,
               password: str | None = None, certificate: str | Path | None = None,
               chain: Sequence[str | Path] = (), keyless: bool = False,
               identity_token: str | None = None, ambient: bool = False,
               staging: bool = False, signature: str | Path | None = None) -> Report:
    """Sign the model at ``path`` (a file or a folder) and write its signature.

    Parameters
    ----------
    path
        The model file, or the folder holding the model's files (all of them are signed;
        ``.git`` and the signature itself are left out, as model-signing does).
    key, password
        EC private key (PEM) and its password, if encrypted.
    certificate, chain
        With ``key``: the key's signing certificate and the chain up to a root (PEM).
    keyless, identity_token, ambient, staging
        Keyless Sigstore signing with an OIDC token (or the CI's ambient credentials);
        ``staging`` uses Sigstore's test instance. Needs the network.
    signature
        Where to write the signature; default ``DIR/model.sig`` or ``FILE.sig``.

    Returns
    -------
    Report
        No findings; ``metrics`` holds the signature file, its SHA-256, the signer and the
        signed digests (what the lineage log, the card and the ML-BOM record).
    """
    model = model_path(path)
    target = Path(signature).expanduser() if signature is not None else default_signature(model)
    if model.is_file() and target.resolve() == model.resolve():
        raise MLSecUsageError(f"the signature cannot overwrite the model file {path}")
    library = model_signing()
    config, signer = _signer_config(library, key=key, password=password,
                                    certificate=certificate, chain=chain, keyless=keyless,
                                    identity_token=identity_token, ambient=ambient,
                                    staging=staging)
    hashing = library.hashing.Config().set_ignored_paths(paths=ignored_inside(model, target))
    started = time.perf_counter()
    try:
        config.set_hashing_config(hashing).sign(model, target)
    except MLSecInputError:
        raise
    except Exception as exc:  # the library's own errors: one line, with what failed
        why = " ".join(str(exc).split()) or type(exc).__name__
        if keyless:
            why = f"{why}; {KEYLESS_NEEDS}"
        raise MLSecInputError(f"cannot sign {path}: {why}") from None
    elapsed = time.perf_counter() - started
    if keyless:  # the identity is only known from the certificate Fulcio issued
        signer = read_bundle(target).signer
    return Report(check=CHECK, subject=str(path), elapsed_s=elapsed,
                  metrics=signature_metrics("sign", model, target, signer))


def _signer_config(library: Any, *, key: str | Path | None, password: str | None,
                   certificate: str | Path | None, chain: Sequence[str | Path],
                   keyless: bool, identity_token: str | None, ambient: bool,
                   staging: bool) -> tuple[Any, dict[str, Any]]:
    """The library's signing configuration and the signer as it will be recorded."""
    config = library.signing.Config()
    if keyless:
        if key is not None or certificate is not None:
            raise MLSecUsageError("keyless signing takes no --key or --certificate")
        if not identity_token and not ambient:
            raise MLSecUsageError(KEYLESS_NEEDS)
        # never the interactive browser flow: it would hang a kernel or a CI job
        with sigstore_errors("cannot sign keyless"):
            config.use_sigstore_signer(identity_token=identity_token,
                                       use_ambient_credentials=ambient, use_staging=staging,
                                       force_oob=True)
        return config, {"kind": "certificate", "method": "sigstore"}
    if key is None:
        raise MLSecUsageError("give --key PRIVATE.pem (or --keyless with an identity token)")
    private = load_private_key(Path(key), password)
    if certificate is None:
        if chain:
            raise MLSecUsageError("--chain needs --certificate")
        # model-signing 1.1.1 annotates the password as str but hands it to cryptography,
        # which takes bytes only (a str fails): give it bytes
        secret: Any = password.encode() if password is not None else None
        config.use_elliptic_key_signer(private_key=Path(key), password=secret)
        return config, {**key_signer(private.public_key()), "method": "key"}
    if password is not None:
        raise MLSecUsageError("certificate signing takes an unencrypted key (model-signing "
                              "reads it without a password)")
    leaf = load_certificates([Path(certificate)], "signing certificate")[0]
    load_certificates([Path(c) for c in chain], "certificate chain")
    if leaf.public_key().public_numbers() != private.public_key().public_numbers():
        raise MLSecInputError(f"{certificate} is not the certificate of the key {key}")
    config.use_certificate_signer(private_key=Path(key), signing_certificate=Path(certificate),
                                  certificate_chain=[Path(c) for c in chain])
    return config, {**certificate_signer(leaf), "method": "certificate"}


@contextmanager
def sigstore_errors(what: str) -> Iterator[None]:
    """The library reaches Sigstore (TUF trust root, Fulcio, Rekor) while it is configured: its
    network errors become one line saying so, not a traceback."""
    try:
        yield
    except MLSecInputError:
        raise
    except Exception as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise MLSecInputError(f"{what}: {why}; {SIGSTORE_OFFLINE}") from None


def signature_metrics(action: str, model: Path, signature: Path,
                      signer: dict[str, Any]) -> dict[str, Any]:
    """What a sign or verify report records: the signature, its signer, the signed digests."""
    try:
        bundle = read_bundle(signature)
        digests = bundle.resources
        root = bundle.root_digest
    except (BundleError, OSError):
        digests, root = {}, None
    names = sorted(digests)
    return {
        "action": action,
        "model": str(model),
        "model_abspath": str(model.resolve()),
        "kind": "folder" if model.is_dir() else "file",
        "signature": str(signature),
        "signature_sha256": _sha256(signature),
        "format": "OpenSSF model-signing v1.0 (Sigstore bundle, DSSE in-toto statement)",
        "method": signer.get("method"),
        "signer": signer,
        "manifest_sha256": root,
        "files_signed": len(names),
        "signed_files": [{"name": n, "digest": digests[n]}
                         for n in names[:MAX_RECORDED_FILES]],
        **({"files_not_listed": len(names) - MAX_RECORDED_FILES}
           if len(names) > MAX_RECORDED_FILES else {}),
    }


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
