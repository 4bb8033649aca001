"""The moves of a Pertiwi visit request: from which status, on which event, to which status.

Pure data (no I/O): the services check ``VISIT.sources(event)`` and take the target from
``VISIT.move``. ``tests/outreach/test_transitions.py`` walks every (status, event) pair.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.core.transitions import Move, Table
from pandu.outreach.errors import VisitMoveRefused
from pandu.outreach.models import VisitRequest

Status = VisitRequest.Status


class Event(models.TextChoices):
    SCHEDULE = "schedule", _("jadwalkan (rencana diterbitkan)")
    CONFIRM = "confirm", _("konfirmasi jadwal")
    ASK_CHANGE = "ask_change", _("minta ganti jadwal")
    CANCEL = "cancel", _("batalkan")
    RECORD_SERVED = "record_served", _("catat sudah dilayani")
    RECORD_NOT_HOME = "record_not_home", _("catat tidak di rumah")
    RECORD_RESCHEDULED = "record_rescheduled", _("catat dijadwal ulang")


WAITING_FOR_PLAN = (Status.REQUESTED, Status.CHANGE_REQUESTED)
DATED = (Status.SCHEDULED, Status.CONFIRMED)
OPEN = (*WAITING_FOR_PLAN, *DATED)
# A visit's outcome is recorded on its day or later; a later record corrects an earlier one, so
# every status but a cancellation may take one.
RECORDABLE = (*OPEN, Status.SERVED, Status.NOT_HOME)

VISIT = Table(
    Status,
    Event,
    (
        Move(WAITING_FOR_PLAN, Event.SCHEDULE, Status.SCHEDULED),
        Move((Status.SCHEDULED,), Event.CONFIRM, Status.CONFIRMED),
        Move(DATED, Event.ASK_CHANGE, Status.CHANGE_REQUESTED),
        Move(OPEN, Event.CANCEL, Status.CANCELLED),
        Move(RECORDABLE, Event.RECORD_SERVED, Status.SERVED),
        Move(RECORDABLE, Event.RECORD_NOT_HOME, Status.NOT_HOME),
        # A new date was agreed at the door: back to the next plan.
        Move(RECORDABLE, Event.RECORD_RESCHEDULED, Status.CHANGE_REQUESTED),
    ),
    VisitMoveRefused,
)
