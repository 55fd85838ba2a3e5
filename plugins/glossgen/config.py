"""The glossgen plugin's options (mkdocs.yml: plugins: - glossgen: ...), and Settings derived from a site.

`settings_from` is the one place that reads a site's configuration: the MkDocs plugin
calls it for every build, the `glossgen` command for every command, so both see the
same project.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from .core.settings import DEFAULT_TIMEOUT, Settings


class GlossgenConfig(base.Config):
    glossary_dir = c.Type(str, default="glossary")
    """Folder of entry YAML files, relative to mkdocs.yml."""

    snippets_dir = c.Type(str, default="snippets")
    """Folder of worked-example scripts, relative to mkdocs.yml."""

    output_dir = c.Type(str, default="glossary")
    """Folder inside docs_dir that the plugin owns and fills with generated pages; keep it git-ignored."""

    cache_dir = c.Type(str, default=".cache/glossgen")
    """Where what a rebuild reuses is kept (snippet results, rendered texts and pages), relative to mkdocs.yml;
    '' keeps it in memory only."""

    snippet_timeout = c.Type((int, float), default=DEFAULT_TIMEOUT)
    """Seconds a snippet may run before the build stops with an error."""

    parallel = c.Type(bool, default=True)
    """`mkdocs build` only: build half of the languages in a second process, on another core, unless the last
    complete build's HTML is kept for every language."""

    preview_idle = c.Type((int, float), default=4)
    """`mkdocs serve --dirty` only: seconds without a save after which the whole-glossary page, the exports and
    the notebooks, deferred while the author edits, are made again."""

    locale_dir = c.Type(str, default="locale")
    """The site's own gettext catalogs of the generated pages' words, `<language>/LC_MESSAGES/glossgen.po`,
    relative to mkdocs.yml. A string there overrides glossgen's; a language glossgen ships no catalog for
    gets its words here. `glossgen catalog LANGUAGE` starts one."""

    genders = c.Type(dict, default={})
    """Grammatical genders beyond glossgen's own list (genders.yml), by language: each article (or gender
    name) an entry may give, with its TBX-Basic value (masculine, feminine, neuter or other), e.g.
    `{ro: {un: masculine, o: feminine}}`. A language listed here requires `gender` on its terms."""

    spelling = c.Choice(("en-US", "en-GB", ""), default="en-US")
    """The English spelling convention every English text keeps to (regularization or regularisation, color or
    colour): the lint names each word of the other convention. '' checks neither."""

    katex_dir = c.Type(str, default="node_modules/katex/dist")
    """KaTeX's files (the npm package `katex`), served from the site to typeset formulas when the site uses
    `pymdownx.arithmatex`; relative to mkdocs.yml."""


#: The Markdown extensions glossgen's pages are written for: the definition list of a term's facts, the
#: classes on its paragraphs, tables of figures, and titled code blocks (superfences takes the place of
#: MkDocs' default fenced_code). Each gives meaning only to syntax that Markdown without it prints as
#: text, so enabling it leaves the site's own pages as they were.
REQUIRED_EXTENSIONS = ("attr_list", "def_list", "md_in_html", "tables", "pymdownx.highlight", "pymdownx.superfences")


def enable_extensions(config: MkDocsConfig) -> list[str]:
    """Enable the Markdown extensions glossgen's pages need that the site lacks; return their names.

    Enabled rather than demanded: a site without them would show `{: .glossgen-short }` and
    fences as text on every term page, and none of them changes Markdown the site already has.
    """
    names = {name for name in config.markdown_extensions if isinstance(name, str)}
    added = [name for name in REQUIRED_EXTENSIONS if name not in names]
    config.markdown_extensions.extend(added)
    return added


class NotConfigured(Exception):
    """The site's mkdocs.yml does not enable the glossgen plugin."""


def plugin_options(config: MkDocsConfig) -> GlossgenConfig:
    """The glossgen plugin's options in a loaded MkDocs configuration."""
    plugin = config.plugins.get("glossgen")
    options = getattr(plugin, "config", None)
    if not isinstance(options, GlossgenConfig):
        raise NotConfigured("the glossgen plugin is not enabled under 'plugins:'")
    return options


def site_languages(config: MkDocsConfig) -> tuple[list[str], str]:
    """The site's languages as mkdocs-static-i18n declares them, and the default one."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        language = config.theme.get("language") or "en"
        return [language], language
    languages = [language.locale for language in i18n.config.languages if language.locale != "null"]
    default = next(language.locale for language in i18n.config.languages if language.default)
    return languages, default


def language_homes(config: MkDocsConfig) -> dict[str, str]:
    """Each language's home page, as mkdocs-static-i18n links it (site path, or the language's fixed_link)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {}
    base = urlsplit(config.site_url or "").path.rstrip("/")
    return {language.locale: language.fixed_link or f"{base}{language.link}" for language in i18n.config.languages}


def settings_from(config: MkDocsConfig) -> Settings:
    """Settings for the pipeline from a loaded mkdocs.yml: folders, languages, site address, options."""
    options = plugin_options(config)
    root = Path(config.config_file_path).parent.resolve()
    languages, default = site_languages(config)
    return Settings(
        root=root,
        glossary_dir=root / options.glossary_dir,
        snippets_dir=root / options.snippets_dir,
        cache_dir=root / options.cache_dir if options.cache_dir else None,
        languages=languages,
        default_language=default,
        snippet_timeout=float(options.snippet_timeout),
        site_url=config.site_url or "",
        site_name=config.site_name,
        output_dir=options.output_dir,
        docs_dir=Path(config.docs_dir),
        markdown_extensions=[*(name for name in config.markdown_extensions if isinstance(name, str)),
                             *(name for name in REQUIRED_EXTENSIONS if name not in config.markdown_extensions)],
        markdown_configs=dict(config.mdx_configs),
        locale_dir=root / options.locale_dir if options.locale_dir else None,
        genders=dict(options.genders),
        spelling=options.spelling,
        layout=getattr(getattr(config.plugins.get("i18n"), "config", None), "docs_structure", "suffix"),
    )
