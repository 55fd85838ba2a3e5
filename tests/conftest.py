"""A tiny but complete glossgen site, written into tmp_path and built for real."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from glossgen.load import load_glossary
from glossgen.translation import source_fingerprint

LANGUAGES = ("en", "nl", "sv", "de")

MKDOCS_YML = """\
site_name: Fixture glossary
site_url: https://glossary.example/
docs_dir: docs
theme:
  name: material
  language: en
  font: false
  features: [content.tooltips, content.code.copy]
markdown_extensions:
  - attr_list
  - def_list
  - md_in_html
  - tables
  - toc
  - pymdownx.highlight
  - pymdownx.superfences
plugins:
  - search
  - glossgen:
      snippet_timeout: {timeout}
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      reconfigure_search: false   # glossgen writes one search index per language
      languages:
        - {{locale: en, name: English, default: true, build: true}}
        - {{locale: nl, name: Nederlands, build: true}}
        - {{locale: sv, name: Svenska, build: true}}
        - {{locale: de, name: Deutsch, build: true}}
nav:
  - index.md
  - glossary/index.md
  - glossary/categories/index.md
not_in_nav: |
  /glossary/**
"""

CATEGORIES = """\
basics:
  en: {name: Basics, description: The parts of a model.}
  nl: {name: Basis, description: De onderdelen van een model.}
  sv: {name: Grunder, description: En modells delar.}
  de: {name: Grundlagen, description: Die Teile eines Modells.}
"""

SOURCES = """\
lecun2015:
  title: Deep learning
  authors: LeCun, Bengio and Hinton
  year: 2015
  url: https://www.nature.com/articles/nature14539
"""

SNIPPET = '''\
"""A dense layer."""
import numpy as np

W = np.zeros((500, 1000))
b = np.zeros(500)
results = {"weights": W.size, "biases": b.size, "total": W.size + b.size, "big": 6_738_415_616}
print(f"total: {results['total']:,}")
'''


def entry_yaml(entry_id: str, terms: dict[str, str], related: list[str] | None = None, extra: str = "",
               based_on: str | None = None) -> str:
    """A valid entry whose term in each language is `terms[language]`; `based_on` marks translations current."""
    genders = {"nl": "het", "sv": "en", "de": "das"}
    parts = [f"id: {entry_id}", "category: basics", f"related: [{', '.join(related or [])}]",
             "sources: [lecun2015]", "examples: [dense]", extra.strip()]
    for language in LANGUAGES:
        term = terms[language]
        lines = [f"{language}:", f"  term: {term}"]
        if language in genders:
            lines.append(f"  gender: {genders[language]}")
        lines += [f"  short: Short definition of {term} in {language}.", "  body: |",
                  f'    Body of {term}: {{{{ n("dense.total") }}}} and {{{{ approx("dense.big") }}}} {{{{ cite("lecun2015") }}}}.']
        if based_on and language != "en":
            lines.append(f"  based_on: {based_on}")
        parts.append("\n".join(lines))
    return "\n".join(part for part in parts if part) + "\n"


WEIGHTS = {"en": "weight", "nl": "gewicht", "sv": "vikt", "de": "Gewicht"}
ERROR = {"en": "error", "nl": "fout", "sv": "öga", "de": "Ärger"}
ZEBRA = {"en": "zebra", "nl": "zebra", "sv": "zebra", "de": "Zebra"}
APPLE = {"en": "apple", "nl": "appel", "sv": "åska", "de": "Apfel"}


@dataclass
class Site:
    root: Path

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", *args], cwd=self.root, capture_output=True, text=True, timeout=timeout)

    def build(self) -> subprocess.CompletedProcess:
        return self.run("mkdocs", "build", "--strict")

    def glossgen(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("glossgen.cli", *args)

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.site_dir / relative).read_text(encoding="utf-8"), "html.parser")


def write_site(root: Path, timeout: float = 30) -> Site:
    site = Site(root)
    site.write("mkdocs.yml", MKDOCS_YML.format(timeout=timeout))
    for language in LANGUAGES:
        suffix = "" if language == "en" else f".{language}"
        site.write(f"docs/index{suffix}.md", f"# Home {language}\n\nWelcome ({language}).\n")
    site.write("glossary/_categories.yml", CATEGORIES)
    site.write("glossary/_sources.yml", SOURCES)
    site.write("snippets/dense.py", SNIPPET)
    entries = {"weights": (WEIGHTS, ["error"]), "error": (ERROR, None), "zebra": (ZEBRA, None), "apple": (APPLE, None)}
    for entry_id, (terms, related) in entries.items():
        site.write(f"glossary/{entry_id}.yml", entry_yaml(entry_id, terms, related))
    # Translations are current: record the fingerprint of the English text, at the end of each block.
    glossary = load_glossary(site.root / "glossary", LANGUAGES)
    for entry_id, (terms, related) in entries.items():
        fingerprint = source_fingerprint(glossary.entries[entry_id], "en")
        site.write(f"glossary/{entry_id}.yml", entry_yaml(entry_id, terms, related, based_on=fingerprint))
    return site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return write_site(tmp_path)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """One real build shared by the read-only tests of a module."""
    site = write_site(tmp_path_factory.mktemp("site"))
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once with `mkdocs build --strict`; no warning allowed."""
    site_dir = tmp_path_factory.mktemp("project") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))], result.stderr
    return site_dir
