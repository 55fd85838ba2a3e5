"""What entry text becomes in a page, checked against the output allowlist before anything is published.

Input checks (lint.py) name the usual ways of putting markup into entry text, but the
page is what counts: a reference-style link, an attribute list or a term can carry
HTML the patterns miss. Every text field is therefore converted to HTML with the site's
own Markdown extensions, as MkDocs will convert the page, and whatever the sanitizer
(core/sanitize.py) would remove is a problem located at the field. The build sanitizes
every generated page as well; this check is what turns a removal into a message.

`pymdownx.snippets` is never run on entry text (it would paste files into the page);
an include is reported by lint, on the text as written and as rendered.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

import markdown

from ..core.errors import Problem
from ..core.memo import Memo, digest
from ..core.model import Entry, Glossary
from ..core.results import RenderedText
from ..core.sanitize import removed
from ..core.settings import stable_text
from .lint import markup_problems

#: Extensions that read files or run code at conversion: never applied to entry text.
_NEVER = frozenset({"pymdownx.snippets", "markdown_include.include", "mdx_include"})


class MarkupCheck:
    """Converts text as the site's Markdown does and names what the page's sanitizer would remove."""

    def __init__(self, extensions: Sequence[str], configs: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        names = [name for name in extensions if name not in _NEVER]
        configs = configs or {}
        self.markdown = markdown.Markdown(extensions=names,
                                          extension_configs={name: dict(configs[name]) for name in names if name in configs})
        # the memos of checked text are kept under this key: every option that changes a conversion is in it
        self.key = digest(repr(names), json.dumps({name: configs[name] for name in names if name in configs},
                                                  sort_keys=True, default=stable_text), markdown.__version__)

    def lost(self, text: str, *, heading: bool = False) -> list[str]:
        """What the page would lose of `text` (a heading's text with `heading`)."""
        self.markdown.reset()
        return removed(self.markdown.convert(f"# {text}" if heading else text))


def text_problems(entry: Entry, language: str, text: RenderedText, check: MarkupCheck) -> list[Problem]:
    """Problems in one entry's rendered text in one language, and in the other words its page shows."""
    translation = entry.translations[language]
    fields: list[tuple[str, str, bool]] = [("term", text.term, True), ("short", text.short, False),
                                           ("body", text.body, False)]
    fields += [(f"aspects.{name}", value, False) for name, value in text.aspects.items()]
    fields += [("usage", text.usage, False)] if text.usage else []
    fields += [(name, value, False) for name, value in (("abbr", translation.abbr), ("plural", translation.plural),
                                                        ("gender", translation.gender)) if value]
    fields += [(f"{kind}.{index}", value, False) for kind in ("synonyms", "deprecated")
               for index, value in enumerate(getattr(translation, kind))]
    fields.append(("short", f"- x: {text.short}", False))  # as the lists of concepts show it
    problems = []
    for name, value, heading in fields:
        where = f"{language}.{name}"
        line = entry.line_of(f"{where}:text") or entry.line_of(where) or entry.line_of(language)
        built = [Problem(entry.path, line, f"{where}: as rendered, {message}")  # made by rendering, e.g. from escapes
                 for _, message in markup_problems(value)]
        problems += built
        lost = [] if built else check.lost(value, heading=heading)
        if lost and not any(problem.message.startswith(f"{where}:") for problem in problems):
            problems.append(Problem(entry.path, line, f"{where}: the page would lose {', '.join(lost)}; "
                                    "entry text may not carry HTML, event handlers or script links"))
    return problems


def glossary_problems(glossary: Glossary, check: MarkupCheck, memo: Memo[str, Any] | None = None) -> list[Problem]:
    """Problems in the words of categories, comparisons and sources, as the pages show them (kept in `memo`
    under a key over those words and the Markdown configuration)."""
    if memo is None:
        return _glossary_problems(glossary, check)
    key = digest("glossary words", check.key, repr(sorted(glossary.categories.items())),
                 repr(sorted(glossary.comparisons.items())), repr(sorted(glossary.sources.items())),
                 repr(sorted(glossary.places.items())))
    return list(memo.get(key, lambda: _glossary_problems(glossary, check)))


def _glossary_problems(glossary: Glossary, check: MarkupCheck) -> list[Problem]:
    found = []
    for category_id, category in glossary.categories.items():
        for language, text in category.texts.items():
            found += [(f"category:{category_id}", f"{category_id}.{language}.{name}", getattr(text, name), False)
                      for name in ("name", "description")]
    for comparison_id, comparison in glossary.comparisons.items():
        for language, text in comparison.texts.items():
            found += [(f"comparison:{comparison_id}", f"{comparison_id}.{language}.{name}", getattr(text, name),
                       name == "title") for name in ("title", "intro")]
    for source_id, source in glossary.sources.items():
        found += [(f"source:{source_id}", f"{source_id}.{name}", getattr(source, name), False)
                  for name in ("title", "authors", "publisher", "note") if getattr(source, name)]
    problems = []
    for place, where, text, heading in found:
        lost = check.lost(text, heading=heading)
        if lost:
            path, line = glossary.places.get(place, ("glossary", None))
            problems.append(Problem(path, line, f"{where}: the page would lose {', '.join(lost)}; write plain text"))
    return problems
