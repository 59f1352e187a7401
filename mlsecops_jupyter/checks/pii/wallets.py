"""Crypto wallet addresses, confirmed by their own checksums (no pattern alone decides).

- Bitcoin legacy (``1...`` P2PKH, ``3...`` P2SH): Base58Check, the first four bytes of a double
  SHA-256 of the payload; version byte 0x00 or 0x05 and a 20-byte hash.
- Bitcoin SegWit (``bc1q...`` v0, BIP 173 bech32; ``bc1p...`` v1+, BIP 350 bech32m): the BCH
  checksum of the human-readable part and the data, one case throughout.
- Ethereum (``0x`` + 40 hex digits): EIP-55 mixed-case checksum (Keccak-256 of the lower-case
  hex). An all-lower or all-upper address carries no checksum; ``is_wallet`` says so with
  ``checksummed`` so the recognizer can ask for a context word.

Keccak-256 is not in ``hashlib`` (its ``sha3_256`` pads differently), so the permutation is
written here from the FIPS 202 description; it runs only on 40-character candidates.
"""

from __future__ import annotations

import hashlib
import re

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {ch: i for i, ch in enumerate(BASE58)}
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {ch: i for i, ch in enumerate(BECH32)}
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3

# candidates the recognizer validates (one regex per family, word-bounded)
WALLET = re.compile(
    r"(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|"
    r"BC1[02-9AC-HJ-NP-Z]{11,71}|0x[0-9a-fA-F]{40})(?![\w])")


def base58check_ok(value: str) -> bool:
    """A Bitcoin legacy address: Base58Check with version 0x00 or 0x05 and 20 bytes."""
    number = 0
    for ch in value:
        digit = _BASE58_INDEX.get(ch)
        if digit is None:
            return False
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(value) - len(value.lstrip("1"))) + body
    if len(raw) != 25 or raw[0] not in (0x00, 0x05):
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(generators):
            if (top >> bit) & 1:
                check ^= generator
    return check


def segwit_ok(value: str) -> bool:
    """A Bitcoin SegWit address: bech32 for witness version 0, bech32m for 1-16 (BIP 350),
    with the program length its version allows."""
    if value.lower() != value and value.upper() != value:
        return False
    lowered = value.lower()
    hrp, _, data_part = lowered.rpartition("1")
    if hrp != "bc" or len(data_part) < 7:
        return False
    data = [_BECH32_INDEX[ch] for ch in data_part if ch in _BECH32_INDEX]
    if len(data) != len(data_part):
        return False
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    constant = _bech32_polymod(expanded + data)
    version = data[0]
    if constant != (_BECH32_CONST if version == 0 else _BECH32M_CONST) or version > 16:
        return False
    bits = (len(data) - 7) * 5  # the program: data without version and 6 checksum symbols
    program_bytes = bits // 8
    if version == 0:
        return program_bytes in (20, 32)
    return 2 <= program_bytes <= 40


# -- Keccak-256 (FIPS 202 permutation, original Keccak padding) ---------------------------------
_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
_ROTATIONS = (
    (0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)
_MASK = (1 << 64) - 1


def _rotate(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _keccak_f(state: list[list[int]]) -> None:
    for constant in _ROUND_CONSTANTS:
        columns = [state[x][0] ^ state[x][1] ^ state[x][2] ^ state[x][3] ^ state[x][4]
                   for x in range(5)]
        for x in range(5):
            d = columns[(x - 1) % 5] ^ _rotate(columns[(x + 1) % 5], 1)
            for y in range(5):
                state[x][y] ^= d
        moved = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                moved[y][(2 * x + 3 * y) % 5] = _rotate(state[x][y], _ROTATIONS[x][y])
        for x in range(5):
            for y in range(5):
                state[x][y] = moved[x][y] ^ (~moved[(x + 1) % 5][y] & moved[(x + 2) % 5][y])
        state[0][0] ^= constant


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (padding 0x01 ... 0x80, not SHA3's 0x06)."""
    rate = 136
    padded = bytearray(data) + b"\x01" + b"\x00" * ((-len(data) - 1) % rate)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for block in range(0, len(padded), rate):
        for index in range(rate // 8):
            lane = int.from_bytes(padded[block + 8 * index:block + 8 * index + 8], "little")
            state[index % 5][index // 5] ^= lane
        _keccak_f(state)
    out = b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out[:32]


def eip55_ok(value: str) -> bool:
    """An Ethereum address whose letter case matches its EIP-55 checksum."""
    hex_part = value[2:]
    digest = keccak256(hex_part.lower().encode("ascii")).hex()
    for ch, nibble in zip(hex_part, digest[:40], strict=True):
        if ch.isalpha() and (ch.isupper() != (int(nibble, 16) >= 8)):
            return False
    return True


def is_wallet(value: str) -> tuple[bool, bool]:
    """(valid, checksummed) for one candidate: Bitcoin addresses always carry a checksum; an
    Ethereum address only when it mixes cases (EIP-55)."""
    if value.startswith("0x"):
        hex_part = value[2:]
        if len(hex_part) != 40 or len(set(hex_part.lower())) < 4:
            return False, False  # 0x000...0 and friends: sentinels, not wallets
        if hex_part.lower() == hex_part or hex_part.upper() == hex_part:
            return True, False
        return eip55_ok(value), True
    if value[:3].lower() == "bc1":
        return segwit_ok(value), True
    return base58check_ok(value), True
