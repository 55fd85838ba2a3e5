"""The memory: what a rebuild reuses equals what a fresh run makes, its keys cover every option, nothing grows."""

from __future__ import annotations

import gc
import json
import pickle
import weakref
from pathlib import Path

import pytest

from glossgen.memory import Memory
from glossgen.pipeline import build_site, validate_glossary

from .helpers import APPLE, ERROR, WEIGHTS, ZEBRA, synthetic_project, write_site

EDITS = {
    "an English body": ("glossary/weights.yml", f"Body of {WEIGHTS['en']}:", f"Changed body of {WEIGHTS['en']}:"),
    "a Dutch term": ("glossary/zebra.yml", f"term: {ZEBRA['nl']}\n  gender", "term: steppezebra\n  gender"),
    "a snippet result": ("snippets/dense.py", "np.zeros(500)", "np.zeros(250)"),
    "a snippet's code only": ("snippets/dense.py", '"""A dense layer."""', '"""A dense layer, its weights zero."""'),
    "a source": ("glossary/_sources.yml", "title: Deep learning", "title: Deep learning, a review"),
    "a category's name": ("glossary/_categories.yml", "name: Grunder,", "name: Grunderna,"),
}


ENTRY_IDS = ("weights", "error", "zebra", "apple")


def contents(build) -> dict:
    return {"pages": [(page.path, page.content) for page in build.pages], "downloads": dict(build.downloads)}


def pages_equal_a_fresh_build(site, build) -> bool:
    """Whether a deferred build's pages, but for the whole-glossary pages it kept from before, are a fresh build's."""
    fresh = {page.path: page.content for page in build_site(site.settings(), Memory()).pages}
    return all(fresh[page.path] == page.content for page in build.pages if not page.path.startswith("print."))


@pytest.mark.parametrize("change", EDITS.values(), ids=EDITS.keys())
def test_a_rebuild_from_the_memory_equals_a_fresh_build(tmp_path: Path, change) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    before = build_site(site.settings(), memory)
    site.edit(*change)
    incremental = build_site(site.settings(), memory)
    fresh = build_site(site.settings(), Memory())
    assert contents(incremental) == contents(fresh)
    assert dict(incremental.valid.texts) == dict(fresh.valid.texts)
    assert contents(fresh) != contents(before)
    assert 0 < len(incremental.rendered) < len(fresh.rendered)


def test_only_the_edited_field_is_rendered_again(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    before = validate_glossary(site.settings(), memory)
    assert len(before.texts.rendered) > 20
    site.edit(*EDITS["an English body"])
    after = validate_glossary(site.settings(), memory)
    assert "Changed body" in after.texts["weights", "en"].body
    assert after.texts.rendered == (("weights", "en", "body"),)
    assert {key: text for key, text in after.texts.items() if key != ("weights", "en")} == \
        {key: text for key, text in before.texts.items() if key != ("weights", "en")}


def test_a_new_short_definition_renders_again_the_texts_that_link_to_it(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    site.edit("glossary/error.yml", f"Body of {ERROR['en']}:", f"Body of {ERROR['en']}, measured on a {WEIGHTS['en']}:")
    memory = Memory()
    validate_glossary(site.settings(), memory)
    site.edit("glossary/weights.yml", f"short: Short definition of {WEIGHTS['en']} in en.",
              f"short: A new short definition of {WEIGHTS['en']}.")
    after = validate_glossary(site.settings(), memory)
    fresh = validate_glossary(site.settings(), Memory())
    assert dict(after.texts) == dict(fresh.texts)
    assert "A new short definition" in after.texts["error", "en"].body  # the link's tooltip
    assert sorted(after.texts.rendered) == [("weights", "en", "short")]  # the link itself is kept, its tooltip new


def test_an_edit_renders_again_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    build_site(site.settings(), memory)
    site.edit(*EDITS["a Dutch term"])
    after = build_site(site.settings(), memory)
    assert sorted(after.rendered) == sorted(["zebra.nl.md", "index.nl.md", "categories/basics.nl.md", "print.nl.md",
                                             "examples.nl.md"])


def test_unchanged_inputs_give_the_last_build_whole(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    first = build_site(site.settings(), memory)
    again = build_site(site.settings(), memory)
    assert again.reused and not first.reused
    assert again.pages is first.pages and again.rendered == ()


@pytest.mark.parametrize(("option", "value"), [("site_url", "http://127.0.0.1:8000/"), ("site_name", "Preview"),
                                               ("output_dir", "terms")])
def test_every_option_that_shapes_the_output_is_in_the_key(tmp_path: Path, option: str, value: str) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    published = build_site(site.settings(), memory)
    preview = build_site(site.settings(**{option: value}), memory)
    assert not preview.reused
    assert contents(preview) == contents(build_site(site.settings(**{option: value}), Memory()))
    again = build_site(site.settings(), memory)
    assert contents(again) == contents(published)
    if option == "site_url":
        assert not [path for path, text in again.downloads.items() if value in str(text)]


def test_the_memory_is_persisted_whole_and_only_for_the_same_code(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    cache = tmp_path / "cache"
    memory = Memory.load(cache)
    first = build_site(site.settings(), memory)
    memory.save(cache)
    loaded = Memory.load(cache)
    assert loaded.sizes() == memory.sizes()
    assert build_site(site.settings(), loaded).reused  # a new process: the same inputs give the stored build
    assert contents(build_site(site.settings(), loaded)) == contents(first)

    stored = pickle.loads((cache / "memory.pickle").read_bytes())
    stored.code = "another glossgen"
    (cache / "memory.pickle").write_bytes(pickle.dumps(stored))
    assert Memory.load(cache).sizes() == {name: 0 for name in memory.sizes()}
    (cache / "memory.pickle").write_bytes(b"not a pickle")
    assert Memory.load(cache).last is None


def test_a_loaded_memory_is_kept_out_of_the_collectors_passes_and_still_freed_when_let_go(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    cache = tmp_path / "cache"
    memory = Memory.load(cache)
    build_site(site.settings(), memory)
    memory.save(cache)
    gc.collect()
    frozen = gc.get_freeze_count()
    loaded = Memory.load(cache)
    assert gc.isenabled()
    assert gc.get_freeze_count() - frozen >= sum(loaded.sizes().values())
    tracked = {id(found) for found in gc.get_objects()}
    assert id(loaded) not in tracked and id(loaded.pages) not in tracked
    assert build_site(site.settings(), loaded).reused

    let_go = weakref.ref(loaded)
    del loaded
    assert let_go() is None  # frozen objects are still freed by reference counting

    gc.disable()
    try:
        Memory.load(cache)
        assert not gc.isenabled()  # a collector paused by the caller stays paused
    finally:
        gc.enable()


def test_nothing_in_the_memory_grows_from_one_rebuild_to_the_next(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    sizes, shown = [], {"weight": "Body of weight", "vikt": "Body of vikt"}
    for save in range(12):
        term = "weight" if save % 2 else "vikt"  # an English and a Swedish edit, in turn
        new = f"Body {save} of {term}"
        site.edit("glossary/weights.yml", shown[term], new)
        shown[term] = new
        build_site(site.settings(), memory)
        sizes.append(memory.sizes())
    assert sizes[-1] == sizes[1], sizes
    assert sum(sizes[-1].values()) < 2 * sum(sizes[0].values())


def test_a_failed_run_keeps_what_the_next_run_needs(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    good = build_site(site.settings(), memory)
    site.edit("glossary/zebra.yml", "category: basics", "category: animals")
    assert site.problems(memory)
    site.edit("glossary/zebra.yml", "category: animals", "category: basics")
    again = build_site(site.settings(), memory)
    assert contents(again) == contents(good)
    assert json.loads(again.downloads["glossary.json"])["concepts"][3]["id"] == "zebra"


@pytest.mark.build  # two synthetic glossaries, every snippet run once
def test_what_an_edit_renders_again_does_not_grow_with_the_glossary(tmp_path: Path) -> None:
    counts = {}
    for size in (24, 72):
        concepts, settings = synthetic_project(tmp_path / str(size), size)
        memory = Memory()
        build_site(settings, memory)
        entry = settings.glossary_dir / f"{concepts[3].id}.yml"
        edited = {}
        for language in ("en", "sv"):
            text = entry.read_text(encoding="utf-8")
            body = text.index("  body: |\n    ", text.index(f"\n{language}:\n")) + len("  body: |\n    ")
            entry.write_text(f"{text[:body]}Edited. {text[body:]}", encoding="utf-8")
            preview = build_site(settings, memory, defer=True)
            full = build_site(settings, memory)
            edited[language] = (len(preview.valid.texts.rendered), sorted(preview.rendered), sorted(full.rendered))
        counts[size] = edited
    stems = {size: {language: (texts, [path.split(".")[0] for path in preview], [path.split(".")[0] for path in full])
                    for language, (texts, preview, full) in edited.items()} for size, edited in counts.items()}
    small, large = stems.values()
    assert small["en"][0] == large["en"][0] == 1 and small["sv"][0] == large["sv"][0] == 1  # the edited body
    assert [len(preview) for _, preview, _ in small.values()] == [len(preview) for _, preview, _ in large.values()]
    assert [len(full) for _, _, full in small.values()] == [len(full) for _, _, full in large.values()]
    assert all(paths == ["print"] for _, preview, full in large.values() for paths in [sorted(set(full) - set(preview))])


def test_a_term_renamed_renders_again_exactly_the_pages_that_show_it(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    before = {page.path: page.content for page in build_site(site.settings(), memory).pages}
    site.edit("glossary/apple.yml", "term: åska", "term: åskväder")
    after = build_site(site.settings(), memory, defer=True)
    changed = sorted(page.path for page in after.pages if before.get(page.path) != page.content)
    assert sorted(after.rendered) == changed
    assert "apple.sv.md" in changed and "index.sv.md" in changed
    assert not any(path.endswith((".nl.md", ".de.md")) or "." not in path.removesuffix(".md") for path in changed)


def test_markdown_settings_held_as_objects_are_told_apart_in_the_settings_key(tmp_path: Path) -> None:
    import functools

    from pymdownx.slugs import slugify
    site = write_site(tmp_path)
    keys = {site.settings(markdown_configs={"toc": {"slugify": functools.partial(slugify, case=case)}}).key()
            for case in ("lower", "none")}
    assert len(keys) == 2


def test_a_renamed_term_links_again_only_the_bodies_that_mention_a_changed_form(tmp_path: Path, monkeypatch) -> None:
    import glossgen.stages.texts as texts_stage

    site = write_site(tmp_path)
    site.edit("glossary/apple.yml", f"Body of {APPLE['en']}:", f"Body of {APPLE['en']}, a loss for a {ZEBRA['en']}:")
    memory = Memory()
    build_site(site.settings(), memory)
    linked: list[str] = []
    real = texts_stage.link_first_mentions
    monkeypatch.setattr(texts_stage, "link_first_mentions",
                        lambda body, entry_id, *rest: linked.append(entry_id) or real(body, entry_id, *rest))
    site.edit("glossary/error.yml", f"term: {ERROR['en']}\n", "term: loss\n")
    after = build_site(site.settings(), memory)
    relinked = sorted(linked)
    assert contents(after) == contents(build_site(site.settings(), Memory()))
    assert "[loss](error.md" in after.valid.texts["apple", "en"].body  # the new form is linked where it is written
    # "error" and "loss" are written only in the bodies of error (its own term) and apple: no other body is linked again
    assert relinked == ["apple", "error"]


def test_a_language_taken_whole_keeps_its_pages_for_its_next_edit(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    memory = Memory()
    build_site(site.settings(), memory)
    site.edit(*EDITS["a category's name"])  # Swedish only: every English entry page is taken whole
    swedish = build_site(site.settings(), memory, defer=True)
    assert swedish.rendered and all(".sv." in path for path in swedish.rendered)
    site.edit(*EDITS["an English body"])
    english = build_site(site.settings(), memory, defer=True)
    # the English entry pages taken whole last time are still known one by one: only the edited one is rendered
    assert [path for path in english.rendered if path.count(".") == 1 and "/" not in path
            and path.removesuffix(".md") in ENTRY_IDS] == ["weights.md"]
    assert pages_equal_a_fresh_build(site, english)


def test_an_edit_to_one_language_costs_the_other_languages_pages_nothing(tmp_path: Path, monkeypatch) -> None:
    import glossgen.stages.pages as pages_stage

    site = write_site(tmp_path)
    memory = Memory()
    build_site(site.settings(), memory)
    listed: list[str] = []  # the languages whose lists of concepts (A-Z index, categories) were made again
    real = pages_stage.list_item
    monkeypatch.setattr(pages_stage, "list_item", lambda *given: listed.append(given[3]) or real(*given))
    site.edit(*EDITS["a category's name"])  # Swedish only
    swedish = build_site(site.settings(), memory, defer=True)
    assert sorted(set(listed)) == ["sv"] and all(".sv." in path for path in swedish.rendered)
    listed.clear()
    site.edit(*EDITS["a Dutch term"])
    dutch = build_site(site.settings(), memory)  # complete: it makes the whole-glossary pages the preview deferred
    assert sorted(set(listed)) == ["nl", "sv"]  # the Swedish one shows the Swedish edit; en and de cost nothing
    assert contents(dutch) == contents(build_site(site.settings(), Memory()))


def test_the_check_of_entry_text_is_kept_under_a_key_over_the_markdown_options_too() -> None:
    from glossgen.stages.markup import MarkupCheck

    keys = {MarkupCheck(["toc", "attr_list"], configs).key
            for configs in ({}, {"toc": {"permalink": True}}, {"toc": {"permalink": "#"}})}
    assert len(keys) == 3
    assert MarkupCheck(["toc"], {"toc": {"permalink": True}}).key == MarkupCheck(["toc"], {"toc": {"permalink": True}}).key


def test_an_edit_hashes_again_only_the_page_keys_of_the_entries_it_changed(tmp_path: Path, monkeypatch) -> None:
    import glossgen.stages.pages as pages_stage

    site = write_site(tmp_path)
    memory = Memory()
    first = build_site(site.settings(), memory)
    hashed: list[tuple[str, str]] = []  # (entry id, language) of every entry page key made from its parts
    real = pages_stage.EntryKeys._key
    monkeypatch.setattr(pages_stage.EntryKeys, "_key",
                        lambda keys, entry, *rest: hashed.append((entry.id, keys.language)) or real(keys, entry, *rest))
    site.edit(*EDITS["an English body"])
    build_site(site.settings(), memory, defer=True)
    showing = {entry_id for entry_id in ENTRY_IDS if "weights" in first.glossary.related(entry_id)}
    # the edited entry in every language (its English text is what the translations follow), and in English the
    # entries whose pages show its text as a related entry's; none of the others
    assert showing and sorted(hashed) == sorted({*(("weights", language) for language in ("en", "nl", "sv", "de")),
                                                 *((entry_id, "en") for entry_id in showing)})
    hashed.clear()
    site.edit(*EDITS["a source"])  # every entry citing it shows it
    cited = build_site(site.settings(), memory, defer=True)
    assert hashed and len(hashed) == len(set(hashed))
    assert pages_equal_a_fresh_build(site, cited)


def test_a_rebuild_reads_again_only_the_input_files_whose_size_or_time_changed(tmp_path: Path, monkeypatch) -> None:
    import glossgen.memory as memory_module

    site = write_site(tmp_path)
    memory = Memory()
    build_site(site.settings(), memory)
    read: list[str] = []
    real = memory_module.read_input
    monkeypatch.setattr(memory_module, "read_input", lambda path, *rest, **options: read.append(path.name) or
                        real(path, *rest, **options))
    for change in (EDITS["an English body"], EDITS["a snippet result"]):
        read.clear()
        site.edit(*change)
        edited = build_site(site.settings(), memory)
        assert read == [Path(change[0]).name]
        fresh = build_site(site.settings(), Memory())
        assert contents(edited) == contents(fresh)
    # A memory read from disk, in a new process, has no inputs of its own: every file is read once.
    read.clear()
    reloaded = pickle.loads(pickle.dumps(memory))
    site.edit(*EDITS["a Dutch term"])
    build_site(site.settings(), reloaded)
    assert len(read) == len(set(read)) > 4 and "zebra.yml" in read
