"""The appointment's and the waitlist entry's transition tables, pair by pair, and through the
services that move them."""

import datetime as dt
import itertools

import pytest
from django.db.models import F
from django.utils import translation

from pandu.appointments import services, waitlist
from pandu.appointments.errors import BookingRefused, MoveRefused
from pandu.appointments.models import Appointment, Slot, WaitlistEntry
from pandu.appointments.transitions import APPOINTMENT, WAITLIST, Event, WaitlistEvent
from pandu.audit.models import AuditEvent
from pandu.people.models import User
from tests.transitions import assert_move

from .conftest import NOW

S = Appointment.Status
ALLOWED = {
    (S.BOOKED, Event.CHECK_IN): S.CHECKED_IN,
    (S.BOOKED, Event.SERVE): S.SERVED,
    (S.CHECKED_IN, Event.SERVE): S.SERVED,
    (S.BOOKED, Event.NO_SHOW): S.NO_SHOW,
    (S.BOOKED, Event.CANCEL): S.CANCELLED,
    (S.BOOKED, Event.RESCHEDULE): S.BOOKED,
    (S.BOOKED, Event.CLOSE_DAY): S.CANCELLED,
    (S.CHECKED_IN, Event.CLOSE_DAY): S.CANCELLED,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(S.values, Event.values)))
def test_every_pair_moves_as_the_table_says(state, event):
    assert_move(APPOINTMENT, ALLOWED, state, event, code="move_refused")


def test_the_sources_of_an_event_are_the_table_s():
    assert APPOINTMENT.sources(Event.SERVE) == (S.BOOKED, S.CHECKED_IN)
    assert APPOINTMENT.sources(Event.CANCEL) == (S.BOOKED,)


def test_a_served_appointment_cannot_be_marked_missed_and_nothing_changes(
    make_citizen, passport_slot
):
    officer = User.objects.get(email="officer@toronto.pandu.test")
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )
    later = passport_slot.starts_at + dt.timedelta(hours=1)
    services.appointment_mark_served(appointment=appointment, by=officer, now=later)
    events = AuditEvent.objects.count()
    with pytest.raises(BookingRefused) as refused:
        services.appointment_mark_no_show(appointment=appointment, by=officer, now=later)
    assert refused.value.code == "not_booked"
    appointment.refresh_from_db()
    assert appointment.status == S.SERVED
    assert AuditEvent.objects.count() == events


def test_a_cancelled_appointment_cannot_check_in(make_citizen, passport_slot):
    citizen = make_citizen()
    appointment = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    services.appointment_cancel(appointment=appointment, by=citizen.user, now=NOW)
    with pytest.raises(BookingRefused) as refused:
        services.appointment_check_in(appointment=appointment, now=passport_slot.starts_at)
    assert refused.value.code == "not_booked"
    appointment.refresh_from_db()
    assert appointment.status == S.CANCELLED


W = WaitlistEntry.Status
WAITLIST_ALLOWED = {
    (W.WAITING, WaitlistEvent.OFFER): W.OFFERED,
    (W.OFFERED, WaitlistEvent.ACCEPT): W.BOOKED,
    (W.OFFERED, WaitlistEvent.DECLINE): W.WAITING,
    (W.OFFERED, WaitlistEvent.EXPIRE): W.EXPIRED,
    (W.OFFERED, WaitlistEvent.WITHDRAW): W.WAITING,
    (W.WAITING, WaitlistEvent.LEAVE): W.LEFT,
    (W.OFFERED, WaitlistEvent.LEAVE): W.LEFT,
}


@pytest.mark.parametrize(
    ("state", "event"), list(itertools.product(W.values, WaitlistEvent.values))
)
def test_every_waitlist_pair_moves_as_the_table_says(state, event):
    assert_move(WAITLIST, WAITLIST_ALLOWED, state, event, code="move_refused")


def test_a_waiting_entry_without_an_offer_cannot_accept_or_decline(make_citizen, passport_slot):
    Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).update(
        booked=F("capacity")
    )
    for _ in range(passport_slot.capacity):
        services.appointment_book(
            citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
        )
    entry = waitlist.waitlist_join(citizen=make_citizen(), service=passport_slot.service, now=NOW)
    events = AuditEvent.objects.count()
    for answer in (waitlist.waitlist_accept, waitlist.waitlist_decline):
        with pytest.raises(BookingRefused) as refused:
            answer(entry=entry, by=None, now=NOW)
        assert refused.value.code == "no_offer"
    entry.refresh_from_db()
    assert entry.status == W.WAITING
    assert AuditEvent.objects.count() == events


def test_a_refusal_names_the_move_in_the_reader_s_language():
    with translation.override("en"), pytest.raises(MoveRefused) as refused:
        APPOINTMENT.move(S.SERVED, Event.CANCEL)
    assert refused.value.message.startswith("Change not allowed: cancel is not possible from")
    with translation.override("id"), pytest.raises(MoveRefused) as refused:
        APPOINTMENT.move(S.SERVED, Event.CANCEL)
    assert refused.value.message == (
        "Perubahan tidak diizinkan: batalkan tidak bisa dari status Sudah dilayani."
    )
