"""`kiosk check`: every problem with its line and a caret, exit codes 0/1/2, never a traceback, no Qt."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.check import main as check_main
from kiosk.content.check import source_excerpt
from kiosk.content.problems import Problem

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BROKEN = HERE / "broken"
VALID = (BROKEN / "valid_minimal.yaml").read_text(encoding="utf-8")


def content_folder(folder: Path, text: str | bytes) -> Path:
    (folder / "assets" / "fonts").mkdir(parents=True, exist_ok=True)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(REPO / "assets" / "fonts" / name, folder / "assets" / "fonts" / name)
    path = folder / "content.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def run_check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "check", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=60,
    )


def test_clean_file_exits_0(tmp_path: Path) -> None:
    proc = run_check(content_folder(tmp_path, VALID))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "content.yaml: OK, no problems found\n"
    assert "Traceback" not in proc.stdout + proc.stderr


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    text = VALID.replace("lead: {en: Cutting emissions is not enough., de: Emissionen senken reicht nicht.}", "lead: {en: Hi.}")
    proc = run_check(content_folder(tmp_path, text))
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "content.yaml:81:11: warning: screens[1].lead: no text in 'de'",
        "   81 |     lead: {en: Hi.}",
        "      |           ^",
        "content.yaml: 0 errors, 1 warning; the kiosk can show this file",
    ]


def test_errors_exit_1_with_every_problem_line_and_caret(tmp_path: Path) -> None:
    text = VALID.replace("rate: 37.4", "rate: abc").replace("  font_bold:", "  font_bodl:")
    proc = run_check(content_folder(tmp_path, text))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "content.yaml:9:3: error: unknown key 'font_bodl', did you mean 'font_bold'?",
        "    9 |   font_bodl: assets/fonts/NotoSans-Bold.ttf",
        "      |   ^",
        "content.yaml:76:17: error: expected a number, got 'abc'",
        "   76 |           rate: abc",
        "      |                 ^",
        "content.yaml: 2 errors, 0 warnings; the kiosk will not show this file",
    ]


@pytest.mark.parametrize("name", ["billion_laughs.yaml", "python_tag.yaml", "tab_indent.yaml", "not_utf8.yaml", "empty.yaml"])
def test_broken_files_exit_1_without_traceback(name: str) -> None:
    proc = run_check(BROKEN / name)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"{name}:")


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run_check(tmp_path / "nowhere.yaml")
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[0] == "nowhere.yaml:0:0: error: content file is missing"
    assert "Traceback" not in proc.stdout + proc.stderr


def test_folder_exits_2(tmp_path: Path) -> None:
    proc = run_check(tmp_path)
    assert proc.returncode == 2
    assert "content path is a folder, not a file" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_check_without_path_uses_find_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = content_folder(tmp_path, VALID)
    monkeypatch.setattr("kiosk.locate.find_content", lambda explicit=None: path)
    out = io.StringIO()
    assert check_main(None, out) == 0
    assert out.getvalue() == "content.yaml: OK, no problems found\n"


def test_check_never_imports_qt(tmp_path: Path) -> None:
    path = content_folder(tmp_path, VALID.replace("rate: 37.4", "rate: abc"))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import kiosk.content.check as c\n"
        f"status = c.main(Path({str(path)!r}))\n"
        "import kiosk.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "bad += sorted(m for m in sys.modules if m.startswith('kiosk.ui'))\n"
        "print('QT:', bad, status)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.stdout.splitlines()[-1] == "QT: [] 1", proc.stdout + proc.stderr


def test_caret_keeps_tabs_aligned() -> None:
    problem = Problem("content.yaml", 1, 3, "error", "x")
    assert source_excerpt(problem, ["\t\tx: 1"]) == ["    1 | \t\tx: 1", "      | \t\t^"]
    assert source_excerpt(Problem("content.yaml", 0, 0, "error", "x"), ["a"]) == []
    assert source_excerpt(Problem("content.yaml", 9, 1, "error", "x"), ["a"]) == []


def test_shipped_content_has_no_errors(shipped_content_path: Path) -> None:
    if not shipped_content_path.is_file():
        pytest.skip("content.yaml is not written yet")
    proc = run_check(shipped_content_path)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout
