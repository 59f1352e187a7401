"""Signing the chain's head (HMAC-SHA256, key outside the notebook folder), attacked.

Each test is one thing an attacker who can write the lineage file (but has no key) may try, or
one way a key may be misused. ``docs/lineage_and_card.md`` states these results as guarantees.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlsecops_jupyter.core.errors import MLSecInputError, MLSecUsageError
from mlsecops_jupyter.lineage import read_records, verify
from mlsecops_jupyter.lineage.chain import canonical_json, record_hash, seal
from mlsecops_jupyter.lineage.signing import (
    generate_key,
    key_id,
    load_key,
    sign,
    verify_signed,
)
from mlsecops_jupyter.lineage.store import LineageStore


@pytest.fixture
def keys(tmp_path: Path) -> tuple[bytes, bytes, Path]:
    """The owner's key, another key, and the owner's key file (outside the notebook folder)."""
    folder = tmp_path / "home" / ".config" / "mlsec"
    generate_key(folder / "lineage.key")
    generate_key(folder / "other.key")
    log = tmp_path / "project" / ".mlsec" / "nb.ipynb.lineage.jsonl"
    return (load_key(folder / "lineage.key", log), load_key(folder / "other.key", log),
            folder / "lineage.key")


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "project" / ".mlsec" / "nb.ipynb.lineage.jsonl"
    store = LineageStore(path)
    for n in range(4):
        store.append({"kind": "cell", "n": n})
    return path


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def forge_append(path: Path, body: dict) -> None:
    """What anyone with write access can do: a record with a correct seq, prev and hash."""
    last = json.loads(lines_of(path)[-1])
    _, line = seal({"time": "2026-01-01T00:00:00.000000Z", **body}, seq=last["seq"] + 1,
                   prev=last["hash"])
    path.write_bytes(path.read_bytes() + line)


def rehash_from(lines: list[bytes], start: int) -> list[bytes]:
    """Recompute seq/prev/hash of every record from ``start`` on (a wholesale rewrite)."""
    out = lines[:start]
    prev = json.loads(out[-1])["hash"] if out else "0" * 64
    for seq, raw in enumerate(lines[start:], start=start):
        record = json.loads(raw)
        record.update(seq=seq, prev=prev)
        if record["kind"] == "signature":  # point it at the new head; the MAC cannot follow
            record["signed"] = {"seq": seq - 1, "head": prev}
        record["hash"] = record_hash(record)
        prev = record["hash"]
        out.append(canonical_json(record) + b"\n")
    return out


def test_a_signed_head_verifies(log, keys):
    key, _, _ = keys
    signature = sign(log, key)
    assert signature["kind"] == "signature" and signature["signed"]["seq"] == 3
    assert signature["key_id"] == key_id(key) and signature["alg"] == "HMAC-SHA256"
    check = verify_signed(log, key)
    assert check.ok and check.signed_seq == 3 and check.signatures == 1, check.reason
    assert verify(log).ok  # the signature is an ordinary link of the chain


def test_a_forged_append_after_the_signature_fails(log, keys):
    key, _, _ = keys
    sign(log, key)
    forge_append(log, {"kind": "cell", "n": "forged"})
    assert verify(log).ok  # the unsigned chain cannot tell ...
    check = verify_signed(log, key)  # ... the signed one can
    assert not check.ok and "not signed" in check.reason and "1 record(s)" in check.reason


def test_a_forged_signature_record_fails(log, keys):
    key, other, _ = keys
    sign(log, key)
    forge_append(log, {"kind": "cell", "n": "forged"})
    last = json.loads(lines_of(log)[-1])
    # the attacker copies the signature's shape and key id, but cannot compute the MAC
    forge_append(log, {"kind": "signature", "alg": "HMAC-SHA256", "key_id": key_id(key),
                       "signed": {"seq": last["seq"], "head": last["hash"]},
                       "mac": "0" * 64})
    check = verify_signed(log, key)
    assert not check.ok and "does not verify with this key" in check.reason


def test_an_edited_record_fails_even_when_every_hash_is_recomputed(log, keys):
    key, _, _ = keys
    sign(log, key)
    lines = lines_of(log)
    record = json.loads(lines[1])
    record["n"] = 42
    edited = [*lines[:1], canonical_json(record) + b"\n", *lines[2:]]
    log.write_bytes(b"".join(edited))
    assert not verify(log).ok
    assert not verify_signed(log, key).ok
    log.write_bytes(b"".join(rehash_from(edited, 1)))  # a rewrite the chain alone accepts
    assert verify(log).ok
    check = verify_signed(log, key)
    assert not check.ok and "does not verify with this key" in check.reason


def test_a_truncated_tail_fails(log, keys):
    key, _, _ = keys
    sign(log, key)
    lines = lines_of(log)
    log.write_bytes(b"".join(lines[:-2]))  # the signature and the record before it cut off
    check = verify_signed(log, key)
    assert not check.ok and "no signature made with this key" in check.reason


def test_a_tail_cut_back_to_an_older_signature_needs_the_newer_head(log, keys):
    """What a signature cannot show on its own (stated in the docs): a log cut back to an
    earlier signed state verifies; the newer head, kept elsewhere, catches it."""
    key, _, _ = keys
    sign(log, key)
    older = lines_of(log)
    LineageStore(log).append({"kind": "cell", "n": 4})
    newer_head = sign(log, key)["hash"]
    log.write_bytes(b"".join(older))
    assert verify_signed(log, key).ok
    check = verify_signed(log, key, anchor=newer_head)
    assert not check.ok and "anchor" in check.reason


def test_the_wrong_key_fails(log, keys):
    key, other, _ = keys
    sign(log, key)
    check = verify_signed(log, other)
    assert not check.ok and "no signature made with this key" in check.reason
    assert check.foreign == 1


def test_a_signature_over_an_older_head_fails(log, keys):
    key, _, _ = keys
    old_signature = lines_of(log)
    sign(log, key)
    signature_line = lines_of(log)[-1]
    # records appended after the signature, then the old signature copied to the end
    log.write_bytes(b"".join(old_signature))
    forge_append(log, {"kind": "cell", "n": "forged"})
    moved = json.loads(signature_line)
    body = {k: v for k, v in moved.items() if k not in ("schema", "seq", "prev", "hash")}
    forge_append(log, body)
    check = verify_signed(log, key)
    assert not check.ok and "older state" in check.reason


def test_records_after_a_genuine_signature_are_reported_until_signed_again(log, keys):
    key, _, _ = keys
    sign(log, key)
    LineageStore(log).append({"kind": "cell", "n": 4})  # the kernel went on recording
    assert not verify_signed(log, key).ok
    sign(log, key)
    check = verify_signed(log, key)
    assert check.ok and check.signatures == 2 and check.signed_seq == 5


def test_a_broken_or_empty_chain_is_never_signed(log, keys, tmp_path):
    key, _, _ = keys
    lines = lines_of(log)
    log.write_bytes(b"".join([lines[0], *lines[2:]]))
    with pytest.raises(MLSecInputError, match="chain is broken"):
        sign(log, key)
    empty = tmp_path / "project" / ".mlsec" / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(MLSecInputError, match="holds no records"):
        sign(empty, key)


def test_a_torn_tail_is_closed_then_signed(log, keys):
    key, _, _ = keys
    log.write_bytes(log.read_bytes() + b'{"schema":"mlsecops-lin')
    signature = sign(log, key)
    kinds = [r["kind"] for r in read_records(log)]
    assert kinds[-2:] == ["recovery", "signature"]
    assert signature["signed"]["seq"] == 4 and verify_signed(log, key).ok


def test_the_key_must_live_outside_the_notebook_folder(log, tmp_path):
    inside = tmp_path / "project" / "keys" / "lineage.key"
    generate_key(inside)
    with pytest.raises(MLSecUsageError, match="inside the notebook folder"):
        load_key(inside, log)


def test_the_key_must_be_private_and_well_formed(log, tmp_path):
    key_file = tmp_path / "keys" / "lineage.key"
    generate_key(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(MLSecUsageError, match="exists already"):
        generate_key(key_file)
    os.chmod(key_file, 0o644)
    with pytest.raises(MLSecUsageError, match="chmod 600"):
        load_key(key_file, log)
    for content, words in ((b"not hex at all\n", "not hex"), (b"abcd\n", "at least 32")):
        bad = tmp_path / "keys" / f"bad{len(content)}.key"
        bad.write_bytes(content)
        os.chmod(bad, 0o600)
        with pytest.raises(MLSecInputError, match=words):
            load_key(bad, log)
    with pytest.raises(MLSecInputError, match="keygen"):
        load_key(tmp_path / "keys" / "absent.key", log)
