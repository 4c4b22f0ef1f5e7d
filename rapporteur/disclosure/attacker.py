"""The attacker: how far a reader can narrow a hidden figure from everything printed.

The reader knows each printed figure exactly, that "<N" is 1 to N−1, that "c" is at least
the threshold (a smaller figure would have been printed "<N"), that counts are whole and
never negative, and the relations between figures (rapporteur.figures). The narrowest
interval that reader can derive for a figure is a pair of optimisation problems over the
component's variables, solved with HiGHS through SciPy: as linear programmes (which also
give the dual values that secondary suppression turns into constraints) and, where a
linear optimum is fractional, as integer programmes, since people are counted whole.
This is what sdcTable's `attack()` does, with integers and with our relations.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from rapporteur.disclosure.model import Component

TOLERANCE = 1e-6


class Contradiction(Exception):
    """What is printed cannot all be true: no table of figures gives it."""


@dataclass(frozen=True)
class Known:
    """What the reader knows of one figure: low ≤ figure ≤ high (None: no upper bound)."""

    low: float
    high: float | None

    @property
    def exact(self) -> bool:
        return self.high is not None and self.high == self.low


@dataclass(frozen=True)
class Optimum:
    """The linear optimum of a figure, upward (the reader's maximum) or downward (minimum),
    with what it depends on. Write P for the maximum, or for minus the minimum: the
    further P goes, the wider the reader's interval."""

    value: float
    """The maximum or minimum; inf when the reader has no upper bound."""
    gains: dict[int, float]
    """Per figure printed exactly: dP / d(its value)."""
    floors: dict[int, float]
    """Per figure known by a range with a lower limit: dP / d(that limit), never > 0."""
    whole: bool = True
    """Reached by whole numbers of persons: then it is the reader's bound too."""


class Attack:
    """The reader's problem on one component, for one state of what is printed."""

    def __init__(self, component: Component, known: dict[int, Known]):
        self.component = component
        self._position = {index: number for number, index in enumerate(component.figures)}
        exact, highs, lows = [], [], []
        for number, index in enumerate(component.figures):
            what = known[index]
            if what.exact:
                exact.append((number, index, what.low))
                continue
            if what.high is not None:
                highs.append((number, what.high))
            if what.low > 0:
                lows.append((number, index, what.low))
        matrix, relations, equal = component.matrix, component.relations, component.equal
        self._exact = [index for _, index, _ in exact]
        self._a_eq = sparse.csr_array(
            sparse.vstack([matrix[[n for n, _, _ in exact]], relations[np.flatnonzero(equal)]])
        )
        self._b_eq = np.array([v for _, _, v in exact] + [0.0] * int(equal.sum()))
        # Upper limits, then lower limits written −figure ≤ −limit, then ≤ relations.
        self._lows = {index: len(highs) + position for position, (_, index, _) in enumerate(lows)}
        self._a_ub = sparse.csr_array(
            sparse.vstack(
                [
                    matrix[[n for n, _ in highs]],
                    -matrix[[n for n, _, _ in lows]],
                    relations[np.flatnonzero(~equal)],
                ]
            )
        )
        self._b_ub = np.array(
            [h for _, h in highs] + [-low for _, _, low in lows] + [0.0] * int((~equal).sum())
        )
        self._witnesses: list[np.ndarray] = []

    def reaches(self, figure: int, upward: bool, target: float) -> bool:
        """Whether a table of whole persons the reader must consider possible (a solution
        found so far) already takes the figure to the target: then its bound does too."""
        position = self._position[figure]
        for values in self._witnesses:
            if (
                values[position] >= target - TOLERANCE
                if upward
                else values[position] <= target + TOLERANCE
            ):
                return True
        return False

    def optimum(self, figure: int, upward: bool) -> Optimum:
        result = self._linear(figure, upward)
        if result is None:
            return Optimum(math.inf, {}, {})
        # linprog minimises (−figure upward, figure downward): in both cases P is minus
        # its objective, so dP/d(right-hand side) is minus linprog's marginal; a lower
        # limit is written −figure ≤ −limit, which turns the sign once more.
        gains = {}
        if self._a_eq.shape[0]:
            marginals = result.eqlin.marginals
            gains = {index: -marginals[position] for position, index in enumerate(self._exact)}
        floors = {}
        if self._a_ub.shape[0]:
            marginals = result.ineqlin.marginals
            floors = {index: marginals[position] for index, position in self._lows.items()}
        return Optimum(self._row(figure) @ result.x, gains, floors, self._whole(result.x))

    def bound(self, figure: int, upward: bool) -> float:
        """The reader's bound, counting persons whole: the linear optimum when it is
        reached by whole numbers, else the integer programme's."""
        linear = self._linear(figure, upward)
        if linear is None:
            return math.inf
        row = self._row(figure)
        if self._whole(linear.x):
            return _rounded(row @ linear.x)
        constraints = []
        if self._a_ub.shape[0]:
            constraints.append(LinearConstraint(self._a_ub, -np.inf, self._b_ub))
        if self._a_eq.shape[0]:
            constraints.append(LinearConstraint(self._a_eq, self._b_eq, self._b_eq))
        whole = milp(
            -row if upward else row,
            integrality=self.component.whole.astype(int),
            bounds=Bounds(0, np.inf),
            constraints=constraints,
        )
        if whole.status != 0:
            raise RuntimeError(f"the attacker's problem could not be solved: {whole.message}")
        return _rounded(row @ whole.x)

    def interval(self, figure: int) -> tuple[float, float]:
        return self.bound(figure, upward=False), self.bound(figure, upward=True)

    def _row(self, figure: int) -> np.ndarray:
        return self.component.matrix[[self._position[figure]]].toarray().ravel()

    def _linear(self, figure: int, upward: bool):
        """linprog's result, or None when the figure has no upper bound (figures are never
        negative, so there is always a lower one)."""
        row = self._row(figure)
        result = linprog(
            -row if upward else row,
            A_ub=self._a_ub if self._a_ub.shape[0] else None,
            b_ub=self._b_ub if self._a_ub.shape[0] else None,
            A_eq=self._a_eq if self._a_eq.shape[0] else None,
            b_eq=self._b_eq if self._a_eq.shape[0] else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 3:
            return None
        if result.status == 2:
            raise Contradiction
        if result.status != 0:
            raise RuntimeError(f"the attacker's problem could not be solved: {result.message}")
        if self._whole(result.x):
            self._witnesses.append(self.component.matrix @ result.x)
        return result

    def _whole(self, solution: np.ndarray) -> bool:
        counted = solution[self.component.whole]
        return bool(np.allclose(counted, np.round(counted), atol=TOLERANCE))


def _rounded(value: float) -> float:
    """A bound as people count it: solvers stop within a tolerance of the optimum."""
    return float(round(value, 6))
