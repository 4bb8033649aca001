"""The demo waiting room loads through the services and only once."""

import pytest

from pandu.queue.demo import load_queue_demo
from pandu.queue.models import Counter, Ticket

pytestmark = pytest.mark.django_db


def test_demo_counters_and_todays_tickets(demo, password):
    # ``demo`` already loaded the light part (counters and the kiosk account).
    assert Counter.objects.filter(mission=demo["toronto"]).count() == 3
    first = load_queue_demo(password=password, with_calendar=True)
    assert first == {"counters": 0, "tickets": 7}
    assert Ticket.objects.filter(state="done").count() == 3
    assert Ticket.objects.filter(state="waiting").count() == 4
    assert Counter.objects.filter(is_open=True).count() == 2
    assert load_queue_demo(password=password, with_calendar=True) == {"counters": 0, "tickets": 0}
