"""What the archive keeps of a return's life: refused files, versions that may not come
back, reverts on the office's word, and `verify` over every byte of it."""

import datetime
import tomllib

import pytest
import tomli_w
from plausible import plausible_return

from rapporteur.archive import Archive, NewReceipt, NewReturn, from_sections
from rapporteur.definition import load_definition
from rapporteur.lifecycle import return_state, round_states
from rapporteur.problems import UsageError
from rapporteur.rounds import Round
from rapporteur.workspace import open_workspace

DEFINITION = load_definition()
ROUND = Round(2018, 12)


def new_return(agency="ong-01", warnings=0, **changes):
    data = plausible_return(DEFINITION, "NGO")
    data.update(changes)
    return NewReturn(
        agency, "NGO", DEFINITION.version, data, f"{agency}.xlsx", "a" * 64, warnings=warnings
    )


def refused(agency="ong-02", decision="rejected"):
    message = {"es": "El desglose no suma.", "en": "The breakdown does not add up."}
    problem = {"code": "E2", "sheet": "1 Tendencias", "cell": "B7", "message": message}
    return NewReceipt(agency, "NGO", decision, f"{agency}.xlsx", "b" * 64, (problem,))


@pytest.fixture
def office(workspace, run):
    result = run("-w", workspace, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                 "--agency", "ong-01", "--agency", "ong-02", "--agency", "ong-03")  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


def live(archive):
    """ong-01 sends a return and a correction; ong-02 sends a file that is refused."""
    with archive.writing() as session:
        session.record_return(ROUND, new_return())
    with archive.writing() as session:
        session.record_return(ROUND, new_return(s2_svc_legal=9))
    with archive.writing() as session:
        session.record_receipt(ROUND, refused())


@pytest.fixture
def lived(office):
    live(open_workspace(office).archive())
    return office


def latest_view(office):
    return Archive(office / "archive").consolidated(ROUND)


def test_a_refused_file_is_kept_as_a_receipt_the_latest_view_names(lived):
    archive = Archive(lived / "archive")
    [receipt] = archive.receipts(ROUND, "ong-02")
    assert receipt.header["decision"] == "rejected" and receipt.header["after_version"] == 0
    assert receipt.body["problems"][0]["message"]["es"] == "El desglose no suma."
    entry = latest_view(lived).body["refused"]["ong-02"]
    assert (entry["version"], entry["sha256"]) == (1, receipt.sha256)


def test_receipts_are_chained_like_versions(lived):
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        session.record_receipt(ROUND, refused())
    first, second = archive.receipts(ROUND, "ong-02")
    assert second.header["supersedes_sha256"] == first.sha256
    assert latest_view(lived).body["refused"]["ong-02"]["version"] == 2


def test_an_older_version_sent_again_is_not_written(lived):
    archive = open_workspace(lived).archive()
    before = sorted(p.relative_to(lived).as_posix() for p in (lived / "archive").rglob("*.toml"))
    with archive.writing() as session:
        recorded = session.record_return(ROUND, new_return())
    assert (recorded.version, recorded.stale) == (None, 1)
    after = sorted(p.relative_to(lived).as_posix() for p in (lived / "archive").rglob("*.toml"))
    assert after == before
    assert archive.current_return(ROUND, "ong-01")["s2_svc_legal"] == 9


def test_a_revert_makes_a_new_version_from_an_old_one(lived):
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        recorded = session.revert(ROUND, "ong-01", to=1, by="ana")
    assert recorded.version == 3
    third = archive.return_version(ROUND, "ong-01", 3)
    assert third.header["reverted_from"] == 1 and third.header["collected_by"] == "ana"
    assert from_sections(third.body) == from_sections(
        archive.return_version(ROUND, "ong-01", 1).body
    )
    with pytest.raises(UsageError) as refused_revert, archive.writing() as session:
        session.revert(ROUND, "ong-01", to=3)
    assert refused_revert.value.render("es") == (
        "La versión 3 de ong-01 ya es la vigente: no hay nada que restablecer."
    )


def test_a_revert_keeps_the_warnings_the_old_version_was_accepted_with(office):
    archive = open_workspace(office).archive()
    with archive.writing() as session:
        session.record_return(ROUND, new_return(warnings=2))
    with archive.writing() as session:
        session.record_return(ROUND, new_return(s2_svc_legal=9))
    with archive.writing() as session:
        session.revert(ROUND, "ong-01", to=1)
    assert archive.return_version(ROUND, "ong-01", 3).header["warnings"] == 2
    state = round_states(latest_view(office).body, ["ong-01"])["ong-01"]
    assert (state.state, state.version, state.warnings) == ("warnings", 3, 2)


def test_the_state_of_each_agency_follows_the_latest_event(lived):
    view = latest_view(lived)
    states = round_states(view.body, ["ong-01", "ong-02", "ong-03"])
    assert {agency: state.state for agency, state in states.items()} == {
        "ong-01": "accepted", "ong-02": "rejected", "ong-03": "issued",
    }  # fmt: skip
    assert states["ong-01"].version == 2 and states["ong-02"].answered is False
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        session.record_receipt(ROUND, refused("ong-01"))
    states = round_states(latest_view(lived).body, ["ong-01"])
    assert states["ong-01"].state == "accepted" and states["ong-01"].refused["after_version"] == 2
    with archive.writing() as session:
        session.record_return(ROUND, new_return(s2_svc_legal=11))
    assert round_states(latest_view(lived).body, ["ong-01"])["ong-01"].refused is None


ARRIVED = datetime.datetime(2019, 1, 10, 9, 30, tzinfo=datetime.UTC)
REFUSED = datetime.datetime(2019, 1, 12, 17, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("accepted", "refusal", "expected"),
    [
        (None, None, ("issued", 0, 0, None)),
        (None, {"decision": "rejected", "after_version": 0}, ("rejected", 0, 0, REFUSED)),
        (None, {"decision": "stale", "after_version": 0}, ("rejected", 0, 0, REFUSED)),
        (None, {"decision": "empty", "after_version": 0}, ("empty", 0, 0, REFUSED)),
        (None, {"decision": "superseded", "after_version": 0}, ("superseded", 0, 0, REFUSED)),
        (
            {"version": 1, "warnings": 0},
            {"decision": "rejected", "after_version": 0},
            ("accepted", 1, 0, ARRIVED),
        ),
        ({"version": 1, "warnings": 2}, None, ("warnings", 1, 2, ARRIVED)),
        ({"version": 3}, None, ("accepted", 3, 0, ARRIVED)),  # written before warnings were kept
        (
            {"version": 2, "warnings": 0},
            {"decision": "stale", "after_version": 2},
            ("accepted", 2, 0, ARRIVED),
        ),
    ],
)
def test_states_from_versions_and_receipts(accepted, refusal, expected):
    if accepted is not None:
        accepted["received"] = ARRIVED
    if refusal is not None:
        refusal["received"] = REFUSED
    found = return_state(accepted, refusal)
    assert (found.state, found.version, found.warnings, found.received) == expected
    assert (found.refused is not None) == (
        refusal is not None and refusal["after_version"] >= (accepted or {}).get("version", 0)
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"returns": {"ong-01": {"version": 1, "warnings": 0, "received": ARRIVED}}},
        {"refused": {}},
    ],
)
def test_a_view_written_before_receipts_gives_states_too(body):
    states = round_states(body, ["ong-01", "ong-02"])
    assert states["ong-02"].state == "issued"
    assert states["ong-01"].state == ("accepted" if body.get("returns") else "issued")


# verify covers every byte ----------------------------------------------------------------


def test_verify_passes_on_an_archive_with_receipts_reverts_and_signed_views(lived, run):
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        session.revert(ROUND, "ong-01", to=1)
    assert "signature" in latest_view(lived).header
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 0, result.output


def edit_toml(path, change):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


ROUND_EDITS = {
    "deadline": lambda d: d.update(deadline=d["deadline"].replace(year=2098)),
    "period_start": lambda d: d.update(period_start=d["period_start"].replace(day=2)),
    "period_end": lambda d: d.update(period_end=d["period_end"].replace(day=29)),
    "period_code": lambda d: d.update(period_code="2018"),
    "period_status": lambda d: d.update(period_status="final"),
    "questionnaire_version": lambda d: d.update(
        questionnaire_version=d["questionnaire_version"] - 1
    ),
    "issued.kind": lambda d: d["issued"][0].update(kind="CCAA"),
    "issued.sha256": lambda d: d["issued"][0].update(sha256="0" * 64),
    "issued.file": lambda d: d["issued"][0].update(file="issued/2018-12/otro.xlsx"),
    "issued.fingerprint": lambda d: d["issued"][0].update(fingerprint="0" * 16),
    "issued.language": lambda d: d["issued"][0].update(language="en"),
    "issued.deadline": lambda d: d["issued"][0].update(deadline=d["deadline"].replace(year=2097)),
    "issued.issued_by": lambda d: d["issued"][0].update(issued_by="otra"),
    "issued.removed": lambda d: d["issued"].pop(),
}


@pytest.mark.parametrize("field", list(ROUND_EDITS))
def test_verify_finds_any_field_of_round_toml_edited_by_hand(lived, run, field):
    edit_toml(lived / "archive/2018-12/round.toml", ROUND_EDITS[field])
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 3, field
    assert "round.toml: ha cambiado desde que se escribió v" in result.output


VIEW_EDITS = {
    "header.created_by": lambda d: d["header"].update(created_by="otra"),
    "header.created": lambda d: d["header"].update(
        created=d["header"]["created"].replace(year=2017)
    ),
    "header.issued": lambda d: d["header"].update(issued=2),
    "header.returned": lambda d: d["header"].update(returned=3),
    "header.missing": lambda d: d["header"].update(missing=[]),
    "header.round_sha256": lambda d: d["header"].update(round_sha256="0" * 64),
    "header.signature": lambda d: d["header"].pop("signature"),
    "returns.kind": lambda d: d["returns"]["ong-01"].update(kind="CCAA"),
    "returns.received": lambda d: d["returns"]["ong-01"].update(
        received=d["returns"]["ong-01"]["received"].replace(year=2017)
    ),
    "returns.source_file": lambda d: d["returns"]["ong-01"].update(source_file="otro.xlsx"),
    "returns.warnings": lambda d: d["returns"]["ong-01"].update(warnings=4),
    "returns.version": lambda d: d["returns"]["ong-01"].update(version=1),
    "returns.data": lambda d: d["returns"]["ong-01"]["data"]["s2"].update(s2_svc_legal=1),
    "refused.decision": lambda d: d["refused"]["ong-02"].update(decision="empty"),
    "refused.after_version": lambda d: d["refused"]["ong-02"].update(after_version=3),
    "refused.removed": lambda d: d["refused"].pop("ong-02"),
}


@pytest.mark.parametrize("field", list(VIEW_EDITS))
def test_verify_finds_any_field_of_the_latest_view_edited_by_hand(lived, run, field):
    edit_toml(latest_view(lived).path, VIEW_EDITS[field])
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 3, field
    assert "consolidated/v4.toml" in result.output


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("returns.kind", "dice de ong-01 kind = CCAA, pero v2.toml dice NGO"),
        ("returns.received", "dice de ong-01 received = 2017"),
        (
            "returns.source_file",
            "dice de ong-01 source_file = otro.xlsx, pero v2.toml dice ong-01.xlsx",
        ),
        ("header.missing", "la lista de organismos que faltan no coincide"),
        ("refused.decision", "dice de ong-02 decision = empty, pero v1.toml dice rejected"),
    ],
)
def test_verify_names_the_field_even_of_an_archive_written_without_signatures(
    office, run, field, says
):
    live(Archive(office / "archive"))  # an archive written before views were signed
    edit_toml(latest_view(office).path, VIEW_EDITS[field])
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert says in " ".join(result.output.split())


def test_verify_finds_a_receipt_changed_or_deleted(lived, run):
    receipt = lived / "archive/2018-12/receipts/ong-02/v1.toml"
    edit_toml(receipt, lambda d: d["problems"][0].update(cell="C9"))
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 3 and "receipts/ong-02/v1.toml" in result.output
    receipt.unlink()
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 3 and "incluye la versión 1 de ong-02, que no existe" in " ".join(
        result.output.split()
    )


def test_verify_finds_an_issued_questionnaire_replaced_on_disk(lived, run):
    issued = lived / "issued/2018-12/ong-03.xlsx"
    issued.write_bytes(issued.read_bytes() + b"\0")
    result = run("-w", lived, "archive", "verify")
    assert result.exit_code == 3
    assert "el cuestionario emitido a ong-03 no es el que registra round.toml" in " ".join(
        result.output.split()
    )


def test_views_signed_after_unsigned_ones_are_checked_and_the_older_ones_pass(workspace, run):
    office = workspace  # no round issued: every view of the archive is written here
    unsigned = Archive(office / "archive")  # views written before they were signed
    with unsigned.writing() as session:
        session.record_return(ROUND, new_return())
    signing = open_workspace(office).archive()
    with signing.writing() as session:
        session.record_return(ROUND, new_return(s2_svc_legal=9))
    with signing.writing() as session:
        session.record_receipt(ROUND, refused())
    intact = run("-w", office, "archive", "verify")
    assert intact.exit_code == 0, intact.output

    second = Archive(office / "archive").consolidated_versions(ROUND)[1]
    edit_toml(second.path, lambda d: d["header"].update(created_by="otra"))
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert "consolidated/v2.toml: su firma no corresponde a su contenido" in " ".join(
        result.output.split()
    )


@pytest.mark.parametrize(
    ("edit", "lines"),
    [
        (lambda d: d["returns"]["ong-01"].update(version=1), [
            "returns/ong-01/v1.toml: su contenido ha cambiado desde que se consolidó en v4.toml.",
            "returns/ong-01/v2.toml: esta versión no figura en la última vista consolidada "
            "(v4.toml).",
        ]),
        (lambda d: d["returns"].pop("ong-01"), [
            "returns/ong-01/v2.toml: esta versión no figura en la última vista consolidada "
            "(v4.toml).",
        ]),
        (lambda d: d.pop("returns"), [
            "returns/ong-01/v2.toml: esta versión no figura en la última vista consolidada "
            "(v4.toml).",
        ]),
        (lambda d: d["returns"].update({"ong-03": d["returns"]["ong-01"]}), [
            "consolidated/v4.toml: incluye la versión 2 de ong-03, que no existe.",
        ]),
        (lambda d: d["refused"]["ong-02"].update(version=2), [
            "consolidated/v4.toml: incluye la versión 2 de ong-02, que no existe.",
            "receipts/ong-02/v1.toml: esta versión no figura en la última vista consolidada "
            "(v4.toml).",
        ]),
        (lambda d: d.pop("refused"), [
            "receipts/ong-02/v1.toml: esta versión no figura en la última vista consolidada "
            "(v4.toml).",
        ]),
        (lambda d: d["header"].update(missing=[]), [
            "consolidated/v4.toml: la lista de organismos que faltan no coincide con los "
            "cuestionarios emitidos.",
        ]),
        (lambda d: d["header"].update(issued=2), [
            "consolidated/v4.toml: la cabecera dice issued = 2, que no corresponde a su lugar "
            "en el archivo histórico.",
        ]),
        (lambda d: d["returns"]["ong-01"].update(kind="CCAA"), [
            "consolidated/v4.toml: dice de ong-01 kind = CCAA, pero v2.toml dice NGO.",
        ]),
    ],
)  # fmt: skip
def test_verify_names_the_file_and_what_is_wrong_with_it(lived, run, edit, lines):
    edit_toml(latest_view(lived).path, edit)
    result = run("-w", lived, "archive", "verify")
    said = " ".join(result.output.split())
    assert result.exit_code == 3
    for line in lines:
        assert f"{lived / 'archive' / '2018-12'}/{line}" in said, line


def test_a_view_entry_without_warnings_means_none_as_the_first_build_wrote_it(workspace, run):
    office = workspace  # no round issued: every view is unsigned, as the first build wrote them
    archive = Archive(office / "archive")
    with archive.writing() as session:
        session.record_return(ROUND, new_return())
    edit_toml(latest_view(office).path, lambda d: d["returns"]["ong-01"].pop("warnings"))
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 0, result.output


def test_the_current_version_sent_again_writes_nothing_and_says_so(lived):
    archive = open_workspace(lived).archive()
    before = sorted((lived / "archive").rglob("*.toml"))
    with archive.writing() as session:
        recorded = session.record_return(ROUND, new_return(s2_svc_legal=9))
    assert (recorded.agency, recorded.version, recorded.path, recorded.stale) == (
        "ong-01",
        None,
        None,
        None,
    )
    assert sorted((lived / "archive").rglob("*.toml")) == before


def test_any_version_older_than_the_latest_is_refused_and_named(lived):
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        third = session.record_return(ROUND, new_return(s2_svc_legal=11), by="ana")
    assert third.version == 3
    assert archive.return_version(ROUND, "ong-01", 3).header["collected_by"] == "ana"
    with archive.writing() as session:
        recorded = session.record_return(ROUND, new_return(s2_svc_legal=9))
    assert (recorded.agency, recorded.version, recorded.stale) == ("ong-01", None, 2)


def test_verify_names_the_latest_version_missing_from_the_view(lived, run):
    archive = open_workspace(lived).archive()
    with archive.writing() as session:
        session.record_return(ROUND, new_return(s2_svc_legal=11))
    view = latest_view(lived)
    edit_toml(view.path, lambda d: d["returns"].pop("ong-01"))
    said = " ".join(run("-w", lived, "archive", "verify").output.split())
    assert (
        "returns/ong-01/v3.toml: esta versión no figura en la última vista consolidada "
        f"({view.path.name})" in said
    )


def test_verify_checks_a_replaced_questionnaire_kept_in_superseded(office, run):
    again = run("-w", office, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                "--agency", "ong-01", "--force")  # fmt: skip
    assert again.exit_code == 0, again.output
    [kept] = (office / "issued" / "2018-12" / "superseded").glob("ong-01-*.xlsx")
    assert run("-w", office, "archive", "verify").exit_code == 0
    kept.write_bytes(kept.read_bytes() + b"\0")
    result = run("-w", office, "archive", "verify")
    said = " ".join(result.output.split())
    assert result.exit_code == 3
    assert f"{kept}: el cuestionario emitido a ong-01 no es el que registra round.toml" in said
