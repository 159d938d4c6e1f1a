"""Read a content file into plain data while keeping where every value came from.

PyYAML's `safe_load` throws away positions, silently keeps the last of two equal keys and expands
aliases without limit. Operators need better: every problem located at a line and column. So the
file is read in steps, each of which turns trouble into located `Problem`s and never raises:

1. bytes: empty, over 5 MB, not UTF-8 (at which byte and line);
2. compose: the YAML node tree (safe loader, positions kept); syntax errors and tab indentation;
3. guard: aliases that expand beyond a bound ("billion laughs") or loop are refused before
   anything walks the expanded tree; tags other than plain YAML types are refused, never run;
4. build: plain Python data from the nodes, with duplicate keys reported (naming both lines).

`Source.node_at(loc)` then walks the node tree along a pydantic error `loc` (or any key path) to
the node an operator should look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kiosk.content.problems import Problem

MAX_BYTES = 5 * 1024 * 1024
# How many values aliases may add by repetition. Real content reuses a few small anchors; a
# "billion laughs" file needs millions.
MAX_ALIAS_EXPANSION = 100_000

YAML_TAG = "tag:yaml.org,2002:"
ALLOWED_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp")}
MERGE_TAG = YAML_TAG + "merge"


@dataclass
class Source:
    """A content file read as far as it could be: text, node tree, data and problems so far."""

    path: Path
    name: str
    text: str = ""
    root: Node | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read at all (missing, a folder, no permission)
    refused: set[int] = field(default_factory=set)  # ids of nodes replaced by null (refused tags)
    keys: dict[int, Any] = field(default_factory=dict)  # id(key node) -> the key as built
    values: dict[int, Any] = field(default_factory=dict)  # id(scalar node) -> its value as built

    def data_of(self, node: Node) -> Any:
        return self.values.get(id(node))

    @property
    def usable(self) -> bool:
        """True when `data` is worth validating against the model."""
        return self.root is not None and not self.unreadable

    def problem(self, node: Node | None, severity: str, message: str, key: str = "") -> Problem:
        line, col = position(node)
        return Problem(self.name, line, col, severity, message, key)  # type: ignore[arg-type]

    # --- walking the node tree --------------------------------------------------------------

    def lookup(self, mapping: MappingNode, key: Any) -> tuple[Node, Node] | None:
        """The (key node, value node) pair for `key` in `mapping`, merged keys included."""
        found = None
        for k, v in mapping.value:
            if k.tag == MERGE_TAG:
                continue
            if _same_key(self.keys.get(id(k), _scalar_text(k)), key):
                found = (k, v)  # the last one wins, as when building the data
        if found is not None:
            return found
        for k, v in mapping.value:
            if k.tag != MERGE_TAG:
                continue
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for src in sources:
                if isinstance(src, MappingNode):
                    hit = self.lookup(src, key)
                    if hit is not None:
                        return hit
        return None

    def node_at(self, loc: tuple | list) -> tuple[Node | None, Node | None, int]:
        """Walk `loc` from the root: (deepest node reached, its key node, how many loc items used).

        Items that name no key in the data are skipped: pydantic puts union tags (the screen
        `type`) and `[key]` markers into `loc`; a missing key is the last item and so is simply
        not found, which leaves the walk at the mapping that lacks it.
        """
        node, key_node, used = self.root, None, 0
        for i, item in enumerate(loc):
            if node is None:
                break
            if item == "[key]" and key_node is not None:
                node = key_node
                used = i + 1
                break
            if isinstance(node, MappingNode):
                hit = self.lookup(node, item)
                if hit is not None:
                    key_node, node = hit
                    used = i + 1
                continue
            if isinstance(node, SequenceNode) and isinstance(item, int) and not isinstance(item, bool):
                if 0 <= item < len(node.value):
                    node, key_node = node.value[item], None
                    used = i + 1
                continue
        return node, key_node, used


def position(node: Node | None) -> tuple[int, int]:
    if node is None or node.start_mark is None:
        return 0, 0
    return node.start_mark.line + 1, node.start_mark.column + 1


def _same_key(built: Any, item: Any) -> bool:
    if built is item:
        return True
    if isinstance(built, bool) and type(item) is int:
        return int(built) == item  # pydantic writes a `no:` key (read as false) as 0 in `loc`
    try:
        if built == item and type(built) is type(item):
            return True
    except Exception:  # noqa: BLE001 - keys from arbitrary YAML
        return False
    return isinstance(item, str) and not isinstance(built, (dict, list)) and str(built) == item


def _scalar_text(node: Node) -> Any:
    return node.value if isinstance(node, ScalarNode) else None


def tag_name(tag: str) -> str:
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag


# --- step 1: bytes --------------------------------------------------------------------------------


def read(path: Path, data: bytes | None = None) -> Source:
    """Read and decode the file; `data` given means: check these bytes as if they were the file."""
    src = Source(path=path, name=path.name)
    if data is None:
        try:
            if path.is_dir():
                src.problems.append(Problem(src.name, 0, 0, "error", "content path is a folder, not a file"))
                src.unreadable = True
                return src
            if path.exists() and not path.is_file():
                src.problems.append(Problem(src.name, 0, 0, "error", "content path is not a regular file"))
                src.unreadable = True
                return src
            size = path.stat().st_size
            if size > MAX_BYTES:
                src.problems.append(Problem(src.name, 0, 0, "error", _too_big(size)))
                return src
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)  # never more, even if the file grows while read
        except FileNotFoundError:
            src.problems.append(Problem(src.name, 0, 0, "error", "content file is missing"))
            src.unreadable = True
            return src
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            src.problems.append(Problem(src.name, 0, 0, "error", f"cannot read the content file: {reason}"))
            src.unreadable = True
            return src
    if len(data) > MAX_BYTES:
        src.problems.append(Problem(src.name, 0, 0, "error", _too_big(len(data))))
        return src
    if not data.strip():
        what = "empty" if not data else "empty (only blank space)"
        src.problems.append(Problem(src.name, 0, 0, "error", f"file is {what}"))
        return src
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        before = data[:offset]
        line = before.count(b"\n") + 1
        col = offset - (before.rfind(b"\n") + 1) + 1
        bad = data[offset : offset + 1].hex()
        src.problems.append(
            Problem(
                src.name,
                line,
                col,
                "error",
                f"file is not UTF-8: byte 0x{bad} at byte {offset} (line {line}) cannot be decoded; "
                "save the file as UTF-8",
            )
        )
        return src
    if "\x00" in text:
        line, col = line_col(text, text.index("\x00"))
        src.problems.append(Problem(src.name, line, col, "error", "file holds a NUL character: is it a text file?"))
        return src
    if not text.strip():
        src.problems.append(Problem(src.name, 0, 0, "error", "file is empty (only blank space)"))
        return src
    src.text = text
    return src


_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def yaml_lines(text: str) -> list[str]:
    """The file's lines as YAML counts them (so a problem's line number finds the right one)."""
    return _BREAK.split(text)


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`, counting line breaks as YAML does."""
    breaks = list(_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def _too_big(size: int) -> str:
    return f"file is {size / 1024 / 1024:.1f} MB, over the 5 MB limit for a content file"


# --- step 2: compose ------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """The safe loader; used only to compose nodes and to build scalars (no object construction)."""


_TAB_INDENT = re.compile(r"^ *\t")

_HINTS = {
    "mapping values are not allowed here": "a value holding ': ' must be put in quotes",
    "could not find expected ':'": "is a ':' missing after a key, or a quote left open?",
    "found undefined alias": "an *alias names an &anchor that is not defined above it",
    "found unexpected end of stream": "a quote or bracket is left open",
    "expected a single document in the stream": "the file holds more than one '---' document",
}


def compose(src: Source) -> None:
    if not src.text:
        return
    loader = None
    try:
        loader = _Loader(src.text)
        src.root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, col = line_col(src.text, max(0, min(exc.position, len(src.text))))
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        src.problems.append(
            Problem(src.name, line, col, "error", f"character U+{char:04X} is not allowed in a YAML file")
        )
    except yaml.MarkedYAMLError as exc:
        _syntax_problems(src, exc)
    except yaml.YAMLError as exc:
        src.problems.append(Problem(src.name, 0, 0, "error", f"invalid YAML: {exc}"))
    except RecursionError:
        src.problems.append(Problem(src.name, 0, 0, "error", "values are nested too deeply to read"))
    finally:
        if loader is not None:
            loader.dispose()
    if src.root is None and not src.problems:
        src.problems.append(Problem(src.name, 1, 1, "error", "file holds no content (only comments or blank lines)"))


def _syntax_problems(src: Source, exc: yaml.MarkedYAMLError) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    lines = yaml_lines(src.text)
    tab_lines = [i + 1 for i, text in enumerate(lines) if _TAB_INDENT.match(text) and text.strip()]
    for n in tab_lines:
        tab_col = lines[n - 1].index("\t") + 1
        src.problems.append(Problem(src.name, n, tab_col, "error", "tab used for indentation: indent with spaces"))
    problem = (exc.problem or "").strip()
    if "'\\t'" in problem or line in tab_lines:
        if line not in tab_lines:
            src.problems.append(Problem(src.name, line, col, "error", "tab character where YAML allows only spaces"))
        return
    message = f"invalid YAML: {problem or exc.context or 'cannot read this'}"
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        if (exc.context_mark.line, exc.context_mark.column) != (exc.problem_mark.line, exc.problem_mark.column):
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    for start, hint in _HINTS.items():
        if problem.startswith(start):
            message += f"; {hint}"
            break
    src.problems.append(Problem(src.name, line, col, "error", message))


# --- step 3: guard --------------------------------------------------------------------------------


def guard(src: Source) -> None:
    """Refuse alias loops and alias bombs; refuse non-plain tags (replaced by null, never built)."""
    root = src.root
    if root is None:
        return
    try:
        sizes, nodes, expanded, loop = _count(root)
        distinct = len(sizes)
    except RecursionError:
        src.problems.append(Problem(src.name, 0, 0, "error", "values are nested too deeply to read"))
        src.root = None
        return
    if loop is not None:
        src.problems.append(
            src.problem(loop, "error", "an alias refers to a value that contains it (an endless loop): refused")
        )
        src.root = None
        return
    if expanded - distinct > MAX_ALIAS_EXPANSION:
        # Point at the smallest value that alone expands past the bound: where the bomb starts.
        big = [n for n in nodes if sizes[id(n)] > MAX_ALIAS_EXPANSION]
        culprit = min(big, key=lambda n: sizes[id(n)], default=root)
        src.problems.append(
            src.problem(
                culprit,
                "error",
                f"aliases (*name) would expand this file to {expanded:,} values: refused "
                f"(at most {MAX_ALIAS_EXPANSION:,} repeated values are allowed)",
            )
        )
        src.root = None
        return
    _refuse_tags(src, root, set())


def _count(root: Node) -> tuple[dict[int, int], list[Node], int, Node | None]:
    """(expanded size by node id, distinct nodes, size of the whole tree, a node in a loop or None)."""
    sizes: dict[int, int] = {}
    nodes: list[Node] = []
    on_path: set[int] = set()
    loop: list[Node] = []

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            loop.append(node)
            return 1
        on_path.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        on_path.discard(key)
        sizes[key] = total
        nodes.append(node)
        return total

    expanded = size(root)
    return sizes, nodes, expanded, (loop[0] if loop else None)


def _refuse_tags(src: Source, node: Node, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            if _bad_tag(child):
                node.value[i] = _refused(src, child)
            else:
                _refuse_tags(src, child, seen)
    elif isinstance(node, MappingNode):
        for i, (k, v) in enumerate(node.value):
            if _bad_tag(k):
                k = _refused(src, k)
            else:
                _refuse_tags(src, k, seen)
            if _bad_tag(v):
                v = _refused(src, v)
            else:
                _refuse_tags(src, v, seen)
            node.value[i] = (k, v)
    if node is src.root and _bad_tag(node):
        src.root = _refused(src, node)


def _bad_tag(node: Node) -> bool:
    return node.tag not in ALLOWED_TAGS


def _refused(src: Source, node: Node) -> Node:
    src.problems.append(
        src.problem(
            node,
            "error",
            f"YAML tag '{tag_name(node.tag)}' is not allowed: a content file holds plain values only "
            "(the tag was refused, nothing was run)",
        )
    )
    null = ScalarNode(YAML_TAG + "null", "", node.start_mark, node.end_mark)
    src.refused.add(id(null))
    return null


# --- step 4: build --------------------------------------------------------------------------------


def build(src: Source) -> None:
    if src.root is None:
        return
    ctor = _Loader("")
    memo: dict[int, Any] = {}
    try:
        src.data = _build(src, ctor, src.root, memo)
    except RecursionError:
        src.problems.append(Problem(src.name, 0, 0, "error", "values are nested too deeply to read"))
        src.root = None
    finally:
        ctor.dispose()


def _build(src: Source, ctor: yaml.SafeLoader, node: Node, memo: dict[int, Any]) -> Any:
    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, ScalarNode):
        try:
            value = ctor.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - e.g. `!!int abc` raises ValueError
            src.problems.append(src.problem(node, "error", f"cannot read {node.value!r} as {tag_name(node.tag)}"))
            value = None
            del exc
        memo[key] = value
        src.values[key] = value
        return value
    if isinstance(node, SequenceNode):
        items: list[Any] = []
        memo[key] = items
        items.extend(_build(src, ctor, child, memo) for child in node.value)
        return items
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        memo[key] = result
        merged: dict[Any, Any] = {}
        first_seen: dict[Any, Node] = {}
        for k, v in node.value:
            if k.tag == MERGE_TAG:
                sources = v.value if isinstance(v, SequenceNode) else [v]
                for s in sources:
                    value = _build(src, ctor, s, memo)
                    if isinstance(value, dict):
                        for mk, mv in value.items():
                            merged.setdefault(mk, mv)
                    else:
                        src.problems.append(src.problem(s, "error", "'<<' can only merge mappings (key: value)"))
                continue
            built_key = _build(src, ctor, k, memo)
            try:
                hash(built_key)
            except TypeError:
                src.problems.append(src.problem(k, "error", "a key must be a plain word, not a list or mapping"))
                continue
            src.keys[id(k)] = built_key
            if built_key in first_seen:
                first = position(first_seen[built_key])[0]
                again = position(k)[0]
                src.problems.append(
                    src.problem(
                        k,
                        "error",
                        f"duplicate key {str(built_key)!r}: first on line {first}, again on line {again} "
                        "(only one can count; remove or rename one)",
                    )
                )
            first_seen[built_key] = k
            result[built_key] = _build(src, ctor, v, memo)
        for mk, mv in merged.items():
            result.setdefault(mk, mv)
        return result
    return None


def parse(path: Path, data: bytes | None = None) -> Source:
    """All four steps; never raises for any file content."""
    src = read(path, data)
    if src.problems:
        return src
    compose(src)
    if src.root is None:
        return src
    guard(src)
    build(src)
    return src
