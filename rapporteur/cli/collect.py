"""`rapporteur collect`: read, validate, accept or reject, archive, feedback."""

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from rapporteur.cli.common import (
    OutputFormat,
    headings,
    printable,
    progress_bar,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import Language, message

COLUMNS = ("file", "agency", "round", "decision", "version", "errors", "warnings")


def register_collect_command(app: typer.Typer) -> None:
    app.command("collect")(collect)


@reports_errors
def collect(
    ctx: typer.Context,
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders or patterns such as returns/*.xlsx.")
    ],
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Accept only returns of this round.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
    feedback: Annotated[
        bool,
        typer.Option("--feedback", help="Write annotated copies of problem returns to feedback/."),
    ] = False,
    jobs: Annotated[
        int | None, typer.Option(help="Files read in parallel; default: the number of cores.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
    report: Annotated[
        Path | None, typer.Option(help="Also write the report to this .json or .csv file.")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for another command writing the archive.")
    ] = False,
    received: Annotated[
        datetime.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M"],
            help="When these returns arrived (the e-mail's date), if not today.",
        ),
    ] = None,
) -> None:
    """Validate returned questionnaires, archive the good ones and report every problem.

    Exits with 1 when any file was rejected (the others are still processed).

    Example: rapporteur collect returns/*.xlsx --round 2018-12 --feedback
    """
    from rapporteur.collecting import collect as collect_files
    from rapporteur.collecting import default_jobs
    from rapporteur.rounds import Round

    state = state_of(ctx)
    workspace = state.workspace()
    language = state.language
    round_filter = Round.parse(round_text) if round_text else None
    description = message("collect.progress").render(language)
    with progress_bar(description, None, output_format is OutputFormat.table) as advance:
        result = collect_files(
            workspace,
            paths,
            round_filter=round_filter,
            dry_run=dry_run,
            feedback=feedback,
            jobs=jobs or default_jobs(),
            wait=wait,
            on_progress=advance,
            received=received.replace(tzinfo=datetime.UTC) if received else None,
        )
    records = [_record(outcome, language) for outcome in result.outcomes]
    if report is not None:
        report.write_text(
            _as_csv(records) if report.suffix.lower() == ".csv" else _as_json(records),
            encoding="utf-8",
        )
    if output_format is OutputFormat.json:
        typer.echo(_as_json(records), nl=False)
    elif output_format is OutputFormat.csv:
        typer.echo(_as_csv(records), nl=False)
    else:
        _render_for_people(result, records, language)
    if result.rejected:
        raise typer.Exit(1)


def _record(outcome, language: Language) -> dict[str, Any]:
    return {
        "file": str(outcome.file),
        "sha256": outcome.sha256,
        "agency": outcome.agency,
        "round": outcome.round,
        "decision": outcome.decision,
        "version": outcome.version,
        "errors": len(outcome.errors),
        "warnings": len(outcome.warnings),
        "note": outcome.note.render(language) if outcome.note is not None else None,
        "feedback": str(outcome.feedback) if outcome.feedback else None,
        "problems": [
            {
                "severity": problem.severity,
                "code": problem.code,
                "sheet": problem.sheet,
                "cell": problem.cell,
                "field": problem.field,
                "label": problem.label.render(language) if problem.label else None,
                "message": problem.message.render(language),
            }
            for problem in outcome.problems
        ],
    }


def _as_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("file", "agency", "round", "decision", "version", "severity", "code", "sheet",
               "cell", "field", "label", "message")  # fmt: skip


def _as_csv(records: list[dict]) -> str:
    from rapporteur.cli.common import csv_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        for problem in record["problems"] or [{}]:
            row = {**record, **problem}
            writer.writerow([csv_safe(row.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _render_for_people(result, records: list[dict], language: Language) -> None:
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    shown = [
        {**record, "file": Path(record["file"]).name,
         "decision": message(f"collect.decision_{record['decision']}").render(language)}
        for record in records
    ]  # fmt: skip
    render_records(shown, headings("collect", COLUMNS, language), OutputFormat.table,
                   title=message("collect.title").render(language))  # fmt: skip
    # Problems wrap between words at the terminal's width, indented under their file.
    console = Console(highlight=False)
    for record in records:
        if not record["problems"]:
            continue
        console.print()
        heading = message("collect.problems_of", file=Path(record["file"]).name)
        console.print(printable(heading.render(language)), style="bold", markup=False)
        for problem in record["problems"]:
            where = (
                message("collect.where", sheet=problem["sheet"], cell=problem["cell"]).render(
                    language
                )
                if problem["cell"]
                else ""
            )
            label = f" ({problem['label']})" if problem["label"] else ""
            style = "red" if problem["severity"] == "error" else "yellow"
            word = message(f"feedback.{problem['severity']}").render(language)
            line = printable(f"{word}{where}{label}: {problem['message']}")
            console.print(Padding(Text(line, style=style), (0, 0, 0, 2)))
        if record["feedback"]:
            written = message("collect.feedback_written", path=record["feedback"])
            console.print(Padding(Text(printable(written.render(language))), (0, 0, 0, 2)))
    counts = {decision: sum(r["decision"] == decision for r in records)
              for decision in ("accepted", "unchanged", "rejected")}  # fmt: skip
    console.print()
    say(message("collect.totals", files=len(records), **counts), language,
        style="red" if counts["rejected"] else "green")  # fmt: skip
    if result.skipped:
        names = ", ".join(printable(path.name) for path in result.skipped)
        say(message("collect.skipped", count=len(result.skipped), files=names), language,
            style="yellow")  # fmt: skip
    if result.dry_run:
        say(message("collect.dry_run"), language, style="yellow")
