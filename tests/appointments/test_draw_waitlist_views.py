"""Pages and API of the draw and the waitlist: what a citizen sees and what bad input gets."""

import datetime as dt
import json

import pytest
from django.db.models import F
from django.utils import timezone

from pandu.appointments import services, waitlist
from pandu.appointments.models import Appointment, DrawEntry, Session, Slot, WaitlistEntry
from pandu.jobs import run_due
from pandu.people.services import token_issue

from .conftest import NOW

URL = "/id/appointments/book/toronto/paspor-ganti/"
API = "/api/v1"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def release(slot, at):
    Session.objects.filter(pk=slot.session_id).update(releases_at=at)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user).token}"}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def full(toronto, passport_slot, make_citizen):
    """No free renewal seat anywhere: ``passport_slot`` is booked by three citizens."""
    Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).update(
        booked=F("capacity")
    )
    return passport_slot, [
        services.appointment_book(
            citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
        )
        for _ in range(passport_slot.capacity)
    ]


# Book page ------------------------------------------------------------------------------------


def test_the_page_says_when_a_session_opens(client, make_citizen, passport_slot):
    release(passport_slot, NOW + dt.timedelta(hours=1))
    client.force_login(make_citizen().user)
    page = client.get(URL).content.decode()
    assert "Selasa, 12 Januari 2027 dibuka pada Minggu, 20 Desember 2026, 11:00" in page
    assert 'name="slot"' in page  # other sessions remain bookable


def test_in_the_window_the_request_joins_the_draw(client, make_citizen, passport_slot):
    release(passport_slot, NOW - dt.timedelta(minutes=3))
    citizen = make_citizen()
    client.force_login(citizen.user)
    page = client.get(URL).content.decode()
    assert "Ikut undian" in page and "pukul 10:07" in page  # closes 10 minutes after 09:57
    response = client.post(URL, {"slot": str(passport_slot.public_id)}, follow=True)
    entry = DrawEntry.objects.get(citizen=citizen)
    assert entry.slot == passport_slot and not Appointment.objects.filter(citizen=citizen)
    body = response.content.decode()
    assert "Anda ikut undian untuk 2027-01-12 09:30" in body and "10:07" in body
    assert "Anda sudah ikut undian untuk pukul 09:30" in body


def test_reading_the_page_after_the_window_changes_nothing_the_job_holds_the_draw(
    client, make_citizen, passport_slot
):
    release(passport_slot, NOW - dt.timedelta(minutes=3))
    entrant = make_citizen()
    from pandu.appointments import draw

    draw.appointment_request(
        citizen=entrant, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    release(passport_slot, NOW - dt.timedelta(minutes=30))
    client.force_login(make_citizen().user)
    assert client.get(URL).status_code == 200
    # A GET only reads: the due draw waits for the periodic jobs.
    assert Session.objects.get(pk=passport_slot.session_id).draw_done_at is None
    assert DrawEntry.objects.get().outcome == "pending"
    assert run_due(NOW)["draws_held"] == 1
    assert Session.objects.get(pk=passport_slot.session_id).draw_done_at == NOW
    assert DrawEntry.objects.get().outcome == "won"


def test_no_free_seat_offers_the_waitlist_and_the_account_shows_it(client, make_citizen, full):
    slot, appointments = full
    citizen = make_citizen()
    client.force_login(citizen.user)
    page = client.get(URL).content.decode()
    assert "Masuk daftar tunggu" in page
    response = client.post(
        "/id/appointments/waitlist/join/toronto/paspor-ganti/", {"channel": "weekday"}
    )
    assert response.url == "/id/account/profile/"
    entry = WaitlistEntry.objects.get(citizen=citizen)
    assert entry.channel == "weekday"
    assert "menunggu kursi sejak" in client.get("/id/account/profile/").content.decode()
    assert "Anda ada dalam daftar tunggu" in client.get(URL).content.decode()

    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    profile = client.get("/id/account/profile/").content.decode()
    assert "ditahan untuk Anda sampai" in profile
    accept = client.post(f"/id/appointments/waitlist/{entry.public_id}/accept/")
    appointment = Appointment.objects.get(citizen=citizen)
    assert accept.url == f"/id/appointments/{appointment.reference}/"


def test_joining_while_seats_are_free_is_refused_with_a_message(client, make_citizen, toronto):
    client.force_login(make_citizen().user)
    response = client.post(
        "/id/appointments/waitlist/join/toronto/paspor-ganti/", {"channel": "junk"}, follow=True
    )
    assert "Masih ada waktu kosong" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_answers_only_for_one_s_own_entry_and_known_actions(client, make_citizen, full):
    slot, _appointments = full
    owner = make_citizen()
    entry = waitlist.waitlist_join(citizen=owner, service=slot.service, now=NOW)
    client.force_login(make_citizen().user)
    assert client.post(f"/id/appointments/waitlist/{entry.public_id}/leave/").status_code == 404
    client.force_login(owner.user)
    assert client.post(f"/id/appointments/waitlist/{entry.public_id}/junk/").status_code == 404
    assert client.get(f"/id/appointments/waitlist/{entry.public_id}/leave/").status_code == 405
    response = client.post(f"/id/appointments/waitlist/{entry.public_id}/accept/", follow=True)
    assert "Tidak ada tawaran kursi yang terbuka" in response.content.decode()
    client.post(f"/id/appointments/waitlist/{entry.public_id}/leave/")
    assert WaitlistEntry.objects.get().status == "left"


def test_the_mail_link_answers_without_signing_in(client, make_citizen, full):
    slot, appointments = full
    citizen = make_citizen()
    entry = waitlist.waitlist_join(citizen=citizen, service=slot.service, now=NOW)
    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    url = f"/id/appointments/waitlist/offer/{waitlist.offer_token(entry)}/"
    page = client.get(url)
    assert page.status_code == 200 and "Terima dan pesan waktu ini" in page.content.decode()
    assert client.post(url, {"action": "junk"}).status_code == 302
    response = client.post(url, {"action": "accept"})
    assert "/appointments/manage/" in response.url
    assert WaitlistEntry.objects.get().status == "booked"
    assert "tidak terbuka lagi" in client.get(url).content.decode()
    assert client.get("/id/appointments/waitlist/offer/forged/").status_code == 400


# API ------------------------------------------------------------------------------------------


def test_api_booking_in_the_window_is_accepted_for_the_draw(client, make_citizen, passport_slot):
    release(passport_slot, NOW - dt.timedelta(minutes=3))
    citizen = make_citizen()
    response = post(
        client,
        f"{API}/appointments",
        {"slot": str(passport_slot.public_id), "service": "paspor-ganti"},
        bearer(citizen.user),
    )
    assert response.status_code == 202
    assert response.json() == {
        "status": "draw",
        "draw_at": "2026-12-20T10:07:00-05:00",
        "slot": str(passport_slot.public_id),
    }
    assert DrawEntry.objects.filter(citizen=citizen).exists()


def test_api_booking_before_the_release_is_refused(client, make_citizen, passport_slot):
    release(passport_slot, NOW + dt.timedelta(hours=1))
    response = post(
        client,
        f"{API}/appointments",
        {"slot": str(passport_slot.public_id), "service": "paspor-ganti"},
        bearer(make_citizen().user),
    )
    assert response.status_code == 422 and response.json()["code"] == "not_released"


def test_api_slots_only_read_a_due_draw(client, make_citizen, passport_slot):
    release(passport_slot, NOW - dt.timedelta(hours=1))
    url = f"{API}/services/paspor-ganti/slots?from=2027-01-12&to=2027-01-12"
    assert client.get(url).json() == []  # the day's seats wait for the draw
    assert Session.objects.get(pk=passport_slot.session_id).draw_done_at is None
    assert run_due(NOW)["draws_held"] == 1
    assert Session.objects.get(pk=passport_slot.session_id).draw_done_at == NOW
    assert str(passport_slot.public_id) in [slot["id"] for slot in client.get(url).json()]


def test_api_waitlist_join_show_accept_leave(client, make_citizen, full):
    slot, appointments = full
    headers = bearer(make_citizen().user)
    url = f"{API}/services/paspor-ganti/waitlist"
    assert client.get(url, **headers).status_code == 404
    joined = post(client, url, {"channel": "weekday"}, headers)
    assert joined.status_code == 201
    assert joined.json()["status"] == "waiting" and joined.json()["offer"] is None
    again = post(client, url, {}, headers)
    assert again.status_code == 409 and again.json()["code"] == "already_waiting"
    assert post(client, url, {"channel": "sunday"}, headers).status_code == 422
    assert post(client, url, {"extra": 1}, headers).status_code == 422

    services.appointment_cancel(appointment=appointments[0], by=None, now=NOW)
    shown = client.get(url, **headers).json()
    assert shown["status"] == "offered"
    assert shown["offer"]["slot"]["id"] == str(slot.public_id)
    assert shown["offer"]["hold_until"] == "2026-12-20T12:00:00-05:00"
    accepted = post(client, f"{url}/accept", {}, headers)
    assert accepted.status_code == 201 and accepted.json()["status"] == "booked"
    assert client.delete(url, **headers).status_code == 404  # no longer waiting


def test_api_waitlist_refused_while_seats_are_free_and_left(client, make_citizen, toronto):
    headers = bearer(make_citizen().user)
    url = f"{API}/services/paspor-ganti/waitlist"
    refused = post(client, url, {}, headers)
    assert refused.status_code == 422 and refused.json()["code"] == "slots_free"
    assert post(client, f"{API}/services/nope/waitlist", {}, headers).status_code == 404
    assert client.post(url, "{}", content_type="application/json").status_code == 401


def test_api_waitlist_leave(client, make_citizen, full):
    slot, _appointments = full
    citizen = make_citizen()
    waitlist.waitlist_join(citizen=citizen, service=slot.service, now=NOW)
    assert (
        client.delete(f"{API}/services/paspor-ganti/waitlist", **bearer(citizen.user)).status_code
        == 204
    )
    assert WaitlistEntry.objects.get().status == "left"
