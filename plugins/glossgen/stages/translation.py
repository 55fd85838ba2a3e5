"""Keeping languages in step: which translations follow the current default-language text.

Each translation may record, in `based_on`, a fingerprint of the default-language text
(term, short definition, body) it was written from. When that text changes, the
fingerprint no longer matches and the translation is outdated until a translator
updates it and records the new fingerprint (`glossgen translated <id> <language>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..core.model import Entry, Glossary
from .scaffold import unfinished_fields


class State(str, Enum):
    COMPLETE = "complete"
    UNFINISHED = "unfinished"
    OUTDATED = "outdated"
    MISSING = "missing"


def source_fingerprint(entry: Entry, default_language: str) -> str:
    """12 hex digits identifying the default-language text of an entry: term, definition, body, diagram words."""
    return entry.fingerprints[default_language]


def translation_state(entry: Entry, language: str, default_language: str) -> State:
    translation = entry.translations.get(language)
    if translation is None:
        return State.MISSING
    if unfinished_fields(translation):
        return State.UNFINISHED
    if language == default_language:
        return State.COMPLETE
    if translation.based_on != source_fingerprint(entry, default_language):
        return State.OUTDATED
    return State.COMPLETE


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    complete: tuple[str, ...]
    unfinished: tuple[str, ...]
    outdated: tuple[str, ...]
    missing: tuple[str, ...]

    def states(self) -> dict[str, State]:
        """Each entry's state in this language, by entry id."""
        return {entry_id: state for state in State for entry_id in getattr(self, state.value)}

    def as_dict(self) -> dict:
        return {"complete": len(self.complete), "unfinished": len(self.unfinished), "outdated": len(self.outdated),
                "missing": len(self.missing), "unfinished_ids": list(self.unfinished),
                "outdated_ids": list(self.outdated), "missing_ids": list(self.missing)}


def glossary_status(glossary: Glossary, default_language: str) -> list[LanguageStatus]:
    statuses = []
    for language in glossary.languages:
        by_state: dict[State, list[str]] = {state: [] for state in State}
        for entry in glossary.entries.values():
            by_state[translation_state(entry, language, default_language)].append(entry.id)
        statuses.append(LanguageStatus(language, *(tuple(by_state[state]) for state in State)))
    return statuses


_TOP_LEVEL_KEY = re.compile(r"^[^\s#][^:]*:")


def record_translation(path: Path, language: str, fingerprint: str) -> None:
    """Write `based_on: <fingerprint>` into the language's block of an entry file, keeping the rest as written."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{language}:"), None)
    if start is None:
        raise ValueError(f"{path}: no block '{language}:' to record the translation in")
    end = next((i for i in range(start + 1, len(lines)) if _TOP_LEVEL_KEY.match(lines[i])), len(lines))
    indent = next((re.match(r"\s*", line).group(0) for line in lines[start + 1:end] if line.strip()), "  ")
    record = f"{indent}based_on: {fingerprint}\n"
    existing = next((i for i in range(start + 1, end) if lines[i].startswith(f"{indent}based_on:")), None)
    if existing is None:
        lines.insert(start + 1, record)
    else:
        lines[existing] = record
    path.write_text("".join(lines), encoding="utf-8")
