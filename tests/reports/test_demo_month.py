"""``pandu demo``'s demo month: every figure of the dashboards and the public page has data.

The demo is loaded once for the module, for a fixed today, so the demo month is March 2026 (it
holds Toronto's switch to daylight time). The rows are committed for
the module and flushed afterwards, as a transactional test would.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from pandu.applications.models import Application
from pandu.appointments.models import Appointment, Slot
from pandu.core.models import Mission
from pandu.demo.loader import DEMO_PASSWORD, load_demo_data
from pandu.notify.models import OutboundMessage
from pandu.reports import figures

TODAY = dt.date(2026, 4, 15)
MARCH = figures.Period.month(2026, 3)
HISTORY = ("history_sessions", "history_appointments", "history_applications", "history_visits")


def _load() -> dict[str, int]:
    """What ``pandu demo`` loads, for a fixed today.

    ``load_demo_data(with_calendar=True)`` plans the coming weeks from the real clock (releases,
    shifts and visits must lie ahead of it), so its parts are called one by one here: the people
    and catalogue, the Saturday rule the calendar sets up, Pertiwi teams and kits (for the coming
    days), the surveys, the waiting room, then the month's history for ``TODAY``.
    """
    from pandu.appointments.models import SaturdayRule
    from pandu.appointments.services import saturday_rule_create
    from pandu.feedback.demo import load_feedback_demo
    from pandu.outreach.demo import load_pertiwi_demo
    from pandu.queue.demo import load_queue_demo
    from pandu.reports.demo import load_reports_demo
    from pandu.reports.demo_month import load_month_demo

    created = load_demo_data()
    toronto = Mission.objects.get(slug="toronto")
    if not SaturdayRule.objects.filter(mission=toronto).exists():
        saturday_rule_create(
            mission=toronto,
            weeks=[1],
            opens=dt.time(9),
            closes=dt.time(13),
            counters=3,
            valid_from=dt.date(2026, 1, 1),
            quotas={"paspor-ganti": 24, "paspor-baru": 12},
        )
    created.update(load_pertiwi_demo(password=DEMO_PASSWORD))
    created.update(load_feedback_demo(today=TODAY))
    created.update(load_queue_demo(password=DEMO_PASSWORD, with_calendar=True))
    created.update(load_reports_demo(today=TODAY))
    created.update(load_month_demo(today=TODAY))
    return created


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        first = _load()
        messages = OutboundMessage.objects.count()
        second = _load()
        yield {"first": first, "second": second, "messages": messages}
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def toronto(loaded, db):
    return Mission.objects.get(slug="toronto")


def test_the_month_is_made_once_and_mails_nobody(loaded, toronto):
    assert all(loaded["first"][key] > 0 for key in HISTORY)
    assert not any(loaded["second"].values()), loaded["second"]
    assert OutboundMessage.objects.count() == loaded["messages"]
    history = Appointment.objects.filter(mission=toronto, slot__session__date__month=3)
    assert not OutboundMessage.objects.filter(
        recipient__in=history.values("citizen__user__email")
    ).exists()
    # Every seat counter holds exactly the bookings that were not given back.
    for slot in Slot.objects.filter(session__mission=toronto, session__date__month=3, booked__gt=0)[
        :200
    ]:
        assert slot.booked == slot.appointments.exclude(status="cancelled").count()


def test_every_dashboard_figure_of_the_month_has_data(toronto):
    fill = {row.kind: row for row in figures.fill_rate(toronto, MARCH)}
    for kind in ("weekday", "saturday"):
        assert fill[kind].sessions > 0 and fill[kind].capacity > 0 and fill[kind].booked > 0
        assert 0.03 <= fill[kind].rate <= 0.7
    assert fill["saturday"].rate > fill["weekday"].rate

    missed = figures.no_shows(toronto, MARCH)[-1]
    assert missed.due > 0 and 0 < missed.rate < 0.2

    decided = figures.decisions(toronto, MARCH)[-1]
    assert decided.decided >= 20 and decided.rejected > 0
    assert 0 < decided.median_days <= decided.p90_days
    assert 0.7 <= decided.within_share < 1
    assert Application.objects.filter(mission=toronto, state="collected").exists()

    pertiwi = figures.pertiwi(toronto, MARCH)
    assert pertiwi.served >= 5 and pertiwi.outcomes["not_home"] and pertiwi.outcomes["rescheduled"]
    assert pertiwi.routes > 0 and pertiwi.travel_minutes > 0 and pertiwi.unserved

    waits = figures.waiting_times(toronto, MARCH)[-1]
    assert waits.called > 0 and waits.wait_median is not None
    index = figures.ikm(toronto, MARCH)
    assert index.respondents > 0 and index.index is not None
    volumes = figures.volumes(toronto, MARCH).total.counts
    assert all(volumes[channel] > 0 for channel in figures.CHANNELS)

    public = figures.public_month(toronto, MARCH, timezone.now())
    assert public.saturday_sessions == 1
    assert public.pertiwi_visits.value == pertiwi.served
    assert public.within_service_level.value == decided.within_share
    assert public.wait_mean.value is not None and public.ikm.value is not None


def test_the_supervisor_sees_the_month_on_the_dashboard(client, toronto):
    signed_in = client.post(
        "/id/account/login/",
        {"username": "supervisor@toronto.pandu.test", "password": DEMO_PASSWORD},
    )
    assert signed_in.status_code == 302
    response = client.get("/id/laporan/", {"mission": "toronto", "month": "2026-03"})
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    for key in ("volumes", "fill_rate", "no_shows", "waiting", "decisions", "pertiwi", "ikm"):
        assert tables[key].available and not tables[key].empty, key
    assert tables["pertiwi_unserved"].rows
    html = response.content.decode()
    assert 'id="table-fill_rate"' in html and 'id="table-decisions"' in html


def test_this_month_up_to_yesterday_is_not_empty_on_the_public_page(toronto):
    april = figures.Period(dt.date(2026, 4, 1), dt.date(2026, 4, 14))
    fill = {row.kind: row for row in figures.fill_rate(toronto, april)}
    assert fill["saturday"].sessions == 1 and fill["saturday"].booked > 0  # 4 April
    assert fill["weekday"].sessions >= 8 and fill["weekday"].booked > 0
    assert figures.waiting_times(toronto, april)[-1].called > 0
    # Nothing is made for the demo's "today" or later: the calendar and the queue own those days.
    assert not Appointment.objects.filter(
        mission=toronto, slot__session__date=TODAY, citizen__user__email__startswith="warga."
    ).exists()
    public = figures.public_month(toronto, april, timezone.now())
    assert public.saturday_sessions == 1
    assert public.wait_mean.value is not None
