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
    assert "menos de 2 organismos" in spanish and "(NGO)" in spanish
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


def test_what_else_is_hidden_is_the_least_that_protects():
    # Every pattern of a small table is tried: the protection must find one that the
    # audit passes, and none that passes costs less (hidden values, per place printed).
    from itertools import combinations

    from rapporteur.disclosure.model import build_model
    from rapporteur.disclosure.suppression import HIDDEN, SHOWN, SMALL, protect

    office = Office()
    body = {"r1": {}, "r2": {}}
    for row, column, value in (("r1", "a", 3), ("r1", "b", 12), ("r2", "a", 9), ("r2", "b", 7)):
        body[row][column] = [office.gave(f"{row}{column}", "f", value)]
    original = views(table(office, "t", body))
    facts = office.facts()
    model = build_model(original, RULES, facts)
    chosen = protect(model, RULES).states
    small = [i for i, figure in enumerate(model.figures) if 0 < figure.value < 5]
    others = [i for i, figure in enumerate(model.figures) if figure.value >= 5]

    def passes(hidden: set[int]) -> bool:
        states = [SMALL if i in small else HIDDEN if i in hidden else SHOWN
                  for i in range(len(model.figures))]  # fmt: skip
        published = {"region": copied(original["region"])}
        from rapporteur.disclosure.publication import apply
        from rapporteur.disclosure.suppression import Protection

        apply(published, model, Protection(states, {i: {"small"} for i in small}), RULES)
        return audit(published, RULES, facts).ok

    def cost(hidden) -> float:
        return sum(model.figures[i].value * len(model.figures[i].places) for i in hidden)

    best = min(
        (
            cost(hidden)
            for size in range(len(others) + 1)
            for hidden in combinations(others, size)
            if passes(set(hidden))
        ),
    )
    hidden = {i for i in others if chosen[i] == HIDDEN}
    assert passes(hidden)
    assert cost(hidden) == best


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
    assert "Sin cifras por organismo de los tipos NGO" in " ".join(
        note.render("es") for note in prepared.tables[0].notes
    )

    problems = [p.render("en") for p in audit({"agency": summary}, RULES, office.facts()).problems]
    assert any("a table of free text cannot be published" in p for p in problems)
    assert any("the row of ong-1 gives the figures of a confidential agency" in p for p in problems)


def test_small_nationalities_fold_into_other_with_what_they_add_up():
    from rapporteur.disclosure.publication import prepare

    office = Office()
    counts = {"NG": 40, "RO": 20, "BR": 4, "CO": 3}
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
    assert [row.key for row in prepared.rows] == ["NG", "RO", "OTHER", "TOTAL"]
    other = prepared.rows[2]
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
