"""Whatever bytes an operator's editor writes, load() returns located problems and never raises."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import yaml

from kiosk.content.loader import LoadResult, load, load_bytes

VALID = (Path(__file__).resolve().parent / "broken" / "valid_minimal.yaml").read_text(encoding="utf-8")
_FOLDER = Path(tempfile.gettempdir())

TOKENS = list(" \n\t:-#&*!|>'\"[]{},?%@`.0123456789abcenxyz_\u00e9") + ["---", "<<", "en", "  ", "\n  ", "!!", "&a", "*a"]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=150).map("".join)


def assert_located(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    for p in result.problems:
        assert p.line >= 0 and p.col >= 0
        assert p.message and p.severity in ("error", "warning")
        assert not p.message.startswith("internal error"), p.message
        assert p.headline().startswith(f"{p.file}:{p.line}:{p.col}: {p.severity}: ")
    if result.exhibition is None:
        assert result.errors, "no content and no error to say why"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    assert_located(load_bytes(data, _FOLDER / "content.yaml"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_random_yaml_ish_text(text: str) -> None:
    assert_located(load_bytes(text.encode("utf-8"), _FOLDER / "content.yaml"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(VALID)), st.integers(0, 40), YAMLISH)
def test_mutated_valid_file(at: int, cut: int, insert: str) -> None:
    text = VALID[:at] + insert + VALID[at + cut :]
    assert_located(load_bytes(text.encode("utf-8"), _FOLDER / "content.yaml"))


def test_load_reads_the_same_as_load_bytes(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_bytes(b"title: [")
    assert load(path).problems == load_bytes(b"title: [", path).problems


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["en", "de", "id", "type", "label", "value", "x", "from"]), inner, max_size=3),
    max_leaves=8,
)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _paths(v, (*prefix, i))
    return found


_VALID_DATA = yaml.safe_load(VALID)
_VALID_PATHS = _paths(_VALID_DATA)[1:]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_VALID_PATHS), VALUES, st.booleans())
def test_valid_file_with_one_value_replaced(path: tuple, value: object, as_key: bool) -> None:
    data = copy.deepcopy(_VALID_DATA)
    parent = data
    for item in path[:-1]:
        parent = parent[item]
    if as_key and isinstance(parent, dict):
        parent["colour_" + str(path[-1])] = parent.pop(path[-1])  # an unknown key next to the known ones
    else:
        parent[path[-1]] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    result = load_bytes(text.encode("utf-8"), _FOLDER / "content.yaml")
    assert_located(result)
    for p in result.errors:
        assert p.line >= 1, f"an error in the data should point at a line: {p.headline()}"
