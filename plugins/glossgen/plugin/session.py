"""One `mkdocs build` or `mkdocs serve`, from on_startup to on_shutdown: what glossgen keeps between events.

mkdocs-static-i18n builds the site once per language by re-entering MkDocs' build, so
every event runs once per language pass; the outermost pass (depth 0) is the one that
runs the pipeline, and the inner ones reuse its result. The pipeline's pages are
written as Markdown, only when changed, into a git-ignored folder inside docs_dir, the
one kind of generated page mkdocs-static-i18n sorts into languages; its downloads and
the snippets are added to the site as generated files.

`mkdocs build` writes into a staging folder that replaces site_dir only when the whole
build succeeded, so a failed build leaves the previous site intact, and hands half of
the languages to a second process on the other core (worker.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, NoReturn

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..config import GlossgenConfig, enable_extensions, language_homes, settings_from, site_languages
from ..core.errors import GlossaryError, Problem, display_path
from ..core.files import OutsideFolder, write_recorded
from ..core.labels import Labels, load_labels
from ..core.results import SiteBuild
from ..core.sanitize import sanitize_reporting
from ..core.settings import Settings
from ..core.urls import language_prefix, placeholder_address
from ..memory import Memory, code_key
from ..pipeline import build_site
from .search import SearchDocuments, material_search
from .theme import (STYLESHEET, STYLESHEET_FILE, THEME_DIR, edit_url, install, katex_files, search_base,
                    theme_bytecode_cache, uses_math)
from .site_fixes import SiteFixes, audit_site, label_search_dialog, link_citations
from .preview import Preview, watch_inputs
from .rendered import RenderedPages, input_layout
from .staging import Staging
from .translations import LanguagePasses, own_downloads
from .worker import LanguageShare, LanguageWorker, read_handoff, split_languages, usable_cores, worker_languages

log = get_plugin_logger(__name__)


class BuildSession:
    def __init__(self, options: GlossgenConfig, command: str = "build", dirty: bool = False) -> None:
        self.options, self.command, self.dirty = options, command, dirty
        self.settings: Settings | None = None
        self.memory: Memory | None = None
        self.published: SiteBuild | None = None    # the build whose pages and downloads are on disk
        self.labels: Mapping[str, Labels] | None = None  # page words, in a process that does not publish
        self.generated: dict[str, Path] | None = None  # site path -> file: snippets, downloads, stylesheet
        self.depth = 0                             # language passes under way, nested by mkdocs-static-i18n
        self.failed = False
        self.staging: Staging | None = None
        self.worker: LanguageWorker | None = None
        self.share: LanguageShare | None = None    # set when this process builds only part of the languages
        self.fixes = SiteFixes()
        self.math_files: dict[str, Path] = {}  # site path -> KaTeX's files and glossgen's math script
        self.theme_bytecode = theme_bytecode_cache()
        self.preview = Preview(float(options.preview_idle)) if command == "serve" and dirty else None
        self.rendered: RenderedPages | None = None  # generated pages' HTML, kept between builds
        self.search: SearchDocuments | None = None  # every page's search documents, when glossgen writes the indexes
        self.og_locales: dict[str, str] = {}  # language -> its Open Graph locale (theme.search_base)
        self.languages = LanguagePasses()     # the generated pages each language pass is given

    # --- on_config: every language pass -------------------------------------------------------------------

    def configure(self, config: MkDocsConfig) -> None:
        added = enable_extensions(config)
        if added and self.depth == 0:
            log.info(f"enabled the Markdown extensions glossgen's pages need, which mkdocs.yml does not list: "
                     f"{', '.join(added)} (add them under markdown_extensions to say so there)")
        install(config)
        if worker_languages():
            self.settings = self.settings or settings_from(config)
            self._join_main_build()
            return
        if self.command == "build" and not self.dirty and self.staging is None:
            self.staging = Staging.start(config)
        if self.depth == 0:
            settings = self.settings or settings_from(config)
            self.memory = self.memory or Memory.load(settings.cache_dir)
            self._start_caches(settings)
            if self.worker is None:
                self.worker = self._start_worker(config)
            changed = self._refresh(config)
            if self.preview is not None and self.settings is not None:
                watched = [Path(folder) for folder in (config.theme.custom_dir, THEME_DIR) if folder]
                self.preview.limit_languages(config, changed, watched, self.settings.page_folders)
        if self.worker:
            self.worker.send(self.generated or {})

    def _join_main_build(self) -> None:
        """In the worker: wait for the main build's pipeline, then build only the worker's languages."""
        if self.generated is not None:
            return
        handoff = read_handoff()
        if handoff is None:
            raise PluginError("glossgen: the main build stopped before handing over its pages")
        self.generated = {uri: Path(path) for uri, path in handoff.items()}
        self.share = LanguageShare(worker_languages())

    def _start_worker(self, config: MkDocsConfig) -> LanguageWorker | None:
        """Hand half of the languages to a second `mkdocs build`, when there is a core for it."""
        if not (self.command == "build" and not self.dirty and self.options.parallel and config.config_file_path
                and "i18n" in config.plugins and usable_cores() > 1):
            return None
        languages, default = site_languages(config)
        built = [language.locale for language in config.plugins["i18n"].config.languages if language.build]
        kept, delegated = split_languages([language for language in languages if language in built], default)
        if not delegated or (self.rendered is not None and self.rendered.kept_for(built, config, self._layout(config))):
            return None  # the last build's HTML is kept: a second process would cost more than it saves
        self.share = LanguageShare(kept)
        log.info(f"Building {', '.join(delegated)} in a second process")
        return LanguageWorker.start(config, delegated, languages, default)

    def _refresh(self, config: MkDocsConfig) -> set[str] | None:
        """Run the pipeline (which reuses whatever did not change) and put its pages and downloads in place.

        Returns the languages whose pages (or notebooks) changed, or None when every language's may have (a first
        build, or a build of new settings)."""
        self.settings = settings = settings_from(config)
        self.math_files = {}
        if uses_math(config):
            self.math_files = katex_files(settings.root / self.options.katex_dir)
            if not self.math_files:
                fail([Problem(self.options.katex_dir, None, "KaTeX is not there, and the site typesets formulas "
                              "(pymdownx.arithmatex); install it with npm ci, or set katex_dir")], "KaTeX is missing")
        assert self.memory is not None, "configure loads it first"
        if self.preview is not None:
            self.preview.cancel()  # a build has started: the author is not idle
        refresh = self.preview is not None and self.preview.take_refresh()
        try:
            build = build_site(settings, self.memory, defer=self.preview is not None and not refresh)
        except GlossaryError as error:
            summary = f"{len(error.problems)} problem(s) in the glossary"
            if not (self.command == "serve" and self.published is not None):
                fail(error.problems, f"{summary}; see above")
            # While previewing, keep showing the last valid glossary; saving a fix brings the new one.
            # With --strict, MkDocs counts these errors and holds the preview until they are fixed.
            report(error.problems)
            log.error(f"{summary}; the preview shows its last valid version until they are fixed")
            return set()
        if build.reused and self.published is not None and build.pages is self.published.pages:
            return set()  # nothing changed since the pages and downloads on disk were written
        previous, written_before = self.published, self.memory.written
        try:
            written = self._publish(build, settings)
        except OutsideFolder as error:
            fail([Problem(settings.output_dir, None, str(error))], "refused to write outside its folders")
        self.published = build
        changed = None  # the languages whose pages changed; None: every language may have
        if self.preview is not None and previous is not None:
            changed = self.preview.changed_pages(previous, build, settings)
        for warning in build.valid.warnings:  # counted by --strict: a site with unfinished text is not published
            log.warning(str(warning))
        summary = (f"{len(build.glossary.entries)} entries in {len(settings.languages)} languages; "
                   f"{len(build.runs)} snippets, {build.executed} run")
        if build.reused:
            log.info(f"{summary}; unchanged since the last build, reused from the cache; {written} written")
        else:
            shown = f": {', '.join(build.rendered)}" if len(build.rendered) <= 10 else ""
            log.info(f"{summary}; {len(build.rendered)} page(s) rendered{shown}; {written} written")
        if self.command != "serve":  # serve keeps its memory until it stops: saving after every edit costs time
            if not build.reused or self.memory.written != written_before:  # else the saved memory is this one
                self.memory.save(settings.cache_dir)
            placeholder = placeholder_address(settings.site_url)
            if placeholder:  # an info, not a warning: CI builds with --strict may keep the placeholder
                log.info(f"the site address {settings.site_url!r} {placeholder}: canonical URLs, the sitemap, the "
                         "language alternates and every export point there; set site_url to the address the site "
                         "will be published at before publishing it")
        return changed if build.deferred or refresh else None  # the idle refresh builds what it changed

    def _publish(self, build: SiteBuild, settings: Settings) -> int:
        """Write the pages into docs_dir, the downloads into the cache folder; return how many pages were written."""
        folders: dict[Path, dict[str, str]] = {folder: {} for folder in settings.page_folders}
        for page in build.pages:
            folder, relative = settings.page_source(page.path)
            folders[folder][relative] = page.content
        assert self.memory is not None
        before, remembered = self.memory.written, {}
        written = 0
        for folder, pages in folders.items():
            _, remembered[folder], count = write_recorded(folder, pages, remove_others=True,
                                                          written_before=before.get(folder))
            written += count
        downloads, remembered[settings.downloads_dir], _ = write_recorded(
            settings.downloads_dir, build.downloads, remove_others=True, written_before=before.get(settings.downloads_dir))
        self.memory.written = remembered
        self.generated = {
            **{f"snippets/{run.path.name}": run.path for run in build.runs.values()},
            **downloads,
            STYLESHEET: STYLESHEET_FILE,
            **self.math_files,
        }
        return written

    # --- the language passes ------------------------------------------------------------------------------

    def start_pass(self, config: MkDocsConfig) -> None:
        if self.settings is not None:
            self._start_caches(self.settings)
        if self.depth == 0:
            self.fixes.start()
            if self.search is not None and material_search(config) is not None:
                self.search.start(Path(config.site_dir), *site_languages(config), complete=not self.dirty)
        if self.rendered is not None:
            self.rendered.start_pass(config)
        self.depth += 1

    def _start_caches(self, settings: Settings) -> None:
        # Keyed by the code this process runs: under serve, glossgen's files may change, its modules do not.
        if self.rendered is None:
            cache, code = settings.cache_dir, self.memory.code if self.memory else code_key()
            self.rendered = RenderedPages(cache / "html" if cache else None, code)
            self.search = SearchDocuments(cache / "search" if cache else None, code)

    def _layout(self, config: MkDocsConfig) -> str:
        return input_layout(self.settings or settings_from(config), Path(config.docs_dir))

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        language = self._pass_language(config)
        if self.settings is not None:  # a preview's passes are given only their own language's generated pages
            files = self.languages.pass_files(files, language, self.settings, whole=not self.preview,
                                              only=self.preview.pages_needed(language, config) if self.preview else None)
        # Every pass writes the same snippets and downloads (but its own notebooks only) into the site's root. After
        # the first pass of a complete build, each is given as the copy already there: MkDocs then skips copying it
        # onto itself (it lets plugins write into site_dir), and the pass still resolves links to it.
        placed = Path(config.site_dir) if self.depth > 1 and not self.dirty else None
        for src_uri, path in own_downloads(self.generated or {}, language, site_languages(config)[0]):
            if placed is not None and (copy := placed / src_uri).is_file():
                path = copy
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    def leave_out_pages(self, files: Files, config: MkDocsConfig) -> Files:
        if self.share is not None:
            self.share.leave_out(files, config.plugins["i18n"].current_language)
        if self.preview is not None and self.settings is not None and not self.languages.partial:
            self.preview.note_pages(files, self._pass_language(config), self.settings)
        if self.search is not None and material_search(config) is not None:
            self.search.note_pages(files, self._pass_language(config), whole=not self.languages.partial)
        return files

    def _pass_language(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        return i18n.current_language if i18n is not None else site_languages(config)[1]

    def index_page(self, page: Page, config: MkDocsConfig) -> None:
        """glossgen makes each page's search documents itself (see search.py)."""
        search = material_search(config)
        if self.search is not None and search is not None:
            language = self._pass_language(config)
            self.search.index_page(page, language, language_prefix(language, site_languages(config)[1]), search.config)

    def show_page(self, page: Page) -> None:
        if self.search is not None:
            self.search.show_page(page)

    def convert_page(self, markdown: str, page: Page, files: Files) -> str:
        """The Markdown MkDocs converts: a generated page's own, or none when its earlier HTML is reused."""
        if self.rendered is None or self.settings is None or self.settings.generated_page(page.file.src_uri) is None:
            return markdown
        return self.rendered.before(markdown, page, files, self._language_of(page))

    def sanitize_page(self, html: str, page: Page, files: Files) -> str:
        """A generated page's HTML through the output allowlist; what it removes is reported."""
        if self.settings is None or self.settings.generated_page(page.file.src_uri) is None:
            return html
        if self.rendered is not None:
            clean, lost = self.rendered.after(html, page, files, sanitize_reporting)
        else:
            clean, lost = sanitize_reporting(html)
        if lost:
            shown = display_path(Path(page.file.abs_src_path or page.file.src_uri), self.settings.root)
            report([Problem(shown, None, f"removed from the page before publishing: {', '.join(lost)}")])
        return link_citations(clean, self._labels()[self._language_of(page)]["back_to_citation"])

    def _labels(self) -> Mapping[str, Labels]:
        """Each language's page words: the published build's, or in the second process, read from the catalogs."""
        if self.published is not None:
            return self.published.valid.labels
        assert self.settings is not None
        if self.labels is None:
            settings = self.settings
            self.labels = load_labels(settings.languages, settings.default_language, settings.locale_dir,
                                      settings.root)[0]
        return self.labels

    def _language_of(self, page: Page) -> str:
        """The language of a generated page, from its name (lora.nl.md)."""
        assert self.settings is not None
        generated = self.settings.generated_page(page.file.src_uri)
        assert generated is not None
        return self.settings.split_language(generated)[1]

    def finish_page(self, html: str, page: Page, config: MkDocsConfig) -> str:
        """A page's HTML as the theme made it: its search dialog labelled, its alternates absolute."""
        html = self.languages.link_translations(label_search_dialog(html), page)
        return self.fixes.page_alternates(html, page.canonical_url, page.file.dest_uri, site_languages(config)[1])

    def page_context(self, context: dict, page: Page, config: MkDocsConfig) -> dict:
        """Every page: its search index (theme.search_base). An entry's page edits its YAML file, no other does."""
        context = search_base(context, site_languages(config)[1], self.og_locales)
        generated = self.settings.generated_page(page.file.src_uri) if self.settings is not None else None
        if self.settings is None or generated is None:
            return context
        stem = self.settings.split_language(generated)[0]
        files = [self.settings.glossary_dir / f"{stem}{suffix}" for suffix in (".yml", ".yaml")] if "/" not in stem else []
        entry_file = next((path for path in files if path.is_file()), None)  # the worker has no glossary: ask the folder
        page.edit_url = edit_url(config, entry_file) if entry_file else None
        return context

    def end_pass(self, config: MkDocsConfig) -> None:
        self.fixes.keep_not_found_page(Path(config.site_dir), language_homes(config), config.site_url or "",
                                       site_languages(config)[1])

    def finish(self, config: MkDocsConfig) -> None:
        """After the outermost pass, when every language is written: fix and audit the site."""
        self.depth -= 1
        if self.depth > 0 or self.generated is None:
            return
        languages, default = site_languages(config)
        built = [language for language in languages if (self.share is None or language in self.share.languages)
                 and (self.preview is None or language not in self.preview.skipped)]
        site_dir = Path(config.site_dir)
        reuse = (self.rendered.finish(built, complete=not self.dirty, layout=self._layout(config) if not self.dirty else "")
                 if self.rendered is not None else None)
        if reuse:
            log.info(reuse)
        self.fixes.finish(site_dir, default, built)
        search = material_search(config)
        written = (self.search.finish(site_dir, built, default, search.config, complete=not self.dirty)
                   if self.search is not None and search is not None else None)
        if self.preview is not None:
            if self.published is not None and self.published.deferred:
                labels = self._labels()
                self.preview.mark_stale(site_dir, {language: labels[language]["preview_stale"] for language in languages})
                self.preview.refresh_when_idle()
            else:
                self.preview.clear_stale(site_dir)
            if self.preview.pending:
                self.preview.build_pending()
        if self.worker:
            worker, self.worker = self.worker, None
            if not worker.finish(site_dir):
                raise PluginError(f"glossgen: the second build process ({', '.join(worker.languages)}) failed; "
                                  "its messages are above")
        if self.published is None or self.settings is None:  # the worker: the main build audits the whole site
            return
        audited = self.preview.audited(built) if self.preview is not None else built
        problems = audit_site(site_dir, self.published.glossary, default, self.settings.output_dir, audited, written)
        if problems:
            fail(problems, "entries were lost in the build; see above")

    # --- the end ------------------------------------------------------------------------------------------

    def failed_build(self) -> None:
        self.failed = True
        self.depth = 0
        if self.rendered is not None:
            self.rendered.finish([], complete=False)
        if self.worker:
            self.worker.cancel()
            self.worker = None

    def close(self) -> None:
        if self.command == "serve" and self.memory is not None and self.settings is not None:
            self.memory.save(self.settings.cache_dir)
        if self.staging:
            self.staging.publish(succeeded=not self.failed)
        if self.share:
            self.share.close()
        if self.preview:
            self.preview.close()
        if self.rendered:
            self.rendered.close()

    def watch(self, server: LiveReloadServer, config: MkDocsConfig) -> LiveReloadServer:
        """Watch the glossary, the snippets and glossgen itself, and never the pages glossgen writes."""
        return watch_inputs(server, config, settings_from(config), self.preview.trigger_dir if self.preview else None)


def report(problems: list[Problem]) -> None:
    """Every problem, one located line each, through MkDocs' log (counted by --strict)."""
    for problem in problems:
        log.error(str(problem))


def fail(problems: list[Problem], summary: str) -> NoReturn:
    """Report every problem and stop the build."""
    report(problems)
    raise PluginError(f"glossgen: {summary}")

