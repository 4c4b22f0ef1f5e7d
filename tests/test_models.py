"""The return models derived from the definition accept plausible returns and reject each
kind of violation the reference lists, with the field path; warnings are kept apart."""

import copy
import datetime

import pytest
from plausible import PERIOD, plausible_return

from rapporteur.definition import load_definition
from rapporteur.models import Context, return_model, validate_return

DEFINITION = load_definition(1)
JUNE = Context(half="june", period_start=PERIOD[0], period_end=PERIOD[1])


def check(kind, value, context=JUNE):
    return validate_return(value, kind, 1, context)


def only(problems, code):
    found = [problem for problem in problems if problem.code == code]
    assert found, [(p.code, p.field, p.message.render("en")) for p in problems]
    return found


@pytest.fixture
def ngo():
    return plausible_return(DEFINITION, "NGO")


@pytest.fixture
def police():
    return plausible_return(DEFINITION, "LEA_STATE")


@pytest.mark.parametrize("kind", DEFINITION.kinds)
def test_a_plausible_return_is_accepted_for_every_kind(kind):
    region = "ES-AN" if kind in ("CCAA", "LEA_REG") else "ES"
    value = plausible_return(DEFINITION, kind, region)
    result = check(kind, value, Context(half="june", period_start=PERIOD[0],
                                        period_end=PERIOD[1], region=region))  # fmt: skip
    assert result.valid, [(p.code, p.field, p.message.render("en")) for p in result.errors]
    assert result.warnings == []
    assert result.value == value


def test_blank_is_unknown_and_zero_is_none(ngo):
    ngo["s2_svc_legal"] = 0
    del ngo["s2_svc_health"]
    result = check("NGO", ngo)
    assert result.value["s2_svc_legal"] == 0
    assert "s2_svc_health" not in result.value
    assert [p.field for p in only(result.warnings, "R1")] == ["s2_svc_health"]


def test_an_empty_return_is_valid_with_warnings_for_required_answers():
    result = check("FISC", {})
    assert result.valid
    fields = {problem.field for problem in result.warnings}
    assert {"s0_contact_name", "s1_persons_prosecuted.total"} <= fields
    assert "s4_results" in fields  # required in the June round


def test_december_texts_may_be_left_blank():
    result = check("FISC", {}, Context(half="december"))
    assert "s4_results" not in {problem.field for problem in result.warnings}


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("s2_svc_legal",), 100_001, "100,001 is outside the allowed range (0 to 100,000)"),
        (("s2_svc_legal",), -1, "-1 is outside the allowed range (0 to 100,000)"),
        (("s2_svc_legal",), 12.5, "A whole number was expected; found 12.5"),
        (("s2_svc_legal",), "aprox. 20", "A number was expected; found «aprox. 20»"),
        (("s2_svc_legal",), True, "A number was expected; found True"),
        (("s2_funding_eur",), 10.125, "At most two decimals were expected; found 10.125"),
        (("s0_contact_email",), "nobody", "'nobody' does not have the expected form "
                                          "(nombre@organismo.es)"),
        (("s1_trends_narrative",), "x" * 4001,
         "The text has 4,001 characters; the maximum is 4,000"),
        (("s4_data_quality",), "GOOD",
         "'GOOD' is not one of the values of the list 'Data quality'"),
        (("s1_presumed_victims_thb", "citizenship_sex", 0, "code"), "QQ",
         "'QQ' is not one of the values of the list 'Citizenship'"),
        (("s3_campaigns", 0, "start"), "mañana", "A date was expected; found «mañana»"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_type_or_range_is_rejected_with_its_path(ngo, path, value, expected):
    target = ngo
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    result = check("NGO", ngo)

    assert not result.valid
    assert result.value is None
    assert [problem.field for problem in result.errors] == [
        ".".join(str(p) for p in path).replace(".0", "[0]")
    ]
    assert expected in result.errors[0].message.render("en")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("s3_research", 0, "year"), 1985, "1985 está fuera del intervalo permitido (1990 a 2100)"),
        (("s2_svc_legal",), 12.5, "Se esperaba un número entero y se encontró 12,5"),
        (("s2_funding_eur",), 10.125, "se encontró 10,125"),
        (("s1_trends_narrative",), "x" * 4001, "tiene 4.001 caracteres; el máximo es 4.000"),
    ],
)
def test_figures_in_spanish_messages_are_written_the_spanish_way(ngo, path, value, expected):
    target = ngo
    for key in path[:-1]:
        if isinstance(key, int) and not target:
            target.append({"title": "Estudio", "url": "https://www.ejemplo.es/e.pdf"})
        target = target[key]
    target[path[-1]] = value

    [error] = check("NGO", ngo).errors

    assert expected in error.message.render("es")


def test_a_field_not_asked_of_the_kind_is_rejected(ngo):
    ngo["s1_persons_prosecuted"] = {"total": 3}
    result = check("NGO", ngo)
    assert result.errors[0].field == "s1_persons_prosecuted"
    assert "not asked of agencies of kind NGO" in result.errors[0].message.render("en")


def test_too_many_rows_is_rejected(ngo):
    ngo["s3_research"] = ngo["s3_research"] * 51
    result = check("NGO", ngo)
    assert "There are 51 rows; the maximum is 50" in result.errors[0].message.render("en")


def test_breakdown_adding_up_to_more_than_the_total_is_rejected(police):
    police["s1_identified_victims_thb"]["sex_age"]["M"]["Y26_35"] = 3
    [problem] = only(check("LEA_STATE", police).errors, "E2")
    assert problem.field == "s1_identified_victims_thb.sex_age"
    assert "adds up to 13, more than the total given (10)" in problem.message.render("en")


def test_complete_breakdown_adding_up_to_less_is_rejected_but_blanks_allow_it(police):
    police["s1_identified_victims_thb"]["total"] = 12
    police["s1_identified_victims_thb"]["sex_age"]["M"]["Y26_35"] = 1
    police["s1_identified_victims_thb"]["form_sex"]["LAB"]["M"] = 1
    police["s1_identified_victims_thb"]["citizenship_sex"][0]["M"] = 1
    errors = check("LEA_STATE", police).errors
    assert {p.code for p in errors} == {"E2", "E3"}
    assert "suma 11, menos que el total indicado (12)" in only(errors, "E2")[0].message.render("es")

    del police["s1_identified_victims_thb"]["sex_age"]["UNK"]["UNK"]
    del police["s1_identified_victims_thb"]["form_sex"]["UNK"]["UNK"]
    del police["s1_identified_victims_thb"]["citizenship_sex"][0]["UNK"]
    assert check("LEA_STATE", police).valid


def test_minors_disagreeing_across_tables_are_rejected(police):
    victims = police["s1_identified_victims_thb"]
    victims["form_sex"]["SEX"]["minors"] = 4
    problems = only(check("LEA_STATE", police).errors, "E4")
    assert problems[0].field == "s1_identified_victims_thb.form_sex"
    assert "gives 10" in problems[0].message.render("en") and "gives 4" in problems[
        0
    ].message.render("en")


def test_minors_exceeding_a_row_are_rejected(police):
    police["s1_identified_victims_thb"]["citizenship_sex"][0]["minors"] = 11
    problems = check("LEA_STATE", police).errors
    [row] = only(problems, "E5")
    assert row.field == "s1_identified_victims_thb.citizenship_sex[0].minors"
    assert "In the row 'NG', the minors (11) exceed" in row.message.render("en")


def test_duplicate_nationality_is_rejected(police):
    rows = police["s1_identified_victims_thb"]["citizenship_sex"]
    rows[0]["F"] = 6
    rows[0]["minors"] = 6
    rows.append({"code": "NG", "F": 4, "M": 0, "UNK": 0, "minors": 4})
    [problem] = only(check("LEA_STATE", police).errors, "E6")
    assert problem.field == "s1_identified_victims_thb.citizenship_sex[1].code"
    assert "The code NG appears in more than one row (rows 1, 2)" in problem.message.render("en")


def test_a_region_naming_another_region_is_rejected():
    value = plausible_return(DEFINITION, "CCAA", "ES-AN")
    value["s3_campaigns"][0]["scope"] = "ES-MD"
    result = check("CCAA", value, Context(region="ES-AN"))
    [problem] = only(result.errors, "E7")
    assert problem.field == "s3_campaigns[0].scope"
    assert "only give its own scope (ES-AN), not ES-MD" in problem.message.render("en")


def test_outreach_chain_is_enforced(ngo):
    ngo["s1_outreach_contacts"] = 5
    [problem] = only(check("NGO", ngo).errors, "E8c")
    assert problem.field == "s1_outreach_persons"
    assert "Persons reached (10) cannot exceed contacts (5)" in problem.message.render("en")


def test_each_service_above_the_victims_assisted_is_rejected_on_its_own(ngo):
    ngo["s2_svc_legal"] = 11
    ngo["s2_svc_health"] = 12
    problems = only(check("NGO", ngo).errors, "E9c")
    assert [p.field for p in problems] == ["s2_svc_legal", "s2_svc_health"]


def test_unaccompanied_minors_above_minors_assisted_are_rejected(ngo):
    ngo["s2_unaccompanied_minors"] = {"total": 11, "sex": {"F": 11, "M": 0, "UNK": 0}}
    [problem] = only(check("NGO", ngo).errors, "E9b")
    assert problem.field == "s2_unaccompanied_minors"


def test_housing_places_and_regional_table_must_agree(ngo):
    ngo["s2_housing_places_occupied"] = 11
    ngo["s2_resources_by_region"]["ES-MD"]["places"] = 5
    errors = check("NGO", ngo).errors
    assert only(errors, "E10a")[0].field == "s2_housing_places_occupied"
    [table] = only(errors, "E10d")
    assert table.field == "s2_resources_by_region.places"
    assert "Places by region add up to 15, but the total of places is 10" in table.message.render(
        "en"
    )


def test_training_row_with_more_women_and_men_than_participants_is_rejected(ngo):
    ngo["s3_trainings"][1]["participants_m"] = 6
    [problem] = only(check("NGO", ngo).errors, "E12")
    assert problem.field == "s3_trainings[1].participants_f"
    assert (
        "Row 2: women and men (26) exceed the total of participants (25)"
        in problem.message.render("en")
    )


def test_campaign_dates_must_be_ordered_and_overlap_the_period(ngo):
    ngo["s3_campaigns"].append(dict(ngo["s3_campaigns"][0], start=datetime.date(2018, 9, 1),
                                    end=datetime.date(2018, 8, 1)))  # fmt: skip
    errors = check("NGO", ngo).errors
    [reversed_] = only(errors, "E13a")
    assert reversed_.field == "s3_campaigns[1].start"
    assert "01/09/2018" in reversed_.message.render("es")
    assert "01/08/2018" in reversed_.message.render("es")
    [outside] = only(errors, "E13b")
    assert (
        "Row 2: the campaign (01/09/2018 – 01/08/2018) does not overlap"
        in outside.message.render("en")
    )


def test_region_of_exploitation_above_the_victims_is_rejected(police):
    police["s1_region_of_exploitation"]["ES-MD"]["victims"] = 100
    [problem] = only(check("LEA_STATE", police).errors, "E15")
    assert problem.field == "s1_region_of_exploitation.victims"


def test_warnings_are_kept_apart_and_accept_the_return(police, ngo):
    police["s1_persons_at_risk"] = copy.deepcopy(police["s1_identified_victims_thb"])
    for key in ("sex_age", "form_sex"):
        police["s1_persons_at_risk"].pop(key, None)
    police["s1_persons_at_risk"]["sex_minors"] = {"F": 10, "M": 0, "UNK": 0, "minors": 10}
    police["s1_persons_at_risk"]["total"] = 5
    police["s1_persons_at_risk"]["sex_minors"]["F"] = 5
    police["s1_persons_at_risk"]["sex_minors"]["minors"] = 5
    police["s1_persons_at_risk"]["citizenship_sex"] = [{"code": "NG", "F": 5, "minors": 5}]
    result = check("LEA_STATE", police)
    assert result.valid
    [warning] = only(result.warnings, "W1")
    assert warning.severity == "warning" and warning.field == "s1_identified_victims_thb"


def test_budget_far_above_plan_and_many_unknowns_are_warnings(ngo):
    ngo["s4_budget_executed_eur"] = 2000.0
    ngo["s4_budget_planned_eur"] = 1000.0
    age = ngo["s2_victims_assisted"]["sex_age"]
    age["F"]["Y16_17"], age["F"]["UNK"] = 7, 3
    age_minors_fix = ngo["s2_victims_assisted"]
    age_minors_fix["form_sex"]["SEX"]["minors"] = 7
    age_minors_fix["citizenship_sex"][0]["minors"] = 7
    ngo["s2_unaccompanied_minors"] = {"total": 7, "sex": {"F": 7, "M": 0, "UNK": 0}}
    result = check("NGO", ngo)
    assert result.valid, [(p.code, p.field) for p in result.errors]
    [budget] = only(result.warnings, "W6")
    assert budget.field == "s4_budget_executed_eur"
    assert "(1.000,00\u00a0€)" in budget.message.render("es")
    assert "(€1,000.00)" in budget.message.render("en")
    [unknown] = only(result.warnings, "W7")
    assert unknown.field == "s2_victims_assisted.sex_age"
    assert "(3 of 10)" in unknown.message.render("en")


def test_large_change_against_the_previous_comparable_round_is_a_warning(ngo):
    previous = copy.deepcopy(ngo)
    previous["s2_svc_legal"] = 40  # -75 %, 30 fewer: beyond both thresholds
    previous["s2_svc_health"] = 2  # +400 %, but only 8 more: below the minimum
    previous["s2_svc_social"] = 18  # -44 %: below the percentage
    ngo["s2_helpline_contacts"], previous["s2_helpline_contacts"] = 1100, 1000  # +10 %: 100
    ngo["s2_funding_eur"], previous["s2_funding_eur"] = 9000.0, 1000.0  # euros, +800 %
    result = check("NGO", ngo, Context(previous=previous))
    assert result.valid
    change, funding = only(result.warnings, "W4")
    assert (change.field, funding.field) == ("s2_svc_legal", "s2_funding_eur")
    assert "1.000,00\u00a0€ → 9.000,00\u00a0€ (+800,0\u00a0%)" in funding.message.render("es")
    assert "40 → 10 (-75.0%)" in change.message.render("en")
    assert "40 → 10 (-75,0\u00a0%)" in change.message.render("es")  # CLDR's no-break space
    previous["s2_svc_legal"] = 0
    change, _ = only(check("NGO", ngo, Context(previous=previous)).warnings, "W4")
    assert "0 → 10 (desde cero)" in change.message.render("es")


def test_a_change_of_exactly_the_threshold_is_not_large(ngo):
    """W4 warns beyond 50 % and from a difference of 10: 20 → 10 (-50 %) is not beyond,
    30 → 10 (-66.7 %, 20 fewer) is; 10 fewer is enough (20 → 30 is +50 %, not beyond)."""
    previous = copy.deepcopy(ngo)
    ngo["s2_svc_legal"], previous["s2_svc_legal"] = 10, 20  # -50 %
    ngo["s2_svc_health"], previous["s2_svc_health"] = 10, 30  # -66.7 %
    ngo["s2_svc_social"], previous["s2_svc_social"] = 30, 20  # +50 %
    ngo["s2_helpline_contacts"], previous["s2_helpline_contacts"] = 25, 15  # +66.7 %, 10 more
    result = check("NGO", ngo, Context(previous=previous))
    flagged = {problem.field for problem in only(result.warnings, "W4")}
    assert flagged == {"s2_svc_health", "s2_helpline_contacts"}


def test_annual_figure_below_the_half_year_is_a_warning(ngo):
    half_year = copy.deepcopy(ngo)
    half_year["s2_svc_legal"] = 30
    half_year["s2_housing_places"] = 30
    result = check("NGO", ngo, Context(half="june", half_year=half_year))
    assert {p.field for p in only(result.warnings, "W5")} == {"s2_svc_legal"}


def test_consistency_errors_also_fail_plain_model_validation(ngo):
    ngo["s1_outreach_contacts"] = 5
    model = return_model(1, "NGO")
    with pytest.raises(Exception, match="consistency error"):
        model.model_validate(ngo)
