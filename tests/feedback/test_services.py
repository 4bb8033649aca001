"""Invitations, answers by token, and the follow-ups unhappy answers open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from pandu.audit.models import AuditEvent
from pandu.core.errors import NotFound, PermissionDenied, ValidationFailed
from pandu.feedback import services
from pandu.feedback.models import FollowUp, SurveyInvitation, SurveyResponse

from .conftest import CITIZEN, ENGLISH_CITIZEN, HAPPY

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_token_is_stored_only_as_its_hash(invited):
    invitation, token = invited
    assert len(token) >= 32 and token not in invitation.token_hash
    assert invitation.token_hash == services.token_hash(token)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=30)


def test_serving_an_appointment_mails_the_survey_link_in_the_citizens_language(book, officer, at):
    from pandu.appointments.models import Appointment
    from pandu.appointments.services import appointment_mark_served

    appointment = book(ENGLISH_CITIZEN)
    mail.outbox.clear()
    appointment_mark_served(appointment=appointment, by=officer, now=at(9, 40))
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SERVED
    invitation = SurveyInvitation.objects.get(appointment=appointment)
    assert (invitation.channel, invitation.language, invitation.service) == (
        "weekday", "en", appointment.service,
    )  # fmt: skip
    [message] = mail.outbox
    assert message.to == [ENGLISH_CITIZEN]
    link = next(line for line in message.body.splitlines() if "/survei/" in line)
    assert link.startswith("http") and "/en/survei/" in link
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert services.invitation_for_token(token, now=at(11)) == invitation
    assert AuditEvent.objects.filter(event="appointment_served").count() == 1
    assert AuditEvent.objects.filter(event="survey_invited").count() == 1


def test_an_appointment_is_served_once_and_not_before_its_day(book, officer, at):
    from pandu.appointments.errors import BookingRefused
    from pandu.appointments.services import appointment_mark_served

    appointment = book()
    with pytest.raises(BookingRefused):
        appointment_mark_served(
            appointment=appointment, by=officer, now=at(9, day=dt.date(2027, 1, 11))
        )
    appointment_mark_served(appointment=appointment, by=officer, now=at(10))
    with pytest.raises(BookingRefused):
        appointment_mark_served(appointment=appointment, by=officer, now=at(11))
    assert SurveyInvitation.objects.count() == 1


def test_one_invitation_per_service_record(book, at, toronto):
    appointment = book()
    first = services.survey_invite_after_appointment(appointment, now=at(10))
    assert first is not None
    assert services.survey_invite_after_appointment(appointment, now=at(11)) is None
    assert SurveyInvitation.objects.count() == 1


def test_a_wrong_token_is_not_found(invited, at):
    with pytest.raises(NotFound):
        services.invitation_for_token("not-a-token", now=at(11))
    with pytest.raises(NotFound):
        services.invitation_for_token("", now=at(11))


def test_an_expired_token_is_refused_and_nothing_recorded(invited, at):
    invitation, token = invited
    later = at(10) + dt.timedelta(days=30)
    with pytest.raises(services.SurveyClosed) as refused:
        services.invitation_for_token(token, now=later)
    assert refused.value.code == "expired" and refused.value.status == 410
    with pytest.raises(services.SurveyClosed):
        services.survey_submit(invitation=invitation, answers=HAPPY, now=later)
    assert not SurveyResponse.objects.exists()


def test_a_token_answers_once(invited, at):
    invitation, token = invited
    response = services.survey_submit(invitation=invitation, answers=HAPPY, now=at(12))
    assert response.scores == (3,) * 9 and response.period == "2027-01"
    assert response.submitted_on == dt.date(2027, 1, 12)
    with pytest.raises(services.SurveyClosed) as refused:
        services.invitation_for_token(token, now=at(13))
    assert refused.value.code == "used"
    with pytest.raises(services.SurveyClosed):
        services.survey_submit(invitation=invitation, answers=HAPPY, now=at(13))
    assert SurveyResponse.objects.count() == 1
    assert AuditEvent.objects.filter(event="survey_answered").count() == 1


@pytest.mark.parametrize(
    "answers",
    [
        {**HAPPY, "u4": 5},
        {**HAPPY, "u4": 0},
        {**HAPPY, "u4": "3.5"},
        {**HAPPY, "u4": None},
        {k: v for k, v in HAPPY.items() if k != "u9"},
    ],
)
def test_bad_answers_are_refused_by_field_and_change_nothing(invited, at, answers):
    invitation, _token = invited
    with pytest.raises(ValidationFailed) as refused:
        services.survey_submit(invitation=invitation, answers=answers, now=at(12))
    assert set(refused.value.errors) <= {"u4", "u9"}
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_a_complaint_needs_its_text(invited, at):
    invitation, _token = invited
    with pytest.raises(ValidationFailed) as refused:
        services.survey_submit(
            invitation=invitation, answers=HAPPY, comment="  ", is_complaint=True, now=at(12)
        )
    assert list(refused.value.errors) == ["comment"]


def test_a_happy_answer_opens_no_follow_up(invited, at):
    invitation, _token = invited
    services.survey_submit(invitation=invitation, answers={**HAPPY, "u3": 2}, now=at(12))
    assert not FollowUp.objects.exists()


def test_a_one_opens_a_follow_up_and_mails_the_supervisors(invited, at, toronto):
    invitation, _token = invited
    mail.outbox.clear()
    response = services.survey_submit(invitation=invitation, answers={**HAPPY, "u3": 1}, now=at(12))
    follow_up = response.follow_up
    assert (follow_up.status, follow_up.mission) == ("open", toronto)
    supervisors = set(services.supervisors_of(toronto).values_list("email", flat=True))
    assert "supervisor@toronto.pandu.test" in supervisors
    assert "officer@toronto.pandu.test" not in supervisors
    assert {m.to[0] for m in mail.outbox} == supervisors
    assert all("U3" in m.body and str(follow_up.public_id) in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(event="follow_up_opened").count() == 1


def test_a_complaint_opens_a_follow_up(invited, at):
    invitation, _token = invited
    response = services.survey_submit(
        invitation=invitation,
        answers=HAPPY,
        comment="Petugas tidak menjawab telepon.",
        is_complaint=True,
        now=at(12),
    )
    assert FollowUp.objects.get().response == response


def test_supervisors_assign_record_and_close(invited, at, supervisor, officer):
    invitation, _token = invited
    response = services.survey_submit(invitation=invitation, answers={**HAPPY, "u9": 1}, now=at(12))
    follow_up = response.follow_up
    with pytest.raises(PermissionDenied):
        services.follow_up_assign(follow_up=follow_up, assignee=supervisor, by=officer)
    with pytest.raises(ValidationFailed):
        services.follow_up_assign(follow_up=follow_up, assignee=officer, by=supervisor)
    follow_up = services.follow_up_assign(follow_up=follow_up, assignee=supervisor, by=supervisor)
    assert (follow_up.status, follow_up.assigned_to) == ("in_progress", supervisor)
    with pytest.raises(ValidationFailed):
        services.follow_up_record(follow_up=follow_up, outcome=" ", close=True, by=supervisor)
    follow_up = services.follow_up_record(
        follow_up=follow_up, outcome="Kursi ruang tunggu ditambah.", close=True, by=supervisor
    )
    assert follow_up.status == "closed" and follow_up.closed_by == supervisor
    with pytest.raises(services.PanduError):
        services.follow_up_record(follow_up=follow_up, outcome="lagi", by=supervisor)
    events = list(
        AuditEvent.objects.filter(event__startswith="follow_up").values_list("event", flat=True)
    )
    assert sorted(events) == ["follow_up_assigned", "follow_up_closed", "follow_up_opened"]


def test_a_done_ticket_from_an_appointment_surveys_that_appointment_once(book, officer, at):
    from pandu.queue import services as queue

    appointment = book(CITIZEN)
    counter = queue.counter_create(mission=appointment.mission, by=None)
    queue.counter_open(counter=counter, services=[appointment.service], by=officer)
    ticket = queue.ticket_check_in(
        mission=appointment.mission, code=appointment.reference, now=at(8, 50)
    )
    ticket = queue.ticket_call_next(counter=counter, by=officer, now=at(9))
    queue.ticket_start(ticket=ticket, by=officer, now=at(9, 1))
    queue.ticket_finish(ticket=ticket, by=officer, now=at(9, 20))
    invitation = SurveyInvitation.objects.get()
    assert (invitation.ticket, invitation.appointment) == (ticket, appointment)
    assert services.survey_invite_after_appointment(appointment, now=at(9, 30)) is None


def test_the_kiosk_finds_the_visit_just_served_by_its_reference(book, officer, at, toronto, demo):
    from pandu.appointments.services import appointment_mark_served
    from pandu.people.models import User

    appointment = book()
    appointment_mark_served(appointment=appointment, by=officer, now=at(9, 40))
    found = services.invitation_for_kiosk(
        mission=toronto, code=appointment.reference.lower(), user=officer, now=at(10)
    )
    assert found.appointment == appointment
    with pytest.raises(NotFound):  # the next day it is no longer offered on the tablet
        services.invitation_for_kiosk(
            mission=toronto,
            code=appointment.reference,
            user=officer,
            now=at(10) + dt.timedelta(days=1),
        )
    ottawa_officer = User.objects.get(email="officer@ottawa.pandu.test")
    with pytest.raises(PermissionDenied):
        services.invitation_for_kiosk(
            mission=toronto, code=appointment.reference, user=ottawa_officer, now=at(10)
        )
