"""The questionnaire definition v1 encodes the researched content completely."""

from collections import Counter

import pycountry
import pytest
from conftest import PROJECT

from rapporteur.definition import _DEFINED_NAME, load_definition

REFERENCE_FIELDS = {
    "s1": """s1_inspections s1_persons_at_risk s1_presumed_victims_thb s1_identified_victims_thb
        s1_victims_sexual_expl_non_thb s1_victims_labour_expl_non_thb s1_outreach_contacts
        s1_outreach_persons s1_outreach_signs_thb_or_se s1_outreach_signs_thb
        s1_investigations_opened s1_groups_dismantled s1_suspects s1_proceedings_opened
        s1_persons_prosecuted s1_persons_convicted s1_persons_acquitted s1_assets_seized_eur
        s1_country_of_recruitment s1_region_of_exploitation s1_recruitment_methods
        s1_means_of_control s1_online_recruitment s1_trends_narrative""",
    "s2": """s2_victims_assisted s2_victims_assisted_new s2_unaccompanied_minors
        s2_svc_accommodation s2_svc_legal s2_svc_psychological s2_svc_health s2_svc_social
        s2_svc_interpretation s2_svc_employment s2_svc_financial s2_housing_resources
        s2_housing_places s2_housing_places_occupied s2_nonresidential_centres
        s2_resources_by_region s2_reflection_proposed s2_reflection_granted
        s2_permits_collaboration s2_permits_personal s2_assisted_returns
        s2_protected_witnesses s2_compensation_awarded s2_compensation_eur
        s2_referrals_received s2_referrals_made s2_helpline_contacts s2_funding_eur
        s2_assistance_narrative""",
    "s3": """s3_campaigns s3_trainings s3_courses_total s3_participants_total
        s3_labour_inspections_risk s3_labour_inspections_by_sector s3_demand_actions
        s3_regional_protocol_in_force s3_municipal_measures s3_coordination_meetings
        s3_research s3_prevention_narrative""",
    "s4": """s4_evaluation_type s4_indicators s4_budget_planned_eur s4_budget_executed_eur
        s4_difficulties s4_results s4_good_practices s4_recommendations s4_data_quality""",
}
# Reference items given as "count + text" or "choice + date + url", split into one field each.
SPLIT_FIELDS = {
    "s3_demand_actions_description",
    "s3_regional_protocol_adopted_on",
    "s3_regional_protocol_url",
    "s3_municipal_measures_description",
}


@pytest.fixture(scope="module")
def definition():
    return load_definition(1)


def section_of(definition, field):
    return definition.part(field.part).section


def test_every_reference_field_is_in_the_definition(definition):
    ids = {field.id for field in definition.fields}
    for section, names in REFERENCE_FIELDS.items():
        for name in names.split():
            assert name in ids, name
            assert section_of(definition, definition.field(name)) == section


def test_fields_per_section(definition):
    counted = Counter(section_of(definition, field) for field in definition.fields)
    assert counted == {
        "s0": 3,
        "s1": len(REFERENCE_FIELDS["s1"].split()),
        "s2": len(REFERENCE_FIELDS["s2"].split()),
        "s3": len(REFERENCE_FIELDS["s3"].split()) + len(SPLIT_FIELDS),
        "s4": len(REFERENCE_FIELDS["s4"].split()),
    }
    assert counted["s1"] == 24 and counted["s2"] == 29 and counted["s3"] == 16


def fields_of(definition, kind):
    return {field.id for field in definition.asked_fields(kind)}


COMMON = {"s0_contact_name", "s0_contact_email", "s0_data_source_note", "s1_trends_narrative",
          "s2_referrals_made", "s2_assistance_narrative"}  # fmt: skip
PREVENTION_AND_EVALUATION = {
    "s3_campaigns", "s3_trainings", "s3_demand_actions", "s3_demand_actions_description",
    "s3_coordination_meetings", "s3_research", "s3_prevention_narrative", "s4_evaluation_type",
    "s4_indicators", "s4_budget_planned_eur", "s4_budget_executed_eur", "s4_difficulties",
    "s4_results", "s4_good_practices", "s4_recommendations", "s4_data_quality",
}  # fmt: skip


def test_the_prosecutor_is_asked_justice_and_judicial_protection_only(definition):
    assert fields_of(definition, "FISC") == COMMON | PREVENTION_AND_EVALUATION | {
        "s1_proceedings_opened", "s1_persons_prosecuted", "s1_persons_convicted",
        "s1_persons_acquitted", "s1_assets_seized_eur", "s2_protected_witnesses",
        "s2_compensation_awarded", "s2_compensation_eur",
    }  # fmt: skip


def test_the_foreign_ministry_is_asked_returns_besides_prevention(definition):
    assert fields_of(definition, "MIN_EXT") == COMMON | PREVENTION_AND_EVALUATION | {
        "s2_svc_interpretation", "s2_assisted_returns",
    }  # fmt: skip


def test_regions_are_asked_assistance_and_their_protocol_not_police_work(definition):
    asked = fields_of(definition, "CCAA")
    assert {"s2_victims_assisted", "s2_housing_places", "s3_regional_protocol_in_force",
            "s3_regional_protocol_adopted_on", "s1_outreach_contacts",
            "s1_presumed_victims_thb"} <= asked  # fmt: skip
    assert not asked & {"s1_identified_victims_thb", "s1_suspects", "s2_permits_personal",
                        "s1_persons_convicted", "s3_municipal_measures"}  # fmt: skip


def test_ngos_are_asked_outreach_and_not_criminal_justice(definition):
    asked = fields_of(definition, "NGO")
    assert {"s1_outreach_contacts", "s1_outreach_signs_thb", "s2_resources_by_region"} <= asked
    assert not asked & {"s1_suspects", "s1_identified_victims_thb", "s1_persons_prosecuted"}


def test_computed_totals_are_never_asked(definition):
    for kind in definition.kinds:
        assert not fields_of(definition, kind) & {"s3_courses_total", "s3_participants_total"}


def test_fields_per_kind(definition):
    counts = {kind: len(definition.asked_fields(kind)) for kind in definition.kinds}
    assert counts == {
        "MIN_JUS": 29, "MIN_INT": 26, "MIN_EMP": 26, "MIN_SOC": 33, "MIN_EXT": 24,
        "DGVG": 28, "LEA_STATE": 40, "LEA_REG": 39, "CITCO": 38, "FISC": 30, "CCAA": 44,
        "FEMP": 35, "NGO": 53,
    }  # fmt: skip


def test_applicability_matrix_of_the_reference(definition):
    matrix = {part.id: part.applies for part in definition.parts}
    assert matrix["s1_justice"] == {"LEA_STATE": "required", "LEA_REG": "required",
                                    "CITCO": "required", "FISC": "required",
                                    "MIN_JUS": "optional"}  # fmt: skip
    assert matrix["s2_judicial"] == {"FISC": "required", "MIN_JUS": "required"}
    assert set(matrix["s3_prevention"].values()) == {"required"}
    assert len(matrix["s4_evaluation"]) == 13


def test_december_texts_of_prevention_and_evaluation_are_optional(definition):
    for name in ("s3_prevention_narrative", "s4_results", "s4_good_practices"):
        assert definition.requirement(definition.field(name), "NGO") == "june"


def test_code_lists_of_the_reference(definition):
    assert len(definition.kinds) == 13
    assert definition.code_values("sex") == ("F", "M", "UNK")
    assert definition.code_values("age_band") == (
        "Y0_11", "Y12_15", "Y16_17", "Y_LT18_NSP", "Y18_25", "Y26_35", "Y36_45", "Y_GE46", "UNK",
    )  # fmt: skip
    groups = {code.code: code.group for code in definition.codelist("age_band")}
    assert [code for code, group in groups.items() if group == "minor"] == [
        "Y0_11", "Y12_15", "Y16_17", "Y_LT18_NSP",
    ]  # fmt: skip
    forms = {code.code: code.eurostat for code in definition.codelist("exploitation")}
    assert len(forms) == 11
    assert forms["SEX"] == "sexual" and forms["LAB"] == "labour" and forms["BEG"] == "other"


def test_citizenship_is_iso_alpha_2_plus_kosovo_stateless_and_unknown(definition):
    codes = set(definition.code_values("citizenship"))
    assert {country.alpha_2 for country in pycountry.countries} <= codes
    assert {"XK", "XX", "ZZ"} <= codes
    assert len(codes) == len(pycountry.countries) + 3


def test_the_19_region_codes_exist_in_pycountry(definition):
    regions = definition.code_values("region")
    assert len(regions) == 19
    for code in regions:
        subdivision = pycountry.subdivisions.get(code=code)
        assert subdivision is not None and subdivision.parent_code is None, code


def test_every_reference_rule_is_in_the_definition_or_explained(definition):
    rule_ids = {rule.id for rule in definition.rules}
    assert {"E2", "E3", "E4", "E5", "E6", "E7", "E8a", "E8b", "E8c", "E9a", "E9b", "E9c",
            "E10a", "E10b", "E10c", "E10d", "E10e", "E11", "E12", "E13a", "E13b", "E15",
            "W1", "W2", "W3", "W4", "W5", "W6", "W7"} <= rule_ids  # fmt: skip
    text = (PROJECT / "questionnaires" / "v1.toml").read_text(encoding="utf-8")
    for explained in ("E1 (types and ranges)", "E14 and W8"):
        assert explained in text


def test_every_rule_has_a_bilingual_message_and_a_severity(definition):
    for rule in definition.rules:
        assert rule.message.es and rule.message.en
        assert rule.severity == ("warning" if rule.id[0] in "WR" else "error")


def test_every_field_has_both_labels_and_help(definition):
    for field in definition.fields:
        assert field.label.es and field.label.en and field.help.es and field.help.en


def test_defined_names_are_valid_and_unique_ignoring_case(definition):
    names = [item.name for item in definition.inputs()]
    assert len({name.casefold() for name in names}) == len(names)
    assert all(_DEFINED_NAME.match(name) for name in names)
    assert "s1_presumed_victims_thb__sex_age__F__Y0_11" in names
    assert "s2_resources_by_region__ES_AN__places" in names
    assert "s3_campaigns__channel__TV_RADIO" in names


def test_unverified_items_are_marked(definition):
    marked = {codelist.id for codelist in definition.codelists if codelist.unverified}
    assert {"region", "exploitation", "nace_section"} <= marked
