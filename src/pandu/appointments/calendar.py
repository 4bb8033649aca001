"""Calendar arithmetic on plain values (no Django import): Saturday rules, holidays, slots.

Sessions are planned in the mission's wall-clock time and stored in UTC. Slots are cut in wall-clock
time and each boundary is converted on its own, so a 09:00 session is at 09:00 local time on both
sides of a daylight-saving change. Public holidays come from the ``holidays`` package (Indonesia's
national holidays and the host country's, for the host province); the mission's own closures and
openings are applied on top by the caller.

Written here by hand: "the n-th Saturday of the month" rules (``dateutil.rrule`` could express
them, but a rule here is data an administrator edits as a list of week numbers, and the check is
three lines) and slot cutting, which is specific to how counters serve appointments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SATURDAY = 5
LAST = -1  # "the last Saturday of the month"


def week_of_month(day: dt.date) -> tuple[int, bool]:
    """(n, is_last): ``day`` is the n-th such weekday of its month, and whether it is the last."""
    n = (day.day - 1) // 7 + 1
    is_last = (day + dt.timedelta(days=7)).month != day.month
    return n, is_last


def matches_weeks(day: dt.date, weeks: Iterable[int]) -> bool:
    """True when ``day`` is one of the listed weeks of its month (1-5, or -1 for the last)."""
    n, is_last = week_of_month(day)
    wanted = set(weeks)
    return n in wanted or (is_last and LAST in wanted)


def saturdays(start: dt.date, end: dt.date, weeks: Iterable[int]) -> list[dt.date]:
    """The Saturdays from ``start`` to ``end`` (inclusive) that match the week numbers."""
    weeks = tuple(weeks)
    first = start + dt.timedelta(days=(SATURDAY - start.weekday()) % 7)
    days = []
    day = first
    while day <= end:
        if matches_weeks(day, weeks):
            days.append(day)
        day += dt.timedelta(days=7)
    return days


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    source: str  # "ID" for Indonesia, else the host country (and province) code


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str | None, year: int) -> tuple[tuple[dt.date, str], ...]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return tuple(sorted(calendar.items()))


def public_holidays(
    start: dt.date, end: dt.date, *, host_country: str, host_subdivision: str | None
) -> dict[dt.date, list[Holiday]]:
    """Indonesian national holidays and the host's public holidays between two dates."""
    found: dict[dt.date, list[Holiday]] = {}
    sources = [
        ("ID", None, "ID"),
        (host_country, host_subdivision, f"{host_country}-{host_subdivision or ''}".rstrip("-")),
    ]
    for year in range(start.year, end.year + 1):
        for country, subdivision, label in sources:
            for day, name in _holidays(country, subdivision, year):
                if start <= day <= end:
                    found.setdefault(day, []).append(Holiday(day, name, label))
    return found


def local_to_utc(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``.

    A wall-clock time that does not exist (skipped by a spring change) moves forward with the
    change; one that occurs twice (autumn) is the first. Consular sessions run in daytime, so
    neither happens in practice, but the result is always defined.
    """
    local = dt.datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(dt.UTC)


@dataclass(frozen=True)
class SlotTimes:
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    local_start: dt.time
    local_end: dt.time


def cut_slots(
    day: dt.date, opens: dt.time, closes: dt.time, minutes: int, zone: ZoneInfo
) -> Iterator[SlotTimes]:
    """Consecutive slots of ``minutes`` from ``opens`` while a whole slot fits before ``closes``."""
    if minutes <= 0:
        raise ValueError("slot length must be positive")
    start = dt.datetime.combine(day, opens)
    last = dt.datetime.combine(day, closes)
    step = dt.timedelta(minutes=minutes)
    while start + step <= last:
        end = start + step
        yield SlotTimes(
            local_to_utc(day, start.time(), zone),
            local_to_utc(day, end.time(), zone),
            start.time(),
            end.time(),
        )
        start = end
