from datetime import date

import pytest

from rapporteur.problems import UsageError
from rapporteur.rounds import PeriodRule, PeriodRules, Round


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2018-12", "2018-12"),
        ("2018-06", "2018-06"),
        ("2018-6", "2018-06"),
        (" 2018-12 ", "2018-12"),
    ],
)
def test_every_accepted_spelling_is_normalised(spelling, expected):
    assert str(Round.parse(spelling)) == expected


@pytest.mark.parametrize(
    "spelling", ["2018", "2018-13", "2018-01", "18-12", "2018-S3", "2018-12-01", "", "diciembre"]
)
def test_other_spellings_are_rejected_with_what_a_round_looks_like(spelling):
    with pytest.raises(UsageError) as caught:
        Round.parse(spelling)
    assert caught.value.exit_code == 2
    english = caught.value.render("en")
    assert f"'{spelling}' is not a round" in english
    assert "YYYY-06 (June) or YYYY-12 (December)" in english
    assert "AAAA-06 (junio) o AAAA-12 (diciembre)" in caught.value.render("es")


@pytest.mark.parametrize("spelling", ["2018S1", "2018-S1", "2018s2", "2018-S2"])
def test_a_half_year_is_refused_as_a_round_and_the_message_says_which_round_reports_it(
    spelling,
):
    # 2018-S1 once meant the June round, which reports on 2017: a clerk who read it as
    # the first half of 2018 issued the wrong round.
    with pytest.raises(UsageError) as caught:
        Round.parse(spelling)
    assert caught.value.exit_code == 2
    spanish = caught.value.render("es")
    assert f"«{spelling}» es un semestre, no una ronda" in spanish
    assert "2018-12 informa del primer semestre de 2018" in spanish


def test_year_out_of_range_is_rejected():
    with pytest.raises(UsageError) as caught:
        Round.parse("1999-12")
    assert "between 2000 and 2100" in caught.value.render("en")


def test_december_round_covers_the_first_half_of_its_year_provisionally():
    period = Round.parse("2018-12").period()
    assert (period.start, period.end) == (date(2018, 1, 1), date(2018, 6, 30))
    assert period.code == "2018-S1"
    assert period.status == "provisional"


def test_june_round_covers_the_whole_previous_year_finally():
    period = Round.parse("2019-06").period()
    assert (period.start, period.end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert period.code == "2018"
    assert period.status == "final"


def test_period_rules_from_the_workspace_change_the_period():
    rules = PeriodRules(june=PeriodRule("previous-second-half", "final"))
    period = Round.parse("2019-06").period(rules)
    assert (period.start, period.end, period.code) == (
        date(2018, 7, 1),
        date(2018, 12, 31),
        "2018-S2",
    )


@pytest.mark.parametrize(
    ("current", "comparable", "previous", "following"),
    [
        ("2018-12", "2017-12", "2018-06", "2019-06"),
        ("2019-06", "2018-06", "2018-12", "2019-12"),
        ("2000-06", None, None, "2000-12"),
    ],
)
def test_previous_comparable_round_is_the_same_half_a_year_earlier(
    current, comparable, previous, following
):
    round_ = Round.parse(current)
    if comparable is None:
        with pytest.raises(UsageError):
            _ = round_.previous_comparable
    else:
        assert str(round_.previous_comparable) == comparable
        assert str(round_.previous) == previous
    assert str(round_.next) == following


def test_deadline_counts_days_from_the_first_of_the_round_month():
    assert Round.parse("2018-12").deadline(30) == date(2018, 12, 31)
    assert Round.parse("2018-06").deadline(45) == date(2018, 7, 16)


def test_rounds_sort_in_time_order():
    rounds = [Round.parse(text) for text in ("2019-06", "2017-12", "2018-12", "2018-06")]
    assert [str(r) for r in sorted(rounds)] == ["2017-12", "2018-06", "2018-12", "2019-06"]
