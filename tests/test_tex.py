"""Formulas as readable text where nothing typesets them: tooltips, descriptions, the search index."""

from __future__ import annotations

import pytest

from glossgen.core.markdown import plain_text
from glossgen.core.tex import plain_formulas, protect_formulas


@pytest.mark.parametrize(("tex", "text"), [
    (r"\(2 \cdot d \cdot r\)", "2·d·r"),
    (r"\(Wx + BAx\)", "Wx + BAx"),
    (r"\(\operatorname{softmax}\left(QK^\top / \sqrt{d_k}\right)V\)", "softmax(QKᵀ / √d_k)V"),
    (r"\(\frac{a + b}{2}\)", "(a + b)/2"),
    (r"\(10^{9} \times \eta\)", "10⁹ × η"),
    (r"\[y = m x + b\]", "y = m x + b"),
    (r"costs \(2 \cdot m \cdot d\) weights plus \(d + m\)", "costs 2·m·d weights plus d + m"),
])
def test_formulas_read_as_typed_text(tex: str, text: str) -> None:
    assert plain_formulas(tex) == text


def test_a_tooltip_keeps_a_formulas_underscores_and_drops_markdown() -> None:
    assert plain_text(r"A *square* [matrix](w.md) of \(d_{\text{model}} \cdot r\) `x`.") == "A square matrix of d_model·r x."


def test_a_formula_with_a_less_than_sign_survives_inside_an_html_block() -> None:
    """The whole-glossary page wraps each entry in <div markdown>; there `x_{<i}` was read as an <i> tag."""
    import markdown

    text = protect_formulas(r"Probabilities \(p(x_i \mid x_{<i})\) and \[a > b\].") + "\n\nThe next paragraph."
    assert r"x_{\lt{}i}" in text and r"a \gt{} b" in text and "3 < 4" in protect_formulas("3 < 4")
    html = markdown.markdown(f'<div class="entry" markdown>\n\n{text}\n\n</div>\n\nAfter the entry.',
                             extensions=["md_in_html", "pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})
    assert "The next paragraph." in html and "After the entry." in html and "<i>" not in html
    assert plain_formulas(text.split("\n")[0]) == "Probabilities p(x_i \\mid x_<i) and a > b."
