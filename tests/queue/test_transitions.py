"""The ticket's transition table, pair by pair, and through the services that move it."""

import itertools

import pytest

from pandu.audit.models import AuditEvent
from pandu.queue import services
from pandu.queue.errors import TicketConflict
from pandu.queue.models import Ticket, TicketPeriod
from pandu.queue.transitions import TICKET, Event
from tests.transitions import assert_move

S = Ticket.State
ALLOWED = {
    (S.WAITING, Event.CALL): S.CALLED,
    (S.TRANSFERRED, Event.CALL): S.CALLED,
    (S.CALLED, Event.RECALL): S.CALLED,
    (S.CALLED, Event.START): S.SERVING,
    (S.CALLED, Event.FINISH): S.DONE,
    (S.SERVING, Event.FINISH): S.DONE,
    (S.CALLED, Event.NO_SHOW): S.NO_SHOW,
    (S.CALLED, Event.HOLD): S.ON_HOLD,
    (S.SERVING, Event.HOLD): S.ON_HOLD,
    (S.ON_HOLD, Event.RESUME): S.CALLED,
    (S.CALLED, Event.TRANSFER): S.TRANSFERRED,
    (S.SERVING, Event.TRANSFER): S.TRANSFERRED,
    (S.ON_HOLD, Event.TRANSFER): S.TRANSFERRED,
    (S.WAITING, Event.RELEASE): S.WAITING,
    (S.TRANSFERRED, Event.RELEASE): S.WAITING,
    (S.ON_HOLD, Event.RELEASE): S.WAITING,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(S.values, Event.values)))
def test_every_pair_moves_as_the_table_says(state, event):
    assert_move(TICKET, ALLOWED, state, event, code="ticket_move_refused")


def test_done_and_no_show_are_final():
    for state in (S.DONE, S.NO_SHOW):
        assert not [e for e in Event.values if TICKET.target(state, e)]


@pytest.mark.django_db
def test_a_waiting_ticket_cannot_be_started_and_nothing_changes(
    toronto, counters, officer, service, at
):
    ticket = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    events = AuditEvent.objects.count()
    with pytest.raises(TicketConflict):
        services.ticket_start(ticket=ticket, by=officer, now=at(9, 1))
    ticket.refresh_from_db()
    assert ticket.state == S.WAITING
    assert TicketPeriod.objects.filter(ticket=ticket).count() == 1
    assert AuditEvent.objects.count() == events
