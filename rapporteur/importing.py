"""History from before the tool: figures an office already published, as a round.

`rapporteur archive import FILE --round R` reads a table of figures (an .xlsx or .csv made
from the template `--template` writes: one row per figure, with the defined name of its
cell in the questionnaire, the kind of agency that gave it, and the figure), checks every
row as `collect` checks a return's cells, and the figures of each kind of agency as a
return of that kind, then archives them in one transaction as a historical round: one
return per kind, under the agency `serie-<kind>`. Trends then start before the first
issued round, and every output says which round is historical.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapporteur.archive import NewReturn, RoundRecord
from rapporteur.definition import NUMERIC_TYPES, Definition, Input, kind_code, load_definition
from rapporteur.messages import Language, Number, message
from rapporteur.models import Context, validate_return
from rapporteur.problems import Problem, RapporteurError, UsageError, WorkspaceError
from rapporteur.rounds import ReportingPeriod, Round
from rapporteur.workbook.package import inspect_file
from rapporteur.workbook.reader import CellReader
from rapporteur.workspace import Workspace

AGENCY_PREFIX = "serie-"
SHEET = "import.sheet"
COLUMNS = ("code", "kind", "question", "value")
_VERSION_IN_HEADING = re.compile(r"\bv(\d+)\b")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4})|-S([12]))?$")
# "53.440" is left as typed: in Spain it is 53440, elsewhere 53.44, and the reader says so.
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d{1,2})?$")


class ImportRefused(RapporteurError):
    """The file's figures are not all right: nothing was archived; exit 1."""

    exit_code = 1


@dataclass
class ImportReport:
    round: Round
    period: ReportingPeriod
    version: int
    source: str
    figures: dict[str, int] = field(default_factory=dict)
    """How many figures each kind of agency gave."""
    versions: dict[str, int | None] = field(default_factory=dict)
    """The version each series' return was archived as; None when unchanged."""
    warnings: list[Problem] = field(default_factory=list)


def historical_agency(kind: str) -> str:
    return AGENCY_PREFIX + kind.lower().replace("_", "-")


def importable_inputs(definition: Definition, kind: str) -> list[Input]:
    """The figures of a kind of agency that a published series can give: every numeric cell
    of its questionnaire outside the repeating tables (whose rows an agency chooses)."""
    return [
        item
        for item in definition.inputs(kind)
        if item.type in NUMERIC_TYPES and "*" not in item.location
    ]


def parse_period(text: str) -> ReportingPeriod:
    """2017, 2018-S1, or several whole years: 2013-2016."""
    match = _PERIOD.match(text.strip())
    if match is None:
        raise UsageError("import.bad_period", text=text)
    first = int(match.group(1))
    if match.group(3):
        half = int(match.group(3))
        start = datetime.date(first, 1 if half == 1 else 7, 1)
        end = datetime.date(first, 6, 30) if half == 1 else datetime.date(first, 12, 31)
        return ReportingPeriod(start, end, f"{first}-S{half}", "final")
    last = int(match.group(2) or first)
    if last < first:
        raise UsageError("import.bad_period", text=text)
    code = str(first) if last == first else f"{first}-{last}"
    return ReportingPeriod(datetime.date(first, 1, 1), datetime.date(last, 12, 31), code, "final")


# The template ----------------------------------------------------------------------------


def write_template(path: Path, version: int, kinds: list[str], language: Language) -> int:
    """The import template for `kinds` (all when empty): one row per figure, the value
    blank. Written as .csv or .xlsx after the file's extension; returns the rows."""
    definition = load_definition(version)
    chosen = [kind_code(definition, kind) for kind in kinds] or list(definition.kinds)
    headings = _headings(version, language)
    rows = [
        (item.name, kind, item.label[language], None)
        for kind in chosen
        for item in importable_inputs(definition, kind)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerows([(code, kind, label, "") for code, kind, label, _ in rows])
        # With the BOM, Excel reads the accents of a UTF-8 file right.
        _write_atomically(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        return len(rows)
    if path.suffix.lower() != ".xlsx":
        raise UsageError("import.template_format", file=path)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = message(SHEET).render(language)
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, kind, label, _ in rows:
        sheet.append([code, kind, label, None])
    for letter, width in zip("ABCD", (58, 12, 70, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:D{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    _write_atomically(path, buffer.getvalue())
    return len(rows)


def _headings(version: int, language: Language) -> list[str]:
    return [
        message(f"import.heading.{column}", version=version).render(language) for column in COLUMNS
    ]


def _write_atomically(path: Path, data: bytes) -> None:
    from rapporteur.tomlfile import write_bytes_atomically

    try:
        write_bytes_atomically(path, data)
    except OSError as error:
        raise WorkspaceError(
            "workspace.cannot_write", path=path, reason=error.strerror or str(error)
        ) from None


# Reading and archiving -------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    code: Any
    kind: Any
    value: Any


def import_history(
    workspace: Workspace,
    path: Path,
    round_: Round,
    period_text: str | None = None,
    source: str | None = None,
    version: int | None = None,
    wait: bool = False,
) -> ImportReport:
    """Check every figure of the file and archive them as the historical round `round_`,
    or archive nothing and raise `ImportRefused` with every problem, cell by cell."""
    archive = workspace.archive()
    archive.recover_if_needed()
    existing = archive.read_round(round_)
    if existing is not None and not existing.historical:
        raise UsageError("import.round_issued", round=str(round_))
    version = version or (
        existing.questionnaire_version
        if existing
        else workspace.settings.questionnaire.version_for(round_)
    )
    definition = load_definition(version)
    period = (
        parse_period(period_text) if period_text else round_.period(workspace.settings.period_rules)
    )
    if period.end >= round_.starts_on:
        raise UsageError("import.period_after_round", period=period.code, round=str(round_))
    if existing is not None and existing.questionnaire_version != version:
        raise UsageError(
            "import.other_version", round=str(round_), version=existing.questionnaire_version
        )
    sheet, headings, rows = _read_rows(path, workspace)
    problems: list[Problem] = []
    named = _VERSION_IN_HEADING.search(str(headings[0] if headings else ""))
    if named and int(named.group(1)) != version:
        problems.append(
            _problem(
                path,
                sheet,
                "A1",
                "import.template_version",
                found=int(named.group(1)),
                version=version,
            )
        )
    by_kind = _figures(definition, path, sheet, rows, problems)
    report = ImportReport(round_, period, version, source or path.name)
    checked: dict[str, dict[str, Any]] = {}
    warned: dict[str, int] = {}
    for kind, (reader, positions) in by_kind.items():
        context = Context(period_start=period.start, period_end=period.end)
        check = validate_return(reader.result(), kind, version, context)
        # A series gives a few figures: a required answer left blank is the rule here.
        located = [
            _at(problem, path, sheet, positions)
            for problem in check.errors + [w for w in check.warnings if w.code != "R1"]
        ]
        problems += [problem for problem in located if problem.severity == "error"]
        warnings = [_at(problem, path, sheet, {}) for problem in reader.problems]
        warnings += [problem for problem in located if problem.severity != "error"]
        report.warnings += warnings
        warned[kind] = len(warnings)
        if check.value is not None:
            checked[kind] = check.value
            report.figures[kind] = len(positions)
    if not problems and not checked:
        problems.append(_problem(path, sheet, None, "import.empty"))
    if problems:
        problems.sort(key=_row_of)
        raise ImportRefused(
            "import.refused", file=path.name, count=len(problems), problems=tuple(problems)
        )
    digest = _sha256(path)
    record = existing or RoundRecord(
        round=round_,
        questionnaire_version=version,
        period=period,
        deadline=datetime.date.today(),
        source=report.source,
    )
    with archive.writing(wait=wait) as session:
        current = archive.read_round(round_)  # under the lock: issued meanwhile?
        if current is not None and not current.historical:
            raise UsageError("import.round_issued", round=str(round_))
        if current is None:
            session.write_round(record)
        for kind, data in checked.items():
            recorded = session.record_return(
                round_,
                NewReturn(
                    agency=historical_agency(kind),
                    kind=kind,
                    questionnaire_version=version,
                    data=data,
                    source_file=path.name,
                    source_sha256=digest,
                    warnings=warned[kind],
                ),
            )
            report.versions[kind] = recorded.version
        session.consolidate()
    return report


def _figures(
    definition: Definition, path: Path, sheet: str | None, rows: list[_Row], problems: list
) -> dict[str, tuple[CellReader, dict[str, str]]]:
    """Each row's figure converted as `collect` converts a cell, gathered by kind."""
    inputs = {
        kind: {item.name: item for item in importable_inputs(definition, kind)}
        for kind in definition.kinds
    }
    by_kind: dict[str, tuple[CellReader, dict[str, str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.value is None or (isinstance(row.value, str) and not row.value.strip()):
            continue
        kind_text = str(row.kind or "").strip()
        try:
            kind = kind_code(definition, kind_text)
        except UsageError:
            problems.append(
                _problem(
                    path,
                    sheet,
                    f"B{row.number}",
                    "import.unknown_kind",
                    found=kind_text,
                    version=definition.version,
                )
            )
            continue
        code = str(row.code or "").strip()
        item = inputs[kind].get(code)
        if item is None:
            key = "import.unknown_code" if not _known(inputs, code) else "import.not_asked"
            problems.append(
                _problem(
                    path,
                    sheet,
                    f"A{row.number}",
                    key,
                    found=code,
                    kind=kind,
                    version=definition.version,
                )
            )
            continue
        if (kind, code) in seen:
            problems.append(
                _problem(
                    path,
                    sheet,
                    f"A{row.number}",
                    "import.twice",
                    found=code,
                    kind=kind,
                    first=seen[(kind, code)],
                )
            )
            continue
        seen[(kind, code)] = row.number
        reader, positions = by_kind.setdefault(kind, (CellReader(definition, "es"), {}))
        cell = f"D{row.number}"
        positions[item.path] = cell
        reader.take(item, 0, row.value, (sheet or "", cell))
        problems += [_at(p, path, sheet, {}) for p in reader.problems if p.severity == "error"]
        reader.problems = [p for p in reader.problems if p.severity != "error"]
    return by_kind


def _row_of(problem: Problem) -> int:
    digits = re.sub(r"\D", "", problem.cell or "")
    return int(digits) if digits else 0


def _known(inputs: dict[str, dict[str, Input]], code: str) -> bool:
    return any(code in by_name for by_name in inputs.values())


def _typed(value: str) -> Any:
    # A CSV holds only text: a plain number is a number; anything else goes to the reader
    # as typed, which explains "1.234" or "12,5" as it does for a questionnaire's cell.
    if isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return value


def _read_rows(path: Path, workspace: Workspace) -> tuple[str | None, list, list[_Row]]:
    if not path.is_file():
        raise UsageError("import.no_file", file=path)
    if path.suffix.lower() == ".csv":
        return None, *_csv_rows(path, workspace)
    refusal = inspect_file(path, workspace.settings.limits)
    if refusal is not None:
        raise ImportRefused(refusal.key, file=path.name, **refusal.params)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.sheet_names[0]
        grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own errors for a damaged file
        raise ImportRefused("collect.damaged", file=path.name) from None
    headings = list(grid[0]) if grid else []
    rows = [
        _Row(number, *(_blank(cells[i]) if i < len(cells) else None for i in (0, 1, 3)))
        for number, cells in enumerate(grid[1:], start=2)
    ]
    return sheet, headings, rows


def _blank(value: Any) -> Any:
    return None if value == "" else value


def _csv_rows(path: Path, workspace: Workspace) -> tuple[list, list[_Row]]:
    limits = workspace.settings.limits
    size = path.stat().st_size
    if size > limits.max_file_mb * 1_000_000:
        raise ImportRefused(
            "collect.too_large",
            file=path.name,
            size=Number(round(size / 1_000_000, 1)),
            limit=Number(limits.max_file_mb),
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # Excel's "CSV" on a Spanish Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(io.StringIO(text), dialect))
    if len(lines) > limits.max_rows:
        raise ImportRefused(
            "collect.too_many_rows",
            file=path.name,
            sheet=path.name,
            limit=Number(limits.max_rows),
        )
    headings = lines[0] if lines else []
    rows = [
        _Row(number, *((cells[i] if i < len(cells) else None) for i in (0, 1)),
             _typed(cells[3]) if len(cells) > 3 else None)
        for number, cells in enumerate(lines[1:], start=2)
    ]  # fmt: skip
    return headings, rows


def _problem(path: Path, sheet: str | None, cell: str | None, key: str, **params: Any) -> Problem:
    return _placed(
        Problem(code=key.replace(".", "-").replace("_", "-"), severity="error",
                message=message(key, **params)),
        path, sheet, cell,
    )  # fmt: skip


def _at(problem: Problem, path: Path, sheet: str | None, positions: dict[str, str]) -> Problem:
    """A problem of a kind's figures, at the row of the figure it concerns."""
    cell = problem.cell
    if cell is None and problem.field:
        cell = positions.get(problem.field) or next(
            (where for known, where in positions.items() if known.startswith(problem.field)),
            None,
        )
    return _placed(problem, path, sheet, cell)


def _placed(problem: Problem, path: Path, sheet: str | None, cell: str | None) -> Problem:
    """A problem as the office reads it: the file, the sheet and cell, then what is wrong."""
    return replace(
        problem,
        message=message("import.at", file=path.name, place=_place(sheet, cell),
                        what=problem.message),
        file=str(path),
        sheet=sheet,
        cell=cell,
    )  # fmt: skip


def _place(sheet: str | None, cell: str | None):
    if cell is None:
        return ""
    if sheet is None:
        return message("import.place_csv", cell=cell)
    return message("import.place", sheet=sheet, cell=cell)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
