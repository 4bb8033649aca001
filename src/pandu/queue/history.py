"""Past days of the waiting room written at once: the demo's history, a migration's import.

``tickets_history_record`` gives the same rows and audit events as taking each visit's ticket at
the kiosk (``ticket_take``, nobody signed in) and then, in turn, calling it (``ticket_call_next``),
serving and finishing it (``ticket_start``, ``ticket_finish``) or marking it not come
(``ticket_no_show``), one visit after the other. The same checks are made (the officer operates
the counters, which are open and serve the visit's service; the kiosk offers the service; each
call is the one the ordering policy picks, with those it passes over counted overtaken; each move
is one the ticket table allows), the same numbers drawn and the same periods and events made, in
a few statements per day instead of some fourteen per visit: the days are kept in memory, since
they had no ticket before.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.audit.services import audit_batched, audit_record
from pandu.catalog.models import Service
from pandu.core import clock, events
from pandu.core.models import Mission
from pandu.queue import policy
from pandu.queue.errors import CheckInRefused, TicketConflict
from pandu.queue.models import (
    CURRENT_STATES,
    Counter,
    Ticket,
    TicketPeriod,
    TicketSequence,
)
from pandu.queue.services import PREFIXES, _check_operator, _require_operator
from pandu.queue.transitions import TICKET
from pandu.queue.transitions import Event as TicketEvent


@dataclass(frozen=True)
class PastVisit:
    """One walk-in of a past day: ticket taken at ``arrived_at``, called to ``counter`` at
    ``called_at``; served from ``started_at`` to ``ended_at``, or (``no_show``) marked not come
    at ``ended_at``."""

    service: Service
    arrived_at: dt.datetime
    counter: Counter
    called_at: dt.datetime
    ended_at: dt.datetime
    started_at: dt.datetime | None = None
    no_show: bool = False
    priority_reason: str = ""


def _move(ticket: Ticket, event: str) -> str:
    if ticket.state not in TICKET.sources(event):
        raise TicketConflict(
            _("Nomor %(number)s sudah berubah status. Muat ulang halaman.")
            % {"number": ticket.number}
        )
    return TICKET.target_of(event)


@transaction.atomic
def tickets_history_record(*, mission: Mission, visits: Sequence[PastVisit], by) -> list[Ticket]:
    """Record ``visits`` (in the order given) on days of ``mission`` that have no ticket yet;
    ``by`` is the officer at the counters. Returns the tickets, in their final state."""
    if not visits:
        return []
    language = settings.LANGUAGE_CODE
    days = {clock.today(mission, v.arrived_at) for v in visits}
    if Ticket.objects.filter(mission=mission, date__in=days).exists():
        raise ValueError("tickets_history_record writes days that have no ticket yet")
    counters = {v.counter.pk for v in visits}
    loaded = {
        c.pk: c
        for c in Counter.objects.select_for_update(of=("self",))
        .filter(pk__in=counters, mission=mission)
        .select_related("mission")
        .prefetch_related("services")
    }
    if len(loaded) != len(counters):
        raise ValueError("a counter of another mission")
    serves = {pk: {s.pk for s in c.services.all()} for pk, c in loaded.items()}
    for counter in loaded.values():
        _require_operator(by, counter)
    # A counter serves one ticket at a time: none may be busy when the days are replayed.
    busy = set(
        Ticket.objects.filter(counter__in=counters, state__in=CURRENT_STATES).values_list(
            "counter_id", flat=True
        )
    )
    last = defaultdict(int)
    for seq in TicketSequence.objects.filter(mission=mission, date__in=days):
        last[seq.date, seq.prefix] = seq.last

    tickets: list[Ticket] = []
    periods: list[list[TicketPeriod]] = []
    moves: list[list[tuple[str, object, dict]]] = []  # per ticket: (audit event, actor, data)
    waiting: dict[dt.date, list[int]] = defaultdict(list)  # the tickets waiting, by index
    officer = by if getattr(by, "is_authenticated", False) else None

    def begin(index: int, state: str, now: dt.datetime, *, counter=None, final=False, by=None):
        own = periods[index]
        if own:
            own[-1].ended_at = now
        own.append(
            TicketPeriod(
                state=state,
                service_id=tickets[index].service_id,
                counter=counter,
                started_at=now,
                ended_at=now if final else None,
                by=by,
            )
        )

    for visit in visits:
        service = visit.service
        if service.mission_id != mission.pk or not service.is_active:
            raise CheckInRefused(_("Pilih salah satu layanan yang tersedia."), field="service")
        if visit.priority_reason and visit.priority_reason not in policy.DECLARED_REASONS:
            raise CheckInRefused(_("Pilih alasan prioritas dari daftar."), field="priority_reason")
        # Taken at the kiosk.
        date = clock.today(mission, visit.arrived_at)
        prefix = PREFIXES.get(service.category, "A")
        last[date, prefix] += 1
        ticket = Ticket(
            mission=mission,
            date=date,
            prefix=prefix,
            sequence=last[date, prefix],
            service=service,
            channel=Ticket.Channel.WALK_IN,
            priority_reason=visit.priority_reason,
            arrived_at=visit.arrived_at,
            language=language,
        )
        index = len(tickets)
        tickets.append(ticket)
        periods.append([])
        begin(index, Ticket.State.WAITING, visit.arrived_at)
        moves.append(
            [
                (
                    "ticket_created",
                    None,
                    {
                        "number": ticket.number,
                        "service": service.code,
                        "channel": Ticket.Channel.WALK_IN,
                        "priority": visit.priority_reason,
                        "appointment": "",
                    },
                )
            ]
        )
        waiting[date].append(index)

        # Called: the one the policy picks among those this counter may call.
        counter = loaded[visit.counter.pk]
        _check_operator(counter)
        if counter.pk in busy:
            raise TicketConflict(
                _("Selesaikan dulu nomor yang sedang dipanggil atau dilayani di loket ini."),
                code="counter_busy",
            )
        candidates = [
            i
            for i in waiting[clock.today(mission, visit.called_at)]
            if tickets[i].service_id in serves[counter.pk]
            and tickets[i].counter_id in (None, counter.pk)
        ]
        seen = [
            policy.WaitingTicket(
                key=i,
                service=tickets[i].service.code,
                arrived_at=tickets[i].arrived_at,
                priority=tickets[i].priority_reason or None,
                appointment_at=None,
                overtaken=tickets[i].overtaken,
            )
            for i in candidates
        ]
        chosen = policy.choose_next(seen, visit.called_at)
        if chosen is None or chosen.key != index:
            raise TicketConflict(
                _("Nomor %(number)s sudah berubah status. Muat ulang halaman.")
                % {"number": ticket.number}
            )
        bumped = [t.key for t in policy.passed_over(seen, chosen)]
        for i in bumped:
            tickets[i].overtaken += 1
        ticket.state = _move(ticket, TicketEvent.CALL)
        ticket.counter = counter
        waiting[date].remove(index)
        begin(index, ticket.state, visit.called_at, counter=counter, by=officer)
        data = {"number": ticket.number, "counter": counter.number}
        moves[index].append(("ticket_called", by, data | {"overtook": len(bumped)}))

        # Served and finished, or not come.
        if visit.no_show:
            ticket.state = _move(ticket, TicketEvent.NO_SHOW)
            begin(index, ticket.state, visit.ended_at, counter=counter, by=officer, final=True)
            moves[index].append(("ticket_no_show", by, data))
            continue
        if visit.started_at is not None:
            ticket.state = _move(ticket, TicketEvent.START)
            begin(index, ticket.state, visit.started_at, counter=counter, by=officer)
            moves[index].append(("ticket_serving", by, data))
        ticket.state = _move(ticket, TicketEvent.FINISH)
        begin(index, ticket.state, visit.ended_at, counter=counter, by=officer, final=True)
        moves[index].append(("ticket_done", by, data))

    Ticket.objects.bulk_create(tickets, batch_size=500)
    for ticket, own in zip(tickets, periods, strict=True):
        for period in own:
            period.ticket = ticket
    TicketPeriod.objects.bulk_create([p for own in periods for p in own], batch_size=500)
    TicketSequence.objects.bulk_create(
        [
            TicketSequence(mission=mission, date=date, prefix=prefix, last=value)
            for (date, prefix), value in sorted(last.items())
        ],
        update_conflicts=True,
        unique_fields=["mission", "date", "prefix"],
        update_fields=["last"],
    )
    with audit_batched():
        for ticket, own in zip(tickets, moves, strict=True):
            for event, actor, data in own:
                audit_record(event=event, actor=actor, obj=ticket, mission=mission, data=data)
    for ticket, visit in zip(tickets, visits, strict=True):
        if ticket.state == Ticket.State.DONE:
            events.emit(events.ticket_finished, ticket=ticket, by=by, now=visit.ended_at)
    return tickets
