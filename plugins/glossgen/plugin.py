"""MkDocs glue: run the pipeline once per change and hand its pages to MkDocs.

mkdocs-static-i18n builds the site once per language by re-entering MkDocs' build, so
`on_config` runs once per language; the pipeline runs only when an input changed (a
fingerprint of file names, sizes and modification times). Generated Markdown is
written into a git-ignored folder inside docs_dir, the one kind of generated page that
mkdocs-static-i18n sorts into languages, and a file is rewritten only when its content
changed. `mkdocs serve` stops watching that folder, so the plugin's own output never
triggers a rebuild; it watches the glossary, the snippets and the templates instead.

When the last language is written (the outermost `on_post_build`, after
mkdocs-static-i18n's), the search index is split per language and the site is audited
for lost entries. `mkdocs build` writes into a staging folder that replaces site_dir
only when the whole build succeeded, so a failed build leaves the previous site intact.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .config import GlossgenConfig
from .errors import GlossaryError
from .exports import write_exports
from .notebooks import write_notebooks
from .output import fingerprint, publish_staged_site, remove_stale, write_pages
from .pipeline import GlossaryBuild, Settings, build_glossary
from .render import PageRenderer, notebook_path
from .site_checks import audit_site, language_prefix, split_search_index

log = get_plugin_logger(__name__)
PACKAGE_DIR = Path(__file__).parent
THEME_DIR = PACKAGE_DIR / "theme"
STYLESHEET = "assets/stylesheets/glossgen.css"
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')


class GlossgenPlugin(BasePlugin[GlossgenConfig]):
    def __init__(self) -> None:
        self.build: GlossaryBuild | None = None
        self.inputs: tuple | None = None
        self.failed_inputs: tuple | None = None
        self.command = "build"
        self.depth = 0
        self.site_dir: str | None = None
        self.staging_dir: str | None = None
        self.build_failed = False
        self.not_found_pages: dict[str, str] = {}
        self.downloads: dict[str, Path] = {}
        self.renderer = PageRenderer()  # kept across `mkdocs serve` rebuilds: unchanged pages are not rendered again

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.command = command if not dirty else "dirty"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if self.command == "build" and config.site_dir != self.staging_dir:
            self.site_dir, self.staging_dir = config.site_dir, f"{config.site_dir.rstrip('/')}.building"
            config.site_dir = self.staging_dir
        settings = self.settings(config)
        inputs = fingerprint([settings.glossary_dir, settings.snippets_dir, PACKAGE_DIR])
        if inputs not in (self.inputs, self.failed_inputs):
            self.refresh(settings, config, inputs)
        return config

    def refresh(self, settings: Settings, config: MkDocsConfig, inputs: tuple) -> None:
        """Run the pipeline and write its pages and downloads; while serving, survive a broken glossary."""
        try:
            build = build_glossary(settings, self.renderer)
        except GlossaryError as error:
            if not (self.command == "serve" and self.build):
                raise PluginError(str(error)) from None
            # While previewing, report and keep serving the last good pages; saving a fix rebuilds.
            # Printed rather than logged: a logged error counts in strict mode and would halt the preview.
            self.failed_inputs = inputs
            for problem in error.problems:
                print(f"ERROR    -  {problem}", file=sys.stderr, flush=True)
            print("ERROR    -  glossgen: showing the last valid version of the glossary until this is fixed",
                  file=sys.stderr, flush=True)
            return
        self.build, self.inputs, self.failed_inputs = build, inputs, None
        written = write_pages(Path(config.docs_dir) / self.config.output_dir, build.pages)
        self.downloads = self.write_downloads(settings, config)
        rendered = self.renderer.rendered
        shown = f": {', '.join(rendered)}" if len(rendered) <= 10 else ""
        executed = sum(not run.from_cache for run in build.runs.values())
        log.info(f"{len(build.glossary.entries)} entries in {len(settings.languages)} languages; "
                 f"{len(build.runs)} snippets, {executed} run; {len(rendered)} page(s) rendered{shown}; {written} written")

    def write_downloads(self, settings: Settings, config: MkDocsConfig) -> dict[str, Path]:
        """Exports and notebooks for the site, written to the cache folder; returns site path -> file.

        Notebooks carry the outputs of the build's own snippet runs, so no kernel is needed here.
        """
        assert self.build is not None
        folder = (settings.cache_dir or settings.root / ".cache/glossgen") / "downloads"
        exports = folder / "exports"
        downloads = {path.relative_to(exports).as_posix(): path
                     for path in write_exports(self.build, exports, config.site_url or "", config.site_name,
                                               default_language=settings.default_language)}
        for language in settings.languages:
            for path in write_notebooks(self.build, language, folder / "notebooks" / language, execute=False,
                                        site_url=config.site_url, default_language=settings.default_language):
                downloads[notebook_path(path.stem, language)] = path
        remove_stale(folder, set(downloads.values()))
        return downloads

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.depth += 1

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        for run in self.build.runs.values():
            files.append(File.generated(config, f"snippets/{run.path.name}", abs_src_path=str(run.path)))
        for src_uri, path in self.downloads.items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(PACKAGE_DIR / "assets/glossgen.css")))
        return files

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # mkdocs-material's search dialog has no accessible name (axe: aria-dialog-name); give it the
        # localized label its own search field already carries.
        label = _SEARCH_LABEL.search(output)
        if label:
            output = output.replace(_SEARCH_DIALOG, f'{_SEARCH_DIALOG[:-1]} aria-label="{label.group(1)}">', 1)
        return output

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
        language = context.get("i18n_page_locale")
        if language:
            _, default = _languages(config)
            context["glossgen_search_base"] = f"{context['base_url']}/{language_prefix(language, default)}"
        return context

    @event_priority(100)  # before mkdocs-static-i18n starts the next language, which overwrites 404.html
    def _keep_not_found_page(self, *, config: MkDocsConfig) -> None:
        page = Path(config.site_dir) / "404.html"
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            language = _HTML_LANG.search(html)
            if language:
                self.not_found_pages[language.group(1)] = html

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        self.depth -= 1
        if self.depth > 0 or self.build is None:
            return
        languages, default = _languages(config)
        site_dir = Path(config.site_dir)
        for language, html in self.not_found_pages.items():
            if language in languages:
                (site_dir / language_prefix(language, default) / "404.html").write_text(html, encoding="utf-8")
        if (site_dir / "search/search_index.json").is_file():
            split_search_index(site_dir, languages, default)
        problems = audit_site(site_dir, self.build.glossary, default, self.config.output_dir)
        if problems:
            raise PluginError("glossgen: entries were lost in the build:\n" + "\n".join(problems))

    on_post_build = CombinedEvent(_keep_not_found_page, _finish_site)

    def on_build_error(self, *, error: Exception) -> None:
        self.build_failed = True
        self.depth = 0

    def on_shutdown(self) -> None:
        if self.staging_dir and self.site_dir:
            publish_staged_site(Path(self.staging_dir), Path(self.site_dir), succeeded=not self.build_failed)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        docs = Path(config.docs_dir)
        output = docs / self.config.output_dir
        server.unwatch(str(docs))
        server.watch(str(docs), recursive=False)
        for child in docs.iterdir():
            if child.is_dir() and child != output:
                server.watch(str(child))
        settings = self.settings(config)
        for folder in (settings.glossary_dir, settings.snippets_dir, PACKAGE_DIR):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def settings(self, config: MkDocsConfig) -> Settings:
        root = Path(config.config_file_path).parent.resolve()
        languages, default = _languages(config)
        cache = self.config.cache_dir
        return Settings(
            root=root,
            glossary_dir=root / self.config.glossary_dir,
            snippets_dir=root / self.config.snippets_dir,
            cache_dir=root / cache if cache else None,
            languages=languages,
            default_language=default,
            snippet_timeout=float(self.config.snippet_timeout),
        )


def _languages(config: MkDocsConfig) -> tuple[list[str], str]:
    """The site's languages as mkdocs-static-i18n declares them, default first."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        language = config.theme.get("language") or "en"
        return [language], language
    languages = [language.locale for language in i18n.config.languages if language.locale != "null"]
    default = next(language.locale for language in i18n.config.languages if language.default)
    return languages, default
