"""Issue 14: fleet.yaml (located problems, HTTPS rule, key kept apart from content) and opening hours."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.sync import signing
from kiosk.sync.hours import Schedule
from kiosk.sync.settings import find_settings, load_settings


@pytest.fixture
def key(tmp_path):
    return signing.keygen(tmp_path / "k.key", tmp_path / "k.pub", None).public_base64


def write(tmp_path, text):
    p = tmp_path / "fleet.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_good_settings(tmp_path, key):
    r = load_settings(write(tmp_path, f"kiosk_id: hall-a-1\nsync:\n  url: https://cdn.example.org/k/bundle.tar.gz\n  public_key: {key}\n"))
    assert r.ok and r.settings.sync.interval_s == 300 and r.settings.kiosk_id == "hall-a-1"


def test_plain_http_only_to_this_machine(tmp_path, key):
    r = load_settings(write(tmp_path, f"sync:\n  url: http://cdn.example.org/bundle.tar.gz\n  public_key: {key}\n"))
    assert not r.ok and r.settings.sync is None  # a bad file turns sync off, it is never half-used
    assert r.problems[0].headline().startswith("fleet.yaml:2:8: error: sync.url: must use https://")
    r = load_settings(write(tmp_path, f"sync:\n  url: http://localhost:8080/bundle.tar.gz\n  public_key: {key}\n"))
    assert r.ok


def test_bad_key_and_unknown_keys_are_located(tmp_path):
    r = load_settings(write(tmp_path, "sync:\n  url: https://x.org/b.tar.gz\n  public_key: RWnotakey\nheartbeet:\n  url: https://hc/x\n"))
    heads = [p.headline() for p in r.problems]
    assert any(h.startswith("fleet.yaml:3:15: error: sync.public_key: not a minisign public key") for h in heads), heads
    assert any(h.startswith("fleet.yaml:4:1: error: unknown key 'heartbeet'") for h in heads), heads


def test_no_file_means_a_stand_alone_kiosk(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_FLEET", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert find_settings() is None
    r = load_settings(None)
    assert r.ok and r.settings.sync is None and r.settings.heartbeat is None


def test_settings_are_never_read_from_a_downloaded_bundle(tmp_path, monkeypatch, key):
    """The key that vouches for bundles must not come with them."""
    monkeypatch.delenv("KIOSK_FLEET", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    from kiosk.sync.runtime import bundles_dir

    evil = bundles_dir() / "v9"
    evil.mkdir(parents=True)
    (evil / "fleet.yaml").write_text("sync:\n  url: https://evil.example/b.tar.gz\n  public_key: RWQ\n")
    (tmp_path / "fleet.yaml").write_text("kiosk_id: cwd\n")  # nor from the working folder
    assert find_settings() is None
    own = tmp_path / "cfg" / "negative-emissions-kiosk" / "fleet.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(f"sync:\n  url: https://good.example/b.tar.gz\n  public_key: {key}\n")
    assert find_settings() == own


def test_opening_hours():
    s = Schedule({"mon-fri": "09:00-18:00", "sat": "18:00-02:00", "wed": "closed"})
    tue = dt.datetime(2026, 12, 1)  # a Tuesday
    assert not s.is_open(tue.replace(hour=8, minute=59))
    assert s.is_open(tue.replace(hour=9))
    assert not s.is_open(tue.replace(hour=18))
    assert not s.is_open(tue + dt.timedelta(days=1, hours=12))  # Wednesday: closed
    sat = dt.datetime(2026, 12, 5, 23, 0)
    assert s.is_open(sat) and s.is_open(sat + dt.timedelta(hours=2, minutes=30)) is True
    assert not s.is_open(sat + dt.timedelta(hours=3))  # Sunday 02:00, the late evening is over
    assert s.next_opening(tue.replace(hour=20)) == dt.datetime(2026, 12, 3, 9, 0)  # Thursday (Wednesday closed)
    assert Schedule(None).is_open(tue.replace(hour=3))
    assert Schedule({}).next_opening(tue) is None


def test_bad_opening_hours_are_located(tmp_path):
    r = load_settings(write(tmp_path, "opening_hours:\n  mon-fry: '09:00-18:00'\n"))
    assert not r.ok and "not a day" in r.problems[0].message
