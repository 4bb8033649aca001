"""The visit request's transition table, pair by pair, and through the services that move it."""

import datetime as dt
import itertools

import pytest

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError
from pandu.outreach import planning, visits
from pandu.outreach.models import VisitRequest
from pandu.outreach.transitions import VISIT, Event
from pandu.people.models import User
from tests.transitions import assert_move

from .pertiwi_helpers import approve, submit

S = VisitRequest.Status
NOW = dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC)
ELDERLY = "soekarno@example.org"

RECORDABLE = (S.REQUESTED, S.SCHEDULED, S.CONFIRMED, S.CHANGE_REQUESTED, S.SERVED, S.NOT_HOME)
ALLOWED = {
    (S.REQUESTED, Event.SCHEDULE): S.SCHEDULED,
    (S.CHANGE_REQUESTED, Event.SCHEDULE): S.SCHEDULED,
    (S.SCHEDULED, Event.CONFIRM): S.CONFIRMED,
    (S.SCHEDULED, Event.ASK_CHANGE): S.CHANGE_REQUESTED,
    (S.CONFIRMED, Event.ASK_CHANGE): S.CHANGE_REQUESTED,
    **{
        (s, Event.CANCEL): S.CANCELLED
        for s in (S.REQUESTED, S.SCHEDULED, S.CONFIRMED, S.CHANGE_REQUESTED)
    },
    **{(s, Event.RECORD_SERVED): S.SERVED for s in RECORDABLE},
    **{(s, Event.RECORD_NOT_HOME): S.NOT_HOME for s in RECORDABLE},
    **{(s, Event.RECORD_RESCHEDULED): S.CHANGE_REQUESTED for s in RECORDABLE},
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(S.values, Event.values)))
def test_every_pair_moves_as_the_table_says(state, event):
    assert_move(VISIT, ALLOWED, state, event, code="visit_move_refused")


def test_a_cancelled_request_takes_no_move():
    assert not [e for e in Event.values if VISIT.target(S.CANCELLED, e)]


@pytest.mark.django_db
def test_a_request_not_yet_scheduled_cannot_be_confirmed_and_nothing_changes(demo):
    approve(ELDERLY, now=NOW)
    request = submit(ELDERLY, now=NOW)
    owner = User.objects.get(email=ELDERLY)
    events = AuditEvent.objects.count()
    with pytest.raises(PanduError) as refused:
        planning.visit_confirm(request=request, by=owner, now=NOW)
    assert refused.value.code == "not_scheduled"
    with pytest.raises(PanduError) as refused:
        planning.visit_change_request(request=request, reason="Hari lain", by=owner, now=NOW)
    assert refused.value.code == "not_scheduled"
    request.refresh_from_db()
    assert request.status == S.REQUESTED
    assert AuditEvent.objects.count() == events
    # Cancelling is allowed once, and then nothing more.
    visits.visit_request_cancel(request=request, by=owner)
    with pytest.raises(PanduError):
        planning.visit_confirm(request=request, by=owner, now=NOW)
    request.refresh_from_db()
    assert request.status == S.CANCELLED
