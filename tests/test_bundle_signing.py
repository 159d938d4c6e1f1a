"""Issue 14, part 1: `kiosk bundle build / keygen / sign / verify`, interoperable with `minisign`."""

from __future__ import annotations

import json
import subprocess
import tarfile

import pytest

from fleet_helpers import content_copy
from kiosk.cli import main as kiosk
from kiosk.sync import bundle, signing


@pytest.fixture
def content(tmp_path):
    return content_copy(tmp_path / "site", "Fleet test v1")


def build(content, out, version=None):
    argv = ["bundle", "build", str(content), "--out", str(out)]
    if version is not None:
        argv += ["--version", str(version)]
    return kiosk(argv)


def test_build_packs_content_and_every_named_asset_with_hashes(content, tmp_path):
    assert build(content, tmp_path / "out", 7) == 0
    archive = tmp_path / "out" / "bundle.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["version"] == 7
    assert names == {"manifest.json", *manifest["files"]}
    # the fonts content.yaml names, their licence, the file itself; nothing else from the folder
    assert {"content.yaml", "assets/fonts/NotoSans-Regular.ttf", "assets/fonts/NotoSans-Bold.ttf", "assets/fonts/OFL.txt"} == set(
        manifest["files"]
    )
    regular = manifest["files"]["assets/fonts/NotoSans-Regular.ttf"]
    assert regular["sha256"] == bundle.sha256_file(content.parent / "assets/fonts/NotoSans-Regular.ttf")
    assert regular["size"] == (content.parent / "assets/fonts/NotoSans-Regular.ttf").stat().st_size


def test_build_refuses_content_that_kiosk_check_rejects(content, tmp_path, capsys):
    text = content.read_text(encoding="utf-8").replace("default: en", "default: xx", 1)
    content.write_text(text, encoding="utf-8")
    assert kiosk(["check", str(content)]) == 1
    assert build(content, tmp_path / "out") == 1
    assert "kiosk check" in capsys.readouterr().err
    assert not (tmp_path / "out" / "bundle.tar.gz").exists()


def test_versions_only_go_up(content, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(content, out, 10) == 0
    assert build(content, out, 10) == 1
    assert "only go up" in capsys.readouterr().err
    assert bundle.read_manifest(out / "bundle.tar.gz").version == 10
    assert build(content, out) == 0  # default: the build time, above 10
    assert bundle.read_manifest(out / "bundle.tar.gz").version > 10


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


@pytest.mark.parametrize("legacy", [False, True], ids=["prehashed", "legacy"])
def test_signed_by_us_verified_by_minisign(content, tmp_path, legacy):
    out = tmp_path / "out"
    build(content, out, 3)
    pw = tmp_path / "pw"
    pw.write_text("correct horse\n")
    key, pub = tmp_path / "k.key", tmp_path / "k.pub"
    assert kiosk(["bundle", "keygen", "--key", str(key), "--pub", str(pub), "--password-file", str(pw)]) == 0
    argv = ["bundle", "sign", str(out / "bundle.tar.gz"), "--key", str(key), "--password-file", str(pw)]
    assert kiosk(argv + (["--legacy"] if legacy else [])) == 0
    r = run(["minisign", "-V", "-p", str(pub), "-m", str(out / "bundle.tar.gz")])
    assert r.returncode == 0, r.stderr
    assert "version:3" in r.stdout  # the trusted comment names the bundle version
    # -H demands a prehashed signature: it tells the two kinds apart, as minisign made them
    r = run(["minisign", "-V", "-H", "-p", str(pub), "-m", str(out / "bundle.tar.gz")])
    assert (r.returncode == 0) == (not legacy)
    # and minisign can sign with our password-protected secret key
    r = run(["minisign", "-S", "-s", str(key), "-m", str(content), "-x", str(tmp_path / "c.sig")], input="correct horse\n")
    assert r.returncode == 0, r.stderr
    assert run(["minisign", "-V", "-p", str(pub), "-m", str(content), "-x", str(tmp_path / "c.sig")]).returncode == 0


@pytest.mark.parametrize("legacy", [False, True], ids=["prehashed", "legacy"])
def test_signed_by_minisign_verified_by_us(content, tmp_path, legacy):
    out = tmp_path / "out"
    build(content, out, 4)
    key, pub = tmp_path / "m.key", tmp_path / "m.pub"
    r = run(["minisign", "-G", "-p", str(pub), "-s", str(key)], input="pw\npw\n")
    assert r.returncode == 0, r.stderr
    archive = out / "bundle.tar.gz"
    r = run(["minisign", "-S", *(["-l"] if legacy else []), "-s", str(key), "-m", str(archive)], input="pw\n")
    assert r.returncode == 0, r.stderr
    sig = (out / "bundle.tar.gz.minisig").read_bytes()
    key_obj = signing.public_key(pub.read_text())
    signing.verify(archive, sig, key_obj)
    assert kiosk(["bundle", "verify", str(archive), "--pub", str(pub)]) == 0
    # the same signature over one changed byte is refused
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    archive.write_bytes(bytes(data))
    with pytest.raises(signing.SignatureError):
        signing.verify(archive, sig, key_obj)
    assert kiosk(["bundle", "verify", str(archive), "--pub", str(pub)]) == 1


def test_our_tool_signs_with_a_minisign_key(content, tmp_path):
    out = tmp_path / "out"
    build(content, out, 5)
    key, pub = tmp_path / "m.key", tmp_path / "m.pub"
    assert run(["minisign", "-G", "-W", "-p", str(pub), "-s", str(key)]).returncode == 0
    assert kiosk(["bundle", "sign", str(out / "bundle.tar.gz"), "--key", str(key)]) == 0
    assert run(["minisign", "-V", "-p", str(pub), "-m", str(out / "bundle.tar.gz")]).returncode == 0


def test_signature_from_another_key_is_refused(content, tmp_path):
    out = tmp_path / "out"
    build(content, out, 6)
    a = signing.keygen(tmp_path / "a.key", tmp_path / "a.pub", None)
    signing.keygen(tmp_path / "b.key", tmp_path / "b.pub", None)
    signing.sign_file(out / "bundle.tar.gz", tmp_path / "b.key", None)
    with pytest.raises(signing.SignatureError):
        signing.verify(out / "bundle.tar.gz", (out / "bundle.tar.gz.minisig").read_bytes(), signing.public_key(a.public_base64))
