"""The questionnaire definition: load it, check it, look things up in it.

Each version lives in `questionnaires/vN.toml` (installed as package data). The file is
validated by the pydantic models below and then cross-checked (every reference resolves,
every defined name is unique); any mistake is reported with the line at fault, because a
broken definition would otherwise surface much later as a wrong spreadsheet or total.

Everything else derives from it: `inputs()` enumerates every cell an agency of a kind
fills, with the defined name the spreadsheet gives it and the path its value takes in a
return; the return models, the JSON Schema and the summary are built from the same.
"""

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rapporteur.messages import (
    CATALOGUE,
    LANGUAGES,
    Coded,
    Language,
    Listed,
    Localized,
    Message,
    Verbatim,
    Wording,
    message,
    translations,
)
from rapporteur.problems import DefinitionError, Problem, UsageError, setting_detail
from rapporteur.tomlfile import entry_lines, parse_toml

NATIONAL_SCOPE = "ES"
MINORS = "minors"
TOTAL = "total"
ROW_CODE = "code"
NAME_SEPARATOR = "__"
WRITTEN_IN: tuple[Language, ...] = ("es", "en")
"""The languages a definition is written in; the others come from its catalogue."""
DOMAIN = "questionnaire"

FieldType = Literal[
    "count", "eur", "pct", "number", "choice", "multichoice", "date", "text", "table"
]
ColumnType = Literal["count", "eur", "number", "choice", "multichoice", "date", "text"]
Level = Literal["required", "optional"]
Requirement = Literal["required", "june", "optional"]
RuleKind = Literal[
    "compare",
    "each_row",
    "breakdown_total",
    "breakdown_partial",
    "minors_agree",
    "row_minors",
    "unique_key",
    "own_region",
    "within_period",
    "unknown_share",
    "change",
    "annual_vs_half",
    "required_answer",
]
NUMERIC_TYPES = frozenset({"count", "eur", "pct", "number"})

_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")
_FIELD_ID = re.compile(r"^s[0-9]_[a-z0-9]+(_[a-z0-9]+)*$")
_COLUMN_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Excel and LibreOffice both accept letters, digits and underscores in defined names;
# dots and hyphens are not accepted by both, so code values like ES-AN become ES_AN.
_DEFINED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")
_COMPUTED = re.compile(r"^(count)\((\w+)\)$|^(sum)\((\w+)\.(\w+)\)$")
_TERM = re.compile(r"^(?P<field>\w+)(?:\.(?P<minors>minors)|\[\*\]\.(?P<column>\w+))?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _said(es: str, en: str, language: Language) -> str:
    # The definition is written in Spanish and English, side by side; any other language
    # comes from the `questionnaire` catalogue, where the English text is the msgid and
    # the Spanish its context: translators see both, and "Other" can be "Altre" or
    # "Altra" as the Spanish "Otro" or "Otra" requires.
    if language == "es":
        return es
    if language == "en":
        return en
    return translations(language, DOMAIN).pgettext(es, en)


class Text(Strict, Wording):
    """A text in both languages of the definition; neither may be missing or empty."""

    es: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def render(self, language: Language) -> str:
        return _said(self.es, self.en, language)


class Code(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    es: str = Field(min_length=1)
    en: str = Field(min_length=1)
    # Mappings to other vocabularies, kept for exports; none is required.
    htcds: str | None = None
    ine: str | None = None
    nuts2: str | None = None
    group: str | None = None
    eurostat: str | None = None
    sdg: str | None = None

    def label(self, language: Language) -> str:
        return _said(self.es, self.en, language)

    @property
    def text(self) -> Localized:
        return Text(es=self.es, en=self.en)


class Territory(Code):
    """A code of ISO 3166-1, named by CLDR in whatever language is asked."""

    def label(self, language: Language) -> str:
        from rapporteur import formats

        return formats.country(self.code, language) or self.en

    @property
    def text(self) -> Localized:
        return _TerritoryName(self)


@dataclass(frozen=True)
class _TerritoryName(Wording):
    territory: Territory

    def render(self, language: Language) -> str:
        return self.territory.label(language)


@dataclass(frozen=True)
class Joined(Wording):
    """Two labels as one: "Víctimas — Sexo y edad", in whichever language is asked."""

    first: Localized
    second: Localized

    def render(self, language: Language) -> str:
        return f"{self.first[language]} — {self.second[language]}"


class Codelist(Strict):
    id: str
    label: Text
    codes: tuple[Code, ...] = ()
    extends: str | None = None
    source: Literal["iso3166-1"] | None = None
    unverified: bool = False


def _sheet_name_problem(sheet: Text) -> Message | None:
    """Why a spreadsheet would refuse the name, if it would: at most 31 characters, none
    of : \\ / ? * [ ]."""
    for name in (sheet.es, sheet.en):
        if len(name) > 31 or any(character in name for character in ":\\/?*[]"):
            return message("check.sheet_name", name=name)
    return None


class Section(Strict):
    id: str = Field(pattern=r"^s[0-9]$")
    sheet: Text
    """The name of its sheet in the workbook: at most 31 characters, no : \\ / ? * [ ]."""
    label: Text
    help: Text


class Part(Strict):
    id: str
    section: str
    label: Text
    applies: dict[str, Level]


class Breakdown(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    rows: str | None = None
    repeat: str | None = None
    max_rows: int | None = Field(None, ge=1, le=500)
    columns: str | None = None
    minors: bool = False


class Column(Strict):
    id: str = Field(pattern=_COLUMN_ID.pattern)
    type: ColumnType
    es: str = Field(min_length=1)
    en: str = Field(min_length=1)
    codelist: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(None, ge=1, le=32_767)
    pattern: str | None = None
    example: str | None = None
    key: bool = False

    @property
    def label(self) -> Text:
        return Text(es=self.es, en=self.en)


class EurostatFigure(Strict):
    """Where a question's figure goes in Eurostat's data collection on trafficking: the
    legal status it counts (its code is in rapporteur/data/eurostat.toml) and the kind of
    agency whose return is the national figure (figures of kinds are never added)."""

    status: Literal["victims", "suspected", "prosecuted", "convicted"]
    kind: str


class QuestionField(Strict):
    id: str = Field(pattern=_FIELD_ID.pattern)
    part: str
    type: FieldType
    label: Text
    help: Text
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    kinds: tuple[str, ...] | None = None
    codelist: str | None = None
    breakdowns: tuple[str, ...] = ()
    max_length: int | None = Field(None, ge=1, le=32_767)
    pattern: str | None = None
    example: str | None = None
    columns: tuple[Column, ...] = ()
    max_rows: int | None = Field(None, ge=1, le=1_000)
    rows: str | None = None
    denominator: str | None = None
    stock: bool = False
    greta: str | None = None
    eurostat: EurostatFigure | None = None
    unverified: bool = False
    optional_in: Literal["june", "december"] | None = None
    computed: str | None = None
    optional: bool = False
    not_summarised: Text | None = None
    """Why no summary table shows the question: every other question is in one."""
    sheet: Text | None = None
    """For a repeating table too long for a page: the name of the sheet it has to itself,
    where its header is printed on every page."""
    replaces: str | None = None
    """The question of the previous version this one continues under a new id: its
    figures of earlier rounds are this one's. (Questions merged or split are new
    questions: the old ones are `[[removed]]`, with the reason.)"""

    @field_validator("id")
    @classmethod
    def _no_separator_in_id(cls, value: str) -> str:
        if NAME_SEPARATOR in value:
            raise ValueError(f"an id may not contain {NAME_SEPARATOR!r}")
        return value


class Removed(Strict):
    """A question of the previous version that this one no longer asks, and why."""

    id: str
    reason: Text


class Rule(Strict):
    id: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$")
    kind: RuleKind
    severity: Literal["error", "warning"]
    message: Text
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    op: Literal["<=", ">=", "=="] | None = None
    factor: float = Field(1.0, gt=0)
    each: bool = False
    table: str | None = None
    breakdowns: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None
    columns: tuple[str, ...] = ()
    percent: float | None = Field(None, gt=0)
    minimum: float | None = Field(None, ge=0)
    share: float | None = Field(None, gt=0, lt=1)


TableShape = Literal[
    "headline", "indicators", "breakdown", "codes", "choices", "answers", "list", "text", "trend"
]


class Indicator(Strict):
    """A headline figure: a question as one kind of agency, its authoritative source, gives
    it; with `share`, the part of it in the cells of `breakdown` whose code (or code
    group, such as the minor age bands) is `share`, as a share of the whole."""

    field: str
    kind: str
    breakdown: str | None = None
    share: str | None = None
    label: Text | None = None
    """The row's label; a share's label is required, a figure's is its question's."""


class SummaryTable(Strict):
    """A table of the summary, or a family of them (one per question and kind of agency):
    which questions, arranged how. See "Summary tables" in the definition file."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    shape: TableShape
    title: Text | None = None
    note: Text | None = None
    fields: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None
    breakdown: str | None = None
    rows: str | None = None
    columns: str | None = None
    column: str | None = None
    top: int | None = Field(None, ge=1, le=100)
    indicators: tuple[Indicator, ...] = ()
    rounds: int = Field(6, ge=2, le=20)
    chart: bool = False


@dataclass(frozen=True)
class Input:
    """One input of the spreadsheet: a cell, or a column of a repeating table.

    `location` is where its value goes in a return: field id, then keys; "*" stands for
    the row of a repeating table (the input is then a column of `rows` cells).
    """

    name: str
    location: tuple[str, ...]
    field: QuestionField
    section: str
    type: str
    label: Localized = dataclasses.field(hash=False, compare=False)  # name, location say which
    requirement: Requirement
    codelist: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    example: str | None = None
    rows: int | None = None
    unit: str | None = None

    @property
    def path(self) -> str:
        path = ""
        for part in self.location:
            path += "[]" if part == "*" else ("." if path else "") + part
        return path


class Definition(Strict):
    format: int = Field(ge=1, le=1)
    version: int = Field(ge=1)
    title: Text
    codelists: tuple[Codelist, ...] = Field(alias="codelist")
    sections: tuple[Section, ...] = Field(alias="section")
    parts: tuple[Part, ...] = Field(alias="part")
    breakdowns: tuple[Breakdown, ...] = Field(alias="breakdown")
    fields: tuple[QuestionField, ...] = Field(alias="field")
    rules: tuple[Rule, ...] = Field((), alias="rule")
    tables: tuple[SummaryTable, ...] = Field((), alias="table")
    removed: tuple[Removed, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # Lookups ---------------------------------------------------------------------------

    def codelist(self, codelist_id: str) -> tuple[Code, ...]:
        """The codes of a list, with those of the list it extends first."""
        for codelist in self.codelists:
            if codelist.id == codelist_id:
                inherited = self.codelist(codelist.extends) if codelist.extends else ()
                return inherited + codelist.codes + _source_codes(codelist.source)
        raise KeyError(codelist_id)

    def code_values(self, codelist_id: str) -> tuple[str, ...]:
        if codelist_id not in self._code_values:
            raise KeyError(codelist_id)
        return self._code_values[codelist_id]

    @cached_property
    def _code_values(self) -> dict[str, tuple[str, ...]]:
        """Every list's codes, once: the rules ask for them over a hundred times a return.
        (pydantic compares and hashes a model by its fields only, never by this.)"""
        return {
            codelist.id: tuple(code.code for code in self.codelist(codelist.id))
            for codelist in self.codelists
        }

    def code_label(self, codelist_id: str, code: str, language: Language) -> str:
        return self.code_text(codelist_id, code)[language]

    def coded(self, codelist_id: str, code: str) -> Coded:
        """A code for a table: its label for people, the code for programs."""
        return Coded(code, self.code_text(codelist_id, code))

    def code_text(self, codelist_id: str, code: str) -> Localized:
        """The label of a code, in any language; an unknown code stands for itself."""
        for candidate in self.codelist(codelist_id):
            if candidate.code == code:
                return candidate.text
        return Verbatim(code)

    @cached_property
    def _by_id(self) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for group in (self.sections, self.parts, self.breakdowns, self.fields):
            for entry in group:
                table[entry.id] = entry
        return table

    def field(self, field_id: str) -> QuestionField:
        found = self._by_id.get(field_id)
        if not isinstance(found, QuestionField):
            raise KeyError(field_id)
        return found

    def part(self, part_id: str) -> Part:
        found = self._by_id[part_id]
        assert isinstance(found, Part)
        return found

    def breakdown(self, breakdown_id: str) -> Breakdown:
        found = self._by_id[breakdown_id]
        assert isinstance(found, Breakdown)
        return found

    def section_of(self, field: QuestionField) -> Section:
        section_id = self.part(field.part).section
        return next(section for section in self.sections if section.id == section_id)

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.code_values("agency_kind")

    # Applicability ---------------------------------------------------------------------

    def requirement(self, field: QuestionField, kind: str) -> Requirement | None:
        """Whether an agency of this kind is asked the field, and how firmly."""
        level = self.part(field.part).applies.get(kind)
        if level is None or (field.kinds is not None and kind not in field.kinds):
            return None
        if field.optional:
            return "optional"
        if level == "required" and field.optional_in == "december":
            return "june"
        return level

    def asked_fields(self, kind: str) -> tuple[QuestionField, ...]:
        return tuple(
            field
            for field in self.fields
            if field.computed is None and self.requirement(field, kind) is not None
        )

    def sections_for(self, kind: str) -> tuple[Section, ...]:
        asked = {self.part(field.part).section for field in self.asked_fields(kind)}
        return tuple(section for section in self.sections if section.id in asked)

    # Inputs ----------------------------------------------------------------------------

    def inputs(self, kind: str | None = None) -> tuple[Input, ...]:
        """Every input an agency of `kind` fills (of any kind when None), in sheet order."""
        fields = self.asked_fields(kind) if kind else [f for f in self.fields if not f.computed]
        found: list[Input] = []
        for field in fields:
            requirement = self.requirement(field, kind) if kind else _widest(self, field)
            found.extend(self._field_inputs(field, requirement or "optional"))
        return tuple(found)

    def _field_inputs(self, field: QuestionField, requirement: Requirement) -> Iterator[Input]:
        section = self.part(field.part).section

        def make(keys: tuple[str, ...], type_: str, label: Text, **limits: Any) -> Input:
            named = [key for key in keys if key != "*"]
            return Input(
                name=defined_name(field.id, *named),
                location=(field.id, *keys),
                field=field,
                section=section,
                type=type_,
                label=label,
                requirement=limits.pop("requirement", "optional"),
                **limits,
            )

        if field.type == "table":
            yield from self._table_inputs(field, make)
            return
        if field.type == "multichoice":
            for code in self.codelist(field.codelist or ""):
                yield make((code.code,), "mark", Joined(field.label, code.text))
            return
        limits = _limits(field, requirement=requirement)
        if not field.breakdowns:
            yield make((), field.type, field.label, **limits)
            return
        yield make((TOTAL,), field.type, field.label, **limits)
        for breakdown_id in field.breakdowns:
            yield from self._breakdown_inputs(field, self.breakdown(breakdown_id), make)

    def _breakdown_inputs(
        self, field: QuestionField, breakdown: Breakdown, make
    ) -> Iterator[Input]:
        columns = self.breakdown_columns(breakdown)
        limits = {"minimum": 0, "maximum": field.max, "unit": field.unit or "persons"}
        prefix = (breakdown.id,)
        label = Joined(field.label, breakdown.label)
        if breakdown.repeat:
            yield make(
                (*prefix, "*", ROW_CODE),
                "choice",
                Joined(label, self.codelist_label(breakdown.repeat)),
                codelist=breakdown.repeat,
                rows=breakdown.max_rows,
            )
            for column, column_label in columns:
                yield make(
                    (*prefix, "*", column),
                    "count",
                    Joined(label, column_label),
                    rows=breakdown.max_rows,
                    **limits,
                )
            return
        rows = self.codelist(breakdown.rows) if breakdown.rows else (None,)
        for row in rows:
            row_keys = (row.code,) if row else ()
            row_label = Joined(label, row.text) if row else label
            if not columns:
                yield make((*prefix, *row_keys), "count", row_label, **limits)
                continue
            for column, column_label in columns:
                yield make(
                    (*prefix, *row_keys, column), "count", Joined(row_label, column_label), **limits
                )

    def breakdown_columns(self, breakdown: Breakdown) -> list[tuple[str, Localized]]:
        columns = [
            (code.code, code.text)
            for code in (self.codelist(breakdown.columns) if breakdown.columns else ())
        ]
        if breakdown.minors:
            columns.append((MINORS, message("label.of_whom_minors")))
        return columns

    def _table_inputs(self, field: QuestionField, make) -> Iterator[Input]:
        if field.rows:
            row_keys: list[tuple[str, Localized]] = [
                (c.code, c.text) for c in self.codelist(field.rows)
            ]
            rows_count = None
        else:
            row_keys = [("*", field.label)]
            rows_count = field.max_rows
        for row_key, row_label in row_keys:
            base = Joined(field.label, row_label) if field.rows else field.label
            for column in field.columns:
                label = Joined(base, column.label)
                if column.type == "multichoice":
                    for code in self.codelist(column.codelist or ""):
                        yield make(
                            (row_key, column.id, code.code),
                            "mark",
                            Joined(label, code.text),
                            rows=rows_count,
                        )
                    continue
                yield make(
                    (row_key, column.id),
                    column.type,
                    label,
                    rows=rows_count,
                    **_limits(column),
                )

    def codelist_label(self, codelist_id: str) -> Text:
        return next(c.label for c in self.codelists if c.id == codelist_id)


def kind_code(definition: "Definition", typed: str) -> str:
    """The kind of agency a person typed: its code, its name or its short name in any
    language, whatever the case and accents (NGO, ong, ONG, Organización no gubernamental)."""
    wanted = _folded(typed)
    for kind in definition.kinds:
        full = definition.code_text("agency_kind", kind)
        names = {kind} | {
            name[language]
            for name in (full, kind_label(definition, kind))
            for language in LANGUAGES
        }
        if wanted in {_folded(name) for name in names}:
            return kind
    raise UsageError("questionnaire.unknown_kind", kind=typed, known=_Kinds(definition))


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class _Kinds(Wording):
    """The kinds of agency as a person may type them: NGO (ONG), LEA_STATE (FCSE)…"""

    definition: "Definition"

    def render(self, language: Language) -> str:
        return ", ".join(
            f"{kind} ({kind_label(self.definition, kind)[language]})"
            for kind in self.definition.kinds
        )


def kind_labels(kinds: Iterable[str]) -> Localized:
    """Kinds of agency named in a sentence: "ONG, FCSE"."""
    definition = load_definition()
    return Listed(tuple(kind_label(definition, kind) for kind in kinds))


def kind_coded(definition: "Definition", kind: str) -> Coded:
    """A kind of agency for a table: ONG for people, NGO for programs."""
    return Coded(kind, kind_label(definition, kind))


def kind_label(definition: "Definition", kind: str) -> Localized:
    """The short name of a kind of agency, for table headings and for typing: ONG, FCSE.
    The definition gives the full names; the abbreviations, which differ by language, are
    in the catalogue, and a kind without one is called by its full name."""
    key = f"kind.{kind}"
    return message(key) if key in CATALOGUE else definition.code_text("agency_kind", kind)


def defined_name(*parts: str) -> str:
    """The workbook-level name of an input: its location joined by double underscores.

    Example: s1_presumed_victims_thb__sex_age__F__Y0_11. Hyphens (in codes like ES-AN)
    become underscores, since spreadsheet programs do not accept them in names.
    """
    return NAME_SEPARATOR.join(part.replace("-", "_") for part in parts)


def _limits(entry: QuestionField | Column, **extra: Any) -> dict[str, Any]:
    limits: dict[str, Any] = {
        "codelist": entry.codelist,
        "max_length": entry.max_length,
        "pattern": entry.pattern,
        "example": entry.example,
        **extra,
    }
    if entry.type in NUMERIC_TYPES:
        default_minimum = None if entry.type == "number" else 0
        limits["minimum"] = entry.min if entry.min is not None else default_minimum
        limits["maximum"] = (
            entry.max if entry.max is not None else (100 if entry.type == "pct" else None)
        )
        limits["unit"] = entry.unit or ("EUR" if entry.type == "eur" else "persons")
    return limits


def _widest(definition: "Definition", field: QuestionField) -> Requirement | None:
    levels = {definition.requirement(field, kind) for kind in definition.kinds} - {None}
    for level in ("required", "june", "optional"):
        if level in levels:
            return level  # type: ignore[return-value]
    return None


@cache
def _source_codes(source: str | None) -> tuple[Code, ...]:
    if source != "iso3166-1":
        return ()
    import pycountry

    from rapporteur import formats

    # ISO's list of codes (pycountry), CLDR's names in each language (Babel): Marruecos,
    # Estados Unidos, Rumanía. A code CLDR does not name keeps ISO's English name.
    return tuple(
        Territory(
            code=country.alpha_2,
            es=formats.country(country.alpha_2, "es") or country.name,
            en=formats.country(country.alpha_2, "en") or country.name,
        )
        for country in sorted(pycountry.countries, key=lambda country: country.alpha_2)
    )


# Loading and checking -------------------------------------------------------------------


def _definitions_folder() -> Traversable:
    # An installed package carries the definitions as rapporteur/questionnaires (see
    # pyproject.toml); a checkout keeps them at the top of the project, where they are
    # edited. Importing `rapporteur` from a checkout bypasses the installed mapping.
    installed = resources.files("rapporteur") / "questionnaires"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "questionnaires"


def available_versions() -> tuple[int, ...]:
    folder = _definitions_folder()
    versions = [
        int(match.group(1))
        for entry in folder.iterdir()
        if (match := _VERSION_FILE.match(entry.name))
    ]
    return tuple(sorted(versions))


def latest_version() -> int:
    return available_versions()[-1]


@cache
def load_definition(version: int | None = None) -> Definition:
    """The definition of a questionnaire version (the latest by default)."""
    versions = available_versions()
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise DefinitionError(
            "definition.unknown_version",
            version=chosen,
            known=", ".join(str(v) for v in versions),
        )
    file = _definitions_folder() / f"v{chosen}.toml"
    return parse_definition(file.read_text(encoding="utf-8"), f"questionnaires/v{chosen}.toml")


def parse_definition(text: str, file_name: str) -> Definition:
    data = parse_toml(text, file_name, DefinitionError)
    try:
        definition = Definition.model_validate(data)
    except ValidationError as error:
        problems = tuple(
            _problem(text, file_name, tuple(detail["loc"]), setting_detail(detail), data)
            for detail in error.errors()
        )
        raise DefinitionError(
            "definition.broken", file=file_name, count=len(problems), problems=problems
        ) from None
    findings = cross_check(definition)
    if not findings and definition.version - 1 in available_versions():
        findings = lineage_check(definition, load_definition(definition.version - 1))
    problems = tuple(
        _problem(text, file_name, location, detail, data) for location, detail in findings
    )
    if problems:
        raise DefinitionError(
            "definition.broken", file=file_name, count=len(problems), problems=problems
        )
    return definition


Finding = tuple[tuple[Any, ...], Message]


def lineage_check(definition: Definition, previous: Definition) -> list[Finding]:
    """Every question of the previous version is accounted for: kept (same id), continued
    under another (`replaces`) or `[[removed]]`; and every such reference names a question
    of the previous version that this one no longer has."""
    findings: list[Finding] = []
    before = {field.id for field in previous.fields}
    now = {field.id for field in definition.fields}
    accounted: dict[str, str] = {}

    def refer(location: tuple[Any, ...], old: str, by: str) -> None:
        if old not in before:
            findings.append(
                (location, message("check.lineage_unknown", name=old, version=previous.version))
            )
        elif old in now:
            findings.append((location, message("check.lineage_still_there", name=old)))
        elif old in accounted:
            findings.append(
                (location, message("check.lineage_twice", name=old, other=accounted[old]))
            )
        accounted.setdefault(old, by)

    for index, field in enumerate(definition.fields):
        if field.replaces:
            refer(("field", index, "replaces"), field.replaces, field.id)
    for index, removed in enumerate(definition.removed):
        refer(("removed", index, "id"), removed.id, "[[removed]]")
    for field in previous.fields:
        if field.id not in now and field.id not in accounted:
            findings.append(
                (
                    ("version",),
                    message("check.lineage_unaccounted", name=field.id, version=previous.version),
                )
            )
    return findings


def cross_check(definition: Definition) -> list[Finding]:
    """Every reference that does not resolve, every id or name used twice."""
    findings: list[Finding] = []
    codelists = {codelist.id for codelist in definition.codelists}
    kinds = set(definition.kinds) if "agency_kind" in codelists else set()

    for group, entries in (
        ("codelist", definition.codelists),
        ("section", definition.sections),
        ("part", definition.parts),
        ("breakdown", definition.breakdowns),
        ("field", definition.fields),
        ("rule", definition.rules),
        ("table", definition.tables),
    ):
        first: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if entry.id in first:
                findings.append(
                    ((group, index, "id"), message("check.duplicate_id", group=group, id=entry.id))
                )
            first.setdefault(entry.id, index)

    for index, codelist in enumerate(definition.codelists):
        seen_codes: set[str] = set()
        for position, code in enumerate(codelist.codes):
            if code.code in seen_codes:
                findings.append(
                    (
                        ("codelist", index, "codes", position),
                        message("check.code_twice", code=code.code),
                    )
                )
            seen_codes.add(code.code)
        if codelist.extends and codelist.extends not in codelists:
            findings.append(
                (
                    ("codelist", index, "extends"),
                    message("check.unknown_codelist", name=codelist.extends),
                )
            )
    sections = {section.id for section in definition.sections}
    parts = {part.id: part for part in definition.parts}
    for index, part in enumerate(definition.parts):
        if part.section not in sections:
            findings.append(
                (("part", index, "section"), message("check.unknown_section", name=part.section))
            )
        for kind in part.applies:
            if kind not in kinds:
                findings.append(
                    (("part", index, "applies"), message("check.unknown_kind", name=kind))
                )
    breakdowns = {breakdown.id for breakdown in definition.breakdowns}
    for index, breakdown in enumerate(definition.breakdowns):
        for key in ("rows", "repeat", "columns"):
            value = getattr(breakdown, key)
            if value is not None and value not in codelists:
                findings.append(
                    (("breakdown", index, key), message("check.unknown_codelist", name=value))
                )
        if breakdown.rows and breakdown.repeat:
            findings.append((("breakdown", index, "repeat"), message("check.rows_or_repeat")))
        if breakdown.repeat and not breakdown.max_rows:
            findings.append(
                (("breakdown", index, "repeat"), message("check.repeat_needs_max_rows"))
            )

    field_ids = {field.id: field for field in definition.fields}
    sheet_names: set[str] = set()
    for index, section in enumerate(definition.sections):
        problem = _sheet_name_problem(section.sheet)
        if problem is not None:
            findings.append((("section", index, "sheet"), problem))
        sheet_names.update((section.sheet.es, section.sheet.en))
    for index, field in enumerate(definition.fields):
        if field.sheet is not None:
            where = ("field", index, "sheet")
            if field.type != "table" or field.max_rows is None:
                findings.append((where, message("check.sheet_not_table")))
            problem = _sheet_name_problem(field.sheet)
            if problem is not None:
                findings.append((where, problem))
            for name in (field.sheet.es, field.sheet.en):
                if name in sheet_names:
                    findings.append((where, message("check.sheet_twice", name=name)))
                sheet_names.add(name)
        findings.extend(
            ((("field", index, *location[:1]), detail))
            for location, detail in _check_field(
                field, parts, kinds, codelists, breakdowns, field_ids
            )
        )
    for index, rule in enumerate(definition.rules):
        findings.extend(
            ((("rule", index, key), detail))
            for key, detail in _check_rule(rule, definition, field_ids, breakdowns, kinds)
        )
    for index, table in enumerate(definition.tables):
        findings.extend(
            (("table", index, key), detail)
            for key, detail in _check_table(table, definition, field_ids, breakdowns, kinds)
        )
    findings.extend(_check_coverage(definition))
    if not findings:
        findings.extend(_check_names(definition))
    return findings


def _check_field(
    field: QuestionField,
    parts: dict[str, Part],
    kinds: set[str],
    codelists: set[str],
    breakdowns: set[str],
    fields: dict[str, QuestionField],
) -> Iterator[tuple[tuple[str], Message]]:
    part = parts.get(field.part)
    if part is None:
        yield ("part",), message("check.unknown_part", name=field.part)
    elif not field.id.startswith(part.section + "_"):
        yield ("id",), message("check.id_prefix", section=part.section)
    if field.eurostat is not None and field.eurostat.kind not in (field.kinds or kinds):
        yield ("eurostat",), message("check.eurostat_kind", kind=field.eurostat.kind)
    for kind in field.kinds or ():
        if kind not in kinds:
            yield ("kinds",), message("check.unknown_kind", name=kind)
        elif part is not None and kind not in part.applies:
            yield ("kinds",), message("check.part_not_asked", part=part.id, kind=kind)
    if field.type in ("choice", "multichoice"):
        if field.codelist is None:
            yield ("type",), message("check.needs_codelist", type=field.type)
        elif field.codelist not in codelists:
            yield ("codelist",), message("check.unknown_codelist", name=field.codelist)
    if field.computed:
        match = _COMPUTED.match(field.computed)
        table = fields.get(match.group(2) or match.group(4)) if match else None
        if table is None or table.type != "table":
            yield ("computed",), message("check.computed")
        elif match and match.group(5) and match.group(5) not in {c.id for c in table.columns}:
            yield ("computed",), message("check.no_column", table=table.id, column=match.group(5))
    elif field.type in ("count", "eur") and field.max is None:
        yield ("type",), message("check.needs_max", type=field.type)
    if field.type == "pct":
        denominator = fields.get(field.denominator or "")
        if denominator is None or denominator.type != "count":
            yield ("type",), message("check.denominator")
    if field.type == "text" and field.max_length is None:
        yield ("type",), message("check.needs_max_length")
    for breakdown in field.breakdowns:
        if field.type != "count":
            yield ("breakdowns",), message("check.breakdowns_of_counts")
        if breakdown not in breakdowns:
            yield ("breakdowns",), message("check.unknown_breakdown", name=breakdown)
    if field.type == "table":
        if not field.columns:
            yield ("type",), message("check.table_columns")
        if (field.max_rows is None) == (field.rows is None):
            yield ("type",), message("check.table_rows")
        if field.rows is not None and field.rows not in codelists:
            yield ("rows",), message("check.unknown_codelist", name=field.rows)
        seen: set[str] = set()
        for column in field.columns:
            if column.id in seen:
                yield ("columns",), message("check.column_twice", column=column.id)
            seen.add(column.id)
            if column.type in ("choice", "multichoice") and column.codelist not in codelists:
                yield ("columns",), message("check.column_codelist", column=column.id)
            if column.type in ("count", "eur") and column.max is None:
                yield ("columns",), message("check.column_max", column=column.id)
            if column.type == "text" and column.max_length is None:
                yield ("columns",), message("check.column_max_length", column=column.id)
    elif field.columns:
        yield ("columns",), message("check.columns_of_tables")


def _check_rule(
    rule: Rule,
    definition: Definition,
    fields: dict[str, QuestionField],
    breakdowns: set[str],
    kinds: set[str],
) -> Iterator[tuple[str, Message]]:
    needs_terms = rule.kind in ("compare", "each_row")
    if needs_terms and (not rule.left or not rule.right or rule.op is None):
        yield "kind", message("check.rule_terms", kind=rule.kind)
    if rule.kind == "each_row":
        table = fields.get(rule.table or "")
        if table is None or table.type != "table":
            yield "table", message("check.unknown_table", name=rule.table)
        else:
            columns = {column.id for column in table.columns}
            for key in ("left", "right"):
                for term in getattr(rule, key):
                    if term not in columns:
                        yield key, message("check.no_column", table=table.id, column=term)
    elif rule.kind == "compare":
        for key in ("left", "right"):
            for term in getattr(rule, key):
                problem = _check_term(term, fields, definition)
                if problem:
                    yield key, problem
    if rule.kind == "within_period":
        table = fields.get(rule.table or "")
        if table is None or not {"start", "end"} <= {c.id for c in table.columns}:
            yield "table", message("check.within_period")
    for breakdown in rule.breakdowns:
        if breakdown not in breakdowns:
            yield "breakdowns", message("check.unknown_breakdown", name=breakdown)
    for kind in rule.kinds or ():
        if kind not in kinds:
            yield "kinds", message("check.unknown_kind", name=kind)
    for column_path in rule.columns:
        table_id, _, column_id = column_path.partition(".")
        table = fields.get(table_id)
        if table is None or column_id not in {column.id for column in table.columns}:
            yield "columns", message("check.unknown_table_column", name=column_path)
    if rule.kind == "change" and (rule.percent is None or rule.minimum is None):
        yield "kind", message("check.change_rule")
    if rule.kind == "unknown_share" and rule.share is None:
        yield "kind", message("check.unknown_share_rule")


# What each shape of summary table can show: the types of its questions.
_TABLE_TYPES: dict[str, frozenset[str]] = {
    "indicators": NUMERIC_TYPES,
    "breakdown": frozenset({"count"}),
    "codes": frozenset({"table"}),
    "choices": frozenset({"choice", "multichoice", "table"}),
    "answers": frozenset({"choice", "date", "text", "count", "number", "eur"}),
    "list": frozenset({"table"}),
    "text": frozenset({"text"}),
    "trend": frozenset({"count"}),
    "headline": NUMERIC_TYPES,
}


def table_fields(table: SummaryTable) -> tuple[str, ...]:
    """The questions a summary table shows."""
    return table.fields + tuple(indicator.field for indicator in table.indicators)


def breakdown_dimensions(breakdown: Breakdown) -> tuple[str, ...]:
    """The code lists a breakdown crosses: its rows (fixed or repeated), its columns."""
    found = (breakdown.rows or breakdown.repeat, breakdown.columns)
    return tuple(codelist for codelist in found if codelist)


def _check_table(
    table: SummaryTable,
    definition: Definition,
    fields: dict[str, QuestionField],
    breakdowns: set[str],
    kinds: set[str],
) -> Iterator[tuple[str, Message]]:
    shape = table.shape
    if shape == "headline":
        if not table.indicators:
            yield "indicators", message("check.table_needs", shape=shape, key="indicators")
    elif not table.fields:
        yield "fields", message("check.table_needs", shape=shape, key="fields")
    if table.title is None and shape in ("answers", "headline", "trend"):
        yield "shape", message("check.table_needs", shape=shape, key="title")
    for kind in table.kinds or ():
        if kind not in kinds:
            yield "kinds", message("check.unknown_kind", name=kind)
    for field_id in table.fields:
        field = fields.get(field_id)
        if field is None:
            yield "fields", message("check.table_missing_field", name=field_id)
            continue
        if field.type not in _TABLE_TYPES[shape] and not (
            field.computed and shape in ("indicators", "trend")
        ):
            yield "fields", message("check.table_field_type", name=field_id, shape=shape,
                                    type=field.type)  # fmt: skip
            continue
        if shape == "breakdown":
            yield from _check_table_breakdown(table, field, definition, breakdowns)
        elif shape == "codes" and not _keyed_by(field):
            yield "fields", message("check.table_not_keyed", name=field_id)
        elif shape == "choices" and field.type == "table":
            column = next((c for c in field.columns if c.id == table.column), None)
            if column is None or column.type not in ("choice", "multichoice"):
                yield "column", message("check.no_column", table=field_id, column=table.column)
    if shape == "answers" and table.rows not in ("region", "agency"):
        yield "rows", message("check.table_answer_rows")
    if table.top is not None and (shape not in ("breakdown", "codes") or table.columns):
        yield "top", message("check.table_top")
    for indicator in table.indicators:
        field = fields.get(indicator.field)
        if field is None:
            yield "indicators", message("check.table_missing_field", name=indicator.field)
            continue
        if indicator.kind not in kinds:
            yield "indicators", message("check.unknown_kind", name=indicator.kind)
        elif definition.requirement(field, indicator.kind) is None:
            yield "indicators", message("check.not_asked", name=field.id, kind=indicator.kind)
        if (indicator.breakdown is None) != (indicator.share is None) or (
            indicator.share is not None and indicator.label is None
        ):
            yield "indicators", message("check.share_needs_breakdown")
        elif indicator.breakdown is not None:
            if indicator.breakdown not in field.breakdowns:
                yield "indicators", message("check.table_breakdown", name=field.id,
                                            breakdown=indicator.breakdown)  # fmt: skip
            elif not share_codes(definition, definition.breakdown(indicator.breakdown),
                                  indicator.share):  # fmt: skip
                yield "indicators", message("check.table_share", share=indicator.share,
                                            breakdown=indicator.breakdown)  # fmt: skip


def _check_table_breakdown(
    table: SummaryTable, field: QuestionField, definition: Definition, breakdowns: set[str]
) -> Iterator[tuple[str, Message]]:
    if table.breakdown not in field.breakdowns or table.breakdown not in breakdowns:
        yield "breakdown", message("check.table_breakdown", name=field.id,
                                   breakdown=table.breakdown)  # fmt: skip
        return
    dimensions = breakdown_dimensions(definition.breakdown(table.breakdown))
    for key in ("rows", "columns"):
        value = getattr(table, key)
        if (value is not None or key == "rows") and value not in dimensions:
            yield key, message("check.table_dimension", name=value or "—",
                               breakdown=table.breakdown, known=", ".join(dimensions))  # fmt: skip
    if table.columns is not None and table.columns == table.rows:
        known = ", ".join(dimensions)
        yield (
            "columns",
            message(
                "check.table_dimension", name=table.columns, breakdown=table.breakdown, known=known
            ),
        )


def _keyed_by(field: QuestionField) -> str | None:
    """The code list that names the rows of a table question, if one does."""
    if field.rows:
        return field.rows
    key = next((column for column in field.columns if column.key), None)
    return key.codelist if key is not None else None


def share_codes(definition: Definition, breakdown: Breakdown, share: str | None) -> set[str]:
    """The codes of a breakdown's dimensions that `share` names: a code, or every code of
    a group."""
    found = set()
    for codelist in breakdown_dimensions(breakdown):
        for code in definition.codelist(codelist):
            if share in (code.code, code.group):
                found.add(code.code)
    return found


def _check_coverage(definition: Definition) -> Iterator[Finding]:
    """Every question is in a summary table, each of its breakdowns too, unless the
    definition says why not."""
    shown: set[str] = set()
    broken_down: set[tuple[str, str]] = set()
    for table in definition.tables:
        if table.shape in ("headline", "trend"):
            continue  # selections of what other tables show in full
        shown.update(table.fields)
        if table.shape == "breakdown" and table.breakdown:
            broken_down.update((field, table.breakdown) for field in table.fields)
    for index, field in enumerate(definition.fields):
        if field.not_summarised is not None:
            continue
        if field.id not in shown:
            yield ("field", index, "id"), message("check.not_summarised", name=field.id)
            continue
        for breakdown in field.breakdowns:
            if (field.id, breakdown) not in broken_down:
                yield (
                    ("field", index, "breakdowns"),
                    message("check.breakdown_not_summarised", name=field.id, breakdown=breakdown),
                )


def _check_term(
    term: str, fields: dict[str, QuestionField], definition: Definition
) -> Message | None:
    match = _TERM.match(term)
    if match is None:
        return message("check.term", term=term)
    field = fields.get(match["field"])
    if field is None:
        return message("check.missing_field", name=match["field"])
    if match["column"]:
        if field.type != "table" or match["column"] not in {c.id for c in field.columns}:
            return message("check.no_column", table=field.id, column=match["column"])
    elif field.type not in NUMERIC_TYPES and field.type != "date":
        return message("check.not_a_number", name=field.id)
    if match["minors"] and not any(
        definition.breakdown(b).minors or b == "sex_age" for b in field.breakdowns
    ):
        return message("check.no_minors", name=field.id)
    return None


def _check_names(definition: Definition) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    field_index = {field.id: index for index, field in enumerate(definition.fields)}
    for item in definition.inputs():
        location = ("field", field_index[item.field.id], "id")
        if not _DEFINED_NAME.match(item.name):
            findings.append((location, message("check.bad_defined_name", name=item.name)))
        folded = item.name.casefold()
        if folded in seen and seen[folded] != item.path:
            findings.append((location, message("check.defined_name_twice", name=item.name)))
        seen[folded] = item.path
    return findings


def _problem(
    text: str, file_name: str, location: tuple[Any, ...], detail: str | Message, data: dict
) -> Problem:
    line = _line_of_location(text, location)
    where = _where(location, data)
    return Problem(
        code="definition-invalid",
        severity="error",
        message=message(
            "definition.invalid", file=file_name, line=line, where=where, detail=detail
        ),
        file=file_name,
        line=line,
    )


def _where(location: tuple[Any, ...], data: dict) -> str:
    """A location as a person finds it in the file: `[[field]] s1_inspections: type`."""
    if len(location) >= 2 and isinstance(location[1], int):
        entries = data.get(str(location[0]))
        entry = entries[location[1]] if isinstance(entries, list) else None
        name = entry.get("id") if isinstance(entry, dict) else None
        head = f"[[{location[0]}]] {name}" if name else f"[[{location[0]}]] #{location[1] + 1}"
        rest = ".".join(str(part) for part in location[2:])
        return f"{head}: {rest}" if rest else head
    return ".".join(str(part) for part in location)


def _line_of_location(text: str, location: tuple[Any, ...]) -> int:
    if len(location) < 2 or not isinstance(location[1], int):
        return 1
    entries = entry_lines(text, str(location[0]))
    if not entries:
        return 1
    entry = entries[min(location[1], len(entries) - 1)]
    if len(location) < 3:
        return entry.header
    key_line = entry.line_of(location[2])
    if len(location) >= 4 and isinstance(location[3], int):
        # An item of a multi-line array: the n-th line holding an inline table after the key.
        lines = text.splitlines()
        seen = -1
        for number in range(key_line, entry.end + 1):
            if "{" in lines[number - 1]:
                seen += 1
                if seen == location[3]:
                    return number
    return key_line


def describe_inputs(
    definition: Definition, kind: str | None, language: Language
) -> list[dict[str, Any]]:
    """The documentation of every input, for analysts and for whoever automates filling."""
    described = []
    for item in definition.inputs(kind):
        section = next(s for s in definition.sections if s.id == item.section)
        record: dict[str, Any] = {
            "name": item.name,
            "path": item.path,
            "section": item.section,
            "section_label": section.label[language],
            "type": item.type,
            "label": item.label[language],
            "label_es": item.label["es"],
            "label_en": item.label["en"],
            "required": item.requirement,
            "rows": item.rows,
            "unit": item.unit,
            "codelist": item.codelist,
            "minimum": item.minimum,
            "maximum": item.maximum,
            "max_length": item.max_length,
        }
        if kind is None:
            record["kinds"] = " ".join(
                k for k in definition.kinds if definition.requirement(item.field, k)
            )
        described.append(record)
    return described
