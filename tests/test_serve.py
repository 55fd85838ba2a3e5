"""`mkdocs serve` on a fixture site, as `make serve` runs it: edits show up, nothing grows, the preview stays a preview.

The tests wait for outcomes (the page shows the new text) rather than counting builds:
how many builds one save starts depends on how the editor and the OS write the file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from bs4 import BeautifulSoup

from .helpers import LANGUAGES, Site, write_site

pytestmark = pytest.mark.build

PREVIEW_HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((PREVIEW_HOST, 0))
        return probe.getsockname()[1]


class Server:
    """`mkdocs serve` in its own process, its log in a file and its site in a folder of the test's."""

    def __init__(self, site: Site, work: Path, *options: str):
        self.port = free_port()
        self.log = work / "serve.log"
        self.temp = work / "tmp"  # MkDocs serves from a temporary folder: put it where the test can count files
        self.temp.mkdir()
        environment = {**os.environ, "TMPDIR": str(self.temp)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"{PREVIEW_HOST}:{self.port}"],
            cwd=site.root, stdout=subprocess.DEVNULL, stderr=self.log.open("w"), env=environment)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"http://{PREVIEW_HOST}:{self.port}/{path}", timeout=5) as response:
                return response.read()
        except OSError:
            return None

    def article(self, path: str) -> str:
        page = self.get(path)
        article = BeautifulSoup(page, "html.parser").find("article") if page else None
        return article.get_text(" ", strip=True) if article else ""

    def h1(self, path: str) -> str | None:
        page = self.get(path)
        heading = BeautifulSoup(page, "html.parser").find("h1") if page else None
        return heading.get_text(strip=True).rstrip("¶") if heading else None

    def search_documents(self) -> dict[str, int]:
        counts = {}
        for language in LANGUAGES:
            prefix = "" if language == "en" else f"{language}/"
            counts[language] = len(json.loads(self.get(f"{prefix}search/search_index.json") or b'{"docs": []}')["docs"])
        return counts

    def rendered_pages(self) -> int:
        return sum(1 for _ in self.temp.rglob("*.html"))

    def stop(self) -> None:
        """Stop as Ctrl-C does, so that MkDocs runs its shutdown events."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition: Callable[[], object], timeout: float = 90, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not met within {timeout} s")


def wait_until_quiet(server: Server, seconds: float = 3) -> None:
    """Until the log has not grown for `seconds`: every build a change started has finished."""
    size, since = -1, time.monotonic()
    while time.monotonic() - since < seconds:
        current = len(server.output())
        if current != size:
            size, since = current, time.monotonic()
        time.sleep(0.2)


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Site, Server]]:
    site = write_site(tmp_path / "project")
    server = Server(site, tmp_path, "--dirty", "--no-strict", "--verbose")  # as `make serve` runs it
    try:
        wait_for(lambda: server.h1("nl/glossary/weights/") == "gewicht", what="first page served")
        yield site, server
    finally:
        server.stop()


def test_an_edit_shows_and_glossgen_output_never_starts_a_build(serving) -> None:
    site, server = serving
    site.edit("glossary/weights.yml", "term: gewicht", "term: gewichtsfactor")
    wait_for(lambda: server.h1("nl/glossary/weights/") == "gewichtsfactor", what="edited term shown")
    wait_until_quiet(server)
    watched = re.search(r"Watching paths for changes: (.*)", server.output()).group(1)
    assert "'glossary'" in watched and "'snippets'" in watched
    assert "docs/glossary" not in watched and ".cache" not in watched
    # With --verbose, MkDocs logs every file event it acts on: none comes from what glossgen wrote.
    events = re.findall(r"(?:Modified|Created|Deleted|Moved)Event\(src_path='([^']*)'", server.output())
    assert any(path.endswith("glossary/weights.yml") for path in events), server.output()[-3000:]
    generated = (str(site.root / "docs/glossary"), str(site.root / ".cache"))
    assert [path for path in events if path.startswith(generated)] == []


def test_a_broken_entry_keeps_the_last_good_site_until_it_is_fixed(serving) -> None:
    site, server = serving
    path = site.root / "glossary/weights.yml"
    good = path.read_text()
    path.write_text(good.replace("related: [error]", "related: [error"))
    wait_for(lambda: "the preview shows its last valid version" in server.output(), what="problem reported")
    assert re.search(r"ERROR +- +glossgen: glossary/weights.yml:4: YAML syntax error:", server.output())
    assert server.h1("sv/glossary/weights/") == "vikt"
    assert "Traceback" not in server.output()

    path.write_text(good.replace("term: vikt", "term: vikter"))
    wait_for(lambda: server.h1("sv/glossary/weights/") == "vikter", what="fix shown")


def test_an_edit_renders_again_only_the_pages_that_depend_on_it(serving) -> None:
    site, server = serving
    assert "glossgen: 4 entries in 4 languages; 1 snippets, 1 run; 40 page(s) rendered;" in server.output()
    site.edit("glossary/weights.yml", "Body of gewicht:", "Nieuwe tekst over gewicht:")
    wait_for(lambda: "Nieuwe tekst" in server.article("nl/glossary/weights/"), what="edit shown")
    assert "1 snippets, 0 run; 1 page(s) rendered: weights.nl.md; 1 written" in server.output()
    assert "glossgen: changed: /nl/glossary/weights/" in server.output()  # where a translator finds the edit


def test_thirty_saves_leave_every_index_and_the_site_as_large_as_they_were(serving) -> None:
    site, server = serving
    # The first English edit makes the other languages outdated, which the translation-status page lists:
    # the sizes after the second save (one English, one Swedish edit) are the ones to keep.
    documents, pages = [], []
    shown = {"en": "Body of weight:", "sv": "Body of vikt:"}
    for save in range(30):
        language = ("en", "sv")[save % 2]
        text = f"Edit {save} of {'weight' if language == 'en' else 'vikt'}:"
        site.edit("glossary/weights.yml", shown[language], text)
        shown[language] = text
        page = "glossary/weights/" if language == "en" else "sv/glossary/weights/"
        wait_for(lambda: text in server.article(page), what=f"save {save + 1} shown")
        documents.append(server.search_documents())  # the server answers only once a rebuild is done
        if save in (1, 29):
            wait_until_quiet(server, 1)  # the pages on disk are counted between rebuilds
            pages.append(server.rendered_pages())
    assert documents[1:] == [documents[1]] * 29
    assert pages[1] == pages[0]
    assert "Edit 28 of weight:" in server.article("glossary/weights/")
    assert "Edit 29 of vikt:" in server.article("sv/glossary/weights/")


def test_a_build_after_serving_publishes_no_preview_address(tmp_path: Path) -> None:
    site = write_site(tmp_path / "project")
    assert site.build().returncode == 0
    server = Server(site, tmp_path)
    preview = f"http://{PREVIEW_HOST}:{server.port}/"
    try:
        wait_for(lambda: server.get("glossary.json") is not None, what="preview served")
        assert preview in server.get("glossary.json").decode()
    finally:
        server.stop()
    assert (site.root / ".cache/glossgen/memory.pickle").is_file()  # the preview's memory, kept on shutdown
    result = site.build()
    assert result.returncode == 0, result.stderr
    leaked = [path.relative_to(site.site_dir).as_posix() for path in site.site_dir.rglob("*")
              if path.is_file() and preview.encode() in path.read_bytes()]
    assert leaked == []
    assert "https://glossary.example/glossary/weights/" in (site.site_dir / "glossary.json").read_text()


def test_the_whole_glossary_page_and_the_exports_are_made_again_once_the_author_pauses(serving) -> None:
    site, server = serving
    wait_until_quiet(server, 1)  # the first build's other languages are built
    site.edit("glossary/weights.yml", "Body of vikt:", "Ny text om vikt:")
    wait_for(lambda: "Ny text" in server.article("sv/glossary/weights/"), what="edit shown")
    # Every language pass writes its not-found page: Dutch and German, untouched by a Swedish edit, are not built
    not_found = {language: served_file(server, f"{language}/404.html") for language in ("nl", "de")}
    built = {language: path.stat().st_mtime_ns for language, path in not_found.items()}
    # Right after the save, the print page and the exports are those of the build before, and say so (once the
    # rebuild, which wrote the Swedish page first, has ended), in every language.
    wait_for(lambda: stale_notice(server, "nl/glossary/print/"), what="stale notice")
    exported = json.loads(server.get("glossary.json"))
    assert "Förhandsvisning" in stale_notice(server, "sv/glossary/print/")
    assert "Ny text" not in server.article("sv/glossary/print/")
    assert "Ny text" not in json.dumps(exported, ensure_ascii=False)
    # Once nothing is saved for a few seconds, they are made again, and the notice is gone.
    wait_for(lambda: "Ny text" in server.article("sv/glossary/print/"), what="print page refreshed")
    wait_for(lambda: "Ny text" in json.dumps(json.loads(server.get("glossary.json")), ensure_ascii=False),
             what="exports refreshed")
    assert stale_notice(server, "sv/glossary/print/") == ""
    wait_until_quiet(server, 6)
    assert server.output().count("Building documentation") < 12  # the refresh does not start rebuild after rebuild
    # ... by the refresh either, which made again only Swedish pages and the exports; their pages lost the notice too
    assert {language: path.stat().st_mtime_ns for language, path in not_found.items()} == built
    for language in ("nl", "de"):
        assert stale_notice(server, f"{language}/glossary/print/") == ""


def stale_notice(server: Server, path: str) -> str:
    """The text of a page's notice that it waits for the idle refresh, or ''."""
    notice = BeautifulSoup(server.get(path) or b"", "html.parser").select_one(".glossgen-stale")
    return notice.get_text() if notice else ""


def test_search_documents_of_every_language_are_kept_by_glossgen_in_the_preview(serving) -> None:
    site, server = serving
    before = server.search_documents()
    assert all(count > 4 for count in before.values()), before
    site.edit("glossary/weights.yml", "Body of vikt:", "Sökbar nyhet om vikt:")
    wait_for(lambda: "Sökbar" in server.article("sv/glossary/weights/"), what="edit shown")
    index = json.loads(server.get("sv/search/search_index.json"))
    assert any("Sökbar nyhet" in document["text"] for document in index["docs"])
    assert index["config"]["lang"] == ["sv"]
    for prefix, language in (("", "en"), ("sv/", "sv")):  # each language's home page, whose address is ''
        home = json.loads(server.get(f"{prefix}search/search_index.json"))["docs"]
        assert f"<p>Welcome ({language}).</p>" in [document["text"] for document in home if document["location"] == ""]
    assert server.search_documents() == before
    # the English index, written again unchanged after the Swedish edit, changes with an English one
    site.edit("glossary/weights.yml", "Body of weight:", "Searchable news of weight:")
    wait_for(lambda: "Searchable news" in server.article("glossary/weights/"), what="edit shown")
    english = json.loads(server.get("search/search_index.json"))["docs"]
    assert any("Searchable news" in document["text"] for document in english)
    assert any("Sökbar nyhet" in document["text"] for document in json.loads(server.get("sv/search/search_index.json"))["docs"])


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_build_after_a_preview_with_deferred_pages_is_byte_for_byte_a_fresh_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "project")
    assert site.build().returncode == 0
    fresh = tree(site.site_dir)
    server = Server(site, tmp_path, "--dirty", "--no-strict")
    try:
        wait_for(lambda: server.h1("sv/glossary/weights/") == "vikt", what="first page served")
        original = (site.root / "glossary/weights.yml").read_text(encoding="utf-8")
        site.edit("glossary/weights.yml", "Body of vikt:", "Tillfällig text om vikt:")
        wait_for(lambda: "Tillfällig" in server.article("sv/glossary/weights/"), what="edit shown")
        (site.root / "glossary/weights.yml").write_text(original, encoding="utf-8")  # undone before the pause
        wait_for(lambda: "Tillfällig" not in server.article("sv/glossary/weights/"), what="undo shown")
    finally:
        server.stop()  # before the idle refresh: the memory it saves holds a deferred build
    assert site.build().returncode == 0
    again = tree(site.site_dir)
    assert again.keys() == fresh.keys()
    assert [path for path in fresh if fresh[path] != again[path]] == []


def served_file(server: Server, path: str) -> Path:
    """A file of the site `mkdocs serve` builds into its temporary folder."""
    return next(found for found in server.temp.rglob(path) if found.is_file())


def language_links(html: bytes, page_url: str) -> tuple[dict[str, str], dict[str, str]]:
    """A page's language selector and its head alternates, each language's address as a site path."""
    soup = BeautifulSoup(html, "html.parser")
    selector = {a["hreflang"]: urllib.parse.urlsplit(urllib.parse.urljoin(page_url, a["href"])).path
                for a in soup.select("a.md-select__link")}
    head = {link["hreflang"]: urllib.parse.urlsplit(link["href"]).path
            for link in soup.find_all("link", rel="alternate") if link.get("hreflang") not in (None, "x-default")}
    return selector, head


def test_an_edit_builds_only_its_languages_and_their_language_links_keep_the_term(serving) -> None:
    site, server = serving
    # A hand-written page has no glossgen pages to tell which languages it touched: every language is built.
    site.edit("docs/index.de.md", "Welcome (de).", "Willkommen (de).")
    wait_for(lambda: "Willkommen" in server.article("de/"), what="hand-written edit shown")
    wait_until_quiet(server, 1)
    untouched = {language: served_file(server, f"{prefix}glossary/weights/index.html")
                 for language, prefix in (("nl", "nl/"), ("de", "de/"), ("en", ""))}
    before = {language: path.stat().st_mtime_ns for language, path in untouched.items()}
    site.edit("glossary/weights.yml", "Body of vikt:", "Ändrad text om vikt:")
    wait_for(lambda: "Ändrad text" in server.article("sv/glossary/weights/"), what="edit shown")
    wait_until_quiet(server, 1)
    # Dutch and German had nothing to show again: their pages are the ones built before. So had English, whose pass
    # mkdocs-static-i18n always builds: given only the generated pages its navigation names, it left the others be.
    assert {language: path.stat().st_mtime_ns for language, path in untouched.items()} == before
    assert server.h1("glossary/weights/") == "weight" and "weight" in server.article("glossary/")
    # The Swedish page, built without those languages, still offers every one of them, on the same term.
    page = "sv/glossary/weights/"
    selector, head = language_links(server.get(page), f"http://{PREVIEW_HOST}:{server.port}/{page}")
    expected = {language: f"/{'' if language == 'en' else language + '/'}glossary/weights/" for language in LANGUAGES}
    assert selector == expected
    assert head == expected
    # Dutch and German were built by a rebuild of every language, whose passes too had only their own language's
    # generated pages: their language links point at the same term as well.
    for language in ("nl", "de"):
        page = f"{language}/glossary/weights/"
        assert language_links(server.get(page), f"http://{PREVIEW_HOST}:{server.port}/{page}") == (expected, expected)
