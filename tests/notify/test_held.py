"""Notifications held back: what the demo relies on to write history through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pandu.appointments.models import Slot
from pandu.appointments.services import appointment_book, sessions_generate
from pandu.core import clock
from pandu.notify.models import OutboundMessage
from pandu.notify.services import email_send, held, holding

pytestmark = pytest.mark.django_db


def _send():
    return email_send(
        to="warga@example.org",
        template="appointment_booked",
        context={},
        language="id",
    )


def test_nothing_is_recorded_or_sent_inside_held_and_mail_resumes_after(mailoutbox):
    with held():
        assert holding()
        assert _send() is None
    assert not holding()
    assert OutboundMessage.objects.count() == 0 and mailoutbox == []


def test_a_booking_inside_held_is_made_but_mails_nobody(demo, django_capture_on_commit_callbacks):
    # (The whole demo, loaded inside ``held``, mails nobody: tests/core/test_demo_dates.py.)
    from pandu.people.models import CitizenProfile

    toronto = demo["toronto"]
    today = clock.today(toronto)
    sessions_generate(mission=toronto, start=today, end=today + dt.timedelta(days=14))

    citizen = CitizenProfile.objects.get(user__email="budi.santoso@example.org")
    service = citizen.mission.services.get(code="surat-keterangan")
    first, second = Slot.objects.filter(
        service=service, booked=0, starts_at__gte=timezone.now() + dt.timedelta(days=3)
    ).order_by("starts_at")[:2]
    with django_capture_on_commit_callbacks(execute=True), held():
        appointment = appointment_book(citizen=citizen, slot=first, service=service)
    assert appointment.status == "booked" and OutboundMessage.objects.count() == 0
    # Out of the block the same service mails its confirmation again (composed after commit).
    other = CitizenProfile.objects.get(user__email="siti.rahayu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(citizen=other, slot=second, service=service)
    assert list(OutboundMessage.objects.values_list("recipient", flat=True)) == [
        "siti.rahayu@example.org"
    ]
