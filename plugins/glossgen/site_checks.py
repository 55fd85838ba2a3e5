"""Checks and fixes on the built site, once every language is written.

mkdocs-static-i18n merges the search entries of all languages into one
`search/search_index.json`; readers of one language would download, and find, the
others' pages too. `split_search_index` writes one index per language into that
language's folder (`nl/search/search_index.json`, ...), with locations relative to it.

`audit_site` then checks that nothing was lost on the way: every entry has a page, an
A-Z index line and search documents in every language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

from .model import RESERVED_IDS, Glossary

SEARCH_INDEX = Path("search/search_index.json")


def language_prefix(language: str, default_language: str) -> str:
    return "" if language == default_language else f"{language}/"


def read_search_indexes(site_dir: Path, languages: Sequence[str], default_language: str) -> dict[str, dict]:
    """The per-language search indexes of the site in `site_dir`, by language (missing ones left out)."""
    indexes = {}
    for language in languages:
        path = site_dir / language_prefix(language, default_language) / SEARCH_INDEX
        if path.is_file():
            indexes[language] = json.loads(path.read_text(encoding="utf-8"))
    return indexes


def split_search_index(site_dir: Path, languages: Sequence[str], default_language: str,
                       write: Sequence[str] | None = None, previous: dict[str, dict] | None = None) -> dict[str, dict]:
    """Rewrite the merged search index as one index per language (of those in `write`, default all).

    After a dirty build, which indexes only the pages it rendered again, `previous`
    (the indexes before the build) supplies the documents of every other page.
    Returns the indexes written, by language.
    """
    merged_path = site_dir / SEARCH_INDEX
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    others = [language for language in languages if language != default_language]
    split: dict[str, list[dict]] = {language: [] for language in languages}
    for document in merged["docs"]:
        language = next((other for other in others if document["location"].startswith(f"{other}/")), default_language)
        prefix = language_prefix(language, default_language)
        split[language].append({**document, "location": document["location"][len(prefix):]})
    written = {}
    for language, documents in split.items():
        if write is not None and language not in write:
            continue
        if previous and language in previous:
            documents = _update_documents(previous[language]["docs"], documents)
        index = written[language] = {**merged, "config": {**merged["config"], "lang": [language]}, "docs": documents}
        path = site_dir / language_prefix(language, default_language) / SEARCH_INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return written


def audit_site(site_dir: Path, glossary: Glossary, default_language: str, output_dir: str = "glossary") -> list[str]:
    """Every entry must have a page, an index line and search documents in every language."""
    problems = []
    expected = set(glossary.entries)
    for language in glossary.languages:
        root = site_dir / language_prefix(language, default_language)
        section = root / output_dir
        pages = {path.parent.name for path in section.glob("*/index.html") if path.parent.name not in RESERVED_IDS}
        if pages != expected:
            problems.append(f"{language}: {len(pages)} term pages for {len(expected)} entries"
                            f" (missing: {', '.join(sorted(expected - pages)) or '-'}; unexpected: {', '.join(sorted(pages - expected)) or '-'})")
        index_html = (section / "index.html").read_text(encoding="utf-8") if (section / "index.html").is_file() else ""
        listed = {entry_id for entry_id in expected if re.search(rf'href="{re.escape(entry_id)}/"', index_html)}
        if listed != expected:
            problems.append(f"{language}: the A-Z index lists {len(listed)} of {len(expected)} entries"
                            f" (missing: {', '.join(sorted(expected - listed))})")
        search_path = root / SEARCH_INDEX
        documents = json.loads(search_path.read_text(encoding="utf-8"))["docs"] if search_path.is_file() else []
        searchable = {document["location"].split("/")[1] for document in documents
                      if re.fullmatch(rf"{re.escape(output_dir)}/[^/]+/", document["location"])}
        if not expected <= searchable:
            problems.append(f"{language}: the search index has {len(expected & searchable)} of {len(expected)} entries"
                            f" (missing: {', '.join(sorted(expected - searchable))})")
    return problems


def _update_documents(old: list[dict], new: list[dict]) -> list[dict]:
    """`old` with the documents of every page in `new` replaced by the new ones, in the old order.

    In dirty builds mkdocs-material's search plugin keeps its entries from one language
    pass to the next, so `new` can hold a page more than once: the last copy counts.
    """
    def page(document: dict) -> str:
        return document["location"].split("#", 1)[0]

    new = list({document["location"]: document for document in new}.values())
    fresh: dict[str, list[dict]] = {}
    for document in new:
        fresh.setdefault(page(document), []).append(document)
    updated, placed = [], set()
    for document in old:
        location = page(document)
        if location not in fresh:
            updated.append(document)
        elif location not in placed:
            updated.extend(fresh[location])
            placed.add(location)
    updated.extend(document for document in new if page(document) not in placed)
    return updated
