import datetime as dt

import pytest

from pandu.appointments.models import SaturdayRule, Slot
from pandu.appointments.services import sessions_generate
from pandu.people.services import citizen_register

# A fixed "now": the calendar is planned for January 2027 and booked in December 2026.
NOW = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def toronto(demo):
    mission = demo["toronto"]
    SaturdayRule.objects.create(
        mission=mission,
        weeks=[1],
        opens=dt.time(9),
        closes=dt.time(13),
        counters=3,
        valid_from=dt.date(2026, 1, 1),
    )
    sessions_generate(mission=mission, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    return mission


@pytest.fixture
def make_citizen(toronto):
    counter = {"n": 0}

    def make(*, born=dt.date(1990, 8, 17), passport=None, **extra):
        counter["n"] += 1
        n = counter["n"]
        profile = {
            "full_name": f"Warga {chr(64 + n % 26)}",
            "date_of_birth": born,
            "sex": "M",
            "nik": "",
            "passport_number": passport or f"C{n:07d}",
            "phone": "+1 416 555 0100",
            "address_line": f"{n} King Street",
            "city": "Toronto",
            "province": "ON",
            "postal_code": "M5V 2B5",
            **extra,
        }
        user = citizen_register(
            email=f"warga{n}@example.org",
            password="Kuat-sekali-2026",
            profile=profile,
            verified_by="demo",
        )
        return user.citizen

    return make


@pytest.fixture
def passport_slot(toronto):
    """A weekday renewal slot on Tuesday 12 January 2027 at 09:30 (15-minute slots from 09:00)."""
    return Slot.objects.filter(
        service__code="paspor-ganti", session__date=dt.date(2027, 1, 12), session__kind="weekday"
    ).order_by("starts_at")[2]
