"""`rapporteur archive list|show|history|diff|revert|verify|import`: the office's record."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rapporteur.cli.common import (
    OutputFormat,
    coded_kind,
    err,
    headings,
    local_moment,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import message

archive_app = typer.Typer(
    help="The archive: every round, every accepted version of every return.\n\n"
    "Example: rapporteur archive history 2018-12 ong-01",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class ShowFormat(StrEnum):
    toml = "toml"
    json = "json"


COLUMNS = {
    "list": ("round", "issued", "returned", "versions", "consolidated", "source"),
    "history": ("version", "received", "source_file", "source_sha256", "warnings", "collected_by"),
    "diff": ("path", "label", "before", "after"),
}


def _archive(ctx: typer.Context):
    from rapporteur.archive import Archive

    state = state_of(ctx)
    return state, Archive(state.workspace().archive_dir)


def _round(text: str):
    from rapporteur.rounds import Round

    return Round.parse(text)


@archive_app.command("list")
@reports_errors
def list_rounds(
    ctx: typer.Context,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """List the rounds of the archive with how many questionnaires, returns and versions.

    Example: rapporteur archive list
    """
    from rapporteur.history import list_rounds as summaries

    state, archive = _archive(ctx)
    language = state.language
    rounds = summaries(archive)
    records = [
        {"round": str(s.round), "issued": s.issued, "returned": s.returned,
         "versions": s.versions, "consolidated": s.consolidated, "source": s.source}
        for s in rounds
    ]  # fmt: skip
    columns = list(COLUMNS["list"])
    if output_format is OutputFormat.table:
        # At 80 columns the source goes under the table; the round says it is historical.
        for record in records:
            if record["source"]:
                historical = message("archive.historical_round", round=record["round"])
                record["round"] = historical.render(language)
        columns.remove("source")
    title = message("archive.list_title").render(language)
    render_records(records, headings("archive_list", columns, language), output_format,
                   title=title, language=language)  # fmt: skip
    if output_format is OutputFormat.table:
        for summary in rounds:
            if summary.source:
                said = message("archive.historical", round=str(summary.round),
                               source=summary.source)  # fmt: skip
                say(said, language)


@archive_app.command("show")
@reports_errors
def show(
    ctx: typer.Context,
    round_text: Annotated[str, typer.Argument(metavar="ROUND")],
    agency: Annotated[str | None, typer.Argument(metavar="[AGENCY]")] = None,
    version: Annotated[
        int | None, typer.Option(help="Version number; the latest by default.")
    ] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format")] = ShowFormat.toml,
) -> None:
    """Show the consolidated round, or one version of an agency's return.

    Example: rapporteur archive show 2018-12 ong-01 --version 1 --format json
    """
    from rapporteur.history import require_round

    _, archive = _archive(ctx)
    round_ = _round(round_text)
    archive.recover_if_needed()
    require_round(archive, round_)
    if agency is None:
        stored = archive.consolidated(round_, version)
        if stored is None:
            from rapporteur.problems import WorkspaceError

            raise WorkspaceError("archive.no_consolidated", round=str(round_), version=1, known="—")
    else:
        stored = archive.return_version(round_, agency, version)
    if output_format is ShowFormat.toml:
        typer.echo(stored.path.read_text(encoding="utf-8"), nl=False)
    else:
        typer.echo(json.dumps({"header": stored.header, **stored.body}, ensure_ascii=False,
                              indent=2, default=str))  # fmt: skip


@archive_app.command("history")
@reports_errors
def history(
    ctx: typer.Context,
    round_text: Annotated[str, typer.Argument(metavar="ROUND")],
    agency: Annotated[str, typer.Argument(metavar="AGENCY")],
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Every accepted version of an agency's return: when, from which file, its hash.

    Example: rapporteur archive history 2018-12 ong-01
    """
    state, archive = _archive(ctx)
    round_ = _round(round_text)
    archive.recover_if_needed()
    versions = archive.return_versions(round_, agency)
    if not versions:
        from rapporteur.problems import WorkspaceError

        raise WorkspaceError("archive.no_return", round=str(round_), agency=agency)
    records = [
        {key: item.header.get(key) for key in
         ("version", "received", "source_file", "source_sha256", "warnings", "collected_by",
          "reverted_from")}
        for item in versions
    ]  # fmt: skip
    if output_format is OutputFormat.table:
        records = [
            {**record, "source_sha256": record["source_sha256"][:16] + "…",
             "version": _restoring(record, state.language),
             "received": local_moment(record["received"])}
            for record in records
        ]  # fmt: skip
    title = message("archive.history_title", agency=agency, round=str(round_)).render(
        state.language
    )
    render_records(
        records,
        headings("archive_history", COLUMNS["history"], state.language),
        output_format,
        title=title,
    )


@archive_app.command("diff")
@reports_errors
def diff(
    ctx: typer.Context,
    round_text: Annotated[str, typer.Argument(metavar="ROUND")],
    agency: Annotated[str, typer.Argument(metavar="AGENCY")],
    first: Annotated[int | None, typer.Option("--from", help="Earlier version.")] = None,
    second: Annotated[
        int | None, typer.Option("--to", help="Later version; the latest by default.")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """What changed between two versions of an agency's return, field by field.

    Example: rapporteur archive diff 2018-12 ong-01 --from 1 --to 2
    """
    from rapporteur.history import diff_versions

    state, archive = _archive(ctx)
    round_ = _round(round_text)
    archive.recover_if_needed()
    before, after, changes = diff_versions(archive, round_, agency, first, second)
    language = state.language
    if before == after and first is None:
        say(message("archive.one_version", agency=agency, round=str(round_)), language)
        return
    records = [
        {"path": change.path, "label": change.label[language],
         "before": _shown(change.before), "after": _shown(change.after)}
        for change in changes
    ]  # fmt: skip
    title = message("archive.diff_title", agency=agency, round=str(round_), before=before,
                    after=after, count=len(changes)).render(language)  # fmt: skip
    render_records(
        records, headings("archive_diff", COLUMNS["diff"], language), output_format, title=title
    )


@archive_app.command("revert")
@reports_errors
def revert(
    ctx: typer.Context,
    round_text: Annotated[str, typer.Argument(metavar="ROUND")],
    agency: Annotated[str, typer.Argument(metavar="AGENCY")],
    to: Annotated[int, typer.Option("--to", help="The older version to bring back.")],
) -> None:
    """Bring back an older version of a return as a new version, on the office's word.

    `collect` refuses a file equal to an older version, since it would undo a correction;
    this is the deliberate way back. Nothing is overwritten: the new version names the one
    it restores, and every version stays in the history.

    Example: rapporteur archive revert 2018-12 ong-01 --to 1
    """
    from rapporteur.history import revert_return

    state = state_of(ctx)
    archive = state.workspace().archive()
    round_ = _round(round_text)
    recorded = revert_return(archive, round_, agency, to)
    say(message("archive.reverted", agency=agency, round=str(round_), version=recorded.version,
                to=to, previous=recorded.version - 1), state.language)  # fmt: skip


@archive_app.command("verify")
@reports_errors
def verify(
    ctx: typer.Context,
    round_text: Annotated[str | None, typer.Argument(metavar="[ROUND]")] = None,
) -> None:
    """Re-hash every file and check that nothing was altered, lost or added by hand.

    Exits with 3 when anything is wrong.

    Example: rapporteur archive verify 2018-12
    """
    from rapporteur.verification import verify_archive

    state, archive = _archive(ctx)
    result = verify_archive(
        archive, _round(round_text) if round_text else None, key=state.workspace().secret()
    )
    language = state.language
    if result.recovered:
        say(message("verify.recovered"), language, style="yellow")
    if result.intact:
        say(message("verify.intact", rounds=result.rounds, files=result.files), language,
            style="green")  # fmt: skip
        return
    console = err()
    console.print(message("verify.damaged", count=len(result.problems)).render(language),
                  style="bold red", markup=False)  # fmt: skip
    for problem in result.problems:
        console.print("  " + problem.render(language), markup=False)
    raise typer.Exit(3)


@archive_app.command("import")
@reports_errors
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="The figures: an .xlsx or .csv made from the template."),
    ] = None,
    round_text: Annotated[
        str | None,
        typer.Option("--round", "-r", help="The round to archive them as, e.g. 2017-06."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="What they cover: 2017, 2018-S1 or whole years, 2013-2016. "
            "Default: the round's period."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Where they were published; default: the file's name.")
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(help="Questionnaire version of the codes; default: the round's."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            help="Write the template (.xlsx or .csv) to this file instead.", dir_okay=False
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="With --template: only this kind of agency (repeat for several)."),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for another command writing the archive.")
    ] = False,
) -> None:
    """Archive figures published before the tool as a historical round, so that trends
    start before the first issued round. Every figure is checked as collect checks a
    return; a file with any wrong figure is refused, cell by cell, and nothing is archived.

    Example: rapporteur archive import serie-2013-2016.xlsx --round 2017-06 --period 2013-2016
    """
    from rapporteur.importing import import_history, write_template
    from rapporteur.problems import UsageError

    state = state_of(ctx)
    workspace = state.workspace()
    language = state.language
    if template is not None:
        round_ = _round(round_text) if round_text else None
        chosen = version or workspace.settings.questionnaire.version_for(round_)
        rows = write_template(template, chosen, kind or [], language)
        say(message("import.template_written", file=template, rows=rows, version=chosen),
            language, style="green")  # fmt: skip
        return
    if file is None or round_text is None:
        raise UsageError("import.needs_file_and_round")
    report = import_history(workspace, file, _round(round_text), period, source, version, wait=wait)
    for warning in report.warnings:
        err().print(warning.render(language), style="yellow", markup=False)
    records = [
        {"kind": coded_kind(kind), "figures": figures, "version": report.versions.get(kind)}
        for kind, figures in report.figures.items()
    ]
    render_records(records, headings("import", ("kind", "figures", "version"), language),
                   OutputFormat.table, language=language)  # fmt: skip
    say(
        message("import.done", round=str(report.round), period=report.period.code,
                source=report.source, version=report.version),
        language,
        style="green",
    )  # fmt: skip


def _restoring(record: dict[str, Any], language) -> str:
    if record.get("reverted_from") is None:
        return str(record["version"])
    restores = message("archive.restores", version=record["version"], to=record["reverted_from"])
    return restores.render(language)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
