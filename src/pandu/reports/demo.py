"""Demo history for the dashboards: the waiting room at KJRI Toronto in the past.

Walk-in tickets on each working day of last month and of this month up to yesterday (and on each
month's first Saturday, the Saturday session's day), taken, called, served and finished through
the waiting room's services with past times (``queue.history.tickets_history_record``: the same
rows and events as each visit's calls in turn, a stretch of days written at once), so every
ticket has its periods and audit events like a real day. Seeded, so the figures are the same on every machine; loaded once (nothing is added
to a stretch that already has tickets). Appointments, applications and Pertiwi visits of the past
are made by ``reports.demo_month``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from pandu.applications.selectors import closed_days
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.models import User
from pandu.queue import services
from pandu.queue.history import PastVisit, tickets_history_record
from pandu.queue.models import Counter, Ticket

SEED = 2017  # PermenPANRB 14/2017
OFFICER = "officer@toronto.pandu.test"
# Counter -> (services it serves, minutes at the counter: low, high).
DESKS = {
    1: (["paspor-baru", "paspor-ganti", "paspor-hilang-rusak", "splp"], (10, 22)),
    2: (["legalisasi", "surat-keterangan", "lapor-diri"], (4, 12)),
}


def _days(first: dt.date, last: dt.date, closed: set[dt.date]) -> list[dt.date]:
    days = []
    day = first
    saturday_done = False
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        elif day.weekday() == 5 and not saturday_done:
            days.append(day)  # the first Saturday: the Saturday session
            saturday_done = True
        day += dt.timedelta(days=1)
    return days


def load_reports_demo(*, today: dt.date | None = None) -> dict[str, int]:
    mission = Mission.objects.filter(slug="toronto").first()
    officer = User.objects.filter(email=OFFICER).first()
    if mission is None or officer is None:
        return {"history_tickets": 0}
    today = today or clock.today(mission)
    last = today.replace(day=1) - dt.timedelta(days=1)

    made = 0
    # Last month, and this month up to yesterday (the public page shows both).
    for first, end in (
        (last.replace(day=1), last),
        (today.replace(day=1), today - dt.timedelta(days=1)),
    ):
        if end < first or Ticket.objects.filter(mission=mission, date__range=(first, end)).exists():
            continue
        made += _history(mission, officer, first, end, closed_days)
    return {"history_tickets": made}


@transaction.atomic
def _history(mission: Mission, officer, first: dt.date, last: dt.date, closed_days) -> int:
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    by_code = {s.code: s for s in Service.objects.filter(mission=mission, is_active=True)}
    counters = {c.number: c for c in Counter.objects.filter(mission=mission, number__in=DESKS)}
    if len(counters) < len(DESKS):
        return 0
    before = {n: (c.is_open, list(c.services.all()), c.officer) for n, c in counters.items()}
    for number, (codes, _minutes) in DESKS.items():
        services.counter_open(
            counter=counters[number],
            services=[by_code[c] for c in codes if c in by_code],
            by=officer,
        )
    visits = []
    for day in _days(first, last, closed_days(mission, first, last)):
        saturday = day.weekday() == 5
        visitors = rng.randint(14, 20) if saturday else rng.randint(5, 10)
        free_at = {n: dt.datetime.combine(day, dt.time(9), tzinfo=mission.zone) for n in DESKS}
        arrival = dt.datetime.combine(day, dt.time(9), tzinfo=mission.zone)
        for _ in range(visitors):
            arrival += dt.timedelta(minutes=rng.randint(3, 15 if saturday else 30))
            number = 1 if rng.random() < (0.7 if saturday else 0.5) else 2
            codes, (low, high) = DESKS[number]
            code = rng.choice([c for c in codes if c in by_code])
            called = max(arrival + dt.timedelta(minutes=rng.randint(1, 4)), free_at[number])
            visit = {"service": by_code[code], "arrived_at": arrival, "counter": counters[number]}
            if rng.random() < 0.04:
                free_at[number] = called + dt.timedelta(minutes=3)
                visits.append(
                    PastVisit(**visit, called_at=called, ended_at=free_at[number], no_show=True)
                )
                continue
            started = called + dt.timedelta(minutes=1)
            free_at[number] = started + dt.timedelta(minutes=rng.randint(low, high))
            visits.append(
                PastVisit(**visit, called_at=called, started_at=started, ended_at=free_at[number])
            )
    # Each visit taken at the kiosk, called, served and finished (or not come) in turn, as
    # through ``ticket_take``, ``ticket_call_next``, ``ticket_start`` and ``ticket_finish``.
    made = len(tickets_history_record(mission=mission, visits=visits, by=officer))
    for number, (was_open, chosen, _by) in before.items():
        if was_open:
            services.counter_open(counter=counters[number], services=chosen, by=officer)
        else:
            services.counter_close(counter=counters[number], by=officer)
    return made
