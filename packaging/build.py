"""Build the frozen kiosk: a one-folder bundle and an archive of it, named after the version.

    python packaging/build.py              # dist/negative-emissions-kiosk-<version>-<os>-<arch>/ + archive
    python packaging/build.py --smoke      # ... then run the bundle headless (packaging/smoke.py)
    python packaging/build.py --clean      # throw away PyInstaller's cache first (a clean build)
    python packaging/build.py --from-git HEAD --smoke   # build a clean export of a commit

Run it with a Python that has the kiosk and PyInstaller installed, e.g. a separate venv:
`python -m venv /tmp/pkgvenv && /tmp/pkgvenv/bin/pip install -e . pyinstaller`.
Steps: collect licence notices and the JSON Schema into build/staging/, run PyInstaller on
packaging/kiosk.spec (niced), move the notices to the top of the bundle, measure it against the
size budget, archive it (.tar.gz on Linux, .zip elsewhere), optionally smoke-test it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_config as cfg  # noqa: E402
import collect_licenses  # noqa: E402

ROOT = cfg.REPO_ROOT
SPEC = cfg.PACKAGING_DIR / "kiosk.spec"

OPERATOR_README = """\
Negative-emissions kiosk {version}
==================================

Start the kiosk (fullscreen):       {exe}
Preview in a window:                {exe} --windowed
Supervised (restarts after a crash or a hang):
                                    {exe} run --supervise
Check the content:                  {cli} check [content.yaml]
Version:                            {cli} --version

Changing the content needs no rebuild. The kiosk shows the first content.yaml it finds:
  1. the file given with --content PATH
  2. content.yaml next to this program (with its assets/ folder beside it)
  3. the per-user config folder: ~/.config/negative-emissions-kiosk/content.yaml (Linux),
     %LOCALAPPDATA%\\negative-emissions-kiosk\\negative-emissions-kiosk\\content.yaml (Windows),
     ~/Library/Application Support/negative-emissions-kiosk/content.yaml (macOS)
  4. the shipped default, {data_dir}/content.yaml (do not edit it there: it is replaced on update)
To start from the default, copy {data_dir}/content.yaml, {data_dir}/content.schema.json and the
{data_dir}/assets folder next to this program (or into the per-user folder) and edit the copy.
Run `{cli} check` before the exhibition opens.

Licences: THIRD_PARTY_NOTICES.md and licenses/ (Qt is LGPL-3.0: see licenses/qt/REPLACING-QT.txt).
"""


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def du_bytes(path: Path) -> int:
    """Disk usage like `du -sb` (apparent sizes, each file once)."""
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def nice_prefix() -> list[str]:
    return ["nice", "-n", "10"] if os.name == "posix" and shutil.which("nice") else []


def write_schema(staging: Path) -> None:
    """A fresh content.schema.json from the model (falls back to the repo's copy, if any)."""
    target = staging / "content.schema.json"
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "schema", "--out", str(target)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if proc.returncode == 0 and target.is_file():
        log(f"schema: {target}")
    else:
        target.unlink(missing_ok=True)
        log(f"schema: `kiosk schema` failed ({proc.stderr.strip().splitlines()[-1:] or proc.returncode}); "
            "shipping the repo's content.schema.json if present")


def bundled_system_libraries(internal: Path) -> list[Path]:
    """Host paths of the non-Python shared libraries PyInstaller copied from the system (Linux)."""
    if not sys.platform.startswith("linux"):
        return []
    search = [Path(p) for p in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                                "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/lib", "/usr/local/lib")]
    found = []
    for lib in sorted(internal.glob("*.so*")):
        if lib.is_symlink() or lib.name.startswith("libpython"):  # Qt links; Python is the build's own
            continue
        for d in search:
            if (d / lib.name).exists():
                found.append((d / lib.name).resolve())
                break
    return found


def strip_bundle(bundle: Path, exe: Path) -> int:
    """Strip symbols from the bundle's ELF files; returns the bytes saved (Linux only).

    Not PyInstaller's own strip=True: that also strips the libraries that auditwheel grafted
    into wheels (`numpy.libs/`, `*.libs/`), which patchelf rewrote, and `strip` then corrupts
    them ("ELF load command address/offset not page-aligned" when numpy loads OpenBLAS).
    The executable is skipped too: the Python archive is appended to it.
    """
    if not sys.platform.startswith("linux") or not shutil.which("strip"):
        return 0
    files = []
    for p in bundle.rglob("*"):
        if not p.is_file() or p.is_symlink() or p == exe or any(part.endswith(".libs") for part in p.parts):
            continue
        with p.open("rb") as fh:
            if fh.read(4) == b"\x7fELF":
                files.append(p)
    before = sum(p.stat().st_size for p in files)
    for i in range(0, len(files), 50):
        subprocess.run(["strip", "--strip-unneeded", *map(str, files[i:i + 50])], check=True)
    return before - sum(p.stat().st_size for p in files)


def build(args: argparse.Namespace) -> Path:
    version = cfg.read_version(ROOT)
    name = cfg.bundle_name(version)
    dist = args.dist.resolve()
    work = args.work.resolve()
    staging = work / "staging"
    bundle = dist / name
    if args.clean:
        for d in (work, bundle):
            if d.exists():
                log(f"clean: rm -r {d}")
                shutil.rmtree(d)
    staging.mkdir(parents=True, exist_ok=True)

    log(f"version {version}, bundle {bundle}")
    collect_licenses.collect(staging, ROOT)
    write_schema(staging)

    cmd = [
        *nice_prefix(), sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), "--log-level", args.log_level,
        *(["--clean"] if args.clean else []),
        "--", "--staging", str(staging), "--name", name, "--qt-translations", args.qt_translations,
        *(["--allow-missing-content"] if args.allow_missing_content else []),
    ]
    log("$ " + " ".join(cmd))
    t0 = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, check=True)
    log(f"PyInstaller took {time.monotonic() - t0:.0f} s")

    exe = bundle / (cfg.EXE_NAME + (".exe" if sys.platform == "win32" else ""))
    if args.strip:
        log(f"strip: saved {strip_bundle(bundle, exe) / 1e6:.1f} MB")

    internal = bundle / "_internal"
    if internal.is_dir():  # one-folder layout (Linux, Windows): notices at the top, for people to find
        for leftover in ("licenses", "THIRD_PARTY_NOTICES.md"):
            p = internal / leftover
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        collect_licenses.collect(bundle, ROOT, bundled_system_libraries(internal))
        if sys.platform == "win32":
            exe_cmd, cli_cmd = exe.name, "kiosk-cli.exe"
        else:
            exe_cmd = cli_cmd = f"./{exe.name}"
        (bundle / "README.txt").write_text(
            OPERATOR_README.format(version=version, exe=exe_cmd, cli=cli_cmd, data_dir="_internal"), encoding="utf-8"
        )

    size = du_bytes(bundle)
    log(f"bundle size unpacked: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB), budget {cfg.MAX_BUNDLE_MB} MB")
    if size > cfg.MAX_BUNDLE_MB * 1e6:
        raise SystemExit(f"bundle is {size / 1e6:.1f} MB, over the {cfg.MAX_BUNDLE_MB} MB budget: see left-out.txt")

    if not args.no_archive:
        t0 = time.monotonic()
        app = dist / "Negative Emissions Kiosk.app"
        if sys.platform == "darwin" and app.is_dir():
            # ditto keeps the symlinks inside the Qt frameworks (zipfile would copy them).
            archive = str(dist / f"{name}.zip")
            subprocess.run(["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), archive], check=True)
        else:
            archive = shutil.make_archive(str(dist / name), cfg.archive_format(), root_dir=dist, base_dir=name)
        log(f"archive: {archive} ({Path(archive).stat().st_size / 1e6:.1f} MB, {time.monotonic() - t0:.0f} s)")
    return bundle


def build_from_git(ref: str, argv: list[str], args: argparse.Namespace) -> int:
    """Export `ref` (a clean tree: no uncommitted or untracked files) and build that copy."""
    import io
    import tarfile

    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", f"{ref}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    export = args.work.resolve() / f"source-{sha}"
    if export.exists():
        shutil.rmtree(export)
    export.mkdir(parents=True)
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", sha], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        try:
            tf.extractall(export, filter="data")
        except TypeError:  # Python < 3.11.4 has no extraction filters; git archive output is trusted
            tf.extractall(export)
    log(f"building {ref} ({sha}) from a clean export in {export}")
    rest, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a == "--from-git":
            skip = True
            continue
        if a.startswith("--from-git="):
            continue
        rest.append(a)
    cmd = [sys.executable, str(export / "packaging" / "build.py"), *rest,
           "--dist", str(args.dist.resolve()), "--work", str(args.work.resolve() / f"from-git-{sha}")]
    return subprocess.run(cmd, cwd=export).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the frozen kiosk (PyInstaller one-folder bundle).")
    parser.add_argument("--clean", action="store_true", help="remove PyInstaller's cache and the old bundle first")
    parser.add_argument("--smoke", action="store_true", help="smoke-test the bundle after building")
    parser.add_argument("--smoke-only", action="store_true", help="smoke-test the existing bundle, do not build")
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz/.zip")
    parser.add_argument("--qt-translations", default="auto",
                        help="Qt's own translations to keep: de,fr,... or 'none', 'all', 'auto' (default: auto = "
                             "de,fr,es,it,nl if kiosk/ installs a QTranslator, else none)")
    parser.add_argument("--strip", action=argparse.BooleanOptionalAction, default=sys.platform.startswith("linux"),
                        help="strip symbols from the shared libraries, except auditwheel's *.libs (default: on Linux)")
    parser.add_argument("--from-git", metavar="REF",
                        help="build a clean export of this commit (e.g. HEAD, v0.1.0) instead of the working tree")
    parser.add_argument("--allow-missing-content", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--log-level", default="WARN", help="PyInstaller's log level (default: %(default)s)")
    raw_argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(raw_argv)
    if args.from_git:
        return build_from_git(args.from_git, raw_argv, args)

    bundle = args.dist.resolve() / cfg.bundle_name()
    if not args.smoke_only:
        bundle = build(args)
    if args.smoke or args.smoke_only:
        import smoke

        return smoke.run_all(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
