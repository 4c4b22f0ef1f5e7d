"""`rapporteur questionnaire fields` and `rapporteur schema export`."""

from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import (
    OutputFormat,
    headings,
    render_records,
    reports_errors,
    say,
    state_of,
)
from rapporteur.messages import message

questionnaire_app = typer.Typer(
    help="The questionnaire definition: what each kind of agency is asked.\n\n"
    "Example: rapporteur questionnaire fields --kind NGO",
    no_args_is_help=True,
    rich_markup_mode=None,
)
schema_app = typer.Typer(
    help="The JSON Schemas of returns, published in schemas/.\n\n"
    "Example: rapporteur schema export --out schemas/",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@questionnaire_app.command("fields")
@reports_errors
def fields(
    ctx: typer.Context,
    kind: Annotated[
        str | None, typer.Option(help="Kind of agency, e.g. NGO; all kinds when left out.")
    ] = None,
    version: Annotated[
        int | None, typer.Option(help="Questionnaire version; the latest by default.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
) -> None:
    """List every input an agency of a kind is asked, with the defined name of its cell.

    A repeating table's column is one input: its defined name covers all the rows.

    Example: rapporteur questionnaire fields --kind CCAA --format csv
    """
    from rapporteur.definition import (
        describe_inputs,
        kind_code,
        kind_label,
        kind_labels,
        load_definition,
    )
    from rapporteur.messages import Coded

    state = state_of(ctx)
    state.adopt_workspace_language()
    definition = load_definition(version)
    if kind is not None:
        kind = kind_code(definition, kind)
    records = describe_inputs(definition, kind, state.language)
    for record in records:
        if "kinds" in record:
            codes = record["kinds"].split()
            record["kinds"] = Coded(" ".join(codes), kind_labels(codes))
    keys = ["name", "section", "type", "label", "required", "rows"]
    if kind is None:
        keys.append("kinds")
    if output_format is OutputFormat.table:
        columns = headings("fields", keys, state.language)
        requirement_words = {
            level: message(f"requirement.{level}").render(state.language)
            for level in ("required", "june", "optional")
        }
        records = [
            {**record, "required": requirement_words[record["required"]]} for record in records
        ]
    else:
        columns = [(key, key) for key in records[0]] if records else []
    title = message(
        "questionnaire.fields_title",
        version=definition.version,
        kind=kind_label(definition, kind) if kind else "*",
        count=len(records),
    ).render(state.language)
    render_records(records, columns, output_format, title=title, language=state.language)


@schema_app.command("export")
@reports_errors
def export(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option(help="Folder to write the schemas into.", file_okay=False)
    ] = Path("schemas"),
    version: Annotated[
        int | None, typer.Option(help="Questionnaire version; the latest by default.")
    ] = None,
) -> None:
    """Write one JSON Schema per questionnaire version and kind of agency.

    Example: rapporteur schema export --out schemas/
    """
    from rapporteur.definition import available_versions
    from rapporteur.models import export_schemas

    state = state_of(ctx)
    state.adopt_workspace_language()
    versions = [version] if version is not None else list(available_versions())
    written = [path for chosen in versions for path in export_schemas(out, chosen)]
    say(message("schema.exported", count=len(written), folder=out), state.language)


@questionnaire_app.command("check")
@reports_errors
def check(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="A definition file; the installed versions when left out."),
    ] = None,
) -> None:
    """Check a questionnaire definition and report every mistake with its line.

    Example: rapporteur questionnaire check questionnaires/v2.toml
    """
    from rapporteur.definition import available_versions, load_definition, parse_definition
    from rapporteur.problems import UsageError
    from rapporteur.tomlfile import read_text

    state = state_of(ctx)
    state.adopt_workspace_language()
    if file is None:
        definitions = [load_definition(version) for version in available_versions()]
        names = [f"v{definition.version}" for definition in definitions]
    else:
        if not file.is_file():
            raise UsageError("questionnaire.no_file", file=file)
        definitions = [parse_definition(read_text(file), str(file))]
        names = [str(file)]
    for name, definition in zip(names, definitions, strict=True):
        say(
            message(
                "questionnaire.check_ok",
                file=name,
                fields=len(definition.fields),
                rules=len(definition.rules),
                inputs=len(definition.inputs()),
                tables=len(definition.tables),
            ),
            state.language,
            style="green",
        )
