"""Writes on the calendar and on appointments.

The last seat is decided by the database: a conditional ``UPDATE ... SET booked = booked + 1
WHERE booked < capacity - held`` either changes one row or none, and partial unique indexes refuse a
second active booking of one service by the same citizen or the same identity document. Nothing is
checked first and inserted later, and nothing is locked in a process's memory, so any number of web
processes can book at once. On SQLite write transactions start IMMEDIATE (see settings), which
serialises writers; on PostgreSQL the row-level lock of the UPDATE does.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.appointments import calendar, documents, tasks, waitlist
from pandu.appointments.access import (
    ADD_APPOINTMENT,
    CHANGE_APPOINTMENT,
    require_any_perm,
    require_owner_or_staff,
    require_perms,
)
from pandu.appointments.booking import (
    BookingFacts,
    already_booked,
    already_booked_error,
    booking_check,
    booking_facts,
    check_daily_limit,
    check_release,
    check_window,
    held_seats,
    identity_key,
    no_show_pause,
)
from pandu.appointments.errors import BookingRefused, SlotFull
from pandu.appointments.models import (
    Appointment,
    CancelReason,
    Channel,
    SaturdayRule,
    Session,
    SessionQuota,
    Slot,
    identity_key_from,
)
from pandu.appointments.rules import Rules, rules_for, rules_for_services
from pandu.appointments.selectors import closed_days
from pandu.appointments.transitions import APPOINTMENT
from pandu.appointments.transitions import Event as AppointmentEvent
from pandu.audit.services import audit_record
from pandu.catalog.models import Service
from pandu.core import clock, events
from pandu.core.errors import PanduError
from pandu.core.models import Mission, OpeningHours
from pandu.notify.services import email_send
from pandu.notify.services import holding as notify_holding
from pandu.people.models import CitizenProfile, User

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out


def reference_new(prefix: str) -> str:
    """``TOR-7KQ2-9XHD``: 40 random bits, not derived from anything guessable."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def identity_document(key: str, citizen: CitizenProfile) -> dict[str, str]:
    """What a booking's identity key stands for, told to the citizen or an officer: the kind of
    document and, when it is still the citizen's current one, its number."""
    if key.startswith("P:"):
        kind, number, of = (
            "passport",
            citizen.passport_number,
            {"passport_number": citizen.passport_number, "nik": ""},
        )
    else:
        kind, number, of = "nik", citizen.nik, {"passport_number": "", "nik": citizen.nik}
    current = bool(number) and identity_key_from(**of) == key
    return {"kind": kind, "number": number if current else ""}


# --- calendar -------------------------------------------------------------------------------


def _priority_seats(capacity: int, rules: Rules) -> int:
    return min(capacity, math.floor(capacity * rules.priority_share_percent / 100))


@transaction.atomic
def sessions_generate(*, mission: Mission, start: dt.date, end: dt.date, by=None) -> int:
    """Create the weekday and Saturday sessions (with their slots) from ``start`` to ``end``.

    Days closed by a public holiday or a closure are skipped, unless the mission opened them.
    Sessions that already exist are left as they are, so running it again creates nothing.
    Returns the number of sessions created.
    """
    # Supervisors plan sessions; a system administrator does it from the mission's admin page.
    require_any_perm(
        by,
        mission,
        "appointments.add_session",
        "core.change_mission",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    if end < start:
        raise PanduError(_("Tanggal akhir tidak boleh sebelum tanggal awal."), code="bad_range")
    if (end - start).days > 400:
        raise PanduError(_("Paling banyak 400 hari sekaligus."), code="bad_range")
    closed = closed_days(mission, start, end)
    planned: list[tuple[dt.date, str, dt.time, dt.time, int, dict]] = []
    hours = list(OpeningHours.objects.filter(mission=mission, weekday__lt=5))
    day = start
    while day <= end:
        if day not in closed:
            for h in hours:
                if h.weekday == day.weekday():
                    planned.append((day, Session.Kind.WEEKDAY, h.opens, h.closes, h.counters, {}))
        day += dt.timedelta(days=1)
    for rule in SaturdayRule.objects.filter(mission=mission):
        first = max(start, rule.valid_from)
        last = min(end, rule.valid_until) if rule.valid_until else end
        for saturday in calendar.saturdays(first, last, rule.weeks):
            if saturday not in closed:
                planned.append(
                    (
                        saturday,
                        Session.Kind.SATURDAY,
                        rule.opens,
                        rule.closes,
                        rule.counters,
                        rule.quotas or {},
                    )
                )

    existing = set(
        Session.objects.filter(mission=mission, date__range=(start, end)).values_list(
            "date", "kind", "opens"
        )
    )
    active = list(Service.objects.filter(mission=mission, is_active=True))
    services = list(zip(active, rules_for_services(active), strict=True))
    by_code = {service.code: service for service, _rules in services}
    # The sessions in one INSERT, their slots in one more, their quotas in a third.
    new: list[tuple[Session, dict]] = []
    for day, kind, opens, closes, counters, quotas in sorted(planned, key=lambda p: p[:3]):
        if (day, kind, opens) in existing:
            continue
        session = Session(
            mission=mission,
            kind=kind,
            date=day,
            opens=opens,
            closes=closes,
            starts_at=calendar.local_to_utc(day, opens, mission.zone),
            ends_at=calendar.local_to_utc(day, closes, mission.zone),
            counters=counters,
        )
        new.append((session, quotas))
    Session.objects.bulk_create([session for session, _quotas in new])
    _sessions_slots_create([session for session, _quotas in new], services)
    SessionQuota.objects.bulk_create(
        SessionQuota(session=session, service=by_code[code], limit=limit)
        for session, quotas in new
        for code, limit in quotas.items()
        if code in by_code
    )
    created = len(new)
    if created:
        audit_record(
            event="sessions_generated",
            actor=by,
            obj=mission,
            mission=mission,
            data={"from": start.isoformat(), "to": end.isoformat(), "sessions": created},
        )
    return created


def saturday_rule_check(
    *,
    mission: Mission,
    weeks: list[int],
    opens: dt.time,
    closes: dt.time,
    counters: int,
    valid_from: dt.date,
    valid_until: dt.date | None,
    quotas: dict[str, int] | None,
) -> dict[str, int]:
    """Refuse a Saturday rule's values that make no sense; returns its quotas."""
    if not weeks or any(w not in (1, 2, 3, 4, 5, -1) for w in weeks):
        raise PanduError(
            _("Minggu ke- harus 1 sampai 5, atau -1 untuk Sabtu terakhir."), code="bad_weeks"
        )
    if closes <= opens or counters < 1:
        raise PanduError(
            _("Jam tutup harus sesudah jam buka, dengan minimal satu loket."), code="bad_hours"
        )
    if valid_until is not None and valid_until < valid_from:
        raise PanduError(
            _("Tanggal akhir tidak boleh sebelum tanggal mulai berlaku."),
            code="bad_range",
            field="valid_until",
        )
    quotas = quotas or {}
    known = set(Service.objects.filter(mission=mission).values_list("code", flat=True))
    for code, limit in quotas.items():
        if code not in known or not isinstance(limit, int) or limit < 0:
            raise PanduError(
                _("Kuota untuk %(code)s tidak dikenal atau bukan bilangan bulat positif.")
                % {"code": code},
                code="bad_quota",
            )
    return quotas


@transaction.atomic
def saturday_rule_create(
    *,
    mission: Mission,
    weeks: list[int],
    opens: dt.time,
    closes: dt.time,
    counters: int,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    quotas: dict[str, int] | None = None,
    by=None,
) -> SaturdayRule:
    """A recurring Saturday session: the listed weeks of each month (1-5, -1 for the last).

    ``quotas`` caps the bookings per service code in each of its sessions.
    """
    require_perms(
        by,
        mission,
        "appointments.add_saturdayrule",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    quotas = saturday_rule_check(
        mission=mission,
        weeks=weeks,
        opens=opens,
        closes=closes,
        counters=counters,
        valid_from=valid_from,
        valid_until=valid_until,
        quotas=quotas,
    )
    rule = SaturdayRule.objects.create(
        mission=mission,
        quotas=quotas,
        weeks=sorted(weeks),
        opens=opens,
        closes=closes,
        counters=counters,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    audit_record(
        event="saturday_rule_created",
        actor=by,
        obj=rule,
        mission=mission,
        data={"weeks": rule.weeks},
    )
    return rule


@transaction.atomic
def extra_session_create(
    *,
    mission: Mission,
    day: dt.date,
    opens: dt.time,
    closes: dt.time,
    counters: int,
    location_name: str = "",
    address: str = "",
    slots: Sequence[tuple[Service, int]] = (),
    by=None,
) -> Session:
    """A one-off session (an outreach day, a rush test) with one slot of given seats per service.

    ``address`` is where it takes place when that is not the mission's own office.
    """
    require_perms(
        by,
        mission,
        "appointments.add_session",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    if closes <= opens or counters < 1:
        raise PanduError(
            _("Jam tutup harus sesudah jam buka, dengan minimal satu loket."), code="bad_hours"
        )
    if any(seats < 1 or service.mission_id != mission.pk for service, seats in slots):
        raise PanduError(_("Setiap layanan perlu minimal satu kursi."), code="bad_seats")
    if Session.objects.filter(
        mission=mission, kind=Session.Kind.EXTRA, date=day, opens=opens
    ).exists():
        raise PanduError(
            _("Sudah ada sesi tambahan yang mulai pada jam itu."), code="session_exists"
        )
    session = Session.objects.create(
        mission=mission,
        kind=Session.Kind.EXTRA,
        date=day,
        opens=opens,
        closes=closes,
        starts_at=calendar.local_to_utc(day, opens, mission.zone),
        ends_at=calendar.local_to_utc(day, closes, mission.zone),
        counters=counters,
        location_name=location_name,
        address=address,
    )
    for service, seats in slots:
        Slot.objects.create(
            session=session,
            service=service,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=seats,
        )
    audit_record(
        event="extra_session_created",
        actor=by,
        obj=session,
        mission=mission,
        data={"date": day.isoformat(), "slots": {s.code: seats for s, seats in slots}},
    )
    return session


def _slots_create(session: Session, services: list[tuple[Service, Rules]]) -> None:
    """Insert the session's slots (see ``_sessions_slots_create``)."""
    _sessions_slots_create([session], services)


def _sessions_slots_create(sessions: list[Session], services: list[tuple[Service, Rules]]) -> None:
    """Insert the sessions' slots: for each service of a session's channel, one every counter
    time; the slots of all the sessions at once.

    The rows go in without a model instance each rather than through ``bulk_create``: a season
    holds tens of thousands of slots, and building and preparing a model instance per row took
    most of the planning time (about 5 times the insert itself on SQLite). SQLite takes them as
    one prepared ``INSERT`` run for all rows (``executemany``); PostgreSQL as one ``COPY``, which
    sends the rows in a single stream instead of a statement per row (a two-month calendar went
    from about 3 s to well under one on the reference machine). Values are adapted the way the
    ORM adapts them (UUIDs and datetimes per backend).
    """
    rows = []
    for session in sessions:
        channel = session.channel
        for service, rules in services:
            if channel not in (service.channels or []):
                continue
            seats = _priority_seats(session.counters, rules)
            for times in calendar.cut_slots(
                session.date,
                session.opens,
                session.closes,
                service.counter_minutes,
                session.mission.zone,
            ):
                rows.append(
                    (
                        uuid.uuid4(),
                        session.pk,
                        session.counters,
                        service.pk,
                        times.starts_at,
                        times.ends_at,
                        seats,
                    )
                )
    if not rows:
        return
    ops = connection.ops
    uuid_value = (lambda u: u) if connection.features.has_native_uuid_field else (lambda u: u.hex)
    meta = Slot._meta
    columns = ", ".join(
        # Concrete fields named here: each has a column (the stubs allow a reverse relation).
        ops.quote_name(meta.get_field(name).column)  # type: ignore[union-attr, arg-type]
        for name in (
            "public_id",
            "session",
            "service",
            "starts_at",
            "ends_at",
            "capacity",
            "priority_seats",
            "booked",
        )
    )
    table = ops.quote_name(meta.db_table)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 (names from the model)
            ) as copy,
        ):
            for public_id, session_id, counters, service_id, starts_at, ends_at, seats in rows:
                copy.write_row(
                    (public_id, session_id, service_id, starts_at, ends_at, counters, seats, 0)
                )
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s, 0)",
            [
                (
                    uuid_value(public_id),
                    session_id,
                    service_id,
                    ops.adapt_datetimefield_value(starts_at),
                    ops.adapt_datetimefield_value(ends_at),
                    counters,
                    seats,
                )
                for public_id, session_id, counters, service_id, starts_at, ends_at, seats in rows
            ],
        )


# --- booking --------------------------------------------------------------------------------


def _quotas(slot: Slot, channel: str):
    """The session's quotas that a booking of ``slot`` through ``channel`` counts against."""
    return SessionQuota.objects.filter(
        Q(service_id=slot.service_id) | Q(service__isnull=True),
        Q(channel=channel) | Q(channel=""),
        session_id=slot.session_id,
    )


def take_seat(
    slot: Slot,
    *,
    priority: bool,
    rules: Rules,
    now: dt.datetime,
    channel: str = Channel.ONLINE,
    quotas: bool = True,
) -> None:
    """Take one seat of ``slot`` and one place of each quota it counts against, or none at all.

    Each step is a conditional UPDATE; when one changes no row, ``SlotFull`` rolls the whole
    transaction back (callers run inside ``transaction.atomic``). ``quotas=False`` says the
    caller already knows the session has no quota for this booking.
    """
    held = held_seats(slot, priority, rules, now)
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity") - held).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise SlotFull(_("Maaf, kursi pada waktu ini sudah habis. Pilih waktu lain."))
    if not quotas:
        return
    for quota_id in _quotas(slot, channel).values_list("pk", flat=True):
        if not SessionQuota.objects.filter(pk=quota_id, used__lt=F("limit")).update(
            used=F("used") + 1
        ):
            raise SlotFull(
                _("Maaf, kuota layanan ini untuk sesi tersebut sudah habis. Pilih sesi lain.")
            )


def release_seat(slot: Slot, channel: str = Channel.ONLINE) -> None:
    """Give back a seat (and its quota places) taken by ``take_seat``."""
    Slot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
    _quotas(slot, channel).filter(used__gt=0).update(used=F("used") - 1)


class _InsertRefused(Exception):
    """A unique index refused the appointment and took the transaction with it."""


def appointment_book(
    *,
    citizen: CitizenProfile,
    slot: Slot,
    service: Service,
    now: dt.datetime | None = None,
    channel: str = Channel.ONLINE,
    by=None,
    seat_taken: bool = False,
    facts: BookingFacts | None = None,
) -> Appointment:
    """Book one seat of ``slot`` for ``citizen``.

    Stops with ``SlotFull`` when no seat is left, ``AlreadyBooked`` when the citizen (or their
    identity document) already holds an active booking for the service, and ``BookingRefused``
    when a rule of the mission says no. Nothing is written then.

    ``channel`` is ``staff`` when an officer books for the citizen (``by``); the no-show pause
    applies to online booking only. ``seat_taken`` is for a seat already held for this citizen
    (a waitlist offer or a won draw), so no second seat is taken.

    The rules are checked on one read before anything is written, so a refusal costs one query
    and takes no lock. The transaction then raises the citizen's ``booking_version`` only if it
    is still what was read (so another booking, cancellation or no-show of the same person in
    between makes this one read and check again under that row's lock), inserts the
    appointment, takes the seat with a conditional UPDATE (the slot's row is locked from there
    to the commit), and appends the audit event. The confirmation is composed and queued by a
    task after the commit. ``facts`` may come from a caller that read them already, for this
    citizen, slot, channel and moment.
    """
    now = now or timezone.now()
    rules = rules_for(service)
    if facts is None:
        facts = booking_facts(
            citizen_id=citizen.pk, rules=rules, now=now, channel=channel, slot_id=slot.pk
        )
    assert facts is not None  # found by the id of the slot given
    if by is not None and (channel == Channel.STAFF or by.pk != citizen.user_id):
        # Booking for someone else (or on the staff channel) is an officer's work.
        require_perms(
            by,
            facts.slot.session,
            ADD_APPOINTMENT,
            message=_("Anda tidak berwenang memesan janji temu untuk orang lain di sini."),
        )
    check: dict[str, Any] = {"citizen": citizen, "service": service, "rules": rules, "now": now}
    check.update(channel=channel, seat_taken=seat_taken)
    priority = booking_check(facts=facts, **check)
    # Inside a caller's transaction a refused insert must not take that transaction with it.
    nested = connection.in_atomic_block
    for _attempt in range(5):
        assert facts is not None  # (for mypy: a retry after _InsertRefused comes back here)
        try:
            with transaction.atomic():
                if not CitizenProfile.objects.filter(
                    pk=citizen.pk, booking_version=facts.booking_version
                ).update(booking_version=F("booking_version") + 1):
                    # Changed since the read: lock the row, read and check again.
                    CitizenProfile.objects.filter(pk=citizen.pk).update(
                        booking_version=F("booking_version") + 1
                    )
                    facts = booking_facts(
                        citizen_id=citizen.pk,
                        rules=rules,
                        now=now,
                        channel=channel,
                        slot_id=slot.pk,
                    )
                    assert facts is not None  # found by the id of the slot given
                    priority = booking_check(facts=facts, **check)
                appointment = _appointment_insert(
                    nested=nested,
                    reference=reference_new(facts.slot.session.mission.reference_prefix),
                    mission=facts.slot.session.mission,
                    slot=facts.slot,
                    service=service,
                    citizen=citizen,
                    identity_key=identity_key(citizen),
                    priority=priority,
                    channel=channel,
                )
                if appointment is None:
                    continue  # the random reference was taken: draw another
                if not seat_taken:
                    take_seat(
                        facts.slot,
                        priority=priority,
                        rules=rules,
                        now=now,
                        channel=channel,
                        quotas=facts.has_quotas,
                    )
                audit_record(
                    event="appointment_booked",
                    actor=by or citizen.user,
                    obj=appointment,
                    mission=appointment.mission,
                    data={
                        "service": service.code,
                        "slot": str(facts.slot.public_id),
                        "priority": priority,
                        "channel": channel,
                    },
                )
                _send_confirmation(appointment, booked_by=by or citizen.user, now=now)
                return appointment
        except _InsertRefused:
            if already_booked(citizen, service):
                raise already_booked_error() from None
    raise PanduError(_("Coba lagi."), code="retry")  # pragma: no cover - 40 random bits x5


def _appointment_insert(*, nested: bool, **fields) -> Appointment | None:
    """INSERT one appointment; None when only its random reference collided.

    ``AlreadyBooked`` when a partial unique index says the citizen or their document holds an
    active booking of the service. Outside a caller's transaction no savepoint is spent: the
    refusal ends the transaction (``_InsertRefused``) and ``appointment_book`` decides there.
    """
    try:
        with transaction.atomic(savepoint=nested):
            return Appointment.objects.create(**fields)
    except IntegrityError as exc:
        if not nested:
            raise _InsertRefused from exc
        if already_booked(fields["citizen"], fields["service"]):
            raise already_booked_error() from exc
        return None


def citizen_bookings_changed(citizen_id: int) -> None:
    """Raise the citizen's ``booking_version``: their appointments changed (see
    ``appointment_book``), and the row stays locked to this transaction's end."""
    CitizenProfile.objects.filter(pk=citizen_id).update(booking_version=F("booking_version") + 1)


MANAGE_SALT = "pandu.appointments.manage"
MANAGE_MAX_AGE = 120 * 24 * 3600


def manage_token(appointment: Appointment) -> str:
    """A signed token for the e-mail's link: it opens this one appointment without signing in."""
    return signing.dumps({"a": str(appointment.public_id)}, salt=MANAGE_SALT)


def manage_link(appointment: Appointment, language: str) -> str:
    """The full address of the page that manages ``appointment`` without signing in."""
    with translation.override(language):
        return settings.SITE_URL + reverse(
            "appointments:manage", kwargs={"token": manage_token(appointment)}
        )


def appointment_email(appointment: Appointment, *, template: str, **context) -> None:
    """Mail about ``appointment`` to its citizen, in their language and the mission's wall-clock
    time, with the calendar file, the QR code and a link that manages it without signing in.

    The template gets ``appointment``, ``start``, ``place``, ``documents`` and ``link``, plus
    ``context``. Confirmations and reminders share it, so they always say the same.
    """
    if notify_holding():  # no calendar file or QR code to build for a held-back mail
        return
    user = appointment.citizen.user
    language = user.preferred_language
    with timezone.override(appointment.mission.zone):
        email_send(
            to=user.email,
            template=template,
            language=language,
            mission=appointment.mission,
            context={
                "appointment": appointment,
                "start": appointment.slot.starts_at,
                "place": documents.place(appointment),
                "documents": list(appointment.service.requirements.filter(kind="document")),
                "link": manage_link(appointment, language),
                **context,
            },
            attachments=[
                (
                    f"{appointment.reference}.ics",
                    documents.ics(appointment, language),
                    "text/calendar",
                ),
                (f"{appointment.reference}-qr.png", documents.qr_png(appointment), "image/png"),
            ],
        )


def _send_confirmation(
    appointment: Appointment, *, booked_by=None, now: dt.datetime | None = None
) -> None:
    """Have the confirmation composed and queued once this transaction commits.

    For a new booking (``booked_by``: who booked) the same task then emits
    ``appointment_booked`` (:mod:`pandu.core.events`), so the booking request spends no statement
    on the apps that react to it. With notifications held back there is no task: the event is
    emitted here, for after the commit.
    """
    if notify_holding():
        if booked_by is not None:
            events.emit(events.appointment_booked, appointment=appointment, by=booked_by, now=now)
        return
    kwargs: dict[str, Any] = {"appointment_id": appointment.pk, "template": "appointment_booked"}
    if booked_by is not None:
        kwargs["booked_by"] = booked_by.pk
    transaction.on_commit(lambda: tasks.appointment_mail.enqueue(**kwargs))


def appointment_mail_now(
    *, appointment_id: int, template: str, booked_by: int | None = None
) -> bool:
    """Compose and queue the mail ``template`` about one appointment; False when it is gone.

    With ``booked_by`` (the id of who booked it) the appointment is new: ``appointment_booked``
    is emitted after the mail is queued.
    """
    appointment = (
        Appointment.objects.select_related("slot", "service", "mission", "citizen__user")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return False
    with transaction.atomic():
        appointment_email(appointment, template=template)
    if booked_by is not None:
        events.emit(
            events.appointment_booked,
            appointment=appointment,
            by=User.objects.filter(pk=booked_by).first(),
            now=appointment.created_at,
        )
    return True


def _check_change_allowed(
    appointment: Appointment, rules: Rules, now: dt.datetime, event: str
) -> None:
    if appointment.status not in APPOINTMENT.sources(event):
        raise BookingRefused(_("Janji temu ini tidak dapat diubah lagi."), code="not_changeable")
    if appointment.slot.starts_at < now + dt.timedelta(hours=rules.change_deadline_hours):
        raise BookingRefused(
            _("Perubahan hanya bisa sampai %(hours)d jam sebelum janji temu. Hubungi perwakilan.")
            % {"hours": rules.change_deadline_hours},
            code="change_deadline",
        )


def _offer_to_waitlist(slot: Slot, now: dt.datetime) -> None:
    """Hold a seat just given back for the next person on the service's waitlist, if any."""

    waitlist.waitlist_offer_freed_seat(slot, now)


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by, now: dt.datetime | None = None
) -> Appointment:
    """Cancel and give the seat back."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "service")
        .get(pk=appointment.pk)
    )
    require_owner_or_staff(by, appointment, citizen_user_id=appointment.citizen.user_id)
    _check_change_allowed(appointment, rules_for(appointment.service), now, AppointmentEvent.CANCEL)
    appointment.status = APPOINTMENT.move(appointment.status, AppointmentEvent.CANCEL)
    appointment.cancel_reason = (
        CancelReason.CITIZEN
        if getattr(by, "pk", None) == appointment.citizen.user_id
        else CancelReason.STAFF
    )
    appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
    citizen_bookings_changed(appointment.citizen_id)
    release_seat(appointment.slot, appointment.channel)
    audit_record(
        event="appointment_cancelled", actor=by, obj=appointment, mission=appointment.mission
    )
    _offer_to_waitlist(appointment.slot, now)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, to_slot: Slot, by, now: dt.datetime | None = None
) -> Appointment:
    """Move to another slot of the same service: the new seat is taken before the old is freed."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "service", "citizen")
        .get(pk=appointment.pk)
    )
    require_owner_or_staff(by, appointment, citizen_user_id=appointment.citizen.user_id)
    rules = rules_for(appointment.service)
    _check_change_allowed(appointment, rules, now, AppointmentEvent.RESCHEDULE)
    if appointment.reschedules >= rules.max_reschedules:
        raise BookingRefused(
            _("Janji temu ini sudah %(count)d kali dijadwal ulang. Batalkan lalu pesan yang baru.")
            % {"count": appointment.reschedules},
            code="reschedule_limit",
        )
    to_slot = Slot.objects.select_related("session").get(pk=to_slot.pk)
    if to_slot.service_id != appointment.service_id or to_slot.pk == appointment.slot_id:
        raise BookingRefused(_("Pilih waktu lain untuk layanan yang sama."), code="wrong_slot")
    check_window(to_slot, rules, now)
    check_release(to_slot, now)
    check_daily_limit(appointment.citizen, to_slot, rules, exclude=appointment)
    take_seat(
        to_slot, priority=appointment.priority, rules=rules, now=now, channel=appointment.channel
    )
    old_slot = appointment.slot
    appointment.slot = to_slot
    appointment.reschedules += 1
    # The new time gets its own reminders.
    appointment.reminded_day_before_at = appointment.reminded_morning_at = None
    appointment.save(
        update_fields=[
            "slot",
            "reschedules",
            "reminded_day_before_at",
            "reminded_morning_at",
            "updated_at",
        ]
    )
    citizen_bookings_changed(appointment.citizen_id)
    release_seat(old_slot, appointment.channel)
    audit_record(
        event="appointment_rescheduled",
        actor=by,
        obj=appointment,
        mission=appointment.mission,
        data={"to_slot": str(to_slot.public_id), "reschedules": appointment.reschedules},
    )
    _offer_to_waitlist(old_slot, now)
    _send_confirmation(appointment)
    return appointment


@transaction.atomic
def appointment_mark_no_show(
    *, appointment: Appointment, by, now: dt.datetime | None = None
) -> Appointment:
    """An officer records that the citizen did not come. Only once the appointment's time has begun."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot")
        .get(pk=appointment.pk)
    )
    require_perms(
        by,
        appointment,
        CHANGE_APPOINTMENT,
        message=_("Anda tidak berwenang mengubah janji temu perwakilan ini."),
    )
    if appointment.status not in APPOINTMENT.sources(AppointmentEvent.NO_SHOW):
        raise BookingRefused(
            _("Hanya janji temu yang masih terpesan dapat ditandai tidak datang."),
            code="not_booked",
        )
    if now < appointment.slot.starts_at:
        raise BookingRefused(_("Waktu janji temu ini belum tiba."), code="too_early")
    appointment.status = APPOINTMENT.move(appointment.status, AppointmentEvent.NO_SHOW)
    appointment.save(update_fields=["status", "updated_at"])
    citizen_bookings_changed(appointment.citizen_id)
    audit_record(
        event="appointment_no_show", actor=by, obj=appointment, mission=appointment.mission
    )
    rules = rules_for(appointment.service)
    pause = no_show_pause(appointment.citizen, rules, now)
    if pause is not None:
        _send_no_show_pause(appointment, missed=pause[0], until=pause[1], rules=rules)
    return appointment


@transaction.atomic
def appointment_mark_served(
    *, appointment: Appointment, by, now: dt.datetime | None = None
) -> Appointment:
    """An officer records that the citizen was served (on the day or later). Emits
    ``appointment_served``: after the commit the citizen is invited to the satisfaction survey."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__session", "mission", "service", "citizen__user")
        .get(pk=appointment.pk)
    )
    require_perms(
        by,
        appointment,
        CHANGE_APPOINTMENT,
        message=_("Anda tidak berwenang mengubah janji temu perwakilan ini."),
    )
    if appointment.status not in APPOINTMENT.sources(AppointmentEvent.SERVE):
        raise BookingRefused(
            _("Janji temu %(reference)s tidak dapat ditandai selesai: %(status)s.")
            % {"reference": appointment.reference, "status": appointment.get_status_display()},
            code="not_active",
        )
    if appointment.slot.session.date > clock.today(appointment.mission, now):
        raise BookingRefused(_("Waktu janji temu ini belum tiba."), code="too_early")
    appointment.status = APPOINTMENT.move(appointment.status, AppointmentEvent.SERVE)
    appointment.save(update_fields=["status", "updated_at"])
    audit_record(event="appointment_served", actor=by, obj=appointment, mission=appointment.mission)
    # The survey invitation is feedback's reaction (pandu.feedback.receivers).
    events.emit(events.appointment_served, appointment=appointment, by=by, now=now)
    return appointment


@transaction.atomic
def appointment_check_in(
    *, appointment: Appointment, by=None, now: dt.datetime | None = None
) -> Appointment:
    """The citizen has arrived (kiosk or officer). Only a booked appointment of the mission's today."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__session", "mission")
        .get(pk=appointment.pk)
    )
    # An officer, or the kiosk at the door where citizens check themselves in.
    require_any_perm(
        by,
        appointment,
        CHANGE_APPOINTMENT,
        "queue.use_kiosk",
        message=_("Anda tidak berwenang melayani lapor hadir di perwakilan ini."),
    )
    if appointment.status not in APPOINTMENT.sources(AppointmentEvent.CHECK_IN):
        raise BookingRefused(
            _("Janji temu %(reference)s tidak dapat lapor hadir: %(status)s.")
            % {"reference": appointment.reference, "status": appointment.get_status_display()},
            code="not_booked",
        )
    if appointment.slot.session.date != clock.today(appointment.mission, now):
        raise BookingRefused(
            _("Janji temu %(reference)s bukan untuk hari ini.")
            % {"reference": appointment.reference},
            code="not_today",
        )
    appointment.status = APPOINTMENT.move(appointment.status, AppointmentEvent.CHECK_IN)
    appointment.save(update_fields=["status", "updated_at"])
    audit_record(
        event="appointment_checked_in", actor=by, obj=appointment, mission=appointment.mission
    )
    return appointment


def _send_no_show_pause(
    appointment: Appointment, *, missed: int, until: dt.datetime, rules: Rules
) -> None:
    """Tell the citizen that online booking is paused, until when, and how to reach the mission."""
    citizen = appointment.citizen
    with timezone.override(appointment.mission.zone):
        email_send(
            to=citizen.user.email,
            template="no_show_paused",
            language=citizen.user.preferred_language,
            mission=appointment.mission,
            context={
                "name": citizen.full_name,
                "mission": appointment.mission,
                "missed": missed,
                "window_days": rules.no_show_window_days,
                "until": timezone.localdate(until),
                "appointment": appointment,
                "start": appointment.slot.starts_at,
            },
        )
