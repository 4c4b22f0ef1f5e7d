"""Figures and place names as each language writes them, from CLDR through Babel.

Spanish groups thousands with a point and writes decimals with a comma (21.611; 12,5), English
the other way round, and each language has its own name for every country (Marruecos,
Morocco). CLDR is where those rules are kept up to date; writing them by hand is how
"sobre 21611 personas" came to sit beside "21.611". Babel is imported on first use, not
when the command line starts.
"""

import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

    from rapporteur.messages import Language

# Each language as written in Spain (es_ES, ca_ES); English as in the EU's texts, with
# day-first dates.
LOCALES = {"es": "es_ES", "en": "en_IE", "ca": "ca_ES"}


@cache
def _locale(language: "Language") -> "Locale":
    from babel import Locale

    return Locale.parse(LOCALES[language])


def number(value: int | float, language: "Language", decimals: int | None = None) -> str:
    """A figure with the language's separators. `decimals` fixes how many are written;
    without it, a figure is written with every decimal it has (what a clerk typed, 1,234,
    is not rounded to 1,23)."""
    from babel.numbers import format_decimal

    if isinstance(value, float) and value.is_integer() and decimals is None:
        value = int(value)
    if decimals is None:
        return format_decimal(value, locale=_locale(language), decimal_quantization=False)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(language))


def country(code: str, language: "Language") -> str | None:
    """A country's or territory's name as CLDR spells it in the language, None if CLDR has
    no name for the code."""
    return _locale(language).territories.get(code)


def euros(value: int | float, language: "Language") -> str:
    """An amount as the language writes euros: 95.224,10 € (es, ca), €95,224.10 (en)."""
    from babel.numbers import format_currency

    return format_currency(value, "EUR", locale=_locale(language))


def percent(value: int | float, language: "Language", signed: bool = False) -> str:
    """A percentage, given in percent (42.5 for 42,5 %), always with one decimal: the one
    rule for every share the tool writes."""
    from babel.numbers import format_percent

    pattern = _locale(language).percent_formats[None].pattern.replace("#,##0", "#,##0.0")
    text = format_percent(value / 100, format=pattern, locale=_locale(language))
    return ("+" + text) if signed and value > 0 else text


def day(value: datetime.date, language: "Language") -> str:
    """A date in a sentence: 15 de enero de 2019 (tables and forms write 15/01/2019)."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=_locale(language))


def language_name(code: str, language: "Language") -> str:
    """A language's name in another, as CLDR writes it: catalán, Catalan, català."""
    return _locale(language).languages.get(code, code)


def decimal_sign(language: "Language") -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(_locale(language))


def shown(value: Any, language: "Language", unit: str | None = None) -> str:
    """Any value for a sentence or a cell: figures with separators, except years, which
    nobody writes 2.018; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if unit == "year" and float(value).is_integer():
        return str(int(value))
    return number(value, language)
