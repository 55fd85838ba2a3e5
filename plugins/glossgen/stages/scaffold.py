"""A new entry file with every field in place, valid from the start, for authors to fill in."""

from __future__ import annotations

from typing import Sequence

from ..core.model import GENDERS


def new_entry(entry_id: str, category: str, languages: Sequence[str]) -> str:
    placeholder = entry_id.replace("-", " ")
    lines = [
        f"id: {entry_id}",
        f"category: {category}",
        "related: []            # ids of related entries",
        "sources: []            # ids from _sources*.yml that the text cites",
        "examples: []           # snippets (snippets/<name>.py) to show on the page",
    ]
    for language in languages:
        lines += [f"{language}:", f"  term: {placeholder}"]
        if language in GENDERS:
            lines.append(f"  gender: {GENDERS[language][0]}            # one of {', '.join(GENDERS[language])}")
        lines += [
            f'  short: "To be written: one sentence that defines {placeholder}."',
            "  body: |",
            f"    To be written: what {placeholder} is, with figures from snippets and links to",
            "    other entries (see docs/add-a-term.md).",
        ]
    return "\n".join(lines) + "\n"
