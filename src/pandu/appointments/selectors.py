"""Reading slots and appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pandu.appointments import calendar
from pandu.appointments.draw import draw_closes_at
from pandu.appointments.models import (
    ACTIVE,
    WAITING,
    Appointment,
    CalendarOverride,
    Channel,
    DrawEntry,
    Session,
    SessionQuota,
    Slot,
    WaitlistEntry,
)
from pandu.appointments.rules import priority_checker, rules_for
from pandu.catalog.models import Service
from pandu.core.models import Mission


def closed_days(mission: Mission, start: dt.date, end: dt.date) -> set[dt.date]:
    """Days the mission does not work: public holidays and closures, minus days it opened."""
    closed = set(
        calendar.public_holidays(
            start,
            end,
            host_country=mission.country,
            host_subdivision=mission.holiday_subdivision or None,
        )
    )
    for override in CalendarOverride.objects.filter(mission=mission, date__range=(start, end)):
        (closed.discard if override.is_open else closed.add)(override.date)
    return closed


def free_slots(
    *,
    service: Service,
    start: dt.date,
    end: dt.date,
    channel: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Slot]:
    """Open slots of ``service`` with a seat left, between two local dates (inclusive)."""
    now = now or timezone.now()
    slots = Slot.objects.filter(
        service=service,
        session__is_closed=False,
        session__date__range=(start, end),
        starts_at__gt=now,
        booked__lt=F("capacity"),
    ).select_related("session")
    if channel == "saturday":
        slots = slots.filter(session__kind="saturday")
    elif channel == "weekday":
        slots = slots.exclude(session__kind="saturday")
    return slots.order_by("starts_at")


def free_slots_for(
    *,
    service: Service,
    start: dt.date,
    end: dt.date,
    channel: str | None,
    citizen=None,
    now: dt.datetime | None = None,
    booking_channel: str = Channel.ONLINE,
) -> list[tuple[Slot, int]]:
    """Free slots with the seats this citizen (or an anonymous visitor) could still take.

    Seats held for priority citizens count as taken for others until they are released, and a
    session's quotas (per service, per booking channel) cap the seats of all its slots. Sessions
    whose slots are released later, or whose draw is still open, are left out.
    """
    now = now or timezone.now()
    rules = rules_for(service)
    lead = now + dt.timedelta(hours=rules.lead_time_hours)
    horizon = now + dt.timedelta(days=rules.horizon_days)
    release = dt.timedelta(hours=rules.priority_release_hours)
    result = []
    candidates = list(
        free_slots(service=service, start=start, end=end, channel=channel, now=now)
        .select_related("session__mission")
        .exclude(session__releases_at__gt=now)
        .exclude(session__releases_at__isnull=False, session__draw_done_at__isnull=True)
    )
    quota_left = quotas_left(
        {slot.session_id for slot in candidates}, service=service, channel=booking_channel
    )
    has_priority = priority_checker(citizen) if citizen is not None else None
    for slot in candidates:
        if not (lead <= slot.starts_at <= horizon):
            continue
        priority = has_priority is not None and has_priority(slot.session.date)
        held = 0 if priority or now >= slot.starts_at - release else slot.priority_seats
        seats = slot.capacity - slot.booked - held
        if slot.session_id in quota_left:
            seats = min(seats, quota_left[slot.session_id])
        if seats > 0:
            result.append((slot, seats))
    return result


def quotas_left(session_ids: set[int], *, service: Service, channel: str) -> dict[int, int]:
    """Per session, the places left under the tightest quota a booking would count against."""
    left: dict[int, int] = {}
    for quota in SessionQuota.objects.filter(
        Q(service=service) | Q(service__isnull=True),
        Q(channel=channel) | Q(channel=""),
        session_id__in=session_ids,
    ):
        remaining = max(0, quota.limit - quota.used)
        left[quota.session_id] = min(remaining, left.get(quota.session_id, remaining))
    return left


def _by_channel(sessions: QuerySet, channel: str | None) -> QuerySet:
    if channel == "saturday":
        return sessions.filter(kind="saturday")
    if channel == "weekday":
        return sessions.exclude(kind="saturday")
    return sessions


def releases_upcoming(
    *, service: Service, start: dt.date, end: dt.date, channel: str | None, now: dt.datetime
) -> list[Session]:
    """Sessions offering ``service`` whose slots open later (``releases_at`` in the future)."""
    sessions = Session.objects.filter(
        mission_id=service.mission_id,
        slots__service=service,
        date__range=(start, end),
        is_closed=False,
        releases_at__gt=now,
    ).distinct()
    return list(_by_channel(sessions, channel).order_by("releases_at", "starts_at"))


def draw_slots_open(
    *, service: Service, start: dt.date, end: dt.date, channel: str | None, now: dt.datetime
) -> list[tuple[Session, dt.datetime, list[Slot]]]:
    """Sessions whose draw window is open now, with when it closes and their slots of ``service``."""

    sessions = _by_channel(
        Session.objects.filter(
            mission_id=service.mission_id,
            slots__service=service,
            date__range=(start, end),
            is_closed=False,
            releases_at__lte=now,
            draw_done_at__isnull=True,
        ).distinct(),
        channel,
    ).order_by("starts_at")
    result: list[tuple[Session, dt.datetime, list[Slot]]] = []
    for session in sessions:
        closes = draw_closes_at(session)
        assert closes is not None  # releases_at__lte above: the session has a release time
        if now < closes:
            slots = list(
                session.slots.filter(service=service, starts_at__gt=now).order_by("starts_at")
            )
            result.append((session, closes, slots))
    return result


def citizen_draw_entries(citizen) -> QuerySet[DrawEntry]:
    """The citizen's draw entries for sessions still ahead, newest session first."""
    return (
        DrawEntry.objects.filter(citizen=citizen, session__ends_at__gt=timezone.now())
        .select_related("service", "slot", "session__mission", "appointment")
        .order_by("session__starts_at")
    )


def citizen_waitlist(citizen) -> QuerySet[WaitlistEntry]:
    """The waitlists the citizen is on, with any seat offered to them."""
    return (
        WaitlistEntry.objects.filter(citizen=citizen, status__in=WAITING)
        .select_related("service", "mission", "offered_slot__session")
        .order_by("created_at")
    )


@dataclass
class Fill:
    """Booked seats against seats on offer for one kind of session (``kind``), or in total
    (``kind`` None)."""

    kind: str | None
    sessions: int = 0
    capacity: int = 0
    booked: int = 0

    @property
    def rate(self) -> float | None:
        """Booked seats as a share of capacity (0 to 1), or None when there is no capacity."""
        return self.booked / self.capacity if self.capacity else None

    @property
    def percent(self) -> int | None:
        r = self.rate
        return None if r is None else round(r * 100)


def fill_by_kind(
    *, mission: Mission, start: dt.date, end: dt.date, service: Service | None = None
) -> list[Fill]:
    """The fill rate, one definition for the session planning page and the dashboard.

    ``Sum(Slot.booked) / Sum(Slot.capacity)`` over the slots of the mission's sessions dated
    ``start`` to ``end`` (local dates, inclusive) that were not closed (a closed session's seats
    were never on offer); with a service, only that service's slots. ``sessions`` counts the
    sessions that offered such slots. One row per ``Session.Kind`` in its order, then the total.
    """
    slots = Slot.objects.filter(
        session__mission=mission, session__date__range=(start, end), session__is_closed=False
    )
    if service is not None:
        slots = slots.filter(service=service)
    found = {
        row["session__kind"]: row
        for row in slots.values("session__kind").annotate(
            capacity=Coalesce(Sum("capacity"), 0),
            booked=Coalesce(Sum("booked"), 0),
            sessions=Count("session", distinct=True),
        )
    }
    rows = []
    total = Fill(None)
    for kind in Session.Kind.values:
        data: Mapping[str, Any] = found.get(kind, {})
        row = Fill(
            kind,
            sessions=data.get("sessions", 0),
            capacity=data.get("capacity", 0),
            booked=data.get("booked", 0),
        )
        rows.append(row)
        total.sessions += row.sessions
        total.capacity += row.capacity
        total.booked += row.booked
    return [*rows, total]


def citizen_profile_part(citizen) -> dict:
    """The citizen's coming appointments, draw entries and waitlist places for their profile
    page (registered with ``pandu.people.profile_parts``)."""
    return {
        "appointments": Appointment.objects.filter(citizen=citizen, status__in=ACTIVE)
        .select_related("service", "slot__session", "mission")
        .order_by("slot__starts_at"),
        "draw_entries": citizen_draw_entries(citizen),
        "waitlist_entries": citizen_waitlist(citizen),
    }
