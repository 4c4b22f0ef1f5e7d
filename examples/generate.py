"""Generate the example office's returns: four rounds, and a historical series.

Run from the project:  python examples/generate.py [OUTPUT]   (default: examples/returns)

Reproducible: every figure comes from a seeded generator, and every return is written the
way an agency's would be: the questionnaire issued by `rapporteur issue` (through the
library), filled at its defined names. The source paper's figures are for the year 2017,
so the June 2018 round (the whole of 2017, final figures) is calibrated to reproduce them
(see CALIBRATION); the December rounds report half-years, and the June 2019 round, the
first issued with questionnaire version 2, the year 2018. The 2018-12 round carries the
mistakes clerks really make, and their corrections follow. The CITCO series 2013-2016 the
paper quotes is written as a file for `rapporteur archive import` (HISTORY).
"""

import csv
import datetime
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from rapporteur.definition import MINORS, ROW_CODE, TOTAL, Definition, load_definition
from rapporteur.importing import write_template
from rapporteur.issuing import IssueRequest, issue_round
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire
from rapporteur.workspace import open_workspace

EXAMPLES = Path(__file__).resolve().parent
OFFICE = EXAMPLES / "office"
RETURNS = EXAMPLES / "returns"
SEED = 2018
ROUNDS = (Round(2017, 12), Round(2018, 6), Round(2018, 12), Round(2019, 6))
CALIBRATED = Round(2018, 6)
"""The round of the year 2017, the year of the paper's figures."""
MISTAKES_ROUND = Round(2018, 12)

# Figures of the source paper (the year 2017) that the 2018-06 national tables reproduce.
CALIBRATION = {
    "housing_resources": 57,  # MIN_SOC, at the end of the period
    "housing_places": 499,
    "nonresidential_centres": 119,
    "training_participants": (120, 140, 100),  # DGVG: 3 courses, 360 professionals
    "outreach_contacts": 61_165,  # all NGOs
    "outreach_signs": 21_611,  # women with signs of trafficking or sexual exploitation
    "nationality_shares": {
        "NG": 29.6,
        "RO": 18.2,
        "CO": 4.7,
        "PY": 4.5,
        "BR": 3.6,
        "DO": 3.6,
        "CI": 2.7,
        "GN": 2.5,
        "MA": 2.3,
        "BG": 2.1,
    },
    "protocols": ("ES-CT", "ES-PV", "ES-GA", "ES-EX", "ES-NC", "ES-MD", "ES-VC", "ES-AR"),
}
# The ten shares add up to 73.8 %; the rest is spread over fifteen nationalities, each
# below the tenth (2.1 %), so that the top ten are the paper's. Ten plus fifteen is the
# most a citizenship table holds (25 rows).
OTHER_NATIONALITIES = (
    "VE",
    "PE",
    "EC",
    "HN",
    "UA",
    "CN",
    "PH",
    "SN",
    "AL",
    "RU",
    "VN",
    "GH",
    "BO",
    "CM",
    "PK",
)
FORMS_BY_KIND = {"MIN_EMP": "LAB", "NGO": "SEX", "CCAA": "SEX"}

# The CITCO series 2013-2016 of the paper, for `rapporteur archive import`: persons at risk,
# victims of trafficking for sexual exploitation and of sexual exploitation (3,454 in all),
# and of them the minors (64 = 28 + 36).
HISTORY = {
    "file": "historico/citco-2013-2016.csv",
    "round": Round(2017, 6),
    "period": "2013-2016",
    "kind": "CITCO",
    "figures": {
        "s1_persons_at_risk__total": 53_440,
        "s1_identified_victims_thb__total": 698,
        "s1_victims_sexual_expl_non_thb__total": 2_756,
        "s1_identified_victims_thb__form_sex__SEX__minors": 28,
        "s1_victims_sexual_expl_non_thb__form_sex__SEX__minors": 36,
    },
}
# The Comprehensive Plan's budget by priority, as the paper gives it (2019-06, version 2):
# 104,111,157.72 EUR in all, of which priority 1 and priority 5; the others share the rest.
PLAN_BUDGET = {"total": 104_111_157.72, "P1": 7_223_587.60, "P5": 26_134_449.66}

# The mistakes of the 2018-12 round, and the corrections sent back.
MISTAKES = {
    "ccaa-mc": "text in a number cell",
    "ong-08": "a breakdown that does not add up",
    "ong-09": "the questionnaire of the wrong round",
    "ong-10": "an edited metadata sheet",
    "ong-11": "a file saved as .xls",
}
CORRECTED = tuple(MISTAKES)  # every agency sends the right file once told
LATE = "ccaa-ri"
# An agency that corrects an accepted return: the office must not let its first file,
# sent again later, undo the correction.
RECONSIDERED = "ong-02"


def main() -> None:
    global RETURNS
    if len(sys.argv) > 1:
        RETURNS = Path(sys.argv[1])
    if RETURNS.exists():
        shutil.rmtree(RETURNS)
    with tempfile.TemporaryDirectory() as folder:
        workspace_root = Path(folder) / "office"
        shutil.copytree(OFFICE, workspace_root)
        (workspace_root / "archive").mkdir(exist_ok=True)
        workspace = open_workspace(workspace_root)
        registry = list(workspace.registry())
        for round_ in ROUNDS:
            issue_round(workspace, IssueRequest(round_), today=round_.starts_on, jobs=2)
        for round_ in ROUNDS:
            version = workspace.archive().read_round(round_).questionnaire_version
            definition = load_definition(version)
            values = round_values(definition, registry, round_)
            target = RETURNS / str(round_)
            target.mkdir(parents=True)
            for agency in registry:
                if agency.kind not in definition.kinds:
                    continue  # a kind of agency the round's version does not ask
                if round_ == MISTAKES_ROUND and (agency.id in MISTAKES or agency.id == LATE):
                    continue
                issued = workspace.issued_dir / str(round_) / f"{agency.id}.xlsx"
                fill_questionnaire(issued, values[agency.id], target / f"{agency.id}.xlsx")
            if round_ == MISTAKES_ROUND:
                write_mistakes(workspace, values, target)
        write_history(workspace)
    print(f"examples written to {RETURNS}")


def write_history(workspace) -> None:
    """The CITCO series as an office would: the import template, with the figures it has."""
    path = RETURNS / HISTORY["file"]
    version = workspace.settings.questionnaire.version_for(HISTORY["round"])
    write_template(path, version, [HISTORY["kind"]], "es")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    for row in rows[1:]:
        if row[0] in HISTORY["figures"]:
            row[3] = str(HISTORY["figures"][row[0]])
    # Only the rows with a figure: what an office keeps of a template it filled.
    kept = [rows[0], *(row for row in rows[1:] if row[3])]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n").writerows(kept)


def write_mistakes(workspace, values: dict, target: Path) -> None:
    issued = workspace.issued_dir / str(MISTAKES_ROUND)
    late = RETURNS / f"{MISTAKES_ROUND}-late"
    late.mkdir()
    fill_questionnaire(issued / f"{LATE}.xlsx", values[LATE], late / f"{LATE}.xlsx")
    corrections = RETURNS / f"{MISTAKES_ROUND}-corrections"
    corrections.mkdir()
    for agency in CORRECTED:
        fill_questionnaire(
            issued / f"{agency}.xlsx", values[agency], corrections / f"{agency}.xlsx"
        )
    reconsidered = dict(values[RECONSIDERED])
    reconsidered["s2_referrals_made"] = (reconsidered.get("s2_referrals_made") or 0) + 1
    fill_questionnaire(
        issued / f"{RECONSIDERED}.xlsx", reconsidered, corrections / f"{RECONSIDERED}.xlsx"
    )

    path = target / "ccaa-mc.xlsx"
    fill_questionnaire(issued / "ccaa-mc.xlsx", values["ccaa-mc"], path)
    set_cell(path, "s2_svc_legal", "aprox. 20")

    path = target / "ong-08.xlsx"
    fill_questionnaire(issued / "ong-08.xlsx", values["ong-08"], path)
    total = values["ong-08"]["s2_victims_assisted"]["total"]
    set_cell(path, "s2_victims_assisted__total", total + 7)

    previous_round = workspace.issued_dir / str(Round(2018, 6)) / "ong-09.xlsx"
    fill_questionnaire(previous_round, values["ong-09"], target / "ong-09.xlsx")

    path = target / "ong-10.xlsx"
    fill_questionnaire(issued / "ong-10.xlsx", values["ong-10"], path)
    workbook = load_workbook(path)
    sheet = workbook["_rapporteur"]
    for row in sheet.iter_rows():
        if row[0].value == "agency":
            row[1].value = "ong-12"
    workbook.save(path)

    # A real .xls needs another program: LibreOffice where it is installed, else the one
    # committed with the examples is kept.
    committed = EXAMPLES / "ong-11.xls"
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "ong-11.xlsx"
            fill_questionnaire(issued / "ong-11.xlsx", values["ong-11"], source)
            subprocess.run(
                [
                    "soffice",
                    "--headless",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to",
                    "xls",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            made = Path(folder) / "ong-11.xls"
            if RETURNS == EXAMPLES / "returns":  # regenerating the examples themselves
                shutil.copy(made, committed)
            shutil.copy(made, target / "ong-11.xls")
            return
    if committed.exists():
        shutil.copy(committed, target / "ong-11.xls")


def set_cell(path: Path, name: str, value: Any) -> None:
    workbook = load_workbook(path)
    ((sheet, reference),) = workbook.defined_names[name].destinations
    column, row, _, _ = range_boundaries(reference.replace("$", ""))
    workbook[sheet].cell(row, column).value = value
    workbook.save(path)


# The figures ---------------------------------------------------------------------------


# Each agency's figures come from its own seeded generator, scaled by round: the same
# agency tells a coherent story, so the warnings the demo shows are the deliberate ones.
# A half-year's flows are a little more than half its year's (a person met in both halves
# counts once in the year); stocks at the end of a period are not halved but drift.
SCALES = {Round(2017, 12): 0.56, Round(2018, 6): 1.0, Round(2018, 12): 0.6, Round(2019, 6): 1.06}
STOCKS = {Round(2017, 12): 0.95, Round(2018, 6): 1.0, Round(2018, 12): 1.02, Round(2019, 6): 1.05}


def round_values(definition: Definition, registry, round_: Round) -> dict:
    scale = SCALES[round_]
    period = round_.period()
    ngos = [agency for agency in registry if agency.kind == "NGO"]
    outreach = outreach_for(ngos, scale, random.Random(f"{SEED}-outreach-{round_}"))
    values = {}
    for agency in registry:
        builder = ReturnBuilder(definition, agency, period, scale, STOCKS[round_])
        values[agency.id] = builder.build(outreach.get(agency.id))
    return values


def split(total: int, weights: list[float]) -> list[int]:
    """Whole parts of `total` in proportion to `weights`, adding up exactly."""
    raw = [total * weight / sum(weights) for weight in weights]
    parts = [int(value) for value in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[index] += 1
    return parts


def outreach_for(ngos, scale: float, rng: random.Random) -> dict[str, dict]:
    """The NGOs' outreach: contacts, persons, and a population of women with signs whose
    nationalities reproduce the paper's shares once the NGOs are added up."""
    signs_total = round(CALIBRATION["outreach_signs"] * scale)
    counts = {
        code: round(signs_total * share / 100)
        for code, share in CALIBRATION["nationality_shares"].items()
    }
    rest = signs_total - sum(counts.values())
    for code, part in zip(
        OTHER_NATIONALITIES,
        split(rest, [1.0 + 0.02 * i for i in range(len(OTHER_NATIONALITIES))]),
        strict=True,
    ):
        counts[code] = part
    population = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(population)
    weights = [random.Random(f"{SEED}-{ngo.id}-weight").uniform(0.5, 3) for ngo in ngos]
    signs = split(signs_total, weights)
    contacts = split(round(CALIBRATION["outreach_contacts"] * scale), weights)
    start, result = 0, {}
    for ngo, signs_count, contacts_count in zip(ngos, signs, contacts, strict=True):
        result[ngo.id] = {
            "contacts": contacts_count,
            "signs": population[start : start + signs_count],
            "persons": min(contacts_count, round(signs_count * 1.7)),
        }
        start += signs_count
    return result


class ReturnBuilder:
    def __init__(self, definition: Definition, agency, period, scale: float, stock: float):
        self.definition = definition
        self.agency = agency
        self.period = period
        self.scale = scale
        self.stock = stock
        self.asked = {field.id: field for field in definition.asked_fields(agency.kind)}

    def random(self, key: str) -> random.Random:
        """A generator of its own for every figure: the same figure is drawn the same way in
        every round, so rounds differ only by their scale."""
        return random.Random(f"{SEED}-{self.agency.id}-{key}")

    def count(self, key: str, low: int, high: int) -> int:
        return max(0, round(self.random(key).randint(low, high) * self.scale))

    def share(self, key: str, total: int, low: float = 1 / 3) -> int:
        return round(total * self.random(key).uniform(low, 1.0))

    def build(self, outreach: dict | None) -> dict[str, Any]:
        kind = self.agency.kind
        value: dict[str, Any] = {}
        put = value.__setitem__
        if "s0_contact_name" in self.asked:
            put("s0_contact_name", f"Responsable de datos ({self.agency.id})")
            put("s0_contact_email", f"datos.{self.agency.id}@example.org")
            put("s0_data_source_note", "Registro interno de casos del organismo.")
        form = FORMS_BY_KIND.get(kind, "SEX")
        for field_id in (
            "s1_presumed_victims_thb",
            "s1_identified_victims_thb",
            "s1_victims_sexual_expl_non_thb",
            "s1_victims_labour_expl_non_thb",
        ):
            if field_id in self.asked:
                labour = field_id.endswith("labour_expl_non_thb")
                size = (
                    self.count(field_id, 5, 60)
                    if kind != "CITCO"
                    else self.count(field_id, 300, 700)
                )
                put(
                    field_id,
                    self.breakdowns(
                        field_id, self.people(field_id, size, "LAB" if labour else form)
                    ),
                )
        if "s1_persons_at_risk" in self.asked:
            victims = sum(
                value[f]["total"]
                for f in ("s1_identified_victims_thb", "s1_victims_sexual_expl_non_thb")
                if f in value
            )
            size = victims * 4 + self.count("at_risk", 10, 80)
            put(
                "s1_persons_at_risk",
                self.breakdowns("s1_persons_at_risk", self.people("at_risk", size, form)),
            )
        for field_id, low, high in (
            ("s1_inspections", 40, 400),
            ("s1_online_recruitment", 2, 20),
            ("s1_investigations_opened", 5, 60),
            ("s1_groups_dismantled", 1, 12),
            ("s1_proceedings_opened", 20, 90),
            ("s1_persons_acquitted", 2, 15),
        ):
            if field_id in self.asked:
                number = self.count(field_id, low, high)
                field = self.asked[field_id]
                if field.breakdowns:  # by form only
                    put(
                        field_id,
                        {
                            TOTAL: number,
                            "form": {
                                code: (number if code == form else 0)
                                for code in self.definition.code_values("exploitation")
                            },
                        },
                    )
                else:
                    put(field_id, number)
        for field_id in ("s1_suspects", "s1_persons_prosecuted", "s1_persons_convicted"):
            if field_id in self.asked:
                size = (
                    self.count(field_id, 10, 80)
                    if field_id != "s1_persons_convicted"
                    else self.count(field_id, 5, 30)
                )
                put(
                    field_id,
                    self.breakdowns(
                        field_id, self.people(field_id, size, form, minors=False, women=0.3)
                    ),
                )
        if "s1_assets_seized_eur" in self.asked:
            put(
                "s1_assets_seized_eur",
                round(self.random("assets").uniform(10_000, 900_000) * self.scale, 2),
            )
        if outreach is not None:
            people = self.people(
                "signs", len(outreach["signs"]), "SEX", nationalities=outreach["signs"], women=1.0
            )
            # Version 2 renamed the question and asks the ages and nationalities of those
            # with signs of trafficking, and the contacts by approach.
            signs_id = (
                "s1_outreach_signs"
                if "s1_outreach_signs" in self.asked
                else ("s1_outreach_signs_thb_or_se")
            )
            signs = self.breakdowns(signs_id, people)
            contacts = outreach["contacts"]
            if self.asked["s1_outreach_contacts"].breakdowns:
                approaches = self.definition.code_values("outreach_approach")
                weights = [self.random(f"approach-{code}").uniform(0.5, 4) for code in approaches]
                parts = split(contacts, weights)
                contacts = {TOTAL: contacts, "approach": dict(zip(approaches, parts, strict=True))}
            put("s1_outreach_contacts", contacts)
            persons = max(outreach["persons"], signs["total"])
            put(
                "s1_outreach_persons",
                {
                    TOTAL: persons,
                    "sex_minors": {
                        "F": persons,
                        "M": 0,
                        "UNK": 0,
                        MINORS: signs["sex_age"]["F"]["Y16_17"],
                    },
                },
            )
            put(signs_id, signs)
            with_thb = round(signs["total"] * 0.2376)
            if "sex_minors" in self.asked["s1_outreach_signs_thb"].breakdowns:
                put(
                    "s1_outreach_signs_thb",
                    {TOTAL: with_thb, "sex_minors": {"F": with_thb, "M": 0, "UNK": 0, MINORS: 0}},
                )
            else:
                trafficked = people[:with_thb]
                put("s1_outreach_signs_thb", self.breakdowns("s1_outreach_signs_thb", trafficked))
                put("s1_transit_victims", round(with_thb * 0.04))
        elif "s1_outreach_contacts" in self.asked:
            contacts = self.count("contacts", 100, 900)
            breakdowns = self.asked["s1_outreach_contacts"].breakdowns
            put("s1_outreach_contacts", {TOTAL: contacts} if breakdowns else contacts)
        if "s1_recruitment_methods" in self.asked:
            put(
                "s1_recruitment_methods",
                ["ThroughOnlineSocialNetworks", "ThroughFriendsOrSocialEvents"],
            )
            put("s1_means_of_control", ["DebtBondage", "FalsePromises", "WithholdsDocuments"])
        if "s1_region_of_exploitation" in self.asked:
            victims = sum(
                value[f]["total"]
                for f in ("s1_identified_victims_thb", "s1_presumed_victims_thb")
                if f in value
            )
            regions = self.definition.code_values("region")
            parts = split(
                victims, [self.random(f"region-{code}").uniform(0.2, 3) for code in regions]
            )
            put(
                "s1_region_of_exploitation",
                {
                    code: {"victims": part}
                    for code, part in zip(regions, parts, strict=True)
                    if part
                },
            )
        if "s1_country_of_recruitment" in self.asked:
            put(
                "s1_country_of_recruitment",
                [
                    {"country": "NG", "victims": self.count("from-NG", 1, 10)},
                    {"country": "RO", "victims": self.count("from-RO", 1, 8)},
                ],
            )
        put(
            "s1_trends_narrative",
            "Se mantiene la captación a través de redes sociales y el uso de pisos.",
        )
        self.assistance(value)
        self.prevention(value)
        self.evaluation(value)
        return {key: item for key, item in value.items() if key in self.asked}

    def people(
        self,
        key: str,
        size: int,
        form: str,
        minors: bool = True,
        women: float = 0.85,
        nationalities: list | None = None,
    ):
        adult_bands = ("Y18_25", "Y26_35", "Y36_45", "Y_GE46")
        minor_bands = ("Y12_15", "Y16_17")
        rng = self.random(f"{key}-people")
        codes = nationalities or rng.choices(
            [*CALIBRATION["nationality_shares"], "ES", "ZZ"], k=size
        )
        population = []
        for index in range(size):
            sex = "F" if rng.random() < women else ("M" if rng.random() < 0.9 else "UNK")
            minor = minors and rng.random() < 0.04
            band = (
                rng.choice(minor_bands)
                if minor
                else rng.choices(adult_bands, weights=(35, 40, 18, 7))[0]
            )
            if rng.random() < 0.05:
                band = "UNK" if not minor else band
            population.append((sex, band, form, codes[index]))
        return population

    def breakdowns(self, field_id: str, population: list[tuple]) -> dict[str, Any]:
        field = self.definition.field(field_id)
        groups = {code.code: code.group for code in self.definition.codelist("age_band")}
        sexes = self.definition.code_values("sex")
        result: dict[str, Any] = {TOTAL: len(population)}
        for breakdown_id in field.breakdowns:
            breakdown = self.definition.breakdown(breakdown_id)
            if breakdown.repeat and breakdown.columns == "age_band":
                rows = []
                for code, _ in Counter(p[3] for p in population).most_common(breakdown.max_rows):
                    bands = Counter(p[1] for p in population if p[3] == code)
                    row = {band: bands[band] for band in self.definition.code_values("age_band")}
                    rows.append({ROW_CODE: code, **row})
                result[breakdown_id] = rows
            elif breakdown.columns == "age_band":
                cells = Counter((sex, band) for sex, band, _, _ in population)
                result[breakdown_id] = {
                    sex: {
                        band: cells[(sex, band)] for band in self.definition.code_values("age_band")
                    }
                    for sex in sexes
                }
            elif breakdown.rows == "exploitation":
                block = {}
                for form in self.definition.code_values("exploitation"):
                    members = [p for p in population if p[2] == form]
                    if breakdown.columns is None:
                        block[form] = len(members)
                        continue
                    row = {sex: sum(1 for p in members if p[0] == sex) for sex in sexes}
                    if breakdown.minors:
                        row[MINORS] = sum(1 for p in members if groups[p[1]] == "minor")
                    block[form] = row
                result[breakdown_id] = block
            elif breakdown.repeat:
                rows = []
                for code, _ in Counter(p[3] for p in population).most_common(breakdown.max_rows):
                    members = [p for p in population if p[3] == code]
                    row = {
                        ROW_CODE: code,
                        **{sex: sum(1 for p in members if p[0] == sex) for sex in sexes},
                    }
                    if breakdown.minors:
                        row[MINORS] = sum(1 for p in members if groups[p[1]] == "minor")
                    rows.append(row)
                covered = sum(sum(row[sex] for sex in sexes) for row in rows)
                if covered < len(population):  # more nationalities than rows: the rest as unknown
                    rows[-1] = {
                        ROW_CODE: "ZZ",
                        **{
                            sex: rows[-1][sex] + (len(population) - covered if sex == "UNK" else 0)
                            for sex in sexes
                        },
                    }
                    if breakdown.minors:
                        rows[-1][MINORS] = 0
                result[breakdown_id] = rows
            else:
                block = {sex: sum(1 for p in population if p[0] == sex) for sex in sexes}
                if breakdown.minors:
                    block[MINORS] = sum(1 for p in population if groups[p[1]] == "minor")
                result[breakdown_id] = block
        return result

    def assistance(self, value: dict) -> None:
        kind = self.agency.kind
        put = value.__setitem__
        if "s2_victims_assisted" in self.asked:
            assisted = self.breakdowns(
                "s2_victims_assisted",
                self.people("assisted", self.count("assisted", 15, 120), "SEX"),
            )
            put("s2_victims_assisted", assisted)
            total = assisted[TOTAL]
            minors = assisted["form_sex"]["SEX"][MINORS] if "form_sex" in assisted else 0
            new = self.share("new", total, 0.3)
            put(
                "s2_victims_assisted_new",
                {TOTAL: new, "sex_minors": {"F": new, "M": 0, "UNK": 0, MINORS: min(new, minors)}},
            )
            unaccompanied = self.share("unaccompanied", minors, 0.0)
            put(
                "s2_unaccompanied_minors",
                {TOTAL: unaccompanied, "sex": {"F": unaccompanied, "M": 0, "UNK": 0}},
            )
            for service in (
                "accommodation",
                "legal",
                "psychological",
                "health",
                "social",
                "interpretation",
                "employment",
                "financial",
            ):
                put(f"s2_svc_{service}", self.share(service, total))
        elif "s2_svc_interpretation" in self.asked:
            put("s2_svc_interpretation", self.count("interpretation", 0, 15))
        if "s2_svc_legal" in self.asked and "s2_svc_legal" not in value:
            put("s2_svc_legal", self.count("legal", 5, 40))
        if "s2_housing_resources" in self.asked:
            stock = self.stock  # at the end of the period
            if kind == "MIN_SOC":
                resources = round(CALIBRATION["housing_resources"] * stock)
                places = round(CALIBRATION["housing_places"] * stock)
                centres = round(CALIBRATION["nonresidential_centres"] * stock)
            else:
                resources = max(1, round(self.random("resources").randint(1, 6) * stock))
                places = resources * self.random("places").randint(5, 12)
                centres = round(self.random("centres").randint(0, 4) * stock)
            occupied = min(
                places,
                value.get("s2_svc_accommodation", places) or 0,
                self.share("occupied", places, 0.5),
            )
            put("s2_housing_resources", resources)
            put("s2_housing_places", places)
            put("s2_housing_places_occupied", occupied)
            put("s2_nonresidential_centres", centres)
            put("s2_housing_places_minors", round(places * 0.08))
            put("s2_housing_places_with_children", round(places * 0.15))
        if "s2_resources_by_region" in self.asked and "s2_housing_resources" in value:
            regions = self.definition.code_values("region")
            weights = [self.random(f"network-{code}").uniform(0.3, 3) for code in regions]
            table = {}
            for metric, field_id in (
                ("resources", "s2_housing_resources"),
                ("places", "s2_housing_places"),
                ("centres", "s2_nonresidential_centres"),
            ):
                for code, part in zip(regions, split(value[field_id], weights), strict=True):
                    table.setdefault(code, {})[metric] = part
            for code in table:  # each region's places at least its resources
                if table[code]["places"] < table[code]["resources"]:
                    table[code]["places"], table[code]["resources"] = (
                        table[code]["resources"],
                        table[code]["places"],
                    )
            if (
                sum(row["places"] for row in table.values()) == value["s2_housing_places"]
                and sum(row["resources"] for row in table.values()) == value["s2_housing_resources"]
            ):
                put("s2_resources_by_region", table)
        for field_id, low, high in (
            ("s2_referrals_received", 3, 40),
            ("s2_referrals_made", 2, 30),
            ("s2_helpline_contacts", 20, 400),
            ("s2_protected_witnesses", 1, 12),
            ("s2_compensation_awarded", 1, 10),
        ):
            if field_id in self.asked:
                number = self.count(field_id, low, high)
                put(
                    field_id,
                    number
                    if not self.asked[field_id].breakdowns
                    else {TOTAL: number, "sex": {"F": number, "M": 0, "UNK": 0}},
                )
        if "s2_compensation_eur" in self.asked:
            put(
                "s2_compensation_eur",
                round(self.random("compensation").uniform(20_000, 300_000) * self.scale, 2),
            )
        if "s2_funding_eur" in self.asked:
            put(
                "s2_funding_eur",
                round(self.random("funding").uniform(50_000, 2_000_000) * self.scale, 2),
            )
        for field_id in (
            "s2_reflection_proposed",
            "s2_reflection_granted",
            "s2_permits_collaboration",
            "s2_permits_personal",
            "s2_assisted_returns",
        ):
            if field_id in self.asked:
                people = self.people(field_id, self.count(field_id, 3, 40), "SEX")
                put(field_id, self.breakdowns(field_id, people))
        put(
            "s2_assistance_narrative",
            "Atención integral con alojamiento, apoyo psicológico y jurídico.",
        )

    def prevention(self, value: dict) -> None:
        put = value.__setitem__
        start, end = self.period.start, self.period.end
        middle = start + (end - start) / 2
        put(
            "s3_campaigns",
            [
                {
                    "name": f"Campaña de sensibilización {self.agency.id}",
                    "start": start + datetime.timedelta(days=30),
                    "end": middle,
                    "channel": ["ONLINE_SOCIAL", "PRINTED"],
                    "audience": ["GENERAL_PUBLIC", "DEMAND"],
                    "languages": "es, en",
                    "scope": self.agency.region,
                    "reach": self.count("reach", 500, 20_000),
                    "budget_eur": round(self.random("campaign").uniform(1_000, 40_000), 2),
                }
            ],
        )
        if self.agency.kind == "DGVG":
            titles = (
                "Detección e identificación de víctimas de trata",
                "Atención a víctimas menores",
                "Coordinación entre servicios sociales y policía",
            )
            groups = ("POLICE", "SOCIAL_SERVICES", "HEALTH")
            put(
                "s3_trainings",
                [
                    {
                        "title": title,
                        "target_group": group,
                        "modality": "IN_PERSON",
                        "hours": 20,
                        "participants": participants,
                        "participants_f": participants * 2 // 3,
                        "participants_m": participants - participants * 2 // 3,
                    }
                    for title, group, participants in zip(
                        titles, groups, CALIBRATION["training_participants"], strict=True
                    )
                ],
            )
        put("s3_demand_actions", self.count("demand", 0, 6))
        put("s3_demand_actions_description", "Campañas dirigidas a potenciales clientes.")
        put("s3_coordination_meetings", self.count("meetings", 2, 12))
        if "s3_social_forum" in self.asked:
            put("s3_social_forum", "YES" if self.agency.kind in ("NGO", "DGVG") else "NO")
        if "s3_framework_protocol_meetings" in self.asked:
            put("s3_framework_protocol_meetings", self.random("protocol-meetings").randint(1, 4))
        put("s3_prevention_narrative", "Refuerzo de la coordinación territorial.")
        if self.agency.kind == "CCAA":
            in_force = self.agency.region in CALIBRATION["protocols"]
            rng = self.random("protocol")
            put(
                "s3_regional_protocol_in_force",
                "YES" if in_force else rng.choice(["NO", "IN_PREPARATION"]),
            )
            if in_force:
                put(
                    "s3_regional_protocol_adopted_on",
                    datetime.date(2015 + rng.randint(0, 2), rng.randint(1, 12), 1),
                )
                put(
                    "s3_regional_protocol_url",
                    f"https://www.ejemplo.es/{self.agency.region.lower()}/protocolo-trata.pdf",
                )
        if self.agency.kind == "FEMP":
            put("s3_municipal_measures", self.count("ordinances", 2, 10))
            put(
                "s3_municipal_measures_description",
                "Ordenanzas de convivencia y planes municipales.",
            )
        if self.agency.kind == "MIN_EMP":
            inspections = self.count("inspections", 300, 900)
            put("s3_labour_inspections_risk", inspections)
            sectors = ("A", "I", "T", "C")
            put(
                "s3_labour_inspections_by_sector",
                {
                    code: {"inspections": part}
                    for code, part in zip(sectors, split(inspections, [5, 3, 2, 1]), strict=True)
                },
            )

    def evaluation(self, value: dict) -> None:
        put = value.__setitem__
        rng = self.random("evaluation")
        planned = round(rng.uniform(20_000, 500_000) * self.scale, 2)
        put("s4_evaluation_type", rng.choice(["INTERNAL", "EXTERNAL", "BOTH"]))
        put(
            "s4_indicators",
            [
                {
                    "name": "Víctimas atendidas",
                    "unit": "personas",
                    "baseline": 40.0,
                    "target": 60.0,
                    "achieved": 52.0,
                }
            ],
        )
        put("s4_budget_planned_eur", planned)
        if "s4_plan_budget" in self.asked and self.agency.kind == "DGVG":
            rest = PLAN_BUDGET["total"] - PLAN_BUDGET["P1"] - PLAN_BUDGET["P5"]
            middle = [round(rest * share, 2) for share in (0.45, 0.2)]
            middle.append(round(rest - sum(middle), 2))
            planned_by = dict(
                zip(
                    ("P1", "P2", "P3", "P4", "P5"),
                    (PLAN_BUDGET["P1"], *middle, PLAN_BUDGET["P5"]),
                    strict=True,
                )
            )
            put("s4_plan_budget", {code: {"planned": eur} for code, eur in planned_by.items()})
        put("s4_budget_executed_eur", round(planned * rng.uniform(0.7, 1.05), 2))
        put("s4_difficulties", ["DATA", "COORDINATION"])
        put("s4_results", "Aumento de las derivaciones entre servicios.")
        put("s4_good_practices", "Mesas de coordinación territoriales.")
        put("s4_recommendations", "Mejorar el registro de datos desagregados.")
        put("s4_data_quality", rng.choice(["COMPLETE", "PARTIAL"]))


if __name__ == "__main__":
    sys.exit(main())
