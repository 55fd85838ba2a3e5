"""A new entry file with every field in place, for authors to fill in, and how to tell it is not filled in yet.

The texts `glossgen new` writes begin with PLACEHOLDER; a field that still holds it is
unfinished, which `glossgen validate` and the build report and `glossgen status` counts.
Articles are left empty, with the valid ones in a comment, so validate asks for them
rather than publish a guess.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..core.genders import gender_table
from ..core.model import Translation

PLACEHOLDER = "To be written:"


def unfinished_fields(translation: Translation) -> list[str]:
    """The fields of a translation that still hold the text `glossgen new` wrote."""
    fields = {"short": translation.short, "body": translation.body, **{f"aspects.{name}": text for name, text
                                                                         in translation.aspects.items()}}
    return [name for name, text in fields.items() if PLACEHOLDER in text]


def new_entry(entry_id: str, category: str, languages: Sequence[str],
              genders: Mapping[str, Mapping[str, str]] | None = None) -> str:
    genders = genders if genders is not None else gender_table()
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
        if language in genders:
            lines.append(f"  gender:            # the article of the term: one of {', '.join(genders[language])}")
        lines += [
            f'  short: "{PLACEHOLDER} one sentence that defines {placeholder}."',
            "  body: |",
            f"    {PLACEHOLDER} what {placeholder} is, with figures from snippets and links to",
            "    other entries (see docs/add-a-term.md).",
        ]
    return "\n".join(lines) + "\n"
