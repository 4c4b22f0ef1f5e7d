import csv
import io
import json

import pytest
from conftest import PROJECT

from rapporteur.definition import available_versions, load_definition
from rapporteur.models import render_schema, schema_file_name

DEFINITION_TEXT = (PROJECT / "questionnaires" / "v1.toml").read_text(encoding="utf-8")


def test_fields_lists_every_input_of_a_kind_with_its_defined_name(run):
    result = run("questionnaire", "fields", "--kind", "FISC", "--format", "json")

    assert result.exit_code == 0, result.output
    inputs = json.loads(result.stdout)
    by_name = {item["name"]: item for item in inputs}
    prosecuted = by_name["s1_persons_prosecuted__total"]
    assert prosecuted["path"] == "s1_persons_prosecuted.total"
    assert prosecuted["section"] == "s1"
    assert prosecuted["type"] == "count"
    assert prosecuted["required"] == "required"
    assert prosecuted["label_es"] == "Personas acusadas"
    assert prosecuted["label_en"] == "Persons charged"
    assert by_name["s1_persons_prosecuted__citizenship_sex_lite__F"]["rows"] == 25
    assert by_name["s3_trainings__participants"]["path"] == "s3_trainings[].participants"
    assert by_name["s4_results"]["required"] == "june"
    assert not [name for name in by_name if name.startswith("s2_victims_assisted")]
    assert len(inputs) == len(load_definition().inputs("FISC"))


def test_fields_as_csv_for_programs(run):
    result = run("questionnaire", "fields", "--kind", "NGO", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"name", "path", "section", "type", "label", "required"} <= set(rows[0])
    names = {row["name"] for row in rows}
    assert "s1_outreach_contacts__total" in names
    assert "s1_outreach_contacts__approach__STREET" in names  # new in version 2
    assert "s2_resources_by_region__ES_ML__centres" in names


def test_fields_of_every_kind_say_which_kinds_are_asked(run):
    result = run("questionnaire", "fields", "--format", "json")
    inputs = {item["name"]: item for item in json.loads(result.stdout)}
    assert inputs["s3_regional_protocol_in_force"]["kinds"] == "CCAA"
    assert inputs["s1_proceedings_opened__total"]["kinds"] == "FISC"


def test_fields_as_a_table_in_the_workspace_language(english_workspace, run):
    result = run("-w", english_workspace, "questionnaire", "fields", "--kind", "MIN_EXT")
    assert result.exit_code == 0
    assert "Questionnaire v2, agencies of kind Min. Foreign Affairs" in result.output
    assert "Defined name" in result.output
    assert "s2_assisted_returns__total" in result.output
    assert "required in June" in result.output


def test_fields_of_an_unknown_kind_is_wrong_usage(run):
    result = run("questionnaire", "fields", "--kind", "CHARITY")
    assert result.exit_code == 2
    assert "Tipo de organismo desconocido «CHARITY»" in result.output


def test_fields_of_an_unknown_version_fails_clearly(run):
    result = run("questionnaire", "fields", "--version", "7")
    assert result.exit_code == 3
    assert "No existe la versión 7 del cuestionario; hay: 1" in result.output


def test_schema_export_writes_one_schema_per_kind(tmp_path, run):
    result = run("schema", "export", "--out", tmp_path / "out")

    assert result.exit_code == 0, result.output
    assert "28 esquemas JSON escritos" in result.output  # 13 kinds in v1, 15 in v2
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert len([name for name in written if name.startswith("questionnaire-v1-")]) == 13
    assert len([name for name in written if name.startswith("questionnaire-v2-")]) == 15
    v2 = json.loads((tmp_path / "out" / "questionnaire-v2-ngo.schema.json").read_text())
    assert v2["x-questionnaire-version"] == 2
    assert "s1_outreach_signs" in v2["properties"]
    assert "s1_outreach_signs_thb_or_se" not in v2["properties"]
    assert "questionnaire-v2-cgpj.schema.json" in written
    schema = json.loads((tmp_path / "out" / "questionnaire-v1-ngo.schema.json").read_text())
    assert schema["x-agency-kind"] == "NGO"
    assert "s1_outreach_contacts" in schema["properties"]
    assert "s1_suspects" not in schema["properties"]
    assert schema["additionalProperties"] is False
    contacts = schema["properties"]["s1_outreach_contacts"]
    assert contacts["title"] == "Outreach contacts made"
    assert contacts["x-label-es"] == "Contactos realizados en intervención o calle"
    assert {"type": "integer", "minimum": 0, "maximum": 1000000} in contacts["anyOf"]
    assert schema["$defs"]["DataQuality"]["enum"] == ["COMPLETE", "PARTIAL", "ESTIMATED"]
    assert "XK" in schema["$defs"]["Citizenship"]["enum"]


@pytest.mark.parametrize(
    ("version", "kind"),
    [
        (version, kind)
        for version in available_versions()
        for kind in load_definition(version).kinds
    ],
)
def test_the_committed_schemas_are_up_to_date(version, kind):
    committed = PROJECT / "schemas" / schema_file_name(version, kind)
    assert committed.is_file(), "run: rapporteur schema export"
    assert committed.read_text(encoding="utf-8") == render_schema(version, kind), (
        "schemas/ is out of date: run `rapporteur schema export`"
    )


def test_check_accepts_the_installed_definition(run):
    result = run("questionnaire", "check")
    assert result.exit_code == 0
    assert "v1: correcto; 81 campos, 31 reglas" in result.output
    assert "34 tablas del resumen" in result.output
    assert "v2: correcto; 87 campos, 33 reglas" in result.output


def broken(tmp_path, old: str, new: str, count: int = 1) -> tuple:
    assert old in DEFINITION_TEXT
    text = DEFINITION_TEXT.replace(old, new, count)
    path = tmp_path / "v9.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return lines[occurrence - 1]


def test_an_unknown_type_is_reported_at_its_line(tmp_path, run):
    header = 'id = "s1_inspections"\npart = "s1_detection"\n'
    path, text = broken(tmp_path, header + 'type = "count"', header + 'type = "integer"')
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    line = line_of(text, 'type = "integer"')
    assert (
        f"v9.toml, línea {line}: [[field]] s1_inspections: type: debe ser uno de estos valores: "
        "count, eur, pct" in result.output
    )


def test_a_duplicate_field_is_reported_at_its_line(tmp_path, run):
    path, text = broken(tmp_path, 'id = "s1_groups_dismantled"', 'id = "s1_inspections"')
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    line = line_of(text, 'id = "s1_inspections"', occurrence=2)
    assert (
        f"línea {line}: [[field]] s1_inspections: id: "
        "identificador de field repetido «s1_inspections»" in result.output
    )


def test_a_rule_naming_a_missing_field_is_reported_at_its_line(tmp_path, run):
    path, text = broken(tmp_path, 'left = ["s2_housing_places_occupied"]',
                        'left = ["s2_housing_places_taken"]')  # fmt: skip
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    line = line_of(text, "s2_housing_places_taken")
    assert f"línea {line}" in result.output
    assert "la regla nombra un campo que no existe, «s2_housing_places_taken»" in result.output


def test_a_label_missing_in_one_language_is_reported_at_its_line(tmp_path, run):
    path, text = broken(
        tmp_path,
        'label = { es = "Grupos u organizaciones criminales desarticulados", en = "Criminal '
        'groups or organisations dismantled" }',
        'label = { es = "Grupos u organizaciones criminales desarticulados" }',
    )
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    line = line_of(text, 'label = { es = "Grupos u organizaciones criminales desarticulados" }')
    assert f"línea {line}: [[field]] s1_groups_dismantled: label.en: falta." in result.output


def test_a_code_used_twice_in_a_list_is_reported_at_its_line(tmp_path, run):
    path, text = broken(tmp_path, '{ code = "M", es = "Hombre"', '{ code = "F", es = "Hombre"')
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    line = line_of(text, 'code = "F", es = "Hombre"')
    assert f"línea {line}: [[codelist]] sex: codes.1" in result.output
    assert "el código «F» aparece dos veces" in result.output


def test_a_field_naming_an_unknown_breakdown_is_reported(tmp_path, run):
    path, text = broken(tmp_path, 'breakdowns = ["form"]', 'breakdowns = ["by_form"]')
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    assert f"línea {line_of(text, 'by_form')}" in result.output
    assert "desglose desconocido «by_form»" in result.output


def test_a_definition_that_is_not_toml_is_reported_at_its_line(tmp_path, run):
    path = tmp_path / "v9.toml"
    path.write_text("format = 1\nversion = \n", encoding="utf-8")
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    assert "v9.toml, línea 2: el archivo no es TOML válido" in result.output


def test_check_of_a_missing_file_is_wrong_usage(tmp_path, run):
    result = run("questionnaire", "check", tmp_path / "nothing.toml")
    assert result.exit_code == 2
    assert "No existe el archivo" in result.output


def test_a_sheet_of_its_own_is_only_for_a_repeating_table(tmp_path, run):
    sheet = 'sheet = { es = "1 Inspecciones", en = "1 Inspections" }'
    path, text = broken(tmp_path, 'id = "s1_inspections"\n', f'id = "s1_inspections"\n{sheet}\n')
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    assert (
        f"línea {line_of(text, sheet)}: [[field]] s1_inspections: sheet: solo una tabla que se "
        "repite (una tabla con max_rows) tiene una hoja propia" in result.output
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('sheet = { es = "3 Campañas"', 'sheet = { es = "3 Campañas de sensibilización y más"',
         "«3 Campañas de sensibilización y más» no puede ser el nombre de una hoja: como máximo "
         "31 caracteres"),
        ('sheet = { es = "3 Estudios"', 'sheet = { es = "3 Formación"',
         "el nombre de hoja «3 Formación» ya está en uso"),
        ('sheet = { es = "2 Asistencia"', 'sheet = { es = "2 Asistencia?"',
         "«2 Asistencia?» no puede ser el nombre de una hoja"),
    ],
)  # fmt: skip
def test_a_sheet_name_a_spreadsheet_would_refuse_is_reported_at_its_line(
    tmp_path, run, old, new, expected
):
    path, text = broken(tmp_path, old, new)
    result = run("questionnaire", "check", path)
    assert result.exit_code == 3
    words = " ".join(result.output.split())
    # At the line changed: where a name is used twice, the later use.
    assert f"línea {line_of(text, new, occurrence=text.count(new))}:" in words
    assert expected in words
