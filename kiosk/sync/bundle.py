"""Content bundles: content.yaml and every asset it names in one archive, with a manifest.

Archive (`bundle.tar.gz`, deterministic: sorted, zero times and owners)::

    manifest.json   {"format": 1, "version": N, "created": "...", "files": {path: {"sha256", "size"}}}
    content.yaml
    assets/...      only the files content.yaml names (+ licence files beside named fonts)

The version is an integer that only goes up (default: the build time in Unix seconds, and always
above the last bundle found in the output folder). The signature (`bundle.tar.gz.minisig`) covers
the whole archive, so nothing is unpacked before it is checked.

`unpack(archive, dest, limits)` refuses anything a malicious or broken archive could do: paths
that are absolute or climb out with `..`, links and devices, more bytes or files than allowed,
files the manifest does not list (or lists but are missing), and any hash mismatch.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kiosk.content.loader import LoadResult, load
from kiosk.content.semantic import assets, resolve_asset

ARCHIVE_NAME = "bundle.tar.gz"
MANIFEST_NAME = "manifest.json"
CONTENT_NAME = "content.yaml"
FORMAT = 1
LICENCE_NAMES = ("OFL.txt", "LICENSE", "LICENSE.txt", "COPYING")


class BundleError(Exception):
    """A bundle cannot be built, or an archive is refused; the message says why."""


@dataclass(frozen=True)
class Limits:
    max_archive_bytes: int = 200 * 1024 * 1024
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_files: int = 5000


@dataclass
class Manifest:
    version: int
    files: dict[str, dict] = field(default_factory=dict)
    created: str = ""
    format: int = FORMAT

    def to_json(self) -> bytes:
        body = {"format": self.format, "version": self.version, "created": self.created, "files": self.files}
        return json.dumps(body, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        try:
            body = json.loads(data.decode("utf-8"))
            version = body["version"]
            files = body["files"]
            fmt = body.get("format", FORMAT)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise BundleError(f"manifest.json is not a bundle manifest ({exc})") from exc
        if fmt != FORMAT:
            raise BundleError(f"manifest format {fmt!r} is not supported (this kiosk reads {FORMAT})")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise BundleError(f"manifest version must be a positive integer, got {version!r}")
        if not isinstance(files, dict) or CONTENT_NAME not in files:
            raise BundleError("manifest lists no content.yaml")
        for name, entry in files.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or not isinstance(entry.get("size"), int):
                raise BundleError(f"manifest entry for {name!r} needs sha256 and size")
        return cls(version=version, files=files, created=str(body.get("created", "")), format=fmt)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def bundle_files(result: LoadResult) -> list[str]:
    """Relative paths (posix) of content.yaml and every file it names, plus licences beside fonts."""
    base = result.base_dir.resolve()
    names = {CONTENT_NAME}
    assert result.exhibition is not None
    for _loc, written, _types, what in assets(result.exhibition):
        target = resolve_asset(base, written)
        if target is None or not target.is_file():
            raise BundleError(f"asset {written!r} is missing or outside the content folder")
        names.add(target.relative_to(base).as_posix())
        if what == "font":
            for licence in LICENCE_NAMES:
                beside = target.parent / licence
                if beside.is_file():
                    names.add(beside.relative_to(base).as_posix())
    return sorted(names)


def read_manifest(archive: Path) -> Manifest:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.getmember(MANIFEST_NAME)
        fh = tar.extractfile(member)
        if fh is None:
            raise BundleError("manifest.json is not a file")
        return Manifest.from_json(fh.read(1 << 20))


def build(content: Path, out_dir: Path, version: int | None = None) -> tuple[Path, Manifest, LoadResult]:
    """Check the content exactly as `kiosk check` does, then write `out_dir/bundle.tar.gz`."""
    result = load(content)
    if not result.ok:
        raise BundleError(f"{content}: `kiosk check` rejects this content ({len(result.errors)} errors)")
    if content.name != CONTENT_NAME:
        raise BundleError(f"the content file must be called {CONTENT_NAME}, not {content.name}")
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / ARCHIVE_NAME
    previous = 0
    if archive.is_file():
        try:
            previous = read_manifest(archive).version
        except (BundleError, tarfile.TarError, KeyError, OSError):
            previous = 0
    if version is None:
        version = max(int(time.time()), previous + 1)
    elif version <= previous:
        raise BundleError(f"version {version} is not above the last bundle in {out_dir} ({previous}); versions only go up")
    base = result.base_dir
    names = bundle_files(result)
    manifest = Manifest(
        version=version,
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        files={n: {"sha256": sha256_file(base / n), "size": (base / n).stat().st_size} for n in names},
    )
    tmp = archive.with_name(archive.name + ".tmp")
    with open(tmp, "wb") as raw:
        # mtime=0 in the gzip header and the tar entries: the same content gives the same bytes.
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST_NAME, manifest.to_json())
                for n in names:
                    _add_bytes(tar, n, (base / n).read_bytes())
    os.replace(tmp, archive)
    return archive, manifest, result


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _safe_name(name: str) -> str:
    p = PurePosixPath(name)
    if name.startswith(("/", "\\")) or p.is_absolute() or ".." in p.parts or "\\" in name or ":" in name or not p.parts:
        raise BundleError(f"archive path {name!r} escapes the bundle folder")
    return p.as_posix()


def unpack(archive: Path, dest: Path, limits: Limits = Limits()) -> Manifest:
    """Unpack a (signature-checked) archive into the empty folder `dest`, verifying everything.

    Sizes are checked from the headers before anything is written and again while writing
    (a header can lie about nothing that matters here: data past `size` is not read)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = []
            total = 0
            for i, m in enumerate(tar):
                if i >= limits.max_files:
                    raise BundleError(f"archive holds more than {limits.max_files} files")
                name = _safe_name(m.name)
                if not m.isfile():
                    if m.isdir():
                        continue
                    raise BundleError(f"archive entry {name!r} is a link or device; only plain files are allowed")
                total += m.size
                if total > limits.max_unpacked_bytes:
                    raise BundleError(
                        f"archive would unpack to more than {limits.max_unpacked_bytes // (1024 * 1024)} MiB; refused"
                    )
                members.append((name, m))
            by_name = dict(members)
            if MANIFEST_NAME not in by_name:
                raise BundleError("archive has no manifest.json")
            fh = tar.extractfile(by_name[MANIFEST_NAME])
            manifest = Manifest.from_json(fh.read(1 << 20) if fh else b"")
            listed = set(manifest.files)
            present = set(by_name) - {MANIFEST_NAME}
            if present - listed:
                raise BundleError(f"archive holds files the manifest does not list: {sorted(present - listed)[:3]}")
            if listed - present:
                raise BundleError(f"files listed in the manifest are missing: {sorted(listed - present)[:3]}")
            for name in sorted(listed):
                _safe_name(name)
                entry = manifest.files[name]
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(by_name[name])
                if src is None:
                    raise BundleError(f"cannot read {name!r} from the archive")
                h = hashlib.sha256()
                written = 0
                with open(target, "xb") as out:
                    for chunk in iter(lambda: src.read(1 << 16), b""):
                        written += len(chunk)
                        if written > entry["size"]:
                            break
                        h.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if written != entry["size"] or h.hexdigest() != entry["sha256"]:
                    raise BundleError(f"{name}: content does not match the manifest's SHA-256 (tampered or damaged)")
            return manifest
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib_error()) as exc:
        raise BundleError(f"archive is damaged or truncated ({exc.__class__.__name__}: {exc})") from exc


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error
