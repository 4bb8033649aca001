"""The appointments API contract: paths, statuses, codes, and 404 for everyone but the owner."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from pandu.appointments.models import Appointment, Slot
from pandu.people.models import User
from pandu.people.services import token_issue


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The API books at the real time; the test calendar is January 2027, so pretend it's December 2026."""
    from .conftest import NOW

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user).token}"}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_free_slots_listed_with_channel_and_seats(client, toronto):
    response = client.get(
        "/api/v1/services/paspor-ganti/slots?from=2027-01-02&to=2027-01-02&channel=saturday"
    )
    assert response.status_code == 200
    slots = response.json()
    assert len(slots) == 16
    assert slots[0]["start"] == "2027-01-02T09:00:00-05:00"
    assert {s["channel"] for s in slots} == {"saturday"}
    assert slots[0]["seats_left"] == 3


def test_weekday_filter_and_bad_range(client, toronto):
    weekday = client.get(
        "/api/v1/services/paspor-ganti/slots?from=2027-01-02&to=2027-01-04&channel=weekday"
    ).json()
    assert weekday and {s["channel"] for s in weekday} == {"weekday"}
    bad = client.get("/api/v1/services/paspor-ganti/slots?from=2027-02-01&to=2027-01-01")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_range"
    assert client.get("/api/v1/services/paspor-ganti/slots?from=not-a-date").status_code == 422
    assert client.get("/api/v1/services/nope/slots").status_code == 404


def test_book_then_slot_full_then_already_booked(client, make_citizen, passport_slot):
    Slot.objects.filter(pk=passport_slot.pk).update(capacity=1, priority_seats=0)
    first, second = make_citizen(), make_citizen()
    body = {"slot": str(passport_slot.public_id), "service": "paspor-ganti"}
    response = post(client, "/api/v1/appointments", body, bearer(first.user))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "booked" and created["reference"].startswith("TOR-")
    assert created["slot"]["id"] == str(passport_slot.public_id)

    full = post(client, "/api/v1/appointments", body, bearer(second.user))
    assert full.status_code == 409 and full.json()["code"] == "slot_full"

    other = Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).first()
    again = post(
        client,
        "/api/v1/appointments",
        {"slot": str(other.public_id), "service": "paspor-ganti"},
        bearer(first.user),
    )
    assert again.status_code == 409 and again.json()["code"] == "already_booked"


def test_booking_needs_a_token_and_valid_body(client, make_citizen, passport_slot):
    body = {"slot": str(passport_slot.public_id), "service": "paspor-ganti"}
    assert post(client, "/api/v1/appointments", body, {}).status_code == 401
    headers = bearer(make_citizen().user)
    assert (
        post(
            client, "/api/v1/appointments", {"slot": "x", "service": "paspor-ganti"}, headers
        ).status_code
        == 422
    )
    unknown = {"slot": "00000000-0000-4000-8000-000000000000", "service": "paspor-ganti"}
    assert post(client, "/api/v1/appointments", unknown, headers).status_code == 404
    assert Appointment.objects.count() == 0


def test_only_the_owner_and_the_mission_staff_see_an_appointment(
    client, make_citizen, passport_slot, demo
):
    owner = make_citizen()
    reference = post(
        client,
        "/api/v1/appointments",
        {"slot": str(passport_slot.public_id), "service": "paspor-ganti"},
        bearer(owner.user),
    ).json()["reference"]
    url = f"/api/v1/appointments/{reference}"
    assert client.get(url, **bearer(owner.user)).status_code == 200
    assert client.get(url, **bearer(make_citizen().user)).status_code == 404
    assert (
        client.get(url, **bearer(User.objects.get(email="officer@ottawa.pandu.test"))).status_code
        == 404
    )
    assert (
        client.get(url, **bearer(User.objects.get(email="officer@toronto.pandu.test"))).status_code
        == 200
    )
    stranger = post(client, f"{url}/cancel", {}, bearer(make_citizen().user))
    assert stranger.status_code == 404
    assert Appointment.objects.get(reference=reference).status == "booked"


def test_cancel_and_reschedule(client, make_citizen, passport_slot):
    owner = make_citizen()
    headers = bearer(owner.user)
    reference = post(
        client,
        "/api/v1/appointments",
        {"slot": str(passport_slot.public_id), "service": "paspor-ganti"},
        headers,
    ).json()["reference"]
    target = Slot.objects.filter(
        service=passport_slot.service, session__date=dt.date(2027, 1, 2)
    ).first()
    moved = post(
        client,
        f"/api/v1/appointments/{reference}/reschedule",
        {"slot": str(target.public_id)},
        headers,
    )
    assert moved.status_code == 200 and moved.json()["slot"]["id"] == str(target.public_id)
    cancelled = post(client, f"/api/v1/appointments/{reference}/cancel", {}, headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post(client, f"/api/v1/appointments/{reference}/cancel", {}, headers)
    assert again.status_code == 422 and again.json()["code"] == "not_changeable"


def test_slot_seats_for_the_mission_staff_only(client, make_citizen, passport_slot, demo):
    url = f"/api/v1/slots/{passport_slot.public_id}"
    staff = client.get(url, **bearer(User.objects.get(email="officer@toronto.pandu.test")))
    assert staff.status_code == 200
    body = staff.json()
    assert isinstance(body["capacity"], int) and body["booked"] == 0
    assert (
        client.get(url, **bearer(User.objects.get(email="officer@ottawa.pandu.test"))).status_code
        == 404
    )
    assert client.get(url, **bearer(make_citizen().user)).status_code == 404
    assert client.get(url, **bearer(User.objects.get(email="admin@pandu.test"))).status_code == 200


def test_a_service_code_that_is_no_slug_is_refused_with_422(client, make_citizen, passport_slot):
    citizen = make_citizen()
    token = token_issue(user=citizen.user).token
    response = client.post(
        "/api/v1/appointments",
        json.dumps({"slot": str(passport_slot.public_id), "service": "paspor\u0000ganti"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422 and "code" in response.json()
    assert not citizen.appointments.exists()
