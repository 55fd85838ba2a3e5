"""The words glossgen's pages, notebooks and exports use around entry text: their English source.

Every message has a context (the key templates use, as in `labels.category`) and its English
text. Translations live in gettext catalogs (`glossgen/locale/<language>/LC_MESSAGES/glossgen.po`)
made with Babel's tools from this file:

    pybabel extract --no-default-keywords -k pgettext:1c,2 -k npgettext:1c,2,3 --add-comments=NOTE \
        -o plugins/glossgen/locale/glossgen.pot plugins/glossgen/core/messages.py
    pybabel update -i plugins/glossgen/locale/glossgen.pot -d plugins/glossgen/locale -D glossgen

(`make catalogs` runs both.) `{name}` is a placeholder that a translation keeps as it is.
"""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    key: str
    text: str
    plural: str | None = None


def pgettext(key: str, text: str) -> Message:
    """Marks a message for `pybabel extract`; glossgen looks it up in the catalogs at build time."""
    return Message(key, text)


def npgettext(key: str, text: str, plural: str) -> Message:
    """Marks a message that has plural forms (`{count}` chooses the form)."""
    return Message(key, text, plural)


MESSAGES: tuple[Message, ...] = (
    # NOTE: The labels of a term's facts, shown as a definition list on its page.
    pgettext("abbreviation", "Abbreviation"),
    pgettext("synonyms", "Also called"),
    pgettext("deprecated", "Avoid"),
    # NOTE: The label of a usage note: which word practitioners use, and pitfalls of the term.
    pgettext("usage", "Usage"),
    # NOTE: Heading of the grammatical gender of a term: the article a noun takes (de/het, der/die/das, le/la).
    pgettext("gender", "Article"),
    pgettext("plural", "Plural"),
    pgettext("category", "Category"),
    pgettext("related", "Related concepts"),
    pgettext("sources", "Sources"),
    pgettext("examples", "Worked examples"),
    # NOTE: What a worked example's script prints.
    pgettext("output", "Output"),
    pgettext("download", "Download"),
    pgettext("notebook", "Jupyter notebook"),
    pgettext("last_changed", "Last changed"),
    # NOTE: A table comparing each figure a snippet computes with the figure a paper published.
    pgettext("published", "Published figures"),
    pgettext("computed", "Computed"),
    pgettext("published_value", "Published"),
    pgettext("result", "Result"),
    pgettext("source", "Source"),
    pgettext("agrees", "agrees at the published precision"),
    pgettext("differs", "differs from the computed count"),
    # NOTE: {language} is the name of the site's default language, as CLDR writes it in this language
    # (English, anglais, Englisch). Rephrase freely (a parenthesis helps) where the name would need inflection.
    pgettext("outdated_notice", "This text may be out of date: the text in {language} has changed since it was translated."),
    pgettext("back_to_citation", "Back to where it is cited"),
    # NOTE: The alphabetical index. Name your own alphabet's range (the Swedish index is "Ordlista A–Ö").
    pgettext("index_title", "Glossary A–Z"),
    # NOTE: "English" here means the page's own language: name yours (in Dutch alphabetical order, ...).
    pgettext("index_intro", "Every concept in the glossary, in English alphabetical order."),
    pgettext("categories_title", "Categories"),
    pgettext("categories_intro", "The glossary's concepts, grouped by topic."),
    npgettext("concept_count", "{count} concept", "{count} concepts"),
    pgettext("print_title", "The whole glossary"),
    pgettext("print_intro", "Every concept on one page, with its worked examples, ready to print as a handout."),
    pgettext("examples_title", "Worked examples"),
    pgettext("examples_intro", "Every worked example of the glossary: a standalone NumPy script, the figures it computes, "
                               "and the concepts that use them."),
    pgettext("used_by", "Used by"),
    pgettext("value", "Value"),
    pgettext("status_title", "Translation status"),
    # NOTE: {language} is the name of the site's default language, as in outdated_notice.
    pgettext("status_intro", "How many concepts are complete in each language, and which translations lag behind the "
                             "text in {language}."),
    pgettext("language", "Language"),
    # NOTE: Column headings of the translation status table: numbers of concepts in each state.
    pgettext("complete", "Complete"),
    pgettext("unfinished", "Unfinished"),
    pgettext("outdated", "Outdated"),
    pgettext("missing", "Missing"),
    # NOTE: Row headings of a table that compares concepts aspect by aspect.
    pgettext("definition", "Definition"),
    pgettext("aspect_when_set", "When it is set"),
    pgettext("aspect_examples", "Examples"),
    pgettext("aspect_optimized_by", "How it gets its value"),
    pgettext("aspect_typical_count", "Typical number"),
    pgettext("aspect_cost", "Cost"),
    pgettext("aspect_transferability", "Transferability"),
    # NOTE: A comment in the first cell of a downloadable Jupyter notebook.
    pgettext("notebook_needs_numpy", "The examples below need NumPy: if this cell fails, run pip install numpy."),
    # NOTE: A notice on a page of the live preview (mkdocs serve) while it waits to be rebuilt.
    pgettext("preview_stale", "Preview: this page still shows the glossary as it was before your latest edits. "
                              "It is brought up to date a few seconds after you stop saving."),
    # NOTE: The summary line of llms.txt, the site's index for language models.
    npgettext("llms_summary",
              "{count} machine-learning concept, with the term in common use, a one-sentence definition and an "
              "explanation; the figures in the text are computed by runnable NumPy snippets, not typed by hand.",
              "{count} machine-learning concepts, each with the term in common use, a one-sentence definition and an "
              "explanation; the figures in the text are computed by runnable NumPy snippets, not typed by hand."),
    pgettext("full_text", "Full text"),
    pgettext("full_text_note", "every concept with its definition, explanation and sources, in one Markdown file"),
)
