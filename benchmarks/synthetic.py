"""A synthetic glossgen project of any size, written into a folder.

The project imitates the real one (`mkdocs.yml`, `glossary/`, `snippets/`, `docs/`):
N concepts in four languages with 150-250 words of pseudo-text per language, figure
calls, links, citations, related ids, grammatical genders, and one worked NumPy example
per entry out of about N/10 snippets. Words are made of per-language syllables, so
terms are distinct per language, sort like words (some Swedish and German terms start
with Å, Ä, Ö or Ü) and the search index sees a realistic spread of vocabulary.
Generation is deterministic: the same size always gives the same project.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.helpers import mkdocs_yml as site_config  # noqa: E402 - the tests' fixture site, the same mkdocs.yml

LANGUAGES = ("en", "nl", "sv", "de")
GENDERS = {"nl": ("de", "het"), "sv": ("en", "ett"), "de": ("der", "die", "das")}
CATEGORY_IDS = ("basics", "training", "architectures", "language-models", "fine-tuning", "efficiency")
SOURCE_COUNT = 12

SYLLABLES = {
    "en": "ar ben cal dor el fen gra hol in jor kel lan mor nel or pen quin ras sel tor ul ven wil yar zen tha"
          " ster ble ment ing",
    "nl": "aan be cor dijk een ge hou ij kla lo maar noo oe pel raa sche ter uit ver waa zee lijk heid ing"
          " sel",
    "sv": "all bar dal enk fjä gär hål inn kyl lös mör när ost på rök sjö tå und vär ytt ning het lig skap",
    "de": "ab bau chen dur ein fla gen hal ien kraf lei mer nah ob pfl rau sch tei ung ver wel zug keit"
          " heit lich",
}
# Initials that exercise locale-aware sorting: Swedish sorts Å Ä Ö after Z, German files Ä Ö Ü under A O U.
SPECIAL_INITIALS = {"sv": ("å", "ä", "ö"), "de": ("ä", "ö", "ü")}
FUNCTION_WORDS = {
    "en": "the of a is in and that with for to as by on this which are it from".split(),
    "nl": "de het een van en is dat met voor in op als door die wordt zijn bij".split(),
    "sv": "och en ett är som med för av att i på den det till från de vid".split(),
    "de": "der die das und ist mit für von ein eine in auf als durch wird sich bei".split(),
}
CATEGORY_NAMES = {
    "en": "Basics Training Architectures Language-models Fine-tuning Efficiency",
    "nl": "Basis Training Architecturen Taalmodellen Fine-tuning Efficiëntie",
    "sv": "Grunder Träning Arkitekturer Språkmodeller Finjustering Effektivitet",
    "de": "Grundlagen Training Architekturen Sprachmodelle Feinabstimmung Effizienz",
}
HOME_TITLES = {"en": "Glossary", "nl": "Woordenlijst", "sv": "Ordlista", "de": "Glossar"}

SNIPPET = '''\
"""Synthetic worked example {k}: parameters of a stack of dense layers."""
import numpy as np

widths = {widths}
layers = [np.zeros((d_out, d_in), dtype=np.float32) for d_in, d_out in zip(widths, widths[1:])]
weights = sum(layer.size for layer in layers)
biases = sum(widths[1:])
results = {{
    "weights": weights,
    "biases": biases,
    "total": weights + biases,
    "scaled": (weights + biases) * {scale},
    "bias_share": biases / (weights + biases),
}}
for index, layer in enumerate(layers):
    print(f"layer {{index}}: {{layer.shape[1]}} -> {{layer.shape[0]}}: {{layer.size + layer.shape[0]:,}} parameters")
print(f"total: {{results['total']:,}}")
'''


@dataclass
class Vocabulary:
    """Pseudo-words of one language, drawn with Zipf-like frequencies."""

    language: str
    rng: random.Random
    words: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        while len(self.words) < 1500:
            word = make_word(self.rng, self.language, self.rng.randint(1, 4))
            if word not in seen:
                seen.add(word)
                self.words.append(word)
        self.weights = list(accumulate(rank ** -0.8 for rank in range(1, len(self.words) + 1)))

    def sentence(self, length: int) -> list[str]:
        functions = FUNCTION_WORDS[self.language]
        words = [self.rng.choice(functions) if self.rng.random() < 0.35
                 else self.rng.choices(self.words, cum_weights=self.weights)[0] for _ in range(length)]
        return words


@dataclass(frozen=True)
class Concept:
    id: str
    category: str
    terms: dict[str, str]
    genders: dict[str, str]
    related: list[str]
    links: list[str]
    source: str
    example: str


def make_word(rng: random.Random, language: str, syllables: int, initial: str = "") -> str:
    parts = SYLLABLES[language].split()
    return initial + "".join(rng.choice(parts) for _ in range(syllables))


def make_terms(rng: random.Random, count: int) -> dict[str, list[str]]:
    """`count` distinct terms per language; every seventh Swedish and German term gets a special initial."""
    terms: dict[str, list[str]] = {}
    for language in LANGUAGES:
        seen: set[str] = set()
        found: list[str] = []
        while len(found) < count:
            specials = SPECIAL_INITIALS.get(language)
            initial = rng.choice(specials) if specials and len(found) % 7 == 3 else ""
            words = [make_word(rng, language, rng.randint(2, 3), initial)]
            if rng.random() < 0.3:
                words.append(make_word(rng, language, rng.randint(1, 2)))
            term = " ".join(word.capitalize() if language == "de" else word for word in words)
            if term not in seen:
                seen.add(term)
                found.append(term)
        terms[language] = found
    return terms


def make_concepts(count: int, snippet_count: int, rng: random.Random) -> list[Concept]:
    terms = make_terms(rng, count)
    ids = [terms["en"][index].replace(" ", "-") for index in range(count)]
    concepts = []
    for index, entry_id in enumerate(ids):
        concepts.append(Concept(
            id=entry_id,
            category=CATEGORY_IDS[index % len(CATEGORY_IDS)],
            terms={language: terms[language][index] for language in LANGUAGES},
            genders={language: rng.choice(choices) for language, choices in GENDERS.items()},
            related=_sample_excluding(rng, ids, entry_id, rng.randint(2, 4)),
            links=_sample_excluding(rng, ids, entry_id, rng.randint(2, 4)),
            source=f"src{index % SOURCE_COUNT:02d}",
            example=f"ex_{index % snippet_count}",
        ))
    return concepts


def _sample_excluding(rng: random.Random, ids: Sequence[str], excluded: str, k: int) -> list[str]:
    """`k` distinct ids other than `excluded` (the glossary has at least six)."""
    chosen: list[str] = []
    while len(chosen) < k:
        candidate = rng.choice(ids)
        if candidate != excluded and candidate not in chosen:
            chosen.append(candidate)
    return chosen


def body_text(concept: Concept, language: str, vocabulary: Vocabulary, rng: random.Random) -> str:
    """150-250 words in two or three paragraphs, with figure, link and cite calls spread through them."""
    snippet = concept.example
    calls = [f'{{{{ n("{snippet}.total") }}}}', f'{{{{ approx("{snippet}.scaled") }}}}']
    if rng.random() < 0.5:
        calls.append(f'{{{{ n("{snippet}.weights") }}}}')
    calls += [f'{{{{ link("{target}") }}}}' for target in concept.links]
    calls.append(f'{{{{ cite("{concept.source}") }}}}')
    rng.shuffle(calls)
    target_words = rng.randint(150, 250)
    sentences: list[list[str]] = [[concept.terms[language], *vocabulary.sentence(rng.randint(6, 12))]]
    while sum(len(sentence) for sentence in sentences) < target_words:
        sentences.append(vocabulary.sentence(rng.randint(6, 16)))
    for call in calls:  # one call per sentence, at a random place inside it
        sentence = rng.choice(sentences[1:] or sentences)
        sentence.insert(rng.randint(1, len(sentence)), call)
    for sentence in rng.sample(sentences, k=min(3, len(sentences))):
        position = rng.randrange(len(sentence))
        if not sentence[position].startswith("{{"):
            sentence[position] = rng.choice(("*{}*", "`{}`", "**{}**")).format(sentence[position])
    paragraphs = _split(sentences, rng.randint(2, 3))
    return "\n\n".join(_wrap(" ".join(_sentence_text(sentence) for sentence in paragraph)) for paragraph in paragraphs)


def _sentence_text(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "." if not text.startswith("{{") else text + "."


def _split(items: list, parts: int) -> list[list]:
    size = -(-len(items) // parts)
    return [items[start:start + size] for start in range(0, len(items), size)]


def _wrap(text: str, width: int = 96) -> str:
    """Wrap at spaces outside template calls, so no `{{ ... }}` is split across lines."""
    tokens, depth, current = [], 0, ""
    for word in text.split(" "):
        current = f"{current} {word}" if current else word
        depth += word.count("{{") - word.count("}}")
        if depth == 0:
            tokens.append(current)
            current = ""
    lines, line = [], ""
    for token in tokens:
        if line and len(line) + 1 + len(token) > width:
            lines.append(line)
            line = token
        else:
            line = f"{line} {token}" if line else token
    return "\n".join(lines + [line])


def entry_yaml(concept: Concept, vocabularies: dict[str, Vocabulary], rng: random.Random) -> str:
    quoted = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - JSON strings are YAML
    lines = [f"id: {concept.id}", f"category: {concept.category}", "pos: noun",
             f"related: [{', '.join(concept.related)}]", f"sources: [{concept.source}]",
             f"examples: [{concept.example}]"]
    for language in LANGUAGES:
        vocabulary = vocabularies[language]
        term = concept.terms[language]
        lines += [f"{language}:", f"  term: {quoted(term)}"]
        if language in concept.genders:
            lines.append(f"  gender: {concept.genders[language]}")
        if rng.random() < 0.3:
            lines.append(f"  synonyms: [{quoted(make_word(rng, language, 3))}]")
        short = _sentence_text(vocabulary.sentence(rng.randint(10, 18)))
        lines += [f"  short: {quoted(short)}", "  body: |"]
        lines += [f"    {line}" if line else "" for line in body_text(concept, language, vocabulary, rng).split("\n")]
    return "\n".join(lines) + "\n"


def snippet_source(k: int, rng: random.Random) -> str:
    widths = [rng.choice((64, 128, 256, 512, 768, 1024, 2048, 4096)) for _ in range(rng.randint(3, 5))]
    return SNIPPET.format(k=k, widths=widths, scale=rng.randint(1_000, 90_000))


def categories_yaml() -> str:
    names = {language: CATEGORY_NAMES[language].split() for language in LANGUAGES}
    lines = []
    for index, category_id in enumerate(CATEGORY_IDS):
        lines.append(f"{category_id}:")
        for language in LANGUAGES:
            name = names[language][index]
            lines.append(f"  {language}: {{name: {name}, description: \"{name}: synthetic category {index + 1}.\"}}")
    return "\n".join(lines) + "\n"


def sources_yaml() -> str:
    return "".join(
        f"src{index:02d}:\n  title: Synthetic source number {index}\n  authors: Author{index} et al.\n"
        f"  year: {1990 + index}\n  url: https://example.org/papers/{index}\n"
        for index in range(SOURCE_COUNT))


def home_page(language: str) -> str:
    return (f"# {HOME_TITLES[language]}\n\nA synthetic benchmark glossary ({language}).\n\n"
            "- [A-Z](glossary/index.md)\n- [Categories](glossary/categories/index.md)\n")


def mkdocs_yml(with_glossgen: bool) -> str:
    return site_config(site_name="Synthetic glossary", site_url="https://glossary.example.org/", with_glossgen=with_glossgen)


def snippet_count_for(concepts: int) -> int:
    return max(1, round(concepts / 10))


def write_project(root: Path, concepts: int, seed: int = 2024) -> list[Concept]:
    """Write a complete glossgen project with `concepts` entries into `root` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed + concepts)
    snippets = snippet_count_for(concepts)
    written = make_concepts(concepts, snippets, rng)
    vocabularies = {language: Vocabulary(language, random.Random(f"{seed}-{language}")) for language in LANGUAGES}
    _write(root / "mkdocs.yml", mkdocs_yml(with_glossgen=True))
    for language in LANGUAGES:
        suffix = "" if language == "en" else f".{language}"
        _write(root / f"docs/index{suffix}.md", home_page(language))
    _write(root / "glossary/_categories.yml", categories_yaml())
    _write(root / "glossary/_sources.yml", sources_yaml())
    for k in range(snippets):
        _write(root / f"snippets/ex_{k}.py", snippet_source(k, rng))
    for concept in written:
        _write(root / f"glossary/{concept.id}.yml", entry_yaml(concept, vocabularies, rng))
    return written


def write_baseline(root: Path, glossgen_project: Path) -> None:
    """The same site as plain Markdown: glossgen's generated pages copied in as ordinary files, no glossgen."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(glossgen_project / "docs", root / "docs")
    # The generated pages link to ../snippets/<name>.py; glossgen adds those files, here they are docs files.
    shutil.copytree(glossgen_project / "snippets", root / "docs/snippets")
    _write(root / "mkdocs.yml", mkdocs_yml(with_glossgen=False))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
