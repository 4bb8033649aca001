"""The waiting-room pages over HTTP: permissions, kiosk, counters, display and phone page."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from pandu.appointments.models import Appointment
from pandu.people.models import User
from pandu.queue import services
from pandu.queue.models import Counter, Ticket
from pandu.queue.tokens import ticket_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(toronto):
    return timezone.localdate(timezone.now(), toronto.zone)


@pytest.fixture
def appointment(book, today):
    return book("siti.rahayu@example.org", day=today, opens=dt.time(0, 5), closes=dt.time(23, 55))


@pytest.fixture
def counter(toronto, officer, service):
    counter = services.counter_create(mission=toronto, by=None)
    return services.counter_open(
        counter=counter, services=[service("paspor-ganti"), service("legalisasi")], by=officer
    )


def test_kiosk_needs_a_staff_session_of_the_mission(client, kiosk_user, password):
    url = reverse("queue:kiosk")
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(User.objects.get(email="siti.rahayu@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(email="officer@ottawa.pandu.test"))
    assert client.get(url + "?mission=toronto").context["mission"].slug == "ottawa"
    client.force_login(kiosk_user)
    assert client.get(url).status_code == 200
    # The kiosk account has no business at counters.
    assert client.get(reverse("queue:counters")).status_code == 403


def test_kiosk_check_in_by_reference(client, kiosk_user, appointment):
    client.force_login(kiosk_user)
    response = client.post(
        reverse("queue:kiosk"),
        {"mission": "toronto", "form": "checkin", "checkin-code": appointment.reference},
        follow=True,
    )
    assert response.status_code == 200
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.number in response.content.decode()
    assert "<svg" in response.content.decode()  # the QR code to the phone page
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CHECKED_IN


def test_kiosk_refuses_an_unknown_reference_with_a_message(client, kiosk_user):
    client.force_login(kiosk_user)
    response = client.post(
        reverse("queue:kiosk"), {"form": "checkin", "checkin-code": "TOR-XXXX99"}
    )
    assert response.status_code == 200
    assert "Nomor referensi tidak ditemukan" in response.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_walk_in(client, kiosk_user):
    client.force_login(kiosk_user)
    url = reverse("queue:kiosk")
    response = client.post(url, {"form": "walkin", "walkin-service": "nope"})
    assert response.status_code == 200 and not Ticket.objects.exists()
    response = client.post(
        url,
        {"form": "walkin", "walkin-service": "legalisasi", "walkin-priority_reason": "pregnant"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket_token(ticket) in response["Location"]
    assert (ticket.number, ticket.priority_reason, ticket.channel) == (
        "L-001",
        "pregnant",
        "walk_in",
    )


def test_officer_runs_a_counter(client, officer, toronto, service):
    client.force_login(officer)
    counter = services.counter_create(mission=toronto, by=None)
    act = lambda action, **data: client.post(  # noqa: E731
        reverse("queue:counter_action", kwargs={"public_id": counter.public_id, "action": action}),
        data,
    )
    response = act("open", services=[])
    assert (
        response.status_code == 200
        and "Pilih paling sedikit satu layanan" in response.content.decode()
    )
    assert act("open", services=["paspor-ganti"]).status_code == 302
    services.ticket_take(mission=toronto, service=service("paspor-ganti"))
    assert act("call").status_code == 302
    ticket = Ticket.objects.get()
    page = client.get(reverse("queue:counter", kwargs={"public_id": counter.public_id}))
    assert ticket.number in page.content.decode()
    assert act("start", ticket=str(ticket.public_id)).status_code == 302
    assert act("finish", ticket=str(ticket.public_id)).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.DONE
    # Acting on it again says so instead of failing.
    response = act("finish", ticket=str(ticket.public_id))
    assert response.status_code == 302
    assert act("explode").status_code == 404
    assert act("close").status_code == 302
    assert not Counter.objects.get(pk=counter.pk).is_open


def test_officers_of_another_mission_cannot_use_the_counter(client, counter, toronto, service):
    client.force_login(User.objects.get(email="officer@ottawa.pandu.test"))
    url = reverse("queue:counter", kwargs={"public_id": counter.public_id})
    assert client.get(url).status_code == 403
    # Nor call its next number: nobody is called, the ticket keeps waiting.
    ticket = services.ticket_take(mission=toronto, service=service("paspor-ganti"))
    call = reverse(
        "queue:counter_action", kwargs={"public_id": counter.public_id, "action": "call"}
    )
    assert client.post(call).status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.WAITING
    unknown = reverse("queue:counter_action", kwargs={"public_id": uuid.uuid4(), "action": "call"})
    assert client.post(unknown).status_code == 404


def test_display_shows_numbers_and_counters_only(
    client, kiosk_user, counter, officer, appointment, toronto
):
    services.ticket_check_in(mission=toronto, code=appointment.reference)
    ticket = services.ticket_call_next(counter=counter, by=officer)
    client.force_login(kiosk_user)
    page = client.get(reverse("queue:display")).content.decode()
    calls = client.get(reverse("queue:display_calls")).content.decode()
    for html in (page, calls):
        assert ticket.number in html
        assert "Siti" not in html and appointment.reference not in html
    assert f"Nomor {ticket.number}, silakan ke loket {counter.number}." in calls


def test_phone_page_by_signed_link_only(client, counter, toronto, service):
    first = services.ticket_take(mission=toronto, service=service("paspor-ganti"))
    second = services.ticket_take(mission=toronto, service=service("paspor-ganti"))
    assert client.get(reverse("queue:phone", kwargs={"token": "nope"})).status_code == 404
    token = ticket_token(second)
    assert (
        client.get(reverse("queue:phone", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    )
    page = client.get(reverse("queue:phone", kwargs={"token": token})).content.decode()
    assert "1 orang di depan Anda" in page
    status = client.get(reverse("queue:phone_status", kwargs={"token": token})).content.decode()
    assert "menit" in status
    response = client.post(reverse("queue:phone", kwargs={"token": token}), {"email": "bad"})
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.notify_email == ""
    response = client.post(
        reverse("queue:phone", kwargs={"token": token}), {"email": "ayu@example.org"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.notify_email == "ayu@example.org"
    assert first.pk != second.pk


def test_officer_checks_in_from_the_day_page(client, officer, appointment):
    client.force_login(officer)
    day = client.get(reverse("appointments:staff_day")).content.decode()
    check_in_url = reverse("queue:officer_check_in", kwargs={"public_id": appointment.public_id})
    assert check_in_url in day
    response = client.post(check_in_url, follow=True)
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.number in response.content.decode()
    assert check_in_url not in response.content.decode()  # checked in: no second button
    client.force_login(User.objects.get(email="officer@ottawa.pandu.test"))
    assert client.post(check_in_url).status_code == 403
