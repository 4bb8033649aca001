"""The service-level clock counts the mission's working days: weekends, Indonesian and host
public holidays and the mission's own closures are skipped; a holiday the mission opens counts."""

from __future__ import annotations

import datetime as dt

from pandu.applications import selectors, sla
from pandu.appointments.models import CalendarOverride


def test_working_days_skip_weekends_and_closed_days():
    friday = dt.date(2027, 3, 5)
    assert sla.due_date(friday, 0, set()) == friday
    assert sla.due_date(friday, 1, set()) == dt.date(2027, 3, 8)  # Monday
    assert sla.due_date(friday, 5, {dt.date(2027, 3, 9)}) == dt.date(2027, 3, 15)
    # Submitted on a Saturday: the clock starts on Monday.
    assert sla.due_date(dt.date(2027, 3, 6), 0, set()) == dt.date(2027, 3, 8)


def _due(mission, start, days):
    return sla.due_date_for(start, days, lambda a, b: selectors.closed_days(mission, a, b))


def test_canada_day_and_a_closure_push_the_due_date(demo):
    toronto = demo["toronto"]
    wednesday = dt.date(2027, 6, 30)
    # Canada Day (Thursday 1 July) is skipped: 2, 5, 6, 7, 8 July.
    assert _due(toronto, wednesday, 5) == dt.date(2027, 7, 8)
    CalendarOverride.objects.create(
        mission=toronto, date=dt.date(2027, 7, 6), reason_id="Tutup", reason_en="Closed"
    )
    assert _due(toronto, wednesday, 5) == dt.date(2027, 7, 9)
    CalendarOverride.objects.create(
        mission=toronto,
        date=dt.date(2027, 7, 1),
        is_open=True,
        reason_id="Buka",
        reason_en="Open",
    )
    assert _due(toronto, wednesday, 5) == dt.date(2027, 7, 8)


def test_indonesian_independence_day_counts_as_closed(demo):
    # 17 August 2027 is a Tuesday: Indonesian national holiday, not an Ontario one.
    assert _due(demo["toronto"], dt.date(2027, 8, 16), 1) == dt.date(2027, 8, 18)


def test_submitting_sets_the_due_date_and_overdue_shows(submitted):
    from pandu.applications import services

    assert submitted.due_date is not None
    assert not services.overdue(submitted, submitted.due_date)
    assert services.overdue(submitted, submitted.due_date + dt.timedelta(days=1))
