"""The operator PIN is stored only as a salted PBKDF2 hash."""

from __future__ import annotations

from kiosk import operator_pin
from kiosk.operator_pin import hash_pin, is_valid_hash, verify_pin


def test_hash_has_the_content_file_format():
    stored = hash_pin("2468")
    algorithm, iterations, salt, digest = stored.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 200_000
    assert salt and digest
    assert "2468" not in stored


def test_right_and_wrong_pin():
    stored = hash_pin("2468", iterations=1000)
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("", stored)


def test_same_pin_gets_a_different_salt():
    assert hash_pin("2468", iterations=1000) != hash_pin("2468", iterations=1000)


def test_missing_or_broken_hash_never_verifies():
    assert not verify_pin("0000", None)
    assert not verify_pin("0000", "")
    assert not verify_pin("0000", "0000")
    assert not verify_pin("0000", "md5$1$abc$def")
    assert not is_valid_hash("pbkdf2_sha256$lots$abc$def")
    assert is_valid_hash(hash_pin("1234", iterations=1000))


def test_pin_command_prints_hash_and_content_lines(capsys):
    assert operator_pin.main("13579") == 0
    out = capsys.readouterr().out.splitlines()
    assert verify_pin("13579", out[0])
    assert "operator:" in out
    assert f'  pin_hash: "{out[0]}"' in out


def test_pin_command_refuses_a_pin_the_pad_cannot_type(capsys):
    assert operator_pin.main("12ab") == 2
    assert operator_pin.main("12") == 2
    assert "digits" in capsys.readouterr().err


def test_pin_command_asks_twice(monkeypatch, capsys):
    answers = iter(["8642", "8642"])
    monkeypatch.setattr(operator_pin.getpass, "getpass", lambda prompt="": next(answers))
    assert operator_pin.main(None) == 0
    assert verify_pin("8642", capsys.readouterr().out.splitlines()[0])
    answers = iter(["8642", "8643"])
    assert operator_pin.main(None) == 1
