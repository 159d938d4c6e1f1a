"""Ed25519 signatures in minisign's format, so operators can use the `minisign` command too.

The cryptography is libsodium's, through PyNaCl: Ed25519 (nacl.signing), scrypt for encrypted
secret keys (nacl.pwhash.scrypt.kdf: the same crypto_pwhash_scryptsalsa208sha256 with the same
opslimit/memlimit as minisign) and BLAKE2b (hashlib). This module only lays out the bytes the way
minisign does (https://jedisct1.github.io/minisign/, "Signature format"):

    public key   "Ed" | key id (8) | public key (32)
    secret key   "Ed" | kdf "Sc" or "\\0\\0" | "B2" | salt (32) | opslimit (8, LE) | memlimit (8, LE)
                 | [key id (8) | secret key (64) | BLAKE2b-256 checksum (32)]  XOR scrypt stream
    signature    "ED" (prehashed: signs BLAKE2b-512 of the file) or "Ed" (legacy: the file itself)
                 | key id (8) | signature (64); then the trusted comment, and a global signature
                 over signature || trusted comment.

PyNaCl rather than `cryptography`: libsodium is ~1 MB in the frozen kiosk, `cryptography` 15 MB,
which would break the bundle's 200 MB budget. The tests check every layout against the real
`minisign` in both directions.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.pwhash
import nacl.signing

SIG_SUFFIX = ".minisig"
PUBLIC_ALG = b"Ed"
PREHASHED = b"ED"
LEGACY = b"Ed"
KDF_SCRYPT = b"Sc"
KDF_NONE = b"\0\0"
CHECKSUM_ALG = b"B2"
# minisign's own limits (libsodium's "sensitive" scrypt settings): about 1 GiB and a few seconds
OPSLIMIT = nacl.pwhash.scrypt.OPSLIMIT_SENSITIVE
MEMLIMIT = nacl.pwhash.scrypt.MEMLIMIT_SENSITIVE
MAX_COMMENT = 1024


class SignatureError(Exception):
    """A signature or key is missing, malformed, from another key, or does not match the data."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes  # 8 bytes
    key: bytes  # 32 bytes

    def to_base64(self) -> str:
        return base64.b64encode(PUBLIC_ALG + self.key_id + self.key).decode()

    def file_text(self) -> str:
        return f"untrusted comment: minisign public key {key_id_hex(self.key_id)}\n{self.to_base64()}\n"


@dataclass(frozen=True)
class KeyFiles:
    secret: Path
    public: Path
    public_base64: str


def key_id_hex(key_id: bytes) -> str:
    """As minisign prints it: the 8 bytes as a little-endian number in upper-case hex."""
    return f"{struct.unpack('<Q', key_id)[0]:016X}"


def _b64(line: bytes | str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (ValueError, TypeError) as exc:
        raise SignatureError(f"{what} is not base64") from exc
    if len(raw) != size:
        raise SignatureError(f"{what} has {len(raw)} bytes, expected {size}")
    return raw


def _lines(text: bytes) -> list[bytes]:
    return [ln.rstrip(b"\r") for ln in text.split(b"\n")]


def public_key(text: str) -> PublicKey:
    """A public key from its base64 line ("RW...") or the whole .pub file's text."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if lines and lines[0].lower().startswith("untrusted comment:"):
        lines = lines[1:]
    if len(lines) != 1:
        raise SignatureError("not a minisign public key (expected one base64 line)")
    raw = _b64(lines[0], 42, "public key")
    if raw[:2] != PUBLIC_ALG:
        raise SignatureError("not an Ed25519 minisign public key")
    return PublicKey(raw[2:10], raw[10:])


def _checksum(alg: bytes, key_id: bytes, sk: bytes) -> bytes:
    return hashlib.blake2b(alg + key_id + sk, digest_size=32).digest()


def _kdf_stream(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.scrypt.kdf(104, password.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit)


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def keygen(
    secret_path: Path, public_path: Path, password: str | None, *, opslimit: int = OPSLIMIT, memlimit: int = MEMLIMIT
) -> KeyFiles:
    """Write a new key pair; the secret key is scrypt-encrypted unless `password` is None
    (then it is what `minisign -G -W` writes). Refuses to overwrite a secret key: a lost key
    means re-keying every kiosk."""
    signing_key = nacl.signing.SigningKey.generate()
    sk = bytes(signing_key) + bytes(signing_key.verify_key)  # libsodium's 64-byte secret key
    key_id = secrets.token_bytes(8)
    inner = key_id + sk + _checksum(PUBLIC_ALG, key_id, sk)
    salt = secrets.token_bytes(32)
    if password:
        kdf, inner = KDF_SCRYPT, _xor(inner, _kdf_stream(password, salt, opslimit, memlimit))
        comment = "minisign encrypted secret key"
    else:
        kdf, opslimit, memlimit, salt = KDF_NONE, 0, 0, bytes(32)
        comment = "minisign secret key"
    blob = PUBLIC_ALG + kdf + CHECKSUM_ALG + salt + struct.pack("<QQ", opslimit, memlimit) + inner
    secret_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(secret_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with open(fd, "wb") as fh:
        fh.write(f"untrusted comment: {comment}\n".encode() + base64.b64encode(blob) + b"\n")
    public = PublicKey(key_id, bytes(signing_key.verify_key))
    public_path.write_text(public.file_text(), encoding="ascii")
    return KeyFiles(secret_path, public_path, public.to_base64())


def read_secret_key(path: Path, password: str | None) -> tuple[bytes, nacl.signing.SigningKey]:
    """(key id, signing key) from a minisign secret key file (ours or minisign's)."""
    try:
        lines = [ln for ln in _lines(Path(path).read_bytes()) if ln.strip()]
    except OSError as exc:
        raise SignatureError(f"cannot read secret key {path}: {exc}") from exc
    if len(lines) < 2:
        raise SignatureError(f"{path} is not a minisign secret key")
    blob = _b64(lines[1], 158, "secret key")
    alg, kdf, chk_alg, salt = blob[:2], blob[2:4], blob[4:6], blob[6:38]
    opslimit, memlimit = struct.unpack("<QQ", blob[38:54])
    inner = blob[54:]
    if alg != PUBLIC_ALG or chk_alg != CHECKSUM_ALG or kdf not in (KDF_SCRYPT, KDF_NONE):
        raise SignatureError(f"{path}: unsupported secret key algorithms")
    if kdf == KDF_SCRYPT:
        if password is None:
            raise SignatureError(f"{path} is password-protected: give the password")
        inner = _xor(inner, _kdf_stream(password, salt, opslimit, memlimit))
    key_id, sk, checksum = inner[:8], inner[8:72], inner[72:]
    # `minisign -G -W` leaves the checksum of an unencrypted key zero; the seed must still give
    # the public half stored beside it.
    unchecked = kdf == KDF_NONE and checksum == bytes(32)
    if not unchecked and not secrets.compare_digest(checksum, _checksum(alg, key_id, sk)):
        raise SignatureError(f"wrong password for {path}" if kdf == KDF_SCRYPT else f"{path} is damaged")
    key = nacl.signing.SigningKey(sk[:32])
    if bytes(key.verify_key) != sk[32:]:
        raise SignatureError(f"{path} is damaged")
    return key_id, key


def _file_message(path: Path, prehash: bool) -> bytes:
    if not prehash:
        return Path(path).read_bytes()
    h = hashlib.blake2b(digest_size=64)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.digest()


def _check_comment(text: str) -> str:
    if "\n" in text or "\r" in text or len(text) > MAX_COMMENT:
        raise SignatureError("a comment must be one line of at most 1024 characters")
    return text


def sign_file(
    path: Path,
    secret_path: Path,
    password: str | None,
    *,
    trusted_comment: str | None = None,
    prehash: bool = True,
) -> Path:
    """Sign `path` into `path.minisig` (minisign's name). Prehashed by default, as minisign 0.11."""
    key_id, key = read_secret_key(secret_path, password)
    if trusted_comment is None:
        trusted_comment = f"timestamp:{int(time.time())}\tfile:{Path(path).name}" + ("\thashed" if prehash else "")
    comment = _check_comment(trusted_comment).encode("utf-8")
    signature = key.sign(_file_message(path, prehash)).signature
    global_signature = key.sign(signature + comment).signature
    text = (
        b"untrusted comment: signature from minisign secret key\n"
        + base64.b64encode((PREHASHED if prehash else LEGACY) + key_id + signature)
        + b"\ntrusted comment: "
        + comment
        + b"\n"
        + base64.b64encode(global_signature)
        + b"\n"
    )
    out = Path(path).with_name(Path(path).name + SIG_SUFFIX)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(text)
    os.replace(tmp, out)
    return out


def verify(data_path: Path, signature: bytes, key: PublicKey) -> str:
    """Check `signature` (a .minisig file's bytes) over the file; return its trusted comment."""
    lines = _lines(signature)
    if len(lines) < 4 or not lines[2].startswith(b"trusted comment: "):
        raise SignatureError("malformed signature (not a minisign .minisig file)")
    raw = _b64(lines[1], 74, "signature")
    alg, key_id, sig = raw[:2], raw[2:10], raw[10:]
    if alg not in (PREHASHED, LEGACY):
        raise SignatureError("malformed signature (unknown algorithm)")
    if key_id != key.key_id:
        raise SignatureError(
            f"signature does not match (made with key {key_id_hex(key_id)}, this kiosk trusts {key_id_hex(key.key_id)})"
        )
    comment = lines[2][len(b"trusted comment: ") :]
    global_sig = _b64(lines[3], 64, "global signature")
    verify_key = nacl.signing.VerifyKey(key.key)
    try:
        verify_key.verify(_file_message(data_path, alg == PREHASHED), sig)
        verify_key.verify(sig + comment, global_sig)
    except nacl.exceptions.BadSignatureError as exc:
        raise SignatureError("signature does not match (the file or its trusted comment was changed)") from exc
    return comment.decode("utf-8", errors="replace")
