"""A draw entry and a booking meet the same rules (appointments/booking.py), told the same way."""

import datetime as dt

import pytest

from pandu.appointments import draw, services
from pandu.appointments.errors import BookingRefused
from pandu.appointments.models import DrawEntry
from pandu.catalog.models import Service

from .test_no_show import AFTER, JAN_12, JAN_19, JAN_26, book, miss, slot_on

RELEASE = AFTER + dt.timedelta(hours=1)
IN_WINDOW = RELEASE + dt.timedelta(minutes=3)


@pytest.fixture
def released(toronto):
    """A Saturday session with three renewal seats, in its draw window at IN_WINDOW."""
    service = Service.objects.get(mission=toronto, code="paspor-ganti")
    session = services.extra_session_create(
        mission=toronto,
        day=dt.date(2027, 1, 30),
        opens=dt.time(9),
        closes=dt.time(12),
        counters=3,
        slots=[(service, 3)],
    )
    draw.session_release_set(session=session, releases_at=RELEASE, by=None, now=AFTER)
    return session.slots.get()


def enter(citizen, slot, service=None):
    return draw.appointment_request(
        citizen=citizen, slot=slot, service=service or slot.service, now=IN_WINDOW
    )


def test_a_citizen_paused_for_missed_appointments_can_neither_book_nor_enter_a_draw(
    make_citizen, released, django_capture_on_commit_callbacks
):
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    with pytest.raises(BookingRefused) as booking:
        book(citizen, slot_on(JAN_26), now=AFTER)
    with pytest.raises(BookingRefused) as entry:
        enter(citizen, released)
    assert entry.value.code == booking.value.code == "no_show_blocked"
    assert entry.value.message == booking.value.message  # "... ditangguhkan sampai 2027-02-18 ..."
    assert not DrawEntry.objects.filter(citizen=citizen).exists()


def test_a_draw_entry_for_another_service_s_slot_is_refused_as_a_booking_is(
    toronto, make_citizen, released
):
    other = Service.objects.filter(mission=toronto).exclude(pk=released.service_id).first()
    citizen = make_citizen()
    with pytest.raises(BookingRefused) as entry:
        enter(citizen, released, service=other)
    with pytest.raises(BookingRefused) as booking:
        services.appointment_book(citizen=citizen, slot=released, service=other, now=AFTER)
    assert entry.value.code == booking.value.code == "wrong_slot"
    assert not DrawEntry.objects.exists()
    assert isinstance(enter(citizen, released), DrawEntry)  # the right service enters
