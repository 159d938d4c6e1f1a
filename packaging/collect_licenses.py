"""Collect the third-party licence notices that must travel with the frozen kiosk.

Run by build.py before PyInstaller; writes into a staging folder:

    licenses/
      python/LICENSE.txt                      Python itself (PSF licence, with its third-party notes)
      qt/LGPL-3.0.txt, qt/GPL-3.0.txt         Qt and PySide6/shiboken6 (LGPL-3.0-only)
      qt/REPLACING-QT.txt                     how a user replaces the Qt libraries in the bundle
      fonts/OFL.txt                           Noto Sans (SIL Open Font License 1.1)
      icon-fonts/                             the icon fonts inside qtawesome (Apache-2.0, MIT, OFL, CC BY)
      python-packages/<dist>-<version>/...    every runtime dependency's licence files (metadata)
      system-libraries/<package>.copyright    (Linux) Debian copyright files of bundled .so files
    THIRD_PARTY_NOTICES.md                    the summary a reader starts from

The Python packages are found from the installed metadata of negative-emissions-kiosk (its
runtime requirements, recursively, extras left out), so a new dependency is picked up without
editing this file. PyInstaller's bootloader is added too (GPL-2.0 with the bootloader exception,
which allows shipping it with any program).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

PROJECT_DIST = "negative-emissions-kiosk"
LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS|COPYRIGHT)[^/]*$", re.IGNORECASE)
# Copies of the GNU texts kept in the repository (from Debian's /usr/share/common-licenses), so
# that a build on Windows or macOS ships them too.
GNU_TEXTS = Path(__file__).resolve().parent / "licenses"

QT_REPLACING = """\
Replacing the Qt libraries in this kiosk (LGPL-3.0, section 4)
================================================================

This program uses Qt {qt_version} through PySide6 {pyside_version} and shiboken6, which are
licensed to you under the GNU Lesser General Public License version 3 (LGPL-3.0-only; the full
text is in LGPL-3.0.txt, which builds on GPL-3.0.txt, both in this folder). Qt source code:
https://download.qt.io/official_releases/qt/ and https://code.qt.io/ ; PySide6 and shiboken6
source code: https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{pyside_version}).

The kiosk is shipped as a "one-folder" bundle: the Qt and PySide6 libraries are ordinary,
unmodified shared library files next to the program, loaded when it starts. They are not
linked statically and not packed into the executable, so you can replace them:

1. Find them in the bundle's data folder (`_internal/` next to the executable; inside the macOS
   app: `Contents/Frameworks/`):
     _internal/PySide6/Qt/lib/libQt6*.so.6          (Linux: Qt libraries)
     _internal/PySide6/Qt/plugins/...               (Qt plugins)
     _internal/PySide6/*.abi3.so, _internal/shiboken6/*.abi3.so, libpyside6*.so, libshiboken6*.so
   (Windows: _internal\\PySide6\\Qt6*.dll, _internal\\PySide6\\plugins\\...;
    macOS: Contents/Frameworks/PySide6/Qt/lib/Qt*.framework).
2. Build or download Qt {qt_version_major}.x and the matching PySide6/shiboken6 release (the
   Python bindings must match the Qt version they were built against), e.g. with
   `pip download PySide6-Essentials==<version> shiboken6==<version>` and unpacking the wheels.
3. Copy your libraries over the files of the same name, keeping the folder layout, and start the
   kiosk. Nothing else needs to change: the program finds Qt by these relative paths.
   Alternatively rebuild the whole bundle from source with your Qt: see packaging/README-packaging.md
   in the kiosk's source repository (`python packaging/build.py`).

Reverse engineering of this program for debugging such modifications is permitted.
"""


def parse_requirement_name(requirement: str) -> str | None:
    """`pydantic<3,>=2.6` -> `pydantic`; None when its environment marker rules it out here
    (an extra, or another platform). Uses the `packaging` library when present (PyInstaller
    needs it anyway), else a regex that only drops extras."""
    try:
        from packaging.requirements import Requirement
    except ImportError:
        if re.search(r";.*\bextra\s*==", requirement):
            return None
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        return match.group(1) if match else None
    req = Requirement(requirement)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        return None
    return req.name


def _dist_name(dist: metadata.Distribution) -> str:
    return dist.metadata["Name"] or "unknown"


def _project_requirements(repo_root: Path) -> list[str]:
    """[project].dependencies of pyproject.toml (when the kiosk itself is not installed)."""
    import tomllib

    with open(repo_root / "pyproject.toml", "rb") as fh:
        return list(tomllib.load(fh).get("project", {}).get("dependencies", []))


def runtime_distributions(root_name: str = PROJECT_DIST, repo_root: Path | None = None) -> list[metadata.Distribution]:
    """The installed distributions the kiosk needs at run time (requirements without extras)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root_name]
    try:
        metadata.distribution(root_name)
    except metadata.PackageNotFoundError:
        if repo_root is not None:  # not installed: start from pyproject.toml
            todo = [n for n in map(parse_requirement_name, _project_requirements(repo_root)) if n]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for req in dist.requires or []:
            parsed = parse_requirement_name(req)
            if parsed:
                todo.append(parsed)
    return [d for k, d in sorted(seen.items()) if k != re.sub(r"[-_.]+", "-", root_name).lower()]


def license_summary(dist: metadata.Distribution) -> str:
    md = dist.metadata
    expr = md.get("License-Expression")
    if expr:
        return expr
    lic = (md.get("License") or "").strip()
    if lic and "\n" not in lic and len(lic) < 80:
        return lic
    classifiers = [c.split("::")[-1].strip() for c in md.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    return "see files" if lic else "unknown"


def copy_dist_licenses(dist: metadata.Distribution, dest: Path) -> list[str]:
    """Copy the licence files a distribution ships (dist-info/licenses/, LICENSE*, ...)."""
    copied = []
    for file in dist.files or []:
        path = str(file).replace("\\", "/")
        in_license_dir = ".dist-info/licenses/" in path
        if not (in_license_dir or (".dist-info/" in path and LICENSE_FILE.search(path))):
            continue
        src = Path(dist.locate_file(file))
        if not src.is_file():
            continue
        rel = path.split(".dist-info/licenses/", 1)[1] if in_license_dir else src.name
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        copied.append(rel)
    md_license = dist.metadata.get("License") or ""
    if not copied and len(md_license) > 200:  # full text in the metadata only
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "LICENSE-from-metadata.txt").write_text(md_license, encoding="utf-8")
        copied.append("LICENSE-from-metadata.txt")
    return copied


def python_license() -> Path | None:
    for base in (sysconfig.get_paths()["stdlib"], Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}", sys.base_prefix):
        candidate = Path(base) / "LICENSE.txt"
        if candidate.is_file():
            return candidate
    return None


def _dpkg_path_variants(lib: Path) -> list[str]:
    """The paths dpkg may have recorded for a library: as found, resolved, with and without /usr
    (Debian's merged /usr: packages still list /lib/... for files that live in /usr/lib/...)."""
    out: list[str] = []
    for p in (lib, lib.resolve()):
        s = str(p)
        for v in (s, s[4:] if s.startswith("/usr/lib/") else "/usr" + s if s.startswith("/lib/") else s):
            if v not in out:
                out.append(v)
    return out


def debian_copyright_for(libraries: list[Path]) -> dict[str, Path]:
    """Map Debian package -> its copyright file, for bundled system libraries (Linux, dpkg only)."""
    found: dict[str, Path] = {}
    if not shutil.which("dpkg-query"):
        return found
    for lib in libraries:
        for variant in _dpkg_path_variants(lib):
            try:
                out = subprocess.run(["dpkg-query", "-S", variant], capture_output=True, text=True, timeout=20).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            pkgs = [line.split(":", 1)[0].strip() for line in out.splitlines() if ":" in line]
            for pkg in pkgs:
                doc = Path("/usr/share/doc") / pkg / "copyright"
                if pkg and doc.is_file():
                    found[pkg] = doc
            if pkgs:
                break
    return found


def collect(staging: Path, repo_root: Path, system_libraries: list[Path] | None = None) -> Path:
    """Write licenses/ and THIRD_PARTY_NOTICES.md into `staging`; returns the notices file."""
    out = staging / "licenses"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lines = [
        "# Third-party notices",
        "",
        "The negative-emissions kiosk is free software (see LICENSE / pyproject.toml of the project).",
        "The program as shipped contains the following third-party software; each licence text is",
        "in the `licenses/` folder next to this file.",
        "",
    ]

    # Python
    py = python_license()
    py_version = ".".join(map(str, sys.version_info[:3]))
    if py:
        (out / "python").mkdir()
        shutil.copyfile(py, out / "python" / "LICENSE.txt")
    lines += [
        "## Python",
        "",
        f"- CPython {py_version}: Python Software Foundation License Version 2 (PSF-2.0), "
        "with the licences of the parts Python includes — `licenses/python/LICENSE.txt`"
        + ("" if py else " (NOT FOUND at build time: add it!)"),
        "",
    ]

    # Qt / PySide6
    try:
        pyside_version = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        pyside_version = metadata.version("PySide6")
    qt = out / "qt"
    qt.mkdir()
    for name in ("LGPL-3.0.txt", "GPL-3.0.txt"):
        src = GNU_TEXTS / name
        if not src.is_file():
            raise SystemExit(f"{src} not found: the LGPL/GPL texts must ship with Qt")
        shutil.copyfile(src, qt / name)
    (qt / "REPLACING-QT.txt").write_text(
        QT_REPLACING.format(qt_version=pyside_version, qt_version_major=pyside_version.split(".")[0], pyside_version=pyside_version),
        encoding="utf-8",
    )
    lines += [
        "## Qt, PySide6, shiboken6",
        "",
        f"- Qt {pyside_version} (The Qt Company Ltd. and other contributors), PySide6-Essentials and shiboken6 "
        f"{pyside_version}: used under the GNU Lesser General Public License v3.0 (LGPL-3.0-only) — "
        "`licenses/qt/LGPL-3.0.txt` and the GPL-3.0 it builds on, `licenses/qt/GPL-3.0.txt`.",
        "- The Qt libraries are separate, replaceable files in this one-folder bundle; "
        "`licenses/qt/REPLACING-QT.txt` says how to replace them and where the source code is.",
        "- Qt includes third-party code (ICU, HarfBuzz, FreeType, libpng, libjpeg, PCRE2, zlib, "
        "double-conversion, Wayland protocols, ...) under permissive licences; the list and texts: "
        f"https://doc.qt.io/qt-{pyside_version.split('.')[0]}/licenses-used-in-qt.html",
        "",
    ]

    # Fonts
    ofl = repo_root / "assets" / "fonts" / "OFL.txt"
    (out / "fonts").mkdir()
    if ofl.is_file():
        shutil.copyfile(ofl, out / "fonts" / "OFL.txt")
    lines += [
        "## Fonts",
        "",
        "- Noto Sans (Regular, Bold), Copyright The Noto Project Authors: SIL Open Font License 1.1 — "
        "`licenses/fonts/OFL.txt` (also next to the fonts in `assets/fonts/`).",
        "",
    ]

    # Icon fonts inside qtawesome: its own licence (MIT) does not cover them
    icon_src = GNU_TEXTS / "icon-fonts"
    if not (icon_src / "README.txt").is_file():
        raise SystemExit(f"{icon_src} not found: the icon fonts' licences must ship with qtawesome")
    shutil.copytree(icon_src, out / "icon-fonts")
    lines += [
        "## Icon fonts (inside qtawesome)",
        "",
        "- Material Design Icons (Apache-2.0), Phosphor (MIT), Font Awesome Free (fonts OFL-1.1, icons CC BY 4.0), "
        "Elusive Icons (OFL-1.1), Remix Icon (Apache-2.0), Codicons (CC BY 4.0): which font is under which "
        "licence, with copyright lines, in `licenses/icon-fonts/README.txt`; the texts beside it.",
        "",
    ]

    # Python packages
    lines += ["## Python packages", "", "| Package | Version | Licence | Files |", "| --- | --- | --- | --- |"]
    dists = runtime_distributions(repo_root=repo_root)
    try:
        dists.append(metadata.distribution("pyinstaller"))  # the bootloader runs the bundle
    except metadata.PackageNotFoundError:
        pass
    for dist in dists:
        name, version = _dist_name(dist), dist.version
        folder = f"{name}-{version}"
        copied = copy_dist_licenses(dist, out / "python-packages" / folder)
        summary = license_summary(dist)
        if name.lower() == "pyinstaller":
            summary = "GPL-2.0-or-later with the bootloader exception (the bootloader may ship with any program)"
        if re.sub(r"[-_.]+", "-", name).lower() in ("pyside6-essentials", "pyside6", "shiboken6") and not copied:
            summary = "LGPL-3.0-only (chosen from LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only)"
            copied = ["see licenses/qt/"]
        files = ", ".join(f"`python-packages/{folder}/{c}`" if not c.startswith("see") else c for c in copied) or "(none shipped by the package)"
        lines.append(f"| {name} | {version} | {summary} | {files} |")
    lines.append("")

    # System libraries bundled by PyInstaller (Linux)
    if system_libraries:
        pkgs = debian_copyright_for(system_libraries)
        if pkgs:
            sysdir = out / "system-libraries"
            sysdir.mkdir()
            lines += [
                "## System libraries",
                "",
                "Shared libraries copied from the build machine (Debian packages) with their copyright files:",
                "",
            ]
            for pkg, doc in sorted(pkgs.items()):
                shutil.copyfile(doc, sysdir / f"{pkg}.copyright")
                lines.append(f"- {pkg} — `licenses/system-libraries/{pkg}.copyright`")
            lines.append("")

    notices = staging / "THIRD_PARTY_NOTICES.md"
    notices.write_text("\n".join(lines), encoding="utf-8")
    return notices


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staging", type=Path)
    args = parser.parse_args()
    print(collect(args.staging, Path(__file__).resolve().parent.parent))
