"""The service-level clock: a due date counted in the mission's working days.

Plain date arithmetic with no Django import. A working day is a Monday to Friday that is not
closed; the caller passes the closed days (Indonesian and host public holidays from
``pandu.appointments.calendar.public_holidays`` plus the mission's closures, minus the holidays it
opened). Written by hand because it is a ten-line loop over a set the mission decides; the
``holidays`` package gives the holidays, not a business-day calendar with per-mission overrides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# Enough to cover the longest service level (365 working days) with holidays in between.
MAX_SPAN_DAYS = 600


def is_working_day(day: dt.date, closed: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in closed


def due_date(start: dt.date, working_days: int, closed: set[dt.date]) -> dt.date:
    """The date by which the work is due when it starts on ``start``.

    The day of submission counts as day zero when it is a working day; otherwise the clock starts
    on the next working day. ``working_days == 0`` means the same (working) day.
    """
    if working_days < 0:
        raise ValueError("working days must not be negative")
    day = start
    while not is_working_day(day, closed):
        day += dt.timedelta(days=1)
    left = working_days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, closed):
            left -= 1
    return day


def due_date_for(
    start: dt.date, working_days: int, closed_between: Callable[[dt.date, dt.date], set[dt.date]]
) -> dt.date:
    """``due_date`` with the closed days looked up once for a span long enough to hold it."""
    span = min(MAX_SPAN_DAYS, working_days * 2 + 30)
    return due_date(start, working_days, closed_between(start, start + dt.timedelta(days=span)))
