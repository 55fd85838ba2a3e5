"""Read one YAML file into plain data, keeping the line of every value.

An input file is read only if it is a regular file inside the project, of at most
MAX_FILE_BYTES: a link to a file elsewhere, a device or a pipe named `*.yml` is a
problem, not a read without end. Its nesting is measured on the parser's events before
anything is composed, so a file nested thousands of levels deep is one located error
rather than a recursion crash.

Every scalar stays the text its author wrote: the composer runs with no implicit type
resolution, so `no`, `1e3` or `2021-06-01` are strings until the schema says otherwise
(no "Norway problem"). Duplicate keys and aliases are refused rather than resolved.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Location = tuple[str | int, ...]

#: The largest input file read, in bytes (the longest entry of the project is about 20 KB).
MAX_FILE_BYTES = 1_000_000
#: The deepest nesting of mappings and lists an input file may have (an entry needs four).
MAX_DEPTH = 32


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[Location, int]


# BaseLoader resolves every scalar to str; libyaml's C parser, bundled with PyYAML's wheels, is much faster.
_TextOnlyLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def read_input(path: Path, root: Path | None = None, *, folders: dict[str, bool] | None = None) -> bytes:
    """The bytes of an input file; YamlProblem if it is not a regular file inside `root`, or too large.

    `folders` keeps, across the calls that read one folder's files, whether each folder is inside
    `root`: a file that is not a link is inside exactly when its folder is, which is then looked up once.
    """
    if root is not None and not _inside_root(path, root, folders):
        raise YamlProblem(None, f"is a link to {path.resolve()}, outside the project; put the file itself here")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a pipe must not wait for a writer
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem(None, "is not a regular file (a device, pipe or socket); an input must be a plain file")
        with os.fdopen(os.dup(descriptor), "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(None, f"is larger than {MAX_FILE_BYTES:,} bytes; split it or shorten it")
    return data


def _inside_root(path: Path, root: Path, folders: dict[str, bool] | None) -> bool:
    # A resolved path has no links in it: if it starts with `root` as given, it is inside root's real folder.
    if folders is not None and not os.path.islink(path):
        folder = os.path.dirname(path)
        if folder not in folders:
            folders[folder] = _resolves_inside(Path(folder), root)
        return folders[folder]
    return _resolves_inside(path, root)


def _resolves_inside(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved.is_relative_to(root) or resolved.is_relative_to(root.resolve())


def read_yaml(path: Path, root: Path | None = None) -> YamlDocument:
    """Read and parse `path`; raise YamlProblem with a line and a fix for anything unreadable."""
    return parse_yaml(read_input(path, root))


def parse_yaml(data: bytes) -> YamlDocument:
    """Parse the bytes of one YAML file; raise YamlProblem with a line and a fix for anything unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(None, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    try:
        _check_depth(text)
        loader = _TextOnlyLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(line, f"control character U+{exc.character:04X} is not allowed in YAML; remove it") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}") from None
    if root is None:
        raise YamlProblem(None, "the file is empty")
    lines: dict[Location, int] = {}
    return YamlDocument(_to_python(root, (), lines, set()), lines)


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, found on the parser's events (which need no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_TextOnlyLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(event.start_mark.line + 1,
                                  f"nested more than {MAX_DEPTH} levels deep; an entry needs only a few")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem or "tab character" in problem:
        return YamlProblem(line, "a tab character where YAML needs spaces; indent with spaces")
    context = f" {exc.context}" if exc.context else ""
    return YamlProblem(line, f"YAML syntax error: {problem}{context}; check indentation and quoting")


def _to_python(node: Node, location: Location, lines: dict[Location, int], seen: set[int]) -> Any:
    # An alias composes to the very node its anchor made: meeting a node twice means an alias,
    # refused before it can multiply (the "billion laughs").
    if id(node) in seen:
        raise YamlProblem(lines.get(location), "aliases (*name) are not supported; write the value out")
    seen.add(id(node))
    lines[location] = _content_line(node)
    if isinstance(node, ScalarNode):
        return unicodedata.normalize("NFC", node.value)
    if isinstance(node, SequenceNode):
        return [_to_python(item, location + (i,), lines, seen) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(key_node.start_mark.line + 1, "a key must be plain text")
            key = unicodedata.normalize("NFC", key_node.value)
            if key in mapping:
                first = lines[location + (key,)]
                raise YamlProblem(key_node.start_mark.line + 1,
                                  f"duplicate key '{key}' (first at line {first}); keep one")
            lines[location + (key,)] = key_node.start_mark.line + 1
            mapping[key] = _to_python(value_node, location + (key,), lines, seen)
            lines[location + (key,)] = key_node.start_mark.line + 1
            lines[location + (key, "<value>")] = _content_line(value_node)
        return mapping
    raise YamlProblem(node.start_mark.line + 1, f"unsupported YAML node {node.tag}")


def _content_line(node: Node) -> int:
    """1-based line where the node's text begins (a block scalar starts below its '|')."""
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        return node.start_mark.line + 2
    return node.start_mark.line + 1
