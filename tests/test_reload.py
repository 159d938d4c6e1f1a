"""Hot reload: good edits reload, bad edits are rejected and the last good content stays."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content.loader import LoadResult
from kiosk.ui.reload import ContentWatcher

HERE = Path(__file__).resolve().parent
VALID = (HERE / "broken" / "valid_minimal.yaml").read_text(encoding="utf-8")
WAIT_MS = 3000


@pytest.fixture
def content(tmp_path: Path) -> Path:
    (tmp_path / "assets" / "fonts").mkdir(parents=True)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(HERE.parent / "assets" / "fonts" / name, tmp_path / "assets" / "fonts" / name)
    path = tmp_path / "content.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


@pytest.fixture
def watcher(qtbot, content: Path) -> Iterator[ContentWatcher]:
    w = ContentWatcher(content, settle_ms=50)
    yield w
    w.close()
    w.deleteLater()
    qtbot.wait(10)


def retitled(title: str) -> str:
    return VALID.replace('title: {en: "Taking CO2 back", de: "CO2 zurückholen"}', f'title: {{en: "{title}", de: "{title}"}}')


def test_starts_with_the_good_content(watcher: ContentWatcher, content: Path) -> None:
    assert watcher.last_good is not None and watcher.last_good.ok
    assert watcher.current_problems == []
    assert str(content) in watcher.watched and str(content.parent) in watcher.watched
    assert str(content.parent / "assets" / "fonts") in watcher.watched


def test_good_edit_reloads_within_a_second(qtbot, content: Path) -> None:
    w = ContentWatcher(content)  # the default settle time
    try:
        with qtbot.waitSignal(w.reloaded, timeout=1000) as blocker:
            content.write_text(retitled("New title"), encoding="utf-8")
        result: LoadResult = blocker.args[0]
        assert result.ok and result.exhibition is not None
        assert result.exhibition.title.get("en") == "New title"
        assert w.last_good is result
    finally:
        w.close()
        w.deleteLater()


def test_bad_edit_is_rejected_and_fixing_it_reloads(qtbot, watcher: ContentWatcher, content: Path) -> None:
    good = watcher.last_good
    with qtbot.assertNotEmitted(watcher.reloaded, wait=0):
        with qtbot.waitSignal(watcher.rejected, timeout=WAIT_MS) as blocker:
            content.write_text(VALID.replace("rate: 37.4", "rate: abc"), encoding="utf-8")
    bad: LoadResult = blocker.args[0]
    assert [p.headline() for p in bad.errors] == ["content.yaml:76:17: error: expected a number, got 'abc'"]
    assert watcher.last_good is good
    assert watcher.current_problems == bad.problems

    with qtbot.waitSignal(watcher.reloaded, timeout=WAIT_MS) as blocker:
        content.write_text(retitled("Fixed"), encoding="utf-8")
    assert blocker.args[0].exhibition.title.get("en") == "Fixed"
    assert watcher.current_problems == []
    assert watcher.last_good is blocker.args[0]


def test_delete_is_rejected_and_restoring_reloads(qtbot, watcher: ContentWatcher, content: Path) -> None:
    good = watcher.last_good
    with qtbot.waitSignal(watcher.rejected, timeout=WAIT_MS) as blocker:
        content.unlink()
    assert [p.message for p in blocker.args[0].problems] == ["content file is missing"]
    assert watcher.last_good is good

    with qtbot.waitSignal(watcher.reloaded, timeout=WAIT_MS) as blocker:
        content.write_text(VALID, encoding="utf-8")  # the same content again: still the all-clear
    assert blocker.args[0].ok
    assert watcher.current_problems == []


def test_rename_over_save_is_seen_and_watched_again(qtbot, watcher: ContentWatcher, content: Path) -> None:
    temp = content.with_name(".content.yaml.tmp")
    temp.write_text(retitled("Renamed over"), encoding="utf-8")
    with qtbot.waitSignal(watcher.reloaded, timeout=WAIT_MS) as blocker:
        os.replace(temp, content)
    assert blocker.args[0].exhibition.title.get("en") == "Renamed over"
    assert str(content) in watcher.watched
    # The file has a new inode now: an in-place save after the rename must still be seen.
    with qtbot.waitSignal(watcher.reloaded, timeout=WAIT_MS) as blocker:
        content.write_text(retitled("Then edited in place"), encoding="utf-8")
    assert blocker.args[0].exhibition.title.get("en") == "Then edited in place"


def test_saving_the_same_content_emits_nothing(qtbot, watcher: ContentWatcher, content: Path) -> None:
    with qtbot.assertNotEmitted(watcher.reloaded, wait=400), qtbot.assertNotEmitted(watcher.rejected, wait=0):
        content.write_text(VALID, encoding="utf-8")


def test_replacing_an_asset_reloads(qtbot, watcher: ContentWatcher, content: Path) -> None:
    font = content.parent / "assets" / "fonts" / "NotoSans-Bold.ttf"
    with qtbot.waitSignal(watcher.reloaded, timeout=WAIT_MS):
        shutil.copy(HERE.parent / "assets" / "fonts" / "NotoSans-Regular.ttf", font)


def test_removing_an_asset_is_rejected(qtbot, watcher: ContentWatcher, content: Path) -> None:
    with qtbot.waitSignal(watcher.rejected, timeout=WAIT_MS) as blocker:
        (content.parent / "assets" / "fonts" / "NotoSans-Bold.ttf").unlink()
    assert [p.headline() for p in blocker.args[0].errors] == [
        "content.yaml:9:14: error: font not found: 'assets/fonts/NotoSans-Bold.ttf', did you mean 'NotoSans-Regular.ttf'?"
    ]


def test_starting_with_bad_content_has_no_last_good(qtbot, content: Path) -> None:
    content.write_text("title: [", encoding="utf-8")
    w = ContentWatcher(content, settle_ms=50)
    try:
        assert w.last_good is None
        assert w.current_problems and w.current_problems[0].is_error
        with qtbot.waitSignal(w.reloaded, timeout=WAIT_MS):
            content.write_text(VALID, encoding="utf-8")
        assert w.last_good is not None and w.last_good.ok
    finally:
        w.close()
        w.deleteLater()


def test_rejected_problems_are_logged_as_headlines(qtbot, watcher: ContentWatcher, content: Path, caplog) -> None:
    with caplog.at_level("WARNING", logger="kiosk.ui.reload"):
        with qtbot.waitSignal(watcher.rejected, timeout=WAIT_MS):
            content.write_text(VALID.replace("rate: 37.4", "rate: abc"), encoding="utf-8")
    assert "content.yaml:76:17: error: expected a number, got 'abc'" in caplog.messages
