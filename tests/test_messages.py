"""The catalogues: every sentence has its translation, with the same placeholders and its
plural forms, and the files translators and the program read are up to date with the code."""

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
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

# The catalogues as translators edit them, in the checkout; the program reads the compiled
# ones where it is installed (LOCALE_FOLDER).
PROJECT = Path(__file__).resolve().parent.parent
SOURCES = PROJECT / "rapporteur" / "locale"
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
KEYWORDS = {"M": ((1, "c"), 2), "MP": ((1, "c"), 2, 3)}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def po_file(language):
    path = SOURCES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def sources():
    """What `pybabel extract -F babel.cfg` finds: {(context, source text or (singular,
    plural))} of the catalogue's sentences and of the comments of the files init writes."""
    with (PROJECT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _, _, text, _, context in extract_from_dir(
        PROJECT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add((context, text))
    return found


def test_the_markers_declare_every_sentence_of_the_catalogue():
    declared = {
        (key, e.text if e.plural is None else (e.text, e.plural)) for key, e in CATALOGUE.items()
    }
    templates = {(context, text) for context, text in sources() if context.endswith(".toml")}
    assert declared == sources() - templates


def test_the_template_translators_start_from_is_up_to_date():
    with (SOURCES / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    assert {(m.context, m.id) for m in template if m.id} == sources(), (
        "run the extract command of README's «Languages»"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_sentence_is_translated_with_the_same_placeholders(language):
    catalogue = po_file(language)
    translated = {(m.context, m.id): m for m in catalogue if m.id}
    assert set(translated) == sources(), "run the update command of README's «Languages»"
    for (key, source), found in translated.items():
        assert not found.fuzzy, key
        entry = CATALOGUE.get(key)
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        plural = entry is not None and entry.plural is not None
        assert len(forms) == (catalogue.num_plurals if plural else 1), key
        sources_ = source if isinstance(source, tuple) else (source,)
        wanted = set().union(*(placeholders(text) for text in sources_))
        for form in forms:
            assert form.strip(), f"{key} has no {language} translation"
            assert placeholders(form) <= wanted, key
            assert placeholders(form) >= wanted - {entry.count if plural else None}, key


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


# The command line's catalogue: help texts and Typer's headings ---------------------------


def cli_entries(catalogue):
    return {(m.context, m.id): m for m in catalogue if m.id}


def test_the_command_line_template_is_up_to_date():
    from rapporteur.cli.help_template import template

    with (SOURCES / "cli.pot").open("rb") as handle:
        committed = read_po(handle)
    assert set(cli_entries(committed)) == set(cli_entries(template())), (
        "run `python -m rapporteur.cli.translation` (README, «Languages»)"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_help_text_and_heading_is_translated(language):
    with (SOURCES / "cli.pot").open("rb") as handle:
        wanted = cli_entries(read_po(handle))
    path = SOURCES / language / "LC_MESSAGES" / "cli.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    found = cli_entries(catalogue)
    assert set(found) == set(wanted)
    for key, entry in found.items():
        assert entry.string and not entry.fuzzy, key
        assert placeholders(entry.string) == placeholders(key[1]), key
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    installed = LOCALE_FOLDER / language / "LC_MESSAGES" / "cli.mo"
    assert installed.read_bytes() == compiled.getvalue()
