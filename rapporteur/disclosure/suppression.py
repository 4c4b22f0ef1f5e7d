"""Which figures to hide: primary sensitivity, then secondary suppression as an optimisation.

A figure about persons is *sensitive* when it is small (1 to threshold − 1), or when it
comes from fewer agencies of a kind than `minimum_agencies` and that kind's per-agency
figures are not published (an NGO alone in its region). A sensitive figure must keep a
*protection interval* against the attacker (rapporteur.disclosure.attacker):

- small, shown "<N": the reader's minimum at most 1 and maximum at least N − 1, so that
  nothing narrows what "<N" says; where the "<N" of a small total containing it makes
  that impossible (three boys spread over age bands whose total is itself "<5"), as wide
  as those markers allow;
- from too few agencies, shown "c": at least `protection_percent` of its value either way
  (never below the threshold, which "c" already tells);
- and no hidden figure, sensitive or not, may be recovered exactly.

Choosing the other figures to hide (secondary suppression) is the model of Fischetti and
Salazar that τ-ARGUS's optimal method and sdcTable's OPT solve: minimise the value of
what is hidden, weighted by how many places print it, subject to every protection
interval. Their constraints are generated as needed (Benders cuts): the attacker's linear
programme for a figure that falls short gives, from its duals, an inequality every
protecting pattern satisfies; the master problem, a 0–1 programme, is solved by HiGHS
(scipy.optimize.milp) with those inequalities until none falls short. A component the
solver cannot finish within the time limit hides every figure it holds that is not 0; if
even that narrows a figure to one value, the component is withheld altogether.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from rapporteur.disclosure.attacker import Attack, Known
from rapporteur.disclosure.model import Component, Figure, Model, Rules, components

SHOWN, SMALL, HIDDEN, WITHHELD = "shown", "small", "hidden", "withheld"
EPSILON = 1e-7


def knowledge(figure: Figure, state: str) -> Known:
    """What a reader learns of a figure from how it is printed."""
    if state == SHOWN:
        return Known(figure.value, figure.value)
    if state == SMALL:
        return Known(1, figure.threshold - 1)
    if state == HIDDEN:
        return Known(figure.floor, None)
    return Known(0, None)


def sensitivity(figure: Figure, rules: Rules) -> set[str]:
    """Why a figure may not be printed: "small" (persons only), "contributors" (any
    figure: an NGO's own budget is as much its own as its victims), or no reason."""
    reasons = set()
    if figure.value != 0:
        if figure.persons and figure.value < figure.threshold:
            reasons.add("small")
        for kind, count in figure.contributors.items():
            if kind in rules.confidential_kinds and count < rules.minimum_agencies:
                reasons.add("contributors")
    return reasons


def targets(figure: Figure, reasons: set[str], rules: Rules) -> dict[bool, float]:
    """Where the reader's maximum (True) and minimum (False) must at least reach, before
    what the markers themselves allow is taken into account."""
    value, threshold = figure.value, figure.threshold
    if "small" in reasons:
        found = {}
        if value < threshold - 1:
            found[True] = threshold - 1
        if value > 1:
            found[False] = 1
        return found
    margin = value * rules.protection_percent / 100
    if figure.whole:
        margin = max(1, math.ceil(margin))
    found = {True: value + margin}
    if value > figure.floor:
        found[False] = max(value - margin, figure.floor)
    return found


@dataclass
class Protection:
    states: list[str]
    """Per figure of the model: shown, small ("<N"), hidden ("c") or withheld."""
    reasons: dict[int, set[str]]
    """The sensitive figures and why."""
    fallback: dict[int, str] = field(default_factory=dict)
    """Per figure of a component that was not solved: "hidden" (out of time) or
    "withheld"."""


def protect(model: Model, rules: Rules) -> Protection:
    """Choose how every figure of the publication is printed."""
    figures = model.figures
    reasons = {
        index: found
        for index, figure in enumerate(figures)
        if (found := sensitivity(figure, rules))
    }
    states = [SHOWN] * len(figures)
    for index in reasons:
        states[index] = SMALL if "small" in reasons[index] else HIDDEN
    protection = Protection(states, reasons)
    zeros = {index for index, figure in enumerate(figures) if figure.value == 0}
    for component in components(model, zeros):
        if not any(index in reasons for index in component.figures):
            continue
        while True:
            solver = _Solver(model, component, rules, protection)
            try:
                solver.solve()
            except _OutOfTime:
                solver.hide_everything()
            except _Withhold:
                # Small figures whose "<N" marks give each other away (four "<5" cells
                # adding up to a "<5" total are each 1) are withheld, then the rest of
                # the component is protected again; only if none is, all of it is.
                exact = solver.exact_primaries()
                if exact:
                    for index in exact:
                        protection.states[index] = WITHHELD
                        protection.fallback[index] = WITHHELD
                    continue
                solver.withhold()
            break
    return protection


class _OutOfTime(Exception):
    pass


class _Withhold(Exception):
    """A sensitive figure would be known exactly even with everything else hidden."""


class _Solver:
    """Secondary suppression on one component."""

    def __init__(
        self,
        model: Model,
        component: Component,
        rules: Rules,
        protection: Protection,
    ):
        self.figures = model.figures
        self.component = component
        self.rules = rules
        self.protection = protection
        self.deadline = time.monotonic() + rules.time_limit
        # A withheld sensitive figure ("x") stays a primary: others are hidden so that what
        # is printed around it does not narrow it down.
        indexes = component.figures
        self.primaries = [index for index in indexes if index in protection.reasons]
        self.candidates = [index for index in indexes if index not in protection.reasons]
        self.column = {
            index: number for number, index in enumerate(self.primaries + self.candidates)
        }
        self.cuts: list[tuple[dict[int, float], float]] = []
        self._ceiling_attack: Attack | None = None
        self._ceilings: dict[tuple[int, bool], float] = {}
        self._held: dict[tuple[int, bool], frozenset[int]] = {}
        """A requirement met with these figures hidden stays met with more hidden."""

    # The whole loop ------------------------------------------------------------------

    def solve(self) -> None:
        hidden: frozenset[int] = frozenset()
        while True:
            self._check_time()
            states = self._states(hidden)
            cuts = self._cuts(states, hidden)
            if not cuts:
                for index, state in states.items():
                    self.protection.states[index] = state
                return
            self.cuts.extend(cuts)
            hidden = self._master()

    def hide_everything(self) -> None:
        """The fallback: every figure of the component that is not 0 is hidden; where even
        that leaves a sensitive figure at one value, the component is withheld."""
        attack = self._ceiling()
        if any(len(set(attack.interval(index))) == 1 for index in self.primaries):
            self.withhold()
            return
        for index, state in self._states(frozenset(self.candidates)).items():
            self.protection.states[index] = state
            self.protection.fallback[index] = HIDDEN

    def exact_primaries(self) -> list[int]:
        """The sensitive figures a reader knows exactly even with everything else hidden,
        of those not yet withheld: each round withholds new ones, so the rounds end."""
        attack = self._ceiling()
        return [
            index
            for index in self.primaries
            if self.protection.states[index] != WITHHELD and len(set(attack.interval(index))) == 1
        ]

    def withhold(self) -> None:
        for index in self.component.figures + self.component.zeros:
            self.protection.states[index] = WITHHELD
            self.protection.fallback[index] = WITHHELD

    # Steps -----------------------------------------------------------------------------

    def _states(self, hidden: frozenset[int]) -> dict[int, str]:
        return {
            index: HIDDEN if index in hidden else self.protection.states[index]
            for index in self.component.figures
        }

    def _cuts(self, states: dict[int, str], hidden: frozenset[int]) -> list:
        """An inequality for every requirement the pattern `states` falls short of."""
        attack = Attack(
            self.component, {i: knowledge(self.figures[i], s) for i, s in states.items()}
        )
        cuts = []
        for index in self.primaries:
            wanted = targets(self.figures[index], self.protection.reasons[index], self.rules)
            left = False
            for upward, target in wanted.items():
                short = self._short(attack, index, upward, target, hidden)
                if short is not None:
                    # Ask no more than what hiding everything else would leave the reader.
                    target = self._capped(index, upward, target)
                    if target is None:
                        continue
                    short = self._short(attack, index, upward, target, hidden)
                left = True
                if short is not None:
                    cuts.append(self._cut(*short, upward, states))
            if not left:
                raise _Withhold
        for index in self.candidates:
            if states[index] != HIDDEN:
                continue
            # A figure hidden to protect others must not be known exactly itself: the
            # reader's maximum above it, or the minimum below it. Either will do, so the
            # cut asks for one of the two: each divided by what it needs, the larger
            # coefficient of the two for every figure.
            figure = self.figures[index]
            ways = [(True, figure.value + 1)]
            if figure.value - 1 >= figure.floor:
                ways.append((False, figure.value - 1))
            found = []
            for upward, target in ways:
                short = self._short(attack, index, upward, target, hidden)
                if short is None:
                    break
                found.append(self._cut(*short, upward, states))
            else:
                either: dict[int, float] = {}
                for coefficients, rhs in found:
                    for other, value in coefficients.items():
                        either[other] = max(either.get(other, 0.0), value / rhs)
                # Required only of a figure that is hidden: Σ a_j x_j ≥ x_index.
                either[index] = either.get(index, 0.0) - 1.0
                cuts.append((either, 0.0))
        return cuts

    def _short(self, attack: Attack, index: int, upward: bool, target: float, hidden):
        """None if the reader's bound, in whole persons, reaches the target; else the
        linear optimum and the target its cut must ask of it."""
        key = (index, upward, target)
        if key in self._held and self._held[key] <= hidden:
            return None
        if attack.reaches(index, upward, target):
            self._held[key] = hidden
            return None
        self._check_time()
        optimum = attack.optimum(index, upward)
        if not self._reaches(optimum.value, upward, target):
            return optimum, target
        if optimum.whole or self._reaches(attack.bound(index, upward), upward, target):
            self._held[key] = hidden
            return None
        # The relaxation reaches the target and whole persons do not: ask it for the next
        # whole number beyond its optimum, and check again once more is hidden.
        step = math.floor(optimum.value) + 1 if upward else math.ceil(optimum.value) - 1
        return optimum, step

    @staticmethod
    def _reaches(value: float, upward: bool, target: float) -> bool:
        return value >= target - EPSILON if upward else value <= target + EPSILON

    def _capped(self, index: int, upward: bool, target: float) -> float | None:
        """The target within what hiding everything else would allow the reader (None if
        nothing is left to ask that way)."""
        figure = self.figures[index]
        limit = self._ceiling_bound(index, upward)
        target = min(target, limit) if upward else max(target, limit)
        if (target > figure.value) if upward else (target < figure.value):
            return target
        return None

    def _cut(
        self, optimum, target: float, upward: bool, states: dict[int, str]
    ) -> tuple[dict[int, float], float]:
        """The inequality the duals of a short optimum give: Σ a_j x_j ≥ rhs over the
        figures j that may be hidden (x_j = 1). Hiding a printed figure frees its value
        up to any height and down to the threshold; the duals say what either is worth."""
        coefficients: dict[int, float] = {}
        rhs = (target - optimum.value) if upward else (optimum.value - target)
        unbounded = []
        for index in self.candidates:
            figure = self.figures[index]
            slack = figure.value - figure.floor
            if states[index] == HIDDEN:
                beta = -optimum.floors.get(index, 0.0)
                if beta > EPSILON:
                    coefficients[index] = beta * slack
                    rhs += beta * slack
                continue
            gain = optimum.gains.get(index, 0.0)
            if gain > EPSILON:
                unbounded.append(index)
            elif gain < -EPSILON:
                coefficients[index] = -gain * slack
        for index in unbounded:
            coefficients[index] = rhs
        return {
            index: min(value, rhs) for index, value in coefficients.items() if value > EPSILON
        }, rhs

    def _master(self) -> set[int]:
        """The cheapest pattern that satisfies every cut so far."""
        self._check_time()
        variables = self.primaries + self.candidates
        cost = np.array(
            [0.0] * len(self.primaries)
            + [
                self.figures[index].value * len(self.figures[index].places)
                for index in self.candidates
            ]
        )
        rows, cols, data, low = [], [], [], []
        for number, (coefficients, rhs) in enumerate(self.cuts):
            for index, value in coefficients.items():
                rows.append(number)
                cols.append(self.column[index])
                data.append(value)
            low.append(rhs)
        matrix = sparse.csr_array((data, (rows, cols)), shape=(len(self.cuts), len(variables)))
        lower = np.array([1.0] * len(self.primaries) + [0.0] * len(self.candidates))
        result = milp(
            cost,
            integrality=np.ones(len(variables)),
            bounds=Bounds(lower, np.ones(len(variables))),
            constraints=LinearConstraint(matrix, np.array(low) - EPSILON, np.inf),
            options={"time_limit": max(0.1, self.deadline - time.monotonic())},
        )
        if result.status != 0 or result.x is None:
            raise _OutOfTime
        return {index for index in self.candidates if result.x[self.column[index]] > 0.5}

    # The ceiling: what hiding every figure would leave the reader --------------------

    def _ceiling(self) -> Attack:
        if self._ceiling_attack is None:
            states = self._states(frozenset(self.candidates))
            self._ceiling_attack = Attack(
                self.component, {i: knowledge(self.figures[i], s) for i, s in states.items()}
            )
        return self._ceiling_attack

    def _ceiling_bound(self, index: int, upward: bool) -> float:
        """The reader's bound, in whole persons, were everything else hidden."""
        key = (index, upward)
        if key not in self._ceilings:
            self._ceilings[key] = self._ceiling().bound(index, upward)
        return self._ceilings[key]

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _OutOfTime
