"""What every command shares: the state of one invocation, errors, output formats."""

import contextlib
import csv
import datetime
import functools
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer

from rapporteur.messages import Coded, Language, Message, Wording
from rapporteur.problems import RapporteurError


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass
class State:
    """One invocation: the workspace asked for, and the language to speak in."""

    workspace_option: Path | None = None
    language: Language = "es"
    today: datetime.date | None = None
    """The day a questionnaire is issued on: today, or the day of its round when the demo
    replays rounds of the past (so that their deadlines have not passed)."""
    _workspace: Any = field(default=None, repr=False)

    def workspace(self):
        """The workspace, opened on first use; its language becomes the language of output."""
        if self._workspace is None:
            from rapporteur.discovery import find_workspace
            from rapporteur.workspace import open_workspace

            self._workspace = open_workspace(find_workspace(self.workspace_option))
            self.language = self._workspace.language
            exposed = self._workspace.secret_exposed()
            if exposed is not None:
                err().print(exposed.render(self.language), style="yellow", markup=False)
        return self._workspace

    def adopt_workspace_language(self) -> None:
        """Speak the workspace's language when there is one; commands that need none run
        anywhere."""
        from rapporteur.problems import RapporteurError

        with contextlib.suppress(RapporteurError):
            self.workspace()


def default_language() -> Language:
    from rapporteur.cli.translation import system_language

    return system_language()


def state_of(ctx: typer.Context) -> State:
    if not isinstance(ctx.obj, State):
        ctx.obj = State(language=default_language())
    return ctx.obj


def out():
    from rich.console import Console  # only commands that print pay for Rich

    return Console(soft_wrap=True, highlight=False)


def err():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


@contextlib.contextmanager
def progress_bar(description: str, total: int | None, shown: bool):
    """A bar on the terminal while a command works through its files: what it is doing and
    how far it has got (3/45, or how many so far when the total is not known). Nothing
    when the error stream is not a terminal or the output is for a program, so that a
    redirected output starts with what it reports."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = err()
    count = MofNCompleteColumn() if total else TextColumn("{task.completed}")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), count, TimeElapsedColumn(),
        console=console, transient=True, disable=not (shown and console.is_terminal),
    ) as progress:  # fmt: skip
        task = progress.add_task(description, total=total)
        yield lambda *_: progress.advance(task)


def say(text: str | Message, language: Language, *, style: str | None = None) -> None:
    rendered = text.render(language) if isinstance(text, Message) else text
    out().print(rendered, markup=False, style=style)


F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn the library's errors into a message in the user's language and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RapporteurError as error:
            ctx = kwargs.get("ctx") or next(
                (arg for arg in args if isinstance(arg, typer.Context)), None
            )
            language = state_of(ctx).language if ctx is not None else default_language()
            console = err()
            console.print(error.render(language), style="bold red", markup=False)
            for problem in error.problems:
                console.print("  " + problem.render(language), markup=False)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def headings(table: str, columns: Sequence[str], language: Language) -> list[tuple[str, str]]:
    """Each column's key with its heading, from the catalogue (`heading.<table>.<key>`)."""
    from rapporteur.messages import message

    return [(key, message(f"heading.{table}.{key}").render(language)) for key in columns]


def render_records(
    records: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    output_format: OutputFormat,
    title: str | None = None,
    language: Language = "es",
) -> None:
    """Print records as a Rich table for people, or as JSON or CSV for programs. A coded
    value (a kind of agency, a region) shows its label to people; programs get the code,
    with the label beside it in `<column>_label`."""
    if output_format is not OutputFormat.table:
        records, columns = _with_labels(records, columns, language)
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(list(records), ensure_ascii=False, indent=2, default=str))
        return
    if output_format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for record in records:
            writer.writerow([csv_safe(record.get(key)) for key, _ in columns])
        typer.echo(buffer.getvalue(), nl=False)
        return
    from rapporteur.cli.grid import GridColumn, print_grid

    figures = {
        key
        for key, _ in columns
        if records
        and all(_is_figure(record.get(key)) for record in records)
        and any(record.get(key) is not None for record in records)
    }
    print_grid(
        out(),
        title,
        [GridColumn(heading, right=key in figures) for key, heading in columns],
        [[_cell_text(record.get(key), language) for key, _ in columns] for record in records],
        framed=True,
    )


def _is_figure(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _with_labels(
    records: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], language: Language
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    coded = {key for record in records for key, value in record.items() if isinstance(value, Coded)}
    plain = []
    for record in records:
        flat = {}
        for key, value in record.items():
            flat[key] = value.code if isinstance(value, Coded) else value
            if key in coded:
                flat[f"{key}_label"] = value.render(language) if isinstance(value, Coded) else None
        plain.append(flat)
    wider = []
    for key, heading in columns:
        wider.append((key, heading))
        if key in coded:
            wider.append((f"{key}_label", heading))
    return plain, wider


def coded_kind(kind: str) -> Coded:
    from rapporteur.definition import kind_coded, load_definition

    return kind_coded(load_definition(), kind)


def coded_region(region: str) -> Coded:
    """A region, or ES for a body of national scope, by its name."""
    from rapporteur.definition import load_definition

    return load_definition().coded("scope", region)


def coded_language(code: str) -> Coded:
    """A language by its CLDR name in the reader's: catalán, Catalan, català."""
    return Coded(code, _LanguageName(code))


@dataclass(frozen=True)
class _LanguageName(Wording):
    code: str

    def render(self, language: Language) -> str:
        from rapporteur import formats

        return formats.language_name(self.code, language)


def csv_safe(value: Any) -> str:
    """Text that a spreadsheet program would run as a formula is quoted as text."""
    from rapporteur.summary_output import neutralised

    return "" if value is None else neutralised(printable(str(value)))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from agencies, safe for a terminal: no escape sequences, no control characters."""
    return _CONTROL.sub("\ufffd", text)


def _cell_text(value: Any, language: Language) -> str:
    if isinstance(value, Coded):
        return printable(value.render(language))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from rapporteur import formats

        return formats.shown(value, language)
    return "" if value is None else printable(str(value))


def local_moment(moment: datetime.datetime | None) -> str | None:
    """A moment as the office reads it: its own time zone, day first."""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else None


def local_day(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone().strftime("%d/%m/%Y") if moment else None
