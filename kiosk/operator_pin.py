"""The operator PIN: hashed with PBKDF2-SHA256, never stored or shipped in clear.

`kiosk pin` prints a hash to paste into content.yaml::

    operator:
      pin_hash: "pbkdf2_sha256$240000$<salt>$<hash>"

There is no default PIN: without a `pin_hash` the operator mode is simply off. No Qt here.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
import sys

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 240_000
MIN_ITERATIONS = 1_000  # what verify accepts (tests hash with few iterations to stay fast)
MAX_ITERATIONS = 10_000_000  # a hash that would freeze the kiosk for minutes is refused
MIN_LENGTH = 4
MAX_LENGTH = 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def pin_problem(pin: str) -> str | None:
    """Why `pin` cannot be an operator PIN (the pad has only digits), or None."""
    if not pin.isascii() or not pin.isdigit():
        return "the PIN must be digits only (the operator pad has only 0-9)"
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        return f"the PIN must have {MIN_LENGTH} to {MAX_LENGTH} digits"
    return None


def hash_pin(pin: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """'pbkdf2_sha256$iterations$salt$hash' with a random 16-byte salt."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, bytes, bytes] | None:
    """(iterations, salt, digest) of a well-formed stored hash, else None."""
    try:
        algorithm, iterations_text, salt_text, digest_text = stored.strip().split("$")
        iterations = int(iterations_text)
        salt, digest = _unb64(salt_text), _unb64(digest_text)
    except (ValueError, AttributeError):
        return None
    if algorithm != ALGORITHM or not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return None
    if not salt or len(digest) != 32:
        return None
    return iterations, salt, digest


def is_valid_hash(stored: str | None) -> bool:
    return stored is not None and parse_hash(stored) is not None


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when `pin` matches `stored`; False for a wrong PIN and for a missing or bad hash."""
    if not stored:
        return False
    parsed = parse_hash(stored)
    if parsed is None:
        return False
    iterations, salt, digest = parsed
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(candidate, digest)


def main(pin: str | None = None) -> int:
    """`kiosk pin [PIN]`: print a hash and the lines to paste into content.yaml."""
    if pin is None:
        try:
            pin = getpass.getpass("Operator PIN (digits): ")
            again = getpass.getpass("Same PIN again: ")
        except (EOFError, KeyboardInterrupt):
            print("\nNo PIN given; nothing printed.", file=sys.stderr)
            return 1
        if pin != again:
            print("The two PINs differ; nothing printed.", file=sys.stderr)
            return 1
    problem = pin_problem(pin)
    if problem:
        print(f"Not a usable PIN: {problem}.", file=sys.stderr)
        return 2
    stored = hash_pin(pin)
    print(stored)
    print()
    print("Paste this into content.yaml:")
    print()
    print("operator:")
    print(f'  pin_hash: "{stored}"')
    return 0
