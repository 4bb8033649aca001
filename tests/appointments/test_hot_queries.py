"""Query budgets of the pages a citizen hits at a release: the free slots and their own
appointment, at most 10 statements each however many slots and bookings there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pandu.appointments import services
from pandu.people.services import token_issue

from .conftest import NOW

pytestmark = pytest.mark.django_db
BUDGET = 10
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def statements(ctx) -> list[str]:
    sql = [q["sql"].strip() for q in ctx.captured_queries]
    return [s[:160] for s in sql if not s.upper().startswith(CONTROL)]


def test_free_slots_by_api(client, make_citizen, passport_slot):
    token = token_issue(user=make_citizen().user).token
    url = "/api/v1/services/paspor-ganti/slots?from=2027-01-04&to=2027-01-29"
    client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")  # the token's use is recorded once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and len(response.json()) > 100
    assert len(statements(ctx)) <= BUDGET, "\n".join(statements(ctx))


def test_own_appointment_page(client, make_citizen, passport_slot):
    citizen = make_citizen()
    appointment = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
    )
    client.force_login(citizen.user)
    url = reverse("appointments:detail", kwargs={"reference": appointment.reference})
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and appointment.reference in response.content.decode()
    assert len(statements(ctx)) <= BUDGET, "\n".join(statements(ctx))
