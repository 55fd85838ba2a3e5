"""Each bad input stops the pipeline, `glossgen validate` and `mkdocs build --strict` with one located line.

The table runs through the pipeline in this process, as `glossgen validate` does; a few
cases also go through the command and a real build, which must report the same line.
"""

from __future__ import annotations

import pytest

from .helpers import WEIGHTS, Site, entry_yaml, write_site


def replace(site: Site, relative: str, old: str, new: str) -> None:
    site.edit(relative, old, new)


CASES = [
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "category: basics", "category: [basics"),
                 "glossary/weights.yml:3: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence; check indentation and quoting",
                 id="yaml-syntax"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  short: Short definition of vikt in sv.\n", ""),
                 "glossary/weights.yml:18: sv.short: missing (every language needs term, short and body)",
                 id="missing-field"),
    pytest.param(lambda s: s.write("glossary/weights.yml", entry_yaml("weights", WEIGHTS).split("\nde:")[0] + "\n"),
                 "glossary/weights.yml: missing language 'de' (every entry needs en, nl, sv, de)",
                 id="missing-language"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "category: basics", "category: basics\ncatgory: basics"),
                 "glossary/weights.yml:3: unknown field 'catgory'; valid fields here: allow_numbers, category, diagram, examples, id, pos, published, related, sources, en, nl, sv, de",
                 id="unknown-field"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  term: vikt", "  term: [vikt]"),
                 "glossary/weights.yml:19: sv.term: must be text, not a list",
                 id="wrong-type"),
    pytest.param(lambda s: s.write("glossary/weights.yaml", entry_yaml("weights", WEIGHTS)),
                 "glossary/weights.yml:1: id 'weights' is already used by glossary/weights.yaml; ids must be unique",
                 id="duplicate-id"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "related: [error]", "related: [eror]"),
                 "glossary/weights.yml:3: related id 'eror' does not exist; add glossary/eror.yml or fix the id",
                 id="unknown-related"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "sources: [lecun2015]", "sources: [lecun2016]"),
                 "glossary/weights.yml:4: source 'lecun2016' is not defined in _sources.yml; add it there or fix the id",
                 id="unknown-source"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", '    Body of gewicht: {{ n("dense.total") }} and {{ approx("dense.big") }} {{ cite("lecun2015") }}.', "    "),
                 "glossary/weights.yml:15: nl.body: must not be empty",
                 id="empty-body"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", 'Body of vikt: {{ n("dense.total") }}', 'Body of vikt: {{ n("dense.totl") }}'),
                 "glossary/weights.yml:23: sv.body: snippet 'dense' has no result 'totl'; its results: biases, big, total, weights",
                 id="unknown-result"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", 'Body of vikt: {{ n("dense.total") }}', 'Body of vikt: {{ n("sparse.total") }}'),
                 "glossary/weights.yml:23: sv.body: unknown snippet 'sparse' in \"sparse.total\"; snippets: dense",
                 id="unknown-snippet"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "examples: [dense]", "examples: [dense, sparse]"),
                 "glossary/weights.yml:5: example 'sparse' has no snippet; add snippets/sparse.py or fix the name",
                 id="unknown-example"),
    pytest.param(lambda s: replace(s, "snippets/dense.py", "b = np.zeros(500)", "b = np.zeros(500)\nb = 1 / 0"),
                 "snippets/dense.py:6: snippet raised ZeroDivisionError: division by zero",
                 id="snippet-raises"),
    pytest.param(lambda s: replace(s, "snippets/dense.py", '"big": 6_738_415_616', '"big": "large"'),
                 "snippets/dense.py: snippet result 'big' is 'large', not a finite number",
                 id="result-not-a-number"),
    pytest.param(lambda s: replace(s, "snippets/dense.py", "b = np.zeros(500)", "b = np.zeros(500)\nwhile True: pass"),
                 "snippets/dense.py: snippet ran longer than its 2 s timeout and was stopped with everything it started; make it finish faster",
                 id="snippet-timeout"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "Body of Gewicht:", "Body of Gewicht (7000000 Parameter):"),
                 "glossary/weights.yml:30: de.body: typed number '7000000'; take it from a snippet with {{ n(\"snippet.result\") }}, or list it under allow_numbers if it is a year",
                 id="typed-number"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "Body of gewicht:", "Body of gewicht (7 miljard):"),
                 "glossary/weights.yml:16: nl.body: typed figure '7 miljard'; compute it in a snippet and write {{ approx(\"snippet.result\") }} instead",
                 id="typed-scaled-number"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  gender: en", "  gender: ett\n  gender: en"),
                 "glossary/weights.yml:21: duplicate key 'gender' (first at line 20); keep one",
                 id="duplicate-key"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "examples: [dense]",
                                   "examples: [dense]\npublished:\n  - {result: dense.total, value: 510000, digits: 2, source: lecun2015}"),
                 "glossary/weights.yml:7: published figure 510000 for dense.total now differs from the computed 500500 at 2 significant digits; check the snippet or set agrees: false",
                 id="published-figure-differs"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  term: Gewicht\n", "  term: Gewicht\n  deprecated: [Gewichtung]\n")
                 or replace(s, "glossary/weights.yml", "Body of Gewicht:", "Body of Gewicht (die Gewichtung):"),
                 "glossary/weights.yml:31: de.body: 'Gewichtung' is a variant to avoid (glossary/weights.yml); write 'Gewicht'",
                 id="deprecated-variant"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  term: Gewicht\n", "  term: Gewicht\n  deprecated: [Gewichtung]\n")
                 or replace(s, "glossary/error.yml", "Body of Ärger:", "Body of Ärger (eine Gewichtung):"),
                 "glossary/error.yml:30: de.body: 'Gewichtung' is a variant to avoid (glossary/weights.yml); write 'Gewicht'",
                 id="avoided-variant-in-another-entry"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", 'Body of weight:', 'Body of {{ link("error", "mistakes") }}:'),
                 "glossary/weights.yml:10: en.body: link text 'mistakes' is not a declared form of 'error' in en; write one "
                 "of 'error', or add it to error's en.forms",
                 id="link-text-not-a-form"),
    pytest.param(lambda s: replace(s, "glossary/weights.yml", "  gender: das", "  gender: dat"),
                 "glossary/weights.yml:27: de.gender: 'dat' is not an article of de; use one of der, die, das",
                 id="wrong-gender"),
]


@pytest.fixture
def small_timeout_site(tmp_path) -> Site:
    return write_site(tmp_path, timeout=2)


@pytest.mark.parametrize(("break_site", "message"), CASES)
def test_the_pipeline_reports_the_problem(small_timeout_site: Site, break_site, message: str) -> None:
    break_site(small_timeout_site)
    assert message in small_timeout_site.problems()


@pytest.mark.parametrize(("break_site", "message"), CASES[:1] + CASES[9:10])
def test_validate_reports_the_same_line(small_timeout_site: Site, break_site, message: str) -> None:
    break_site(small_timeout_site)
    result = small_timeout_site.glossgen("validate")
    assert result.returncode == 1
    assert message in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.build
@pytest.mark.parametrize(("break_site", "message"), CASES[:3] + CASES[9:10] + CASES[12:13])
def test_build_stops_with_the_same_line(small_timeout_site: Site, break_site, message: str) -> None:
    break_site(small_timeout_site)
    result = small_timeout_site.build()
    assert result.returncode != 0
    assert any(line.endswith(message) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr
    assert not (small_timeout_site.site_dir / "index.html").exists()


@pytest.mark.build
def test_failed_build_leaves_the_previous_site_intact(small_timeout_site: Site) -> None:
    assert small_timeout_site.build().returncode == 0
    before = sorted(p.relative_to(small_timeout_site.site_dir) for p in small_timeout_site.site_dir.rglob("*"))
    # a problem only MkDocs notices, late in the build: a broken link in a hand-written page
    small_timeout_site.write("docs/index.sv.md", "# Hem\n\n[saknas](missing.md)\n")
    result = small_timeout_site.build()
    assert result.returncode != 0
    assert "missing.md" in result.stderr
    after = sorted(p.relative_to(small_timeout_site.site_dir) for p in small_timeout_site.site_dir.rglob("*"))
    assert after == before
    assert not (small_timeout_site.root / "site.building").exists()


def test_validate_reports_all_problems_of_all_files_at_once(small_timeout_site: Site) -> None:
    replace(small_timeout_site, "glossary/weights.yml", "related: [error]", "related: [eror]")
    replace(small_timeout_site, "glossary/zebra.yml", "sources: [lecun2015]", "sources: [nobody]")
    replace(small_timeout_site, "glossary/apple.yml", "category: basics", "category: fruit")
    result = small_timeout_site.glossgen("validate")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("glossary/")]
    assert [line.split(":")[0] for line in problems] == ["glossary/apple.yml", "glossary/weights.yml", "glossary/zebra.yml"]
    assert result.stderr.splitlines()[-1] == "3 problem(s) found."


def test_valid_site_validates(small_timeout_site: Site) -> None:
    result = small_timeout_site.glossgen("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4 entries in 4 languages, 1 snippets: all valid."
