"""Reusing the previous result gives exactly what rendering from scratch gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import LANGUAGES, WEIGHTS, ZEBRA, write_site
from glossgen.pipeline import Settings, ValidGlossary, build_glossary, validate_glossary
from glossgen.render import PageRenderer


def settings(root: Path) -> Settings:
    return Settings(root, root / "glossary", root / "snippets", None, LANGUAGES, "en")


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "an English body": ("glossary/weights.yml", f"Body of {WEIGHTS['en']}:", f"Changed body of {WEIGHTS['en']}:"),
    "a Dutch term": ("glossary/zebra.yml", f"term: {ZEBRA['nl']}\n  gender", "term: steppezebra\n  gender"),
    "a snippet result": ("snippets/dense.py", "np.zeros(500)", "np.zeros(250)"),
}


@pytest.mark.parametrize("change", EDITS.values(), ids=EDITS.keys())
def test_texts_reused_from_the_previous_result_equal_a_fresh_render(tmp_path: Path, change) -> None:
    root = write_site(tmp_path).root
    before = validate_glossary(settings(root))
    edit(root, *change)
    fresh = validate_glossary(settings(root))
    reused = validate_glossary(settings(root), before)
    assert dict(reused.texts) == dict(fresh.texts)
    assert dict(fresh.texts) != dict(before.texts)


def test_only_the_edited_language_is_rendered_again(tmp_path: Path) -> None:
    root = write_site(tmp_path).root
    before = validate_glossary(settings(root))
    edit(root, *EDITS["an English body"])
    after = validate_glossary(settings(root), before)
    assert after.texts["weights", "en"] is not before.texts["weights", "en"]
    assert "Changed body" in after.texts["weights", "en"].body
    for language in ("nl", "sv", "de"):
        assert after.texts["weights", language] is before.texts["weights", language]
        assert after.texts["apple", language] is before.texts["apple", language]


def test_pages_built_with_reused_texts_and_renderer_equal_a_fresh_build(tmp_path: Path) -> None:
    root = write_site(tmp_path).root
    renderer = PageRenderer()
    before = build_glossary(settings(root), renderer)
    edit(root, *EDITS["a Dutch term"])
    incremental = build_glossary(settings(root), renderer, before)
    fresh = build_glossary(settings(root))
    assert [(page.path, page.content) for page in incremental.pages] == [(page.path, page.content) for page in fresh.pages]
    assert 0 < len(renderer.rendered) < len(fresh.pages)
    assert all(path.endswith(".nl.md") for path in renderer.rendered)


def test_a_previous_result_without_language_keys_is_ignored(tmp_path: Path) -> None:
    root = write_site(tmp_path).root
    before = validate_glossary(settings(root))
    old_style = ValidGlossary(before.glossary, before.runs, dict(before.texts))  # as kept by an older glossgen
    assert dict(validate_glossary(settings(root), old_style).texts) == dict(before.texts)
