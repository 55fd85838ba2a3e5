"""TeX as readable plain text, for what cannot typeset it: tooltips, meta descriptions, the search index.

Formulas in entry text are TeX between \\( and \\) (or \\[ and \\]); KaTeX typesets them in
the page. Elsewhere `plain_formulas` writes them the way one would type them: `2·d·r`,
`softmax(QKᵀ/√d_k)V`, `Wx + BAx`.
"""

from __future__ import annotations

import re
from types import MappingProxyType

FORMULA = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_SYMBOLS = MappingProxyType({
    r"\lt": "<", r"\gt": ">", r"\cdot": "·", r"\times": "×", r"\top": "ᵀ", r"\approx": "≈", r"\le": "≤", r"\ge": "≥", r"\neq": "≠",
    r"\ll": "≪", r"\gg": "≫", r"\sum": "∑", r"\in": "∈", r"\to": "→", r"\infty": "∞", r"\pm": "±",
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\lambda": "λ", r"\sigma": "σ", r"\theta": "θ", r"\eta": "η",
    r"\ldots": "…", r"\dots": "…", r"\,": " ", r"\;": " ", r"\quad": " ", r"\!": "", r"\left": "", r"\right": "",
})
_COMMAND_WITH_TEXT = re.compile(r"\\(?:text|mathrm|mathbf|mathit|operatorname|mathsf)\s*\{([^{}]*)\}")
_FRACTION = re.compile(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_ROOT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_SUPERSCRIPT = re.compile(r"\^(?:\{\\top\}|\\top(?![A-Za-z]))|\^T\b")
_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_formula(tex: str) -> str:
    """One formula's TeX as text."""
    text, before = tex, None
    while text != before:  # innermost groups first: \frac{QK^\top}{\sqrt{d_k}}
        before = text
        text = _COMMAND_WITH_TEXT.sub(r"\1", text)
        text = _SUPERSCRIPT.sub("ᵀ", text)
        text = _ROOT.sub(lambda match: f"√{_grouped(match.group(1))}", text)
        text = _FRACTION.sub(lambda match: f"{_grouped(match.group(1))}/{_grouped(match.group(2))}", text)
    text = re.sub(r"\^\{?([0-9]+)\}?", lambda match: match.group(1).translate(_DIGITS), text)
    for command in sorted(_SYMBOLS, key=len, reverse=True):
        text = re.sub(re.escape(command) + r"(?![A-Za-z])", _SYMBOLS[command], text)
    text = re.sub(r"_\{([^{}]*)\}", r"_\1", text).replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", re.sub(r"\s*·\s*", "·", text)).strip()


def protect_formulas(markdown: str) -> str:
    """Formulas with `<` and `>` written as TeX's \\lt and \\gt: inside an HTML block (md_in_html, as the
    whole-glossary page wraps each entry) Python-Markdown reads `x_{<i}` as the start of an <i> tag."""
    def protect(match: re.Match) -> str:
        return match.group(0).replace("<", r"\lt{}").replace(">", r"\gt{}")
    return FORMULA.sub(protect, markdown)


def plain_formulas(text: str) -> str:
    """Every formula in `text` as plain text."""
    return FORMULA.sub(lambda match: plain_formula(match.group(1) or match.group(2)), text)


def _grouped(text: str) -> str:
    return text if re.fullmatch(r"[\w√ᵀ]+", text.strip()) else f"({text})"
