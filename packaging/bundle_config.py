"""What goes into the frozen kiosk and what stays out, in one place.

`kiosk.spec` (PyInstaller), `build.py`, `smoke.py` and `tests/test_packaging.py` all read this
module, so the lists below are the single source of truth. Plain Python, no PyInstaller import:
the tests load it without PyInstaller installed.

Size budget: the unpacked one-folder bundle must stay under MAX_BUNDLE_MB.
"""

from __future__ import annotations

import fnmatch
import platform
import re
import sys
from pathlib import Path, PurePosixPath

APP_NAME = "negative-emissions-kiosk"
EXE_NAME = APP_NAME  # the program operators start; `<exe> check`, `<exe> --version` work too
MAX_BUNDLE_MB = 200
READY_PREFIX = "KIOSK READY"
START_TARGET_S = 3.0

PACKAGING_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGING_DIR.parent

# --------------------------------------------------------------------------- version and names


def read_version(root: Path = REPO_ROOT) -> str:
    """kiosk.__version__, read from the source text (the one source of truth), without importing."""
    text = (root / "kiosk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise SystemExit("kiosk/__init__.py has no __version__ = '...' line")
    return match.group(1)


def platform_tag() -> str:
    """`linux-x86_64`, `windows-x86_64`, `macos-arm64`, ..."""
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64" if system == "macos" else "aarch64"}.get(
        machine, machine
    )
    return f"{system}-{machine}"


def bundle_name(version: str | None = None, tag: str | None = None) -> str:
    return f"{APP_NAME}-{version or read_version()}-{tag or platform_tag()}"


def archive_format() -> str:
    """`gztar` (.tar.gz) on Linux, `zip` on Windows and macOS (shutil.make_archive names)."""
    return "gztar" if sys.platform.startswith("linux") else "zip"


# --------------------------------------------------------------------------- Python modules

# Qt modules the kiosk needs. pyqtgraph imports QtOpenGL and QtOpenGLWidgets unconditionally
# (PlotCurveItem, GraphicsView), so they stay even though the kiosk never draws through OpenGL;
# QtSvg/QtSvgWidgets are small and render SVG icons. pyqtgraph also tries QtTest, but copes
# without it (FailedImport), so QtTest is left out. Any PySide6 module that kiosk/ imports is kept
# as well (see qt_modules_used_by_kiosk), so new code cannot be broken by this list.
QT_KEEP = frozenset({"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtSvgWidgets", "QtOpenGL", "QtOpenGLWidgets"})

# Every PySide6 module (Essentials + Addons, 6.11). Those not kept are excluded, so that nothing
# drags them in by accident (QtWebEngine alone is hundreds of MB).
QT_ALL = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAsyncio", "QtAxContainer", "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent",
    "QtCore", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtGui",
    "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork",
    "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets",
    "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
    "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets", "QtTest",
    "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWidgets",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)  # fmt: skip

# Optional imports of our dependencies that the kiosk never uses, and test/dev tooling.
PYTHON_EXCLUDES = (
    "tkinter", "_tkinter", "turtle", "idlelib", "lib2to3", "pydoc_data",
    "matplotlib", "scipy", "pandas", "IPython", "jupyter_rfb", "ipywidgets", "h5py", "cupy",
    "numba", "colorcet", "PIL", "OpenGL", "OpenGL_accelerate",
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter",
    "pytest", "_pytest", "pytestqt", "hypothesis", "importlinter", "grimp",
    "PyQt5", "PyQt6", "PySide2",
    "PySide6.scripts",
)  # fmt: skip

_QT_IMPORT = re.compile(r"(?:from\s+PySide6\s+import\s+\(?([\w\s,]+)\)?|(?:from|import)\s+PySide6\.(Qt\w+))")


def qt_modules_used_by_kiosk(root: Path = REPO_ROOT) -> set[str]:
    """PySide6 modules named in an import statement anywhere under kiosk/."""
    used: set[str] = set()
    for path in (root / "kiosk").rglob("*.py"):
        for match in _QT_IMPORT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            names = match.group(1) or match.group(2) or ""
            used.update(n.strip() for n in names.replace("\n", ",").split(",") if n.strip().startswith("Qt"))
    return used


def qt_modules_kept(root: Path = REPO_ROOT) -> set[str]:
    return set(QT_KEEP) | qt_modules_used_by_kiosk(root)


def excludes(root: Path = REPO_ROOT) -> list[str]:
    """Module names for Analysis(excludes=...)."""
    kept = qt_modules_kept(root)
    return [f"PySide6.{m}" for m in QT_ALL if m not in kept] + list(PYTHON_EXCLUDES)


def hiddenimports(root: Path = REPO_ROOT) -> list[str]:
    """Every module of the kiosk package: screens may be found through a registry, not imports.

    Found by walking the files, so nothing is imported at build time.
    """
    names = []
    for path in sorted((root / "kiosk").rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if "__pycache__" in parts:
            continue
        names.append(".".join(parts))
    return names


# Beyond the kiosk package: PyNaCl (bundle signatures, issue 14) loads libsodium through cffi's
# compiled backend, a top-level extension module PyInstaller does not find from nacl's imports.
EXTRA_HIDDEN_IMPORTS = ("_cffi_backend",)


# --------------------------------------------------------------------------- data files

CONTENT_FILES = ("content.yaml", "content.schema.json")
ASSETS_DIR = "assets"
ASSET_SKIP = ("*.xcf", "*.psd", "*.kra", "Thumbs.db", ".DS_Store", "*~", "*.bak")


def datas(root: Path = REPO_ROOT, staging: Path | None = None, require_content: bool = True) -> list[tuple[str, str]]:
    """(source, destination folder) pairs for Analysis(datas=...).

    The shipped defaults land at the top of the bundle's data folder (`sys._MEIPASS`), which is
    what `kiosk.locate.bundled_root()` returns: content.yaml, content.schema.json, assets/.
    `staging` holds what build.py generates (licences, a fresh schema) and wins over the repo.
    """
    out: list[tuple[str, str]] = []
    for name in CONTENT_FILES:
        src = staging / name if staging and (staging / name).is_file() else root / name
        if src.is_file():
            out.append((str(src), "."))
        elif name == "content.yaml" and require_content:
            raise SystemExit(f"{src} is missing: the bundle must ship the default content")
    assets = root / ASSETS_DIR
    for path in sorted(assets.rglob("*")):
        if path.is_file() and not any(fnmatch.fnmatch(path.name, pat) for pat in ASSET_SKIP):
            out.append((str(path), str(PurePosixPath(ASSETS_DIR, *path.relative_to(assets).parent.parts))))
    # Data files inside the package (the carbon model's historical emissions, issue 11): frozen
    # modules look for them next to themselves, under sys._MEIPASS/kiosk/models/data.
    model_data = root / "kiosk" / "models" / "data"
    for path in sorted(model_data.glob("*")) if model_data.is_dir() else []:
        if path.is_file():
            out.append((str(path), "kiosk/models/data"))
    if staging and (staging / "licenses").is_dir():
        out.append((str(staging / "licenses"), "licenses"))
    if staging and (staging / "THIRD_PARTY_NOTICES.md").is_file():
        out.append((str(staging / "THIRD_PARTY_NOTICES.md"), "."))
    return out


# --------------------------------------------------------------------------- Qt plugins, libraries, translations

# Plugin folders kept, with the plugins kept inside each (file-name globs, any platform's
# spelling: libqxcb.so, qwindows.dll, libqcocoa.dylib). A folder not listed is left out entirely.
QT_PLUGINS_KEEP: dict[str, tuple[str, ...]] = {
    # offscreen: smoke tests and `kiosk render`; xcb: X11; wayland: Wayland desktops and kiosk
    # compositors (cage); eglfs/linuxfb: no window system at all; minimal: headless tools.
    "platforms": (
        "*qoffscreen*", "*qxcb*", "*qwayland*", "*qeglfs*", "*qlinuxfb*", "*qminimal*",
        "*qwindows*", "*qdirect2d*", "*qcocoa*",
    ),
    # PNG is built into QtGui; these read the other formats an operator may drop into assets/.
    "imageformats": ("*qsvg*", "*qjpeg*", "*qgif*", "*qwebp*", "*qico*"),
    "iconengines": ("*qsvgicon*",),
    # Compose keys / IBus for an operator's keyboard (PIN entry); small.
    "platforminputcontexts": ("*compose*", "*ibus*"),
    "xcbglintegrations": ("*",),
    # eglfs back ends (KMS/DRM, EGLDevice, X11 for testing) and evdev input for eglfs/linuxfb:
    # without evdevtouch a touch screen does nothing under eglfs.
    "egldeviceintegrations": ("*",),
    # (qtuiotouch, TUIO over the network, would need QtNetwork.)
    "generic": ("*qevdevtouch*", "*qevdevmouse*", "*qevdevkeyboard*", "*qevdevtablet*"),
    "wayland-shell-integration": ("*xdg-shell*", "*fullscreen-shell*"),  # wl-shell needs Qt6WlShellIntegration
    "wayland-decoration-client": ("*bradient*",),
    "wayland-graphics-integration-client": ("*wayland-egl*",),
    # macOS/Windows styles (Qt's native look; the kiosk draws its own, but the file is tiny).
    "styles": ("*qmacstyle*", "*qmodernwindowsstyle*", "*qwindowsvistastyle*"),
}  # fmt: skip

# Qt shared libraries that must never be in the bundle, whatever pulls them in.
QT_LIBS_DROP = (
    "*Qt6WebEngine*", "*Qt6Web*", "*Qt63D*", "*Qt6Quick*", "*Qt6Qml*", "*Qt6Multimedia*", "*Qt6Pdf*",
    "*Qt6Charts*", "*Qt6DataVisualization*", "*Qt6Graphs*", "*Qt6Bluetooth*", "*Qt6Nfc*",
    "*Qt6Designer*", "*Qt6Help*", "*Qt6UiTools*", "*Qt6Sql*", "*Qt6Labs*", "*Qt6Lottie*",
    "*Qt6ShaderTools*", "*Qt6VirtualKeyboard*", "*Qt6WaylandCompositor*", "*Qt6WlShellIntegration*",
    "*Qt6WaylandEglCompositor*", "*Qt6Location*", "*Qt6Positioning*", "*Qt6Sensors*",
    "*Qt6Serial*", "*Qt6RemoteObjects*", "*Qt6Scxml*", "*Qt6StateMachine*", "*Qt6TextToSpeech*",
    "*Qt6SpatialAudio*", "*Qt6Concurrent*", "*Qt6Xml*", "*Qt6PrintSupport*",
    "*QtWebEngineProcess*",
)  # fmt: skip
# Kept only when a kept Python module needs it (QtNetwork is dropped unless kiosk/ imports it).
QT_LIBS_DROP_UNLESS_MODULE = {"QtNetwork": ("*Qt6Network*",), "QtTest": ("*Qt6Test*",)}

# Qt's own translations (standard dialogs, context menus). The visitor-facing text comes from
# content.yaml; these only matter for Qt-drawn dialogs an operator may see, and only if the kiosk
# installs a QTranslator: without one in kiosk/ none are shipped (qt_translations_default).
QT_TRANSLATIONS_DEFAULT = ("de", "fr", "es", "it", "nl")


def qt_translations_default(root: Path = REPO_ROOT) -> tuple[str, ...]:
    """The Qt translations to keep unless --qt-translations says otherwise."""
    for path in (root / "kiosk").rglob("*.py"):
        if "QTranslator" in path.read_text(encoding="utf-8", errors="replace"):
            return QT_TRANSLATIONS_DEFAULT
    return ()

# PySide6 wheels keep Qt under PySide6/Qt/ on Linux and macOS, directly under PySide6/ on Windows.
_PLUGIN_PATH = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$")
_TRANSLATION_PATH = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+)$")
_QML_PATH = re.compile(r"(?:^|/)PySide6/(?:Qt/)?(qml|metatypes|libexec)/")


def drop_reason(dest: str, kept_modules: set[str], translations: tuple[str, ...] | None) -> str | None:
    """Why a collected file (its destination path in the bundle) is left out; None keeps it.

    `translations`: languages whose qtbase_<lang>.qm stay (None: all of them).
    """
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    if _QML_PATH.search(dest):
        return "QML/metatypes/libexec (no Qt Quick)"
    m = _PLUGIN_PATH.search(dest)
    if m:
        kind, plugin = m.groups()
        keep = QT_PLUGINS_KEEP.get(kind)
        if keep is None:
            return f"plugin folder {kind} not used"
        if not any(fnmatch.fnmatch(plugin, pat) for pat in keep):
            return f"plugin {kind}/{plugin} not used"
        return None
    m = _TRANSLATION_PATH.search(dest)
    if m:
        qm = m.group(1)
        lang = re.match(r"^qtbase_(.+)\.qm$", qm)
        if not lang or (translations is not None and lang.group(1) not in translations):
            return "Qt translation not kept"
        return None
    for pattern in QT_LIBS_DROP:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(dest, _framework_pattern(pattern)):
            return f"Qt library {pattern}"
    for module, patterns in QT_LIBS_DROP_UNLESS_MODULE.items():
        if module not in kept_modules and any(
            fnmatch.fnmatch(name, p) or fnmatch.fnmatch(dest, _framework_pattern(p)) for p in patterns
        ):
            return f"Qt library of unused {module}"
    return None


def _framework_pattern(pattern: str) -> str:
    """`*Qt6Quick*` (libQt6Quick.so.6, Qt6Quick.dll) -> `*/QtQuick*.framework/*` (macOS).

    Not for PrintSupport: the macOS cocoa platform plugin may link it (untested there).
    """
    if "PrintSupport" in pattern:
        return "//never//"
    return f"*/{pattern.strip('*').replace('Qt6', 'Qt', 1)}*.framework/*"


def filter_toc(toc, kept_modules: set[str], translations: tuple[str, ...] | None, log=None):
    """A PyInstaller TOC (list of (dest, src, typecode)) without the entries drop_reason rejects."""
    kept = []
    for entry in toc:
        reason = drop_reason(entry[0], kept_modules, translations)
        if reason is None:
            kept.append(entry)
        elif log is not None:
            log(f"leave out {entry[0]}: {reason}")
    return kept


# --------------------------------------------------------------------------- system libraries nothing needs

_TOP_LEVEL_LIB = re.compile(r"^lib[^/\\]+\.so(\.[\d.]+)?$")
_NEVER_PRUNE = re.compile(r"^lib(python|Qt6|icu|pyside6|shiboken6)")


def prune_unreferenced_libraries(toc, imports_of, log=None):
    """Drop system libraries (top-level lib*.so*) that nothing left in the bundle links to.

    PyInstaller collects the dependencies of every plugin before kiosk.spec filters the plugins,
    so e.g. the GTK theme plugin's GTK/Cairo/Pango libraries would stay behind although the
    plugin is gone. Starting from every other binary (extensions, Qt libraries, plugins), follow
    the DT_NEEDED names (`imports_of(src_path) -> iterable of library names`) and keep only the
    system libraries reached. Linux only: that is where PyInstaller bundles system libraries.
    """
    candidates = {}
    roots = []
    for entry in toc:
        dest, src, typecode = entry
        name = dest.replace("\\", "/")
        if typecode != "SYMLINK" and _TOP_LEVEL_LIB.match(name) and not _NEVER_PRUNE.match(name):
            candidates[name] = entry
        elif typecode != "SYMLINK":
            roots.append(src)
    reached: set[str] = set()
    todo = list(roots)
    seen_src: set[str] = set()
    while todo:
        src = todo.pop()
        if src in seen_src:
            continue
        seen_src.add(src)
        for needed in imports_of(src):
            base = needed.rsplit("/", 1)[-1]
            if base in candidates and base not in reached:
                reached.add(base)
                todo.append(candidates[base][1])
    kept = []
    for entry in toc:
        name = entry[0].replace("\\", "/")
        if name in candidates and name not in reached:
            if log is not None:
                log(f"leave out {name}: system library no kept binary links to")
            continue
        kept.append(entry)
    return kept
