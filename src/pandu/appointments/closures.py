"""Closing a day (and opening a holiday) at a mission, and telling the citizens who had booked.

A closure is a ``CalendarOverride``: ``sessions_generate`` skips the date from then on, and the
sessions already planned for it are marked closed, so nobody books them. Each active appointment
of the day is cancelled with the reason ``closure``, its seat is given back, and its citizen gets an
e-mail in their language with the reason and the nearest free times of the same service. Seats of
a closed day are not offered to the waitlist: nobody can use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.appointments import selectors, services
from pandu.appointments.access import require_perms
from pandu.appointments.draw import draw_entries_close
from pandu.appointments.models import (
    ACTIVE,
    Appointment,
    CalendarOverride,
    CancelReason,
    Session,
)
from pandu.appointments.rules import rules_for
from pandu.appointments.transitions import APPOINTMENT, Event
from pandu.appointments.waitlist import waitlist_withdraw_offers
from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.models import Mission
from pandu.notify.services import email_send

OFFERS = 3
REASON_MAX = 200


@dataclass(frozen=True)
class ClosureImpact:
    sessions: int
    appointments: int


@dataclass(frozen=True)
class ClosureSummary:
    cancelled: int
    mails: int


@dataclass(frozen=True)
class OpeningSummary:
    sessions_created: int
    sessions_reopened: int


def day_close_impact(mission: Mission, date: dt.date) -> ClosureImpact:
    """What closing ``date`` would touch: its open sessions and active appointments."""
    return ClosureImpact(
        sessions=Session.objects.filter(mission=mission, date=date, is_closed=False).count(),
        appointments=Appointment.objects.filter(
            mission=mission, slot__session__date=date, status__in=ACTIVE
        ).count(),
    )


def _clean_reasons(reason_id: str, reason_en: str) -> tuple[str, str]:
    reasons = []
    for field, value in (("reason_id", reason_id), ("reason_en", reason_en)):
        value = " ".join(str(value or "").split())
        if not value:
            raise PanduError(
                _("Tuliskan alasannya dalam kedua bahasa."), code="reason_required", field=field
            )
        if len(value) > REASON_MAX:
            raise PanduError(
                _("Alasan paling panjang %(max)d huruf.") % {"max": REASON_MAX},
                code="reason_too_long",
                field=field,
            )
        reasons.append(value)
    return reasons[0], reasons[1]


def _check_not_past(mission: Mission, date: dt.date, now: dt.datetime) -> None:
    if not isinstance(date, dt.date):
        raise PanduError(_("Isi tanggal yang benar."), code="bad_date", field="date")
    if date < clock.today(mission, now):
        raise PanduError(
            _("Tanggal yang sudah lewat tidak dapat diubah."), code="date_past", field="date"
        )


def _override_set(
    mission: Mission, date: dt.date, *, is_open: bool, reason_id: str, reason_en: str
) -> tuple[CalendarOverride, bool | None]:
    """Record the override; returns it and its previous ``is_open`` (None when it is new)."""
    override = (
        CalendarOverride.objects.select_for_update().filter(mission=mission, date=date).first()
    )
    previous = None if override is None else override.is_open
    if override is None:
        override = CalendarOverride(mission=mission, date=date)
    override.is_open = is_open
    override.reason_id = reason_id
    override.reason_en = reason_en
    override.save()
    return override, previous


def _offers(appointment: Appointment, now: dt.datetime) -> list:
    """The nearest free slots of the same service, as the citizen would see them."""
    mission = appointment.mission
    today = clock.today(mission, now)
    horizon = min(rules_for(appointment.service).horizon_days, 92)
    free = selectors.free_slots_for(
        service=appointment.service,
        start=today,
        end=today + dt.timedelta(days=horizon),
        channel=None,
        citizen=appointment.citizen,
        now=now,
    )
    return [slot for slot, _seats in free[:OFFERS]]


def _notify_closure(appointment: Appointment, override: CalendarOverride, now: dt.datetime) -> None:
    user = appointment.citizen.user
    language = user.preferred_language
    mission = appointment.mission
    with translation.override(language):
        book = settings.SITE_URL + reverse(
            "appointments:book",
            kwargs={"mission": mission.slug, "code": appointment.service.code},
        )
        reason = override.tr("reason")
    offers = [
        {
            "start": slot.starts_at,
            "link": f"{book}?channel={slot.session.channel}&date={slot.session.date.isoformat()}",
        }
        for slot in _offers(appointment, now)
    ]
    with timezone.override(mission.zone):
        email_send(
            to=user.email,
            template="day_closed",
            language=language,
            context={
                "appointment": appointment,
                "start": appointment.slot.starts_at,
                "reason": reason,
                "offers": offers,
                "book_link": book,
            },
        )


@transaction.atomic
def day_close(
    *,
    mission: Mission,
    date: dt.date,
    reason_id: str,
    reason_en: str,
    by,
    now: dt.datetime | None = None,
) -> ClosureSummary:
    """Close the mission on ``date``: no sessions, every booking cancelled and its citizen told.

    Stops with ``PanduError`` (nothing changed) for a date in the past or a missing reason.
    Closing a day that is already closed updates its reason and cancels what is still active.
    """
    require_perms(
        by,
        mission,
        "appointments.add_calendaroverride",
        "appointments.change_calendaroverride",
        "appointments.change_session",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    now = now or timezone.now()
    _check_not_past(mission, date, now)
    reason_id, reason_en = _clean_reasons(reason_id, reason_en)
    override, previous = _override_set(
        mission, date, is_open=False, reason_id=reason_id, reason_en=reason_en
    )
    sessions = Session.objects.filter(mission=mission, date=date).update(is_closed=True)
    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(
            mission=mission,
            slot__session__date=date,
            status__in=APPOINTMENT.sources(Event.CLOSE_DAY),
        )
        .select_related("slot__session", "service", "citizen__user", "mission")
        .order_by("slot__starts_at", "reference")
    )
    for appointment in appointments:
        appointment.status = APPOINTMENT.move(appointment.status, Event.CLOSE_DAY)
        appointment.cancel_reason = CancelReason.CLOSURE
        appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
        services.citizen_bookings_changed(appointment.citizen_id)
        services.release_seat(appointment.slot, appointment.channel)
        audit_record(
            event="appointment_cancelled",
            actor=by,
            obj=appointment,
            mission=mission,
            data={"reason": CancelReason.CLOSURE.value, "date": date.isoformat()},
        )
    # Seats held for the waitlist on that day are given back (each citizen keeps their place),
    # and pending draws of its sessions end: nobody wins a closed day.
    withdrawn = waitlist_withdraw_offers(mission=mission, date=date, by=by, now=now)
    draws_closed = draw_entries_close(
        sessions=Session.objects.filter(mission=mission, date=date).select_related("mission"),
        now=now,
        by=by,
    )
    # Offers are read after every seat of the day is given back and its sessions are closed, so
    # none of them points to the closed day.
    mails = 0
    for appointment in appointments:
        if appointment.citizen.user.email:
            _notify_closure(appointment, override, now)
            mails += 1
    audit_record(
        event="day_closed",
        actor=by,
        obj=mission,
        mission=mission,
        data={
            "date": date.isoformat(),
            "reason": reason_id,
            "was_open": previous,
            "sessions": sessions,
            "cancelled": len(appointments),
            "waitlist_offers_withdrawn": withdrawn,
            "draw_entries_closed": draws_closed,
        },
    )
    return ClosureSummary(cancelled=len(appointments), mails=mails)


@transaction.atomic
def day_open(
    *,
    mission: Mission,
    date: dt.date,
    reason_id: str,
    reason_en: str,
    by,
    now: dt.datetime | None = None,
) -> OpeningSummary:
    """Open the mission on ``date`` although it is a holiday (or was closed), with its sessions.

    Sessions closed earlier on that date open again; missing ones are planned from the opening
    hours and Saturday rules. A date with neither gets no session (plan an extra one).
    """
    require_perms(
        by,
        mission,
        "appointments.add_calendaroverride",
        "appointments.change_calendaroverride",
        "appointments.add_session",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    now = now or timezone.now()
    _check_not_past(mission, date, now)
    reason_id, reason_en = _clean_reasons(reason_id, reason_en)
    _override, previous = _override_set(
        mission, date, is_open=True, reason_id=reason_id, reason_en=reason_en
    )
    reopened = Session.objects.filter(mission=mission, date=date, is_closed=True).update(
        is_closed=False
    )
    created = services.sessions_generate(mission=mission, start=date, end=date, by=by)
    audit_record(
        event="day_opened",
        actor=by,
        obj=mission,
        mission=mission,
        data={
            "date": date.isoformat(),
            "reason": reason_id,
            "was_open": previous,
            "sessions_created": created,
            "sessions_reopened": reopened,
        },
    )
    return OpeningSummary(sessions_created=created, sessions_reopened=reopened)
