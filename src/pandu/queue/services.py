"""Every write of the waiting room: check-in, walk-in tickets, counters and the calls.

Each function runs in one transaction (IMMEDIATE on SQLite), changes a ticket's current state with
a conditional update (so the database decides when two officers act at once), appends the period
that starts, closes the one that ends, and records an audit event. Which ticket is called next
is decided by the pure policy in ``pandu.queue.policy``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.appointments.access import require_any_perm, require_perms
from pandu.appointments.models import Appointment
from pandu.appointments.rules import PRIORITY_AGE
from pandu.appointments.services import appointment_check_in, appointment_mark_served
from pandu.appointments.transitions import APPOINTMENT
from pandu.appointments.transitions import Event as AppointmentEvent
from pandu.audit.services import audit_record
from pandu.catalog.models import Service
from pandu.core import clock, events
from pandu.core.models import Mission
from pandu.outreach.selectors import approved_reasons
from pandu.queue import policy, selectors
from pandu.queue.errors import CheckInRefused, CounterRefused, TicketConflict
from pandu.queue.models import (
    CURRENT_STATES,
    WAITING_STATES,
    Counter,
    Ticket,
    TicketPeriod,
    TicketSequence,
)
from pandu.queue.notifiers import notifiers
from pandu.queue.transitions import TICKET
from pandu.queue.transitions import Event as TicketEvent

# The letter of each service group on tickets and on the display.
PREFIXES: dict[str, str] = {
    Service.Category.PASSPORT: "P",
    Service.Category.CIVIL: "S",
    Service.Category.LEGAL: "L",
    Service.Category.CITIZENSHIP: "K",
    Service.Category.REGISTRATION: "D",
}
_REFERENCE = re.compile(r"^(?:PANDU:)?\s*([A-Z0-9-]{4,20})$")

OPERATE = "queue.operate_counter"
KIOSK = "queue.use_kiosk"


def _require_operator(by, obj) -> None:
    """Refuse ``by`` unless they may operate counters at ``obj``'s mission (``None``: the system).

    The mission-aware backend keeps the user's memberships on the user object, so asking again
    in a request that asked once costs no query."""
    require_perms(
        by, obj, OPERATE, message=_("Anda tidak berwenang melayani loket perwakilan ini.")
    )


def _next_number(mission: Mission, date: dt.date, prefix: str) -> int:
    """Raise the day's counter of the group and return the new number, in one statement.

    An upsert with ``RETURNING`` (PostgreSQL, SQLite 3.35+): the first check-in of the day
    creates the row at 1, every later one raises it under the row's lock, and two check-ins at
    the same moment can neither get the same number nor fail on the unique constraint. Django's
    ORM has no update-returning, hence the SQL.
    """
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (mission_id, date, prefix, last) VALUES (%s, %s, %s, 1) "  # noqa: S608 (table name from the model)
            f"ON CONFLICT (mission_id, date, prefix) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [mission.pk, connection.ops.adapt_datefield_value(date), prefix],
        )
        return cursor.fetchone()[0]


def _begin(
    ticket: Ticket,
    state: str,
    *,
    now: dt.datetime,
    by=None,
    counter: Counter | None = None,
    final: bool = False,
    first: bool = False,
) -> TicketPeriod:
    """Close the ticket's open period and append the next one (``first``: a new ticket, which
    has no period to close)."""
    if not first:
        TicketPeriod.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)
    return TicketPeriod.objects.create(
        ticket=ticket,
        state=state,
        service_id=ticket.service_id,
        counter=counter,
        started_at=now,
        ended_at=now if final else None,
        by=by if getattr(by, "is_authenticated", False) else None,
    )


def _create_ticket(
    *,
    mission: Mission,
    service: Service,
    channel: str,
    priority_reason: str,
    now: dt.datetime,
    by,
    appointment: Appointment | None = None,
    notify_email: str = "",
    language: str = "",
) -> Ticket:
    date = clock.today(mission, now)
    prefix = PREFIXES.get(service.category, "A")
    ticket = Ticket.objects.create(
        mission=mission,
        date=date,
        prefix=prefix,
        sequence=_next_number(mission, date, prefix),
        service=service,
        channel=channel,
        priority_reason=priority_reason,
        appointment=appointment,
        appointment_at=appointment.slot.starts_at if appointment else None,
        arrived_at=now,
        notify_email=notify_email,
        language=language or settings.LANGUAGE_CODE,
    )
    _begin(ticket, Ticket.State.WAITING, now=now, by=by, first=True)
    audit_record(
        event="ticket_created",
        actor=by,
        obj=ticket,
        mission=mission,
        data={
            "number": ticket.number,
            "service": service.code,
            "channel": channel,
            "priority": priority_reason,
            "appointment": appointment.reference if appointment else "",
        },
    )
    return ticket


def parse_check_in_code(code: str) -> str | None:
    """The appointment reference in what a QR scan, a hand scanner or a person typed, or None."""
    cleaned = " ".join((code or "").split()).upper()
    match = _REFERENCE.match(cleaned)
    return match.group(1) if match else None


def _appointment_priority(appointment: Appointment, on: dt.date) -> str:
    citizen = appointment.citizen
    if citizen.age_on(on) >= PRIORITY_AGE:
        return Ticket.Priority.ELDERLY

    reasons = approved_reasons(citizen, on)
    if "disability" in reasons:
        return Ticket.Priority.DISABILITY
    if "pregnancy" in reasons:
        return Ticket.Priority.PREGNANT
    return ""


@transaction.atomic
def ticket_check_in(
    *, mission: Mission, code: str, by=None, now: dt.datetime | None = None
) -> Ticket:
    """Check an appointment in by its QR content or typed reference and give it a ticket.

    Checking in again the same day returns the ticket already given. An unknown reference, one
    of another mission, or an appointment not of today is refused with a message and nothing
    changes.
    """
    now = now or timezone.now()
    require_any_perm(
        by,
        mission,
        KIOSK,
        "appointments.change_appointment",
        message=_("Anda tidak berwenang melayani lapor hadir di perwakilan ini."),
    )
    reference = parse_check_in_code(code)
    appointment = (
        Appointment.objects.select_related("slot__session", "service", "citizen__user")
        .filter(mission=mission, reference=reference)
        .first()
        if reference
        else None
    )
    if appointment is None:
        raise CheckInRefused(
            _("Nomor referensi tidak ditemukan. Periksa kembali, atau tanyakan petugas."),
            code="unknown_reference",
            field="code",
        )
    existing = Ticket.objects.filter(appointment=appointment).first()
    if existing is not None and appointment.status == Appointment.Status.CHECKED_IN:
        return existing
    appointment_check_in(appointment=appointment, by=by, now=now)
    user = appointment.citizen.user
    return _create_ticket(
        mission=mission,
        service=appointment.service,
        channel=Ticket.Channel.APPOINTMENT,
        priority_reason=_appointment_priority(appointment, clock.today(mission, now)),
        appointment=appointment,
        now=now,
        by=by,
        notify_email=user.email,
        language=user.preferred_language,
    )


@transaction.atomic
def ticket_take(
    *,
    mission: Mission,
    service: Service,
    priority_reason: str = "",
    language: str = "",
    by=None,
    now: dt.datetime | None = None,
) -> Ticket:
    """A walk-in takes a ticket for a service of the mission, with a declared priority reason."""
    now = now or timezone.now()
    require_perms(
        by, mission, KIOSK, message=_("Anda tidak berwenang memakai kios perwakilan ini.")
    )
    if service.mission_id != mission.pk or not service.is_active:
        raise CheckInRefused(_("Pilih salah satu layanan yang tersedia."), field="service")
    if priority_reason and priority_reason not in policy.DECLARED_REASONS:
        raise CheckInRefused(_("Pilih alasan prioritas dari daftar."), field="priority_reason")
    return _create_ticket(
        mission=mission,
        service=service,
        channel=Ticket.Channel.WALK_IN,
        priority_reason=priority_reason,
        now=now,
        by=by,
        language=language,
    )


@transaction.atomic
def ticket_notify_set(*, ticket: Ticket, email: str, language: str = "") -> Ticket:
    """The citizen asks, on their phone page, for a mail when their turn is near."""
    Ticket.objects.filter(pk=ticket.pk).update(
        notify_email=email, notified_at=None, language=language or ticket.language
    )
    audit_record(event="ticket_notify_set", obj=ticket, mission=ticket.mission)
    ticket.refresh_from_db()
    return ticket


# Counters -------------------------------------------------------------------------------------


def _services_of(mission: Mission, services: Iterable[Service]) -> list[Service]:
    chosen = list(services)
    if not chosen:
        raise CounterRefused(_("Pilih paling sedikit satu layanan."), field="services")
    if any(s.mission_id != mission.pk or not s.is_active for s in chosen):
        raise CounterRefused(_("Pilih layanan dari daftar."), field="services")
    return chosen


@transaction.atomic
def counter_create(*, mission: Mission, by, number: int | None = None) -> Counter:
    """Add a (closed) counter to the mission, numbered after the last one unless given.

    Only staff who may add counters at the mission (``queue.add_counter``; ``None``: the system)."""
    require_perms(
        by,
        mission,
        "queue.add_counter",
        message=_("Anda tidak berwenang menambah loket di perwakilan ini."),
    )
    if number is None:
        last = Counter.objects.filter(mission=mission).order_by("-number").first()
        number = (last.number + 1) if last else 1
    if Counter.objects.filter(mission=mission, number=number).exists():
        raise CounterRefused(_("Nomor loket ini sudah ada."), field="number")
    counter = Counter.objects.create(mission=mission, number=number)
    audit_record(event="counter_created", actor=by, obj=counter, data={"number": number})
    return counter


@transaction.atomic
def counter_open(*, counter: Counter, services: Iterable[Service], by) -> Counter:
    """An officer opens a counter (or changes its services while open) and operates it."""
    _require_operator(by, counter)
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    chosen = _services_of(counter.mission, services)
    counter.is_open = True
    counter.officer = by if getattr(by, "is_authenticated", False) else None
    counter.save(update_fields=["is_open", "officer", "updated_at"])
    counter.services.set(chosen)
    audit_record(
        event="counter_opened",
        actor=by,
        obj=counter,
        mission=counter.mission,
        data={"number": counter.number, "services": sorted(s.code for s in chosen)},
    )
    return counter


@transaction.atomic
def counter_close(*, counter: Counter, by, now: dt.datetime | None = None) -> Counter:
    """Close a counter once its current ticket is finished; tickets held or sent to it wait again."""
    _require_operator(by, counter)
    now = now or timezone.now()
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if Ticket.objects.filter(counter=counter, state__in=CURRENT_STATES).exists():
        raise CounterRefused(
            _("Selesaikan dulu nomor yang sedang dipanggil atau dilayani di loket ini.")
        )
    released = TICKET.target_of(TicketEvent.RELEASE)
    for ticket in Ticket.objects.filter(
        counter=counter, state__in=TICKET.sources(TicketEvent.RELEASE)
    ):
        Ticket.objects.filter(pk=ticket.pk).update(state=released, counter=None)
        ticket.state, ticket.counter = released, None
        _begin(ticket, released, now=now, by=by)
    counter.is_open = False
    counter.officer = None
    counter.save(update_fields=["is_open", "officer", "updated_at"])
    audit_record(
        event="counter_closed",
        actor=by,
        obj=counter,
        mission=counter.mission,
        data={"number": counter.number},
    )
    return counter


# Calls ----------------------------------------------------------------------------------------


def _change(
    ticket: Ticket,
    *,
    move: str,
    now: dt.datetime,
    by,
    event: str,
    counter: Counter | None = None,
    keep_counter: bool = True,
    final: bool = False,
    data: dict | None = None,
    **fields,
) -> Ticket:
    """Make the table's ``move`` if the ticket is still in one of its sources, else refuse.

    ``by`` must be allowed to operate counters at the ticket's mission (every officer's move on a
    ticket comes through here)."""
    _require_operator(by, ticket)
    from_states, to = TICKET.sources(move), TICKET.target_of(move)
    target_id = counter.pk if counter is not None else (ticket.counter_id if keep_counter else None)
    try:
        with transaction.atomic():
            changed = Ticket.objects.filter(pk=ticket.pk, state__in=list(from_states)).update(
                state=to, counter_id=target_id, **fields
            )
    except IntegrityError as exc:
        raise TicketConflict(
            _("Loket ini sedang memanggil atau melayani nomor lain."), code="counter_busy"
        ) from exc
    if not changed:
        raise TicketConflict(
            _("Nomor %(number)s sudah berubah status. Muat ulang halaman.")
            % {"number": ticket.number}
        )
    # The row holds what this update wrote (and nothing else of a ticket changes after it is
    # taken): keep the object in step rather than read the row back.
    ticket.state = to
    for name, value in fields.items():
        setattr(ticket, name, value)
    if counter is not None:
        ticket.counter = counter
    elif not keep_counter:
        ticket.counter = None
    target_counter = ticket.counter
    _begin(ticket, to, now=now, by=by, counter=target_counter, final=final)
    audit_record(
        event=event,
        actor=by,
        obj=ticket,
        mission=ticket.mission,
        data={"number": ticket.number, "counter": target_counter.number if target_counter else None}
        | (data or {}),
    )
    return ticket


def _check_operator(counter: Counter) -> None:
    if not counter.is_open:
        raise CounterRefused(_("Buka loket ini terlebih dahulu."), code="counter_closed")


@transaction.atomic
def ticket_call_next(
    *,
    by,
    counter: Counter | None = None,
    counter_public_id=None,
    now: dt.datetime | None = None,
) -> Ticket | None:
    """Call the ticket the ordering policy picks for this counter; None when nobody waits.

    The counter is given loaded (``counter``) or by its public id (``counter_public_id``, as the
    counter page sends it), in which case it is read here, once, and ``by`` must be allowed to
    operate it (``PermissionDenied``, a ``PanduError``, otherwise; ``Counter.DoesNotExist`` for
    an unknown id).

    Two counters pressing at the same moment each get a different ticket: the choice is applied
    by an update conditional on the ticket still waiting, and a lost race simply chooses again.
    """
    now = now or timezone.now()
    # Whether the counter is busy is read with its lock; two calls at the same moment that both
    # read "free" are told apart by the unique index on a counter's current ticket (below).
    locked = (
        Counter.objects.select_for_update(of=("self",))
        .select_related("mission")
        .annotate(
            busy=Exists(Ticket.objects.filter(counter_id=OuterRef("pk"), state__in=CURRENT_STATES))
        )
    )
    if counter_public_id is not None:
        counter = locked.get(public_id=counter_public_id)
    else:
        if counter is None:
            raise TypeError("ticket_call_next needs counter or counter_public_id")
        counter = locked.get(pk=counter.pk)
    _require_operator(by, counter)
    _check_operator(counter)
    if counter.busy:
        raise TicketConflict(
            _("Selesaikan dulu nomor yang sedang dipanggil atau dilayani di loket ini."),
            code="counter_busy",
        )
    date = clock.today(counter.mission, now)
    called = TICKET.target_of(TicketEvent.CALL)
    for _attempt in range(10):
        of_day = selectors.waiting_of_day(counter, date)
        candidates = [t for t in of_day if t.callable_here]
        waiting = [selectors.as_waiting(t) for t in candidates]
        chosen = policy.choose_next(waiting, now)
        if chosen is None:
            return None
        try:
            with transaction.atomic():
                won = Ticket.objects.filter(
                    pk=cast(int, chosen.key),  # a ticket's pk (selectors.as_waiting)
                    state__in=TICKET.sources(TicketEvent.CALL),
                ).update(state=called, counter=counter)
        except IntegrityError as exc:
            raise TicketConflict(
                _("Loket ini sedang memanggil atau melayani nomor lain."), code="counter_busy"
            ) from exc
        if not won:
            continue  # another counter called it first: choose again among the rest
        bumped = [cast(int, t.key) for t in policy.passed_over(waiting, chosen)]
        if bumped:
            Ticket.objects.filter(pk__in=bumped, state__in=WAITING_STATES).update(
                overtaken=F("overtaken") + 1
            )
        # The row as the update left it: read with the candidates, changed the same way here.
        ticket = next(t for t in candidates if t.pk == chosen.key)
        ticket.state, ticket.counter, ticket.mission = called, counter, counter.mission
        _begin(ticket, called, now=now, by=by, counter=counter)
        audit_record(
            event="ticket_called",
            actor=by,
            obj=ticket,
            mission=counter.mission,
            data={"number": ticket.number, "counter": counter.number, "overtook": len(bumped)},
        )
        # Nobody else waiting asked to be told: no need to look further (most calls).
        if any(t.notify_email and t.notified_at is None for t in of_day if t.pk != ticket.pk):
            _notify_near(counter.mission, now)
        return ticket
    raise TicketConflict(_("Terlalu banyak panggilan bersamaan. Coba lagi."), code="busy")


@transaction.atomic
def ticket_recall(*, ticket: Ticket, by, now: dt.datetime | None = None) -> Ticket:
    """Call the same ticket again (shown and announced again)."""
    now = now or timezone.now()
    return _change(
        ticket,
        move=TicketEvent.RECALL,
        now=now,
        by=by,
        event="ticket_recalled",
    )


@transaction.atomic
def ticket_start(*, ticket: Ticket, by, now: dt.datetime | None = None) -> Ticket:
    """The citizen has come to the counter: service begins."""
    return _change(
        ticket,
        move=TicketEvent.START,
        now=now or timezone.now(),
        by=by,
        event="ticket_serving",
    )


@transaction.atomic
def ticket_finish(*, ticket: Ticket, by, now: dt.datetime | None = None) -> Ticket:
    """Service ends: a ticket from an appointment marks that appointment served. Emits
    ``ticket_finished``: after the commit the citizen is invited to the satisfaction survey
    (once)."""
    now = now or timezone.now()
    ticket = _change(
        ticket,
        move=TicketEvent.FINISH,
        now=now,
        by=by,
        event="ticket_done",
        final=True,
    )
    # Emitted before the appointment is marked served: feedback's invitation then names the
    # ticket, and the appointment's own event invites no one again (events run in order).
    events.emit(events.ticket_finished, ticket=ticket, by=by, now=now)
    if ticket.appointment is not None and ticket.appointment.status in APPOINTMENT.sources(
        AppointmentEvent.SERVE
    ):
        appointment_mark_served(appointment=ticket.appointment, by=by, now=now)
    return ticket


@transaction.atomic
def ticket_no_show(*, ticket: Ticket, by, now: dt.datetime | None = None) -> Ticket:
    """Nobody came after the call."""
    return _change(
        ticket,
        move=TicketEvent.NO_SHOW,
        now=now or timezone.now(),
        by=by,
        event="ticket_no_show",
        final=True,
    )


@transaction.atomic
def ticket_hold(*, ticket: Ticket, by, now: dt.datetime | None = None) -> Ticket:
    """Set the ticket aside at this counter (e.g. to fetch a missing document); resume later."""
    return _change(
        ticket,
        move=TicketEvent.HOLD,
        now=now or timezone.now(),
        by=by,
        event="ticket_on_hold",
    )


@transaction.atomic
def ticket_resume(
    *, ticket: Ticket, counter: Counter, by, now: dt.datetime | None = None
) -> Ticket:
    """Call a held ticket back to ``counter``."""
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    _check_operator(counter)
    if ticket.mission_id != counter.mission_id:
        raise TicketConflict(_("Nomor ini bukan dari perwakilan loket ini."))
    return _change(
        ticket,
        move=TicketEvent.RESUME,
        now=now or timezone.now(),
        by=by,
        event="ticket_resumed",
        counter=counter,
    )


@transaction.atomic
def ticket_transfer(
    *,
    ticket: Ticket,
    by,
    service: Service | None = None,
    to_counter: Counter | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Send the ticket to another service and/or counter, where it waits again.

    It keeps its arrival time, so it is not put behind people who came later.
    """
    now = now or timezone.now()
    if service is None and to_counter is None:
        raise CounterRefused(_("Pilih layanan atau loket tujuan."), field="service")
    service = service or ticket.service
    if service.mission_id != ticket.mission_id or not service.is_active:
        raise CounterRefused(_("Pilih layanan dari daftar."), field="service")
    if to_counter is not None:
        to_counter = Counter.objects.get(pk=to_counter.pk)
        if to_counter.mission_id != ticket.mission_id or not to_counter.is_open:
            raise CounterRefused(_("Pilih loket yang sedang buka."), field="to_counter")
        if not to_counter.services.filter(pk=service.pk).exists():
            raise CounterRefused(
                _("Loket %(number)s tidak melayani %(service)s.")
                % {"number": to_counter.number, "service": service.name},
                field="to_counter",
            )
    return _change(
        ticket,
        move=TicketEvent.TRANSFER,
        now=now,
        by=by,
        event="ticket_transferred",
        counter=to_counter,
        keep_counter=False,
        service=service,
        data={"service": service.code},
    )


# Near-turn notices -----------------------------------------------------------------------------


def _notify_near(mission: Mission, now: dt.datetime) -> None:
    """Tell waiting citizens who asked for it that their turn is near (once per ticket)."""
    date = clock.today(mission, now)
    pending = Ticket.objects.filter(
        mission=mission, date=date, state__in=WAITING_STATES, notified_at__isnull=True
    ).exclude(notify_email="")
    # Most calls find nobody who asked: that answers before the settings are read.
    if not pending.exists():
        return
    places = selectors.settings_for(mission).notify_places_ahead
    if not places:
        return
    line = selectors.Line(mission, date, now)
    for ticket in pending.select_related("service", "mission"):
        ahead = line.position(ticket)
        if ahead is None or ahead > places:
            continue
        if Ticket.objects.filter(pk=ticket.pk, notified_at__isnull=True).update(notified_at=now):
            for notifier in notifiers():
                notifier.turn_near(ticket=ticket, places_ahead=ahead)
            audit_record(
                event="ticket_turn_near_sent",
                obj=ticket,
                mission=mission,
                data={"number": ticket.number, "ahead": ahead},
            )
