"""Past survey answers written at once (``feedback.history``): the rows and audit events of
``survey_invite`` and ``survey_submit`` one by one, in a few statements."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.core.errors import ValidationFailed
from pandu.feedback import services
from pandu.feedback.history import PastAnswer, surveys_history_record
from pandu.feedback.models import Channel, FollowUp, SurveyInvitation, SurveyResponse
from pandu.notify.services import held as notify_held

pytestmark = pytest.mark.django_db

HAPPY = {f"u{n}": 3 + n % 2 for n in range(1, 10)}


def _answers(toronto, at):
    service = Service.objects.get(mission=toronto, code="paspor-ganti")
    return [
        PastAnswer(Channel.WEEKDAY, service, at(10), at(13), HAPPY),
        PastAnswer(Channel.SATURDAY, None, at(11), at(11, 30), HAPPY | {"u3": 1}, via_kiosk=True),
        PastAnswer(
            Channel.WEEKDAY, service, at(12), at(18), HAPPY, "Antrean terlalu lama.", True, False
        ),
        PastAnswer(Channel.PERTIWI, service, at(14), at(15), HAPPY, "Terima kasih."),
    ]


def _one_by_one(toronto, answers):
    for answer in answers:
        invitation, _token = services.survey_invite(
            mission=toronto, channel=answer.channel, service=answer.service, now=answer.served_at
        )
        services.survey_submit(
            invitation=invitation,
            answers=answer.answers,
            comment=answer.comment,
            is_complaint=answer.is_complaint,
            via_kiosk=answer.via_kiosk,
            now=answer.answered_at,
        )


def _written(since: int):
    invitations = list(
        SurveyInvitation.objects.order_by("pk").values_list(
            "mission_id", "service_id", "channel", "language", "email", "created_at",
            "expires_at", "used_at",
        )
    )  # fmt: skip
    responses = list(
        SurveyResponse.objects.order_by("pk").values_list(
            "mission_id", "service_id", "channel", "language", "comment", "is_complaint",
            "via_kiosk", "submitted_at", "submitted_on", "period", *[f"u{n}" for n in range(1, 10)],
        )
    )  # fmt: skip
    follow_ups = list(
        FollowUp.objects.order_by("pk").values_list("mission_id", "status", "opened_at")
    )
    events = list(
        AuditEvent.objects.filter(seq__gt=since)
        .order_by("seq")
        .values_list("seq", "occurred_at", "actor_id", "event", "object_type", "mission_id", "data")
    )
    return invitations, responses, follow_ups, events


def test_the_batch_writes_what_invite_and_submit_one_by_one_write(
    toronto, at, django_assert_max_num_queries
):
    answers = _answers(toronto, at)
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    # Notifications held back, as in the demo: the supervisors are not mailed twice here.
    with time_machine.travel(at(20), tick=False), notify_held():
        with transaction.atomic():
            _one_by_one(toronto, answers)
            single = _written(since)
            transaction.set_rollback(True)
        # Four answers, two of them unhappy (their follow-ups opened one by one, each in its
        # savepoint here).
        with django_assert_max_num_queries(23):
            responses = surveys_history_record(mission=toronto, answers=answers)
        batch = _written(since)
    assert [len(rows) for rows in single] == [4, 4, 2, 10]
    assert batch == single
    assert [hasattr(r, "follow_up") for r in responses] == [False, True, True, False]
    call_command("audit_verify", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_batch_refuses_what_submit_refuses(toronto, at):
    late = PastAnswer(Channel.WEEKDAY, None, at(10), at(10) + dt.timedelta(days=31), HAPPY)
    with pytest.raises(services.SurveyClosed):
        surveys_history_record(mission=toronto, answers=[late])
    unanswered = PastAnswer(Channel.WEEKDAY, None, at(10), at(11), HAPPY | {"u9": 5})
    with pytest.raises(ValidationFailed):
        surveys_history_record(mission=toronto, answers=[unanswered])
    with pytest.raises(ValidationFailed):
        surveys_history_record(
            mission=toronto,
            answers=[PastAnswer(Channel.WEEKDAY, None, at(10), at(11), HAPPY, is_complaint=True)],
        )
    assert not SurveyResponse.objects.exists()
