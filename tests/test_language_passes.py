"""What each language pass of the preview is given, from a real mkdocs.yml and MkDocs' own listing of docs_dir."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from glossgen.config import settings_from
from glossgen.plugin.preview import Preview, notebook_languages
from glossgen.plugin.translations import LanguagePasses, nav_sources

from .helpers import LANGUAGES, write_site

GENERATED = ("index", "categories/index", "weights", "bias", "print")


def _given(tmp_path: Path, layout: str = "suffix"):
    site = write_site(tmp_path / "project")
    if layout == "folder":  # mkdocs-static-i18n's other layout: docs/sv/index.md, docs/sv/glossary/bias.md
        config_file = site.root / "mkdocs.yml"
        config_file.write_text(config_file.read_text().replace("docs_structure: suffix", "docs_structure: folder"))
        for home in sorted((site.root / "docs").glob("index*.md")):
            language = home.suffixes[0].lstrip(".") if len(home.suffixes) > 1 else "en"
            site.write(f"docs/{language}/index.md", home.read_text(encoding="utf-8"))
            home.unlink()
    for stem in GENERATED:  # pages as glossgen names them: the default language's without a suffix
        for language in LANGUAGES:
            site.write(f"docs/{language}/glossary/{stem}.md" if layout == "folder" else
                       f"docs/glossary/{stem}{'' if language == 'en' else '.' + language}.md", f"# {stem}\n")
    config = load_config(str(site.root / "mkdocs.yml"))
    settings = settings_from(config)
    preview, passes = Preview(60), LanguagePasses()

    def rebuild(changed: set[str] | None) -> dict[str, set[str]]:
        """The files each language pass is given in a rebuild after an edit that changed `changed`'s pages."""
        preview.limit_languages(config, changed, [], settings.page_folders)
        given = {}
        for language in LANGUAGES:
            files = passes.pass_files(get_files(config), language, settings, whole=False,
                                      only=preview.pages_needed(language, config))
            given[language] = {file.src_uri for file in files}
        return given

    return rebuild, preview


def test_the_default_pass_of_a_rebuild_for_another_language_is_given_only_the_pages_its_navigation_names(
        tmp_path: Path) -> None:
    rebuild, preview = _given(tmp_path)
    hand_written = {"index.md", *(f"index.{language}.md" for language in LANGUAGES if language != "en")}
    try:
        first = rebuild(set())  # the first build: the default language alone, every page of it
        assert first["en"] == hand_written | {f"glossary/{stem}.md" for stem in GENERATED}
        # A Swedish edit: the English pass has none of its pages to build again, and gets only what its nav needs.
        swedish = rebuild({"sv"})
        assert swedish["en"] == hand_written | {"glossary/index.md", "glossary/categories/index.md"}
        assert swedish["sv"] == hand_written | {f"glossary/{stem}.sv.md" for stem in GENERATED}
        # An English edit: every English page again.
        assert rebuild({"en"})["en"] == first["en"]
        # A change to a hand-written page, the theme or mkdocs.yml: every language, whole.
        assert rebuild(None)["en"] == first["en"]
    finally:
        preview.close()


def test_in_the_folder_layout_the_nav_names_a_page_without_its_language_folder(tmp_path: Path) -> None:
    rebuild, preview = _given(tmp_path, "folder")
    try:
        first = rebuild(set())
        assert {"en/index.md", *(f"en/glossary/{stem}.md" for stem in GENERATED)} <= first["en"]
        # The nav says glossary/index.md; mkdocs-static-i18n finds it as en/glossary/index.md.
        generated = {uri for uri in rebuild({"sv"})["en"] if "/glossary/" in uri}
        assert generated == {"en/glossary/index.md", "en/glossary/categories/index.md"}
    finally:
        preview.close()


def test_the_pages_a_nav_names_are_found_at_every_depth() -> None:
    nav = ["index.md", {"Glossary": ["glossary/index.md", {"Categories": "glossary/categories/index.md"}]},
           {"Elsewhere": "https://example.org/"}]
    assert nav_sources(nav) == {"index.md", "glossary/index.md", "glossary/categories/index.md",
                                "https://example.org/"}


def test_the_idle_refresh_builds_the_languages_whose_notebooks_it_made_anew() -> None:
    before = {"glossary.json": "{}", "notebooks/nl/weights.ipynb": "a", "notebooks/sv/weights.ipynb": "b",
              "notebooks/de/bias.ipynb": "c", "notebooks/en/weights.ipynb": "d"}
    after = {**before, "glossary.json": "{ }", "notebooks/nl/weights.ipynb": "a2", "notebooks/sv/bias.ipynb": "e"}
    del after["notebooks/de/bias.ipynb"]
    # Dutch changed, Swedish gained one and German lost one; English is as it was; the exports are every pass's
    assert notebook_languages(before, after, LANGUAGES) == {"nl", "sv", "de"}
    assert notebook_languages(before, dict(before), LANGUAGES) == set()
