"""The booking rules that apply to one service of one mission, and who holds priority seats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from pandu.appointments.models import BookingRules
from pandu.catalog.models import Service


@dataclass(frozen=True)
class Rules:
    lead_time_hours: int = 24
    horizon_days: int = 60
    daily_limit: int = 2
    change_deadline_hours: int = 24
    max_reschedules: int = 2
    priority_share_percent: int = 20
    priority_release_hours: int = 48
    draw_minutes: int = 10
    waitlist_hold_hours: int = 2
    no_show_limit: int = 2
    no_show_window_days: int = 180
    no_show_block_days: int = 30


FIELDS = tuple(Rules.__dataclass_fields__)


def rules_for(service: Service) -> Rules:
    """The service's own rules, else the mission's, else the defaults above."""
    rows = {
        row.service_id: row
        for row in BookingRules.objects.filter(
            Q(service=service) | Q(service__isnull=True), mission_id=service.mission_id
        )
    }
    row = rows.get(service.pk) or rows.get(None)
    if row is None:
        return Rules()
    return Rules(**{field: getattr(row, field) for field in FIELDS})


PRIORITY_AGE = 60


def citizen_has_priority(citizen, on: dt.date) -> bool:
    """Elderly citizens (60 or over on the day) hold priority seats, and so does anyone with a
    Pertiwi eligibility approval (pregnancy, disability, or another accepted reason) valid that day.
    """
    return priority_checker(citizen)(on)


def priority_checker(citizen) -> Callable[[dt.date], bool]:
    """``citizen_has_priority`` for many dates (a list of slots) with one query."""
    from pandu.outreach.selectors import approvals_valid_until

    until = approvals_valid_until(citizen)
    return lambda on: citizen.age_on(on) >= PRIORITY_AGE or (until is not None and until >= on)
