"""Booking pages without a browser: bad input, other people's appointments, the calendar file."""

import pytest
from django.utils import timezone

from pandu.appointments import services
from pandu.appointments.models import Appointment

from .conftest import NOW


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


URL = "/id/appointments/book/toronto/paspor-ganti/"


def test_booking_page_lists_dates_and_books(client, make_citizen, passport_slot):
    citizen = make_citizen()
    client.force_login(citizen.user)
    page = client.get(URL + "?date=2027-01-12")
    assert page.status_code == 200
    assert page.context["chosen"].isoformat() == "2027-01-12"
    response = client.post(URL, {"slot": str(passport_slot.public_id)})
    appointment = Appointment.objects.get(citizen=citizen)
    assert response.url == f"/id/appointments/{appointment.reference}/"


@pytest.mark.parametrize("slot", ["", "junk", "00000000-0000-4000-8000-000000000000"])
def test_bad_slot_choice_books_nothing(client, make_citizen, toronto, slot):
    client.force_login(make_citizen().user)
    response = client.post(URL, {"slot": slot}, follow=True)
    assert response.status_code == 200
    assert "Pilih salah satu waktu" in response.content.decode()
    assert Appointment.objects.count() == 0


def test_other_people_s_appointments_are_not_found(client, make_citizen, passport_slot):
    owner = make_citizen()
    appointment = services.appointment_book(
        citizen=owner, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    client.force_login(make_citizen().user)
    for url in [
        f"/id/appointments/{appointment.reference}/",
        f"/id/appointments/{appointment.reference}/calendar.ics",
        f"{URL}?reschedule={appointment.reference}",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/id/appointments/{appointment.reference}/cancel/", {"confirm": "yes"}
        ).status_code
        == 404
    )
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_only_the_citizen_s_own_mission(client, make_citizen, toronto):
    client.force_login(make_citizen().user)
    assert client.get("/id/appointments/book/ottawa/paspor-ganti/").status_code == 404
    assert (
        client.get("/id/appointments/book/toronto/lapor-kematian/").status_code == 200
    )  # weekday only
    assert client.get("/id/appointments/book/toronto/nope/").status_code == 404


def test_calendar_file_download(client, make_citizen, passport_slot):
    citizen = make_citizen()
    appointment = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    client.force_login(citizen.user)
    response = client.get(f"/en/appointments/{appointment.reference}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert (
        b"BEGIN:VEVENT" in response.content and appointment.reference.encode() in response.content
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, toronto):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response.url
