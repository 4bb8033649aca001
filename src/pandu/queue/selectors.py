"""Reads of the waiting room: the line as the policy sees it, positions, estimates, derived times."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pandu.appointments.models import Appointment
from pandu.catalog.models import Service
from pandu.core.models import Mission
from pandu.queue import estimates, policy
from pandu.queue.models import (
    CURRENT_STATES,
    WAITING_STATES,
    Counter,
    QueueSettings,
    Ticket,
    TicketPeriod,
)

# Service-time samples used per service (the most recent ones).
MAX_SAMPLES = 200


def settings_for(mission: Mission) -> QueueSettings:
    found = QueueSettings.objects.filter(mission=mission).first()
    return found or QueueSettings(mission=mission)


def as_waiting(ticket: Ticket) -> policy.WaitingTicket:
    """A ticket as the pure ordering policy sees it."""
    declared = ticket.priority_reason if ticket.priority_reason in policy.DECLARED_REASONS else None
    return policy.WaitingTicket(
        key=ticket.pk,
        service=ticket.service.code,
        arrived_at=ticket.arrived_at,
        priority=declared,
        appointment_at=ticket.appointment_at,
        overtaken=ticket.overtaken,
    )


def waiting_for_counter(
    counter: Counter, date: dt.date, *, services: Iterable[int] | None = None
) -> list[Ticket]:
    """Waiting tickets of the day this counter may call (its services; transfers sent to it).

    ``services``: the ids of the counter's services when the caller has just read them.
    """
    return list(
        Ticket.objects.filter(
            mission_id=counter.mission_id,
            date=date,
            state__in=WAITING_STATES,
            service__in=counter.services.all() if services is None else list(services),
        )
        .filter(Q(counter__isnull=True) | Q(counter=counter))
        .select_related("service")
    )


def waiting_of_day(counter: Counter, date: dt.date) -> Sequence[Ticket]:
    """Every waiting ticket of the counter's mission and day, each marked ``callable_here`` when
    this counter may call it (one of its services; not sent to another counter).

    One read for the call: the tickets to choose from, and whether anyone waiting asked to be
    told that their turn is near.
    """
    serves = Counter.services.through.objects.filter(
        counter_id=counter.pk, service_id=OuterRef("service_id")
    )
    tickets = list(
        Ticket.objects.filter(mission_id=counter.mission_id, date=date, state__in=WAITING_STATES)
        .annotate(served_here=Exists(serves))
        .select_related("service")
    )
    for ticket in tickets:
        ticket.callable_here = ticket.served_here and ticket.counter_id in (None, counter.pk)
    return tickets


@dataclass(frozen=True)
class TicketTimes:
    wait_minutes: float
    service_minutes: float
    hold_minutes: float
    called_at: dt.datetime | None


def times_from_periods(periods: Iterable[TicketPeriod], now: dt.datetime) -> TicketTimes:
    """Wait, service and hold time of a ticket from its periods (an open period runs to ``now``).

    Waiting counts waiting after a transfer too; being called (walking to the counter) counts
    as neither wait nor service.
    """
    totals: dict[str, float] = defaultdict(float)
    called_at = None
    for period in periods:
        end = period.ended_at or now
        totals[period.state] += max((end - period.started_at).total_seconds(), 0) / 60
        if period.state == Ticket.State.CALLED and called_at is None:
            called_at = period.started_at
    return TicketTimes(
        wait_minutes=totals[Ticket.State.WAITING] + totals[Ticket.State.TRANSFERRED],
        service_minutes=totals[Ticket.State.SERVING],
        hold_minutes=totals[Ticket.State.ON_HOLD],
        called_at=called_at,
    )


def ticket_times(ticket: Ticket, now: dt.datetime | None = None) -> TicketTimes:
    return times_from_periods(ticket.periods.all(), now or timezone.now())


def service_time_samples(mission: Mission, since: dt.datetime) -> dict[str, list[float]]:
    """Minutes at the counter per finished visit and service since ``since``, newest first."""
    totals: dict[tuple[int, str], float] = defaultdict(float)
    newest: dict[tuple[int, str], dt.datetime] = {}
    rows = TicketPeriod.objects.filter(
        ticket__mission=mission,
        state=Ticket.State.SERVING,
        started_at__gte=since,
        ended_at__isnull=False,
    ).values_list("ticket_id", "service__code", "started_at", "ended_at")
    for ticket_id, code, started, ended in rows:
        assert ended is not None  # ended_at__isnull=False above
        key = (ticket_id, code)
        totals[key] += (ended - started).total_seconds() / 60
        newest[key] = max(newest.get(key, ended), ended)
    samples: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for (_ticket, code), minutes in totals.items():
        samples[code].append((newest[(_ticket, code)], minutes))
    return {
        code: [m for _when, m in sorted(values, reverse=True)[:MAX_SAMPLES]]
        for code, values in samples.items()
    }


@dataclass(frozen=True)
class Estimate:
    ahead: int
    range: estimates.WaitRange | None


class Line:
    """The day's waiting line of a mission, read once, to place and estimate many tickets."""

    def __init__(
        self,
        mission: Mission,
        date: dt.date,
        now: dt.datetime,
        *,
        queue_settings: QueueSettings | None = None,
    ):
        self.mission, self.date, self.now = mission, date, now
        self._settings = queue_settings
        self.waiting = list(
            Ticket.objects.filter(mission=mission, date=date, state__in=WAITING_STATES)
            .select_related("service")
            .order_by("arrived_at", "pk")
        )
        self.counters = list(
            Counter.objects.filter(mission=mission, is_open=True).prefetch_related("services")
        )
        self.counter_services = {c.pk: {s.code for s in c.services.all()} for c in self.counters}
        self._stats: dict[str, estimates.ServiceTimeStats] | None = None

    def _counters_for(self, ticket: Ticket) -> list[Counter]:
        if ticket.counter_id is not None and ticket.state == Ticket.State.TRANSFERRED:
            return [c for c in self.counters if c.pk == ticket.counter_id]
        return [c for c in self.counters if ticket.service.code in self.counter_services[c.pk]]

    def ahead_of(self, ticket: Ticket) -> list[Ticket]:
        """Waiting tickets the counters serving ``ticket`` will call before it, in order."""
        counters = self._counters_for(ticket)
        served = set().union(*(self.counter_services[c.pk] for c in counters)) or {
            ticket.service.code
        }
        by_key = {t.pk: t for t in self.waiting}
        competing = [
            t
            for t in self.waiting
            if t.service.code in served
            and (t.counter_id is None or t.counter_id in {c.pk for c in counters})
        ]
        if ticket.pk not in {t.pk for t in competing}:
            competing.append(ticket)
        ordered = policy.order([as_waiting(t) for t in competing], self.now)
        keys = [w.key for w in ordered]
        return [by_key[k] for k in keys[: keys.index(ticket.pk)] if k in by_key]

    def position(self, ticket: Ticket) -> int | None:
        """How many are ahead; None when the ticket no longer waits."""
        if ticket.state not in WAITING_STATES:
            return None
        return len(self.ahead_of(ticket))

    def settings(self) -> QueueSettings:
        """The mission's queue settings, read once (or as given)."""
        if self._settings is None:
            self._settings = settings_for(self.mission)
        return self._settings

    def stats(self) -> dict[str, estimates.ServiceTimeStats]:
        if self._stats is None:
            days = self.settings().service_time_days
            samples = service_time_samples(self.mission, self.now - dt.timedelta(days=days))
            self._stats = {
                code: estimates.service_time_stats(samples.get(code, []), minutes)
                for code, minutes in Service.objects.filter(mission=self.mission).values_list(
                    "code", "counter_minutes"
                )
            }
        return self._stats

    def estimate(self, ticket: Ticket) -> Estimate | None:
        """Places ahead and the wait range (None when no counter serving it is open)."""
        if ticket.state not in WAITING_STATES:
            return None
        ahead = self.ahead_of(ticket)
        counters = self._counters_for(ticket)
        stats = self.stats()
        default = stats.get(
            ticket.service.code,
            estimates.service_time_stats([], ticket.service.counter_minutes),
        )
        busy = []
        current = TicketPeriod.objects.filter(
            ticket__counter__in=counters,
            ticket__state__in=CURRENT_STATES,
            ended_at__isnull=True,
        ).values_list("service__code", "started_at")
        for code, started in current:
            busy.append((code, (self.now - started).total_seconds() / 60))
        kwargs: dict[str, Any] = {
            "ahead": [t.service.code for t in ahead],
            "counters": len(counters),
            "stats": stats,
            "default": default,
            "busy": busy,
        }
        first = estimates.estimate_wait(**kwargs)
        if first is None:
            return Estimate(ahead=len(ahead), range=None)
        may = self._may_overtake(ticket, first.high, self._counters_for(ticket))
        result = estimates.estimate_wait(**kwargs, may_overtake=may) if may else first
        return Estimate(ahead=len(ahead), range=result)

    def _may_overtake(self, ticket: Ticket, horizon_minutes: float, counters) -> int:
        """Who may still go ahead during the wait, at most what the policy's bound allows:
        priority arrivals at the last hour's rate, and, for walk-ins, booked visitors not yet
        checked in whose time comes during the wait at the counters serving this ticket (the
        policy puts them ahead of walk-ins then). ``bench/wait_estimates.py`` measures both effects."""
        waiting = as_waiting(ticket)
        if policy.priority_reason(waiting, self.now) is not None:
            return 0
        left = max(policy.DEFAULT_POLICY.max_overtaken - ticket.overtaken, 0)
        hour_ago = self.now - dt.timedelta(hours=1)
        recent = Ticket.objects.filter(
            mission=self.mission, date=self.date, service=ticket.service, arrived_at__gte=hour_ago
        ).exclude(priority_reason="")
        rate = recent.count() / 60
        early = policy.DEFAULT_POLICY.appointment_early
        served = Service.objects.filter(counters__in=counters).distinct()
        if ticket.appointment_id is not None:  # holders soon have their own turn
            return min(left, math.ceil(rate * horizon_minutes))
        booked = Appointment.objects.filter(
            mission=self.mission,
            status=Appointment.Status.BOOKED,
            service__in=served,
            slot__starts_at__gte=self.now - policy.DEFAULT_POLICY.appointment_late_grace,
            slot__starts_at__lte=self.now + early + dt.timedelta(minutes=horizon_minutes),
        ).count()
        return min(left, math.ceil(rate * horizon_minutes) + booked)


def recent_calls(mission: Mission, date: dt.date, limit: int = 8) -> list[TicketPeriod]:
    """The latest calls of the day (one per ticket, newest first) for the waiting-room display."""
    seen, calls = set(), []
    periods = (
        TicketPeriod.objects.filter(
            ticket__mission=mission, ticket__date=date, state=Ticket.State.CALLED
        )
        .select_related("ticket", "counter")
        .order_by("-started_at", "-pk")[: limit * 4]
    )
    for period in periods:
        if period.ticket_id in seen or period.counter is None:
            continue
        seen.add(period.ticket_id)
        calls.append(period)
        if len(calls) == limit:
            break
    return calls
