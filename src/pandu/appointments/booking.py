"""The booking rules, in one place: what a booking, a draw entry or a held seat must pass.

``booking_check`` is the one check of a request for a seat. ``appointment_book`` (services) runs
it before anything is written, the draw (``draw.py``) runs it when a citizen enters a session's
draw, and a seat already held for the citizen (a waitlist offer, a won draw) passes it with
``seat_taken``. Each rule is also a named function here (``check_window``, ``check_release``,
``check_no_show_block``, ``check_daily_limit``) for the callers that ask one question alone
(rescheduling, offering a freed seat to the waitlist).

The rules look at ``BookingFacts``: the slot with its session, mission and service and the
citizen's figures, read in one statement (compiled once per thread), so a refusal costs one
query and takes no lock. Nothing here writes: taking the seat and inserting the appointment stay
in ``services.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.appointments.errors import AlreadyBooked, BookingRefused, SlotFull
from pandu.appointments.models import (
    ACTIVE,
    Appointment,
    Channel,
    SessionQuota,
    Slot,
    identity_key_from,
)
from pandu.appointments.rules import Rules, has_priority, priority_until
from pandu.catalog.models import Service
from pandu.core.models import Mission
from pandu.core.prepared import Param, PreparedQuery
from pandu.people.models import CitizenProfile


def identity_key(citizen: CitizenProfile) -> str | None:
    """The identity document the booking is bound to, as a keyed hash (``identity_key_from``)."""
    return identity_key_from(passport_number=citizen.passport_number, nik=citizen.nik)


def check_window(slot: Slot, rules: Rules, now: dt.datetime) -> None:
    if slot.session.is_closed:
        raise BookingRefused(_("Sesi ini ditutup. Pilih waktu lain."), code="session_closed")
    if slot.starts_at < now + dt.timedelta(hours=rules.lead_time_hours):
        raise BookingRefused(
            _("Waktu ini terlalu dekat. Pesan paling lambat %(hours)d jam sebelumnya.")
            % {"hours": rules.lead_time_hours},
            code="too_late",
        )
    if slot.starts_at > now + dt.timedelta(days=rules.horizon_days):
        raise BookingRefused(
            _("Waktu ini belum dibuka. Pemesanan dibuka %(days)d hari sebelumnya.")
            % {"days": rules.horizon_days},
            code="too_early",
        )


def held_seats(slot: Slot, priority: bool, rules: Rules, now: dt.datetime) -> int:
    """Seats of ``slot`` a booking without priority may not take yet."""
    if not priority and now < slot.starts_at - dt.timedelta(hours=rules.priority_release_hours):
        return slot.priority_seats
    return 0


def check_release(slot: Slot, now: dt.datetime) -> None:
    """Refuse a direct booking before the session's release and while its draw is open."""
    session = slot.session
    if session.releases_at is None:
        return
    if now < session.releases_at:
        with timezone.override(session.mission.zone):
            opens = timezone.localtime(session.releases_at)
        raise BookingRefused(
            _("Slot sesi ini dibuka pada %(when)s.") % {"when": f"{opens:%Y-%m-%d %H:%M}"},
            code="not_released",
        )
    if session.draw_done_at is None:
        raise BookingRefused(
            _("Slot sesi ini sedang diundi. Ikut undian atau tunggu hasilnya."),
            code="in_draw",
        )


def no_show_pause(
    citizen: CitizenProfile, rules: Rules, now: dt.datetime
) -> tuple[int, dt.datetime] | None:
    """``(missed, until)`` while the citizen's online booking is paused for missed appointments.

    The pause starts when ``no_show_limit`` appointments in the last ``no_show_window_days`` were
    missed, and lasts ``no_show_block_days`` from the latest of them. A limit of 0 never pauses.
    """
    if not rules.no_show_limit:
        return None
    misses = list(
        Appointment.objects.filter(
            citizen=citizen,
            status=Appointment.Status.NO_SHOW,
            slot__starts_at__gte=now - dt.timedelta(days=rules.no_show_window_days),
        )
        .order_by("-slot__starts_at")
        .values_list("slot__starts_at", flat=True)[: rules.no_show_limit]
    )
    return pause_from(len(misses), misses[0] if misses else None, rules, now)


def pause_from(
    misses: int, last_miss: dt.datetime | None, rules: Rules, now: dt.datetime
) -> tuple[int, dt.datetime] | None:
    """The no-show rule on counted misses in the window and the latest of them."""
    if not rules.no_show_limit or misses < rules.no_show_limit or last_miss is None:
        return None
    until = last_miss + dt.timedelta(days=rules.no_show_block_days)
    return (min(misses, rules.no_show_limit), until) if now < until else None


def check_no_show_block(citizen: CitizenProfile, rules: Rules, now: dt.datetime) -> None:
    """After ``no_show_limit`` missed appointments in the window, online booking pauses."""
    pause = no_show_pause(citizen, rules, now)
    if pause is not None:
        refuse_no_show(citizen, *pause)


def refuse_no_show(citizen: CitizenProfile, missed: int, until: dt.datetime) -> None:
    with timezone.override(citizen.mission.zone):
        until_local = timezone.localdate(until)
    raise BookingRefused(
        _(
            "Anda tidak datang pada %(count)d janji temu terakhir tanpa membatalkannya, "
            "sehingga pemesanan daring ditangguhkan sampai %(date)s. Hubungi perwakilan "
            "jika ada alasan mendesak; petugas dapat memesankan untuk Anda."
        )
        % {"count": missed, "date": until_local.isoformat()},
        code="no_show_blocked",
    )


def check_daily_limit(
    citizen: CitizenProfile, slot: Slot, rules: Rules, exclude: Appointment | None = None
) -> None:
    same_day = Appointment.objects.filter(
        citizen=citizen, status__in=ACTIVE, slot__session__date=slot.session.date
    )
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude.pk)
    if same_day.count() >= rules.daily_limit:
        refuse_daily_limit(rules)


def refuse_daily_limit(rules: Rules) -> None:
    raise BookingRefused(
        _("Anda sudah mempunyai %(count)d janji temu pada hari itu.")
        % {"count": rules.daily_limit},
        code="daily_limit",
    )


@dataclass(frozen=True)
class BookingFacts:
    """What one booking decides on, read in one query: the slot with its session, mission and
    service, and the citizen's figures that the rules look at."""

    slot: Slot
    has_quotas: bool
    booking_version: int
    misses: int
    last_miss: dt.datetime | None
    same_day: int
    approvals_until: dt.date | None


def _facts_queryset(*, citizen_id: int, window_start: dt.datetime, channel: str, **slot_lookup):
    citizen_rows = Appointment.objects.filter(citizen_id=citizen_id)
    misses = citizen_rows.filter(
        status=Appointment.Status.NO_SHOW, slot__starts_at__gte=window_start
    )
    return (
        Slot.objects.select_related("session__mission", "service")
        .annotate(
            has_quotas=Exists(
                SessionQuota.objects.filter(
                    Q(service_id=OuterRef("service_id")) | Q(service__isnull=True),
                    Q(channel=channel) | Q(channel=""),
                    session_id=OuterRef("session_id"),
                )
            ),
            booking_version=Subquery(
                CitizenProfile.objects.filter(pk=citizen_id).values("booking_version")
            ),
            misses=_count(misses),
            last_miss=Subquery(misses.order_by("-slot__starts_at").values("slot__starts_at")[:1]),
            same_day=_count(
                citizen_rows.filter(
                    status__in=ACTIVE, slot__session__date=OuterRef("session__date")
                )
            ),
            approvals_until=priority_until(citizen_id),
        )
        .filter(**slot_lookup)
        .order_by()[:1]
    )


_FACTS_PARAMS = {
    "citizen_id": Param(-7_654_321, CitizenProfile._meta.pk),
    "window_start": Param(
        dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC), Slot._meta.get_field("starts_at")
    ),
    "channel": Param("~channel~", SessionQuota._meta.get_field("channel")),
}
# The two ways a booking names its slot: by id (services) or as a request does (the API).
_FACTS_BY_ID = PreparedQuery(
    lambda slot_id, **values: _facts_queryset(pk=slot_id, **values),
    slot_id=Param(-7_654_322, Slot._meta.pk),
    **_FACTS_PARAMS,
)
_FACTS_BY_REFERENCE = PreparedQuery(
    lambda public_id, code, mission_id, **values: _facts_queryset(
        public_id=public_id, service__code=code, session__mission_id=mission_id, **values
    ),
    public_id=Param(uuid.UUID(int=7_654_323), Slot._meta.get_field("public_id")),
    code=Param("~code~", Service._meta.get_field("code")),
    mission_id=Param(-7_654_324, Mission._meta.pk),
    **_FACTS_PARAMS,
)


def booking_facts(
    *,
    citizen_id: int,
    rules: Rules,
    now: dt.datetime,
    channel: str,
    slot_id: int | None = None,
    public_id: uuid.UUID | None = None,
    code: str = "",
    mission_id: int | None = None,
) -> BookingFacts | None:
    """Read everything ``appointment_book`` checks in one statement, compiled once per thread.

    The slot is named by ``slot_id``, or as a request names it: its ``public_id``, the
    service's ``code`` and the citizen's ``mission_id``. None when no slot matches.
    """
    values = {
        "citizen_id": citizen_id,
        "window_start": now - dt.timedelta(days=rules.no_show_window_days),
        "channel": channel,
    }
    if slot_id is not None:
        found = _FACTS_BY_ID.run(slot_id=slot_id, **values)
    else:
        found = _FACTS_BY_REFERENCE.run(
            public_id=public_id, code=code, mission_id=mission_id, **values
        )
    if not found:
        return None
    slot = found[0]
    return BookingFacts(
        slot=slot,
        has_quotas=bool(slot.has_quotas),
        booking_version=slot.booking_version,
        misses=slot.misses or 0,
        last_miss=slot.last_miss,
        same_day=slot.same_day or 0,
        approvals_until=slot.approvals_until,
    )


def _count(queryset) -> Subquery:
    """``COUNT(*)`` of ``queryset`` as a scalar subquery."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def booking_check(
    *,
    citizen: CitizenProfile,
    service: Service,
    facts: BookingFacts,
    rules: Rules,
    now: dt.datetime,
    channel: str,
    seat_taken: bool = False,
    draw_entry: bool = False,
) -> bool:
    """Every rule of a request for a seat on what ``facts`` says; returns the priority.

    In order: the slot is the service's at the citizen's mission, the citizen's identity
    document is known, the session is open, the slot is between the lead time and the horizon
    (not for a seat already held: ``seat_taken``), the session is released and drawn (not for a
    draw entry), the citizen is not paused for missed appointments (online only), a draw entry
    is not for a service the citizen already holds, the day's limit, and a free seat (not for a
    draw entry nor a held seat). Stops with ``BookingRefused``, ``AlreadyBooked`` or
    ``SlotFull``; writes nothing.
    """
    slot = facts.slot
    if slot.service_id != service.pk or slot.session.mission_id != citizen.mission_id:
        raise BookingRefused(_("Slot ini bukan untuk layanan itu."), code="wrong_slot")
    if identity_key(citizen) is None:
        raise BookingRefused(
            _(
                "Isi nomor paspor atau NIK di profil Anda dahulu; janji temu terikat pada identitas Anda."
            ),
            code="identity_required",
        )
    if slot.session.is_closed:  # also for a seat already held: the day may have closed since
        raise BookingRefused(_("Sesi ini ditutup. Pilih waktu lain."), code="session_closed")
    if not seat_taken:
        check_window(slot, rules, now)
        if not draw_entry:
            check_release(slot, now)
    if channel == Channel.ONLINE:
        pause = pause_from(facts.misses, facts.last_miss, rules, now)
        if pause is not None:
            refuse_no_show(citizen, *pause)
    if draw_entry and already_booked(citizen, service):
        # A booking refuses this by its unique indexes; an entry holds no seat to refuse.
        raise already_booked_error()
    if facts.same_day >= rules.daily_limit:
        refuse_daily_limit(rules)
    priority = has_priority(citizen, slot.session.date, facts.approvals_until)
    if draw_entry or seat_taken:
        return priority
    if slot.booked >= slot.capacity - held_seats(slot, priority, rules, now):
        raise SlotFull(_("Maaf, kursi pada waktu ini sudah habis. Pilih waktu lain."))
    return priority


def already_booked(citizen: CitizenProfile, service: Service) -> bool:
    active = Appointment.objects.filter(service=service, status__in=ACTIVE)
    return (
        active.filter(citizen=citizen).exists()
        or active.filter(identity_key=identity_key(citizen)).exists()
    )


def already_booked_error() -> AlreadyBooked:
    return AlreadyBooked(
        _("Anda sudah mempunyai janji temu aktif untuk layanan ini. Ubah jadwalnya jika perlu.")
    )
