"""Issuing by stamping: each questionnaire `issue` writes (stamped from the one workbook
of its kind and language) is the questionnaire building it whole gives: the same cells,
styles, row heights, page breaks, names, validations and signature. It reads back,
collects and prints the same."""

import json
import shutil
import subprocess

import openpyxl
import pytest
from plausible import plausible_return
from returns import needs_renderers
from typer.testing import CliRunner

from rapporteur.archive import Archive
from rapporteur.cli import app
from rapporteur.definition import load_definition
from rapporteur.issuing import questionnaire_for
from rapporteur.messages import LANGUAGES
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire
from rapporteur.workbook.reader import read_questionnaire
from rapporteur.workbook.stamping import build_variant, stamp, variant_key
from rapporteur.workbook.writer import write_questionnaire
from rapporteur.workspace import open_workspace

ONE_OF_EACH_KIND = ["min-jus", "min-int", "min-emp", "min-soc", "min-ext", "dgvg",
                    "policia-nacional", "mossos", "citco", "fiscalia", "cgpj", "sem",
                    "ccaa-an", "femp", "ong-01"]  # fmt: skip
# Long enough to wrap on the cover and atop every sheet, with what XML must escape.
LONG_NAME = (
    "Fundación «Ñandú» & <Compañía> para la atención integral de víctimas de "
    "trata con fines de explotación sexual, sus hijas e hijos, en todo el territorio"
)
ROUND = Round(2018, 12)


def invoke(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def described(path):
    """Everything of a workbook a clerk or a program sees, sheet by sheet."""
    workbook = openpyxl.load_workbook(path)
    found = {
        "sheets": [(sheet.title, sheet.sheet_state) for sheet in workbook.worksheets],
        "names": sorted((name, item.attr_text) for name, item in workbook.defined_names.items()),
        "locked": workbook.security.lockStructure,
    }
    for sheet in workbook.worksheets:
        found[sheet.title] = {
            "cells": {
                cell.coordinate: (cell.value, cell.data_type, cell.style, cell.number_format,
                                  cell.font.i, cell.protection.locked)
                for row in sheet.iter_rows() for cell in row
                if cell.value is not None or cell.has_style
            },
            "heights": {row: item.height for row, item in sheet.row_dimensions.items()},
            "widths": {column: item.width for column, item in sheet.column_dimensions.items()},
            "breaks": [item.id for item in sheet.row_breaks.brk],
            "merged": sorted(str(area) for area in sheet.merged_cells.ranges),
            "validations": sorted((str(item.sqref), item.formula1, item.error)
                                  for item in sheet.data_validations.dataValidation),
            "print": (sheet.page_setup.orientation, sheet.print_title_rows, sheet.freeze_panes,
                      sheet.protection.sheet),
        }  # fmt: skip
    return found


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Round 2017-12 returned by one agency of each kind, so that 2018-12 prints last
    year's figures; ong-01 with a long name."""
    root = tmp_path_factory.mktemp("stamping")
    office = root / "office"
    assert invoke("init", office).exit_code == 0
    registry = office / "agencies.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace('"Entidad especializada 01 (de ámbito estatal)"', json.dumps(LONG_NAME), 1),
        encoding="utf-8",
    )
    agencies = [item for agency in ONE_OF_EACH_KIND for item in ("--agency", agency)]
    result = invoke("-w", office, "issue", "--round", "2017-12", "--deadline",
                        "2099-01-31", *agencies)  # fmt: skip
    assert result.exit_code == 0, result.output
    workspace = open_workspace(office)
    definition = load_definition(2)
    returns = root / "returns"
    returns.mkdir()
    for agency in workspace.registry().select(ids=ONE_OF_EACH_KIND):
        region = agency.region if agency.kind in ("CCAA", "LEA_REG") else "ES"
        value = plausible_return(definition, agency.kind, region)
        for campaign in value.get("s3_campaigns", []):  # within 2017's first half
            campaign["start"] = campaign["start"].replace(year=2017)
            campaign["end"] = campaign["end"].replace(year=2017)
        fill_questionnaire(office / "issued/2017-12" / f"{agency.id}.xlsx", value,
                           returns / f"{agency.id}.xlsx")  # fmt: skip
    result = invoke("-w", office, "collect", returns, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return office


def questionnaire_of(office, agency_id):
    """What the agency's current questionnaire of the round prints."""
    workspace = open_workspace(office)
    archive = Archive(workspace.archive_dir)
    record = archive.read_round(ROUND)
    entry = record.current_issue(agency_id)
    agency = workspace.registry().get(agency_id)
    return questionnaire_for(workspace, archive, record, agency, entry.language, entry.issue)


def built_whole(office, agency_id, target):
    """The agency's current questionnaire of the round, built whole by openpyxl."""
    write_questionnaire(questionnaire_of(office, agency_id), target, secret(office))
    return target


def secret(office):
    return open_workspace(office).secret()


def test_every_kind_and_language_stamped_is_the_questionnaire_built_whole(office, tmp_path):
    copy = tmp_path / "office"
    shutil.copytree(office, copy)
    agencies = [item for agency in ONE_OF_EACH_KIND for item in ("--agency", agency)]
    stamped_heights = {}
    for language in LANGUAGES:  # each a new issue of the same agencies: 1, 2, 3
        result = invoke("-w", copy, "issue", "--round", "2018-12", "--deadline",
                            "2099-01-31", "--lang", language, "--force", *agencies)  # fmt: skip
        assert result.exit_code == 0, result.output
        for agency in ONE_OF_EACH_KIND:
            issued = copy / "issued/2018-12" / f"{agency}.xlsx"
            whole = built_whole(copy, agency, tmp_path / f"{agency}-{language}.xlsx")
            # Stamped by the stamper itself, which never falls back to building whole.
            questionnaire = questionnaire_of(copy, agency)
            variant = build_variant(variant_key(questionnaire), secret(copy))
            content, _ = stamp(variant, questionnaire, secret(copy))
            stamped = tmp_path / f"{agency}-{language}-stamped.xlsx"
            stamped.write_bytes(content)
            expected = described(whole)
            assert described(stamped) == expected, (agency, language)
            assert described(issued) == expected, (agency, language)
            stamped_heights[(agency, language)] = expected
    # What the test stands on: last year's figures printed, a long name that needed
    # taller rows and moved page breaks, and the issue number signed.
    workbook = openpyxl.load_workbook(copy / "issued/2018-12/ong-01.xlsx")
    assert any(
        isinstance(cell.value, str) and cell.value.startswith("Ronda 2017-12: ")
        for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
    )  # fmt: skip
    assert workbook["_rapporteur"]["B8"].value == 3  # the third issue: Catalan
    long, short = stamped_heights[("ong-01", "es")], stamped_heights[("femp", "es")]
    title = next(title for title, _ in long["sheets"] if title.startswith("3 "))
    assert long[title]["heights"][2] > short[title]["heights"][2]
    moved = [title for title, _ in long["sheets"]
             if title in short and long[title]["breaks"] != short[title]["breaks"]]  # fmt: skip
    assert moved, "no page break moved: the test would not see breaks left unstamped"


def test_a_stamped_questionnaire_reads_back_and_collects_as_one_built_whole(office, tmp_path):
    copy = tmp_path / "office"
    shutil.copytree(office, copy)
    result = invoke("-w", copy, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                        "--agency", "ong-01", "--agency", "ccaa-an")  # fmt: skip
    assert result.exit_code == 0, result.output
    definition = load_definition(2)
    returns = tmp_path / "returns"
    returns.mkdir()
    for agency, kind, region in (("ong-01", "NGO", "ES"), ("ccaa-an", "CCAA", "ES-AN")):
        value = plausible_return(definition, kind, region)
        whole = built_whole(copy, agency, tmp_path / f"{agency}-whole.xlsx")
        stamped = copy / "issued/2018-12" / f"{agency}.xlsx"
        fill_questionnaire(whole, value, tmp_path / f"{agency}-whole-filled.xlsx")
        fill_questionnaire(stamped, value, returns / f"{agency}.xlsx")
        from_whole = read_questionnaire(tmp_path / f"{agency}-whole-filled.xlsx")
        from_stamped = read_questionnaire(returns / f"{agency}.xlsx")
        assert from_stamped.value == from_whole.value == value
        assert from_stamped.metadata == from_whole.metadata
        assert from_stamped.signature == from_whole.signature
        assert from_stamped.problems == from_whole.problems == []
        # The file built whole, returned, is checked against the stamped one as sent:
        # not one cell outside the inputs differs.
        result = invoke("-w", copy, "collect", tmp_path / f"{agency}-whole-filled.xlsx",
                            "--dry-run", "--format", "json", "--jobs", "1")  # fmt: skip
        assert result.exit_code == 0, result.output
        [record] = json.loads(result.stdout)
        assert (record["decision"], record["problems"]) == ("accepted", [])
    result = invoke("-w", copy, "collect", returns, "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert [(r["decision"], r["problems"]) for r in json.loads(result.stdout)] == [
        ("accepted", []),
        ("accepted", []),
    ]


@needs_renderers
def test_a_stamped_questionnaire_prints_as_one_built_whole(office, tmp_path):
    copy = tmp_path / "office"
    shutil.copytree(office, copy)
    result = invoke("-w", copy, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                        "--agency", "ong-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    files = [copy / "issued/2018-12/ong-01.xlsx",
             built_whole(copy, "ong-01", tmp_path / "ong-01-whole.xlsx")]  # fmt: skip
    texts = []
    for path in files:
        out = tmp_path / "pdf" / path.stem
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), str(path)],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
        pdf = out / f"{path.stem}.pdf"
        texts.append(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout)  # fmt: skip
    assert texts[0] == texts[1]
    assert LONG_NAME.split(",")[0] in " ".join(texts[0].split())
    assert texts[0].count("\f") > 10  # every page, the cover first
