"""A supervisor's changes to planned sessions: seats per slot, quotas, hours, Saturday rules' end.

Each function is one write in a transaction with its audit event, like ``services``, and refuses
(``PermissionDenied``) a ``by`` without the planning permission at the object's mission. Seats and
quota limits are changed by conditional updates (``... WHERE booked <= new capacity``), so a
booking made at the same moment can never leave a slot or a quota over its limit: either the
booking commits first and the change is refused, or the change commits first and the booking
finds the smaller limit. Hours change only while nobody has booked or asked for the session, since
changing them means cutting its slots again.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandu.appointments import calendar, services
from pandu.appointments.access import require_perms
from pandu.appointments.models import (
    ACTIVE,
    Appointment,
    Channel,
    DrawEntry,
    SaturdayRule,
    Session,
    SessionQuota,
    Slot,
    WaitlistEntry,
)
from pandu.appointments.rules import rules_for
from pandu.audit.services import audit_record
from pandu.catalog.models import Service
from pandu.core.errors import PanduError, ValidationFailed

MAX_SEATS = 500

SLOT = ("appointments.change_slot",)
QUOTA = ("appointments.add_sessionquota", "appointments.change_sessionquota")
SESSION = ("appointments.change_session",)
RULE = ("appointments.change_saturdayrule",)


@transaction.atomic
def slot_capacity_set(*, slot: Slot, capacity: int, by) -> Slot:
    """Set the seats of one slot. Never below the seats already booked."""
    if not isinstance(capacity, int) or not 0 <= capacity <= MAX_SEATS:
        raise PanduError(
            _("Kapasitas harus bilangan bulat dari 0 sampai %(max)d.") % {"max": MAX_SEATS},
            code="bad_capacity",
            field="capacity",
        )
    slot = Slot.objects.select_related("session__mission", "service").get(pk=slot.pk)
    require_perms(by, slot.session, *SLOT)
    share = rules_for(slot.service).priority_share_percent
    priority_seats = min(capacity, math.floor(capacity * share / 100))
    changed = Slot.objects.filter(pk=slot.pk, booked__lte=capacity).update(
        capacity=capacity, priority_seats=priority_seats
    )
    if not changed:
        booked = Slot.objects.values_list("booked", flat=True).get(pk=slot.pk)
        raise PanduError(
            _("Sudah %(booked)d kursi terpesan; kapasitas tidak boleh kurang dari itu.")
            % {"booked": booked},
            code="below_booked",
            field="capacity",
        )
    old = slot.capacity
    slot.refresh_from_db()
    audit_record(
        event="slot_capacity_set",
        actor=by,
        obj=slot,
        mission=slot.session.mission,
        data={"from": old, "to": capacity},
    )
    return slot


@transaction.atomic
def session_capacities_set(*, session: Session, capacities: dict[Slot, int], by) -> int:
    """Set the seats of several slots of ``session`` at once: all of them, or none.

    Each slot is changed as by ``slot_capacity_set`` (slots already at the asked capacity are
    left alone). When any slot is refused, nothing at all is changed and ``ValidationFailed``
    names every refused slot (``errors`` keyed by the slot's public id). Returns how many slots
    changed.
    """
    require_perms(by, session, *SLOT)
    errors: dict[str, list[str]] = {}
    changed = 0
    for slot, capacity in capacities.items():
        if slot.session_id != session.pk:
            raise PanduError(_("Slot tidak ditemukan."), code="bad_slot")
        if capacity == slot.capacity:
            continue
        try:
            slot_capacity_set(slot=slot, capacity=capacity, by=by)
        except PanduError as exc:
            errors[str(slot.public_id)] = [exc.message]
        else:
            changed += 1
    if errors:
        raise ValidationFailed(
            errors, _("Tidak ada kapasitas yang diubah. Perbaiki slot yang ditandai.")
        )
    return changed


def _quota_used(session: Session, service: Service | None, channel: str) -> int:
    """Active bookings in ``session`` that a quota for ``service``/``channel`` would count."""
    bookings = Appointment.objects.filter(slot__session=session, status__in=ACTIVE)
    if service is not None:
        bookings = bookings.filter(service=service)
    if channel:
        bookings = bookings.filter(channel=channel)
    return bookings.count()


@transaction.atomic
def session_quota_set(
    *, session: Session, service: Service | None, channel: str, limit: int, by
) -> SessionQuota:
    """Cap the bookings of a session for one service (or all) through one channel (or all).

    A new quota starts with the bookings the session already has; a limit below them is refused.
    """
    require_perms(by, session, *QUOTA)
    if channel not in ("", *Channel.values):
        raise PanduError(_("Saluran tidak dikenal."), code="bad_channel", field="channel")
    if service is not None and service.mission_id != session.mission_id:
        raise PanduError(_("Layanan tidak dikenal."), code="bad_service", field="service")
    if not isinstance(limit, int) or not 0 <= limit <= MAX_SEATS * 10:
        raise PanduError(_("Kuota harus bilangan bulat positif."), code="bad_quota", field="limit")
    # Lock the session's slots first: a booking in flight either finished before (and is
    # counted below) or waits for this commit (and then counts against the new quota).
    slots = Slot.objects.filter(session=session)
    if service is not None:
        slots = slots.filter(service=service)
    list(slots.select_for_update().values_list("pk", flat=True))
    quota = SessionQuota.objects.filter(session=session, service=service, channel=channel).first()
    if quota is None:
        used = _quota_used(session, service, channel)
        if used > limit:
            raise PanduError(
                _("Sudah %(used)d janji temu; kuota tidak boleh kurang dari itu.") % {"used": used},
                code="below_used",
                field="limit",
            )
        try:
            with transaction.atomic():
                quota = SessionQuota.objects.create(
                    session=session, service=service, channel=channel, limit=limit, used=used
                )
        except IntegrityError as exc:  # created at the same moment by someone else
            raise PanduError(_("Coba lagi."), code="retry") from exc
        old = None
    else:
        old = quota.limit
        if not SessionQuota.objects.filter(pk=quota.pk, used__lte=limit).update(limit=limit):
            quota.refresh_from_db()
            raise PanduError(
                _("Sudah %(used)d janji temu; kuota tidak boleh kurang dari itu.")
                % {"used": quota.used},
                code="below_used",
                field="limit",
            )
        quota.refresh_from_db()
    audit_record(
        event="session_quota_set",
        actor=by,
        obj=session,
        mission=session.mission,
        data={
            "service": service.code if service else None,
            "channel": channel,
            "from": old,
            "to": limit,
        },
    )
    return quota


def session_has_bookings(session: Session) -> bool:
    """Whether anyone has booked, asked in the draw or been offered a seat of ``session``."""
    return (
        Slot.objects.filter(session=session, booked__gt=0).exists()
        or Appointment.objects.filter(slot__session=session).exists()
        or DrawEntry.objects.filter(session=session).exists()
        or WaitlistEntry.objects.filter(offered_slot__session=session).exists()
    )


@transaction.atomic
def session_hours_set(
    *, session: Session, opens: dt.time, closes: dt.time, counters: int, by
) -> Session:
    """Change a session's hours and counters, and cut its slots again, while nothing is booked.

    An extra session keeps one slot per service with its seats; a weekday or Saturday session
    gets the slots its services' lengths give, with one seat per counter, as when it was planned.
    """
    require_perms(by, session, *SESSION)
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("mission").get(pk=session.pk)
    )
    if closes <= opens or not 1 <= counters <= 100:
        raise PanduError(
            _("Jam tutup harus sesudah jam buka, dengan minimal satu loket."),
            code="bad_hours",
            field="closes" if closes <= opens else "counters",
        )
    # Lock the slots so that no booking slips in between the check and the change.
    list(Slot.objects.filter(session=session).select_for_update().values_list("pk", flat=True))
    if session_has_bookings(session):
        raise PanduError(
            _("Jam sesi tidak dapat diubah karena sudah ada pemesanan."), code="has_bookings"
        )
    old = {
        "opens": session.opens.isoformat("minutes"),
        "closes": session.closes.isoformat("minutes"),
        "counters": session.counters,
    }
    session.opens, session.closes, session.counters = opens, closes, counters
    session.starts_at = calendar.local_to_utc(session.date, opens, session.mission.zone)
    session.ends_at = calendar.local_to_utc(session.date, closes, session.mission.zone)
    try:
        with transaction.atomic():
            session.save(update_fields=["opens", "closes", "counters", "starts_at", "ends_at"])
    except IntegrityError as exc:
        raise PanduError(
            _("Sudah ada sesi lain yang mulai pada jam itu."), code="session_exists", field="opens"
        ) from exc
    if session.kind == Session.Kind.EXTRA:
        Slot.objects.filter(session=session).update(
            starts_at=session.starts_at, ends_at=session.ends_at
        )
    else:
        Slot.objects.filter(session=session).delete()
        active = Service.objects.filter(mission=session.mission, is_active=True)
        services._slots_create(session, [(service, rules_for(service)) for service in active])
    audit_record(
        event="session_hours_set",
        actor=by,
        obj=session,
        mission=session.mission,
        data={
            "from": old,
            "to": {
                "opens": opens.isoformat("minutes"),
                "closes": closes.isoformat("minutes"),
                "counters": counters,
            },
        },
    )
    return session


@transaction.atomic
def saturday_rule_end(*, rule: SaturdayRule, valid_until: dt.date, by) -> SaturdayRule:
    """Stop a Saturday rule after ``valid_until``. Sessions already planned stay as they are."""
    rule = (
        SaturdayRule.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=rule.pk)
    )
    require_perms(by, rule, *RULE)
    if valid_until < rule.valid_from:
        raise PanduError(
            _("Tanggal akhir tidak boleh sebelum tanggal mulai berlaku."),
            code="bad_range",
            field="valid_until",
        )
    old = rule.valid_until
    rule.valid_until = valid_until
    rule.save(update_fields=["valid_until"])
    audit_record(
        event="saturday_rule_ended",
        actor=by,
        obj=rule,
        mission=rule.mission,
        data={"from": old.isoformat() if old else None, "to": valid_until.isoformat()},
    )
    return rule


@transaction.atomic
def saturday_rule_update(
    *,
    rule: SaturdayRule,
    weeks: list[int],
    opens: dt.time,
    closes: dt.time,
    counters: int,
    valid_from: dt.date,
    valid_until: dt.date | None,
    quotas: dict[str, int],
    by,
) -> SaturdayRule:
    """Change a Saturday rule. It applies to the sessions planned from now on; those already
    planned keep their hours, counters and quotas (change them one by one, or close the day)."""
    rule = (
        SaturdayRule.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=rule.pk)
    )
    require_perms(by, rule, *RULE)
    quotas = services.saturday_rule_check(
        mission=rule.mission,
        weeks=weeks,
        opens=opens,
        closes=closes,
        counters=counters,
        valid_from=valid_from,
        valid_until=valid_until,
        quotas=quotas,
    )
    old = {
        "weeks": rule.weeks,
        "opens": rule.opens.isoformat("minutes"),
        "closes": rule.closes.isoformat("minutes"),
        "counters": rule.counters,
        "quotas": rule.quotas,
    }
    rule.weeks = sorted(weeks)
    rule.opens, rule.closes, rule.counters = opens, closes, counters
    rule.valid_from, rule.valid_until = valid_from, valid_until
    rule.quotas = quotas
    rule.save()
    audit_record(
        event="saturday_rule_changed",
        actor=by,
        obj=rule,
        mission=rule.mission,
        data={"from": old, "weeks": rule.weeks, "counters": counters, "quotas": quotas},
    )
    return rule
