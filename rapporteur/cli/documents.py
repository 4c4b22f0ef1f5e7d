"""`rapporteur report` and `rapporteur export`: what the office sends out after a round."""

import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import reports_errors, say, state_of
from rapporteur.messages import message


class ExportFormat(StrEnum):
    datapackage = "datapackage"
    eurostat = "eurostat"


def register_document_commands(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("export")(export)


@reports_errors
def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="The report: a .html file to read and print, or a .docx file to edit.",
            dir_okay=False,
        ),
    ],
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Default: the latest round.")
    ] = None,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="The edition for publication: disclosure control and its audit as in "
            "summary --publish, without free text or any agency's own figures.",
        ),
    ] = False,
) -> None:
    """The round's report: who returned, the headline figures beside a year earlier, a
    chapter per section with its tables and charts, and the methods.

    Example: rapporteur report --round 2018-06 --publish -o informe-2018-06.html
    """
    from rapporteur.problems import UsageError
    from rapporteur.report import build_report, write_document
    from rapporteur.rounds import Round

    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".docx"):
        raise UsageError("report.unknown_extension", path=output)
    state = state_of(ctx)
    workspace = state.workspace()
    round_ = Round.parse(round_text) if round_text else None
    built = build_report(workspace, round_, publish, datetime.date.today(), state.language)
    if suffix == ".docx":
        from rapporteur.report.docx import render_docx

        data = render_docx(built)
    else:
        from rapporteur.report.html import render_html

        data = render_html(built).encode("utf-8")
    write_document(output, data)
    say(message("report.written", round=built.round, path=output), state.language,
        style="green")  # fmt: skip


@reports_errors
def export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option("--format", help="datapackage: "
        "a Frictionless Data Package (a folder); eurostat: SDMX-CSV for Eurostat's "
        "trafficking data collection (a file).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder (datapackage) "
        "or the .csv file (eurostat) to write.")],
    round_text: Annotated[
        str | None, typer.Option("--round", "-r", help="Default: the latest round.")
    ] = None,
) -> None:  # fmt: skip
    """The figures of a round as open data, with disclosure control applied.

    Example: rapporteur export --round 2018-06 --format datapackage -o datos-2018-06/
    """
    from rapporteur.exports import write_datapackage, write_eurostat
    from rapporteur.rounds import Round

    state = state_of(ctx)
    workspace = state.workspace()
    round_ = Round.parse(round_text) if round_text else None
    if output_format is ExportFormat.datapackage:
        written = write_datapackage(workspace, round_, output)
        said = message("export.written_datapackage", round=written.round, folder=output,
                       count=written.count)  # fmt: skip
    else:
        written = write_eurostat(workspace, round_, output)
        said = message("export.written_eurostat", round=written.round, path=output,
                       period=written.period, count=written.count)  # fmt: skip
    say(said, state.language, style="green")
