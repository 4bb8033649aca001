"""Reminders a day before and on the morning, each once, in the citizen's language and the
mission's wall-clock time, across a daylight-saving change."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import close_old_connections
from icalendar import Calendar

from pandu.appointments import reminders, services
from pandu.appointments.models import Appointment, Slot
from pandu.audit.models import AuditEvent
from pandu.notify.models import OutboundMessage

from .conftest import NOW

# passport_slot: Tuesday 12 January 2027, 09:30 in Toronto (EST, UTC-5) = 14:30 UTC.
START = dt.datetime(2027, 1, 12, 14, 30, tzinfo=dt.UTC)
MORNING = dt.datetime(2027, 1, 12, 12, 0, tzinfo=dt.UTC)  # 07:00 EST


@pytest.fixture
def booked(make_citizen, passport_slot, django_capture_on_commit_callbacks):
    citizen = make_citizen()
    citizen.user.preferred_language = "en"
    citizen.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(
            citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
        )
    # The row's creation time is the real clock; the scenario books in December 2026.
    Appointment.objects.filter(pk=appointment.pk).update(created_at=NOW)
    mail.outbox.clear()
    return appointment


def run(now, capture):
    with capture(execute=True):
        return reminders.reminders_send_due(now)


def test_day_before_then_morning_each_once(booked, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert run(START - dt.timedelta(hours=25), capture) == 0  # too early
    assert run(START - dt.timedelta(hours=24), capture) == 1
    assert run(START - dt.timedelta(hours=23), capture) == 0  # once only
    day_before = mail.outbox[-1]
    assert day_before.to == [booked.citizen.user.email]
    # The new sentences are translated later; the date is already in the citizen's language.
    assert booked.reference in day_before.subject and "Tuesday, 12 January" in day_before.subject
    assert "Tuesday, 12 January 2027, 09:30 (America/Toronto)" in day_before.body
    assert "/en/appointments/manage/" in day_before.body
    (ics_name, ics_bytes, ics_type), (_qr_name, _qr, qr_type) = day_before.attachments
    assert ics_name == f"{booked.reference}.ics" and ics_type == "text/calendar"
    event = Calendar.from_ical(ics_bytes).walk("VEVENT")[0]
    assert event.decoded("dtstart") == START

    assert run(MORNING - dt.timedelta(minutes=1), capture) == 0  # 06:59 in Toronto
    assert run(MORNING, capture) == 1
    assert run(MORNING + dt.timedelta(hours=1), capture) == 0
    morning = mail.outbox[-1]
    assert booked.reference in morning.subject and "09:30" in morning.subject
    assert "January" not in morning.subject  # "today at 09:30", no date
    assert len(mail.outbox) == 2
    booked.refresh_from_db()
    assert booked.reminded_day_before_at == START - dt.timedelta(hours=24)
    assert booked.reminded_morning_at == MORNING
    kinds = AuditEvent.objects.filter(event="appointment_reminded", object_ref=booked.public_id)
    assert [e.data["kind"] for e in kinds] == ["day_before", "morning"]
    assert OutboundMessage.objects.filter(template="appointment_reminder").count() == 2


def test_nothing_once_the_appointment_has_started_or_is_cancelled(
    booked, django_capture_on_commit_callbacks
):
    assert run(START, django_capture_on_commit_callbacks) == 0
    services.appointment_cancel(appointment=booked, by=booked.citizen.user, now=NOW)
    assert run(MORNING, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_booking_made_within_a_day_gets_only_the_morning_reminder(
    booked, django_capture_on_commit_callbacks
):
    Appointment.objects.filter(pk=booked.pk).update(created_at=START - dt.timedelta(hours=20))
    assert run(START - dt.timedelta(hours=19), django_capture_on_commit_callbacks) == 0
    assert run(MORNING, django_capture_on_commit_callbacks) == 1
    assert "09:30" in mail.outbox[-1].subject and "January" not in mail.outbox[-1].subject


def test_a_late_runner_sends_the_morning_reminder_only(booked, django_capture_on_commit_callbacks):
    # The worker was down all evening: at 08:00 only one mail goes, not two.
    assert run(MORNING + dt.timedelta(hours=1), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1 and "January" not in mail.outbox[0].subject
    booked.refresh_from_db()
    assert booked.reminded_day_before_at and booked.reminded_morning_at


def test_a_rescheduled_appointment_is_reminded_of_its_new_time(
    booked, django_capture_on_commit_callbacks
):
    run(START - dt.timedelta(hours=24), django_capture_on_commit_callbacks)
    later = Slot.objects.filter(
        service=booked.service, session__date=dt.date(2027, 1, 19), session__kind="weekday"
    ).order_by("starts_at")[0]
    services.appointment_reschedule(appointment=booked, to_slot=later, by=None, now=NOW)
    booked.refresh_from_db()
    assert booked.reminded_day_before_at is None
    assert run(later.starts_at - dt.timedelta(hours=2), django_capture_on_commit_callbacks) == 1


def test_reminders_keep_the_wall_clock_hour_across_the_spring_change(
    toronto, make_citizen, django_capture_on_commit_callbacks
):
    """Toronto moves to EDT on Sunday 14 March 2027; the reminder for Monday 09:00 says 09:00."""
    services.sessions_generate(mission=toronto, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 31))
    slot = Slot.objects.filter(
        service__code="paspor-ganti", session__date=dt.date(2027, 3, 15), session__kind="weekday"
    ).order_by("starts_at")[0]
    assert slot.starts_at == dt.datetime(2027, 3, 15, 13, 0, tzinfo=dt.UTC)  # 09:00 EDT
    booked_at = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=slot, service=slot.service, now=booked_at
    )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=booked_at)
    # Sunday 09:00 EDT is 24 hours before: the day before still had the winter offset at midnight.
    assert run(dt.datetime(2027, 3, 14, 13, 0, tzinfo=dt.UTC), django_capture_on_commit_callbacks)
    assert "Senin, 15 Maret 2027, 09:00" in mail.outbox[-1].body  # Indonesian by default
    # 07:00 EDT is 11:00 UTC (it would be 12:00 under EST).
    assert not run(
        dt.datetime(2027, 3, 15, 10, 59, tzinfo=dt.UTC), django_capture_on_commit_callbacks
    )
    assert run(dt.datetime(2027, 3, 15, 11, 0, tzinfo=dt.UTC), django_capture_on_commit_callbacks)
    assert mail.outbox[-1].subject == f"Hari ini pukul 09:00: janji temu {appointment.reference}"


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_each_reminder_once(toronto, make_citizen, passport_slot):
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=NOW)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def runner():
        try:
            barrier.wait()
            results.append(reminders.reminders_send_due(START - dt.timedelta(hours=2)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert OutboundMessage.objects.filter(template="appointment_reminder").count() == 1
