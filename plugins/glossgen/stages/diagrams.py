"""An entry's diagram: one SVG drawing in its facts, its words in each language.

The drawing is written once, in the entry's `diagram` field. Its text elements that
carry words name a label instead of holding them, with room for a number of characters
per line:

    <text x="120" y="40" data-label="frozen" data-max="18"/>

and each language gives the words, with the figure's `caption`, in its own `diagram`:

    sv:
      diagram: {caption: LoRA bredvid en fryst viktmatris, frozen: fryst W}

A label may run over several lines (a line break in the YAML text); each line must fit.
The page shows the drawing inline, so that it takes the page's font and colours, is
read by screen readers through its title, and requests nothing. Ids inside the drawing
are prefixed with the entry's id, so that two drawings on the print page never share
one. Words are XML-escaped here, and the page's allowlist (core/sanitize.py) is the
guarantee that a drawing carries nothing that runs or loads.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from ..core.model import Entry
from ..core.sanitize import removed

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
#: The label every language gives: the figure's caption, and the drawing's accessible name.
CAPTION = "caption"
#: Largest drawing accepted, in characters.
MAX_SIZE = 64_000
#: Deepest nesting of elements accepted (the drawing is rendered and sanitized recursively).
MAX_DEPTH = 32
_LABEL_NAME = re.compile(r"[a-z][a-z0-9_]*")
_REFERENCE = re.compile(r"url\(#([A-Za-z][A-Za-z0-9_-]*)\)")
#: Line height of a label that runs over several lines, in ems.
LINE_HEIGHT = 1.2


class DiagramProblem(ValueError):
    """A drawing that cannot be shown; the message says what to fix, `line` where in the drawing (from 1)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Slot:
    """A text element of the drawing that shows a label."""

    name: str
    room: int  # characters per line


def parse(svg: str) -> ElementTree.Element:
    """The drawing's root `<svg>` element; DiagramProblem if it is not a well-formed SVG drawing."""
    if len(svg) > MAX_SIZE:
        raise DiagramProblem(f"the drawing has {len(svg):,} characters; keep it under {MAX_SIZE:,}")
    if "<!" in svg.replace("<![CDATA[", ""):
        raise DiagramProblem("a drawing may not declare a DOCTYPE or entities; remove the <!...> declaration")
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        line, column = error.position
        message = str(error).split(":", 1)[0]  # expat's own words: "mismatched tag", "not well-formed (invalid token)"
        raise DiagramProblem(f"not well-formed SVG ({message}) at column {column + 1}; fix the markup", line) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise DiagramProblem(f'the drawing must be one <svg xmlns="{SVG_NAMESPACE}"> element')
    level = [(root, 1)]
    while level:
        element, depth = level.pop()
        if depth > MAX_DEPTH:
            raise DiagramProblem(f"the drawing nests elements more than {MAX_DEPTH} deep; flatten its groups")
        level += [(child, depth + 1) for child in element]
    return root


def slots(root: ElementTree.Element) -> dict[str, Slot]:
    """The labels the drawing shows, by name."""
    found: dict[str, Slot] = {}
    for element in root.iter():
        name = element.get("data-label")
        if name is None:
            continue
        if _local(element.tag) != "text":
            raise DiagramProblem(f"data-label '{name}' is on a <{_local(element.tag)}>; put it on a <text>")
        if not _LABEL_NAME.fullmatch(name) or name == CAPTION:
            raise DiagramProblem(f"data-label '{name}' is not a label name; use lowercase letters, digits and _ "
                                 f"(and not '{CAPTION}', which every language gives)")
        if name in found:
            raise DiagramProblem(f"data-label '{name}' is used twice; give each text its own label")
        room = element.get("data-max", "")
        if not room.isdigit() or int(room) < 1:
            raise DiagramProblem(f"data-label '{name}' needs data-max, the characters a line of it has room for")
        if len(element) or (element.text or "").strip():
            raise DiagramProblem(f"data-label '{name}': leave the <text> empty; each language gives its words")
        found[name] = Slot(name, int(room))
    return found


def label_problems(labels: Mapping[str, Slot], words: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    """What is wrong with one language's words for a drawing: (label, message) pairs."""
    if CAPTION not in words:
        yield CAPTION, f"missing '{CAPTION}': the figure's caption, also read out by screen readers"
    for name in labels:
        if name not in words:
            yield name, f"missing label '{name}' (the drawing shows {', '.join(labels)})"
    for name, text in words.items():
        if name != CAPTION and name not in labels:
            yield name, f"the drawing has no label '{name}'; its labels are {', '.join(labels) or '(none)'}"
        elif name in labels:
            for line in text.splitlines():
                if len(line) > labels[name].room:
                    yield name, (f"'{line}' has {len(line)} characters; the drawing has room for {labels[name].room} "
                                 "per line (break it over lines, or shorten it)")


def render(svg: str, words: Mapping[str, str], prefix: str) -> str:
    """The drawing with `words` in its labels, its ids prefixed with `prefix`, as one line of markup."""
    root = parse(svg)
    return _markup(root, words, prefix, top=True)


def id_prefix(entry_id: str) -> str:
    """What the ids of an entry's drawing start with in a page."""
    return f"{entry_id}-diagram"


def entry_diagram(entry: Entry, language: str) -> dict[str, str] | None:
    """The entry's drawing with the language's words, and its caption; None for an entry without one."""
    if entry.facts.diagram is None:
        return None
    words = entry.translations[language].diagram
    return {"svg": render(entry.facts.diagram, words, id_prefix(entry.id)), "caption": words[CAPTION]}


def drawing_problems(root: ElementTree.Element, labels: Mapping[str, Slot], prefix: str) -> list[str]:
    """What the page would lose of a parsed drawing: markup outside the allowlist, as the sanitizer names it."""
    words = {name: "x" for name in labels} | {CAPTION: "x"}
    return removed(_markup(root, words, prefix, top=True))


def _markup(element: ElementTree.Element, words: Mapping[str, str], prefix: str, *, top: bool = False) -> str:
    tag = _local(element.tag)
    attributes = {_local(name): _prefixed(name, value, prefix) for name, value in element.attrib.items()
                  if not _local(name).startswith("data-")}
    if top:
        attributes = {"xmlns": SVG_NAMESPACE, **attributes, "role": "img"}
    opened = "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items())
    label = element.get("data-label")
    if label is not None:
        return f"<{tag}{opened}>{_lines(words.get(label, ''), element.get('x'))}</{tag}>"
    inner = f"<title>{escape(words.get(CAPTION, ''))}</title>" if top else ""
    # Text shows only in these; elsewhere it is the drawing's indentation, which would end Markdown's HTML block.
    shows_text = tag in ("text", "tspan", "title", "desc")
    inner += escape(element.text or "") if shows_text else ""
    for child in element:
        inner += _markup(child, words, prefix)
        inner += escape(child.tail or "") if shows_text else ""
    return f"<{tag}{opened}>{inner}</{tag}>"


def _lines(text: str, x: str | None) -> str:
    """A label's words; over several lines, tspans centred on the text's own position."""
    lines = text.splitlines() or [""]
    if len(lines) == 1:
        return escape(lines[0])
    at = f" x={quoteattr(x)}" if x is not None else ""
    first = -(len(lines) - 1) * LINE_HEIGHT / 2
    return "".join(f"<tspan{at} dy=\"{(first if index == 0 else LINE_HEIGHT):g}em\">{escape(line)}</tspan>"
                   for index, line in enumerate(lines))


def _prefixed(name: str, value: str, prefix: str) -> str:
    """Ids and references into the drawing, made unique in the page by `prefix`."""
    local = _local(name)
    if local == "id":
        return f"{prefix}-{value}"
    if local == "href" and value.startswith("#"):
        return f"#{prefix}-{value[1:]}"
    return _REFERENCE.sub(lambda match: f"url(#{prefix}-{match.group(1)})", value)


def _local(name: str) -> str:
    """A tag or attribute name without its namespace: '{http://www.w3.org/2000/svg}rect' -> 'rect'."""
    return name.rsplit("}", 1)[-1]
