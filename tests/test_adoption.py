"""Another team's site: glossgen installed from its wheel, `glossgen init` in their languages, built strictly."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from bs4 import BeautifulSoup

from glossgen.core.labels import load_labels
from glossgen.core.messages import MESSAGES
from glossgen.plugin.worker import usable_cores

from .helpers import PROJECT_ROOT, site_files

pytestmark = pytest.mark.build

#: One right-to-left language, one without grammatical gender, and a default language that is not English.
LANGUAGES = ("fr", "fi", "ar")
#: Markdown that a page shows as text when its extension is missing.
RAW_MARKDOWN = re.compile(r"\{:|\]\([^)]*\.md|```|^\s*:\s{3}", re.MULTILINE)


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment["SOURCE_DATE_EPOCH"] = "1700000000"  # the sitemap archive carries the build date
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the repository with glossgen installed from its wheel.

    The dependencies come from the test environment's own site-packages (a path file), so that the
    test runs offline; glossgen itself is only the wheel's.
    """
    root = tmp_path_factory.mktemp("adopter")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", root / "dist", PROJECT_ROOT, cwd=root)
    wheel = next((root / "dist").glob("glossgen-*.whl"))
    assert next((root / "dist").glob("glossgen-*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("glossgen/templates/entry.md.j2", "glossgen/theme/main.html", "glossgen/assets/glossgen.css",
                    "glossgen/schemas/glossary.schema.json", "glossgen/genders.yml", "glossgen/starter/entry.yml",
                    "glossgen/locale/glossgen.pot", "glossgen/locale/fi/LC_MESSAGES/glossgen.po"):
        assert shipped in names, shipped
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    python = venv / "bin/python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root).stdout.strip())
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel, cwd=root)
    where = run(python, "-c", "import glossgen; print(glossgen.__file__)", cwd=root).stdout.strip()
    assert where.startswith(str(purelib)), where
    return venv


@pytest.fixture(scope="module")
def adopted(installed: Path) -> Path:
    site = installed.parent / "their-site"
    run(installed / "bin/glossgen", "init", site, "--languages", ",".join(LANGUAGES), "--site-name", "Sanasto",
        cwd=installed.parent)
    entries = {"deviation": {"fr": ("écart", "le"), "fi": ("öljy", None), "ar": ("انحراف", "مذكر")},
               "zebra": {"fr": ("zèbre", "le"), "fi": ("zeta", None), "ar": ("حمار وحشي", "مذكر")}}
    for entry_id, terms in entries.items():
        blocks = [f"id: {entry_id}", "category: basics"]
        for language, (term, gender) in terms.items():
            blocks += [f"{language}:", f"  term: {term}", *([f"  gender: {gender}"] if gender else []),
                       f"  short: {term} ({language}).", f"  body: {term}, {language}."]
        (site / f"glossary/{entry_id}.yml").write_text("\n".join(blocks) + "\n", encoding="utf-8")
    result = run(installed / "bin/python", "-m", "mkdocs", "build", "--strict", cwd=site)
    assert not [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))], result.stderr
    return site / "site"


def page(site: Path, language: str, path: str) -> BeautifulSoup:
    prefix = "" if language == LANGUAGES[0] else f"{language}/"
    return BeautifulSoup((site / prefix / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_adopted_site_shows_no_raw_markdown_and_its_own_words(adopted: Path, language: str) -> None:
    labels = load_labels([language], LANGUAGES[0])[0][language]
    assert not labels.missing
    html = page(adopted, language, "glossary/parameter/index.html")
    article = html.select_one("article")
    assert not RAW_MARKDOWN.search(article.get_text()), article.get_text()
    assert article.select_one("p.glossgen-short") is not None and article.select_one("dl") is not None
    headings = [dt.get_text(strip=True) for dt in article.select("dl > dt")]
    assert labels["category"] in headings
    assert (labels["gender"] in headings) == (language != "fi")  # Finnish has no grammatical gender
    assert labels["examples"] in [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")]
    total = format_decimal(500500, locale=language, numbering_system="default")
    assert total in article.get_text(), total
    assert html.find("body")["dir"] == ("rtl" if language == "ar" else "ltr")
    assert html.find("html")["lang"] == language


@pytest.mark.parametrize(("language", "order"), [
    ("fr", ["écart", "paramètre", "zèbre"]),
    ("fi", ["parametri", "zeta", "öljy"]),  # Finnish: ö after z
    ("ar", ["انحراف", "حمار وحشي", "معامل"]),
])
def test_each_language_index_follows_its_own_alphabet(adopted: Path, language: str, order: list[str]) -> None:
    html = page(adopted, language, "glossary/index.html")
    terms = [link.get_text(strip=True) for link in html.select("article li > a")]
    assert terms == order


@pytest.mark.parametrize("count", [2, 3, 5])
def test_the_second_process_builds_the_same_site_for_any_number_of_languages(installed: Path, count: int) -> None:
    languages = ["fr", "en", "fi", "sv", "ar"][:count]
    site = installed.parent / f"languages-{count}"
    run(installed / "bin/glossgen", "init", site, "--languages", ",".join(languages), cwd=installed.parent)
    config = site / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    outputs = {}
    for parallel in (True, False):
        config.write_text(original.replace("  - glossgen ", f"  - glossgen:\n      parallel: {str(parallel).lower()}\n    #"),
                          encoding="utf-8")
        folder = site / f"site-{parallel}"
        shutil.rmtree(site / ".cache", ignore_errors=True)  # every page converted: the build shares its languages
        result = run(installed / "bin/python", "-m", "mkdocs", "build", "--strict", "--site-dir", folder, cwd=site)
        assert ("in a second process" in result.stderr) == (parallel and usable_cores() > 1), result.stderr
        outputs[parallel] = site_files(folder)
    assert sorted(outputs[True]) == sorted(outputs[False])
    assert [name for name in outputs[True] if outputs[True][name] != outputs[False][name]] == []
    for language in languages[1:]:
        assert f"{language}/glossary/parameter/index.html" in outputs[True]


def test_a_site_without_the_markdown_extensions_gets_them_and_shows_no_raw_markdown(tmp_path: Path) -> None:
    site = tmp_path / "bare"
    run(sys.executable, "-m", "glossgen.cli", "init", site, "--languages", "en,sv", cwd=tmp_path)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("markdown_extensions:"), text.index("plugins:")
    config.write_text(text[:start] + text[end:], encoding="utf-8")  # no markdown_extensions at all
    result = run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=site)
    # MkDocs' own defaults are toc, tables and fenced_code; glossgen adds what its pages need beyond them.
    assert ("enabled the Markdown extensions glossgen's pages need, which mkdocs.yml does not list: "
            "attr_list, def_list, md_in_html, pymdownx.highlight, pymdownx.superfences (") in result.stderr
    for prefix in ("", "sv/"):
        article = BeautifulSoup((site / f"site/{prefix}glossary/parameter/index.html").read_text(encoding="utf-8"),
                                "html.parser").select_one("article")
        assert not RAW_MARKDOWN.search(article.get_text()), article.get_text()
        assert article.select_one("p.glossgen-short") and article.select_one("dl > dt") and article.select_one("pre code")


def site_contents(folder: Path) -> dict[str, object]:
    """Every file's bytes; the search indexes and sitemaps as sets, since their order follows MkDocs' file walk."""
    contents: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not path.is_file() or relative.endswith(".gz"):
            continue
        if path.name == "search_index.json":
            contents[relative] = sorted(json.dumps(document, sort_keys=True)
                                        for document in json.loads(path.read_text(encoding="utf-8"))["docs"])
        elif path.name == "sitemap.xml":
            contents[relative] = sorted(re.findall(r"<url>.*?</url>", path.read_text(encoding="utf-8"), re.DOTALL))
        else:
            contents[relative] = path.read_bytes()
    return contents


def test_both_layouts_of_mkdocs_static_i18n_build_the_same_site(tmp_path: Path) -> None:
    built = {}
    for layout in ("suffix", "folder"):
        site = tmp_path / layout
        run(sys.executable, "-m", "glossgen.cli", "init", site, "--languages", "sv,en,fi", "--layout", layout, cwd=tmp_path)
        homes = sorted(path.relative_to(site / "docs").as_posix() for path in (site / "docs").rglob("*.md"))
        assert homes == (["en/index.md", "fi/index.md", "sv/index.md"] if layout == "folder"
                         else ["index.en.md", "index.fi.md", "index.md"])
        result = run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=site)
        assert not [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))], result.stderr
        built[layout] = site_contents(site / "site")
    assert sorted(built["suffix"]) == sorted(built["folder"])
    assert [name for name in built["suffix"] if built["suffix"][name] != built["folder"][name]] == []
    assert "fi/glossary/parameter/index.html" in built["folder"] and "glossary/parameter/index.html" in built["folder"]


def test_a_language_without_page_words_fails_strict_builds_and_shows_the_default_words_meanwhile(tmp_path: Path) -> None:
    site = tmp_path / "icelandic"
    run(sys.executable, "-m", "glossgen.cli", "init", site, "--languages", "sv,is", cwd=tmp_path)
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site, capture_output=True,
                            text=True, timeout=300)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert (f"WARNING -  glossgen: locale/is/LC_MESSAGES/glossgen.po: {len(MESSAGES)} of {len(MESSAGES)} page words "
            "have no is translation (abbreviation, synonyms, deprecated, usage, gender, plural, …); they show in sv "
            "until this catalog has them") in strict.stderr
    run(sys.executable, "-m", "mkdocs", "build", "--no-strict", cwd=site)  # init's mkdocs.yml says strict: true
    headings = [dt.get_text(strip=True) for dt in BeautifulSoup(
        (site / "site/is/glossary/parameter/index.html").read_text(encoding="utf-8"), "html.parser").select("article dl > dt")]
    assert "Kategori" in headings  # the Swedish word, until an Icelandic catalog has it
