"""Filling a questionnaire at its defined names, as a clerk or an agency's system would.

Used to build the example office's returns and by agencies that automate their reply:
choices are written as the labels the clerk picks in the workbook's language, multiple
choices as an X in each chosen option, dates as dates.
"""

import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from rapporteur.definition import load_definition
from rapporteur.workbook.reader import read_metadata
from rapporteur.workbook.writer import MARK, choice_labels


def fill_questionnaire(issued: Path, value: dict[str, Any], filled: Path) -> None:
    workbook = load_workbook(issued)
    found = read_metadata(workbook)
    if found is None:
        raise ValueError(f"{issued} is not a questionnaire")
    metadata, _ = found
    definition = load_definition(metadata.version)
    language = metadata.language

    def write(name: str, offset: int, cell_value: Any) -> None:
        ((sheet_title, reference),) = workbook.defined_names[name].destinations
        min_col, min_row, _, _ = range_boundaries(reference.replace("$", ""))
        workbook[sheet_title].cell(min_row + offset, min_col).value = cell_value

    for item in definition.inputs(metadata.kind):
        location = item.location
        if "*" in location:
            star = location.index("*")
            rows = _get(value, location[:star]) or []
            for offset, row in enumerate(rows):
                cell_value = _get(row, location[star + 1 :][:1])
                if item.type == "mark":
                    cell_value = MARK if cell_value and location[-1] in cell_value else None
                elif cell_value is not None:
                    cell_value = _shown(definition, item, cell_value, language)
                if cell_value is not None:
                    write(item.name, offset, cell_value)
            continue
        if item.type == "mark":
            chosen = value.get(location[0]) or []
            if location[1] in chosen:
                write(item.name, 0, MARK)
            continue
        cell_value = _get(value, location)
        if cell_value is not None:
            write(item.name, 0, _shown(definition, item, cell_value, language))
    workbook.save(filled)


def _get(value: Any, location: tuple[str, ...]) -> Any:
    for key in location:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _shown(definition, item, value: Any, language: str) -> Any:
    if item.type == "choice":
        return choice_labels(definition, item.codelist, language).get(value, value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value
