"""``pandu demo`` on any day of the year: the demo loads, under a fixed clock, on dates chosen
for what usually breaks calendars, and every figure the pages show for it has data.

The clock is set with time-machine, which moves Python's clock (``time.time``,
``datetime.now``, ``date.today``) and so Django's ``timezone.now``. Pandu reads the time only
there: no query asks the database for its own ``now()`` (``test_code_never_asks_the_database_for
_the_time`` below keeps it so), so the database cannot disagree with the travelled clock.

Each date is loaded the way ``pandu demo`` loads (``load_demo_data(with_calendar=True)``, no
``today`` given) at a local time of day that varies between dates, early morning and late evening
included, so the mission's date and the UTC date differ for some of them.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from pandu.appointments.models import Appointment, Session, Slot
from pandu.appointments.selectors import closed_days
from pandu.core.models import Mission
from pandu.demo.loader import DEMO_PASSWORD, load_demo_data
from pandu.notify.models import OutboundMessage
from pandu.outreach.models import Shift, VisitRequest
from pandu.queue.models import Ticket
from pandu.reports import figures

TORONTO = zoneinfo.ZoneInfo("America/Toronto")

# (local date and time in Toronto, why this day)
DATES = [
    ("2026-12-05 10:30", "a first Saturday whose two months hold one more Saturday session"),
    ("2027-01-01 09:00", "New Year's Day: a holiday in both countries, and a new year"),
    ("2027-01-02 23:50", "the first Saturday of the year, late evening (UTC is a day ahead)"),
    ("2027-01-31 12:00", "a month end"),
    ("2027-02-06 08:00", "a first Saturday, before its session opens"),
    ("2027-02-28 16:00", "the last day of February in a common year"),
    ("2027-03-13 11:00", "the Saturday before daylight time starts"),
    ("2027-03-14 03:30", "the Sunday daylight time starts, just after the change"),
    ("2027-03-20 10:00", "the Saturday after daylight time starts"),
    ("2027-03-26 14:00", "Good Friday (Ontario)"),
    ("2027-04-30 23:30", "a month end, late evening"),
    ("2027-05-01 09:30", "the first of the month and a first Saturday"),
    ("2027-05-24 10:00", "Victoria Day"),
    ("2027-06-05 13:30", "a first Saturday while its session runs"),
    ("2027-06-30 00:15", "just after midnight at a month end"),
    ("2027-07-01 10:00", "Canada Day"),
    ("2027-08-02 12:00", "Ontario's Civic Holiday"),
    ("2027-08-17 10:00", "Indonesia's Independence Day"),
    ("2027-09-06 10:00", "Labour Day"),
    ("2027-09-30 17:00", "the end of a quarter"),
    ("2027-10-11 10:00", "Thanksgiving"),
    ("2027-10-31 21:00", "a month end on a Sunday"),
    ("2027-11-06 12:00", "the Saturday before daylight time ends"),
    ("2027-11-07 01:30", "the Sunday daylight time ends, in the repeated hour"),
    ("2027-11-13 10:00", "the Saturday after daylight time ends"),
    ("2027-12-04 10:00", "a first Saturday in December"),
    ("2027-12-25 12:00", "Christmas Day, a Saturday"),
    ("2027-12-31 23:59", "New Year's Eve, the last minute"),
    ("2028-01-01 10:00", "New Year's Day on a first Saturday (no session)"),
    ("2028-02-29 10:00", "29 February"),
    ("2028-03-01 10:00", "the day after 29 February"),
    ("2028-03-04 10:00", "a first Saturday right after a leap day"),
]


def _when(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TORONTO)


def test_the_dates_are_spread_over_a_whole_year():
    dates = [_when(text).date() for text, _why in DATES]
    assert len(dates) >= 30
    assert {d.month for d in dates} == set(range(1, 13))
    assert dt.date(2028, 2, 29) in dates and dt.date(2027, 12, 31) in dates
    # Both daylight-saving Sundays and the Saturdays beside them.
    for sunday in (dt.date(2027, 3, 14), dt.date(2027, 11, 7)):
        assert {sunday - dt.timedelta(days=1), sunday, sunday + dt.timedelta(days=6)} <= set(dates)


def test_code_never_asks_the_database_for_the_time():
    """The clock is Python's alone (and so travels in tests): no ``Now()``, no SQL ``now()``."""
    source = pathlib.Path(__file__).parents[2] / "src" / "pandu"
    # Django's ``Now()`` and the SQL spellings of the server's clock (``timezone.now()`` is fine).
    asks = re.compile(
        r"\bNow\(\)|\bNOW\(\)|CURRENT_(TIMESTAMP|DATE|TIME)\b|LOCALTIMESTAMP"
        r"|(clock|statement|transaction)_timestamp\(|['\"][^'\"\n`]*(?<![.\w`])now\(\)"
    )
    offenders = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "migrations" not in path.parts and asks.search(path.read_text())
    ]
    assert offenders == []


def _assert_pages_have_data(client, toronto: Mission, today: dt.date) -> None:
    now = timezone.now()
    # The calendar a citizen books from: free weekday seats, and the demo's bookings: two on
    # weekdays, and one on a Saturday whenever a Saturday session is open for booking (past the
    # one-day lead time, within the 60-day horizon; a first Saturday on a holiday has none).
    ahead = Slot.objects.filter(session__mission=toronto, starts_at__gte=now, booked=0)
    assert ahead.exclude(session__kind="saturday").exists()
    demo_bookings = Appointment.objects.filter(
        citizen__user__email__in=[
            "siti.rahayu@example.org",
            "budi.santoso@example.org",
            "soekarno@example.org",
        ]
    )
    assert demo_bookings.exclude(slot__session__kind="saturday").count() == 2
    bookable_saturdays = Session.objects.filter(
        mission=toronto,
        kind="saturday",
        is_closed=False,
        starts_at__gte=now + dt.timedelta(days=1),
        starts_at__lte=now + dt.timedelta(days=60),
    ).exclude(releases_at__gt=now)
    saturday_booked = demo_bookings.filter(slot__session__kind="saturday").count()
    assert saturday_booked == (1 if bookable_saturdays.exists() else 0)
    # One fair release lies ahead: the outreach day, within the booking horizon when it opens,
    # on a day the mission is open, and nobody has a seat in it yet.
    released = Session.objects.get(mission=toronto, releases_at__isnull=False)
    assert released.kind == "extra" and released.releases_at > now
    assert released.starts_at - released.releases_at < dt.timedelta(days=60)
    assert released.date not in closed_days(toronto, released.date, released.date)
    assert not Slot.objects.filter(session=released, booked__gt=0).exists()
    # The waiting room today and Pertiwi's coming days.
    assert Ticket.objects.filter(mission=toronto, date=today).exists()
    assert Shift.objects.filter(mission=toronto, date__gte=today).exists()
    assert VisitRequest.objects.filter(mission=toronto, status="requested").exists()

    # Last month on the dashboard: every table has rows.
    month = figures.Period.month_of(today.replace(day=1) - dt.timedelta(days=1))
    fill = {row.kind: row for row in figures.fill_rate(toronto, month)}
    assert fill["weekday"].sessions > 0 and fill["weekday"].booked > 0
    saturdays = Session.objects.filter(
        mission=toronto, kind="saturday", date__range=(month.start, month.end), is_closed=False
    )
    if saturdays.exists():
        assert fill["saturday"].booked > 0
    assert figures.no_shows(toronto, month)[-1].due > 0
    assert figures.decisions(toronto, month)[-1].decided > 0
    assert figures.pertiwi(toronto, month).served > 0
    assert figures.waiting_times(toronto, month)[-1].called > 0
    assert figures.ikm(toronto, month).respondents > 0
    public = figures.public_month(toronto, month, now)
    assert public.wait_mean.value is not None and public.ikm.value is not None

    signed_in = client.post(
        "/id/account/login/",
        {"username": "supervisor@toronto.pandu.test", "password": DEMO_PASSWORD},
    )
    assert signed_in.status_code == 302
    response = client.get("/id/laporan/", {"mission": "toronto", "month": f"{month.start:%Y-%m}"})
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    for key in ("volumes", "fill_rate", "no_shows", "waiting", "decisions", "pertiwi", "ikm"):
        assert tables[key].available and not tables[key].empty, key
    public_page = client.get("/id/kinerja/toronto/")
    assert public_page.status_code == 200 and "IKM" in public_page.content.decode()
    assert client.get("/en/").status_code == 200


@pytest.mark.parametrize("when", [text for text, _why in DATES])
def test_the_demo_loads_and_shows_figures_on(when, db, client):
    moment = _when(when)
    with time_machine.travel(moment, tick=False):
        created = load_demo_data(with_calendar=True)
        assert created["sessions"] > 0 and created["appointments"] >= 2, created
        # Written through the services with notifications held back: nobody was mailed.
        assert not OutboundMessage.objects.exists()
        toronto = Mission.objects.get(slug="toronto")
        _assert_pages_have_data(client, toronto, moment.date())
