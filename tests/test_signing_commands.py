"""``mlsec sign|verify``, ``%mlsec sign|verify``, the scan's trust policy, and what reaches the
lineage log, the model card and the ML-BOM.

The CLI's exit codes are its contract (0 intact, 1 not, 2 usage errors, one line each); the
magics run in IPython's in-process shell with the extension loaded; the card's ML-BOM is
validated against the official CycloneDX 1.6 schema as the card tests do.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from corpus.canary import Canary, Reduce
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from signing_helpers import Keys, copy_model, make_keys, make_model_file, make_model_folder

from mlsecops_jupyter.card import validate_mlbom
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import Report
from mlsecops_jupyter.core.errors import MLSecCheckFailed
from mlsecops_jupyter.lineage import read_records, verify


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return make_keys(tmp_path_factory.mktemp("cli-keys"))


def _cli(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- mlsec sign / verify: exit codes ----------------------------------------------------------
def test_sign_then_verify_a_folder(tmp_path: Path, keys: Keys,
                                   capsys: pytest.CaptureFixture) -> None:
    folder = make_model_folder(tmp_path / "model")
    code, out, err = _cli(capsys, "sign", folder, "--key", keys.private)
    assert (code, err) == (0, "")
    assert out.startswith("mlsec: signed ") and out.count("\n") == 1
    assert "3 file(s)" in out and "SHA256:" in out
    code, out, err = _cli(capsys, "verify", folder, "--key", keys.public)
    assert code == 0 and "intact, 3 file(s)" in out


@pytest.mark.parametrize("tamper", ["changed", "added", "removed", "renamed", "wrong key",
                                    "forged"])
def test_verify_exits_1_when_the_model_is_not_what_was_signed(
        tamper: str, tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture) -> None:
    folder = make_model_folder(tmp_path / "model")
    assert _cli(capsys, "sign", folder, "--key", keys.private)[0] == 0
    public = keys.public
    if tamper == "changed":
        (folder / "config.json").write_text("{\"hidden_size\": 17}", encoding="utf-8")
    elif tamper == "added":
        (folder / "extra.bin").write_bytes(b"\0")
    elif tamper == "removed":
        (folder / "tokenizer" / "vocab.txt").unlink()
    elif tamper == "renamed":
        (folder / "config.json").rename(folder / "config2.json")
    elif tamper == "wrong key":
        public = keys.other_public
    else:
        data = json.loads((folder / "model.sig").read_text(encoding="utf-8"))
        signature = data["dsseEnvelope"]["signatures"][0]["sig"]
        data["dsseEnvelope"]["signatures"][0]["sig"] = signature[::-1]
        (folder / "model.sig").write_text(json.dumps(data), encoding="utf-8")
    code, out, err = _cli(capsys, "verify", folder, "--key", public)
    assert code == 1, (out, err)
    assert err.startswith("mlsec: ") and "NOT VERIFIED: SIGN-" in err and err.count("\n") == 1


@pytest.mark.parametrize("case", ["bad key", "private key given", "missing signature",
                                  "unreadable path", "no key", "rsa key"])
def test_verify_and_sign_exit_2_on_usage_errors(case: str, tmp_path: Path, keys: Keys,
                                                capsys: pytest.CaptureFixture) -> None:
    model = make_model_file(tmp_path / "m.joblib")
    (tmp_path / "garbage.pub").write_text("not a key", encoding="utf-8")
    argv = {
        "bad key": ["verify", model, "--key", tmp_path / "garbage.pub"],
        "private key given": ["verify", model, "--key", keys.private],
        "missing signature": ["verify", model, "--key", keys.public],
        "unreadable path": ["verify", tmp_path / "nowhere", "--key", keys.public],
        "no key": ["sign", model],
        "rsa key": ["sign", model, "--key", keys.rsa_private],
    }[case]
    if case in ("bad key", "private key given"):
        assert _cli(capsys, "sign", model, "--key", keys.private)[0] == 0
    code, out, err = _cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("mlsec: error: ") and err.count("\n") == 1, err


def test_verify_json_and_sarif(tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture) -> None:
    model = make_model_file(tmp_path / "m.joblib")
    _cli(capsys, "sign", model, "--key", keys.private)
    with model.open("ab") as handle:
        handle.write(b"x")
    code, out, _ = _cli(capsys, "verify", model, "--key", keys.public, "--format", "json")
    assert code == 1 and json.loads(out)["findings"][0]["rule"] == "SIGN-CONTENT-CHANGED"
    code, out, _ = _cli(capsys, "verify", model, "--key", keys.public, "--format", "sarif")
    rule = json.loads(out)["runs"][0]["tool"]["driver"]["rules"][0]
    assert code == 1 and "external/owasp-ml/ML06" in rule["properties"]["tags"]


def test_the_cli_runs_as_a_process(tmp_path: Path, keys: Keys) -> None:
    """The installed entry point, not only ``main()``: exit codes reach the shell."""
    model = make_model_file(tmp_path / "m.joblib")
    command = [sys.executable, "-m", "mlsecops_jupyter.cli"]
    signed = subprocess.run([*command, "sign", str(model), "--key", str(keys.private)],
                            capture_output=True, text=True, timeout=120)
    assert signed.returncode == 0, signed.stderr
    model.write_bytes(model.read_bytes() + b"\0")
    checked = subprocess.run([*command, "verify", str(model), "--key", str(keys.public)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "SIGN-CONTENT-CHANGED" in checked.stderr


def test_sign_and_verify_record_in_a_lineage_file(tmp_path: Path, keys: Keys,
                                                  capsys: pytest.CaptureFixture) -> None:
    model = make_model_folder(tmp_path / "model")
    log = tmp_path / "run.lineage.jsonl"
    assert _cli(capsys, "sign", model, "--key", keys.private, "--lineage", log)[0] == 0
    assert _cli(capsys, "verify", model, "--key", keys.public, "--lineage", log)[0] == 0
    assert verify(log).ok
    reports = [r["report"] for r in read_records(log) if r.get("kind") == "check"]
    assert [r["metrics"]["action"] for r in reports] == ["sign", "verify"]
    assert reports[1]["metrics"]["verified"] is True
    assert reports[0]["metrics"]["signer"]["key_fingerprint"].startswith("SHA256:")
    code, out, err = _cli(capsys, "card", log, "--model", "bert", "--out", tmp_path / "card")
    assert code == 0, err
    card = json.loads((tmp_path / "card" / "model_card.json").read_text(encoding="utf-8"))
    section = next(s for s in card["sections"] if s["key"] == "signatures")
    assert section["has_evidence"] and "intact at" in json.dumps(section)


# -- the scan's trust policy --------------------------------------------------------------------
def test_scan_reports_unsigned_and_tampered_models_when_signatures_are_required(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture) -> None:
    project = tmp_path / "project"
    signed = make_model_file(project / "models" / "signed.joblib")
    make_model_file(project / "models" / "unsigned.joblib")
    _cli(capsys, "sign", signed, "--key", keys.private)
    (project / "keys").mkdir()
    (project / "keys" / "team.pub").write_bytes(keys.public.read_bytes())
    config = project / "mlsec.toml"
    config.write_text("[signing]\nrequire_signature = true\ntrusted_keys = [\"keys/team.pub\"]\n",
                      encoding="utf-8")
    code, out, _ = _cli(capsys, "scan", project / "models", "--config", config,
                        "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert [(f["rule"], Path(f["location"]["file"]).name) for f in report["findings"]] == [
        ("SIGN-MISSING", "unsigned.joblib")]
    import joblib

    joblib.dump({"weights": [1.0, 2.0]}, signed)  # a valid model file, not the one signed
    code, out, _ = _cli(capsys, "scan", project / "models", "--config", config,
                        "--format", "json")
    rules = sorted(f["rule"] for f in json.loads(out)["findings"])
    assert code == 1 and rules == ["SIGN-CONTENT-CHANGED", "SIGN-MISSING"]
    code, out, _ = _cli(capsys, "scan", project / "models", "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if f["rule"].startswith("SIGN-")]


# -- the magics, and the card and ML-BOM -----------------------------------------------------
@pytest.fixture(scope="module")
def notebook(ip: Any, keys: Keys, canary_marker: Path) -> Path:
    """A session that fits a model, saves it, signs it, verifies it, scans a hostile pickle."""
    workdir = Path.cwd()
    (workdir / "evil.pkl").write_bytes(
        pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=2))
    cells = (
        "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
        "clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])",
        "joblib.dump(clf, 'clf.joblib')",
        f"%mlsec sign clf.joblib --key {keys.private} --format text",
        f"%mlsec verify clf.joblib --key {keys.public} --format text",
        "%mlsec scan evil.pkl --format text",
        "%mlsec card clf --out card",
    )
    for code in cells:
        with capture_output():
            assert ip.run_cell(code, store_history=True).success, code
    return workdir


def test_the_magics_return_reports(ip: Any, notebook: Path, keys: Keys) -> None:
    with capture_output():
        signed = ip.run_line_magic("mlsec", f"sign clf.joblib --key {keys.private} "
                                   "--signature again.sig --format text")
        checked = ip.run_line_magic("mlsec", f"verify clf.joblib --key {keys.public} "
                                    "--signature again.sig --format text")
    assert isinstance(signed, Report) and signed.metrics["action"] == "sign"
    assert isinstance(checked, Report) and checked.metrics["verified"] is True


def test_magic_usage_errors_are_one_line(ip: Any, notebook: Path, keys: Keys) -> None:
    with pytest.raises(UsageError) as caught, capture_output():
        ip.run_line_magic("mlsec", f"verify nowhere.joblib --key {keys.public}")
    assert "no such file or folder" in str(caught.value) and "\n" not in str(caught.value)


def test_strict_verify_fails_on_a_tampered_model(ip: Any, notebook: Path, keys: Keys,
                                                 tmp_path: Path) -> None:
    model = make_model_file(tmp_path / "m.joblib")
    with capture_output():
        ip.run_line_magic("mlsec", f"sign {model} --key {keys.private} --format text")
    copy = copy_model(model, tmp_path / "copy")
    copy.write_bytes(copy.read_bytes() + b"\0")
    with pytest.raises(MLSecCheckFailed), capture_output():
        ip.run_line_magic("mlsec", f"verify {copy} --key {keys.public} --fail-on high "
                          "--format text")


def test_the_card_shows_the_signature_and_the_risks(notebook: Path, keys: Keys) -> None:
    card = json.loads((notebook / "card" / "model_card.json").read_text(encoding="utf-8"))
    sections = {s["key"]: s for s in card["sections"]}
    signatures = sections["signatures"]
    assert signatures["has_evidence"]
    row = signatures["tables"][0]["rows"][0]
    assert row[0] == "clf.joblib" and row[1] == "key" and row[2].startswith("key SHA256:")
    assert row[6].startswith("intact at")
    risks = sections["risks"]
    threat = next(r for r in risks["tables"][0]["rows"] if r[0] == "MODEL-PICKLE-EXEC")
    assert "AML.T0018.002 Manipulate AI Model: Embed Malware" in threat[3]
    assert threat[4] == "ML06:2023 AI Supply Chain Attacks"
    markdown = (notebook / "card" / "model_card.md").read_text(encoding="utf-8")
    assert "Signatures" in markdown and "AML.T0011.000" in markdown


def test_the_mlbom_carries_the_signature_and_validates(notebook: Path) -> None:
    text = (notebook / "card" / "mlbom.cdx.json").read_text(encoding="utf-8")
    validate_mlbom(text)
    model = json.loads(text)["components"][0]
    reference = model["externalReferences"][0]
    assert reference["type"] == "digital-signature" and reference["url"] == "clf.joblib.sig"
    sig = (notebook / "clf.joblib.sig").read_bytes()
    import hashlib

    assert reference["hashes"] == [{"alg": "SHA-256", "content": hashlib.sha256(sig).hexdigest()}]
    names = {p["name"]: p["value"] for p in model["properties"]}
    assert names["mlsec:signature:clf.joblib.sig:method"] == "key"
    assert names["mlsec:signature:clf.joblib.sig:signer"].startswith("key SHA256:")
