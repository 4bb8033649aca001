"""The booking rules that apply to one service of one mission, and who holds priority seats.

Rules are read on every booking but change a few times a year, so each process keeps the rules it
read for ``RULES_TTL_SECONDS``: a change made in the admin is seen at once by the process that
saved it and by every other process within that time. Django's cache framework would share the
entry between processes but costs a round trip per booking, which is what this saves.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pandu.appointments.models import BookingRules
from pandu.catalog.models import Service
from pandu.outreach.selectors import approvals_valid_until, approvals_valid_until_subquery


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


RULES_TTL_SECONDS = 60.0
_cache: dict[tuple[int, str], tuple[float, Rules]] = {}
_cache_lock = threading.Lock()


def rules_for(service: Service) -> Rules:
    """The service's own rules, else the mission's, else the defaults above."""
    return rules_for_code(mission_id=service.mission_id, code=service.code)


def rules_for_code(*, mission_id: int, code: str) -> Rules:
    """``rules_for`` by the mission and the service's code (what a booking request names)."""
    key = (mission_id, code)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    rows = BookingRules.objects.filter(
        Q(service__code=code) | Q(service__isnull=True), mission_id=mission_id
    )
    by_kind = {row.service_id is not None: row for row in rows}
    row = by_kind.get(True) or by_kind.get(False)
    rules = Rules(**{field: getattr(row, field) for field in FIELDS}) if row else Rules()
    with _cache_lock:
        _cache[key] = (now + RULES_TTL_SECONDS, rules)
    return rules


def rules_for_services(services: Iterable[Service]) -> list[Rules]:
    """``rules_for`` of each service, the rules not in this process's cache read in one query per
    mission (a planner's month of sessions asks for every service of the mission at once)."""
    services = list(services)
    now = time.monotonic()
    missing: dict[int, set[str]] = {}
    for service in services:
        cached = _cache.get((service.mission_id, service.code))
        if cached is None or cached[0] <= now:
            missing.setdefault(service.mission_id, set()).add(service.code)
    for mission_id, codes in missing.items():
        rows = BookingRules.objects.filter(
            Q(service__code__in=codes) | Q(service__isnull=True), mission_id=mission_id
        ).select_related("service")
        general, own = None, {}
        for row in rows:  # as ``rules_for_code`` picks: the service's own row, else the mission's
            if row.service_id is None:
                general = row
            else:
                own[row.service.code] = row
        with _cache_lock:
            for code in codes:
                row = own.get(code) or general
                rules = (
                    Rules(**{field: getattr(row, field) for field in FIELDS}) if row else Rules()
                )
                _cache[mission_id, code] = (now + RULES_TTL_SECONDS, rules)
    return [rules_for(service) for service in services]


def rules_forget() -> None:
    """Drop every process-cached rule (after a change, and between tests)."""
    with _cache_lock:
        _cache.clear()


@receiver([post_save, post_delete], sender=BookingRules, dispatch_uid="booking_rules_changed")
def _rules_changed(**kwargs) -> None:
    rules_forget()


PRIORITY_AGE = 60


def citizen_has_priority(citizen, on: dt.date) -> bool:
    """Elderly citizens (60 or over on the day) hold priority seats, and so does anyone with a
    Pertiwi eligibility approval (pregnancy, disability, or another accepted reason) valid that day.
    """
    return priority_checker(citizen)(on)


def priority_checker(citizen) -> Callable[[dt.date], bool]:
    """``citizen_has_priority`` for many dates (a list of slots) with one query."""

    until = approvals_valid_until(citizen)
    return lambda on: has_priority(citizen, on, until)


def priority_until(citizen_id: int):
    """A subquery for the last day the citizen's Pertiwi approvals hold priority seats."""

    return approvals_valid_until_subquery(citizen_id)


def has_priority(citizen, on: dt.date, approvals_until: dt.date | None) -> bool:
    """``citizen_has_priority`` with the approvals already read."""
    return citizen.age_on(on) >= PRIORITY_AGE or (
        approvals_until is not None and approvals_until >= on
    )
