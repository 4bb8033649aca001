"""The clock: the one place Pandu reads the time, and the mission's today.

Everything that needs the current time calls ``now()`` (an aware UTC datetime) and the date a
mission lives in ``today(mission)``, never ``date.today()`` (the server's zone, not the mission's)
nor the database's own ``now()``. Tests fix the clock with time-machine, which moves what these
read.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone


class HasZone(Protocol):
    @property
    def zone(self) -> ZoneInfo: ...


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    return timezone.now()


def today(mission: HasZone, at: dt.datetime | None = None) -> dt.date:
    """The mission's local date now (or at ``at``)."""
    return timezone.localdate(at or now(), mission.zone)
