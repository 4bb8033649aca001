"""Reading slots and appointments."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.utils import timezone

from pandu.appointments.models import Slot
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
