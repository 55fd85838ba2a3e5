"""The MkDocs face of glossgen: event hooks, each a few lines that hand over to the build session.

The order of events in one language pass, and what glossgen does in each:

    on_config      run the pipeline (outermost pass only) and write its pages  -> session
    on_pre_build   count the pass                                               -> session
    on_files       add the generated files; leave out the other process's pages -> session
    on_page_markdown  a generated page whose HTML is kept from before is not converted -> rendered
    on_page_content  sanitize every generated page with the allowlist (or reuse it) -> session, rendered
    on_env         compile the theme's templates once per process               -> theme
    on_page_context  search documents; search base; an entry's edit link        -> search, theme, session
    on_post_page   search dialog label, absolute alternates, folder sitemaps     -> session
    on_post_build  keep the pass's 404 page; after the last pass, fix and audit -> session

mkdocs-static-i18n re-enters MkDocs' build once per language from its own on_post_build,
so these run once per language, nested inside the default language's pass.
"""

from __future__ import annotations

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..config import GlossgenConfig
from .session import BuildSession


class GlossgenPlugin(BasePlugin[GlossgenConfig]):
    def __init__(self) -> None:
        self.session: BuildSession | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance, and its session, across `mkdocs serve` rebuilds.
        self.session = BuildSession(self.config, command, dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.session is None:  # MkDocs run without on_startup, as some tools do
            self.session = BuildSession(self.config)
        self.session.options = self.config  # serve reloads mkdocs.yml, and the options, for every rebuild
        self.session.configure(config)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._session.start_pass(config)

    def _add_generated_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self._session.add_files(files, config)

    @event_priority(-150)  # after mkdocs-static-i18n has chosen this language pass's pages
    def _leave_pages_to_other_process(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self._session.leave_out_pages(files, config)

    on_files = CombinedEvent(_add_generated_files, _leave_pages_to_other_process)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = self._session.theme_bytecode
        return env

    @event_priority(-100)  # last: the Markdown every other plugin has finished with is what MkDocs converts
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._session.convert_page(markdown, page, files)

    @event_priority(100)  # first: the page as Markdown made it, before other plugins add their own markup
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._session.sanitize_page(html, page, files)

    @event_priority(50)  # before mkdocs-material's search indexes the page
    def _index_page(self, context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
        self._session.index_page(page, config)
        return context

    def _page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
        return self._session.page_context(context, page, config)

    @event_priority(-100)  # after mkdocs-material's search has passed the page: the theme sees its front matter
    def _show_page(self, context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
        self._session.show_page(page)
        return context

    on_page_context = CombinedEvent(_index_page, _page_context, _show_page)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._session.finish_page(output, page, config)

    @event_priority(100)  # before mkdocs-static-i18n starts the next language, which overwrites 404.html
    def _keep_not_found_page(self, *, config: MkDocsConfig) -> None:
        self._session.end_pass(config)

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        self._session.finish(config)

    on_post_build = CombinedEvent(_keep_not_found_page, _finish_site)

    def on_build_error(self, *, error: Exception) -> None:
        if self.session:
            self.session.failed_build()

    def on_shutdown(self) -> None:
        if self.session:
            self.session.close()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        return self._session.watch(server, config)

    @property
    def _session(self) -> BuildSession:
        assert self.session is not None, "on_config runs first"
        return self.session
