"""Logs of unattended days go to rotating files, or to stderr when the folder cannot be written."""

from __future__ import annotations

import logging
import pytest

from kiosk.logs import setup_logging, teardown_logging


@pytest.fixture
def clean_logging():
    root = logging.getLogger()
    level = root.level
    yield
    teardown_logging()
    root.setLevel(level)


def test_logs_go_to_a_rotating_file(tmp_path, clean_logging):
    path = setup_logging("kiosk.log", log_dir=tmp_path / "logs", stderr=False, max_bytes=2000, backups=2)
    assert path == tmp_path / "logs" / "kiosk.log"
    for i in range(100):
        logging.getLogger("kiosk.test").info("visitor count %d, a line long enough to fill the file", i)
    teardown_logging()
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]  # rotated, never more than 1 + backups
    assert all(p.stat().st_size <= 2100 for p in (tmp_path / "logs").iterdir())
    assert "visitor count 99" in (tmp_path / "logs" / "kiosk.log").read_text()


def test_second_set_up_does_not_double_the_handlers(tmp_path, clean_logging):
    setup_logging(log_dir=tmp_path, stderr=True)
    setup_logging(log_dir=tmp_path, stderr=True)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_kiosk_handler", False)]
    assert len(ours) == 2  # one console, one file


def test_unwritable_folder_falls_back_to_stderr(tmp_path, clean_logging, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    assert setup_logging(log_dir=blocker / "logs") is None
    logging.getLogger("kiosk.test").warning("still running")
    err = capsys.readouterr().err
    assert "logging to stderr only" in err
    assert "still running" in err
