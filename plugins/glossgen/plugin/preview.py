"""The author's preview: `mkdocs serve --dirty` (the README's `make serve`), kept fast and faithful.

With `--dirty`, MkDocs builds again only the pages whose Markdown is newer than their
HTML, and glossgen rewrites only the Markdown an edit changed, so a save renders the
edited entry's page and the pages that show what changed in it. Three things would
still make every save cost the whole glossary, and `Preview` takes them over:

- Search. mkdocs-material's search plugin, under `--dirty`, merges the previous index
  into every language pass's, and mkdocs-static-i18n stacks the passes, so the index
  would grow fourfold with every save. glossgen keeps every page's documents itself
  (search.py, as in a full build) and writes again the indexes of the languages the
  rebuild builds.
- The whole-glossary page and the downloads (exports, notebooks) show every entry;
  after an edit they are deferred (`build_site(defer=True)`), and the pages that offer
  them say so in the reader's language. When the author has been idle for
  `preview_idle` seconds, `Preview` touches a file MkDocs watches, and that rebuild
  makes them again.
- Languages an edit did not touch. mkdocs-static-i18n builds every language in a pass
  of its own, and every pass walks every generated file. A rebuild after an edit builds
  the default language (mkdocs-static-i18n's outer pass) and the languages whose pages
  changed, by its documented per-language `build` option; so does the idle refresh, whose
  changes are the whole-glossary pages and notebooks of the languages edited since the
  last one (the exports, one for all languages, every pass copies); a change to a hand-written
  page, the theme or mkdocs.yml builds them all. So that the language selector keeps
  every language, glossgen gives mkdocs-material the `extra.alternate` list that
  mkdocs-static-i18n makes for the whole site; each pass, the default language's too, is
  given only its own language's generated pages, linked to their translations by
  glossgen (translations.py). The default language's pass, when none of its pages
  changed, is given of those only the ones its navigation names (`pages_needed`).
- Where an edit shows: each rebuild logs the address of every page it changed, so a
  translator editing Swedish while reading English is told where to look.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Collection, Mapping, Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from ..core.files import replace_file
from ..core.results import Downloads, SiteBuild
from ..core.settings import Settings
from ..core.urls import language_prefix as prefix_of, notebook_folder
from ..config import language_homes
from ..memory import PACKAGE_DIR
from .translations import nav_sources

log = get_plugin_logger(__name__)
# The pages are read and written as bytes: a whole-glossary page is megabytes, and decoding it to add a line costs
# five times as much as finding the line's place in its bytes.
_MAIN_CONTENT = re.compile(rb'(<article class="md-content__inner md-typeset">)')
_STALE_CLASS = "glossgen-stale"
_STALE_MARK = _STALE_CLASS.encode()
_STALE_NOTICE = re.compile(rf'<p class="{_STALE_CLASS} [^"]*" role="status">[^<]*</p>'.encode())


class Preview:
    """What the preview keeps from one rebuild to the next: the languages it builds, and the idle refresh."""

    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self.offering: dict[str, list[str]] = {}               # language -> pages that show deferred work
        self.trigger_dir = Path(tempfile.mkdtemp(prefix="glossgen-preview-"))
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()  # the timer's thread and MkDocs' build thread both arm and cancel it
        self.refreshed: int | None = None  # when the refresh file was last touched, as the last refresh saw it
        self.sources: dict[str, tuple[int, int]] | None = None  # hand-written files -> (mtime, size), last rebuild
        self.skipped: set[str] = set()                          # languages this rebuild leaves as they were
        self.pending: set[str] = set()                          # languages not built yet (after the first build)
        self.marked: dict[str, int] = {}                        # pages marked stale -> their time when marked
        self.touched: set[str] | None = None  # languages whose pages this rebuild may change; None: every one

    # --- the pages that show deferred work ---------------------------------------------------------------

    def note_pages(self, files: Files, language: str, settings: Settings) -> None:
        """Note the pass's pages that show deferred work: the whole-glossary page (generated) and the site's page
        of downloads. A pass given only some of its pages is not noted: the last pass given all of them was."""
        offering = (f"{settings.output_dir}/print", "exports")
        self.offering[language] = [file.dest_uri for file in files.documentation_pages()
                                   if _plain_name(file.src_uri, settings) in offering]

    # --- the languages a rebuild builds ----------------------------------------------------------------

    def limit_languages(self, config: MkDocsConfig, changed: Collection[str] | None, watched: Sequence[Path],
                        owned: Collection[Path]) -> None:
        """Build only the default language and the `changed` ones (None: every language), unless a hand-written
        file changed: one in docs_dir outside the folders glossgen fills (`owned`), in `watched` folders, or mkdocs.yml.

        The first build of a preview builds the default language alone, so that its pages are served
        sooner; the other languages are `pending`, and built by the rebuild that follows at once."""
        first = self.sources is None
        sources = source_state([Path(config.docs_dir), *watched], owned, config.config_file_path)
        if not first and sources != self.sources:
            changed = None
        self.sources = sources
        i18n = config.plugins.get("i18n")
        self.skipped, self.touched = set(), None
        if i18n is None:
            return
        if first:
            changed = set()
        if changed is None:
            self.pending = set()
            return
        languages = [language for language in i18n.config.languages if language.build]
        wanted = {*changed, *self.pending}
        self.touched = None if first else wanted
        self.skipped = {language.locale for language in languages
                        if not language.default and language.locale not in wanted}
        self.pending = set(self.skipped) if first else set()
        if not self.skipped:
            return
        if (config.theme.name == "material" and i18n.config.reconfigure_material
                and "alternate" not in config.extra):
            config.extra["alternate"] = site_alternates(config)
        for language in languages:
            if language.locale in self.skipped:
                language.build = False
        built = ", ".join(language.locale for language in languages if language.build)
        if first:
            log.info(f"building {built} first; {', '.join(sorted(self.pending))} right after")
        else:
            log.debug(f"building {built}")

    def pages_needed(self, language: str, config: MkDocsConfig) -> set[str] | None:
        """The generated pages a pass needs when it needs only some (None: all of its language's): the default
        language's pass, in a rebuild that changes none of its pages, needs only those its navigation names. Without
        a `nav`, MkDocs makes the navigation of every page, so every page is needed."""
        i18n = config.plugins.get("i18n")
        untouched = self.touched is not None and language not in self.touched
        if i18n is None or not untouched or language != i18n.default_language or config.nav is None:
            return None
        return nav_sources(config.nav)

    def audited(self, built: Sequence[str]) -> list[str]:
        """The built languages whose pages this rebuild may have changed, which the site audit looks at: not the
        default language's, built again after another language's edit with nothing of its own changed."""
        return [language for language in built if self.touched is None or language in self.touched]

    # --- deferred pages and downloads --------------------------------------------------------------------

    def mark_stale(self, site_dir: Path, notices: Mapping[str, str]) -> None:
        """Say, on each page that shows deferred work, that it waits for the author to pause (per language)."""
        for language, paths in self.offering.items():
            if language not in notices:
                continue
            note = f'<p class="{_STALE_CLASS} admonition note" role="status">{notices[language]}</p>'.encode()
            for path in paths:
                page = site_dir / path
                if not page.is_file() or self.marked.get(path) == page.stat().st_mtime_ns:
                    continue
                html = page.read_bytes()
                if _STALE_MARK not in html:
                    replace_file(page, _MAIN_CONTENT.sub(lambda match: match.group(1) + note, html, count=1))
                self.marked[path] = page.stat().st_mtime_ns

    def clear_stale(self, site_dir: Path) -> None:
        """Take the notice off pages that MkDocs did not build again when what they show was made."""
        self.marked = {}
        for paths in self.offering.values():
            for path in paths:
                page = site_dir / path
                if page.is_file():
                    html = page.read_bytes()
                    if _STALE_MARK in html:
                        replace_file(page, _STALE_NOTICE.sub(b"", html))

    def take_refresh(self) -> bool:
        """Whether this rebuild is the idle refresh (and so makes what was deferred)."""
        trigger = self.trigger_dir / "refresh"  # left in place: removing it would be one more change to rebuild for
        touched = trigger.stat().st_mtime_ns if trigger.exists() else None
        if touched is None or touched == self.refreshed:
            return False
        self.refreshed = touched
        return True

    def changed_pages(self, before: SiteBuild, after: SiteBuild, settings: Settings) -> set[str]:
        """Log where the edit shows, the address of every generated page whose text changed; return their languages,
        and those of the notebooks that changed (each language's pass copies its own notebooks into the site)."""
        old = {page.path: page.content for page in before.pages}
        changed = [page.path for page in after.pages if old.get(page.path) != page.content]
        languages = {settings.split_language(path)[1] for path in changed}
        if after.downloads is not before.downloads:
            languages |= notebook_languages(before.downloads, after.downloads, settings.languages)
        if changed:
            addresses = [site_address(path, settings) for path in changed]
            shown = ", ".join(addresses[:8]) + (f" and {len(addresses) - 8} more" if len(addresses) > 8 else "")
            log.info(f"changed: {shown}")
        return languages

    def refresh_when_idle(self) -> None:
        """Start (again) the wait for the author to pause; then a rebuild makes what was deferred."""
        self._arm(self.idle_seconds, repeat=False)

    def build_pending(self) -> None:
        """Start a rebuild for the languages still pending, now: the file is touched every second until
        a rebuild starts (MkDocs starts watching only once the first build is done)."""
        self._arm(0, repeat=True)

    def _arm(self, seconds: float, *, repeat: bool) -> None:
        self.cancel()
        with self.lock:
            self.timer = threading.Timer(seconds, self._touch, (repeat,))
            self.timer.daemon = True
            self.timer.start()

    def _touch(self, repeat: bool) -> None:
        with self.lock:
            if self.timer is None or not self.trigger_dir.is_dir():
                return  # cancelled: a rebuild has started
            (self.trigger_dir / "refresh").write_text(f"{time.time_ns()}\n", encoding="utf-8")
            self.timer = None
            if repeat:
                self.timer = threading.Timer(1.0, self._touch, (repeat,))
                self.timer.daemon = True
                self.timer.start()

    def cancel(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None

    def close(self) -> None:
        self.cancel()
        shutil.rmtree(self.trigger_dir, ignore_errors=True)


def _plain_name(src_uri: str, settings: Settings) -> str:
    """A page's source without its language and without .md: `glossary/print.sv.md` and `sv/glossary/print.md`
    -> `glossary/print`, `exports.sv.md` -> `exports`."""
    generated = settings.generated_page(src_uri)
    if generated is not None:
        return f"{settings.output_dir}/{settings.split_language(generated)[0]}"
    if settings.layout == "folder":
        language, _, rest = src_uri.partition("/")
        return (rest if language in settings.languages else src_uri).removesuffix(".md")
    return re.sub(r"(\.[a-z]{2,3}(?:_[A-Za-z]+)?)?\.md$", "", src_uri)


def notebook_languages(before: Downloads, after: Downloads, languages: Collection[str]) -> set[str]:
    """The languages whose notebooks differ between two sets of downloads (one added or removed differs too)."""
    folders = {notebook_folder(language): language for language in languages}
    found = set()
    for path in (before.keys() ^ after.keys()) | {path for path, content in after.items()
                                               if (last := before.get(path)) is not content and last != content}:
        folder = path.split("/", 2)[:2]
        language = folders.get("/".join(folder) + "/") if len(folder) == 2 else None
        if language is not None:
            found.add(language)
    return found


def source_state(folders: Sequence[Path], skipped: Collection[Path], *files: str | None) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file in `folders` (but not under the `skipped` folders) and of `files`."""
    state = {}
    for name in files:
        if name and os.path.isfile(name):
            stat = os.stat(name)
            state[name] = (stat.st_mtime_ns, stat.st_size)
    for folder in folders:
        for directory, folders_in, names in os.walk(folder):
            folders_in[:] = [name for name in folders_in if Path(directory, name) not in skipped]
            for name in names:
                path = os.path.join(directory, name)
                stat = os.stat(path)
                state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def site_alternates(config: MkDocsConfig) -> list[dict[str, str]]:
    """mkdocs-material's language selector for every language the site builds, as mkdocs-static-i18n lists it."""
    homes = language_homes(config)
    suffix = "" if config.use_directory_urls else "index.html"
    return [{"name": language.name, "link": language.fixed_link or f"{homes[language.locale]}{suffix}",
             "lang": language.locale}
            for language in config.plugins["i18n"].config.languages if language.build or language.locale == "null"]


def site_address(path: str, settings: Settings) -> str:
    """Where a generated page (`lora.sv.md`) is served: /sv/glossary/lora/."""
    stem, language = settings.split_language(path)
    folder, _, name = stem.rpartition("/")
    parts = [part for part in (prefix_of(language, settings.default_language).rstrip("/"), settings.output_dir, folder,
                               "" if name == "index" else name) if part]
    return "/" + "/".join(parts) + "/"


def watch_inputs(server: LiveReloadServer, config: MkDocsConfig, settings: Settings,
                 trigger_dir: Path | None) -> LiveReloadServer:
    """Watch the glossary, the snippets and glossgen itself, and never the pages glossgen writes; and the idle
    refresh's folder (`trigger_dir`), in the preview."""
    docs = Path(config.docs_dir)
    output = docs / settings.output_dir
    server.unwatch(str(docs))
    server.watch(str(docs), recursive=False)
    for child in docs.iterdir():
        if child.is_dir() and child != output:
            server.watch(str(child))
    for folder in (settings.glossary_dir, settings.snippets_dir, PACKAGE_DIR):
        if folder.is_dir():
            server.watch(str(folder))
    if trigger_dir is not None:
        server.watch(str(trigger_dir))
    return server
