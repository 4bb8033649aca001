"""Reading slots and appointments."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.utils import timezone

from pandu.appointments.models import Slot
from pandu.appointments.rules import citizen_has_priority, rules_for
from pandu.catalog.models import Service


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
) -> list[tuple[Slot, int]]:
    """Free slots with the seats this citizen (or an anonymous visitor) could still take.

    Seats held for priority citizens count as taken for others until they are released.
    """
    now = now or timezone.now()
    rules = rules_for(service)
    lead = now + dt.timedelta(hours=rules.lead_time_hours)
    horizon = now + dt.timedelta(days=rules.horizon_days)
    release = dt.timedelta(hours=rules.priority_release_hours)
    result = []
    for slot in free_slots(
        service=service, start=start, end=end, channel=channel, now=now
    ).select_related("session__mission"):
        if not (lead <= slot.starts_at <= horizon):
            continue
        priority = citizen is not None and citizen_has_priority(citizen, slot.session.date)
        held = 0 if priority or now >= slot.starts_at - release else slot.priority_seats
        seats = slot.capacity - slot.booked - held
        if seats > 0:
            result.append((slot, seats))
    return result
