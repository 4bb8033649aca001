"""Past days written at once (``queue.history``): the rows and audit events of the visits' calls
made one by one, in a few statements."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.queue import services
from pandu.queue.errors import CounterRefused, TicketConflict
from pandu.queue.history import PastVisit, tickets_history_record
from pandu.queue.models import Counter, Ticket, TicketPeriod, TicketSequence

pytestmark = pytest.mark.django_db

DAYS = (dt.date(2027, 1, 12), dt.date(2027, 1, 13))


@pytest.fixture
def desks(toronto, officer):
    by_code = {s.code: s for s in Service.objects.filter(mission=toronto)}
    counters = {c.number: c for c in Counter.objects.filter(mission=toronto)}
    services.counter_open(
        counter=counters[1], services=[by_code["paspor-ganti"], by_code["paspor-baru"]], by=officer
    )
    services.counter_open(counter=counters[2], services=[by_code["legalisasi"]], by=officer)
    return by_code, counters


def _visits(desks, at):
    by_code, counters = desks
    visits = []
    for day in DAYS:
        for n, (code, desk, kind) in enumerate(
            [
                ("paspor-ganti", 1, "served"),
                ("legalisasi", 2, "served"),
                ("paspor-baru", 1, "no_show"),
                ("legalisasi", 2, "unstarted"),
                ("paspor-ganti", 1, "served"),
            ]
        ):
            arrived = at(9, 5, day) + dt.timedelta(minutes=20 * n)
            called = arrived + dt.timedelta(minutes=2)
            visits.append(
                PastVisit(
                    service=by_code[code],
                    arrived_at=arrived,
                    counter=counters[desk],
                    called_at=called,
                    started_at=called + dt.timedelta(minutes=1) if kind == "served" else None,
                    ended_at=called + dt.timedelta(minutes=12),
                    no_show=kind == "no_show",
                    priority_reason="elderly" if n == 4 else "",
                )
            )
    return visits


def _one_by_one(mission, visits, officer):
    for visit in visits:
        services.ticket_take(
            mission=mission,
            service=visit.service,
            priority_reason=visit.priority_reason,
            now=visit.arrived_at,
        )
        ticket = services.ticket_call_next(counter=visit.counter, by=officer, now=visit.called_at)
        if visit.no_show:
            services.ticket_no_show(ticket=ticket, by=officer, now=visit.ended_at)
            continue
        if visit.started_at is not None:
            services.ticket_start(ticket=ticket, by=officer, now=visit.started_at)
        services.ticket_finish(ticket=ticket, by=officer, now=visit.ended_at)


def _written(since: int):
    tickets = list(
        Ticket.objects.filter(date__in=DAYS)
        .order_by("date", "prefix", "sequence")
        .values_list(
            "date", "prefix", "sequence", "service_id", "channel", "priority_reason",
            "arrived_at", "state", "counter_id", "overtaken", "language", "created_at",
        )
    )  # fmt: skip
    periods = list(
        TicketPeriod.objects.filter(ticket__date__in=DAYS)
        .order_by("ticket__date", "ticket__prefix", "ticket__sequence", "started_at", "pk")
        .values_list("ticket__sequence", "state", "service_id", "counter_id", "started_at",
                     "ended_at", "by_id")
    )  # fmt: skip
    sequences = list(
        TicketSequence.objects.filter(date__in=DAYS)
        .order_by("date", "prefix")
        .values_list("date", "prefix", "last")
    )
    events = list(
        AuditEvent.objects.filter(seq__gt=since)
        .order_by("seq")
        .values_list("seq", "occurred_at", "actor_id", "event", "object_type", "mission_id", "data")
    )
    return tickets, periods, sequences, events


def test_the_batch_writes_what_the_calls_one_by_one_write(
    toronto, officer, desks, at, django_assert_max_num_queries
):
    visits = _visits(desks, at)
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with time_machine.travel(at(18, 0, DAYS[-1]), tick=False):
        with transaction.atomic():
            _one_by_one(toronto, visits, officer)
            single = _written(since)
            transaction.set_rollback(True)
        # Ten visits, each some fourteen statements one by one: thirteen in all here.
        with django_assert_max_num_queries(13):
            tickets = tickets_history_record(mission=toronto, visits=visits, by=officer)
        batch = _written(since)
    assert len(tickets) == 10 and len(single[0]) == 10 and len(single[3]) == 36
    assert batch == single
    assert [t.state for t in tickets[:5]] == ["done", "done", "no_show", "done", "done"]
    call_command("audit_verify", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_batch_refuses_what_the_calls_refuse(toronto, officer, desks, at):
    by_code, counters = desks
    day = DAYS[0]
    wrong_desk = PastVisit(
        service=by_code["legalisasi"],
        arrived_at=at(9, 0, day),
        counter=counters[1],  # serves passports only: it would not call this ticket
        called_at=at(9, 5, day),
        ended_at=at(9, 15, day),
    )
    with pytest.raises(TicketConflict):
        tickets_history_record(mission=toronto, visits=[wrong_desk], by=officer)
    closed = PastVisit(**(vars(wrong_desk) | {"counter": counters[3]}))
    with pytest.raises(CounterRefused):
        tickets_history_record(mission=toronto, visits=[closed], by=officer)
    ok = PastVisit(**(vars(wrong_desk) | {"counter": counters[2]}))
    tickets_history_record(mission=toronto, visits=[ok], by=officer)
    with pytest.raises(ValueError, match="no ticket yet"):
        tickets_history_record(mission=toronto, visits=[ok], by=officer)
    assert Ticket.objects.filter(date=day).count() == 1
