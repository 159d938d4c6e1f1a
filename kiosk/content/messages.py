"""Pydantic validation errors, located in the YAML and phrased for operators, not programmers."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kiosk.content.model import COLOR_PATTERN, LANG_PATTERN
from kiosk.content.model import Exhibition
from kiosk.content.modelpath import allowed_keys, dotted, model_at, numeric, step, without_tags
from kiosk.content.problems import Problem
from kiosk.content.yamlsrc import MERGE_TAG, YAML_TAG, Source

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
URL_PATTERN = r"^(https?://|mailto:)\S+$"

_PATTERN_WORDS = {
    COLOR_PATTERN: "a colour as #RRGGBB (e.g. #1a2b3c)",
    LANG_PATTERN: "a language code such as 'en' or 'pt-BR'",
    ID_PATTERN: "an id of lowercase letters, digits and _ that starts with a letter",
    URL_PATTERN: "a web address starting with https:// (or mailto:)",
}

_YAML_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}


def describe(value: Any, node: Node | None = None) -> str:
    """How a value reads in a message: `'abc'`, `the number 5`, `a list`, `nothing`."""
    raw = node.value if isinstance(node, ScalarNode) else None
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        if isinstance(raw, str) and raw.lower() in _YAML_BOOL_WORDS:
            return f"{raw!r}, which YAML reads as {str(value).lower()}"
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {raw if isinstance(raw, str) else value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, options: list[str]) -> str | None:
    hits = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return hits[0] if hits else None


def _phrase(err: dict[str, Any], path: str, node: Node | None) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    got = describe(value, node)
    loc = err["loc"]
    last = loc[-1] if loc else None

    if kind == "missing":
        parent = dotted(without_tags(loc[:-1]))
        if isinstance(last, int):
            return f"{parent}: missing value number {last + 1}"
        return f"{parent}: missing required key '{last}'" if parent else f"missing required key '{last}'"
    if kind == "extra_forbidden":
        model = model_at(loc[:-1])
        options = allowed_keys(model) if model is not None else []
        hint = _suggest(str(last), options)
        if hint:
            return f"unknown key '{last}', did you mean '{hint}'?"
        if options:
            return f"unknown key '{last}' (allowed here: {', '.join(options)})"
        return f"unknown key '{last}'"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"expected a number, got {got}"
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"expected a whole number, got {got}"
    if kind in ("string_type", "string_sub_type"):
        hint = " (put it in quotes)" if isinstance(value, (int, float, dt.date)) else ""
        return f"expected text, got {got}{hint}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind == "greater_than_equal":
        return f"must be at least {_num(ctx.get('ge'))}, got {got}"
    if kind == "greater_than":
        return f"must be more than {_num(ctx.get('gt'))}, got {got}"
    if kind == "less_than_equal":
        return f"must be at most {_num(ctx.get('le'))}, got {got}"
    if kind == "less_than":
        return f"must be less than {_num(ctx.get('lt'))}, got {got}"
    if kind == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        what = "a key" if last == "[key]" else ""
        return f"expected {what + ' that is ' if what else ''}{words}, got {got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"{path}: needs at least {n} {'entry' if n == 1 else 'entries'}, got {ctx.get('actual_length')}"
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"{path}: allows at most {n} {'entry' if n == 1 else 'entries'}, got {ctx.get('actual_length')}"
    if kind in ("list_type", "tuple_type", "iterable_type"):
        return f"expected a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"expected a mapping (key: value lines), got {got}"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, got {got}"
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        hint = _suggest(str(ctx.get("tag")), tags)
        text = f"unknown screen type '{ctx.get('tag')}'"
        if hint:
            return f"{text}, did you mean '{hint}'?"
        return f"{text} (known types: {', '.join(tags)})"
    if kind == "union_tag_not_found":
        return f"{path}: missing required key 'type'" if path else "missing required key 'type'"
    if kind in ("value_error", "assertion_error"):
        msg = str(err.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix) :]
        return f"{path}: {msg}" if path else msg
    return f"{err.get('msg', 'invalid value')}, got {got}"


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


_QUOTED = re.compile(r"'([^']+)'")


def _values_named(src: Source, node: Node | None, keys: set[str], value: str, depth: int = 4) -> list[Node]:
    """Value nodes under `node` (document order) whose key is in `keys` and whose text is `value`."""
    found: list[Node] = []
    if node is None or depth < 0:
        return found
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(v, ScalarNode) and src.keys.get(id(k)) in keys and v.value == value:
                found.append(v)
            elif not isinstance(v, ScalarNode):
                found += _values_named(src, v, keys, value, depth - 1)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            found += _values_named(src, child, keys, value, depth - 1)
    return found


def _refine(src: Source, node: Node | None, message: str) -> Node | None:
    """For a model rule's message, the value it is about (the link end, the repeated id), if found."""
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    names = _QUOTED.findall(message)
    if not names:
        return None
    if " is used twice" in message:
        hits = _values_named(src, node, {"id"}, names[0])
        return hits[1] if len(hits) > 1 else None
    if message.startswith("link end "):
        hits = _values_named(src, node, {"from", "to"}, names[0])
        return hits[0] if hits else None
    if message.startswith("default language "):
        hits = _values_named(src, node, {"default"}, names[0], depth=1)
        return hits[0] if hits else None
    if message.startswith("the first screen must be"):
        screens = src.lookup(node, "screens") if isinstance(node, MappingNode) else None
        if screens is not None and isinstance(screens[1], SequenceNode) and screens[1].value:
            first = screens[1].value[0]
            hit = src.lookup(first, "type") if isinstance(first, MappingNode) else None
            return hit[1] if hit else first
    return None


def _misspelt(errors: list[dict[str, Any]]) -> set[tuple]:
    """(parent loc, key) of required keys that an unknown key next to them is a typo of."""
    found: set[tuple] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] != "extra_forbidden" or not loc:
            continue
        model = model_at(loc[:-1])
        hint = _suggest(str(loc[-1]), allowed_keys(model)) if model is not None else None
        if hint:
            found.add((loc[:-1], hint))
    return found


def validation_problems(src: Source, exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    misspelt = _misspelt(errors)
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc and (loc[:-1], loc[-1]) in misspelt:
            continue  # "unknown key 'sourse', did you mean 'source'?" says it already
        node, key_node, used = src.node_at(loc)
        if node is not None and id(node) in src.refused:
            continue  # a refused tag, already reported
        kind = err["type"]
        if kind == "extra_forbidden" and key_node is not None and used == len(loc):
            where = key_node
        elif kind in ("value_error", "assertion_error"):
            where = _refine(src, node, str(err.get("msg", ""))) or node
        else:
            where = node
        clean = without_tags(loc)
        path = dotted(clean)
        try:
            message = _phrase(err, path, node if used == len(loc) else None)
        except Exception:  # noqa: BLE001 - never lose a problem over its wording
            message = f"{path}: {err.get('msg', 'invalid value')}"
        problems.append(src.problem(where, "error", message, path))
    return problems


def bools_as_numbers(src: Source) -> list[Problem]:
    """`rate: yes` is read as true, which pydantic would quietly take as 1: refuse it, located."""
    problems: list[Problem] = []
    seen: set[int] = set()

    def visit(tp: Any, node: Node, loc: tuple) -> None:
        if tp is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag == YAML_TAG + "bool" and numeric(tp):
                got = describe(src.data_of(node), node)
                problems.append(src.problem(node, "error", f"expected a number, got {got}", dotted(loc)))
            return
        if isinstance(node, SequenceNode):
            for i, child in enumerate(node.value):
                visit(step(tp, i, None), child, (*loc, i))
        elif isinstance(node, MappingNode):
            tag = src.lookup(node, "type")
            kind = tag[1].value if tag is not None and isinstance(tag[1], ScalarNode) else None
            for k, v in node.value:
                if k.tag == MERGE_TAG or id(k) not in src.keys:
                    continue
                key = src.keys[id(k)]
                visit(step(tp, key, kind), v, (*loc, key))

    if src.root is not None:
        try:
            visit(Exhibition, src.root, ())
        except RecursionError:
            pass
    return problems
