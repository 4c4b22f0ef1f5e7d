"""Disclosure control on crafted publications: what a reader can work out from what is
printed, and what the protection leaves them.

Each table here is made the way the summary makes its tables: every figure is the sum
of atoms (one agency's value of one item), and a total is the sum of the same atoms as
its parts. The attacker (the audit) is tested on weak patterns written by hand, so that
it can be seen to fail; the protection is tested by the audit and by the intervals it
reports.
"""

import pytest

from rapporteur.definition import Text
from rapporteur.disclosure import Rules, publish
from rapporteur.disclosure.audit import audit
from rapporteur.disclosure.model import PERCENT, Facts
from rapporteur.disclosure.publication import copied
from rapporteur.figures import Atom
from rapporteur.rounds import Round
from rapporteur.summary import Column, Row, Summary, Table

ROUND = "2018-12"


def label(text: str) -> Text:
    return Text(es=text, en=text)


class Office:
    """What agencies returned, as atoms, and the relations their returns obey."""

    def __init__(self) -> None:
        self.values: dict[Atom, float] = {}
        self.kinds: dict[tuple[str, str], str] = {}
        self.relations: list = []

    def gave(self, agency: str, item: str, value: float, kind: str = "CCAA") -> Atom:
        atom = Atom(ROUND, agency, tuple(item.split(".")))
        self.values[atom] = value
        self.kinds[(ROUND, agency)] = kind
        return atom

    def adds_up(self, parts: list[Atom], total: Atom) -> None:
        """A complete breakdown in one agency's return: the parts make the total."""
        self.relations.append(((*((part, 1.0) for part in parts), (total, -1.0)), True))

    def facts(self) -> Facts:
        return Facts(self.values, self.relations, self.kinds)


def table(
    office: Office,
    table_id: str,
    body: dict[str, dict[str, list[Atom]]],
    *,
    totals: bool = True,
    subnational: tuple[str, ...] = (),
    percent: bool = False,
) -> Table:
    """A table of persons; with `totals`, a total column and a total row made of the
    same atoms as the cells they add up."""
    keys = list(dict.fromkeys(column for cells in body.values() for column in cells))
    columns = [Column(key, label(key)) for key in keys]
    if totals:
        columns.append(Column("TOTAL", label("Total")))
    if percent:
        columns.append(Column(PERCENT, label("%"), persons=False))
    rows = []
    for key, cells in body.items():
        row = Row(key, label(key), subnational=key in subnational)
        for column, atoms in cells.items():
            _put(office, row, column, atoms)
        if totals:
            _put(office, row, "TOTAL", [atom for atoms in cells.values() for atom in atoms])
        rows.append(row)
    if totals:
        total = Row("TOTAL", label("Total"))
        for column in keys:
            atoms = [atom for cells in body.values() for atom in cells.get(column, [])]
            _put(office, total, column, atoms)
        everything = [atom for cells in body.values() for atoms in cells.values() for atom in atoms]
        _put(office, total, "TOTAL", everything)
        rows.append(total)
    return Table(
        table_id,
        label(table_id),
        label("row"),
        columns,
        rows,
        total_row="TOTAL" if totals else None,
        total_column="TOTAL" if totals else None,
    )


def _put(office: Office, row: Row, column: str, atoms: list[Atom]) -> None:
    row.values[column] = sum(office.values[atom] for atom in atoms)
    row.sources[column] = frozenset(atoms)


def views(*tables: Table, **more: list[Table]) -> dict[str, Summary]:
    found = {"region": Summary(Round.parse(ROUND), None, "region", list(tables))}
    for name, extra in more.items():
        found[name] = Summary(Round.parse(ROUND), None, "region", extra)
    return found


def printed(published: dict[str, Summary], table_id: str, view: str = "region") -> dict:
    found = next(t for t in published[view].tables if t.id == table_id)
    return {(row.key, key): value for row in found.rows for key, value in row.values.items()}


def weakened(
    original: dict[str, Summary], marks: dict[tuple[str, str, str], str]
) -> dict[str, Summary]:
    """The views printed with the given marks and every other figure as it is: a
    protection written by hand."""
    weak = {name: copied(summary) for name, summary in original.items()}
    for (table_id, row_key, column), mark in marks.items():
        for summary in weak.values():
            for found in summary.tables:
                if found.id == table_id:
                    next(row for row in found.rows if row.key == row_key).values[column] = mark
    return weak


def interval(report, table_id: str, row_key: str, column: str) -> tuple[float, float]:
    """The attacker's interval for the figure printed at that cell."""
    for finding in report.findings:
        for place in report.model.figures[finding.figure].places:
            found = report.views[place.view].tables[place.table]
            if (found.id, found.rows[place.row].key, place.column) == (table_id, row_key, column):
                return finding.low, finding.high
    raise AssertionError(f"{table_id}/{row_key}/{column} is not hidden")


RULES = Rules()


# The attacker --------------------------------------------------------------------------


def two_small_in_a_row(office: Office) -> dict[str, Summary]:
    """Row r1: 1 + 1 + 30 = 32. Row r2: 20 + 25 + 40 = 85."""
    body: dict[str, dict[str, list[Atom]]] = {"r1": {}, "r2": {}}
    for row, column, value in (
        ("r1", "a", 1), ("r1", "b", 1), ("r1", "c", 30),
        ("r2", "a", 20), ("r2", "b", 25), ("r2", "c", 40),
    ):  # fmt: skip
        body[row][column] = [office.gave(f"{row}-{column}", "f", value)]
    return views(table(office, "t", body))


def test_the_attacker_undoes_the_old_line_by_line_pattern_with_what_lt5_says():
    # The old heuristic saw two hidden cells in row r1 and left them: but "<5" says at
    # least 1, and 32 − 30 = 2 leaves room for nothing but 1 and 1.
    office = Office()
    original = two_small_in_a_row(office)
    old = weakened(
        original,
        {("t", "r1", "a"): "<5", ("t", "r1", "b"): "<5",
         ("t", "r2", "a"): "c", ("t", "r2", "b"): "c"},
    )  # fmt: skip
    report = audit(old, RULES, office.facts())
    assert not report.ok
    assert interval(report, "t", "r1", "a") == (1, 1)
    assert interval(report, "t", "r1", "b") == (1, 1)


def test_the_protection_keeps_each_small_figure_anywhere_from_1_to_4():
    office = Office()
    published, report = publish(two_small_in_a_row(office), RULES, office.facts())
    assert report.ok
    cells = printed(published, "t")
    assert cells[("r1", "a")] == cells[("r1", "b")] == "<5"
    assert interval(report, "t", "r1", "a") == (1, 4)
    assert interval(report, "t", "r1", "b") == (1, 4)
    # What is hidden besides is the least it can be: one figure of row r1 and of row r2.
    hidden = [key for key, value in cells.items() if value == "c"]
    assert len(hidden) >= 2 and cells[("TOTAL", "TOTAL")] == 117


def test_the_attacker_finds_a_figure_given_away_by_another_table():
    # The breakdown by sex hides the 2 men and its own total, but the table by region
    # prints the national total, and each agency's breakdown adds up to its total.
    office = Office()
    totals = {
        agency: office.gave(agency, "victims", value) for agency, value in (("x", 30), ("y", 32))
    }
    women = {agency: office.gave(agency, "victims.sex.F", 30) for agency in totals}
    men = {
        agency: office.gave(agency, "victims.sex.M", value)
        for agency, value in (("x", 0), ("y", 2))
    }
    for agency in totals:
        office.adds_up([women[agency], men[agency]], totals[agency])
    by_region = table(office, "by_region", {"r1": {"v": [totals["x"]]}, "r2": {"v": [totals["y"]]}})
    by_sex = table(office, "by_sex", {"all": {"F": list(women.values()), "M": list(men.values())}})
    original = views(by_region, by_sex)
    weak = weakened(
        original,
        {("by_sex", "all", "M"): "<5", ("by_sex", "TOTAL", "M"): "<5",
         ("by_sex", "all", "TOTAL"): "c", ("by_sex", "TOTAL", "TOTAL"): "c"},
    )  # fmt: skip
    report = audit(weak, RULES, office.facts())
    assert interval(report, "by_sex", "all", "M") == (2, 2)
    assert not report.ok

    published, report = publish(original, RULES, office.facts())
    assert report.ok
    assert printed(published, "by_sex")[("all", "M")] == "<5"
    assert interval(report, "by_sex", "all", "M") == (1, 4)


def test_a_figure_is_printed_the_same_in_every_table_and_view():
    office = Office()
    atoms = {
        name: office.gave(name, "f", value) for name, value in (("p", 3), ("q", 40), ("r", 41))
    }
    by_region = table(
        office, "by_region", {"r1": {"v": [atoms["p"], atoms["q"]]}, "r2": {"v": [atoms["r"]]}}
    )
    by_agency = table(office, "by_agency", {name: {"v": [atom]} for name, atom in atoms.items()})
    published, report = publish(views(by_region, by_agency=[by_agency]), RULES, office.facts())
    assert report.ok
    region, agency = printed(published, "by_region"), printed(published, "by_agency", "by_agency")
    assert agency[("p", "v")] == "<5"
    # The national total is the same figure in both views, printed the same.
    assert region[("TOTAL", "v")] == agency[("TOTAL", "v")]
    # p is 3 of region r1's 43: printing 43 beside p's hidden neighbours would be
    # checked by the audit; here nothing hidden anywhere is printed anywhere else.
    assert report.problems == []


# Primary sensitivity -------------------------------------------------------------------


def test_small_figures_are_shown_below_their_threshold_and_zeros_as_they_are():
    office = Office()
    body = {
        name: {"v": [office.gave(name, "f", value)]}
        for name, value in (("n0", 0), ("n1", 1), ("n4", 4), ("n5", 5), ("s9", 9), ("s10", 10))
    }
    published, report = publish(
        views(table(office, "t", body, totals=False, subnational=("s9", "s10"))),
        RULES,
        office.facts(),
    )
    assert report.ok
    column = {row: value for (row, _), value in printed(published, "t").items()}
    assert column == {"n0": 0, "n1": "<5", "n4": "<5", "n5": 5, "s9": "<10", "s10": 10}


def test_thresholds_come_from_the_rules():
    office = Office()
    body = {name: {"v": [office.gave(name, "f", value)]} for name, value in (("a", 5), ("b", 6))}
    published, _ = publish(
        views(table(office, "t", body, totals=False)), Rules(threshold=6), office.facts()
    )
    assert printed(published, "t") == {("a", "v"): "<6", ("b", "v"): 6}


def ngo_regions(office: Office, regions: dict[str, list[float]], kind: str = "NGO") -> Table:
    body = {
        region: {
            "v": [office.gave(f"{region}-{n}", "f", value, kind) for n, value in enumerate(values)]
        }
        for region, values in regions.items()
    }
    return table(office, "by_region", body, subnational=tuple(regions))


def test_a_region_served_by_one_ngo_does_not_print_that_ngos_figure():
    office = Office()
    regions = {"ES-AN": [40], "ES-CT": [30, 20], "ES-MD": [25]}
    published, report = publish(views(ngo_regions(office, regions)), RULES, office.facts())
    assert report.ok
    cells = printed(published, "by_region")
    assert cells[("ES-AN", "v")] == cells[("ES-MD", "v")] == "c"
    assert cells[("ES-CT", "v")] == 50 and cells[("TOTAL", "v")] == 115
    # The reader cannot get within 30 % of the NGO's 40: ES-AN + ES-MD = 65, each ≥ 10.
    low, high = interval(report, "by_region", "ES-AN", "v")
    assert low <= 28 and high >= 52


def test_a_lone_ngo_is_not_given_away_by_the_total_either():
    office = Office()
    published, report = publish(
        views(ngo_regions(office, {"ES-AN": [40], "ES-CT": [30, 20]})), RULES, office.facts()
    )
    assert report.ok
    cells = printed(published, "by_region")
    assert cells[("ES-AN", "v")] == "c"
    assert not (isinstance(cells[("ES-CT", "v")], int) and isinstance(cells[("TOTAL", "v")], int))


@pytest.mark.parametrize(
    ("values", "kind", "minimum", "hidden"),
    [
        ([40], "NGO", 2, True),
        ([30, 20], "NGO", 2, False),
        ([50, 0], "NGO", 2, True),  # an NGO that gave 0 does not hide the other's figure
        ([30, 20], "NGO", 3, True),
        ([40], "CCAA", 2, False),  # per-agency figures of regions are published
    ],
)
def test_figures_from_too_few_agencies_of_a_confidential_kind_are_hidden(
    values, kind, minimum, hidden
):
    office = Office()
    body = {"ES-AN": {"v": [office.gave(f"a{n}", "f", v, kind) for n, v in enumerate(values)]}}
    published, report = publish(
        views(table(office, "t", body, totals=False)),
        Rules(minimum_agencies=minimum),
        office.facts(),
    )
    assert report.ok
    assert (printed(published, "t")[("ES-AN", "v")] == "c") is hidden


# When nothing else will do ------------------------------------------------------------


def test_a_figure_no_pattern_can_protect_is_withdrawn():
    # Four boys in four age bands: their total, "<5", says at most 4, and each "<5"
    # says at least 1, so every band would be known to be 1 whatever else is hidden.
    office = Office()
    body = {band: {"M": [office.gave(band, "f", 1)]} for band in ("b1", "b2", "b3", "b4")}
    published, report = publish(views(table(office, "t", body)), RULES, office.facts())
    assert report.ok
    assert set(printed(published, "t").values()) == {"x"}
    notes = [note.render("es") for note in published["region"].tables[0].notes]
    assert any("«x»: cifra retirada" in note for note in notes)


def test_only_the_figures_that_give_each_other_away_are_withdrawn():
    # The same four boys beside the girls of the same bands: the boys' figures are
    # withdrawn, and still protected (the girls' are hidden, or 21 − 20 would give the
    # boy away), but the bands' totals are published, where once the whole table went.
    office = Office()
    body = {
        band: {"F": [office.gave(f"{band}-F", "f", girls)], "M": [office.gave(band, "f", 1)]}
        for band, girls in (("b1", 20), ("b2", 30), ("b3", 25), ("b4", 40))
    }
    published, report = publish(views(table(office, "t", body)), RULES, office.facts())
    assert report.ok
    shown = printed(published, "t")
    assert {shown[(band, "M")] for band in ("b1", "b2", "b3", "b4")} == {"x"}
    assert shown[("TOTAL", "M")] == "x"
    assert [shown[(band, "TOTAL")] for band in ("b1", "b2", "b3", "b4")] == [21, 31, 26, 41]
    assert shown[("TOTAL", "TOTAL")] == 119
    assert sum(value == "x" for value in shown.values()) == 5


def test_out_of_time_every_figure_but_zeros_is_hidden_and_the_table_says_so():
    office = Office()
    published, report = publish(two_small_in_a_row(office), Rules(time_limit=1e-9), office.facts())
    assert report.ok
    values = set(printed(published, "t").values())
    assert values <= {"<5", "c"}
    notes = " ".join(note.render("en") for note in published["region"].tables[0].notes)
    assert "could not be chosen within" in notes


# Percentages, notes and the audit's own checks -----------------------------------------


def test_a_percentage_is_printed_only_beside_a_printed_figure_and_base():
    office = Office()
    body = {
        name: {"TOTAL": [office.gave(name, "f", value)]}
        for name, value in (("x", 2), ("y", 60), ("z", 38))
    }
    t = table(office, "t", body, totals=False, percent=True)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "TOTAL", [atom for row in body.values() for atom in row["TOTAL"]])
    t.rows.append(total)
    t.total_row = "TOTAL"
    published, report = publish(views(t), RULES, office.facts())
    assert report.ok
    rows = {row.key: row.values for row in published["region"].tables[0].rows}
    for values in rows.values():
        assert (PERCENT in values) is isinstance(values["TOTAL"], int)
    assert rows["x"]["TOTAL"] == "<5" and PERCENT not in rows["x"]


def test_every_published_table_says_which_rules_it_follows_in_the_readers_language():
    office = Office()
    published, _ = publish(
        views(ngo_regions(office, {"ES-AN": [4], "ES-CT": [30, 20], "ES-MD": [25]})),
        RULES,
        office.facts(),
    )
    notes = published["region"].tables[0].notes
    spanish = " ".join(note.render("es") for note in notes)
    english = " ".join(note.render("en") for note in notes)
    assert "«<10»: de 1 a 9 personas." in spanish
    assert "menos de 2 organismos" in spanish and "(ONG)" in spanish
    assert "«c»: cifra oculta" in spanish
    assert "'<10': 1 to 9 persons." in english and "fewer than 2 agencies" in english


def test_the_audit_names_a_small_figure_printed_a_changed_figure_and_a_figure_printed_two_ways():
    office = Office()
    original = two_small_in_a_row(office)
    published, _ = publish(original, RULES, office.facts())
    tampered = weakened(published, {("t", "r1", "a"): 1, ("t", "r2", "c"): 41})
    problems = [problem.render("en") for problem in audit(tampered, RULES, office.facts()).problems]
    assert any("a figure the publication rules require hidden is printed" in p for p in problems)
    assert any("41 is published, but the archived figure is 40" in p for p in problems)

    twice = {"region": copied(published["region"]), "copy": copied(published["region"])}
    twice["copy"].tables[0].rows[0].values["a"] = "c"
    problems = [problem.render("en") for problem in audit(twice, RULES, office.facts()).problems]
    assert any("the same figure is published in different ways" in p for p in problems)


# The protection is optimal, and counts persons whole ------------------------------------


def cheapest_protection(office: Office, original: dict[str, Summary]) -> tuple[float, float]:
    """The cost of what the protection hides, and the least cost of any pattern the
    audit passes, found by trying patterns from the cheapest up."""
    from itertools import combinations

    from rapporteur.disclosure.model import build_model
    from rapporteur.disclosure.publication import apply
    from rapporteur.disclosure.suppression import (
        HIDDEN,
        SHOWN,
        SMALL,
        Protection,
        protect,
        sensitivity,
    )

    facts = office.facts()
    model = build_model(original, RULES, facts)
    reasons = {i: found for i, f in enumerate(model.figures) if (found := sensitivity(f, RULES))}
    others = [i for i, f in enumerate(model.figures) if f.value and i not in reasons]

    def cost(hidden) -> float:
        return sum(model.figures[i].value * len(model.figures[i].places) for i in hidden)

    def passes(hidden) -> bool:
        states = [
            SMALL if "small" in reasons.get(i, ()) else HIDDEN if i in reasons or i in hidden
            else SHOWN
            for i in range(len(model.figures))
        ]  # fmt: skip
        published = {name: copied(summary) for name, summary in original.items()}
        apply(published, model, Protection(states, reasons), RULES)
        return audit(published, RULES, facts).ok

    chosen = {i for i in others if protect(model, RULES).states[i] == HIDDEN}
    assert passes(chosen)
    patterns = sorted(
        (hidden for size in range(len(others) + 1) for hidden in combinations(others, size)),
        key=cost,
    )
    return cost(chosen), next(cost(hidden) for hidden in patterns if passes(hidden))


def grid(office: Office, cells: dict[str, dict[str, float]], kind: str = "CCAA") -> dict:
    return {
        row: {
            column: [office.gave(f"{row}{column}", "f", value, kind)]
            for column, value in values.items()
        }
        for row, values in cells.items()
    }


def test_what_else_is_hidden_is_the_least_that_protects():
    office = Office()
    body = grid(office, {"r1": {"a": 3, "b": 12}, "r2": {"a": 9, "b": 7}})
    chosen, least = cheapest_protection(office, views(table(office, "t", body)))
    assert chosen == least


def test_the_least_pattern_knows_a_c_is_at_least_the_threshold_and_counts_places():
    # Hiding the 6 beside the 1 would leave it between 5 and 7: not enough room to
    # hide a "<5". The totals of the rows are printed twice (a second table repeats
    # them), which makes hiding them dearer.
    office = Office()
    body = grid(office, {"r1": {"a": 1, "b": 6, "c": 50}, "r2": {"a": 9, "b": 30, "c": 40}})
    first = table(office, "t", body)
    again = Table(
        "again", label("again"), label("r"), [Column("TOTAL", label("T"))],
        [Row(row.key, label(row.key), {"TOTAL": row.values["TOTAL"]},
             sources={"TOTAL": row.sources["TOTAL"]}) for row in first.rows],
    )  # fmt: skip
    chosen, least = cheapest_protection(office, views(first, again))
    assert chosen == least


def test_the_least_pattern_under_a_small_total():
    # Two boys, in two bands: their total is small too. Each band can only range as far
    # as "<5" on the total leaves it.
    office = Office()
    body = grid(office, {"b1": {"F": 20, "M": 1}, "b2": {"F": 30, "M": 2}})
    original = views(table(office, "t", body))
    chosen, least = cheapest_protection(office, original)
    assert chosen == least
    _, report = publish(original, RULES, office.facts())
    assert report.ok
    assert interval(report, "t", "b1", "M") == (1, 3)
    assert interval(report, "t", "b2", "M") == (1, 3)


def test_the_attacker_counts_persons_whole():
    # x + y, y + z and x + z are each at most w = 1: in fractions x + y + z could be 1.5,
    # in persons it is at most 1.
    from rapporteur.disclosure.attacker import Attack, Known
    from rapporteur.disclosure.model import build_model, components

    office = Office()
    x, y, z = (
        office.gave("a", f"f.{name}", value) for name, value in (("x", 1), ("y", 0), ("z", 0))
    )
    w = office.gave("a", "g", 1)
    for first, second in ((x, y), (y, z), (x, z)):
        office.relations.append((((first, 1.0), (second, 1.0), (w, -1.0)), False))
    parts = table(office, "t", {"s": {"v": [x, y, z]}, "w": {"v": [w]}}, totals=False)
    model = build_model(views(parts), RULES, office.facts())
    [component] = components(model, set())
    s, w_figure = component.figures
    attack = Attack(component, {s: Known(0, None), w_figure: Known(1, 1)})
    assert attack.optimum(s, upward=True).value == pytest.approx(1.5)
    assert not attack.optimum(s, upward=True).whole
    assert attack.interval(s) == (0, 1)


# What is never published, and what the audit checks without a solver -----------------


def round_with(expected: dict[str, str]):
    from rapporteur.definition import load_definition
    from rapporteur.summary import RoundData

    return RoundData(Round.parse(ROUND), load_definition(), {}, expected)


def test_free_text_and_the_rows_of_confidential_agencies_are_never_published():
    from rapporteur.disclosure.publication import prepare

    office = Office()
    by_agency = table(
        office,
        "s1_by_agency",
        {name: {"v": [office.gave(name, "f", 20, kind)]}
         for name, kind in (("ong-1", "NGO"), ("ccaa-an", "CCAA"))},
    )  # fmt: skip
    by_agency.rows_by = "agency"
    free = Table("s3_trainings", label("t"), label("r"), [], [Row("x", label("x"))], free_text=True)
    summary = Summary(Round.parse(ROUND), None, "agency", [by_agency, free])
    summary.rounds = {summary.round: round_with({"ong-1": "NGO", "ccaa-an": "CCAA"})}
    prepared = prepare({"agency": summary}, RULES)["agency"]
    assert [table.id for table in prepared.tables] == ["s1_by_agency"]
    assert [row.key for row in prepared.tables[0].rows] == ["ccaa-an", "TOTAL"]
    assert "Sin cifras por organismo de los tipos ONG" in " ".join(
        note.render("es") for note in prepared.tables[0].notes
    )

    problems = [p.render("en") for p in audit({"agency": summary}, RULES, office.facts()).problems]
    assert any("a table of free text cannot be published" in p for p in problems)
    assert any("the row of ong-1 gives the figures of a confidential agency" in p for p in problems)


def test_small_nationalities_fold_into_other_with_what_they_add_up():
    from rapporteur.disclosure.publication import prepare

    office = Office()
    counts = {"NG": 40, "RO": 20, "PY": 5, "BR": 4, "CO": 3}  # 5 is not under the threshold
    rows = []
    for code, value in counts.items():
        row = Row(code, label(code))
        _put(office, row, "TOTAL", [office.gave("a", f"f.{code}", value)])
        rows.append(row)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "TOTAL", [atom for row in rows for atom in row.sources["TOTAL"]])
    ranked = Table("nat", label("nat"), label("n"), [Column("TOTAL", label("T"))],
                   [*rows, total], total_row="TOTAL", ranked=True)  # fmt: skip
    prepared = prepare(views(ranked), RULES)["region"].tables[0]
    assert [row.key for row in prepared.rows] == ["NG", "RO", "PY", "OTHER", "TOTAL"]
    other = prepared.rows[3]
    assert other.values["TOTAL"] == 7
    assert {atom.item for atom in other.sources["TOTAL"]} == {("f", "BR"), ("f", "CO")}


def test_the_audit_flags_a_percentage_beside_a_hidden_figure_or_a_small_base():
    office = Office()
    body = {
        name: {"TOTAL": [office.gave(name, "f", value)]} for name, value in (("x", 2), ("y", 60))
    }
    t = table(office, "t", body, totals=False, percent=True)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "TOTAL", [atom for row in body.values() for atom in row["TOTAL"]])
    t.rows.append(total)
    t.total_row = "TOTAL"
    published, report = publish(views(t), RULES, office.facts())
    assert report.ok
    rows = published["region"].tables[0].rows
    assert rows[1].values.get(PERCENT) is None or isinstance(rows[1].values["TOTAL"], int)
    rows[0].values[PERCENT] = 3.2
    problems = [p.render("en") for p in audit(published, RULES, office.facts()).problems]
    assert problems == ["t: the percentage of x stands beside a figure or base not published, "
                        "or a small base."]  # fmt: skip
    rows[0].values.pop(PERCENT)
    assert audit(published, Rules(minimum_percentage_base=1000), office.facts()).problems


def test_a_mark_that_says_something_untrue_is_a_problem():
    office = Office()
    published, _ = publish(two_small_in_a_row(office), RULES, office.facts())
    for mark, cell in (("<5", ("t", "r2", "c")), ("c", ("t", "r1", "a")), ("?", ("t", "r2", "a"))):
        report = audit(weakened(published, {cell: mark}), RULES, office.facts())
        assert any(f"the mark '{mark}' does not fit the figure" in p.render("en")
                   for p in report.problems), mark  # fmt: skip


def test_a_figure_of_exactly_the_threshold_marked_small_is_a_problem():
    # "<5" says 1 to 4: a 5 printed so is a false statement, however safe.
    office = Office()
    body = {"r1": {"a": [office.gave("r1-a", "f", 5)], "b": [office.gave("r1-b", "f", 30)]}}
    published, _ = publish(views(table(office, "t", body)), RULES, office.facts())
    report = audit(weakened(published, {("t", "r1", "a"): "<5"}), RULES, office.facts())
    assert any("the mark '<5' does not fit the figure" in p.render("en") for p in report.problems)


def test_each_kind_of_hidden_figure_has_its_own_protection_interval():
    # No totals: the reader knows each figure from its mark alone, and the audit says
    # what each must be left.
    office = Office()
    persons = {
        "s1": (1, "CCAA"), "s2": (2, "CCAA"), "s4": (4, "CCAA"),
        "n40": (40, "NGO"), "n12": (12, "NGO"), "n10": (10, "NGO"),
    }  # fmt: skip
    body = {
        name: {"v": [office.gave(name, "f", value, kind)]}
        for name, (value, kind) in persons.items()
    }
    counted = table(office, "t", body, totals=False, subnational=("n40", "n12", "n10"))
    money = Table("eur", label("eur"), label("r"), [Column("v", label("€"), persons=False)], [])
    row = Row("e", label("e"))
    _put(office, row, "v", [office.gave("ngo-e", "budget", 1000.5, "NGO")])
    money.rows.append(row)
    _, report = publish(views(counted, money), RULES, office.facts())
    assert report.ok
    needs = {}
    for finding in report.findings:
        place = report.model.figures[finding.figure].places[0]
        key = report.views[place.view].tables[place.table].rows[place.row].key
        needs[key] = (finding.need_low, finding.need_high, finding.shown)
    assert needs == {
        "s1": (None, 4, "<5"),
        "s2": (1, 4, "<5"),
        "s4": (1, None, "<5"),
        "n40": (28, 52, "c"),  # 30 % of 40 is 12
        "n12": (10, 16, "c"),  # 30 % of 12 is 3.6, so 4; never below "c"'s 10
        "n10": (None, 13, "c"),
        "e": (pytest.approx(700.35), pytest.approx(1300.65), "c"),
    }


def test_a_small_figure_keeps_its_lower_end_too():
    # A rule every return obeys says q ≤ a. With q (cases, not persons) printed as 3,
    # a "<5" that is 3 could not be 1 or 2: q must be hidden as well.
    office = Office()
    a = office.gave("x", "f", 3)
    q = office.gave("x", "g", 3)
    office.relations.append((((q, 1.0), (a, -1.0)), False))
    persons = table(office, "t", {"a": {"v": [a]}}, totals=False)
    cases = Table("cases", label("cases"), label("r"), [Column("v", label("n"), persons=False)], [])
    row = Row("q", label("q"))
    _put(office, row, "v", [q])
    cases.rows.append(row)
    published, report = publish(views(persons, cases), RULES, office.facts())
    assert report.ok
    assert printed(published, "cases")[("q", "v")] == "c"
    assert interval(report, "t", "a", "v")[0] == 1


def test_whole_persons_make_the_protection_hide_more_than_fractions_would():
    # Two groups of three items, any two of a group at most w. With w printed as 1, the
    # six add up to 3 in fractions but to 2 in persons: "<4", which must be able to be
    # 3, is not protected until w is hidden.
    office = Office()
    w = office.gave("x", "w", 1)
    items = [office.gave("x", f"f.{n}", 1 if n == 0 else 0) for n in range(6)]
    for group in (items[:3], items[3:]):
        for first, second in ((0, 1), (1, 2), (0, 2)):
            office.relations.append((((group[first], 1.0), (group[second], 1.0), (w, -1.0)), False))
    persons = table(office, "t", {"s": {"v": items}}, totals=False)
    limit = Table("w", label("w"), label("r"), [Column("v", label("n"), persons=False)], [])
    row = Row("w", label("w"))
    _put(office, row, "v", [w])
    limit.rows.append(row)
    published, report = publish(views(persons, limit), Rules(threshold=4), office.facts())
    assert report.ok
    assert printed(published, "w")[("w", "v")] == "c"
    assert interval(report, "t", "s", "v") == (1, 3)


def test_a_figure_printed_nationally_and_by_region_takes_the_higher_threshold():
    office = Office()
    atom = office.gave("ccaa-ce", "f", 7)
    national = table(office, "by_kind", {"CCAA": {"v": [atom]}}, totals=False)
    regional = table(
        office, "by_region", {"ES-CE": {"v": [atom]}}, totals=False, subnational=("ES-CE",)
    )
    published, report = publish(views(national, regional), RULES, office.facts())
    assert report.ok
    assert printed(published, "by_kind")[("CCAA", "v")] == "<10"
    assert printed(published, "by_region")[("ES-CE", "v")] == "<10"


def test_a_figure_about_persons_without_its_sources_is_refused():
    from rapporteur.disclosure.model import build_model

    office = Office()
    t = table(office, "t", {"r": {"v": [office.gave("x", "f", 3)]}}, totals=False)
    t.rows[0].sources.clear()
    with pytest.raises(ValueError, match="t/r/v: a figure without its sources"):
        build_model(views(t), RULES, office.facts())
    t.rows[0].values["v"] = 0
    build_model(views(t), RULES, office.facts())  # a 0 needs no sources


def test_a_printed_zero_tells_the_attacker_its_items_are_none():
    # 13 = p + q + 10, and q is printed as 0: p is 3, whatever "<5" says.
    office = Office()
    p, q, r = (office.gave(name, "f", value) for name, value in (("p", 3), ("q", 0), ("r", 10)))
    column = table(office, "t", {"p": {"v": [p]}, "q": {"v": [q]}, "r": {"v": [r]}}, totals=False)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "v", [p, q, r])
    column.rows.append(total)
    weak = weakened(views(column), {("t", "p", "v"): "<5"})
    report = audit(weak, RULES, office.facts())
    assert interval(report, "t", "p", "v") == (3, 3)


def test_the_audit_names_the_cell_in_the_readers_language():
    office = Office()
    t = table(office, "t", {"r": {"v": [office.gave("x", "f", 3)]}}, totals=False)
    t.title = Text(es="Víctimas", en="Victims")
    t.rows[0].label = Text(es="Fila", en="Row")
    t.columns[0] = Column("v", Text(es="Mujeres", en="Women"))
    report = audit(views(t), RULES, office.facts())
    [problem] = report.problems
    assert problem.render("es") == (
        "Víctimas · Fila · Mujeres: se publica una cifra que las reglas de publicación "
        "mandan ocultar."
    )
    assert problem.render("en").startswith("Victims · Row · Women: a figure")


def test_a_complement_recovered_exactly_fails_the_audit_on_its_own():
    office = Office()
    old = weakened(
        two_small_in_a_row(office),
        {("t", "r1", "a"): "<5", ("t", "r1", "b"): "<5",
         ("t", "r2", "a"): "c", ("t", "r2", "b"): "c"},
    )  # fmt: skip
    report = audit(old, RULES, office.facts())
    [complement] = [
        finding for finding in report.findings
        if finding.reasons == ("secondary",) and finding.low == 20
    ]  # fmt: skip
    assert (complement.low, complement.high, complement.ok) == (20, 20, False)


def test_publishing_leaves_the_summary_it_was_given_unchanged():
    office = Office()
    original = two_small_in_a_row(office)
    before = [dict(row.values) for row in original["region"].tables[0].rows]
    published, _ = publish(original, RULES, office.facts())
    assert [dict(row.values) for row in original["region"].tables[0].rows] == before
    assert published["region"].published and not original["region"].published


def test_the_audit_records_say_what_a_reader_derives_for_people_and_programs():
    office = Office()
    _, report = publish(two_small_in_a_row(office), RULES, office.facts())
    records = {(r["row"], r["column"]): r for r in report.records("es")}
    small = records[("r1", "a")]
    assert (small["shown"], small["low"], small["high"], small["ok"]) == ("<5", 1, 4, True)
    assert (small["reader"], small["needed"], small["why"]) == ("1 … 4", "≥ 4", "pocas personas")
    assert small["where"] == "t · r1 · a" and small["cell"] == "r1 · a"
    hidden = [r for r in records.values() if r["shown"] == "c"]
    assert hidden and all(r["needed"] == "no exacto" for r in hidden)
    assert {r["why"] for r in hidden} == {"protege a otras"}
    english = report.records("en")
    assert {r["verdict"] for r in english} == {"✓"}


def test_the_rules_come_from_the_workspace_settings():
    from rapporteur.disclosure import rules_of
    from rapporteur.workspace import PublicationSettings

    rules = rules_of(
        PublicationSettings(
            threshold=4, threshold_detailed=8, minimum_agencies=3,
            confidential_kinds=("NGO", "FEMP"), protection_percent=20,
            minimum_percentage_base=12, time_limit_seconds=5,
        )
    )  # fmt: skip
    assert rules == Rules(4, 8, 3, frozenset({"NGO", "FEMP"}), 20, 12, 5.0)


def test_two_small_figures_side_by_side_each_keep_their_whole_range():
    # 3 + 4 + 30 = 37: were only the two small ones hidden, each would be at least 3.
    office = Office()
    body = grid(office, {"r": {"a": 3, "b": 4, "c": 30}})
    published, report = publish(views(table(office, "t", body)), RULES, office.facts())
    assert report.ok
    assert interval(report, "t", "r", "a") == (1, 4)
    assert interval(report, "t", "r", "b") == (1, 4)
    assert printed(published, "t")[("r", "c")] == "c"


def test_what_cannot_all_be_true_is_named():
    office = Office()
    published, _ = publish(two_small_in_a_row(office), RULES, office.facts())
    # r2's row total printed as 90 while its cells print 40 and hide the rest.
    tampered = weakened(published, {("t", "TOTAL", "TOTAL"): 1000, ("t", "r1", "TOTAL"): 0})
    problems = [p.render("es") for p in audit(tampered, RULES, office.facts()).problems]
    assert any("lo publicado no puede ser cierto a la vez" in p and p.startswith("t · ")
               for p in problems), problems  # fmt: skip


def test_percentages_are_computed_on_the_printed_base_from_its_minimum():
    office = Office()
    body = {
        name: {"TOTAL": [office.gave(name, "f", value)]} for name, value in (("x", 6), ("y", 4))
    }
    t = table(office, "t", body, totals=False, percent=True)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "TOTAL", [atom for row in body.values() for atom in row["TOTAL"]])
    t.rows.append(total)
    t.total_row = "TOTAL"
    published, report = publish(views(t), Rules(threshold=3), office.facts())
    assert report.ok
    rows = {row.key: row.values for row in published["region"].tables[0].rows}
    assert (rows["x"][PERCENT], rows["y"][PERCENT], rows["TOTAL"][PERCENT]) == (60.0, 40.0, 100.0)
    published, _ = publish(views(t), Rules(threshold=3, minimum_percentage_base=11), office.facts())
    assert all(PERCENT not in row.values for row in published["region"].tables[0].rows)


def test_the_attackers_duals_say_how_far_each_printed_figure_moves_its_optimum():
    # a + b + c = T. With b and T printed and c hidden ("c": at least 5), the reader's
    # maximum of a is T − b − 5: it rises one for each person more in T, falls one for
    # each more in b or in c's lower limit. These are what the cuts are made of.
    from rapporteur.disclosure.attacker import Attack, Known
    from rapporteur.disclosure.model import build_model, components

    office = Office()
    a, b, c = (office.gave(name, "f", value) for name, value in (("a", 1), ("b", 30), ("c", 9)))
    body = {"a": {"v": [a]}, "b": {"v": [b]}, "c": {"v": [c]}}
    column = table(office, "t", body, totals=False)
    total = Row("TOTAL", label("Total"))
    _put(office, total, "v", [a, b, c])
    column.rows.append(total)
    model = build_model(views(column), RULES, office.facts())
    [component] = components(model, set())
    index = {model.figures[i].places[0].row: i for i in component.figures}
    fa, fb, fc, ft = index[0], index[1], index[2], index[3]
    attack = Attack(
        component,
        {fa: Known(1, 4), fb: Known(30, 30), fc: Known(5, None), ft: Known(40, 40)},
    )
    up = attack.optimum(fa, upward=True)
    assert up.value == pytest.approx(4)  # "<5" itself binds first
    attack = Attack(
        component,
        {fa: Known(0, None), fb: Known(30, 30), fc: Known(5, None), ft: Known(40, 40)},
    )
    up = attack.optimum(fa, upward=True)
    assert up.value == pytest.approx(5)
    assert up.gains[ft] == pytest.approx(1) and up.gains[fb] == pytest.approx(-1)
    assert up.floors[fc] == pytest.approx(-1)
    down = attack.optimum(fa, upward=False)
    assert down.value == pytest.approx(0)
