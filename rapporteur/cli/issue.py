"""`rapporteur issue`: the questionnaires of a round."""

import datetime
from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import (
    OutputFormat,
    coded_kind,
    coded_language,
    headings,
    progress_bar,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import LANGUAGES, message

COLUMNS = ("agency", "kind", "language", "file", "reissued")


LONG_LIST = 20


def register_issue_command(app: typer.Typer) -> None:
    app.command("issue")(issue)


@reports_errors
def issue(
    ctx: typer.Context,
    round_text: Annotated[
        str, typer.Option("--round", "-r", help="The round: YYYY-06 or YYYY-12, e.g. 2018-12.")
    ],
    agency: Annotated[
        list[str] | None, typer.Option(help="Only this agency (repeat for several).")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option(help="Only agencies of this kind (repeat for several).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="es, en or ca; default: each agency's language.")
    ] = None,
    deadline: Annotated[
        datetime.datetime | None,
        typer.Option(formats=["%Y-%m-%d", "%d/%m/%Y"], help="Reply by this date."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the workbooks; default issued/ROUND.", file_okay=False),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Issue again to agencies already issued.")
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for another command writing the archive.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(help="Workbooks written in parallel; default: the number of cores."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
) -> None:
    """Write one questionnaire workbook per agency for a round, and record it in the archive.

    Example: rapporteur issue --round 2018-12 --kind CCAA --deadline 2019-01-15
    """
    from rapporteur.issuing import IssueRequest, issue_round, select_agencies, version_of
    from rapporteur.problems import UsageError
    from rapporteur.rounds import Round, period_label

    state = state_of(ctx)
    workspace = state.workspace()
    if lang is not None and lang not in LANGUAGES:
        raise UsageError("issue.bad_language", value=lang, known=", ".join(LANGUAGES))
    request = IssueRequest(
        round=Round.parse(round_text),
        agency_ids=agency or (),
        kinds=kind or (),
        language=lang,  # type: ignore[arg-type]
        deadline=deadline.date() if deadline else None,
        out=out,
        force=force,
    )
    total = len(select_agencies(workspace, request, version_of(workspace, request.round))[0])
    description = message("issue.progress", round=str(request.round)).render(state.language)
    with progress_bar(description, total, output_format is OutputFormat.table) as advance:
        report = issue_round(workspace, request, on_progress=advance, today=state.today)
    language = state.language
    records = [
        {
            "agency": issued.agency.id,
            "kind": coded_kind(issued.agency.kind),
            "language": coded_language(issued.language),
            "file": _shown_path(issued.path, workspace.root),
            "reissued": issued.reissued,
        }
        for issued in report.issued
    ]
    if output_format is OutputFormat.table:
        yes, no = (message(key).render(language) for key in ("status.yes", "status.no"))
        records = [{**record, "reissued": yes if record["reissued"] else no} for record in records]
    # A long list helps nobody at a terminal: the folder holds the files.
    if output_format is not OutputFormat.table or len(records) <= LONG_LIST:
        render_records(records, headings("issue", COLUMNS, language), output_format,
                       title=message("issue.title").render(language),
                       language=language)  # fmt: skip
    if output_format is OutputFormat.table:
        say(
            message("issue.done", count=len(report.issued), round=str(report.round),
                    period=period_label(report.period) if report.period else "",
                    folder=report.folder, deadline=report.deadline.strftime("%d/%m/%Y")),
            language,
            style="green",
        )  # fmt: skip
        say(message("issue.version", version=report.version), language)
        if report.left_out:
            say(
                message("issue.left_out", agencies=", ".join(report.left_out),
                        version=report.version),
                language,
                style="yellow",
            )  # fmt: skip
        reissued = sum(issued.reissued for issued in report.issued)
        if reissued:
            say(message("issue.reissued", count=reissued), language)
    if report.deadline_passed:
        from rapporteur.cli.common import err

        err().print(
            message("issue.deadline_passed", deadline=report.deadline.strftime("%d/%m/%Y")).render(
                language
            ),
            style="yellow",
            markup=False,
        )


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
