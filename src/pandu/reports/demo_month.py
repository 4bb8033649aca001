"""Demo history for the dashboards, part two: last month's sessions, appointments, decided
applications and Pertiwi trips at KJRI Toronto (the waiting room is ``reports.demo``).

"Last month" is the calendar month before ``today`` in the mission's time zone, the month the
dashboards and the public page show as the demo month; this month up to yesterday gets its
sessions and appointments too (the public page shows this month beside the last). What is made,
and how:

- **Sessions** through the planner (``appointments.services.sessions_generate``) for that month,
  exactly as the calendar of the coming months is made: weekday sessions on working days and the
  Saturday rule's first-Saturday session, closed days skipped.
- **Appointments** in those sessions, 5-9 % of each weekday session's seats and 45-65 % of the
  Saturday session's (within its quotas), for the history citizens of ``reports.demo_people``.
  The planner gives every service its own slots with a seat per counter, so seats far outnumber
  visitors on a weekday; these shares make about 30-50 appointments a weekday and some 200 on the
  Saturday, the volume of a consulate general, and leave the Saturday visibly fuller:
  about 94 % served, 6 % not come, plus some booked and cancelled before the day. These rows are
  written directly, not through ``appointment_book``: booking queues a confirmation mail (with
  calendar file and QR code) and serving one queues a survey invitation, and there is no switch to
  leave them out for history. So each ``Slot.booked`` and ``SessionQuota.used`` is set here to
  exactly the non-cancelled appointments it holds (what ``take_seat``/``release_seat`` would have
  left), ``created_at`` is the booking time (1-28 days ahead, outside the change deadline for the
  cancelled ones) and no audit event is written.
- **Applications** and **Pertiwi** trips: see ``reports.demo_cases``.

Seeded, so the figures are the same on every machine for the same ``today``; each part is made
once (nothing is added when the month already has it). The appointments are not checked in
through the waiting room, whose history is the walk-ins of ``reports.demo``.

Known limit: the demo's Saturday rule starts on 1 January of the year ``pandu demo`` first ran,
so when the demo month is December of the year before, it has no Saturday session.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from pandu.appointments.models import Appointment, Channel, Session, SessionQuota, Slot
from pandu.appointments.services import identity_key, reference_new, sessions_generate
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.models import CitizenProfile
from pandu.reports.demo_cases import load_applications_history, load_pertiwi_history
from pandu.reports.demo_people import history_citizens

SEED = 2026
MISSION = "toronto"
WEEKDAY_FILL = (0.05, 0.09)
SATURDAY_FILL = (0.45, 0.65)
NO_SHOW = 0.06
CANCELLED = 0.07  # per slot: one more booking that was cancelled before the day
STAFF_BOOKED = 0.15  # booked by an officer on the phone or at the counter


def demo_month(mission: Mission, today: dt.date | None) -> tuple[dt.date, dt.date]:
    """The first and last day of the month before ``today`` (the mission's today by default)."""
    today = today or clock.today(mission)
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def load_month_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Make whatever part of last month's history is missing; return how many of each."""

    created = {
        "history_citizens": 0,
        "history_sessions": 0,
        "history_appointments": 0,
        "history_applications": 0,
        "history_visits": 0,
    }
    mission = Mission.objects.filter(slug=MISSION).first()
    if mission is None:
        return created
    today = today or clock.today(mission)
    first, last = demo_month(mission, today)
    with transaction.atomic():
        citizens, created["history_citizens"] = history_citizens(mission)
        created["history_sessions"] = sessions_generate(mission=mission, start=first, end=last)
        created["history_appointments"] = _appointments(mission, first, last, citizens)
    # This month up to yesterday too, so "this month" on the public page is not empty: its
    # sessions (the first Saturday's included) and their bookings; the calendar runs from today.
    if today.day > 1:
        start, end = today.replace(day=1), today - dt.timedelta(days=1)
        with transaction.atomic():
            created["history_sessions"] += sessions_generate(mission=mission, start=start, end=end)
            created["history_appointments"] += _appointments(
                mission, start, end, citizens, seed=SEED + 1
            )
    with transaction.atomic():
        created["history_applications"] = load_applications_history(
            mission, first, last, citizens, today=today
        )
    with transaction.atomic():
        created["history_visits"] = load_pertiwi_history(mission, first, last)
    return created


def _appointments(
    mission: Mission,
    first: dt.date,
    last: dt.date,
    citizens: list[CitizenProfile],
    *,
    seed: int = SEED,
) -> int:
    sessions = list(
        Session.objects.filter(
            mission=mission,
            date__range=(first, last),
            is_closed=False,
            starts_at__lt=timezone.now(),
        ).order_by("starts_at")
    )
    if not citizens or Appointment.objects.filter(slot__session__in=sessions).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    # A month holds some ten thousand slots of a dozen services: each slot takes its service
    # from one read of the catalogue rather than a joined copy of its own.
    services = {s.pk: s for s in Service.objects.filter(mission=mission)}
    slots_of = defaultdict(list)
    for slot in Slot.objects.filter(session__in=sessions).order_by("starts_at", "service__code"):
        slot.service = services[slot.service_id]
        slots_of[slot.session_id].append(slot)
    quotas = defaultdict(list)  # (session, service) -> the quotas a booking counts against
    for quota in SessionQuota.objects.filter(session__in=sessions, channel=""):
        quotas[quota.session_id, quota.service_id].append(quota)
    rows: list[Appointment] = []
    references: set[str] = set()
    for session in sessions:
        saturday = session.kind == Session.Kind.SATURDAY
        fill = rng.uniform(*(SATURDAY_FILL if saturday else WEEKDAY_FILL))
        pool = citizens[:]
        rng.shuffle(pool)
        turn = 0
        for slot in slots_of[session.pk]:
            seats = sum(rng.random() < fill for _ in range(slot.capacity))
            for quota in quotas[session.pk, slot.service_id]:
                seats = min(seats, quota.limit - quota.used)
            for quota in quotas[session.pk, slot.service_id]:
                quota.used += seats
            slot.booked = seats
            statuses = [
                Appointment.Status.NO_SHOW if rng.random() < NO_SHOW else Appointment.Status.SERVED
                for _ in range(seats)
            ]
            if rng.random() < CANCELLED:
                statuses.append(Appointment.Status.CANCELLED)
            for status in statuses:
                citizen = pool[turn % len(pool)]  # at most twice a day: the daily limit
                turn += 1
                row = _appointment(rng, mission, slot, citizen, status)
                while row.reference in references:  # 40 random bits: all but impossible
                    row.reference = reference_new(mission.reference_prefix)
                references.add(row.reference)
                rows.append(row)
    for slot_ids, booked in _grouped(
        (s.pk, s.booked) for slots in slots_of.values() for s in slots if s.booked
    ):
        Slot.objects.filter(pk__in=slot_ids).update(booked=booked)
    SessionQuota.objects.bulk_update(
        [q for qs in quotas.values() for q in qs if q.used], ["used"], batch_size=500
    )
    # ``created_at``/``updated_at`` are set on insert; the booking's own times are put back.
    times = [(row.created_at, row.updated_at) for row in rows]
    Appointment.objects.bulk_create(rows, batch_size=500)
    _set_times(rows, times)
    return len(rows)


def _grouped(pairs) -> list[tuple[list[int], int]]:
    """``(pk, value)`` pairs as ``(pks, value)`` groups of at most 500 pks."""
    groups = defaultdict(list)
    for pk, value in pairs:
        groups[value].append(pk)
    return [
        (pks[i : i + 500], value)
        for value, pks in sorted(groups.items())
        for i in range(0, len(pks), 500)
    ]


def _set_times(rows: list[Appointment], times: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """One UPDATE per row, sent as a batch: thousands of rows in well under a second, where
    ``bulk_update`` builds a CASE expression per row."""
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(Appointment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",  # noqa: S608
            [
                (adapt(created), adapt(updated), row.pk)
                for row, (created, updated) in zip(rows, times, strict=True)
            ],
        )


def _appointment(
    rng: random.Random, mission: Mission, slot: Slot, citizen: CitizenProfile, status: str
) -> Appointment:
    lead = dt.timedelta(days=rng.randint(1, 28), hours=rng.randint(0, 10))
    booked_at = slot.starts_at - lead - dt.timedelta(hours=1)
    if status == Appointment.Status.CANCELLED:
        # Given back at least a day ahead (the change deadline), some time after booking.
        changed_at = booked_at + (lead - dt.timedelta(days=1)) * rng.random()
    elif status == Appointment.Status.NO_SHOW:
        changed_at = slot.ends_at + dt.timedelta(minutes=rng.randint(15, 90))
    else:
        changed_at = slot.ends_at + dt.timedelta(minutes=rng.randint(0, 20))
    staff = rng.random() < STAFF_BOOKED
    return Appointment(
        reference=reference_new(mission.reference_prefix),
        mission=mission,
        slot=slot,
        service=slot.service,
        citizen=citizen,
        identity_key=identity_key(citizen),
        status=status,
        channel=Channel.STAFF if staff else Channel.ONLINE,
        cancel_reason=(
            ("staff" if staff else "citizen") if status == Appointment.Status.CANCELLED else ""
        ),
        created_at=booked_at,
        updated_at=changed_at,
    )
