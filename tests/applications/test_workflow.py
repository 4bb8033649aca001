"""The workflow table, walked through the one service that moves applications.

Every move of ``workflow.TABLE`` is made by each kind of person (citizen, officer, supervisor,
Pandu itself, the head of mission, an officer of another mission); it succeeds exactly for the
kinds the table names, and then writes history, an audit event and a mail. Every (state, event)
pair that is not in the table is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from pandu.applications import services, workflow
from pandu.applications.models import Application, Payment, Review, Transition
from pandu.applications.workflow import TABLE, Event, State
from pandu.appointments.models import Appointment, Session, Slot
from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.core.errors import PermissionDenied
from pandu.issuance.services import issuing_deferred

from .conftest import fill_renewal

# The actor kinds each demo person counts as (supervisors hold the officer's permissions too).
PEOPLE = {
    "citizen": {"citizen"},
    "officer": {"officer"},
    "supervisor": {"officer", "supervisor"},
    "system": {"system"},
    "head": set(),
    "ottawa_officer": set(),
}


class Rollback(Exception):
    pass


def _appointment(application: Application) -> Appointment:
    mission = application.mission
    start = dt.datetime(2027, 1, 5, 15, 0, tzinfo=dt.UTC)
    session = Session.objects.create(
        mission=mission,
        kind=Session.Kind.WEEKDAY,
        date=start.date(),
        opens=dt.time(9),
        closes=dt.time(15),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        counters=1,
    )
    slot = Slot.objects.create(
        session=session,
        service=application.service,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=15),
        capacity=1,
        booked=1,
    )
    return Appointment.objects.create(
        reference="TOR-TEST-0001",
        mission=mission,
        slot=slot,
        service=application.service,
        citizen=application.citizen,
        identity_key="P:A1234567",
    )


def _prepare(move: workflow.Move, ayu, user, officer) -> Application:
    """An application in ``move.source`` whose conditions for ``move`` hold."""
    code = "legalisasi" if workflow.NOT_IN_PERSON in move.guards else "paspor-ganti"
    service = Service.objects.get(mission=ayu.mission, code=code)
    application = services.application_start(citizen=ayu, service=service, by=user)
    if service.code == "paspor-ganti":
        fill_renewal(application, user)
    Application.objects.filter(pk=application.pk).update(state=move.source)
    application.refresh_from_db()
    documents = services.selectors.current_documents(application)
    if workflow.SOME_RETURNED in move.guards:
        first = next(iter(documents.values()))
        Review.objects.create(
            application=application,
            requirement=first.requirement,
            document=first,
            decision=Review.Decision.RETURNED,
            reason="Tidak terbaca",
            by=officer,
        )
    if workflow.ALL_ACCEPTED in move.guards:
        for document in documents.values():
            Review.objects.create(
                application=application,
                requirement=document.requirement,
                document=document,
                decision=Review.Decision.ACCEPTED,
                by=officer,
            )
    if workflow.HAS_APPOINTMENT in move.guards:
        application.appointment = _appointment(application)
        application.save()
    if workflow.PAID in move.guards and services.fee_due(application):
        Payment.objects.create(
            application=application,
            mission=application.mission,
            method=Payment.Method.CASH,
            amount=services.fee_due(application),
            currency="CAD",
            receipt_number="KW-1",
            recorded_by=officer,
        )
    return application


@pytest.fixture
def people(citizen, officer, supervisor, head, ottawa_officer):
    return {
        "citizen": citizen,
        "officer": officer,
        "supervisor": supervisor,
        "system": None,
        "head": head,
        "ottawa_officer": ottawa_officer,
    }


@pytest.mark.parametrize("move", TABLE, ids=lambda m: f"{m.source}-{m.event}")
def test_each_move_is_made_exactly_by_the_people_the_table_names(move, people, ayu, officer):
    for who, kinds in PEOPLE.items():
        allowed = bool(kinds & move.actors)
        mail.outbox.clear()
        try:
            with transaction.atomic():
                application = _prepare(move, ayu, people["citizen"], officer)
                events_before = AuditEvent.objects.count()
                if not allowed:
                    with pytest.raises(PermissionDenied):
                        services.application_transition(
                            application=application, event=move.event, by=people[who], note="x"
                        )
                    application.refresh_from_db()
                    assert application.state == move.source, who
                    assert not application.transitions.exists()
                    raise Rollback
                # What follows the commit (mail, the survey invitation) runs here, as it would
                # after a real commit (the test's transaction is rolled back, never committed).
                # The received letter a submission issues then is tests/applications/
                # test_letters.py's subject: not signed here (a second per move and person).
                with django_capture_on_commit(), issuing_deferred():
                    moved = services.application_transition(
                        application=application, event=move.event, by=people[who], note="Alasan"
                    )
                assert moved.state == move.target, who
                row = Transition.objects.get(application=application)
                assert (row.source, row.target, row.event) == (move.source, move.target, move.event)
                assert row.actor in move.actors
                # A completed service (collected or mailed) also invites to the IKM survey.
                completed = move.event in (Event.COLLECT, Event.MAIL)
                # The move's events and its reactions' (the survey invitation follows the
                # commit), not the records of the mails being sent.
                events = [
                    e.event
                    for e in AuditEvent.objects.order_by("pk")[events_before:]
                    if e.event != "message_sent"
                ]
                assert events[0] == "application_transition"
                assert len(events) == (2 if completed else 1), events
                assert len(mail.outbox) == (2 if completed else 1), who
                assert {m.to[0] for m in mail.outbox} == {"ayu@example.org"}
                assert str(State(move.target).label) in mail.outbox[0].subject
                if completed:
                    assert "/survei/" in mail.outbox[1].body
                raise Rollback
        except Rollback:
            pass


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


FORBIDDEN = [
    (state, event)
    for state in State.values
    for event in Event.values
    if workflow.move_for(state, event) is None
]


def test_every_move_the_table_lacks_is_refused_and_changes_nothing(people, ayu, officer):
    assert len(FORBIDDEN) + len(TABLE) == len(State.values) * len(Event.values)
    renewal = Service.objects.get(mission=ayu.mission, code="paspor-ganti")
    application = services.application_start(citizen=ayu, service=renewal, by=people["citizen"])
    for state, event in FORBIDDEN:
        Application.objects.filter(pk=application.pk).update(state=state)
        for who in ("citizen", "supervisor"):
            with pytest.raises(services.TransitionRefused):
                services.application_transition(
                    application=application, event=event, by=people[who], note="x"
                )
            assert Application.objects.get(pk=application.pk).state == state
    assert not Transition.objects.exists()


def test_a_condition_that_does_not_hold_stops_the_move_with_its_reason(submitted, officer):
    # Nothing reviewed yet: the documents cannot be accepted, nor returned without a reason.
    with pytest.raises(services.TransitionRefused) as accept:
        services.application_transition(
            application=submitted, event=Event.ACCEPT_DOCUMENTS, by=officer
        )
    assert accept.value.code == "needs_all_accepted"
    with pytest.raises(services.TransitionRefused) as back:
        services.application_transition(application=submitted, event=Event.RETURN, by=officer)
    assert back.value.code == "needs_some_returned"
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_an_incomplete_draft_cannot_be_submitted(draft, citizen):
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_transition(application=draft, event=Event.SUBMIT, by=citizen)
    assert refused.value.code == "needs_complete"
    problems = services.application_problems(draft)
    assert "birth_place" in problems
    assert any(key.startswith("req_") for key in problems)


def test_fee_must_be_paid_before_sending_for_issuance(submitted, officer, supervisor):
    Application.objects.filter(pk=submitted.pk).update(state=State.BIOMETRICS_CAPTURED)
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_transition(
            application=submitted, event=Event.SEND_FOR_ISSUANCE, by=officer
        )
    assert refused.value.code == "needs_paid"
    services.payment_record(
        application=submitted,
        method="debit",
        amount=Decimal("65.00"),
        receipt_number="kw 2027/001",
        by=officer,
    )
    moved = services.application_transition(
        application=submitted, event=Event.SEND_FOR_ISSUANCE, by=officer
    )
    assert moved.state == State.SENT_FOR_ISSUANCE
