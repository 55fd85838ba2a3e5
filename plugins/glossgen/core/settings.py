"""Settings: where the inputs are and every option that shapes the output, derived once per run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

DEFAULT_TIMEOUT = 30.0


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

    def key(self) -> str:
        """Every setting as text: part of the key of everything the settings shape."""
        return repr(sorted((name, str(value)) for name, value in asdict(self).items()))
