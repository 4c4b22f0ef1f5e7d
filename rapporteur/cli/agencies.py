"""`rapporteur agencies list|add|remove|check`: the registry of agencies."""

import contextlib
from typing import Annotated

import typer

from rapporteur.cli.common import (
    OutputFormat,
    coded_kind,
    coded_language,
    coded_region,
    headings,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import message

agencies_app = typer.Typer(
    help="The registry of agencies that receive the questionnaire (agencies.toml).\n\n"
    "Example: rapporteur agencies list --kind CCAA",
    no_args_is_help=True,
    rich_markup_mode=None,
)

COLUMNS = ("id", "name", "kind", "region", "email", "language")


@agencies_app.command("list")
@reports_errors
def list_agencies(
    ctx: typer.Context,
    kind: Annotated[list[str] | None, typer.Option(help="Only agencies of this kind.")] = None,
    region: Annotated[str | None, typer.Option(help="Only agencies of this region code.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
) -> None:
    """List the agencies of the registry.

    Example: rapporteur agencies list --kind CCAA --format csv
    """
    from rapporteur.definition import kind_code, load_definition

    state = state_of(ctx)
    registry = state.workspace().registry()
    kinds = [kind_code(load_definition(), each) for each in kind or ()]
    agencies = registry.select(kinds=kinds, region=region)
    records = [
        {
            **agency.model_dump(),
            "kind": coded_kind(agency.kind),
            "region": coded_region(agency.region),
            "language": coded_language(agency.language),
        }
        for agency in agencies
    ]
    title = message("agencies.title", count=len(records)).render(state.language)
    render_records(records, headings("agencies", COLUMNS, state.language), output_format,
                   title=title, language=state.language)  # fmt: skip


@agencies_app.command("add")
@reports_errors
def add(
    ctx: typer.Context,
    agency_id: Annotated[str, typer.Argument(metavar="ID", help="Short id, e.g. ong-13.")],
    name: Annotated[str, typer.Option(help="Full name, printed on the questionnaire.")],
    kind: Annotated[
        str, typer.Option(help="Kind of agency: its code or short name, e.g. NGO, CCAA, LEA_STATE.")
    ],
    region: Annotated[str, typer.Option(help="ISO 3166-2:ES code, or ES if national.")],
    email: Annotated[str, typer.Option(help="Address questionnaires are sent to.")],
    language: Annotated[str, typer.Option(help="es, en or ca.")] = "es",
    contact: Annotated[str | None, typer.Option(help="Person in charge.")] = None,
) -> None:
    """Add an agency to the registry, checking it first.

    Example: rapporteur agencies add ong-13 --name "Fundación X" --kind NGO --region ES-AN
    --email trata@fundacionx.org
    """
    from rapporteur.definition import kind_code, load_definition
    from rapporteur.problems import UsageError
    from rapporteur.registry import add_agency

    state = state_of(ctx)
    workspace = state.workspace()
    with contextlib.suppress(UsageError):  # else the registry refuses it, saying why
        kind = kind_code(load_definition(), kind)
    values = {
        "id": agency_id,
        "name": name,
        "kind": kind,
        "region": region,
        "email": email,
        "language": language,
        "contact": contact,
    }
    agency = add_agency(workspace.registry_path, values)
    say(message("agencies.added", id=agency.id, name=agency.name), state.language, style="green")


@agencies_app.command("remove")
@reports_errors
def remove(
    ctx: typer.Context,
    agency_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the agency to remove.")],
) -> None:
    """Remove an agency from the registry. Its archived returns are kept.

    Example: rapporteur agencies remove ong-13
    """
    from rapporteur.registry import remove_agency

    state = state_of(ctx)
    workspace = state.workspace()
    agency = remove_agency(workspace.registry_path, agency_id)
    say(message("agencies.removed", id=agency.id, name=agency.name), state.language)


@agencies_app.command("check")
@reports_errors
def check(ctx: typer.Context) -> None:
    """Check the registry and report every problem with its line.

    Example: rapporteur agencies check
    """
    state = state_of(ctx)
    workspace = state.workspace()
    registry = workspace.registry()
    say(
        message("agencies.check_ok", file=workspace.registry_path, count=len(registry)),
        state.language,
        style="green",
    )
