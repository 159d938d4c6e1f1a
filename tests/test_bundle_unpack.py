"""Issue 14: what `bundle.unpack` refuses in an archive, whoever signed it."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest

from kiosk.sync.bundle import BundleError, Limits, unpack

CONTENT = b"title: {en: x}\n"


def archive(tmp_path, members, manifest_files=None, kinds=None):
    files = manifest_files if manifest_files is not None else {
        n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items() if isinstance(d, bytes)
    }
    path = tmp_path / "b.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        body = json.dumps({"format": 1, "version": 2, "files": files}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(data, tuple):  # (type, linkname)
                info.type, info.linkname = data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "name",
    ["/etc/evil", "../evil", "assets/../../evil", "C:\\evil", "assets\\..\\..\\evil"],
)
def test_paths_out_of_the_folder(tmp_path, name):
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(BundleError, match="escapes"):
        unpack(archive(tmp_path, {"content.yaml": CONTENT, name: b"x"}), dest)
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.CHRTYPE, tarfile.FIFOTYPE])
def test_links_and_devices(tmp_path, kind):
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(BundleError, match="only plain files"):
        unpack(archive(tmp_path, {"content.yaml": CONTENT, "assets/x": (kind, "/etc/passwd")}), dest)


def test_too_many_files_and_too_many_bytes(tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    many = {"content.yaml": CONTENT, **{f"assets/{i}": b"x" for i in range(20)}}
    with pytest.raises(BundleError, match="more than 10 files"):
        unpack(archive(tmp_path, many), dest, Limits(max_files=10))
    with pytest.raises(BundleError, match="more than 1 MiB"):
        unpack(archive(tmp_path, {"content.yaml": CONTENT, "big": bytes(2 * 1024 * 1024)}), dest, Limits(max_unpacked_bytes=1024 * 1024))


def test_unlisted_missing_and_changed_files(tmp_path):
    listed = {"content.yaml": {"sha256": hashlib.sha256(CONTENT).hexdigest(), "size": len(CONTENT)}}
    for members, files, words in [
        ({"content.yaml": CONTENT, "extra": b"x"}, listed, "does not list"),
        ({"content.yaml": CONTENT}, {**listed, "assets/gone.png": {"sha256": "0" * 64, "size": 1}}, "missing"),
        ({"content.yaml": CONTENT + b"#"}, listed, "SHA-256"),
    ]:
        dest = tmp_path / f"dest-{words}"
        dest.mkdir()
        with pytest.raises(BundleError, match=words):
            unpack(archive(tmp_path, members, files), dest)


def test_a_truncated_archive(tmp_path):
    path = archive(tmp_path, {"content.yaml": CONTENT * 1000})
    path.write_bytes(path.read_bytes()[:-40])
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(BundleError, match="damaged or truncated"):
        unpack(path, dest)
