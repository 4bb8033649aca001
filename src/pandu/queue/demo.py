"""Demo waiting room for KJRI Toronto: counters, a kiosk account, and (with the calendar) a few
tickets today, through the services so every row has its periods and audit events."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.models import User
from pandu.people.services import staff_membership_add
from pandu.queue import services
from pandu.queue.models import Counter, QueueSettings, Ticket

KIOSK_EMAIL = "kiosk@toronto.pandu.test"
# Counter number -> services it serves when opened.
COUNTERS = {
    1: ["paspor-baru", "paspor-ganti", "paspor-hilang-rusak", "splp"],
    2: ["paspor-baru", "paspor-ganti", "legalisasi", "surat-keterangan"],
    3: [
        "legalisasi",
        "lapor-kelahiran",
        "lapor-perkawinan",
        "lapor-kematian",
        "affidavit",
        "lapor-diri",
    ],
}
# Minutes ago, service code, priority reason, minutes at the counter (None: still waiting).
TICKETS = [
    (95, "paspor-ganti", "", 14),
    (90, "legalisasi", "", 9),
    (80, "paspor-baru", "elderly", 18),
    (40, "paspor-ganti", "", None),
    (30, "legalisasi", "", None),
    (25, "paspor-baru", "pregnant", None),
    (10, "lapor-diri", "", None),
]


def load_queue_demo(*, password: str, with_calendar: bool = False) -> dict[str, int]:
    created = {"counters": 0, "tickets": 0}
    mission = Mission.objects.filter(slug="toronto").first()
    if mission is None:
        return created
    with transaction.atomic():
        QueueSettings.objects.get_or_create(mission=mission)
        for number in COUNTERS:
            if not Counter.objects.filter(mission=mission, number=number).exists():
                services.counter_create(mission=mission, number=number, by=None)
                created["counters"] += 1
        kiosk = User.objects.filter(email=KIOSK_EMAIL).first()
        if kiosk is None:
            kiosk = User.objects.create_user(
                KIOSK_EMAIL, password, email_verified_at=dt.datetime.now(dt.UTC)
            )
        role = Group.objects.filter(name="Kiosk").first()
        if role is not None and not kiosk.memberships.filter(mission=mission, role=role).exists():
            staff_membership_add(user=kiosk, mission=mission, role=role)
    if with_calendar:
        created["tickets"] = _tickets_today(mission)
    return created


@transaction.atomic
def _tickets_today(mission: Mission) -> int:
    """A morning in progress: three visits served, four people waiting, counters 1 and 2 open."""
    now = timezone.now()
    if Ticket.objects.filter(mission=mission, date=clock.today(mission, now)).exists():
        return 0
    officer = User.objects.filter(email="officer@toronto.pandu.test").first()
    by_code = {s.code: s for s in Service.objects.filter(mission=mission, is_active=True)}
    counters = {c.number: c for c in Counter.objects.filter(mission=mission)}
    for number in (1, 2):
        services.counter_open(
            counter=counters[number],
            services=[by_code[c] for c in COUNTERS[number] if c in by_code],
            by=officer,
        )
    count = 0
    for ago, code, reason, minutes in TICKETS:
        if code not in by_code:
            continue
        arrived = now - dt.timedelta(minutes=ago)
        ticket = services.ticket_take(
            mission=mission, service=by_code[code], priority_reason=reason, now=arrived
        )
        count += 1
        if minutes is None:
            continue
        counter = counters[1] if code.startswith("paspor") else counters[2]
        called_at = arrived + dt.timedelta(minutes=3)
        ticket = services.ticket_call_next(counter=counter, by=officer, now=called_at)
        ticket = services.ticket_start(
            ticket=ticket, by=officer, now=called_at + dt.timedelta(minutes=1)
        )
        services.ticket_finish(
            ticket=ticket, by=officer, now=called_at + dt.timedelta(minutes=1 + minutes)
        )
    return count
