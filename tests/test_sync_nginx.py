"""Issue 14, part 2: pulling signed bundles from a real nginx (ETags), and every bad input refused
with the last good content still in use and nothing half-written."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import threading
import time
from pathlib import Path

import pytest

from fleet_helpers import Nginx, Publisher
from kiosk.content.loader import load
from kiosk.sync.client import Syncer
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import BundleStore


@pytest.fixture(autouse=True)
def no_proxy_from_outside(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def site(tmp_path):
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    with Nginx(tmp_path / "www", tmp_path / "nginx") as server:
        yield pub, server


def make_syncer(tmp_path, server, pub, store_root=None, staging=None, **overrides) -> Syncer:
    settings = SyncSettings(url=f"{server.url}/bundle.tar.gz", public_key=pub.keys.public_base64, **overrides)
    store = BundleStore(store_root or tmp_path / "kiosk" / "bundles", keep=settings.keep, staging=staging)
    return Syncer(settings, store)


def shown_title(content: Path) -> str:
    result = load(content)
    assert result.ok, [p.headline() for p in result.errors]
    return result.exhibition.title.get("en")


def assert_last_good(syncer: Syncer, version: int, marker: str) -> None:
    """What a visitor sees: still the last good bundle; and nothing half-written lying about."""
    store = syncer.store
    assert store.current_version == version
    assert shown_title(store.current_content()) == marker
    assert list(store.staging.iterdir()) == []
    names = sorted(p.name for p in store.root.iterdir())
    assert all(n in ("staging", "current", "state.json") or (n.startswith("v") and n[1:].isdigit()) for n in names), names


def start_good(tmp_path, site, **overrides) -> Syncer:
    pub, server = site
    pub.publish(1, "Good one")
    syncer = make_syncer(tmp_path, server, pub, **overrides)
    r = syncer.poll()
    assert r.status == "updated", r.message
    return syncer


def test_pull_then_304_then_new_version(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    assert shown_title(syncer.store.current_content()) == "Good one"
    r = syncer.poll()
    assert r.status == "unchanged"
    status, sent, _, uri = server.log()[-1]
    assert (status, sent, uri) == (304, 0, "/bundle.tar.gz")  # If-None-Match worked: no body
    pub.publish(2, "Second one")
    r = syncer.poll()
    assert r.status == "updated" and r.version == 2
    assert shown_title(syncer.store.current_content()) == "Second one"
    assert syncer.store.versions() == [1, 2]  # the previous bundle is kept for rollback
    assert syncer.store.rollback() == 1
    assert shown_title(syncer.store.current_content()) == "Good one"


def test_keeps_only_the_last_bundles(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site, keep=2)
    for v in (2, 3, 4):
        pub.publish(v, f"Number {v}")
        assert syncer.poll().status == "updated"
    assert syncer.store.versions() == [3, 4]


def test_signature_from_another_key_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    pub.publish(2, "Evil one", key=pub.other.secret)
    r = syncer.poll()
    assert r.status == "refused" and "signature" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_missing_signature_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    pub.publish(2, "Unsigned", sign=False)
    r = syncer.poll()
    assert r.status == "refused" and "no signature" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_tampered_archive_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    pub.publish(2, "Second one")
    served = pub.webroot / "bundle.tar.gz"
    data = bytearray(served.read_bytes())
    data[-100] ^= 0xFF
    served.write_bytes(bytes(data))
    r = syncer.poll()
    assert r.status == "refused" and "signature does not match" in r.message
    assert_last_good(syncer, 1, "Good one")


def signed_archive(pub: Publisher, tmp: Path, members: dict[str, bytes], manifest: dict | None = None) -> None:
    """A hand-made archive signed with the RIGHT key: what a stolen key or a buggy tool could publish."""
    files = {n: {"sha256": __import__("hashlib").sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    body = manifest or {"format": 1, "version": 9, "created": "", "files": files}
    archive = tmp / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [("manifest.json", json.dumps(body).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    pub.replace(archive, pub.sign_raw(archive))


def good_files(v: int = 1) -> dict[str, bytes]:
    base = Path(__file__).resolve().parent.parent
    return {"content.yaml": (base / "content.yaml").read_bytes()}


def test_path_escaping_the_folder_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    members = {**good_files(), "../../escaped.txt": b"outside"}
    signed_archive(pub, tmp_path, members)
    r = syncer.poll()
    assert r.status == "refused" and "escapes" in r.message
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("escaped.txt"))
    assert_last_good(syncer, 1, "Good one")


def test_hash_mismatch_inside_a_signed_archive_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    members = good_files()
    files = {"content.yaml": {"sha256": "0" * 64, "size": len(members["content.yaml"])}}
    signed_archive(pub, tmp_path, members, {"format": 1, "version": 9, "files": files})
    r = syncer.poll()
    assert r.status == "refused" and "SHA-256" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_archive_unpacking_over_the_limit_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site, max_unpacked_mb=5)
    # 64 MiB of zeros: a ~64 KiB download that would fill a disk (a "zip bomb")
    signed_archive(pub, tmp_path, {**good_files(), "assets/zeros.bin": bytes(64 * 1024 * 1024)})
    assert (pub.webroot / "bundle.tar.gz").stat().st_size < 1024 * 1024
    r = syncer.poll()
    assert r.status == "refused" and "more than 5 MiB" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_downgrade_is_refused(tmp_path, site):
    pub, server = site
    pub.publish(5, "Version five")
    syncer = make_syncer(tmp_path, server, pub)
    assert syncer.poll().status == "updated"
    pub.publish(4, "Older one")
    r = syncer.poll()
    assert r.status == "refused" and "downgrade" in r.message
    assert_last_good(syncer, 5, "Version five")


def test_content_the_checker_rejects_is_refused(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    bad = good_files()["content.yaml"].replace(b"default: en", b"default: xx", 1)
    signed_archive(pub, tmp_path, {"content.yaml": bad})
    r = syncer.poll()
    assert r.status == "refused" and "errors" in r.message and "content.yaml:" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_server_down(tmp_path, site):
    pub, server = site
    syncer = start_good(tmp_path, site)
    server.stop()
    r = syncer.poll()
    assert r.status == "unreachable"
    assert_last_good(syncer, 1, "Good one")


def test_slow_server_times_out(tmp_path):
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    pub.publish(1, "Good one")
    with Nginx(tmp_path / "www", tmp_path / "nginx") as fast:
        syncer = make_syncer(tmp_path, fast, pub, timeout_s=0.5, max_download_s=1.5)
        assert syncer.poll().status == "updated"
    pub.publish(2, "Second one")
    with Nginx(tmp_path / "www", tmp_path / "nginx2", extra="limit_rate 20k;") as slow:
        syncer.settings = syncer.settings.model_copy(update={"url": f"{slow.url}/bundle.tar.gz"})
        started = time.monotonic()
        r = syncer.poll()
        took = time.monotonic() - started
    assert r.status == "unreachable" and "too slow" in r.message
    assert took < 5  # the silence timeout or the deadline, not the 27 s the download would take
    assert_last_good(syncer, 1, "Good one")


def test_garbage_answer(tmp_path):
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    pub.publish(1, "Good one")
    with Nginx(tmp_path / "www", tmp_path / "nginx") as ok:
        syncer = make_syncer(tmp_path, ok, pub)
        assert syncer.poll().status == "updated"
    extra = 'location / { return 200 "<html>Welcome to the hotel wifi</html>"; }'
    with Nginx(tmp_path / "www", tmp_path / "nginx2", extra=extra) as garbage:
        syncer.settings = syncer.settings.model_copy(update={"url": f"{garbage.url}/bundle.tar.gz"})
        r = syncer.poll()
    assert r.status == "refused" and "malformed signature" in r.message
    assert_last_good(syncer, 1, "Good one")


def test_truncated_download_when_the_server_dies_midway(tmp_path):
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    pub.publish(1, "Good one")
    with Nginx(tmp_path / "www", tmp_path / "nginx") as ok:
        syncer = make_syncer(tmp_path, ok, pub)
        assert syncer.poll().status == "updated"
    pub.publish(2, "Second one")
    server = Nginx(tmp_path / "www", tmp_path / "nginx2", extra="limit_rate 100k;").start()
    syncer.settings = syncer.settings.model_copy(update={"url": f"{server.url}/bundle.tar.gz"})
    results = []
    t = threading.Thread(target=lambda: results.append(syncer.poll()))
    t.start()
    time.sleep(1.0)  # about 100 KB of the 540 KB are through
    # SIGKILL nginx's worker (the master's child) mid-transfer, then the master: a dead server
    subprocess.run(["pkill", "-KILL", "-P", str(server.proc.pid)], check=False)
    server.proc.kill()
    t.join(30)
    server.stop()
    r = results[0]
    assert r.status == "unreachable" and ("truncated" in r.message or "broke off" in r.message), r.message
    assert_last_good(syncer, 1, "Good one")


def test_redirect_to_plain_http_elsewhere_is_refused(tmp_path, site):
    pub, server = site
    pub.publish(1, "Good one")
    extra = "location = /moved.tar.gz { return 302 http://content.example.org/bundle.tar.gz; }"
    with Nginx(tmp_path / "www", tmp_path / "nginx-redirect", extra=extra) as redirecting:
        syncer = make_syncer(tmp_path, redirecting, pub)
        syncer.settings = syncer.settings.model_copy(update={"url": f"{redirecting.url}/moved.tar.gz"})
        r = syncer.poll()
    assert r.status == "unreachable" and "redirected" in r.message and "https" in r.message
    assert syncer.store.current_version is None and list(syncer.store.staging.iterdir()) == []


def test_proxy_from_the_environment_is_used(tmp_path, site, monkeypatch):
    pub, origin = site
    pub.publish(1, "Good one")
    proxy = Nginx(tmp_path / "empty", tmp_path / "proxy", extra=f"location / {{ proxy_pass {origin.url}; }}")
    (tmp_path / "empty").mkdir()
    with proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        syncer = make_syncer(tmp_path, origin, pub)
        assert syncer.poll().status == "updated"
        assert any(uri == "/bundle.tar.gz" and status == 200 for status, _, _, uri in proxy.log())


@pytest.fixture
def tiny_disk(tmp_path, monkeypatch):
    """A 256 KiB file system for the staging folder (tmpfs, as root); without root, the same
    ENOSPC the kernel gives, raised by the writes into that folder."""
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(tiny)], capture_output=True
    ).returncode == 0
    if not mounted:
        import builtins

        from kiosk.sync import bundle, client

        def limited_open(file, mode="r", *a, **k):
            f = builtins.open(file, mode, *a, **k)
            if not str(file).startswith(str(tiny)) or not any(c in mode for c in "wx"):
                return f
            real_write = f.write
            state = {"n": 0}

            def write(b):
                state["n"] += len(b)
                if state["n"] > 256 * 1024:
                    raise OSError(28, "No space left on device")
                return real_write(b)

            f.write = write
            return f

        monkeypatch.setattr(client, "open", limited_open, raising=False)
        monkeypatch.setattr(bundle, "open", limited_open, raising=False)
    yield tiny / "staging"
    if mounted:
        subprocess.run(["umount", "-l", str(tiny)])


def test_full_disk_keeps_the_last_good(tmp_path, site, tiny_disk):
    pub, server = site
    syncer = start_good(tmp_path, site)
    pub.publish(2, "Second one")
    full = make_syncer(tmp_path, server, pub, store_root=syncer.store.root, staging=tiny_disk)
    r = full.poll()
    assert r.status == "refused" and "disk full" in r.message, r.message
    assert_last_good(full, 1, "Good one")
    assert syncer.store.state().get("version") == 1
