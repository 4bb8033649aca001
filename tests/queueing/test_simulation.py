"""The session simulation: against Erlang C where both apply, and its own rules elsewhere."""

from __future__ import annotations

import statistics

import pytest

from pandu.queue.policy import DEFAULT_POLICY, Policy
from pandu.queueing import erlang
from pandu.queueing import simulation as sim


@pytest.mark.parametrize(
    ("counters", "arrivals", "service", "target"),
    [(5, 24.0, 10.0, 5.0), (2, 7.2, 10.0, 10.0)],
)
def test_long_exponential_run_agrees_with_erlang_c(counters, arrivals, service, target):
    """M/M/c in both: exponential service, Poisson walk-ins, no priorities, so the policy is
    first come first served. A seeded run of 1500 hours (about 36,000 and 11,000 visitors)
    must give Erlang C's mean wait within 10 % and its P(wait) and service level within 0.03.
    The empty room at the start is a few minutes out of 90,000, too little to matter."""
    plan = sim.SessionPlan(counters_per_hour=[counters] * 1500, walkins_per_hour=arrivals)
    times = sim.ServiceTimes(default_minutes=service, distribution="exponential")
    result = sim.simulate(plan, times, seed=7)
    theory = erlang.figures(
        counters=counters,
        arrivals_per_hour=arrivals,
        service_minutes=service,
        target_wait_minutes=target,
    )
    assert result.mean_wait == pytest.approx(theory.mean_wait_minutes, rel=0.10)
    assert result.p_wait == pytest.approx(theory.p_wait, abs=0.03)
    assert result.share_within(target) == pytest.approx(theory.service_level, abs=0.03)


def test_lognormal_service_times_have_the_asked_mean_and_spread():
    plan = sim.SessionPlan(counters_per_hour=[10] * 200, walkins_per_hour=30.0)
    times = sim.ServiceTimes(mean_minutes={sim.WALK_IN_SERVICE: 12.0}, cv=0.5)
    durations = [t.service_minutes for t in sim.simulate(plan, times, seed=3).tickets]
    assert statistics.fmean(durations) == pytest.approx(12.0, rel=0.03)
    assert statistics.stdev(durations) / statistics.fmean(durations) == pytest.approx(0.5, rel=0.08)


def test_observed_service_times_are_resampled_once_there_are_enough():
    observed = [7.0, 9.0, 11.0] * 10  # 30 durations
    plan = sim.SessionPlan(counters_per_hour=[3] * 3, walkins_per_hour=10.0)
    enough = sim.ServiceTimes(observed={sim.WALK_IN_SERVICE: observed}, min_observed=30)
    too_few = sim.ServiceTimes(observed={sim.WALK_IN_SERVICE: observed}, min_observed=31)
    used = {t.service_minutes for t in sim.simulate(plan, enough, seed=1).tickets}
    assert used <= {7.0, 9.0, 11.0} and used
    drawn = {t.service_minutes for t in sim.simulate(plan, too_few, seed=1).tickets}
    assert not drawn & {7.0, 9.0, 11.0}


def test_nobody_is_called_while_no_counter_is_open_and_everyone_is_served():
    plan = sim.SessionPlan(counters_per_hour=[0, 2, 1], walkins_per_hour=[6.0, 6.0, 6.0])
    result = sim.simulate(plan, sim.ServiceTimes(default_minutes=20), seed=5)
    assert result.tickets
    assert all(t.called >= 60.0 for t in result.tickets)
    # Walk-ins arrive until closing; the last counter serves whoever still waits.
    assert all(t.arrived < 180.0 for t in result.tickets)
    assert max(t.called for t in result.tickets) >= min(t.arrived for t in result.tickets)
    assert len({t.key for t in result.tickets}) == len(result.tickets)


def test_appointment_holders_come_around_their_time_and_no_shows_stay_away():
    bookings = [sim.Booking(minute=m, service="PASPOR") for m in range(0, 240, 4)]
    plan = sim.SessionPlan(
        counters_per_hour=[4] * 4,
        bookings=bookings,
        show_share=0.8,
        punctuality_mean=-5.0,
        punctuality_sd=3.0,
    )
    result = sim.simulate(plan, sim.ServiceTimes(default_minutes=10), seed=11)
    came = [t for t in result.tickets if t.kind == "appointment"]
    assert 0.65 * len(bookings) < len(came) < 0.95 * len(bookings)
    offsets = [t.arrived - t.booked for t in came if 20 < t.booked < 220]
    assert statistics.fmean(offsets) == pytest.approx(-5.0, abs=1.5)


def most_overtaken(result: sim.SimulationResult) -> int:
    """The most later arrivals called before any one regular visitor."""
    return max(
        sum(1 for o in result.tickets if o.arrived > t.arrived and o.called < t.called)
        for t in result.tickets
        if not t.priority
    )


def test_priority_visitors_wait_less_and_the_overtaking_bound_holds():
    """An overloaded morning with many priority walk-ins: the real policy puts them first, but
    no regular visitor is overtaken by more later arrivals than the policy allows. Without the
    bound the same morning overtakes someone far more often (so the scenario tests the bound)."""
    plan = sim.SessionPlan(
        counters_per_hour=[2] * 4, walkins_per_hour=16.0, walkin_priority_share=0.7
    )
    times = sim.ServiceTimes(default_minutes=10)
    result = sim.simulate(plan, times, seed=2)
    priority = [t.wait for t in result.tickets if t.priority]
    regular = [t.wait for t in result.tickets if not t.priority]
    assert statistics.fmean(priority) < statistics.fmean(regular)
    assert most_overtaken(result) <= DEFAULT_POLICY.max_overtaken

    unbounded = sim.simulate(plan, times, seed=2, policy=Policy(max_overtaken=10**6))
    assert most_overtaken(unbounded) > 2 * DEFAULT_POLICY.max_overtaken


def test_same_seed_same_day_and_more_counters_shorter_waits():
    plan = sim.SessionPlan(counters_per_hour=[2] * 4, walkins_per_hour=10.0)
    more = sim.SessionPlan(counters_per_hour=[4] * 4, walkins_per_hour=10.0)
    times = sim.ServiceTimes(default_minutes=10)
    a, b = sim.simulate(plan, times, seed=4), sim.simulate(plan, times, seed=4)
    assert a == b
    c = sim.simulate(more, times, seed=4)
    assert [t.arrived for t in c.tickets] == [t.arrived for t in a.tickets]
    assert c.mean_wait < a.mean_wait


def test_observer_sees_what_the_room_knows_at_each_arrival():
    bookings = [sim.Booking(minute=30.0, service="PASPOR"), sim.Booking(90.0, "LEGAL")]
    plan = sim.SessionPlan(
        counters_per_hour=[1, 1], bookings=bookings, walkins_per_hour=6.0, punctuality_sd=0.0
    )
    seen: list[sim.Snapshot] = []
    result = sim.simulate(plan, sim.ServiceTimes(default_minutes=8), seed=9, observer=seen.append)
    assert len(seen) == len(result.tickets)
    for snap in seen:
        assert snap.ticket in snap.waiting
        assert len(snap.busy) <= snap.counters_open == 1
    first_booked = next(s for s in seen if s.ticket.key == "A0000")
    assert [b.service for b in first_booked.pending_bookings] == ["LEGAL"]
    assert all(s.pending_bookings == tuple(bookings) for s in seen if s.now < 25.0)


def test_summary_has_the_percentiles_in_order():
    plan = sim.SessionPlan(counters_per_hour=[2] * 4, walkins_per_hour=9.0)
    result = sim.simulate_many(plan, sim.ServiceTimes(default_minutes=11), runs=20, seed=1)
    s = result.summary(15.0)
    assert s["p50_wait_minutes"] <= s["p90_wait_minutes"] <= s["p95_wait_minutes"]
    assert 0 <= s["service_level"] <= 1 and s["tickets"] == len(result.tickets)
    assert s["service_level"] == pytest.approx(
        sum(1 for t in result.tickets if t.wait <= 15.0) / len(result.tickets)
    )


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (sim.SessionPlan(counters_per_hour=[]), "counters_per_hour"),
        (sim.SessionPlan(counters_per_hour=[0, 0]), "counters_per_hour"),
        (sim.SessionPlan(counters_per_hour=[1], walkins_per_hour=-1.0), "walkins_per_hour"),
        (sim.SessionPlan(counters_per_hour=[1, 1], walkins_per_hour=[1.0]), "walkins_per_hour"),
        (sim.SessionPlan(counters_per_hour=[1], show_share=1.5), "show_share"),
    ],
)
def test_bad_sessions_are_refused(plan, field):
    with pytest.raises(sim.SimulationInputError) as err:
        sim.simulate(plan, sim.ServiceTimes(), seed=1)
    assert err.value.field == field
