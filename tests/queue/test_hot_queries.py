"""Query budgets of the waiting room's busiest requests, however many tickets the day holds (the
screen polls every few seconds, the officer calls all day). Counted as PostgreSQL reports them
(no BEGIN, COMMIT or savepoints), with the page already open (the default mission and the
session are warm). The budget is 10 for each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pandu.queue import services
from pandu.queue.tokens import ticket_token

pytestmark = pytest.mark.django_db

BUDGET = 10
# The backend that signs people in with a password (as the login page does), not the test
# client's default (the first configured, django-axes's).
BACKEND = "pandu.people.backends.MissionPermissionBackend"
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture
def busy_day(toronto, officer, service):
    """Two open counters and twelve walk-in tickets, one of them called to the first."""
    counters = []
    for _ in range(2):
        counter = services.counter_create(mission=toronto, by=None)
        counters.append(
            services.counter_open(
                counter=counter,
                services=[service("paspor-ganti"), service("legalisasi")],
                by=officer,
            )
        )
    tickets = [
        services.ticket_take(mission=toronto, service=service(code))
        for code in ["paspor-ganti", "legalisasi"] * 6
    ]
    services.ticket_call_next(counter=counters[0], by=officer)
    return counters, tickets


def count(client, method, url, **data):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    sql = [q["sql"].strip() for q in ctx.captured_queries]
    sql = [s[:160] for s in sql if not s.upper().startswith(CONTROL)]
    return response, len(sql), sql


def test_display_poll(client, kiosk_user, busy_day):
    client.force_login(kiosk_user, backend=BACKEND)
    client.get(reverse("queue:display_calls"))  # the session is loaded once the page is open
    response, n, sql = count(client, "get", reverse("queue:display_calls"))
    assert response.status_code == 200
    assert n <= BUDGET, "\n".join(sql)


def test_call_next(client, officer, busy_day):
    counters, _tickets = busy_day
    client.force_login(officer, backend=BACKEND)
    client.get(reverse("queue:counter", kwargs={"public_id": counters[1].public_id}))  # open
    url = reverse(
        "queue:counter_action", kwargs={"public_id": counters[1].public_id, "action": "call"}
    )
    response, n, sql = count(client, "post", url)
    assert response.status_code == 302
    assert n <= BUDGET, "\n".join(sql)


def test_phone_status(client, busy_day):
    _counters, tickets = busy_day
    token = ticket_token(tickets[-1])
    client.get(reverse("queue:phone", kwargs={"token": token}))  # the page that then polls
    response, n, sql = count(client, "get", reverse("queue:phone_status", kwargs={"token": token}))
    assert response.status_code == 200 and "menit" in response.content.decode()
    assert n <= BUDGET, "\n".join(sql)
