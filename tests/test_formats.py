"""Figures and country names as each language writes them (CLDR through Babel), in what
the office and the clerks read: messages, validation prompts, summary tables."""

import pytest

from rapporteur.definition import load_definition
from rapporteur.messages import Number, message
from rapporteur.summary_output import shown

DEFINITION = load_definition()


@pytest.mark.parametrize(
    ("value", "es", "en"),
    [
        (21611, "21.611", "21,611"),
        (12.5, "12,5", "12.5"),
        (1.234, "1,234", "1.234"),  # as typed: one point two three four, not 1,23
        (1234567.25, "1.234.567,25", "1,234,567.25"),
        (0, "0", "0"),
    ],
)
def test_a_figure_in_a_sentence_has_the_language_separators_and_every_decimal(value, es, en):
    found = message("value.not_whole_number", found=Number(value))
    assert found.render("es") == f"Se esperaba un número entero y se encontró {es}."
    assert found.render("en") == f"A whole number was expected; found {en}."


def test_a_summary_figure_has_one_decimal_at_most():
    assert [shown(v, "es") for v in (21611, 23.94, 42.0, None)] == ["21.611", "23,9", "42", "—"]
    assert shown(23.94, "en") == "23.9"


def test_country_names_are_cldr_in_each_language():
    countries = {code.code: code for code in DEFINITION.codelist("citizenship")}
    for code, es, en in [
        ("MA", "Marruecos", "Morocco"),
        ("US", "Estados Unidos", "United States"),
        ("RO", "Rumanía", "Romania"),
        ("TW", "Taiwán", "Taiwan"),
        ("NG", "Nigeria", "Nigeria"),
    ]:
        assert (countries[code].es, countries[code].en) == (es, en)
    assert countries["XX"].es == "Apátrida"
