import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pandu.appointments import calendar

TORONTO = ZoneInfo("America/Toronto")


def test_first_saturday_of_each_month():
    days = calendar.saturdays(dt.date(2027, 1, 1), dt.date(2027, 4, 30), [1])
    assert days == [
        dt.date(2027, 1, 2),
        dt.date(2027, 2, 6),
        dt.date(2027, 3, 6),
        dt.date(2027, 4, 3),
    ]


def test_second_and_fourth_and_last_saturdays():
    assert calendar.saturdays(dt.date(2027, 1, 1), dt.date(2027, 1, 31), [2, 4]) == [
        dt.date(2027, 1, 9),
        dt.date(2027, 1, 23),
    ]
    # January 2027 has five Saturdays; the last is the 30th.
    assert calendar.saturdays(dt.date(2027, 1, 1), dt.date(2027, 1, 31), [-1]) == [
        dt.date(2027, 1, 30)
    ]
    assert calendar.saturdays(dt.date(2027, 2, 1), dt.date(2027, 2, 28), [-1]) == [
        dt.date(2027, 2, 27)
    ]


def test_week_of_month():
    assert calendar.week_of_month(dt.date(2027, 1, 30)) == (5, True)
    assert calendar.week_of_month(dt.date(2027, 1, 23)) == (4, False)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (dt.date(2027, 3, 6), 14),  # before the March change: EST, UTC-5
        (dt.date(2027, 3, 20), 13),  # the Saturday after it: EDT, UTC-4
        (dt.date(2027, 10, 30), 13),  # before the November change: EDT
        (dt.date(2027, 11, 13), 14),  # the Saturday after it: EST
    ],
)
def test_nine_o_clock_stays_nine_o_clock_across_daylight_saving(day, utc_hour):
    slots = list(calendar.cut_slots(day, dt.time(9), dt.time(13), 20, TORONTO))
    assert slots[0].starts_at == dt.datetime(day.year, day.month, day.day, utc_hour, tzinfo=dt.UTC)
    assert slots[0].starts_at.astimezone(TORONTO).time() == dt.time(9)
    assert slots[-1].ends_at.astimezone(TORONTO).time() == dt.time(13)
    assert len(slots) == 12


def test_a_slot_that_does_not_fit_is_not_cut():
    slots = list(calendar.cut_slots(dt.date(2027, 1, 4), dt.time(9), dt.time(10), 25, TORONTO))
    assert [s.local_start for s in slots] == [dt.time(9), dt.time(9, 25)]


def test_holidays_of_both_countries():
    found = calendar.public_holidays(
        dt.date(2027, 1, 1), dt.date(2027, 12, 31), host_country="CA", host_subdivision="ON"
    )
    assert dt.date(2027, 8, 17) in found  # Indonesian Independence Day
    assert found[dt.date(2027, 8, 17)][0].source == "ID"
    assert dt.date(2027, 2, 15) in found  # Family Day, Ontario
    assert dt.date(2027, 7, 1) in found  # Canada Day
    assert all(h.source in {"ID", "CA-ON"} for hs in found.values() for h in hs)


def test_family_day_is_provincial():
    ontario = calendar.public_holidays(
        dt.date(2027, 2, 1), dt.date(2027, 2, 28), host_country="CA", host_subdivision="ON"
    )
    quebec = calendar.public_holidays(
        dt.date(2027, 2, 1), dt.date(2027, 2, 28), host_country="CA", host_subdivision="QC"
    )
    assert dt.date(2027, 2, 15) in ontario and dt.date(2027, 2, 15) not in quebec
