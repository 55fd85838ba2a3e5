"""A real `mkdocs build --strict` of the fixture site, checked on the parsed HTML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from xml.etree import ElementTree

import pytest

from glossgen.core.model import RESERVED_IDS

from .helpers import APPLE, ERROR, LANGUAGES, PROJECT_ROOT, WEIGHTS, ZEBRA, Site

pytestmark = pytest.mark.build

ENTRIES = {"weights": WEIGHTS, "error": ERROR, "zebra": ZEBRA, "apple": APPLE}


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


def test_every_entry_has_a_page_in_every_language(built_site: Site) -> None:
    pages = sorted(p.relative_to(built_site.site_dir).as_posix()
                   for p in built_site.site_dir.rglob("glossary/*/index.html") if p.parent.name not in RESERVED_IDS)
    expected = sorted(f"{prefix(language)}glossary/{entry_id}/index.html" for language in LANGUAGES for entry_id in ENTRIES)
    assert pages == expected


def test_page_language_title_and_description(built_site: Site) -> None:
    for language in LANGUAGES:
        for entry_id, terms in ENTRIES.items():
            html = built_site.html(f"{prefix(language)}glossary/{entry_id}/index.html")
            assert html.html["lang"] == language
            assert built_site.heading(f"{prefix(language)}glossary/{entry_id}/index.html") == terms[language]
            assert html.title.get_text().startswith(terms[language])
            description = html.find("meta", attrs={"name": "description"})["content"]
            assert description == f"Short definition of {terms[language]} in {language}."


SITE_URL = "https://glossary.example/"


def alternates_of(site: Site, relative: str) -> dict[str, str]:
    html = site.html(relative)
    return {link["hreflang"]: link["href"] for link in html.find_all("link", rel="alternate") if link.get("hreflang")}


def test_hreflang_alternates_are_absolute_lead_to_the_same_term_and_name_a_default(built_site: Site) -> None:
    for language in LANGUAGES:
        alternates = alternates_of(built_site, f"{prefix(language)}glossary/weights/index.html")
        assert sorted(alternates) == sorted([*LANGUAGES, "x-default"])
        assert alternates == {**{other: f"{SITE_URL}{prefix(other)}glossary/weights/" for other in LANGUAGES},
                              "x-default": f"{SITE_URL}glossary/weights/"}


@pytest.mark.parametrize("page", ["index.html", "glossary/index.html", "glossary/categories/basics/index.html",
                                  "404.html"])
def test_every_kind_of_page_has_absolute_alternates_with_a_default(built_site: Site, page: str) -> None:
    home = page == "404.html"  # a page that is not found has no translation: its alternates are the homes
    for language in LANGUAGES:
        alternates = alternates_of(built_site, f"{prefix(language)}{page}")
        expected = {other: f"{SITE_URL}{prefix(other)}{'' if home else page.removesuffix('index.html')}"
                    for other in LANGUAGES}
        assert alternates == {**expected, "x-default": expected["en"]}


def test_every_alternate_has_the_sitemap_the_language_selector_fetches(built_site: Site) -> None:
    # mkdocs-material's selector requests sitemap.xml beside each alternate link; none may fail.
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for html_path in built_site.site_dir.rglob("*.html"):
        for href in alternates_of(built_site, html_path.relative_to(built_site.site_dir).as_posix()).values():
            folder = built_site.site_dir / href.removeprefix(SITE_URL)
            sitemap = ElementTree.parse(folder / "sitemap.xml")
            if folder != built_site.site_dir:
                [url] = sitemap.findall("s:url", namespaces)
                assert url.find("s:loc", namespaces).text == href
                assert {link.get("hreflang") for link in url.findall("x:link", namespaces)} == {*LANGUAGES, "x-default"}


def test_language_switcher_keeps_the_term(built_site: Site) -> None:
    html = built_site.html("sv/glossary/weights/index.html")
    links = {a["hreflang"]: a["href"] for a in html.select("a.md-select__link")}
    assert sorted(links) == sorted(LANGUAGES)
    assert links["de"].rstrip("/").endswith("de/glossary/weights")


def test_related_links_are_localized_with_tooltips(built_site: Site) -> None:
    for language in LANGUAGES:
        html = built_site.html(f"{prefix(language)}glossary/weights/index.html")
        link = next(a for a in html.select("article a") if a.get("href", "").rstrip("/").endswith("error"))
        assert link.get_text(strip=True) == ERROR[language]
        assert link["title"] == f"Short definition of {ERROR[language]} in {language}."
        target = (built_site.site_dir / prefix(language) / "glossary/weights" / link["href"] / "index.html").resolve()
        assert target == (built_site.site_dir / prefix(language) / "glossary/error/index.html").resolve()


def test_related_concepts_are_symmetric(built_site: Site) -> None:
    html = built_site.html("de/glossary/error/index.html")
    assert [a.get_text(strip=True) for a in html.select("article li a[href*=weights]")] == [WEIGHTS["de"]]


def index_order(site: Site, language: str) -> tuple[list[str], list[str]]:
    html = site.html(f"{prefix(language)}glossary/index.html")
    article = html.find("article")
    headings = [h2.get_text(strip=True).rstrip("¶") for h2 in article.find_all("h2")]
    terms = [li.find("a").get_text(strip=True) for li in article.find_all("li")]
    return headings, terms


def test_swedish_index_puts_a_ring_and_o_umlaut_after_z(built_site: Site) -> None:
    headings, terms = index_order(built_site, "sv")
    assert terms == ["vikt", "zebra", "åska", "öga"]
    assert headings == ["V", "Z", "Å", "Ö"]


def test_german_index_sorts_a_umlaut_with_a(built_site: Site) -> None:
    headings, terms = index_order(built_site, "de")
    assert terms == ["Apfel", "Ärger", "Gewicht", "Zebra"]
    assert headings == ["A", "G", "Z"]


def test_figures_are_formatted_for_each_locale(built_site: Site) -> None:
    expected = {
        "en": ("500,500", "6.7 billion"),
        "nl": ("500.500", "6,7 miljard"),
        "sv": ("500\u00a0500", "6,7 miljarder"),
        "de": ("500.500", "6,7 Milliarden"),
    }
    for language, (exact, rounded) in expected.items():
        html = built_site.html(f"{prefix(language)}glossary/apple/index.html")
        paragraphs = [p.get_text() for p in html.select("article p")]
        assert f"Body of {APPLE[language]}: {exact} and {rounded} (LeCun, Bengio and Hinton, 2015)." in paragraphs


def test_worked_example_shows_code_output_and_download(built_site: Site) -> None:
    html = built_site.html("nl/glossary/weights/index.html")
    code_blocks = [pre.get_text() for pre in html.select("article pre")]
    assert any("results = {" in block for block in code_blocks)
    assert any(block.strip() == "total: 500,500" for block in code_blocks)
    download = html.select_one("article a[download$='.py']")
    assert (built_site.site_dir / "nl/glossary/weights" / download["href"]).resolve() == (built_site.site_dir / "snippets/dense.py").resolve()
    assert (built_site.site_dir / "snippets/dense.py").read_text() == (built_site.root / "snippets/dense.py").read_text()


def test_category_pages_exist_in_every_language(built_site: Site) -> None:
    for language in LANGUAGES:
        html = built_site.html(f"{prefix(language)}glossary/categories/basics/index.html")
        assert html.html["lang"] == language
        assert len(html.select("article li a")) == len(ENTRIES)


def search_documents(site: Site, language: str) -> list[dict]:
    index = json.loads((site.site_dir / prefix(language) / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [language]
    return index["docs"]


def test_each_language_has_its_own_search_index(built_site: Site) -> None:
    for language in LANGUAGES:
        documents = search_documents(built_site, language)
        titles = {doc["location"]: doc["title"] for doc in documents}
        for entry_id, terms in ENTRIES.items():
            assert titles[f"glossary/{entry_id}/"] == terms[language]
        assert not [doc for doc in documents if doc["location"].split("/")[0] in LANGUAGES]


def test_search_documents_begin_with_the_definition(built_site: Site) -> None:
    for language in LANGUAGES:
        documents = {doc["location"]: doc["text"] for doc in search_documents(built_site, language)}
        for entry_id, terms in ENTRIES.items():
            text = documents[f"glossary/{entry_id}/"]
            assert text.startswith(f"<p>Short definition of {terms[language]} in {language}.</p>"), text[:120]


def test_pages_load_the_search_index_of_their_language(built_site: Site) -> None:
    for language in LANGUAGES:
        html = built_site.html(f"{prefix(language)}glossary/weights/index.html")
        base = json.loads(html.find("script", id="__config").string)["base"]
        index = (built_site.site_dir / prefix(language) / "glossary/weights" / base / "search/search_index.json").resolve()
        assert index == (built_site.site_dir / prefix(language) / "search/search_index.json").resolve()


def test_audit_notices_a_lost_page(built_site: Site, tmp_path) -> None:
    from glossgen.plugin.site_fixes import audit_site
    from glossgen.stages.load import load_glossary

    glossary = load_glossary(built_site.root / "glossary", LANGUAGES)
    assert audit_site(built_site.site_dir, glossary, "en") == []
    copy = tmp_path / "site"
    shutil.copytree(built_site.site_dir, copy)
    shutil.rmtree(copy / "sv/glossary/zebra")
    assert [str(problem) for problem in audit_site(copy, glossary, "en")] == [
        "site/sv/glossary/: sv: 3 term pages for 4 entries (missing: zebra; unexpected: -)"]
    index = copy / "de/search/search_index.json"
    documents = json.loads(index.read_text(encoding="utf-8"))
    documents["docs"] = [document for document in documents["docs"] if not document["location"].startswith("glossary/zebra/")]
    index.write_text(json.dumps(documents), encoding="utf-8")
    assert [str(problem) for problem in audit_site(copy, glossary, "en", languages=["de"])] == [
        "site/de/search/search_index.json: de: the search index has 3 of 4 entries (missing: zebra)"]
    # The documents a build wrote itself are judged as it wrote them, whatever the file says.
    whole = json.loads((built_site.site_dir / "de/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert audit_site(copy, glossary, "en", languages=["de"], indexes={"de": whole}) == []
    assert [str(problem) for problem in audit_site(built_site.site_dir, glossary, "en", languages=["de"],
                                                   indexes={"de": documents["docs"]})] == [
        "site/de/search/search_index.json: de: the search index has 3 of 4 entries (missing: zebra)"]
    az = copy / "nl/glossary/index.html"
    az.write_text(az.read_text(encoding="utf-8").replace('href="zebra/"', 'href="zebra/#"'), encoding="utf-8")
    assert [str(problem) for problem in audit_site(copy, glossary, "en", languages=["nl"])] == [
        "site/nl/glossary/index.html: nl: the A-Z index lists 3 of 4 entries (missing: zebra)"]


def test_examples_page_lists_every_snippet_with_its_results(built_site: Site) -> None:
    for language, total in (("en", "500,500"), ("sv", "500\u00a0500"), ("de", "500.500")):
        html = built_site.html(f"{prefix(language)}glossary/examples/index.html")
        cells = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in html.select("article table tr")[1:]]
        assert ["dense.total", total] in cells
        assert sorted(a.get_text(strip=True) for a in html.select("article p a[href$='/']")) == sorted(t[language] for t in ENTRIES.values())


def test_print_page_holds_every_concept_in_alphabetical_order(built_site: Site) -> None:
    for language in LANGUAGES:
        html = built_site.html(f"{prefix(language)}glossary/print/index.html")
        headings = [h2.get_text(strip=True).rstrip("¶") for h2 in html.select("article .glossgen-print-entry > h2")]
        assert headings == index_order(built_site, language)[1]
        # the handout shows what each example prints, not its code (one click away), and stays out of search
        assert [pre.get_text().strip() for pre in html.select("article .glossgen-print-entry pre")] == ["total: 500,500"] * len(ENTRIES)
        assert not [doc for doc in search_documents(built_site, language) if doc["location"].startswith("glossary/print/")]


def test_translation_status_page_reports_every_language(built_site: Site) -> None:
    html = built_site.html("nl/glossary/translation-status/index.html")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in html.select("article table tr")[1:]]
    assert rows == [["Engels", "4", "0", "0", "0"], ["Nederlands", "4", "0", "0", "0"], ["Zweeds", "4", "0", "0", "0"],
                    ["Duits", "4", "0", "0", "0"]]


COMPARISON = """\
weight-vs-error:
  entries: [weights, error]
  aspects: [when_set, typical_count]
  en: {title: Weights and errors, intro: How the two differ.}
  nl: {title: Gewichten en fouten, intro: Hoe ze verschillen.}
  sv: {title: Vikter och fel, intro: Hur de skiljer sig.}
  de: {title: Gewichte und Fehler, intro: Wie sie sich unterscheiden.}
"""


def add_aspects(site: Site, entry_id: str, language: str, when: str, count: str) -> None:
    path = site.root / f"glossary/{entry_id}.yml"
    text = path.read_text(encoding="utf-8")
    block = f"{language}:\n"
    assert block in text
    path.write_text(text.replace(block, f"{block}  aspects:\n    when_set: {when}\n    typical_count: '{count}'\n", 1), encoding="utf-8")


def test_comparison_table_takes_its_cells_from_the_entries(site: Site) -> None:
    site.write("glossary/_comparisons.yml", COMPARISON)
    for language in LANGUAGES:
        add_aspects(site, "weights", language, f"during training ({language})", '{{ approx("dense.big") }}')
        if language != "sv":
            add_aspects(site, "error", language, f"after training ({language})", "one per example")
    result = site.glossgen("validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "glossary/error.yml:24: sv.aspects.when_set: missing (the comparison 'weight-vs-error' shows it)"

    add_aspects(site, "error", "sv", "efter träningen (sv)", "ett per exempel")
    assert site.build().returncode == 0
    html = site.html("de/glossary/comparisons/weight-vs-error/index.html")
    assert html.find("h1").get_text(strip=True).rstrip("¶") == "Gewichte und Fehler"
    header = [th.get_text(strip=True) for th in html.select("article table th")]
    assert header == ["", "Gewicht", "Ärger"]
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in html.select("article table tbody tr")]
    assert rows == [
        ["Definition", "Short definition of Gewicht in de.", "Short definition of Ärger in de."],
        ["Wann festgelegt", "during training (de)", "after training (de)"],
        ["Typische Anzahl", "6,7 Milliarden", "one per example"],
    ]


def test_first_mention_of_another_concept_becomes_a_link(site: Site) -> None:
    path = site.root / "glossary/apple.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Body of Apfel:", "Ein Ärger über Gewichte, dann wieder Ärger, `Ärger` im Code. Body of Apfel:")
    path.write_text(text.replace("  term: Apfel", "  term: Apfel\n  plural: Äpfel"), encoding="utf-8")
    weights = site.root / "glossary/weights.yml"
    weights.write_text(weights.read_text(encoding="utf-8").replace("  term: Gewicht\n", "  term: Gewicht\n  plural: Gewichte\n"), encoding="utf-8")
    assert site.build().returncode == 0
    paragraph = next(p for p in site.html("de/glossary/apple/index.html").select("article p") if "Body of Apfel" in p.get_text())
    links = [(a.get_text(), a["href"], a["title"]) for a in paragraph.find_all("a", title=True)]
    assert links == [("Ärger", "../error/", "Short definition of Ärger in de."),
                     ("Gewichte", "../weights/", "Short definition of Gewicht in de.")]


def test_citations_are_author_date_joined_linked_to_the_sources_and_back(site: Site) -> None:
    site.write("glossary/_sources.yml", (site.root / "glossary/_sources.yml").read_text()
               + "vaswani2017:\n  title: Attention is all you need\n  authors: Vaswani et al.\n  year: 2017\n")
    site.edit("glossary/weights.yml", "sources: [lecun2015]", "sources: [lecun2015, vaswani2017]")
    site.edit("glossary/weights.yml", 'Body of Gewicht: {{ n("dense.total") }} and {{ approx("dense.big") }} {{ cite("lecun2015") }}.',
              'Body of Gewicht {{ cite("lecun2015") }} {{ cite("vaswani2017") }}: mehr {{ cite("lecun2015") }}.')
    assert site.build().returncode == 0
    article = site.html("de/glossary/weights/index.html").find("article")
    paragraph = next(p for p in article.find_all("p") if p.get_text().startswith("Body of Gewicht"))
    assert paragraph.get_text() == ("Body of Gewicht (LeCun, Bengio and Hinton, 2015; Vaswani et al., 2017): "
                                    "mehr (LeCun, Bengio and Hinton, 2015).")
    citations = [(a["href"], a["id"]) for a in paragraph.find_all("a")]
    assert citations == [("#source-lecun2015", "cite-lecun2015-1"), ("#source-vaswani2017", "cite-vaswani2017-1"),
                         ("#source-lecun2015", "cite-lecun2015-2")]
    for source_id in ("lecun2015", "vaswani2017"):
        item = article.find(id=f"source-{source_id}").parent
        back = item.find("a", class_="glossgen-backlink")
        assert back["href"] == f"#cite-{source_id}-1" and back["aria-label"] == "Zurück zur Stelle im Text"


def test_open_graph_tags_name_the_term_its_definition_and_language(built_site: Site) -> None:
    for language in LANGUAGES:
        html = built_site.html(f"{prefix(language)}glossary/weights/index.html")
        meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in html.find_all("meta")
                if (tag.get("property") or tag.get("name") or "").startswith(("og:", "twitter:"))}
        assert meta == {"og:type": "article", "og:site_name": "Fixture glossary", "og:title": WEIGHTS[language],
                        "og:description": f"Short definition of {WEIGHTS[language]} in {language}.",
                        "og:url": f"{SITE_URL}{prefix(language)}glossary/weights/",
                        "og:locale": {"en": "en_US", "nl": "nl_NL", "sv": "sv_SE", "de": "de_DE"}[language],
                        "twitter:card": "summary", "twitter:title": WEIGHTS[language],
                        "twitter:description": f"Short definition of {WEIGHTS[language]} in {language}."}


def test_an_entry_page_edits_its_yaml_and_says_when_it_last_changed(site: Site) -> None:
    site.edit("mkdocs.yml", "site_url: https://glossary.example/\n",
              "site_url: https://glossary.example/\nrepo_url: https://git.example/team/glossary\nedit_uri: edit/main/docs/\n")
    site.edit("mkdocs.yml", "features: [content.code.copy,", "features: [content.action.edit, content.code.copy,")
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2026-03-05T12:00:00", "GIT_COMMITTER_DATE": "2026-03-05T12:00:00",
                   "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
                   "GIT_COMMITTER_EMAIL": "test@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "entries"]):
        subprocess.run(command, cwd=site.root, env=environment, check=True, capture_output=True)
    assert site.build().returncode == 0
    shown = {"en": "March 5, 2026", "nl": "5 maart 2026", "sv": "5 mars 2026", "de": "5. März 2026"}
    for language in LANGUAGES:
        html = site.html(f"{prefix(language)}glossary/weights/index.html")
        edit = html.select_one("a.md-content__button[href*='edit']")
        assert edit["href"] == "https://git.example/team/glossary/edit/main/glossary/weights.yml"
        time_tag = html.select_one("article .glossgen-facts time")
        assert (time_tag["datetime"], time_tag.get_text()) == ("2026-03-05", shown[language])
    assert site.html("glossary/index.html").select_one("a.md-content__button[href*='edit']") is None


def test_formulas_are_marked_for_katex_served_from_the_site_and_plain_in_search(site: Site) -> None:
    site.edit("mkdocs.yml", "  - pymdownx.highlight\n", "  - pymdownx.arithmatex:\n      generic: true\n  - pymdownx.highlight\n")
    result = site.build()
    assert result.returncode != 0
    assert any(line.endswith("glossgen: node_modules/katex/dist: KaTeX is not there, and the site typesets formulas "
                             "(pymdownx.arithmatex); install it with npm ci, or set katex_dir")
               for line in result.stderr.splitlines()), result.stderr
    katex = PROJECT_ROOT / "node_modules/katex/dist"
    site.edit("mkdocs.yml", "      snippet_timeout:", f"      katex_dir: {katex}\n      snippet_timeout:")
    site.edit("glossary/weights.yml", "    Body of weight:", r"    It costs \(2 \cdot d_{\text{model}} \cdot r\). Body of weight:")
    assert site.build().returncode == 0, site.build().stderr
    formula = site.html("glossary/weights/index.html").select_one("article span.arithmatex")
    assert formula.get_text() == r"\(2 \cdot d_{\text{model}} \cdot r\)"
    assert (site.site_dir / "assets/katex/katex.min.js").read_bytes() == (katex / "katex.min.js").read_bytes()
    assert len(list((site.site_dir / "assets/katex/fonts").glob("*.woff2"))) == len(list((katex / "fonts").glob("*.woff2")))
    scripts = [script["src"] for script in site.html("glossary/weights/index.html").find_all("script", src=True)]
    assert [src for src in scripts if "katex" in src or "glossgen-math" in src] == [
        "../../assets/katex/katex.min.js", "../../assets/katex/contrib/auto-render.min.js",
        "../../assets/javascripts/glossgen-math.js"]
    text = {doc["location"]: doc["text"] for doc in search_documents(site, "en")}["glossary/weights/"]
    assert "It costs 2·d_model·r." in text
