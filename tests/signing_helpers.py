"""Keys, certificates and real model files for the signing tests (made fresh, never stored).

Keys and certificates are generated with ``cryptography`` (which the signing library brings);
the models are a fitted scikit-learn model saved with joblib and a folder holding safetensors
weights and a JSON config, as a Hugging Face-style model folder is laid out.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np


@dataclass(frozen=True)
class Keys:
    private: Path
    public: Path
    other_private: Path
    other_public: Path
    encrypted: Path  # the first key, encrypted with PASSWORD
    rsa_private: Path
    rsa_public: Path
    ca: Path  # a CA certificate
    other_ca: Path
    leaf: Path  # signing certificate of ``private``, issued by ``ca``


PASSWORD = "correct horse battery staple"


def _write_key(key: object, folder: Path, name: str, password: str | None = None) -> Path:
    from cryptography.hazmat.primitives import serialization

    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    path = folder / name
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,  # type: ignore[attr-defined]
                                       serialization.PrivateFormat.PKCS8, encryption))
    return path


def _write_public(key: object, folder: Path, name: str) -> Path:
    from cryptography.hazmat.primitives import serialization

    path = folder / name
    path.write_bytes(key.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def _certificate(subject_name: str, public_key: object, issuer_name: str, issuer_key: object,
                 *, ca: bool, email: str | None = None) -> object:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_name)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
               .public_key(public_key)  # type: ignore[arg-type]
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=False, crl_sign=False,
            content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_key.public_key()), critical=False)  # type: ignore[attr-defined]
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # type: ignore
    return builder.sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]


def _write_certificate(certificate: object, path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))  # type: ignore
    return path


def make_keys(folder: Path) -> Keys:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP384R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    other_ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("mlsec test CA", ca_key.public_key(), "mlsec test CA", ca_key, ca=True)
    other_ca = _certificate("another CA", other_ca_key.public_key(), "another CA",
                            other_ca_key, ca=True)
    leaf = _certificate("model builder", key.public_key(), "mlsec test CA", ca_key, ca=False,
                        email="builder@example.org")
    return Keys(
        private=_write_key(key, folder, "signer.pem"),
        public=_write_public(key, folder, "signer.pub"),
        other_private=_write_key(other, folder, "other.pem"),
        other_public=_write_public(other, folder, "other.pub"),
        encrypted=_write_key(key, folder, "signer-encrypted.pem", PASSWORD),
        rsa_private=_write_key(rsa_key, folder, "rsa.pem"),
        rsa_public=_write_public(rsa_key, folder, "rsa.pub"),
        ca=_write_certificate(ca, folder / "ca.crt"),
        other_ca=_write_certificate(other_ca, folder / "other-ca.crt"),
        leaf=_write_certificate(leaf, folder / "signer.crt"),
    )


def make_model_file(path: Path) -> Path:
    """A fitted logistic regression saved with joblib."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 3))
    model = LogisticRegression().fit(features, (features[:, 0] > 0).astype(int))
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return path


def make_model_folder(path: Path) -> Path:
    """safetensors weights, a config and a tokenizer file in a sub-folder."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(1)
    path.mkdir(parents=True, exist_ok=True)
    save_file({"dense.weight": rng.normal(size=(16, 8)).astype(np.float32),
               "dense.bias": np.zeros(16, dtype=np.float32)}, str(path / "model.safetensors"))
    (path / "config.json").write_text(json.dumps({"hidden_size": 16, "layers": 1}),
                                      encoding="utf-8")
    (path / "tokenizer").mkdir()
    (path / "tokenizer" / "vocab.txt").write_text("[PAD]\n[UNK]\nhello\n", encoding="utf-8")
    return path


def copy_model(source: Path, target: Path) -> Path:
    """A copy of a signed model (and its signature) to tamper with."""
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / source.name)
        shutil.copy2(source.with_name(source.name + ".sig"), target / (source.name + ".sig"))
        target = target / source.name
    return target
