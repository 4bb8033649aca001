"""The dashboards' demo history: last month's (and this month's) waiting room, made once."""

from __future__ import annotations

import datetime as dt

import pytest

from pandu.reports import figures
from pandu.reports.demo import load_reports_demo

pytestmark = pytest.mark.django_db


def test_demo_history_fills_last_months_waiting_room_once(demo):
    from pandu.queue.demo import load_queue_demo
    from pandu.queue.models import Counter, Ticket

    load_queue_demo(password="x")
    made = load_reports_demo(today=dt.date(2026, 4, 15))["history_tickets"]
    assert made > 100
    assert load_reports_demo(today=dt.date(2026, 4, 15)) == {"history_tickets": 0}
    toronto = demo["toronto"]
    march = figures.Period.month(2026, 3)
    waits = {row.channel: row for row in figures.waiting_times(toronto, march)}
    april = figures.Period(dt.date(2026, 4, 1), dt.date(2026, 4, 14))  # this month to yesterday
    so_far = figures.waiting_times(toronto, april)[-1]
    assert so_far.called > 0
    assert waits[None].called + so_far.called == made
    assert (
        not Ticket.objects.filter(mission=toronto, date__gte=dt.date(2026, 4, 15))
        .exclude(date=dt.date.today())
        .exists()
    )  # nothing on "today" or later but the queue demo's own day
    assert waits["saturday"].called > 0 and waits["weekday"].called > 0
    assert 0 < waits[None].wait_median <= waits[None].wait_p90
    assert figures.volumes(toronto, march).total.total == waits[None].served
    # The counters are left as they were (closed: the demo opens them only for today).
    assert not Counter.objects.filter(mission=toronto, is_open=True).exists()
