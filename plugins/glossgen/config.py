"""Options of the glossgen MkDocs plugin (mkdocs.yml: plugins: - glossgen: ...)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class GlossgenConfig(base.Config):
    glossary_dir = c.Type(str, default="glossary")
    """Folder of entry YAML files, relative to mkdocs.yml."""

    snippets_dir = c.Type(str, default="snippets")
    """Folder of worked-example scripts, relative to mkdocs.yml."""

    output_dir = c.Type(str, default="glossary")
    """Folder inside docs_dir that the plugin owns and fills with generated pages; keep it git-ignored."""

    cache_dir = c.Type(str, default=".cache/glossgen")
    """Where snippet results are cached by content hash, relative to mkdocs.yml."""

    snippet_timeout = c.Type((int, float), default=30)
    """Seconds a snippet may run before the build stops with an error."""

    parallel = c.Type(bool, default=True)
    """`mkdocs build` only: build half of the languages in a second process, on another core."""
