"""Read one YAML file into plain data, keeping the line of every value.

Every scalar stays the text its author wrote: the composer runs with no implicit type
resolution, so `no`, `1e3` or `2021-06-01` are strings until the schema says otherwise
(no "Norway problem"). Duplicate keys and aliases are refused rather than resolved.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Location = tuple[str | int, ...]


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


def read_yaml(path: Path) -> YamlDocument:
    """Parse `path`; raise YamlProblem with a line and a fix for anything unreadable."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(None, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    try:
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
