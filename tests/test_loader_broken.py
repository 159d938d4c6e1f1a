"""Broken content files, one per kind of problem, and the exact line an operator reads for each.

Every case starts from tests/broken/valid_minimal.yaml (or is a whole file in tests/broken/),
is written as content.yaml into a fresh folder holding real fonts, and must give exactly the
headlines listed: file:line:col: severity: message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.content.loader import load

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"
VALID = (BROKEN / "valid_minimal.yaml").read_text(encoding="utf-8")
FONTS = HERE.parent / "assets" / "fonts"

CHART = """\
  - type: chart
    id: trend
    title: {en: CO2 in the air, de: CO2 in der Luft}
    lead: {en: It keeps rising., de: Es steigt weiter.}
    x_label: {en: Year, de: Jahr}
    y_label: {en: ppm, de: ppm}
    series:
      - label: {en: Mauna Loa, de: Mauna Loa}
        source: NOAA GML
        csv: {path: assets/data/co2.csv, x: year, y: ppm}
"""


def make_folder(folder: Path) -> Path:
    """A content folder with real fonts, an icon and a data file; returns where content.yaml goes."""
    (folder / "assets" / "fonts").mkdir(parents=True, exist_ok=True)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(FONTS / name, folder / "assets" / "fonts" / name)
    (folder / "assets" / "images").mkdir(exist_ok=True)
    (folder / "assets" / "images" / "tree.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (folder / "assets" / "images" / "tree.gif").write_bytes(b"GIF89a" + b"\0" * 16)
    (folder / "assets" / "data").mkdir(exist_ok=True)
    (folder / "assets" / "data" / "co2.csv").write_text("year,ppm\n2000,369.7\n2010,389.9\n2020,n/a\n")
    return folder / "content.yaml"


def edited(*edits: tuple[str, str]) -> str:
    text = VALID
    for old, new in edits:
        assert text.count(old) >= 1, f"fixture text not found: {old!r}"
        text = text.replace(old, new, 1)
    return text


# (case id, file content as text or bytes, or a file in tests/broken; the exact headlines)
CASES: list[tuple[str, str | bytes, list[str]]] = [
    (
        "yaml syntax: colon inside an unquoted value",
        edited(("    id: intro\n", "    id: intro: why\n")),
        [
            "content.yaml:79:14: error: invalid YAML: mapping values are not allowed here; "
            "a value holding ': ' must be put in quotes"
        ],
    ),
    (
        "yaml syntax: unclosed flow mapping",
        edited(("  menu: {en: Menu, de: Menü}", "  menu: {en: Menu, de: Menü")),
        [
            "content.yaml:40:8: error: invalid YAML: expected ',' or '}', but got ':' "
            "(while parsing a flow mapping at line 39)"
        ],
    ),
    (
        "tab indentation",
        "tab_indent.yaml",
        [
            "content.yaml:4:1: error: tab used for indentation: indent with spaces",
            "content.yaml:5:1: error: tab used for indentation: indent with spaces",
        ],
    ),
    (
        "duplicate key names both lines",
        edited(("    id: intro\n", "    id: intro\n    id: why\n")),
        [
            "content.yaml:80:5: error: duplicate key 'id': first on line 79, again on line 80 "
            "(only one can count; remove or rename one)"
        ],
    ),
    (
        "wrong type: text where a number belongs",
        edited(("rate: 37.4", "rate: abc")),
        ["content.yaml:76:17: error: expected a number, got 'abc'"],
    ),
    (
        "wrong type: a number where text belongs",
        edited(("back: {en: Back, de: Zurück}", "back: {en: Back, de: 2}")),
        ["content.yaml:38:24: error: expected text, got the number 2 (put it in quotes)"],
    ),
    (
        "out of range",
        edited(("at: [0.5, 0.2]", "at: [0.5, 1.2]")),
        ["content.yaml:72:21: error: must be at most 1, got the number 1.2"],
    ),
    (
        "text size under 24 pt",
        edited(("  font_bold: assets", "  text_size_pt: 18\n  font_bold: assets")),
        ["content.yaml:9:17: error: must be at least 24, got the number 18"],
    ),
    (
        "missing required key, located at the mapping",
        edited(("        label: {en: removal needed by 2050, de: Entnahme bis 2050 nötig}\n", "")),
        ["content.yaml:83:9: error: screens[1].figures[0]: missing required key 'label'"],
    ),
    (
        "unknown key with a suggestion",
        edited(("    lead: {en: Cutting", "    laed: {en: Cutting")),
        [
            "content.yaml:81:5: error: unknown key 'laed', did you mean 'lead'?",
        ],
    ),
    (
        "unknown key without a near match lists the allowed keys",
        edited(("    id: intro\n", "    id: intro\n    colour_scheme: dark\n")),
        [
            "content.yaml:80:5: error: unknown key 'colour_scheme' "
            "(allowed here: id, title, menu_label, narration, sources, type, lead, body, figures)"
        ],
    ),
    (
        "unknown screen type",
        edited(("  - type: facts", "  - type: fact")),
        ["content.yaml:78:5: error: unknown screen type 'fact', did you mean 'facts'?"],
    ),
    (
        "model rule: link end is not a node",
        edited(("          to: air", "          to: aire")),
        ["content.yaml:75:15: error: screens[0].diagram: link end 'aire' is not a node id (known: air, fossil)"],
    ),
    (
        "model rule: a screen id used twice, located at the second",
        edited(("    id: intro", "    id: attract")),
        ["content.yaml:79:9: error: screen id 'attract' is used twice"],
    ),
    (
        "model rule: default language not offered",
        edited(("default: en", "default: fr")),
        ["content.yaml:4:12: error: languages: default language 'fr' is not in available ['en', 'de']"],
    ),
    (
        "colour not #RRGGBB",
        edited(('    accent: "#f4a259"', "    accent: orange")),
        ["content.yaml:15:13: error: expected a colour as #RRGGBB (e.g. #1a2b3c), got 'orange'"],
    ),
    (
        "YAML reads no as false",
        edited(("names: {en: English, de: Deutsch}", "names: {en: English, de: Deutsch, no: Norsk}")),
        [
            "content.yaml:6:37: error: expected text, got 'no', which YAML reads as false (put it in quotes)",
        ],
    ),
    (
        "yes read as true where a number belongs",
        edited(("rate: 37.4", "rate: yes")),
        ["content.yaml:76:17: error: expected a number, got 'yes', which YAML reads as true"],
    ),
    (
        "font missing, with a near name",
        edited(("NotoSans-Bold.ttf", "NotoSans-Bolt.ttf")),
        ["content.yaml:9:14: error: font not found: 'assets/fonts/NotoSans-Bolt.ttf', did you mean 'NotoSans-Bold.ttf'?"],
    ),
    (
        "backslashes in an asset path",
        edited(("font_bold: assets/fonts/NotoSans-Bold.ttf", "font_bold: assets\\fonts\\NotoSans-Bold.ttf")),
        [
            "content.yaml:9:14: error: font not found: 'assets\\fonts\\NotoSans-Bold.ttf' "
            "(write paths with / between folders, not \\)"
        ],
    ),
    (
        "font of an unsupported type",
        edited(("NotoSans-Bold.ttf", "NotoSans-Bold.woff2")),
        ["content.yaml:9:14: error: unsupported font type '.woff2': use .ttf or .otf"],
    ),
    (
        "asset path escaping the content folder",
        edited(("assets/fonts/NotoSans-Bold.ttf", "../../fonts/NotoSans-Bold.ttf")),
        ["content.yaml:9:14: error: font path '../../fonts/NotoSans-Bold.ttf' leads outside the content folder"],
    ),
    (
        "absolute asset path",
        edited(("assets/fonts/NotoSans-Bold.ttf", "/usr/share/fonts/NotoSans-Bold.ttf")),
        [
            "content.yaml:9:14: error: font path must be relative to the content folder, "
            "got '/usr/share/fonts/NotoSans-Bold.ttf'"
        ],
    ),
    (
        "icon given as an image path, not an icon name",
        edited(("          kind: air\n", "          kind: air\n          icon: assets/images/tree.gif\n")),
        [
            "content.yaml:72:17: error: unknown icon 'assets/images/tree.gif': an icon is a name from the "
            "icon sets, not a file; write set.name, e.g. 'mdi6.pine-tree'"
        ],
    ),
    (
        "icon name misspelt",
        edited(("          kind: air\n", "          kind: air\n          icon: mdi6.pine-tre\n")),
        ["content.yaml:72:17: error: unknown icon 'mdi6.pine-tre', did you mean 'mdi6.pine-tree'?"],
    ),
    (
        "chart data file missing",
        VALID + CHART.replace("co2.csv", "co2_ppm.csv"),
        [
            "content.yaml:96:21: error: data file not found: 'assets/data/co2_ppm.csv', "
            "did you mean 'co2.csv'?"
        ],
    ),
    (
        "chart data column missing",
        VALID + CHART.replace("y: ppm", "y: ppn"),
        ["content.yaml:96:54: error: column 'ppn' is not in 'assets/data/co2.csv', did you mean 'ppm'?"],
    ),
    (
        "chart data with a value that is not a number",
        VALID + CHART,
        ["assets/data/co2.csv:4:6: error: expected a number in column 'ppm', got 'n/a'"],
    ),
    (
        "text missing in a language",
        edited(("lead: {en: Cutting emissions is not enough., de: Emissionen senken reicht nicht.}", "lead: {en: Hi.}")),
        ["content.yaml:81:11: warning: screens[1].lead: no text in 'de'"],
    ),
    (
        "interface text without its placeholder",
        edited(('de: "Neustart in {seconds} s."', 'de: "Neustart in {sekunden} s."')),
        ["content.yaml:43:63: warning: ui.still_there_body.de: has no {seconds}, so visitors will not see the number"],
    ),
    (
        "figure without a source",
        edited(("        source: IPCC AR6 WGIII\n", "")),
        ["content.yaml:83:9: error: number shown to visitors has no source"],
    ),
    (
        "flow link without a source",
        edited(("          source: Global Carbon Budget 2024\n", "")),
        ["content.yaml:74:11: error: number shown to visitors has no source"],
    ),
    (
        "sentence over 25 words",
        edited(("lead: {en: Cutting emissions is not enough.,", "lead: {en: " + "very " * 26 + "long.,")),
        ['content.yaml:81:16: warning: screens[1].lead.en: sentence of 27 words, over 25: "very very very very very ..."'],
    ),
    (
        "text block over 100 words",
        edited(
            (
                "lead: {en: Cutting emissions is not enough.,",
                "lead: {en: " + "One two three four five six seven eight nine ten. " * 11 + "End.,",
            )
        ),
        [
            "content.yaml:81:16: warning: screens[1].lead.en: text of 111 words, over 100 "
            "(split it or shorten it for readers standing at the screen)"
        ],
    ),
    (
        "low contrast in normal mode",
        edited(('    muted: "#b8c7c3"', '    muted: "#4a6a6a"')),
        [
            "content.yaml:14:12: error: contrast of muted #4a6a6a on background #0d2b2e is 2.53:1 "
            "in theme.normal, needs at least 4.5:1"
        ],
    ),
    (
        "under 7:1 in high-contrast mode",
        edited(('    on_accent: "#000000"', '    on_accent: "#555555"')),
        [
            "content.yaml:29:16: error: contrast of on_accent #555555 on accent #ffd700 is 5.31:1 "
            "in theme.high_contrast, needs at least 7:1"
        ],
    ),
    ("empty file", "empty.yaml", ["content.yaml:0:0: error: file is empty"]),
    (
        "not UTF-8, at which byte",
        "not_utf8.yaml",
        [
            "content.yaml:2:11: error: file is not UTF-8: byte 0xe9 at byte 17 (line 2) cannot be decoded; "
            "save the file as UTF-8"
        ],
    ),
    (
        "a tag that would run code",
        "python_tag.yaml",
        [
            "content.yaml:2:1: error: missing required key 'languages'",
            "content.yaml:2:1: error: missing required key 'theme'",
            "content.yaml:2:1: error: missing required key 'ui'",
            "content.yaml:2:1: error: missing required key 'screens'",
            "content.yaml:2:8: error: YAML tag '!!python/object/apply:os.system' is not allowed: a content file "
            "holds plain values only (the tag was refused, nothing was run)",
        ],
    ),
    (
        "billion laughs",
        "billion_laughs.yaml",
        [
            "content.yaml:6:4: error: aliases (*name) would expand this file to 1,234,567,909 values: refused "
            "(at most 100,000 repeated values are allowed)"
        ],
    ),
    (
        "alias loop",
        "a: &a [1, *a]\n",
        ["content.yaml:1:4: error: an alias refers to a value that contains it (an endless loop): refused"],
    ),
    (
        "nesting too deep to read",
        "[" * 500 + "]" * 500,
        ["content.yaml:0:0: error: values are nested too deeply to read"],
    ),
    (
        "only comments",
        "# nothing here yet\n",
        ["content.yaml:1:1: error: file holds no content (only comments or blank lines)"],
    ),
    (
        "a list instead of a mapping",
        "- title\n- screens\n",
        ["content.yaml:1:1: error: expected the file to be a mapping of keys, got a list"],
    ),
]


def _content(spec: str | bytes) -> bytes:
    if isinstance(spec, bytes):
        return spec
    if spec.endswith(".yaml") and "\n" not in spec:
        return (BROKEN / spec).read_bytes()
    return spec.encode("utf-8")


@pytest.mark.parametrize(("spec", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_file_gives_exact_headlines(tmp_path: Path, spec: str | bytes, expected: list[str]) -> None:
    path = make_folder(tmp_path)
    path.write_bytes(_content(spec))
    result = load(path)
    assert [p.headline() for p in result.problems] == expected
    if any(p.is_error for p in result.problems):
        assert not result.ok


def test_valid_minimal_is_clean(tmp_path: Path) -> None:
    path = make_folder(tmp_path)
    path.write_text(VALID, encoding="utf-8")
    result = load(path)
    assert result.problems == []
    assert result.ok and result.exhibition is not None
    assert result.exhibition.languages.available == ["en", "de"]
    assert result.base_dir == tmp_path


def test_every_case_kind_is_covered() -> None:
    assert len(CASES) >= 15


def test_symlink_out_of_the_content_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "show"
    path = make_folder(folder)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(FONTS / "NotoSans-Bold.ttf", outside / "NotoSans-Bold.ttf")
    (folder / "assets" / "fonts" / "NotoSans-Bold.ttf").unlink()
    (folder / "assets" / "fonts" / "NotoSans-Bold.ttf").symlink_to(outside / "NotoSans-Bold.ttf")
    path.write_text(VALID, encoding="utf-8")
    assert [p.headline() for p in load(path).problems] == [
        "content.yaml:9:14: error: font path 'assets/fonts/NotoSans-Bold.ttf' leads outside the content folder "
        "(through a symbolic link)"
    ]


def test_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    path = make_folder(tmp_path)
    path.write_text(VALID + ("# padding\n" * 600_000), encoding="utf-8")
    assert [p.headline() for p in load(path).problems] == [
        "content.yaml:0:0: error: file is 5.7 MB, over the 5 MB limit for a content file"
    ]


def test_missing_file_and_folder_are_unreadable(tmp_path: Path) -> None:
    missing = load(tmp_path / "content.yaml")
    assert [p.headline() for p in missing.problems] == ["content.yaml:0:0: error: content file is missing"]
    assert missing.unreadable and not missing.ok and missing.exhibition is None
    folder = load(tmp_path)
    assert folder.unreadable and folder.problems[0].message == "content path is a folder, not a file"


def test_problem_keys_name_the_path(tmp_path: Path) -> None:
    path = make_folder(tmp_path)
    path.write_text(edited(("rate: 37.4", "rate: abc")), encoding="utf-8")
    (problem,) = load(path).problems
    assert problem.key == "screens[0].diagram.links[0].rate"
    assert (problem.file, problem.line, problem.col, problem.severity) == ("content.yaml", 76, 17, "error")


def test_merge_keys_and_anchors_are_allowed(tmp_path: Path) -> None:
    path = make_folder(tmp_path)
    text = edited(
        ("  next: {en: Next, de: Weiter}", "  next: &next {en: Next, de: Weiter}"),
        ("  start: {en: Start, de: Start}", "  start:\n    <<: *next\n    de: Los"),
    )
    path.write_text(text, encoding="utf-8")
    result = load(path)
    assert result.problems == []
    assert result.exhibition is not None
    assert result.exhibition.ui.start.root == {"en": "Next", "de": "Los"}


def test_a_bad_value_reused_through_an_alias_is_reported_once(tmp_path: Path, shipped_content_path: Path) -> None:
    """The shipped content draws the attract loop's streams again on the flows screen through
    aliases (`*link_fossil`): one wrong rate is one mistake at one line, not two errors."""
    shutil.copytree(shipped_content_path.parent / "assets", tmp_path / "assets")
    text = shipped_content_path.read_text(encoding="utf-8")
    anchor = text.index("&link_fossil")
    rate = text.index("rate: 38.1", anchor)
    path = tmp_path / "content.yaml"
    path.write_text(text[:rate] + "rate: lots" + text[rate + len("rate: 38.1"):], encoding="utf-8")
    assert text.count("*link_fossil") >= 1
    line = text[:rate].count("\n") + 1
    result = load(path)
    assert [p.headline() for p in result.problems] == [f"content.yaml:{line}:17: error: expected a number, got 'lots'"]


def test_billion_laughs_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "content.yaml"
    shutil.copy(BROKEN / "billion_laughs.yaml", path)
    tracemalloc.start()
    try:
        result = load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.ok
    assert "aliases" in result.problems[0].message
    assert peak < 20 * 1024 * 1024


def test_not_a_regular_file_is_unreadable(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "content.yaml"
    os.mkfifo(fifo)
    result = load(fifo)  # must not block reading a pipe
    assert result.unreadable
    assert [p.headline() for p in result.problems] == ["content.yaml:0:0: error: content path is not a regular file"]


def test_load_result_api(tmp_path: Path) -> None:
    path = make_folder(tmp_path)
    path.write_text(edited(("        source: IPCC AR6 WGIII\n", "")), encoding="utf-8")
    result = load(str(path))
    assert result.path == path and result.base_dir == tmp_path
    assert result.exhibition is not None  # valid types, but an error the kiosk refuses
    assert not result.ok and result.errors == result.problems and result.warnings == []
    (problem,) = result.errors
    assert (problem.file, problem.line, problem.col, problem.severity, problem.key) == (
        "content.yaml",
        83,
        9,
        "error",
        "screens[1].figures[0]",
    )
    assert problem.headline() == "content.yaml:83:9: error: number shown to visitors has no source"


def test_every_problem_at_once(tmp_path: Path) -> None:
    """Type errors elsewhere do not hide the checks on the parts that are valid by themselves."""
    path = make_folder(tmp_path)
    text = edited(
        ("rate: 37.4", "rate: abc"),
        ("  font_bold:", "  font_bodl:"),
        ('    muted: "#b8c7c3"', '    muted: "#4a6a6a"'),
        ("        source: IPCC AR6 WGIII\n", ""),
        ("lead: {en: Cutting emissions is not enough., de: Emissionen senken reicht nicht.}", "lead: {en: Hi.}"),
        ("    id: intro\n", "    id: intro\n    id: why\n"),
    )
    path.write_text(text, encoding="utf-8")
    assert [p.headline() for p in load(path).problems] == [
        "content.yaml:9:3: error: unknown key 'font_bodl', did you mean 'font_bold'?",
        "content.yaml:14:12: error: contrast of muted #4a6a6a on background #0d2b2e is 2.53:1 in theme.normal, "
        "needs at least 4.5:1",
        "content.yaml:76:17: error: expected a number, got 'abc'",
        "content.yaml:80:5: error: duplicate key 'id': first on line 79, again on line 80 "
        "(only one can count; remove or rename one)",
        "content.yaml:82:11: warning: screens[1].lead: no text in 'de'",
        "content.yaml:84:9: error: number shown to visitors has no source",
    ]
