"""Erlang C against published worked examples, an independent direct sum, and its input rules."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from pandu.queueing import erlang


def direct_erlang_c(counters: int, load: Fraction) -> Fraction:
    """The textbook formula with exact fractions and factorials (no recursion)."""
    top = load**counters / math.factorial(counters) * Fraction(counters, 1) / (counters - load)
    bottom = sum(load**k / math.factorial(k) for k in range(counters)) + top
    return top / bottom


def test_call_centre_helper_worked_example():
    """Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example"
    (callcentrehelper.com): 100 calls per half hour, average handling time 180 s, target 80 %
    answered within 20 s. The article finds a traffic intensity of 10 erlangs, a 68.21 % chance
    that a call waits with 11 agents, and 14 agents as the raw requirement; at 14 agents the
    service level is 88.8 %, the chance of waiting 17.4 % and occupancy 71.4 % (the same figures
    pyworkforce's test suite pins for this example, tests/test_erlang.py there).
    """
    assert erlang.offered_load(200, 3) == pytest.approx(10.0)
    eleven = erlang.figures(
        counters=11, arrivals_per_hour=200, service_minutes=3, target_wait_minutes=20 / 60
    )
    assert round(eleven.p_wait * 100, 2) == 68.21
    assert eleven.service_level < 0.8

    plan = erlang.counters_needed(
        arrivals_per_hour=200, service_minutes=3, target_wait_minutes=20 / 60, target_share=0.8
    )
    assert plan.counters == 14
    assert round(plan.service_level, 3) == 0.888
    assert round(plan.p_wait, 3) == 0.174
    assert round(plan.occupancy, 3) == 0.714


def test_mitan_erlang_c_worked_example():
    """Mitan Ltd, "The Erlang-C Formula" (the step-by-step example): 360 calls per half hour,
    average call duration 4 minutes, 55 agents. Traffic intensity 48 erlangs, agent occupancy
    0.873, probability of waiting 23.87 %, average speed of answer 8.18 seconds.
    """
    f = erlang.figures(
        counters=55, arrivals_per_hour=720, service_minutes=4, target_wait_minutes=15 / 60
    )
    assert f.load == pytest.approx(48.0)
    assert round(f.occupancy, 3) == 0.873
    assert round(f.p_wait * 100, 2) == 23.87
    assert round(f.mean_wait_minutes * 60, 2) == 8.18


@pytest.mark.parametrize(
    ("counters", "load"),
    [
        (1, Fraction(1, 2)),
        (2, Fraction(3, 2)),
        (5, Fraction(2)),
        (14, Fraction(10)),
        (30, Fraction(57, 2)),
    ],
)
def test_recursion_agrees_with_the_direct_formula(counters, load):
    assert erlang.erlang_c(counters, float(load)) == pytest.approx(
        float(direct_erlang_c(counters, load)), rel=1e-12
    )


def test_single_counter_is_the_m_m_1_queue():
    # M/M/1: P(wait) = rho, mean wait = rho / (mu - lambda).
    f = erlang.figures(counters=1, arrivals_per_hour=6, service_minutes=5, target_wait_minutes=0)
    assert f.p_wait == pytest.approx(0.5)
    assert f.mean_wait_minutes == pytest.approx(0.5 * 5 / (1 - 0.5))
    assert f.service_level == pytest.approx(0.5)  # waiting at most 0 minutes = not waiting


def test_large_numbers_of_counters_stay_finite():
    # A**c / c! overflows a float long before 500 counters; the recursion does not.
    p = erlang.erlang_c(500, 480.0)
    assert 0.0 < p < 1.0
    assert math.isfinite(p)


def test_unstable_line_waits_for_ever():
    f = erlang.figures(counters=2, arrivals_per_hour=30, service_minutes=4, target_wait_minutes=10)
    assert (f.p_wait, f.mean_wait_minutes, f.service_level, f.stable) == (1.0, math.inf, 0.0, False)


@pytest.mark.parametrize(
    ("arrivals", "service", "target", "share"),
    [(12, 15, 10, 0.8), (40, 12, 15, 0.9), (3, 20, 5, 0.5), (100, 7, 0, 0.95)],
)
def test_counters_needed_is_the_fewest_that_meet_the_target(arrivals, service, target, share):
    plan = erlang.counters_needed(
        arrivals_per_hour=arrivals,
        service_minutes=service,
        target_wait_minutes=target,
        target_share=share,
    )
    assert plan.service_level >= share
    if plan.counters > 1:
        one_fewer = erlang.figures(
            counters=plan.counters - 1,
            arrivals_per_hour=arrivals,
            service_minutes=service,
            target_wait_minutes=target,
        )
        assert one_fewer.service_level < share


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"arrivals_per_hour": 0}, "arrivals_per_hour"),
        ({"arrivals_per_hour": -3}, "arrivals_per_hour"),
        ({"service_minutes": 0}, "service_minutes"),
        ({"service_minutes": math.nan}, "service_minutes"),
        ({"target_wait_minutes": -1}, "target_wait_minutes"),
        ({"target_share": 0}, "target_share"),
        ({"target_share": 1}, "target_share"),
        ({"target_share": 1.5}, "target_share"),
        ({"arrivals_per_hour": 1e9}, "arrivals_per_hour"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    args = {
        "arrivals_per_hour": 20,
        "service_minutes": 10,
        "target_wait_minutes": 15,
        "target_share": 0.8,
        **kwargs,
    }
    with pytest.raises(erlang.ErlangInputError) as err:
        erlang.counters_needed(**args)
    assert err.value.field == field


def test_counters_must_be_a_whole_number():
    with pytest.raises(erlang.ErlangInputError):
        erlang.erlang_c(0, 1.0)
    with pytest.raises(erlang.ErlangInputError):
        erlang.erlang_c(2.5, 1.0)  # type: ignore[arg-type]
