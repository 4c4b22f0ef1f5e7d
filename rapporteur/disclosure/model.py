"""A publication as its reader can reason about it: figures, their places, their ties.

Every figure of every table and view of a publication is a sum of atoms (see
rapporteur.figures). Places that add up the same atoms print the same figure, whatever
table, view or column they are in, so a figure is hidden everywhere or nowhere. Figures
are tied to each other by shared atoms and by the relations every return obeys; the
`Component`s of those ties are independent problems, each small enough to solve exactly.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from rapporteur.figures import Atom, return_facts
from rapporteur.summary import Summary, Table

PERCENT = "PCT"


@dataclass(frozen=True)
class Rules:
    """The publication rules of the workspace (`[publication]` in rapporteur.toml)."""

    threshold: int = 5
    threshold_detailed: int = 10
    minimum_agencies: int = 2
    confidential_kinds: frozenset[str] = frozenset({"NGO"})
    protection_percent: int = 30
    minimum_percentage_base: int = 10
    time_limit: float = 30.0


@dataclass(frozen=True)
class Place:
    """Where a figure is printed: a cell of a table of one view of the publication."""

    view: str
    table: int
    row: int
    column: str
    previous: bool


@dataclass
class Figure:
    atoms: frozenset[Atom]
    value: float
    persons: bool
    threshold: int
    """The highest threshold of its places: the same figure is shown the same everywhere."""
    places: list[Place] = field(default_factory=list)
    contributors: dict[str, int] = field(default_factory=dict)
    """Per kind of agency, how many agencies give a non-zero part of it."""

    @property
    def whole(self) -> bool:
        return float(self.value).is_integer()

    @property
    def floor(self) -> float:
        """The least a hidden figure ("c") can be: a figure about persons under the
        threshold would be printed "<N", and any figure 0 is printed."""
        if self.persons:
            return self.threshold
        return 1 if self.whole else 0


@dataclass(frozen=True)
class Facts:
    """What the archive says: every atom's value, the relations between atoms, and the
    kind of each agency that returned, per round."""

    values: dict[Atom, float]
    relations: list[tuple[tuple[tuple[Atom, float], ...], bool]]
    kinds: dict[tuple[str, str], str]


@dataclass
class Model:
    figures: list[Figure]
    facts: Facts


@dataclass
class Component:
    """Figures tied together, and the linear problem an attacker solves about them:
    nonnegative variables (groups of atoms no figure or relation tells apart), one row of
    `matrix` per figure, and the relations between variables. Figures known to be 0 are
    tied in (`zeros`) but are no part of the problem: their atoms are 0."""

    figures: list[int]
    """Figure indexes (in Model.figures), in the order of the rows of `matrix`."""
    matrix: sparse.csr_array
    relations: sparse.csr_array
    equal: np.ndarray
    """Which relations are equalities (the others are ≤ 0)."""
    whole: np.ndarray
    """Which variables are whole numbers (counts); the others are amounts (euros)."""
    zeros: list[int]

    @property
    def size(self) -> int:
        return self.matrix.shape[1]


def facts_of(views: dict[str, Summary]) -> Facts:
    """The facts of every return of every round the views add up."""
    values: dict[Atom, float] = {}
    relations: list[tuple[tuple[tuple[Atom, float], ...], bool]] = []
    kinds: dict[tuple[str, str], str] = {}
    rounds = {}
    for summary in views.values():
        rounds.update(summary.rounds)
    for round_, data in rounds.items():
        for agency, (kind, answers) in data.returns.items():
            kinds[(str(round_), agency)] = kind
            facts = return_facts(data.definition, kind, answers)
            for item, value in facts.values.items():
                values[Atom(str(round_), agency, item)] = value
            for relation in facts.relations:
                terms = tuple(
                    (Atom(str(round_), agency, item), coefficient)
                    for item, coefficient in relation.terms
                )
                relations.append((terms, relation.equal))
    return Facts(values, relations, kinds)


def cells(table: Table) -> list[tuple[int, str, bool, Any, frozenset[Atom] | None]]:
    """(row index, column, previous?, value, atoms) of every figure a table prints."""
    found = []
    for index, row in enumerate(table.rows):
        for column in table.columns:
            if column.key == PERCENT:
                continue
            for previous, values, sources in (
                (False, row.values, row.sources),
                (True, row.previous, row.previous_sources),
            ):
                if column.key in values:
                    found.append(
                        (index, column.key, previous, values[column.key], sources.get(column.key))
                    )
    return found


def build_model(views: dict[str, Summary], rules: Rules, facts: Facts) -> Model:
    """The figures of all views, their values taken from the archive, not the tables."""
    by_atoms: dict[frozenset[Atom], Figure] = {}
    for view, summary in views.items():
        for table_index, table in enumerate(summary.tables):
            persons = {column.key for column in table.columns if column.persons}
            for row_index, column, previous, value, atoms in cells(table):
                row = table.rows[row_index]
                if atoms is None:
                    if column in persons and _is_number(value) and value != 0:
                        raise ValueError(
                            f"{table.id}/{row.key}/{column}: a figure without its sources"
                        )
                    continue
                threshold = (
                    rules.threshold_detailed
                    if table.detailed or row.subnational
                    else rules.threshold
                )
                figure = by_atoms.get(atoms)
                if figure is None:
                    figure = by_atoms[atoms] = Figure(
                        atoms,
                        _true_value(atoms, facts.values),
                        column in persons,
                        threshold,
                        contributors=_contributors(atoms, facts),
                    )
                figure.threshold = max(figure.threshold, threshold)
                figure.persons = figure.persons or column in persons
                figure.places.append(Place(view, table_index, row_index, column, previous))
    return Model(list(by_atoms.values()), facts)


def _true_value(atoms: frozenset[Atom], values: dict[Atom, float]) -> float:
    missing = [atom for atom in atoms if atom not in values]
    if missing:
        raise ValueError(f"atoms missing from the archive: {missing[:3]}")
    total = sum(values[atom] for atom in atoms)
    return round(total, 2) if isinstance(total, float) else total


def _contributors(atoms: frozenset[Atom], facts: Facts) -> dict[str, int]:
    agencies: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for atom in atoms:
        if facts.values.get(atom):
            agencies[facts.kinds[(atom.round, atom.agency)]].add((atom.round, atom.agency))
    return {kind: len(found) for kind, found in agencies.items()}


def components(model: Model, zeros: set[int]) -> list[Component]:
    """Split the publication into independent problems, given the figures the reader
    knows to be 0 (by their index).

    Their atoms are 0 and leave the problem. The others are grouped when no figure and no
    relation tells them apart (the same figures, the same relations with the same
    coefficients): a reader can only ever learn their sum, and a sum of nonnegative
    integers is any nonnegative integer, so the group is one variable. This keeps, say,
    an agency's two hundred small nationalities one variable.
    """
    figures = model.figures
    zero = {atom for index in zeros for atom in figures[index].atoms}
    marks: dict[Atom, list] = defaultdict(list)
    for index, figure in enumerate(figures):
        if index not in zeros:
            for atom in figure.atoms - zero:
                marks[atom].append(index)
    relations = []
    for terms, equal in model.facts.relations:
        kept = [(atom, coefficient) for atom, coefficient in terms if atom not in zero]
        if kept:
            for atom, coefficient in kept:
                marks[atom].append((len(relations), coefficient))
            relations.append((kept, equal))
    variable_of: dict[Atom, int] = {}
    signatures: dict[tuple, int] = {}
    for atom, found in marks.items():
        variable_of[atom] = signatures.setdefault(tuple(found), len(signatures))
    # Union-find over variables and zero atoms: zeros only tie problems together.
    node_of = {**variable_of}
    for atom in zero:
        node_of.setdefault(atom, len(signatures) + len(node_of) - len(variable_of))
    parent = list(range(len(signatures) + len(node_of) - len(variable_of)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(nodes: list[int]) -> None:
        first = find(nodes[0])
        for node in nodes[1:]:
            root = find(node)
            if root != first:
                parent[root] = first

    for figure in figures:
        join([node_of[atom] for atom in figure.atoms])
    for terms, _ in model.facts.relations:
        join([node_of[atom] for atom, _ in terms if atom in node_of])
    members: dict[int, list[int]] = defaultdict(list)
    for variable in range(len(signatures)):
        members[find(variable)].append(variable)
    figures_of: dict[int, list[int]] = defaultdict(list)
    for index, figure in enumerate(figures):
        figures_of[find(node_of[next(iter(figure.atoms))])].append(index)
    relations_of: dict[int, list[int]] = defaultdict(list)
    for number, (terms, _) in enumerate(relations):
        relations_of[find(variable_of[terms[0][0]])].append(number)
    whole = np.ones(len(signatures), dtype=bool)
    for atom, variable in variable_of.items():
        if not float(model.facts.values[atom]).is_integer():
            whole[variable] = False
    found = []
    for root, tied in figures_of.items():
        variables = members.get(root, [])
        local = {variable: position for position, variable in enumerate(variables)}
        shown = [index for index in tied if index not in zeros]
        rows, columns = [], []
        for number, index in enumerate(shown):
            for variable in {variable_of[atom] for atom in figures[index].atoms - zero}:
                rows.append(number)
                columns.append(local[variable])
        matrix = sparse.csr_array(
            (np.ones(len(rows)), (rows, columns)), shape=(len(shown), len(variables))
        )
        rows, columns, data, equal = [], [], [], []
        for number, relation in enumerate(relations_of[root]):
            terms, is_equal = relations[relation]
            for variable, coefficient in {variable_of[a]: c for a, c in terms}.items():
                rows.append(number)
                columns.append(local[variable])
                data.append(coefficient)
            equal.append(is_equal)
        relation_matrix = sparse.csr_array(
            (np.array(data, dtype=float), (rows, columns)), shape=(len(equal), len(variables))
        )
        found.append(
            Component(
                shown,
                matrix,
                relation_matrix,
                np.array(equal, dtype=bool),
                whole[variables],
                [index for index in tied if index in zeros],
            )
        )
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
