"""glossgen's additions to the site's theme: its partials, its stylesheet, compiled templates kept.

`theme/main.html` points mkdocs-material's search at the page language's own index,
through the `glossgen_search_base` value `search_base` puts into each page's context.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin

from babel import Locale
from babel.core import get_global
from mkdocs.config.defaults import MkDocsConfig

from ..core.memo import Memo, MemoBytecodeCache
from ..core.urls import language_prefix

PACKAGE_DIR = Path(__file__).resolve().parent.parent
THEME_DIR = PACKAGE_DIR / "theme"
STYLESHEET = "assets/stylesheets/glossgen.css"
STYLESHEET_FILE = PACKAGE_DIR / "assets/glossgen.css"


MATH_SCRIPT = "assets/javascripts/glossgen-math.js"
MATH_SCRIPT_FILE = PACKAGE_DIR / "assets/glossgen-math.js"
KATEX = "assets/katex"
#: KaTeX's files a page needs, in the order its scripts load (fonts: woff2 only, which every browser reads).
KATEX_SCRIPTS = ("katex.min.js", "contrib/auto-render.min.js")


def uses_math(config: MkDocsConfig) -> bool:
    return "pymdownx.arithmatex" in config.markdown_extensions


def install(config: MkDocsConfig) -> None:
    """Put glossgen's theme folder before the theme's own (after a custom_dir), add its stylesheet and,
    when the site typesets formulas, KaTeX's."""
    if str(THEME_DIR) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if uses_math(config):
        if f"{KATEX}/katex.min.css" not in config.extra_css:
            config.extra_css.append(f"{KATEX}/katex.min.css")
        scripts = [f"{KATEX}/{name}" for name in KATEX_SCRIPTS] + [MATH_SCRIPT]
        present = {str(script) for script in config.extra_javascript}
        config.extra_javascript.extend(script for script in scripts if script not in present)


def katex_files(folder: Path) -> dict[str, Path]:
    """KaTeX's files for the site (site path -> file); empty if `folder` holds no KaTeX."""
    if not (folder / "katex.min.js").is_file():
        return {}
    files = {f"{KATEX}/{name}": folder / name for name in (*KATEX_SCRIPTS, "katex.min.css")}
    files.update({f"{KATEX}/fonts/{font.name}": font for font in sorted((folder / "fonts").glob("*.woff2"))})
    files[MATH_SCRIPT] = MATH_SCRIPT_FILE
    return files


def search_base(context: dict, default_language: str, og_locales: dict[str, str]) -> dict:
    """Tell theme/main.html where the page language's search index lives, and its Open Graph locale.

    `og_locales` keeps each language's Open Graph locale for the build (Babel takes a
    millisecond to parse one, and every page asks)."""
    language = context.get("i18n_page_locale")
    if language:
        context["glossgen_search_base"] = f"{context['base_url']}/{language_prefix(language, default_language)}"
        if language not in og_locales:
            og_locales[language] = og_locale(language)
        context["glossgen_og_locale"] = og_locales[language]
    return context


def og_locale(language: str) -> str:
    """Open Graph's form of a language, language_TERRITORY, from CLDR's likely subtags (nl -> nl_NL)."""
    likely = get_global("likely_subtags").get(language, language)
    parsed = Locale.parse(likely)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


def theme_bytecode_cache() -> MemoBytecodeCache:
    """A bytecode cache for the theme's templates, for the life of the process.

    MkDocs makes a new theme environment for every language pass (and every serve
    rebuild), which would compile the theme's templates again each time; with this cache
    they are compiled once per process. Its memo is never closed: it holds one entry per
    theme template, however many builds it serves.
    """
    return MemoBytecodeCache(Memo())


def edit_url(config: MkDocsConfig, path: Path) -> str | None:
    """Where the repository edits `path`, from the site's repo_url and edit_uri (which lead to docs_dir)."""
    relative = os.path.relpath(path, config.docs_dir).replace(os.sep, "/")
    if config.repo_url and config.edit_uri_template:
        return urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri_template.format(path=relative))
    if config.repo_url and config.edit_uri:
        return urljoin(urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri.rstrip("/") + "/"), relative)
    return None
