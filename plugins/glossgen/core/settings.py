"""Settings: where the inputs are and every option that shapes the output, derived once per run."""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from markdown.extensions import Extension

from .urls import page_name

DEFAULT_TIMEOUT = 30.0
#: The Markdown extensions glossgen's pages use, as a site without its own list would have them.
MARKDOWN_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "def_list", "md_in_html", "pymdownx.highlight",
                       "pymdownx.superfences")


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline needs to know about a project; paths are absolute.

    `glossgen.config.settings_from` derives them from a site's mkdocs.yml, for the MkDocs
    plugin and the `glossgen` command alike; tests build them directly.
    """

    root: Path
    glossary_dir: Path
    snippets_dir: Path
    cache_dir: Path | None
    languages: Sequence[str]
    default_language: str
    snippet_timeout: float = DEFAULT_TIMEOUT
    site_url: str = ""       # the exports' and notebooks' links are absolute under it
    site_name: str = ""      # the title of llms.txt
    output_dir: str = "glossary"  # the generated pages' folder inside docs_dir: their URLs start with it
    docs_dir: Path | None = None  # the site's docs_dir (default: docs/ beside mkdocs.yml)
    markdown_extensions: Sequence[str] = MARKDOWN_EXTENSIONS  # the site's, to see entry text as its pages will
    markdown_configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    locale_dir: Path | None = None  # the site's own gettext catalogs of page words (<language>/LC_MESSAGES/glossgen.po)
    genders: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # the site's additions to genders.yml
    spelling: str = "en-US"  # the English spelling convention the lint holds: en-US, en-GB, or '' for none
    layout: str = "suffix"  # mkdocs-static-i18n's docs_structure: pages named lora.sv.md, or sv/glossary/lora.md

    @property
    def pages_dir(self) -> Path:
        """Where the generated pages are written."""
        return (self.docs_dir or self.root / "docs") / self.output_dir

    @property
    def page_folders(self) -> list[Path]:
        """The folders of docs_dir that glossgen fills, and nothing else writes in."""
        if self.layout == "folder":
            return [self.pages_dir.parent / language / self.output_dir for language in self.languages]
        return [self.pages_dir]

    def page_source(self, path: str) -> tuple[Path, str]:
        """Where a generated page (named as `render_pages` names it: lora.sv.md) is written: one of
        `page_folders`, and its path inside that folder."""
        if self.layout == "folder":
            stem, language = self.split_language(path)
            return self.pages_dir.parent / language / self.output_dir, f"{stem}.md"
        return self.pages_dir, path

    def generated_page(self, src_uri: str) -> str | None:
        """The generated page (lora.sv.md) that a file of docs_dir (MkDocs' src_uri) is; None for the site's own."""
        if self.layout == "folder":
            language, _, rest = src_uri.partition("/")
            if language in self.languages and rest.startswith(f"{self.output_dir}/"):
                return page_name(rest[len(self.output_dir) + 1:].removesuffix(".md"), language, self.default_language)
            return None
        prefix = f"{self.output_dir}/"
        return src_uri[len(prefix):] if src_uri.startswith(prefix) else None

    def split_language(self, path: str) -> tuple[str, str]:
        """A generated page's name without its language, and its language: `lora.sv.md` -> (`lora`, `sv`)."""
        stem = path.removesuffix(".md")
        for language in self.languages:
            if language != self.default_language and stem.endswith(f".{language}"):
                return stem.removesuffix(f".{language}"), language
        return stem, self.default_language

    @property
    def downloads_dir(self) -> Path:
        """Where the site's downloads (exports, notebooks) are written before MkDocs copies them."""
        return (self.cache_dir or self.root / ".cache/glossgen") / "downloads"

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "markdown_extensions", tuple(self.markdown_extensions))

    def key(self) -> str:
        """Every setting as text: part of the key of everything the settings shape."""
        return json.dumps(asdict(self), sort_keys=True, default=stable_text)


class Unkeyable(ValueError):
    """A setting whose text would not tell it apart from another (a lambda, an object)."""


def stable_text(value: object, *, strict: bool = False) -> object:
    """A value JSON cannot write, as JSON that is the same in every process and tells it apart from other
    values: paths as paths, mappings as dicts, a partial by its function and arguments, a Markdown extension
    by its configuration, functions and classes by their qualified name (the `default` of `json.dumps`).

    Anything else (a lambda, an object) is written by its type's or its own name, which may be shared by
    another value; with `strict` it raises Unkeyable instead."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, functools.partial):
        return ["partial", value.func, list(value.args), value.keywords]
    if isinstance(value, Extension):
        return [type(value), value.getConfigs()]
    name = getattr(value, "__qualname__", None)
    if strict and (not name or "<" in name):
        raise Unkeyable(repr(value))
    return f"{getattr(value, '__module__', '')}.{name}" if name else type(value).__qualname__
