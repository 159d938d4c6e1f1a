"""Files the kiosk writes are replaced whole: old or new, never half (kiosk.atomic), and the
operator's PIN change goes through it (`kiosk pin --content`)."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
import yaml

from kiosk.atomic import replacing, write_atomic
from kiosk.cli import main as cli
from kiosk.content.loader import load
from kiosk.operator_pin import verify_pin, with_pin_hash


def test_write_atomic_replaces_and_keeps_the_permissions(tmp_path):
    target = tmp_path / "content.yaml"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content.yaml"]  # no temporary left


def test_a_writer_that_fails_halfway_leaves_the_old_file(tmp_path):
    target = tmp_path / "stats.csv"
    target.write_text("day,sessions\n2026-12-01,5\n")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        with open(tmp, "w") as fh:
            fh.write("day,sess")  # ... and the process dies here
        raise RuntimeError("killed")
    assert target.read_text() == "day,sessions\n2026-12-01,5\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stats.csv"]


def test_with_pin_hash_changes_only_the_pin_line():
    text = "title: x\noperator:\n  # the PIN of the front desk\n  pin_hash: \"old\"\n  other: 1\nscreens: []\n"
    new = with_pin_hash(text, "NEW")
    assert new == text.replace('"old"', '"NEW"')
    assert with_pin_hash("title: x\noperator:\n  other: 1\n", "H") == 'title: x\noperator:\n  pin_hash: "H"\n  other: 1\n'
    appended = with_pin_hash("title: x\n", "H")
    assert yaml.safe_load(appended) == {"title": "x", "operator": {"pin_hash": "H"}}


def test_kiosk_pin_content_sets_a_pin_the_kiosk_accepts(tmp_path, repo, capsys):
    shutil.copy(repo / "content.yaml", tmp_path / "content.yaml")
    shutil.copytree(repo / "assets", tmp_path / "assets")
    before = (tmp_path / "content.yaml").read_text(encoding="utf-8")
    assert cli(["pin", "2468", "--content", str(tmp_path / "content.yaml")]) == 0
    result = load(tmp_path / "content.yaml")
    assert result.ok, [p.headline() for p in result.problems]
    assert verify_pin("2468", result.exhibition.operator.pin_hash)
    assert not verify_pin("1357", result.exhibition.operator.pin_hash)
    after = (tmp_path / "content.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # everything else kept, comments included
    assert cli(["pin", "1357", "--content", str(tmp_path / "content.yaml")]) == 0  # and changed again
    assert verify_pin("1357", load(tmp_path / "content.yaml").exhibition.operator.pin_hash)
    assert (tmp_path / "content.yaml").read_text(encoding="utf-8").count("pin_hash") == 1
