"""`rapporteur questionnaire fields|check|diff` and `rapporteur schema export`."""

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


@questionnaire_app.command("diff")
@reports_errors
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The older version, e.g. v1.")],
    new: Annotated[str, typer.Argument(help="The newer version, e.g. v2.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
) -> None:
    """What changed between two questionnaire versions: each question added, renamed,
    changed (wording, kinds of agency asked, breakdowns) or removed, with the reason.

    Example: rapporteur questionnaire diff v1 v2
    """
    from rapporteur.definition import kind_labels, load_definition
    from rapporteur.lineage import changes, new_kinds
    from rapporteur.messages import Coded
    from rapporteur.problems import UsageError

    state = state_of(ctx)
    state.adopt_workspace_language()
    older, newer = (_version(text) for text in (old, new))
    if older >= newer:
        raise UsageError("questionnaire.diff_order", old=old, new=new)
    load_definition(older), load_definition(newer)  # an unknown version says which exist
    language = state.language
    records = [
        {
            "change": Coded(change.change, message(f"lineage.change.{change.change}")),
            "question": change.question,
            "before": change.before,
            "label": change.label.render(language),
            "detail": "; ".join(said for item in change.detail if (said := item.render(language))),
        }
        for change in changes(older, newer)
    ]
    keys = ["change", "question", "before", "label", "detail"]
    if output_format is OutputFormat.table:
        # At 80 columns: the wording only where it is the news, the old id in the detail.
        keys = ["change", "question", "detail"]
        for record in records:
            said = [record["detail"]] if record["detail"] else []
            if record["change"].code in ("added", "removed"):
                said.insert(0, record["label"])
            if record["before"]:
                before = message("lineage.before", question=record["before"])
                said.insert(0, before.render(language))
            record["detail"] = "; ".join(said)
    title = message("questionnaire.diff_title", old=older, new=newer, count=len(records))
    render_records(records, headings("diff", keys, language), output_format,
                   title=title.render(language), language=language)  # fmt: skip
    added = new_kinds(older, newer)
    if added and output_format is OutputFormat.table:
        say(message("lineage.new_kinds", kinds=kind_labels(added)), language)


def _version(text: str) -> int:
    from rapporteur.problems import UsageError

    digits = text.strip().lower().removeprefix("v")
    if not digits.isdigit():
        raise UsageError("questionnaire.not_a_version", text=text)
    return int(digits)
