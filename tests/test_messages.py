"""The catalogues: every sentence has its translation, with the same placeholders and its
plural forms, and the files translators and the program read are up to date with the code."""

import io
import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rapporteur.catalogues import DOMAINS, catalogue_path, templates
from rapporteur.definition import WRITTEN_IN, load_definition
from rapporteur.messages import (
    CATALOGUE,
    LANGUAGES,
    LOCALE_FOLDER,
    SOURCE_LANGUAGE,
    Number,
    message,
)

# The catalogues as translators edit them, in the checkout; the program reads the compiled
# ones where it is installed (LOCALE_FOLDER), which in CI is not the checkout.
PROJECT = Path(__file__).resolve().parent.parent
SOURCES = PROJECT / "rapporteur" / "locale"
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
# The definition's own languages need no catalogue of the questionnaire's texts.
CATALOGUES = [
    (domain, language)
    for domain in DOMAINS
    for language in TRANSLATED
    if not (domain == "questionnaire" and language in WRITTEN_IN)
]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def entries(catalogue):
    return {(m.context, m.id): m for m in catalogue if m.id}


@cache
def declared():
    """Each domain's template as the code declares it today (extracting takes seconds)."""
    return templates(PROJECT)


def wanted(domain):
    """{(context, source)} of a domain, as the code declares it today."""
    return frozenset(entries(declared()[domain]))


def po_file(language, domain="rapporteur"):
    with catalogue_path(PROJECT, language, domain).open("rb") as handle:
        return read_po(handle, locale=language, domain=domain)


def test_the_markers_declare_every_sentence_of_the_catalogue():
    declared = {
        (key, e.text if e.plural is None else (e.text, e.plural)) for key, e in CATALOGUE.items()
    }
    found = {(context, text) for context, text in wanted("rapporteur")}
    assert declared == {entry for entry in found if not entry[0].endswith(".toml")}


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_templates_translators_start_from_are_up_to_date(domain):
    with (SOURCES / f"{domain}.pot").open("rb") as handle:
        committed = entries(read_po(handle))
    assert set(committed) == wanted(domain), "run python -m rapporteur.catalogues"


@pytest.mark.parametrize(("domain", "language"), CATALOGUES)
def test_every_text_is_translated_with_the_same_placeholders(domain, language):
    catalogue = po_file(language, domain)
    translated = entries(catalogue)
    assert set(translated) == wanted(domain), "run python -m rapporteur.catalogues"
    for (key, source), found in translated.items():
        assert not found.fuzzy, key
        plural = isinstance(source, tuple)
        forms = found.string if plural else (found.string,)
        assert len(forms) == (catalogue.num_plurals if plural else 1), key
        sources_ = source if plural else (source,)
        needed = set().union(*(placeholders(text) for text in sources_))
        count = CATALOGUE[key].count if plural else None
        for form in forms:
            assert form.strip(), f"{key or source} has no {language} translation"
            assert placeholders(form) <= needed, key or source
            assert placeholders(form) >= needed - {count}, key or source


@pytest.mark.parametrize(("domain", "language"), CATALOGUES)
def test_the_compiled_catalogue_is_the_translated_one(domain, language):
    compiled = io.BytesIO()
    write_mo(compiled, po_file(language, domain))
    path = LOCALE_FOLDER / language / "LC_MESSAGES" / f"{domain}.mo"
    assert path.read_bytes() == compiled.getvalue(), "run python -m rapporteur.catalogues"


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sheet_of_the_questionnaire_can_be_named_in_every_language(language):
    for section in load_definition().sections:
        name = section.sheet[language]
        assert 0 < len(name) <= 31 and not set(name) & set(":\\/?*[]"), name


def test_every_kind_of_agency_has_a_short_name_to_head_columns_and_to_be_typed():
    definition = load_definition()
    for kind in definition.kinds:
        assert f"kind.{kind}" in CATALOGUE, kind
    short = {
        language: {message(f"kind.{k}")[language] for k in definition.kinds}
        for language in LANGUAGES
    }
    assert all(len(names) == len(definition.kinds) for names in short.values())
