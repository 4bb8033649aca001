"""A discrete-event simulation of one session of the waiting room, with SimPy.

Erlang C (:mod:`pandu.queueing.erlang`) assumes what a consulate's Saturday is not: random
arrivals at a steady rate, exponential service times, one line served in arrival order, and a
room that has been open for ever. This simulation plays a whole session instead:

- **appointment holders** come around their booked time (a normal spread of punctuality,
  some never come) and **walk-ins** arrive at random (Poisson) at a rate per hour of the
  session; a share of walk-ins declare a priority reason;
- **service times** are drawn per service from a lognormal distribution with the given mean
  and coefficient of variation (exponential on request), or resampled from observed durations
  once a service has at least ``ServiceTimes.min_observed`` of them;
- **counters** open per hour of the session; after closing time the counters of the last hour
  serve everyone still waiting;
- the next ticket is chosen by the waiting room's real ordering policy,
  :func:`pandu.queue.policy.choose_next`, with its overtaking counts kept as the app keeps them.

Every counter serves every service here (per-service counters are the queue app's concern).
Random numbers come from one seeded :class:`random.Random`; service times are drawn when a
ticket is created, so two runs with the same seed and different counters see the same visitors.

An optional ``observer`` sees a :class:`Snapshot` each time a ticket joins the line: what the
waiting room knows at that moment (who waits, who is at which counter and for how long, the
service times measured so far, the bookings not yet checked in). ``bench/wait_estimates.py``
uses it to call the queue app's wait estimate as the phone page would.

No Django here; times are minutes from the session's opening.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypedDict, cast

import simpy
from simpy.events import ProcessGenerator

from pandu.queue.policy import DEFAULT_POLICY, Policy, WaitingTicket, choose_next, passed_over

#: The policy works on datetimes; simulated minutes are counted from this (arbitrary) instant.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

WALK_IN_SERVICE = "walk-in"


class SimulationInputError(ValueError):
    """A session or service-time description that cannot be simulated; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Booking:
    """An appointment: booked start (minutes from opening), service, declared priority if any."""

    minute: float
    service: str
    priority: str | None = None


@dataclass(frozen=True)
class SessionPlan:
    """What is expected of one session.

    ``counters_per_hour[h]`` counters are open in hour ``h``; the session lasts
    ``len(counters_per_hour)`` hours. ``walkins_per_hour`` is one rate for every hour or one per
    hour; walk-ins ask for the services of ``walkin_services`` in proportion to its weights.
    Appointment holders arrive ``punctuality_mean`` minutes after their booked time on average
    (negative: early), with a standard deviation of ``punctuality_sd``; ``show_share`` of them
    come at all.
    """

    counters_per_hour: Sequence[int]
    bookings: Sequence[Booking] = ()
    walkins_per_hour: float | Sequence[float] = 0.0
    walkin_services: Mapping[str, float] = field(default_factory=lambda: {WALK_IN_SERVICE: 1.0})
    walkin_priority_share: float = 0.0
    show_share: float = 1.0
    punctuality_mean: float = -5.0
    punctuality_sd: float = 8.0

    @property
    def minutes(self) -> float:
        return 60.0 * len(self.counters_per_hour)

    def counters_at(self, minute: float) -> int:
        hour = min(int(minute // 60), len(self.counters_per_hour) - 1)
        return self.counters_per_hour[max(hour, 0)]

    def walkin_rate(self, hour: int) -> float:
        if isinstance(self.walkins_per_hour, int | float):
            return float(self.walkins_per_hour)
        return float(self.walkins_per_hour[hour])


@dataclass(frozen=True)
class ServiceTimes:
    """Service times per service, in minutes.

    ``mean_minutes`` gives each service's mean (``default_minutes`` for services not listed);
    ``cv`` the coefficient of variation of the lognormal draw; ``distribution`` "lognormal" or
    "exponential". ``observed`` durations replace the parametric draw for a service once there
    are at least ``min_observed`` of them.
    """

    mean_minutes: Mapping[str, float] = field(default_factory=dict)
    default_minutes: float = 15.0
    cv: float = 0.5
    distribution: str = "lognormal"
    observed: Mapping[str, Sequence[float]] = field(default_factory=dict)
    min_observed: int = 30

    def mean(self, service: str) -> float:
        return float(self.mean_minutes.get(service, self.default_minutes))

    def draw(self, service: str, rng: random.Random) -> float:
        seen = self.observed.get(service, ())
        if len(seen) >= self.min_observed:
            return float(rng.choice(seen))
        mean = self.mean(service)
        if self.distribution == "exponential":
            return rng.expovariate(1.0 / mean)
        sigma2 = math.log1p(self.cv**2)
        return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


@dataclass(frozen=True)
class TicketOutcome:
    """One visitor's day: when they joined the line, were called and left (minutes)."""

    key: str
    service: str
    kind: str  # "appointment" or "walk-in"
    priority: str | None
    booked: float | None
    arrived: float
    called: float
    service_minutes: float

    @property
    def wait(self) -> float:
        return self.called - self.arrived


@dataclass(frozen=True)
class Snapshot:
    """What the waiting room knows when ``ticket`` joins the line (see the module docstring)."""

    now: float
    ticket: WaitingTicket
    waiting: tuple[WaitingTicket, ...]  # including ``ticket``
    busy: tuple[tuple[str, float], ...]  # (service, minutes already spent) per busy counter
    counters_open: int
    finished: tuple[tuple[str, float], ...]  # (service, minutes) of visits finished so far
    pending_bookings: tuple[Booking, ...]  # booked, not checked in (yet)


@dataclass(frozen=True)
class SimulationResult:
    tickets: tuple[TicketOutcome, ...]

    @property
    def waits(self) -> list[float]:
        return [t.wait for t in self.tickets]

    @property
    def mean_wait(self) -> float:
        return statistics.fmean(self.waits) if self.tickets else 0.0

    @property
    def p_wait(self) -> float:
        """Share of visitors who were not called the moment they joined the line."""
        if not self.tickets:
            return 0.0
        return sum(1 for w in self.waits if w > 1e-9) / len(self.tickets)

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile of the waits (linear interpolation between visitors)."""
        waits = sorted(self.waits)
        if not waits:
            return 0.0
        if len(waits) == 1:
            return waits[0]
        pos = (len(waits) - 1) * q / 100.0
        lower = math.floor(pos)
        upper = min(lower + 1, len(waits) - 1)
        return waits[lower] + (waits[upper] - waits[lower]) * (pos - lower)

    def share_within(self, minutes: float) -> float:
        if not self.tickets:
            return 1.0
        return sum(1 for w in self.waits if w <= minutes + 1e-9) / len(self.tickets)

    def summary(self, target_wait_minutes: float) -> dict[str, float | int]:
        return {
            "tickets": len(self.tickets),
            "p_wait": self.p_wait,
            "mean_wait_minutes": self.mean_wait,
            "p50_wait_minutes": self.percentile(50),
            "p90_wait_minutes": self.percentile(90),
            "p95_wait_minutes": self.percentile(95),
            "service_level": self.share_within(target_wait_minutes),
        }


@dataclass
class _Ticket:
    waiting: WaitingTicket
    kind: str
    booked: float | None
    arrived: float
    duration: float


class _State(TypedDict):
    arrived: simpy.Event  # fires when a ticket joins the line; replaced by a fresh one each time
    all_in: bool


def _check(plan: SessionPlan, times: ServiceTimes) -> None:
    if not plan.counters_per_hour:
        raise SimulationInputError("counters_per_hour", "the session needs at least one hour")
    if any(not isinstance(c, int) or c < 0 for c in plan.counters_per_hour):
        raise SimulationInputError("counters_per_hour", "must be whole numbers, 0 or more")
    if not any(plan.counters_per_hour):
        raise SimulationInputError("counters_per_hour", "at least one counter must open")
    if isinstance(plan.walkins_per_hour, int | float):
        rates = [plan.walkins_per_hour]
    else:
        rates = list(plan.walkins_per_hour)
        if len(rates) != len(plan.counters_per_hour):
            raise SimulationInputError("walkins_per_hour", "needs one rate per hour")
    if any(not math.isfinite(r) or r < 0 for r in rates):
        raise SimulationInputError("walkins_per_hour", "must not be negative")
    if any(r > 0 for r in rates) and (
        not plan.walkin_services or sum(plan.walkin_services.values()) <= 0
    ):
        raise SimulationInputError("walkin_services", "needs at least one service with a weight")
    for name in ("walkin_priority_share", "show_share"):
        if not 0.0 <= getattr(plan, name) <= 1.0:
            raise SimulationInputError(name, "must be between 0 and 1")
    if plan.punctuality_sd < 0:
        raise SimulationInputError("punctuality_sd", "must not be negative")
    if times.distribution not in ("lognormal", "exponential"):
        raise SimulationInputError("distribution", "must be lognormal or exponential")
    if times.cv < 0:
        raise SimulationInputError("cv", "must not be negative")
    services = {b.service for b in plan.bookings} | set(plan.walkin_services)
    if any(times.mean(s) <= 0 for s in services) or times.default_minutes <= 0:
        raise SimulationInputError("mean_minutes", "service times must be positive")


def _arrivals(plan: SessionPlan, times: ServiceTimes, rng: random.Random) -> list[_Ticket]:
    """Everyone who comes, in order of arrival, each with their service time drawn."""
    tickets: list[_Ticket] = []
    for i, booking in enumerate(sorted(plan.bookings, key=lambda b: b.minute)):
        # Draw in the same order whether or not they come, so seeds stay comparable.
        comes = rng.random() < plan.show_share
        offset = rng.gauss(plan.punctuality_mean, plan.punctuality_sd)
        duration = times.draw(booking.service, rng)
        if not comes:
            continue
        arrived = min(max(booking.minute + offset, 0.0), plan.minutes)
        key = f"A{i:04d}"
        tickets.append(
            _Ticket(
                WaitingTicket(
                    key=key,
                    service=booking.service,
                    arrived_at=EPOCH + dt.timedelta(minutes=arrived),
                    priority=booking.priority,
                    appointment_at=EPOCH + dt.timedelta(minutes=booking.minute),
                ),
                "appointment",
                booking.minute,
                arrived,
                duration,
            )
        )
    services = list(plan.walkin_services)
    weights = [plan.walkin_services[s] for s in services]
    n = 0
    for hour in range(len(plan.counters_per_hour)):
        rate = plan.walkin_rate(hour)
        if rate <= 0:
            continue
        t = hour * 60.0
        while True:
            t += rng.expovariate(rate / 60.0)
            if t >= (hour + 1) * 60.0:
                break
            service = rng.choices(services, weights)[0]
            priority = "elderly" if rng.random() < plan.walkin_priority_share else None
            duration = times.draw(service, rng)
            n += 1
            tickets.append(
                _Ticket(
                    WaitingTicket(
                        key=f"W{n:05d}",
                        service=service,
                        arrived_at=EPOCH + dt.timedelta(minutes=t),
                        priority=priority,
                    ),
                    "walk-in",
                    None,
                    t,
                    duration,
                )
            )
    tickets.sort(key=lambda t: (t.arrived, t.waiting.key))
    return tickets


def simulate(
    plan: SessionPlan,
    times: ServiceTimes,
    *,
    seed: int,
    policy: Policy = DEFAULT_POLICY,
    observer: Callable[[Snapshot], None] | None = None,
) -> SimulationResult:
    """Play one session; every visitor who came is served (the last counters stay on)."""
    _check(plan, times)
    rng = random.Random(seed)  # noqa: S311  (a repeatable simulation, not a secret)
    arrivals = _arrivals(plan, times, rng)
    env = simpy.Environment()
    waiting: dict[Hashable, _Ticket] = {}
    at_counter: dict[int, tuple[_Ticket, float]] = {}
    finished: list[tuple[str, float]] = []
    outcomes: list[TicketOutcome] = []
    # Appointment tickets are keyed A0000, A0001, ... in order of booked time (see _arrivals).
    ordered_bookings = sorted(plan.bookings, key=lambda b: b.minute)
    pending = set(range(len(ordered_bookings)))
    state: _State = {"arrived": env.event(), "all_in": False}

    def arrive() -> ProcessGenerator:
        for ticket in arrivals:
            if ticket.arrived > env.now:
                yield env.timeout(ticket.arrived - env.now)
            waiting[ticket.waiting.key] = ticket
            if ticket.kind == "appointment":
                pending.discard(int(cast(str, ticket.waiting.key)[1:]))
            if observer is not None:
                observer(
                    Snapshot(
                        now=env.now,
                        ticket=ticket.waiting,
                        waiting=tuple(t.waiting for t in waiting.values()),
                        busy=tuple(
                            (t.waiting.service, env.now - since) for t, since in at_counter.values()
                        ),
                        counters_open=plan.counters_at(env.now),
                        finished=tuple(finished),
                        pending_bookings=tuple(ordered_bookings[i] for i in sorted(pending)),
                    )
                )
            wake, state["arrived"] = state["arrived"], env.event()
            wake.succeed()
        state["all_in"] = True
        wake, state["arrived"] = state["arrived"], env.event()
        wake.succeed()

    def next_hour(now: float) -> float:
        return (math.floor(now / 60.0) + 1) * 60.0

    def counter(k: int) -> ProcessGenerator:
        while True:
            closed = env.now >= plan.minutes
            if k >= plan.counters_at(env.now):
                if closed:
                    return
                yield env.timeout(next_hour(env.now) - env.now)
                continue
            if not waiting:
                if state["all_in"]:
                    return
                events = [state["arrived"]]
                if not closed:
                    events.append(env.timeout(next_hour(env.now) - env.now))
                yield env.any_of(events)
                continue
            now = EPOCH + dt.timedelta(minutes=env.now)
            line = [t.waiting for t in waiting.values()]
            chosen = choose_next(line, now, policy=policy)
            # Every counter serves every service, and the line is not empty.
            assert chosen is not None
            for other in passed_over(line, chosen, policy=policy):
                held = waiting[other.key]
                held.waiting = replace(held.waiting, overtaken=held.waiting.overtaken + 1)
            ticket = waiting.pop(chosen.key)
            at_counter[k] = (ticket, env.now)
            outcomes.append(
                TicketOutcome(
                    key=cast(str, chosen.key),  # the keys are strings here (see _arrivals)
                    service=chosen.service,
                    kind=ticket.kind,
                    priority=chosen.priority,
                    booked=ticket.booked,
                    arrived=ticket.arrived,
                    called=env.now,
                    service_minutes=ticket.duration,
                )
            )
            yield env.timeout(ticket.duration)
            del at_counter[k]
            finished.append((chosen.service, ticket.duration))

    env.process(arrive())
    for k in range(max(plan.counters_per_hour)):
        env.process(counter(k))
    env.run()
    return SimulationResult(tuple(sorted(outcomes, key=lambda o: (o.arrived, o.key))))


def simulate_many(
    plan: SessionPlan,
    times: ServiceTimes,
    *,
    runs: int,
    seed: int,
    policy: Policy = DEFAULT_POLICY,
) -> SimulationResult:
    """``runs`` independent sessions (seeds ``seed``, ``seed + 1``, ...), visitors pooled."""
    if runs < 1:
        raise SimulationInputError("runs", "must be at least 1")
    pooled: list[TicketOutcome] = []
    for run in range(runs):
        result = simulate(plan, times, seed=seed + run, policy=policy)
        pooled.extend(replace(t, key=f"{run}:{t.key}") for t in result.tickets)
    return SimulationResult(tuple(pooled))
