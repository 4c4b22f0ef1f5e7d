"""The command line in the user's language: help texts, usage errors, Typer's headings.

Help texts are written in English in the commands and translated in the `cli` catalogue of
rapporteur/locale (context "help"), with the headings Typer writes through `gettext`
("Options", "Commands"), and the words that stand for values (context "metavar": ROUND,
FILE); `python -m rapporteur.catalogues` refreshes it (see "Languages" in the README).
Usage errors ("Missing argument", "Invalid value for"), which the parser writes in
English, are told again from the catalogue of messages.

The language is settled before anything is parsed, since `--help` and usage errors come
before any command runs: the workspace's `language` (the workspace named with
--workspace or $RAPPORTEUR_WORKSPACE, or found upward from here, as commands find it),
else $RAPPORTEUR_LANG, else the system's LC_ALL, LC_MESSAGES or LANG, else Spanish.
"""

import datetime
import gettext
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from typer.core import TyperGroup

from rapporteur.discovery import SETTINGS_FILE, find_workspace
from rapporteur.messages import LANGUAGES, LOCALE_FOLDER, Language, Message, message
from rapporteur.problems import WorkspaceError

DOMAIN = "cli"
HELP = "help"  # the context of help texts in the catalogue
METAVAR = "metavar"  # the context of the words that stand for values: ROUND, FILE
# Values named after what they are rather than after the parameter that takes them.
_SAME_AS = {"COMPARE": "ROUND", "LANG": "LANGUAGE", "PATHS": "FILE", "OUT": "FOLDER"}
LANGUAGE_VARIABLE = "RAPPORTEUR_LANG"


def system_language(environ: Mapping[str, str] = os.environ) -> Language:
    """The language where no workspace says: $RAPPORTEUR_LANG, else the system's."""
    wanted = environ.get(LANGUAGE_VARIABLE, "")[:2].lower()
    if wanted:
        return wanted if wanted in LANGUAGES else "es"  # type: ignore[return-value]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        wanted = environ.get(variable, "")[:2].lower()
        if wanted:  # the first set decides, as for every program of the system
            return wanted if wanted in LANGUAGES else "es"  # type: ignore[return-value]
    return "es"


def invocation_language(
    args: Sequence[str], environ: Mapping[str, str] = os.environ, start: Path | None = None
) -> Language:
    """The language of a command line, read cheaply: `--help` must start fast."""
    settings = _settings_file(args, environ, start)
    if settings is not None:
        try:
            text = settings.read_text(encoding="utf-8")
        except (OSError, ValueError):
            text = ""  # the command itself reports what is wrong with the workspace
        # `language` of [office], read without a TOML parser (a few milliseconds of the
        # start-up budget); a file a parser would refuse is reported by the command.
        office = re.search(r"^\[office\][ \t]*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
        found = office and re.search(r'^language\s*=\s*"(\w+)"', office[1], re.MULTILINE)
        if found and found[1] in LANGUAGES:
            return found[1]  # type: ignore[return-value]
    return system_language(environ)


def _settings_file(
    args: Sequence[str], environ: Mapping[str, str], start: Path | None
) -> Path | None:
    explicit = None
    for index, arg in enumerate(args):
        if arg in ("-w", "--workspace") and index + 1 < len(args):
            explicit = args[index + 1]
        elif arg.startswith("--workspace="):
            explicit = arg.partition("=")[2]
    try:
        folder = find_workspace(Path(explicit) if explicit else None, environ, start)
    except WorkspaceError:
        return None  # the command says so, if it needs a workspace
    return folder / SETTINGS_FILE


class RapporteurGroup(TyperGroup):
    """The root command: speaks the user's language from the first word it prints."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        language = invocation_language(arguments)
        speak(self, language, arguments)
        extra["standalone_mode"] = False
        try:
            result = super().main(arguments, *rest, **extra)
        except Exception as error:
            # The parser's exceptions, by name: Typer carries its own copy of Click's.
            kinds = {kind.__name__ for kind in type(error).__mro__}
            if "NoArgsIsHelpError" in kinds:
                print(error.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
            elif "UsageError" in kinds:
                print(usage_error(error, language), file=sys.stderr)
            elif "Abort" in kinds:
                print(message("cli.aborted").render(language), file=sys.stderr)
                sys.exit(1)
            elif "ClickException" in kinds:
                print(error.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
            else:
                raise
            sys.exit(getattr(error, "exit_code", 2))
        sys.exit(result if isinstance(result, int) else 0)


def speak(root: Any, language: Language, args: Sequence[str] = ()) -> None:
    """Have Typer and the commands `args` names, from `root` down, speak `language`.

    Only the commands on the way, and the list of those below the last, are translated:
    all of them would cost `--help` a few milliseconds of its start-up budget."""
    # Typer writes its headings with gettext.gettext: the process's text domain, in the
    # language of $LANGUAGE, which outranks the other variables.
    gettext.bindtextdomain(DOMAIN, str(LOCALE_FOLDER))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language
    catalogue = gettext.translation(DOMAIN, LOCALE_FOLDER, languages=[language], fallback=True)
    usage = message("cli.usage").render(language) + " "
    options = message("cli.options_metavar").render(language)
    subcommands = message("cli.subcommand_metavar").render(language)
    help_option = message("cli.help_option").render(language)
    for each in _on_the_way(root, args):
        _translate_help(each, catalogue)
        _name_values(each, catalogue)
        for child in (getattr(each, "commands", None) or {}).values():
            _translate_help(child, catalogue)
        each.options_metavar = options
        if hasattr(each, "subcommand_metavar"):
            each.subcommand_metavar = subcommands
        each.context_class = _speaking(each.context_class, usage)
        option = each.get_help_option(each.context_class(each))
        if option is not None:
            option.help = help_option


def _on_the_way(root: Any, args: Sequence[str]) -> Iterator[Any]:
    command = root
    yield command
    for arg in args:
        below = (getattr(command, "commands", None) or {}).get(arg)
        if below is not None:
            command = below
            yield command


def _translate_help(command: Any, catalogue: gettext.NullTranslations) -> None:
    for owner, attribute in _help_texts(command):
        setattr(owner, attribute, catalogue.pgettext(HELP, getattr(owner, attribute)))
    if command.help and not command.short_help:
        # The whole first paragraph in the list of commands, not cut with "...".
        command.short_help = " ".join(command.help.split("\n\n")[0].split())


def metavar(param: Any) -> str | None:
    """The word that stands for a parameter's value, as a manual page writes it: --round
    ROUND, --deadline YYYY-MM-DD, FILE... (Typer 0.29 writes <str>, <list[str]>,
    <%Y-%m-%d|%d/%m/%Y>, {paths}...). None for flags and for a list of choices, which
    shows its choices."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    described = param.type_descriptor
    if described.is_choice:
        return None
    if param.metavar:
        return param.metavar.strip("[]")
    if described.is_datetime:
        return "YYYY-MM-DD"
    if described.is_path:
        return "FOLDER" if described.path_type == "dir" else "FILE"
    if param.bare_type() in ("int", "list[int]"):
        return "N"
    long = max(param.opts, key=len).lstrip("-") if param.opts else param.name
    word = long.upper().replace("-", "_")
    return _SAME_AS.get(word, word)


def _name_values(command: Any, catalogue: gettext.NullTranslations) -> None:
    for param in command.params:
        word = metavar(param)
        if word is None:
            continue
        said = catalogue.pgettext(METAVAR, word)
        if param.param_type_name == "argument":
            param.__class__ = _manual_argument(type(param))
            param.metavar = said
        else:
            param.metavar = said


@cache
def _manual_argument(base: type) -> type:
    """An argument as a manual page shows it: FILE... when required, [AGENCY] when not,
    without Typer's braces and type."""

    class ManualArgument(base):  # type: ignore[misc, valid-type]
        def _usage_display_name(self) -> str:
            name = self.metavar if self.required else f"[{self.metavar}]"
            return name + ("..." if self.nargs != 1 else "")

        def _rich_display_name(self) -> str:
            return self._usage_display_name()

        def display_type_rich(self, ctx: Any) -> None:
            return None

    return ManualArgument


@cache
def _speaking(context_class: type, usage: str) -> type:
    base = context_class.formatter_class

    class Formatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, usage if prefix is None else prefix)

    return type(context_class.__name__, (context_class,), {"formatter_class": Formatter})


def commands(command: Any) -> Iterator[Any]:
    yield command
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        yield from commands(subcommands[name])


def _help_texts(command: Any) -> Iterator[tuple[object, str]]:
    for attribute in ("help", "short_help", "epilog"):
        if getattr(command, attribute, None):
            yield command, attribute
    for param in command.params:
        if getattr(param, "help", None):
            yield param, "help"


def help_texts(command: Any) -> list[str]:
    """Every help text of the command line, in order, once."""
    found: dict[str, None] = {}
    for each in commands(command):
        for owner, attribute in _help_texts(each):
            found[getattr(owner, attribute)] = None
    return list(found)


# Usage errors ---------------------------------------------------------------------------

# What the parser says about a bad value, and the message that says it for people.
_DETAILS = [
    (r"(?:Value )?'(?P<value>.*)' is not one of (?P<choices>.+)\.", "cli.not_a_choice"),
    (r"(?:Value )?'(?P<value>.*)' is not '(?P<choices>.+)'\.", "cli.not_a_choice"),
    (r"(?:Value )?'(?P<value>.*)' is not a valid (?:integer|int)\.?", "cli.not_a_whole_number"),
    (r"(?:Value )?'(?P<value>.*)' is not a valid (?:float|number)\.?", "cli.not_a_number"),
    (r"Input should be a valid integer.*", "cli.whole_number_expected"),
    (r"Input should be a valid number.*", "cli.number_expected"),
    (r"'(?P<value>.*)' does not match the formats? (?P<formats>.+)\.", "cli.not_a_date"),
    (r"(?:File|Directory|Path) '(?P<path>.*)' does not exist\.", "cli.path_missing"),
    (r"(?:File|Directory|Path) '(?P<path>.*)' is a file\.", "cli.path_is_file"),
    (r"(?:File|Directory|Path) '(?P<path>.*)' is a directory\.", "cli.path_is_folder"),
    (r"(?:File|Directory|Path) '(?P<path>.*)' is not (?:readable|writable)\.", "cli.path_denied"),
]
_EXAMPLE_MOMENT = datetime.datetime(2019, 1, 15, 9, 30)


def usage_error(error: Any, language: Language) -> str:
    """The usage line, the hint and what went wrong, in `language`."""
    context = getattr(error, "ctx", None)
    lines = []
    if context is not None:
        lines.append(context.get_usage())
        lines.append(
            message("cli.try_help", command=f"{context.command_path} --help").render(language)
        )
        lines.append("")
    lines.append(_what_went_wrong(error).render(language))
    return "\n".join(lines)


def _what_went_wrong(error: Any) -> Message:
    kind = type(error).__name__
    text = error.format_message() if hasattr(error, "format_message") else str(error)
    param = getattr(error, "param", None)
    name = _name_of(param) if param is not None else None
    if kind == "MissingParameter" and name:
        key = "cli.missing_option" if param.param_type_name == "option" else "cli.missing_argument"
        return message(key, name=name)
    if kind == "NoSuchOption":
        possibilities = sorted(getattr(error, "possibilities", None) or [])
        if possibilities:
            return message("cli.no_such_option_like", name=error.option_name,
                           like=", ".join(possibilities))  # fmt: skip
        return message("cli.no_such_option", name=error.option_name)
    if kind == "BadOptionUsage" and "requires an argument" in text:
        return message("cli.option_needs_value", name=error.option_name)
    if kind == "BadParameter":
        detail = _detail(getattr(error, "message", text))
        return message("cli.bad_value", name=name or "?", detail=detail)
    extra = re.fullmatch(r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)", text)
    if extra:
        return message("cli.extra_arguments", arguments=extra["args"])
    suggested = re.fullmatch(r"(?P<said>.*?)\.? Did you mean (?P<like>.+)\?", text)
    if suggested:  # Typer adds the suggestion in English to a translated sentence
        return message("cli.did_you_mean", said=suggested["said"], like=suggested["like"])
    return message("cli.as_said", text=text)


def _name_of(param: Any) -> str:
    if param.param_type_name == "option" and param.opts:
        return max(param.opts, key=len)
    return (param.metavar or param.name or "").upper()


def _detail(text: str) -> Message | str:
    text = text.strip().removeprefix("Value error, ")  # Typer's wording of a ValueError
    for pattern, key in _DETAILS:
        found = re.fullmatch(pattern, text)
        if found is None:
            continue
        params = found.groupdict()
        if "choices" in params:
            params["choices"] = ", ".join(re.findall(r"'([^']*)'", params["choices"]))
        if "formats" in params:  # examples, not strftime codes
            params["formats"] = ", ".join(
                _EXAMPLE_MOMENT.strftime(f) for f in re.findall(r"'([^']*)'", params["formats"])
            )
        return message(key, **params)
    return text
