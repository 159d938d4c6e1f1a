"""Packaging, checked statically: cheap enough for every CI run (no PyInstaller, no build).

The full build and the frozen smoke test take minutes and run separately:
`python packaging/build.py --smoke` (see packaging/README-packaging.md).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kiosk

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"


def _load(name: str):
    """Load packaging/<name>.py by path (a top-level `packaging` is the PyPI library)."""
    spec = importlib.util.spec_from_file_location(f"_kiosk_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(PACKAGING))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PACKAGING))
    return module


@pytest.fixture(scope="module")
def cfg():
    return _load("bundle_config")


def _systemd(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values]}} (keys may repeat, e.g. Environment)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{path.name}: {line!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


# ------------------------------------------------------------------ names and version


def test_version_is_read_from_the_package(cfg):
    assert cfg.read_version() == kiosk.__version__


def test_bundle_and_archive_names_carry_version_and_platform(cfg):
    assert cfg.bundle_name("1.2.3", "linux-x86_64") == "negative-emissions-kiosk-1.2.3-linux-x86_64"
    assert re.fullmatch(r"(linux|windows|macos)-[a-z0-9_]+", cfg.platform_tag())
    assert cfg.bundle_name().startswith(f"negative-emissions-kiosk-{kiosk.__version__}-")
    assert cfg.archive_format() in ("gztar", "zip")


# ------------------------------------------------------------------ what is left out


@pytest.mark.parametrize(
    "module",
    ["QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "Qt3DCore", "Qt3DRender", "QtQuick",
     "QtQml", "QtMultimedia", "QtPdf", "QtCharts", "QtDataVisualization", "QtBluetooth", "QtDesigner"],
)
def test_unused_qt_modules_are_excluded(cfg, module):
    assert f"PySide6.{module}" in cfg.excludes()


def test_opengl_bindings_of_pyqtgraph_are_excluded(cfg):
    excludes = cfg.excludes()
    assert "pyqtgraph.opengl" in excludes and "OpenGL" in excludes


def test_qt_modules_the_kiosk_imports_are_never_excluded(cfg):
    used = cfg.qt_modules_used_by_kiosk()
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    excluded = {m.removeprefix("PySide6.") for m in cfg.excludes() if m.startswith("PySide6.")}
    assert not used & excluded
    assert not set(cfg.QT_KEEP) & excluded
    unknown = used - set(cfg.QT_ALL)
    assert not unknown, f"add {unknown} to QT_ALL in packaging/bundle_config.py"


def test_qt_libraries_dropped_by_glob(cfg):
    assert any(p == "*Qt6WebEngine*" for p in cfg.QT_LIBS_DROP)
    keep, tr = {"QtCore", "QtGui", "QtWidgets"}, ("de",)
    for lib in ("libQt6WebEngineCore.so.6", "Qt6WebEngineCore.dll", "libQt6Quick.so.6", "libQt6Qml.so.6",
                "libQt63DCore.so.6", "libQt6Pdf.so.6", "libQt6Network.so.6"):
        assert cfg.drop_reason(f"PySide6/Qt/lib/{lib}", keep, tr), lib
    for lib in ("libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6", "libQt6Svg.so.6", "libQt6XcbQpa.so.6",
                "libQt6DBus.so.6", "libicudata.so.73"):
        assert cfg.drop_reason(f"PySide6/Qt/lib/{lib}", keep, tr) is None, lib
    assert cfg.drop_reason("PySide6/Qt/lib/libQt6Network.so.6", keep | {"QtNetwork"}, tr) is None
    # macOS frameworks
    assert cfg.drop_reason("PySide6/Qt/lib/QtWebEngineCore.framework/Versions/A/QtWebEngineCore", keep, tr)
    assert cfg.drop_reason("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", keep, tr)
    assert cfg.drop_reason("PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui", keep, tr) is None
    assert cfg.drop_reason("PySide6/Qt/lib/QtWidgets.framework/Resources/Info.plist", keep, tr) is None


@pytest.mark.parametrize(
    "dest, kept",
    [
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", True),
        ("PySide6/Qt/plugins/platforms/libqminimal.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
        ("PySide6/Qt/plugins/generic/libqevdevtouchplugin.so", True),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", False),
        ("PySide6/Qt/qml/QtQuick/libqtquick2plugin.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qtbase_ja.qm", False),
        ("PySide6/Qt/translations/qt_help_de.qm", False),
        ("PySide6/translations/qtbase_de.qm", True),
    ],
)
def test_plugins_and_translations(cfg, dest, kept):
    reason = cfg.drop_reason(dest, {"QtCore", "QtGui", "QtWidgets"}, ("de", "fr"))
    assert (reason is None) == kept, reason


def test_all_qt_translations_on_request(cfg):
    assert cfg.drop_reason("PySide6/Qt/translations/qtbase_ja.qm", {"QtCore"}, None) is None
    assert cfg.drop_reason("PySide6/Qt/translations/qt_help_ja.qm", {"QtCore"}, None)


def test_filter_toc_logs_what_it_leaves_out(cfg):
    toc = [("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
           ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY")]
    log: list[str] = []
    assert cfg.filter_toc(toc, {"QtCore"}, (), log.append) == toc[:1]
    assert log and "libqvnc" in log[0]


def test_system_libraries_nothing_links_to_are_pruned(cfg):
    toc = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/q/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libxcb-util.so.1", "/usr/lib/libxcb-util.so.1", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    needs = {"/q/libqxcb.so": ["libxcb-cursor.so.0"], "/usr/lib/libxcb-cursor.so.0": ["libxcb-util.so.1"]}
    kept = cfg.prune_unreferenced_libraries(toc, lambda src: needs.get(src, []))
    names = [e[0] for e in kept]
    assert "libgtk-3.so.0" not in names
    assert {"libxcb-cursor.so.0", "libxcb-util.so.1", "libpython3.11.so.1.0", "libQt6Core.so.6"} <= set(names)


# ------------------------------------------------------------------ what goes in


def test_datas_ship_content_schema_assets(cfg, tmp_path):
    staging = tmp_path / "staging"
    (staging / "licenses").mkdir(parents=True)
    (staging / "content.schema.json").write_text("{}", encoding="utf-8")
    (staging / "THIRD_PARTY_NOTICES.md").write_text("#", encoding="utf-8")
    datas = {(Path(src).relative_to(REPO).as_posix() if Path(src).is_relative_to(REPO) else Path(src).name, dest)
             for src, dest in cfg.datas(REPO, staging)}
    assert ("content.yaml", ".") in datas
    assert ("content.schema.json", ".") in datas
    assert ("assets/fonts/NotoSans-Regular.ttf", "assets/fonts") in datas
    assert ("assets/fonts/OFL.txt", "assets/fonts") in datas
    assert ("licenses", "licenses") in datas
    assert ("THIRD_PARTY_NOTICES.md", ".") in datas


def test_datas_refuse_a_bundle_without_content(cfg, tmp_path):
    (tmp_path / "assets").mkdir()
    with pytest.raises(SystemExit, match="content.yaml"):
        cfg.datas(tmp_path)


def test_every_kiosk_module_is_a_hidden_import(cfg):
    names = cfg.hiddenimports()
    assert "kiosk.cli" in names and "kiosk.locate" in names
    assert all(n == "kiosk" or n.startswith("kiosk.") for n in names)
    assert not any("__pycache__" in n or n.endswith("__init__") for n in names)


def test_spec_is_python_and_uses_the_shared_config():
    text = (PACKAGING / "kiosk.spec").read_text(encoding="utf-8")
    ast.parse(text)
    for needle in ("cfg.excludes(", "cfg.datas(", "cfg.hiddenimports(", "cfg.filter_toc(",
                   "prune_unreferenced_libraries", '"launcher.py"', "COLLECT(", "upx=False"):
        assert needle in text, needle
    assert re.search(r'if sys\.platform == "darwin":\s+app = BUNDLE\(', text)


def test_launcher_runs_the_cli(tmp_path):
    text = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    assert "from kiosk.cli import main" in text
    for args in (["--version"], ["-m", "kiosk", "--version"]):
        proc = subprocess.run([sys.executable, str(PACKAGING / "launcher.py"), *args], capture_output=True,
                              text=True, timeout=60, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"kiosk {kiosk.__version__}"


# ------------------------------------------------------------------ licences


def test_licence_notices_collected(tmp_path):
    collect = _load("collect_licenses")
    notices = collect.collect(tmp_path, REPO).read_text(encoding="utf-8")
    lic = tmp_path / "licenses"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (lic / "qt" / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in (lic / "qt" / "GPL-3.0.txt").read_text(encoding="utf-8")
    assert "replace" in (lic / "qt" / "REPLACING-QT.txt").read_text(encoding="utf-8").lower()
    assert "SIL OPEN FONT LICENSE" in (lic / "fonts" / "OFL.txt").read_text(encoding="utf-8").upper()
    assert "LGPL-3.0" in notices and "Noto Sans" in notices and "PSF" in notices
    # qtawesome's MIT licence does not cover the icon fonts it bundles: their licences ship too,
    # one for every font file qtawesome carries
    icons = lic / "icon-fonts"
    readme = (icons / "README.txt").read_text(encoding="utf-8")
    assert "Apache License" in (icons / "Apache-2.0.txt").read_text(encoding="utf-8")
    assert "Attribution 4.0" in (icons / "CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert "OPEN FONT LICENSE" in (icons / "OFL-1.1.txt").read_text(encoding="utf-8").upper()
    assert "Phosphor Icons" in (icons / "MIT-Phosphor.txt").read_text(encoding="utf-8")
    from kiosk.content.icons import fonts_dir

    for ttf in fonts_dir().glob("*.ttf"):
        version = re.search(r"-(\d[\d.]*)\.ttf$", ttf.name).group(1)
        assert version in readme, f"{ttf.name}: no licence line in icon-fonts/README.txt"
    assert "icon-fonts" in notices
    for dist in ("numpy", "pyqtgraph", "pydantic", "PyYAML", "segno", "platformdirs", "QtAwesome", "QtPy"):
        assert re.search(rf"^\| {re.escape(dist)} \|", notices, re.MULTILINE | re.IGNORECASE), dist
    shipped = {p.name for p in (lic / "python-packages").iterdir()}
    assert any(n.lower().startswith("numpy-") for n in shipped)
    assert not any(n.lower().startswith(("pytest", "hypothesis")) for n in shipped), "test extras are not shipped"


# ------------------------------------------------------------------ Linux autostart and services


def test_desktop_autostart_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(LINUX / "negative-emissions-kiosk.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["Exec"].startswith("/opt/negative-emissions-kiosk/negative-emissions-kiosk")
    assert entry["Exec"].endswith("run --supervise")
    assert entry["Terminal"] == "false"


def test_user_service_restarts_on_failure():
    unit = _systemd(LINUX / "negative-emissions-kiosk.service")
    service = unit["Service"]
    assert service["Restart"] == ["on-failure"]
    assert service["RestartSec"] == ["2"]
    assert service["ExecStart"] == ["/opt/negative-emissions-kiosk/negative-emissions-kiosk run --supervise"]
    assert unit["Install"]["WantedBy"] == ["graphical-session.target"]


def test_no_desktop_units():
    x11 = _systemd(LINUX / "negative-emissions-kiosk-x11.service")["Service"]
    assert x11["ExecStart"][0].startswith("/usr/bin/xinit /opt/negative-emissions-kiosk/negative-emissions-kiosk ")
    assert " -- :0 " in x11["ExecStart"][0] and "-nocursor" in x11["ExecStart"][0]
    assert x11["User"] == ["kiosk"] and x11["RestartSec"] == ["2"]
    eglfs = _systemd(LINUX / "negative-emissions-kiosk-eglfs.service")["Service"]
    assert "QT_QPA_PLATFORM=eglfs" in eglfs["Environment"]
    assert eglfs["Restart"] == ["on-failure"] and eglfs["RestartSec"] == ["2"]
    xinitrc = (LINUX / "xinitrc").read_text(encoding="utf-8")
    assert 'exec "$KIOSK" run --supervise' in xinitrc


# ------------------------------------------------------------------ Windows installer


def _ispp_version(init_text: str) -> str:
    """What kiosk.iss computes: Copy(line, Pos('"') + 1, RPos('"') - Pos('"') - 1) of the first
    line that starts with __version__ (1-based ISPP indices, emulated)."""
    for line in init_text.splitlines():
        if line.find("__version__") == 0 and '"' in line:
            first, last = line.find('"') + 1, line.rfind('"') + 1
            return line[first:first + (last - first - 1)]
    return ""


def test_inno_setup_reads_the_version_from_the_package():
    iss = (PACKAGING / "windows" / "kiosk.iss").read_text(encoding="utf-8")
    assert 'FileOpen(RepoRoot + "\\kiosk\\__init__.py")' in iss
    assert "#ifndef AppVersion" in iss and "AppVersion={#AppVersion}" in iss
    assert not re.search(r'#define\s+(public\s+)?AppVersion\s+"\d', iss), "the version must not be typed in"
    init = (REPO / "kiosk" / "__init__.py").read_text(encoding="utf-8")
    assert _ispp_version(init) == kiosk.__version__


def test_inno_setup_installs_editable_content_and_optional_autostart():
    iss = (PACKAGING / "windows" / "kiosk.iss").read_text(encoding="utf-8")
    assert "DefaultDirName={autopf}\\" in iss
    assert re.search(r"^Name: \"\{autoprograms\}\\\{#AppName\}\"", iss, re.MULTILINE), "start-menu entry"
    assert re.search(r"^Name: \"\{(autostartup|userstartup)\}.*Tasks: autostart", iss, re.MULTILINE)
    assert re.search(r'^Name: "autostart";.*Flags: unchecked', iss, re.MULTILINE), "autostart is optional"
    content = re.search(r"^Source: .*\\content\.yaml\".*$", iss, re.MULTILINE).group(0)
    assert "onlyifdoesntexist" in content and "uninsneveruninstall" in content and "users-modify" in content
    assert "ArchitecturesInstallIn64BitMode=x64compatible" in iss


# ------------------------------------------------------------------ documentation


def test_packaging_readme_documents_build_smoke_and_no_desktop_setups():
    readme = (PACKAGING / "README-packaging.md").read_text(encoding="utf-8")
    for needle in ("python packaging/build.py --smoke", "xinit", "QT_QPA_PLATFORM=eglfs", "iscc",
                   "negative-emissions-kiosk.service", "autologin"):
        assert needle in readme, needle


def test_qt_translations_only_when_the_kiosk_translates_qt(cfg, tmp_path):
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "kiosk" / "a.py").write_text("x = 1\n", encoding="utf-8")
    assert cfg.qt_translations_default(tmp_path) == ()
    (tmp_path / "kiosk" / "b.py").write_text("from PySide6.QtCore import QTranslator\n", encoding="utf-8")
    assert cfg.qt_translations_default(tmp_path) == cfg.QT_TRANSLATIONS_DEFAULT


def test_macos_launch_agent():
    import plistlib

    with open(PACKAGING / "macos" / "org.negative-emissions.kiosk.plist", "rb") as fh:
        agent = plistlib.load(fh)
    assert agent["ProgramArguments"][0].endswith(".app/Contents/MacOS/negative-emissions-kiosk")
    assert agent["ProgramArguments"][1:] == ["run", "--supervise"]
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
