"""Figures written for a reader's locale, from CLDR data through Babel.

`exact` groups digits the locale's way (6,738,415,616 / 6.738.415.616 / 6 738 415 616).
`approx` rounds to significant digits and names the scale in words (6.7 billion,
6,7 miljard, 6,7 miljarder, 6,7 Milliarden), and past CLDR's last scale word (10^14)
in scientific notation with the locale's multiplication sign (3.14 × 10²³, 3,14 × 10²³). Babel's own compact formatting picks the
scale before rounding ("1000 million") and the plural form from the unrounded value
("1 miljarder"); here the number is rounded first and the word agrees with the digits
as shown, using the same CLDR patterns and plural rules.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent

#: Below this, rounded figures are written out in digits; from here on, with a scale word.
SCALE_WORDS_FROM = Decimal(10) ** 6
#: From here on, in scientific notation: CLDR's scale words end at hundreds of trillions.
SCIENTIFIC_FROM = Decimal(10) ** 15
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def exact(value: int | float | Decimal, locale: str) -> str:
    """All digits, grouped for the locale."""
    return format_decimal(value, locale=locale, decimal_quantization=False, numbering_system="default")


def round_significant(value: int | float | Decimal, digits: int) -> Decimal:
    """Round half-even to `digits` significant digits."""
    number = Decimal(str(value))
    if number == 0:
        return Decimal(0)
    exponent = number.adjusted() - digits + 1
    return number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


def approx(value: int | float | Decimal, locale: str, digits: int = 2) -> str:
    """Rounded to `digits` significant digits, with the locale's scale word from a million up."""
    rounded = round_significant(value, digits)
    if abs(rounded) < SCALE_WORDS_FROM:
        return format_decimal(rounded, locale=locale, format="#,##0.###############", numbering_system="default")
    if abs(rounded) >= SCIENTIFIC_FROM:
        return scientific(value, locale, digits)
    babel_locale = Locale.parse(locale)
    patterns = babel_locale.compact_decimal_formats["long"]
    magnitude = 10 ** min(abs(rounded).adjusted(), 14)
    # A pattern's zeros say how many integer digits are shown: "00 miljard" at 10^10.
    other = patterns["other"][str(magnitude)]
    shown_integer_digits = other.int_prec[0]
    divisor = Decimal(magnitude) / Decimal(10) ** (shown_integer_digits - 1)
    mantissa = (rounded / divisor).normalize()
    if mantissa == mantissa.to_integral_value():
        mantissa = mantissa.quantize(Decimal(1))
    plural = babel_locale.plural_form(mantissa)
    pattern = patterns.get(plural, patterns["other"]).get(str(magnitude), other)
    digits_text = _plain(mantissa, locale)
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    return f"{prefix}{digits_text}{suffix}"


def scientific(value: int | float | Decimal, locale: str, digits: int = 3) -> str:
    """Rounded to `digits` significant digits, as mantissa × 10 to a superscript power (3.14 × 10²³)."""
    rounded = round_significant(value, digits)
    exponent = rounded.adjusted()
    mantissa = rounded.scaleb(-exponent)
    babel_locale = Locale.parse(locale)
    symbols = babel_locale.number_symbols[babel_locale.default_numbering_system]
    times = symbols.get("superscriptingExponent", "×")
    # No-break spaces: the figure never breaks across lines.
    return f"{_plain(mantissa, locale)}\u00a0{times}\u00a010{str(exponent).translate(_SUPERSCRIPT)}"


def percent(value: int | float | Decimal, locale: str, digits: int = 2) -> str:
    """A fraction (0.0031) as a percentage rounded to `digits` significant digits (0.31%)."""
    rounded = round_significant(value, digits)
    return format_percent(rounded, locale=locale, decimal_quantization=False, numbering_system="default")


def _plain(number: Decimal, locale: str) -> str:
    return format_decimal(number, locale=locale, format="0.###############", numbering_system="default")
