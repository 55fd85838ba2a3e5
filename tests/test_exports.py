"""Exports: JSON against its schema, TBX-Basic structure, bilingual CSV, llms.txt, and writing them."""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import permutations
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from glossgen.core import numbers
from glossgen.core.files import OutsideFolder, replace_file, write_recorded, write_tree, written_record
from glossgen.core.memo import Memo
from glossgen.core.results import ValidGlossary
from glossgen.core.urls import page_url
from glossgen.memory import Memory
from glossgen.pipeline import validate_glossary
from glossgen.stages.exports import (export_files, glossary_csv, glossary_json, glossary_tbx, llms_full_txt,
                                     llms_txt)

from .helpers import LANGUAGES, Site, entry_yaml, synthetic_project, write_site

SCHEMA = Path(__file__).resolve().parent.parent / "plugins/glossgen/schemas/glossary.schema.json"
SITE_URL = "https://glossary.example/"
TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = {"en": "", "nl": "nl/", "sv": "sv/", "de": "de/"}

ZEBRA_EN = 'zebra, "plains" kind'
LLM = {"en": "large language model", "nl": "groot taalmodel", "sv": "stor språkmodell", "de": "großes Sprachmodell"}
PUBLISHED = """\
published:
  - result: dense.big
    value: 6700000000
    digits: 2
    source: lecun2015
"""
#: Preferred term and TBX grammaticalGender per concept and language (None: no gender note).
TERMS = {
    "apple": {"en": ("apple", None), "nl": ("appel", "other"), "sv": ("åska", "other"), "de": ("Apfel", "masculine")},
    "error": {"en": ("error", None), "nl": ("fout", "neuter"), "sv": ("öga", "other"), "de": ("Ärger", "neuter")},
    "language-model": {"en": (LLM["en"], None), "nl": (LLM["nl"], "neuter"), "sv": (LLM["sv"], "other"),
                       "de": (LLM["de"], "neuter")},
    "weights": {"en": ("weight", None), "nl": ("gewicht", "neuter"), "sv": ("vikt", "other"), "de": ("Gewicht", "neuter")},
    "zebra": {"en": (ZEBRA_EN, None), "nl": ("zebra", "neuter"), "sv": ("zebra", "neuter"), "de": ("Zebra", "feminine")},
}
IDS = sorted(TERMS)

# TBX-Basic, DCA style: permitted data categories per element and their picklists (TBX-Basic_DCA.sch).
TBX_TYPES = {
    "admin": {"customerSubset", "projectSubset", "source"},
    "descrip": {"subjectField", "context", "definition"},
    "ref": {"crossReference"},
    "termNote": {"administrativeStatus", "partOfSpeech", "geographicalUsage", "grammaticalGender", "termLocation", "termType"},
    "xref": {"externalCrossReference", "xGraphic"},
}
TBX_VALUES = {
    "administrativeStatus": {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"},
    "partOfSpeech": {"noun", "verb", "adjective", "adverb", "other"},
    "grammaticalGender": {"masculine", "feminine", "neuter", "other"},
    "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
}


def edit(site: Site, entry_id: str, old: str, new: str) -> None:
    path = site.root / "glossary" / f"{entry_id}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def fixture_site(root: Path) -> Site:
    """The fixture site plus what exports must carry: every gender, an abbreviation, variants, CSV traps."""
    site = write_site(root)
    site.write("glossary/language-model.yml", entry_yaml("language-model", LLM, ["weights"], extra=PUBLISHED))
    edit(site, "language-model", "en:\n  term: large language model\n",
         "en:\n  term: large language model\n  abbr: LLM\n  synonyms: [LLM model]\n  deprecated: [giant language model]\n")
    edit(site, "language-model", "de:\n  term: großes Sprachmodell\n",
         "de:\n  term: großes Sprachmodell\n  abbr: LLM\n  deprecated: [Riesensprachmodell]\n")
    edit(site, "zebra", "en:\n  term: zebra\n",
         f"en:\n  term: '{ZEBRA_EN}'\n  synonyms: [striped horse, 'quagga, extinct']\n")
    edit(site, "zebra", "  gender: das\n", "  gender: die\n")
    edit(site, "zebra", "  gender: en\n", "  gender: ett\n")
    edit(site, "apple", "  gender: das\n", "  gender: der\n")
    edit(site, "apple", "  gender: het\n", "  gender: de\n")
    edit(site, "weights", '{{ cite("lecun2015") }}.', '{{ cite("lecun2015") }}, see {{ link("error") }}.')
    return site


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> ValidGlossary:
    root = tmp_path_factory.mktemp("exports")
    return validate_glossary(fixture_site(root).settings())


@pytest.fixture(scope="module")
def exported(valid: ValidGlossary) -> dict:
    return glossary_json(valid, SITE_URL)


@pytest.fixture(scope="module")
def tbx(valid: ValidGlossary) -> ElementTree.Element:
    return ElementTree.fromstring(glossary_tbx(valid))


def short(entry_id: str, language: str) -> str:
    """The fixture's short definition (written before the English zebra got its awkward term)."""
    term = "zebra" if (entry_id, language) == ("zebra", "en") else TERMS[entry_id][language][0]
    return f"Short definition of {term} in {language}."


def concept(exported: dict, entry_id: str) -> dict:
    return next(item for item in exported["concepts"] if item["id"] == entry_id)


# --- JSON ---------------------------------------------------------------------------------------

def test_json_schema_is_valid_and_describes_the_export(exported: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(json.loads(json.dumps(exported)))) == []
    broken = json.loads(json.dumps(exported))
    del broken["concepts"][0]["translations"]["nl"]["short"]
    broken["concepts"][1]["unexpected"] = True
    assert len(list(validator.iter_errors(broken))) == 2


def test_json_top_level(exported: dict, valid: ValidGlossary) -> None:
    assert exported["schema_version"] == 2
    assert re.fullmatch(r"glossgen \d+\.\d+\.\d+", exported["generator"])
    assert exported["languages"] == list(LANGUAGES)
    assert exported["default_language"] == "en"
    assert exported["categories"]["basics"]["nl"] == {"name": "Basis", "description": "De onderdelen van een model."}
    assert exported["sources"]["lecun2015"]["url"] == "https://www.nature.com/articles/nature14539"
    assert exported["snippets"] == {"dense": {"results": {"weights": 500000, "biases": 500, "total": 500500, "big": 6738415616}}}


def test_json_holds_every_concept_in_every_language(exported: dict) -> None:
    assert [item["id"] for item in exported["concepts"]] == IDS
    for item in exported["concepts"]:
        assert list(item["translations"]) == list(LANGUAGES)
        for language, translation in item["translations"].items():
            assert translation["term"] == TERMS[item["id"]][language][0]
            assert translation["short"] == short(item["id"], language)
            assert translation["url"] == f"{SITE_URL}{PREFIX[language]}glossary/{item['id']}/"
        assert item["category"] == {"id": "basics", "name": {"en": "Basics", "nl": "Basis", "sv": "Grunder", "de": "Grundlagen"}}
        assert item["part_of_speech"] == "noun"
        assert list(item["sources"]) == ["lecun2015"]
        assert item["examples"] == {"dense": {"weights": 500000, "biases": 500, "total": 500500, "big": 6738415616}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_json_bodies_carry_figures_formatted_for_the_language(exported: dict, language: str) -> None:
    exact, approx = numbers.exact(500500, language), numbers.approx(6738415616, language, 2)
    assert len({exact, approx}) == 2
    for item in exported["concepts"]:
        body = item["translations"][language]["body"]
        assert f": {exact} and {approx} " in body, body


def test_json_fields_of_a_full_translation(exported: dict) -> None:
    english, german = (concept(exported, "language-model")["translations"][language] for language in ("en", "de"))
    assert (english["abbr"], english["synonyms"], english["deprecated"], english["gender"]) == \
        ("LLM", ["LLM model"], ["giant language model"], None)
    assert (german["abbr"], german["synonyms"], german["deprecated"], german["gender"]) == \
        ("LLM", [], ["Riesensprachmodell"], "das")
    assert concept(exported, "zebra")["translations"]["en"]["synonyms"] == ["striped horse", "quagga, extinct"]
    assert concept(exported, "apple")["translations"]["nl"]["gender"] == "de"


def test_json_related_ids_go_both_ways(exported: dict) -> None:
    assert concept(exported, "weights")["related"] == ["error", "language-model"]
    assert concept(exported, "error")["related"] == ["weights"]
    assert concept(exported, "language-model")["related"] == ["weights"]
    assert concept(exported, "zebra")["related"] == []


def test_json_published_figures(exported: dict) -> None:
    assert concept(exported, "language-model")["published"] == [
        {"result": "dense.big", "value": 6700000000, "digits": 2, "source": "lecun2015", "agrees": True, "computed": 6738415616}]
    assert concept(exported, "apple")["published"] == []


def test_json_links_are_absolute_with_a_site_url(exported: dict, valid: ValidGlossary) -> None:
    dutch = concept(exported, "weights")["translations"]["nl"]["body"]
    assert '[fout](https://glossary.example/nl/glossary/error/ "Short definition of fout in nl.")' in dutch
    assert "([LeCun, Bengio and Hinton, 2015](https://glossary.example/nl/glossary/weights/#source-lecun2015))" in dutch
    relative = concept(glossary_json(valid), "weights")["translations"]["nl"]
    assert '[fout](error.md "Short definition of fout in nl.")' in relative["body"]
    assert "(#source-lecun2015)" in relative["body"]
    assert relative["url"] == "nl/glossary/weights/"


def test_page_urls() -> None:
    assert page_url("lora", "en", "en", "https://x.example/sub") == "https://x.example/sub/glossary/lora/"
    assert page_url("lora", "en", "nl", "https://x.example/") == "https://x.example/en/glossary/lora/"
    assert page_url("lora", "sv", "en") == "sv/glossary/lora/"
    assert page_url("lora", "sv", "en", "https://x.example/", "terms") == "https://x.example/sv/terms/lora/"


# --- TBX ----------------------------------------------------------------------------------------

def test_tbx_declaration_and_root(valid: ValidGlossary, tbx: ElementTree.Element) -> None:
    assert glossary_tbx(valid).startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca"')
    assert tbx.tag == f"{TBX}tbx"
    assert tbx.attrib == {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}
    assert tbx.findtext(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc/{TBX}p").startswith("Generated by glossgen")
    assert [child.tag for child in tbx] == [f"{TBX}tbxHeader", f"{TBX}text"]


def test_tbx_one_concept_entry_per_concept_and_one_language_section_per_language(tbx: ElementTree.Element) -> None:
    entries = tbx.findall(f"{TBX}text/{TBX}body/{TBX}conceptEntry")
    assert [entry.get("id") for entry in entries] == IDS
    for entry in entries:
        sections = entry.findall(f"{TBX}langSec")
        assert [section.get(XML_LANG) for section in sections] == list(LANGUAGES)
        assert all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", section.get(XML_LANG)) for section in sections)
        assert entry.findtext(f"{TBX}descrip[@type='subjectField']") == "Basics"
        # Core structure: the concept's own data categories first, then its language sections.
        tags = [child.tag for child in entry]
        assert tags.index(f"{TBX}langSec") == len(tags) - len(LANGUAGES)


def test_tbx_uses_only_tbx_basic_data_categories_and_values(tbx: ElementTree.Element) -> None:
    ids = {entry.get("id") for entry in tbx.iter(f"{TBX}conceptEntry")}
    checked = 0
    for element in tbx.iter():
        name = element.tag.removeprefix(TBX)
        if name in TBX_TYPES:
            assert element.get("type") in TBX_TYPES[name], ElementTree.tostring(element)
            checked += 1
        if element.get("type") in TBX_VALUES:
            assert element.text in TBX_VALUES[element.get("type")], ElementTree.tostring(element)
        if element.get("target") is not None:
            assert element.get("target") in ids or re.match(r"https?://.+", element.get("target"))
    assert checked > 100


def test_tbx_term_sections(tbx: ElementTree.Element) -> None:
    for entry in tbx.iter(f"{TBX}conceptEntry"):
        for section in entry.iter(f"{TBX}langSec"):
            language = section.get(XML_LANG)
            term_secs = section.findall(f"{TBX}termSec")
            assert term_secs
            for term_sec in term_secs:
                children = list(term_sec)
                assert children[0].tag == f"{TBX}term" and children[0].text.strip()
                assert all(child.tag == f"{TBX}termNote" for child in children[1:])
                notes = [child.get("type") for child in children[1:]]
                assert notes.count("partOfSpeech") == 1 and notes.count("administrativeStatus") == 1
                assert term_sec.findtext(f"{TBX}termNote[@type='partOfSpeech']") == "noun"
            preferred = [term_sec for term_sec in term_secs
                         if term_sec.findtext(f"{TBX}termNote[@type='administrativeStatus']") == "preferredTerm-admn-sts"]
            assert len(preferred) == 1
            term, gender = TERMS[entry.get("id")][language]
            assert preferred[0].findtext(f"{TBX}term") == term
            assert preferred[0].findtext(f"{TBX}termNote[@type='grammaticalGender']") == gender


def term_statuses(tbx: ElementTree.Element, entry_id: str, language: str) -> dict[str, tuple[str, str | None]]:
    section = tbx.find(f".//{TBX}conceptEntry[@id='{entry_id}']/{TBX}langSec[@{XML_LANG}='{language}']")
    return {term_sec.findtext(f"{TBX}term"): (term_sec.findtext(f"{TBX}termNote[@type='administrativeStatus']"),
                                              term_sec.findtext(f"{TBX}termNote[@type='termType']"))
            for term_sec in section.iter(f"{TBX}termSec")}


def test_tbx_abbreviations_synonyms_and_deprecated_variants(tbx: ElementTree.Element) -> None:
    assert term_statuses(tbx, "language-model", "en") == {
        "large language model": ("preferredTerm-admn-sts", None),
        "LLM": ("admittedTerm-admn-sts", "acronym"),
        "LLM model": ("admittedTerm-admn-sts", None),
        "giant language model": ("deprecatedTerm-admn-sts", None),
    }
    # The English abbreviation beside a German term is not formed from it.
    assert term_statuses(tbx, "language-model", "de") == {
        "großes Sprachmodell": ("preferredTerm-admn-sts", None),
        "LLM": ("admittedTerm-admn-sts", "abbreviation"),
        "Riesensprachmodell": ("deprecatedTerm-admn-sts", None),
    }
    assert term_statuses(tbx, "zebra", "en") == {
        ZEBRA_EN: ("preferredTerm-admn-sts", None),
        "striped horse": ("admittedTerm-admn-sts", None),
        "quagga, extinct": ("admittedTerm-admn-sts", None),
    }


def test_tbx_definitions_and_cross_references(tbx: ElementTree.Element) -> None:
    weights = tbx.find(f".//{TBX}conceptEntry[@id='weights']")
    references = weights.findall(f"{TBX}ref[@type='crossReference']")
    assert [(ref.get("target"), ref.text) for ref in references] == [("error", "error"), ("language-model", "large language model")]
    error = tbx.find(f".//{TBX}conceptEntry[@id='error']")
    assert [ref.get("target") for ref in error.findall(f"{TBX}ref")] == ["weights"]
    assert weights.find(f"{TBX}xref[@type='externalCrossReference']").get("target") == "https://www.nature.com/articles/nature14539"
    definition = weights.find(f"{TBX}langSec[@{XML_LANG}='sv']/{TBX}descripGrp")
    assert definition.findtext(f"{TBX}descrip[@type='definition']") == short("weights", "sv")
    assert definition.findtext(f"{TBX}admin[@type='source']") == "Deep learning"


# --- CSV ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("source, target", list(permutations(LANGUAGES, 2)))
def test_csv_round_trips_for_every_language_pair(valid: ValidGlossary, source: str, target: str) -> None:
    text = glossary_csv(valid, source, target)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["id", f"{source} term", f"{source} definition", f"{source} synonyms",
                       f"{target} term", f"{target} definition", f"{target} synonyms"]
    assert [row[0] for row in rows[1:]] == IDS
    for row in rows[1:]:
        assert len(row) == 7
        assert (row[1], row[4]) == (TERMS[row[0]][source][0], TERMS[row[0]][target][0])
        assert (row[2], row[5]) == (short(row[0], source), short(row[0], target))
    assert text.endswith("\r\n") and text.count("\r\n") == len(IDS) + 1


def test_csv_quotes_commas_and_quotes(valid: ValidGlossary) -> None:
    text = glossary_csv(valid, "en", "de")
    assert '"zebra, ""plains"" kind"' in text
    zebra = next(row for row in csv.reader(io.StringIO(text, newline="")) if row[0] == "zebra")
    assert zebra[1] == ZEBRA_EN
    assert zebra[3] == "striped horse; quagga, extinct"
    assert zebra[6] == ""


def test_csv_names_the_languages_it_knows(valid: ValidGlossary) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'; the glossary has en, nl, sv, de"):
        glossary_csv(valid, "en", "fr")


# --- llms.txt -----------------------------------------------------------------------------------

LINK_LINE = re.compile(r"- \[(?P<text>[^\]]+)\]\((?P<url>[^)]+)\): (?P<note>.+)")


@pytest.mark.parametrize("language", LANGUAGES)
def test_llms_txt(valid: ValidGlossary, language: str) -> None:
    lines = llms_txt(valid, language, SITE_URL, "Fixture glossary").splitlines()
    assert lines[0] == "# Fixture glossary"
    assert lines[1] == ""
    assert lines[2].startswith("> 5 ") and len(lines[2]) > 60
    assert [line for line in lines if line.startswith("#")] == \
        ["# Fixture glossary", f"## {dict(en='Basics', nl='Basis', sv='Grunder', de='Grundlagen')[language]}", "## Optional"]
    links = [LINK_LINE.fullmatch(line) for line in lines if line.startswith("- ")]
    assert all(links)
    concepts = {match["url"]: match for match in links[:-1]}
    assert sorted(concepts) == sorted(f"{SITE_URL}{PREFIX[language]}glossary/{entry_id}/" for entry_id in IDS)
    for entry_id in IDS:
        match = concepts[f"{SITE_URL}{PREFIX[language]}glossary/{entry_id}/"]
        assert match["text"] == TERMS[entry_id][language][0]
        assert match["note"] == short(entry_id, language)
    assert links[-1]["url"] == f"{SITE_URL}{PREFIX[language]}llms-full.txt"
    assert links[-1]["text"] == valid.labels[language]["full_text"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_llms_full_txt(valid: ValidGlossary, language: str) -> None:
    text = llms_full_txt(valid, language, SITE_URL, "Fixture glossary")
    assert text.startswith("# Fixture glossary\n\n> ")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    expected = {TERMS[entry_id][language][0] for entry_id in IDS}
    if language in ("en", "de"):
        expected = expected - {LLM[language]} | {f"{LLM[language]} (LLM)"}
    assert set(headings) == expected and len(headings) == len(IDS)
    assert text.count(f"### {valid.labels[language]['sources']}\n") == len(IDS)
    assert text.count("[Deep learning](https://www.nature.com/articles/nature14539)") == len(IDS)
    assert ".md" not in text and "](#" not in text
    assert f"({SITE_URL}{PREFIX[language]}glossary/error/)" in text
    assert numbers.exact(500500, language) in text


# --- writing ------------------------------------------------------------------------------------

def test_every_export_is_written_once_and_rewritten_only_when_changed(valid: ValidGlossary, tmp_path: Path) -> None:
    files = export_files(valid, SITE_URL, "Fixture glossary")
    paths, written = write_tree(tmp_path, files)
    expected = {"glossary.json", "glossary.tbx", "llms.txt", "llms-full.txt"}
    expected |= {f"glossary-{source}-{target}.csv" for source, target in permutations(LANGUAGES, 2)}
    expected |= {f"{language}/{name}" for language in ("nl", "sv", "de") for name in ("llms.txt", "llms-full.txt")}
    assert sorted(paths) == sorted(expected) and written == len(expected)
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()) == sorted(expected)
    assert json.loads((tmp_path / "glossary.json").read_text(encoding="utf-8")) == glossary_json(valid, SITE_URL)
    # put together from each concept's share, the file is the text json.dumps writes of the whole document
    assert (tmp_path / "glossary.json").read_text(encoding="utf-8") == \
        json.dumps(glossary_json(valid, SITE_URL), ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "glossary.tbx").read_bytes() == glossary_tbx(valid)
    assert (tmp_path / "glossary-nl-sv.csv").read_bytes() == glossary_csv(valid, "nl", "sv").encode("utf-8")
    assert not (tmp_path / "glossary-nl-sv.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "sv/llms.txt").read_text(encoding="utf-8") == llms_txt(valid, "sv", SITE_URL, "Fixture glossary")

    before = {path: path.stat().st_mtime_ns for path in paths.values()}
    stale = tmp_path / "llms.txt"
    stale.write_text("stale", encoding="utf-8")
    assert write_tree(tmp_path, files) == (paths, 1)
    assert stale.read_text(encoding="utf-8") == llms_txt(valid, "en", SITE_URL, "Fixture glossary")
    unchanged = [path for path in paths.values() if path != stale.resolve()]
    assert {path: path.stat().st_mtime_ns for path in unchanged} == {path: before[path] for path in unchanged}


def test_an_edit_makes_again_only_the_edited_concepts_share_of_the_exports(tmp_path: Path) -> None:
    made = {}
    for size in (24, 72):
        concepts, settings = synthetic_project(tmp_path / str(size), size)
        memory, memo = Memory(), Memo()
        export_files(validate_glossary(settings, memory), SITE_URL, "Synthetic", memo=memo)
        memo.close()
        entry = settings.glossary_dir / f"{concepts[3].id}.yml"
        text = entry.read_text(encoding="utf-8")
        body = text.index("  body: |\n    ", text.index("\nsv:\n")) + len("  body: |\n    ")
        entry.write_text(f"{text[:body]}Edited. {text[body:]}", encoding="utf-8")
        edited = validate_glossary(settings, memory)
        files = export_files(edited, SITE_URL, "Synthetic", memo=memo)
        made[size] = memo.made
        assert files == export_files(edited, SITE_URL, "Synthetic")  # what the memo kept is what would be made
        assert any("Edited." in str(text) for path, text in files.items() if path.startswith("sv/"))
    # the edited concept's JSON object, its TBX entry and its part of each language's files (4)
    assert made == {24: 6, 72: 6}


def test_a_record_of_what_was_written_never_keeps_a_file_changed_by_hand_or_a_stray_one(tmp_path: Path) -> None:
    import os
    import pickle

    files = {"a.txt": "first", "b/c.txt": "second", "d.txt": "third"}
    paths, written = write_tree(tmp_path, files, remove_others=True)
    assert written == 3
    # the record and the contents travel together, as in the build's memory, so the contents stay the same objects
    record, files = pickle.loads(pickle.dumps((written_record(files, paths), files)))
    assert write_tree(tmp_path, files, remove_others=True, written_before=record) == (paths, 0)
    (tmp_path / "a.txt").write_text("edited by hand", encoding="utf-8")  # another size: written again
    os.utime(tmp_path / "d.txt", ns=(0, 0))  # another time: read, found the same, left alone
    (tmp_path / "stray.txt").write_text("not ours", encoding="utf-8")
    assert write_tree(tmp_path, files, remove_others=True, written_before=record) == (paths, 1)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "first"
    assert not (tmp_path / "stray.txt").exists()
    assert write_tree(tmp_path, {**files, "d.txt": "changed"}, remove_others=True, written_before=record)[1] == 1
    assert (tmp_path / "d.txt").read_text(encoding="utf-8") == "changed"


def test_a_chain_of_recorded_writes_rewrites_exactly_the_files_changed_since_the_last(tmp_path: Path) -> None:
    import os

    files = {"a.txt": "first", "b/c.txt": "second", "d.txt": "third"}
    paths, record, written = write_recorded(tmp_path, files, remove_others=True)
    assert written == 3 and record == written_record(files, paths)
    paths_again, record_again, written = write_recorded(tmp_path, files, remove_others=True, written_before=record)
    assert (paths_again, record_again, written) == (paths, record, 0)
    (tmp_path / "a.txt").write_text("edited by hand", encoding="utf-8")
    os.utime(tmp_path / "d.txt", ns=(0, 0))
    _, record_after, written = write_recorded(tmp_path, files, remove_others=True, written_before=record_again)
    assert written == 1 and (tmp_path / "a.txt").read_text(encoding="utf-8") == "first"
    # what was looked at again is recorded as it is now, so the next write keeps it without reading it
    assert record_after["d.txt"].stamp == (len("third"), 0) and record_after["b/c.txt"] is record["b/c.txt"]
    assert record_after == written_record(files, paths)
    _, _, written = write_recorded(tmp_path, {**files, "b/c.txt": "changed"}, remove_others=True,
                                   written_before=record_after)
    assert written == 1 and (tmp_path / "b/c.txt").read_text(encoding="utf-8") == "changed"


def test_a_replaced_file_is_a_new_file_and_whoever_holds_the_old_one_reads_it_whole(tmp_path: Path) -> None:
    import os

    page = tmp_path / "site" / "sitemap.xml"
    replace_file(page, "<urlset>old</urlset>")
    reader = page.open(encoding="utf-8")  # a server that opened the file before it was replaced
    old_inode = page.stat().st_ino
    replace_file(page, "<urlset>new</urlset>".encode())
    assert page.read_text(encoding="utf-8") == "<urlset>new</urlset>"
    assert page.stat().st_ino != old_inode  # not truncated and rewritten in place
    with reader:
        assert reader.read() == "<urlset>old</urlset>"
    assert sorted(os.listdir(page.parent)) == ["sitemap.xml"]  # no temporary file left behind


@pytest.mark.parametrize("path", ["../outside.json", "/etc/glossary.json", "nl/../../outside.txt", ""])
def test_no_write_leaves_its_folder(tmp_path: Path, path: str) -> None:
    folder = tmp_path / "out"
    with pytest.raises(OutsideFolder):
        write_tree(folder, {"glossary.json": "{}", path: "x"})
    assert list(tmp_path.rglob("*")) == []  # refused before anything was written
