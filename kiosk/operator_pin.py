"""The operator PIN: hashed with PBKDF2-SHA256, never stored or shipped in clear.

`kiosk pin` prints a hash to paste into content.yaml::

    operator:
      pin_hash: "pbkdf2_sha256$240000$<salt>$<hash>"

`kiosk pin --content FILE` writes it into the file itself, atomically (kiosk.atomic): a power cut
during the change leaves the old PIN or the new one, never a content file cut in half. The
running kiosk picks it up like any other edit (hot reload).

There is no default PIN: without a `pin_hash` the operator mode is simply off. No Qt here.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import re
import secrets
import sys
from pathlib import Path

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


_PIN_LINE = re.compile(r"^(?P<indent>[ \t]+)pin_hash\s*:.*$", re.MULTILINE)
_OPERATOR_LINE = re.compile(r"^operator\s*:\s*(#.*)?$", re.MULTILINE)


def with_pin_hash(text: str, stored: str) -> str:
    """`text` (a content file) with `operator: pin_hash:` set to `stored`; the rest of the file,
    comments and all, stays as it was."""
    line = f'pin_hash: "{stored}"'
    operator = _OPERATOR_LINE.search(text)
    if operator:
        block_end = re.compile(r"^\S", re.MULTILINE).search(text, operator.end() + 1)
        end = block_end.start() if block_end else len(text)
        existing = _PIN_LINE.search(text, operator.end(), end)
        if existing:
            return text[: existing.start()] + existing.group("indent") + line + text[existing.end():]
        return text[: operator.end()] + "\n  " + line + text[operator.end():]
    sep = "" if text.endswith("\n") or not text else "\n"
    return f"{text}{sep}\noperator:\n  {line}\n"


def write_pin_hash(content: Path, stored: str) -> None:
    """Set the PIN hash in a content file, atomically; refuses if the result would not read back."""
    import yaml

    from kiosk.atomic import write_atomic

    text = Path(content).read_text(encoding="utf-8")
    new = with_pin_hash(text, stored)
    data = yaml.safe_load(new)
    if not isinstance(data, dict) or (data.get("operator") or {}).get("pin_hash") != stored:
        raise ValueError(f"could not place operator: pin_hash in {content}; add it by hand")
    write_atomic(content, new)


def main(pin: str | None = None, content: Path | None = None) -> int:
    """`kiosk pin [PIN] [--content FILE]`: print a hash and the lines to paste into content.yaml,
    or write it into FILE."""
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
    if content is not None:
        try:
            write_pin_hash(content, stored)
        except (OSError, ValueError) as exc:
            print(f"Cannot set the PIN in {content}: {exc}", file=sys.stderr)
            return 1
        print(f"Operator PIN set in {content}; a running kiosk picks it up at its next reload.")
        return 0
    print(stored)
    print()
    print("Paste this into content.yaml:")
    print()
    print("operator:")
    print(f'  pin_hash: "{stored}"')
    return 0
