"""Small Markdown helpers: links that cannot break, fences longer than their code, plain text."""

from __future__ import annotations

import re

from .tex import FORMULA, plain_formulas

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def markdown_link(text: str, target: str, title: str | None = None) -> str:
    """A Markdown link whose title (shown as a tooltip) cannot break out of its quotes."""
    if title:
        return f'[{text}]({target} "{title.replace(chr(34), chr(8221))}")'
    return f"[{text}]({target})"


def link_text(text: str) -> str:
    """Text that cannot end a Markdown link early."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def plain_text(markdown: str) -> str:
    """Markdown of one sentence as plain text, for meta descriptions and tooltips (formulas as typed text)."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    formulas: list[str] = []

    def keep(match: re.Match[str]) -> str:  # a formula's _ and * are not emphasis
        formulas.append(plain_formulas(match.group(0)))
        return f"\0{len(formulas) - 1}\0"

    text = re.sub(r"[*_`]", "", FORMULA.sub(keep, text)).strip()
    return re.sub("\0([0-9]+)\0", lambda match: formulas[int(match.group(1))], text)


def fence(code: str) -> str:
    """A backtick fence longer than any run of backticks inside `code`."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def table_cell(markdown: str) -> str:
    """Markdown fit for one table cell: on one line, with pipes escaped."""
    return " ".join(markdown.split()).replace("|", "\\|")
