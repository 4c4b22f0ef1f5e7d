"""A round's figures as open data: a Frictionless Data Package, and the Eurostat tables.

The data package holds the published tables, exactly as `summary --publish` prints them
(every view protected together, the audit passed): one long CSV per table, a code and its
labels in Spanish and English for each row and column, the figure, and the mark of a
figure not published. The Eurostat file holds the national figures of the questions the
definition marks with a `eurostat` attribute, in the codes of rapporteur/data/eurostat.toml.
"""

import csv
import io
import json
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

from rapporteur.archive import Archive
from rapporteur.definition import Breakdown, Definition, QuestionField, load_definition
from rapporteur.figures import indicator
from rapporteur.messages import Coded, Language, Localized, message
from rapporteur.problems import NothingToReport, UsageError
from rapporteur.rounds import Round, period_label
from rapporteur.rules import breakdown_cells
from rapporteur.status import latest_round, round_record
from rapporteur.summary import TOTAL, RoundData, Summary, Table, load_round, whole_year
from rapporteur.summary_output import is_number, neutralised

LABEL_LANGUAGES: tuple[Language, ...] = ("es", "en")
MARKS_FIELD = "flag"
COVERAGE = "completeness"
"""The "received / expected" column of tables by region: how many returned, not a figure."""


@dataclass(frozen=True)
class Written:
    round: str
    period: Localized | str
    """What the round reports on, said in the reader's language by whoever prints it."""
    count: int


# --------------------------------------------------------------------------------------
# Eurostat
# --------------------------------------------------------------------------------------

DIMENSIONS = ("status", "sex", "age", "citizenship", "exploitation")
SDMX_COLUMNS = (
    "DATAFLOW", "FREQ", "LEG_STAT", "SEX", "AGE", "CITIZEN", "EXPLOIT", "UNIT", "GEO",
    "TIME_PERIOD", "OBS_VALUE", "CONF_STATUS",
)  # fmt: skip


@cache
def eurostat_codes() -> dict[str, Any]:
    """Eurostat's codes, from the one file that holds them (see its comments)."""
    text = resources.files("rapporteur.data").joinpath("eurostat.toml").read_text("utf-8")
    return tomllib.loads(text)


def write_eurostat(workspace, round_: Round | None, path: Path) -> Written:
    """The round's national figures for Eurostat, as SDMX-CSV. Only a round that reports
    on one calendar year can be exported: a June round."""
    from rapporteur.report import write_document

    archive = Archive(workspace.archive_dir)
    archive.recover_if_needed()
    round_ = round_ or latest_round(archive)
    record = round_record(archive, round_)
    period = record.period
    said = period_label(period) if period else ""
    if period is not None and not whole_year(period):
        raise NothingToReport("export.half_year", round=str(round_), period=said)
    if period is not None and "-" in period.code:
        raise NothingToReport("export.several_years", round=str(round_), period=said)
    data = load_round(archive, round_)
    if not data.returns:
        raise NothingToReport("report.empty", round=str(round_), expected=len(data.expected))
    if not any(field_.eurostat for field_ in data.definition.fields):
        raise NothingToReport("export.no_eurostat_figures", version=data.definition.version)
    figures = eurostat_figures(data)
    threshold = workspace.settings.publication.threshold
    codes = eurostat_codes()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SDMX_COLUMNS)
    for key, value in figures.items():
        status, sex, age, citizenship, exploitation = key
        writer.writerow(
            [
                codes["dataflow"]["code"],
                codes["frequency"]["code"],
                codes["status"][status]["code"],
                _code(codes, "sex", sex),
                _code(codes, "age", age),
                _code(codes, "citizenship", citizenship),
                _code(codes, "exploitation", exploitation),
                codes["unit"]["code"],
                codes["geo"]["code"],
                period.code if period else str(round_.year - 1),
                value,
                # Figures the office would not publish go with Eurostat's mark for
                # confidential data: sent, but not for publication.
                "C" if 0 < value < threshold else "F",
            ]
        )
    write_document(path, buffer.getvalue().encode("utf-8"))
    return Written(str(round_), said, len(figures))


def _code(codes: dict, dimension: str, value: str) -> str:
    return codes["total"]["code"] if value == TOTAL else codes[dimension][value]["code"]


def eurostat_figures(data: RoundData) -> dict[tuple[str, ...], int]:
    """Each Eurostat figure of a round, keyed by (status, sex, age, citizenship,
    exploitation) with TOTAL for a dimension not broken down. A status adds up the
    questions that have it (registered victims: identified and presumed), each from the
    returns of the kind of agency the definition names; a figure that any of them leaves
    unknown is not given, never given short."""
    definition = data.definition
    by_status: dict[str, list[dict[tuple, int]]] = defaultdict(list)
    for field_ in definition.fields:
        if field_.eurostat is None:
            continue
        returns = [
            answers for kind, answers in data.returns.values() if kind == field_.eurostat.kind
        ]
        per_agency = [_figures_of(definition, field_, answers) for answers in returns]
        by_status[field_.eurostat.status].append(_added(per_agency))
    found: dict[tuple[str, ...], int] = {}
    for status, questions in by_status.items():
        for key, value in _added(questions).items():
            found[(status, *key)] = value
    return dict(sorted(found.items(), key=_order))


def _order(item) -> tuple:
    key = item[0]
    statuses = list(eurostat_codes()["status"])
    return (statuses.index(key[0]), *((part != TOTAL, part) for part in key[1:]))


def _added(parts: list[dict[tuple, int]]) -> dict[tuple, int]:
    """The sum of several sets of figures: a figure that one of them lacks is unknown."""
    if not parts:
        return {}
    keys = set.intersection(*(set(part) for part in parts))
    return {key: sum(part[key] for part in parts) for key in keys}


def _figures_of(definition: Definition, field_: QuestionField, answers: dict) -> dict[tuple, int]:
    """One return's figures for one question: its total, and what each of its breakdowns
    gives. Two breakdowns that give the same figure differently (women by age, women by
    form of exploitation) leave it unknown: which one is right cannot be told here."""
    total = indicator(definition, field_, answers)
    if total is None:
        return {}
    found: dict[tuple, int] = {(TOTAL,) * 4: int(total)}
    disagreeing = set()
    block = answers.get(field_.id)
    for breakdown_id in field_.breakdowns:
        cells = block.get(breakdown_id) if isinstance(block, dict) else None
        if cells is None:
            continue
        breakdown = definition.breakdown(breakdown_id)
        for key, value in _breakdown_figures(definition, breakdown, cells, total):
            if found.setdefault(key, value) != value:
                disagreeing.add(key)
    return {key: value for key, value in found.items() if key not in disagreeing}


def _breakdown_figures(
    definition: Definition, breakdown: Breakdown, cells: Any, total: float
) -> Iterator[tuple[tuple, int]]:
    """The figures one breakdown gives, by every combination of its dimensions. A
    breakdown that leaves someone out (a blank cell, or cells short of the total) gives
    none: its shares would be guessed."""
    dimensions = [_dimension(definition, breakdown.repeat or breakdown.rows),
                  _dimension(definition, breakdown.columns)]  # fmt: skip
    if not any(dimensions):
        return
    sums: dict[tuple, int] = defaultdict(int)
    counted = 0
    for row, column, value in breakdown_cells(definition, breakdown, cells):
        if value is None:
            return
        counted += value
        place = dict.fromkeys(DIMENSIONS[1:], TOTAL)
        for dimension, code in zip(dimensions, (row, column), strict=True):
            if dimension is not None:
                name, mapping = dimension
                place[name] = mapping(code)
        exported = [name for name in DIMENSIONS[1:] if place[name] != TOTAL]
        for size in range(1, len(exported) + 1):
            for kept in combinations(exported, size):
                key = tuple(place[name] if name in kept else TOTAL for name in DIMENSIONS[1:])
                sums[key] += int(value)
    if counted != total:  # collect refuses it (rule E5) where the definition asks that
        return
    yield from sums.items()


def _dimension(definition: Definition, codelist: str | None):
    """The Eurostat dimension a code list is read as, and how each code maps to it."""
    if codelist == "sex":
        return "sex", lambda code: code
    if codelist == "age_band":
        groups = {code.code: code.group for code in definition.codelist("age_band")}
        return "age", lambda code: groups.get(code) or "unknown"
    if codelist == "exploitation":
        groups = {code.code: code.eurostat for code in definition.codelist("exploitation")}
        return "exploitation", lambda code: groups.get(code) or "unknown"
    if codelist == "citizenship":
        return "citizenship", citizenship_group
    return None


def citizenship_group(code: str) -> str:
    """Spain, another member state, a country outside the EU, or unknown."""
    eu = eurostat_codes()["eu"]
    eurostat = eu["iso_to_eurostat"].get(code, code)
    if code in eu["unknown"]:
        return "unknown"
    if eurostat == eurostat_codes()["geo"]["code"]:
        return "reporting"
    return "eu" if eurostat in eu["members"] else "non_eu"


# --------------------------------------------------------------------------------------
# Frictionless Data Package
# --------------------------------------------------------------------------------------


def write_datapackage(workspace, round_: Round | None, folder: Path) -> Written:
    """The published tables of a round as a data package in `folder` (made if missing):
    written whole in a temporary folder beside it, then put in place."""
    from rapporteur.disclosure import publish_views, refusal, rules_of

    if folder.exists() and not folder.is_dir():
        raise UsageError("export.output_is_file", path=folder)
    if folder.is_dir() and not _replaceable(folder):
        raise UsageError("export.folder_in_use", path=folder)
    archive = Archive(workspace.archive_dir)
    archive.recover_if_needed()
    registry = workspace.registry()
    round_ = round_ or latest_round(archive)
    record = round_record(archive, round_)
    data = load_round(archive, round_)
    if not data.returns:
        raise NothingToReport("report.empty", round=str(round_), expected=len(data.expected))
    rules = rules_of(workspace.settings.publication)
    published, audit = publish_views(archive, registry, rules, round_, loaded={round_: data})
    if not audit.ok:
        raise refusal(audit)
    # Per-agency tables are left out, as in the report: the package is read by anyone.
    tables: dict[str, Table] = {}
    for view in ("region", "kind"):
        for table in published[view].tables:
            tables.setdefault(table.id, table)
    files = {f"{_name(table.id)}.csv": _table_csv(table) for table in tables.values()}
    files["regions.csv"] = _regions_csv()
    files["agency_kinds.csv"] = _kinds_csv(published["region"])
    descriptor = _descriptor(published["region"], tables, record)
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    _write_folder(folder, files)
    return Written(str(round_), period_label(record.period) if record.period else "", len(tables))


def _name(table_id: str) -> str:
    """A resource name: lower case, digits, '-', '_' and '.' only (Frictionless)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in table_id.lower())


def _columns(table: Table) -> tuple[str, ...]:
    columns = ["row", *(f"row_label_{lang}" for lang in LABEL_LANGUAGES), "column"]
    columns += [f"column_label_{lang}" for lang in LABEL_LANGUAGES]
    columns += ["value"]
    if not _numeric(table):
        columns += [f"value_label_{lang}" for lang in LABEL_LANGUAGES]
    return (*columns, MARKS_FIELD)


def _numeric(table: Table) -> bool:
    """A table of figures (some perhaps hidden), not of answers such as dates or links."""
    return all(
        is_number(value) or _mark(value)
        for row in table.rows
        for key, value in row.values.items()
        if value is not None and key != COVERAGE
    )


def _mark(value: Any) -> bool:
    """The marks of a publication: "c" hidden, "x" withheld, "<5" below the threshold."""
    return isinstance(value, str) and (value in ("c", "x") or value.startswith("<"))


def _table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = _columns(table)
    writer.writerow(columns)
    numeric = _numeric(table)
    for row in table.rows:
        for column in table.columns:
            if column.key not in row.values or column.key == COVERAGE:
                continue
            value = row.values[column.key]
            record = [row.key, *(row.label[lang] for lang in LABEL_LANGUAGES), column.key]
            record += [column.label[lang] for lang in LABEL_LANGUAGES]
            if _mark(value):
                record += ["", *([""] * len(LABEL_LANGUAGES) * (not numeric)), value]
            elif numeric:
                record += [value, ""]
            else:
                code = value.code if isinstance(value, Coded) else value
                labels = [value.render(lang) if isinstance(value, Coded) else ""
                          for lang in LABEL_LANGUAGES]  # fmt: skip
                record += [code, *labels, ""]
            writer.writerow([neutralised(cell) for cell in record])
    return buffer.getvalue()


def _regions_csv() -> str:
    """The rows of the tables by region: the 19 regions, the national bodies, the total."""
    definition = load_definition()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["code", *(f"label_{lang}" for lang in LABEL_LANGUAGES)])
    for code in definition.codelist("region"):
        writer.writerow([code.code, *(code.label(lang) for lang in LABEL_LANGUAGES)])
    for code, key in (("ES", "summary.national_bodies"), (TOTAL, "summary.total_by_kind")):
        writer.writerow([code, *(message(key).render(lang) for lang in LABEL_LANGUAGES)])
    return buffer.getvalue()


def _kinds_csv(summary: Summary) -> str:
    from rapporteur.definition import kind_label

    definition = summary.rounds[summary.round].definition
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["code", *(f"label_{lang}" for lang in LABEL_LANGUAGES)])
    for kind in definition.kinds:
        writer.writerow([kind, *(kind_label(definition, kind)[lang] for lang in LABEL_LANGUAGES)])
    writer.writerow([TOTAL, *(message("label.total").render(lang) for lang in LABEL_LANGUAGES)])
    return buffer.getvalue()


def _said(key: str, **params) -> dict[str, str]:
    return {lang: message(key, **params).render(lang) for lang in LABEL_LANGUAGES}


def _field(name: str, type_: str, key: str, **params) -> dict:
    titles = _said(f"datapackage.{key}", **params)
    descriptions = _said(f"datapackage.{key}_description", **params)
    return {
        "name": name,
        "type": type_,
        "title": titles["es"],
        "description": descriptions["es"],
        "rapporteur:title": titles,
        "rapporteur:description": descriptions,
    }


def _schema(table: Table) -> dict:
    numeric = _numeric(table)
    fields = [_field("row", "string", "row")]
    fields += [_field(f"row_label_{lang}", "string", "row_label", language=lang)
               for lang in LABEL_LANGUAGES]  # fmt: skip
    fields.append(_field("column", "string", "column"))
    fields += [_field(f"column_label_{lang}", "string", "column_label", language=lang)
               for lang in LABEL_LANGUAGES]  # fmt: skip
    fields.append(_field("value", "number" if numeric else "string", "value"))
    if not numeric:
        fields += [_field(f"value_label_{lang}", "string", "value_label", language=lang)
                   for lang in LABEL_LANGUAGES]  # fmt: skip
    flag = _field(MARKS_FIELD, "string", "flag")
    flag["constraints"] = {"pattern": "c|x|<[0-9]+"}
    fields.append(flag)
    for item in fields:
        if item["name"] in ("row", "column"):
            item["constraints"] = {"required": True}
    schema: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["row", "column"],
    }
    if table.rows_by in ("region", "kind"):
        resource = "regions" if table.rows_by == "region" else "agency_kinds"
        schema["foreignKeys"] = [
            {"fields": "row", "reference": {"resource": resource, "fields": "code"}}
        ]
    return schema


def _resource(name: str, titles: dict, descriptions: dict | None, schema: dict) -> dict:
    """A CSV of the package, titled (and described) in Spanish and in both languages."""
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": titles["es"],
        "rapporteur:title": titles,
        "schema": schema,
    }
    if descriptions:
        resource["description"] = descriptions["es"]
        resource["rapporteur:description"] = descriptions
    return resource


def _code_list(name: str, key: str) -> dict:
    schema = {
        "fields": [
            {"name": "code", "type": "string", "constraints": {"required": True}},
            *({"name": f"label_{lang}", "type": "string"} for lang in LABEL_LANGUAGES),
        ],
        "missingValues": [""],
        "primaryKey": ["code"],
    }
    return _resource(name, _said(f"datapackage.{key}"), None, schema)


def _descriptor(summary: Summary, tables: dict[str, Table], record) -> dict:
    title = {lang: summary.heading.render(lang) for lang in LABEL_LANGUAGES}
    description = _said("datapackage.description")
    resources_ = []
    for table in tables.values():
        titles = {lang: table.title[lang] for lang in LABEL_LANGUAGES}
        notes = {lang: " ".join(note.render(lang) for note in table.notes)
                 for lang in LABEL_LANGUAGES}  # fmt: skip
        resources_.append(_resource(_name(table.id), titles, notes, _schema(table)))
    resources_.append(_code_list("regions", "regions"))
    resources_.append(_code_list("agency_kinds", "agency_kinds"))
    return {
        "profile": "tabular-data-package",
        "name": f"rapporteur-{summary.round}",
        "title": title["es"],
        "description": description["es"],
        "rapporteur:title": title,
        "rapporteur:description": description,
        "version": "1.0.0",
        "created": _created(),
        "rapporteur:round": str(summary.round),
        "rapporteur:period": record.period.code if record.period else None,
        "resources": resources_,
    }


def _created() -> str:
    import datetime

    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def _replaceable(folder: Path) -> bool:
    """An empty folder, or an earlier data package (CSV files and its datapackage.json):
    never a folder of the user's other files, which replacing it would delete."""
    names = list(folder.iterdir())
    if not names:
        return True
    return (folder / "datapackage.json").is_file() and all(
        entry.is_file() and entry.suffix in (".csv", ".json") for entry in names
    )


def _write_folder(folder: Path, files: dict[str, str]) -> None:
    """Every file of the package, or none: written in a new folder beside the old one,
    which it then replaces."""
    import shutil
    import tempfile

    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        staging.chmod(0o755)  # mkdtemp's folder is private; a package is for reading
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        staging.rename(folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
