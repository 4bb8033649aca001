"""Closing a day cancels its bookings, gives the seats back and tells each citizen where to rebook;
opening a holiday plans its sessions. A refused change leaves everything as it was."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from pandu.appointments import closures, services
from pandu.appointments.models import Appointment, CalendarOverride, Session, Slot
from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError
from pandu.people.models import User

from .conftest import NOW

DAY = dt.date(2027, 1, 12)


@pytest.fixture
def supervisor():
    return User.objects.get(email="supervisor@toronto.pandu.test")


@pytest.fixture
def two_bookings(make_citizen, passport_slot):
    english = make_citizen()
    english.user.preferred_language = "en"
    english.user.save()
    return [
        services.appointment_book(
            citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
        )
        for citizen in (make_citizen(), english)
    ]


def _links(body: str) -> list[str]:
    return re.findall(r"http://\S+/appointments/book/\S+", body)


def test_closing_a_day_cancels_releases_and_offers_the_nearest_slots(
    toronto, two_bookings, passport_slot, supervisor, django_capture_on_commit_callbacks
):
    assert closures.day_close_impact(toronto, DAY) == closures.ClosureImpact(
        sessions=1, appointments=2
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        summary = closures.day_close(
            mission=toronto,
            date=DAY,
            reason_id="Perbaikan gedung",
            reason_en="Building repairs",
            by=supervisor,
            now=NOW,
        )
    assert summary == closures.ClosureSummary(cancelled=2, mails=2)
    override = CalendarOverride.objects.get(mission=toronto, date=DAY)
    assert not override.is_open and override.reason_en == "Building repairs"
    assert all(s.is_closed for s in Session.objects.filter(mission=toronto, date=DAY))
    for appointment in two_bookings:
        appointment.refresh_from_db()
        assert appointment.status == "cancelled" and appointment.cancel_reason == "closure"
    assert Slot.objects.get(pk=passport_slot.pk).booked == 0
    assert AuditEvent.objects.filter(event="day_closed").count() == 1
    assert AuditEvent.objects.filter(event="appointment_cancelled").count() == 2

    indonesian, english = sorted(mail.outbox, key=lambda m: "Building" in m.body)
    assert two_bookings[0].reference in indonesian.subject
    assert "Perbaikan gedung" in indonesian.body and "Selasa, 12 Januari 2027" in indonesian.body
    assert "Building repairs" in english.body and "Perbaikan" not in english.body
    assert "Tuesday, 12 January 2027, 09:30" in english.body
    for message in (indonesian, english):
        links = _links(message.body)
        assert len(links) == 3
        for link in links:
            url = urlparse(link)
            query = parse_qs(url.query)
            assert url.path.endswith("/appointments/book/toronto/paspor-ganti/")
            offered = dt.date.fromisoformat(query["date"][0])
            assert offered != DAY and offered >= dt.date(2027, 1, 1)
            assert query["channel"][0] in ("weekday", "saturday")
            assert "&amp;" not in link
    assert all("/en/appointments/book/" in link for link in _links(english.body))
    assert all("/id/appointments/book/" in link for link in _links(indonesian.body))


def test_the_rebooking_link_opens_the_offered_date(
    client, toronto, two_bookings, supervisor, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with django_capture_on_commit_callbacks(execute=True):
        closures.day_close(
            mission=toronto, date=DAY, reason_id="Banjir", reason_en="Flood", by=supervisor
        )
    link = _links(mail.outbox[-1].body)[-1]
    offered = parse_qs(urlparse(link).query)["date"][0]
    client.force_login(two_bookings[-1].citizen.user)
    page = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200
    assert page.context["chosen"].isoformat() == offered


@pytest.mark.parametrize(
    "change",
    [
        {"now": dt.datetime(2027, 1, 13, 15, tzinfo=dt.UTC)},  # the day has passed
        {"reason_id": "  "},
        {"reason_en": ""},
        {"reason_en": "x" * 201},
        {"date": "2027-01-12"},
    ],
)
def test_a_refused_closure_changes_nothing(toronto, two_bookings, supervisor, change):
    arguments = {
        "mission": toronto,
        "date": DAY,
        "reason_id": "Tutup",
        "reason_en": "Closed",
        "by": supervisor,
        "now": NOW,
        **change,
    }
    with pytest.raises(PanduError):
        closures.day_close(**arguments)
    assert not CalendarOverride.objects.exists()
    assert not Session.objects.filter(is_closed=True).exists()
    assert Appointment.objects.filter(status="booked").count() == 2
    assert not AuditEvent.objects.filter(event="day_closed").exists()


def test_closing_again_updates_the_reason_and_a_day_without_sessions_can_be_closed(
    toronto, supervisor
):
    far = dt.date(2027, 3, 3)  # beyond the planned sessions
    closures.day_close(
        mission=toronto, date=far, reason_id="Pemilu", reason_en="Election", by=supervisor, now=NOW
    )
    summary = closures.day_close(
        mission=toronto, date=far, reason_id="Pemilu 2", reason_en="Vote", by=supervisor, now=NOW
    )
    assert summary.cancelled == 0
    assert CalendarOverride.objects.get(date=far).reason_id == "Pemilu 2"
    services.sessions_generate(mission=toronto, start=far, end=far)
    assert not Session.objects.filter(date=far).exists()


def test_opening_a_holiday_plans_its_sessions(toronto, supervisor):
    new_year = dt.date(2027, 1, 1)  # a Friday, Indonesian and Canadian public holiday
    assert not Session.objects.filter(mission=toronto, date=new_year).exists()
    summary = closures.day_open(
        mission=toronto,
        date=new_year,
        reason_id="Layanan khusus",
        reason_en="Special service day",
        by=supervisor,
        now=NOW,
    )
    assert summary.sessions_created >= 1 and summary.sessions_reopened == 0
    assert Session.objects.filter(mission=toronto, date=new_year, kind="weekday").exists()
    assert CalendarOverride.objects.get(date=new_year).is_open
    assert AuditEvent.objects.filter(event="day_opened").exists()


def test_reopening_a_closed_day_opens_its_sessions(toronto, supervisor):
    closures.day_close(
        mission=toronto, date=DAY, reason_id="Tutup", reason_en="Closed", by=supervisor, now=NOW
    )
    summary = closures.day_open(
        mission=toronto, date=DAY, reason_id="Buka", reason_en="Open", by=supervisor, now=NOW
    )
    assert summary.sessions_reopened == 1 and summary.sessions_created == 0
    assert not Session.objects.filter(date=DAY, is_closed=True).exists()


def test_opening_a_past_day_is_refused(toronto, supervisor):
    with pytest.raises(PanduError):
        closures.day_open(
            mission=toronto,
            date=dt.date(2026, 12, 1),
            reason_id="x",
            reason_en="x",
            by=supervisor,
            now=NOW,
        )
    assert not CalendarOverride.objects.exists()
