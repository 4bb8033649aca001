"""Past survey answers written at once: the demo's history of the index.

``surveys_history_record`` gives the same rows and audit events as inviting each visit to the
survey without a mail (``survey_invite``) and answering it (``survey_submit``), one answer after
the other: the same checks (a known channel, every element answered in range, a complaint with
its text, the link not expired when answered), the same invitation, response and follow-up rows
and the same events in the same order, in a handful of statements instead of three per answer.
The follow-ups of unhappy answers are opened by ``follow_up_open`` itself, in turn.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from pandu.audit.services import audit_batched, audit_record
from pandu.catalog.models import Service
from pandu.core.models import Mission
from pandu.feedback.models import Channel, SurveyInvitation, SurveyResponse
from pandu.feedback.services import (
    SURVEY_VALID_DAYS,
    _check_open,
    _clean_answers,
    answered_data,
    follow_up_open,
    is_unhappy,
    response_unsaved,
    token_hash,
)


@dataclass(frozen=True)
class PastAnswer:
    """A visit served at ``served_at`` on ``channel`` whose survey was answered at
    ``answered_at`` (``answers``: ``u1`` ... ``u9`` -> 1-4)."""

    channel: str
    service: Service | None
    served_at: dt.datetime
    answered_at: dt.datetime
    answers: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    is_complaint: bool = False
    via_kiosk: bool = False


@transaction.atomic
def surveys_history_record(
    *, mission: Mission, answers: Sequence[PastAnswer]
) -> list[SurveyResponse]:
    """Record ``answers`` (in the order given) at ``mission``; returns the responses, each with
    its ``follow_up`` when unhappy."""
    language = settings.LANGUAGE_CODE
    invitations: list[SurveyInvitation] = []
    responses: list[SurveyResponse] = []
    for answer in answers:
        if answer.channel not in Channel.values:
            raise ValueError(f"unknown channel {answer.channel!r}")
        scores, comment = _clean_answers(answer.answers, answer.comment, answer.is_complaint)
        invitation = SurveyInvitation(
            token_hash=token_hash(secrets.token_urlsafe(24)),
            mission=mission,
            service=answer.service,
            channel=answer.channel,
            language=language,
            email="",
            created_at=answer.served_at,
            expires_at=answer.served_at + dt.timedelta(days=SURVEY_VALID_DAYS),
        )
        _check_open(invitation, answer.answered_at)
        invitation.used_at = answer.answered_at
        invitations.append(invitation)
        responses.append(
            response_unsaved(
                invitation,
                mission=mission,
                scores=scores,
                comment=comment,
                is_complaint=answer.is_complaint,
                via_kiosk=answer.via_kiosk,
                at=answer.answered_at,
            )
        )
    SurveyInvitation.objects.bulk_create(invitations, batch_size=500)
    for response, invitation in zip(responses, invitations, strict=True):
        response.invitation = invitation  # its id, now that it has one
    SurveyResponse.objects.bulk_create(responses, batch_size=500)
    with audit_batched():
        for response, answer in zip(responses, answers, strict=True):
            audit_record(
                event="survey_invited",
                obj=response.invitation,
                mission=mission,
                data={"channel": answer.channel, "mailed": False},
            )
            audit_record(
                event="survey_answered",
                obj=response,
                mission=mission,
                data=answered_data(response),
            )
            if is_unhappy(response):
                follow_up_open(response=response, now=answer.answered_at)
    return responses
