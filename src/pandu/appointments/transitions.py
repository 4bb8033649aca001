"""The moves of an appointment and of a waitlist entry: from which status, on which event, to
which status.

Pure data (no I/O): the services take each target from ``APPOINTMENT.move`` (``WAITLIST.move``)
and the "from" states of their checks and conditional updates from ``sources``. ``tests/appointments/
test_transitions.py`` walks every (status, event) pair.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.appointments.errors import MoveRefused
from pandu.appointments.models import Appointment, WaitlistEntry
from pandu.core.transitions import Move, Table

Status = Appointment.Status


class Event(models.TextChoices):
    CHECK_IN = "check_in", _("lapor hadir")
    SERVE = "serve", _("tandai selesai dilayani")
    NO_SHOW = "no_show", _("tandai tidak datang")
    CANCEL = "cancel", _("batalkan")
    RESCHEDULE = "reschedule", _("jadwal ulang")
    CLOSE_DAY = "close_day", _("tutup hari layanan")


APPOINTMENT = Table(
    Status,
    Event,
    (
        Move((Status.BOOKED,), Event.CHECK_IN, Status.CHECKED_IN),
        Move((Status.BOOKED, Status.CHECKED_IN), Event.SERVE, Status.SERVED),
        Move((Status.BOOKED,), Event.NO_SHOW, Status.NO_SHOW),
        # The citizen or an officer, before the change deadline.
        Move((Status.BOOKED,), Event.CANCEL, Status.CANCELLED),
        # Another seat of the same service; the status stays.
        Move((Status.BOOKED,), Event.RESCHEDULE, Status.BOOKED),
        # The mission closes the day: every booking still active is cancelled.
        Move((Status.BOOKED, Status.CHECKED_IN), Event.CLOSE_DAY, Status.CANCELLED),
    ),
    MoveRefused,
)


Waiting = WaitlistEntry.Status


class WaitlistEvent(models.TextChoices):
    OFFER = "offer", _("tawarkan kursi")
    ACCEPT = "accept", _("terima tawaran")
    DECLINE = "decline", _("tolak tawaran")
    EXPIRE = "expire", _("tawaran lewat waktu")
    WITHDRAW = "withdraw", _("tarik tawaran (hari ditutup)")
    LEAVE = "leave", _("keluar dari daftar")


WAITLIST = Table(
    Waiting,
    WaitlistEvent,
    (
        # A seat is given back: the next waiting citizen gets it held for them.
        Move((Waiting.WAITING,), WaitlistEvent.OFFER, Waiting.OFFERED),
        Move((Waiting.OFFERED,), WaitlistEvent.ACCEPT, Waiting.BOOKED),
        # Declining keeps one's place for the next freed seat.
        Move((Waiting.OFFERED,), WaitlistEvent.DECLINE, Waiting.WAITING),
        Move((Waiting.OFFERED,), WaitlistEvent.EXPIRE, Waiting.EXPIRED),
        # The offered seat's day is closed: the citizen keeps their place.
        Move((Waiting.OFFERED,), WaitlistEvent.WITHDRAW, Waiting.WAITING),
        Move((Waiting.WAITING, Waiting.OFFERED), WaitlistEvent.LEAVE, Waiting.LEFT),
    ),
    MoveRefused,
)
