"""Property: whatever a clerk types into any input cells, collect either archives exactly
what the file says, or rejects it pointing at a cell. It never crashes, and never
archives a value different from the file's.

The expected archived value of a cell is worked out here from the cell alone, by the
rules the office is told (whole numbers for counts, a choice by its label, X for a mark,
blank for unknown, text without its surrounding spaces), independently of the reader.
"""

import copy
import datetime
import io
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from plausible import plausible_return
from returns import DEFINITION, cell_at, filled
from typer.testing import CliRunner

from rapporteur.archive import Archive
from rapporteur.cli import app
from rapporteur.collecting import collect
from rapporteur.rounds import Round
from rapporteur.workbook.writer import MARK, choice_labels
from rapporteur.workspace import open_workspace

ROUND = Round(2018, 12)
AGENCY, KIND = "ong-01", "NGO"
# Every input outside the tables: counts, amounts, choices, marks and free text.
INPUTS = [item for item in DEFINITION.inputs(KIND) if "*" not in item.location]
REJECTED = object()


@pytest.fixture(scope="module")
def office_and_base(tmp_path_factory):
    root = tmp_path_factory.mktemp("properties")
    office = root / "office"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(office)]).exit_code == 0
    result = runner.invoke(app, ["-w", str(office), "issue", "--round", "2018-12",
                                 "--agency", AGENCY, "--deadline", "2099-01-31"])  # fmt: skip
    assert result.exit_code == 0, result.output
    base = filled(office, AGENCY, KIND, root / "base")
    return office, base.read_bytes()


def typed_text():
    legal = st.characters(blacklist_categories=("Cs",)).filter(
        lambda char: not ILLEGAL_CHARACTERS_RE.match(char)
    )
    return st.one_of(
        st.text(legal, max_size=30),
        st.sampled_from(["X", " x ", "12", " 7 ", "12,5", "1e3", "#REF!", "#N/A", "=1+1",
                         "=SUMA(B6:B9)", "-3", "+4", "@usuario", "   ", "01/02/2018",
                         "Sí", "Evaluación interna", "contacto@organismo.es"]),
    )  # fmt: skip


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=50),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(datetime.date(1900, 3, 1), datetime.date(2100, 1, 1)),
    # A clerk types no microseconds, and a spreadsheet keeps none.
    st.datetimes(datetime.datetime(1900, 3, 1), datetime.datetime(2100, 1, 1)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
    st.times().map(lambda time: time.replace(microsecond=0)),
    typed_text(),
)
# Counts are most of the inputs but every one of them sits in a sum that a random value
# breaks, so the other inputs are drawn as often, for accepted returns to be common too.
ANY_INPUT = st.one_of(
    st.sampled_from([item for item in INPUTS if item.type != "count"]), st.sampled_from(INPUTS)
)
LABELS = [
    label
    for item in INPUTS
    if item.type == "choice"
    for label in choice_labels(DEFINITION, item.codelist, "es").values()
]
EDITS = st.dictionaries(
    ANY_INPUT, st.one_of(CELL_VALUES, st.sampled_from(LABELS)), min_size=1, max_size=4
)


def expected_value(item, typed: Any) -> Any:
    """What the archive must hold for `typed` in `item`'s cell: None for blank, REJECTED
    if no value can come from it."""
    if isinstance(typed, str):
        if typed.startswith("=") and len(typed) > 1:
            return REJECTED  # a formula without a computed value
        if typed.strip() == "":
            return None
        if typed.strip().upper() in {"#REF!", "#N/A"}:
            return REJECTED
    if typed is None:
        return None
    if isinstance(typed, bool):
        return REJECTED
    match item.type:
        case "count" | "eur":
            if isinstance(typed, (datetime.date, datetime.time)):
                return REJECTED
            if isinstance(typed, str):
                text = typed.strip().removeprefix("+")
                return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else (
                    REJECTED)  # fmt: skip
            if item.type == "count" and isinstance(typed, float):
                return int(typed) if typed.is_integer() else REJECTED
            return typed
        case "text":
            # As the clerk sees it in a Spanish spreadsheet: 15 significant digits with a
            # decimal comma, dates day first; never digits or an ISO date nobody typed.
            if isinstance(typed, datetime.datetime):
                seconds = ":%S" if typed.second else ""
                midnight = typed.time() == datetime.time(0)
                return typed.strftime("%d/%m/%Y" if midnight else f"%d/%m/%Y %H:%M{seconds}")
            if isinstance(typed, datetime.time):
                return typed.strftime("%H:%M:%S" if typed.second else "%H:%M")
            if isinstance(typed, datetime.date):
                return typed.strftime("%d/%m/%Y")
            if isinstance(typed, float):
                return f"{typed:.15G}".replace(".", ",")
            # XML reads a carriage return as a line feed, in any program.
            return str(typed).replace("\r\n", "\n").replace("\r", "\n").strip()
        case "choice":
            labels = choice_labels(DEFINITION, item.codelist, "es")
            text = unicodedata.normalize("NFC", str(typed).strip())
            if text in labels:  # a code typed by an agency's own system
                return text
            return {label: code for code, label in labels.items()}.get(text, REJECTED)
        case "mark":
            return True if str(typed).strip().upper() == MARK else REJECTED
    raise AssertionError(item.type)


def as_typed(value: Any) -> Any:
    # A spreadsheet stores dates as date-times; openpyxl reads a date back as midnight.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def apply(expected: dict, item, value: Any) -> None:
    location = item.location
    if item.type == "mark":
        chosen = set(expected.get(location[0]) or ()) - {location[1]}
        if value is True:
            chosen.add(location[1])
        if chosen:
            expected[location[0]] = chosen
        else:
            expected.pop(location[0], None)
        return
    target = expected
    for key in location[:-1]:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(location[-1], None)
    else:
        target[location[-1]] = value


def comparable(value: dict) -> dict:
    """Multiple choices as sets: the order of the marks is not the clerk's to set."""
    result = {}
    for key, item in value.items():
        if isinstance(item, dict):
            item = comparable(item)
            if not item:
                continue
        elif isinstance(item, (list, set)) and all(isinstance(code, str) for code in item):
            item = set(item)
        result[key] = item
    return result


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])  # fmt: skip
@given(edits=EDITS)
def test_collect_archives_exactly_the_file_or_rejects_at_a_cell(office_and_base, tmp_path, edits):
    prepared, base = office_and_base
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    office = folder / "office"
    shutil.copytree(prepared, office)
    workbook = openpyxl.load_workbook(io.BytesIO(base))
    for item, typed in edits.items():
        cell_at(workbook, item.name).value = typed
    path = folder / f"{AGENCY}.xlsx"
    workbook.save(path)

    report = collect(open_workspace(office), [str(path)])

    (outcome,) = report.outcomes
    event(outcome.decision)
    codes = [problem.code for problem in outcome.problems]
    assert "collect-internal-error" not in codes and "collect-damaged" not in codes, codes
    archived = Archive(office / "archive").current_return(ROUND, AGENCY)
    expectations = {item: expected_value(item, as_typed(typed)) for item, typed in edits.items()}
    if outcome.decision == "accepted":
        assert REJECTED not in expectations.values(), (edits, codes)
        expected = copy.deepcopy(plausible_return(DEFINITION, KIND))
        for item, value in expectations.items():
            apply(expected, item, value)
        assert comparable(archived) == comparable(expected)
    else:
        assert outcome.decision == "rejected"
        assert archived is None
        assert any(problem.sheet and problem.cell for problem in outcome.errors), [
            (problem.code, problem.field) for problem in outcome.errors
        ]
