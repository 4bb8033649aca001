"""Missed appointments pause online booking, as the mission's rule says, and the citizen is told."""

import datetime as dt

import pytest
from django.core import mail

from pandu.appointments import services
from pandu.appointments.errors import BookingRefused
from pandu.appointments.models import BookingRules, Channel, Slot
from pandu.notify.models import OutboundMessage
from pandu.people.models import User

from .conftest import NOW


def slot_on(day: dt.date) -> Slot:
    return Slot.objects.filter(
        service__code="paspor-ganti", session__date=day, session__kind="weekday"
    ).order_by("starts_at")[0]


def officer():
    return User.objects.get(email="officer@toronto.pandu.test")


def book(citizen, slot, now=NOW, **extra):
    return services.appointment_book(
        citizen=citizen, slot=slot, service=slot.service, now=now, **extra
    )


def miss(citizen, day: dt.date, capture):
    """Book the first slot of ``day`` and have an officer record that nobody came."""
    slot = slot_on(day)
    appointment = book(citizen, slot)
    with capture(execute=True):
        services.appointment_mark_no_show(
            appointment=appointment, by=officer(), now=slot.starts_at + dt.timedelta(hours=1)
        )
    return slot


JAN_12, JAN_19, JAN_26 = dt.date(2027, 1, 12), dt.date(2027, 1, 19), dt.date(2027, 1, 26)
AFTER = dt.datetime(2027, 1, 20, 15, 0, tzinfo=dt.UTC)  # the day after the second miss


@pytest.fixture
def rules(toronto):
    def set_rules(**values):
        BookingRules.objects.update_or_create(mission=toronto, service=None, defaults=values)

    return set_rules


def test_one_miss_does_not_pause_booking(make_citizen, django_capture_on_commit_callbacks):
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    assert book(citizen, slot_on(JAN_26), now=AFTER).status == "booked"
    assert not OutboundMessage.objects.filter(template="no_show_paused").exists()


def test_the_limit_pauses_online_booking_but_not_the_counter(
    make_citizen, django_capture_on_commit_callbacks
):
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    with pytest.raises(BookingRefused) as refused:
        book(citizen, slot_on(JAN_26), now=AFTER)
    assert refused.value.code == "no_show_blocked"
    # 30 days from the latest miss (19 January, 09:00 in Toronto).
    assert "2027-02-18" in refused.value.message
    staff_booked = book(citizen, slot_on(JAN_26), now=AFTER, channel=Channel.STAFF, by=officer())
    assert staff_booked.channel == "staff"


def test_the_citizen_is_told_until_when_and_how_to_reach_the_mission(
    make_citizen, toronto, django_capture_on_commit_callbacks
):
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [citizen.user.email]
    assert "18 Februari 2027" in message.subject  # Indonesian by default, mission's calendar
    assert "Kamis, 18 Februari 2027" in message.body
    assert toronto.phone in message.body and toronto.email in message.body
    assert "180" in message.body  # the window of the rule


def test_the_mail_is_in_the_citizen_s_language(make_citizen, django_capture_on_commit_callbacks):
    citizen = make_citizen()
    citizen.user.preferred_language = "en"
    citizen.user.save()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    assert "Thursday, 18 February 2027" in mail.outbox[-1].body


def test_misses_outside_the_window_do_not_count(
    rules, make_citizen, django_capture_on_commit_callbacks
):
    rules(no_show_window_days=5)
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert book(citizen, slot_on(JAN_26), now=AFTER).status == "booked"


def test_the_pause_ends_after_the_set_days(
    rules, toronto, make_citizen, django_capture_on_commit_callbacks
):
    rules(no_show_block_days=3)
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    assert "2027-01-22" in mail.outbox[-1].subject or "22 Januari 2027" in mail.outbox[-1].subject
    with pytest.raises(BookingRefused):
        book(citizen, slot_on(JAN_26), now=dt.datetime(2027, 1, 22, 13, 0, tzinfo=dt.UTC))
    later = dt.datetime(2027, 1, 22, 14, 0, tzinfo=dt.UTC)  # 19 January 14:00 UTC + 3 days
    assert book(citizen, slot_on(JAN_26), now=later).status == "booked"


def test_a_limit_of_zero_never_pauses(rules, make_citizen, django_capture_on_commit_callbacks):
    rules(no_show_limit=0)
    citizen = make_citizen()
    miss(citizen, JAN_12, django_capture_on_commit_callbacks)
    miss(citizen, JAN_19, django_capture_on_commit_callbacks)
    assert book(citizen, slot_on(JAN_26), now=AFTER).status == "booked"
    assert mail.outbox == []
