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


def split_search_index(site_dir: Path, languages: Sequence[str], default_language: str,
                       write: Sequence[str] | None = None) -> dict[str, int]:
    """Rewrite the merged search index as one index per language (of those in `write`, default all).

    Returns the documents per language.
    """
    merged_path = site_dir / SEARCH_INDEX
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    others = [language for language in languages if language != default_language]
    split: dict[str, list[dict]] = {language: [] for language in languages}
    for document in merged["docs"]:
        language = next((other for other in others if document["location"].startswith(f"{other}/")), default_language)
        prefix = language_prefix(language, default_language)
        split[language].append({**document, "location": document["location"][len(prefix):]})
    for language, documents in split.items():
        if write is not None and language not in write:
            continue
        index = {**merged, "config": {**merged["config"], "lang": [language]}, "docs": documents}
        path = site_dir / language_prefix(language, default_language) / SEARCH_INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {language: len(documents) for language, documents in split.items()}


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
