"""Every sentence the library gives a user: its key and its English source text.

The library raises errors and reports problems as `Message` values (a key and its
parameters); only the CLI decides the language and renders them. The sentences are
declared below with `M` (one form) and `MP` (a count that takes singular or plural); the
translations live in GNU gettext catalogues, `rapporteur/locale/<language>/LC_MESSAGES/
rapporteur.po`, where each sentence's key is its context (msgctxt), so translators work in
Poedit or Weblate without touching Python. `python -m rapporteur.catalogues` reads the
markers through Babel (see "Languages" in the README); tests fail when a catalogue is
stale or lacks a translation.
"""

import datetime
import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple, Protocol, get_args

Language = Literal["es", "en", "ca"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
SOURCE_LANGUAGE: Language = "en"
DOMAIN = "rapporteur"
LOCALE_FOLDER = Path(__file__).parent / "locale"


class Wording:
    """A base for what is written in a language chosen later: `text[language]` reads the
    same as `text.render(language)`."""

    __slots__ = ()

    def render(self, language: "Language") -> str:
        raise NotImplementedError

    def __getitem__(self, language: "Language") -> str:
        return self.render(language)


class Localized(Protocol):
    """Anything written for a reader in a language still to be chosen: a `Message`, a
    label of the questionnaire definition, two labels joined. `text[language]` reads the
    same as `text.render(language)`."""

    def render(self, language: Language, /) -> str: ...

    def __getitem__(self, language: Language, /) -> str: ...


class Entry(NamedTuple):  # a tuple: the catalogue builds hundreds at start-up
    text: str
    plural: str | None = None
    count: str = "count"
    """The parameter whose value chooses between `text` and `plural`."""
    counts: Mapping[str, str] = MappingProxyType({})
    """Parameters that are counted phrases of their own (`count.files`: 3 archivos)."""


CATALOGUE: dict[str, Entry] = {}
_NO_COUNTS: Mapping[str, str] = MappingProxyType({})


def M(key: str, text: str, counts: Mapping[str, str] | None = None) -> None:
    """A sentence; `counts` names parameters written as counted phrases (see `MP`)."""
    # Positional, and one shared empty mapping: hundreds of these run at every start-up.
    CATALOGUE[key] = Entry(text, None, "count", counts or _NO_COUNTS)


def MP(key: str, singular: str, plural: str, count: str = "count") -> None:
    """A sentence whose words agree with the number in `count` (1 archivo, 2 archivos)."""
    CATALOGUE[key] = Entry(singular, plural, count)


# Rounds
M(
    "round.invalid",
    "'{text}' is not a round. A round is written YYYY-06 (June) or YYYY-12 (December), for example 2018-12.",
)
M(
    "round.half_year",
    "'{text}' names a half-year, not a round. Rounds are named after the month they are sent in, YYYY-06 or YYYY-12, and each reports on an earlier period: by default 2018-12 reports the first half of 2018 and 2019-06 the whole of 2018. `rapporteur status` and every summary name the period of their round.",
)
M("round.year_out_of_range", "'{text}': the year of a round must be between {low} and {high}.")
# Workspace
M(
    "workspace.not_found",
    "No workspace (a folder holding rapporteur.toml) was found in {start} or any folder above it. Create one with 'rapporteur init FOLDER', or say which to use with --workspace or the RAPPORTEUR_WORKSPACE variable.",
)
M("workspace.not_a_workspace", "{path} is not a workspace: it has no rapporteur.toml.")
M(
    "workspace.exists",
    "{path} is already a workspace (it has rapporteur.toml); nothing was overwritten. Choose another folder.",
)
M(
    "workspace.not_empty",
    "{path} already holds {names}; nothing was overwritten. Choose a new or empty folder.",
)
M("workspace.cannot_write", "Cannot write to {path}: {reason}.")
M("workspace.missing_file", "{path} is missing from the workspace. {hint}")
M(
    "workspace.secret_hint",
    "Without the key questionnaires cannot be signed or checked; restore it from backup.",
)
M(
    "workspace.registry_hint",
    "Restore it from backup or create a new workspace with 'rapporteur init'.",
)
M("toml.syntax", "{file}, line {line}: the file is not valid TOML ({detail}).")
M("settings.invalid", "{file}, line {line}: '{key}': {detail}")
M("setting.at_most", "it must be at most {limit}.")
M("setting.below", "it must be less than {limit}.")
M("setting.at_least", "it must be at least {limit}.")
M("setting.above", "it must be more than {limit}.")
M("setting.whole_number", "it must be a whole number.")
M("setting.number", "it must be a number.")
M("setting.true_or_false", "it must be true or false.")
M("setting.text", "it must be a text in quotes.")
M("setting.one_of", "it must be one of {expected}.")
M("setting.list", 'it must be a list in square brackets, such as ["es", "en"].')
M("setting.unknown_key", "this version of rapporteur has no such setting.")
M("setting.missing", "it is missing.")
M(
    "settings.language_not_offered",
    "the language '{language}' must be one of the languages offered ({languages}).",
)
M(
    "settings.unknown_version",
    "there is no questionnaire version {version}; the versions are: {known}.",
)
M("settings.not_a_round", "'{text}' is not a round: write YYYY-06 or YYYY-12, for example 2019-06.")
M("settings.unknown_kinds", "unknown kinds of agency: {unknown}; the kinds are: {known}.")
M(
    "settings.threshold_order",
    "threshold_detailed ({detailed}) must not be lower than threshold ({threshold}).",
)
M("settings.broken", "The settings file {file} has errors; correct them and try again.")
# Registry
MP(
    "registry.broken",
    "The agency registry {file} has {count} error.",
    "The agency registry {file} has {count} errors.",
)
M(
    "registry.duplicate_id",
    "{file}, line {line}: the id '{id}' is already used on line {first_line}.",
)
M(
    "registry.bad_id",
    "{file}, line {line}: the id '{value}' is not valid: use 2 to 40 lower-case letters without accents, digits or hyphens, starting with a letter or digit (e.g. 'ngo-05').",
)
M(
    "registry.unknown_kind",
    "{file}, line {line}: unknown kind of agency '{value}'; the kinds are: {known}.",
)
M(
    "registry.bad_region",
    "{file}, line {line}: region code '{value}' is not valid; use one of the 19 ISO 3166-2:ES codes ({known}) or ES for a national body.",
)
M(
    "registry.region_needed",
    "{file}, line {line}: an agency of kind {kind} works in one autonomous community or city: its region cannot be ES.",
)
M("registry.bad_email", "{file}, line {line}: '{value}' is not a well-formed e-mail address.")
M(
    "registry.bad_language",
    "{file}, line {line}: language '{value}' is not supported; the languages are: {known}.",
)
M("registry.missing_key", "{file}, line {line}: the agency lacks '{key}'.")
M("registry.unknown_key", "{file}, line {line}: unknown key '{key}'; the keys are: {known}.")
M("registry.bad_value", "{file}, line {line}: '{key}': {detail}")
M(
    "registry.not_a_list",
    "{file}: agencies must be written as [[agency]] tables; no list of agencies was found.",
)
M(
    "issue.language_not_offered",
    "The questionnaire of {agency} would be in '{language}', which the office does not offer: the languages of rapporteur.toml are {offered}. Add it there, or choose another with --lang.",
)
M("issue.bad_language", "--lang {value}: no such language; the languages are: {known}.")
M("registry.unknown_agency", "There is no agency with the id '{id}' in the registry.")
M("registry.rejected_addition", "The agency '{id}' was not added: {reason}")
# Commands
MP(
    "init.created",
    "Workspace created in {path} with {agencies} agency in the registry.",
    "Workspace created in {path} with {agencies} agencies in the registry.",
    count="agencies",
)
M(
    "init.next",
    "Next: review {path}/rapporteur.toml and {path}/agencies.toml (the addresses are placeholders), check the registry with 'rapporteur agencies check' and issue a round with 'rapporteur issue --round YYYY-MM'.",
)
M(
    "demo.intro",
    "Demo: an example office (47 agencies; a historical series 2013-2016; four rounds, 2017-12, 2018-06 and 2018-12 with questionnaire version 1 and the mistakes agencies really make, 2019-06 with version 2) in {path}. Each step is the real command.",
)
M("demo.done", "Demo complete in {seconds} s. The workspace was {path}.")
M("demo.removed", "It was removed at the end; to keep it use 'rapporteur demo --keep FOLDER'.")
M(
    "demo.next",
    "Now try, inside {path}: 'rapporteur summary --by-kind', 'rapporteur summary --round 2017-06', 'rapporteur archive history 2018-12 ccaa-mc', 'rapporteur archive diff 2018-12 ccaa-mc', 'rapporteur summary --publish --format markdown', 'rapporteur summary --text --section s1', 'rapporteur archive history 2018-12 ong-02', 'rapporteur export --round 2018-06 --format eurostat -o eurostat-2017.csv'; open informe-2018-06.html in a browser, informe-2018-06.docx, resumen-2018-12.xlsx and the feedback workbooks in feedback/2018-12/.",
)
M("agencies.title", "Agencies ({count})")
M("agencies.added", "Added to the registry: {id} ({name}).")
M("agencies.removed", "Removed from the registry: {id} ({name}). Its archived returns are kept.")
MP(
    "agencies.check_ok",
    "{file}: {count} agency, no problems.",
    "{file}: {count} agencies, no problems.",
)
MP(
    "questionnaire.fields_title",
    "Questionnaire v{version}, agencies of kind {kind}: {count} input",
    "Questionnaire v{version}, agencies of kind {kind}: {count} inputs",
)
M("questionnaire.unknown_kind", "Unknown kind of agency '{kind}'; the kinds are: {known}.")
M(
    "questionnaire.check_ok",
    "{file}: correct; {fields} fields, {rules} rules, {inputs} inputs, {tables} summary tables.",
)
MP(
    "questionnaire.diff_title",
    "From version {old} to version {new}: {count} change",
    "From version {old} to version {new}: {count} changes",
)
M(
    "questionnaire.diff_order",
    "Give the older version first: rapporteur questionnaire diff v1 v2 (not {old} {new}).",
)
M("questionnaire.not_a_version", "'{text}' is not a questionnaire version: write v1, v2…")
M("lineage.change.added", "new")
M("lineage.before", "before: {question}")
M("lineage.new_kinds", "New kinds of agency: {kinds}.")
M("lineage.change.renamed", "renamed")
M("lineage.change.changed", "changed")
M("lineage.change.removed", "removed")
M("heading.diff.change", "Change")
M("heading.diff.question", "Question")
M("heading.diff.before", "Before")
M("heading.diff.label", "Wording")
M("heading.diff.detail", "What changed")
M("questionnaire.no_file", "There is no file {file}.")
MP(
    "schema.exported",
    "{count} JSON Schema written to {folder}.",
    "{count} JSON Schemas written to {folder}.",
)
M("archive.damaged", "The archive file {path} is damaged ({detail}).")
M(
    "issue.already_issued",
    "The questionnaire of round {round} was already issued to: {agencies}. To issue it again use --force; the earlier one is kept in superseded/.",
)
M("issue.version", "Questionnaire version {version}.")
M(
    "issue.left_out",
    "Not issued to {agencies}: questionnaire version {version}, which this round uses, has no questionnaire for their kind of agency.",
)
M(
    "issue.kind_not_in_version",
    "Questionnaire version {version}, which this round uses, has no questionnaire for the kind of agency of {agencies}. Set another version for the round under [questionnaire] in rapporteur.toml.",
)
M("issue.nothing_selected", "No agency of the registry matches the selection.")
MP(
    "issue.done",
    "{count} questionnaire of round {round} ({period}) written to {folder} (deadline: {deadline}).",
    "{count} questionnaires of round {round} ({period}) written to {folder} (deadline: {deadline}).",
)
M("issue.reissued", "{count} of them replace one issued before, which is kept in superseded/.")
M(
    "issue.deadline_passed",
    "Warning: the deadline {deadline} has already passed; set another with --deadline.",
)
M("issue.title", "Questionnaires issued")
M("issue.progress", "Writing the questionnaires of round {round}")
# The questionnaire workbook
M("workbook.cover_sheet", "Cover")
M("workbook.agency", "Agency")
M("workbook.round", "Round")
M("workbook.period", "Reporting period")
M("workbook.period_value", "{start} to {end} ({status} figures)")
M("workbook.status_provisional", "provisional")
M("workbook.status_final", "final")
M("workbook.deadline", "Reply by")
M("workbook.contact", "Contact for questions")
M("workbook.how_to_fill", "How to fill in this questionnaire")
M("workbook.fill_shaded", "Type only in the shaded cells; the rest of each sheet is protected.")
M("workbook.fill_blank", "Leave a cell blank when you do not know the figure (unknown).")
M("workbook.fill_zero", "Type 0 when you know there were none. Blank and 0 do not mean the same.")
M(
    "workbook.fill_required",
    "Questions marked * (answer cells with a thick border, yellow) are the ones your agency must answer; the others (thin border, blue) if you have the figure.",
)
M(
    "workbook.fill_lists",
    "In cells with a list, choose a value from it; in multiple choices, mark with an X.",
)
M(
    "workbook.fill_sums",
    "Count persons, not cases. Below each breakdown its sum is computed: ✓ when it matches the total, ✗ when not.",
)
M(
    "workbook.fill_previous",
    "Beside some questions, in grey, is the figure your agency gave in the same round a year earlier.",
)
M(
    "workbook.fill_return",
    "Save the file as .xlsx, without renaming it or its sheets, and send it back by e-mail.",
)
M(
    "workbook.fill_edits",
    "Anything changed outside the answer cells (a label, a formula, a sheet) is reported to the office when your file is received.",
)
M("workbook.how_to_return", "How to return it")
M("workbook.whom_to_ask", "Whom to ask")
M(
    "workbook.legend_required",
    "Required answer: thick black border, yellow; its question is marked *.",
)
M("workbook.legend_optional", "Answer if you have the figure: thin border, blue.")
M("workbook.see_sheet", 'Answer in the sheet "{sheet}", one row for each.')
M("workbook.sheets", "Sheets of this questionnaire")
M("workbook.sheet_subtitle", "{agency} · round {round} · period {start} to {end}")
M(
    "workbook.legend",
    "Thick border and *: required · thin border: if you have the figure · blank = unknown · 0 = none",
)
M("workbook.question", "Question")
M("workbook.answer", "Answer")
M("workbook.sum_label", "Sum of the breakdown (must match the total)")
M("workbook.previous_value", "Round {round}: {value}")
M("validation.title", "Invalid entry")
M(
    "validation.count",
    "Type a whole number from {minimum} to {maximum}. Blank if unknown; 0 if there were none.",
)
M(
    "validation.eur",
    "Type an amount in euros from {minimum} to {maximum}, with at most two decimals.",
)
M("validation.number", "Type a number from {minimum} to {maximum}.")
M("validation.date", "Type a date (day/month/year), for example 31/12/2018.")
M("validation.text", "Type a text of at most {maximum} characters.")
M("validation.choice", "Choose a value from the drop-down list.")
M("validation.mark", "Type {mark} to mark this option, or leave the cell blank.")
M("validation.year", "Type a year from {minimum} to {maximum}, as four figures.")
M("validation.prompt_title", "What to type")
M(
    "validation.prompt_count",
    "Whole number of {unit}: 0 if there were none; blank if you do not know.",
)
M("validation.prompt_year", "A year, from {minimum} to {maximum}.")
M(
    "validation.prompt_eur",
    "Amount in euros, with at most two decimals: 0 if none; blank if you do not know.",
)
M("validation.prompt_number", "A number; blank if you do not know.")
M("validation.prompt_pct", "A percentage, from 0 to 100; blank if you do not know.")
M("validation.prompt_text", "Free text, at most {maximum} characters.")
M("validation.prompt_choice", "Choose a value from the list that the arrow beside the cell opens.")
M("validation.prompt_mark", "Type {mark} if it applies; leave the cell blank if not.")
M(
    "archive.busy",
    "The archive is busy (held by PID {pid} on {host} since {since}). Wait for it to finish, or repeat the command with --wait.",
)
M("archive.no_return", "There is no archived return of {agency} in round {round}.")
M(
    "archive.no_version",
    "There is no version {version} of the return of {agency} in round {round}; there are: {known}.",
)
M(
    "archive.no_consolidated",
    "There is no consolidated view {version} of round {round}; there are: {known}.",
)
M("archive.no_round", "Round {round} is not in the archive; there are: {known}.")
M(
    "archive.newer_format",
    "The archive uses format {found}, which this version of rapporteur does not know (it knows {known}); update rapporteur.",
)
M(
    "verify.interrupted_write",
    "{file}: an interrupted write remains that could not be completed (the archive was busy).",
)
M("verify.unknown_file", "{file}: a file or folder the archive did not write.")
M("verify.unreadable", "{file}: cannot be read ({detail}).")
M("verify.missing_version", "{file}: this version is missing; the numbering of versions has a gap.")
M(
    "verify.header_mismatch",
    "{file}: its header says {key} = {found}, which does not match its place in the archive.",
)
M(
    "verify.chain_broken",
    "{file}: the fingerprint of the version before it ({previous}) does not match: one of them was changed.",
)
M(
    "verify.names_missing_version",
    "{file}: includes version {version} of {agency}, which does not exist.",
)
M("verify.hash_mismatch", "{file}: its content changed since it was consolidated in {view}.")
M("verify.view_differs", "{file}: the data of {agency} differ from its version {version}.")
M(
    "verify.not_in_latest_view",
    "{file}: this version is not in the latest consolidated view ({view}).",
)
M("verify.entry_differs", "{file}: says of {agency} {key} = {found}, but {source} says {expected}.")
M("verify.unsigned_view", "{file}: it lacks the signature the consolidated views before it carry.")
M(
    "verify.bad_signature",
    "{file}: its signature does not match its content: it was edited by hand.",
)
M(
    "verify.round_changed",
    "{file}: changed since {view} was written (deadline, period or questionnaires issued edited by hand).",
)
M(
    "verify.issued_differs",
    "{file}: the questionnaire issued to {agency} is not the one round.toml records.",
)
M(
    "verify.missing_list_differs",
    "{file}: the list of missing agencies does not match the questionnaires issued.",
)
M(
    "verify.not_consolidated",
    "{file}: there are archived returns or receipts but no consolidated view.",
)
M(
    "verify.intact",
    "Archive intact: {rounds}, {files} checked.",
    counts={"rounds": "count.rounds", "files": "count.files"},
)
MP("verify.damaged", "The archive has {count} problem:", "The archive has {count} problems:")
M("verify.recovered", "A write that had been interrupted was completed.")
M(
    "archive.revert_to_current",
    "Version {version} of {agency} is already the current one: there is nothing to revert.",
)
M(
    "archive.reverted",
    "Return of {agency}, round {round}: version {version} restores the data of version {to}. Version {previous} stays archived.",
)
M("archive.restores", "{version} (restores {to})")
M(
    "workspace.secret_exposed",
    "Warning: other users of this computer can read the key {path} (mode {mode}); it signs questionnaires and views. Protect it with: chmod 600 {path}",
)
M("archive.list_title", "Rounds of the archive")
M("archive.history_title", "Versions of the return of {agency}, round {round}")
M(
    "archive.one_version",
    "The return of {agency} in round {round} has a single version: there is nothing to compare.",
)
MP(
    "archive.diff_title",
    "{agency}, round {round}: from version {before} to {after}, {count} change",
    "{agency}, round {round}: from version {before} to {after}, {count} changes",
)
# Collecting
M("collect.no_such_file", "{file}: no file matches this name or pattern.")
M("collect.unreadable", "{file}: cannot be read ({detail}).")
M("collect.same_content", "same content as {first}; processed once")
M("collect.empty", "{file}: the file is empty. Ask the agency to send it again.")
M(
    "collect.damaged",
    "{file}: the file is damaged and cannot be opened as a spreadsheet. Ask the agency to save it again as .xlsx.",
)
M(
    "collect.xls",
    "{file}: it was saved in the old Excel format (.xls). Ask the agency to save it as an Excel workbook (.xlsx) without changing anything else.",
)
M(
    "collect.ods",
    "{file}: it was saved in OpenDocument format (.ods). Ask the agency to save it as an Excel workbook (.xlsx).",
)
M(
    "collect.encrypted",
    "{file}: it is password-protected. Ask the agency to send it without an opening password.",
)
M(
    "collect.not_spreadsheet",
    "{file}: it is not an .xlsx spreadsheet. Ask the agency for the questionnaire it was sent, filled in.",
)
M(
    "collect.too_large",
    "{file}: it takes {size} MB, more than the {limit} MB limit for a questionnaire (a filled questionnaire takes under 1 MB). It was not opened. Ask the agency to send only the questionnaire it was sent, without added pictures or sheets.",
)
M(
    "collect.expands_too_much",
    '{file}: once unzipped it would take {size} MB, more than the {limit} MB limit (a small file that expands like this may be an attack, a "zip bomb"). It was not opened. Ask the agency to save the questionnaire it was sent again.',
)
M(
    "collect.xml_declarations",
    "{file}: its content ({part}) holds XML declarations that no spreadsheet program writes (DOCTYPE/ENTITY, used in attacks). It was not opened. Ask the agency to save the questionnaire again with Excel or LibreOffice.",
)
M(
    "collect.too_many_rows",
    '{file}: sheet "{sheet}" has more than {limit} rows (the questionnaire uses a few hundred). It was not opened. Ask the agency to fill in the questionnaire it was sent without pasting tables into it.',
)
M(
    "collect.internal_error",
    "{file}: internal error of rapporteur while reading it ({detail}). Nothing from this file was archived; the other files were processed. Please report the error with the file.",
)
M(
    "collect.sheets_changed",
    "{file}: the questionnaire's sheets were changed ({changes}). Ask the agency to copy its figures into the original questionnaire, without renaming, deleting or moving sheets.",
)
M("collect.sheet_missing", 'sheet "{sheet}" is missing')
M("collect.sheets_missing", "{count} sheets are missing: {sheets}")
M(
    "collect.unknown_version",
    "{file}: the questionnaire is of version {version}, which this installation of rapporteur does not know. Update rapporteur to read it.",
)
M("collect.sheets_reordered", "sheets in another order: {found}")
M(
    "collect.cells_moved",
    '{file}: rows or columns were inserted or deleted: the cell for "{label}" was at {expected} and is now at {found}. Ask the agency to copy its figures into the original questionnaire, without inserting or deleting rows.',
)
M(
    "collect.not_questionnaire",
    "{file}: it is a spreadsheet but not one of our questionnaires (it lacks their identification). Ask the agency to fill in the questionnaire it was sent.",
)
M(
    "collect.tampered_known",
    "{file}: the questionnaire's identification was edited ({changes}). It is not archived; ask the agency to use the questionnaire it was sent.",
)
M(
    "collect.tampered",
    "{file}: the questionnaire's identification was edited or its signature is missing. It is not archived; ask the agency to use the questionnaire it was sent.",
)
M("collect.unknown_agency", "{file}: the agency '{agency}' is not in the registry.")
M(
    "collect.other_round",
    "{file}: it is the questionnaire of round {found}, not of round {wanted} being collected.",
)
M("collect.not_issued", "{file}: no questionnaire of round {round} was issued to {agency}.")
M(
    "collect.layout_changed",
    "{file}: the questionnaire's layout was changed (sheets or rows added, deleted or moved; e.g. {names}). Ask the agency to copy its figures into the original questionnaire.",
)
M(
    "collect.rival_files",
    "{file}: there is more than one different file of {agency} for round {round} ({files}); none is archived. Collect only the right one.",
)
M("collect.empty_folder", "{file}: the folder holds no spreadsheet (.xlsx).")
MP(
    "collect.skipped",
    "{count} file in the folders given was not read because it is not a spreadsheet: {files}.",
    "{count} files in the folders given were not read because they are not spreadsheets: {files}.",
)
M(
    "collect.old_round",
    "{file}: it is the questionnaire of round {found}, earlier than the current round ({newest}). It is not archived. If it is a late correction of round {found}, collect it with --round {found}.",
)
M(
    "collect.late_correction",
    "{file}: late correction of round {found}, collected with --round while the current round is {newest}.",
)
M(
    "collect.superseded",
    "{file}: it is questionnaire no. {old} of {agency} for round {round}, replaced on {date} by no. {new}. It is not archived. Ask the agency to fill in the last questionnaire it was sent.",
)
M(
    "collect.nothing_answered",
    "{file}: the questionnaire was not filled in: it answers nothing but the contact details. It does not count as a return.",
)
M(
    "collect.stale",
    "{file}: it is version {older} of the return of {agency}, already archived; version {latest} is later. It is not archived again: it would undo the correction. If it really must be brought back, use 'rapporteur archive revert'.",
)
M(
    "collect.label_changed",
    "{file}: the questionnaire's text was changed: it said '{expected}' and now says '{found}'. It is not archived: changing a label or a formula changes what the figures mean, and if rows were moved the figures would be read where they are not. Ask the agency to copy its figures into the original questionnaire.",
)
M(
    "collect.note_typed",
    "{file}: '{text}' was typed outside the answer cells. The return is accepted, but that note does not go into the archive: if it explains a figure, take it into account or ask the agency to write it in the remarks.",
)
M(
    "collect.extra_sheet",
    "{file}: the sheet '{sheet}' was added ({contents}). Its content is not archived; read it in case it explains an answer.",
)
M(
    "collect.merged_input",
    "{file}: cells were merged over an answer cell. It is not archived; ask the agency not to merge cells.",
)
MP(
    "collect.more_differences",
    "{file}: and {count} more difference from the questionnaire sent.",
    "{file}: and {count} more differences from the questionnaire sent.",
)
M(
    "collect.no_reference",
    "{file}: it could not be compared with the questionnaire sent ({path} is missing or changed): changed labels and notes outside the cells were not looked for.",
)
M("collect.where", " sheet '{sheet}', cell {cell}")
M("collect.decision_accepted", "accepted")
M("collect.decision_unchanged", "unchanged")
M("collect.decision_rejected", "rejected")
M("collect.title", "Returns collected")
M("collect.progress", "Reading returns")
M(
    "collect.totals",
    "{files}: {accepted}, {unchanged} unchanged, {rejected}.",
    counts={"files": "count.files", "accepted": "count.accepted", "rejected": "count.rejected"},
)
M("collect.dry_run", "Dry run (--dry-run): nothing was written to the archive.")
M("collect.problems_of", "Problems of {file}:")
M("collect.feedback_written", "Feedback for the agency: {path}")
M("feedback.sheet", "Problems")
M("feedback.error", "Error")
M("feedback.warning", "Warning")
M(
    "feedback.summary",
    "{agency}, round {round}: {errors} and {warnings}",
    counts={"errors": "count.errors", "warnings": "count.warnings"},
)
M(
    "feedback.instructions",
    "Correct the cells marked red (errors: the return could not be archived) and check the yellow ones (warnings). Each carries a comment. Then send this file back.",
)
M("feedback.headings", "Kind|Sheet|Cell|Question|Problem")
# Status and reminders
M(
    "status.no_rounds",
    "The archive has no round yet; issue one with 'rapporteur issue --round YYYY-MM'.",
)
M(
    "status.title",
    "Round {round} ({period}; deadline {deadline}): {received} of {expected} returns received",
)
M("status.by_region", "By region")
M("status.by_kind", "By kind of agency")
M("status.national", "National bodies")
M("state.issued", "no return")
M("state.rejected", "rejected")
M("state.empty", "empty")
M("state.superseded", "superseded questionnaire")
M("state.accepted", "accepted")
M("state.warnings", "accepted with warnings")
M("state.resent_later", "; an earlier version sent again, refused on {date}")
M("state.refused_later", "; correction rejected on {date}")
M("status.yes", "yes")
M("status.no", "no")
M(
    "remind.subject",
    "Reminder: questionnaire of round {round} of the National Rapporteur on trafficking",
)
M(
    "remind.body",
    "Dear colleagues at {agency},\n\nWe have not yet received your return to the questionnaire of round {round}, on the period {start} to {end}. It is due on {deadline}.\n\nPlease find the questionnaire attached again. Fill it in Excel or LibreOffice, save it as .xlsx without changing its structure and send it back by replying to this message. Remember: leave blank what you do not know and type 0 when you know there were none.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
)
M(
    "remind.body_rejected",
    "Dear colleagues at {agency},\n\nWe received your questionnaire of round {round} (file {file}, of {received}), but it could not be archived. The main problems are:\n\n{problems}\n\n{marked} Please correct it and send it back by replying to this message; it is due on {deadline}.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
)
M(
    "remind.body_correction",
    "Dear colleagues at {agency},\n\nYour return to round {round} is still archived, but the correction you sent (file {file}, of {received}) could not be archived. The main problems are:\n\n{problems}\n\n{marked} If the correction is to count, please correct it and send it back by replying to this message.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
)
M(
    "remind.body_superseded",
    "Dear colleagues at {agency},\n\nThe file you sent for round {round} ({file}, of {received}) is a questionnaire that was later replaced by another, and cannot be archived:\n\n{problems}\n\nPlease find the current questionnaire attached. Fill it in and send it back by replying to this message; it is due on {deadline}.\n\nFor any question please contact {contact} ({email}).\n\nYours sincerely,\n{office}\n",
)
M(
    "remind.marked",
    "Please find your own file attached, with the cells to correct marked and commented.",
)
M("remind.again", "Please find the questionnaire attached again.")
M("remind.where", "sheet '{sheet}', cell {cell}: ")
M("remind.more", "- and {count} more.")
M("remind.reason_issued", "no return")
M("remind.reason_rejected", "rejected")
M("remind.reason_empty", "empty")
M("remind.reason_superseded", "superseded questionnaire")
M("remind.reason_correction", "correction rejected")
M("remind.already", "already drafted on {date} ({file}); --again for another")
MP(
    "remind.written",
    "{count} e-mail draft written to {folder} (nothing was sent).",
    "{count} e-mail drafts written to {folder} (nothing was sent).",
)
M("remind.none", "Every agency has returned: no reminder is needed.")
# Summary
M(
    "summary.unknown_section",
    "There are no indicators of section '{sections}'; the sections are: {known}.",
)
M(
    "summary.note_kinds",
    "Each column counts one kind of agency (in brackets): figures of different kinds measure overlapping people and are not added.",
)
M("summary.note_base", "Percentages computed on {base} persons.")
M("summary.title", "Summary of round {round} ({period}){compare}")
M("summary.compared", ", compared with {round} ({period})")
M(
    "summary.historical",
    "Historical round {round} ({period}): figures published before the tool, imported from '{source}'{compare}",
)
M("summary.historical_column", "{period} (historical)")
M(
    "summary.note_historical",
    "{period} (historical): figures published before the tool ({source}), for the whole period {period}, not for one year.",
)
M("summary.compared_forced", ", compared with {round} ({period}), which is not comparable")
M(
    "summary.not_comparable",
    "Round {round} reports on {period} and round {compare} on {compare_period}: a whole year and a half-year are not comparable. Compare with a round of the same kind, such as the same round a year earlier, or add --force to compare them anyway.",
)
M(
    "summary.note_not_comparable",
    "Compared with a period that is not comparable (a whole year and a half-year): the changes are no trend.",
)
M("summary.empty", "Round {round} has no archived returns ({received} of {expected}).")
M("period.year", "year {year}")
M(
    "status.historical",
    "Round {round} is historical: its figures were imported from '{source}', not asked of the agencies, so no return is awaited. See them with rapporteur summary --round {round}.",
)
M("period.years", "years {first} to {last}")
M("period.first_half", "first half of {year}")
M("period.second_half", "second half of {year}")
M("period.label", "{period}, {status}")
M("period.provisional", "provisional figures")
M("period.final", "final figures")
M("summary.written", "Summary written to {path}.")
M("publish.small", "'{mark}': 1 to {below} persons.")
M(
    "publish.contributors",
    "Figures given by fewer than {minimum} agencies of a kind whose per-agency figures are not published ({kinds}) are hidden ('c').",
)
M(
    "publish.hidden",
    "'c': hidden figure ({count} in this table). They are chosen so that no hidden figure can be worked out, or narrowed beyond what '<N' says, from those printed in this table and the others of the publication. A 'c' that counts persons is never below the threshold.",
)
M(
    "publish.fallback",
    "What to hide in this table and those linked to it could not be chosen within {seconds} s: every figure about persons other than 0 is hidden.",
)
M(
    "publish.withheld",
    "'x': withdrawn figure; not even hiding every other figure kept it from being worked out.",
)
M(
    "publish.percent",
    "Percentages are published only beside a published figure and over a published base of at least {base} persons.",
)
M(
    "publish.nationalities",
    "Nationalities with fewer than {threshold} persons are folded into 'Other nationalities'.",
)
M(
    "publish.no_free_text",
    "No free text: the lists of campaigns and training actions are not published.",
)
M(
    "publish.no_agency_rows",
    "No per-agency figures of the kinds {kinds}: their rows are not published.",
)
M("audit.needs_publish", "--audit attacks the publication: use it with --publish.")
M("audit.formats", "The audit is shown as a table, json or csv (--format table|json|csv).")
MP(
    "audit.refused",
    "The publication fails its audit ({short} hidden figure short of its protection): nothing was shown or written. 'rapporteur summary --publish --audit' says which.",
    "The publication fails its audit ({short} hidden figures short of their protection): nothing was shown or written. 'rapporteur summary --publish --audit' says which.",
    count="short",
)
MP(
    "audit.title",
    "Audit of the publication of round {round}: {hidden} hidden figure, {short} short of its protection",
    "Audit of the publication of round {round}: {hidden} hidden figures, {short} short of their protection",
    count="hidden",
)
M(
    "audit.passed",
    "No hidden figure can be worked out or narrowed beyond what the publication rules allow.",
)
M(
    "audit.failed",
    "Some hidden figures could be worked out or narrowed beyond what is allowed: the publication cannot be released.",
)
M("audit.heading.cell", "Row · column")
M("audit.heading.shown", "Printed")
M("audit.heading.why", "Why")
M("audit.heading.reader", "A reader derives")
M("audit.heading.needed", "Required")
M("audit.reason.small", "few persons")
M("audit.reason.contributors", "few agencies")
M("audit.reason.secondary", "protects others")
M("audit.and", " and ")
M("audit.not_exact", "not exact")
M("audit.line", "{why}: a reader derives {reader}; required {needed}")
M("audit.inconsistent", "{where}: the same figure is published in different ways ({texts}).")
M(
    "audit.contradiction",
    "{where} and the figures linked to it: what is published cannot all be true.",
)
M("audit.changed", "{where}: {printed} is published, but the archived figure is {value}.")
M("audit.sensitive_printed", "{where}: a figure the publication rules require hidden is printed.")
M("audit.untrue_mark", "{where}: the mark '{mark}' does not fit the figure.")
M("audit.free_text", "{table}: a table of free text cannot be published.")
M("audit.agency_row", "{table}: the row of {row} gives the figures of a confidential agency.")
M(
    "audit.percentage",
    "{table}: the percentage of {row} stands beside a figure or base not published, or a small base.",
)
M("summary.one_grouping", "Choose one grouping: --by-region, --by-kind or --by-agency.")
M("summary.xlsx_needs_output", "Name the file with -o, for example: -o report.xlsx")
# Reading cells
M(
    "cell.text_in_number",
    "Found the text '{found}' where a number is asked. Type only the figure, without text; leave it blank if unknown.",
)
M("cell.number_as_text", "The number {found} was stored as text; it was taken as {found}.")
M(
    "cell.decimal_comma",
    "Found the text '{found}': a number with a decimal comma typed as text (English regional settings). Type it as a number.",
)
M(
    "cell.ambiguous_separator",
    "Found the text '{found}': with that separator it may be {thousands} or {decimal}. Type the figure as a number, without a thousands separator.",
)
M(
    "cell.thousands_separator",
    "Found the text '{found}': a figure written as text with a thousands separator. Type it as a number, without the separator: {plain}.",
)
M(
    "cell.date_as_text",
    "Found the text '{found}' where a date is asked. Type it as a date (day/month/year) so that the sheet recognises it.",
)
M("cell.not_a_date", "Found {found} where a date (day/month/year) is asked.")
M("cell.date_with_time", "Found a date with a time ({found}); only the date is asked.")
M("cell.date_in_number", "Found a date ({found}) where a number is asked.")
M("cell.true", "TRUE")
M("cell.false", "FALSE")
M("cell.boolean", "Found a logical value ({found}) where a number or a text is asked.")
M(
    "cell.boolean_number",
    "Found a logical value ({found}) where a figure is asked: type the number.",
)
M("cell.error_value", "The cell shows an error ({found}). Type the figure instead of a formula.")
M(
    "cell.formula_in_input",
    "The cell holds a formula ({formula}) instead of a typed figure; the value it shows is archived. Check that it is the figure the agency meant to give.",
)
M(
    "cell.formula_without_value",
    "The cell holds a formula ({formula}) with no computed value. Type the figure instead of the formula.",
)
M("cell.bad_mark", "Found {found}; to mark this option type {mark}, or leave the cell blank.")
# Definition
MP(
    "definition.broken",
    "The questionnaire definition {file} has {count} error.",
    "The questionnaire definition {file} has {count} errors.",
)
M("definition.invalid", "{file}, line {line}: {where}: {detail}")
M("relation.more", "more than")
M("relation.less", "less than")
M("relation.total", "the total")
M("relation.from_zero", "from zero")
M("value.out_of_range", "{found} is outside the allowed range ({minimum} to {maximum}).")
M("value.not_whole_number", "A whole number was expected; found {found}.")
M("value.not_number", "A number was expected; found {found}.")
M("value.too_many_decimals", "At most two decimals were expected; found {found}.")
M("value.unknown_code", "'{found}' is not one of the values of the list '{codelist}'.")
M("value.too_long", "The text has {length} characters; the maximum is {maximum}.")
M("value.bad_format", "'{found}' does not have the expected form ({expected}).")
M("value.not_date", "A date was expected; found {found}.")
M("value.not_text", "A text was expected; found {found}.")
M("value.too_many_rows", "There are {count} rows; the maximum is {maximum}.")
M("value.not_asked", "This figure is not asked of agencies of kind {kind}.")
M("value.missing_code", "The row has figures but no code.")
M("value.invalid", "Invalid value: {detail}.")
# What `questionnaire check` finds wrong in a definition, in its own vocabulary
M("check.duplicate_id", "duplicate {group} id '{id}': already used")
M("check.code_twice", "the code '{code}' appears twice")
M("check.sheet_name", "'{name}' cannot name a sheet: at most 31 characters, none of : \\ / ? * [ ]")
M("check.sheet_not_table", "only a repeating table (a table with max_rows) has a sheet of its own")
M("check.sheet_twice", "the sheet name '{name}' is already used")
M("check.unknown_codelist", "unknown code list '{name}'")
M("check.unknown_section", "unknown section '{name}'")
M("check.unknown_kind", "unknown kind of agency '{name}'")
M("check.eurostat_kind", "the Eurostat figure comes from '{kind}', which is not asked the question")
M("check.rows_or_repeat", "give rows or repeat, not both")
M("check.repeat_needs_max_rows", "repeat needs max_rows")
M("check.unknown_part", "unknown part '{name}'")
M("check.id_prefix", "a field of section {section} must have an id starting {section}_")
# archive import
M("import.sheet", "Figures")
M("archive.historical_round", "{round} (historical)")
M("archive.historical", "{round}: figures published before the tool, imported from '{source}'.")
M("heading.archive_list.source", "Imported")
M("import.heading.code", "Code (questionnaire v{version})")
M("import.heading.kind", "Kind of agency")
M("import.heading.question", "Question")
M("import.heading.value", "Figure")
M("heading.import.kind", "Kind of agency")
M("heading.import.figures", "Figures")
M("heading.import.version", "Import no.")
M(
    "import.template_written",
    "Template written to {file}: {rows} figures of questionnaire version {version}. Fill in the figures you have in column D, leave the rest blank, then run rapporteur archive import FILE --round ROUND --period PERIOD.",
)
M(
    "import.needs_file_and_round",
    "Give the file of figures and the round to archive them as: rapporteur archive import FILE --round 2017-06 (or --template FILE for the template).",
)
M("import.no_file", "There is no file {file}.")
M(
    "import.template_format",
    "{file}: the template is written as .xlsx or .csv; give a file name ending in one of them.",
)
M(
    "import.bad_period",
    "'{text}' is not a period: write a year (2017), a half-year (2018-S1) or whole years (2013-2016).",
)
M(
    "import.round_issued",
    "Round {round} was issued to the agencies: its figures come from their returns, not from an import. Choose a round the tool did not issue.",
)
M(
    "import.period_after_round",
    "The period {period} does not end before round {round} starts: a round reports on what came before it.",
)
M(
    "import.other_version",
    "Round {round} was imported with questionnaire version {version}: import its figures with the codes of that version.",
)
M("import.at", "{file}{place}: {what}")
M("import.place", ", sheet '{sheet}', cell {cell}")
M("import.place_csv", ", cell {cell}")
M(
    "import.template_version",
    "the template is for questionnaire version {found}, but the round uses version {version}: write the figures into a template of version {version} (rapporteur archive import --template FILE --version {version}).",
)
M("import.unknown_kind", "'{found}' is not a kind of agency of questionnaire version {version}.")
M(
    "import.unknown_code",
    "'{found}' is not the code of a figure of questionnaire version {version}: copy the codes from the template.",
)
M(
    "import.not_asked",
    "the figure '{found}' is not asked of {kind}: copy the code from the template's rows for {kind}.",
)
M("import.twice", "the figure '{found}' of {kind} is already given in row {first}.")
M("import.empty", "there is no figure in the file.")
MP(
    "import.refused",
    "{file}: {count} figure is wrong; nothing was archived.",
    "{file}: {count} figures are wrong; nothing was archived.",
)
M(
    "import.done",
    "Round {round} archived as historical: figures for {period}, from '{source}', with the codes of questionnaire version {version}.",
)

# Questions across versions
M(
    "lineage.not_asked",
    "— '{question}' was not asked in {rounds} (questionnaire version {version}): there is no figure, which is not 0.",
)
M("lineage.label", "reworded, before: '{before}'")
M("lineage.option", "option reworded: '{before}' is now '{after}'")
M("lineage.label_in_spanish", "reworded in Spanish, before: '{before}'")
M("lineage.option_in_spanish", "option reworded in Spanish: '{before}' is now '{after}'")
M("lineage.option_added", "new option: '{option}'")
M("lineage.kinds_added", "now also asked of {kinds}")
M("lineage.kinds_removed", "no longer asked of {kinds}")
M("lineage.breakdown_added", "new breakdown: {breakdown}")
M("lineage.breakdown_removed", "breakdown dropped: {breakdown}")
M("lineage.columns", "the table's columns changed")
M("check.lineage_unknown", "'{name}' is not a question of version {version}")
M(
    "check.lineage_still_there",
    "'{name}' is still a question of this version: a question that keeps its id needs no 'replaces' or [[removed]]",
)
M("check.lineage_twice", "'{name}' is already continued by '{other}'")
M(
    "check.lineage_unaccounted",
    "question '{name}' of version {version} is not in this version: say what became of it with 'replaces' on the question that continues it, or a [[removed]] entry with the reason",
)
M("check.part_not_asked", "part '{part}' is not asked of {kind}")
M("check.needs_codelist", "a {type} field needs a codelist")
M("check.computed", "computed must be count(TABLE) or sum(TABLE.COLUMN)")
M("check.no_column", "'{table}' has no column '{column}'")
M("check.needs_max", "a {type} field needs a max")
M("check.denominator", "a pct field needs a denominator naming a count field")
M("check.needs_max_length", "a text field needs a max_length")
M("check.breakdowns_of_counts", "only count fields have breakdowns")
M("check.unknown_breakdown", "unknown breakdown '{name}'")
M("check.table_columns", "a table needs columns")
M("check.table_rows", "a table needs either max_rows or rows (one row per code)")
M("check.column_twice", "column '{column}' appears twice")
M("check.column_codelist", "column '{column}' needs a known codelist")
M("check.column_max", "column '{column}' needs a max")
M("check.column_max_length", "column '{column}' needs a max_length")
M("check.columns_of_tables", "only tables have columns")
M("check.rule_terms", "a {kind} rule needs left, op and right")
M("check.unknown_table", "unknown table '{name}'")
M("check.within_period", "within_period needs a table with start and end columns")
M("check.unknown_table_column", "unknown table column '{name}'")
M("check.change_rule", "a change rule needs percent and minimum")
M("check.unknown_share_rule", "an unknown_share rule needs share")
M("check.term", "'{term}' is not FIELD, FIELD.minors or FIELD[*].COLUMN")
M("check.missing_field", "the rule names a missing field '{name}'")
M("check.not_a_number", "'{name}' is not a number")
M("check.no_minors", "'{name}' has no minors in its breakdowns")
M("check.table_needs", "a table of shape {shape} needs {key}")
M("check.table_missing_field", "the table names a missing question '{name}'")
M(
    "check.table_field_type",
    "'{name}' is a {type} question: a table of shape {shape} cannot show it",
)
M("check.table_not_keyed", "the rows of '{name}' are named by no code list")
M("check.table_breakdown", "'{name}' has no breakdown '{breakdown}'")
M(
    "check.table_dimension",
    "'{name}' is not a code list of the breakdown '{breakdown}', which crosses {known}",
)
M("check.table_answer_rows", 'the rows of an answers table are "region" or "agency"')
M("check.table_top", "top keeps the largest rows of a breakdown or codes table without columns")
M("check.not_asked", "'{name}' is not asked of {kind}")
M("check.share_needs_breakdown", "share, breakdown and label go together")
M("check.table_share", "'{share}' is no code or code group of the breakdown '{breakdown}'")
M(
    "check.not_summarised",
    "'{name}' is in no summary table: add it to one, or say why in not_summarised",
)
M(
    "check.breakdown_not_summarised",
    "the breakdown '{breakdown}' of '{name}' is in no summary table",
)
M("check.bad_defined_name", "'{name}' cannot be a defined name")
M("check.defined_name_twice", "the defined name '{name}' is used twice")
M("definition.unknown_version", "There is no questionnaire version {version}; there are: {known}.")
# Command line: its usage line, help option and usage errors
M("cli.usage", "Usage:")
M("cli.options_metavar", "[OPTIONS]")
M("cli.subcommand_metavar", "COMMAND [ARGS]...")
M("cli.help_option", "Show this help and exit.")
M("cli.try_help", "For help: {command}")
M("cli.missing_argument", "Missing argument {name}.")
M("cli.missing_option", "The option {name} is required.")
M("cli.no_such_option", "There is no option {name}.")
M("cli.no_such_option_like", "There is no option {name}; did you mean {like}?")
M("cli.option_needs_value", "The option {name} needs a value.")
M("cli.bad_value", "Invalid value for {name}: {detail}")
M("cli.extra_arguments", "Unexpected: {arguments}.")
M("cli.as_said", "{text}")
M("cli.did_you_mean", "{said}. Did you mean {like}?")
M("cli.aborted", "Interrupted.")
M("cli.not_a_choice", "'{value}' is not one of: {choices}.")
M("cli.not_a_whole_number", "'{value}' is not a whole number.")
M("cli.not_a_number", "'{value}' is not a number.")
M("cli.whole_number_expected", "a whole number is expected.")
M("cli.number_expected", "a number is expected.")
M("cli.not_a_date", "'{value}' is not a date; write it like {formats}.")
M("cli.path_missing", "{path} does not exist.")
M("cli.path_is_file", "{path} is a file; a folder is expected.")
M("cli.path_is_folder", "{path} is a folder; a file is expected.")
M("cli.path_denied", "{path} cannot be used: permission denied.")
# Headings of the tables the commands print; keys stay in json and csv
M("heading.agencies.id", "Id")
M("heading.agencies.name", "Name")
M("heading.agencies.kind", "Kind")
M("heading.agencies.region", "Region")
M("heading.agencies.email", "E-mail")
M("heading.agencies.language", "Language")
M("heading.archive_list.round", "Round")
M("heading.archive_list.issued", "Issued")
M("heading.archive_list.returned", "Returned")
M("heading.archive_list.versions", "Versions")
M("heading.archive_list.consolidated", "Consolidations")
M("heading.archive_history.version", "Version")
M("heading.archive_history.received", "Received")
M("heading.archive_history.source_file", "File")
M("heading.archive_history.source_sha256", "File SHA-256")
M("heading.archive_history.warnings", "Warnings")
M("heading.archive_history.collected_by", "By")
M("heading.archive_diff.path", "Field")
M("heading.archive_diff.label", "Question")
M("heading.archive_diff.before", "Before")
M("heading.archive_diff.after", "After")
M("heading.collect.file", "File")
M("heading.collect.agency", "Agency")
M("heading.collect.round", "Round")
M("heading.collect.decision", "Decision")
M("heading.collect.version", "Version")
M("heading.collect.errors", "Errors")
M("heading.collect.warnings", "Warnings")
M("heading.issue.agency", "Agency")
M("heading.issue.kind", "Kind")
M("heading.issue.language", "Language")
M("heading.issue.file", "File")
M("heading.issue.reissued", "Re-issued")
M("heading.fields.name", "Defined name")
M("heading.fields.path", "Path")
M("heading.fields.section", "Section")
M("heading.fields.type", "Type")
M("heading.fields.label", "Label")
M("heading.fields.required", "Requirement")
M("heading.fields.rows", "Rows")
M("heading.fields.kinds", "Kinds of agency")
M("heading.status.region", "Region")
M("heading.status.kind", "Kind")
M("heading.status.agency", "Agency")
M("heading.status.state", "State")
M("heading.status.received", "Received")
M("heading.status.versions", "Versions")
M("heading.status.warnings", "Warnings")
M("heading.status.late", "Late")
M("heading.status_totals.group", "Group")
M("heading.status_totals.expected", "Expected")
M("heading.status_totals.received", "Received")
M("heading.status_totals.late", "Late")
M("heading.remind.agency", "Agency")
M("heading.remind.reason", "Reason")
M("heading.remind.email", "E-mail")
M("heading.remind.file", "Draft")
M("requirement.required", "required")
M("requirement.june", "required in June")
M("requirement.optional", "optional")
# Labels the tool adds to those of the questionnaire definition
M("label.total", "Total")
M("label.total_row", "total")
M("label.of_whom_minors", "of whom minors")
M("label.number", "Number")
M("label.row", "Row")
M("label.column_choice", "{column}: {choice}")
# Short names of the kinds of agency, for headings and for typing (--kind NGO)
M("kind.MIN_JUS", "Min. Justice")
M("kind.MIN_INT", "Min. Interior")
M("kind.MIN_EMP", "Min. Employment")
M("kind.MIN_SOC", "Min. Health")
M("kind.MIN_EXT", "Min. Foreign Affairs")
M("kind.DGVG", "DGVG")
M("kind.LEA_STATE", "State police")
M("kind.LEA_REG", "Regional police")
M("kind.CITCO", "CITCO")
M("kind.FISC", "Prosecution")
M("kind.CCAA", "Regions")
M("kind.FEMP", "FEMP")
M("kind.NGO", "NGO")
M("kind.CGPJ", "Judiciary")
M("kind.SEM", "Migration")
# Summary tables
M("summary.of_kind", "{label} [{kind}]")
M("summary.breakdown_title", "{label} — {breakdown}")
M("summary.others", "Others")
M("summary.change", "Change")
M("summary.chart_by", "{measure}, by {rows}")
M("summary.question", "Question")
M("summary.answer", "Answer")
M("summary.agencies_answering", "Agencies that answered")
M("summary.rows_answering", "Rows with an answer")
M("summary.listed", "{label}, with the agency that reported each")
M("summary.figure", "Figure")
M("summary.figure_value", "Number")
M("summary.percent_of_figure", "% of the figure above")
M("summary.source", "Source")
M("summary.series", "Series")
M("summary.trend_year", "{title}: rounds that report a whole year")
M("summary.trend_half", "{title}: rounds that report a half-year")
M(
    "summary.text_not_published",
    "Narrative answers are for the office only: --text cannot be published.",
)
M(
    "summary.unknown_extension",
    "Cannot tell the format of {path} from its extension: use {known}, or --format.",
)
M(
    "summary.extension_mismatch",
    "{path} does not end as a {format} file should; name it so, or change --format.",
)
M("summary.national_bodies", "National bodies")
M("summary.received_expected", "Received / expected")
M("summary.total_by_kind", "Total (by kind of agency)")
M("summary.region", "Region")
M("summary.kind", "Kind of agency")
M("summary.agency", "Agency")
M("summary.by_region", "{section} — by region")
M("summary.by_kind", "{section} — by kind of agency")
M("summary.by_agency", "{section} — by agency")
M("summary.percent_of_total", "% of total")
M("summary.persons", "Persons")
M("summary.kind_short", "Kind")
M("summary.contents", "Contents")
M("summary.part", "{table}: {measure}")
# The round's report (rapporteur report)
M("report.title", "Report on trafficking in human beings: round {round}")
M(
    "report.edition_published",
    "Edition for publication: statistical disclosure control applied; no free text and no agency's own figures.",
)
M(
    "report.edition_internal",
    "Internal edition, for the office only: it holds the agencies' own words and figures that are not for publication.",
)
M("report.written_on", "Written on {date}")
M("report.coverage", "Who returned")
M(
    "report.coverage_text",
    "{received} of {expected} agencies returned the questionnaire ({percent} %).",
)
M("report.coverage_by_kind", "Returns by kind of agency")
M("report.coverage_by_region", "Returns by region")
M("report.coverage_map", "Agencies that returned, by region")
M("report.percent_returned", "% of the agencies that returned")
M("report.missing", "Agencies whose return is not in")
M("report.headline", "Headline figures")
M("report.compared", "Each figure beside the same round a year earlier, {round} ({period}).")
M(
    "report.not_compared",
    "There is no round a year earlier that reports on a period as long as this one: the figures stand alone.",
)
M("report.change", "Change")
M("report.map_title", "{measure}, by region")
M(
    "report.map_note",
    "Regions drawn white and hatched have no figure to draw: none was given, or it is hidden or below the publication threshold (as the tables print it).",
)
M(
    "report.chart_hidden",
    "Hidden figures ('c') and figures below the threshold are not drawn; the table above gives what is published.",
)
M("report.persons", "Persons")
M("report.trend", "Trends over rounds")
M(
    "report.trend_intro",
    "The same figures in the earlier rounds. Rounds that report a whole year and rounds that report a half-year are separate series, never joined.",
)
M(
    "report.trend_note",
    "A historical series of several years is in the table but not drawn beside single years.",
)
M("report.texts", "What the agencies wrote")
M("report.methods", "Methods")
M("report.methods_sources_heading", "Sources and periods")
M(
    "report.methods_sources",
    "The figures are those of the returns to the questionnaire of round {round} (questionnaire version {version}), as archived by the office that publishes this report ({office}). Every figure is read from the agencies' accepted returns, after the checks of their consistency; none is estimated.",
)
M(
    "report.methods_periods",
    "The June round reports on the whole previous year, with final figures; the December round reports on the first half of the year, with provisional figures that the following June round replaces. A half-year is never compared with or added to a whole year.",
)
M("report.methods_historical", "The series before the tool come from: {source}.")
M("report.methods_kinds_heading", "Kinds of agency")
M(
    "report.methods_kinds",
    "Each figure says which kind of agency gives it (in brackets). Figures of different kinds are never added: the police, the NGOs and the regions count the same persons more than once, each from its own work, so a sum would count people twice.",
)
M(
    "report.methods_reference",
    "The headline figures come from the kind of agency that is the reference source for each: the CITCO for police data, the Public Prosecutor's Office for criminal proceedings, the NGOs and the autonomous communities for assistance.",
)
M("report.methods_rules_heading", "Publication rules")
M(
    "report.methods_rules",
    "A figure about persons from 1 to {below} is shown as '<{threshold}' (below national level, or in tables of three or more dimensions, from 1 to {below_detailed}, as '<{detailed}'); a figure given by fewer than {agencies} agencies of a confidential kind ({kinds}) is hidden; other figures are hidden ('c') where they would let a reader work out a hidden one to within {protection} % of its value. Percentages are shown only over a published base of at least {base} persons.",
)
M(
    "report.methods_published",
    "This edition applies those rules; its figures passed the audit that attacks the publication as a reader would.",
)
M(
    "report.methods_internal",
    "This internal edition shows every figure as archived: the rules above apply to the edition for publication (rapporteur report --publish).",
)
M(
    "report.empty",
    "Round {round} has no returns yet ({expected} expected): there is nothing to report.",
)
M("report.written", "Report of round {round} written to {path}.")
M(
    "report.unknown_extension",
    "'{path}': the report is written as .html (to read and print) or .docx (to edit); give the file one of those extensions.",
)
# Open-data exports (rapporteur export)
M(
    "export.written_datapackage",
    "Data package of round {round} written to {folder}: {count} tables and their code lists.",
)
M(
    "export.written_eurostat",
    "Eurostat figures of round {round} ({period}) written to {path}: {count} observations.",
)
M(
    "export.half_year",
    "Round {round} reports on {period}: Eurostat's collection is by calendar year. Export a June round, which reports on the whole previous year.",
)
M(
    "export.several_years",
    "Round {round} holds a historical series of several years ({period}): Eurostat's collection is year by year, and the series cannot be divided into years.",
)
M(
    "export.no_eurostat_figures",
    "Questionnaire version {version} marks no question for Eurostat: there is nothing to export.",
)
M(
    "export.output_is_file",
    "'{path}' is a file: the data package is a folder; give a folder to write it in.",
)
M(
    "export.folder_in_use",
    "'{path}' holds other files: the data package replaces its folder whole, so give a new or empty folder, or the folder of an earlier package.",
)
# The data package's descriptions of its columns
M(
    "datapackage.description",
    "Published tables of a round of the questionnaire on trafficking in human beings, with statistical disclosure control applied. One row per figure; a figure not published is blank, with its mark in 'flag'.",
)
M("datapackage.row", "Row")
M(
    "datapackage.row_description",
    "Code of the table's row: a region, a kind of agency, a code of the questionnaire's lists, or TOTAL.",
)
M("datapackage.row_label", "Row ({language})")
M("datapackage.row_label_description", "Name of the row in language '{language}'.")
M("datapackage.column", "Column")
M(
    "datapackage.column_description",
    "Code of the table's column: a question and the kind of agency that gives it (question:kind), a code, a round, or TOTAL.",
)
M("datapackage.column_label", "Column ({language})")
M("datapackage.column_label_description", "Name of the column in language '{language}'.")
M("datapackage.value", "Value")
M("datapackage.value_description", "The figure (or the answer); blank when it is not published.")
M("datapackage.value_label", "Answer ({language})")
M(
    "datapackage.value_label_description",
    "The answer's name in language '{language}', when it is a code.",
)
M("datapackage.flag", "Mark")
M(
    "datapackage.flag_description",
    "Why a figure is not published: 'c' hidden so that no small figure can be worked out, 'x' withheld, '<5' (or the threshold) from 1 to one less than the threshold.",
)
M("datapackage.regions", "Regions")
M("datapackage.agency_kinds", "Kinds of agency")
# Counted phrases, for sentences that count several things
MP("count.files", "{count} file", "{count} files")
MP("count.accepted", "{count} accepted", "{count} accepted")
MP("count.rejected", "{count} rejected", "{count} rejected")
MP("count.errors", "{count} error", "{count} errors")
MP("count.warnings", "{count} warning", "{count} warnings")
MP("count.rounds", "{count} round", "{count} rounds")


@cache
def translations(language: Language, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalogue of a language; English, the source, needs none."""
    return gettext.translation(domain, LOCALE_FOLDER, languages=[language], fallback=True)


@dataclass(frozen=True)
class Message(Wording):
    """A sentence for the user, not yet in any language.

    Its text comes from the catalogue by `key`, or, for sentences that live in the
    questionnaire definition (the messages of its rules), from `texts`.
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    texts: Localized | None = None

    def render(self, language: Language) -> str:
        if self.texts is not None:
            return self.texts[language].format(**_rendered(self.params, language))
        entry = CATALOGUE[self.key]
        params = dict(self.params)
        for name, phrase in entry.counts.items():
            params[name] = Message(phrase, {"count": params[name]})
        catalogue = translations(language)
        if entry.plural is None:
            template = catalogue.pgettext(self.key, entry.text)
        else:
            count = params[entry.count]
            number = count.value if isinstance(count, Number) else count
            template = catalogue.npgettext(self.key, entry.text, entry.plural, int(number))  # type: ignore[arg-type]
            params[entry.count] = Number(number)  # type: ignore[arg-type]
        return template.format(**_rendered(params, language))


def _rendered(params: Mapping[str, object], language: Language) -> dict[str, object]:
    """Parameters as words: messages, labels and figures in the language; the rest as is."""
    return {
        name: value.render(language) if hasattr(value, "render") else value
        for name, value in params.items()
    }


@dataclass(frozen=True)
class Coded(Wording):
    """A code with its label: the code for programs (json, csv), the label for people."""

    code: str
    label: Localized

    def render(self, language: Language) -> str:
        return self.label[language]


@dataclass(frozen=True)
class Amount(Wording):
    """Euros in a sentence: 95.224,10 €."""

    value: int | float

    def render(self, language: Language) -> str:
        from rapporteur import formats

        return formats.euros(self.value, language)


@dataclass(frozen=True)
class Share(Wording):
    """A percentage in a sentence, with one decimal: 42,0 %; `signed` for a change."""

    value: int | float
    signed: bool = False

    def render(self, language: Language) -> str:
        from rapporteur import formats

        return formats.percent(self.value, language, self.signed)


@dataclass(frozen=True)
class Day(Wording):
    """A date in a sentence: 15 de enero de 2019, 15 January 2019."""

    value: "datetime.date"

    def render(self, language: Language) -> str:
        from rapporteur import formats

        return formats.day(self.value, language)


@dataclass(frozen=True)
class Listed(Wording):
    """Several labels in one sentence or cell: "ONG, FCSE"."""

    items: tuple[Localized, ...]
    separator: str = ", "

    def render(self, language: Language) -> str:
        return self.separator.join(item[language] for item in self.items)


@dataclass(frozen=True)
class Verbatim(Wording):
    """A text that reads the same in every language: a name, a number of a row."""

    text: str

    def render(self, language: Language) -> str:
        return self.text


@dataclass(frozen=True)
class Number(Wording):
    """A figure in a sentence, written as each language writes it: 12.345,5 or 12,345.5."""

    value: int | float

    def render(self, language: Language) -> str:
        from rapporteur import formats

        return formats.number(self.value, language)


def message(key: str, /, **params: object) -> Message:
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Message(key, params)
