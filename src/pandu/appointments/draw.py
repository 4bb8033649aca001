"""Fair release of scarce slots: a release time, a draw over the first minutes, then first come.

A supervisor may give a session a release time (``Session.releases_at``). Before it nobody can
book the session. Requests made in the draw window, from the release until ``draw_minutes`` later,
become ``DrawEntry`` rows: one per citizen and one per identity document for each session and
service. When the window has closed, ``draw_run`` shuffles the entries with a random seed and
gives seats in that order, so being fast (a bot, a broker) gains nothing. After the draw the
session's free seats are booked first come, first served, through ``appointment_book``.

The seed is kept in ``Session.draw_seed`` and in the ``draw_run`` audit event with the entries in
id order, so anyone can recompute the order with ``draw_order`` and check the result.

A session holds slots of several services whose rules may set different ``draw_minutes``; the
session's window lasts as long as the longest of them, because one session has one draw.

This module does not plan sessions or decide which sessions need a release time: supervisors do.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.appointments import booking, services
from pandu.appointments.access import require_perms
from pandu.appointments.errors import BookingRefused, SlotFull
from pandu.appointments.models import Appointment, Channel, DrawEntry, Session, Slot
from pandu.appointments.rules import citizen_has_priority, rules_for
from pandu.audit.services import audit_record
from pandu.catalog.models import Service
from pandu.core.errors import PanduError
from pandu.core.models import Mission
from pandu.notify.services import email_send
from pandu.people.models import CitizenProfile


def draw_order(seed: str, ids: list[int]) -> list[int]:
    """The draw's order of the entries ``ids``: the ids sorted, then shuffled by ``seed``.

    Pure and deterministic, so an auditor can recompute a draw from its seed and its entries.
    """
    order = sorted(ids)
    random.Random(seed).shuffle(order)  # noqa: S311 (fairness, not secrecy: the seed is published)
    return order


def draw_closes_at(session: Session) -> dt.datetime | None:
    """When the session's draw window closes, or None when it has no release time."""
    if session.releases_at is None:
        return None
    services_ = Service.objects.filter(slots__session=session).distinct()
    minutes = max((rules_for(service).draw_minutes for service in services_), default=0)
    return session.releases_at + dt.timedelta(minutes=minutes)


def in_draw_window(session: Session, now: dt.datetime) -> bool:
    if session.releases_at is None or session.draw_done_at is not None:
        return False
    return session.releases_at <= now < draw_closes_at(session)


@transaction.atomic
def session_release_set(
    *, session: Session, releases_at: dt.datetime | None, by, now: dt.datetime | None = None
) -> Session:
    """Set (or clear, with None) the time a session's slots open for booking.

    Refused once a seat of the session is taken or a draw request was made, for a time already
    past, and for a time after the session starts.
    """
    now = now or timezone.now()
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("mission").get(pk=session.pk)
    )
    require_perms(
        by,
        session,
        "appointments.change_session",
        message=_("Anda tidak berwenang mengubah jadwal perwakilan ini."),
    )
    if Slot.objects.filter(session=session, booked__gt=0).exists():
        raise BookingRefused(
            _("Sudah ada kursi terpesan pada sesi ini; waktu pembukaannya tidak dapat diubah."),
            code="slots_booked",
        )
    if session.draw_entries.exists() or session.draw_done_at is not None:
        raise BookingRefused(
            _("Undian sesi ini sudah dimulai; waktu pembukaannya tidak dapat diubah."),
            code="draw_started",
        )
    if releases_at is not None:
        if releases_at <= now:
            raise BookingRefused(
                _("Waktu pembukaan harus di masa depan."),
                code="release_in_past",
                field="releases_at",
            )
        if releases_at >= session.starts_at:
            raise BookingRefused(
                _("Waktu pembukaan harus sebelum sesi dimulai."),
                code="release_after_start",
                field="releases_at",
            )
    session.releases_at = releases_at
    session.draw_done_at = None
    session.draw_seed = ""
    session.save(update_fields=["releases_at", "draw_done_at", "draw_seed"])
    audit_record(
        event="session_release_set",
        actor=by,
        obj=session,
        mission=session.mission,
        data={"releases_at": releases_at.isoformat() if releases_at else None},
    )
    return session


def appointment_request(
    *,
    citizen: CitizenProfile,
    slot: Slot,
    service: Service,
    now: dt.datetime | None = None,
    channel: str = Channel.ONLINE,
    by=None,
    facts: booking.BookingFacts | None = None,
) -> Appointment | DrawEntry:
    """Ask for a seat of ``slot``: a booking, or an entry in the session's draw.

    Before the session's release this stops with ``BookingRefused`` (``not_released``). In the
    draw window it returns the citizen's ``DrawEntry`` (a second request moves it to the new
    slot). After the window the draw is run if nobody ran it yet, then the seat is booked
    directly, with every stop of ``appointment_book`` (on ``facts`` when the caller read them).
    """
    now = now or timezone.now()
    if facts is not None:
        session = facts.slot.session
    else:
        session = Session.objects.select_related("mission").get(pk=slot.session_id)
    if session.releases_at is not None and session.draw_done_at is None:
        closes = draw_closes_at(session)
        if session.releases_at <= now < closes:
            return _draw_enter(
                citizen=citizen, slot=slot, service=service, now=now, channel=channel, by=by
            )
        if now >= closes:
            draw_run(session=session, now=now)  # its own transaction: it stands whatever follows
            facts = None  # the draw took seats: read them again
    return services.appointment_book(
        citizen=citizen, slot=slot, service=service, now=now, channel=channel, by=by, facts=facts
    )


@transaction.atomic
def _draw_enter(
    *,
    citizen: CitizenProfile,
    slot: Slot,
    service: Service,
    now: dt.datetime,
    channel: str,
    by,
) -> DrawEntry:
    # The citizen's row lock makes two requests of one person run one after the other.
    citizen = (
        CitizenProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=citizen.pk)
    )
    rules = rules_for(service)
    facts = booking.booking_facts(
        citizen_id=citizen.pk, rules=rules, now=now, channel=channel, slot_id=slot.pk
    )
    if facts is None:
        raise Slot.DoesNotExist
    booking.booking_check(
        citizen=citizen,
        service=service,
        facts=facts,
        rules=rules,
        now=now,
        channel=channel,
        draw_entry=True,
    )
    slot = facts.slot
    session = slot.session
    key = booking.identity_key(citizen)
    entry = DrawEntry.objects.filter(session=session, service=service, citizen=citizen).first()
    if entry is not None:
        previous = entry.slot_id
        entry.slot = slot
        entry.identity_key = key
        event = "draw_entry_changed"
    else:
        entry = DrawEntry(
            session=session,
            slot=slot,
            service=service,
            citizen=citizen,
            identity_key=key,
            channel=channel,
        )
        previous = None
        event = "draw_entered"
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise BookingRefused(
            _("Nomor identitas ini sudah ikut undian untuk sesi dan layanan ini."),
            code="already_in_draw",
        ) from exc
    data = {"slot": str(slot.public_id), "service": service.code}
    if previous is not None:
        data["changed"] = previous != slot.pk
    audit_record(
        event=event, actor=by or citizen.user, obj=entry, mission=session.mission, data=data
    )
    return entry


@dataclass(frozen=True)
class DrawResult:
    seed: str
    won: int
    lost: int


@transaction.atomic
def draw_run(*, session: Session, now: dt.datetime | None = None) -> DrawResult | None:
    """Hold the session's draw once its window has closed. None when it is not due or done.

    Entries are served in ``draw_order``: each gets its wanted slot, else the free slot of the
    same service nearest in time in the session, booked with every rule of the booking (daily
    limit, one booking per identity). Winners get the usual confirmation; the others an e-mail
    that points them to other times and to the waitlist.
    """
    now = now or timezone.now()
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("mission").get(pk=session.pk)
    )
    if session.releases_at is None or session.draw_done_at is not None:
        return None
    if now < draw_closes_at(session):
        return None
    seed = secrets.token_hex(16)
    session.draw_seed = seed
    session.draw_done_at = now
    session.save(update_fields=["draw_seed", "draw_done_at"])

    entries = {
        entry.pk: entry
        for entry in DrawEntry.objects.filter(
            session=session, outcome=DrawEntry.Outcome.PENDING
        ).select_related("citizen__user", "service", "slot", "session")
    }
    slots = list(Slot.objects.filter(session=session).order_by("starts_at", "pk"))
    booked = {slot.pk: slot.booked for slot in slots}
    won = lost = 0
    for rank, entry_id in enumerate(draw_order(seed, list(entries)), start=1):
        entry = entries[entry_id]
        entry.rank = rank
        entry.appointment = _draw_seat(entry, slots, booked, now)
        if entry.appointment is not None:
            entry.outcome = DrawEntry.Outcome.WON
            won += 1
        else:
            entry.outcome = DrawEntry.Outcome.LOST
            lost += 1
            _send_not_drawn(entry)
        entry.save(update_fields=["rank", "appointment", "outcome"])
    audit_record(
        event="draw_run",
        obj=session,
        mission=session.mission,
        data={
            "seed": seed,
            "entries": [str(entries[pk].public_id) for pk in sorted(entries)],
            "won": won,
            "lost": lost,
        },
    )
    return DrawResult(seed=seed, won=won, lost=lost)


def _draw_seat(
    entry: DrawEntry, slots: list[Slot], booked: dict[int, int], now: dt.datetime
) -> Appointment | None:
    wanted = entry.slot
    candidates = sorted(
        (slot for slot in slots if slot.service_id == entry.service_id),
        key=lambda slot: (abs(slot.starts_at - wanted.starts_at), slot.starts_at),
    )
    rules = rules_for(entry.service)
    priority = citizen_has_priority(entry.citizen, entry.session.date)
    for slot in candidates:
        if booked[slot.pk] >= slot.capacity:
            continue
        try:
            with transaction.atomic():
                services.take_seat(
                    slot, priority=priority, rules=rules, now=now, channel=entry.channel
                )
                appointment = services.appointment_book(
                    citizen=entry.citizen,
                    slot=slot,
                    service=entry.service,
                    now=now,
                    channel=entry.channel,
                    seat_taken=True,
                )
        except SlotFull:
            continue  # full for this citizen (held priority seats, a quota): try the next time
        except PanduError:
            return None  # a rule refuses this person on this day, whatever the time
        booked[slot.pk] += 1
        return appointment
    return None


def _send_not_drawn(entry: DrawEntry) -> None:
    user = entry.citizen.user
    language = user.preferred_language
    mission = entry.session.mission
    with translation.override(language):
        link = settings.SITE_URL + reverse(
            "appointments:book", kwargs={"mission": mission.slug, "code": entry.service.code}
        )
    with timezone.override(mission.zone):
        email_send(
            to=user.email,
            template="draw_not_drawn",
            language=language,
            context={
                "entry": entry,
                "mission": mission,
                "start": entry.slot.starts_at,
                "link": link,
            },
        )


def draws_due(*, now: dt.datetime, mission: Mission | None = None) -> list[Session]:
    """Sessions whose draw window has closed and whose draw has not been held."""
    candidates = Session.objects.filter(releases_at__lte=now, draw_done_at__isnull=True)
    if mission is not None:
        candidates = candidates.filter(mission=mission)
    return [session for session in candidates if now >= draw_closes_at(session)]


def draws_run_due(now: dt.datetime | None = None, *, mission: Mission | None = None) -> int:
    """Hold every due draw (each in its own transaction). Returns how many were held."""
    now = now or timezone.now()
    held = 0
    for session in draws_due(now=now, mission=mission):
        if draw_run(session=session, now=now) is not None:
            held += 1
    return held


def draw_entries_close(*, sessions, now: dt.datetime, by=None) -> int:
    """End the pending draws of sessions that have just closed: nobody wins a closed day.

    The sessions count as drawn (no seed: nothing was drawn) and their pending entries as lost.
    Returns how many entries were closed.
    """
    closed = 0
    for session in sessions:
        pending = DrawEntry.objects.filter(session=session, outcome=DrawEntry.Outcome.PENDING)
        count = pending.update(outcome=DrawEntry.Outcome.LOST)
        if session.releases_at is not None and session.draw_done_at is None:
            Session.objects.filter(pk=session.pk).update(draw_done_at=now)
        if count:
            audit_record(
                event="draw_closed_with_day",
                actor=by,
                obj=session,
                mission=session.mission,
                data={"entries": count},
            )
        closed += count
    return closed
