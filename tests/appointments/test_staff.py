"""The officers' day page: their mission only, search, and no-shows once the time has come."""

import datetime as dt

import pytest
from django.utils import timezone

from pandu.appointments import services
from pandu.appointments.errors import BookingRefused
from pandu.appointments.models import Appointment
from pandu.audit.models import AuditEvent
from pandu.people.models import User

from .conftest import NOW


@pytest.fixture
def booked(make_citizen, passport_slot):
    return services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )


def officer(email="officer@toronto.pandu.test"):
    return User.objects.get(email=email)


def test_day_page_lists_the_day_and_finds_by_reference_or_name(client, booked):
    client.force_login(officer())
    day = client.get("/id/appointments/staff/?date=2027-01-12")
    assert day.status_code == 200
    html = day.content.decode()
    assert booked.reference in html and booked.citizen.full_name in html
    other_day = client.get("/id/appointments/staff/?date=2027-01-13").content.decode()
    assert booked.reference not in other_day
    assert (
        booked.reference
        in client.get(f"/id/appointments/staff/?q={booked.reference.lower()}").content.decode()
    )
    assert booked.reference in client.get("/id/appointments/staff/?q=warga").content.decode()


def test_other_missions_and_citizens_are_kept_out(client, booked):
    client.force_login(officer("officer@ottawa.pandu.test"))
    page = client.get(
        f"/id/appointments/staff/?q={booked.reference}&mission=toronto"
    ).content.decode()
    assert booked.citizen.full_name not in page and "Tidak ada janji temu" in page
    response = client.post(f"/id/appointments/staff/{booked.reference}/no-show/")
    assert response.status_code == 403
    client.force_login(booked.citizen.user)
    assert client.get("/id/appointments/staff/").status_code == 403


def test_no_show_only_after_the_time_has_begun(booked):
    with pytest.raises(BookingRefused):
        services.appointment_mark_no_show(appointment=booked, by=officer(), now=NOW)
    later = booked.slot.starts_at + dt.timedelta(minutes=10)
    services.appointment_mark_no_show(appointment=booked, by=officer(), now=later)
    assert Appointment.objects.get(pk=booked.pk).status == "no_show"
    assert AuditEvent.objects.filter(event="appointment_no_show").exists()
    with pytest.raises(BookingRefused):
        services.appointment_mark_no_show(appointment=booked, by=officer(), now=later)


def test_no_show_button(client, booked, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: booked.slot.starts_at + dt.timedelta(minutes=20))
    client.force_login(officer())
    page = client.get("/id/appointments/staff/?date=2027-01-12").content.decode()
    assert f"/id/appointments/staff/{booked.reference}/no-show/" in page
    response = client.post(f"/id/appointments/staff/{booked.reference}/no-show/")
    assert response.status_code == 302 and "date=2027-01-12" in response.url
    assert Appointment.objects.get(pk=booked.pk).status == "no_show"


def test_head_of_mission_sees_but_cannot_mark(client, booked, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: booked.slot.starts_at + dt.timedelta(minutes=20))
    client.force_login(User.objects.get(email="head@toronto.pandu.test"))
    page = client.get("/id/appointments/staff/?date=2027-01-12").content.decode()
    assert booked.reference in page and "no-show/" not in page
    assert client.post(f"/id/appointments/staff/{booked.reference}/no-show/").status_code == 403
