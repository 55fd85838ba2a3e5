"""What the tests and the benchmarks share: a tiny but complete glossgen site, and the site's mkdocs.yml.

`write_site` writes a four-entry, four-language project into a folder; `Site` builds it
for real (`mkdocs build`, the `glossgen` command) or runs the pipeline in this process
(`Site.settings`, `Site.problems`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bs4 import BeautifulSoup

from glossgen.core.errors import GlossaryError
from glossgen.core.settings import Settings
from glossgen.memory import Memory
from glossgen.pipeline import build_site
from glossgen.stages.load import load_glossary
from glossgen.stages.translation import source_fingerprint

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "nl", "sv", "de")
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands", "sv": "Svenska", "de": "Deutsch"}

_MKDOCS_YML = """\
site_name: {site_name}
site_url: {site_url}
docs_dir: docs
strict: true
theme:
  name: material
  language: en
  font: false
  features: [content.code.copy, content.tooltips, navigation.top, navigation.footer, search.highlight]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      toggle: {{icon: material/weather-night, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      toggle: {{icon: material/weather-sunny, name: Switch to light mode}}
markdown_extensions:
  - admonition
  - attr_list
  - def_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
plugins:
  - search
{glossgen}  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      reconfigure_search: false   # glossgen writes one search index per language
      languages:
{languages}nav:
  - index.md
  - glossary/index.md
  - glossary/categories/index.md
not_in_nav: |
  /glossary/**
"""


def mkdocs_yml(*, site_name: str = "Fixture glossary", site_url: str = "https://glossary.example/",
               glossgen: dict | None = None, with_glossgen: bool = True,
               languages: tuple[str, ...] = LANGUAGES) -> str:
    """A site like the project's own: mkdocs-material, mkdocs-static-i18n, and (unless not wanted) glossgen.

    `glossgen` holds the plugin's options; without glossgen the same site is the plain-Markdown baseline.
    """
    plugin = ""
    if with_glossgen:
        options = "".join(f"      {name}: {value}\n" for name, value in (glossgen or {}).items())
        plugin = "  - glossgen:\n" + options if options else "  - glossgen\n"
    listed = "".join(f"        - {{locale: {language}, name: {LANGUAGE_NAMES[language]},"
                     f"{' default: true,' if index == 0 else ''} build: true}}\n"
                     for index, language in enumerate(languages))
    return _MKDOCS_YML.format(site_name=site_name, site_url=site_url, glossgen=plugin, languages=listed)


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
ENTRIES = {"weights": (WEIGHTS, ["error"]), "error": (ERROR, None), "zebra": (ZEBRA, None), "apple": (APPLE, None)}


@dataclass
class Site:
    root: Path
    timeout: float = 30

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace the first `old` in a file of the site; it must be there."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", *args], cwd=self.root, capture_output=True, text=True,
                              timeout=timeout)

    def build(self, *options: str) -> subprocess.CompletedProcess:
        return self.run("mkdocs", "build", "--strict", *options)

    def glossgen(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("glossgen.cli", *args)

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.site_dir / relative).read_text(encoding="utf-8"), "html.parser")

    def heading(self, relative: str) -> str:
        """The page's h1 as a reader sees it, without the permalink sign."""
        return self.html(relative).find("h1").get_text(strip=True).rstrip("¶")

    def settings(self, **changes: object) -> Settings:
        """The settings the site's mkdocs.yml gives, for running the pipeline in this process."""
        options = {"site_url": "https://glossary.example/", "site_name": "Fixture glossary",
                   "docs_dir": self.root / "docs", **changes}
        return Settings(self.root, self.root / "glossary", self.root / "snippets", None, LANGUAGES, "en",
                        self.timeout, **options)

    def problems(self, memory: Memory | None = None) -> list[str]:
        """What `glossgen validate` would report, one line each, from the pipeline run in this process."""
        try:
            build_site(self.settings(), memory)
        except GlossaryError as error:
            return [str(problem) for problem in error.problems]
        return []


def write_site(root: Path, timeout: float = 30) -> Site:
    site = Site(root, timeout)
    site.write("mkdocs.yml", mkdocs_yml(glossgen={"snippet_timeout": timeout}))
    for language in LANGUAGES:
        suffix = "" if language == "en" else f".{language}"
        site.write(f"docs/index{suffix}.md", f"# Home {language}\n\nWelcome ({language}).\n")
    site.write("glossary/_categories.yml", CATEGORIES)
    site.write("glossary/_sources.yml", SOURCES)
    site.write("snippets/dense.py", SNIPPET)
    for entry_id, (terms, related) in ENTRIES.items():
        site.write(f"glossary/{entry_id}.yml", entry_yaml(entry_id, terms, related))
    # Translations are current: record the fingerprint of the English text, at the end of each block.
    glossary = load_glossary(site.root / "glossary", LANGUAGES)
    for entry_id, (terms, related) in ENTRIES.items():
        fingerprint = source_fingerprint(glossary.entries[entry_id], "en")
        site.write(f"glossary/{entry_id}.yml", entry_yaml(entry_id, terms, related, based_on=fingerprint))
    return site


#: What a build of the project's own site reads.
PROJECT_FILES = ("mkdocs.yml", "docs", "glossary", "snippets")


def build_project(site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    """Build a copy of the project's own site into `site_dir`, strictly, with no warning allowed.

    A copy, so that a test never writes into the checkout (nor two test processes into one folder).
    """
    project = site_dir.parent / "project"
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("glossary") if name == "docs" else None)
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    (project / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")  # KaTeX, as `npm ci` installed it
    environment = {**os.environ, **({"GLOSSGEN_SITE_URL": site_url} if site_url else {})}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=project, capture_output=True, text=True, timeout=600, env=environment)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))], result.stderr
    return result


def synthetic_project(root: Path, concepts: int) -> tuple[list, Settings]:
    """A synthetic project (benchmarks/synthetic.py) of `concepts` entries, and its settings."""
    import importlib.util

    from mkdocs.config import load_config

    from glossgen.config import settings_from
    spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).parent.parent / "benchmarks/synthetic.py")
    sys.modules.setdefault("synthetic", importlib.util.module_from_spec(spec))  # its dataclasses look their module up there
    spec.loader.exec_module(sys.modules["synthetic"])
    concepts_written = sys.modules["synthetic"].write_project(root, concepts)
    return concepts_written, settings_from(load_config(str(root / "mkdocs.yml")))


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A browser that drops a connection it no longer needs (a prefetch, a page left) is no error of the site's;
        anything else is reported as the standard server reports it."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1 at a free port; yields its address. Build into it before loading pages."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
