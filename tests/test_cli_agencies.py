import csv
import io
import json
import tomllib

import pytest


@pytest.fixture
def registry(workspace):
    return workspace / "agencies.toml"


def append(registry, block: str) -> int:
    """Append a block to the registry by hand; return the line number of its header."""
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text + "\n" + block, encoding="utf-8")
    return len(text.splitlines()) + 2


def test_list_shows_every_agency_as_json(workspace, run):
    result = run("-w", workspace, "agencies", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    agencies = json.loads(result.stdout)
    assert len(agencies) == 47
    assert {"id", "name", "kind", "region", "email", "language"} <= set(agencies[0])


def test_list_filters_by_kind_and_region(workspace, run):
    result = run("-w", workspace, "agencies", "list", "--kind", "CCAA", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 19
    assert {row["kind"] for row in rows} == {"CCAA"}

    result = run("-w", workspace, "agencies", "list", "--region", "ES-CT", "--format", "csv")
    ids = {row["id"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert ids == {"ccaa-ct", "mossos", "ong-05"}


def test_list_as_a_table_for_people(workspace, run):
    result = run("-w", workspace, "agencies", "list", "--kind", "LEA_REG")
    assert result.exit_code == 0
    assert "Organismos (3)" in result.output
    assert "Ertzaintza" in result.output


def test_people_read_names_where_programs_read_codes(workspace, run):
    table = run("-w", workspace, "agencies", "list", "--region", "ES-CT")
    row = next(line for line in table.output.splitlines() if "mossos" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert cells[2:4] == ["Policía autonómica", "Cataluña"] and cells[5] == "español"
    assert "LEA_REG" not in table.output and "ES-CT" not in table.output

    listed = run("-w", workspace, "agencies", "list", "--region", "ES-CT", "--format", "csv")
    mossos = next(r for r in csv.DictReader(io.StringIO(listed.stdout)) if r["id"] == "mossos")
    assert (mossos["kind"], mossos["kind_label"]) == ("LEA_REG", "Policía autonómica")
    assert (mossos["region"], mossos["region_label"]) == ("ES-CT", "Cataluña")
    assert (mossos["language"], mossos["language_label"]) == ("es", "español")
    national = run("-w", workspace, "agencies", "list", "--kind", "FISC", "--format", "json")
    [fiscalia] = json.loads(national.stdout)
    assert fiscalia["region"] == "ES" and fiscalia["region_label"] == "Ámbito nacional"


TYPED_KINDS = [
    "NGO",
    "ong",
    "ONG",
    "Organización no gubernamental",
    "organizacion no gubernamental",
    "Organització no governamental",
]


@pytest.mark.parametrize("typed", TYPED_KINDS)
def test_a_kind_is_typed_by_its_code_or_its_names_in_any_language(workspace, run, typed):
    result = run("-w", workspace, "agencies", "list", "--kind", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {agency["kind"] for agency in json.loads(result.stdout)} == {"NGO"}


def test_an_unknown_kind_is_answered_with_the_kinds_as_people_know_them(workspace, run):
    result = run("-w", workspace, "agencies", "list", "--kind", "charity")
    assert result.exit_code == 2
    assert "Tipo de organismo desconocido «charity»" in result.output
    assert "NGO (ONG)" in result.output and "LEA_STATE (FCSE)" in result.output


def test_an_agency_added_by_the_short_name_of_its_kind_is_stored_with_the_code(
    registry, workspace, run
):
    result = run(
        "-w", workspace, "agencies", "add", "ong-13", "--name", "Fundació Exemple",
        "--kind", "ONG", "--region", "ES-CT", "--email", "trafic@fundacio.example.org",
        "--language", "ca",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    added = [a for a in tomllib.loads(registry.read_text("utf-8"))["agency"] if a["id"] == "ong-13"]
    assert added[0]["kind"] == "NGO" and added[0]["language"] == "ca"


def test_add_appends_a_checked_agency_and_keeps_comments(registry, workspace, run):
    before = registry.read_text(encoding="utf-8")

    result = run(
        "-w", workspace, "agencies", "add", "ong-13",
        "--name", "Fundación Ejemplo", "--kind", "NGO", "--region", "ES-AN",
        "--email", "trata@fundacion.example.org",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Añadido al registro: ong-13" in result.output
    after = registry.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    added = [a for a in tomllib.loads(after)["agency"] if a["id"] == "ong-13"]
    assert added == [
        {
            "id": "ong-13",
            "name": "Fundación Ejemplo",
            "kind": "NGO",
            "region": "ES-AN",
            "email": "trata@fundacion.example.org",
            "language": "es",
        }
    ]


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--kind", "CHARITY", "tipo de organismo desconocido «CHARITY»"),
        ("--region", "ES-XX", "código de región «ES-XX» no válido"),
        ("--email", "trata-at-ong.org", "«trata-at-ong.org» no es una dirección de correo"),
        ("--language", "fr", "idioma «fr» no admitido"),
    ],
)
def test_add_refuses_a_bad_agency_and_leaves_the_file_alone(
    registry, workspace, run, option, value, expected
):
    before = registry.read_bytes()
    values = {"--name": "X", "--kind": "NGO", "--region": "ES-AN", "--email": "a@b.org"}
    values[option] = value
    arguments = [item for pair in values.items() for item in pair]
    if option == "--language":
        arguments += ["--language", value]

    result = run("-w", workspace, "agencies", "add", "ong-99", *arguments)

    assert result.exit_code == 2
    assert "No se ha añadido el organismo «ong-99»" in result.output
    assert expected in result.output
    assert registry.read_bytes() == before


def test_add_refuses_a_duplicate_id(registry, workspace, run):
    before = registry.read_bytes()
    result = run(
        "-w", workspace, "agencies", "add", "ong-01",
        "--name", "Otra", "--kind", "NGO", "--region", "ES", "--email", "x@y.org",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "el identificador «ong-01» ya se usa en la línea" in result.output
    assert registry.read_bytes() == before


def test_remove_deletes_only_that_agency(registry, workspace, run):
    before = tomllib.loads(registry.read_text(encoding="utf-8"))["agency"]

    result = run("-w", workspace, "agencies", "remove", "ong-12")

    assert result.exit_code == 0, result.output
    assert "Retirado del registro: ong-12" in result.output
    after = tomllib.loads(registry.read_text(encoding="utf-8"))["agency"]
    assert after == [agency for agency in before if agency["id"] != "ong-12"]
    assert "# ONG especializadas" in registry.read_text(encoding="utf-8")


def test_remove_keeps_the_comment_heading_the_next_agencies(registry, workspace, run):
    run("-w", workspace, "agencies", "remove", "fiscalia")
    text = registry.read_text(encoding="utf-8")
    assert "# Las 17 comunidades autónomas" in text
    assert "fiscalia" not in text


def test_remove_an_unknown_agency_is_wrong_usage(registry, workspace, run):
    before = registry.read_bytes()
    result = run("-w", workspace, "agencies", "remove", "nobody")
    assert result.exit_code == 2
    assert "No hay ningún organismo con el identificador «nobody»" in result.output
    assert registry.read_bytes() == before


def test_check_passes_on_the_initial_registry(workspace, run):
    result = run("-w", workspace, "agencies", "check")
    assert result.exit_code == 0
    assert "47 organismos, sin errores" in result.output


def test_check_reports_every_problem_with_its_line(registry, workspace, run):
    duplicate = append(
        registry,
        '[[agency]]\nid = "ong-01"\nname = "Dup"\nkind = "NGO"\nregion = "ES"\n'
        'email = "dup@example.org"\n',
    )
    unknown_kind = append(
        registry,
        '[[agency]]\nid = "x-1"\nname = "X"\nkind = "CHARITY"\nregion = "ES"\n'
        'email = "x@example.org"\n',
    )
    bad_region = append(
        registry,
        '[[agency]]\nid = "x-2"\nname = "X"\nkind = "NGO"\nregion = "ES-ZZ"\n'
        'email = "x@example.org"\n',
    )
    bad_email = append(
        registry,
        '[[agency]]\nid = "x-3"\nname = "X"\nkind = "NGO"\nregion = "ES"\nemail = "nobody"\n',
    )
    regional_without_region = append(
        registry,
        '[[agency]]\nid = "x-4"\nname = "X"\nkind = "CCAA"\nregion = "ES"\n'
        'email = "x@example.org"\nfax = "1"\n',
    )

    result = run("-w", workspace, "agencies", "check")

    assert result.exit_code == 3
    output = result.output
    assert "tiene 6 errores" in output
    assert f"línea {duplicate + 1}: el identificador «ong-01» ya se usa en la línea" in output
    assert f"línea {unknown_kind + 3}: tipo de organismo desconocido «CHARITY»" in output
    assert f"línea {bad_region + 4}: código de región «ES-ZZ» no válido" in output
    assert f"línea {bad_email + 5}: «nobody» no es una dirección de correo" in output
    assert f"línea {regional_without_region + 4}: un organismo de tipo CCAA" in output
    assert f"línea {regional_without_region + 6}: clave desconocida «fax»" in output


def test_check_reports_a_missing_key_and_a_bad_id(registry, workspace, run):
    header = append(registry, '[[agency]]\nid = "Ong 7"\nname = "X"\nkind = "NGO"\n')
    result = run("-w", workspace, "agencies", "check")
    assert result.exit_code == 3
    assert f"línea {header + 1}: el identificador «Ong 7» no es válido" in result.output
    assert f"línea {header}: al organismo le falta «region»" in result.output
    assert f"línea {header}: al organismo le falta «email»" in result.output


def test_a_broken_registry_stops_other_commands_too(registry, workspace, run):
    append(registry, '[[agency]]\nid = "x"\n')
    result = run("-w", workspace, "agencies", "list")
    assert result.exit_code == 3
    assert "El registro de organismos" in result.output


def test_check_in_english(registry, english_workspace, run):
    append(
        registry,
        '[[agency]]\nid = "x-1"\nname = "X"\nkind = "CHARITY"\nregion = "ES"\n'
        'email = "x@example.org"\n',
    )
    result = run("-w", english_workspace, "agencies", "check")
    assert "unknown kind of agency 'CHARITY'" in result.output
    assert "The agency registry" in result.output
