"""What applications do when the apps below them report a booking or a served Pertiwi visit, and
that reading an application never moves it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from pandu.applications.models import Application
from pandu.applications.workflow import State
from pandu.appointments.calendar import local_to_utc
from pandu.appointments.models import Session, Slot
from pandu.appointments.services import appointment_book, extra_session_create
from pandu.catalog.models import Service

from .test_views import _accept_documents, _client

DAY = dt.date(2027, 1, 12)  # a Tuesday


def _book(application) -> object:
    mission = application.mission
    session = Session.objects.filter(mission=mission, date=DAY, kind="extra").first()
    session = session or extra_session_create(
        mission=mission,
        day=DAY,
        opens=dt.time(9),
        closes=dt.time(12),
        counters=1,
        slots=[(s, 5) for s in Service.objects.filter(mission=mission, is_active=True)],
    )
    slot = Slot.objects.get(session=session, service=application.service)
    return appointment_book(
        citizen=application.citizen,
        slot=slot,
        service=application.service,
        now=local_to_utc(DAY - dt.timedelta(days=5), dt.time(10), mission.zone),
    )


def test_a_booking_moves_the_application_after_its_commit_and_the_page_only_reads(
    submitted, officer, client, django_capture_on_commit_callbacks
):
    _accept_documents(submitted, officer)
    # Inside one transaction that never commits, the booking is made and nothing reacts yet.
    appointment = _book(submitted)
    _client(client, "ayu@example.org")
    page = client.get(reverse("applications:detail", kwargs={"public_id": submitted.public_id}))
    assert page.status_code == 200
    assert Application.objects.get(pk=submitted.pk).state == State.DOCUMENTS_ACCEPTED
    assert not page.context["can_book"]  # the booking is on its way: no second one offered
    appointment.delete()  # a second booking of the service would be refused
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(submitted)
    moved = Application.objects.get(pk=submitted.pk)
    assert moved.state == State.BIOMETRICS_SCHEDULED
    assert moved.appointment == appointment
    last = moved.transitions.last()
    assert (last.actor, last.note) == ("system", appointment.reference)


def test_a_booking_for_another_service_moves_nothing(
    submitted, officer, citizen, django_capture_on_commit_callbacks
):
    _accept_documents(submitted, officer)
    other = Service.objects.get(mission=submitted.mission, code="legalisasi")
    session = extra_session_create(
        mission=submitted.mission,
        day=DAY,
        opens=dt.time(9),
        closes=dt.time(12),
        counters=1,
        slots=[(other, 5)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            citizen=submitted.citizen,
            slot=Slot.objects.get(session=session, service=other),
            service=other,
            now=local_to_utc(DAY - dt.timedelta(days=5), dt.time(10), submitted.mission.zone),
        )
    assert Application.objects.get(pk=submitted.pk).state == State.DOCUMENTS_ACCEPTED
