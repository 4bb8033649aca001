"""The moves of a follow-up of a low survey answer: from which status, on which event, to which.

Pure data (no I/O): the services check ``FOLLOW_UP.sources(event)`` and take the target from
``FOLLOW_UP.move``. ``tests/feedback/test_transitions.py`` walks every (status, event) pair.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.core.transitions import Move, Table
from pandu.feedback.errors import FollowUpMoveRefused
from pandu.feedback.models import FollowUp

Status = FollowUp.Status


class Event(models.TextChoices):
    ASSIGN = "assign", _("serahkan ke penyelia")
    RECORD = "record", _("catat hasil")
    CLOSE = "close", _("tutup tindak lanjut")


NOT_CLOSED = (Status.OPEN, Status.IN_PROGRESS)

FOLLOW_UP = Table(
    Status,
    Event,
    (
        Move(NOT_CLOSED, Event.ASSIGN, Status.IN_PROGRESS),
        # Recording what was done (again) keeps it in progress.
        Move(NOT_CLOSED, Event.RECORD, Status.IN_PROGRESS),
        Move(NOT_CLOSED, Event.CLOSE, Status.CLOSED),
    ),
    FollowUpMoveRefused,
)
