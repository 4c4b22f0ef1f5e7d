"""The catalogues: every sentence has its translation, with the same placeholders and its
plural forms, and the files translators and the program read are up to date with the code."""

import io
import re
import string

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rapporteur.messages import (
    CATALOGUE,
    DOMAIN,
    LANGUAGES,
    LOCALE_FOLDER,
    SOURCE_LANGUAGE,
    Number,
    message,
)

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
KEYWORDS = {"M": ((1, "c"), 2), "MP": ((1, "c"), 2, 3)}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def po_file(language):
    path = LOCALE_FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def sources():
    """What `pybabel extract` finds in the code: {key: (source text, plural or None)}."""
    found = {}
    path = LOCALE_FOLDER.parent / "messages.py"
    for _, text, _, context in extract_from_file("python", path, keywords=KEYWORDS):
        found[context] = text if isinstance(text, tuple) else (text, None)
    return found


def test_the_markers_declare_every_sentence_of_the_catalogue():
    assert {key: (e.text, e.plural) for key, e in CATALOGUE.items()} == sources()


def test_the_template_translators_start_from_is_up_to_date():
    with (LOCALE_FOLDER / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    found = {
        m.context: (m.id if isinstance(m.id, tuple) else (m.id, None)) for m in template if m.id
    }
    assert found == sources(), "run the extract command of README's «Languages»"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_sentence_is_translated_with_the_same_placeholders(language):
    catalogue = po_file(language)
    translated = {m.context: m for m in catalogue if m.id}
    assert set(translated) == set(CATALOGUE), "run the update command of README's «Languages»"
    for key, entry in CATALOGUE.items():
        found = translated[key]
        assert not found.fuzzy, key
        assert found.id == (entry.text if entry.plural is None else (entry.text, entry.plural)), key
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        assert len(forms) == (catalogue.num_plurals if entry.plural else 1), key
        wanted = placeholders(entry.text) | placeholders(entry.plural or "")
        for form in forms:
            assert form.strip(), f"{key} has no {language} translation"
            assert placeholders(form) <= wanted, key
            assert placeholders(form) >= wanted - {entry.count}, key


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_translated_one(language):
    compiled = io.BytesIO()
    write_mo(compiled, po_file(language))
    path = LOCALE_FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    assert path.read_bytes() == compiled.getvalue(), (
        "run the compile command of README's «Languages»"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sentence_renders_with_sample_arguments(language):
    for key, entry in CATALOGUE.items():
        names = placeholders(entry.text) | placeholders(entry.plural or "")
        params = {
            name: 2 if name in (entry.count, *entry.counts) else f"<{name}>" for name in names
        }
        text = message(key, **params).render(language)
        assert "{" not in text and "<" + "count>" not in text, key
        assert not re.search(r"\(s\)|\(es\)", text), key  # plural forms, not "archivo(s)"


def test_english_sentences_do_not_use_spanish_quotes():
    for key, entry in CATALOGUE.items():
        assert not re.search(r"«|»", entry.text + (entry.plural or "")), key


@pytest.mark.parametrize(
    ("count", "es", "en"),
    [
        (1, "1 archivo: 1 aceptado, 0 sin cambios, 1 rechazado.",
         "1 file: 1 accepted, 0 unchanged, 1 rejected."),
        (2, "2 archivos: 2 aceptados, 0 sin cambios, 2 rechazados.",
         "2 files: 2 accepted, 0 unchanged, 2 rejected."),
        (1000000, "1.000.000 archivos: 1.000.000 aceptados, 0 sin cambios, 1.000.000 rechazados.",
         "1,000,000 files: 1,000,000 accepted, 0 unchanged, 1,000,000 rejected."),
    ],
)  # fmt: skip
def test_counts_agree_with_their_words(count, es, en):
    totals = message("collect.totals", files=count, accepted=count, unchanged=0, rejected=count)
    assert (totals.render("es"), totals.render("en")) == (es, en)


def test_a_sentence_with_one_count_takes_its_plural_form():
    assert (
        message("verify.damaged", count=1).render("es") == "El archivo histórico tiene 1 problema:"
    )
    assert (
        message("verify.damaged", count=3).render("es") == "El archivo histórico tiene 3 problemas:"
    )
    assert message("init.created", path="x", agencies=1).render("en") == (
        "Workspace created in x with 1 agency in the registry."
    )


def test_figures_in_sentences_are_written_as_each_language_writes_them():
    assert Number(61165).render("es") == "61.165"
    assert Number(61165).render("en") == "61,165"
    assert Number(1234.5).render("es") == "1.234,5"
    assert Number(12.0).render("en") == "12"
