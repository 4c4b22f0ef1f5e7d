"""`rapporteur export`: the published tables as a Frictionless Data Package, checked by
frictionless itself, and the national figures as SDMX-CSV for Eurostat, checked against
the summary."""

import csv
import json

import pytest
from typer.testing import CliRunner

from rapporteur.cli import app
from rapporteur.exports import citizenship_group


def invoke(office, *args):
    return CliRunner().invoke(app, ["-w", str(office), *map(str, args)])


def said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def package(demo, tmp_path_factory):
    office, _ = demo
    folder = tmp_path_factory.mktemp("export") / "new" / "datos-2018-06"
    result = invoke(office, "export", "--round", "2018-06", "--format", "datapackage",
                    "-o", folder)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Paquete de datos de la ronda 2018-06 escrito en {folder}" in said(result)
    return folder


@pytest.fixture(scope="module")
def published(demo):
    office, _ = demo
    found = {}
    for option in ("--by-region", "--by-kind"):
        result = invoke(office, "summary", "--round", "2018-06", "--publish", option,
                        "--format", "json")  # fmt: skip
        assert result.exit_code == 0, result.output
        for table in json.loads(result.stdout)["tables"]:
            found.setdefault(table["id"], table)
    return found


def test_the_data_package_is_valid_for_frictionless(package):
    from frictionless import Package, validate

    report = validate(package / "datapackage.json")

    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    descriptor = Package(package / "datapackage.json")
    names = [resource.name for resource in descriptor.resources]
    assert {"headline", "regions", "agency_kinds", "s1_detection_by_region"} <= set(names)
    assert len(names) > 100


def test_every_table_holds_the_published_figures_and_marks(package, published):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {resource["name"]: resource for resource in descriptor["resources"]}
    checked = marks = 0
    for table_id, table in published.items():
        resource = by_name[table_id.lower()]
        rows = list(csv.DictReader((package / resource["path"]).open(encoding="utf-8")))
        cells = {(row["row"], row["column"]): row for row in rows}
        for row in table["rows"]:
            for key, value in row["values"].items():
                if key == "completeness":
                    assert (row["key"], key) not in cells  # coverage, not a figure
                    continue
                cell = cells[(row["key"], key)]
                if isinstance(value, str) and (value in ("c", "x") or value.startswith("<")):
                    assert (cell["value"], cell["flag"]) == ("", value)
                    marks += 1
                elif isinstance(value, int | float):
                    assert float(cell["value"]) == value and cell["flag"] == ""
                else:
                    assert cell["value"] == value
                checked += 1
        assert len(cells) == len(rows)  # one row per figure
    assert checked > 1000 and marks > 10


def test_the_descriptor_says_everything_in_spanish_and_english(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"] == "Resumen de la ronda 2018-06 (año 2017, cifras definitivas)"
    assert descriptor["rapporteur:title"]["en"].startswith("Summary of round 2018-06")
    resource = next(r for r in descriptor["resources"] if r["name"] == "s1_detection_by_region")
    assert resource["rapporteur:title"]["en"] and resource["rapporteur:title"]["es"]
    schema = resource["schema"]
    assert schema["missingValues"] == [""]
    assert schema["primaryKey"] == ["row", "column"]
    assert schema["foreignKeys"] == [
        {"fields": "row", "reference": {"resource": "regions", "fields": "code"}}
    ]
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["value"]["type"] == "number"
    assert fields["row_label_en"]["rapporteur:title"] == {"es": "Fila (en)", "en": "Row (en)"}
    assert all(field["description"] for field in schema["fields"])
    regions = list(csv.DictReader((package / "regions.csv").open(encoding="utf-8")))
    assert len(regions) == 21  # 19 regions, the national bodies, the total
    assert {"ES", "TOTAL", "ES-CE", "ES-ML"} <= {row["code"] for row in regions}


def test_exporting_again_replaces_the_package_and_never_a_folder_of_other_files(
    demo, package, tmp_path
):
    office, _ = demo
    again = invoke(office, "export", "--round", "2018-06", "--format", "datapackage", "-o", package)
    assert again.exit_code == 0, again.output
    assert not [p for p in package.parent.iterdir() if p.name.startswith(".")]

    documents = tmp_path / "Documentos"
    documents.mkdir()
    (documents / "carta.odt").write_text("mine", encoding="utf-8")
    refused = invoke(office, "export", "--round", "2018-06", "--format", "datapackage",
                     "-o", documents)  # fmt: skip
    assert refused.exit_code == 2
    assert "contiene otros archivos" in said(refused)
    assert [p.name for p in documents.iterdir()] == ["carta.odt"]


@pytest.fixture(scope="module")
def eurostat(demo, tmp_path_factory):
    office, _ = demo
    path = tmp_path_factory.mktemp("eurostat") / "sub" / "eurostat-2017.csv"
    result = invoke(office, "export", "--round", "2018-06", "--format", "eurostat", "-o", path)
    assert result.exit_code == 0, result.output
    assert "Cifras para Eurostat de la ronda 2018-06 (año 2017, cifras definitivas)" in said(result)
    return list(csv.DictReader(path.open(encoding="utf-8")))


def figure(rows, status, sex="TOTAL", age="TOTAL", citizen="TOTAL", exploit="TOTAL"):
    found = [
        row for row in rows
        if (row["LEG_STAT"], row["SEX"], row["AGE"], row["CITIZEN"], row["EXPLOIT"])
        == (status, sex, age, citizen, exploit)
    ]  # fmt: skip
    assert len(found) <= 1
    return int(found[0]["OBS_VALUE"]) if found else None


def test_the_eurostat_totals_equal_the_summarys(eurostat, published):
    headline = {row["key"]: row["values"]["TOTAL"] for row in published["headline"]["rows"]}
    assert {row["TIME_PERIOD"] for row in eurostat} == {"2017"}
    assert {row["GEO"] for row in eurostat} == {"ES"}
    assert {row["LEG_STAT"] for row in eurostat} == {"VICT", "SUSP", "PROS", "CONV"}
    # Registered victims are the identified and the presumed, both as CITCO gives them.
    victims = (
        headline["s1_identified_victims_thb:CITCO"] + headline["s1_presumed_victims_thb:CITCO"]
    )
    assert figure(eurostat, "VICT") == victims
    assert figure(eurostat, "SUSP") == headline["s1_suspects:CITCO"]
    assert figure(eurostat, "PROS") == headline["s1_persons_prosecuted:FISC"]
    assert figure(eurostat, "CONV") == headline["s1_persons_convicted:FISC"]


def test_every_breakdown_adds_up_to_its_total(eurostat):
    dimensions = {
        "sex": ("F", "M", "UNK"),
        "age": ("Y_LT18", "Y_GE18", "UNK"),
        "citizen": ("NAT", "EU27_2020_FOR", "NEU27_2020_FOR", "UNK"),
        "exploit": ("SEX_EXP", "LAB_EXP", "OTH_EXP", "UNK"),
    }
    checked = 0
    for status in ("VICT", "SUSP", "PROS", "CONV"):
        total = figure(eurostat, status)
        for dimension, codes in dimensions.items():
            parts = [figure(eurostat, status, **{dimension: code}) for code in codes]
            if any(part is not None for part in parts):
                assert sum(part or 0 for part in parts) == total, (status, dimension)
                checked += 1
    assert checked >= 10
    # Victims by sex and age, crossed, add up to each sex.
    for sex in ("F", "M", "UNK"):
        ages = [figure(eurostat, "VICT", sex=sex, age=age) for age in dimensions["age"]]
        assert sum(ages) == figure(eurostat, "VICT", sex=sex)
    # Identified victims who were minors (the headline's CITCO figure) are in Y_LT18.
    assert figure(eurostat, "VICT", age="Y_LT18") >= 17


def test_small_figures_go_to_eurostat_marked_confidential(eurostat):
    for row in eurostat:
        value = int(row["OBS_VALUE"])
        assert row["CONF_STATUS"] == ("C" if 0 < value < 5 else "F")
    assert any(row["CONF_STATUS"] == "C" for row in eurostat)


def test_citizenship_groups_use_eurostats_country_codes():
    assert citizenship_group("ES") == "reporting"
    assert citizenship_group("GR") == "eu"  # Eurostat's EL
    assert citizenship_group("RO") == "eu"
    assert citizenship_group("GB") == "non_eu"  # Eurostat's UK, outside the EU since 2020
    assert citizenship_group("NG") == "non_eu"
    assert citizenship_group("XX") == "non_eu"  # stateless
    assert citizenship_group("ZZ") == "unknown"


@pytest.mark.parametrize(
    ("round_", "expected"),
    [
        ("2018-12", "La ronda 2018-12 informa del primer semestre de 2018"),
        ("2017-06", "La ronda 2017-06 contiene una serie histórica de varios años"),
    ],
)
def test_a_half_year_or_a_several_year_series_is_not_sent_to_eurostat(
    demo, tmp_path, round_, expected
):
    office, _ = demo
    path = tmp_path / "eurostat.csv"

    result = invoke(office, "export", "--round", round_, "--format", "eurostat", "-o", path)

    assert result.exit_code == 1
    assert expected in said(result)
    assert "Traceback" not in result.output
    assert not path.exists()


def test_a_round_without_returns_exports_nothing(workspace, run, tmp_path):
    assert run("-w", workspace, "issue", "--round", "2019-06", "--deadline",
               "2099-01-31").exit_code == 0  # fmt: skip
    for output_format, target in (("datapackage", tmp_path / "pkg"),
                                  ("eurostat", tmp_path / "e.csv")):  # fmt: skip
        result = run("-w", workspace, "export", "--format", output_format, "-o", target)
        assert result.exit_code == 1, result.output
        assert "La ronda 2019-06 aún no tiene respuestas" in said(result)
        assert not target.exists()


@pytest.fixture
def citco_2019(workspace, run, tmp_path):
    """A June round (2019-06, the year 2018) with CITCO's return, complete, collected."""
    from returns import filled

    assert run("-w", workspace, "issue", "--round", "2019-06", "--deadline", "2099-01-31",
               "--agency", "citco").exit_code == 0  # fmt: skip
    path = filled(workspace, "citco", "CITCO", tmp_path / "returns", round_="2019-06")
    assert run("-w", workspace, "collect", path).exit_code == 0
    return path


def exported(workspace, run, tmp_path) -> list[dict]:
    output = tmp_path / "eurostat.csv"
    result = run("-w", workspace, "export", "--format", "eurostat", "-o", output)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(output.open(encoding="utf-8")))


def corrected(workspace, run, path, change) -> None:
    """The return corrected as a clerk would, and collected again."""
    import openpyxl
    from returns import cell_at

    workbook = openpyxl.load_workbook(path)
    change(lambda name: cell_at(workbook, name))
    workbook.save(path)
    result = run("-w", workspace, "collect", path)
    assert result.exit_code == 0, result.output


AGES = "s1_identified_victims_thb__sex_age__{sex}__{age}"


def test_a_breakdown_that_leaves_someone_out_gives_no_figure_to_eurostat(
    workspace, run, tmp_path, citco_2019
):
    """A blank cell in the identified victims' ages: Eurostat gets no age of registered
    victims (it would be short), and still gets what the other breakdowns give in full."""
    complete = exported(workspace, run, tmp_path)
    assert figure(complete, "VICT", age="Y_LT18") is not None

    def blank(cell):
        cell(AGES.format(sex="F", age="Y18_25")).value = None

    corrected(workspace, run, citco_2019, blank)
    short = exported(workspace, run, tmp_path)

    assert not [row for row in short if row["LEG_STAT"] == "VICT" and row["AGE"] != "TOTAL"]
    assert figure(short, "VICT") == figure(complete, "VICT")
    assert figure(short, "VICT", sex="F") == figure(complete, "VICT", sex="F")  # by form


def test_two_breakdowns_at_odds_give_no_figure_of_what_they_disagree_on(
    workspace, run, tmp_path, citco_2019
):
    """The ages counting one woman as a man, the forms of exploitation not: both add up,
    so the return is accepted, but which sex is right cannot be told. Eurostat gets the
    ages, not the sexes."""
    complete = exported(workspace, run, tmp_path)

    def moved(cell):
        # Within one band, so that the minors still agree between the two breakdowns.
        bands = ("Y0_11", "Y12_15", "Y16_17", "Y18_25", "Y26_35", "Y36_45", "Y_GE46", "UNK")
        age = next(age for age in bands if cell(AGES.format(sex="F", age=age)).value)
        cell(AGES.format(sex="F", age=age)).value -= 1
        man = cell(AGES.format(sex="M", age=age))
        man.value = (man.value or 0) + 1

    corrected(workspace, run, citco_2019, moved)
    odds = exported(workspace, run, tmp_path)

    assert figure(odds, "VICT") == figure(complete, "VICT")
    assert figure(odds, "VICT", age="Y_LT18") == figure(complete, "VICT", age="Y_LT18")
    assert figure(odds, "VICT", sex="F") is None and figure(odds, "VICT", sex="M") is None
    assert figure(complete, "VICT", sex="F") is not None


def test_the_export_says_the_period_in_the_workspaces_language(english_workspace, run, tmp_path):
    from returns import filled

    assert run("-w", english_workspace, "issue", "--round", "2019-06", "--deadline",
               "2099-01-31", "--agency", "citco").exit_code == 0  # fmt: skip
    path = filled(english_workspace, "citco", "CITCO", tmp_path / "returns", round_="2019-06")
    assert run("-w", english_workspace, "collect", path).exit_code == 0

    result = run("-w", english_workspace, "export", "--format", "eurostat",
                 "-o", tmp_path / "e.csv")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Eurostat figures of round 2019-06 (year 2018, final figures)" in said(result)
