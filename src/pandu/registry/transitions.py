"""The moves of a stay registration: from which status, on which event, to which.

Pure data (no I/O): the services take the "from" states of their conditional updates from
``STAY.sources(event)`` and the target from ``STAY.move``. ``tests/registry/test_transitions.py``
walks every (status, event) pair.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.core.errors import PanduError
from pandu.core.transitions import Move, Table
from pandu.registry.models import StayRegistration

Status = StayRegistration.Status


class StayMoveRefused(PanduError):
    code = "stay_move_refused"
    status = 409


class Event(models.TextChoices):
    UPDATE = "update", _("ubah data")
    RENEW = "renew", _("perbarui")
    HAND_OVER = "hand_over", _("serahkan ke perwakilan lain")
    END = "end", _("akhiri")


STAY = Table(
    Status,
    Event,
    (
        Move((Status.ACTIVE,), Event.UPDATE, Status.ACTIVE),
        Move((Status.ACTIVE,), Event.RENEW, Status.ACTIVE),
        # The old registration closes as moved; a new active one opens at the other mission.
        Move((Status.ACTIVE,), Event.HAND_OVER, Status.MOVED),
        Move((Status.ACTIVE,), Event.END, Status.ENDED),
    ),
    StayMoveRefused,
)
