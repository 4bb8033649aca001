"""The follow-up's transition table, pair by pair, and through the services that move it."""

from __future__ import annotations

import itertools

import pytest

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError
from pandu.feedback import services
from pandu.feedback.models import FollowUp
from pandu.feedback.transitions import FOLLOW_UP, Event
from tests.transitions import assert_move

from .conftest import HAPPY

S = FollowUp.Status
ALLOWED = {
    (S.OPEN, Event.ASSIGN): S.IN_PROGRESS,
    (S.IN_PROGRESS, Event.ASSIGN): S.IN_PROGRESS,
    (S.OPEN, Event.RECORD): S.IN_PROGRESS,
    (S.IN_PROGRESS, Event.RECORD): S.IN_PROGRESS,
    (S.OPEN, Event.CLOSE): S.CLOSED,
    (S.IN_PROGRESS, Event.CLOSE): S.CLOSED,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(S.values, Event.values)))
def test_every_pair_moves_as_the_table_says(state, event):
    assert_move(FOLLOW_UP, ALLOWED, state, event, code="follow_up_move_refused")


@pytest.mark.django_db(transaction=True)
def test_a_closed_follow_up_cannot_be_reassigned_and_nothing_changes(invited, at, supervisor):
    invitation, _token = invited
    response = services.survey_submit(invitation=invitation, answers={**HAPPY, "u9": 1}, now=at(12))
    follow_up = services.follow_up_record(
        follow_up=response.follow_up, outcome="Sudah ditelepon.", close=True, by=supervisor
    )
    events = AuditEvent.objects.count()
    with pytest.raises(PanduError) as refused:
        services.follow_up_assign(follow_up=follow_up, assignee=supervisor, by=supervisor)
    assert refused.value.code == "closed"
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.assigned_to) == (S.CLOSED, None)
    assert follow_up.outcome == "Sudah ditelepon."
    assert AuditEvent.objects.count() == events
