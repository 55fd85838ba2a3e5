"""Settings: where the inputs are and every option that shapes the output, derived once per run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

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

    @property
    def pages_dir(self) -> Path:
        """Where the generated pages are written."""
        return (self.docs_dir or self.root / "docs") / self.output_dir

    @property
    def downloads_dir(self) -> Path:
        """Where the site's downloads (exports, notebooks) are written before MkDocs copies them."""
        return (self.cache_dir or self.root / ".cache/glossgen") / "downloads"

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "markdown_extensions", tuple(self.markdown_extensions))

    def key(self) -> str:
        """Every setting as text: part of the key of everything the settings shape."""
        return json.dumps(asdict(self), sort_keys=True, default=_stable)


def _stable(value: object) -> str:
    """A value as the same text in every process: paths as paths, functions by their qualified name."""
    if isinstance(value, Path):
        return str(value)
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if name else type(value).__qualname__
