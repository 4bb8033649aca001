"""Rate limits on booking: per person when signed in, per address on the e-mail's link."""

import json

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from pandu.appointments import services
from pandu.appointments.models import Appointment
from pandu.core import ratelimit
from pandu.people.services import token_issue

from .conftest import NOW

BOOK_PAGE = "/id/appointments/book/toronto/paspor-ganti/"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Django's clock and the wall clock stand still: django-ratelimit counts in windows of
    ``time.time()``, and a window ending between two requests would start the count again."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def tight_limits(settings):
    settings.RATE_BOOKING = "2/m"
    settings.RATE_MANAGE_LINK = "3/m"


def api_post(client, url, body, user):
    return client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user).token}",
    )


def test_booking_page_over_the_limit_answers_429_and_books_nothing(
    client, make_citizen, passport_slot
):
    citizen = make_citizen()
    client.force_login(citizen.user)
    for _ in range(2):
        assert client.post(BOOK_PAGE, {"slot": "junk"}).status_code == 200
    response = client.post(BOOK_PAGE, {"slot": str(passport_slot.public_id)})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert not Appointment.objects.filter(citizen=citizen).exists()
    assert client.get(BOOK_PAGE).status_code == 200  # looking is not limited


def test_api_over_the_limit_answers_429_json_and_books_nothing(client, make_citizen, passport_slot):
    citizen = make_citizen()
    body = {"slot": str(passport_slot.public_id), "service": "nope"}
    for _ in range(2):
        assert api_post(client, "/api/v1/appointments", body, citizen.user).status_code == 404
    body["service"] = "paspor-ganti"
    response = api_post(client, "/api/v1/appointments", body, citizen.user)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["message"]
    assert not Appointment.objects.filter(citizen=citizen).exists()


def test_the_limit_counts_per_person_not_per_address(client, make_citizen, passport_slot):
    first, second = make_citizen(), make_citizen()
    body = {"slot": str(passport_slot.public_id), "service": "nope"}
    for _ in range(3):
        api_post(client, "/api/v1/appointments", body, first.user)
    body["service"] = "paspor-ganti"
    # Same address (the test client's), another person: not limited.
    assert api_post(client, "/api/v1/appointments", body, second.user).status_code == 201


def test_api_cancel_and_reschedule_count_against_the_same_limit(
    client, make_citizen, passport_slot
):
    citizen = make_citizen()
    appointment = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    url = f"/api/v1/appointments/{appointment.reference}"
    other = "00000000-0000-4000-8000-000000000000"
    assert api_post(client, url + "/reschedule", {"slot": other}, citizen.user).status_code == 404
    assert api_post(client, url + "/reschedule", {"slot": other}, citizen.user).status_code == 404
    response = api_post(client, url + "/cancel", {}, citizen.user)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_cancel_page_is_limited(client, make_citizen, passport_slot):
    citizen = make_citizen()
    appointment = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    client.force_login(citizen.user)
    url = f"/id/appointments/{appointment.reference}/cancel/"
    for _ in range(2):
        client.post(url, {})  # not confirmed: nothing happens
    assert client.post(url, {"confirm": "yes"}).status_code == 429
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_manage_link_is_limited_per_address_also_for_reading(client, make_citizen, passport_slot):
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )
    url = f"/id/appointments/manage/{services.manage_token(appointment)}/"
    for _ in range(2):
        assert client.get(url).status_code == 200
    assert client.get("/id/appointments/manage/guessed-token/").status_code == 400
    response = client.post(url, {"action": "cancel", "confirm": "yes"})
    assert response.status_code == 429
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200  # another address


def test_openapi_documents_the_429(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/appointments"]["post"]["responses"]
    assert "429" in paths["/api/v1/appointments/{reference}/cancel"]["post"]["responses"]
    assert "429" in paths["/api/v1/appointments/{reference}/reschedule"]["post"]["responses"]


def test_client_address_from_the_proxy_header(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert ratelimit.client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    request.META["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 198.51.100.7"
    assert ratelimit.client_ip(request) == "198.51.100.7"  # what our proxy saw
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert ratelimit.client_ip(request) == "10.0.0.2"


def test_a_cache_that_is_down_lets_bookings_through(
    client, make_citizen, passport_slot, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit, "is_ratelimited", broken)
    citizen = make_citizen()
    body = {"slot": str(passport_slot.public_id), "service": "paspor-ganti"}
    assert api_post(client, "/api/v1/appointments", body, citizen.user).status_code == 201
    assert "Rate limit booking could not be checked" in caplog.text


def test_waitlist_join_through_the_api_is_limited_too(client, make_citizen, passport_slot):
    citizen = make_citizen()
    url = "/api/v1/services/paspor-ganti/waitlist"
    for _ in range(2):  # refused: seats are free, but each attempt counts
        assert api_post(client, url, {}, citizen.user).status_code == 422
    response = api_post(client, url, {}, citizen.user)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
