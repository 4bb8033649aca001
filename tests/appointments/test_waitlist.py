"""The waitlist: join only when nothing is free, offers with a hold, passing on, accepting."""

import datetime as dt

import pytest
from django.core import mail
from django.db.models import F

from pandu.appointments import selectors, services, waitlist
from pandu.appointments.errors import AlreadyBooked, BookingRefused
from pandu.appointments.models import Appointment, Slot, WaitlistEntry
from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError

from .conftest import NOW

HOLD = dt.timedelta(hours=2)  # default waitlist_hold_hours


def book(citizen, slot, now=NOW):
    return services.appointment_book(citizen=citizen, slot=slot, service=slot.service, now=now)


def join(citizen, service, channel="", now=NOW):
    return waitlist.waitlist_join(citizen=citizen, service=service, channel=channel, now=now)


@pytest.fixture
def last_slot(toronto, passport_slot):
    """Every renewal slot is full but ``passport_slot``, which has its capacity (3) free."""
    Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).update(
        booked=F("capacity")
    )
    return passport_slot


@pytest.fixture
def full(last_slot, make_citizen):
    """``last_slot`` booked by three citizens: the service has no free seat in the horizon."""
    holders = [make_citizen() for _ in range(last_slot.capacity)]
    appointments = [book(citizen, last_slot) for citizen in holders]
    return last_slot, appointments


def seats(slot):
    return Slot.objects.get(pk=slot.pk).booked


def test_joining_is_refused_while_a_seat_is_free(last_slot, make_citizen):
    with pytest.raises(BookingRefused) as refused:
        join(make_citizen(), last_slot.service)
    assert refused.value.code == "slots_free"
    assert "2027-01-12 09:30" in refused.value.message  # the nearest free time, local


def test_join_once_and_not_with_a_booking(full, make_citizen):
    slot, appointments = full
    citizen = make_citizen()
    entry = join(citizen, slot.service, channel="weekday")
    assert entry.status == "waiting"
    with pytest.raises(PanduError) as again:
        join(citizen, slot.service)
    assert again.value.code == "already_waiting"
    with pytest.raises(AlreadyBooked):
        join(appointments[0].citizen, slot.service)
    with pytest.raises(BookingRefused) as bad:
        join(make_citizen(), slot.service, channel="sunday")
    assert bad.value.code == "bad_channel"
    assert AuditEvent.objects.filter(event="waitlist_joined").count() == 1


def test_a_cancelled_seat_is_held_for_the_first_in_line(
    full, make_citizen, django_capture_on_commit_callbacks
):
    slot, appointments = full
    first, second = make_citizen(), make_citizen()
    first.user.preferred_language = "en"
    first.user.save()
    join(first, slot.service)
    join(second, slot.service)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(
            appointment=appointments[0], by=appointments[0].citizen.user, now=NOW
        )
    offered = WaitlistEntry.objects.get(citizen=first)
    assert offered.status == "offered" and offered.offered_slot == slot
    assert offered.hold_until == NOW + HOLD
    assert seats(slot) == slot.capacity  # the held seat counts as taken
    assert WaitlistEntry.objects.get(citizen=second).status == "waiting"
    assert (
        selectors.free_slots_for(
            service=slot.service,
            start=slot.session.date,
            end=slot.session.date,
            channel=None,
            now=NOW,
        )
        == []
    )
    message = mail.outbox[-1]
    assert message.to == [first.user.email]
    assert "/en/appointments/waitlist/offer/" in message.body
    token = message.body.split("/waitlist/offer/")[1].split("/")[0]
    assert waitlist.entry_from_token(token) == offered


def test_accepting_books_the_held_seat(full, make_citizen):
    slot, appointments = full
    citizen = make_citizen()
    join(citizen, slot.service)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    entry = WaitlistEntry.objects.get(citizen=citizen)
    appointment = waitlist.waitlist_accept(entry=entry, now=NOW + dt.timedelta(hours=1))
    assert appointment.slot == slot and appointment.status == "booked"
    entry.refresh_from_db()
    assert entry.status == "booked" and entry.appointment == appointment
    assert seats(slot) == slot.capacity
    assert Appointment.objects.filter(slot=slot, status="booked").count() == slot.capacity


def test_an_expired_hold_passes_to_the_next_then_frees_the_seat(full, make_citizen):
    slot, appointments = full
    first, second = make_citizen(), make_citizen()
    join(first, slot.service)
    join(second, slot.service)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    entry = WaitlistEntry.objects.get(citizen=first)
    assert waitlist.waitlist_expire_due(NOW + HOLD - dt.timedelta(seconds=1)) == 0
    with pytest.raises(BookingRefused) as late:
        waitlist.waitlist_accept(entry=entry, now=NOW + HOLD)
    assert late.value.code == "offer_expired"

    assert waitlist.waitlist_expire_due(NOW + HOLD) == 1
    assert WaitlistEntry.objects.get(citizen=first).status == "expired"
    passed = WaitlistEntry.objects.get(citizen=second)
    assert passed.status == "offered" and passed.hold_until == NOW + 2 * HOLD
    assert seats(slot) == slot.capacity

    assert waitlist.waitlist_expire_due(NOW + 2 * HOLD) == 1
    assert seats(slot) == slot.capacity - 1  # nobody left: the seat is free for anyone
    assert AuditEvent.objects.filter(event="waitlist_offer_expired").count() == 2


def test_declining_keeps_one_s_place_and_passes_the_seat_on(full, make_citizen):
    slot, appointments = full
    first, second = make_citizen(), make_citizen()
    join(first, slot.service)
    join(second, slot.service)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    waitlist.waitlist_decline(entry=WaitlistEntry.objects.get(citizen=first), by=None, now=NOW)
    assert WaitlistEntry.objects.get(citizen=first).status == "waiting"
    assert WaitlistEntry.objects.get(citizen=second).status == "offered"
    # The next freed seat goes to the first in line again.
    services.appointment_cancel(appointment=appointments[1], by=None, now=NOW)
    assert WaitlistEntry.objects.get(citizen=first).status == "offered"
    assert seats(slot) == slot.capacity


def test_leaving_while_offered_passes_the_seat_on(full, make_citizen):
    slot, appointments = full
    first, second = make_citizen(), make_citizen()
    join(first, slot.service)
    join(second, slot.service)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    waitlist.waitlist_leave(entry=WaitlistEntry.objects.get(citizen=first), by=None, now=NOW)
    assert WaitlistEntry.objects.get(citizen=first).status == "left"
    assert WaitlistEntry.objects.get(citizen=second).status == "offered"
    with pytest.raises(BookingRefused):
        waitlist.waitlist_leave(entry=WaitlistEntry.objects.get(citizen=first), by=None, now=NOW)


def test_a_rescheduled_seat_is_offered_too(full, make_citizen):
    slot, appointments = full
    waiting = make_citizen()
    join(waiting, slot.service)
    elsewhere = Slot.objects.filter(service=slot.service).exclude(pk=slot.pk).first()
    Slot.objects.filter(pk=elsewhere.pk).update(booked=0)
    services.appointment_reschedule(
        appointment=appointments[0], to_slot=elsewhere, by=None, now=NOW
    )
    assert WaitlistEntry.objects.get(citizen=waiting).offered_slot == slot


def test_the_day_choice_and_the_rules_decide_who_is_offered(full, make_citizen):
    slot, appointments = full  # a weekday slot
    saturday_only, has_booking, anyday = make_citizen(), make_citizen(), make_citizen()
    join(saturday_only, slot.service, channel="saturday")
    join(has_booking, slot.service)
    join(anyday, slot.service)
    # Booked by an officer meanwhile (the waitlist does not stop that).
    other = Slot.objects.filter(service=slot.service).exclude(pk=slot.pk).first()
    Slot.objects.filter(pk=other.pk).update(booked=0)
    book(has_booking, other)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    statuses = dict(WaitlistEntry.objects.values_list("citizen", "status"))
    assert statuses == {
        saturday_only.pk: "waiting",
        has_booking.pk: "waiting",
        anyday.pk: "offered",
    }


def test_a_seat_too_close_to_its_time_is_not_held(full, make_citizen):
    slot, _appointments = full
    join(make_citizen(), slot.service)
    assert waitlist.waitlist_offer_freed_seat(slot, slot.starts_at - dt.timedelta(hours=1)) is None
    assert WaitlistEntry.objects.get().status == "waiting"
    assert seats(slot) == slot.capacity


def test_a_bad_token_finds_nothing():
    assert waitlist.entry_from_token("nope") is None


def test_closing_the_day_withdraws_an_offer_and_keeps_the_place(full, make_citizen):
    from pandu.appointments.closures import day_close
    from pandu.people.models import User

    slot, appointments = full
    citizen = make_citizen()
    join(citizen, slot.service)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    entry = WaitlistEntry.objects.get(citizen=citizen)
    assert entry.status == "offered"
    day_close(
        mission=slot.session.mission,
        date=slot.session.date,
        reason_id="Listrik padam",
        reason_en="Power cut",
        by=User.objects.get(email="supervisor@toronto.pandu.test"),
        now=NOW,
    )
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot) == ("waiting", None)
    assert seats(slot) == 0  # the closure gave back every seat, the held one too
    with pytest.raises(BookingRefused) as refused:
        services.appointment_book(
            citizen=citizen, slot=slot, service=slot.service, now=NOW, seat_taken=True
        )
    assert refused.value.code == "session_closed"
