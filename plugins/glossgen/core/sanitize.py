"""The guarantee at the output: HTML passes an allowlist (nh3, the Rust `ammonia` sanitizer).

Tags, attributes and URL schemes are listed explicitly; everything else is removed, a
`<script>` or `<style>` element with its content. The lists hold what glossgen's own
pages are made of (text, headings, lists, definition lists, tables, code listings
highlighted by Pygments, links with tooltips and downloads, permalinks) and nothing
that runs: no script, no event handler, no `javascript:` or `data:` URL, no style but
a table cell's alignment. Diagrams are inline SVG made of shapes, paths and text: no
`<foreignObject>`, no `<image>`, no style, and every reference inside a drawing
(`marker-end="url(#arrow)"`, `<use href="#box">`) points into the page itself, never
to another file or site.

`removed` says what sanitizing takes out of a fragment, so that an entry whose text
would lose something is reported with its file and line before anything is published.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from types import MappingProxyType

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
})
ATTRIBUTES = MappingProxyType({
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "download"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"style"}),
    "th": frozenset({"style"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    # mkdocs-material's search leaves these out of its index: the facts table, the outdated notice, a diagram
    "div": frozenset({"data-search-exclude"}),
    "p": frozenset({"data-search-exclude"}),
    "figure": frozenset({"data-search-exclude"}),
})
#: The SVG a diagram may use, with its presentation attributes.
SVG_TAGS = frozenset({"svg", "g", "defs", "title", "desc", "rect", "circle", "ellipse", "line", "polyline", "polygon",
                      "path", "text", "tspan", "marker", "use"})
_SHAPE = frozenset({"fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap",
                    "stroke-linejoin", "stroke-opacity", "opacity", "transform", "marker-start", "marker-mid",
                    "marker-end", "vector-effect"})
_TEXT = frozenset({"x", "y", "dx", "dy", "text-anchor", "dominant-baseline", "font-size", "font-weight", "font-style"})
SVG_ATTRIBUTES = MappingProxyType({
    "svg": frozenset({"xmlns", "viewBox", "width", "height", "role", "aria-labelledby", "aria-hidden", "focusable",
                      "preserveAspectRatio"}),
    "g": _SHAPE | frozenset({"aria-hidden"}),
    "rect": _SHAPE | frozenset({"x", "y", "width", "height", "rx", "ry"}),
    "circle": _SHAPE | frozenset({"cx", "cy", "r"}),
    "ellipse": _SHAPE | frozenset({"cx", "cy", "rx", "ry"}),
    "line": _SHAPE | frozenset({"x1", "y1", "x2", "y2"}),
    "polyline": _SHAPE | frozenset({"points"}),
    "polygon": _SHAPE | frozenset({"points"}),
    "path": _SHAPE | frozenset({"d"}),
    "text": _SHAPE | _TEXT,
    "tspan": _SHAPE | _TEXT,
    "marker": frozenset({"viewBox", "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient"}),
    "use": _SHAPE | frozenset({"href", "x", "y", "width", "height"}),
})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({"text-align"})

_LOCAL_REFERENCE = re.compile(r"#[A-Za-z][A-Za-z0-9_-]*")
_LOCAL_URL = re.compile(r"url\(#[A-Za-z][A-Za-z0-9_-]*\)")


def _inside_the_page(element: str, attribute: str, value: str) -> str | None:
    """A drawing's references stay in the page: `href` on `<use>` is '#id', and any url() is url(#id)."""
    if element in SVG_TAGS:
        if attribute == "href":
            return value if _LOCAL_REFERENCE.fullmatch(value) else None
        if "url(" in value.lower() or "\\" in value:
            return value if _LOCAL_URL.fullmatch(value.strip()) else None
    return value


_CLEANER = nh3.Cleaner(tags=set(TAGS | SVG_TAGS), clean_content_tags={"script", "style"},
                       attributes={tag: set(names) for tag, names in (ATTRIBUTES | SVG_ATTRIBUTES).items()},
                       attribute_filter=_inside_the_page,
                       url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                       filter_style_properties=set(STYLE_PROPERTIES))
# The same parser and serializer keeping what HTML can run, to tell whether the allowlist removed anything.
_RUNNABLE = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "math",
                       "foreignObject", "image", "animate", "set", "animateTransform", "animateMotion", "feImage",
                       "pattern", "mask", "clipPath", "filter", "a",
                       "form", "input", "button", "textarea", "select", "option", "link", "meta", "base", "video",
                       "audio", "source", "track", "canvas", "template", "noscript", "marquee"})
_KEEPER = nh3.Cleaner(tags=set(TAGS | SVG_TAGS | _RUNNABLE), clean_content_tags=set(), generic_attribute_prefixes={""},
                      url_schemes=set(URL_SCHEMES | {"javascript", "vbscript", "data", "file", "ftp"}), link_rel=None,
                      strip_comments=False)


def sanitize(html: str) -> str:
    """`html` with everything outside the allowlist removed."""
    return _CLEANER.clean(html)


def sanitize_reporting(html: str) -> tuple[str, list[str]]:
    """`html` sanitized, and what sanitizing removed (an empty list for markup the allowlist covers)."""
    clean = _CLEANER.clean(html)
    if clean == _KEEPER.clean(html):
        return clean, []
    return clean, removed(html)


def removed(html: str) -> list[str]:
    """What `sanitize` takes out of `html`, each as a reader would name it ("<script>", "onclick on <img>")."""
    before, after = _Markup.of(html), _Markup.of(sanitize(html))
    return sorted((before - after).elements())


class _Markup(HTMLParser):
    """The tags, attributes (with URL values) and comments of a fragment, counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    @classmethod
    def of(cls, html: str) -> Counter[str]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[f"<{tag}>"] += 1
        for name, value in attrs:
            shown = f" '{_short(value)}'" if name in ("href", "src") and value else ""
            self.found[f"{name}{shown} on <{tag}>"] += 1

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.found["an HTML comment"] += 1


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else f"{text[:37]}..."
