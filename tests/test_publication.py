"""`summary --publish` and `--audit` on the demo's office, as the office would run them.

The demo's returns are calibrated on the published figures of the source paper, with the
small counts real tables have (a few boys among the victims a police force identified,
regions served by a single NGO); the attacks the issue describes were made on it.
"""

import csv
import io
import json
from collections import Counter

import openpyxl
import pytest
from typer.testing import CliRunner

from rapporteur.archive import Archive
from rapporteur.cli import app
from rapporteur.disclosure import GROUPINGS, rules_of
from rapporteur.disclosure.audit import audit
from rapporteur.disclosure.model import build_model, facts_of
from rapporteur.disclosure.publication import apply, copied, prepare
from rapporteur.disclosure.suppression import HIDDEN, SHOWN, SMALL, Protection, sensitivity
from rapporteur.summary import build_summary
from rapporteur.workspace import open_workspace

MARKS = ("<5", "<10", "c", "x")


def invoke(office, *args):
    return CliRunner().invoke(app, ["-w", str(office), *map(str, args)])


@pytest.fixture(scope="module")
def published(demo):
    """The demo's round published in each view, as JSON."""
    office, _ = demo
    found = {}
    for view, option in (
        ("region", "--by-region"),
        ("kind", "--by-kind"),
        ("agency", "--by-agency"),
    ):
        result = invoke(office, "summary", "--publish", option, "--format", "json")
        assert result.exit_code == 0, result.output
        found[view] = {table["id"]: table for table in json.loads(result.stdout)["tables"]}
    return found


@pytest.fixture(scope="module")
def audited(demo):
    office, _ = demo
    result = invoke(office, "summary", "--publish", "--audit", "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def rows(table: dict) -> dict:
    return {row["key"]: row for row in table["rows"]}


def test_the_demos_publication_passes_its_audit(audited):
    exit_code, records = audited
    assert exit_code == 0
    assert len(records) > 100
    assert all(record["ok"] for record in records)
    # Every hidden figure is left a range, never one value.
    assert all(record["high"] is None or record["low"] < record["high"] for record in records)


def finding(records, table, row, column, previous=False):
    for record in records:
        if (record["table"], record["row"], record["column"], record["previous"]) == (
            table,
            row,
            column,
            previous,
        ):
            return record
    raise AssertionError(f"{table}/{row}/{column} is not hidden")


def test_the_boy_aged_12_to_15_the_issue_recovered_is_left_anywhere_from_1_to_4(audited):
    _, records = audited
    for table, row, column in (
        ("s1_identified_victims_thb_LEA_STATE_sex_age", "Y12_15", "M"),
        ("s1_identified_victims_thb_CITCO_sex_age", "Y16_17", "M"),
    ):
        record = finding(records, table, row, column)
        assert record["shown"] == "<5"
        assert record["low"] <= 1 and record["high"] >= 4, record


def test_no_region_prints_the_figure_of_its_only_ngo(demo, published):
    office, _ = demo
    registry = open_workspace(office).registry()
    ngos = Counter(agency.region for agency in registry if agency.kind == "NGO")
    alone = {region for region, count in ngos.items() if count == 1 and region != "ES"}
    assert alone
    checked = 0
    for table_id in [t for t in published["region"] if t.endswith("_by_region")]:
        for key, row in rows(published["region"][table_id]).items():
            for column, value in row["values"].items():
                if column.endswith(":NGO") and key in alone and value not in (None, 0):
                    assert value in MARKS, (table_id, key, column, value)
                    checked += 1
    assert checked > 10


def test_the_same_figure_reads_the_same_in_every_view(published):
    # A kind of agency's national figure is the kind's row in the view by kind and the
    # total row of the views by region and by agency.
    compared = 0
    indicators = [t.removesuffix("_by_kind") for t in published["kind"] if t.endswith("_by_kind")]
    assert len(indicators) >= 8
    for table in indicators:
        by_kind = rows(published["kind"][f"{table}_by_kind"])
        for view in ("region", "agency"):
            total = rows(published[view][f"{table}_by_{view}"])["TOTAL"]
            for column, value in total["values"].items():
                if column == "completeness":
                    continue
                kind = column.split(":")[1]
                assert by_kind[kind]["values"][column] == value, (view, column)
                assert (by_kind[kind]["previous"] or {}).get(column) == (
                    total["previous"] or {}
                ).get(column)
                compared += 1
    assert compared > 50
    # Tables outside the views (breakdowns, the trend) are the same tables in each.
    for table_id, table in published["region"].items():
        if not table_id.endswith(("_by_region", "_by_kind", "_by_agency")):
            assert published["kind"][table_id]["rows"] == table["rows"], table_id


def test_no_ngo_has_a_row_of_its_own(published):
    by_agency = [table for table in published["agency"] if table.endswith("_by_agency")]
    assert len(by_agency) >= 8
    for table in by_agency:
        keys = rows(published["agency"][table])
        assert not [key for key in keys if key.startswith("ong-")]
    assert "ccaa-an" in rows(published["agency"]["s2_assistance_by_agency"])


def test_every_format_prints_the_same_pattern(demo, published, tmp_path):
    office, _ = demo
    expected = {
        (table_id, row["key"], column): value
        for table_id, table in published["region"].items()
        for row in table["rows"]
        for column, value in row["values"].items()
        if value in MARKS
    }
    assert len(expected) > 50

    result = invoke(office, "summary", "--publish", "--format", "csv")
    assert result.exit_code == 0
    in_csv = {
        (record["table"], record["row"], record["column"]): record["value"]
        for record in csv.DictReader(io.StringIO(result.stdout))
        if record["value"] in MARKS
    }
    assert in_csv == expected

    # Markdown and the workbook print each figure beside the previous round's: count both.
    with_previous = Counter(expected.values())
    for table in published["region"].values():
        for row in table["rows"]:
            for value in (row["previous"] or {}).values():
                if value in MARKS:
                    with_previous[value] += 1

    result = invoke(office, "summary", "--publish", "--format", "markdown")
    assert result.exit_code == 0
    in_markdown = Counter()
    for line in result.stdout.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            for cell in line.strip("|").split(" | ")[1:]:
                # "12 (10; +2)": the figure, then the previous round's and the change.
                figures = cell.strip().replace("(", "").replace(";", "").replace(")", "")
                in_markdown.update(token for token in figures.split() if token in MARKS)
    assert in_markdown == with_previous

    target = tmp_path / "publicado.xlsx"
    result = invoke(office, "summary", "--publish", "--format", "xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    in_xlsx = Counter(
        cell.value
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=4, min_col=2)
        for cell in row
        if cell.value in MARKS
    )
    assert in_xlsx == with_previous


def test_the_notes_say_which_rules_were_applied(published):
    notes = " ".join(published["region"]["s1_detection_by_region"]["notes"])
    assert "«<10»: de 1 a 9 personas." in notes
    assert "menos de 2 organismos de un tipo cuyas cifras por organismo no se publican" in notes
    assert "«c»: cifra oculta" in notes
    sex_age = " ".join(published["region"]["s1_identified_victims_thb_LEA_STATE_sex_age"]["notes"])
    assert "«<5»: de 1 a 4 personas." in sex_age


def test_the_audit_finds_what_primary_suppression_alone_gives_away(demo):
    # The pattern before any secondary suppression: every sensitive figure hidden, all
    # else printed. The attacker must find figures it recovers exactly.
    office, _ = demo
    workspace = open_workspace(office)
    archive, rules = Archive(workspace.archive_dir), rules_of(workspace.settings.publication)
    loaded: dict = {}
    views = {
        view: build_summary(
            archive, workspace.registry(), None, view, None, "default", loaded, True
        )
        for view in GROUPINGS
    }
    prepared = prepare(views, rules)
    facts = facts_of(prepared)
    model = build_model(prepared, rules, facts)
    reasons = {index: sensitivity(figure, rules) for index, figure in enumerate(model.figures)}
    states = [
        SMALL if "small" in found else HIDDEN if found else SHOWN for found in reasons.values()
    ]
    weak = {view: copied(summary) for view, summary in prepared.items()}
    apply(weak, model, Protection(states, {i: r for i, r in reasons.items() if r}), rules)
    report = audit(weak, rules, facts)
    assert not report.ok
    exact = [finding for finding in report.findings if finding.low == finding.high]
    assert len(exact) >= 10
    assert "<5" in {found.shown for found in exact}


def test_audit_needs_publish_and_a_format_it_can_print(demo):
    office, _ = demo
    assert invoke(office, "summary", "--audit").exit_code == 2
    result = invoke(office, "summary", "--publish", "--audit", "--format", "xlsx")
    assert result.exit_code == 2
    assert "tabla, json o csv" in result.output


def test_the_audit_reads_at_80_columns(demo):
    office, _ = demo
    result = CliRunner().invoke(
        app, ["-w", str(office), "summary", "--publish", "--audit"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "un lector deduce 1 … 4; se exige ≤ 1 y ≥ 4" in result.stdout
    assert "Ninguna cifra oculta puede deducirse" in result.stdout
