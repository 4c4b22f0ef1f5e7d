"""An agency that asked for Catalan gets its questionnaire, its feedback and its reminder in
Catalan, while the office keeps working in the workspace's language."""

import email
import email.policy

import openpyxl
from plausible import plausible_return
from returns import DEFINITION, set_cells

from rapporteur.workbook.filling import fill_questionnaire

ROUND = "2018-12"


def catalan_office(workspace, run):
    registry = workspace / "agencies.toml"
    text = registry.read_text(encoding="utf-8")
    entry = text.index('id = "mossos"')
    end = text.index("[[agency]]", entry)
    registry.write_text(
        text[:entry] + text[entry:end].replace('language = "es"', 'language = "ca"') + text[end:],
        encoding="utf-8",
    )
    agencies = ("mossos", "ertzaintza")
    arguments = [item for agency in agencies for item in ("--agency", agency)]
    result = run("-w", workspace, "issue", "--round", ROUND, "--deadline", "2099-01-31", *arguments)
    assert result.exit_code == 0, result.output
    return workspace


def test_a_catalan_agency_gets_a_catalan_questionnaire(workspace, run):
    office = catalan_office(workspace, run)
    workbook = openpyxl.load_workbook(office / "issued" / ROUND / "mossos.xlsx")
    assert workbook.sheetnames[:4] == ["Portada", "Dades", "1 Tendències", "1 Països de captació"]
    cover = [cell for row in workbook["Portada"].iter_rows(values_only=True) for cell in row]
    assert "Com cal emplenar aquest qüestionari" in cover
    assert "Qüestionari semestral del Relator Nacional sobre tràfic d'éssers humans" in cover
    trends = [c for row in workbook["1 Tendències"].iter_rows(values_only=True) for c in row]
    wanted = "Víctimes de tràfic identificades formalment"
    assert any(str(text).startswith(wanted) for text in trends)
    prompts = {v.prompt for v in workbook["1 Tendències"].data_validations.dataValidation}
    wanted = "Nombre enter de persones: 0 si no n'hi va haver cap; en blanc si no ho sabeu."
    assert wanted in prompts
    errors = {v.error for v in workbook["1 Tendències"].data_validations.dataValidation}
    assert any(text and text.startswith("Escriviu un nombre enter") for text in errors)
    # The other agency of the same round keeps the office's Spanish.
    spanish = openpyxl.load_workbook(office / "issued" / ROUND / "ertzaintza.xlsx")
    assert spanish.sheetnames[:3] == ["Portada", "Datos", "1 Tendencias"]


def test_a_catalan_return_is_read_and_its_feedback_is_in_catalan(workspace, run, tmp_path):
    office = catalan_office(workspace, run)
    value = plausible_return(DEFINITION, "LEA_REG", "ES")
    path = tmp_path / "returns" / "mossos.xlsx"
    path.parent.mkdir()
    fill_questionnaire(office / "issued" / ROUND / "mossos.xlsx", value, path)
    accepted = run("-w", office, "collect", path, "--jobs", "1", "--dry-run")
    assert accepted.exit_code == 0, accepted.output
    assert "Respuestas recogidas" in accepted.output  # the office reads its own language

    where = set_cells(path, {"s1_identified_victims_thb__total": "uns 20"})
    result = run("-w", office, "collect", path, "--jobs", "1", "--feedback")
    assert result.exit_code == 1
    assert "Se encontró el texto «uns 20»" in result.output
    feedback = openpyxl.load_workbook(office / "feedback" / ROUND / "mossos.xlsx")
    assert feedback.sheetnames[0] == "Problemes"
    listing = [r for r in feedback["Problemes"].iter_rows(min_row=5, values_only=True) if r[0]]
    sheet, cell = where["s1_identified_victims_thb__total"].split("!")
    assert listing[0][:3] == ("Error", sheet, cell)
    assert listing[0][3].startswith("Víctimes de tràfic identificades formalment")
    assert "S'ha trobat el text «uns 20»" in feedback[sheet][cell].comment.text

    drafts = tmp_path / "drafts"
    reminded = run("-w", office, "remind", "--round", ROUND, "--out", drafts)
    assert reminded.exit_code == 0, reminded.output
    draft = (drafts / "mossos.eml").read_bytes()
    mail = email.message_from_bytes(draft, policy=email.policy.default)
    assert mail["Subject"].startswith("Recordatori: qüestionari de la ronda 2018-12")
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Benvolguts responsables de Mossos d'Esquadra")
    assert "S'ha trobat el text «uns 20»" in body
    other = email.message_from_bytes(
        (drafts / "ertzaintza.eml").read_bytes(), policy=email.policy.default
    )
    assert other["Subject"].startswith("Recordatorio:")
