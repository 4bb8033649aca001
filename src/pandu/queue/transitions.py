"""The moves of a waiting-room ticket: from which state, on which event, to which state.

Pure data (no I/O): the services update a ticket only while it is in one of
``TICKET.sources(event)``, to ``TICKET.target_of(event)``. ``tests/queue/test_transitions.py``
walks every (state, event) pair.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.core.transitions import Move, Table
from pandu.queue.errors import TicketMoveRefused
from pandu.queue.models import Ticket

State = Ticket.State


class Event(models.TextChoices):
    CALL = "call", _("panggil")
    RECALL = "recall", _("panggil ulang")
    START = "start", _("mulai layani")
    FINISH = "finish", _("selesai")
    NO_SHOW = "no_show", _("tandai tidak datang")
    HOLD = "hold", _("tunda")
    RESUME = "resume", _("lanjutkan")
    TRANSFER = "transfer", _("alihkan")
    RELEASE = "release", _("lepas dari loket yang ditutup")


CALLED_OR_SERVING = (State.CALLED, State.SERVING)

TICKET = Table(
    State,
    Event,
    (
        Move((State.WAITING, State.TRANSFERRED), Event.CALL, State.CALLED),
        Move((State.CALLED,), Event.RECALL, State.CALLED),
        Move((State.CALLED,), Event.START, State.SERVING),
        Move(CALLED_OR_SERVING, Event.FINISH, State.DONE),
        Move((State.CALLED,), Event.NO_SHOW, State.NO_SHOW),
        Move(CALLED_OR_SERVING, Event.HOLD, State.ON_HOLD),
        Move((State.ON_HOLD,), Event.RESUME, State.CALLED),
        Move((*CALLED_OR_SERVING, State.ON_HOLD), Event.TRANSFER, State.TRANSFERRED),
        # The counter closes: tickets waiting for it or held there wait again for any counter.
        Move((State.WAITING, State.TRANSFERRED, State.ON_HOLD), Event.RELEASE, State.WAITING),
    ),
    TicketMoveRefused,
)
