"""Signing and verifying models with OpenSSF model-signing: round trips, every tamper case, the
signer recorded, bad input as one-line errors, and the trust policy of the model scan.

Every signature here is made and checked by the real library, offline (EC keys, and keys with
certificates from a CA made for the test). Keyless Sigstore signing needs the network: here it
is tested only as far as it goes offline, a one-line error naming the cause.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from signing_helpers import (
    PASSWORD,
    Keys,
    copy_model,
    make_keys,
    make_model_file,
    make_model_folder,
)

from mlsecops_jupyter.checks.signing import (
    apply_signature_policy,
    check_signatures,
    default_signature,
    sign_model,
    verify_model,
)
from mlsecops_jupyter.checks.signing.bundle import read_bundle
from mlsecops_jupyter.checks.signing.keys import MISSING_LIBRARY, key_fingerprint
from mlsecops_jupyter.core import Report, Settings
from mlsecops_jupyter.core.errors import MLSecInputError, MLSecUsageError


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> dict[str, Path]:
    """A model file and a model folder, each signed with ``keys.private``."""
    root = tmp_path_factory.mktemp("signed")
    file = make_model_file(root / "file" / "model.joblib")
    folder = make_model_folder(root / "folder" / "bert-tiny")
    sign_model(file, key=keys.private)
    sign_model(folder, key=keys.private)
    return {"file": file, "folder": folder}


def _only_rule(report: Report) -> str:
    assert len(report.findings) == 1, report.findings
    return report.findings[0].rule


def _fingerprint(public: Path) -> str:
    from cryptography.hazmat.primitives import serialization

    return key_fingerprint(serialization.load_pem_public_key(public.read_bytes()))


# -- round trips ----------------------------------------------------------------------------
def test_a_signed_file_verifies_and_the_report_names_the_signer(signed: dict[str, Path],
                                                                keys: Keys) -> None:
    file = signed["file"]
    assert default_signature(file) == file.with_name("model.joblib.sig")
    report = verify_model(file, key=keys.public)
    assert report.findings == [] and report.metrics["verified"] is True
    assert report.metrics["signer"]["key_fingerprint"] == _fingerprint(keys.public)
    assert report.metrics["files_signed"] == 1
    digest = report.metrics["signed_files"][0]["digest"]
    import hashlib

    assert digest == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()


def test_a_signed_folder_verifies_with_every_file_listed(signed: dict[str, Path],
                                                         keys: Keys) -> None:
    folder = signed["folder"]
    assert (folder / "model.sig").is_file()
    report = verify_model(folder, key=keys.public)
    assert report.findings == []
    names = [entry["name"] for entry in report.metrics["signed_files"]]
    assert names == ["config.json", "model.safetensors", "tokenizer/vocab.txt"]
    assert report.metrics["kind"] == "folder"


def test_the_signature_is_a_model_signing_sigstore_bundle(signed: dict[str, Path]) -> None:
    data = json.loads((signed["folder"] / "model.sig").read_text(encoding="utf-8"))
    assert data["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
    assert data["dsseEnvelope"]["payloadType"] == "application/vnd.in-toto+json"
    bundle = read_bundle(signed["folder"] / "model.sig")
    assert bundle.method == "key"
    assert "model.sig" in bundle.serialization["ignore_paths"]


def test_the_library_own_verifier_accepts_our_signature(signed: dict[str, Path],
                                                        keys: Keys) -> None:
    """Interoperability: model-signing's public API verifies what ``sign_model`` wrote."""
    from model_signing import verifying

    folder = signed["folder"]
    verifying.Config().use_elliptic_key_verifier(public_key=keys.public).verify(
        folder, folder / "model.sig")


def test_we_verify_what_the_library_signs_on_its_own(tmp_path: Path, keys: Keys) -> None:
    """Interoperability the other way: a folder signed through model-signing's public API (what
    its CLI does), verified and then caught tampered by ``verify_model``."""
    from model_signing import hashing, signing

    folder = make_model_folder(tmp_path / "m")
    signing.Config().use_elliptic_key_signer(private_key=keys.private).set_hashing_config(
        hashing.Config().set_ignored_paths(paths=["model.sig"])).sign(folder,
                                                                     folder / "model.sig")
    assert verify_model(folder, key=keys.public).findings == []
    (folder / "config.json").write_text("{}", encoding="utf-8")
    assert _only_rule(verify_model(folder, key=keys.public)) == "SIGN-CONTENT-CHANGED"


def test_an_encrypted_key_signs_with_its_password(tmp_path: Path, keys: Keys) -> None:
    model = make_model_file(tmp_path / "m.joblib")
    sign_model(model, key=keys.encrypted, password=PASSWORD)
    assert verify_model(model, key=keys.public).findings == []
    with pytest.raises(MLSecInputError, match="password"):
        sign_model(model, key=keys.encrypted)


def test_a_signature_can_live_elsewhere(tmp_path: Path, keys: Keys) -> None:
    folder = make_model_folder(tmp_path / "m")
    target = tmp_path / "signatures" / "m.sig"
    target.parent.mkdir()
    sign_model(folder, key=keys.private, signature=target)
    assert not (folder / "model.sig").exists()
    assert verify_model(folder, key=keys.public, signature=target).findings == []


# -- tamper cases ---------------------------------------------------------------------------
def test_one_changed_byte_is_found(signed: dict[str, Path], keys: Keys, tmp_path: Path) -> None:
    folder = copy_model(signed["folder"], tmp_path / "m")
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01
    weights.write_bytes(bytes(data))
    report = verify_model(folder, key=keys.public)
    assert _only_rule(report) == "SIGN-CONTENT-CHANGED"
    evidence = report.findings[0].evidence
    assert (evidence["changed"], evidence["added"], evidence["removed"]) == (
        ["model.safetensors"], [], [])
    assert report.metrics["verified"] is False


def test_an_added_file_is_found(signed: dict[str, Path], keys: Keys, tmp_path: Path) -> None:
    folder = copy_model(signed["folder"], tmp_path / "m")
    (folder / "tokenizer" / "extra.py").write_text("print('hi')\n", encoding="utf-8")
    report = verify_model(folder, key=keys.public)
    assert _only_rule(report) == "SIGN-CONTENT-CHANGED"
    assert report.findings[0].evidence["added"] == ["tokenizer/extra.py"]


def test_a_removed_file_is_found(signed: dict[str, Path], keys: Keys, tmp_path: Path) -> None:
    folder = copy_model(signed["folder"], tmp_path / "m")
    (folder / "config.json").unlink()
    report = verify_model(folder, key=keys.public)
    assert report.findings[0].evidence["removed"] == ["config.json"]


def test_a_renamed_file_is_one_removed_and_one_added(signed: dict[str, Path], keys: Keys,
                                                     tmp_path: Path) -> None:
    folder = copy_model(signed["folder"], tmp_path / "m")
    (folder / "config.json").rename(folder / "config.yaml")
    evidence = verify_model(folder, key=keys.public).findings[0].evidence
    assert (evidence["added"], evidence["removed"]) == (["config.yaml"], ["config.json"])


def test_a_changed_single_file_is_found(signed: dict[str, Path], keys: Keys,
                                        tmp_path: Path) -> None:
    file = copy_model(signed["file"], tmp_path / "m")
    with file.open("ab") as handle:
        handle.write(b"\0")
    assert _only_rule(verify_model(file, key=keys.public)) == "SIGN-CONTENT-CHANGED"


def test_a_swapped_signature_of_another_model_does_not_verify(
        signed: dict[str, Path], keys: Keys, tmp_path: Path) -> None:
    """A genuine signature, from the same signer, of a different model."""
    folder = copy_model(signed["folder"], tmp_path / "m")
    other = make_model_folder(tmp_path / "other")
    (other / "config.json").write_text("{\"hidden_size\": 32}", encoding="utf-8")
    sign_model(other, key=keys.private)
    (folder / "model.sig").write_bytes((other / "model.sig").read_bytes())
    report = verify_model(folder, key=keys.public)
    assert _only_rule(report) == "SIGN-CONTENT-CHANGED"
    assert report.findings[0].evidence["changed"] == ["config.json"]


def test_a_forged_signature_does_not_verify(signed: dict[str, Path], keys: Keys,
                                            tmp_path: Path) -> None:
    """The statement edited to match tampered weights: the signature bytes no longer hold."""
    import base64
    import hashlib

    folder = copy_model(signed["folder"], tmp_path / "m")
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes() + b"\0")
    bundle = json.loads((folder / "model.sig").read_text(encoding="utf-8"))
    statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    for resource in statement["predicate"]["resources"]:
        if resource["name"] == "model.safetensors":
            resource["digest"] = hashlib.sha256(weights.read_bytes()).hexdigest()
    bundle["dsseEnvelope"]["payload"] = base64.b64encode(
        json.dumps(statement).encode()).decode()
    (folder / "model.sig").write_text(json.dumps(bundle), encoding="utf-8")
    report = verify_model(folder, key=keys.public)
    assert _only_rule(report) == "SIGN-INVALID"
    assert "do not verify" in report.findings[0].detail


def test_a_garbled_signature_file_is_invalid(signed: dict[str, Path], keys: Keys,
                                             tmp_path: Path) -> None:
    folder = copy_model(signed["folder"], tmp_path / "m")
    (folder / "model.sig").write_text("not a bundle", encoding="utf-8")
    report = verify_model(folder, key=keys.public)
    assert _only_rule(report) == "SIGN-INVALID"
    assert "not JSON" in report.findings[0].detail


def test_the_wrong_key_is_an_untrusted_signer(signed: dict[str, Path], keys: Keys) -> None:
    report = verify_model(signed["folder"], key=keys.other_public)
    assert _only_rule(report) == "SIGN-UNTRUSTED"
    assert _fingerprint(keys.other_public) in report.findings[0].detail


# -- certificates ---------------------------------------------------------------------------
def test_certificate_signing_records_the_subject_and_verifies_against_the_ca(
        tmp_path: Path, keys: Keys) -> None:
    folder = make_model_folder(tmp_path / "m")
    report = sign_model(folder, key=keys.private, certificate=keys.leaf, chain=[keys.ca])
    signer = report.metrics["signer"]
    assert signer["method"] == "certificate" and signer["subject"] == "CN=model builder"
    assert signer["san"] == ["builder@example.org"]
    verified = verify_model(folder, certificate_chain=[keys.ca])
    assert verified.findings == [] and verified.metrics["signer"]["subject"] == "CN=model builder"
    other = verify_model(folder, certificate_chain=[keys.other_ca])
    assert _only_rule(other) in ("SIGN-UNTRUSTED", "SIGN-INVALID")
    assert _only_rule(verify_model(folder, key=keys.public)) == "SIGN-UNTRUSTED"


def test_a_certificate_of_another_key_is_refused(tmp_path: Path, keys: Keys) -> None:
    with pytest.raises(MLSecInputError, match="is not the certificate of the key"):
        sign_model(make_model_file(tmp_path / "m.joblib"), key=keys.other_private,
                   certificate=keys.leaf, chain=[keys.ca])


# -- keyless (network) ----------------------------------------------------------------------
def test_keyless_needs_a_token_and_never_starts_a_browser_login(tmp_path: Path) -> None:
    with pytest.raises(MLSecUsageError, match="identity token"):
        sign_model(make_model_file(tmp_path / "m.joblib"), keyless=True)


def test_keyless_offline_is_one_line_naming_the_network(tmp_path: Path) -> None:
    """Sigstore's trust root comes over the network; offline that is the error, in one line.

    On a machine with network access the token (not a real one) is what fails instead: either
    way keyless signing cannot succeed here and must say why in one line.
    """
    with pytest.raises(MLSecInputError) as caught:
        sign_model(make_model_file(tmp_path / "m.joblib"), keyless=True,
                   identity_token="not-a-token")
    assert "\n" not in str(caught.value) and "keyless" in str(caught.value)


# -- usage errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["no model", "no signature", "no key file", "private as public",
                                  "rsa key", "no verifier", "two verifiers"])
def test_usage_errors_are_one_line(case: str, signed: dict[str, Path], keys: Keys,
                                   tmp_path: Path) -> None:
    unsigned = make_model_file(tmp_path / "unsigned.joblib")
    calls = {
        "no model": lambda: verify_model(tmp_path / "missing", key=keys.public),
        "no signature": lambda: verify_model(unsigned, key=keys.public),
        "no key file": lambda: verify_model(signed["file"], key=tmp_path / "none.pub"),
        "private as public": lambda: verify_model(signed["file"], key=keys.private),
        "rsa key": lambda: sign_model(unsigned, key=keys.rsa_private),
        "no verifier": lambda: verify_model(signed["file"]),
        "two verifiers": lambda: verify_model(signed["file"], key=keys.public,
                                              certificate_chain=[keys.ca]),
    }
    with pytest.raises((MLSecInputError, MLSecUsageError)) as caught:
        calls[case]()
    assert "\n" not in str(caught.value) and str(caught.value)


def test_a_missing_library_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path, keys: Keys) -> None:
    monkeypatch.setitem(sys.modules, "model_signing", None)
    with pytest.raises(MLSecInputError, match=r"mlsecops-jupyter\[signing\]") as caught:
        sign_model(make_model_file(tmp_path / "m.joblib"), key=keys.private)
    assert str(caught.value).startswith(MISSING_LIBRARY)


# -- the trust policy of the model scan -------------------------------------------------------
def _policy(keys: Keys, **values: object) -> Settings:
    return Settings().override({"signing": {"trusted_keys": [str(keys.public)], **values}})


def test_policy_off_by_default_leaves_the_scan_alone(signed: dict[str, Path]) -> None:
    report = Report("modelscan", "x", metrics={"files": [{"file": str(signed["file"])}]})
    assert apply_signature_policy(report, Settings()) is report


def test_policy_judges_each_scanned_file_once(tmp_path: Path, keys: Keys) -> None:
    """A scan lists an archive's members under the archive's file: one finding per file."""
    unsigned = str(make_model_file(tmp_path / "unsigned.joblib"))
    report = Report("modelscan", unsigned, metrics={"files": [
        {"file": unsigned, "member": "a"}, {"file": unsigned, "member": "b"},
        {"file": "object clf (LogisticRegression)"}]})
    merged = apply_signature_policy(report, _policy(keys, require_signature=True))
    assert [f.rule for f in merged.findings] == ["SIGN-MISSING"]
    assert len(merged.metrics["signatures"]) == 1


def test_policy_passes_signed_files_and_folders(signed: dict[str, Path], keys: Keys) -> None:
    files = [signed["file"], signed["folder"] / "model.safetensors",
             signed["folder"] / "tokenizer" / "vocab.txt"]
    report = check_signatures(files, _policy(keys, require_signature=True))
    assert report.findings == []
    assert [row["verified"] for row in report.metrics["signatures"]] == [True, True, True]


def test_policy_reports_unsigned_untrusted_and_changed(signed: dict[str, Path], keys: Keys,
                                                       tmp_path: Path) -> None:
    unsigned = make_model_file(tmp_path / "unsigned.joblib")
    stranger = make_model_file(tmp_path / "stranger.joblib")
    sign_model(stranger, key=keys.other_private)
    changed = copy_model(signed["folder"], tmp_path / "changed")
    (changed / "config.json").write_text("{}", encoding="utf-8")
    files = [unsigned, stranger, changed / "model.safetensors", changed / "config.json"]
    report = check_signatures(files, _policy(keys, require_signature=True))
    rules = sorted(f.rule for f in report.findings)
    # the changed folder's one signature is verified once for both of its files
    assert rules == ["SIGN-CONTENT-CHANGED", "SIGN-MISSING", "SIGN-UNTRUSTED"]
    unsigned_only = check_signatures([unsigned], _policy(keys))
    assert unsigned_only.findings == []  # not required: an unsigned file is no finding


def test_policy_resolves_keys_from_the_settings_file(signed: dict[str, Path], keys: Keys,
                                                     tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "trust").mkdir(parents=True)
    (project / "trust" / "signer.pub").write_bytes(keys.public.read_bytes())
    (project / "mlsec.toml").write_text(
        "[signing]\nrequire_signature = true\ntrusted_keys = [\"trust/signer.pub\"]\n",
        encoding="utf-8")
    settings = Settings.load(config=project / "mlsec.toml")
    assert check_signatures([signed["file"]], settings).findings == []
