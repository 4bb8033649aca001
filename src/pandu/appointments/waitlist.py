"""Waitlist: citizens waiting for a service that has no free seat in the booking horizon.

A seat freed by a cancellation or a move is offered to the first waiting citizen (oldest entry
first) whose day choice (weekday, Saturday, any) fits the slot and whom the booking rules allow
to book it. The offer holds the seat for ``waitlist_hold_hours``: the seat is taken back at once
with ``take_seat``, so a held seat counts in ``Slot.booked`` like a booked one and nobody else
can take it meanwhile. Accepting books it (``appointment_book(seat_taken=True)``); declining,
leaving or letting the hold run out gives the seat back and offers it to the next person.

The offer e-mail carries a signed link that answers the offer without signing in; the citizen's
account page shows it too.

This module does not offer seats that were never booked (new sessions, seats left after a draw):
those are found on the booking page, first come, first served.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.appointments import booking, selectors, services
from pandu.appointments.access import require_owner_or_staff
from pandu.appointments.errors import AlreadyBooked, AlreadyWaiting, BookingRefused, SlotFull
from pandu.appointments.models import (
    ACTIVE,
    Appointment,
    Channel,
    Slot,
    WaitlistEntry,
)
from pandu.appointments.rules import citizen_has_priority, rules_for
from pandu.appointments.transitions import WAITLIST, WaitlistEvent
from pandu.audit.services import audit_record
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.notify.services import email_send
from pandu.people.models import CitizenProfile

DAY_CHOICES = ("weekday", "saturday")
OFFER_SALT = "pandu.appointments.waitlist"
OFFER_MAX_AGE = 7 * 24 * 3600  # the hold itself is much shorter and is checked on every answer
SCAN_LIMIT = 200  # waiting entries looked at for one freed seat


class _OfferedElsewhere(Exception):
    """The entry got another offer from a concurrent process: roll this seat back."""


def _has_active_booking(citizen: CitizenProfile, service: Service, key: str | None) -> bool:
    active = Appointment.objects.filter(service=service, status__in=ACTIVE)
    return active.filter(citizen=citizen).exists() or (
        key is not None and active.filter(identity_key=key).exists()
    )


@transaction.atomic
def waitlist_join(
    *,
    citizen: CitizenProfile,
    service: Service,
    channel: str = "",
    now: dt.datetime | None = None,
    by=None,
) -> WaitlistEntry:
    """Put ``citizen`` on the waitlist of ``service`` (``channel``: weekday, saturday or "" = any).

    Refused while the booking horizon still has a free seat the citizen could take (they should
    book it), when they already hold a booking of the service, or already wait for it.
    """
    now = now or timezone.now()
    citizen = (
        CitizenProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=citizen.pk)
    )
    require_owner_or_staff(by, service, citizen_user_id=citizen.user_id)
    if service.mission_id != citizen.mission_id or not service.is_active:
        raise BookingRefused(
            _("Layanan ini tidak tersedia di perwakilan Anda."), code="wrong_service"
        )
    offered = [c for c in DAY_CHOICES if c in (service.channels or [])]
    if channel and channel not in offered:
        raise BookingRefused(
            _("Layanan ini tidak dilayani pada hari yang dipilih."),
            code="bad_channel",
            field="channel",
        )
    if not offered:
        raise BookingRefused(_("Layanan ini tidak memakai janji temu di loket."), code="no_counter")
    key = booking.identity_key(citizen)
    if key is None:
        raise BookingRefused(
            _(
                "Isi nomor paspor atau NIK di profil Anda dahulu; janji temu terikat pada identitas Anda."
            ),
            code="identity_required",
        )
    if _has_active_booking(citizen, service, key):
        raise AlreadyBooked(
            _("Anda sudah mempunyai janji temu aktif untuk layanan ini. Ubah jadwalnya jika perlu.")
        )
    rules = rules_for(service)
    today = clock.today(citizen.mission, now)
    free = selectors.free_slots_for(
        service=service,
        start=today,
        end=today + dt.timedelta(days=rules.horizon_days),
        channel=channel or None,
        citizen=citizen,
        now=now,
    )
    if free:
        first = timezone.localtime(free[0][0].starts_at, citizen.mission.zone)
        raise BookingRefused(
            _(
                "Masih ada waktu kosong untuk layanan ini, yang terdekat %(when)s. "
                "Pilih salah satu di halaman pemesanan."
            )
            % {"when": f"{first:%Y-%m-%d %H:%M}"},
            code="slots_free",
        )
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                mission=citizen.mission, service=service, citizen=citizen, channel=channel
            )
    except IntegrityError as exc:
        raise AlreadyWaiting(_("Anda sudah ada dalam daftar tunggu layanan ini.")) from exc
    audit_record(
        event="waitlist_joined",
        actor=by or citizen.user,
        obj=entry,
        mission=entry.mission,
        data={"service": service.code, "channel": channel},
    )
    return entry


def _locked(entry: WaitlistEntry) -> WaitlistEntry:
    return (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("citizen__user", "service", "mission", "offered_slot__session")
        .get(pk=entry.pk)
    )


def _give_back(entry: WaitlistEntry, now: dt.datetime) -> Slot | None:
    """Release the seat an offer held and clear the offer. Returns the slot it held."""
    slot = entry.offered_slot
    if entry.status == WaitlistEntry.Status.OFFERED and slot is not None:
        services.release_seat(slot, Channel.ONLINE)
    entry.offered_slot = None
    entry.hold_until = None
    return slot if entry.status == WaitlistEntry.Status.OFFERED else None


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry, by, now: dt.datetime | None = None) -> WaitlistEntry:
    """Leave the waitlist; a seat held for this entry goes to the next person."""
    now = now or timezone.now()
    entry = _locked(entry)
    require_owner_or_staff(by, entry, citizen_user_id=entry.citizen.user_id)
    if entry.status not in WAITLIST.sources(WaitlistEvent.LEAVE):
        raise BookingRefused(_("Anda tidak lagi ada dalam daftar tunggu ini."), code="not_waiting")
    slot = _give_back(entry, now)
    entry.status = WAITLIST.move(entry.status, WaitlistEvent.LEAVE)
    entry.save(update_fields=["status", "offered_slot", "hold_until"])
    audit_record(event="waitlist_left", actor=by, obj=entry, mission=entry.mission)
    if slot is not None:
        waitlist_offer_freed_seat(slot, now, exclude={entry.pk})
    return entry


@transaction.atomic
def waitlist_decline(*, entry: WaitlistEntry, by, now: dt.datetime | None = None) -> WaitlistEntry:
    """Say no to an offered time but keep one's place for the next freed seat."""
    now = now or timezone.now()
    entry = _locked(entry)
    require_owner_or_staff(by, entry, citizen_user_id=entry.citizen.user_id)
    if entry.status not in WAITLIST.sources(WaitlistEvent.DECLINE):
        raise BookingRefused(_("Tidak ada tawaran kursi yang terbuka."), code="no_offer")
    slot = _give_back(entry, now)
    entry.status = WAITLIST.move(entry.status, WaitlistEvent.DECLINE)
    entry.save(update_fields=["status", "offered_slot", "hold_until"])
    audit_record(
        event="waitlist_declined",
        actor=by,
        obj=entry,
        mission=entry.mission,
        data={"slot": str(slot.public_id) if slot else None},
    )
    if slot is not None:
        waitlist_offer_freed_seat(slot, now, exclude={entry.pk})
    return entry


@transaction.atomic
def waitlist_accept(
    *, entry: WaitlistEntry, by=None, now: dt.datetime | None = None
) -> Appointment:
    """Book the seat held for this offer. Refused once the hold has run out."""
    now = now or timezone.now()
    entry = _locked(entry)
    require_owner_or_staff(by, entry, citizen_user_id=entry.citizen.user_id)
    if entry.status not in WAITLIST.sources(WaitlistEvent.ACCEPT) or entry.offered_slot is None:
        raise BookingRefused(_("Tidak ada tawaran kursi yang terbuka."), code="no_offer")
    if now >= entry.hold_until:
        raise BookingRefused(
            _("Tawaran ini sudah lewat waktu dan kursinya diberikan kepada orang berikutnya."),
            code="offer_expired",
        )
    appointment = services.appointment_book(
        citizen=entry.citizen,
        slot=entry.offered_slot,
        service=entry.service,
        now=now,
        by=by,
        seat_taken=True,
    )
    entry.status = WAITLIST.move(entry.status, WaitlistEvent.ACCEPT)
    entry.appointment = appointment
    entry.hold_until = None
    entry.save(update_fields=["status", "appointment", "hold_until"])
    audit_record(
        event="waitlist_accepted",
        actor=by or entry.citizen.user,
        obj=entry,
        mission=entry.mission,
        data={"appointment": appointment.reference},
    )
    return appointment


def _slot_offerable(slot: Slot, now: dt.datetime) -> bool:
    session = slot.session
    if session.is_closed or slot.starts_at <= now:
        return False
    if session.releases_at is not None and session.draw_done_at is None:
        return False  # the draw decides this session's seats
    try:
        booking.check_window(slot, rules_for(slot.service), now)
    except BookingRefused:
        return False
    return True


def _citizen_may_take(entry: WaitlistEntry, slot: Slot, now: dt.datetime) -> bool:
    citizen = entry.citizen
    key = booking.identity_key(citizen)
    if key is None or _has_active_booking(citizen, entry.service, key):
        return False
    rules = rules_for(entry.service)
    try:
        booking.check_no_show_block(citizen, rules, now)
        booking.check_daily_limit(citizen, slot, rules)
    except BookingRefused:
        return False
    return True


def waitlist_offer_freed_seat(
    slot: Slot, now: dt.datetime, *, exclude: set[int] = frozenset()
) -> WaitlistEntry | None:
    """Offer a seat just given back in ``slot`` to the next waiting citizen, holding it for them.

    Call it in the transaction that freed the seat, right after ``release_seat``. Returns the
    entry that got the offer, or None when nobody waits (or may take this time): the seat then
    stays free for anyone. ``exclude`` skips entries (the person who just gave it back).
    """
    with transaction.atomic():
        slot = Slot.objects.select_related("session__mission", "service").get(pk=slot.pk)
        if not _slot_offerable(slot, now):
            return None
        rules = rules_for(slot.service)
        waiting = (
            WaitlistEntry.objects.filter(
                mission_id=slot.session.mission_id,
                service_id=slot.service_id,
                status__in=WAITLIST.sources(WaitlistEvent.OFFER),
                channel__in=("", slot.session.channel),
            )
            .exclude(pk__in=exclude)
            .select_related("citizen__user", "service", "mission")
            .order_by("created_at", "pk")[:SCAN_LIMIT]
        )
        for entry in waiting:
            if not _citizen_may_take(entry, slot, now):
                continue
            hold_until = now + dt.timedelta(hours=rules.waitlist_hold_hours)
            try:
                with transaction.atomic():
                    services.take_seat(
                        slot,
                        priority=citizen_has_priority(entry.citizen, slot.session.date),
                        rules=rules,
                        now=now,
                        channel=Channel.ONLINE,
                    )
                    # Conditional: an entry offered meanwhile by another process is not taken twice.
                    if not WaitlistEntry.objects.filter(
                        pk=entry.pk, status__in=WAITLIST.sources(WaitlistEvent.OFFER)
                    ).update(
                        status=WAITLIST.target_of(WaitlistEvent.OFFER),
                        offered_slot=slot,
                        hold_until=hold_until,
                    ):
                        raise _OfferedElsewhere
            except (SlotFull, _OfferedElsewhere):
                continue
            entry.status = WAITLIST.target_of(WaitlistEvent.OFFER)
            entry.offered_slot = slot
            entry.hold_until = hold_until
            audit_record(
                event="waitlist_offered",
                obj=entry,
                mission=entry.mission,
                data={"slot": str(slot.public_id), "hold_until": hold_until.isoformat()},
            )
            _send_offer(entry)
            return entry
    return None


@transaction.atomic
def _expire(entry_id: int, now: dt.datetime) -> bool:
    entry = _locked(WaitlistEntry(pk=entry_id))
    if entry.status not in WAITLIST.sources(WaitlistEvent.EXPIRE) or entry.hold_until > now:
        return False
    slot = _give_back(entry, now)
    entry.status = WAITLIST.move(entry.status, WaitlistEvent.EXPIRE)
    entry.save(update_fields=["status", "offered_slot", "hold_until"])
    audit_record(event="waitlist_offer_expired", obj=entry, mission=entry.mission)
    if slot is not None:
        waitlist_offer_freed_seat(slot, now, exclude={entry.pk})
    return True


def waitlist_expire_due(now: dt.datetime | None = None, *, service: Service | None = None) -> int:
    """End the offers whose hold has run out, passing each seat on. Returns how many ended."""
    now = now or timezone.now()
    due = WaitlistEntry.objects.filter(
        status__in=WAITLIST.sources(WaitlistEvent.EXPIRE), hold_until__lte=now
    )
    if service is not None:
        due = due.filter(service=service)
    return sum(_expire(entry_id, now) for entry_id in due.values_list("pk", flat=True))


def offer_token(entry: WaitlistEntry) -> str:
    """A signed token for the offer e-mail: it answers this one offer without signing in."""
    return signing.dumps({"w": str(entry.public_id)}, salt=OFFER_SALT)


def entry_from_token(token: str) -> WaitlistEntry | None:
    try:
        payload = signing.loads(token, salt=OFFER_SALT, max_age=OFFER_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        WaitlistEntry.objects.select_related(
            "citizen__user", "service", "mission", "offered_slot__session"
        )
        .filter(public_id=payload.get("w"))
        .first()
    )


def _send_offer(entry: WaitlistEntry) -> None:
    user = entry.citizen.user
    language = user.preferred_language
    with translation.override(language):
        link = settings.SITE_URL + reverse(
            "appointments:waitlist_offer", kwargs={"token": offer_token(entry)}
        )
    with timezone.override(entry.mission.zone):
        email_send(
            to=user.email,
            template="waitlist_offer",
            language=language,
            context={
                "entry": entry,
                "mission": entry.mission,
                "start": entry.offered_slot.starts_at,
                "hold_until": entry.hold_until,
                "link": link,
            },
        )


@transaction.atomic
def waitlist_withdraw_offers(
    *, mission, date: dt.date, by=None, now: dt.datetime | None = None
) -> int:
    """Withdraw the offers held on a day that has just closed; each citizen keeps their place.

    Called by ``closures.day_close`` after the day's sessions are closed. Returns how many offers
    were withdrawn.
    """
    now = now or timezone.now()
    withdrawn = 0
    for entry in WaitlistEntry.objects.select_for_update().filter(
        mission=mission,
        status__in=WAITLIST.sources(WaitlistEvent.WITHDRAW),
        offered_slot__session__date=date,
    ):
        _give_back(entry, now)
        entry.status = WAITLIST.move(entry.status, WaitlistEvent.WITHDRAW)
        entry.save(update_fields=["status", "offered_slot", "hold_until"])
        audit_record(
            event="waitlist_offer_withdrawn",
            actor=by,
            obj=entry,
            mission=mission,
            data={"date": date.isoformat()},
        )
        withdrawn += 1
    return withdrawn
