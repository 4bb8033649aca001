"""A session's staffing plan: counters per hour for a waiting-time target, and its simulated check.

Expected arrivals per hour of the session are the appointments booked in that hour (not
cancelled) plus the expected walk-ins, an input. Service minutes come from the catalogue's
``counter_minutes``: per hour, the mean over the booked services and the walk-ins, who are
assumed to ask for the same mix as the bookings (the services offered on the session's channel
when nothing is booked yet). Each hour is sized on its own with Erlang C
(:func:`pandu.queueing.erlang.counters_needed`), as staffing tools do per interval; an hour
without expected visitors keeps one counter open.

The check then plays the whole session ``runs`` times with those counters
(:mod:`pandu.queueing.simulation`): the real booked times and services, punctual within a few
minutes, random walk-ins, lognormal service times and the waiting room's ordering policy. It
shows where the hour-by-hour formula is too cautious (appointments are spread evenly, not
random) or too hopeful (a queue left over from a busy hour).

Reads only; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace

from pandu.appointments.models import Appointment, Session
from pandu.catalog.models import Service
from pandu.queueing import erlang
from pandu.queueing import simulation as sim

DEFAULT_SERVICE_MINUTES = 15.0
SIMULATION_RUNS = 100
SIMULATION_SEED = 1


@dataclass(frozen=True)
class HourPlan:
    starts: dt.time  # local time
    booked: int
    walkins: float
    service_minutes: float
    counters: int
    p_wait: float
    mean_wait_minutes: float
    service_level: float
    simulated_mean_wait_minutes: float | None = None
    simulated_service_level: float | None = None

    @property
    def arrivals(self) -> float:
        return self.booked + self.walkins

    @property
    def p_wait_percent(self) -> int:
        return round(self.p_wait * 100)

    @property
    def service_level_percent(self) -> int:
        return round(self.service_level * 100)

    @property
    def simulated_service_level_percent(self) -> int | None:
        level = self.simulated_service_level
        return None if level is None else round(level * 100)


@dataclass(frozen=True)
class StaffingPlan:
    session: Session
    walkins_per_hour: float
    target_wait_minutes: float
    target_share: float
    service_minutes: float  # mean over the session's expected visitors
    hours: tuple[HourPlan, ...]
    simulated: dict[str, float | int]  # SimulationResult.summary over all runs
    runs: int

    @property
    def most_counters(self) -> int:
        return max(h.counters for h in self.hours)

    @property
    def meets_target(self) -> bool:
        return self.simulated["service_level"] >= self.target_share

    @property
    def target_percent(self) -> int:
        return round(self.target_share * 100)

    @property
    def simulated_service_level_percent(self) -> int:
        return round(self.simulated["service_level"] * 100)


@dataclass(frozen=True)
class _Booked:
    minute: float
    service: str
    minutes: float
    priority: bool


def _bookings(session: Session) -> list[_Booked]:
    rows = (
        Appointment.objects.filter(slot__session=session)
        .exclude(status=Appointment.Status.CANCELLED)
        .values_list("slot__starts_at", "service__code", "service__counter_minutes", "priority")
    )
    return [
        _Booked((starts - session.starts_at).total_seconds() / 60.0, code, float(minutes), prio)
        for starts, code, minutes, prio in rows
    ]


def _offered_mix(session: Session) -> dict[str, float]:
    """counter_minutes of the services offered on the session's channel (all active if none)."""
    services = list(
        Service.objects.filter(mission=session.mission, is_active=True).values_list(
            "code", "counter_minutes", "channels"
        )
    )
    on_channel = {code: float(m) for code, m, channels in services if session.channel in channels}
    return on_channel or {code: float(m) for code, m, _ in services}


def _hours(session: Session) -> int:
    return max(1, math.ceil((session.ends_at - session.starts_at).total_seconds() / 3600.0))


def staffing_plan(
    *,
    session: Session,
    walkins_per_hour: float,
    target_wait_minutes: float,
    target_share: float,
    runs: int = SIMULATION_RUNS,
    seed: int = SIMULATION_SEED,
) -> StaffingPlan:
    """Counters per hour of ``session`` so that ``target_share`` of visitors wait at most
    ``target_wait_minutes``, with the simulated check. Raises ``erlang.ErlangInputError`` for
    a target out of range or a negative walk-in rate."""
    if not math.isfinite(walkins_per_hour) or walkins_per_hour < 0:
        raise erlang.ErlangInputError("walkins_per_hour", "must be zero or a positive number")
    erlang.check_target(target_wait_minutes=target_wait_minutes, target_share=target_share)
    booked = _bookings(session)
    offered = _offered_mix(session)
    minutes_of = {b.service: b.minutes for b in booked} | offered
    if booked:
        walkin_mix = defaultdict(float)
        for b in booked:
            walkin_mix[b.service] += 1.0
    else:
        walkin_mix = dict.fromkeys(offered, 1.0)
    total = sum(walkin_mix.values())
    walkin_minutes = (
        sum(minutes_of[s] * w for s, w in walkin_mix.items()) / total
        if total
        else DEFAULT_SERVICE_MINUTES
    )

    n_hours = _hours(session)
    per_hour: list[list[_Booked]] = [[] for _ in range(n_hours)]
    for b in booked:
        per_hour[min(max(int(b.minute // 60), 0), n_hours - 1)].append(b)

    opens = dt.datetime.combine(session.date, session.opens)
    hours: list[HourPlan] = []
    for h, bookings in enumerate(per_hour):
        arrivals = len(bookings) + walkins_per_hour
        work = sum(b.minutes for b in bookings) + walkins_per_hour * walkin_minutes
        minutes = work / arrivals if arrivals else walkin_minutes
        starts = (opens + dt.timedelta(hours=h)).time()
        if arrivals <= 0:
            hours.append(HourPlan(starts, 0, 0.0, minutes, 1, 0.0, 0.0, 1.0))
            continue
        fig = erlang.counters_needed(
            arrivals_per_hour=arrivals,
            service_minutes=minutes,
            target_wait_minutes=target_wait_minutes,
            target_share=target_share,
        )
        hours.append(
            HourPlan(
                starts,
                len(bookings),
                walkins_per_hour,
                minutes,
                fig.counters,
                fig.p_wait,
                fig.mean_wait_minutes,
                fig.service_level,
            )
        )

    plan = sim.SessionPlan(
        counters_per_hour=[h.counters for h in hours],
        bookings=[
            sim.Booking(b.minute, b.service, "elderly" if b.priority else None) for b in booked
        ],
        walkins_per_hour=walkins_per_hour,
        walkin_services=dict(walkin_mix) or {sim.WALK_IN_SERVICE: 1.0},
    )
    times = sim.ServiceTimes(mean_minutes=minutes_of, default_minutes=walkin_minutes)
    result = sim.simulate_many(plan, times, runs=runs, seed=seed)
    by_hour: dict[int, list[float]] = defaultdict(list)
    for t in result.tickets:
        by_hour[min(int(t.arrived // 60), n_hours - 1)].append(t.wait)
    checked = []
    for h, hour in enumerate(hours):
        waits = by_hour.get(h)
        if not waits:
            checked.append(hour)
            continue
        within = sum(1 for w in waits if w <= target_wait_minutes + 1e-9) / len(waits)
        checked.append(
            replace(
                hour,
                simulated_mean_wait_minutes=statistics.fmean(waits),
                simulated_service_level=within,
            )
        )
    expected = sum(h.arrivals for h in hours)
    return StaffingPlan(
        session=session,
        walkins_per_hour=walkins_per_hour,
        target_wait_minutes=target_wait_minutes,
        target_share=target_share,
        service_minutes=(
            sum(h.arrivals * h.service_minutes for h in hours) / expected
            if expected
            else walkin_minutes
        ),
        hours=tuple(checked),
        simulated=result.summary(target_wait_minutes),
        runs=runs,
    )
