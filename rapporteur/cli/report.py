"""`rapporteur status`, `rapporteur remind` and `rapporteur summary`."""

import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import (
    OutputFormat,
    coded_kind,
    coded_region,
    headings,
    local_day,
    local_moment,
    out,
    printable,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import message


class SummaryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


STATUS_COLUMNS = ("agency", "region", "kind", "state", "received", "versions", "warnings", "late")
TOTAL_COLUMNS = ("group", "expected", "received", "late")


def register_report_commands(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("remind")(remind)
    app.command("summary")(summary)


def _round_or_latest(archive, round_text):
    from rapporteur.rounds import Round
    from rapporteur.status import latest_round

    return Round.parse(round_text) if round_text else latest_round(archive)


@reports_errors
def status(
    ctx: typer.Context,
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Default: the latest round.")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Who has returned, when, with how many versions and warnings, and who is late.

    Example: rapporteur status --round 2018-12
    """
    from rapporteur.archive import Archive
    from rapporteur.rounds import period_label
    from rapporteur.status import round_status

    state = state_of(ctx)
    workspace = state.workspace()
    archive = Archive(workspace.archive_dir)
    round_ = _round_or_latest(archive, round_text)
    result = round_status(archive, workspace.registry(), round_, datetime.date.today())
    language = state.language
    yes, no = message("status.yes").render(language), message("status.no").render(language)
    table = output_format is OutputFormat.table
    rows = [
        {
            "region": coded_region(s.region),
            "kind": coded_kind(s.kind),
            "agency": s.agency,
            "name": s.name,
            "state": _state_text(s, language) if table else s.state,
            "returned": s.returned,
            "received": local_day(s.received) if table else s.received,
            "refused": s.refused,
            "versions": s.versions,
            "warnings": s.warnings,
            "late": (yes if s.late else no) if table else s.late,
        }
        for s in result.agencies
    ]
    title = message(
        "status.title",
        round=str(round_),
        period=period_label(result.period) if result.period else "",
        deadline=result.deadline.strftime("%d/%m/%Y"),
        received=result.received,
        expected=result.expected,
    ).render(language)
    if output_format is OutputFormat.json:
        import json

        typer.echo(
            json.dumps(
                {
                    "round": str(round_),
                    "deadline": str(result.deadline),
                    "expected": result.expected,
                    "received": result.received,
                    "agencies": rows,
                    "by_region": [vars(t) for t in result.by_region],
                    "by_kind": [vars(t) for t in result.by_kind],
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    render_records(rows, headings("status", STATUS_COLUMNS, language), output_format,
                   title=title, language=language)  # fmt: skip
    if table:
        for heading, totals, coded in (
            ("status.by_region", result.by_region, coded_region),
            ("status.by_kind", result.by_kind, coded_kind),
        ):
            render_records(
                [{**vars(t), "group": coded(t.group)} for t in totals],
                headings("status_totals", TOTAL_COLUMNS, language),
                output_format,
                title=message(heading).render(language),
                language=language,
            )


def _state_text(status, language) -> str:
    text = message(f"state.{status.state}").render(language)
    if status.refused is not None and status.returned:
        key = "state.resent_later" if status.refusal == "stale" else "state.refused_later"
        text += message(key, date=local_day(status.refused)).render(language)
    return text


@reports_errors
def remind(
    ctx: typer.Context,
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Default: the latest round.")
    ] = None,
    out_folder: Annotated[
        Path | None, typer.Option("--out", help="Default: reminders/ROUND.", file_okay=False)
    ] = None,
    again: Annotated[
        bool,
        typer.Option("--again", help="Draft again for agencies already drafted for the same."),
    ] = False,
) -> None:
    """Write an e-mail draft (.eml) for every agency whose return is not in: missing,
    refused (with its problems and its marked file), or on a replaced questionnaire.

    Nothing is sent: open the drafts in the office's mail program. A second run drafts
    only what changed since the first.

    Example: rapporteur remind --round 2018-12 --out borradores/
    """
    from rapporteur.archive import Archive
    from rapporteur.reminders import write_reminders

    state = state_of(ctx)
    workspace = state.workspace()
    round_ = _round_or_latest(Archive(workspace.archive_dir), round_text)
    found = write_reminders(workspace, round_, out_folder, datetime.date.today(), again)
    language = state.language
    if not found:
        say(message("remind.none"), language, style="green")
        return
    render_records(
        [
            {
                "agency": r.agency,
                "reason": message(f"remind.reason_{r.reason}").render(language),
                "email": r.email,
                "file": r.path.name
                if r.path
                else message(
                    "remind.already",
                    date=local_moment(r.drafted["written"]),
                    file=r.drafted["file"],
                ).render(language),
            }
            for r in found
        ],
        headings("remind", ("agency", "reason", "email", "file"), language),
        OutputFormat.table,
    )
    written = [r for r in found if r.path]
    if written:
        folder = written[0].path.parent
        say(message("remind.written", count=len(written), folder=folder), language,
            style="green")  # fmt: skip


@reports_errors
def summary(
    ctx: typer.Context,
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Default: the latest round.")
    ] = None,
    by_region: Annotated[
        bool, typer.Option("--by-region", help="Rows are regions (the default).")
    ] = False,
    by_kind: Annotated[bool, typer.Option("--by-kind", help="Rows are kinds of agency.")] = False,
    by_agency: Annotated[bool, typer.Option("--by-agency", help="Rows are agencies.")] = False,
    section: Annotated[
        list[str] | None, typer.Option(help="Only this section: s1, s2, s3 or s4.")
    ] = None,
    compare: Annotated[
        str | None, typer.Option(help="Compare with this round; default: a year earlier.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Compare with --compare even a whole year with a half-year (labelled so).",
        ),
    ] = False,
    text: Annotated[
        bool,
        typer.Option(
            "--text",
            help="The agencies' narrative answers, by section and agency, for the office's "
            "own use; never published.",
        ),
    ] = False,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="Apply disclosure control for publication; nothing is printed or written "
            "unless the publication passes its audit.",
        ),
    ] = False,
    audit: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="With --publish: attack the publication as a reader would and show, for "
            "every hidden figure, how far it can be narrowed; exit 1 if any is short of "
            "its protection.",
        ),
    ] = False,
    output_format: Annotated[
        SummaryFormat | None,
        typer.Option("--format", help="Default: from the extension of -o, else a table."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file: .md, .csv, .json or .xlsx."),
    ] = None,
) -> None:
    """Consolidated tables of a round, compared with the same round a year earlier.

    Example: rapporteur summary --by-kind --compare 2017-12 -o informe.xlsx
    """
    from rapporteur import summary_output
    from rapporteur.archive import Archive
    from rapporteur.problems import UsageError
    from rapporteur.rounds import Round
    from rapporteur.summary import build_summary

    state = state_of(ctx)
    workspace = state.workspace()
    language = state.language
    if sum((by_region, by_kind, by_agency)) > 1:
        raise UsageError("summary.one_grouping")
    grouping = "kind" if by_kind else "agency" if by_agency else "region"
    output_format = _format_of(output_format, output)
    if audit and not publish:
        raise UsageError("audit.needs_publish")
    if text and publish:
        raise UsageError("summary.text_not_published")
    if audit and output_format not in (SummaryFormat.table, SummaryFormat.json, SummaryFormat.csv):
        raise UsageError("audit.formats")
    archive = Archive(workspace.archive_dir)
    arguments = (
        archive,
        workspace.registry(),
        Round.parse(round_text) if round_text else None,
        grouping,
        section or None,
        Round.parse(compare) if compare else "default",
    )
    if publish:
        from rapporteur.disclosure import publish_round, refusal, rules_of

        rules = rules_of(workspace.settings.publication)
        result, report = publish_round(archive, arguments[1], rules, *arguments[2:], force=force)
        if audit:
            _print_audit(report, result, language, output_format)
            if not report.ok:
                raise typer.Exit(1)
            return
        if not report.ok:
            raise refusal(report)
    else:
        result = build_summary(*arguments, text=text, force=force)  # type: ignore[arg-type]
    title = result.heading.render(language)
    if output_format is SummaryFormat.xlsx:
        if output is None:
            raise UsageError("summary.xlsx_needs_output")
        from rapporteur.summary_workbook import write_xlsx

        write_xlsx(result, language, output, title)
        say(message("summary.written", path=output), language, style="green")
        return
    if output_format is SummaryFormat.table and output is None:
        _print_tables(result, language, title)
        return
    rendered = {
        SummaryFormat.csv: summary_output.to_csv,
        SummaryFormat.json: summary_output.to_json,
        SummaryFormat.markdown: summary_output.to_markdown,
    }[output_format](result, language)
    if output is not None:
        from rapporteur.tomlfile import write_text_atomically

        write_text_atomically(output, rendered)
        say(message("summary.written", path=output), language, style="green")
    else:
        typer.echo(rendered, nl=False)


_EXTENSIONS = {
    ".md": SummaryFormat.markdown,
    ".markdown": SummaryFormat.markdown,
    ".csv": SummaryFormat.csv,
    ".json": SummaryFormat.json,
    ".xlsx": SummaryFormat.xlsx,
}


def _format_of(asked: "SummaryFormat | None", output: Path | None) -> "SummaryFormat":
    """The format asked, or the one the output file's extension names."""
    from rapporteur.problems import UsageError

    if output is None:
        return asked or SummaryFormat.table
    found = _EXTENSIONS.get(output.suffix.lower())
    if asked is None:
        if found is None:
            raise UsageError("summary.unknown_extension", path=output,
                             known=", ".join(_EXTENSIONS))  # fmt: skip
        return found
    if asked is SummaryFormat.table:  # a table written to a file is markdown
        asked = SummaryFormat.markdown
    if found is not None and found is not asked:
        raise UsageError("summary.extension_mismatch", path=output, format=asked.value)
    return asked


def _print_audit(report, result, language, output_format: SummaryFormat) -> None:
    """Every hidden figure of the publication with what a reader can derive of it."""
    records = report.records(language)
    if output_format is SummaryFormat.json:
        import json

        typer.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    columns = [
        ("cell", message("audit.heading.cell").render(language)),
        ("shown", message("audit.heading.shown").render(language)),
        ("why", message("audit.heading.why").render(language)),
        ("reader", message("audit.heading.reader").render(language)),
        ("needed", message("audit.heading.needed").render(language)),
        ("verdict", ""),
    ]
    if output_format is SummaryFormat.csv:
        render_records(records, [("where", ""), *columns[1:]], OutputFormat.csv)
        return
    console = out()
    title = message(
        "audit.title", round=str(result.round), hidden=len(records), short=len(report.short)
    ).render(language)
    console.print(printable(title), style="bold", markup=False, soft_wrap=False)
    by_table: dict[str, list] = {}
    for record in records:
        by_table.setdefault(record["title"], []).append(record)
    from rich.table import Table

    for table_title, rows in by_table.items():
        console.print(printable(table_title), style="bold", markup=False, soft_wrap=False)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for row in rows:
            detail = message(
                "audit.line", why=row["why"], reader=row["reader"], needed=row["needed"]
            ).render(language)
            grid.add_row(
                " " + row["verdict"], printable(row["shown"]), printable(f"{row['cell']}\n{detail}")
            )
        console.print(grid)
    for problem in report.problems:
        console.print(
            printable(problem.render(language)), style="bold red", markup=False, soft_wrap=False
        )
    verdict = message("audit.passed" if report.ok else "audit.failed").render(language)
    console.print(
        verdict, style="green" if report.ok else "bold red", markup=False, soft_wrap=False
    )


def _print_tables(result, language, title: str) -> None:
    console = out()
    console.print(printable(title), style="bold", markup=False, soft_wrap=False)
    if not result.received:
        console.print(
            message(
                "summary.empty",
                round=str(result.round),
                received=result.received,
                expected=result.expected,
            ).render(language),
            markup=False,
            soft_wrap=False,
        )
        return
    for table in result.tables:
        console.print()
        if table.shape == "indicators":
            _print_indicators(console, table, result, language)
        elif table.narrative:
            _print_narrative(console, table, language)
        else:
            _print_table(console, table, result, language, table.title[language])
        for note in table.notes:
            console.print(
                printable(note.render(language)), style="italic", markup=False, soft_wrap=False
            )


def _print_indicators(console, table, result, language) -> None:
    """A terminal cannot show twenty indicators side by side: one table per indicator,
    its kinds of agency as columns, completeness with the first."""
    from dataclasses import replace

    from rapporteur.definition import kind_label, load_definition
    from rapporteur.summary import Table as SummaryTable
    from rapporteur.summary_output import indicator_parts

    definition = load_definition()
    if table.rows_by == "kind":
        _print_by_kind(console, table, result, language)
        return
    if table.rows_by == "agency":
        _print_by_agency(console, table, result, language)
        return
    for index, (_, columns) in enumerate(indicator_parts(table)):
        shown = ([table.columns[0]] if index == 0 else []) + [
            replace(column, label=kind_label(definition, column.kind)) for column in columns
        ]
        # The first part carries the completeness: every region that was expected is in it.
        keys = {column.key for column in shown}
        rows = [row for row in table.rows if keys & set(row.values) or row.key == table.total_row]
        part = SummaryTable(table.id, table.title, table.row_heading, shown, rows)
        heading = message("summary.part", table=table.title, measure=columns[0].measure)
        if index:
            console.print()
        _print_table(console, part, result, language, heading.render(language))


def _print_by_agency(console, table, result, language) -> None:
    """By agency each figure has one column to be in, its agency's kind: per question, a
    list of the agencies that gave it, then the total of each kind."""
    from rapporteur.cli.grid import GridColumn, print_grid
    from rapporteur.definition import kind_label, load_definition
    from rapporteur.summary_output import cell_text

    definition = load_definition()
    compare = result.compare is not None
    measures: dict[str, list] = {}
    for column in table.columns[1:]:
        measures.setdefault(column.key.split(":")[0], []).append(column)
    completeness = table.columns[0]
    headings = [
        GridColumn(table.row_heading[language]),
        GridColumn(message("summary.kind_short").render(language)),
        GridColumn(completeness.label[language], right=True),
        GridColumn(message("summary.figure_value").render(language), right=True),
    ]
    for index, columns in enumerate(measures.values()):
        lines = []
        for column in columns:
            kind = kind_label(definition, column.kind).render(language)
            given = [
                row
                for row in table.rows
                if row.key != table.total_row
                and (column.key in row.values or column.key in row.previous)
            ]
            total = next((row for row in table.rows if row.key == table.total_row), None)
            # One agency's total is its own figure; with no agency shown (their rows are not
            # published), the total is all there is.
            if (
                len(given) != 1
                and total is not None
                and (column.key in total.values or column.key in total.previous)
            ):
                given.append(total)
            for row in given:
                label = row.label[language]
                if row is total:
                    label = message("label.total").render(language)
                text = _held(printable(cell_text(row, column, language, compare)))
                received = row.values.get(completeness.key, "")
                lines.append([printable(label), kind, received, text])
        heading = message("summary.part", table=table.title, measure=columns[0].measure)
        if index:
            console.print()
        print_grid(console, printable(heading.render(language)), headings, lines)


def _print_by_kind(console, table, result, language) -> None:
    """By kind of agency each figure has one row to be in, its kind's: a list of figures,
    not a table of empty cells."""
    from rapporteur.cli.grid import GridColumn, print_grid
    from rapporteur.summary_output import cell_text

    by_kind = {row.key: row for row in table.rows}
    completeness, *figures = table.columns
    lines = []
    for column in figures:
        row = by_kind.get(column.kind or "")
        if row is None or (column.key not in row.values and column.key not in row.previous):
            continue
        text = cell_text(row, column, language, result.compare is not None)
        lines.append(
            [
                printable(column.label[language]),
                row.values.get(completeness.key, ""),
                _held(printable(text)),
            ]
        )
    total = by_kind.get(table.total_row or "")
    if total is not None:
        lines.append([printable(total.label[language]), total.values.get(completeness.key), ""])
    columns = [
        GridColumn(message("summary.figure").render(language)),
        GridColumn(completeness.label[language], right=True),
        GridColumn(message("summary.figure_value").render(language), right=True),
    ]
    print_grid(console, printable(table.title[language]), columns, lines)


def _print_narrative(console, table, language) -> None:
    """Narrative answers as they were written: agency by agency, question by question."""
    from rapporteur.summary_output import narratives

    console.print(printable(table.title[language]), style="bold", markup=False, soft_wrap=False)
    for name, answers in narratives(table, language):
        console.print()
        console.print(printable(name), style="bold", markup=False, soft_wrap=False)
        for question, answer in answers:
            console.print(printable(question), style="italic", markup=False, soft_wrap=False)
            console.print(printable(answer), markup=False, soft_wrap=False)


def _print_table(console, table, result, language, title: str) -> None:
    from rapporteur.cli.grid import GridColumn, print_grid
    from rapporteur.summary_output import cell_text, is_figure

    compare = result.compare is not None
    columns = [GridColumn(printable(table.row_heading[language]))]
    for column in table.columns:
        figures = [row.values.get(column.key) for row in table.rows]
        right = all(is_figure(value) for value in figures)
        columns.append(GridColumn(printable(column.label[language]), right=right))
    rows = [
        [printable(row.label[language])]
        + [_held(printable(cell_text(row, column, language, compare))) for column in table.columns]
        for row in table.rows
    ]
    print_grid(console, printable(title), columns, rows)


HELD = 24
"""The longest figure with its comparison kept on one line: "1.022 (869; +153)" reads as
one; euros with theirs may wrap between the three figures (never inside one)."""


def _held(text: str) -> str:
    return text.replace(" ", "\u00a0") if len(text) <= HELD else text
