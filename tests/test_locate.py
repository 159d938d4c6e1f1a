"""Where the kiosk finds its content: from source and frozen (PyInstaller), without a real bundle.

A frozen kiosk is faked with monkeypatched sys.frozen / sys.executable / sys._MEIPASS and a
per-user config folder in tmp_path, so the order an operator relies on is pinned down:
--content, next to the executable, the per-user config folder, the bundled default.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk import locate


def _write(path: Path, text: str = "title: x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    """The per-user config folder, redirected into tmp_path."""
    folder = tmp_path / "config" / locate.APP_NAME
    monkeypatch.setattr(locate, "user_config_path", lambda name: tmp_path / "config" / name)
    return folder


@pytest.fixture
def frozen(tmp_path, monkeypatch, config_dir) -> Path:
    """A fake one-folder bundle: <bundle>/negative-emissions-kiosk and <bundle>/_internal/."""
    bundle = tmp_path / "bundle"
    internal = bundle / "_internal"
    internal.mkdir(parents=True)
    exe = bundle / "negative-emissions-kiosk"
    exe.write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return bundle


# ------------------------------------------------------------------ from source


def test_source_tree_defaults_are_the_repo(config_dir, tmp_path, monkeypatch, repo):
    monkeypatch.chdir(tmp_path)
    assert locate.bundled_root() == repo
    assert locate.candidates()[-1] == repo / "content.yaml"


def test_source_order_is_working_folder_then_config_then_repo(config_dir, tmp_path, monkeypatch, repo):
    monkeypatch.chdir(tmp_path)
    assert locate.candidates() == [tmp_path / "content.yaml", config_dir / "content.yaml", repo / "content.yaml"]
    user = _write(config_dir / "content.yaml")
    assert locate.find_content() == user
    here = _write(tmp_path / "content.yaml")
    assert locate.find_content() == here


def test_explicit_path_wins_even_when_missing(config_dir, tmp_path):
    _write(config_dir / "content.yaml")
    missing = tmp_path / "nope.yaml"
    assert locate.find_content(missing) == missing
    assert locate.candidates(missing) == [missing]


# ------------------------------------------------------------------ frozen


def test_frozen_bundled_root_is_the_data_folder(frozen):
    assert locate.bundled_root() == frozen / "_internal"


def test_frozen_order_next_to_exe_then_config_then_bundled(frozen, config_dir):
    assert locate.candidates() == [
        frozen / "content.yaml",
        config_dir / "content.yaml",
        frozen / "_internal" / "content.yaml",
    ]
    bundled = _write(frozen / "_internal" / "content.yaml")
    assert locate.find_content() == bundled
    user = _write(config_dir / "content.yaml")
    assert locate.find_content() == user
    beside = _write(frozen / "content.yaml")
    assert locate.find_content() == beside
    explicit = _write(frozen.parent / "elsewhere" / "show.yaml")
    assert locate.find_content(explicit) == explicit


def test_frozen_ignores_the_working_folder(frozen, config_dir):
    """systemd/xinit start the kiosk in $HOME: a stray content.yaml there must not take over."""
    bundled = _write(frozen / "_internal" / "content.yaml")
    _write(Path.cwd() / "content.yaml")
    assert Path.cwd() / "content.yaml" not in locate.candidates()
    assert locate.find_content() == bundled


def test_frozen_without_meipass_uses_the_executable_folder(frozen, monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS")
    assert locate.bundled_root() == frozen


def test_frozen_with_nothing_found_returns_the_first_candidate(frozen):
    assert locate.find_content() == frozen / "content.yaml"


def test_macos_app_also_looks_beside_the_app(tmp_path, monkeypatch, config_dir):
    app = tmp_path / "Kiosk" / "Negative Emissions Kiosk.app"
    macos = app / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(macos / "negative-emissions-kiosk"))
    monkeypatch.setattr(sys, "_MEIPASS", str(app / "Contents" / "Frameworks"), raising=False)
    beside_app = _write(tmp_path / "Kiosk" / "content.yaml")
    assert locate.candidates()[:2] == [macos / "content.yaml", beside_app]
    assert locate.find_content() == beside_app


def test_user_config_dir_is_platformdirs_for_the_app_name(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(locate, "user_config_path", lambda name: seen.append(name) or tmp_path / name)
    assert locate.user_config_dir() == tmp_path / "negative-emissions-kiosk"
    assert seen == ["negative-emissions-kiosk"]
