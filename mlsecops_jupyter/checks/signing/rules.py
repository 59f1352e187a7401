"""Rule table of the signature check: a model file unsigned, signed by someone untrusted, or
no longer what was signed."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "signing"

_RESIGN = ("Get the model again from its publisher and verify it (mlsec verify PATH --key "
           "PUBLIC.pem); if you made it, sign it again from a copy you trust.")

RULES = register(
    [
        Rule(
            "SIGN-MISSING", CHECK, Severity.HIGH,
            "Model file is not signed",
            "The trust policy requires signatures ([tool.mlsec.signing] require_signature) and "
            "the file has none: no FILE.sig beside it and no model.sig in a folder above it.",
            "Sign the model where it is made (mlsec sign PATH --key PRIVATE.pem) and ship the "
            "signature with it; load only signed models.",
        ),
        Rule(
            "SIGN-UNTRUSTED", CHECK, Severity.HIGH,
            "Model is signed, but not by a trusted signer",
            "The signature was made by a key or certificate that is not among the trusted keys "
            "or certificate authorities given (or configured in [tool.mlsec.signing]).",
            "Check who signed it (the finding names the key fingerprint or certificate "
            "subject); trust that signer explicitly or obtain a model signed by one you trust.",
        ),
        Rule(
            "SIGN-INVALID", CHECK, Severity.CRITICAL,
            "Model signature does not verify",
            "The signature file is not a valid OpenSSF model-signing (Sigstore bundle) "
            "signature, or its signature bytes do not verify with the signer's key: it was "
            "damaged or forged.",
            _RESIGN,
        ),
        Rule(
            "SIGN-CONTENT-CHANGED", CHECK, Severity.CRITICAL,
            "Model files changed after signing",
            "The signature is genuine but the model is not what was signed: files were changed, "
            "added or removed (a rename is one removed and one added). evidence lists them.",
            _RESIGN,
        ),
    ]
)

__all__ = ["CHECK", "RULES"]
