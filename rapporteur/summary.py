"""What the Rapporteur reports: consolidated tables computed from the archive.

Which tables there are is data: the `[[table]]` entries of the questionnaire definition
say which questions each shows and how (its shape); this module only knows the shapes,
one builder each (`BUILDERS`). Figures are read from each round's latest consolidated
view, never from spreadsheets. Figures of different kinds of agency are never added:
police-identified victims, NGO outreach and regional assistance are different measures of
overlapping people, so every column says which kind of agency it counts, and totals are
per kind. Percentages are computed from counts and state their base.

Every figure records the archived items it adds up (`Row.sources`, see
rapporteur.figures), which is what disclosure control reasons about.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from rapporteur.archive import Archive, from_sections
from rapporteur.definition import (
    Definition,
    QuestionField,
    SummaryTable,
    kind_coded,
    kind_label,
    load_definition,
    share_codes,
)
from rapporteur.figures import Atom, cell_item, field_item, indicator
from rapporteur.lineage import asked_in, carried, origins, renamed_keys
from rapporteur.messages import Coded, Listed, Localized, Message, Number, Verbatim, message
from rapporteur.problems import UsageError
from rapporteur.rounds import ReportingPeriod, Round, period_label
from rapporteur.rules import breakdown_cells
from rapporteur.status import NATIONAL, latest_round, round_record

Grouping = Literal["region", "kind", "agency"]
OTHER = "OTHER"
TOTAL = "TOTAL"
PERCENT = "PCT"


@dataclass
class Column:
    key: str
    label: Localized
    persons: bool = True
    """Figures about persons: statistical disclosure control applies when publishing."""
    kind: str | None = None
    """The kind of agency the column counts, when it counts one kind only."""
    measure: Localized | None = None
    """What the column counts, without the kind: its label is both."""
    unit: Literal["EUR", "PCT"] | None = None
    """Euros (95.224,10 €) or a percentage (42,0); otherwise a count or a value as it is."""


@dataclass
class Row:
    key: str
    label: Localized
    values: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, frozenset[Atom]] = field(default_factory=dict)
    """The atoms each figure of `values` adds up (see rapporteur.figures)."""
    previous_sources: dict[str, frozenset[Atom]] = field(default_factory=dict)
    subnational: bool = False
    """A region, or an agency of one: the higher publication threshold applies."""
    base: str | None = None
    """The row whose total this row's percentage is of; the table's total row otherwise."""
    unasked: set[str] = field(default_factory=set)
    """Columns whose question was not asked: in a trend, by the column's round; elsewhere,
    by the compared round. There is no figure, which is not 0."""

    def put(self, key: str, tally: "Tally", previous: bool = False) -> None:
        if tally.values:
            (self.previous if previous else self.values)[key] = _sum(tally.values)
        if tally.atoms:
            (self.previous_sources if previous else self.sources)[key] = frozenset(tally.atoms)


@dataclass
class Tally:
    """A figure being added up, with the atoms it comes from."""

    values: list = field(default_factory=list)
    atoms: set[Atom] = field(default_factory=set)

    def add(self, atom: Atom | None, value: Any) -> None:
        if value is not None:
            self.values.append(value)
            if atom is not None:
                self.atoms.add(atom)

    def extend(self, other: "Tally") -> None:
        self.values.extend(other.values)
        self.atoms |= other.atoms


@dataclass
class Table:
    id: str
    title: Localized
    row_heading: Localized
    columns: list[Column]
    rows: list[Row]
    notes: list[Localized] = field(default_factory=list)
    detailed: bool = False
    """Three or more dimensions: the higher publication threshold applies to all of it."""
    total_row: str | None = None
    total_column: str | None = None
    free_text: bool = False
    """Agencies' own words or rows: for the office, never published."""
    chart: bool = False
    rows_by: Grouping | None = None
    """What the rows are when they are regions, kinds or agencies."""
    ranked: bool = False
    """Rows are the largest codes, then "other": small codes fold into it when published."""
    section: str | None = None
    """The section of the questionnaire it shows; None for tables across sections."""
    measure: Localized | None = None
    """What its figures count, for a chart's axis."""
    shape: str = ""
    """The shape of the `[[table]]` it was built from."""

    @property
    def narrative(self) -> bool:
        """Agencies' narrative answers: read as text, not as a grid."""
        return self.shape == "text"


@dataclass
class Summary:
    round: Round
    compare: Round | None
    grouping: Grouping
    tables: list[Table]
    published: bool = False
    rounds: dict[Round, "RoundData"] = field(default_factory=dict)
    """Every round whose returns the tables add up."""
    period: ReportingPeriod | None = None
    compare_period: ReportingPeriod | None = None
    comparable: bool = True
    """False when the comparison was forced across a whole year and a half-year."""
    received: int = 0
    expected: int = 0
    source: str | None = None
    """Where a historical round's figures come from (see rapporteur.importing)."""

    @property
    def heading(self) -> Message:
        """The summary's title: the round, what it reports on, and its comparison."""
        compared = ""
        if self.compare is not None:
            compared = message(
                "summary.compared" if self.comparable else "summary.compared_forced",
                round=str(self.compare),
                period=period_label(self.compare_period) if self.compare_period else "",
            )
        return message(
            "summary.historical" if self.source else "summary.title",
            source=self.source or "",
            round=str(self.round),
            period=period_label(self.period) if self.period else "",
            compare=compared,
        )


@dataclass
class RoundData:
    round: Round
    definition: Definition
    returns: dict[str, tuple[str, dict[str, Any]]]
    """By agency: its kind and its return."""
    expected: dict[str, str]
    """By agency issued the round: its kind."""
    period: ReportingPeriod | None = None
    asked: int | None = None
    """The questionnaire version the round was asked with, when its returns are read in
    the terms of a later one."""
    source: str | None = None
    """For a historical round: where its figures come from."""

    @property
    def version(self) -> int:
        return self.asked or self.definition.version


def in_terms_of(data: RoundData, definition: Definition) -> RoundData:
    """A round of another questionnaire version read as if asked with `definition`: each
    answer under its question's id there (see rapporteur.lineage)."""
    old, new = data.definition.version, definition.version
    if old == new:
        return data
    returns = {
        agency: (kind, carried(answers, old, new))
        for agency, (kind, answers) in data.returns.items()
    }
    return RoundData(
        data.round, definition, returns, data.expected, data.period, asked=old, source=data.source
    )


def load_round(archive: Archive, round_: Round) -> RoundData:
    record = round_record(archive, round_)
    view = archive.consolidated(round_)
    returns = {}
    for agency, entry in (view.body.get("returns", {}) if view else {}).items():
        returns[agency] = (entry["kind"], from_sections(entry.get("data", {})))
    expected = {}
    for agency in record.issued_agencies():
        expected[agency] = record.current_issue(agency).kind
    if record.historical:  # nothing was issued: each series is what was expected
        expected = {agency: kind for agency, (kind, _) in returns.items()}
    definition = load_definition(record.questionnaire_version)
    return RoundData(round_, definition, returns, expected, record.period, source=record.source)


@dataclass
class Context:
    """What every builder reads: the round, its comparison, the agencies, the view."""

    archive: Archive
    current: RoundData
    previous: RoundData | None
    agencies: dict
    grouping: Grouping
    sections: list[str] | None
    loaded: dict[Round, RoundData] | None
    """Every round read whole (the trend then knows its atoms); None: cached sums."""

    @property
    def definition(self) -> Definition:
        return self.current.definition

    def fields(self, table: SummaryTable) -> list[QuestionField]:
        """The questions of a table that the chosen sections show."""
        return [
            self.definition.field(field_id)
            for field_id in table.fields
            if self.shows(self.definition.field(field_id))
        ]

    def shows(self, field_: QuestionField) -> bool:
        return not self.sections or self.section_of(field_) in self.sections

    def section_of(self, field_: QuestionField) -> str:
        return self.definition.part(field_.part).section

    def asked_before(self, field_: QuestionField) -> bool:
        """Whether the compared round's questionnaire asked the question."""
        previous = self.previous
        return previous is None or asked_in(field_.id, previous.version, self.definition.version)

    def not_asked_before(self, fields: Iterable[QuestionField]) -> list[Localized]:
        """Notes for the questions the compared round's questionnaire did not ask."""
        previous = self.previous
        return [
            not_asked(field_, [previous.round], previous.version)
            for field_ in fields
            if previous is not None and not self.asked_before(field_)
        ]

    def kinds(self, table: SummaryTable, field_: QuestionField | None = None) -> list[str]:
        """The kinds of agency a table shows: those it names, or all, and of those the
        kinds asked the question."""
        kinds = [k for k in self.definition.kinds if table.kinds is None or k in table.kinds]
        if field_ is None:
            return kinds
        return [kind for kind in kinds if _counts_for(self.definition, field_, kind)]

    def returns_of(self, kind: str, data: RoundData | None = None) -> list[tuple[str, dict]]:
        data = data or self.current
        return sorted(
            (agency, answers)
            for agency, (agency_kind, answers) in data.returns.items()
            if agency_kind == kind
        )

    def atom(self, agency: str, item: tuple[str, ...], data: RoundData | None = None) -> Atom:
        data = data or self.current
        if data.asked is not None and item:
            # A round read in a later version's terms: its figures are archived under the
            # ids its own version gave the questions.
            own = origins(data.asked, data.definition.version).get(item[0], item[0])
            item = (own, *item[1:])
        return Atom(str(data.round), agency, item)


def build_summary(
    archive: Archive,
    registry,
    round_: Round | None = None,
    grouping: Grouping = "region",
    sections: list[str] | None = None,
    compare: Round | Literal["default"] | None = "default",
    loaded: dict[Round, RoundData] | None = None,
    whole_trend: bool = False,
    text: bool = False,
    force: bool = False,
) -> Summary:
    """The tables of a round: its narrative answers only with `text`. `loaded` shares
    rounds already read between calls; `whole_trend` reads every earlier round instead of
    the cached sums, so that the trend too knows which returns each figure adds up
    (publication needs that). A comparison of a whole year with a half-year is refused
    unless `force`d."""
    archive.recover_if_needed()
    loaded = {} if loaded is None else loaded
    round_ = round_ or latest_round(archive)
    archive.warm(r for r in archive.rounds() if r <= round_)
    current = _load(archive, round_, loaded)
    _check_sections(current.definition, sections)
    comparable = True
    if compare == "default":
        # The same round a year earlier, when it reports on a period as long as this one's.
        candidate = round_.previous_comparable
        found = archive.read_round(candidate)
        compare = candidate if found and _comparable(current.period, found.period) else None
    previous = _load(archive, compare, loaded) if compare else None
    if previous is not None:
        previous = in_terms_of(previous, current.definition)
    if previous is not None and not _comparable(current.period, previous.period):
        if not force:
            raise UsageError(
                "summary.not_comparable",
                round=str(round_),
                period=period_label(current.period),
                compare=str(compare),
                compare_period=period_label(previous.period),
            )
        comparable = False
    context = Context(
        archive,
        current,
        previous,
        {agency.id: agency for agency in registry},
        grouping,
        sections,
        loaded if whole_trend else None,
    )
    tables = []
    for declared in current.definition.tables:
        if (declared.shape == "text") != text:
            continue
        for table in BUILDERS[declared.shape](context, declared):
            table.shape = declared.shape
            if table.rows and not (sections and table.section and table.section not in sections):
                tables.append(table)
    tables.sort(key=lambda table: _place(current.definition, table))
    if not comparable:
        for table in tables:
            table.notes.append(message("summary.note_not_comparable"))
    rounds = {r: loaded[r] for r in loaded if r <= round_}
    return Summary(
        round_,
        compare,
        grouping,
        tables,
        rounds=rounds,
        period=current.period,
        compare_period=previous.period if previous else None,
        comparable=comparable,
        received=len(current.returns),
        expected=len(current.expected),
        source=current.source,
    )


# Within a section, the figures first, then how they break down, then the rest.
_SHAPE_ORDER = {
    "headline": 0,
    "indicators": 1,
    "breakdown": 2,
    "codes": 3,
    "choices": 4,
    "answers": 5,
    "list": 6,
    "text": 7,
    "trend": 8,
}


def _place(definition: Definition, table: Table) -> tuple[int, int]:
    """Where a table goes: the headline first, then section by section, the trend last."""
    sections = [section.id for section in definition.sections]
    if table.section is None:
        return (-1 if table.shape == "headline" else len(sections), 0)
    return (sections.index(table.section), _SHAPE_ORDER[table.shape])


def _check_sections(definition: Definition, sections: list[str] | None) -> None:
    known = [section.id for section in definition.sections if section.id != "s0"]
    unknown = [section for section in sections or () if section not in known]
    if unknown:
        raise UsageError(
            "summary.unknown_section", sections=", ".join(unknown), known=", ".join(known)
        )


def _comparable(period: ReportingPeriod | None, other: ReportingPeriod | None) -> bool:
    """Two periods of the same length: two years, or two half-years (a historical series of
    several years compares with neither)."""
    if period is None or other is None:
        return True
    return _years(period) == _years(other)


def _years(period: ReportingPeriod) -> float:
    return round((period.end - period.start).days / 365.25 * 2) / 2


def whole_year(period: ReportingPeriod) -> bool:
    return (period.end - period.start).days > 300


def _load(archive: Archive, round_: Round, loaded: dict[Round, RoundData]) -> RoundData:
    if round_ not in loaded:
        loaded[round_] = load_round(archive, round_)
    return loaded[round_]


def _counts_for(definition: Definition, field_: QuestionField, kind: str) -> bool:
    return bool(
        definition.requirement(field_, kind)
        or (field_.computed and definition.part(field_.part).applies.get(kind))
    )


def _group_of(
    agency_id: str, kind: str, agencies: dict, grouping: Grouping
) -> tuple[str, Localized, bool]:
    """The row an agency's figures go to: its key, label and whether it is below national
    level."""
    agency = agencies.get(agency_id)
    if grouping == "kind":
        return kind, kind_label(load_definition(), kind), False
    region = agency.region if agency else NATIONAL
    if grouping == "agency":
        name = agency.name if agency else agency_id
        return agency_id, Verbatim(name), region != NATIONAL
    return region, region_label(region), region != NATIONAL


def region_label(region: str) -> Localized:
    """A row of a table by region: the region's name, or the national bodies'."""
    if region == NATIONAL:
        return message("summary.national_bodies")
    return load_definition().code_text("region", region)


def _of_kind(label: Localized, kind: str) -> Localized:
    """A figure's label with the kind of agency it counts: "Víctimas identificadas [FCSE]"."""
    return message("summary.of_kind", label=label, kind=kind_label(load_definition(), kind))


def _persons(field_: QuestionField | Any) -> bool:
    return field_.type == "count" and (field_.unit or "persons") == "persons"


def _unit(type_: str) -> Literal["EUR"] | None:
    return "EUR" if type_ == "eur" else None


def _sum(values: list) -> Any:
    total = sum(values)
    return round(total, 2) if isinstance(total, float) else total


def _row_order(key: str, grouping: Grouping):
    if grouping == "region":
        regions = load_definition().code_values("region")
        return (key == NATIONAL, regions.index(key) if key in regions else len(regions), key)
    if grouping == "kind":
        kinds = load_definition().kinds
        return (kinds.index(key) if key in kinds else len(kinds), key)
    return (key,)


# Indicators: questions × kinds as columns, rows by region, kind or agency ----------------


def _indicators(context: Context, declared: SummaryTable) -> list[Table]:
    fields = context.fields(declared)
    if not fields:
        return []
    current, previous, grouping = context.current, context.previous, context.grouping
    definition, agencies = context.definition, context.agencies
    columns = [Column("completeness", message("summary.received_expected"), persons=False)]
    cells: dict[tuple[str, str], Tally] = defaultdict(Tally)
    old_cells: dict[tuple[str, str], Tally] = defaultdict(Tally)
    groups: dict[str, tuple[Localized, bool]] = {}
    expected: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    for agency_id, kind in current.expected.items():
        key, label, subnational = _group_of(agency_id, kind, agencies, grouping)
        groups[key] = (label, subnational)
        expected[key] += 1
        received[key] += agency_id in current.returns
    for field_ in fields:
        for kind in context.kinds(declared, field_):
            values = [
                (agency_id, indicator(definition, field_, data))
                for agency_id, data in context.returns_of(kind)
            ]
            if not any(value is not None for _, value in values):
                continue
            column = f"{field_.id}:{kind}"
            columns.append(
                Column(
                    column,
                    _of_kind(field_.label, kind),
                    persons=_persons(field_),
                    kind=kind,
                    measure=field_.label,
                    unit=_unit(field_.type),
                )
            )
            for agency_id, value in values:
                key, label, subnational = _group_of(agency_id, kind, agencies, grouping)
                groups.setdefault(key, (label, subnational))
                cells[(key, column)].add(context.atom(agency_id, field_item(field_.id)), value)
            if previous is not None:
                for agency_id, data in context.returns_of(kind, previous):
                    key, *_ = _group_of(agency_id, kind, agencies, grouping)
                    if key in groups:
                        atom = context.atom(agency_id, field_item(field_.id), previous)
                        old_cells[(key, column)].add(
                            atom, indicator(previous.definition, field_, data)
                        )
    if len(columns) == 1:
        return []
    rows = []
    unasked = {
        column.key
        for column in columns[1:]
        if not context.asked_before(definition.field(column.key.split(":")[0]))
    }
    for key in sorted(groups, key=lambda k: _row_order(k, grouping)):
        label, subnational = groups[key]
        row = Row(key, label, subnational=subnational, unasked=set(unasked))
        row.values["completeness"] = f"{received[key]}/{expected[key]}"
        for column in columns[1:]:
            row.put(column.key, cells[(key, column.key)])
            row.put(column.key, old_cells[(key, column.key)], previous=True)
        rows.append(row)
    total = Row(TOTAL, message("summary.total_by_kind"), unasked=set(unasked))
    total.values["completeness"] = f"{sum(received.values())}/{sum(expected.values())}"
    for column in columns[1:]:
        for tallies, previous_ in ((cells, False), (old_cells, True)):
            all_rows = Tally()
            for key in groups:
                all_rows.extend(tallies[(key, column.key)])
            total.put(column.key, all_rows, previous=previous_)
    rows.append(total)
    section = context.section_of(fields[0])
    title = declared.title or definition.part(fields[0].part).label
    return [
        Table(
            id=f"{declared.id}_by_{grouping}",
            title=message(f"summary.by_{grouping}", section=title),
            row_heading=message(f"summary.{grouping}"),
            columns=columns,
            rows=rows,
            notes=[
                message("summary.note_kinds"),
                *_declared_note(declared),
                *context.not_asked_before(fields),
            ],
            total_row=TOTAL,
            chart=grouping == "region",
            rows_by=grouping,
            section=section,
        )
    ]


def not_asked(field_: QuestionField, rounds: list[Round], version: int) -> Message:
    return message(
        "lineage.not_asked",
        question=field_.label,
        rounds=", ".join(str(r) for r in rounds),
        version=version,
    )


def _declared_note(declared: SummaryTable) -> list[Localized]:
    return [declared.note] if declared.note else []


# Breakdowns: one question's breakdown for one kind of agency -----------------------------


def _breakdowns(context: Context, declared: SummaryTable) -> list[Table]:
    definition = context.definition
    breakdown = definition.breakdown(declared.breakdown or "")
    # A breakdown without rows (by sex only) has one row, named "": its columns are the
    # table's rows.
    transposed = declared.rows != (breakdown.rows or breakdown.repeat)
    tables = []
    for field_ in context.fields(declared):
        for kind in context.kinds(declared, field_):
            tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
            for agency, data in context.returns_of(kind):
                block = data.get(field_.id)
                cells = block.get(breakdown.id) if isinstance(block, dict) else None
                if cells is None:
                    continue
                for row, column, value in breakdown_cells(definition, breakdown, cells):
                    atom = context.atom(agency, cell_item(field_.id, breakdown.id, row, column))
                    table_row, table_column = (column, row) if transposed else (row, column)
                    if declared.columns is None:
                        table_column = TOTAL
                    tallies[(table_row, table_column)].add(atom, value)
            if not tallies:
                continue
            table = _crossed(context, declared, field_, kind, tallies, breakdown.label)
            tables.append(table)
    return [table for table in tables if table.rows]


def _crossed(
    context: Context,
    declared: SummaryTable,
    field_: QuestionField,
    kind: str,
    tallies: dict[tuple[str, str], Tally],
    subtitle: Localized | None,
) -> Table:
    """Rows of one code list, columns of another (or a total), with the totals of both and
    each row's share of the whole."""
    definition = context.definition
    column_codes = definition.codelist(declared.columns) if declared.columns else ()
    row_codes = {code.code: code for code in definition.codelist(declared.rows or "")}
    keys = [key for key in row_codes if any((key, c) in tallies for c in _keys(column_codes))]
    keys += sorted({row for row, _ in tallies} - set(keys))
    columns = [Column(code.code, code.text) for code in column_codes]
    columns.append(
        Column(TOTAL, message("label.total") if column_codes else message("summary.persons"))
    )
    columns.append(Column(PERCENT, message("summary.percent_of_total"), persons=False, unit="PCT"))
    by_row: dict[str, Tally] = defaultdict(Tally)
    by_column: dict[str, Tally] = defaultdict(Tally)
    for (row, column), tally in tallies.items():
        by_row[row].extend(tally)
        by_column[column].extend(tally)
    if declared.top:
        keys.sort(key=lambda key: (-_sum(by_row[key].values or [0]), key))
    rows = []
    for key in keys[: declared.top] if declared.top else keys:
        code = row_codes.get(key)
        row = Row(key, code.text if code else Verbatim(key), subnational=declared.rows == "region")
        for column in column_codes:
            row.put(column.code, tallies.get((key, column.code), Tally()))
        row.put(TOTAL, by_row[key])
        rows.append(row)
    if declared.top and len(keys) > declared.top:
        other = Tally()
        for key in keys[declared.top :]:
            other.extend(by_row[key])
        row = Row(OTHER, message("summary.others"))
        row.put(TOTAL, other)
        rows.append(row)
    total = Row(TOTAL, message("label.total"))
    everything = Tally()
    for column in column_codes:
        total.put(column.code, by_column[column.code])
    for tally in by_row.values():
        everything.extend(tally)
    total.put(TOTAL, everything)
    rows.append(total)
    base = total.values.get(TOTAL)
    _add_percentages(rows, base)
    label = _of_kind(field_.label, kind)
    return Table(
        id=f"{field_.id}_{kind}_{declared.id}",
        title=message("summary.breakdown_title", label=label, breakdown=subtitle)
        if subtitle
        else label,
        row_heading=definition.codelist_label(declared.rows or ""),
        columns=columns,
        rows=[row for row in rows if row.values] if base else [],
        notes=[message("summary.note_base", base=Number(base or 0)), *_declared_note(declared)],
        total_row=TOTAL,
        total_column=TOTAL,
        chart=declared.chart,
        ranked=bool(declared.top),
        section=context.section_of(field_),
        measure=field_.label,
    )


def _keys(codes) -> list[str]:
    return [code.code for code in codes] or [TOTAL]


def _add_percentages(rows: list[Row], base: Any) -> None:
    for row in rows:
        value = row.values.get(TOTAL)
        if base and value is not None:
            row.values[PERCENT] = round(value / base * 100, 1)


# Codes: a table question whose rows are codes ---------------------------------------------


def _codes(context: Context, declared: SummaryTable) -> list[Table]:
    tables = []
    for field_ in context.fields(declared):
        key_column = next((column for column in field_.columns if column.key), None)
        codelist = field_.rows or (key_column.codelist if key_column else None) or ""
        numeric = [c for c in field_.columns if c.type in ("count", "eur", "number")]
        single = len(numeric) == 1
        for kind in context.kinds(declared, field_):
            tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
            for agency, data in context.returns_of(kind):
                answer = data.get(field_.id) or {}
                keyed = answer.items() if isinstance(answer, dict) else enumerate(answer)
                for key, row in keyed:
                    code = key if field_.rows else row.get(key_column.id)
                    if code is None:
                        continue
                    for column in numeric:
                        atom = context.atom(agency, (field_.id, str(key), column.id))
                        tallies[(str(code), TOTAL if single else column.id)].add(
                            atom, row.get(column.id)
                        )
            if not tallies:
                continue
            if single:
                shaped = declared.model_copy(update={"rows": codelist, "columns": None})
                table = _crossed(context, shaped, field_, kind, tallies, None)
                table.id = f"{field_.id}_{kind}"
                table.columns[-2] = Column(TOTAL, numeric[0].label, persons=_persons(numeric[0]))
                tables.append(table)
                continue
            tables.append(_code_rows(context, declared, field_, kind, codelist, numeric, tallies))
    return [table for table in tables if table.rows]


def _code_rows(context, declared, field_, kind, codelist, numeric, tallies) -> Table:
    """A code table of several figures per code: a column for each, and their totals."""
    definition = context.definition
    columns = [
        Column(c.id, c.label, persons=_persons(c), unit=_unit(c.type), measure=c.label)
        for c in numeric
    ]
    rows = []
    totals: dict[str, Tally] = defaultdict(Tally)
    for code in definition.codelist(codelist):
        if not any((code.code, c.key) in tallies for c in columns):
            continue
        row = Row(code.code, code.text, subnational=codelist == "region")
        for column in columns:
            tally = tallies.get((code.code, column.key), Tally())
            row.put(column.key, tally)
            totals[column.key].extend(tally)
        rows.append(row)
    total = Row(TOTAL, message("label.total"))
    for column in columns:
        total.put(column.key, totals[column.key])
    return Table(
        id=f"{field_.id}_{kind}",
        title=_of_kind(field_.label, kind),
        row_heading=definition.codelist_label(codelist),
        columns=columns,
        rows=[*rows, total] if rows else [],
        notes=_declared_note(declared),
        total_row=TOTAL,
        chart=declared.chart,
        section=context.section_of(field_),
        measure=columns[0].label,
    )


# Choices: how many agencies (or rows) chose each code ------------------------------------


def _choices(context: Context, declared: SummaryTable) -> list[Table]:
    definition = context.definition
    tables = []
    for field_ in context.fields(declared):
        column = next((c for c in field_.columns if c.id == declared.column), None)
        codelist = column.codelist if column else field_.codelist
        counts: dict[tuple[str, str], int] = defaultdict(int)
        answered: dict[str, int] = defaultdict(int)
        kinds = []
        for kind in context.kinds(declared, field_):
            for _, data in context.returns_of(kind):
                answer = data.get(field_.id)
                chosen = (
                    [_as_list(row.get(column.id)) for row in answer or []]
                    if column
                    else [_as_list(answer)]
                )
                for codes in chosen:
                    if codes:
                        answered[kind] += 1
                    for code in codes:
                        counts[(str(code), kind)] += 1
            if answered[kind]:
                kinds.append(kind)
        if not kinds:
            continue
        columns = [
            Column(kind, kind_label(definition, kind), persons=False, kind=kind) for kind in kinds
        ]
        rows = []
        for code in definition.codelist(codelist or ""):
            if any(counts.get((code.code, kind)) for kind in kinds):
                rows.append(
                    Row(code.code, code.text, {k: counts.get((code.code, k), 0) for k in kinds})
                )
        what = "summary.rows_answering" if column else "summary.agencies_answering"
        rows.append(Row(TOTAL, message(what), {kind: answered[kind] for kind in kinds}))
        label = column.label if column else field_.label
        tables.append(
            Table(
                id=f"{field_.id}_{declared.id}" if column else field_.id,
                title=message("summary.breakdown_title", label=field_.label, breakdown=label)
                if column
                else field_.label,
                row_heading=definition.codelist_label(codelist or ""),
                columns=columns,
                rows=rows,
                notes=_declared_note(declared),
                total_row=TOTAL,
                section=context.section_of(field_),
            )
        )
    return tables


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


# Answers: what each agency of some kinds answered ----------------------------------------


def _answers(context: Context, declared: SummaryTable) -> list[Table]:
    definition = context.definition
    fields = context.fields(declared)
    if not fields:
        return []
    rows = []
    for kind in context.kinds(declared):
        for agency_id, data in context.returns_of(kind):
            values = {
                field_.id: _answer(definition, field_, data.get(field_.id)) for field_ in fields
            }
            values = {key: value for key, value in values.items() if value is not None}
            if not values:
                continue
            agency = context.agencies.get(agency_id)
            if declared.rows == "region" and agency is not None and agency.region != NATIONAL:
                rows.append(Row(agency.region, region_label(agency.region), values))
            else:
                rows.append(Row(agency_id, Verbatim(agency.name if agency else agency_id), values))
    regions = definition.code_values("region")
    rows.sort(key=lambda row: (regions.index(row.key) if row.key in regions else 99, row.key))
    return [
        Table(
            id=declared.id,
            title=declared.title or fields[0].label,
            row_heading=message(f"summary.{declared.rows}"),
            columns=[
                Column(f.id, f.label, persons=_persons(f), unit=_unit(f.type)) for f in fields
            ],
            rows=rows,
            notes=_declared_note(declared),
            rows_by="agency" if declared.rows == "agency" else None,
            section=context.section_of(fields[0]),
        )
    ]


def _answer(definition: Definition, field_: Any, value: Any) -> Any:
    """An answer as the summary shows it: codes with their labels, dates as dates."""
    if value is None:
        return None
    codelist = getattr(field_, "codelist", None)
    if field_.type == "choice" and codelist:
        return definition.coded(codelist, str(value))
    if field_.type == "multichoice" and codelist:
        codes = [str(code) for code in _as_list(value)]
        if not codes:
            return None
        return Coded(
            ",".join(codes), Listed(tuple(definition.code_text(codelist, c) for c in codes))
        )
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


# Lists and texts: the agencies' own rows and words, for the office -----------------------


def _lists(context: Context, declared: SummaryTable) -> list[Table]:
    definition = context.definition
    tables = []
    for field_ in context.fields(declared):
        described, *others = field_.columns
        rows = []
        for kind in context.kinds(declared, field_):
            for agency_id, data in context.returns_of(kind):
                for number, entry in enumerate(data.get(field_.id) or [], start=1):
                    values = {
                        "agency": _agency(agency_id, context.agencies),
                        "kind": kind_coded(definition, kind),
                    }
                    for column in others:
                        value = _answer(definition, column, entry.get(column.id))
                        if value is not None:
                            values[column.id] = value
                    label = entry.get(described.id)
                    rows.append(Row(f"{agency_id}:{number}", Verbatim(str(label or "—")), values))
        if not rows:
            continue
        tables.append(
            Table(
                id=field_.id,
                title=message("summary.listed", label=field_.label),
                row_heading=described.label,
                columns=[
                    Column("agency", message("summary.agency"), persons=False),
                    Column("kind", message("summary.kind_short"), persons=False),
                    *(
                        Column(c.id, c.label, persons=_persons(c), unit=_unit(c.type))
                        for c in others
                    ),
                ],
                rows=rows,
                free_text=True,
                section=context.section_of(field_),
            )
        )
    return tables


def _agency(agency_id: str, agencies: dict) -> Coded:
    agency = agencies.get(agency_id)
    return Coded(agency_id, Verbatim(agency.name if agency else agency_id))


def _texts(context: Context, declared: SummaryTable) -> list[Table]:
    fields = context.fields(declared)
    definition = context.definition
    if not fields:
        return []
    rows = []
    for kind in definition.kinds:
        for agency_id, data in context.returns_of(kind):
            values = {
                "kind": kind_coded(definition, kind),
                **{
                    field_.id: data[field_.id].strip()
                    for field_ in fields
                    if isinstance(data.get(field_.id), str) and data[field_.id].strip()
                },
            }
            if len(values) > 1:
                agency = context.agencies.get(agency_id)
                rows.append(Row(agency_id, Verbatim(agency.name if agency else agency_id), values))
    section = definition.section_of(fields[-1])
    return [
        Table(
            id=declared.id,
            title=declared.title or section.label,
            row_heading=message("summary.agency"),
            columns=[
                Column("kind", message("summary.kind_short"), persons=False),
                *(Column(f.id, f.label, persons=False) for f in fields),
            ],
            rows=rows,
            free_text=True,
            section=section.id,
        )
    ]


# Headline figures, each from its reference source ----------------------------------------


def _headline(context: Context, declared: SummaryTable) -> list[Table]:
    definition = context.definition
    rows = []
    for item in declared.indicators:
        field_ = definition.field(item.field)
        if not context.shows(field_):
            continue
        base = f"{item.field}:{item.kind}"
        key = f"{base}:{item.share}" if item.share else base
        row = Row(
            key,
            item.label or field_.label,
            {"source": kind_coded(definition, item.kind)},
            base=base if item.share else None,
        )
        for data, previous in ((context.current, False), (context.previous, True)):
            if data is None:
                continue
            tally = Tally()
            for agency, answers in context.returns_of(item.kind, data):
                if item.share:
                    for atom, value in _share_cells(data.definition, field_, item, answers):
                        tally.add(context.atom(agency, atom, data), value)
                else:
                    atom = context.atom(agency, field_item(field_.id), data)
                    tally.add(atom, indicator(data.definition, field_, answers))
            row.put(TOTAL, tally, previous=previous)
        if TOTAL in row.values or TOTAL in row.previous:
            rows.append(row)
    by_key = {row.key: row for row in rows}
    for row in rows:
        base = by_key.get(row.base or "")
        if base is not None and base.values.get(TOTAL) and TOTAL in row.values:
            row.values[PERCENT] = round(row.values[TOTAL] / base.values[TOTAL] * 100, 1)
    return [
        Table(
            id=declared.id,
            title=declared.title or definition.title,
            row_heading=message("summary.figure"),
            columns=[
                Column("source", message("summary.source"), persons=False),
                Column(TOTAL, message("summary.figure_value")),
                Column(PERCENT, message("summary.percent_of_figure"), persons=False, unit="PCT"),
            ],
            rows=rows,
            notes=_declared_note(declared),
        )
    ]


def _share_cells(definition, field_, item, answers) -> Iterator[tuple[tuple, Any]]:
    """The cells of an agency's breakdown that a headline share adds up."""
    breakdown = definition.breakdown(item.breakdown)
    block = answers.get(field_.id)
    cells = block.get(breakdown.id) if isinstance(block, dict) else None
    if cells is None:
        return
    wanted = share_codes(definition, breakdown, item.share)
    for row, column, value in breakdown_cells(definition, breakdown, cells):
        if row in wanted or column in wanted:
            yield cell_item(field_.id, breakdown.id, row, column), value


# The trend: figures over rounds, whole years and half-years apart ------------------------


TREND_CACHE = 3
"""Raise when `_trend_cells` changes: sums cached by an older release are then recomputed."""


def _trend_fields(definition: Definition) -> list[QuestionField]:
    found: dict[str, QuestionField] = {}
    for table in definition.tables:
        if table.shape == "trend":
            for field_id in table.fields:
                found[field_id] = definition.field(field_id)
    return list(found.values())


def _trend_cells(
    round_text: str, definition: Definition, returns: Iterable[tuple[str, str, dict[str, Any]]]
) -> dict[str, Tally]:
    """Per "field:kind", each trend figure that at least one agency of that kind gave,
    added up over a round's returns (agency, kind, data)."""
    cells: dict[str, Tally] = defaultdict(Tally)
    fields = _trend_fields(definition)
    for agency, kind, data in returns:
        for field_ in fields:
            value = indicator(definition, field_, data)
            if value is not None:
                cells[f"{field_.id}:{kind}"].add(
                    Atom(round_text, agency, field_item(field_.id)), value
                )
    return cells


def _trend_sums(view) -> dict[str, int] | None:
    """The sums of `_trend_cells` from a consolidated view; None for a round without
    returns. Cached beside the view, so that a trend over many rounds reads no return."""
    returns = view.body.get("returns", {})
    if not returns:
        return None
    definition = load_definition(view.header.get("questionnaire_version") or 1)
    cells = _trend_cells(
        "",
        definition,
        (
            (agency, entry["kind"], from_sections(entry.get("data", {})))
            for agency, entry in returns.items()
        ),
    )
    return {key: _sum(tally.values) for key, tally in cells.items()}


def _trend(context: Context, declared: SummaryTable) -> list[Table]:
    """Each figure of the trend per kind (rows) in the latest rounds up to this one
    (columns): one table for the rounds that report a whole year, one for half-years.
    Read whole when the context has every round loaded, from the cached sums otherwise."""
    archive, round_ = context.archive, context.current.round
    version = context.definition.version
    found: dict[Round, dict[str, Tally]] = {}
    periods: dict[Round, ReportingPeriod] = {}
    versions: dict[Round, int] = {}
    historical: dict[Round, str] = {}
    for r in archive.rounds():
        record = archive.read_round(r) if r <= round_ else None
        if record is None:
            continue
        periods[r] = record.period
        versions[r] = record.questionnaire_version
        if record.historical:
            historical[r] = record.source
        if context.loaded is not None:
            data = _load(archive, r, context.loaded)
            if data.returns:
                cells = _trend_cells(
                    str(r),
                    data.definition,
                    ((agency, kind, values) for agency, (kind, values) in data.returns.items()),
                )
                found[r] = renamed_keys(cells, versions[r], version)
            continue
        sums = archive.derived(r, f"trend-{TREND_CACHE}", _trend_sums)
        if sums is not None:
            sums = renamed_keys(sums, versions[r], version)
            found[r] = {key: Tally([value]) for key, value in sums.items()}
    fields = [field_ for field_ in context.fields(declared) if _persons(field_)]
    tables = []
    for whole, suffix in ((True, "year"), (False, "half")):
        rounds = [r for r in found if whole_year(periods[r]) == whole][-declared.rounds :]
        if len(rounds) < 2:
            continue
        columns = [
            Column(
                str(r),
                message("summary.historical_column", period=periods[r].code)
                if r in historical
                else period_label(periods[r], short=True),
                measure=declared.title,
            )
            for r in rounds
        ]
        rows = []
        notes = list(_declared_note(declared))
        for field_ in fields:
            shown = False
            unasked = [r for r in rounds if not asked_in(field_.id, versions[r], version)]
            for kind in context.kinds(declared):
                key = f"{field_.id}:{kind}"
                if not any(key in found[r] for r in rounds):
                    continue
                shown = True
                row = Row(key, _of_kind(field_.label, kind), unasked={str(r) for r in unasked})
                for r in rounds:
                    if key in found[r]:
                        row.put(str(r), found[r][key])
                rows.append(row)
            if shown and unasked:
                notes.append(not_asked(field_, unasked, versions[unasked[0]]))
        for r in rounds:
            if r in historical:
                notes.append(
                    message("summary.note_historical", period=periods[r].code,
                            source=historical[r])
                )  # fmt: skip
        title = message(f"summary.trend_{suffix}", title=declared.title or "")
        tables.append(
            Table(
                id=f"{declared.id}_{suffix}",
                title=title,
                row_heading=message("summary.series"),
                columns=columns,
                rows=rows,
                notes=notes,
                chart=declared.chart,
            )
        )
    return tables


BUILDERS: dict[str, Callable[[Context, SummaryTable], list[Table]]] = {
    "headline": _headline,
    "indicators": _indicators,
    "breakdown": _breakdowns,
    "codes": _codes,
    "choices": _choices,
    "answers": _answers,
    "list": _lists,
    "text": _texts,
    "trend": _trend,
}
"""How each shape of the definition's `[[table]]` entries is built."""
