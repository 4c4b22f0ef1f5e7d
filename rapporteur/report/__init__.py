"""The round's report: what the office sends out after a round, as a document to read.

The report is built once, in one language, as plain data (`Report`): every text already
written, every table as rows of printed cells, every chart as the figures it draws. The
HTML (`html.py`) and Word (`docx.py`) writers only lay it out, and `charts.py` draws the
charts. Its figures are the summary's by region: with `publish`, those of
`disclosure.publish_round`, so that the report prints exactly what `summary --publish`
prints and passes the same audit, without free text or any agency's own figures.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rapporteur import formats
from rapporteur.archive import Archive
from rapporteur.definition import kind_label
from rapporteur.messages import Language, Localized, Number, message
from rapporteur.problems import NothingToReport
from rapporteur.rounds import Round, period_label
from rapporteur.status import latest_round, round_record, round_status
from rapporteur.summary import PERCENT, TOTAL, Summary, Table, build_summary
from rapporteur.summary_output import (
    cell_text,
    change_of,
    indicator_parts,
    is_figure,
    is_number,
    shown,
    signed,
)

REGIONS_ON_THE_MAP = 19
MAX_COLUMNS = 5
"""Figures side by side that fit an A4 page with the row's name, whatever their size."""
MAX_LINES = 8
"""Series of a trend in one chart (a page at most): more go to further charts."""


@dataclass
class Grid:
    """A table as printed: headings, rows of cell texts, which rows are totals."""

    id: str
    title: str
    headings: list[str]
    rows: list[list[str]]
    right: list[bool]
    """Per column: figures, aligned right."""
    totals: list[bool] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """What a chart shows; `charts.py` draws it."""

    id: str
    shape: Literal["bars", "stacked", "lines", "tiles"]
    title: str
    categories: list[str]
    """Bars: one per category; lines: the rounds; tiles: the regions' codes."""
    series: list[tuple[str, list[float | None]]]
    axis: str
    """What the figures count."""
    labels: list[str] = field(default_factory=list)
    """Tiles: each region's short name; the printed figure goes under it."""
    printed: list[str] = field(default_factory=list)
    """Tiles: each figure as the tables print it ("c", "<10", "—" too); stacked bars:
    each bar's total as the table prints it."""
    note: str = ""
    language: Language = "es"


@dataclass
class Chapter:
    id: str
    title: str
    introduction: str
    blocks: list[Grid | Chart]
    texts: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    """The agencies' own words, agency by agency (the internal report only)."""


@dataclass
class Report:
    language: Language
    title: str
    office: str
    round: str
    period: str
    edition: str
    """Published (disclosure control applied) or internal, said in full."""
    written: str
    coverage_text: str
    coverage: list[Grid]
    coverage_map: Chart | None
    missing: list[str]
    """Agencies whose return is not in (the internal report only)."""
    headline: Grid | None
    headline_note: str
    chapters: list[Chapter]
    methods: list[tuple[str, list[str]]]
    labels: dict[str, str]
    """The fixed words of the document (headings, "contents") in its language."""

    @property
    def charts(self) -> list[Chart]:
        found = [self.coverage_map] if self.coverage_map else []
        for chapter in self.chapters:
            found += [block for block in chapter.blocks if isinstance(block, Chart)]
        return found


def build_report(
    workspace, round_: Round | None, publish: bool, today: datetime.date, language: Language
) -> Report:
    """The report of a round (the latest by default)."""
    archive = Archive(workspace.archive_dir)
    archive.recover_if_needed()
    registry = workspace.registry()
    round_ = round_ or latest_round(archive)
    record = round_record(archive, round_)
    status = round_status(archive, registry, round_, today)
    if not status.received:
        raise NothingToReport("report.empty", round=str(round_), expected=status.expected)
    texts: Summary | None = None
    if publish:
        from rapporteur.disclosure import publish_round, refusal, rules_of

        rules = rules_of(workspace.settings.publication)
        summary, audit = publish_round(archive, registry, rules, round_, "region")
        if not audit.ok:
            raise refusal(audit)
    else:
        loaded: dict = {}
        summary = build_summary(archive, registry, round_, "region", loaded=loaded)
        texts = build_summary(archive, registry, round_, "region", loaded=loaded, text=True)
    say = _Sayer(language)
    definition = summary.rounds[round_].definition
    headline = next((table for table in summary.tables if table.shape == "headline"), None)
    sources = _reference_sources(headline)
    chapters = [
        _chapter(section, summary, texts, sources, say)
        for section in definition.sections
        if section.id != "s0"
    ]
    trend = [table for table in summary.tables if table.shape == "trend"]
    if trend:
        records = {r: archive.read_round(r) for r in archive.rounds()}
        historical = {str(r) for r, found in records.items() if found and found.historical}
        chapters.append(_trend_chapter(trend, historical, say))
    names = {agency.id: agency.name for agency in registry}
    return Report(
        language=language,
        title=say("report.title", round=str(round_)),
        office=workspace.settings.office.name,
        round=str(round_),
        period=period_label(record.period).render(language) if record.period else "",
        edition=say("report.edition_published" if publish else "report.edition_internal"),
        written=say("report.written_on", date=today.strftime("%d/%m/%Y")),
        coverage_text=say(
            "report.coverage_text",
            received=status.received,
            expected=status.expected,
            percent=formats.number(status.received / status.expected * 100, language, 1),
        ),
        coverage=[
            _coverage(status.by_kind, "kind", say),
            _coverage(status.by_region, "region", say),
        ],
        coverage_map=_coverage_map(status.by_region, say),
        missing=[]
        if publish
        else [
            f"{names.get(a.agency, a.agency)} ({kind_label(definition, a.kind)[language]})"
            for a in status.agencies
            if not a.returned
        ],
        headline=_headline(headline, summary, say) if headline else None,
        headline_note=_compared(summary, say),
        chapters=chapters,
        methods=_methods(summary, workspace.settings, record, say),
        labels={
            key: say(f"report.{key}")
            for key in ("coverage", "headline", "methods", "texts", "missing")
        }
        | {"contents": say("summary.contents")},
    )


class _Sayer:
    """Messages of the catalogue rendered in the report's language."""

    def __init__(self, language: Language):
        self.language = language

    def __call__(self, key: str, /, **params: object) -> str:
        return message(key, **params).render(self.language)

    def text(self, localized: Localized) -> str:
        return localized.render(self.language)


def write_document(path: Path, data: bytes) -> None:
    """Write a report or an export file whole: its folder made if missing, an existing
    file replaced in one step, never left half-written."""
    from rapporteur.tomlfile import write_bytes_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, data)


def _coverage(totals, grouping: str, say: _Sayer) -> Grid:
    """Expected and received returns, and the late ones, by kind of agency or by region."""
    from rapporteur.definition import load_definition
    from rapporteur.summary import region_label

    definition = load_definition()
    rows = []
    for total in totals:
        group = total.group
        label = kind_label(definition, group) if grouping == "kind" else region_label(group)
        rows.append([say.text(label), str(total.expected), str(total.received), str(total.late)])
    rows.append(
        [
            say("label.total"),
            str(sum(t.expected for t in totals)),
            str(sum(t.received for t in totals)),
            str(sum(t.late for t in totals)),
        ]
    )
    headings = [
        say(f"summary.{grouping}"),
        say("heading.status_totals.expected"),
        say("heading.status_totals.received"),
        say("heading.status_totals.late"),
    ]
    return Grid(
        f"coverage_{grouping}",
        say(f"report.coverage_by_{grouping}"),
        headings,
        rows,
        [False, True, True, True],
        [False] * (len(rows) - 1) + [True],
    )


def _coverage_map(totals, say: _Sayer) -> Chart | None:
    """The share of each region's agencies that returned, on the map."""
    by_region = {total.group: total for total in totals}
    codes = [code for code in TILES if code in by_region]
    if not codes:
        return None
    values = [
        round(by_region[code].received / by_region[code].expected * 100, 1)
        if by_region[code].expected
        else None
        for code in codes
    ]
    return Chart(
        "coverage_map",
        "tiles",
        say("report.coverage_map"),
        codes,
        [("", values)],
        say("report.percent_returned"),
        labels=[code.removeprefix("ES-") for code in codes],
        printed=[f"{by_region[code].received}/{by_region[code].expected}" for code in codes],
        language=say.language,
    )


TILES: dict[str, tuple[int, int]] = {
    # (column, row), west to east and north to south, as Spain is drawn: one square each.
    "ES-GA": (0, 0), "ES-AS": (1, 0), "ES-CB": (2, 0), "ES-PV": (3, 0), "ES-NC": (4, 0),
    "ES-CL": (1, 1), "ES-RI": (3, 1), "ES-AR": (4, 1), "ES-CT": (5, 1),
    "ES-EX": (1, 2), "ES-MD": (2, 2), "ES-CM": (3, 2), "ES-VC": (4, 2), "ES-IB": (5, 2),
    "ES-AN": (2, 3), "ES-MC": (3, 3),
    "ES-CN": (0, 4), "ES-CE": (2, 4), "ES-ML": (3, 4),
}  # fmt: skip
"""The 17 communities and 2 cities as a tile grid: a map that needs no geographic data."""


def _compared(summary: Summary, say: _Sayer) -> str:
    if summary.compare is None:
        return say("report.not_compared")
    period = period_label(summary.compare_period) if summary.compare_period else ""
    return say("report.compared", round=str(summary.compare), period=period)


def _headline(table: Table, summary: Summary, say: _Sayer) -> Grid:
    """The headline figures beside the same round a year earlier, with the change."""
    compared = summary.compare is not None
    headings = [say("summary.figure"), say("summary.source"), _round_heading(summary, False)]
    if compared:
        headings += [_round_heading(summary, True), say("report.change")]
    headings.append(say("summary.percent_of_figure"))
    rows = []
    for row in table.rows:
        value, previous = row.values.get(TOTAL), row.previous.get(TOTAL)
        cells = [
            say.text(row.label),
            say.text(row.values["source"]),
            shown(value, say.language) if TOTAL in row.values else "—",
        ]
        if compared:
            change = change_of(value, previous)
            cells.append(shown(previous, say.language) if TOTAL in row.previous else "—")
            cells.append(signed(change, say.language))
        percent = row.values.get(PERCENT)
        cells.append(shown(percent, say.language, "PCT") if percent is not None else "")
        rows.append(cells)
    right = [False, False] + [True] * (len(headings) - 2)
    return Grid(
        table.id,
        say.text(table.title),
        headings,
        rows,
        right,
        [False] * len(rows),
        [say.text(note) for note in table.notes],
    )


def _round_heading(summary: Summary, compared: bool) -> str:
    """A figure's column: the period it reports on (2017, 2018-S1), else the round."""
    period = summary.compare_period if compared else summary.period
    if period is not None:
        return period.code
    return str(summary.compare if compared else summary.round)


def _chapter(
    section, summary: Summary, texts: Summary | None, sources: list[str], say: _Sayer
) -> Chapter:
    """A section of the questionnaire: its tables, each followed by its chart, and what
    the agencies wrote in it."""
    blocks: list[Grid | Chart] = []
    for table in summary.tables:
        if table.section != section.id or table.narrative:
            continue
        if table.shape == "indicators":
            parts = indicator_parts(table)
            chart = _map_of(table, parts, say)
            if chart is not None:
                blocks.append(chart)
            grids = [
                grid
                for measure, columns in parts
                for grid in _part_grids(table, measure, columns, say)
            ]
            for grid in grids[:-1]:  # the table's notes once, after its last part
                grid.notes = []
            blocks += grids
            continue
        blocks.append(_grid(table, say))
        if table.shape == "breakdown" and any(table.id.startswith(s) for s in sources):
            chart = _breakdown_chart(table, say)
            if chart is not None:
                blocks.append(chart)
    words = []
    if texts is not None:
        from rapporteur.summary_output import narratives

        for table in texts.tables:
            if table.section == section.id:
                words += narratives(table, say.language)
    return Chapter(section.id, say.text(section.label), say.text(section.help), blocks, words)


def _reference_sources(headline: Table | None) -> list[str]:
    """The table ids' beginnings of the headline's figures: each figure by the kind of
    agency that is its reference source. Their breakdowns are the ones drawn."""
    if headline is None:
        return []
    found = []
    for row in headline.rows:
        field_id, kind, *_ = row.key.split(":")
        found.append(f"{field_id}_{kind}_")
    return found


def _part_grids(table: Table, measure: Localized, columns: list, say: _Sayer) -> list[Grid]:
    """One measure of an indicators table, its kinds of agency as columns, at most
    `MAX_COLUMNS` to a table; turned round (kinds as rows) when the kinds outnumber the
    rows, as a national figure given by many ministries does."""
    from rapporteur.definition import load_definition

    definition = load_definition()
    keys = {column.key for column in columns}
    rows = [row for row in table.rows if keys & set(row.values) or row.key == table.total_row]
    kinds = [say.text(kind_label(definition, column.kind)) for column in columns]
    cells = [[cell_text(row, c, say.language, False) for c in columns] for row in rows]
    identifier = f"{table.id}:{columns[0].key.split(':')[0]}"
    title = say("summary.part", table=table.title, measure=measure)
    notes = [say.text(note) for note in table.notes]
    if len(columns) > len(rows) and len(rows) <= MAX_COLUMNS:
        grid = Grid(
            identifier,
            title,
            [say("summary.kind"), *(say.text(row.label) for row in rows)],
            [[kind, *(line[index] for line in cells)] for index, kind in enumerate(kinds)],
            [False] + [True] * len(rows),
            [False] * len(columns),
            notes,
        )
        return [grid]
    grids = []
    for start in range(0, len(columns), MAX_COLUMNS):
        chunk = columns[start : start + MAX_COLUMNS]
        given = {column.key for column in chunk}
        # Each table of the measure lists the rows that give one of its kinds' figures.
        shown = [row for row in rows if given & set(row.values) or row.key == table.total_row]
        suffix = f":{start // MAX_COLUMNS + 1}" if len(columns) > MAX_COLUMNS else ""
        grids.append(
            Grid(
                identifier + suffix,
                title,
                [say.text(table.row_heading), *kinds[start : start + MAX_COLUMNS]],
                [
                    [say.text(row.label)] + [cell_text(row, c, say.language, False) for c in chunk]
                    for row in shown
                ],
                [False] + [True] * len(chunk),
                [row.key == table.total_row for row in shown],
                notes,
            )
        )
    return grids


def _grid(table: Table, say: _Sayer) -> Grid:
    headings = [say.text(table.row_heading)] + [say.text(c.label) for c in table.columns]
    rows = [
        [say.text(row.label)] + [cell_text(row, c, say.language, False) for c in table.columns]
        for row in table.rows
    ]
    right = [False] + [
        all(is_figure(row.values.get(column.key)) for row in table.rows) for column in table.columns
    ]
    return Grid(
        table.id,
        say.text(table.title),
        headings,
        rows,
        right,
        [row.key in (TOTAL, table.total_row) for row in table.rows],
        [say.text(note) for note in table.notes],
    )


def _map_of(table: Table, parts, say: _Sayer) -> Chart | None:
    """The measure that most regions give, on the map of the regions."""
    best = None
    for _measure, columns in parts:
        for column in columns:
            if not column.persons:
                continue
            given = sum(
                is_number(row.values.get(column.key)) for row in table.rows if row.key in TILES
            )
            if given >= REGIONS_ON_THE_MAP // 2 and (best is None or given > best[0]):
                best = (given, column)
    if best is None:
        return None
    column = best[1]
    by_region = {row.key: row for row in table.rows if row.key in TILES}
    codes = list(TILES)
    values = []
    for code in codes:
        row = by_region.get(code)
        value = row.values.get(column.key) if row else None
        values.append(float(value) if is_number(value) else None)
    printed = [
        shown(by_region[code].values.get(column.key), say.language) if code in by_region else "—"
        for code in codes
    ]
    return Chart(
        f"{table.id}_map",
        "tiles",
        say("report.map_title", measure=column.label),
        codes,
        [("", values)],
        say.text(column.measure) if column.measure else "",
        labels=[code.removeprefix("ES-") for code in codes],
        printed=printed,
        note=say("report.map_note"),
        language=say.language,
    )


def _breakdown_chart(table: Table, say: _Sayer) -> Chart | None:
    """A breakdown as bars: by sex (stacked) when its columns are the sexes, else its
    totals; hidden and small figures are not drawn, and the note says so."""
    rows = [row for row in table.rows if row.key not in (TOTAL, table.total_row)]
    figures = [c for c in table.columns if c.key not in (TOTAL, PERCENT)]
    categories = [say.text(row.label) for row in rows]
    printed: list[str] = []
    if figures:
        series = [
            (say.text(column.label), [_drawn(row.values.get(column.key)) for row in rows])
            for column in figures
        ]
        shape = "stacked"
        # Each bar ends with its row's total as the table prints it, not with the sum of
        # what is drawn, which is short wherever a part is hidden.
        printed = [shown(row.values.get(TOTAL), say.language) for row in rows]
    else:
        series = [(say.text(table.title), [_drawn(row.values.get(TOTAL)) for row in rows])]
        shape = "bars"
    drawn = [value for _, values in series for value in values if value]
    if len(drawn) < 2:
        return None
    hidden = any(
        not is_number(row.values.get(c.key)) and row.values.get(c.key) is not None
        for row in rows
        for c in table.columns
    )
    return Chart(
        f"{table.id}_chart",
        shape,
        say.text(table.title),
        categories,
        series,
        say.text(table.measure) if table.measure else say("report.persons"),
        printed=printed,
        note=say("report.chart_hidden") if hidden else "",
        language=say.language,
    )


def _drawn(value) -> float | None:
    return float(value) if is_number(value) else None


def _trend_chapter(tables: list[Table], historical: set[str], say: _Sayer) -> Chapter:
    """The trend tables, each with its lines: whole years and half-years apart, never
    joined, and a historical series of several years not drawn beside single years."""
    blocks: list[Grid | Chart] = []
    for table in tables:
        blocks.append(_grid(table, say))
        columns = [c for c in table.columns if c.key not in historical]
        lines = []
        for row in table.rows:
            points = [_drawn(row.values.get(c.key)) for c in columns]
            if sum(point is not None for point in points) >= 2:
                lines.append((say.text(row.label), points))
        for start in range(0, len(lines), MAX_LINES):
            blocks.append(
                Chart(
                    f"{table.id}_chart_{start // MAX_LINES + 1}",
                    "lines",
                    say.text(table.title),
                    [say.text(c.label) for c in columns],
                    lines[start : start + MAX_LINES],
                    say("report.persons"),
                    note=say("report.trend_note") if len(columns) < len(table.columns) else "",
                    language=say.language,
                )
            )
    return Chapter("trend", say("report.trend"), say("report.trend_intro"), blocks)


def _methods(summary: Summary, settings, record, say: _Sayer) -> list[tuple[str, list[str]]]:
    """Where the figures come from, what they cover and how they were published."""
    from rapporteur.definition import kind_labels

    publication = settings.publication
    periods = [
        say("report.methods_sources", round=str(summary.round),
            version=record.questionnaire_version, office=settings.office.name),
        say("report.methods_periods"),
    ]  # fmt: skip
    if record.source:
        periods.append(say("report.methods_historical", source=record.source))
    kinds = [say("report.methods_kinds"), say("report.methods_reference")]
    rules = [
        say(
            "report.methods_rules",
            threshold=publication.threshold,
            below=publication.threshold - 1,
            detailed=publication.threshold_detailed,
            below_detailed=publication.threshold_detailed - 1,
            agencies=Number(publication.minimum_agencies),
            kinds=kind_labels(publication.confidential_kinds),
            protection=Number(publication.protection_percent),
            base=Number(publication.minimum_percentage_base),
        ),
        say("report.methods_published" if summary.published else "report.methods_internal"),
    ]
    return [
        (say("report.methods_sources_heading"), periods),
        (say("report.methods_kinds_heading"), kinds),
        (say("report.methods_rules_heading"), rules),
    ]


__all__ = ["TILES", "Chapter", "Chart", "Grid", "Report", "build_report", "write_document"]
