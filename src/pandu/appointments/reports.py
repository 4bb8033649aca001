"""Fill rates of a mission's sessions: booked seats against capacity, per session and per kind.

A session's figures are the sums over its slots. Closed sessions are listed but left out of the
summary, since their seats were never on offer. The summary per kind is the dashboard's fill rate
(``selectors.fill_by_kind``): a session counts there when it offered seats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from pandu.appointments.models import Session
from pandu.appointments.selectors import Fill, fill_by_kind
from pandu.core.models import Mission


def rate(booked: int, capacity: int) -> float | None:
    """Booked seats as a share of capacity (0 to 1), or None when there is no capacity."""
    return booked / capacity if capacity else None


@dataclass(frozen=True)
class SessionFill:
    session: Session
    capacity: int
    booked: int
    slots: int

    @property
    def rate(self) -> float | None:
        return rate(self.booked, self.capacity)

    @property
    def percent(self) -> int | None:
        r = self.rate
        return None if r is None else round(r * 100)


@dataclass
class KindFill(Fill):
    """A kind's totals on the planning page: ``selectors.fill_by_kind``'s row with its label."""

    label: str = ""


@dataclass
class FillReport:
    start: dt.date
    end: dt.date
    sessions: list[SessionFill] = field(default_factory=list)
    kinds: list[KindFill] = field(default_factory=list)


def fill_rates(mission: Mission, start: dt.date, end: dt.date) -> FillReport:
    """Each session of ``mission`` from ``start`` to ``end`` (local dates, inclusive) with its
    seats, and the totals for weekday, Saturday and extra sessions."""
    sessions = (
        Session.objects.filter(mission=mission, date__range=(start, end))
        .annotate(
            seat_capacity=Coalesce(Sum("slots__capacity"), 0),
            seats_booked=Coalesce(Sum("slots__booked"), 0),
            slot_count=Count("slots"),
        )
        .order_by("date", "starts_at")
    )
    report = FillReport(start=start, end=end)
    for session in sessions:
        report.sessions.append(
            SessionFill(
                session=session,
                capacity=session.seat_capacity,
                booked=session.seats_booked,
                slots=session.slot_count,
            )
        )
    labels = dict(Session.Kind.choices)
    report.kinds = [
        KindFill(**vars(row), label=str(labels[row.kind]))
        for row in fill_by_kind(mission=mission, start=start, end=end)
        if row.kind is not None
    ]
    return report
