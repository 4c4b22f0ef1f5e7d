"""What the Rapporteur reports: consolidated tables computed from the archive.

Figures are read from each round's latest consolidated view, never from spreadsheets.
Figures of different kinds of agency are never added: police-identified victims, NGO
outreach and regional assistance are different measures of overlapping people, so every
column says which kind of agency it counts, and totals are per kind. Percentages are
computed from counts and state their base.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from rapporteur.archive import Archive, from_sections
from rapporteur.definition import TOTAL, Definition, QuestionField, Text, load_definition
from rapporteur.messages import Message, message
from rapporteur.problems import UsageError
from rapporteur.rounds import Round
from rapporteur.status import NATIONAL, latest_round, round_record

Grouping = Literal["region", "kind", "agency"]
TOP_NATIONALITIES = 10
OTHER = "OTHER"


@dataclass
class Column:
    key: str
    label: Text
    persons: bool = True
    """Figures about persons: statistical disclosure control applies when publishing."""


@dataclass
class Row:
    key: str
    label: Text
    values: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    id: str
    title: Text
    row_heading: Text
    columns: list[Column]
    rows: list[Row]
    notes: list[Message] = field(default_factory=list)
    detailed: bool = False
    """Below national level or three or more dimensions: the higher threshold applies."""
    total_row: str | None = None
    total_column: str | None = None
    free_text: bool = False
    chart: Literal["bar", "line"] | None = None


@dataclass
class Summary:
    round: Round
    compare: Round | None
    grouping: Grouping
    tables: list[Table]
    published: bool = False


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


def indicator(definition: Definition, field_: QuestionField, data: dict[str, Any]) -> Any:
    """One agency's figure for a summary indicator; None when unknown."""
    if field_.computed:
        operation, _, argument = field_.computed.partition("(")
        argument = argument.rstrip(")")
        if operation == "count":
            rows = data.get(argument)
            return len(rows) if rows is not None else None
        table, _, column = argument.partition(".")
        values = [row.get(column) for row in data.get(table) or [] if row.get(column) is not None]
        return sum(values) if values else None
    value = data.get(field_.id)
    return value.get(TOTAL) if isinstance(value, dict) else value


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
) -> Summary:
    archive.recover_if_needed()
    round_ = round_ or latest_round(archive)
    current = load_round(archive, round_)
    if compare == "default":
        candidate = round_.previous_comparable
        compare = candidate if archive.read_round(candidate) else None
    previous = load_round(archive, compare) if compare else None
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
    tables.append(_trend_table(archive, current, fields))
    return Summary(round_, compare, grouping, [t for t in tables if t.rows])


def _group_of(agency_id: str, kind: str, agencies: dict, grouping: Grouping) -> tuple[str, Text]:
    agency = agencies.get(agency_id)
    if grouping == "kind":
        return kind, Text(es=kind, en=kind)
    if grouping == "agency":
        name = agency.name if agency else agency_id
        return agency_id, Text(es=name, en=name)
    region = agency.region if agency else NATIONAL
    return region, _region_label(region)


def _region_label(region: str) -> Text:
    if region == NATIONAL:
        return Text(es="Organismos nacionales", en="National bodies")
    definition = load_definition()
    return Text(
        es=definition.code_label("region", region, "es"),
        en=definition.code_label("region", region, "en"),
    )


def _main_table(current, previous, agencies, grouping, section_id, section_label, fields) -> Table:
    definition = current.definition
    columns = [
        Column(
            "completeness",
            Text(es="Recibidas / esperadas", en="Received / expected"),
            persons=False,
        )
    ]
    cells: dict[tuple[str, str], list] = defaultdict(list)
    old_cells: dict[tuple[str, str], list] = defaultdict(list)
    groups: dict[str, Text] = {}
    expected: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    for agency_id, kind in current.expected.items():
        key, label = _group_of(agency_id, kind, agencies, grouping)
        groups[key] = label
        expected[key] += 1
        received[key] += agency_id in current.returns
    kinds_with_data: dict[str, list[str]] = defaultdict(list)
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
            kinds_with_data[field_.id].append(kind)
            column = f"{field_.id}:{kind}"
            columns.append(
                Column(
                    column,
                    Text(es=f"{field_.label.es} [{kind}]", en=f"{field_.label.en} [{kind}]"),
                    persons=(field_.unit or "persons") == "persons" and field_.type == "count",
                )
            )
            for agency_id, value in values:
                key, label = _group_of(agency_id, kind, agencies, grouping)
                groups.setdefault(key, label)
                if value is not None:
                    cells[(key, column)].append(value)
            if previous is not None:
                for agency_id, (agency_kind, data) in previous.returns.items():
                    if agency_kind == kind:
                        value = indicator(previous.definition, field_, data)
                        key, label = _group_of(agency_id, kind, agencies, grouping)
                        if value is not None and key in groups:
                            old_cells[(key, column)].append(value)
    rows = []
    for key in sorted(groups, key=lambda k: _row_order(k, grouping)):
        row = Row(key, groups[key])
        row.values["completeness"] = f"{received[key]}/{expected[key]}"
        for column in columns[1:]:
            if cells.get((key, column.key)):
                row.values[column.key] = _sum(cells[(key, column.key)])
            if old_cells.get((key, column.key)):
                row.previous[column.key] = _sum(old_cells[(key, column.key)])
        rows.append(row)
    total = Row("TOTAL", Text(es="Total (por tipo de organismo)", en="Total (by kind of agency)"))
    total.values["completeness"] = f"{sum(received.values())}/{sum(expected.values())}"
    for column in columns[1:]:
        values = [row.values[column.key] for row in rows if row.values.get(column.key) is not None]
        if values:
            total.values[column.key] = _sum(values)
        old = [row.previous[column.key] for row in rows if row.previous.get(column.key) is not None]
        if old:
            total.previous[column.key] = _sum(old)
    rows.append(total)
    headings = {
        "region": Text(es="Región", en="Region"),
        "kind": Text(es="Tipo de organismo", en="Kind of agency"),
        "agency": Text(es="Organismo", en="Agency"),
    }
    title = Text(
        es=f"{section_label.es} — por {headings[grouping].es.lower()}",
        en=f"{section_label.en} — by {headings[grouping].en.lower()}",
    )
    return Table(
        id=f"{section_id}_by_{grouping}",
        title=title,
        row_heading=headings[grouping],
        columns=columns,
        rows=rows,
        notes=[message("summary.note_kinds")],
        detailed=grouping != "kind",
        total_row="TOTAL",
        chart="bar" if grouping == "region" else None,
    )


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
            returns = [
                data.get(field_id)
                for agency_kind, data in current.returns.values()
                if agency_kind == kind
            ]
            blocks = [value for value in returns if isinstance(value, dict)]
            if not blocks:
                continue
            label = Text(es=f"{field_.label.es} [{kind}]", en=f"{field_.label.en} [{kind}]")
            tables.append(_sex_age(definition, field_id, kind, label, blocks))
            tables.append(_by_form(definition, field_id, kind, label, blocks))
            tables.append(_nationalities(definition, field_id, kind, label, blocks))
    return tables


def _sex_age(definition, field_id, kind, label, blocks) -> Table:
    sexes = definition.codelist("sex")
    columns = [Column(code.code, Text(es=code.es, en=code.en)) for code in sexes]
    columns.append(Column("TOTAL", Text(es="Total", en="Total")))
    columns.append(Column("PCT", Text(es="% del total", en="% of total"), persons=False))
    rows = []
    for band in definition.codelist("age_band"):
        row = Row(band.code, Text(es=band.es, en=band.en))
        for sex in sexes:
            values = [
                block["sex_age"][sex.code][band.code]
                for block in blocks
                if block.get("sex_age", {}).get(sex.code, {}).get(band.code) is not None
            ]
            if values:
                row.values[sex.code] = sum(values)
        known = [row.values[s.code] for s in sexes if s.code in row.values]
        if known:
            row.values["TOTAL"] = sum(known)
        rows.append(row)
    total = Row("TOTAL", Text(es="Total", en="Total"))
    for column in columns[:-1]:
        values = [row.values[column.key] for row in rows if column.key in row.values]
        if values:
            total.values[column.key] = sum(values)
    rows.append(total)
    _add_percentages(rows, "TOTAL", total.values.get("TOTAL"))
    return Table(
        id=f"{field_id}_{kind}_sex_age",
        title=Text(es=f"{label.es}: por sexo y edad", en=f"{label.en}: by sex and age"),
        row_heading=Text(es="Tramo de edad", en="Age band"),
        columns=columns,
        rows=[row for row in rows if row.values],
        notes=[message("summary.note_base", base=total.values.get("TOTAL", 0))],
        total_row="TOTAL",
        total_column="TOTAL",
    )


def _by_form(definition, field_id, kind, label, blocks) -> Table:
    sexes = definition.codelist("sex")
    columns = [
        Column("TOTAL", Text(es="Personas", en="Persons")),
        Column("PCT", Text(es="% del total", en="% of total"), persons=False),
    ]
    rows = []
    for form in definition.codelist("exploitation"):
        values = []
        for block in blocks:
            row_values = block.get("form_sex", {}).get(form.code, {})
            values.extend(
                row_values.get(sex.code) for sex in sexes if row_values.get(sex.code) is not None
            )
        if values:
            rows.append(Row(form.code, Text(es=form.es, en=form.en), {"TOTAL": sum(values)}))
    total = sum(row.values["TOTAL"] for row in rows)
    rows.append(Row("TOTAL", Text(es="Total", en="Total"), {"TOTAL": total}))
    _add_percentages(rows, "TOTAL", total)
    return Table(
        id=f"{field_id}_{kind}_form",
        title=Text(
            es=f"{label.es}: por forma de explotación", en=f"{label.en}: by form of exploitation"
        ),
        row_heading=Text(es="Forma de explotación", en="Form of exploitation"),
        columns=columns,
        rows=rows if len(rows) > 1 else [],
        notes=[message("summary.note_base", base=total)],
        total_row="TOTAL",
        chart="bar",
    )


def _nationalities(definition, field_id, kind, label, blocks) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for block in blocks:
        for row in block.get("citizenship_sex", []):
            counts[row["code"]] += sum(row.get(sex, 0) or 0 for sex in ("F", "M", "UNK"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        Row(
            code,
            Text(
                es=definition.code_label("citizenship", code, "es"),
                en=definition.code_label("citizenship", code, "en"),
            ),
            {"TOTAL": count},
        )
        for code, count in ranked[:TOP_NATIONALITIES]
    ]
    other = sum(count for _, count in ranked[TOP_NATIONALITIES:])
    if other:
        rows.append(
            Row(OTHER, Text(es="Otras nacionalidades", en="Other nationalities"), {"TOTAL": other})
        )
    total = sum(counts.values())
    rows.append(Row("TOTAL", Text(es="Total", en="Total"), {"TOTAL": total}))
    _add_percentages(rows, "TOTAL", total)
    return Table(
        id=f"{field_id}_{kind}_citizenship",
        title=Text(
            es=f"{label.es}: nacionalidades principales", en=f"{label.en}: main nationalities"
        ),
        row_heading=Text(es="Nacionalidad", en="Citizenship"),
        columns=[
            Column("TOTAL", Text(es="Personas", en="Persons")),
            Column("PCT", Text(es="% del total", en="% of total"), persons=False),
        ],
        rows=rows if total else [],
        notes=[message("summary.note_base", base=total)],
        total_row="TOTAL",
    )


def _add_percentages(rows: list[Row], column: str, base: Any) -> None:
    for row in rows:
        value = row.values.get(column)
        if base and value is not None:
            row.values["PCT"] = round(value / base * 100, 1)


def _resources_by_region(current: RoundData, agencies: dict) -> Table:
    definition = current.definition
    columns, values = [], defaultdict(dict)
    metrics = (
        ("resources", "s2_housing_resources"),
        ("places", "s2_housing_places"),
        ("centres", "s2_nonresidential_centres"),
    )
    for agency_id, (kind, data) in current.returns.items():
        for region, row in (data.get("s2_resources_by_region") or {}).items():
            for metric, _ in metrics:
                if row.get(metric) is not None:
                    key = f"{metric}:{kind}"
                    values[region][key] = values[region].get(key, 0) + row[metric]
        if kind == "CCAA" and agency_id in agencies:
            region = agencies[agency_id].region
            for metric, field_id in metrics:
                if data.get(field_id) is not None:
                    values[region][f"{metric}:CCAA"] = (
                        values[region].get(f"{metric}:CCAA", 0) + data[field_id]
                    )
    present = {key for row in values.values() for key in row}
    labels = {
        "resources": Text(es="Recursos", en="Resources"),
        "places": Text(es="Plazas", en="Places"),
        "centres": Text(es="Centros sin alojamiento", en="Non-residential centres"),
    }
    for kind in definition.kinds:
        for metric, _ in metrics:
            key = f"{metric}:{kind}"
            if key in present:
                columns.append(
                    Column(
                        key,
                        Text(
                            es=f"{labels[metric].es} [{kind}]", en=f"{labels[metric].en} [{kind}]"
                        ),
                        persons=False,
                    )
                )
    rows = [
        Row(code.code, Text(es=code.es, en=code.en), values.get(code.code, {}))
        for code in definition.codelist("region")
        if code.code in values
    ]
    total = Row("TOTAL", Text(es="Total (por tipo de organismo)", en="Total (by kind of agency)"))
    for column in columns:
        figures = [row.values[column.key] for row in rows if column.key in row.values]
        if figures:
            total.values[column.key] = sum(figures)
    return Table(
        id="s2_resources_by_region",
        title=Text(
            es="Recursos y plazas de alojamiento por comunidad autónoma",
            en="Housing resources and places by autonomous community",
        ),
        row_heading=Text(es="Región", en="Region"),
        columns=columns,
        rows=[*rows, total] if rows else [],
        notes=[message("summary.note_resources")],
        detailed=True,
        total_row="TOTAL",
    )


def _prevention_tables(current: RoundData, agencies) -> list[Table]:
    definition = current.definition
    trainings, campaigns = [], []
    audiences: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for agency_id, (kind, data) in sorted(current.returns.items()):
        for row in data.get("s3_trainings") or []:
            trainings.append((agency_id, kind, row))
        for row in data.get("s3_campaigns") or []:
            campaigns.append((agency_id, kind, row))
            for audience in row.get("audience") or []:
                audiences[audience][kind] += 1
    tables = []
    if trainings:
        rows = [
            Row(
                f"{agency}:{index}",
                Text(es=row.get("title", "—"), en=row.get("title", "—")),
                {
                    "agency": agency,
                    "kind": kind,
                    # The code: a row's values serve every language.
                    "target_group": row.get("target_group"),
                    "hours": row.get("hours"),
                    "participants": row.get("participants"),
                },
            )
            for index, (agency, kind, row) in enumerate(trainings, start=1)
        ]
        tables.append(
            Table(
                id="s3_trainings",
                title=Text(
                    es="Acciones formativas (con el organismo que las comunicó)",
                    en="Training actions (with the agency that reported them)",
                ),
                row_heading=Text(es="Título", en="Title"),
                columns=[
                    Column("agency", Text(es="Organismo", en="Agency"), persons=False),
                    Column("kind", Text(es="Tipo", en="Kind"), persons=False),
                    Column("target_group", Text(es="Destinatarios", en="Trainees"), persons=False),
                    Column("hours", Text(es="Horas", en="Hours"), persons=False),
                    Column("participants", Text(es="Participantes", en="Participants")),
                ],
                rows=rows,
                free_text=True,
            )
        )
    if campaigns:
        columns = [
            Column(kind, Text(es=f"Campañas [{kind}]", en=f"Campaigns [{kind}]"), persons=False)
            for kind in definition.kinds
            if any(k == kind for _, k, _ in campaigns)
        ]
        rows = [
            Row(code.code, Text(es=code.es, en=code.en), dict(audiences[code.code]))
            for code in definition.codelist("campaign_audience")
            if code.code in audiences
        ]
        tables.append(
            Table(
                id="s3_campaigns_by_audience",
                title=Text(
                    es="Campañas de sensibilización por público",
                    en="Awareness campaigns by audience",
                ),
                row_heading=Text(es="Público", en="Audience"),
                columns=columns,
                rows=rows,
                notes=[message("summary.note_audiences")],
            )
        )
        tables.append(
            Table(
                id="s3_campaigns",
                title=Text(
                    es="Campañas (con el organismo que las comunicó)",
                    en="Campaigns (with the agency that reported them)",
                ),
                row_heading=Text(es="Campaña", en="Campaign"),
                columns=[
                    Column("agency", Text(es="Organismo", en="Agency"), persons=False),
                    Column("kind", Text(es="Tipo", en="Kind"), persons=False),
                    Column("scope", Text(es="Ámbito", en="Scope"), persons=False),
                    Column(
                        "reach", Text(es="Personas alcanzadas", en="Persons reached"), persons=False
                    ),
                ],
                rows=[
                    Row(
                        f"{agency}:{i}",
                        Text(es=row.get("name", "—"), en=row.get("name", "—")),
                        {
                            "agency": agency,
                            "kind": kind,
                            "scope": row.get("scope"),
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
            rows.append(Row(code.code, Text(es=code.es, en=code.en), {"code": status}))
    in_force = sum(row.values["code"] == "YES" for row in rows)
    return Table(
        id="s3_regional_protocols",
        title=Text(
            es="Protocolos autonómicos contra la trata", en="Regional protocols against trafficking"
        ),
        row_heading=Text(es="Región", en="Region"),
        columns=[
            Column("code", Text(es="Protocolo vigente", en="Protocol in force"), persons=False)
        ],
        rows=rows,
        notes=[message("summary.note_protocols", count=in_force, regions=len(rows))],
    )


TREND_CACHE = 1
"""Raise when `_trend_sums` changes: sums cached by an older release are then recomputed."""


def _counts_persons(field_: QuestionField) -> bool:
    return field_.type == "count" and (field_.unit or "persons") == "persons"


def _trend_sums(view) -> dict[str, int] | None:
    """Per "field:kind", the sum over a round's returns of each person indicator that at
    least one agency of that kind gave; None for a round without returns."""
    returns = view.body.get("returns", {})
    if not returns:
        return None
    definition = load_definition(view.header.get("questionnaire_version") or 1)
    sums: dict[str, int] = {}
    fields = [field_ for field_ in definition.fields if field_.summary and _counts_persons(field_)]
    for entry in returns.values():
        data = from_sections(entry.get("data", {}))
        for field_ in fields:
            value = indicator(definition, field_, data)
            if value is not None:
                key = f"{field_.id}:{entry['kind']}"
                sums[key] = sums.get(key, 0) + value
    return sums


def _trend_table(archive: Archive, current: RoundData, fields: list[QuestionField]) -> Table:
    """Each main person indicator, per kind, in every round of the archive up to this one."""
    round_ = current.round
    trend_fields = [field_ for field_ in fields if _counts_persons(field_)]
    sums = {}
    for earlier in (r for r in archive.rounds() if r <= round_ and archive.has_round(r)):
        found = archive.derived(earlier, f"trend-{TREND_CACHE}", _trend_sums)
        if found is not None:
            sums[earlier] = found
    definition = load_definition()
    columns = [
        Column(
            f"{field_.id}:{kind}",
            Text(es=f"{field_.label.es} [{kind}]", en=f"{field_.label.en} [{kind}]"),
        )
        for field_ in trend_fields
        for kind in definition.kinds
        if any(f"{field_.id}:{kind}" in found for found in sums.values())
    ]
    rows = []
    for r, found in sums.items():
        row = Row(str(r), Text(es=str(r), en=str(r)))
        for column in columns:
            if column.key in found:
                row.values[column.key] = found[column.key]
        rows.append(row)
    return Table(
        id="trend",
        title=Text(es="Evolución por ronda", en="Trend by round"),
        row_heading=Text(es="Ronda", en="Round"),
        columns=columns,
        rows=rows if len(rows) > 1 and columns else [],
        notes=[message("summary.note_trend")],
        chart="line",
    )
