"""Officers at several counters press "call next" at the same moment, each on its own connection."""

import threading

import pytest
from django.db import connections

from pandu.queue import services
from pandu.queue.models import Ticket, TicketPeriod

COUNTERS = 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("waiting", [2, COUNTERS + 3])
def test_each_counter_gets_a_different_ticket(toronto, officer, service, at, waiting):
    passports = service("paspor-ganti")
    counters = []
    for _ in range(COUNTERS):
        counter = services.counter_create(mission=toronto, by=None)
        counters.append(services.counter_open(counter=counter, services=[passports], by=officer))
    for minute in range(waiting):
        services.ticket_take(mission=toronto, service=passports, now=at(9, minute))
    start = threading.Barrier(COUNTERS)
    outcomes, errors = [], []

    def press(counter):
        try:
            start.wait()
            ticket = services.ticket_call_next(counter=counter, by=officer, now=at(9, 30))
            outcomes.append(ticket.pk if ticket else None)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(c,)) for c in counters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    called = [pk for pk in outcomes if pk is not None]
    assert len(called) == len(set(called)) == min(waiting, COUNTERS)
    assert outcomes.count(None) == COUNTERS - len(called)
    rows = Ticket.objects.filter(state="called")
    assert rows.count() == len(called)
    assert rows.values("counter").distinct().count() == len(called)
    # The first to arrive were the ones called, and each got exactly one "called" period.
    assert set(called) == set(
        Ticket.objects.order_by("arrived_at").values_list("pk", flat=True)[: len(called)]
    )
    assert TicketPeriod.objects.filter(state="called").count() == len(called)
