"""Reminders before an appointment: one the day before, one on the morning of the day.

Each reminder is sent at most once. The claim is a conditional ``UPDATE ... SET reminded_*_at =
now WHERE reminded_*_at IS NULL``: whichever worker changes the row sends, any other finds no row
to change and moves on, so two runners at once never send twice. The mail itself is recorded and
sent after commit by the notify app, so a failed send is retried there, not here.

This module decides *when*; what the mail says is the shared appointment mail of
``services.appointment_email``. It does not remind of cancelled, served or missed appointments.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pandu.appointments import calendar
from pandu.appointments.models import Appointment
from pandu.appointments.services import appointment_email
from pandu.audit.services import audit_record

DAY_BEFORE = dt.timedelta(hours=24)
MORNING_AT = dt.time(7, 0)  # mission-local wall-clock time of the morning reminder


def morning_of(appointment: Appointment) -> dt.datetime:
    """07:00 on the appointment's day, in the mission's time zone, as a UTC instant."""
    session = appointment.slot.session
    return calendar.local_to_utc(session.date, MORNING_AT, session.mission.zone)


def _upcoming(now: dt.datetime):
    return Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + DAY_BEFORE,
    ).select_related("slot__session__mission", "service", "citizen__user", "mission")


def _claim(appointment: Appointment, field: str, now: dt.datetime) -> bool:
    return bool(
        Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED, **{f"{field}__isnull": True}
        ).update(**{field: now})
    )


def _remind(appointment: Appointment, kind: str, now: dt.datetime) -> bool:
    field = "reminded_morning_at" if kind == "morning" else "reminded_day_before_at"
    with transaction.atomic():
        if not _claim(appointment, field, now):
            return False
        if kind == "morning":
            # A day-before reminder that has not gone yet would now only repeat this one.
            _claim(appointment, "reminded_day_before_at", now)
        appointment_email(appointment, template="appointment_reminder", kind=kind)
        audit_record(
            event="appointment_reminded",
            obj=appointment,
            mission=appointment.mission,
            data={"kind": kind},
        )
    return True


def reminders_send_due(now: dt.datetime | None = None) -> int:
    """Send every reminder that is due at ``now``. Returns how many were sent.

    - The morning reminder: from 07:00 mission time on the appointment's day, until it starts.
    - The day-before reminder: from 24 hours before the start, unless the booking itself was made
      less than 24 hours before (its confirmation has just said it all) or the morning reminder
      is already due.
    """
    now = now or timezone.now()
    sent = 0
    for appointment in _upcoming(now).filter(reminded_morning_at__isnull=True):
        if now >= morning_of(appointment):
            sent += _remind(appointment, "morning", now)
    day_before = _upcoming(now).filter(
        reminded_day_before_at__isnull=True,
        reminded_morning_at__isnull=True,
        created_at__lte=F("slot__starts_at") - DAY_BEFORE,
    )
    for appointment in day_before:
        sent += _remind(appointment, "day_before", now)
    return sent
