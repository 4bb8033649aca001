"""Waiting-room fixtures: KJRI Toronto with a session on a fixed day, bookings and counters."""

import datetime as dt

import pytest

from pandu.appointments.calendar import local_to_utc
from pandu.appointments.models import Session, Slot
from pandu.appointments.services import appointment_book, extra_session_create
from pandu.catalog.models import Service
from pandu.people.models import CitizenProfile, User
from pandu.queue import services

DAY = dt.date(2027, 1, 12)  # a Tuesday


@pytest.fixture
def toronto(demo):
    return demo["toronto"]


@pytest.fixture
def at(toronto):
    """``at(9, 30)``: that local time in Toronto on DAY, as an aware UTC datetime."""

    def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
        return local_to_utc(day, dt.time(hour, minute), toronto.zone)

    return _at


@pytest.fixture
def officer(demo):
    return User.objects.get(email="officer@toronto.pandu.test")


@pytest.fixture
def kiosk_user(toronto):
    """The demo's kiosk account: the "Kiosk" role at KJRI Toronto."""
    user = User.objects.get(email="kiosk@toronto.pandu.test")
    assert list(user.memberships.values_list("role__name", flat=True)) == ["Kiosk"]
    return user


@pytest.fixture
def book(toronto):
    """Book ``email``'s appointment for ``code`` on ``day`` at ``opens`` (an extra session)."""

    def _book(email, code="paspor-ganti", day=DAY, opens=dt.time(9), closes=dt.time(12)):
        service = Service.objects.get(mission=toronto, code=code)
        session = Session.objects.filter(
            mission=toronto, date=day, kind=Session.Kind.EXTRA, opens=opens
        ).first() or extra_session_create(
            mission=toronto,
            day=day,
            opens=opens,
            closes=closes,
            counters=3,
            slots=[(s, 10) for s in Service.objects.filter(mission=toronto, is_active=True)],
        )
        slot = Slot.objects.get(session=session, service=service)
        citizen = CitizenProfile.objects.get(user__email=email)
        booked_at = local_to_utc(day - dt.timedelta(days=5), dt.time(10), toronto.zone)
        return appointment_book(citizen=citizen, slot=slot, service=service, now=booked_at)

    return _book


@pytest.fixture
def service(toronto):
    return lambda code: Service.objects.get(mission=toronto, code=code)


@pytest.fixture
def counters(toronto, officer, service):
    """Counter 1 for passports, counter 2 for passports and legalisation; both open."""
    one = services.counter_create(mission=toronto, by=None)
    two = services.counter_create(mission=toronto, by=None)
    services.counter_open(counter=one, services=[service("paspor-ganti")], by=officer)
    services.counter_open(
        counter=two, services=[service("paspor-ganti"), service("legalisasi")], by=officer
    )
    return one, two
