"""YAML traps, Unicode, injection attempts: each gives one documented line, or a correct, inert site."""

from __future__ import annotations

import unicodedata

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st

from glossgen.core.errors import GlossaryError
from glossgen.memory import Memory
from glossgen.pipeline import validate_glossary
from glossgen.stages.load import load_glossary

from .helpers import LANGUAGES, Site, write_site


def edit(site: Site, old: str, new: str, file: str = "glossary/weights.yml") -> None:
    path = site.root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


TRAPS = [
    # (edit, expected problem or None when the value must survive as text)
    pytest.param(("  term: vikt", "  term: no"), None, id="norway-no-stays-text"),
    pytest.param(("  term: vikt", "  term: on"), None, id="on-stays-text"),
    pytest.param(("  term: vikt", "  term: 1e3"), None, id="float-like-stays-text"),
    pytest.param(("  term: vikt", "  term: 0o17"), None, id="octal-like-stays-text"),
    pytest.param(("  term: vikt", "  term: 2021-06-01"), None, id="date-stays-text"),
    pytest.param(("  term: vikt", "  term: NaN"), None, id="nan-stays-text"),
    pytest.param(("  term: vikt", "  term: 1.10"), None, id="version-keeps-its-zero"),
    pytest.param(("id: weights", "id: &a weights\ncategory2: *a"),
                 "glossary/weights.yml:2: aliases (*name) are not supported; write the value out", id="alias"),
    pytest.param(("  term: vikt", "  term: vikt\n\tshort: x"),
                 "glossary/weights.yml:20: a tab character where YAML needs spaces; indent with spaces", id="tab"),
    pytest.param(("id: weights", "id: ../weights"),
                 "glossary/weights.yml:1: id: '../weights' is not valid; use a lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts",
                 id="path-in-id"),
    pytest.param(("id: weights", "id: Weights"),
                 "glossary/weights.yml:1: id: 'Weights' is not valid; use a lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts",
                 id="uppercase-id"),
    pytest.param(("Body of vikt:", "Body of vikt <script>alert(1)</script>:"),
                 "glossary/weights.yml:23: sv.body: raw HTML '<script>' is not allowed; write Markdown instead", id="script"),
    pytest.param(("Body of vikt:", 'Body of vikt ![x](y.png){: onerror="alert(1)" }:'),
                 "glossary/weights.yml:23: sv.body: attribute list '{: onerror=\"alert(1)\" }' is not allowed; remove it", id="attr-list-handler"),
    pytest.param(("Body of vikt:", "Body of vikt [klick](javascript:alert(1)):"),
                 "glossary/weights.yml:23: sv.body: 'javascript:' links are not allowed; link to an http(s) address", id="javascript-url"),
    pytest.param(("Body of vikt:", "Body of vikt [bild](data:text/html;base64,PHNjcmlwdD4=):"),
                 "glossary/weights.yml:23: sv.body: 'data:' links are not allowed; link to an http(s) address", id="data-url"),
    pytest.param(("Body of vikt:", 'Body of vikt <iframe src="https://example.org"></iframe>:'),
                 "glossary/weights.yml:23: sv.body: raw HTML '<iframe src=\"https://example.org\">' is not allowed; write Markdown instead", id="iframe"),
    pytest.param(("Body of vikt:", "Body of vikt {{ ''.__class__.__mro__ }}:"),
                 "glossary/weights.yml:23: sv.body: the attribute '__mro__' is not allowed in entry text; write calls such as {{ n(\"snippet.result\") }} with quoted arguments, one of approx, cite, gigabytes, link, n, percent",
                 id="jinja-sandbox"),
    pytest.param(("Body of vikt:", "Body of vikt {{ cycler }}:"),
                 "glossary/weights.yml:23: sv.body: the name 'cycler' is not allowed in entry text; write calls such as {{ n(\"snippet.result\") }} with quoted arguments, one of approx, cite, gigabytes, link, n, percent",
                 id="jinja-global"),
    pytest.param(("  term: vikt", '  term: "vikt <b onmouseover=alert(1)>"'),
                 "glossary/weights.yml:19: sv.term: raw HTML '<b onmouseover=alert(1)>' is not allowed; write Markdown instead", id="handler-in-term"),
]


@pytest.mark.parametrize(("change", "message"), TRAPS)
def test_yaml_traps_and_injection(tmp_path, change: tuple[str, str], message: str | None) -> None:
    site = write_site(tmp_path)
    edit(site, *change)
    problems = site.problems()
    if message is None:
        assert problems == []
        glossary = load_glossary(site.root / "glossary", LANGUAGES)
        assert glossary.entries["weights"].translations["sv"].term == change[1].split(": ", 1)[1]
    else:
        assert problems[0] == message


def test_validate_reports_an_injection_as_the_pipeline_does(tmp_path) -> None:
    site = write_site(tmp_path)
    edit(site, "Body of vikt:", "Body of vikt <script>alert(1)</script>:")
    result = site.glossgen("validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "glossary/weights.yml:23: sv.body: raw HTML '<script>' is not allowed; write Markdown instead"
    assert "Traceback" not in result.stderr


def test_byte_order_mark_and_crlf_line_endings_are_read(tmp_path) -> None:
    site = write_site(tmp_path)
    path = site.root / "glossary/weights.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    glossary = load_glossary(site.root / "glossary", LANGUAGES)
    assert glossary.entries["weights"].translations["sv"].body.splitlines()[0].startswith("Body of vikt")


def test_composed_and_decomposed_text_are_the_same_term(tmp_path) -> None:
    site = write_site(tmp_path)
    decomposed = unicodedata.normalize("NFD", "öga")
    assert decomposed != "öga"
    edit(site, "  term: öga", f"  term: {decomposed}", "glossary/error.yml")
    glossary = load_glossary(site.root / "glossary", LANGUAGES)
    assert glossary.entries["error"].translations["sv"].term == "öga"


@pytest.mark.build
def test_escaped_text_builds_into_inert_html(tmp_path) -> None:
    site = write_site(tmp_path)
    edit(site, "Body of vikt:", "Body of vikt: 3 < 4 && 5 > 2, `<script>` in code, \"quotes\" and 'apostrophes':")
    edit(site, "  short: Short definition of vikt in sv.", '  short: "A \\"quoted\\" short definition with <3 hearts."')
    result = site.build()
    assert result.returncode == 0, result.stderr
    for html_path in site.site_dir.rglob("*.html"):
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article")
        if article is None:
            continue
        assert not article.find_all(["script", "iframe", "object", "embed"]), html_path
        for tag in article.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], (html_path, tag)
            for name in ("href", "src"):
                assert not str(tag.get(name, "")).strip().lower().startswith(("javascript:", "data:")), (html_path, tag)
    page = site.html("sv/glossary/weights/index.html")
    assert "3 < 4 && 5 > 2" in page.find("article").get_text()


# Property-based: mutate a valid entry and require either a valid glossary or documented errors.
MUTATIONS = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(["id", "category", "en", "sv", "  term", "  short", "  body", "related"])),
    st.tuples(st.just("duplicate"), st.sampled_from(["id", "category", "nl", "  term"])),
    st.tuples(st.just("retype"), st.sampled_from(["category", "related", "  term", "  short"]),
              st.sampled_from(["[a, b]", "{x: 1}", "123", "yes", "null", "''", "~"])),
    st.tuples(st.just("insert"), st.sampled_from(["  term", "  short", "  body"]),
              st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
              | st.sampled_from(["<script>x</script>", "{{ n('dense.nope') }}", "{{ self }}", "{% for %}", "ö", "o\u0308",
                                 "[a](javascript:x)", "{: onclick=x }", "&amp;", "1234567", "---", "*", "- item", "\t"])),
)


def mutate(text: str, mutation: tuple) -> str:
    kind, key = mutation[0], mutation[1]
    lines = text.splitlines()
    index = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if index is None:
        return text
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "retype":
        lines[index] = f"{key}: {mutation[2]}"
    elif kind == "insert":
        lines[index] = lines[index] + " " + mutation[2] if not lines[index].endswith("|") else lines[index]
        lines.insert(index + 1, "    " + mutation[2] if lines[index].endswith("|") else "")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return write_site(tmp_path_factory.mktemp("pristine"), timeout=10)


@pytest.fixture(scope="module")
def memory() -> Memory:
    """One memory for every mutation, as while serving: each run must still see exactly its own input."""
    return Memory()


def _outcome(site: Site, memory: Memory) -> list[str] | dict:
    """The problems of a run, or its rendered texts."""
    try:
        return dict(validate_glossary(site.settings(), memory).texts)
    except GlossaryError as error:
        return [str(problem) for problem in error.problems]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=3), target=st.sampled_from(["weights", "error"]))
def test_mutated_entries_end_in_a_valid_glossary_or_documented_errors(pristine: Site, memory: Memory, mutations,
                                                                     target: str) -> None:
    path = pristine.root / "glossary" / f"{target}.yml"
    original = path.read_text(encoding="utf-8")
    try:
        text = original
        for mutation in mutations:
            text = mutate(text, mutation)
        path.write_text(text, encoding="utf-8")
        outcome = _outcome(pristine, memory)
        if isinstance(outcome, list):
            assert outcome
            for line in outcome:
                assert "\n" not in line
                assert line.startswith(("glossary/", "snippets/")) or line.startswith(str(pristine.root)), line
        assert outcome == _outcome(pristine, Memory())  # what the memory lent equals what a fresh run makes
    finally:
        path.write_text(original, encoding="utf-8")
