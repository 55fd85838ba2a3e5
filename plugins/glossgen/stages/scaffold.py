"""A new entry file with every field in place, for authors to fill in, and how to tell it is not filled in yet.

The texts `glossgen new` writes begin with PLACEHOLDER; a field that still holds it is
unfinished, which `glossgen validate` and the build report and `glossgen status` counts.
Articles are left empty, with the valid ones in a comment, so validate asks for them
rather than publish a guess.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Mapping, Sequence

import yaml

from ..core.genders import gender_table
from ..core.labels import parse_locale
from ..core.model import Translation

PLACEHOLDER = "To be written:"


def unfinished_fields(translation: Translation) -> list[str]:
    """The fields of a translation that still hold the text `glossgen new` wrote."""
    fields = {"short": translation.short, "body": translation.body, **{f"aspects.{name}": text for name, text
                                                                         in translation.aspects.items()}}
    return [name for name, text in fields.items() if PLACEHOLDER in text]


def new_entry(entry_id: str, category: str, languages: Sequence[str],
              genders: Mapping[str, Mapping[str, str]] | None = None) -> str:
    genders = genders if genders is not None else gender_table()
    placeholder = entry_id.replace("-", " ")
    lines = [
        f"id: {entry_id}",
        f"category: {category}",
        "related: []            # ids of related entries",
        "sources: []            # ids from _sources*.yml that the text cites",
        "examples: []           # snippets (snippets/<name>.py) to show on the page",
    ]
    for language in languages:
        lines += [f"{language}:", f"  term: {placeholder}"]
        if language in genders:
            lines.append(f"  gender:            # the article of the term: one of {', '.join(genders[language])}")
        lines += [
            f'  short: "{PLACEHOLDER} one sentence that defines {placeholder}."',
            "  body: |",
            f"    {PLACEHOLDER} what {placeholder} is, with figures from snippets and links to",
            "    other entries (see docs/add-a-term.md).",
        ]
    return "\n".join(lines) + "\n"


#: The example snippet `glossgen init` writes: the parameters of one dense layer.
STARTER_SNIPPET = '''\
"""The parameters of a dense layer: a weight per pair of input and output, a bias per output."""
import numpy as np

inputs, outputs = 1000, 500
weights = np.zeros((inputs, outputs))
biases = np.zeros(outputs)

results = {"inputs": inputs, "outputs": outputs, "total": weights.size + biases.size}
print(f"{weights.size:,} weights + {biases.size:,} biases = {results['total']:,} parameters")
'''

STARTER_SOURCE = """\
goodfellow2016:
  title: Deep Learning
  authors: Ian Goodfellow, Yoshua Bengio and Aaron Courville
  year: 2016
  publisher: MIT Press
  url: https://www.deeplearningbook.org/
"""


def starter_texts() -> Mapping[str, Mapping[str, str]]:
    """The example entry's text in every language glossgen has it for (starter/entry.yml)."""
    text = resources.files("glossgen").joinpath("starter", "entry.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def new_site(languages: Sequence[str], default_language: str, site_name: str,
             labels: Mapping[str, Mapping[str, str]], genders: Mapping[str, Mapping[str, str]],
             layout: str = "suffix") -> tuple[dict[str, str], list[str]]:
    """The files of a new glossgen site (path -> text), and the languages whose example text is left to write.

    `labels` gives each language's page words, for the home pages' links; `layout` is mkdocs-static-i18n's
    docs_structure: home pages as docs/index.sv.md (suffix) or docs/sv/index.md (folder).
    """
    starters = starter_texts()
    to_write = [language for language in languages if language not in starters]
    files = {"mkdocs.yml": _site_config(languages, default_language, site_name, layout),
             "glossary/_sources.yml": STARTER_SOURCE,
             "snippets/dense_layer.py": STARTER_SNIPPET,
             ".gitignore": f"site/\n.cache/\ndocs/{'*/' if layout == 'folder' else ''}glossary/\n",
             "Makefile": _MAKEFILE,
             "README.md": _README.format(site_name=site_name)}
    categories = ["basics:"]
    entry = ["id: parameter", "category: basics", "sources: [goodfellow2016]", "examples: [dense_layer]"]
    figures = {name: f'{{{{ n("dense_layer.{name}") }}}}' for name in ("inputs", "outputs", "total")}
    for language in languages:
        words = labels[language]
        suffix = "" if language == default_language or layout == "folder" else f".{language}"
        folder = f"{language}/" if layout == "folder" else ""
        files[f"docs/{folder}index{suffix}.md"] = (f"# {site_name}\n\n- [{words['index_title']}](glossary/index.md)\n"
                                           f"- [{words['categories_title']}](glossary/categories/index.md)\n")
        text = starters.get(language)
        if text is None:
            term = starters["en"]["term"]
            text = {"term": term, "short": f"{PLACEHOLDER} one sentence that defines {term}.",
                    "body": f"{PLACEHOLDER} what a {term} is, with {{total}} from the snippet.",
                    "category": f"{PLACEHOLDER} basics", "description": f"{PLACEHOLDER} what the category holds."}
        categories.append(f"  {language}: {{name: {_quoted(text['category'])}, description: {_quoted(text['description'])}}}")
        entry += [f"{language}:", f"  term: {_quoted(text['term'])}"]
        if language in genders:
            gender = text.get("gender")
            entry.append(f"  gender: {_quoted(gender)}" if gender in genders[language] else
                         f"  gender:            # the article of the term: one of {', '.join(genders[language])}")
        body = text["body"].format(**figures)
        entry += [f"  short: {_quoted(text['short'])}", "  body: |", f'    {body} {{{{ cite("goodfellow2016") }}}}']
    files["glossary/_categories.yml"] = "\n".join(categories) + "\n"
    files["glossary/parameter.yml"] = "\n".join(entry) + "\n"
    return files, to_write


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _site_config(languages: Sequence[str], default_language: str, site_name: str, layout: str) -> str:
    listed = "".join(f"        - locale: {language}\n          name: {_quoted(_language_name(language))}\n"
                     f"{'          default: true' + chr(10) if language == default_language else ''}"
                     "          build: true\n" for language in [default_language, *(l for l in languages if l != default_language)])
    return _MKDOCS_YML.format(site_name=_quoted(site_name), language=default_language, languages=listed, layout=layout,
                              generated="/*/glossary/**" if layout == "folder" else "/glossary/**")


def _language_name(language: str) -> str:
    """The language's own name for itself, as CLDR writes it (Français, Suomi, العربية)."""
    locale = parse_locale(language)
    if locale is None:
        return language
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]


_MKDOCS_YML = """\
site_name: {site_name}
site_url: !ENV [SITE_URL, "https://glossary.example.org/"]   # where the site will be published
docs_dir: docs
strict: true

theme:
  name: material
  language: {language}
  font: false            # no web fonts: the site works offline
  features: [content.tooltips, content.code.copy, navigation.top]

markdown_extensions:     # what glossgen's pages use (the plugin enables any that are missing)
  - attr_list
  - def_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.superfences

plugins:
  - search
  - glossgen             # its options: the page "Use glossgen in your own site"
  - i18n:
      docs_structure: {layout}
      fallback_to_default: false
      reconfigure_search: false   # glossgen writes one search index per language
      languages:
{languages}
nav:
  - index.md
  - glossary/index.md
  - glossary/categories/index.md

not_in_nav: |
  {generated}
"""

_MAKEFILE = """\
# The site's two commands: `make serve` previews it while you edit, `make build` builds it into site/.
serve:
\tmkdocs serve --dirty --no-strict

build:
\tmkdocs build --strict

.PHONY: serve build
"""

_README = """\
# {site_name}

A glossary made with glossgen: one YAML file per concept in `glossary/`, its worked figures computed
by the NumPy snippets in `snippets/`.

- `make serve`: preview the site at http://127.0.0.1:8000 while you edit (`mkdocs serve --dirty --no-strict`).
- `make build`: build the site into `site/`, failing on any problem (`mkdocs build --strict`).

`glossgen new ID` starts an entry; `glossgen validate` checks the glossary as the build would publish it.
"""
