import re
import string

import pytest

from rapporteur.messages import CATALOGUE, LANGUAGES


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    texts = CATALOGUE[key]
    assert set(texts) == set(LANGUAGES)
    assert all(text.strip() for text in texts.values())
    assert placeholders(texts["es"]) == placeholders(texts["en"])


def test_spanish_messages_use_spanish_quotes_and_english_ones_do_not():
    for key, texts in CATALOGUE.items():
        assert not re.search(r"«|»", texts["en"]), key


def test_figures_in_sentences_are_written_as_each_language_writes_them():
    from rapporteur.messages import Number

    assert Number(61165).render("es") == "61.165"
    assert Number(61165).render("en") == "61,165"
    assert Number(1234.5).render("es") == "1.234,50"
    assert Number(12.0).render("en") == "12"
