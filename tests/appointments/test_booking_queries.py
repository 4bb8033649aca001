"""The booking request's statement budget, as production runs it: no test transaction around
it, tasks queued in the database (``db_worker``), a citizen's app that listed the slots first.

At most 8 statements for a booking (the confirmation's task row included) and 4 for a refusal
of a full slot; every rule still holds (the other booking tests), this counts what it costs.
Counted as PostgreSQL reports them: the transaction's own BEGIN and COMMIT, which SQLite's
driver also lists, are not statements of the booking.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pandu.appointments.models import Appointment, Slot
from pandu.audit.models import AuditEvent
from pandu.people.services import token_issue

from .conftest import NOW

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(ctx) -> list[str]:
    sql = [q["sql"].strip() for q in ctx.captured_queries]
    return [s for s in sql if not s.upper().startswith(TRANSACTION_CONTROL)]


@pytest.mark.django_db(transaction=True)
def test_a_booking_takes_at_most_8_statements_and_a_refusal_at_most_4(
    client, make_citizen, passport_slot, settings
):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    Slot.objects.filter(pk=passport_slot.pk).update(capacity=1, priority_seats=0)
    body = json.dumps({"slot": str(passport_slot.public_id), "service": "paspor-ganti"})

    def book(token):
        return client.post(
            "/api/v1/appointments",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    tokens = []
    for citizen in (make_citizen(), make_citizen()):
        token = token_issue(user=citizen.user).token
        # The app shows the free times first (this also records the token's use).
        listed = client.get(
            "/api/v1/services/paspor-ganti/slots?from=2027-01-12&to=2027-01-12",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert listed.status_code == 200
        tokens.append(token)

    with CaptureQueriesContext(connection) as booked:
        response = book(tokens[0])
    assert response.status_code == 201, response.content
    sql = statements(booked)
    assert len(sql) <= 8, "\n".join(sql)
    reference = response.json()["reference"]
    assert Appointment.objects.filter(reference=reference).exists()
    assert AuditEvent.objects.filter(event="appointment_booked", object_ref__isnull=False).exists()
    assert DBTaskResult.objects.filter(task_path__endswith="appointment_mail").count() == 1

    with CaptureQueriesContext(connection) as refused:
        response = book(tokens[1])
    assert response.status_code == 409 and response.json()["code"] == "slot_full"
    sql = statements(refused)
    assert len(sql) <= 4, "\n".join(sql)
    assert not any(s.upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in sql)
    assert Slot.objects.get(pk=passport_slot.pk).booked == 1
