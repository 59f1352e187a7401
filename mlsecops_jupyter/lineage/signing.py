"""Signing the chain's head with a key kept outside the notebook folder (HMAC-SHA256).

Why a key at all: the hash chain shows that records were not edited, removed or reordered
*unless* someone rewrote the file and recomputed every hash after the change, or appended a
record of their own with a correct hash; anyone who can write the file can do both. A
``signature`` record closes that gap: it carries an HMAC-SHA256, under a secret key, of the
head it follows (the hash of the record just before it, which commits to every record before
that). Without the key nobody can make a signature that verifies, so a rewrite or an append
after the last signature shows.

Why HMAC and not a public-key signature: it needs nothing beyond the standard library, and the
people who verify a lineage log (the team, its CI) are the people who write it. The price: a
verifier holds the same secret as a signer, so whoever can verify can also sign. A public,
third-party-verifiable signature (Ed25519, Sigstore) would need the ``cryptography`` package;
the record format leaves room for it (``alg``).

The key: at least 32 random bytes, stored as hex in a file readable by its owner only
(``mlsec lineage keygen`` writes one, by default ``~/.config/mlsec/lineage.key``), never inside
the notebook's folder (where it would travel with the log and the notebook). ``key_id`` (the
first 16 hex digits of a SHA-256 of the key under its own label) names the key in a signature
without revealing it.

What ``verify_signed`` accepts (each rule tested in ``tests/lineage/test_log_signing.py``): an
intact chain whose *last* record is a signature made with the given key over the record before
it; every earlier signature made with that key must verify too. Signatures made with other keys
are reported and not trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import MLSecInputError, MLSecUsageError
from .chain import VerifyResult, parse_record, split_lines, verify_bytes
from .store import LINEAGE_DIR, LineageStore, _read_shared, flush_held

ALG = "HMAC-SHA256"
SIGNATURE_KIND = "signature"
KEY_ENV = "MLSEC_LINEAGE_KEY"
KEY_BYTES = 32
_DOMAIN = b"mlsecops-lineage-signature/1\n"
_KEY_ID_DOMAIN = b"mlsecops-lineage-key-id/1\n"

NO_KEY = ("no lineage key at {path}; create one with `mlsec lineage keygen {path}` or name one "
          "with --key (or {env})")
BAD_KEY = ("{path} is not a lineage key ({why}); `mlsec lineage keygen` writes one: at least "
           "64 hex digits")
KEY_IN_NOTEBOOK_FOLDER = ("the key {key} is inside the notebook folder {folder}, where it "
                          "would travel with the log; keep it elsewhere (default {default})")
KEY_TOO_OPEN = ("the key {path} can be read or written by other users (mode {mode}); "
                "chmod 600 it")
KEY_EXISTS = "{path} exists already; refusing to overwrite a key"
UNSIGNABLE = "refusing to sign {path}: {reason}"


def default_key_path() -> Path:
    """``$MLSEC_LINEAGE_KEY``, else ``$XDG_CONFIG_HOME/mlsec/lineage.key`` (``~/.config``)."""
    named = os.environ.get(KEY_ENV)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"),
                                                               ".config")
    return Path(config) / "mlsec" / "lineage.key"


def key_id(key: bytes) -> str:
    """A name for ``key`` that does not reveal it."""
    return hashlib.sha256(_KEY_ID_DOMAIN + key).hexdigest()[:16]


def generate_key(path: str | os.PathLike[str]) -> str:
    """Write a new random key to ``path`` (mode 600, never over an existing file); its id."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise MLSecUsageError(KEY_EXISTS.format(path=target)) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key_id(key)


def load_key(path: str | os.PathLike[str] | None, log_path: str | os.PathLike[str]) -> bytes:
    """The key in ``path`` (default ``default_key_path()``), after checking where it lives.

    Raises ``MLSecInputError`` when there is no usable key, and ``MLSecUsageError`` when the key
    sits inside the folder of the log's notebook or is open to other users.
    """
    target = Path(path).expanduser() if path is not None else default_key_path()
    folder = notebook_folder(Path(log_path))
    resolved = target.resolve()
    if resolved == folder or folder in resolved.parents:
        raise MLSecUsageError(KEY_IN_NOTEBOOK_FOLDER.format(key=target, folder=folder,
                                                            default=default_key_path()))
    try:
        info = target.stat()
    except FileNotFoundError:
        raise MLSecInputError(NO_KEY.format(path=target, env=KEY_ENV)) from None
    except OSError as exc:
        raise MLSecInputError(f"cannot read the key {target}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise MLSecInputError(BAD_KEY.format(path=target, why="not a regular file"))
    if sys.platform != "win32" and info.st_mode & 0o077:
        raise MLSecUsageError(KEY_TOO_OPEN.format(path=target, mode=oct(info.st_mode & 0o777)))
    try:
        text = target.read_bytes()[:4096].decode("ascii").strip()
        key = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError):
        raise MLSecInputError(BAD_KEY.format(path=target, why="not hex")) from None
    except OSError as exc:
        raise MLSecInputError(f"cannot read the key {target}: {exc.strerror or exc}") from None
    if len(key) < KEY_BYTES:
        raise MLSecInputError(BAD_KEY.format(path=target,
                                             why=f"{len(key)} bytes, at least {KEY_BYTES}"))
    return key


def notebook_folder(log_path: Path) -> Path:
    """The folder a log belongs to: the notebook's (the parent of ``.mlsec/``)."""
    folder = log_path.expanduser().resolve().parent
    return folder.parent if folder.name == LINEAGE_DIR else folder


def mac(key: bytes, seq: int, head: str) -> str:
    """The HMAC-SHA256 a signature of record ``seq`` (hash ``head``) carries."""
    message = _DOMAIN + f"{seq}\n{head}\n".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signature_body(key: bytes, seq: int, head: str) -> dict[str, Any]:
    """The members of a ``signature`` record over record ``seq`` whose hash is ``head``."""
    return {"kind": SIGNATURE_KIND, "alg": ALG, "key_id": key_id(key),
            "signed": {"seq": seq, "head": head}, "mac": mac(key, seq, head)}


def sign(path: str | os.PathLike[str], key: bytes, *, store: LineageStore | None = None,
         session: str | None = None) -> dict[str, Any]:
    """Append a signature over the current head of ``path``; return the signature record.

    Refuses (``MLSecInputError``) a log that is empty or whose chain is broken: a signature
    must never vouch for records that do not verify. A torn last line is allowed: the append
    closes it with a recovery record first, and the signature covers that record.
    """
    target = Path(path)
    flush_held(target)
    data = _read_shared(target) if target.exists() else b""
    result = verify_bytes(data)
    if result.count == 0:
        raise MLSecInputError(UNSIGNABLE.format(path=target, reason="it holds no records"))
    if not result.ok and not result.torn_tail:
        raise MLSecInputError(UNSIGNABLE.format(
            path=target, reason="its chain is broken (" + " ".join(result.reason.split()) + ")"))
    writer = store or LineageStore(target)

    def make(seq: int, head: str) -> dict[str, Any]:
        return {"session": session, **signature_body(key, seq, head)}

    return writer.append_after_head(make)


@dataclass(frozen=True)
class SignatureCheck:
    """What ``verify_signed`` found, beside the chain's own ``VerifyResult``."""

    ok: bool
    reason: str
    chain: VerifyResult
    signed_seq: int | None = None  # the record the last good signature covers
    signatures: int = 0  # signature records made with this key that verify
    foreign: int = 0  # signature records made with other keys (not trusted)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "reason": self.reason, "signed_seq": self.signed_seq,
                "signatures": self.signatures, "foreign_signatures": self.foreign,
                "chain": self.chain.to_dict()}


def verify_signed(path: str | os.PathLike[str], key: bytes, *,
                  anchor: str | None = None) -> SignatureCheck:
    """Verify the chain of ``path`` and that its head is signed with ``key``."""
    target = Path(path)
    flush_held(target)
    return verify_signed_bytes(_read_shared(target) if target.exists() else b"", key,
                               anchor=anchor)


def verify_signed_bytes(data: bytes, key: bytes, *, anchor: str | None = None
                        ) -> SignatureCheck:
    """``verify_signed`` on the bytes of a lineage file."""
    chain = verify_bytes(data, anchor=anchor)
    if not chain.ok:
        return SignatureCheck(False, "the chain does not verify: " + " ".join(
            chain.reason.split()), chain)
    if chain.count == 0:
        return SignatureCheck(False, "the log holds no records, so nothing is signed", chain)
    wanted = key_id(key)
    good, foreign = 0, 0
    signed_seq: int | None = None
    previous: dict[str, Any] | None = None
    last: dict[str, Any] | None = None
    for _offset, line, _terminated in split_lines(data):
        record = parse_record(line)
        if record is None:  # recovered torn bytes: verify_bytes accounted for them
            continue
        if record.get("kind") == SIGNATURE_KIND:
            problem = _signature_problem(record, previous, key, wanted)
            if problem == "foreign":
                foreign += 1
            elif problem:
                return SignatureCheck(False, f"signature record {record['seq']} {problem}",
                                      chain, signed_seq, good, foreign)
            else:
                good += 1
                signed_seq = record["signed"]["seq"]
        previous = last = record
    if good == 0:
        others = f" ({foreign} signature(s) made with other keys)" if foreign else ""
        return SignatureCheck(False, f"no signature made with this key (id {wanted}){others}",
                              chain, None, 0, foreign)
    assert last is not None
    if last.get("kind") != SIGNATURE_KIND or _signature_problem(last, None, key, wanted,
                                                                 link=False):
        unsigned = last["seq"] - (signed_seq if signed_seq is not None else -1) - 1
        return SignatureCheck(
            False, f"records after the last signature are not signed: the signature at the "
            f"end covers record {signed_seq}, {unsigned} record(s) follow it (appended later, "
            "by a kernel still recording or by someone without the key)",
            chain, signed_seq, good, foreign)
    return SignatureCheck(True, f"records 0-{signed_seq} are covered by a signature "
                          f"made with key {wanted}", chain, signed_seq, good, foreign)


def _signature_problem(record: dict[str, Any], previous: dict[str, Any] | None, key: bytes,
                       wanted: str, *, link: bool = True) -> str:
    """Why a signature record does not vouch for the record before it ("" when it does;
    "foreign" when another key made it)."""
    if record.get("key_id") != wanted:
        return "foreign"
    signed = record.get("signed")
    if record.get("alg") != ALG or not isinstance(signed, dict) or \
            not isinstance(record.get("mac"), str):
        return "is not an HMAC-SHA256 signature this tool made"
    seq, head = signed.get("seq"), signed.get("head")
    if type(seq) is not int or not isinstance(head, str):
        return "names no record"
    if link and (previous is None or previous.get("seq") != seq or previous.get("hash") != head):
        return ("signs another head than the record before it (a signature copied from an "
                "older state of the log)")
    if not hmac.compare_digest(record["mac"], mac(key, seq, head)):
        return ("does not verify with this key: the records it covers were changed, or it "
                "was made with another key under this key's id")
    return ""
