"""Alphabetical order as each language has it, from ICU (Swedish å, ä, ö after z; German ä with a)."""

from __future__ import annotations

from functools import cache
from typing import Any

import icu


@cache
def _collator(language: str) -> icu.Collator:
    # A cache of immutable ICU objects, one per language: not state a run could change.
    return icu.Collator.createInstance(icu.Locale(language))


def collation_key(text: str, language: str) -> bytes:
    return _collator(language).getSortKey(text)


def alphabetical_groups(items: list[tuple[str, Any]], language: str) -> list[tuple[str, list[Any]]]:
    """Group (term, value) pairs under the initial letters of `language`'s alphabet, in its order."""
    index = icu.AlphabeticIndex(icu.Locale(language))
    for position, (term, _) in enumerate(items):
        index.addRecord(term, position)
    groups: list[tuple[str, list[Any]]] = []
    while index.nextBucket():
        members = []
        while index.nextRecord():
            members.append(items[index.recordData])
        if members:
            members.sort(key=lambda pair: collation_key(pair[0], language))
            label = index.bucketLabel if index.bucketLabelType == icu.UAlphabeticIndexLabelType.NORMAL else "#"
            groups.append((label, [value for _, value in members]))
    return groups
