"""Signed models: sign and verify model files and folders with OpenSSF model-signing, and the
trust policy the model scan applies (``[tool.mlsec.signing]``).

The library (``model-signing``, the ``signing`` extra) is imported when a signature is made or
checked, never on ``%load_ext``; without it every entry point says how to install it.
"""

from __future__ import annotations

from .policy import apply_signature_policy, check_signatures
from .rules import CHECK, RULES
from .sign import default_signature, sign_model
from .verify import verify_model

__all__ = ["CHECK", "RULES", "apply_signature_policy", "check_signatures",
           "default_signature", "sign_model", "verify_model"]
