"""MkDocs glue: run the pipeline once per change and hand its pages to MkDocs.

mkdocs-static-i18n builds the site once per language by re-entering MkDocs' build, so
`on_config` runs once per language; the pipeline runs only when an input changed (a
fingerprint of file names, sizes and modification times). Generated Markdown is
written into a git-ignored folder inside docs_dir, the one kind of generated page that
mkdocs-static-i18n sorts into languages, and a file is rewritten only when its content
changed. `mkdocs serve` stops watching that folder, so the plugin's own output never
triggers a rebuild; it watches the glossary, the snippets and the templates instead.

When the inputs are byte for byte those of the last build, the pipeline's result is
taken from the cache folder (build_cache.py). `mkdocs build` hands half of the
languages to a second process on the other core (parallel.py).

When the last language is written (the outermost `on_post_build`, after
mkdocs-static-i18n's), the search index is split per language and the site is audited
for lost entries. `mkdocs build` writes into a staging folder that replaces site_dir
only when the whole build succeeded, so a failed build leaves the previous site intact.
`mkdocs serve --dirty` renders again only the pages whose Markdown glossgen rewrote;
the search documents of the other pages are carried over.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .build_cache import CachedBuild, build_key, code_key, load_build, reusable, store_build
from .config import GlossgenConfig
from .errors import GlossaryError
from .exports import write_exports
from .lint import remember_clean
from .load import loaded_entries, remember_loaded
from .notebooks import notebooks_key, remember_serializations, serializations, write_notebooks
from .output import fingerprint, publish_staged_site, remove_stale, write_pages
from .parallel import LanguageWorker, LeftOutPagesFilter, exclude_pages, read_handoff, split_languages, worker_languages
from .pipeline import GlossaryBuild, Settings, build_glossary
from .render import PageRenderer, notebook_path
from .theme_cache import MemoryBytecodeCache
from .site_checks import audit_site, language_prefix, read_search_indexes, split_search_index

log = get_plugin_logger(__name__)
PACKAGE_DIR = Path(__file__).parent
THEME_DIR = PACKAGE_DIR / "theme"
STYLESHEET = "assets/stylesheets/glossgen.css"
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_ALTERNATE_LINK = re.compile(r'(<(?:link rel="alternate"|a) href=")[^"]*(" hreflang="([^"]+)")')
_SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')


class GlossgenPlugin(BasePlugin[GlossgenConfig]):
    def __init__(self) -> None:
        self.build: GlossaryBuild | None = None
        self.inputs: tuple | None = None
        self.failed_inputs: tuple | None = None
        self.command = "build"
        self.dirty = False
        self.previous_search: dict[str, dict] = {}  # dirty builds: per-language search indexes before this build
        self.unsaved: tuple[Path, CachedBuild] | None = None  # serve: the build record, saved on shutdown
        self.depth = 0
        self.site_dir: str | None = None
        self.staging_dir: str | None = None
        self.build_failed = False
        self.not_found_pages: dict[str, str] = {}
        self.downloads: dict[str, Path] = {}
        self.notebook_keys: dict[str, str | None] = {}  # language -> what its notebooks were written for
        self.generated: dict[str, Path] | None = None  # site path -> file: snippets, downloads, stylesheet
        self.worker: LanguageWorker | None = None
        self.worker_languages = worker_languages()  # set when this process is another build's worker
        self.built_here: set[str] | None = None  # languages this process renders, when it shares the work
        self.left_out = LeftOutPagesFilter()
        self.theme_bytecode = MemoryBytecodeCache()
        self.renderer = PageRenderer()  # kept across `mkdocs serve` rebuilds: unchanged pages are not rendered again

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if self.worker_languages:
            if self.generated is None:
                self.start_as_worker()
            return config
        if self.command == "build" and not self.dirty and config.site_dir != self.staging_dir:
            self.site_dir, self.staging_dir = config.site_dir, f"{config.site_dir.rstrip('/')}.building"
            config.site_dir = self.staging_dir
        if self.depth == 0 and self.worker is None:
            self.built_here = None
            self.worker = self.start_worker(config)
        settings = self.settings(config)
        inputs = fingerprint([settings.glossary_dir, settings.snippets_dir, PACKAGE_DIR])
        if inputs not in (self.inputs, self.failed_inputs):
            self.refresh(settings, config, inputs)
        if self.worker:
            self.worker.send(self.generated or {})
        return config

    def start_worker(self, config: MkDocsConfig) -> LanguageWorker | None:
        """Hand half of the languages to a second `mkdocs build`, when there is a core for it."""
        if not (self.command == "build" and not self.dirty and self.config.parallel and config.config_file_path
                and "i18n" in config.plugins and _usable_cores() > 1):
            return None
        languages, default = _languages(config)
        built = [language.locale for language in config.plugins["i18n"].config.languages if language.build]
        kept, delegated = split_languages([language for language in languages if language in built], default)
        if not delegated:
            return None
        self.built_here = set(kept)
        self.watch_left_out_pages()
        log.info(f"Building {', '.join(delegated)} in a second process")
        return LanguageWorker.start(config, delegated, languages, default)

    def start_as_worker(self) -> None:
        """In the worker: wait for the main build's pipeline, then build only the worker's languages."""
        handoff = read_handoff()
        if handoff is None:
            raise PluginError("glossgen: the main build stopped before handing over its pages")
        self.generated = {uri: Path(path) for uri, path in handoff.items()}
        self.built_here = set(self.worker_languages)
        self.watch_left_out_pages()

    def watch_left_out_pages(self) -> None:
        for name in ("mkdocs.structure.nav", "mkdocs.structure.pages"):
            logging.getLogger(name).addFilter(self.left_out)

    def refresh(self, settings: Settings, config: MkDocsConfig, inputs: tuple) -> None:
        """Run the pipeline and write its pages and downloads; while serving, survive a broken glossary.

        When the inputs are byte for byte those of the last build, its result is taken from the cache.
        """
        cached, key = None, None
        if settings.cache_dir:
            code = code_key()
            key = build_key(settings, {"site_url": config.site_url, "site_name": config.site_name,
                                       "output_dir": self.config.output_dir}, code)
            cached = load_build(settings.cache_dir)
            if reusable(cached, key):
                self.use_build(cached.build, cached.downloads, settings, config, inputs, reused=True)
                if not self.renderer.known:  # while serving, the next edit redoes only what it changes
                    self.resume(cached)
                return
            if cached and cached.code_key == code and not self.renderer.known:
                self.resume(cached)
        previous = self.build or (cached.build if cached and cached.code_key == code else None)
        try:
            build = build_glossary(settings, self.renderer, previous)
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
        downloads = self.write_downloads(build, settings, config)
        self.use_build(build, downloads, settings, config, inputs, reused=False)
        if key and settings.cache_dir:
            record = CachedBuild(code, key, build, downloads, self.renderer, serializations(downloads.values()),
                                 loaded_entries(settings.glossary_dir), self.notebook_keys)
            if self.command == "serve":
                self.unsaved = (settings.cache_dir, record)  # saved once, when the server stops
            else:
                store_build(settings.cache_dir, record)

    def resume(self, cached: CachedBuild) -> None:
        """Start from the last build's work: unchanged entries, texts, pages and notebooks are not made again."""
        self.renderer = cached.renderer
        self.downloads, self.notebook_keys = dict(cached.downloads), dict(cached.notebook_keys)
        remember_serializations(cached.notebooks)
        remember_loaded(cached.entries)
        remember_clean(cached.build.glossary.entries.values())  # a stored build passed every check

    def use_build(self, build: GlossaryBuild, downloads: dict[str, Path], settings: Settings, config: MkDocsConfig,
                  inputs: tuple, *, reused: bool) -> None:
        """Make `build` the current one: write its pages, list the files it adds to the site."""
        self.build, self.inputs, self.failed_inputs, self.downloads = build, inputs, None, downloads
        written = write_pages(Path(config.docs_dir) / self.config.output_dir, build.pages)
        self.generated = {
            **{f"snippets/{run.path.name}": run.path for run in build.runs.values()},
            **downloads,
            STYLESHEET: PACKAGE_DIR / "assets/glossgen.css",
        }
        summary = f"{len(build.glossary.entries)} entries in {len(settings.languages)} languages; {len(build.runs)} snippets"
        if reused:
            log.info(f"{summary}, 0 run; unchanged since the last build, reused from the cache; {written} written")
            return
        rendered = self.renderer.rendered
        shown = f": {', '.join(rendered)}" if len(rendered) <= 10 else ""
        executed = sum(not run.from_cache for run in build.runs.values())
        log.info(f"{summary}, {executed} run; {len(rendered)} page(s) rendered{shown}; {written} written")

    def write_downloads(self, build: GlossaryBuild, settings: Settings, config: MkDocsConfig) -> dict[str, Path]:
        """Exports and notebooks for the site, written to the cache folder; returns site path -> file.

        Notebooks carry the outputs of the build's own snippet runs, so no kernel is needed here.
        """
        folder = (settings.cache_dir or settings.root / ".cache/glossgen") / "downloads"
        exports = folder / "exports"
        downloads = {path.relative_to(exports).as_posix(): path
                     for path in write_exports(build, exports, config.site_url or "", config.site_name,
                                               default_language=settings.default_language)}
        keys = {}
        for language in settings.languages:
            key = keys[language] = notebooks_key(build, language, config.site_url, settings.default_language)
            notebooks = folder / "notebooks" / language
            written = {uri: path for uri, path in self.downloads.items() if path.parent == notebooks}
            if (key and self.notebook_keys.get(language) == key and len(written) == len(build.glossary.entries)
                    and all(path.is_file() for path in written.values())):
                downloads.update(written)  # nothing this language's notebooks show has changed
                continue
            for path in write_notebooks(build, language, notebooks, execute=False,
                                        site_url=config.site_url, default_language=settings.default_language):
                downloads[notebook_path(path.stem, language)] = path
        self.notebook_keys = keys
        remove_stale(folder, set(downloads.values()))
        return downloads

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.depth == 0 and self.dirty and not self.previous_search:
            # MkDocs indexes only the pages a dirty build renders again; keep the others' search documents
            languages, default = _languages(config)
            self.previous_search = read_search_indexes(Path(config.site_dir), languages, default)
        self.depth += 1

    def _add_generated_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.generated is not None
        for src_uri, path in self.generated.items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    @event_priority(-150)  # after mkdocs-static-i18n has chosen this language pass's pages
    def _leave_pages_to_other_process(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.left_out.paths = set()
        if self.built_here is not None and config.plugins["i18n"].current_language not in self.built_here:
            self.left_out.paths = exclude_pages(files)
        return files

    on_files = CombinedEvent(_add_generated_files, _leave_pages_to_other_process)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # mkdocs-material's search dialog has no accessible name (axe: aria-dialog-name); give it the
        # localized label its own search field already carries.
        label = _SEARCH_LABEL.search(output)
        if label:
            output = output.replace(_SEARCH_DIALOG, f'{_SEARCH_DIALOG[:-1]} aria-label="{label.group(1)}">', 1)
        return output

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs makes a new theme environment for every language pass (and every serve rebuild),
        # which would compile the theme's templates again each time; compile them once per process.
        env.bytecode_cache = self.theme_bytecode
        return env

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
                self.not_found_pages[language.group(1)] = _link_languages_home(html, config)

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        self.depth -= 1
        if self.depth > 0 or self.generated is None:
            return
        languages, default = _languages(config)
        built_here = [language for language in languages if self.built_here is None or language in self.built_here]
        site_dir = Path(config.site_dir)
        for language, html in self.not_found_pages.items():
            if language in built_here:
                (site_dir / language_prefix(language, default) / "404.html").write_text(html, encoding="utf-8")
        if (site_dir / "search/search_index.json").is_file():
            written = split_search_index(site_dir, languages, default, write=built_here, previous=self.previous_search)
            if self.dirty:
                self.previous_search = written  # the next dirty rebuild while serving starts from these
        if self.worker:
            worker, self.worker = self.worker, None
            if not worker.finish(site_dir):
                raise PluginError(f"glossgen: the second build process ({', '.join(worker.languages)}) failed; "
                                  "its messages are above")
        if self.build is None:  # the worker: the main build audits the whole site
            return
        problems = audit_site(site_dir, self.build.glossary, default, self.config.output_dir)
        if problems:
            raise PluginError("glossgen: entries were lost in the build:\n" + "\n".join(problems))

    on_post_build = CombinedEvent(_keep_not_found_page, _finish_site)

    def on_build_error(self, *, error: Exception) -> None:
        self.build_failed = True
        self.depth = 0
        if self.worker:
            self.worker.cancel()
            self.worker = None

    def on_shutdown(self) -> None:
        if self.unsaved:
            store_build(*self.unsaved)
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


def _link_languages_home(html: str, config: MkDocsConfig) -> str:
    """Point a not-found page's language links at each language's home page.

    mkdocs-static-i18n renders 404.html with the language links of the page built last
    in the previous language pass, an unrelated page.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return html
    base = urlsplit(config.site_url or "").path.rstrip("/")
    homes = {language.locale: language.fixed_link or f"{base}{language.link}" for language in i18n.config.languages}
    return _ALTERNATE_LINK.sub(
        lambda link: f"{link.group(1)}{homes[link.group(3)]}{link.group(2)}" if link.group(3) in homes else link.group(0),
        html)


def _usable_cores() -> int:
    """Cores this process may run on (all of them where the system cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
