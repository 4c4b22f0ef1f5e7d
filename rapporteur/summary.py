"""What the Rapporteur reports: consolidated tables computed from the archive.

Figures are read from each round's latest consolidated view, never from spreadsheets.
Figures of different kinds of agency are never added: police-identified victims, NGO
outreach and regional assistance are different measures of overlapping people, so every
column says which kind of agency it counts, and totals are per kind. Percentages are
computed from counts and state their base.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from rapporteur.archive import Archive, from_sections
from rapporteur.definition import (
    Definition,
    QuestionField,
    kind_coded,
    kind_label,
    load_definition,
)
from rapporteur.figures import Atom, cell_item, field_item, indicator
from rapporteur.messages import Coded, Localized, Message, Number, Verbatim, message
from rapporteur.problems import UsageError
from rapporteur.rounds import Round
from rapporteur.status import NATIONAL, latest_round, round_record

Grouping = Literal["region", "kind", "agency"]
TOP_NATIONALITIES = 10
OTHER = "OTHER"


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

    def add(self, atom: Atom, value: Any) -> None:
        if value is not None:
            self.values.append(value)
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
    notes: list[Message] = field(default_factory=list)
    detailed: bool = False
    """Three or more dimensions: the higher publication threshold applies to all of it."""
    total_row: str | None = None
    total_column: str | None = None
    free_text: bool = False
    chart: Literal["bar", "line"] | None = None
    rows_by: Grouping | None = None
    """What the rows are when they are regions, kinds or agencies."""
    ranked: bool = False
    """Rows are the largest codes, then "other": small codes fold into it when published."""


@dataclass
class Summary:
    round: Round
    compare: Round | None
    grouping: Grouping
    tables: list[Table]
    published: bool = False
    rounds: dict[Round, "RoundData"] = field(default_factory=dict)
    """Every round whose returns the tables add up."""


@dataclass
class RoundData:
    round: Round
    definition: Definition
    returns: dict[str, tuple[str, dict[str, Any]]]
    """By agency: its kind and its return."""
    expected: dict[str, str]
    """By agency issued the round: its kind."""


def load_round(archive: Archive, round_: Round) -> RoundData:
    record = round_record(archive, round_)
    view = archive.consolidated(round_)
    returns = {}
    for agency, entry in (view.body.get("returns", {}) if view else {}).items():
        returns[agency] = (entry["kind"], from_sections(entry.get("data", {})))
    expected = {}
    for agency in record.issued_agencies():
        expected[agency] = record.current_issue(agency).kind
    return RoundData(round_, load_definition(record.questionnaire_version), returns, expected)


def summary_fields(definition: Definition, sections: list[str] | None) -> list[QuestionField]:
    chosen = [
        field_
        for field_ in definition.fields
        if field_.summary and (not sections or definition.part(field_.part).section in sections)
    ]
    if sections and not chosen:
        known = ", ".join(s.id for s in definition.sections if s.id != "s0")
        raise UsageError("summary.unknown_section", sections=", ".join(sections), known=known)
    return chosen


def build_summary(
    archive: Archive,
    registry,
    round_: Round | None = None,
    grouping: Grouping = "region",
    sections: list[str] | None = None,
    compare: Round | Literal["default"] | None = "default",
    loaded: dict[Round, RoundData] | None = None,
    whole_trend: bool = False,
) -> Summary:
    """The tables of a round. `loaded` shares rounds already read between calls;
    `whole_trend` reads every earlier round instead of the cached sums, so that the trend
    too knows which returns each figure adds up (publication needs that)."""
    archive.recover_if_needed()
    loaded = {} if loaded is None else loaded
    round_ = round_ or latest_round(archive)
    current = _load(archive, round_, loaded)
    if compare == "default":
        candidate = round_.previous_comparable
        compare = candidate if archive.read_round(candidate) else None
    previous = _load(archive, compare, loaded) if compare else None
    agencies = {agency.id: agency for agency in registry}
    fields = summary_fields(current.definition, sections)
    tables = []
    by_section: dict[str, list[QuestionField]] = defaultdict(list)
    for field_ in fields:
        by_section[current.definition.part(field_.part).section].append(field_)
    for section_id, section_fields in by_section.items():
        section = next(s for s in current.definition.sections if s.id == section_id)
        tables.append(
            _main_table(
                current, previous, agencies, grouping, section.id, section.label, section_fields
            )
        )
    tables.extend(_breakdown_tables(current, sections))
    if not sections or "s2" in sections:
        tables.append(_resources_by_region(current, agencies))
    if not sections or "s3" in sections:
        tables.extend(_prevention_tables(current, agencies))
        tables.append(_protocols(current, agencies))
    tables.append(_trend_table(archive, current, fields, loaded if whole_trend else None))
    rounds = {r: loaded[r] for r in loaded if r <= round_}
    return Summary(round_, compare, grouping, [t for t in tables if t.rows], rounds=rounds)


def _load(archive: Archive, round_: Round, loaded: dict[Round, RoundData]) -> RoundData:
    if round_ not in loaded:
        loaded[round_] = load_round(archive, round_)
    return loaded[round_]


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
    return region, _region_label(region), region != NATIONAL


def _region_label(region: str) -> Localized:
    if region == NATIONAL:
        return message("summary.national_bodies")
    return load_definition().code_text("region", region)


def _main_table(current, previous, agencies, grouping, section_id, section_label, fields) -> Table:
    definition = current.definition
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
        for kind in definition.kinds:
            if not (
                definition.requirement(field_, kind)
                or (field_.computed and definition.part(field_.part).applies.get(kind))
            ):
                continue
            values = [
                (agency_id, indicator(definition, field_, data))
                for agency_id, (agency_kind, data) in current.returns.items()
                if agency_kind == kind
            ]
            if not any(value is not None for _, value in values):
                continue
            column = f"{field_.id}:{kind}"
            columns.append(
                Column(
                    column,
                    _of_kind(field_.label, kind),
                    persons=(field_.unit or "persons") == "persons" and field_.type == "count",
                    kind=kind,
                    measure=field_.label,
                    unit="EUR" if field_.type == "eur" else None,
                )
            )
            for agency_id, value in values:
                key, label, subnational = _group_of(agency_id, kind, agencies, grouping)
                groups.setdefault(key, (label, subnational))
                atom = Atom(str(current.round), agency_id, field_item(field_.id))
                cells[(key, column)].add(atom, value)
            if previous is not None:
                for agency_id, (agency_kind, data) in previous.returns.items():
                    if agency_kind == kind:
                        key, *_ = _group_of(agency_id, kind, agencies, grouping)
                        if key in groups:
                            atom = Atom(str(previous.round), agency_id, field_item(field_.id))
                            old_cells[(key, column)].add(
                                atom, indicator(previous.definition, field_, data)
                            )
    rows = []
    for key in sorted(groups, key=lambda k: _row_order(k, grouping)):
        label, subnational = groups[key]
        row = Row(key, label, subnational=subnational)
        row.values["completeness"] = f"{received[key]}/{expected[key]}"
        for column in columns[1:]:
            row.put(column.key, cells[(key, column.key)])
            row.put(column.key, old_cells[(key, column.key)], previous=True)
        rows.append(row)
    total = Row("TOTAL", message("summary.total_by_kind"))
    total.values["completeness"] = f"{sum(received.values())}/{sum(expected.values())}"
    for column in columns[1:]:
        for tallies, previous_ in ((cells, False), (old_cells, True)):
            all_rows = Tally()
            for key in groups:
                all_rows.extend(tallies[(key, column.key)])
            total.put(column.key, all_rows, previous=previous_)
    rows.append(total)
    return Table(
        id=f"{section_id}_by_{grouping}",
        title=message(f"summary.by_{grouping}", section=section_label),
        row_heading=message(f"summary.{grouping}"),
        columns=columns,
        rows=rows,
        notes=[message("summary.note_kinds")],
        total_row="TOTAL",
        chart="bar" if grouping == "region" else None,
        rows_by=grouping,
    )


def _of_kind(label: Localized, kind: str) -> Localized:
    """A figure's label with the kind of agency it counts: "Víctimas identificadas [FCSE]"."""
    return message("summary.of_kind", label=label, kind=kind_label(load_definition(), kind))


def _coded(definition: Definition, codelist: str, code: Any) -> Coded | None:
    if code is None:
        return None
    return definition.coded(codelist, str(code))


def _agency(agency_id: str, agencies: dict) -> Coded:
    agency = agencies.get(agency_id)
    return Coded(agency_id, Verbatim(agency.name if agency else agency_id))


def _row_order(key: str, grouping: Grouping):
    if grouping == "region":
        regions = load_definition().code_values("region")
        return (key == NATIONAL, regions.index(key) if key in regions else len(regions), key)
    return (key,)


def _sum(values: list) -> Any:
    total = sum(values)
    return round(total, 2) if isinstance(total, float) else total


BREAKDOWN_FIELDS = (
    "s1_identified_victims_thb",
    "s1_presumed_victims_thb",
    "s2_victims_assisted",
    "s1_outreach_signs_thb_or_se",
)


def _breakdown_tables(current: RoundData, sections: list[str] | None) -> list[Table]:
    definition = current.definition
    tables = []
    for field_id in BREAKDOWN_FIELDS:
        field_ = definition.field(field_id)
        if sections and definition.part(field_.part).section not in sections:
            continue
        for kind in definition.kinds:
            blocks = [
                (Atom(str(current.round), agency_id, ()), data.get(field_id))
                for agency_id, (agency_kind, data) in current.returns.items()
                if agency_kind == kind and isinstance(data.get(field_id), dict)
            ]
            if not blocks:
                continue
            label = _of_kind(field_.label, kind)
            tables.append(_sex_age(definition, field_id, kind, label, blocks))
            tables.append(_by_form(definition, field_id, kind, label, blocks))
            tables.append(_nationalities(definition, field_id, kind, label, blocks))
    return tables


def _cell(agency: Atom, field_id: str, breakdown: str, row: str, column: str) -> Atom:
    """The atom of one breakdown cell; `agency` is an atom of the return with no item."""
    return agency._replace(item=cell_item(field_id, breakdown, row, column))


def _sex_age(definition, field_id, kind, label, blocks) -> Table:
    sexes = definition.codelist("sex")
    columns = [Column(code.code, code.text) for code in sexes]
    columns.append(Column("TOTAL", message("label.total")))
    columns.append(Column("PCT", message("summary.percent_of_total"), persons=False, unit="PCT"))
    rows = []
    by_sex: dict[str, Tally] = defaultdict(Tally)
    for band in definition.codelist("age_band"):
        row = Row(band.code, band.text)
        both = Tally()
        for sex in sexes:
            tally = Tally()
            for agency, block in blocks:
                value = block.get("sex_age", {}).get(sex.code, {}).get(band.code)
                tally.add(_cell(agency, field_id, "sex_age", sex.code, band.code), value)
            row.put(sex.code, tally)
            both.extend(tally)
            by_sex[sex.code].extend(tally)
        row.put("TOTAL", both)
        rows.append(row)
    total = Row("TOTAL", message("label.total"))
    everything = Tally()
    for sex in sexes:
        total.put(sex.code, by_sex[sex.code])
        everything.extend(by_sex[sex.code])
    total.put("TOTAL", everything)
    rows.append(total)
    _add_percentages(rows, "TOTAL", total.values.get("TOTAL"))
    return Table(
        id=f"{field_id}_{kind}_sex_age",
        title=message("summary.by_sex_age", label=label),
        row_heading=message("summary.age_band"),
        columns=columns,
        rows=[row for row in rows if row.values],
        notes=[message("summary.note_base", base=Number(total.values.get("TOTAL", 0)))],
        total_row="TOTAL",
        total_column="TOTAL",
    )


def _by_form(definition, field_id, kind, label, blocks) -> Table:
    sexes = definition.code_values("sex")
    columns = [
        Column("TOTAL", message("summary.persons")),
        Column("PCT", message("summary.percent_of_total"), persons=False, unit="PCT"),
    ]
    rows = []
    everything = Tally()
    for form in definition.codelist("exploitation"):
        tally = Tally()
        for agency, block in blocks:
            row_values = block.get("form_sex", {}).get(form.code, {})
            for sex in sexes:
                tally.add(_cell(agency, field_id, "form_sex", form.code, sex), row_values.get(sex))
        if tally.values:
            row = Row(form.code, form.text)
            row.put("TOTAL", tally)
            rows.append(row)
            everything.extend(tally)
    total = Row("TOTAL", message("label.total"), {"TOTAL": 0})
    total.put("TOTAL", everything)
    rows.append(total)
    _add_percentages(rows, "TOTAL", total.values["TOTAL"])
    return Table(
        id=f"{field_id}_{kind}_form",
        title=message("summary.by_form", label=label),
        row_heading=message("summary.form"),
        columns=columns,
        rows=rows if len(rows) > 1 else [],
        notes=[message("summary.note_base", base=Number(total.values["TOTAL"]))],
        total_row="TOTAL",
        chart="bar",
    )


def _nationalities(definition, field_id, kind, label, blocks) -> Table:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for agency, block in blocks:
        for row in block.get("citizenship_sex", []):
            for sex in ("F", "M", "UNK"):
                cell = _cell(agency, field_id, "citizenship_sex", row["code"], sex)
                tallies[row["code"]].add(cell, row.get(sex))
    counts = {code: _sum(tally.values) for code, tally in tallies.items()}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = []
    for code, _ in ranked[:TOP_NATIONALITIES]:
        row = Row(code, definition.code_text("citizenship", code))
        row.put("TOTAL", tallies[code])
        rows.append(row)
    other = Tally()
    for code, _ in ranked[TOP_NATIONALITIES:]:
        other.extend(tallies[code])
    if _sum(other.values):
        row = Row(OTHER, message("summary.other_nationalities"))
        row.put("TOTAL", other)
        rows.append(row)
    everything = Tally()
    for tally in tallies.values():
        everything.extend(tally)
    total = Row("TOTAL", message("label.total"), {"TOTAL": 0})
    total.put("TOTAL", everything)
    rows.append(total)
    _add_percentages(rows, "TOTAL", total.values["TOTAL"])
    return Table(
        id=f"{field_id}_{kind}_citizenship",
        title=message("summary.main_nationalities", label=label),
        row_heading=message("summary.citizenship"),
        columns=[
            Column("TOTAL", message("summary.persons")),
            Column("PCT", message("summary.percent_of_total"), persons=False, unit="PCT"),
        ],
        rows=rows if total.values["TOTAL"] else [],
        notes=[message("summary.note_base", base=Number(total.values["TOTAL"]))],
        total_row="TOTAL",
        ranked=True,
    )


def _add_percentages(rows: list[Row], column: str, base: Any) -> None:
    for row in rows:
        value = row.values.get(column)
        if base and value is not None:
            row.values["PCT"] = round(value / base * 100, 1)


def _resources_by_region(current: RoundData, agencies: dict) -> Table:
    definition = current.definition
    columns = []
    cells: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    metrics = (
        ("resources", "s2_housing_resources"),
        ("places", "s2_housing_places"),
        ("centres", "s2_nonresidential_centres"),
    )
    round_text = str(current.round)
    for agency_id, (kind, data) in current.returns.items():
        for region, row in (data.get("s2_resources_by_region") or {}).items():
            for metric, _ in metrics:
                atom = Atom(round_text, agency_id, ("s2_resources_by_region", region, metric))
                cells[region][f"{metric}:{kind}"].add(atom, row.get(metric))
        if kind == "CCAA" and agency_id in agencies:
            region = agencies[agency_id].region
            for metric, field_id in metrics:
                atom = Atom(round_text, agency_id, field_item(field_id))
                cells[region][f"{metric}:CCAA"].add(atom, data.get(field_id))
    values = {
        region: {key: tally for key, tally in found.items() if tally.values}
        for region, found in cells.items()
    }
    values = {region: found for region, found in values.items() if found}
    present = {key for row in values.values() for key in row}
    for kind in definition.kinds:
        for metric, _ in metrics:
            key = f"{metric}:{kind}"
            if key in present:
                label = _of_kind(message(f"summary.{metric}"), kind)
                columns.append(Column(key, label, persons=False))
    rows = []
    for code in definition.codelist("region"):
        if code.code in values:
            row = Row(code.code, code.text, subnational=True)
            for key, tally in values[code.code].items():
                row.put(key, tally)
            rows.append(row)
    total = Row("TOTAL", message("summary.total_by_kind"))
    for column in columns:
        everywhere = Tally()
        for found in values.values():
            everywhere.extend(found.get(column.key, Tally()))
        total.put(column.key, everywhere)
    return Table(
        id="s2_resources_by_region",
        title=message("summary.resources_title"),
        row_heading=message("summary.region"),
        columns=columns,
        rows=[*rows, total] if rows else [],
        notes=[message("summary.note_resources")],
        total_row="TOTAL",
    )


def _prevention_tables(current: RoundData, agencies) -> list[Table]:
    definition = current.definition
    trainings, campaigns = [], []
    audiences: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for agency_id, (kind, data) in sorted(current.returns.items()):
        for row in data.get("s3_trainings") or []:
            trainings.append((agency_id, kind, row))
        named: dict[str, int] = defaultdict(int)
        for row in data.get("s3_campaigns") or []:
            campaigns.append((agency_id, kind, row))
            for audience in row.get("audience") or []:
                named[audience] += 1
        for audience, count in named.items():
            atom = Atom(str(current.round), agency_id, ("s3_campaigns", "audience", audience))
            audiences[audience][kind].add(atom, count)
    tables = []
    if trainings:
        rows = [
            Row(
                f"{agency}:{index}",
                Verbatim(row.get("title", "—")),
                {
                    "agency": _agency(agency, agencies),
                    "kind": kind_coded(definition, kind),
                    "target_group": _coded(
                        definition, "training_target_group", row.get("target_group")
                    ),
                    "hours": row.get("hours"),
                    "participants": row.get("participants"),
                },
            )
            for index, (agency, kind, row) in enumerate(trainings, start=1)
        ]
        tables.append(
            Table(
                id="s3_trainings",
                title=message("summary.trainings_title"),
                row_heading=message("summary.training"),
                columns=[
                    Column("agency", message("summary.agency"), persons=False),
                    Column("kind", message("summary.kind_short"), persons=False),
                    Column("target_group", message("summary.trainees"), persons=False),
                    Column("hours", message("summary.hours"), persons=False),
                    Column("participants", message("summary.participants")),
                ],
                rows=rows,
                free_text=True,
            )
        )
    if campaigns:
        columns = [
            Column(kind, _of_kind(message("summary.campaigns"), kind), persons=False)
            for kind in definition.kinds
            if any(k == kind for _, k, _ in campaigns)
        ]
        rows = []
        for code in definition.codelist("campaign_audience"):
            if code.code in audiences:
                row = Row(code.code, code.text)
                for kind, tally in audiences[code.code].items():
                    row.put(kind, tally)
                rows.append(row)
        tables.append(
            Table(
                id="s3_campaigns_by_audience",
                title=message("summary.campaigns_by_audience"),
                row_heading=message("summary.audience"),
                columns=columns,
                rows=rows,
                notes=[message("summary.note_audiences")],
            )
        )
        tables.append(
            Table(
                id="s3_campaigns",
                title=message("summary.campaigns_title"),
                row_heading=message("summary.campaign"),
                columns=[
                    Column("agency", message("summary.agency"), persons=False),
                    Column("kind", message("summary.kind_short"), persons=False),
                    Column("scope", message("summary.scope"), persons=False),
                    Column("reach", message("summary.reach"), persons=False),
                ],
                rows=[
                    Row(
                        f"{agency}:{i}",
                        Verbatim(row.get("name", "—")),
                        {
                            "agency": _agency(agency, agencies),
                            "kind": kind_coded(definition, kind),
                            "scope": _coded(definition, "scope", row.get("scope")),
                            "reach": row.get("reach"),
                        },
                    )
                    for i, (agency, kind, row) in enumerate(campaigns, start=1)
                ],
                free_text=True,
            )
        )
    return tables


def _protocols(current: RoundData, agencies: dict) -> Table:
    """The regional protocols against trafficking, region by region."""
    definition = current.definition
    statuses = {}
    for agency_id, (kind, data) in current.returns.items():
        if kind == "CCAA" and agency_id in agencies and data.get("s3_regional_protocol_in_force"):
            statuses[agencies[agency_id].region] = data["s3_regional_protocol_in_force"]
    rows = []
    for code in definition.codelist("region"):
        if code.code in statuses:
            status = statuses[code.code]
            label = _coded(definition, "protocol_status", status)
            rows.append(Row(code.code, code.text, {"code": label}))
    in_force = sum(statuses[row.key] == "YES" for row in rows)
    return Table(
        id="s3_regional_protocols",
        title=message("summary.protocols_title"),
        row_heading=message("summary.region"),
        columns=[Column("code", message("summary.protocol"), persons=False)],
        rows=rows,
        notes=[message("summary.note_protocols", count=in_force, regions=len(rows))],
    )


TREND_CACHE = 2
"""Raise when `_trend_cells` changes: sums cached by an older release are then recomputed."""


def _counts_persons(field_: QuestionField) -> bool:
    return field_.type == "count" and (field_.unit or "persons") == "persons"


def _trend_cells(
    round_text: str, definition: Definition, returns: Iterable[tuple[str, str, dict[str, Any]]]
) -> dict[str, Tally]:
    """Per "field:kind", each person indicator that at least one agency of that kind gave,
    added up over a round's returns (agency, kind, data)."""
    cells: dict[str, Tally] = defaultdict(Tally)
    fields = [field_ for field_ in definition.fields if field_.summary and _counts_persons(field_)]
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


def _trend_table(
    archive: Archive,
    current: RoundData,
    fields: list[QuestionField],
    loaded: dict[Round, RoundData] | None,
) -> Table:
    """Each main person indicator, per kind, in every round of the archive up to this one;
    read whole when `loaded` is given, from the cached sums otherwise."""
    round_ = current.round
    trend_fields = [field_ for field_ in fields if _counts_persons(field_)]
    earlier = [r for r in archive.rounds() if r <= round_ and archive.has_round(r)]
    found: dict[Round, dict[str, Tally]] = {}
    for r in earlier:
        if loaded is not None:
            data = _load(archive, r, loaded)
            if data.returns:
                found[r] = _trend_cells(
                    str(r),
                    data.definition,
                    ((agency, kind, values) for agency, (kind, values) in data.returns.items()),
                )
            continue
        sums = archive.derived(r, f"trend-{TREND_CACHE}", _trend_sums)
        if sums is not None:
            found[r] = {key: Tally([value]) for key, value in sums.items()}
    definition = load_definition()
    columns = [
        Column(f"{field_.id}:{kind}", _of_kind(field_.label, kind))
        for field_ in trend_fields
        for kind in definition.kinds
        if any(f"{field_.id}:{kind}" in cells for cells in found.values())
    ]
    rows = []
    for r, cells in found.items():
        row = Row(str(r), Verbatim(str(r)))
        for column in columns:
            if column.key in cells:
                row.put(column.key, cells[column.key])
        rows.append(row)
    return Table(
        id="trend",
        title=message("summary.trend_title"),
        row_heading=message("summary.round"),
        columns=columns,
        rows=rows if len(rows) > 1 and columns else [],
        notes=[message("summary.note_trend")],
        chart="line",
    )
