"""`kiosk bundle build | sign | keygen | verify`: make and sign content bundles for a fleet.

Passwords for secret keys come from `--password-file`, else $KIOSK_BUNDLE_PASSWORD, else a
prompt on the terminal. `keygen --no-password` writes an unencrypted key (as `minisign -G -W`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bundle", help="build, sign and verify content bundles for a fleet of kiosks")
    bsub = p.add_subparsers(dest="bundle_command", required=True)

    b = bsub.add_parser("build", help="pack content.yaml and every asset it names into bundle.tar.gz")
    b.add_argument("content", nargs="?", type=Path, default=Path("content.yaml"))
    b.add_argument("--out", type=Path, default=Path("bundle"), help="folder to write bundle.tar.gz into")
    b.add_argument("--version", dest="bundle_version", type=int, help="bundle version (default: now, Unix seconds)")

    s = bsub.add_parser("sign", help="write ARCHIVE.minisig (minisign format)")
    s.add_argument("archive", type=Path)
    s.add_argument("--key", "-s", type=Path, required=True, help="secret key file")
    s.add_argument("--password-file", type=Path)
    s.add_argument("--legacy", action="store_true", help="legacy (not prehashed) signature, as `minisign -S -l`")

    k = bsub.add_parser("keygen", help="make a signing key pair (minisign format)")
    k.add_argument("--key", "-s", type=Path, default=Path("kiosk-bundle.key"))
    k.add_argument("--pub", "-p", type=Path, default=Path("kiosk-bundle.pub"))
    k.add_argument("--password-file", type=Path)
    k.add_argument("--no-password", action="store_true", help="do not encrypt the secret key")

    v = bsub.add_parser("verify", help="check a bundle's signature, hashes and content")
    v.add_argument("archive", type=Path)
    v.add_argument("--pub", "-p", required=True, help="public key file or its base64 line")


def _password(args, confirm: bool = False) -> str | None:
    if getattr(args, "password_file", None):
        return args.password_file.read_text(encoding="utf-8").rstrip("\r\n")
    if os.environ.get("KIOSK_BUNDLE_PASSWORD"):
        return os.environ["KIOSK_BUNDLE_PASSWORD"]
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Password (again): ") != first:
        raise SystemExit("passwords differ")
    return first


def main(args) -> int:
    from kiosk.sync import bundle, signing

    cmd = args.bundle_command
    try:
        if cmd == "build":
            archive, manifest, result = bundle.build(args.content, args.out, args.bundle_version)
            print(f"{archive}: version {manifest.version}, {len(manifest.files)} files, {archive.stat().st_size} bytes")
            print(f"next: kiosk bundle sign {archive} --key YOUR.key, then publish {archive.name} and {archive.name}.minisig")
            return 0
        if cmd == "keygen":
            password = None if args.no_password else _password(args, confirm=True)
            if not args.no_password and not password:
                print("no password given (use --password-file, KIOSK_BUNDLE_PASSWORD or --no-password)", file=sys.stderr)
                return 2
            keys = signing.keygen(args.key, args.pub, password)
            print(f"secret key: {keys.secret} (keep it off the kiosks)\npublic key: {keys.public}")
            print(f"put this in each kiosk's fleet settings, sync: public_key:\n  {keys.public_base64}")
            return 0
        if cmd == "sign":
            from kiosk.sync.bundle import read_manifest

            version = read_manifest(args.archive).version
            comment = f"kiosk bundle version:{version}\tfile:{args.archive.name}"
            out = signing.sign_file(args.archive, args.key, _password(args), trusted_comment=comment, prehash=not args.legacy)
            print(f"{out}: signed version {version}")
            return 0
        if cmd == "verify":
            import tempfile

            text = Path(args.pub).read_text(encoding="utf-8") if Path(args.pub).is_file() else args.pub
            key = signing.public_key(text)
            sig = args.archive.with_name(args.archive.name + signing.SIG_SUFFIX).read_bytes()
            comment = signing.verify(args.archive, sig, key)
            with tempfile.TemporaryDirectory() as tmp:
                manifest = bundle.unpack(args.archive, Path(tmp))
                from kiosk.content.loader import load

                result = load(Path(tmp) / bundle.CONTENT_NAME)
                if not result.ok:
                    for p in result.errors:
                        print(p.headline(), file=sys.stderr)
                    return 1
            print(f"{args.archive}: signature good ({comment}), version {manifest.version}, {len(manifest.files)} files verified")
            return 0
    except (bundle.BundleError, signing.SignatureError, OSError, KeyError) as exc:
        print(f"kiosk bundle {cmd}: {exc}", file=sys.stderr)
        return 1
    return 2
