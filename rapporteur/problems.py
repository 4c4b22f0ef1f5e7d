"""The Problem record and the one exception hierarchy of the library.

A Problem is one thing wrong with an input (a registry entry, a definition line, later a
cell of a return), shaped like a frictionless report error so that the terminal table,
the JSON report and the feedback workbook can all render the same object. An error that
stops a command is a `RapporteurError`; its `exit_code` is the one the product promises.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal

from rapporteur.messages import Language, Localized, Message, Number, message

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: Message
    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    label: Localized | None = None

    def render(self, language: Language) -> str:
        return self.message.render(language)


class RapporteurError(Exception):
    """An error the user can act on; never a bug."""

    exit_code = 3

    def __init__(self, key: str, /, *, problems: tuple[Problem, ...] = (), **params: object):
        self.message = message(key, **params)
        self.problems = problems
        super().__init__(self.message.render("en"))

    def render(self, language: Language) -> str:
        return self.message.render(language)


class UsageError(RapporteurError):
    """The command was asked for something that cannot be: exit 2."""

    exit_code = 2


class WorkspaceError(RapporteurError):
    """The workspace or archive cannot be used: exit 3."""

    exit_code = 3


class DefinitionError(RapporteurError):
    """A questionnaire definition is broken; nothing can be issued or read with it."""

    exit_code = 3


class NothingToReport(RapporteurError):
    """The round has nothing the report or export asked for (no returns yet, a period
    Eurostat does not collect); nothing was written: exit 1."""

    exit_code = 1


class PublicationError(RapporteurError):
    """A publication does not pass its audit; nothing was printed or written: exit 1."""

    exit_code = 1


def setting_detail(detail: Any) -> Message:
    """What pydantic found wrong with a value of a settings or registry file, in the
    office's words rather than pydantic's English ("Input should be less than…")."""
    context = detail.get("ctx") or {}
    kind = detail["type"]
    if kind.startswith(("settings.", "registry.")):
        return message(kind, **context)
    match kind:
        case "less_than_equal":
            return message("setting.at_most", limit=Number(context["le"]))
        case "less_than":
            return message("setting.below", limit=Number(context["lt"]))
        case "greater_than_equal":
            return message("setting.at_least", limit=Number(context["ge"]))
        case "greater_than":
            return message("setting.above", limit=Number(context["gt"]))
        case "int_parsing" | "int_type" | "int_from_float":
            return message("setting.whole_number")
        case "float_parsing" | "float_type" | "finite_number":
            return message("setting.number")
        case "bool_parsing" | "bool_type":
            return message("setting.true_or_false")
        case "string_type":
            return message("setting.text")
        case "literal_error":  # pydantic's "'es', 'en' or 'ca'", without its English "or"
            expected = re.findall(r"'([^']*)'", str(context.get("expected", "")))
            return message("setting.one_of", expected=", ".join(expected))
        case "list_type" | "tuple_type":
            return message("setting.list")
        case "extra_forbidden":
            return message("setting.unknown_key")
        case "missing":
            return message("setting.missing")
    return message("value.invalid", detail=detail["msg"])
