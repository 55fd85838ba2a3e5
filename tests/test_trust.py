"""The trust boundary: nothing a contributor writes runs in a reader's browser or escapes the build.

One table per way in, each case with its exact located message; the pipeline runs in
this process, as `glossgen validate` runs it. A Hypothesis test composes hostile
fragments in every text field and requires either located errors or pages that the
output sanitizer leaves untouched. Snippet privileges are tested on the runner itself.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st

from glossgen.core.errors import GlossaryError
from glossgen.core.sanitize import removed
from glossgen.plugin.print_parts import unmarked
from glossgen.memory import Memory
from glossgen.pipeline import build_site
from glossgen.core.results import RenderedText
from glossgen.stages.markup import MarkupCheck, text_problems
from glossgen.stages.snippets import FILE_LIMIT, run_snippets

from .helpers import Site, write_site

CALLS = "write calls such as {{ n(\"snippet.result\") }} with quoted arguments, one of approx, cite, gigabytes, link, n, percent"
LOSES = "entry text may not carry HTML, event handlers or script links"
SLUG = "use a lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts"


SWEDISH_BODY = '    Body of vikt: {{ n("dense.total") }} and {{ approx("dense.big") }} {{ cite("lecun2015") }}.\n'


def body(site: Site, text: str) -> None:
    """Put `text` in front of the Swedish body of weights (glossary/weights.yml, line 23)."""
    site.edit("glossary/weights.yml", "    Body of vikt:", f"    {text} Body of vikt:")


def after_body(site: Site, lines: str) -> None:
    """Add Markdown lines after the Swedish body's one line."""
    site.edit("glossary/weights.yml", SWEDISH_BODY, SWEDISH_BODY + "".join(f"    {line}\n" for line in lines.split("\n")))


JINJA = [
    pytest.param('{{ "<" ~ "script>alert(1)" }}', f"glossary/weights.yml:23: sv.body: an operator is not allowed in entry text; {CALLS}", id="concatenated-tag"),
    pytest.param('{{ "\\u003cimg src=x onerror=alert(1)\\u003e" }}', f"glossary/weights.yml:23: sv.body: the constant '<img src=x onerror=alert(1)>' is not allowed in entry text; {CALLS}", id="escaped-tag"),
    pytest.param('{{ "%c"|format(60) }}', f"glossary/weights.yml:23: sv.body: the filter 'format' is not allowed in entry text; {CALLS}", id="format-filter"),
    pytest.param("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", f"glossary/weights.yml:23: sv.body: a {{% macro %}} statement is not allowed in entry text; {CALLS}", id="recursive-macro"),
    pytest.param('{{ "x" * 10**12 }}', f"glossary/weights.yml:23: sv.body: an operator is not allowed in entry text; {CALLS}", id="huge-string"),
    pytest.param("{{ 7**1000000000 }}", f"glossary/weights.yml:23: sv.body: an operator is not allowed in entry text; {CALLS}", id="huge-integer"),
    pytest.param('{% for x in "abc" %}{{ x }}{% endfor %}', f"glossary/weights.yml:23: sv.body: a {{% for %}} statement is not allowed in entry text; {CALLS}", id="loop"),
    pytest.param('{{ link("error", "\\u002d\\u002d8\\u003c-- \\"dense.py\\"") }}', "glossary/weights.yml:23: sv.body: link text '--8<-- \"dense.py\"' is not a declared form of 'error' in sv; write one of 'öga', or add it to error's sv.forms", id="include-built-from-escapes"),
    pytest.param('{{ link("error", "\\u003cb onmouseover=alert(1)\\u003ex") }}', "glossary/weights.yml:23: sv.body: link text '<b onmouseover=alert(1)>x' is not a declared form of 'error' in sv; write one of 'öga', or add it to error's sv.forms", id="markup-built-from-escapes"),
]


@pytest.mark.parametrize(("text", "message"), JINJA)
def test_entry_text_can_only_call_its_functions(site: Site, text: str, message: str) -> None:
    body(site, text)
    assert site.problems() == [message]


def test_markup_that_only_rendering_would_make_is_refused_as_rendered(site: Site) -> None:
    """Defence in depth: link texts are declared forms, checked as written; the rendered text is checked again."""
    settings = site.settings()
    valid = build_site(settings).valid
    text = valid.texts["weights", "sv"]
    forged = RenderedText(text.term, text.short, f"{text.body} <b onmouseover=alert(1)>x</b>", text.aspects,
                          'Se --8<-- "dense.py"')
    check = MarkupCheck(settings.markdown_extensions, settings.markdown_configs)
    messages = [problem.message for problem in text_problems(valid.glossary.entries["weights"], "sv", forged, check)]
    assert "sv.body: as rendered, raw HTML '<b onmouseover=alert(1)>' is not allowed; write Markdown instead" in messages
    assert ("sv.usage: as rendered, '--8<--' file includes are not allowed in entry text; list the snippet under "
            "examples") in messages


MARKDOWN = [
    pytest.param(lambda s: after_body(s, "\n[evil]: javascript:alert(1)") or body(s, "[klick][evil]"),
                 f"glossary/weights.yml:23: sv.body: the page would lose href 'javascript:alert(1)' on <a>; {LOSES}", id="reference-link"),
    pytest.param(lambda s: after_body(s, '{: 0 onclick="alert(1)" }'),
                 f"glossary/weights.yml:23: sv.body: the page would lose 0 on <p>, onclick on <p>; {LOSES}", id="attribute-list-in-body"),
    pytest.param(lambda s: s.edit("glossary/weights.yml", "  term: vikt\n", "  term: 'vikt {: 0 onclick=\"alert(1)\" }'\n"),
                 f"glossary/weights.yml:19: sv.term: the page would lose 0 on <h1>, onclick on <h1>; {LOSES}", id="attribute-list-in-term"),
    pytest.param(lambda s: body(s, "<javascript:alert(1)>"),
                 "glossary/weights.yml:23: sv.body: 'javascript:' links are not allowed; link to an http(s) address", id="autolink"),
]


@pytest.mark.parametrize(("change", "message"), MARKDOWN)
def test_markdown_that_would_carry_script_is_reported_where_it_was_written(site: Site, change, message: str) -> None:
    change(site)
    assert site.problems() == [message]


CATEGORY = "  en: {name: X, description: X.}\n  nl: {name: X, description: X.}\n  sv: {name: X, description: X.}\n  de: {name: X, description: X.}\n"
COMPARISON = ("  entries: [weights, error]\n  aspects: [cost]\n" + "".join(
    f"  {language}: {{title: T, intro: I.}}\n" for language in ("en", "nl", "sv", "de")))
IDS = [
    pytest.param("glossary/_categories.yml", '"javascript:alert(1)//":\n' + CATEGORY,
                 f"glossary/_categories.yml:6: category id 'javascript:alert(1)//' is not valid; {SLUG}", id="category-script-url"),
    pytest.param("glossary/_categories.yml", '"../../../../outside/x":\n' + CATEGORY,
                 f"glossary/_categories.yml:6: category id '../../../../outside/x' is not valid; {SLUG}", id="category-path"),
    pytest.param("glossary/_comparisons.yml", '"../../../../outside/x":\n' + COMPARISON,
                 f"glossary/_comparisons.yml:1: comparison id '../../../../outside/x' is not valid; {SLUG}", id="comparison-path"),
    pytest.param("glossary/_sources.yml", "quoted:\n  title: T\n  url: 'https://example.org/a\" onmouseover=\"alert(1)'\n",
                 "glossary/_sources.yml:8: quoted.url: 'https://example.org/a\" onmouseover=\"alert(1)' is not valid; write a full http(s) URL, with no spaces, quotes or angle brackets", id="source-url-with-quote"),
    pytest.param("glossary/_sources.yml", "\"bad id\":\n  title: T\n",
                 f"glossary/_sources.yml:6: source id 'bad id' is not valid; {SLUG}", id="source-id"),
]


@pytest.mark.parametrize(("file", "added", "message"), IDS)
def test_every_id_that_becomes_a_path_or_url_is_a_slug(site: Site, file: str, added: str, message: str) -> None:
    path = site.root / file
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + added, encoding="utf-8")
    assert message in site.problems()


@pytest.mark.parametrize(("levels", "line"), [(5_000, 2), (200_000, 2)])
def test_deep_nesting_is_one_located_error(site: Site, levels: int, line: int) -> None:
    site.write("glossary/deep.yml", "id: deep\nx: " + "[" * levels + "]" * levels + "\n")
    assert site.problems() == [f"glossary/deep.yml:{line}: nested more than 32 levels deep; an entry needs only a few"]


def test_an_oversized_file_is_refused_unread(site: Site) -> None:
    site.edit("glossary/weights.yml", "    Body of vikt:", "    " + "lång " * 250_000 + "Body of vikt:")
    assert site.problems() == ["glossary/weights.yml: is larger than 1,000,000 bytes; split it or shorten it"]


def test_files_that_are_not_plain_files_inside_the_project_are_refused(site: Site, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "outside.yml"
    outside.write_text((site.root / "glossary/zebra.yml").read_text().replace("id: zebra", "id: outside"))
    (site.root / "glossary/outside.yml").symlink_to(outside)
    (site.root / "glossary/zero.yml").symlink_to("/dev/zero")
    os.mkfifo(site.root / "glossary/pipe.yml")
    started = time.monotonic()
    problems = site.problems()
    assert time.monotonic() - started < 30  # nothing waited on the pipe or read the device without end
    assert problems == [
        f"glossary/outside.yml: is a link to {outside.resolve()}, outside the project; put the file itself here",
        "glossary/pipe.yml: is not a regular file (a device, pipe or socket); an input must be a plain file",
        "glossary/zero.yml: is a link to /dev/zero, outside the project; put the file itself here",
    ]


def test_every_yaml_name_and_every_folder_is_read_or_reported(site: Site) -> None:
    site.write("glossary/Okapi.YML", (site.root / "glossary/zebra.yml").read_text().replace("id: zebra", "id: okapi"))
    site.write("glossary/more/quagga.yml", (site.root / "glossary/zebra.yml").read_text())
    site.write("glossary/_extra.yml", "x: y\n")
    site.write("glossary/notes.txt", "not an entry\n")
    problems = site.problems()
    assert "glossary/Okapi.YML:1: id 'okapi' must match the file name; rename the file to okapi.YML or change the id" in problems
    assert "glossary/more: folders inside the glossary are not read; move its entries up" in problems
    assert ("glossary/_extra.yml: unknown file; the glossary's own files are _sources.yml (or _sources-*.yml), "
            "_categories.yml and _comparisons.yml") in problems
    assert "glossary/notes.txt: not an entry (entries are .yml files); move it out of the glossary" in problems


def test_a_short_definition_is_one_line_wherever_it_is_shown(site: Site) -> None:
    # A fence on its own page is code; after "- term: " in the A-Z index it would be a script element.
    site.edit("glossary/weights.yml", "  short: Short definition of weight in en.\n",
              '  short: "```\\n<script>alert(1)</script>\\n```"\n')
    assert site.problems() == ["glossary/weights.yml:8: en.short: must be one line (it is also shown inside lists, "
                               "tables and tooltips); join the lines"]


def test_a_term_may_not_reorder_what_readers_see(site: Site) -> None:
    site.edit("glossary/weights.yml", "  term: vikt\n", "  term: \"vikt\\u202egnal\"\n")
    assert site.problems() == ["glossary/weights.yml:19: sv.term: bidirectional control character U+202E is not allowed "
                               "(it reorders what readers see); remove it"]


def test_one_term_in_two_spellings_is_one_term(site: Site) -> None:
    decomposed = unicodedata.normalize("NFD", "öga")
    site.edit("glossary/zebra.yml", "  term: zebra\n  gender: en", f"  term: {decomposed}\n  gender: en")
    assert site.problems() == ["glossary/zebra.yml:19: sv.term: 'öga' is already the term of glossary/error.yml; "
                               "each concept needs a term of its own in each language"]


# --- exports ------------------------------------------------------------------------------------

@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_no_csv_cell_is_a_formula(site: Site, start: str) -> None:
    site.edit("glossary/zebra.yml", "  term: Zebra\n", f"  term: '{start}HYPERLINK(\"https://example.org\")'\n")
    downloads = build_site(site.settings()).downloads
    rows = list(csv.reader(io.StringIO(downloads["glossary-en-de.csv"])))
    assert [row[4] for row in rows if row[0] == "zebra"] == [f"'{start}HYPERLINK(\"https://example.org\")"]
    assert json.loads(downloads["glossary.json"])  # and JSON stays well-formed whatever the text


# --- snippets -----------------------------------------------------------------------------------

def snippet(folder: Path, name: str, code: str) -> str:
    (folder / f"{name}.py").write_text(code + "\nresults = {'x': 1}\n", encoding="utf-8")
    return name


def run_one(folder: Path, name: str, timeout: float = 10) -> str:
    """The snippet's output, or its one problem line."""
    try:
        return run_snippets(folder, [name], root=folder, timeout=timeout)[name].output
    except GlossaryError as error:
        [problem] = error.problems
        return str(problem)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").is_dir() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_a_snippet_sees_none_of_the_builds_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_TOKEN", "s3cret-value")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "injected"))
    name = snippet(tmp_path, "environment", "import os, sys\nprint(sorted(os.environ))\nprint(os.getcwd())\nprint(sys.flags.isolated)")
    output = run_one(tmp_path, name)
    assert "s3cret" not in output and "SECRET_TOKEN" not in output and "PYTHONPATH" not in output
    names, folder, isolated = output.splitlines()
    assert set(eval(names)) <= {"PATH", "LANG", "LC_ALL", "LC_CTYPE", "HOME", "TMPDIR", "PYTHONHASHSEED",
                                "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GLOSSGEN_SNIPPET_RUN"}
    assert not Path(folder).exists() and isolated == "1"  # a scratch folder, removed afterwards


def test_nothing_a_snippet_starts_outlives_its_timeout(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    name = snippet(tmp_path, "lingers", f"import subprocess, sys, time\n"
                   f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                   f"open({str(pids)!r}, 'w').write(str(child.pid))\ntime.sleep(120)")
    assert run_one(tmp_path, name, timeout=3) == ("lingers.py: snippet ran longer than its 3 s timeout and was stopped "
                                                  "with everything it started; make it finish faster")
    child = int(pids.read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child)


def test_a_process_left_behind_is_stopped_and_reported(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    name = snippet(tmp_path, "daemon", f"import os, time\nif os.fork() == 0:\n    os.setsid()\n"
                   f"    if os.fork() == 0:\n        open({str(pids)!r}, 'w').write(str(os.getpid()))\n"
                   f"        time.sleep(120)\n    os._exit(0)\ntime.sleep(1)")
    assert run_one(tmp_path, name) == ("daemon.py: snippet left 1 process(es) running after it finished (stopped now); "
                                       "wait for every process it starts")
    daemon = int(pids.read_text())
    deadline = time.monotonic() + 5
    while alive(daemon) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(daemon)


@pytest.mark.parametrize("stream", ["os.write(1, chunk)", "os.write(2, chunk)", "sys.stderr.buffer.write(chunk)",
                                    "open('big.bin', 'wb').write(chunk * 3)"])
def test_output_is_capped_at_the_descriptor(tmp_path: Path, stream: str) -> None:
    name = snippet(tmp_path, "flood", f"import os, sys\nchunk = b'x' * {FILE_LIMIT // 2}\nfor _ in range(4):\n    {stream}")
    assert run_one(tmp_path, name) == (f"flood.py:4: snippet wrote more than {FILE_LIMIT:,} bytes to its output or a "
                                       "file; write less")


def test_only_listed_snippets_run_and_an_unlisted_one_is_reported(site: Site) -> None:
    marker = site.root / "ran"
    site.write("snippets/unlisted.py", f"open({str(marker)!r}, 'w').write('ran')\nresults = {{'x': 1}}\n")
    assert site.problems() == ["snippets/unlisted.py: snippet 'unlisted' is not listed under any entry's examples, "
                               "so it is not run; list it or remove it"]
    assert not marker.exists()


# --- composed hostile text --------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "[x](javascript:alert(1))",
    "[x][e]\n\n[e]: javascript:alert(1)\n", "{: onclick=alert(1) }", "{: 0 onclick=\"alert(1)\" }", "{#id .c}",
    "<javascript:alert(1)>", "[d](data:text/html,x)", "`<script>`", "```\n<script>\n```", "&lt;script&gt;",
    '{{ "<" ~ "b>" }}', '{{ link("error", "\\u003cb\\u003e") }}', '{{ n("dense.total") }}', "{{ self }}",
    '{{ cite("lecun2015") }}', "*a* **b**", "\n\n", " ", "x", "- item", "# heading", "<!-- c -->", "\u202e",
    "--8<-- \"dense.py\"", "[w](weights.md)", "<b>", "&#106;avascript:", "[x](  javascript:alert(1))",
])
FIELDS = st.sampled_from(["  term", "  short", "  abbr", "  plural", "  synonyms"])


def _executable(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [tag.name for tag in soup.find_all(["script", "iframe", "object", "embed", "svg"])]
    for tag in soup.find_all(True):
        found += [name for name in tag.attrs if name.lower().startswith("on")]
        found += [value for name in ("href", "src") if (value := str(tag.get(name, ""))).strip().lower().startswith(
                  ("javascript:", "data:", "vbscript:"))]
    return found


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Site:
    return write_site(tmp_path_factory.mktemp("composed"))


@pytest.fixture(scope="module")
def memory() -> Memory:
    return Memory()


@settings(max_examples=int(os.environ.get("GLOSSGEN_EXAMPLES", 100)), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(FRAGMENTS, min_size=1, max_size=4), field=FIELDS, language=st.sampled_from(["en", "sv"]),
       in_body=st.booleans())
def test_composed_fragments_end_in_located_errors_or_pages_the_sanitizer_leaves_alone(
        pristine: Site, memory: Memory, parts: list[str], field: str, language: str, in_body: bool) -> None:
    path = pristine.root / "glossary/weights.yml"
    original = path.read_text(encoding="utf-8")
    text = "".join(parts)
    try:
        block = original.split(f"\n{language}:\n", 1)
        if in_body:
            indented = text.replace("\n", "\n    ")
            changed = block[1].replace("  body: |\n", f"  body: |\n    {indented}\n", 1)
        else:
            value = json.dumps(text) if field != "  synonyms" else f"[{json.dumps(text)}]"
            if f"{field}:" in block[1].split("\n  body:")[0]:
                changed = re.sub(rf"^{field}: .*$", lambda _: f"{field}: {value}", block[1], count=1, flags=re.M)
            else:
                changed = f"{field}: {value}\n" + block[1]
        path.write_text(f"{block[0]}\n{language}:\n{changed}", encoding="utf-8")
        try:
            build = build_site(pristine.settings(), memory)
        except GlossaryError as error:
            for problem in error.problems:
                assert "\n" not in str(problem) and problem.path.startswith(("glossary/", "snippets/")), problem
            return
        markdown = MarkupCheck(pristine.settings().markdown_extensions).markdown
        for page in build.pages:
            markdown.reset()
            html = unmarked(markdown.convert(page.content.split("\n---\n", 1)[-1]))  # the build takes glossgen's marks out
            assert removed(html) == [], (page.path, removed(html))  # what validate passed, the page keeps whole
            assert _executable(html) == [], page.path
    finally:
        path.write_text(original, encoding="utf-8")


# --- the real build ------------------------------------------------------------------------------------

@pytest.mark.build
def test_a_path_in_a_comparison_id_fails_the_build_and_writes_nothing_outside(site: Site) -> None:
    site.write("glossary/_comparisons.yml", '"../../../../outside/x":\n' + COMPARISON)
    result = site.build()
    assert result.returncode != 0
    assert any(line.endswith(f"glossary/_comparisons.yml:1: comparison id '../../../../outside/x' is not valid; {SLUG}")
               for line in result.stderr.splitlines()), result.stderr
    assert not list(site.root.parent.rglob("outside")) and not (site.root / "site").exists()


@pytest.mark.build
def test_the_built_site_carries_nothing_executable_from_entry_text(site: Site) -> None:
    # Handled, not refused: code that shows markup, escaped characters, a mailto link, a tooltip with quotes.
    body(site, '`<script>alert(1)</script>` 3 < 4 && "x" [mail](mailto:a@example.org) {{ link("error", "a \\"quoted\\" link") }}')
    site.edit("glossary/error.yml", "  term: öga\n", "  term: öga\n  forms: ['a \"quoted\" link']\n")  # a declared form
    result = site.build()
    assert result.returncode == 0, result.stderr
    for html_path in site.site_dir.rglob("*.html"):
        article = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is not None:
            assert _executable(str(article)) == [], html_path
    text = site.html("sv/glossary/weights/index.html").find("article").get_text()
    assert "<script>alert(1)</script> 3 < 4 && \"x\" mail a \"quoted\" link" in " ".join(text.split())
