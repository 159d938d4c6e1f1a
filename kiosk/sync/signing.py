"""Ed25519 signatures in minisign's format, so operators can use the `minisign` command too.

All cryptography is py-minisign (co-written by minisign's author) on top of `cryptography`:
key generation, scrypt key encryption, prehashed (BLAKE2b, minisign's default) and legacy
signatures. This module only picks defaults and turns its errors into `SignatureError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import minisign

SIG_SUFFIX = ".minisig"


class SignatureError(Exception):
    """A signature is missing, malformed, from another key, or does not match the data."""


@dataclass(frozen=True)
class KeyFiles:
    secret: Path
    public: Path
    public_base64: str


def keygen(secret_path: Path, public_path: Path, password: str | None) -> KeyFiles:
    """Write a new key pair; the secret key is scrypt-encrypted unless `password` is None.

    Refuses to overwrite an existing secret key (a lost key means re-keying every kiosk)."""
    pair = minisign.KeyPair.generate()
    with pair.secret_key as secret:
        if password:
            secret.encrypt(password)
        secret_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(secret_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with open(fd, "wb") as fh:
            fh.write(bytes(secret) + b"\n")
    public = pair.public_key
    public.untrusted_comment = "kiosk bundle public key " + public.to_base64().decode()[-8:]
    public_path.write_bytes(bytes(public) + b"\n")
    return KeyFiles(secret_path, public_path, public.to_base64().decode())


def sign_file(
    path: Path,
    secret_path: Path,
    password: str | None,
    *,
    trusted_comment: str | None = None,
    prehash: bool = True,
) -> Path:
    """Sign `path` into `path.minisig` (minisign's name). Prehashed by default, as minisign 0.11."""
    try:
        secret = minisign.SecretKey.from_file(secret_path)
    except (OSError, minisign.Error) as exc:
        raise SignatureError(f"cannot read secret key {secret_path}: {exc}") from exc
    with secret:
        if secret.is_encrypted():
            if password is None:
                raise SignatureError(f"{secret_path} is password-protected: give the password")
            try:
                secret.decrypt(password)
            except minisign.Error as exc:
                raise SignatureError(f"wrong password for {secret_path}") from exc
        if trusted_comment is None:
            import time

            trusted_comment = f"timestamp:{int(time.time())}\tfile:{path.name}" + ("\thashed" if prehash else "")
        with open(path, "rb") as fh:
            sig = secret.sign(fh, prehash=prehash, trusted_comment=trusted_comment)
    out = path.with_name(path.name + SIG_SUFFIX)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(bytes(sig) + b"\n")
    os.replace(tmp, out)
    return out


def public_key(text: str) -> minisign.PublicKey:
    """A public key from its base64 line ("RW...") or the whole .pub file's text."""
    text = text.strip()
    try:
        if "\n" in text:
            return minisign.PublicKey.from_bytes(text.encode())
        return minisign.PublicKey.from_base64(text)
    except (minisign.Error, ValueError) as exc:
        raise SignatureError(f"not a minisign public key: {exc}") from exc


def verify(data_path: Path, signature: bytes, key: minisign.PublicKey) -> str:
    """Check `signature` (a .minisig file's bytes) over the file; return its trusted comment."""
    try:
        sig = minisign.Signature.from_bytes(signature)
    except (minisign.Error, ValueError, IndexError) as exc:
        raise SignatureError(f"malformed signature: {exc}") from exc
    try:
        with open(data_path, "rb") as fh:
            key.verify(fh, sig)
    except minisign.VerifyError as exc:
        raise SignatureError(f"signature does not match ({exc})") from exc
    return sig.trusted_comment
