"""Officers book for citizens who telephone or come to the counter: the staff channel."""

import pytest
from django.utils import timezone

from pandu.appointments.models import Appointment, SessionQuota
from pandu.audit.models import AuditEvent
from pandu.people.models import User

from .conftest import NOW

URL = "/id/appointments/staff/book/"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def officer(email="officer@toronto.pandu.test"):
    return User.objects.get(email=email)


def test_officer_finds_the_citizen_and_books_through_the_staff_channel(
    client, make_citizen, passport_slot
):
    citizen = make_citizen(passport="Z9990001")
    # The online quota of the session is used up; the staff channel still has seats.
    SessionQuota.objects.create(session=passport_slot.session, channel="online", limit=0)
    client.force_login(officer())
    page = client.get(URL, {"who": "z9990001", "service": "paspor-ganti", "from": "2027-01-12"})
    assert page.status_code == 200
    assert citizen.full_name in page.text and str(passport_slot.public_id) in page.text
    response = client.post(
        URL, {"who": "Z9990001", "service": "paspor-ganti", "slot": str(passport_slot.public_id)}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(citizen=citizen)
    assert (appointment.channel, appointment.slot_id) == ("staff", passport_slot.pk)
    event = AuditEvent.objects.get(event="appointment_booked")
    assert event.actor_id == officer().pk and event.data["channel"] == "staff"


def test_citizens_of_another_mission_are_not_found(client, make_citizen, toronto):
    client.force_login(officer("officer@ottawa.pandu.test"))
    make_citizen(passport="Z9990002")
    page = client.get(URL, {"who": "Z9990002", "service": "paspor-ganti"})
    assert "Warga tidak ditemukan" in page.text


def test_bad_slot_or_a_citizen_account_changes_nothing(client, make_citizen, toronto):
    citizen = make_citizen(passport="Z9990003")
    client.force_login(officer())
    response = client.post(
        URL, {"who": "Z9990003", "service": "paspor-ganti", "slot": "not-a-uuid"}
    )
    assert response.status_code == 200 and "Pilih salah satu waktu" in response.text
    client.force_login(citizen.user)
    assert client.get(URL).status_code in (403, 404)
    assert not Appointment.objects.exists()
