"""Figures in each locale's own words: grouping, scale words, plural agreement, rollover."""

from __future__ import annotations

import pytest

from glossgen.core.numbers import approx, exact, percent

LOCALES = ("en", "nl", "sv", "de")


@pytest.mark.parametrize(("value", "expected"), [
    (6_738_415_616, ("6,738,415,616", "6.738.415.616", "6\u00a0738\u00a0415\u00a0616", "6.738.415.616")),
    (500_500, ("500,500", "500.500", "500\u00a0500", "500.500")),
])
def test_exact_groups_digits_per_locale(value: int, expected: tuple[str, ...]) -> None:
    assert tuple(exact(value, locale) for locale in LOCALES) == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (6_738_415_616, 2, ("6.7 billion", "6,7 miljard", "6,7 miljarder", "6,7 Milliarden")),
    (1_760_000_000_000, 3, ("1.76 trillion", "1,76 biljoen", "1,76 biljoner", "1,76 Billionen")),
    (68_976_648_192, 2, ("69 billion", "69 miljard", "69 miljarder", "69 Milliarden")),
    # singular agrees with the number as shown
    (1_000_000_000, 2, ("1 billion", "1 miljard", "1 miljard", "1 Milliarde")),
    (1_040_000_000, 2, ("1 billion", "1 miljard", "1 miljard", "1 Milliarde")),
    (1_000_000, 1, ("1 million", "1 miljoen", "1 miljon", "1 Million")),
    # rounding that reaches the next scale moves to the next word
    (999_960_000, 2, ("1 billion", "1 miljard", "1 miljard", "1 Milliarde")),
    (999_499_999, 3, ("999 million", "999 miljoen", "999 miljoner", "999 Millionen")),
    (4_718_592, 2, ("4.7 million", "4,7 miljoen", "4,7 miljoner", "4,7 Millionen")),
    # below a million, digits rather than "thousand"
    (500_500, 2, ("500,000", "500.000", "500\u00a0000", "500.000")),
])
def test_approx_uses_the_locale_scale_word(value: int, digits: int, expected: tuple[str, ...]) -> None:
    assert tuple(approx(value, locale, digits) for locale in LOCALES) == expected


def test_long_scale_languages_never_say_triljard() -> None:
    for locale in ("nl", "sv"):
        assert "trilj" not in approx(1.76e12, locale, 3)


def test_percent_follows_locale_spacing() -> None:
    assert [percent(0.000622, locale) for locale in LOCALES] == ["0.062%", "0,062%", "0,062\u00a0%", "0,062\u00a0%"]


@pytest.mark.parametrize(("value", "digits", "expected"), [
    # GPT-3's training compute: past CLDR's last scale word, in scientific notation
    (314_287_666_790_400_000_000_000, 3, ("3.14\u00a0×\u00a010²³", "3,14\u00a0×\u00a010²³", "3,14\u00a0×\u00a010²³",
                                          "3,14\u00a0·\u00a010²³")),
    # rounding that reaches the next power moves the exponent
    (9.96e22, 2, ("1\u00a0×\u00a010²³", "1\u00a0×\u00a010²³", "1\u00a0×\u00a010²³", "1\u00a0·\u00a010²³")),
    (10**15, 2, ("1\u00a0×\u00a010¹⁵", "1\u00a0×\u00a010¹⁵", "1\u00a0×\u00a010¹⁵", "1\u00a0·\u00a010¹⁵")),
])
def test_approx_is_scientific_beyond_the_scale_words(value: float, digits: int, expected: tuple[str, ...]) -> None:
    assert tuple(approx(value, locale, digits) for locale in LOCALES) == expected


def test_the_last_scale_word_is_still_a_word() -> None:
    assert approx(999 * 10**12, "en", 3) == "999 trillion"
