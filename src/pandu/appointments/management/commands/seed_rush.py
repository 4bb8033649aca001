"""``pandu seed_rush``: one slot of M seats and N verified citizens with API tokens (a benchmark helper).

Writes ``{"slot": ..., "service": ..., "day": "YYYY-MM-DD", "tokens": [...]}`` to ``--out``. Needs the demo data (the
default mission and its catalogue); run ``pandu demo --no-serve`` first.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pandu.appointments.models import Session, Slot
from pandu.appointments.services import extra_session_create
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.services import citizen_register, token_issue

SERVICE = "paspor-ganti"


class Command(BaseCommand):
    help = "Creates one slot of M seats and N verified citizens with API tokens, for the booking rush benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--seats", type=int, required=True)
        parser.add_argument("--citizens", type=int, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, seats: int, citizens: int, out: str, **options):
        if not 1 <= seats <= 30000 or not 1 <= citizens <= 100000:
            raise CommandError("--seats must be 1-30000 and --citizens 1-100000.")
        if not Path(out).resolve().parent.is_dir():
            raise CommandError(f"The folder for {out} does not exist; nothing was created.")
        mission = Mission.objects.filter(slug=settings.DEFAULT_MISSION).first()
        service = Service.objects.filter(mission=mission, code=SERVICE).first() if mission else None
        if service is None:
            raise CommandError("The demo data is missing: run `pandu demo --no-serve` first.")
        run = secrets.token_hex(3)
        prefix = "".join(secrets.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        with transaction.atomic():
            slot = _rush_slot(mission, service, seats, run)
            tokens = []
            for i in range(citizens):
                user = citizen_register(
                    email=f"rush-{run}-{i}@example.org",
                    password=secrets.token_urlsafe(18),
                    profile={
                        "full_name": "Peserta Uji",
                        "date_of_birth": dt.date(1990, 1, 1),
                        "sex": "M",
                        "nik": "",
                        "passport_number": f"{prefix}{i:07d}",
                        "phone": "+1 416 555 0100",
                        "address_line": "1 Rush Street",
                        "city": "Toronto",
                        "province": "ON",
                        "postal_code": "M5V 2B5",
                    },
                    verified_by="seed_rush",
                )
                tokens.append(token_issue(user=user, name="booking rush").token)
            try:  # inside the transaction: if the file cannot be written, nothing is kept
                Path(out).write_text(
                    json.dumps(
                        {
                            "slot": str(slot.public_id),
                            "service": SERVICE,
                            "day": slot.session.date.isoformat(),
                            "tokens": tokens,
                        }
                    )
                )
            except OSError as exc:
                raise CommandError(f"Cannot write {out}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Slot {slot.public_id} with {seats} seats and {citizens} citizens written to {out}."
        )


def _rush_slot(mission: Mission, service: Service, seats: int, run: str) -> Slot:
    day = clock.today(mission) + dt.timedelta(days=7)
    taken = set(
        Session.objects.filter(mission=mission, date=day, kind=Session.Kind.EXTRA).values_list(
            "opens", flat=True
        )
    )
    minute = next(m for m in range(6 * 60, 22 * 60) if dt.time(m // 60, m % 60) not in taken)
    opens = dt.time(minute // 60, minute % 60)
    closes = (
        dt.datetime.combine(day, opens) + dt.timedelta(minutes=service.counter_minutes)
    ).time()
    session = extra_session_create(
        mission=mission,
        day=day,
        opens=opens,
        closes=closes,
        counters=1,
        location_name=f"Booking rush {run}",
        slots=[(service, seats)],
    )
    slot = session.slots.get()
    return slot
