"""Survey fixtures: KJRI Toronto, an appointment on a fixed day, and an invitation with its token."""

import datetime as dt

import pytest

from pandu.appointments.calendar import local_to_utc
from pandu.appointments.models import Session, Slot
from pandu.appointments.services import appointment_book, extra_session_create
from pandu.catalog.models import Service
from pandu.people.models import CitizenProfile, User

DAY = dt.date(2027, 1, 12)  # a Tuesday
CITIZEN = "siti.rahayu@example.org"
ENGLISH_CITIZEN = "budi.santoso@example.org"


@pytest.fixture
def toronto(demo):
    return demo["toronto"]


@pytest.fixture
def at(toronto):
    def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
        return local_to_utc(day, dt.time(hour, minute), toronto.zone)

    return _at


@pytest.fixture
def officer(demo):
    return User.objects.get(email="officer@toronto.pandu.test")


@pytest.fixture
def supervisor(demo):
    return User.objects.get(email="supervisor@toronto.pandu.test")


@pytest.fixture
def book(toronto):
    """Book ``email``'s appointment for ``code`` on ``day`` (an extra session at 9:00)."""

    def _book(email=CITIZEN, code="paspor-ganti", day=DAY):
        service = Service.objects.get(mission=toronto, code=code)
        session = Session.objects.filter(
            mission=toronto, date=day, kind=Session.Kind.EXTRA
        ).first() or extra_session_create(
            mission=toronto,
            day=day,
            opens=dt.time(9),
            closes=dt.time(12),
            counters=3,
            slots=[(s, 10) for s in Service.objects.filter(mission=toronto, is_active=True)],
        )
        slot = Slot.objects.get(session=session, service=service)
        citizen = CitizenProfile.objects.get(user__email=email)
        booked_at = local_to_utc(day - dt.timedelta(days=5), dt.time(10), toronto.zone)
        return appointment_book(citizen=citizen, slot=slot, service=service, now=booked_at)

    return _book


@pytest.fixture
def invited(toronto, at):
    """An invitation made at 10:00 on DAY (weekday counter, passports) and its token."""
    from pandu.feedback import services

    service = Service.objects.get(mission=toronto, code="paspor-ganti")
    return services.survey_invite(
        mission=toronto, channel="weekday", service=service, email="ayu@example.org", now=at(10)
    )


HAPPY = {f"u{i}": 3 for i in range(1, 10)}
