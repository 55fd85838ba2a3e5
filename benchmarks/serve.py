"""The edit loop of `mkdocs serve`: change one entry, time until the served page shows it.

The server runs in a subprocess; a term page is polled over HTTP every 50 ms. Two
moments are recorded after the edit: when the edited page first comes back with the new
term, and when the server logs "Reloading browsers" (an open browser tab reloads). MkDocs'
server holds every request while a rebuild is under way, so the page cannot show up
before all four languages are rebuilt and the two figures are nearly equal. The Markdown
files glossgen rewrote are counted by comparing modification times and inodes in
docs/glossary/ before and after.
"""

from __future__ import annotations

import html
import re
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence, TypeVar

from measure import BenchmarkError, tail

POLL_SECONDS = 0.05
RELOADED = "Reloading browsers"
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
T = TypeVar("T")


@dataclass(frozen=True)
class ServeResult:
    concepts: int
    first_page_s: float         # server start until the term page is served
    edit_to_page_s: float       # save until the edited page shows the new term
    edit_to_reload_s: float     # save until the rebuild of every language is done
    generated_rewritten: int    # generated Markdown files glossgen rewrote for the edit
    generated_total: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def heading(url: str) -> str | None:
    """Text of the page's h1, or None while the page cannot be fetched (the server blocks during rebuilds)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _H1.search(page)
    return html.unescape(_TAG.sub("", found.group(1))).replace("¶", "").strip() if found else ""


def poll(check: Callable[[], T | None], timeout: float, what: str, log: Path) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(POLL_SECONDS)
    raise BenchmarkError(f"mkdocs serve: {what} not seen within {timeout:.0f} s:\n{tail(log)}")


def generated_files(folder: Path) -> dict[Path, tuple[int, int]]:
    return {path: (path.stat().st_mtime_ns, path.stat().st_ino) for path in folder.rglob("*") if path.is_file()}


def english_term(entry: Path) -> str:
    """The first `term:` of the file, which the synthetic entries write for English."""
    match = re.search(r'^  term: "(.*)"$', entry.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        raise BenchmarkError(f"{entry}: no English term found")
    return match.group(1)


def measure_serve(project: Path, entry_id: str, concepts: int, command: Sequence[str],
                  env: Mapping[str, str], log: Path, timeout: float = 1800) -> ServeResult:
    """Start `command` (mkdocs serve) in `project`, edit `entry_id`'s English term, time the round trip."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/glossary/{entry_id}/"
    entry = project / "glossary" / f"{entry_id}.yml"
    original = entry.read_text(encoding="utf-8")
    old_term = english_term(entry)
    new_term = f"{old_term} revised"
    reloads = lambda: log.read_text(encoding="utf-8", errors="replace").count(RELOADED)  # noqa: E731
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([*command, "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=dict(env),
                                  stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        poll(lambda: old_term == heading(url), timeout, f"term page {url}", log)
        first_page = time.perf_counter() - start
        before = generated_files(project / "docs" / "glossary")
        reloads_before = reloads()
        saved = time.perf_counter()
        entry.write_text(original.replace(f'  term: "{old_term}"', f'  term: "{new_term}"', 1), encoding="utf-8")
        poll(lambda: new_term == heading(url), timeout, f"new term '{new_term}'", log)
        edit_to_page = time.perf_counter() - saved
        poll(lambda: reloads() > reloads_before, timeout, f"'{RELOADED}' after the edit", log)
        edit_to_reload = time.perf_counter() - saved
        after = generated_files(project / "docs" / "glossary")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        entry.write_text(original, encoding="utf-8")
    rewritten = sum(1 for path, stamp in after.items() if before.get(path) != stamp)
    return ServeResult(concepts, first_page, edit_to_page, edit_to_reload, rewritten, len(after))
