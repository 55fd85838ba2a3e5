"""`mkdocs serve` on a fixture site: edits show up, its own output never triggers a rebuild."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from bs4 import BeautifulSoup

from conftest import Site, write_site

BUILD_STARTED = "Building documentation..."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, site: Site, log: Path, *options: str):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=site.root, stdout=subprocess.DEVNULL, stderr=log.open("w"))

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.output().count(BUILD_STARTED)

    def h1(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as response:
                return BeautifulSoup(response.read(), "html.parser").find("h1").get_text(strip=True)
        except OSError:
            return None


def wait_for(condition: Callable[[], object], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


SERVE_MODES = {"rebuild everything": (), "as make serve: only what changed": ("--dirty", "--no-strict")}


@pytest.fixture(params=SERVE_MODES.values(), ids=SERVE_MODES.keys())
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Site, Server]]:
    site = write_site(tmp_path / "project")
    running = Server(site, tmp_path / "serve.log", *request.param)
    try:
        yield site, running
    finally:
        running.process.terminate()
        running.process.wait(timeout=20)


def test_serve_rebuilds_on_edit_and_never_on_its_own_output(server) -> None:
    site, running = server
    wait_for(lambda: running.h1("nl/glossary/weights/") == "gewicht")
    time.sleep(3)
    assert running.builds() == 1, running.output()

    path = site.root / "glossary/weights.yml"
    path.write_text(path.read_text().replace("term: gewicht", "term: gewichtsfactor"))
    wait_for(lambda: running.h1("nl/glossary/weights/") == "gewichtsfactor")
    time.sleep(3)
    assert running.builds() == 2, running.output()


def test_broken_entry_keeps_the_last_good_site_until_fixed(server) -> None:
    site, running = server
    wait_for(lambda: running.h1("sv/glossary/weights/") == "vikt")
    path = site.root / "glossary/weights.yml"
    good = path.read_text()
    path.write_text(good.replace("related: [error]", "related: [error"))
    wait_for(lambda: "glossary/weights.yml:4: YAML syntax error" in running.output())
    assert running.h1("sv/glossary/weights/") == "vikt"
    assert "Traceback" not in running.output()

    path.write_text(good.replace("term: vikt", "term: vikter"))
    wait_for(lambda: running.h1("sv/glossary/weights/") == "vikter")


def test_an_edit_re_renders_only_the_pages_that_depend_on_it(server) -> None:
    site, running = server
    wait_for(lambda: running.h1("nl/glossary/weights/") == "gewicht")
    assert "glossgen: 4 entries in 4 languages; 1 snippets, 1 run; 40 page(s) rendered;" in running.output()

    path = site.root / "glossary/weights.yml"
    path.write_text(path.read_text().replace("Body of gewicht:", "Nieuwe tekst over gewicht:"))
    wait_for(lambda: running.output().count("page(s) rendered") == 2)
    assert "glossgen: 4 entries in 4 languages; 1 snippets, 0 run; 2 page(s) rendered: weights.nl.md, print.nl.md; 2 written" in running.output()

    # A new term shows up wherever the concept is listed or linked, in that language only.
    path.write_text(path.read_text().replace("term: vikt", "term: vikten"))
    wait_for(lambda: running.output().count("page(s) rendered") == 3)
    last = running.output().split("page(s) rendered: ")[-1].split(";")[0].split(", ")
    assert sorted(last) == sorted(["weights.sv.md", "error.sv.md", "index.sv.md", "categories/basics.sv.md",
                                   "print.sv.md", "examples.sv.md"])
